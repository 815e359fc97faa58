/**
 * Pearson correlation and lagged cross-correlation of binned series (lead-lag between venues).
 */
import {lagProductsTwoSided} from "./fft.js";
import {studentTQuantile} from "./student-t.js";

/**
 * Pearson correlation of the pairs (x_t, y_t) where both are finite:
 *
 *   r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²),
 *
 * with the means over the pairs used; dimensionless, in [−1, 1]. NaN if fewer than two pairs
 * or a constant variable. RangeError if the lengths differ. Two passes around the means.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonCount(x, y).r;
}

/** Pearson correlation and the number of finite pairs it used. */
export function pearsonCount(x: ArrayLike<number>, y: ArrayLike<number>): {r: number; n: number} {
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (Number.isFinite(a) && Number.isFinite(b)) (sx += a), (sy += b), ++n;
  }
  if (n < 2) return {r: NaN, n};
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (!(Number.isFinite(a) && Number.isFinite(b))) continue;
    const dx = a - mx;
    const dy = b - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return {r: sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : NaN, n};
}

/**
 * Fisher z confidence interval for a Pearson correlation r from n pairs:
 * tanh(atanh r ± z_{(1+level)/2}/√(n − 3)) (Fisher, Metron 1 (1921) 3). Assumes i.i.d.
 * bivariate normal pairs; heavy tails and serial dependence make it too narrow. [NaN, NaN] if
 * n ≤ 3 or r is NaN. RangeError if level is not in (0, 1).
 */
export function fisherInterval(r: number, n: number, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  if (!(n > 3) || Number.isNaN(r)) return [NaN, NaN];
  const z = Math.atanh(Math.max(-1, Math.min(1, r)));
  const h = studentTQuantile(0.5 + level / 2, Infinity) / Math.sqrt(n - 3);
  return [Math.tanh(z - h), Math.tanh(z + h)];
}

/** A lagged cross-correlation function. */
export interface CrossCorrelation {
  /** Lags −maxLag..maxLag in bins; positive ℓ correlates x_t with y_{t+ℓ} (x leads y). */
  lags: Int32Array;
  /** r(ℓ), dimensionless. */
  r: Float64Array;
  /** The lag of the largest r (ties: the smallest |ℓ|, then the negative one). */
  peakLag: number;
  /** r at the peak lag. */
  peak: number;
  /** Number of finite values of x (min with y), the n of the band. */
  n: number;
  /** Approximate 95% band ±1.96/√n for r(ℓ) of independent series, one of them white. */
  band: number;
}

/**
 * Lagged cross-correlation of two equally binned series (e.g. 100 ms returns of two venues):
 *
 *   r(ℓ) = Σ_t x̃_t · ỹ_{t+ℓ} / √(Σ_t x̃_t² · Σ_t ỹ_t²),  ℓ = −maxLag … maxLag,
 *
 * with x̃ = x − x̄ and ỹ = y − ȳ (means over finite values) and missing values (NaN) set to
 * x̃ = 0, i.e. replaced by the mean. Sign convention: a peak at positive ℓ means x moves first
 * and y follows ℓ bins later — **x leads y**. The normalisation is the biased one of `acf`
 * (every lag divided by the full sums), which shrinks large lags slightly towards 0. Computed by
 * FFT, both signs of the lag in one pass (`lagProductsTwoSided`), O(n log maxLag). The band
 * ±1.96/√n is Bartlett's large-sample bound for independent series when one of them is white
 * (Box, Jenkins & Reinsel, Time Series Analysis, 4th ed., §11.1.3); returns are close to white,
 * but use surrogates (e.g. circular shifts) for a proper test.
 *
 * RangeError if the lengths differ, maxLag is not an integer in [0, n − 1], or a value is
 * infinite. NaN everywhere if either series is constant.
 */
export function crossCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, maxLag: number): CrossCorrelation {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`invalid y length: ${y.length} (x has ${n})`);
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag > n - 1) throw new RangeError(`invalid maxLag: ${maxLag}`);
  const xc = centred(x, "x");
  const yc = centred(y, "y");
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; ++i) (sxx += xc.v[i] * xc.v[i]), (syy += yc.v[i] * yc.v[i]);
  const norm = Math.sqrt(sxx * syy);
  const products = lagProductsTwoSided(xc.v, yc.v, maxLag);
  const lags = new Int32Array(2 * maxLag + 1);
  const r = new Float64Array(2 * maxLag + 1);
  for (let l = -maxLag; l <= maxLag; ++l) {
    lags[l + maxLag] = l;
    r[l + maxLag] = norm > 0 ? products[l + maxLag] / norm : NaN;
  }
  let peakLag = NaN;
  let peak = -Infinity;
  for (let d = 0; d <= maxLag; ++d) {
    for (const l of d === 0 ? [0] : [-d, d]) {
      const v = r[l + maxLag];
      if (v > peak) (peak = v), (peakLag = l);
    }
  }
  if (!(norm > 0)) peak = NaN;
  const m = Math.min(xc.n, yc.n);
  return {lags, r, peakLag, peak, n: m, band: 1.96 / Math.sqrt(m)};
}

/**
 * Sub-step position of a peak: the vertex of the parabola through (−1, r[i−1]), (0, r[i]),
 * (1, r[i+1]),
 *
 *   δ = ½ (r[i−1] − r[i+1]) / (r[i−1] − 2 r[i] + r[i+1]),  clipped to [−½, ½],
 *
 * in units of the index step (add it to the peak's lag). 0 at either end of `r`, or where the
 * three points are not concave (no interior maximum). A standard refinement of a discrete
 * correlation peak (e.g. for time-delay estimation; Jacovitti & Scarano, IEEE Trans. Signal
 * Process. 41 (1993) 525).
 */
export function parabolicOffset(r: ArrayLike<number>, i: number): number {
  if (i <= 0 || i >= r.length - 1) return 0;
  const a = r[i - 1];
  const b = r[i];
  const c = r[i + 1];
  const d = a - 2 * b + c;
  if (!(d < 0)) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / d));
}

function centred(x: ArrayLike<number>, name: string): {v: Float64Array; n: number} {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; ++i) {
    const v = +x[i];
    if (v === Infinity || v === -Infinity) throw new RangeError(`invalid ${name}[${i}]: ${v}`);
    if (!Number.isNaN(v)) (s += v), ++n;
  }
  const m = n ? s / n : 0;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; ++i) {
    const v = +x[i];
    out[i] = Number.isNaN(v) ? 0 : v - m;
  }
  return {v: out, n};
}
