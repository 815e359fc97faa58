/**
 * Goodness of fit of durations to an exponential law: the maximum-likelihood rate, the
 * Kolmogorov–Smirnov distance, and its p-value when the rate is estimated from the same data
 * (a Lilliefors-type test, by parametric bootstrap from a seed).
 */
import {mulberry32, randomExponential} from "./random.js";

/**
 * The maximum-likelihood rate of an exponential law from durations t_i, with optional right
 * censoring (a censored duration is a lower bound, e.g. a dwell still under way at the end of
 * the data):
 *
 *   λ̂ = (number of uncensored durations) / Σ t_i   (all durations, censored or not),
 *
 * in events per unit of t; 1/λ̂ is the mean duration (Lawless 2003, Statistical Models and
 * Methods for Lifetime Data, §2.2). The estimator is biased upward by the factor d/(d − 1) for
 * d events; (d − 1)/Σt is unbiased without censoring.
 *
 * Non-finite and negative durations are skipped. NaN if there is no event or Σ t = 0. Throws a
 * RangeError if `censored` has another length.
 */
export function exponentialRate(durations: ArrayLike<number>, censored?: ArrayLike<number | boolean>): number {
  if (censored && censored.length !== durations.length) {
    throw new RangeError(`invalid censored length: ${censored.length} (${durations.length} durations)`);
  }
  let events = 0;
  let total = 0;
  for (let i = 0; i < durations.length; ++i) {
    const t = +durations[i];
    if (!(t >= 0 && t < Infinity)) continue;
    total += t;
    if (!(censored && censored[i])) ++events;
  }
  return events > 0 && total > 0 ? events / total : NaN;
}

/**
 * The Kolmogorov–Smirnov distance between the empirical distribution of `sample` and a
 * continuous distribution function `cdf`:
 *
 *   D = sup_x |F_n(x) − F(x)| = max_i max(i/n − F(x_(i)), F(x_(i)) − (i − 1)/n),
 *
 * over the order statistics x_(1) ≤ … ≤ x_(n) (Kolmogorov 1933; Conover 1999, Practical
 * Nonparametric Statistics, §6.1). Ties are handled exactly by the formula (the supremum is
 * reached at the ends of a tied run). Dimensionless, in [0, 1].
 *
 * Non-finite values are skipped; NaN for an empty sample.
 */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const x = finiteSorted(sample);
  return ksSorted(x, x.length, cdf);
}

/**
 * The asymptotic p-value of a Kolmogorov–Smirnov distance D from n samples when the reference
 * distribution is fully specified (no parameter estimated from the data):
 *
 *   p = Q(t) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²t²),  t = D·(√n + 0.12 + 0.11/√n),
 *
 * Kolmogorov's limiting law with Stephens' finite-n correction (Stephens 1970, J. R. Stat. Soc. B
 * 32: 115), accurate to about 0.01 for n ≥ 5. With a parameter estimated from the same data
 * this p-value is far too large (conservative); use {@link exponentialFit} then. NaN for invalid
 * D or n.
 */
