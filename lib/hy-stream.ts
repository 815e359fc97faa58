/**
 * The Hayashi–Yoshida block sums of lib/hayashi-yoshida.ts fed in time order, batch by batch
 * (e.g. one day of trades at a time), so that a long period never has to be held as whole
 * arrays: only the ticks the sweep still needs (about max|θ| of each series around the current
 * time) and the (blocks × shifts) table are kept.
 *
 * - {@link TickStream} is `tickSeries` (drop non-finite prices, merge equal times keeping the
 *   last price, log prices, times relative to `origin`) on pushed batches. A tick becomes final
 *   once a later time has been pushed (or at `end()`); the realised variance
 *   RV = Σ_{i ≥ 1} (v_i − v_{i−1})² is summed as each tick becomes final, in the batch order.
 * - {@link HyBlockStream} is `hyBlockSums(x, y, shifts, blockMs, blocks)` on two tick streams:
 *
 *     out[b·S + k] = Σ_{i ≥ 1 : s_i in block b} ΔX_i · (Y_{j_hi} − Y_{j_lo − 1}),
 *
 *   j_lo..j_hi the Y intervals (t_{j−1}, t_j] overlapping (s_{i−1}, s_i] moved by the shift
 *   (Hayashi & Yoshida, Bernoulli 11 (2005) 359). X tick i is swept, for every shift, as soon as
 *   Y has a final tick at or after s_i + max θ (or Y has ended): then j_lo and j_hi are those of
 *   the whole series. Every cell receives its terms in increasing i, as in the batch sweep, so
 *   the table is equal value for value to `hyBlockSums` on the concatenated series, however the
 *   ticks were cut into batches.
 *
 * With `by` "y" the sums run over Y's intervals (`hyBlockSums(…, "y")`): Y tick j is swept, for
 * every shift, once X has a final tick at or after t_j − min δ (or X has ended); the X runs of
 * each shift are counted from a table of X's ranks on the whole-ms grid (a few steps past it for
 * fractions of a ms), built once per chunk of Y ticks for all shifts, so a shift costs the Y
 * ticks, not the X ticks: sweeping the sparser series of a pair touches min(n, m) ticks per
 * shift. Cells receive their terms in increasing j, as in the batch sums.
 *
 * Pure: no I/O; memory O(ticks within max|θ| of the sweep + blocks · shifts).
 */
import {bisectLeft} from "./bisect.js";
import {addRun, blockRow, type HySweep, type TickSeries} from "./hayashi-yoshida.js";

/** Growable Float64 buffer with a global index offset (ticks below `base` were released). */
class Buffer64 {
  data = new Float64Array(1024);
  n = 0;
  base = 0;
  push(x: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = x;
  }
  /** Drops the values of global index < `index` (compacting the buffer). */
  release(index: number): void {
    const drop = Math.min(this.n, index - this.base);
    if (drop <= 0) return;
    this.data.copyWithin(0, drop, this.n);
    this.n -= drop;
    this.base += drop;
  }
}

/**
 * `tickSeries` of lib/hayashi-yoshida.ts on batches pushed in time order (see the module
 * comment). Ticks are addressed by their global index (0 = the first tick of the series).
 */
export class TickStream {
  private readonly t = new Buffer64();
  private readonly v = new Buffer64();
  private lastRaw = -Infinity;
  /** The last price and its value (trades repeat prices: one logarithm per change). */
  private lastPrice = NaN;
  private lastValue = NaN;
  private rows = 0;
  private ended = false;
  /** Σ (v_i − v_{i−1})² over the final ticks. */
  variance = 0;

  constructor(
    readonly origin: number,
    private readonly log = true
  ) {}

