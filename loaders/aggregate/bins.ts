/**
 * Fixed time bins of trades, streamed in chunks: memory grows with the bins of one chunk,
 * not with the trades.
 *
 * Bin i of width w covers [t0 + i·w, t0 + (i+1)·w) ms, for i = 0 … ⌈(t1 − t0) / w⌉ − 1 (the last
 * bin may be cut by t1). Per bin: the number and volume (BTC) of buyer- and seller-initiated
 * trades (side +1 / −1; side 0 counts in neither but in the prices), open / high / low / close
 * (first, max, min and last price in time order; NaN in an empty bin), the volume-weighted
 * average price VWAP = Σ pᵢqᵢ / Σ qᵢ (NaN in an empty bin) and `last`, the last trade price at
 * or before the bin's end carried forward across empty bins (NaN before the first trade).
 */
import type {TradeBatch} from "../trades.ts";

import type {BinColumns} from "../../lib/analysis/market.js";

export type {BinColumns};

/** The bin columns, in file order. */
export const BIN_FIELDS = ["t", "n_buy", "n_sell", "v_buy", "v_sell", "open", "high", "low", "close", "vwap", "last"] as const;

export interface BinOptions {
  /** Span start, epoch ms: bin 0 starts here. */
  t0: number;
  /** Span end (exclusive), epoch ms. */
  t1: number;
  /** Bin width, ms (a positive integer). */
  widthMs: number;
  /** Bins per emitted chunk (default 65536). */
  chunkBins?: number;
  /** Price carried into the first bins before the first trade (e.g. from the previous day); default NaN. */
  last?: number;
}

/** Number of bins of width `widthMs` covering [t0, t1). */
export function binCount(t0: number, t1: number, widthMs: number): number {
  if (!(Number.isInteger(widthMs) && widthMs > 0)) throw new RangeError(`invalid widthMs: ${widthMs}`);
  if (!(t1 > t0)) throw new RangeError(`invalid span: ${t0}..${t1}`);
  return Math.ceil((t1 - t0) / widthMs);
}

/** Allocates `n` empty bins: zero counts and volumes, NaN prices (`t`, `vwap` and `last` to be filled). */
export function allocBins(n: number): BinColumns {
  return {
    length: n,
    t: new Float64Array(n),
    n_buy: new Int32Array(n),
    n_sell: new Int32Array(n),
    v_buy: new Float64Array(n),
    v_sell: new Float64Array(n),
    open: new Float64Array(n).fill(NaN),
    high: new Float64Array(n).fill(NaN),
    low: new Float64Array(n).fill(NaN),
    close: new Float64Array(n).fill(NaN),
    vwap: new Float64Array(n),
    last: new Float64Array(n)
  };
}

/**
 * Streaming accumulator of fixed bins. `add` time-sorted batches (a trade earlier than an
 * already emitted chunk throws a RangeError; trades outside [t0, t1) are ignored and counted
 * in `ignored`); each completed chunk of `chunkBins` bins (all of them, empty ones included,
 * in order) is handed to `sink`, which owns the arrays. `finish` emits the rest up to t1.
 */
export class BinAccumulator {
  readonly t0: number;
  readonly t1: number;
  readonly widthMs: number;
  readonly nBins: number;
  readonly chunkBins: number;
  /** Trades outside [t0, t1). */
  ignored = 0;
  private readonly sink: (chunk: BinColumns) => void;
  private c0 = 0;
  private cur: BinColumns;
  /** Σ p·q per bin of the current chunk. */
  private pq: Float64Array;
  /** Volume of unsigned (side 0) trades per bin of the current chunk. */
  private v0: Float64Array;
  private carried: number;
  private finished = false;

  constructor(options: BinOptions, sink: (chunk: BinColumns) => void) {
    const {t0, t1, widthMs, chunkBins = 65536, last = NaN} = options;
    this.nBins = binCount(t0, t1, widthMs);
    if (!(Number.isInteger(chunkBins) && chunkBins > 0)) throw new RangeError(`invalid chunkBins: ${chunkBins}`);
    this.t0 = t0;
    this.t1 = t1;
    this.widthMs = widthMs;
    this.chunkBins = chunkBins;
    this.sink = sink;
    this.carried = last;
    this.cur = this.newChunk();
    this.pq = new Float64Array(this.cur.length);
    this.v0 = new Float64Array(this.cur.length);
  }

