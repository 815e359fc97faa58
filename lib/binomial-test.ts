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