  /**
   * Appends rows [from, to) of `time` (ms, ascending across batches) and `price`. RangeError for
   * a non-finite or decreasing time, or a non-positive price with `log`, naming the row (counted
   * over every row pushed).
   */
  push(time: ArrayLike<number>, price: ArrayLike<number>, from = 0, to = time.length): void {
    if (this.ended) throw new RangeError("invalid push: the tick stream has ended");
    for (let i = from; i < to; ++i, ++this.rows) {
      const ti = +time[i];
      if (!Number.isFinite(ti)) throw new RangeError(`invalid time[${this.rows}]: ${time[i]}`);
      if (ti < this.lastRaw) throw new RangeError(`invalid time[${this.rows}]: ${ti} (before ${this.lastRaw})`);
      this.lastRaw = ti;
      const p = +price[i];
      if (!Number.isFinite(p)) continue;
      if (this.log && !(p > 0)) throw new RangeError(`invalid price[${this.rows}]: ${p}`);
      let value = p;
      if (this.log) {
        if (p !== this.lastPrice) (this.lastPrice = p), (this.lastValue = Math.log(p));
        value = this.lastValue;
      }
      const rel = ti - this.origin;
      const n = this.t.n;
      if (n > 0 && this.t.data[n - 1] === rel) this.v.data[n - 1] = value;
      else {
        if (n > 0) this.settle(n - 1);
        this.t.push(rel);
        this.v.push(value);
      }
    }
  }

  /** No more rows: the last tick becomes final. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.t.n > 0) this.settle(this.t.n - 1);
  }

  /** Buffer slot `j` became final: its increment enters the variance. */
  private settle(j: number): void {
    if (j + this.t.base >= 1) {
      if (j < 1) throw new RangeError("invalid release: the tick before the last final one was dropped");
      this.variance += (this.v.data[j] - this.v.data[j - 1]) ** 2;
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }
  /** Number of final ticks (global). */
  get final(): number {
    const all = this.t.base + this.t.n;
    return this.ended || this.t.n === 0 ? all : all - 1;
  }
  /** Time (relative to `origin`) and value of global tick `g` (still buffered). */
  time(g: number): number {
    return this.t.data[g - this.t.base];
  }
  value(g: number): number {
    return this.v.data[g - this.t.base];
  }
  /** The buffers (slot j holds global tick base + j; valid below `buffered − base`). Read-only by contract. */
  get times(): Float64Array {
    return this.t.data;
  }
  get values(): Float64Array {
    return this.v.data;
  }
  /** Global index of the first buffered tick. */
  get base(): number {
    return this.t.base;
  }
  /** Global index one past the last buffered tick (final or not). */
  get buffered(): number {
    return this.t.base + this.t.n;
  }
  /** Time of the latest row pushed, relative to `origin` (−∞ before any): no later tick can be earlier. */
  get pushedUntil(): number {
    return this.lastRaw - this.origin;
  }
  /** Drops the ticks of global index < `index`, keeping at least the last final tick (its value is the next increment's base). */
  release(index: number): void {
    const keep = Math.min(index, this.final - 1);
    this.t.release(keep);
    this.v.release(keep);
  }
  /** The whole buffered series as a {@link TickSeries} (after `end()`, when nothing was released: the batch `tickSeries`). */
  series(): TickSeries {
    return {time: this.t.data.slice(0, this.t.n), value: this.v.data.slice(0, this.t.n), origin: this.origin, variance: this.variance};
  }
}

/** `hyBlockSums(x, y, shifts, blockMs, blocks)` on two {@link TickStream}s (see the module comment). */
export class HyBlockStream {
  /** The (blocks × shifts) table, row-major. */
  readonly out: Float64Array;
  private readonly S: number;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private started = false;
  /** Next X tick to sweep (global index; tick 0 only starts the pointers). */
  private next = 1;
  private readonly deltaMax: number;
  private readonly deltaMin: number;
  /** The shifts moved by the origins' difference, δ_k = θ_k + (X's origin − Y's origin), for the sweep over Y. */
  private readonly dks: Float64Array;
  /** The same as Int32 when every δ_k is a whole number of ms (of Int32 range), else null; and their largest magnitude. */
  private readonly dki: Int32Array | null;
  private readonly dkiMaxAbs: number;
  /** δ's whole-ms step when the δ_k are whole, evenly spaced and ascending (δ_k = δ_0 + k·step), else 0. */
  private readonly step: number;