export function kolmogorovPValue(d: number, n: number): number {
  if (!(d >= 0 && d <= 1) || !(n >= 1)) return NaN;
  const sn = Math.sqrt(n);
  const t = d * (sn + 0.12 + 0.11 / sn);
  if (t < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; ++k) {
    const term = Math.exp(-2 * k * k * t * t);
    sum += k % 2 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Options of {@link exponentialFit}. */
export interface ExponentialFitOptions {
  /**
   * A known rate (> 0) to test against instead of the estimated one; the p-value is then
   * Kolmogorov's ({@link kolmogorovPValue}) and no bootstrap is run.
   */
  rate?: number;
  /** Number of parametric-bootstrap samples for the estimated-rate p-value (an integer ≥ 1; default 999). */
  bootstrap?: number;
  /** Seed of the bootstrap (default 0). */
  seed?: number;
}

/** The fit of durations to an exponential law (see {@link exponentialFit}). */
export interface ExponentialFit {
  /** Number of durations used. */
  n: number;
  /** The rate tested: the maximum-likelihood λ̂ = n/Σt, or the given rate. */
  rate: number;
  /** Mean duration, Σt/n. */
  mean: number;
  /** Kolmogorov–Smirnov distance to Exp(rate). */
  statistic: number;
  /** p-value of the exponential hypothesis. */
  pValue: number;
  /** How the p-value was obtained. */
  method: "lilliefors-bootstrap" | "kolmogorov";
}

/**
 * Tests whether durations follow an exponential law (a memoryless escape). The rate is the
 * maximum-likelihood λ̂ = n/Σt; the statistic is the Kolmogorov–Smirnov distance D between the
 * durations and Exp(λ̂); the p-value accounts for λ̂ being estimated from the same data
 * (Lilliefors 1969, J. Amer. Statist. Assoc. 64: 387): it is the share of B parametric-bootstrap
 * samples — n draws from Exp(1), their own rate re-estimated — whose distance is at least D,
 * p = (1 + #{D* ≥ D})/(B + 1). The null distribution of D does not depend on the true rate
 * (a scale family), so one bootstrap serves any rate; its 5 % point agrees with Stephens' table,
 * (D − 0.2/n)(√n + 0.26 + 0.5/√n) = 1.094 (Stephens 1974, J. Amer. Statist. Assoc. 69: 730).
 * Given `rate`, the fully specified test and Kolmogorov's p-value are used instead.
 *
 * Durations measured in whole samples are discrete: ties inflate D when durations span only a
 * few samples. Non-finite and negative durations are skipped; with fewer than 2 durations (or
 * all zero) the result holds NaN. Throws a RangeError for an invalid rate or bootstrap count.
 */
export function exponentialFit(durations: ArrayLike<number>, options: ExponentialFitOptions = {}): ExponentialFit {
  const {rate: given, bootstrap = 999, seed = 0} = options;
  if (given !== undefined && !(given > 0 && given < Infinity)) throw new RangeError(`invalid rate: ${given}`);
  if (!Number.isInteger(bootstrap) || bootstrap < 1) throw new RangeError(`invalid bootstrap: ${bootstrap}`);
  const x = finiteSorted(durations, true);
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += x[i];
  const mean = n ? sum / n : NaN;
  const method = given === undefined ? "lilliefors-bootstrap" : "kolmogorov";
  if (n < 2 || !(sum > 0)) return {n, rate: given ?? NaN, mean, statistic: NaN, pValue: NaN, method};
  const rate = given ?? n / sum;
  const statistic = ksSorted(x, n, (t) => 1 - Math.exp(-rate * t));
  if (given !== undefined) return {n, rate, mean, statistic, pValue: kolmogorovPValue(statistic, n), method};
  const nullD = exponentialKsNull(n, {bootstrap, seed});
  let exceed = 0;
  for (let b = 0; b < bootstrap; ++b) if (nullD[b] >= statistic - 1e-12) ++exceed;
  return {n, rate, mean, statistic, pValue: (1 + exceed) / (bootstrap + 1), method};
}

/**
 * The parametric-bootstrap null distribution of the Kolmogorov–Smirnov distance between n
 * exponential durations and the exponential law with their own maximum-likelihood rate: B
 * statistics, each from n draws of Exp(1) (the law is scale-free), sorted ascending. Its upper
 * quantiles are the critical values of the Lilliefors-type test in {@link exponentialFit}.
 * Throws a RangeError for n < 2 or a bootstrap count that is not a positive integer.
 */
export function exponentialKsNull(n: number, options: {bootstrap?: number; seed?: number} = {}): Float64Array {
  const {bootstrap = 999, seed = 0} = options;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`invalid n: ${n}`);
  if (!Number.isInteger(bootstrap) || bootstrap < 1) throw new RangeError(`invalid bootstrap: ${bootstrap}`);
  const random = mulberry32(seed);
  const sample = new Float64Array(n);
  const out = new Float64Array(bootstrap);
  for (let b = 0; b < bootstrap; ++b) {
    let sum = 0;
    for (let i = 0; i < n; ++i) sum += sample[i] = randomExponential(random);
    sample.sort();
    const rate = n / sum;
    out[b] = ksSorted(sample, n, (t) => 1 - Math.exp(-rate * t));
  }
  return out.sort();
}

function finiteSorted(sample: ArrayLike<number>, nonNegative = false): Float64Array {
  const x = new Float64Array(sample.length);
  let n = 0;
  for (let i = 0; i < sample.length; ++i) {
    const v = +sample[i];
    if (Number.isFinite(v) && (!nonNegative || v >= 0)) x[n++] = v;
  }
  return x.subarray(0, n).sort();
}

function ksSorted(x: Float64Array, n: number, cdf: (x: number) => number): number {
  if (n === 0) return NaN;
  let d = 0;
  for (let i = 0; i < n; ++i) {
    const F = cdf(x[i]);
    const above = (i + 1) / n - F;
    const below = F - i / n;
    if (above > d) d = above;
    if (below > d) d = below;
  }
  return d;
}
