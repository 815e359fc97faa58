/**
 * A venue's aggregates binned day by day, while each (venue, day) is cleaned, and put together in
 * day order: the same bins, flow columns, overview and minute counts as binning the venue's
 * trades in one pass (`aggregateVenue` in derived.ts reads the partitions back to do that).
 *
 * A day's bins depend only on its own trades except for `last`, the last price carried forward:
 * before the day's first trade it is the previous days' last price, which the day cannot know.
 * {@link DayAggregator} bins a day with nothing carried in (NaN there), and {@link VenueAssembler}
 * fills those leading bins with the last price of the days before when it takes the days in
 * order. That is exact: after a day's first trade every `last` is a price of that day. The days
 * must start on the bin grid of every width ({@link dayAligned}); the bins files keep their
 * record batches of `chunkBins` bins from the span's start, so they are the one-pass files byte
 * for byte.
 */
import type {Venue} from "../config.ts";
import type {TradeBatch} from "../trades.ts";
import type {ArrowStreamWriter, TypedColumn} from "../arrow.ts";
import {allocBins, BIN_FIELDS, BinAccumulator, binCount, concatBins, type BinColumns} from "./bins.ts";
import {netFlow, tradeCount} from "./flow.ts";
import {OverviewAccumulator} from "./overview.ts";

const MINUTE_MS = 60_000;

/** What a day is binned for: the span [t0, t1), the day's part of it [from, to), the bin widths and the flow matrix's width (its bins become flow columns when it is one of the widths). */
export interface DayAggregateOptions {
  span: [number, number];
  day: [number, number];
  widthsMs: readonly number[];
  flowWidthMs: number;
}

/** One day of a venue, binned: its first bin on each width's grid, the bins of the file widths, the flow columns and the trades per minute. */
export interface DayAggregate {
  rows: number;
  /** The day's last trade price (NaN without a trade): the price its successor's leading bins carry. */
  lastPrice: number;
  /** Bins of each width but the flow's, in `widthsMs` order. */
  bins: {widthMs: number; offset: number; columns: BinColumns}[];
  /** Net and total trade counts (Int16, clipped) and last price (Float32) of the flow width's bins; null when it is not a width. */
  flow: {offset: number; net: Int16Array; count: Int16Array; last: Float32Array; clipped: number} | null;
  /** Trades per minute of the span from minute `minuteOffset`. */
  minuteOffset: number;
  minutes: Float64Array;
}

/** Whether every day [max(t0, day start), …) of `days` (epoch ms of their starts) starts on the bin grid of every width. */
export function dayAligned(span: [number, number], dayStarts: readonly number[], widthsMs: readonly number[]): boolean {
  return dayStarts.every((d) => widthsMs.every((w) => (Math.max(span[0], d) - span[0]) % w === 0));
}

/** Bins one day's cleaned trades, fed in time order (see the module comment). */
export class DayAggregator {
  private readonly options: DayAggregateOptions;
  private accs!: BinAccumulator[];
  private chunks!: BinColumns[][];
  private flow!: DayAggregate["flow"];
  private flowAt = 0;
  private minutes!: Float64Array;
  private readonly minuteOffset: number;
  private rows = 0;

  constructor(options: DayAggregateOptions) {
    const {span, day, widthsMs} = options;
    if (!(day[0] >= span[0] && day[1] <= span[1] && day[1] > day[0])) throw new RangeError(`invalid day: ${day[0]}..${day[1]} (span ${span[0]}..${span[1]})`);
    if (!dayAligned(span, [day[0]], widthsMs)) throw new RangeError(`invalid day: ${day[0]} is not on the bin grid of ${widthsMs.join(", ")} ms`);
    this.options = options;
    this.minuteOffset = Math.floor((day[0] - span[0]) / MINUTE_MS);
    this.reset();
  }