  constructor(
    readonly x: TickStream,
    readonly y: TickStream,
    private readonly shifts: ArrayLike<number>,
    private readonly blockMs = Infinity,
    private readonly blocks = 1,
    readonly by: HySweep = "x"
  ) {
    if (!(blockMs > 0)) throw new RangeError(`invalid blockMs: ${blockMs}`);
    if (!(Number.isInteger(blocks) && blocks >= 1)) throw new RangeError(`invalid blocks: ${blocks}`);
    if (by !== "x" && by !== "y") throw new RangeError(`invalid by: ${by}`);
    this.S = shifts.length;
    this.out = new Float64Array(blocks * this.S);
    this.lo = new Int32Array(this.S);
    this.hi = new Int32Array(this.S);
    const d = x.origin - y.origin;
    let mx = -Infinity;
    let mn = Infinity;
    for (let k = 0; k < this.S; ++k) (mx = Math.max(mx, shifts[k] + d)), (mn = Math.min(mn, shifts[k] + d));
    this.deltaMax = mx;
    this.deltaMin = mn;
    this.dks = new Float64Array(this.S);
    for (let k = 0; k < this.S; ++k) this.dks[k] = shifts[k] + d;
    this.dki = this.dks.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 30) ? Int32Array.from(this.dks) : null;
    this.dkiMaxAbs = this.dki ? maxAbs(this.dki) : NaN;
    this.step = this.dki && this.S > 1 ? evenStep(this.dki) : 0;
  }

  /** Sweeps every X tick whose overlapping Y run is known; call after pushing (and after `end()` of both streams for the rest). */
  advance(): void {
    if (this.by === "y") return this.advanceY();
    const {x, y} = this;
    const nx = x.final;
    const ny = y.final;
    let stop = this.next;
    const yLast = ny > 0 ? y.time(ny - 1) : -Infinity;
    while (stop < nx && (y.isEnded || yLast >= x.time(stop) + this.deltaMax)) ++stop;
    if (stop === this.next) return;
    if (!this.started) {
      // X tick 0 exists (stop > 1); its pointers: hi = #{t < a}, lo = #{t ≤ a}, a = s_0 + δ.
      for (let k = 0; k < this.S; ++k) {
        const a = x.time(0) + this.shifts[k] + (x.origin - y.origin);
        let h = y.base;
        while (h < ny && y.time(h) < a) ++h;
        let l = h;
        while (l < ny && y.time(l) <= a) ++l;
        this.hi[k] = h;
        this.lo[k] = l;
      }
      this.started = true;
    }
    const {S, out, blocks, blockMs} = this;
    const last = ny - 1;
    const d = x.origin - y.origin;
    const xt = x.times;
    const xv = x.values;
    const xb = x.base;
    const yt = y.times;
    const yv = y.values;
    const yb = y.base;
    // Local (buffer) indices: ny, last, lo, hi shifted by Y's base; i by X's.
    const nyL = ny - yb;
    const lastL = last - yb;
    const one = 1 - yb;
    // Per X tick of the sweep, once for every shift: its increment and its block's row offset.
    const i0 = this.next - xb;
    const count = stop - this.next;
    const dx = new Float64Array(count);
    const bucket = new Int32Array(count);
    for (let q = 0; q < count; ++q) {
      const i = i0 + q;
      dx[q] = xv[i] - xv[i - 1];
      if (blocks > 1) bucket[q] = Math.min(blocks - 1, Math.max(0, Math.floor(xt[i] / blockMs))) * S;
    }
    if (this.rankable(i0, count, nyL, d)) this.sweepRanked(i0, count, dx, bucket, nyL, lastL, one, d);
    else
      for (let k = 0; k < S; ++k) {
        const delta = this.shifts[k] + d;
        let lo = this.lo[k] - yb;
        let hi = this.hi[k] - yb;
        // The cell being summed is held in `acc` while consecutive ticks fall in its sub-block:
        // the same additions in the same order as `out[cell] += …`, without a store and reload each.
        let cell = -1;
        let acc = 0;
        for (let q = 0; q < count; ++q) {
          const b = xt[i0 + q] + delta;
          while (hi < nyL && yt[hi] < b) ++hi;
          const jlo = lo > one ? lo : one;
          const jhi = hi < lastL ? hi : lastL;
          if (jlo <= jhi) {
            const c = bucket[q] + k;
            if (c !== cell) {
              if (cell >= 0) out[cell] = acc;
              cell = c;
              acc = out[c];
            }
            acc += dx[q] * (yv[jhi] - yv[jlo - 1]);
          }
          lo = hi;
          while (lo < nyL && yt[lo] <= b) ++lo;
        }
        if (cell >= 0) out[cell] = acc;
        this.lo[k] = lo + yb;
        this.hi[k] = hi + yb;
      }
    this.next = stop;
  }

