/**
 * Correlation length: the lag at which the autocorrelation of a series first falls below 1/e,
 * over the whole series or in rolling windows (chapter 04).
 */
import {acf, firstBelow} from "./acf.js";
import {windowEnds, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";

/** Options of {@link correlationLength}. */
export interface CorrelationLengthOptions {
  /** Largest lag examined (integer ≥ 1; capped at n − 1). */
  maxLag: number;
  /** Level the autocorrelation must fall below (default 1/e). */
  level?: number;
  /**
   * How the crossing is placed between the two lags around it:
   * - `"log"` (default): geometric, k* = (k − 1) + ln(ρ(k−1)/level) / ln(ρ(k−1)/ρ(k)), exact for an
   *   exponential decay ρ(k) = φᵏ (linear when ρ(k) ≤ 0);
   * - `"linear"`: `firstBelow` of lib/acf.ts, which overstates ξ of a fast exponential decay
   *   (by 0.09 lags at φ = 0.5).
   */
  interpolation?: "log" | "linear";
}

/** The crossing of `level` by `rho`, placed by `firstBelow` and refined geometrically when asked. */
function crossing(rho: Float64Array, level: number, interpolation: "log" | "linear"): number {
  const r = firstBelow(rho, level);
  if (interpolation === "linear" || !(r > 0 && r < Infinity)) return r;
  const k = Math.floor(r) + 1;
  const a = rho[k - 1];
  const b = rho[k];
  return b > 0 && a > 0 && level > 0 ? k - 1 + Math.log(a / level) / Math.log(a / b) : r;
}

function checkInterpolation(interpolation: string): void {
  if (interpolation !== "log" && interpolation !== "linear") throw new RangeError(`invalid interpolation: ${interpolation}`);
}

/**
 * Correlation length ξ of `x`: the first lag at which the sample autocorrelation ρ(k) falls below
 * `level` (default 1/e), in samples, from `acf` and `firstBelow` of lib/acf.ts, interpolated
 * geometrically between the two lags around the crossing (see
 * {@link CorrelationLengthOptions.interpolation}): fractional, k − 1 ≤ ξ < k.
 *
 * For an AR(1) process ρ(k) = φᵏ, so ξ = −1/ln φ: the e-folding time of the memory, the time
 * analogue of the spatial correlation length that diverges at a critical point (critical
 * slowing down: Scheffer et al. 2009, Nature 461: 53; Bouchaud et al., Trades, Quotes and
 * Prices, 2018, ch. 10, for trade signs). Apply it to log returns, or to the trade-sign sequence
 * (±1 per trade, unknown sides dropped with {@link knownSigns}) in trade time.
 *
 * Edge cases: Infinity when ρ stays at or above the level up to maxLag (the length is censored:
 * raise maxLag); NaN for a constant series; 0 if the level is above 1. The biased ACF shrinks
 * long lags by (1 − k/n), so keep maxLag well below n. Throws a RangeError for a non-finite
 * sample, an empty series or an invalid maxLag.
 */
export function correlationLength(x: ArrayLike<number>, options: CorrelationLengthOptions): number {
  const {maxLag, level = 1 / Math.E, interpolation = "log"} = options;
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new RangeError(`invalid maxLag: ${maxLag}`);
  checkInterpolation(interpolation);
  if (x.length < 2) return NaN;
  return crossing(acf(x, Math.min(maxLag, x.length - 1)), level, interpolation);
}

/**
 * Correlation length (see {@link correlationLength}) of each rolling window of `x`
 * (see {@link WindowOptions}); output j belongs to the window ending at
 * `windowEnds(x.length, options)[j]`. A window holding a non-finite sample gives NaN.
 * maxLag is capped at window − 1. Cost O(windows · w log w) (one FFT-based ACF per window).
 */
export function rollingCorrelationLength(
  x: ArrayLike<number>,
  options: CorrelationLengthOptions & WindowOptions
): Float64Array {
  const {window, step} = windowOptions(options, 2);
  const {maxLag, level = 1 / Math.E, interpolation = "log"} = options;
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new RangeError(`invalid maxLag: ${maxLag}`);
  checkInterpolation(interpolation);
  const n = x.length;
  const bad = new Int32Array(n + 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const v = +x[i];
    values[i] = v;
    bad[i + 1] = bad[i] + (Number.isFinite(v) ? 0 : 1);
  }
  const end = windowEnds(n, {window, step});
  const out = new Float64Array(end.length);
  const lag = Math.min(maxLag, window - 1);
  for (let j = 0; j < end.length; ++j) {
    const hi = end[j] + 1;
    const lo = hi - window;
    out[j] = bad[hi] - bad[lo] > 0 ? NaN : crossing(acf(values.subarray(lo, hi), lag), level, interpolation);
  }
  return out;
}

/**
 * The trade signs with unknown sides removed: the +1 (buy aggressor) and −1 (sell aggressor)
 * entries of `side`, in order, as a Float64Array ready for {@link correlationLength}. Zeros and
 * non-finite entries are dropped (an unknown side is not a sign of 0: keeping it would dilute
 * the correlation).
 */
export function knownSigns(side: ArrayLike<number>): Float64Array {
  let m = 0;
  for (let i = 0; i < side.length; ++i) if (side[i] === 1 || side[i] === -1) ++m;
  const out = new Float64Array(m);
  for (let i = 0, j = 0; i < side.length; ++i) if (side[i] === 1 || side[i] === -1) out[j++] = side[i];
  return out;
}
