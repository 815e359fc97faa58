/**
 * Comparing two event rates measured over exposures: escapes per second spent at a level in
 * calm against hot markets, or any two Poisson counts.
 */
import {binomialTest} from "./binomial-test.js";
import {studentTQuantile} from "./student-t.js";

/** Options of {@link rateRatio}. */
export interface RateRatioOptions {
  /** Confidence level of the interval (in (0, 1); default 0.95). */
  level?: number;
}

/** Two rates and their ratio (see {@link rateRatio}). */
export interface RateRatio {
  /** Events per unit of exposure in each group (NaN with no exposure). */
  rateA: number;
  rateB: number;
  /** rateA / rateB (Infinity if only B has none, NaN if neither has events). */
  ratio: number;
  /** Confidence interval of the ratio (Wald on the log scale; NaN when a group has no event). */
  low: number;
  high: number;
  /** Exact two-sided p-value of equal rates (conditional binomial test); NaN with no event at all. */
  pValue: number;
}

/**
 * The ratio of two rates λ_A = d_A/E_A and λ_B = d_B/E_B from event counts d and exposures E
 * (e.g. escapes out of a level and the time spent at it: for exponential stays the escapes are a
 * Poisson process in exposure time, and with censored stays d/E is the maximum-likelihood rate):
 *
 *   ratio = λ_A / λ_B,   interval exp(ln ratio ± z·√(1/d_A + 1/d_B)),
 *
 * with z the normal quantile of (1 + level)/2 (Wald on the log scale, Cox & Oakes 1984, Analysis
 * of Survival Data, §3.2). The p-value of H0: λ_A = λ_B is exact: given d = d_A + d_B events,
 * d_A is binomial with p = E_A/(E_A + E_B) under H0, and the two-sided binomial test
 * (`binomialTest`) gives the p-value (Przyborowski & Wilenski 1940, Biometrika 31: 313;
 * Lehmann & Romano, Testing Statistical Hypotheses, §4.5).
 *
 * Throws a RangeError for a count that is not a non-negative integer, an exposure that is not a
 * non-negative finite number, or a level outside (0, 1).
 */
export function rateRatio(eventsA: number, exposureA: number, eventsB: number, exposureB: number, options: RateRatioOptions = {}): RateRatio {
  const {level = 0.95} = options;
  for (const [name, d] of [["eventsA", eventsA], ["eventsB", eventsB]] as const)
    if (!(Number.isInteger(d) && d >= 0)) throw new RangeError(`invalid ${name}: ${d}`);
  for (const [name, e] of [["exposureA", exposureA], ["exposureB", exposureB]] as const)
    if (!(e >= 0 && e < Infinity)) throw new RangeError(`invalid ${name}: ${e}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  const rateA = exposureA > 0 ? eventsA / exposureA : NaN;
  const rateB = exposureB > 0 ? eventsB / exposureB : NaN;
  const ratio = rateA / rateB;
  let low = NaN;
  let high = NaN;
  if (eventsA > 0 && eventsB > 0) {
    const z = studentTQuantile((1 + level) / 2, Infinity);
    const se = Math.sqrt(1 / eventsA + 1 / eventsB);
    low = ratio * Math.exp(-z * se);
    high = ratio * Math.exp(z * se);
  }
  const d = eventsA + eventsB;
  const pValue = d > 0 && exposureA > 0 && exposureB > 0 ? binomialTest(eventsA, d, {p: exposureA / (exposureA + exposureB)}) : NaN;
  return {rateA, rateB, ratio, low, high, pValue};
}
