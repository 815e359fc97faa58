/**
 * Early-warning signals of a critical transition (critical slowing down): trends in the rolling
 * variance and lag-1 autocorrelation of a series, measured by Kendall's τ and judged against
 * surrogates that keep the series' autocorrelation.
 */
import {ar1Surrogate, fitAR1} from "./ar1-surrogate.js";
import {kendallTrend} from "./kendall.js";
import {phaseRandomize} from "./phase-randomize.js";
import {deriveSeed, mulberry32} from "./random.js";
import {rollingMoments, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";
import {surrogatePValue} from "./surrogates.js";

/**
 * Residuals of `x` after Gaussian kernel smoothing with SD `bandwidth` samples:
 * rₜ = xₜ − Σₛ K(t − s) xₛ / Σₛ K(t − s), K(u) = exp(−u²/(2·bandwidth²)), truncated at 4 bandwidths
 * and renormalised at the ends. Removes slow trends in the mean before the indicators are
 * computed, as in Dakos et al. (2012), PLoS ONE 7: e41010 (who use a bandwidth of a few per cent
 * to tens of per cent of the series). Non-finite samples are left out of the smooth and stay
 * non-finite. O(n · bandwidth). Throws a RangeError for a bandwidth that is not positive.
 */
export function gaussianResiduals(x: ArrayLike<number>, bandwidth: number): Float64Array {
  if (!(bandwidth > 0 && bandwidth < Infinity)) throw new RangeError(`invalid bandwidth: ${bandwidth}`);
  const n = x.length;
  const reach = Math.ceil(4 * bandwidth);
  const kernel = new Float64Array(reach + 1);
  for (let u = 0; u <= reach; ++u) kernel[u] = Math.exp(-(u * u) / (2 * bandwidth * bandwidth));
  const out = new Float64Array(n);
  for (let t = 0; t < n; ++t) {
    let s = 0;
    let w = 0;
    for (let u = Math.max(0, t - reach), hi = Math.min(n - 1, t + reach); u <= hi; ++u) {
      const v = +x[u];
      if (!Number.isFinite(v)) continue;
      const k = kernel[Math.abs(t - u)];
      s += k * v;
      w += k;
    }
    out[t] = +x[t] - s / w;
  }
  return out;
}

/** The surrogate p-value, NaN when the observed τ is undefined (too few windows, constant indicator). */
function pValue(tau: number, surrogates: Float64Array): number {
  return Number.isNaN(tau) ? NaN : surrogatePValue(tau, surrogates);
}

/** Options of {@link earlyWarning}. */
export interface EarlyWarningOptions extends WindowOptions {
  /** Seed of the surrogates (32-bit integer). */
  seed: number;
  /** Number of surrogates (default 500; use at least 200 for a p-value down to 0.005). */
  surrogates?: number;
  /**
   * The null model, both stationary with the data's autocorrelation:
   * - `"ar1"` (default): AR(1) series fitted by Yule–Walker (lib/ar1-surrogate.ts) — same mean,
   *   variance and lag-1 autocorrelation;
   * - `"phase"`: phase-randomised series (lib/phase-randomize.ts) — same power spectrum, hence the
   *   whole linear autocorrelation function.
   */
  null?: "ar1" | "phase";
  /** Gaussian detrending bandwidth in samples (default: none; see {@link gaussianResiduals}). */
  bandwidth?: number;
}

/** One indicator's trend and its significance. */
export interface IndicatorTrend {
  /** Kendall's τ of the rolling indicator against time. */
  tau: number;
  /** One-sided p-value of a rise: (1 + #{τ_surrogate ≥ τ}) / (1 + S) (NaN when τ is). */
  p: number;
  /** τ of each surrogate (NaN where undefined). */
  surrogates: Float64Array;
}

/** Result of {@link earlyWarning}. */
export interface EarlyWarning {
  /** Index of the last sample of each window. */
  end: Int32Array;
  /** Rolling variance (denominator count − 1) of the (detrended) series. */
  variance: Float64Array;
  /** Rolling lag-1 autocorrelation of the (detrended) series. */
  autocorrelation: Float64Array;
  /** Trend of the rolling variance. */
  varianceTrend: IndicatorTrend;
  /** Trend of the rolling lag-1 autocorrelation. */
  autocorrelationTrend: IndicatorTrend;
}

/**
 * Critical slowing down: as a system approaches a continuous transition its recovery rate goes to
 * zero, so its fluctuations grow (variance) and slow (lag-1 autocorrelation → 1)
 * (Scheffer et al. 2009, Nature 461: 53). This computes both indicators in rolling windows of
 * `x` (lib/rolling.ts; Dakos et al. 2012 use a window of half the series), their trends as
 * Kendall's τ against time (lib/kendall.ts), and one-sided p-values of a rise from the same
 * statistics on `surrogates` stationary surrogate series (see {@link EarlyWarningOptions.null}).
 *
 * The surrogates keep the autocorrelation of the data, which matters: the indicators of
 * overlapping windows are strongly autocorrelated, so τ is far more variable than the i.i.d.
 * Mann–Kendall null says, and that null would call most stationary series "warning".
 * The surrogate null is stationary: a significant τ says the indicator rose more than it does in
 * series without any change, not that a transition follows.
 *
 * Deterministic for a seed. Throws a RangeError for a non-finite sample (trim or fill first), a
 * window shorter than 3, invalid surrogate counts or null. Cost: (S + 1) rolling passes, Kendall
 * τs of the m windows and S surrogates, O(S·(n + m log m)) (phase: plus O(S·n log n)).
 */
export function earlyWarning(x: ArrayLike<number>, options: EarlyWarningOptions): EarlyWarning {
  const {window, step} = windowOptions(options, 3);
  const {seed, surrogates: S = 500, null: model = "ar1", bandwidth} = options;
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`invalid surrogates: ${S}`);
  if (model !== "ar1" && model !== "phase") throw new RangeError(`invalid null: ${model}`);
  const n = x.length;
  for (let i = 0; i < n; ++i) if (!Number.isFinite(+x[i])) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
  const series = bandwidth === undefined ? Float64Array.from(x, Number) : gaussianResiduals(x, bandwidth);
  const observed = rollingMoments(series, {window, step});
  const tauVariance = kendallTrend(observed.variance);
  const tauAutocorrelation = kendallTrend(observed.autocorrelation);

  const random = mulberry32(deriveSeed(seed, `early-warning:${model}`));
  const fit = model === "ar1" && n >= 2 ? fitAR1(series) : undefined;
  const buffer = new Float64Array(n);
  const sv = new Float64Array(S);
  const sa = new Float64Array(S);
  for (let i = 0; i < S; ++i) {
    if (fit) ar1Surrogate(fit, n, random, buffer);
    else phaseRandomize(series, random, buffer);
    const m = rollingMoments(buffer, {window, step});
    sv[i] = kendallTrend(m.variance);
    sa[i] = kendallTrend(m.autocorrelation);
  }
  return {
    end: observed.end,
    variance: observed.variance,
    autocorrelation: observed.autocorrelation,
    varianceTrend: {tau: tauVariance, p: pValue(tauVariance, sv), surrogates: sv},
    autocorrelationTrend: {tau: tauAutocorrelation, p: pValue(tauAutocorrelation, sa), surrogates: sa}
  };
}
