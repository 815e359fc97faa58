/**
 * Kramers' escape law for price levels: does the mean time spent at a level grow exponentially
 * with its barrier over temperature, τ ∝ exp(ΔF/T), and does a hotter market (higher realised
 * volatility) leave its levels faster?
 */
import {linearRegression, slopeInterval, type LinearFit} from "./linear-regression.js";
import {studentTQuantile} from "./student-t.js";

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

/** The censored maximum-likelihood fit of {@link kramersCensoredFit}. */
export interface KramersCensoredFit {
  /** The slope b of ln τ on ΔF/T (NaN when the likelihood has no finite maximum). */
  slope: number;
  /** The intercept a, ln of the time unit. */
  intercept: number;
  /** Wald interval of b at the requested level. */
  slopeLow: number;
  slopeHigh: number;
  /** Standard error of b from the observed information. */
  slopeSE: number;
  /** Points used (positive exposure, finite predictor), of which `censored` had no escape. */
  n: number;
  censored: number;
  /** Escapes and total exposure over the points used. */
  events: number;
  exposure: number;
}

/**
 * Kramers' law fitted to escape counts under censoring: at point i (a level in a window) the
 * price spent `exposure[i]` time units in stays and escaped `events[i]` times; stays still under
 * way at the segment's end count their time but no escape. With exponential stays of mean
 * τ_i = exp(a + b·x_i), x_i = ΔF_i/T_i, the likelihood is that of a Poisson count with offset,
 *
 *   d_i ~ Poisson(E_i · e^(−a − b·x_i)),   ℓ(a, b) = Σ −d_i (a + b x_i) − E_i e^(−a − b x_i),
 *
 * (Lawless 2003, Statistical Models and Methods for Lifetime Data, §2.2 and §6.2; the events /
 * total-exposure estimator is its one-group case). Unlike least squares on ln(E_i/d_i) it keeps
 * the points with no escape — the long stays at deep levels that a fit over escapes only drops,
 * biasing b down — and weighs each point by its information. Maximised by Newton–Raphson with
 * step halving; interval b ± z·SE with SE from the inverse observed information (Wald). Kramers'
 * law predicts b = 1 (Kramers 1940, Physica 7: 284).
 *
 * Points with non-positive or non-finite exposure, a negative or non-integer count, or a
 * non-finite predictor are skipped. NaN fields with fewer than three usable points, no escape, a
 * constant predictor, or a likelihood that rises without bound (all escapes at one end). Throws a
 * RangeError for mismatched lengths or a level outside (0, 1).
 */
export function kramersCensoredFit(
  events: ArrayLike<number>,
  exposure: ArrayLike<number>,
  predictor: ArrayLike<number>,
  options: {level?: number} = {}
): KramersCensoredFit {
  const {level = 0.95} = options;
  const n = events.length;
  if (exposure.length !== n) throw new RangeError(`invalid exposure length: ${exposure.length} (${n} counts)`);
  if (predictor.length !== n) throw new RangeError(`invalid predictor length: ${predictor.length} (${n} counts)`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  const d: number[] = [];
  const E: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < n; ++i) {
    const di = +events[i];
    const ei = +exposure[i];
    const xi = +predictor[i];
    if (!(ei > 0 && ei < Infinity && Number.isFinite(xi) && di >= 0 && Number.isInteger(di))) continue;
    d.push(di);
    E.push(ei);
    x.push(xi);
  }
  const m = d.length;
  const D = d.reduce((s, v) => s + v, 0);
  const total = E.reduce((s, v) => s + v, 0);
  const censored = d.filter((v) => v === 0).length;
  const none = {slope: NaN, intercept: NaN, slopeLow: NaN, slopeHigh: NaN, slopeSE: NaN, n: m, censored, events: D, exposure: total};
  if (m < 3 || D === 0 || Math.min(...x) === Math.max(...x)) return none;
  // Centre the predictor for a well-conditioned Newton step: ln τ = c + b (x − x̄).
  const xBar = x.reduce((s, v) => s + v, 0) / m;
  const loglik = (c: number, b: number) => {
    let l = 0;
    for (let i = 0; i < m; ++i) {
      const eta = c + b * (x[i] - xBar);
      l += -d[i] * eta - E[i] * Math.exp(-eta);
    }
    return l;
  };
  let c = Math.log(total / D);
  let b = 0;
  let l = loglik(c, b);
  let info = [0, 0, 0];
  let converged = false;
  for (let iter = 0; iter < 200; ++iter) {
    let g0 = 0;
    let g1 = 0;
    let i00 = 0;
    let i01 = 0;
    let i11 = 0;
    for (let i = 0; i < m; ++i) {
      const u = x[i] - xBar;
      const mu = E[i] * Math.exp(-(c + b * u));
      g0 += mu - d[i];
      g1 += u * (mu - d[i]);
      i00 += mu;
      i01 += u * mu;
      i11 += u * u * mu;
    }
    info = [i00, i01, i11];
    const det = i00 * i11 - i01 * i01;
    if (!(det > 0)) break;
    const dc = (i11 * g0 - i01 * g1) / det;
    const db = (i00 * g1 - i01 * g0) / det;
    if (Math.abs(dc) < 1e-9 && Math.abs(db) < 1e-9) {
      converged = true;
      break;
    }
    let t = 1;
    let accepted = false;
    for (let h = 0; h < 40; ++h, t /= 2) {
      const lt = loglik(c + t * dc, b + t * db);
      if (lt >= l - 1e-12 * (1 + Math.abs(l))) {
        c += t * dc;
        b += t * db;
        l = lt;
        accepted = true;
        break;
      }
    }
    if (!accepted || !Number.isFinite(b) || Math.abs(b) > 1e6) break;
  }
  const det = info[0] * info[2] - info[1] * info[1];
  if (!converged || !(det > 0)) return none;
  const se = Math.sqrt(info[0] / det);
  const z = studentTQuantile((1 + level) / 2, Infinity);
  return {slope: b, intercept: c - b * xBar, slopeLow: b - z * se, slopeHigh: b + z * se, slopeSE: se, n: m, censored, events: D, exposure: total};
}
