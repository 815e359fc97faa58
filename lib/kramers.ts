/**
 * Kramers' escape law for price levels: does the mean time spent at a level grow exponentially
 * with its barrier over temperature, τ ∝ exp(ΔF/T), and does a hotter market (higher realised
 * volatility) leave its levels faster?
 */
import {linearRegression, slopeInterval, type LinearFit} from "./linear-regression.js";

/** Options of {@link kramersFit} and {@link temperatureEffect}. */
export interface KramersOptions {
  /** Confidence level of the slope interval (in (0, 1); default 0.95). */
  level?: number;
  /**
   * The number of dwells behind each mean time; with `minCount`, points resting on fewer dwells
   * are left out (ln τ̂ from d exponential dwells has a standard error of about 1/√d).
   */
  counts?: ArrayLike<number>;
  /** Smallest count a point needs when `counts` is given (default 1). */
  minCount?: number;
}

/** A least-squares line with its slope interval (see {@link kramersFit}). */
export interface KramersFit {
  /** The slope b, in ln-time per unit of the predictor. */
  slope: number;
  /** The intercept a, ln of the time unit. */
  intercept: number;
  /** Lower end of the slope's confidence interval. */
  slopeLow: number;
  /** Upper end of the slope's confidence interval. */
  slopeHigh: number;
  /** Standard error of the slope. */
  slopeSE: number;
  /** Coefficient of determination. */
  r2: number;
  /** Number of points used. */
  n: number;
  /** The underlying fit of `linearRegression`. */
  fit: LinearFit;
}

/**
 * Fits Kramers' (Arrhenius) law to mean escape times τ_i of levels with barriers ΔF_i at
 * temperatures T_i (several levels and windows pooled):
 *
 *   ln τ = a + b · (ΔF/T),
 *
 * by ordinary least squares (`linearRegression`), with a Student t interval for b at `level`
 * (`slopeInterval`). Kramers' law predicts b = 1 for a barrier measured in the same units as T
 * (Kramers 1940, Physica 7: 284; Hänggi, Talkner & Borkovec 1990, Rev. Mod. Phys. 62: 251) and
 * e^a the attempt time 2π/√(U″min·|U″saddle|); b > 0 says that deeper levels hold the price
 * longer. With F = −T ln P from the same window, ΔF/T = ln(P(level)/P(saddle)).
 *
 * `temperature` is one value for all points or one per point. Points with a non-finite or
 * non-positive τ or T, a non-finite barrier (a lone level's Infinity), or fewer than `minCount`
 * dwells are skipped. The ordinary least-squares interval treats the points as independent with
 * equal noise; levels of overlapping windows share dwells, so widen it (or thin the windows)
 * before reading it as exact. NaN fields with fewer than three usable points. Throws a
 * RangeError for mismatched lengths or a level outside (0, 1).
 */
export function kramersFit(
  meanTime: ArrayLike<number>,
  barrier: ArrayLike<number>,
  temperature: ArrayLike<number> | number,
  options: KramersOptions = {}
): KramersFit {
  const n = meanTime.length;
  if (barrier.length !== n) throw new RangeError(`invalid barrier length: ${barrier.length} (${n} times)`);
  if (typeof temperature !== "number" && temperature.length !== n) {
    throw new RangeError(`invalid temperature length: ${temperature.length} (${n} times)`);
  }
  const keep = usable(meanTime, options);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const T = typeof temperature === "number" ? temperature : +temperature[i];
    const dF = +barrier[i];
    const tau = +meanTime[i];
    const ok = keep[i] && T > 0 && T < Infinity && Number.isFinite(dF);
    x[i] = ok ? dF / T : NaN;
    y[i] = ok ? Math.log(tau) : NaN;
  }
  return fitWithInterval(x, y, options.level);
}

/** The answer of {@link temperatureEffect}. */
export interface TemperatureEffect extends KramersFit {
  /** Pearson correlation between T and ln τ. */
  correlation: number;
  /**
   * "faster" if the whole slope interval is below 0 (hotter → shorter stays), "slower" if it is
   * above 0, "inconclusive" if it contains 0 (or the fit is undefined).
   */
  answer: "faster" | "slower" | "inconclusive";
}

/**
 * Does a higher temperature mean faster escape? Regresses ln τ on T across levels and windows,
 *
 *   ln τ = a + b · T,
 *
 * and reports the slope b (ln-time per unit of T) with its confidence interval at `level`, the
 * Pearson correlation of T and ln τ, and the verdict: "faster" when the interval lies below 0.
 * This marginal question ignores the barriers; when the levels' barriers vary with T, read it
 * beside {@link kramersFit}, which controls for them. Same skipping, caveats and errors as
 * {@link kramersFit}.
 */
export function temperatureEffect(
  meanTime: ArrayLike<number>,
  temperature: ArrayLike<number>,
  options: KramersOptions = {}
): TemperatureEffect {
  const n = meanTime.length;
  if (temperature.length !== n) throw new RangeError(`invalid temperature length: ${temperature.length} (${n} times)`);
  const keep = usable(meanTime, options);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const T = +temperature[i];
    const ok = keep[i] && T > 0 && T < Infinity;
    x[i] = ok ? T : NaN;
    y[i] = ok ? Math.log(+meanTime[i]) : NaN;
  }
  const f = fitWithInterval(x, y, options.level);
  const correlation = Number.isFinite(f.slope) && f.r2 >= 0 ? Math.sign(f.slope) * Math.sqrt(f.r2) : NaN;
  const answer = f.slopeHigh < 0 ? "faster" : f.slopeLow > 0 ? "slower" : "inconclusive";
  return {...f, correlation, answer};
}

function usable(meanTime: ArrayLike<number>, options: KramersOptions): Uint8Array {
  const {counts, minCount = 1} = options;
  const n = meanTime.length;
  if (counts && counts.length !== n) throw new RangeError(`invalid counts length: ${counts.length} (${n} times)`);
  if (!(minCount >= 0)) throw new RangeError(`invalid minCount: ${minCount}`);
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; ++i) {
    const tau = +meanTime[i];
    keep[i] = tau > 0 && tau < Infinity && (!counts || +counts[i] >= minCount) ? 1 : 0;
  }
  return keep;
}

function fitWithInterval(x: Float64Array, y: Float64Array, level = 0.95): KramersFit {
  const fit = linearRegression(x, y);
  const [slopeLow, slopeHigh] = slopeInterval(fit, level);
  return {slope: fit.slope, intercept: fit.intercept, slopeLow, slopeHigh, slopeSE: fit.slopeSE, r2: fit.r2, n: fit.n, fit};
}
