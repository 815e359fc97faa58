/**
 * The calibrated leader rule of one period (lib/analysis/leadership.ts `leadership`) fed with
 * the trades batch by batch in time order — a loader pushes one (venue, day) at a time — so that
 * a period of any length is analysed without holding its trades:
 *
 * - the Hayashi–Yoshida evidence of every pair accumulates its (sub-blocks × shifts) table in a
 *   {@link HyBlockStream} (lib/hy-stream.ts) over one {@link TickStream} per venue, which keeps
 *   only the ticks within max|θ| of the sweep;
 * - the transfer-entropy channel's bin prices (trade prices interpolated linearly in time to the
 *   bin ends, `interpolatedPrices`: p(g) = p_a + (p_b − p_a)·(g − t_a)/(t_b − t_a) between the
 *   last trade at or before g and the first after it) are turned into their price-change symbols
 *   as the trades arrive by {@link PriceChangeStream}, one byte per bin.
 *
 * Memory: O(bins of the period + sub-blocks · shifts · pairs + ticks within max|θ|), whatever
 * the trades per day. `result()` equals `leadership(venues, trades, start, end, options)` of the
 * concatenated trades value for value (the tables receive the same terms in the same order, the
 * bootstrap and the decision are the same functions).
 *
 * Pure: no I/O; deterministic given `options.seed`.
 */
import {bisectLeft} from "../bisect.js";
import {hySweepOf} from "../hayashi-yoshida.js";
import {advanceSweeps, HyBlockStream, TickStream} from "../hy-stream.js";
import {priceChange, UNCHANGED} from "../price-symbols.js";
import {deriveSeed} from "../random.js";
import {hyLeadFromRows, hyLeadGrid, leadershipDecide, leadershipTransfer, type LeadershipOptions, type LeadershipResult, type PairLead, type PairTransfer} from "./leadership.js";

/**
 * Trade prices interpolated to the bin ends of [start, end) as trades are pushed in time order
 * (`interpolatedPrices` of lib/analysis/leadership.ts), each bin's value handed to `put` in bin
 * order once the first trade after its end is known (or at `finish`).
 */
abstract class BinPriceStream {
  protected k = 0;
  private have = false;
  private prevT = NaN;
  private prevP = NaN;
  readonly bins: number;

  constructor(
    readonly start: number,
    end: number,
    readonly binMs: number
  ) {
    this.bins = Math.max(0, Math.ceil((end - start) / binMs));
  }

  /** Bin `this.k`'s price. */
  protected abstract put(value: number): void;

  /** Rows [from, to) of one batch, all inside the period, times ascending across batches. */
  push(time: ArrayLike<number>, price: ArrayLike<number>, from = 0, to = time.length): void {
    const {bins, start, binMs} = this;
    for (let i = from; i < to; ++i) {
      const t = time[i];
      const p = price[i];
      if (!this.have) {
        // Before the first trade the price is held at it.
        while (this.k < bins && start + (this.k + 1) * binMs < t) this.put(p), ++this.k;
        this.have = true;
      } else if (t > this.prevT) {
        const ta = this.prevT;
        const pa = this.prevP;
        for (let g = start + (this.k + 1) * binMs; this.k < bins && g < t; g = start + (++this.k + 1) * binMs) this.put(pa + ((p - pa) * (g - ta)) / (t - ta));
      }
      this.prevT = t;
      this.prevP = p;
    }
  }

  /** After the last trade the price is held at it; no value at all without a trade. */
  protected hold(): void {
    if (this.have) while (this.k < this.bins) this.put(this.prevP), ++this.k;
  }
}

/** `interpolatedPrices(trades, start, end, binMs)` of lib/analysis/leadership.ts on trades pushed in time order (rows of [start, end) only): one Float64 per bin. */
export class InterpolatedPriceStream extends BinPriceStream {
  readonly out: Float64Array;

  constructor(start: number, end: number, binMs: number) {
    super(start, end, binMs);
    this.out = new Float64Array(this.bins).fill(NaN);
  }

  protected put(value: number): void {
    this.out[this.k] = value;
  }

  /** After the last trade the price is held at it; NaN throughout without a trade. */
  finish(): Float64Array {
    this.hold();
    return this.out;
  }
}

