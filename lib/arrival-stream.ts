/**
 * Chapter 02's arrival statistics fed one piece of a venue's trade times at a time (a
 * (venue, day) partition, in time order), in one pass with memory bounded by the number of hours
 * of the span, not by the number of trades:
 *
 *   - the trades N of [start, end) and their counts per hour of the day, from which `arrivalRate`
 *     (λ = N/T, SE √N/T) and `hourlyArrivalRate` (lib/arrival-rate.ts, `hourlyRates`) follow;
 *   - for each Fano window w, the counts of the current `blockMs` block's windows; a block is
 *     closed when a later time arrives (or at the end), its Fano factor F = s²/m̄ taken by
 *     `fanoOfCounts`, and the median over blocks taken at the end (`fanoFactor`).
 *
 * The blocks, windows and counts are those of the whole-column functions, filled with the same
 * increments, so the results are equal value for value however the times were cut. Hawkes,
 * Biometrika 58 (1971) 83; Cox & Lewis, The Statistical Analysis of Series of Events (1966).
 */
import {fanoOfCounts, hourlyRates, hourOfDay, rateOf, type ArrivalRate, type HourlyArrivalRate} from "./arrival-rate.js";
import {median} from "./moments.js";

const HOUR = 3_600_000;

/** The blocks of `fanoFactor` over [start, end), filled as the times arrive. */
class FanoBlocks {
  private h: number;
  private e = NaN;
  private lim = NaN;
  private counts: Float64Array | null = null;
  private readonly per: number[] = [];

  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly windowMs: number,
    private readonly blockMs: number
  ) {
    this.h = start;
    this.open();
  }

  /** Starts the block at `h`: its end, whole windows (none below 10) and their limit. */
  private open(): void {
    if (!(this.h < this.end)) return;
    this.e = Math.min(this.end, this.h + this.blockMs);
    const m = Math.floor((this.e - this.h) / this.windowMs);
    this.lim = this.h + m * this.windowMs;
    this.counts = m < 10 ? null : new Float64Array(m);
  }

  private close(): void {
    if (this.counts) {
      const f = fanoOfCounts(this.counts);
      if (f !== null) this.per.push(f);
    }
    this.h += this.blockMs;
    this.open();
  }

  /** Counts the times `time[0, length)` (ascending, after every time observed before) into their blocks' windows. */
  observe(time: ArrayLike<number>, length: number): void {
    const {start, end, windowMs} = this;
    let {h, e, lim, counts} = this;
    for (let i = 0; i < length; ++i) {
      const t = time[i];
      if (t < start) continue;
      if (t >= e) {
        while (this.h < end && t >= this.e) this.close();
        ({h, e, lim, counts} = this);
        // The times ascend: every later one is past the last block too.
        if (!(h < end)) return;
      }
      if (counts && t < lim) ++counts[Math.floor((t - h) / windowMs)];
    }
  }

  /** The median of the blocks' Fano factors (NaN if none qualifies). */
  result(): number {
    while (this.h < this.end) this.close();
    return median(this.per);
  }
}

/** What {@link ArrivalStream} gives: `arrivalRate`, `hourlyArrivalRate` and one `fanoFactor` per window, of [start, end). */
export interface ArrivalSums {
  overall: ArrivalRate;
  hourly: HourlyArrivalRate;
  /** The Fano factor of each of the stream's `windowsMs`, in order. */
  fano: number[];
}

/** The arrival statistics of [start, end) on trade times pushed in pieces (see the module comment). */
export class ArrivalStream {
  /** Rows pushed. */
  rows = 0;
  private count = 0;
  private last = -Infinity;
  /** The hour of the day of the latest counted time, and the end of its clock hour (epoch ms). */
  private hour = 0;
  private hourEnd = -Infinity;
  private readonly hourCount = new Float64Array(24);
  private readonly hourOf = hourOfDay(0);
  private readonly fanos: FanoBlocks[];
  private done = false;

  /** `start`, `end` epoch ms (start < end); `windowsMs` the Fano windows; `blockMs` the Fano blocks (default one hour). */
  constructor(
    private readonly start: number,
    private readonly end: number,
    windowsMs: readonly number[],
    blockMs = HOUR
  ) {
    if (!(start < end)) throw new RangeError(`invalid window: [${start}, ${end})`);
    if (!(blockMs > 0)) throw new RangeError(`invalid blockMs: ${blockMs}`);
    for (const w of windowsMs) if (!(w > 0)) throw new RangeError(`invalid windowMs: ${w}`);
    this.fanos = windowsMs.map((w) => new FanoBlocks(start, end, w, blockMs));
  }

  /** The next piece of trade times (ms, ascending across pieces), the first `length` entries (default all). RangeError for a non-finite or decreasing time, naming its row over every row pushed. */
  push(time: ArrayLike<number>, length = time.length): void {
    if (this.done) throw new Error("push after result");
    if (time.length < length) throw new RangeError(`invalid length: ${length} (time has ${time.length})`);
    const {start, end, hourCount, hourOf} = this;
    // The rows are checked and counted first (the hour of the day looked up once an hour: the
    // times ascend), then each Fano window's blocks take the whole piece.
    let {last, count, hour, hourEnd} = this;
    for (let i = 0; i < length; ++i) {
      const t = time[i];
      if (!Number.isFinite(t)) throw new RangeError(`invalid time[${this.rows + i}]: ${t}`);
      if (t < last) throw new RangeError(`invalid time[${this.rows + i}]: ${t} (before the previous row's ${last})`);
      last = t;
      if (t >= start && t < end) {
        ++count;
        if (t >= hourEnd) (hour = hourOf(t)), (hourEnd = (Math.floor(t / HOUR) + 1) * HOUR);
        hourCount[hour] += 1;
      }
    }
    (this.last = last), (this.count = count), (this.hour = hour), (this.hourEnd = hourEnd);
    this.rows += length;
    for (const f of this.fanos) f.observe(time, length);
  }

  /** After the last piece: the statistics of every row pushed. */
  result(): ArrivalSums {
    this.done = true;
    return {overall: rateOf(this.count, (this.end - this.start) / 1000), hourly: hourlyRates(Float64Array.from(this.hourCount), this.start, this.end), fano: this.fanos.map((f) => f.result())};
  }
}