  /**
   * Whether the sweep of X ticks [i0, i0 + count) (local) can read its pointers from a rank table
   * ({@link sweepRanked}): every X and Y time and every shift is a whole number of ms (trade times
   * in ms) and the ticks are dense enough (an X tick per ~S ms) for the table to cost less than the sweep.
   */
  private rankable(i0: number, count: number, nyL: number, d: number): boolean {
    if (count === 0 || nyL === 0) return false;
    const xt = this.x.times;
    const yt = this.y.times;
    const window = xt[i0 + count - 1] - xt[i0] + (this.deltaMax - this.deltaMin);
    if (!(window <= count * this.S)) return false;
    for (let k = 0; k < this.S; ++k) if (!Number.isInteger(this.shifts[k] + d)) return false;
    for (let q = i0 - 1; q < i0 + count; ++q) if (!Number.isInteger(xt[q])) return false;
    for (let j = 0; j < nyL; ++j) if (!Number.isInteger(yt[j])) return false;
    return true;
  }

  /**
   * The sweep of {@link advance} with the two pointers read from a rank table instead of walked:
   * with whole-ms times, #{j : t_j < b} = R[b] and #{j : t_j ≤ b} = R[b + 1] for
   * R[τ] = #{buffered final Y ticks with t < τ}, built once per chunk of X ticks for every shift.
   * The pointers are the walked ones (both are these counts), and every cell receives the same
   * terms in the same (increasing i) order, so the table is the same value for value; without
   * the walk's unpredictable branches it runs about twice as fast.
   */
  private sweepRanked(i0: number, count: number, dx: Float64Array, bucket: Int32Array, nyL: number, lastL: number, one: number, d: number): void {
    const {S, out, shifts} = this;
    const xt = this.x.times;
    const yt = this.y.times;
    const yv = this.y.values;
    const yb = this.y.base;
    const lo = new Int32Array(S);
    const hi = new Int32Array(S);
    for (let k = 0; k < S; ++k) (lo[k] = this.lo[k] - yb), (hi[k] = this.hi[k] - yb);
    const span = this.deltaMax - this.deltaMin;
    // Chunks of X ticks whose table spans at most about 2^20 ms.
    const CHUNK_MS = 1 << 20;
    for (let q0 = 0; q0 < count; ) {
      let q1 = q0 + 1;
      while (q1 < count && xt[i0 + q1] - xt[i0 + q0] + span < CHUNK_MS) ++q1;
      // R[τ − base] for τ in [xt_first + δmin, xt_last + δmax + 1].
      const base = xt[i0 + q0] + this.deltaMin;
      const size = xt[i0 + q1 - 1] + this.deltaMax + 2 - base;
      const R = rankTable(yt, nyL, base, size, 1);
      const xi = new Int32Array(q1 - q0);
      for (let q = q0; q < q1; ++q) xi[q - q0] = xt[i0 + q] - base;
      for (let k = 0; k < S; ++k) {
        const dk = shifts[k] + d;
        let l = lo[k];
        let h = hi[k];
        let cell = -1;
        let acc = 0;
        for (let q = q0; q < q1; ++q) {
          const e = xi[q - q0] + dk;
          h = R[e];
          const jlo = l > one ? l : one;
          const jhi = h < lastL ? h : lastL;
          if (jlo <= jhi) {
            const c = bucket[q] + k;
            if (c !== cell) {
              if (cell >= 0) out[cell] = acc;
              cell = c;
              acc = out[c];
            }
            acc += dx[q] * (yv[jhi] - yv[jlo - 1]);
          }
          l = R[e + 1];
        }
        if (cell >= 0) out[cell] = acc;
        lo[k] = l;
        hi[k] = h;
      }
      q0 = q1;
    }
    for (let k = 0; k < S; ++k) (this.lo[k] = lo[k] + yb), (this.hi[k] = hi[k] + yb);
  }