  /** The last price carried forward so far (after `finish`: the span's last trade price). */
  get last(): number {
    return this.carried;
  }

  private newChunk(): BinColumns {
    const n = Math.min(this.chunkBins, this.nBins - this.c0);
    const c = allocBins(n);
    for (let i = 0; i < n; ++i) c.t[i] = this.t0 + (this.c0 + i) * this.widthMs;
    return c;
  }

  /** Completes the current chunk (VWAP, carried last price), emits it and starts the next. */
  private flush() {
    const c = this.cur, pq = this.pq, v0 = this.v0;
    let last = this.carried;
    for (let i = 0; i < c.length; ++i) {
      const vol = c.v_buy[i] + c.v_sell[i] + v0[i];
      c.vwap[i] = vol > 0 ? pq[i] / vol : NaN;
      if (c.close[i] === c.close[i]) last = c.close[i];
      c.last[i] = last;
    }
    this.carried = last;
    this.sink(c);
    this.c0 += c.length;
    if (this.c0 < this.nBins) {
      this.cur = this.newChunk();
      if (this.pq.length !== this.cur.length) (this.pq = new Float64Array(this.cur.length)), (this.v0 = new Float64Array(this.cur.length));
      else this.pq.fill(0), this.v0.fill(0);
    }
  }

  /** Adds the trades of one batch (time-sorted, continuing the previous ones). */
  add(batch: TradeBatch): void {
    if (this.finished) throw new Error("BinAccumulator: add after finish");
    const {time, price, qty, side} = batch;
    const n = batch.length;
    const t0 = this.t0, t1 = this.t1, w = this.widthMs;
    let c = this.cur, pq = this.pq, v0 = this.v0, c0 = this.c0, len = c.length;
    for (let i = 0; i < n; ++i) {
      const t = time[i];
      if (!(t >= t0 && t < t1)) {
        ++this.ignored;
        continue;
      }
      let b = Math.floor((t - t0) / w) - c0;
      if (b < 0) throw new RangeError(`trades not time-sorted: ${t} falls in an emitted chunk`);
      while (b >= len) {
        this.flush();
        (c = this.cur), (pq = this.pq), (v0 = this.v0), (c0 = this.c0), (len = c.length);
        b = Math.floor((t - t0) / w) - c0;
      }
      const p = price[i], q = qty[i], s = side[i];
      if (s > 0) ++c.n_buy[b], (c.v_buy[b] += q);
      else if (s < 0) ++c.n_sell[b], (c.v_sell[b] += q);
      else v0[b] += q;
      pq[b] += p * q;
      if (c.open[b] !== c.open[b]) (c.open[b] = p), (c.high[b] = p), (c.low[b] = p);
      else {
        if (p > c.high[b]) c.high[b] = p;
        if (p < c.low[b]) c.low[b] = p;
      }
      c.close[b] = p;
    }
  }

  /** Emits every remaining bin up to t1. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    while (this.c0 < this.nBins) this.flush();
  }
}

/** Bins a whole trade sequence at once (the convenience form of {@link BinAccumulator}). */
export function binTrades(batches: TradeBatch | Iterable<TradeBatch>, options: BinOptions): BinColumns {
  const chunks: BinColumns[] = [];
  const acc = new BinAccumulator(options, (c) => chunks.push(c));
  for (const b of Symbol.iterator in batches ? (batches as Iterable<TradeBatch>) : [batches as TradeBatch]) acc.add(b);
  acc.finish();
  return concatBins(chunks);
}

/** Concatenates bin chunks into one set of columns. */
export function concatBins(chunks: BinColumns[]): BinColumns {
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const out = allocBins(n);
  let o = 0;
  for (const c of chunks) {
    for (const f of BIN_FIELDS) (out[f] as Float64Array).set(c[f] as Float64Array, o);
    o += c.length;
  }
  return out;
}
