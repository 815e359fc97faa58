/**
 * The exact binomial test: is a success count out of n trials compatible with a success
 * probability p?
 *
 * References: C. J. Clopper and E. S. Pearson, "The use of confidence or fiducial limits
 * illustrated in the case of the binomial", Biometrika 26 (1934) 404–413; R's `binom.test`
 * (two-sided p-value as the total probability of the outcomes no more likely than the one
 * observed, with a relative tolerance of 1e-7); A. Agresti, "Categorical Data Analysis" (2013),
 * §1.4.
 */
import {logFactorial} from "./surrogates.js";

/** Which deviations from p count as evidence. */
export type Alternative = "two-sided" | "greater" | "less";

export interface BinomialTestOptions {
  /** Success probability under the null, in (0, 1). Default 0.5. */
  p?: number;
  /**
   * `"two-sided"` (default): the outcomes no more likely than the one observed;
   * `"greater"`: P(X ≥ k); `"less"`: P(X ≤ k).
   */
  alternative?: Alternative;
}

/**
 * The binomial probability mass P(X = k) = C(n, k) p^k (1 − p)^(n−k), through logarithms
 * (ln C(n, k) from exact log-factorials below 256 and Stirling's series above), so it stays
 * accurate (relative error ≲ 1e-12 · ln n) for n in the millions. 0 for k outside [0, n].
 */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`invalid n: ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p: ${p}`);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Exact binomial test p-value for `successes` out of `trials` against success probability `p`
 * (default 0.5):
 * - two-sided: Σ P(X = i) over the i with P(X = i) ≤ P(X = k)(1 + 1e-7) (R's binom.test);
 * - greater: P(X ≥ k); less: P(X ≤ k).
 * Summed term by term in O(n); capped at 1. NaN when trials = 0. Throws a RangeError naming
 * the value for a non-integer or negative count, successes > trials, or p outside (0, 1).
 */
export function binomialTest(successes: number, trials: number, options: BinomialTestOptions = {}): number {
  const {p = 0.5, alternative = "two-sided"} = options;
  if (!(Number.isInteger(trials) && trials >= 0)) throw new RangeError(`invalid trials: ${trials}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) throw new RangeError(`invalid successes: ${successes}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`invalid p: ${p}`);
  if (alternative !== "two-sided" && alternative !== "greater" && alternative !== "less") throw new RangeError(`invalid alternative: ${alternative}`);
  const n = trials;
  const k = successes;
  if (n === 0) return NaN;
  let sum = 0;
  if (alternative === "greater") {
    for (let i = k; i <= n; ++i) sum += binomialPmf(i, n, p);
  } else if (alternative === "less") {
    for (let i = 0; i <= k; ++i) sum += binomialPmf(i, n, p);
  } else {
    const bar = binomialPmf(k, n, p) * (1 + 1e-7);
    for (let i = 0; i <= n; ++i) {
      const q = binomialPmf(i, n, p);
      if (q <= bar) sum += q;
    }
  }
  return Math.min(1, sum);
}

/**
 * Wilson score interval of a binomial proportion k/n (Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22 (1927) 209–212; Agresti & Coull, Am. Stat. 52
 * (1998) 119): the p with |k/n − p| ≤ z·√(p(1 − p)/n), i.e. centre (k/n + z²/2n)/(1 + z²/n) and
 * half-width z·√(k/n·(1 − k/n)/n + z²/4n²)/(1 + z²/n), clipped to [0, 1]. Unlike the Wald interval
 * it stays inside [0, 1] and keeps its coverage near 0 and n successes. `level` defaults to 0.95
 * (z = 1.96). [NaN, NaN] when n = 0; RangeError for invalid counts or level.
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): [number, number] {
  if (!(Number.isInteger(trials) && trials >= 0)) throw new RangeError(`invalid trials: ${trials}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) throw new RangeError(`invalid successes: ${successes}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  if (trials === 0) return [NaN, NaN];
  const z = normalQuantile((1 + level) / 2);
  const n = trials;
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** Standard normal quantile Φ⁻¹(q), 0 < q < 1 (P. J. Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(q: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (q < lo) {
    const t = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  } else if (q > 1 - lo) {
    const t = Math.sqrt(-2 * Math.log(1 - q));
    x = -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  } else {
    const u = q - 0.5;
    const r = u * u;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  return x;
}
