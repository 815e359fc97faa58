/**
 * Chapter 02's order-sign autocorrelation fed one piece of a venue's trades at a time (a
 * (venue, day) partition, in time order), in three passes over the same pieces, with memory
 * bounded by the lag count and the number of demeaning windows, not by the span:
 *
 *   1. the taker orders (prints of one known side at one timestamp merged, `takerOrders`; the
 *      last order is carried across piece boundaries) and each `signDemeanMs` window's sign sum
 *      and count, in order;
 *   2. the demeaned signs x = s − (window mean) and, per time block of the span, their count and
 *      mean (an `AcfStream` first pass);
 *   3. per block with more than 4·signMaxLag orders, the lagged products (`AcfStream`) and
 *      Σ(x − x̄)².
 *
 * Passes 2 and 3 need only each order's sign, window and block: pass 1 keeps those (a bit per
 * order and runs of equal (window, block)), and `replay()` runs both from them instead of the
 * pieces being fed again. `signRow` (lib/analysis/ch02.ts) is the whole-span columns fed as one
 * piece; the result is the same value for value however the trades are cut, replayed or fed. Lillo & Farmer, SNDE 8 (2004) 1; Tóth et al.,
 * J. Econ. Dyn. Control 51 (2015) 218.
 */
import {OrderRun} from "../taker-orders.js";
import {AcfStream} from "../acf-stream.js";

/** What the sign row is computed from, per time block: the ACF of the block's demeaned signs and the block's Σ(x − x̄)² and length. */
export interface SignBlock {
  rho: Float64Array;
  c0: number;
  n: number;
}

export interface OrderSignSums {
  /** Taker orders, prints with a known side, buy orders. */
  orders: number;
  prints: number;
  buys: number;
  /** The blocks with more than 4·maxLag orders, in time order. */
  blocks: SignBlock[];
}

export class OrderSignStream {
  /** The pass being fed: 1, 2 or 3 (then done). */
  pass = 1;
  private readonly t0: number;
  private readonly edges: number[];
  private readonly L: number;
  private readonly demeanMs: number;
  // Taker-order grouping, reset each pass.
  private readonly run = new OrderRun();
  private orders = 0;
  private prints = 0;
  private buys = 0;
  // Pass 1: window → [sum, count] (windows in time order); then their means.
  private windows = new Map<number, [number, number]>();
  private means = new Map<number, number>();
  /** The window of the last order and its [sum, count] (pass 1) or mean (passes 2–3). */
  private meanWindow = NaN;
  private window: [number, number] = [0, 0];
  private windowMean = NaN;
  // Pass 2: per block, the count and plain sum of x, and the ACF streams.
  private count: number[];
  private plain: number[];
  private streams: (AcfStream | null)[];
  private blockMean: number[] = [];
  private c0: number[];
  // Pass 1's record for replay(): each order's sign (a bit, 1 for a buy) and runs of orders in the same (window, block).
  private signBits = new Uint8Array(1 << 16);
  private runWindow: number[] = [];
  private runBlock: number[] = [];
  private runOrders: number[] = [];

  /** `span` [start, end) epoch ms; `blocks` time blocks of equal length; signs demeaned per `demeanMs` window from the span start. */
  constructor(span: [number, number], {maxLag, demeanMs, blocks}: {maxLag: number; demeanMs: number; blocks: number}) {
    const [t0, t1] = span;
    this.t0 = t0;
    this.L = maxLag;
    this.demeanMs = demeanMs;
    this.edges = Array.from({length: blocks + 1}, (_, k) => t0 + ((t1 - t0) * k) / blocks);
    this.count = new Array(blocks).fill(0);
    this.plain = new Array(blocks).fill(0);
    this.c0 = new Array(blocks).fill(0);
    this.streams = this.count.map(() => new AcfStream(maxLag));
  }

  /** The block of an order at `t` (−1 outside every block): edges[k] ≤ t < edges[k + 1]. */
  private blockOf(t: number): number {
    const e = this.edges;
    if (!(t >= e[0]) || !(t < e[e.length - 1])) return -1;
    let k = 0;
    while (t >= e[k + 1]) ++k;
    return k;
  }

