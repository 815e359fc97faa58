/**
 * Fast Fourier transform: an iterative radix-2 Cooley–Tukey transform of complex data held in
 * two Float64Arrays (real and imaginary parts), in place, with cached twiddle and bit-reversal
 * tables per size.
 */

interface Plan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}

const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  const half = n >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; ++k) {
    const a = (2 * Math.PI * k) / n;
    cos[k] = Math.cos(a);
    sin[k] = Math.sin(a);
  }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 1; i < n; ++i) rev[i] = (rev[i >> 1] >> 1) | ((i & 1) << (bits - 1));
  p = {n, cos, sin, rev};
  if (plans.size > 16) plans.clear();
  plans.set(n, p);
  return p;
}

/** True if `n` is a positive integer power of two. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/** The smallest power of two ≥ `n` (1 for n ≤ 1). RangeError if `n` is not finite or above 2³⁰. */
export function nextPowerOfTwo(n: number): number {
  if (!(n <= 2 ** 30)) throw new RangeError(`invalid n: ${n}`);
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

/**
 * Discrete Fourier transform of the complex sequence `re + i·im`, in place:
 *
 *   X[k] = Σ_{t=0}^{n−1} x[t] · exp(∓2πi·k·t/n),
 *
 * with the minus sign for the forward transform and the plus sign for the inverse, which is
 * also divided by n so that `fft(…, true)` undoes `fft(…)`. Dimensionless; O(n log n) time,
 * no allocation beyond the cached tables for each size.
 *
 * The length must be a power of two (1 included) and both arrays the same length, otherwise a
 * RangeError. Iterative radix-2 decimation in time (Cooley & Tukey, Math. Comp. 19 (1965) 297;
 * Press et al., Numerical Recipes, 3rd ed., §12.2).
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (!isPowerOfTwo(n)) throw new RangeError(`invalid length: ${n} (not a power of two)`);
  if (im.length !== n) throw new RangeError(`invalid im length: ${im.length} (re has ${n})`);
  if (n === 1) return;
  const {cos, sin, rev} = plan(n);
  for (let i = 0; i < n; ++i) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, w = 0; k < half; ++k, w += step) {
        const wr = cos[w];
        const wi = sign * sin[w];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse) {
    const s = 1 / n;
    for (let i = 0; i < n; ++i) (re[i] *= s), (im[i] *= s);
  }
}

/**
 * The transform length M of {@link lagProducts} for sequences of length n (the longer one) and
 * `maxLag` lags: about 8·(maxLag + 1), a power of two of at least 1024, and no longer than the
 * padded sequence needs. The blocks of a hold M − maxLag samples.
 */
export function lagBlockSize(n: number, maxLag: number): number {
  return Math.min(nextPowerOfTwo(Math.max(1024, 8 * (maxLag + 1))), nextPowerOfTwo(n + maxLag));
}

/**
 * One overlap-add block of {@link lagProducts}: `zr` holds the shifted a-block (zero-padded),
 * `zi` the shifted b-stretch under it (zero-padded), both of the transform length M; both are
 * transformed together (overwritten), separated by conjugate symmetry, A = (Z[f] + conj Z[M−f])/2,
 * B = (Z[f] − conj Z[M−f])/2i, and conj(A)·B is added to (sr, si). An inverse transform of the
 * sums after the last block gives every lag.
 */
export function accumulateLagBlock(zr: Float64Array, zi: Float64Array, sr: Float64Array, si: Float64Array): void {
  const M = zr.length;
  fft(zr, zi);
  for (let f = 0; f < M; ++f) {
    const g = (M - f) & (M - 1);
    const aRe = 0.5 * (zr[f] + zr[g]);
    const aIm = 0.5 * (zi[f] - zi[g]);
    const bRe = 0.5 * (zi[f] + zi[g]);
    const bIm = 0.5 * (zr[g] - zr[f]);
    sr[f] += aRe * bRe + aIm * bIm;
    si[f] += aRe * bIm - aIm * bRe;
  }
}

/**
 * Lagged products of two real sequences, by FFT:
 *
 *   S[k] = Σ_{t} (a_t − shiftA)(b_{t+k} − shiftB),  k = 0..maxLag,
 *
 * summed over every t with t < a.length and t + k < b.length (no wrap-around, no
 * normalisation). With a = b and both shifts equal to the mean this is n·c(k), the biased
 * autocovariance times n; with a ≠ b it is the cross-covariance with b lagging a by k.
 *
 * Overlap-add blocks: a is cut into blocks of B = M − maxLag samples with M ≈ 8·maxLag a power
 * of two; each block and the stretch of b under it (B + maxLag samples) are packed into one
 * complex sequence, transformed once, separated by conjugate symmetry, and conj(A)·B is
 * accumulated; one inverse transform at the end gives every lag (Press et al., Numerical
 * Recipes, 3rd ed., §13.2). O((na + nb) log M) time, O(M) memory, no copy of the inputs; the
 * rounding error is about 1e-15 of √(Σa²·Σb²).
 *
 * Values are used as given (the caller rejects or replaces NaN). RangeError if maxLag is not a
 * non-negative integer.
 */
export function lagProducts(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  maxLag: number,
  shiftA = 0,
  shiftB = 0
): Float64Array {
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new RangeError(`invalid maxLag: ${maxLag}`);
  return laggedProducts(a, b, 0, maxLag, shiftA, shiftB);
}

/**
 * Lagged products of two real sequences at every lag from −maxLag to maxLag, by FFT:
 *
 *   S[ℓ + maxLag] = Σ_{t} (a_t − shiftA)(b_{t+ℓ} − shiftB),  ℓ = −maxLag..maxLag,
 *
 * summed over every t with t < a.length and 0 ≤ t + ℓ < b.length: S[maxLag + k] is
 * `lagProducts(a, b, maxLag)[k]` and S[maxLag − k] is `lagProducts(b, a, maxLag)[k]`, equal up to
 * rounding, in one pass instead of two. Each block of a (M − 2·maxLag samples) is packed with
 * the stretch of b from maxLag samples before it to maxLag after it, so the one transform of the
 * block gives the lags of both signs (M from {@link lagBlockSize} for 2·maxLag lags); one inverse
 * transform at the end. O((na + nb) log M) time, O(M) memory.
 */
export function lagProductsTwoSided(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  maxLag: number,
  shiftA = 0,
  shiftB = 0
): Float64Array {
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new RangeError(`invalid maxLag: ${maxLag}`);
  return laggedProducts(a, b, maxLag, maxLag, shiftA, shiftB);
}

/**
 * S[before + ℓ] = Σ_t (a_t − shiftA)(b_{t+ℓ} − shiftB) for ℓ = −before … after, by overlap-add:
 * M = {@link lagBlockSize} for before + after lags, blocks of a of B = M − before − after
 * samples, each packed with the stretch of b from `before` samples ahead of it to `after` past
 * it (zero outside b) and accumulated by {@link accumulateLagBlock}; one inverse transform at the
 * end. {@link lagProducts} is before = 0, {@link lagProductsTwoSided} before = after.
 */
function laggedProducts(a: ArrayLike<number>, b: ArrayLike<number>, before: number, after: number, shiftA: number, shiftB: number): Float64Array {
  const na = a.length;
  const nb = b.length;
  const lags = before + after;
  const out = new Float64Array(lags + 1);
  if (na === 0 || nb === 0) return out;
  const M = lagBlockSize(Math.max(na, nb), lags);
  const B = M - lags;
  const zr = new Float64Array(M);
  const zi = new Float64Array(M);
  const sr = new Float64Array(M);
  const si = new Float64Array(M);
  for (let s = 0; s < na && s - before < nb; s += B) {
    const aEnd = Math.min(B, na - s);
    for (let t = 0; t < aEnd; ++t) zr[t] = a[s + t] - shiftA;
    zr.fill(0, aEnd);
    // zi[t] = b[s − before + t] where that index is in b, else 0.
    const b0 = s - before;
    const from = Math.max(0, -b0);
    const to = Math.min(B + lags, nb - b0);
    zi.fill(0, 0, from);
    for (let t = from; t < to; ++t) zi[t] = b[b0 + t] - shiftB;
    zi.fill(0, Math.max(from, to));
    accumulateLagBlock(zr, zi, sr, si);
  }
  fft(sr, si, true);
  for (let k = 0; k <= lags; ++k) out[k] = sr[k];
  return out;
}
