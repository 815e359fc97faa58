/**
 * Realised volatility — the "temperature" of chapter 04 — from a regular price series.
 */
import {rollingMoments, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";

/** Seconds in a year of continuous trading (365.25 days), for annualising crypto volatility. */
export const SECONDS_PER_YEAR = 365.25 * 86400;

/** Options of {@link realisedVolatility}. */
export interface RealisedVolatilityOptions extends WindowOptions {
  /**
   * Units of the result:
   * - `"window"` (default): √Σr² over the window, a dimensionless log-return scale per window;
   * - `"second"`: per √second, RV / √(window·interval) — comparable across window lengths;
   * - `"year"`: annualised, RV · √(SECONDS_PER_YEAR / (window·interval)), with a 365.25-day year
   *   because crypto trades around the clock.
   */
  scale?: "window" | "second" | "year";
  /** Spacing of the samples in seconds (required by the `"second"` and `"year"` scales). */
  interval?: number;
  /**
   * Smallest share of finite returns a window needs (default 0.5); windows with fewer give NaN.
   */
  minCoverage?: number;
}

/**
 * Realised volatility of log returns `r` in rolling windows (see {@link WindowOptions}):
 *
 *   RV = √( (w / c) · Σ rᵢ² ),
 *
 * the square root of the realised variance over the window of w samples, of which c returns are
 * finite (missing returns are skipped and the sum is rescaled by w / c so that gaps do not bias
 * it down). Returns are not demeaned: at these horizons the drift is negligible
 * (Andersen & Bollerslev 1998, Int. Econ. Rev. 39: 885; Barndorff-Nielsen & Shephard 2002,
 * J. R. Stat. Soc. B 64: 253). Sampled too finely, bid–ask bounce inflates RV
 * (Zhang, Mykland & Aït-Sahalia 2005); use bins of a second or more.
 *
 * Output j belongs to the window ending at `windowEnds(r.length, options)[j]`; units per
 * `scale`. Throws a RangeError for invalid windows, a missing or non-positive `interval` when a
 * time scale is asked for, or a `minCoverage` outside (0, 1].
 */
export function realisedVolatility(r: ArrayLike<number>, options: RealisedVolatilityOptions): Float64Array {
  const {window, step} = windowOptions(options);
  const {scale = "window", interval, minCoverage = 0.5} = options;
  if (!(minCoverage > 0 && minCoverage <= 1)) throw new RangeError(`invalid minCoverage: ${minCoverage}`);
  let factor = 1;
  if (scale === "second" || scale === "year") {
    if (!(interval! > 0 && interval! < Infinity)) throw new RangeError(`invalid interval: ${interval}`);
    factor = scale === "second" ? 1 / Math.sqrt(window * interval!) : Math.sqrt(SECONDS_PER_YEAR / (window * interval!));
  } else if (scale !== "window") {
    throw new RangeError(`invalid scale: ${scale}`);
  }
  const squares = new Float64Array(r.length);
  for (let i = 0; i < squares.length; ++i) {
    const v = +r[i];
    squares[i] = v * v;
  }
  const {count, mean} = rollingMoments(squares, {window, step});
  const out = new Float64Array(mean.length);
  const needed = minCoverage * window;
  for (let j = 0; j < out.length; ++j) {
    out[j] = count[j] >= needed && count[j] > 0 ? Math.sqrt(window * mean[j]) * factor : NaN;
  }
  return out;
}