  /**
   * The sweep over Y (`by` "y"): every final Y tick j ≥ `next` with a final X tick at or after
   * t_j − min δ (or X ended), for every shift; each run's ends read from a rank table of X's
   * times (`rankTable`), one per chunk of Y ticks.
   */
  private advanceY(): void {
    const {x, y, S, out, blocks, blockMs, dks, dki} = this;
    const ny = y.final;
    const nx = x.final;
    let stop = this.next;
    const xLast = nx > 0 ? x.time(nx - 1) : -Infinity;
    while (stop < ny && (x.isEnded || xLast >= y.time(stop) - this.deltaMin)) ++stop;
    if (stop <= this.next) return;
    const xt = x.times;
    const xv = x.values;
    const xb = x.base;
    const yt = y.times;
    const yv = y.values;
    const yb = y.base;
    const nxL = nx - xb;
    const lastXL = nx - 1 - xb;
    const oneX = 1 - xb;
    // Each final X tick's block row, for the runs' cuts.
    const bucket = new Int32Array(Math.max(0, nxL));
    if (blocks > 1) for (let i = 0; i < nxL; ++i) bucket[i] = blockRow(xt[i], blockMs, blocks, S);
    const span = this.deltaMax - this.deltaMin;
    // Chunks of Y ticks whose rank table (4 bytes a ms) stays within the core's cache.
    const CHUNK_MS = 1 << 16;
    for (let j0 = this.next - yb; j0 < stop - yb; ) {
      // Y ticks [j0, j1) (local): X times in [t_{j0−1} − δmax, t_{j1−1} − δmin] are looked up.
      let j1 = j0 + 1;
      while (j1 < stop - yb && yt[j1] - yt[j0 - 1] + span < CHUNK_MS) ++j1;
      const base = Math.floor(yt[j0 - 1] - this.deltaMax);
      const size = Math.floor(yt[j1 - 1] - this.deltaMin) + 2 - base;
      // R[c] = #{final buffered X ticks with s < base + c·2^lg} (local), on cells of 2^lg ms: one ms
      // where the Y ticks are dense enough for the table to cost no more than the sweep, wider where not.
      const count = j1 - j0;
      // (A table cell costs a sequential store, a sweep step two lookups and a walk: one ms a cell
      // unless the table would have more than 8 cells per step of the sweep.)
      let lg = 0;
      while (size / 2 ** lg > 8 * count * S && lg < 30) ++lg;
      const cells = Math.floor((size - 1) / 2 ** lg) + 2;
      const R = rankTable(xt, nxL, base, cells, 2 ** lg);
      // With whole-ms X times in the window and one cell a ms, #{s ≤ a} = R[⌊a⌋ + 1] and #{s < b} = R[⌈b⌉].
      let whole = lg === 0;
      for (let i = R[0], e = R[cells - 1]; whole && i < e; ++i) whole = Number.isInteger(xt[i]);
      if (whole) {
        const shiftExact = dki !== null && exactShifts(yt[j0 - 1], yt[j1 - 1], this.dkiMaxAbs);
        for (let j = j0; j < j1; ++j) this.sweepWhole(j, R, 1, R, base, shiftExact, bucket, lastXL, oneX);
      } else if (lg === 0 && dki && this.wholeY(j0, j1)) {
        // Sub-ms X times, whole-ms Y times and shifts: a and b are whole, #{s ≤ a} = Le[a] and #{s < b} = R[b].
        const Le = rankTableLe(xt, nxL, base, cells);
        for (let j = j0; j < j1; ++j) this.sweepWhole(j, Le, 0, R, base, true, bucket, lastXL, oneX);
      } else {
        for (let j = j0; j < j1; ++j) {
          const dy = yv[j] - yv[j - 1];
          for (let k = 0; k < S; ++k) {
            const a = yt[j - 1] - dks[k];
            const b = yt[j] - dks[k];
            // lo = #{s ≤ a}, hi = #{s < b} among the final X ticks (local), searched within their cells
            // (a − base ≥ 0, so truncation is the floor); one cell a ms holds a tick or two: walked.
            const ca = ((a - base) | 0) >> lg;
            const cb = ((b - base) | 0) >> lg;
            let lo = R[ca];
            let hi = R[cb];
            if (lg === 0) {
              for (const e = R[ca + 1]; lo < e && xt[lo] <= a; ) ++lo;
              for (const e = R[cb + 1]; hi < e && xt[hi] < b; ) ++hi;
            } else {
              lo = firstAbove(xt, a, lo, R[ca + 1]);
              hi = bisectLeft(xt, b, hi, R[cb + 1]);
            }
            const ilo = lo > oneX ? lo : oneX;
            const ihi = hi < lastXL ? hi : lastXL;
            if (ilo > ihi) continue;
            const c = bucket[ilo];
            if (bucket[ihi] === c) out[c + k] += dy * (xv[ihi] - xv[ilo - 1]);
            else addRun(out, k, bucket, xv, ilo, ihi, dy);
          }
        }
      }
      j0 = j1;
    }
    this.next = stop;
  }