  /** Forgets every trade added (a day read again from the start). */
  reset(): void {
    const {day, widthsMs, flowWidthMs} = this.options;
    this.rows = 0;
    this.flowAt = 0;
    this.minutes = new Float64Array(Math.floor((day[1] - 1 - this.options.span[0]) / MINUTE_MS) - this.minuteOffset + 1);
    this.flow = null;
    if (widthsMs.includes(flowWidthMs)) {
      const n = binCount(day[0], day[1], flowWidthMs);
      this.flow = {offset: (day[0] - this.options.span[0]) / flowWidthMs, net: new Int16Array(n), count: new Int16Array(n), last: new Float32Array(n), clipped: 0};
    }
    this.chunks = widthsMs.map(() => []);
    this.accs = widthsMs.map(
      (w, k) =>
        new BinAccumulator({t0: day[0], t1: day[1], widthMs: w}, (c) => {
          if (w !== flowWidthMs) return void this.chunks[k].push(c);
          const f = this.flow!;
          f.clipped += netFlow(c.n_buy, c.n_sell, f.net, this.flowAt);
          f.clipped += tradeCount(c.n_buy, c.n_sell, f.count, this.flowAt);
          f.last.set(c.last, this.flowAt);
          this.flowAt += c.length;
        })
    );
  }

  /** Adds a batch of the day's trades (time-sorted, continuing the previous ones). */
  add(batch: TradeBatch): void {
    for (const a of this.accs) a.add(batch);
    const t0 = this.options.span[0];
    const off = this.minuteOffset;
    const {time} = batch;
    for (let i = 0; i < batch.length; ++i) ++this.minutes[Math.floor((time[i] - t0) / MINUTE_MS) - off];
    this.rows += batch.length;
  }

  /** The day's aggregates (the accumulators emit their last bins). */
  finish(): DayAggregate {
    const {span, day, widthsMs, flowWidthMs} = this.options;
    for (const a of this.accs) a.finish();
    const bins = widthsMs.flatMap((w, k) => (w === flowWidthMs ? [] : [{widthMs: w, offset: (day[0] - span[0]) / w, columns: this.chunks[k].length === 1 ? this.chunks[k][0] : concatBins(this.chunks[k])}]));
    // Every accumulator carries the same last trade price (NaN in: the day's own, if any).
    return {rows: this.rows, lastPrice: this.accs[0]?.last ?? NaN, bins, flow: this.flow, minuteOffset: this.minuteOffset, minutes: this.minutes};
  }
}

/** The buffers of a day's aggregates (to hand them to another thread without a copy). */
export function dayAggregateBuffers(d: DayAggregate): ArrayBuffer[] {
  const out: ArrayBuffer[] = [d.minutes.buffer as ArrayBuffer];
  for (const b of d.bins) for (const f of BIN_FIELDS) out.push((b.columns[f] as Float64Array).buffer as ArrayBuffer);
  if (d.flow) out.push(d.flow.net.buffer as ArrayBuffer, d.flow.count.buffer as ArrayBuffer, d.flow.last.buffer as ArrayBuffer);
  return out;
}

/** Sets `last` from index 0 up to its first value that is not NaN to `carried` (the leading bins of a day binned with nothing carried in). */
export function carryLast(last: Float64Array | Float32Array, carried: number): void {
  for (let i = 0; i < last.length && last[i] !== last[i]; ++i) last[i] = carried;
}

/** What aggregating one venue leaves for the build-wide files (its own files are on disk). */
export interface VenueAggregates {
  venue: Venue;
  /** Trades written to the venue's Parquet partitions. */
  rows: number;
  /** Net signed count and trade count per 100 ms bin, and the last price, over the span. */
  flowNet: Int16Array;
  flowCount: Int16Array;
  flowLast: Float32Array;
  flowClipped: number;
  /** Last price every `stepMs` of the overview. */
  overview: Float64Array;
  /** Trades per minute of the span. */
  minutes: Float64Array;
}

/**
 * Puts a venue's days together, in day order: carries the last price into each day's leading
 * bins, writes the bins of each file width to its writer in record batches of `chunkBins` bins
 * from the span's start, and fills the flow columns, the overview (from the 1 s bins) and the
 * trades per minute.
 */
export class VenueAssembler {
  private rows = 0;
  /** The last trade price of the days taken so far (NaN before the first trade). */
  private carried = NaN;
  private readonly pending: (BinColumns | null)[];
  private readonly pendingAt: number[];
  private readonly nBins: number[];
  private readonly emitted: number[];
  private readonly nFlow: number;
  /** The flow columns, allocated with the first day (a venue's days arrive while others are cleaned). */
  private flowNet: Int16Array | null = null;
  private flowCount: Int16Array | null = null;
  private flowLast: Float32Array | null = null;
  private flowClipped = 0;
  private readonly overview: OverviewAccumulator;
  private readonly minutes: Float64Array;
  private readonly overviewWidth: number;

