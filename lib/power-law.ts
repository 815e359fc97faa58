/**
 * Power-law fits y ∝ x^{−γ} by least squares on log-log axes, for autocorrelation decay of
 * trade signs and similar curves.
 */
import {linearRegression, slopeInterval} from "./linear-regression.js";

/** A power-law fit y ≈ amplitude · x^{−exponent}. */
export interface PowerLawFit {
  /** Decay exponent γ (y ∝ x^{−γ}); positive for a decaying curve. */
  exponent: number;
  /** Standard error of γ from the log-log regression. */
  exponentSE: number;
  /** 95% Student t interval for γ. */
  interval: [number, number];
  /** Prefactor A in y ≈ A·x^{−γ} (y-units). */
  amplitude: number;
  /** R² of the log-log regression. */
  r2: number;
  /** Points used (x in range, x > 0 and y > 0). */
  n: number;
  /** Points in the x range skipped because y ≤ 0 or not finite. */
  skipped: number;
  /** The x range fitted. */
  range: [number, number];
}

/**
 * Least-squares power law y ≈ A·x^{−γ} over the points with min ≤ x ≤ max:
 *
 *   ln y = ln A − γ·ln x + e,  fitted by OLS (`linearRegression`),
 *
 * skipping points with y ≤ 0 or non-finite (counted in `skipped`, since a sample
 * autocorrelation fluctuates below zero once it is small) and points with x ≤ 0. γ is
 * dimensionless. The standard error and interval are the OLS ones and assume independent
 * residuals: neighbouring values of a sample ACF are strongly correlated, so treat them as a
 * lower bound on the uncertainty (compare fits over several ranges or independent days). For
 * ACF tails, fitting log-spaced lags (`acfPowerLaw`) keeps the last decade from dominating.
 * Clauset, Shalizi & Newman (SIAM Rev. 51 (2009) 661) discuss the pitfalls of log-log fits to
 * distributions; for a CCDF prefer `hill`.
 *
 * NaN fields if fewer than 3 points remain. RangeError if the lengths differ or the range is
 * empty.
 */
export function powerLawFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  {min = 0, max = Infinity}: {min?: number; max?: number} = {}
): PowerLawFit {
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  if (!(min <= max)) throw new RangeError(`invalid range: [${min}, ${max}]`);
  const lx: number[] = [];
  const ly: number[] = [];
  let skipped = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    if (!(a >= min && a <= max && a > 0 && a < Infinity)) continue;
    const b = +y[i];
    if (!(b > 0 && b < Infinity)) {
      ++skipped;
      continue;
    }
    lx.push(Math.log(a));
    ly.push(Math.log(b));
  }
  const fit = linearRegression(lx, ly);
  const [lo, hi] = fit.n > 2 ? slopeInterval(fit) : [NaN, NaN];
  const ok = fit.n > 2;
  return {
    exponent: ok ? -fit.slope : NaN,
    exponentSE: ok ? fit.slopeSE : NaN,
    interval: [-hi, -lo],
    amplitude: ok ? Math.exp(fit.intercept) : NaN,
    r2: ok ? fit.r2 : NaN,
    n: fit.n,
    skipped,
    range: [min, max]
  };
}

/**
 * Power-law fit ρ(ℓ) ≈ A·ℓ^{−γ} of an autocorrelation function `rho` (ρ(0), ρ(1), …) over the
 * lags minLag ≤ ℓ ≤ maxLag, using about `perDecade` log-spaced integer lags per decade (distinct
 * after rounding; default 20) so that every decade weighs the same. Non-positive ρ are skipped
 * and counted. For trade signs γ is typically 0.3–0.7 (Lillo & Farmer, Stud. Nonlinear Dyn.
 * Econom. 8 (2004) 1; Bouchaud et al., Trades, Quotes and Prices, 2018, ch. 10); the Hurst
 * exponent of the sign process is H = 1 − γ/2. Defaults: minLag 10, maxLag the last lag.
 * RangeError for an invalid range or perDecade.
 */
export function acfPowerLaw(
  rho: ArrayLike<number>,
  {minLag = 10, maxLag = rho.length - 1, perDecade = 20}: {minLag?: number; maxLag?: number; perDecade?: number} = {}
): PowerLawFit {
  if (!(Number.isInteger(minLag) && minLag >= 1)) throw new RangeError(`invalid minLag: ${minLag}`);
  if (!(Number.isInteger(maxLag) && maxLag >= minLag && maxLag < rho.length)) throw new RangeError(`invalid maxLag: ${maxLag}`);
  if (!(perDecade > 0)) throw new RangeError(`invalid perDecade: ${perDecade}`);
  const lags: number[] = [];
  const values: number[] = [];
  const steps = Math.max(1, Math.ceil(Math.log10(maxLag / minLag) * perDecade));
  for (let j = 0; j <= steps; ++j) {
    const l = Math.round(minLag * Math.pow(maxLag / minLag, j / steps));
    if (lags.length && l <= lags[lags.length - 1]) continue;
    lags.push(l);
    values.push(rho[l]);
  }
  const fit = powerLawFit(lags, values);
  fit.range = [minLag, maxLag];
  return fit;
}