  /** Whether Y's times t_{j0−1} … t_{j1−1} (local) are all whole ms. */
  private wholeY(j0: number, j1: number): boolean {
    const yt = this.y.times;
    for (let j = j0 - 1; j < j1; ++j) if (!Number.isInteger(yt[j])) return false;
    return true;
  }

  /**
   * Y tick j (local) of {@link advanceY} for every shift, from one-ms rank tables: #{s ≤ a} =
   * RA[⌊a⌋ + offA − base] (RA = R, offA = 1 when X's times in the window are whole ms; RA the
   * table of #{s ≤ τ}, offA = 0, when a is whole) and #{s < b} = R[⌈b⌉ − base].
   */
  private sweepWhole(j: number, RA: Int32Array, offA: number, R: Int32Array, base: number, exact: boolean, bucket: Int32Array, lastXL: number, oneX: number): void {
    const {S, out, dks, dki} = this;
    const xv = this.x.values;
    const yt = this.y.times;
    const yv = this.y.values;
    const dy = yv[j] - yv[j - 1];
    const ya = yt[j - 1];
    const yz = yt[j];
    if (dki && (exact || (Number.isInteger(ya) && Number.isInteger(yz)))) {
      // Whole-ms shifts and t − δ exact (whole ms throughout, or `exact`: every t − δ of the chunk, `exactShifts`): ⌊t − δ⌋ = ⌊t⌋ − δ and ⌈t − δ⌉ = ⌈t⌉ − δ, in integer arithmetic.
      const ra = Math.floor(ya) + offA - base;
      const rz = Math.ceil(yz) - base;
      const step = this.step;
      if (step !== 0) {
        // Evenly spaced shifts, and every run of the tick within one block (the bucket of the lowest
        // run start equals that of the highest run end; buckets do not decrease): the same terms, in
        // the same order, with the cell row fixed and the table indices stepped.
        const loMin = RA[ra - dki[S - 1]];
        const hiMax = R[rz - dki[0]];
        const c = bucket[clampRank(loMin, oneX, lastXL)];
        if (bucket[clampRank(hiMax, oneX, lastXL)] === c) {
          let pa = ra - dki[0];
          let pz = rz - dki[0];
          if (loMin >= oneX && hiMax <= lastXL) {
            // No run reaches past either end of the final X ticks (the lowest start and the highest
            // end are inside): the clamps are the identity for every shift.
            for (let k = 0; k < S; ++k, pa -= step, pz -= step) {
              const lo = RA[pa];
              const hi = R[pz];
              if (lo <= hi) out[c + k] += dy * (xv[hi] - xv[lo - 1]);
            }
            return;
          }
          for (let k = 0; k < S; ++k, pa -= step, pz -= step) {
            const lo = RA[pa];
            const hi = R[pz];
            const ilo = lo > oneX ? lo : oneX;
            const ihi = hi < lastXL ? hi : lastXL;
            if (ilo <= ihi) out[c + k] += dy * (xv[ihi] - xv[ilo - 1]);
          }
          return;
        }
      }
      for (let k = 0; k < S; ++k) {
        const lo = RA[ra - dki[k]];
        const hi = R[rz - dki[k]];
        const ilo = lo > oneX ? lo : oneX;
        const ihi = hi < lastXL ? hi : lastXL;
        if (ilo > ihi) continue;
        const c = bucket[ilo];
        if (bucket[ihi] === c) out[c + k] += dy * (xv[ihi] - xv[ilo - 1]);
        else addRun(out, k, bucket, xv, ilo, ihi, dy);
      }
      return;
    }
    for (let k = 0; k < S; ++k) {
      const lo = R[Math.floor(ya - dks[k]) + 1 - base];
      const hi = R[Math.ceil(yz - dks[k]) - base];
      const ilo = lo > oneX ? lo : oneX;
      const ihi = hi < lastXL ? hi : lastXL;
      if (ilo > ihi) continue;
      const c = bucket[ilo];
      if (bucket[ihi] === c) out[c + k] += dy * (xv[ihi] - xv[ilo - 1]);
      else addRun(out, k, bucket, xv, ilo, ihi, dy);
    }
  }

