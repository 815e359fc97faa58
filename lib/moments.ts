/**
 * Distribution summaries of a sample: moments (mean, variance, skewness, excess kurtosis with
 * small-sample corrections) and quantiles.
 */

/** Sample moments of the finite values of a sample. */
export interface Moments {
  /** Number of finite values used. */
  n: number;
  mean: number;
  /** Unbiased variance Σ(x − x̄)²/(n − 1). */
  variance: number;
  /** √variance. */
  sd: number;
  /** Adjusted Fisher–Pearson skewness G₁ = g₁·√(n(n − 1))/(n − 2). */
  skewness: number;
  /** Adjusted excess kurtosis G₂ = ((n + 1)·g₂ + 6)·(n − 1)/((n − 2)(n − 3)); 0 for a normal sample. */
  excessKurtosis: number;
  /** Standard error of G₂ under normality, √(24n(n − 1)²/((n − 3)(n − 2)(n + 3)(n + 5))). */
  excessKurtosisSE: number;
}

/**
 * Mean, unbiased variance, adjusted skewness G₁ and adjusted excess kurtosis G₂ of the finite
 * values of `x` (non-finite values are skipped):
 *
 *   m_r = (1/n) Σ(x − x̄)^r,  g₁ = m₃/m₂^{3/2},  g₂ = m₄/m₂² − 3,
 *   G₁ = g₁·√(n(n − 1))/(n − 2),  G₂ = ((n + 1)·g₂ + 6)·(n − 1)/((n − 2)(n − 3)),
 *
 * the estimators of SAS, SPSS and Excel (Joanes & Gill, The Statistician 47 (1998) 183). G₂
 * is unbiased for normal samples; for heavy-tailed trade sizes it is dominated by the largest
 * values and converges slowly (it does not exist when the tail exponent is below 4). Central
 * moments are accumulated in one pass with the update formulas of Pébay (Sandia report
 * SAND2008-6212), numerically stable for large offsets. Units: mean and sd in x-units,
 * variance in squared units, G₁ and G₂ dimensionless.
 *
 * NaN fields when too few values: the mean needs n ≥ 1, the variance n ≥ 2, the skewness n ≥ 3,
 * the kurtosis n ≥ 4; skewness and kurtosis are NaN for a constant sample.
 */
export function moments(x: ArrayLike<number>): Moments {
  const m = new MomentsStream();
  m.push(x);
  return m.result();
}

/**
 * The moments of {@link moments} fed in pieces: the same one-pass central-moment updates (Pébay,
 * SAND2008-6212) carried from piece to piece, so the result equals `moments` of the pieces
 * concatenated value for value however the sample is cut. Memory: five numbers.
 */
export class MomentsStream {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;

  /** The first `length` values of `x` (default all); non-finite values are skipped. */
  push(x: ArrayLike<number>, length = x.length): void {
    let {n, mean, m2, m3, m4} = this;
    for (let i = 0; i < length; ++i) {
      const v = +x[i];
      if (!Number.isFinite(v)) continue;
      const n1 = n;
      ++n;
      const delta = v - mean;
      const dn = delta / n;
      const dn2 = dn * dn;
      const term1 = delta * dn * n1;
      mean += dn;
      m4 += term1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3;
      m3 += term1 * dn * (n - 2) - 3 * dn * m2;
      m2 += term1;
    }
    Object.assign(this, {n, mean, m2, m3, m4});
  }

  /** The moments of every value pushed so far. */
  result(): Moments {
    const {n, mean, m2, m3, m4} = this;
    const variance = n > 1 ? m2 / (n - 1) : NaN;
    let skewness = NaN;
    let excessKurtosis = NaN;
    if (n > 2 && m2 > 0) {
      const g1 = (m3 / n) / Math.pow(m2 / n, 1.5);
      skewness = (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
    }
    if (n > 3 && m2 > 0) {
      const g2 = (m4 / n) / ((m2 / n) * (m2 / n)) - 3;
      excessKurtosis = (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3));
    }
    const excessKurtosisSE = n > 3 ? Math.sqrt((24 * n * (n - 1) * (n - 1)) / ((n - 3) * (n - 2) * (n + 3) * (n + 5))) : NaN;
    return {n, mean: n > 0 ? mean : NaN, variance, sd: Math.sqrt(variance), skewness, excessKurtosis, excessKurtosisSE};
  }
}

/** The finite values of `x`, sorted ascending, in a new Float64Array. */
function sortedFinite(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(+x[i])) ++n;
  const s = new Float64Array(n);
  for (let i = 0, j = 0; i < x.length; ++i) {
    const v = +x[i];
    if (Number.isFinite(v)) s[j++] = v;
  }
  return s.sort();
}

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p: ${p}`);
}

/** Type-7 quantile (see {@link quantiles}) of the first `n` values of an ascending sorted array with no NaN; NaN when n = 0. */
export function quantileSorted(s: ArrayLike<number>, p: number, n = s.length): number {
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < n ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[n - 1];
}

/**
 * Quantiles of the finite values of `x` at probabilities `p` (each in [0, 1]), by linear
 * interpolation between order statistics:
 *
 *   Q(p) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)),  h = (n − 1)p  (0-based order statistics),
 *
 * Hyndman & Fan's type 7 (R's default, d3.quantile, NumPy's "linear"; Amer. Statist. 50 (1996)
 * 361). Sorts one copy (O(n log n)) for all probabilities. NaN for every p if no value is
 * finite; RangeError for a p outside [0, 1]. Units of x.
 */
export function quantiles(x: ArrayLike<number>, p: ArrayLike<number>): Float64Array {
  for (let i = 0; i < p.length; ++i) checkP(p[i]);
  const s = sortedFinite(x);
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; ++i) out[i] = quantileSorted(s, p[i]);
  return out;
}

/** The type-7 quantile of the finite values of `x` at probability `p` (see `quantiles`). */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantiles(x, [p])[0];
}

/**
 * The median of the finite values of `x`: the middle order statistic for odd n, the mean
 * (a + b) / 2 of the two middle ones for even n (type 7 at p = ½, computed without the
 * interpolation's rounding); NaN if none.
 */
export function median(x: ArrayLike<number>): number {
  const s = sortedFinite(x);
  const n = s.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