/**
 * `priceChangeSymbols(interpolatedPrices(trades, start, end, binMs))` (lib/price-symbols.ts) on
 * trades pushed in time order: each bin's symbol is made as its interpolated price is, so one byte
 * a bin is held instead of the price's eight. Symbol t compares bin t's price with bin t − 1's:
 * 2 up, 0 down, 1 unchanged (also the first bin, and any step touching a missing or non-positive
 * price).
 */
export class PriceChangeStream extends BinPriceStream {
  readonly out: Uint8Array;
  private previous = NaN;

  constructor(start: number, end: number, binMs: number) {
    super(start, end, binMs);
    this.out = new Uint8Array(this.bins).fill(UNCHANGED);
  }

  protected put(p: number): void {
    this.out[this.k] = priceChange(this.previous, p);
    this.previous = p;
  }

  /** The symbols; all unchanged without a trade. */
  finish(): Uint8Array {
    this.hold();
    return this.out;
  }
}

/** {@link LeadershipStream}'s options: `leadership`'s, with the TE channel on interpolated prices or none. */
export type LeadershipStreamOptions = LeadershipOptions & {transfer?: "interpolated" | false};

/**
 * A part of one period's evidence: the indices of the venue pairs (i < j in venue order, i outer)
 * whose HY evidence (`hy`) and TE evidence (`te`, with the channel on) a stream computes.
 */
export interface LeadershipPart {
  hy: readonly number[];
  te: readonly number[];
}

/** A part's evidence, in the order of its indices. */
export interface LeadershipPartResult<V extends string = string> {
  pairs: PairLead<V>[];
  transfer: PairTransfer<V>[];
}

/** The venue pairs of `venues` in the order of `leadership` (i < j, i outer). */
export function venuePairs<V extends string>(venues: readonly V[]): [V, V][] {
  const out: [V, V][] = [];
  for (let i = 0; i < venues.length; ++i) for (let j = i + 1; j < venues.length; ++j) out.push([venues[i], venues[j]]);
  return out;
}

/** The part holding every pair: the whole period. */
export function wholePart(venues: readonly string[], options: LeadershipStreamOptions): LeadershipPart {
  const all = venuePairs(venues).map((_, i) => i);
  return {hy: all, te: options.transfer ? all : []};
}

/**
 * `leadership(venues, trades, start, end, options)` fed batch by batch (see the module comment).
 * With a `part`, only those pairs' evidence is computed ({@link partResult}); the parts of a
 * period, computed apart (e.g. on other threads) and put together by {@link assembleParts}, give
 * what the whole stream's {@link result} gives, value for value: every pair's evidence depends
 * only on its two venues' trades and its own seed.
 */
export class LeadershipStream<V extends string> {
  private readonly ticks = new Map<V, TickStream>();
  private readonly prices = new Map<V, PriceChangeStream>();
  private readonly pairs: {index: number; a: V; b: V; hy: HyBlockStream}[] = [];
  private readonly transferPairs: {index: number; a: V; b: V}[] = [];
  readonly part: LeadershipPart;

  constructor(
    readonly venues: readonly V[],
    readonly start: number,
    readonly end: number,
    private readonly options: LeadershipStreamOptions = {},
    part?: LeadershipPart
  ) {
    if (!(end > start)) throw new RangeError(`invalid period: [${start}, ${end})`);
    if (venues.length < 2) throw new RangeError(`invalid venues: ${venues.length} (need at least 2)`);
    const all = venuePairs(venues);
    this.part = part ?? wholePart(venues, options);
    for (const i of [...this.part.hy, ...this.part.te]) if (!(Number.isInteger(i) && i >= 0 && i < all.length)) throw new RangeError(`invalid part: pair ${i} of ${all.length}`);
    if (this.part.te.length && !options.transfer) throw new RangeError("invalid part: TE pairs without the transfer channel");
    const {shifts, subMs, blocks} = hyLeadGrid(end - start, options);
    const tick = (v: V) => this.ticks.get(v) ?? this.ticks.set(v, new TickStream(start)).get(v)!;
    for (const index of this.part.hy) {
      const [a, b] = all[index];
      this.pairs.push({index, a, b, hy: new HyBlockStream(tick(a), tick(b), shifts, subMs, blocks, hySweepOf(a, b, options.tradeCounts))});
    }
    for (const index of this.part.te) {
      const [a, b] = all[index];
      for (const v of [a, b]) if (!this.prices.has(v)) this.prices.set(v, new PriceChangeStream(start, end, options.binMs ?? 100));
      this.transferPairs.push({index, a, b});
    }
  }

