/**
 * Ordinary least squares for one predictor, with standard errors and a Student t interval for
 * the slope.
 */
import {studentTQuantile} from "./student-t.js";

/** A straight-line least-squares fit y ≈ intercept + slope·x. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope, s/√Sxx. */
  slopeSE: number;
  /** Standard error of the intercept, s·√(1/n + x̄²/Sxx). */
  interceptSE: number;
  /** Coefficient of determination 1 − RSS/Syy (NaN if y is constant). */
  r2: number;
  /** Number of (x, y) pairs used (both finite). */
  n: number;
  /** Residual standard deviation s = √(RSS/(n − 2)). */
  residualSD: number;
}

/**
 * Ordinary least-squares line through the pairs (x_i, y_i):
 *
 *   slope = Sxy/Sxx, intercept = ȳ − slope·x̄,
 *   s² = RSS/(n − 2), SE(slope) = s/√Sxx, SE(intercept) = s·√(1/n + x̄²/Sxx), R² = 1 − RSS/Syy,
 *
 * with Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ), Syy = Σ(y − ȳ)² and RSS the residual sum of
 * squares, all computed in two passes around the means for numerical stability. Units: slope in
 * y-units per x-unit, intercept and residualSD in y-units.
 *
 * Pairs where either value is not finite are skipped (`n` counts the pairs used). With n < 2 or
 * all x equal, slope and intercept are NaN; with n = 2 the line is exact and the standard errors
 * are NaN (no residual degrees of freedom). Throws a RangeError if the lengths differ.
 * Reference: Draper & Smith, Applied Regression Analysis, 3rd ed. (1998), ch. 1.
 */
export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (Number.isFinite(a) && Number.isFinite(b)) (sx += a), (sy += b), ++n;
  }
  const nan: LinearFit = {slope: NaN, intercept: NaN, slopeSE: NaN, interceptSE: NaN, r2: NaN, n, residualSD: NaN};
  if (n < 2) return nan;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (!(Number.isFinite(a) && Number.isFinite(b))) continue;
    const dx = a - mx;
    const dy = b - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return nan;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (!(Number.isFinite(a) && Number.isFinite(b))) continue;
    const r = b - intercept - slope * a;
    rss += r * r;
  }
  const s = n > 2 ? Math.sqrt(rss / (n - 2)) : NaN;
  return {
    slope,
    intercept,
    slopeSE: s / Math.sqrt(sxx),
    interceptSE: s * Math.sqrt(1 / n + (mx * mx) / sxx),
    r2: syy > 0 ? Math.max(0, 1 - rss / syy) : NaN,
    n,
    residualSD: s
  };
}

/**
 * Two-sided confidence interval for the slope of a fit from `linearRegression`:
 *
 *   slope ± t_{(1+level)/2, n−2} · SE(slope),
 *
 * with the Student t quantile on n − 2 degrees of freedom (exact under i.i.d. normal errors).
 * Returns [NaN, NaN] if the fit has fewer than three points. RangeError if level is not in
 * (0, 1). Reference: Draper & Smith (1998), §1.4.
 */
export function slopeInterval(fit: LinearFit, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  if (!(fit.n > 2) || !Number.isFinite(fit.slopeSE)) return [NaN, NaN];
  const t = studentTQuantile(0.5 + level / 2, fit.n - 2);
  return [fit.slope - t * fit.slopeSE, fit.slope + t * fit.slopeSE];
}