  /** The next piece of trades (time ascending, side +1/−1/0), the first `length` entries, to the current pass. */
  push(time: ArrayLike<number>, side: ArrayLike<number>, length = time.length): void {
    if (this.pass > 3) throw new Error("push after the third pass");
    if (side.length < length || time.length < length) throw new RangeError(`invalid length: ${length} (time ${time.length}, side ${side.length})`);
    for (let i = 0; i < length; ++i) {
      const s = side[i];
      if (s === 0) continue;
      if (this.pass === 1) ++this.prints;
      const t = time[i];
      if (!this.run.starts(t, s)) continue;
      this.order(t, s);
    }
  }

  private order(t: number, s: number): void {
    const w = Math.floor((t - this.t0) / this.demeanMs);
    if (this.pass === 1) {
      this.record(w, this.blockOf(t), s);
      ++this.orders;
      if (s > 0) ++this.buys;
      if (w !== this.meanWindow) {
        this.meanWindow = w;
        this.window = [0, 0];
        this.windows.set(w, this.window);
      }
      // The window's running sum starts at 0 and adds each sign in order, as the batch demeaning does.
      (this.window[0] += s), ++this.window[1];
      return;
    }
    this.feed(w, this.blockOf(t), s);
  }

  /** Pass 1: keeps the sign of order number `this.orders` and extends the run of its (window, block). */
  private record(w: number, k: number, s: number): void {
    const o = this.orders;
    if (o >>> 3 >= this.signBits.length) {
      const grown = new Uint8Array(this.signBits.length * 2);
      grown.set(this.signBits);
      this.signBits = grown;
    }
    if (s > 0) this.signBits[o >>> 3] |= 1 << (o & 7);
    const last = this.runOrders.length - 1;
    if (last >= 0 && this.runWindow[last] === w && this.runBlock[last] === k) ++this.runOrders[last];
    else this.runWindow.push(w), this.runBlock.push(k), this.runOrders.push(1);
  }

  /** Passes 2 and 3: one order of sign `s` in window `w` and block `k` (−1: outside every block). */
  private feed(w: number, k: number, s: number): void {
    if (k < 0) return;
    if (w !== this.meanWindow) (this.meanWindow = w), (this.windowMean = this.means.get(w)!);
    const x = s - this.windowMean;
    if (this.pass === 2) {
      ++this.count[k];
      this.plain[k] += x;
      this.streams[k]!.observe(x);
    } else if (this.streams[k]) {
      this.c0[k] += (x - this.blockMean[k]) ** 2;
      this.streams[k]!.push(x);
    }
  }

  /** Ends the current pass: the next feeds the same pieces again from the start. */
  next(): void {
    if (this.pass === 1) for (const [w, [sum, n]] of this.windows) this.means.set(w, sum / n);
    if (this.pass === 2) {
      this.streams = this.streams.map((s, k) => (this.count[k] > 4 * this.L ? s : null));
      this.blockMean = this.count.map((n, k) => this.plain[k] / n);
      for (const s of this.streams) s?.begin();
    }
    ++this.pass;
    this.meanWindow = NaN;
    this.run.reset();
  }

  /**
   * Passes 2 and 3 from what pass 1 kept — every taker order's sign (one bit) and the runs of
   * orders in the same (demeaning window, block) — instead of the pieces fed twice more: the same
   * sums, order for order. Call after pass 1's `next()`; ends the third pass.
   */
  replay(): void {
    if (this.pass !== 2) throw new Error(`replay after pass 1 only (pass ${this.pass})`);
    for (const pass of [2, 3]) {
      for (let r = 0, o = 0; r < this.runOrders.length; ++r) {
        const w = this.runWindow[r];
        const k = this.runBlock[r];
        for (const end = o + this.runOrders[r]; o < end; ++o) this.feed(w, k, (this.signBits[o >>> 3] >>> (o & 7)) & 1 ? 1 : -1);
      }
      if (this.pass !== pass) throw new Error(`replay: pass ${this.pass}, expected ${pass}`);
      this.next();
    }
  }

  /** After the third pass: the counts and the blocks' ACFs. */
  result(): OrderSignSums {
    if (this.pass !== 4) throw new Error(`result before the end of the third pass (pass ${this.pass})`);
    const blocks: SignBlock[] = [];
    this.streams.forEach((s, k) => {
      if (s) blocks.push({rho: s.result(), c0: this.c0[k], n: this.count[k]});
    });
    return {orders: this.orders, prints: this.prints, buys: this.buys, blocks};
  }
}