  /** Whether the period meets [from, to) (ms). */
  overlaps(from: number, to: number): boolean {
    return from < this.end && to > this.start;
  }

  /** Whether this stream reads `venue`'s trades (a venue of one of its pairs). */
  takes(venue: V): boolean {
    return this.ticks.has(venue) || this.prices.has(venue);
  }

  /** A batch of `venue`'s trades (times ascending, after every earlier batch of the venue); rows outside the period are ignored. */
  push(venue: V, time: ArrayLike<number>, price: ArrayLike<number>, length = time.length): void {
    const t = this.ticks.get(venue);
    const p = this.prices.get(venue);
    if (!t && !p) return;
    const i0 = bisectLeft(time, this.start, 0, length);
    const i1 = bisectLeft(time, this.end, i0, length);
    if (i1 <= i0) return;
    t?.push(time, price, i0, i1);
    p?.push(time, price, i0, i1);
  }

  /** Sweeps what the pushed trades allow and drops the ticks no pair needs any more; call after each round of pushes (e.g. a day of every venue). */
  advance(): void {
    advanceSweeps(this.pairs, (v) => this.ticks.get(v)!);
  }

  /** Ends the streams and returns the evidence of this stream's part, in the order of its indices. */
  partResult(): LeadershipPartResult<V> {
    for (const t of this.ticks.values()) t.end();
    const o = this.options;
    const duration = this.end - this.start;
    const pairs: PairLead<V>[] = this.pairs.map(({a, b, hy}) => {
      hy.advance();
      const x = this.ticks.get(a)!;
      const y = this.ticks.get(b)!;
      return hyLeadFromRows(a, b, hy.out, {varianceX: x.variance, varianceY: y.variance, trades: [x.final, y.final]}, duration, {...o, seed: deriveSeed(o.seed ?? 0, `pair ${a} ${b}`)});
    });
    const symbols = new Map([...this.prices].map(([v, s]) => [v, s.finish()]));
    const transfer = this.transferPairs.map(({a, b}) => leadershipTransfer(a, b, symbols.get(a)!, symbols.get(b)!, o));
    return {pairs, transfer};
  }

  /** Ends the streams and returns the period's outcome, as `leadership` gives it (the stream must hold every pair). */
  result(): LeadershipResult<V> {
    return assembleParts(this.venues, this.options, [{part: this.part, result: this.partResult()}]);
  }
}

/**
 * A period's outcome from the evidence of parts that together hold every pair once (as
 * {@link LeadershipStream.partResult} gives it): the pairs put back in venue order, then the
 * decision and the TE channel's corroboration of `leadershipDecide`.
 */
export function assembleParts<V extends string>(venues: readonly V[], options: LeadershipStreamOptions, parts: readonly {part: LeadershipPart; result: LeadershipPartResult<V>}[]): LeadershipResult<V> {
  const n = venuePairs(venues).length;
  const pairs: (PairLead<V> | undefined)[] = new Array(n);
  const transfer: (PairTransfer<V> | undefined)[] = new Array(n);
  for (const {part, result} of parts) {
    part.hy.forEach((i, k) => (pairs[i] = result.pairs[k]));
    part.te.forEach((i, k) => (transfer[i] = result.transfer[k]));
  }
  const missing = (xs: unknown[]) => xs.findIndex((x) => x === undefined);
  if (missing(pairs) >= 0) throw new RangeError(`invalid parts: no HY evidence of pair ${missing(pairs)}`);
  const te = options.transfer ? transfer : [];
  if (missing(te) >= 0) throw new RangeError(`invalid parts: no TE evidence of pair ${missing(te)}`);
  return leadershipDecide(venues, pairs as PairLead<V>[], te as PairTransfer<V>[], options);
}