  constructor(
    readonly venue: Venue,
    span: [number, number],
    widthsMs: readonly number[],
    flowWidthMs: number,
    private readonly writers: readonly (ArrowStreamWriter | null)[],
    overview: {stepMs: number; widthMs: number},
    private readonly chunkBins: number
  ) {
    const [t0, t1] = span;
    const files = widthsMs.filter((w) => w !== flowWidthMs);
    if (writers.length !== files.length) throw new RangeError(`invalid writers: ${writers.length} for ${files.length} bin widths`);
    this.pending = files.map(() => null);
    this.pendingAt = files.map(() => 0);
    this.nBins = files.map((w) => binCount(t0, t1, w));
    this.emitted = files.map(() => 0);
    this.nFlow = binCount(t0, t1, flowWidthMs);
    this.overview = new OverviewAccumulator({t0, t1, stepMs: overview.stepMs, widthMs: overview.widthMs});
    this.overviewWidth = overview.widthMs;
    this.minutes = new Float64Array(Math.ceil((t1 - t0) / MINUTE_MS));
  }
  /** The flow columns (all bins empty, no price) until the days fill them. */
  private flowColumns(): {net: Int16Array; count: Int16Array; last: Float32Array} {
    this.flowNet ??= new Int16Array(this.nFlow);
    this.flowCount ??= new Int16Array(this.nFlow);
    this.flowLast ??= new Float32Array(this.nFlow).fill(NaN);
    return {net: this.flowNet, count: this.flowCount, last: this.flowLast};
  }

  /** Takes the next day (days in order, each once). */
  add(d: DayAggregate): void {
    this.rows += d.rows;
    for (let i = 0; i < d.minutes.length; ++i) this.minutes[d.minuteOffset + i] += d.minutes[i];
    d.bins.forEach((b, k) => {
      carryLast(b.columns.last, this.carried);
      if (b.widthMs === this.overviewWidth) this.overview.add(b.columns);
      this.write(k, b.columns, b.offset);
    });
    if (d.flow) {
      carryLast(d.flow.last, this.carried);
      const {net, count, last} = this.flowColumns();
      net.set(d.flow.net, d.flow.offset);
      count.set(d.flow.count, d.flow.offset);
      last.set(d.flow.last, d.flow.offset);
      this.flowClipped += d.flow.clipped;
    }
    if (d.lastPrice === d.lastPrice) this.carried = d.lastPrice;
  }

  /** Copies a day's bins into the record batches of width k, writing each full batch. */
  private write(k: number, c: BinColumns, offset: number): void {
    if (offset !== this.emitted[k] + this.pendingAt[k]) throw new RangeError(`invalid day: its bins start at ${offset}, ${this.emitted[k] + this.pendingAt[k]} expected (days out of order)`);
    for (let i = 0; i < c.length; ) {
      let p = this.pending[k];
      if (!p) p = this.pending[k] = allocBins(Math.min(this.chunkBins, this.nBins[k] - this.emitted[k]));
      const take = Math.min(c.length - i, p.length - this.pendingAt[k]);
      for (const f of BIN_FIELDS) (p[f] as Float64Array).set((c[f] as Float64Array).subarray(i, i + take), this.pendingAt[k]);
      this.pendingAt[k] += take;
      i += take;
      if (this.pendingAt[k] === p.length) {
        this.writers[k]?.write(p as unknown as Record<string, TypedColumn>, p.length);
        this.emitted[k] += p.length;
        this.pending[k] = null;
        this.pendingAt[k] = 0;
      }
    }
  }

  /** Every day taken: the venue's aggregates. RangeError when a width's bins do not reach the span's end. */
  finish(): VenueAggregates {
    this.nBins.forEach((n, k) => {
      if (this.emitted[k] !== n) throw new RangeError(`invalid days: ${this.emitted[k]} of ${n} bins of ${this.venue} written`);
    });
    const {net, count, last} = this.flowColumns();
    return {
      venue: this.venue,
      rows: this.rows,
      flowNet: net,
      flowCount: count,
      flowLast: last,
      flowClipped: this.flowClipped,
      overview: this.overview.price,
      minutes: this.minutes
    };
  }
}
