/**
 * The calibrated leader rule of one period (lib/analysis/leadership.ts `leadership`) fed with
 * the trades batch by batch in time order — a loader pushes one (venue, day) at a time — so that
 * a period of any length is analysed without holding its trades:
 *
 * - the Hayashi–Yoshida evidence of every pair accumulates its (sub-blocks × shifts) table in a
 *   {@link HyBlockStream} (lib/hy-stream.ts) over one {@link TickStream} per venue, which keeps
 *   only the ticks within max|θ| of the sweep;
 * - the transfer-entropy channel's bin prices (trade prices interpolated linearly in time to the
 *   bin ends, `interpolatedPrices`) are filled as the trades arrive by
 *   {@link InterpolatedPriceStream}, one Float64 per bin: p(g) = p_a + (p_b − p_a)·(g − t_a)/(t_b − t_a)
 *   between the last trade at or before g and the first after it.
 *
 * Memory: O(bins of the period + sub-blocks · shifts · pairs + ticks within max|θ|), whatever
 * the trades per day. `result()` equals `leadership(venues, trades, start, end, options)` of the
 * concatenated trades value for value (the tables receive the same terms in the same order, the
 * bootstrap and the decision are the same functions).
 *
 * Pure: no I/O; deterministic given `options.seed`.
 */
import {HyBlockStream, TickStream} from "../hy-stream.js";
import {deriveSeed} from "../random.js";
import {hyLeadFromRows, hyLeadGrid, leadershipFrom, type LeadershipOptions, type LeadershipResult, type PairLead} from "./leadership.js";

/** Index of the first of rows [from, to) of ascending `a` that is ≥ x. */
function lowerBound(a: ArrayLike<number>, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `interpolatedPrices(trades, start, end, binMs)` of lib/analysis/leadership.ts on trades pushed in time order (rows of [start, end) only). */
export class InterpolatedPriceStream {
  readonly out: Float64Array;
  private k = 0;
  private have = false;
  private prevT = NaN;
  private prevP = NaN;

  constructor(
    readonly start: number,
    end: number,
    readonly binMs: number
  ) {
    this.out = new Float64Array(Math.max(0, Math.ceil((end - start) / binMs))).fill(NaN);
  }

  /** Rows [from, to) of one batch, all inside the period, times ascending across batches. */
  push(time: ArrayLike<number>, price: ArrayLike<number>, from = 0, to = time.length): void {
    const {out, start, binMs} = this;
    const bins = out.length;
    for (let i = from; i < to; ++i) {
      const t = time[i];
      const p = price[i];
      if (!this.have) {
        // Before the first trade the price is held at it.
        while (this.k < bins && start + (this.k + 1) * binMs < t) out[this.k++] = p;
        this.have = true;
      } else if (t > this.prevT) {
        const ta = this.prevT;
        const pa = this.prevP;
        for (let g = start + (this.k + 1) * binMs; this.k < bins && g < t; g = start + (++this.k + 1) * binMs) out[this.k] = pa + ((p - pa) * (g - ta)) / (t - ta);
      }
      this.prevT = t;
      this.prevP = p;
    }
  }

  /** After the last trade the price is held at it; NaN throughout without a trade. */
  finish(): Float64Array {
    if (this.have) while (this.k < this.out.length) this.out[this.k++] = this.prevP;
    return this.out;
  }
}

/** {@link LeadershipStream}'s options: `leadership`'s, with the TE channel on interpolated prices or none. */
export type LeadershipStreamOptions = LeadershipOptions & {transfer?: "interpolated" | false};

/** `leadership(venues, trades, start, end, options)` fed batch by batch (see the module comment). */
export class LeadershipStream<V extends string> {
  private readonly ticks = new Map<V, TickStream>();
  private readonly prices = new Map<V, InterpolatedPriceStream>();
  private readonly pairs: {a: V; b: V; hy: HyBlockStream}[] = [];

  constructor(
    readonly venues: readonly V[],
    readonly start: number,
    readonly end: number,
    private readonly options: LeadershipStreamOptions = {}
  ) {
    if (!(end > start)) throw new RangeError(`invalid period: [${start}, ${end})`);
    if (venues.length < 2) throw new RangeError(`invalid venues: ${venues.length} (need at least 2)`);
    const {shifts, subMs, blocks} = hyLeadGrid(end - start, options);
    for (const v of venues) {
      this.ticks.set(v, new TickStream(start));
      if (options.transfer) this.prices.set(v, new InterpolatedPriceStream(start, end, options.binMs ?? 100));
    }
    for (let i = 0; i < venues.length; ++i)
      for (let j = i + 1; j < venues.length; ++j) this.pairs.push({a: venues[i], b: venues[j], hy: new HyBlockStream(this.ticks.get(venues[i])!, this.ticks.get(venues[j])!, shifts, subMs, blocks)});
  }

  /** Whether the period meets [from, to) (ms). */
  overlaps(from: number, to: number): boolean {
    return from < this.end && to > this.start;
  }

  /** A batch of `venue`'s trades (times ascending, after every earlier batch of the venue); rows outside the period are ignored. */
  push(venue: V, time: ArrayLike<number>, price: ArrayLike<number>, length = time.length): void {
    const t = this.ticks.get(venue);
    if (!t) return;
    const i0 = lowerBound(time, 0, length, this.start);
    const i1 = lowerBound(time, i0, length, this.end);
    if (i1 <= i0) return;
    t.push(time, price, i0, i1);
    this.prices.get(venue)?.push(time, price, i0, i1);
  }

  /** Sweeps what the pushed trades allow and drops the ticks no pair needs any more; call after each round of pushes (e.g. a day of every venue). */
  advance(): void {
    const need = new Map<V, number>();
    const lower = (v: V, g: number) => need.set(v, Math.min(need.get(v) ?? Infinity, g));
    for (const {a, b, hy} of this.pairs) {
      hy.advance();
      lower(a, hy.needX);
      lower(b, hy.needY);
    }
    for (const [v, g] of need) this.ticks.get(v)!.release(g);
  }

  /** Ends the streams and returns the period's outcome, as `leadership` gives it. */
  result(): LeadershipResult<V> {
    for (const t of this.ticks.values()) t.end();
    const o = this.options;
    const duration = this.end - this.start;
    const pairs: PairLead<V>[] = this.pairs.map(({a, b, hy}) => {
      hy.advance();
      const x = this.ticks.get(a)!;
      const y = this.ticks.get(b)!;
      return hyLeadFromRows(a, b, hy.out, {varianceX: x.variance, varianceY: y.variance, trades: [x.final, y.final]}, duration, {...o, seed: deriveSeed(o.seed ?? 0, `pair ${a} ${b}`)});
    });
    const prices = o.transfer ? new Map([...this.prices].map(([v, s]) => [v, s.finish()])) : null;
    return leadershipFrom(this.venues, pairs, prices, o);
  }
}
