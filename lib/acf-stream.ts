/**
 * The sample autocorrelation of a sequence fed in pieces, in two passes with memory bounded by
 * the lag count: value for value equal to `acf` (lib/acf.ts) on the whole sequence, however it
 * is cut. The caller feeds the sequence twice: `observe` (the count and the mean) and, after
 * `begin`, `push` (the lagged products).
 *
 *   ρ(k) = c(k) / c(0),   c(k) = (1/n) Σ_{t=0}^{n−1−k} (x_t − x̄)(x_{t+k} − x̄),
 *
 * The mean is the same Neumaier-compensated sum as `acf`'s, c(0) the same ordered sum, and the
 * lagged sums the same overlap-add blocks as `lagProducts` (lib/fft.ts; Press et al., Numerical
 * Recipes, 3rd ed., §13.2): blocks of M − maxLag samples, each transformed with the maxLag samples
 * after it, which is why the length must be known before the second pass (M depends on it).
 * Up to `ACF_DIRECT_MAX_LAG` lags the sums are taken directly, term by term in the same order.
 * Memory: the transform buffers (O(M), M ≈ 8·maxLag) and, for direct sums, the last maxLag values.
 */
import {ACF_DIRECT_MAX_LAG} from "./acf.js";
import {accumulateLagBlock, fft, lagBlockSize} from "./fft.js";

export class AcfStream {
  readonly maxLag: number;
  /** Values seen by `observe`, then by `push`. */
  private n = 0;
  private pushed = 0;
  private sum = 0;
  private comp = 0;
  private mean = NaN;
  private c0 = 0;
  private started = false;
  // Overlap-add state: buf holds samples s … s + filled − 1 of the sequence.
  private M = 0;
  private buf = new Float64Array(0);
  private filled = 0;
  private zr = new Float64Array(0);
  private zi = new Float64Array(0);
  private sr = new Float64Array(0);
  private si = new Float64Array(0);
  // Direct sums: the lag sums and the last maxLag centred values (ring).
  private direct = new Float64Array(0);
  private ring = new Float64Array(0);

  /** RangeError if maxLag is not a non-negative integer. */
  constructor(maxLag: number) {
    if (!Number.isInteger(maxLag) || maxLag < 0) throw new RangeError(`invalid maxLag: ${maxLag}`);
    this.maxLag = maxLag;
  }

  /** Number of values observed in the first pass. */
  get length(): number {
    return this.n;
  }

  /** First pass: one more value (RangeError if not finite, naming its index). */
  observe(value: number): void {
    if (this.started) throw new Error("observe after begin");
    const v = +value;
    if (!Number.isFinite(v)) throw new RangeError(`invalid x[${this.n}]: ${value}`);
    const t = this.sum + v;
    this.comp += Math.abs(this.sum) >= Math.abs(v) ? this.sum - t + v : v - t + this.sum;
    this.sum = t;
    ++this.n;
  }

  /** Ends the first pass: RangeError if nothing was observed or maxLag > n − 1. */
  begin(): void {
    const n = this.n;
    const L = this.maxLag;
    if (n === 0) throw new RangeError("invalid x: empty");
    if (L > n - 1) throw new RangeError(`invalid maxLag: ${L}`);
    this.mean = (this.sum + this.comp) / n;
    this.started = true;
    if (L === 0) return;
    if (L <= ACF_DIRECT_MAX_LAG) {
      this.direct = new Float64Array(L + 1);
      this.ring = new Float64Array(L);
      return;
    }
    const M = (this.M = lagBlockSize(n, L));
    this.buf = new Float64Array(M);
    this.zr = new Float64Array(M);
    this.zi = new Float64Array(M);
    this.sr = new Float64Array(M);
    this.si = new Float64Array(M);
  }

  /** Second pass: the next value, in the order observed (Error past the observed length). */
  push(value: number): void {
    if (!this.started) throw new Error("push before begin");
    const j = this.pushed;
    if (j >= this.n) throw new Error(`push past the observed length ${this.n}`);
    ++this.pushed;
    const x = +value;
    const d = x - this.mean;
    this.c0 += d * d;
    const L = this.maxLag;
    if (L === 0) return;
    if (L <= ACF_DIRECT_MAX_LAG) {
      for (let k = 1; k <= L && k <= j; ++k) this.direct[k] += this.ring[(j - k) % L] * d;
      this.ring[j % L] = d;
      return;
    }
    this.buf[this.filled++] = x;
    if (this.filled === this.M) this.block();
  }

  /** One overlap-add block at the head of the buffer, then drop its a-part. */
  private block(): void {
    const M = this.M;
    const B = M - this.maxLag;
    const aEnd = Math.min(B, this.filled);
    const bEnd = Math.min(M, this.filled);
    for (let t = 0; t < aEnd; ++t) this.zr[t] = this.buf[t] - this.mean;
    this.zr.fill(0, aEnd);
    for (let t = 0; t < bEnd; ++t) this.zi[t] = this.buf[t] - this.mean;
    this.zi.fill(0, bEnd);
    accumulateLagBlock(this.zr, this.zi, this.sr, this.si);
    this.buf.copyWithin(0, Math.min(B, this.filled), this.filled);
    this.filled = Math.max(0, this.filled - B);
  }

  /** ρ(0 … maxLag), equal to `acf(x, maxLag)`; Error unless every observed value was pushed. NaN at every lag for a constant series. */
  result(): Float64Array {
    if (!this.started || this.pushed !== this.n) throw new Error(`pushed ${this.pushed} of ${this.n} values`);
    const L = this.maxLag;
    const rho = new Float64Array(L + 1);
    const c0 = this.c0;
    if (!(c0 > 0)) return rho.fill(NaN);
    rho[0] = 1;
    if (L === 0) return rho;
    if (L <= ACF_DIRECT_MAX_LAG) {
      for (let k = 1; k <= L; ++k) rho[k] = this.direct[k] / c0;
      return rho;
    }
    while (this.filled > 0) this.block();
    fft(this.sr, this.si, true);
    for (let k = 1; k <= L; ++k) rho[k] = this.sr[k] / c0;
    return rho;
  }
}