  /** Lowest global X tick the sweep still needs. */
  get needX(): number {
    if (this.by === "y") {
      // X_{lo − 1} of the next Y tick's earliest run: lo = #{s ≤ t_{next−1} − δmax}.
      const {x, y} = this;
      const ty = y.buffered > this.next - 1 ? y.time(this.next - 1) : y.pushedUntil;
      if (!(ty > -Infinity)) return x.base;
      const a = ty - this.deltaMax;
      const times = x.times;
      let lo = bisectLeft(times, Math.floor(a), 0, x.buffered - x.base);
      while (lo < x.buffered - x.base && times[lo] <= a) ++lo;
      return Math.max(x.base, x.base + lo - 1);
    }
    return this.next - 1;
  }

  /** Lowest global Y tick the sweep still needs: Y_{j_lo − 1} of the pointers, or, before X's first tick, the last Y tick at or before any first-tick shift. */
  get needY(): number {
    if (this.by === "y") return Math.max(this.y.base, this.next - 1);
    const {x, y} = this;
    if (this.started) {
      let m = Infinity;
      for (let k = 0; k < this.S; ++k) m = Math.min(m, this.lo[k]);
      return Math.max(0, m - 1);
    }
    // Not started: s_0 ≥ the first X tick's time, or ≥ the latest X row pushed when X has none yet.
    const floor = x.buffered > 0 ? x.time(0) : x.pushedUntil;
    if (!(floor > -Infinity)) return y.base;
    const a = floor + this.deltaMin;
    let g = y.base;
    const ny = y.final;
    while (g < ny && y.time(g) < a) ++g;
    return Math.max(y.base, g - 1);
  }
}

/** max |δ| over the whole-ms shifts `dki`. */
function maxAbs(dki: Int32Array): number {
  let m = 0;
  for (let k = 0; k < dki.length; ++k) m = Math.max(m, Math.abs(dki[k]));
  return m;
}

/**
 * Whether t − δ is exact in double precision for every t in [first, last] (ascending) and every
 * whole δ with |δ| ≤ `maxShift`: true when every such t lies in one binade [p/2, p) (or its
 * negative), p ≤ 2^53, with |t| + maxShift < p — then t and δ are multiples of ulp(p/2) and so is
 * t − δ, of magnitude below p, hence representable. (Near a power of two or zero: false, and the
 * caller rounds t − δ as computed.)
 */
function exactShifts(first: number, last: number, maxShift: number): boolean {
  if (!(Number.isFinite(first) && Number.isFinite(last))) return false;
  if (first < 0 && last > 0) return false;
  const lo = Math.min(Math.abs(first), Math.abs(last));
  const hi = Math.max(Math.abs(first), Math.abs(last));
  if (!(lo >= 1)) return false;
  let p = 2;
  while (p <= lo) p *= 2;
  return p <= 2 ** 53 && hi + maxShift < p;
}

/** `r` clamped to [lo, hi]. */
function clampRank(r: number, lo: number, hi: number): number {
  return r < lo ? lo : r > hi ? hi : r;
}

/** The step of `d` when d_k = d_0 + k·step for every k with step > 0, else 0. */
function evenStep(d: Int32Array): number {
  const step = d[1] - d[0];
  if (!(step > 0)) return 0;
  for (let k = 2; k < d.length; ++k) if (d[k] - d[k - 1] !== step) return 0;
  return step;
}

/**
 * R[c] = #{i < n : s_i < base + c·cell} for c in [0, cells) over the ascending times `s`. Filled
 * tick by tick: tick i is the count of the cells from the last one filled up to the last edge
 * base + c·cell at or below s_i (the ticks before it are below those edges), a run written at
 * once; the table usually has many cells a tick, so this costs the ticks rather than the cells.
 * The edges are exact (whole numbers); the estimate ⌊(s_i − base)/cell⌋ is checked against them.
 */
function rankTable(s: Float64Array, n: number, base: number, cells: number, cell: number): Int32Array {
  const R = new Int32Array(cells);
  let c = 0;
  let i = bisectLeft(s, base, 0, n);
  for (; i < n && c < cells; ++i) {
    const t = s[i];
    let e = Math.min(cells, Math.max(c, Math.floor((t - base) / cell) + 1));
    while (e < cells && base + e * cell <= t) ++e;
    while (e > c && base + (e - 1) * cell > t) --e;
    if (e > c) R.fill(i, c, e), (c = e);
  }
  if (c < cells) R.fill(i, c);
  return R;
}

/** L[c] = #{i < n : s_i ≤ base + c} for c in [0, cells) over the ascending times `s`, filled as {@link rankTable} fills its table. */
function rankTableLe(s: Float64Array, n: number, base: number, cells: number): Int32Array {
  const L = new Int32Array(cells);
  let c = 0;
  let i = bisectLeft(s, base, 0, n);
  for (; i < n && c < cells; ++i) {
    const t = s[i];
    // The cells whose edge base + c lies below s_i.
    let e = Math.min(cells, Math.max(c, Math.ceil(t - base)));
    while (e < cells && base + e < t) ++e;
    while (e > c && base + (e - 1) >= t) --e;
    if (e > c) L.fill(i, c, e), (c = e);
  }
  if (c < cells) L.fill(i, c);
  return L;
}

/** The first index i in [lo, hi) with s_i > x, or hi (`s` ascending). */
function firstAbove(s: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (s[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * One round of sweeps over several pairs of tick streams: advances each sweep of `sweeps` (a pair's
 * series keys `a`, `b` and its {@link HyBlockStream}) and then releases from each series' stream
 * (`ticks(key)`) the ticks that none of the sweeps reading it needs any more (the lowest of their
 * `needX` / `needY`).
 */
export function advanceSweeps<V>(sweeps: Iterable<{a: V; b: V; hy: HyBlockStream}>, ticks: (key: V) => TickStream): void {
  const need = new Map<V, number>();
  const lower = (v: V, g: number) => need.set(v, Math.min(need.get(v) ?? Infinity, g));
  for (const {a, b, hy} of sweeps) {
    hy.advance();
    lower(a, hy.needX);
    lower(b, hy.needY);
  }
  for (const [v, g] of need) ticks(v).release(g);
}
