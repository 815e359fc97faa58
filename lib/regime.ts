/**
 * Regime classification of rolling windows — hot, cold, critical — from quantile thresholds of
 * the phase-transition observables estimated on past windows only, and a validation table of
 * what followed each regime.
 */
import {quantiles} from "./moments.js";
import {pastQuantiles} from "./past-quantiles.js";

/** Regime codes of {@link classifyRegimes}: index into {@link REGIME_NAMES}. */
export const UNLABELLED = 0;
export const COLD = 1;
export const CRITICAL = 2;
export const HOT = 3;
/** Names of the regime codes: `REGIME_NAMES[HOT] === "hot"`. */
export const REGIME_NAMES = ["unlabelled", "cold", "critical", "hot"] as const;
export type RegimeName = (typeof REGIME_NAMES)[number];

/** The observables of each window, aligned (same length, same window ends). */
export interface RegimeObservables {
  /** Entropy (rate) of the order flow or returns, bits. */
  entropy: ArrayLike<number>;
  /** Realised volatility (any fixed scale). */
  volatility: ArrayLike<number>;
  /** Correlation length, samples. */
  correlationLength: ArrayLike<number>;
  /** Susceptibility χ = N·Var(m). */
  susceptibility: ArrayLike<number>;
}

/** Quantile probabilities [low, high] of one observable, 0 ≤ low ≤ high ≤ 1. */
export type QuantilePair = [number, number];

/** Options of {@link classifyRegimes}. */
export interface RegimeOptions {
  /**
   * Quantile probabilities [low, high] that define "low" (≤ the low quantile) and "high"
   * (≥ the high quantile) for each observable; default [1/3, 2/3] (terciles) for all.
   */
  quantiles?: Partial<Record<keyof RegimeObservables, QuantilePair>>;
  /** Windows back over which a growing correlation length is judged: ξ[t] > ξ[t − lookback] (default 3). */
  lookback?: number;
  /** Conditions (of three) a regime needs (default 3: all of them). */
  minVotes?: 1 | 2 | 3;
  /**
   * Where each window's thresholds come from: `"expanding"` (default) the windows 0 … t,
   * `"rolling"` the last `history` windows up to t — both past data only, so a label can be
   * validated on what followed it — or `"whole"` the whole series (look-ahead: a window's label
   * then depends on the future, so it describes the day and cannot be validated out of sample).
   */
  thresholds?: ThresholdMode;
  /**
   * Windows of history: the fewest finite values a past threshold needs (earlier windows stay
   * UNLABELLED), and the length of the rolling history; default {@link DEFAULT_HISTORY}.
   */
  history?: number;
}

/** How {@link classifyRegimes} estimates each window's thresholds. */
export type ThresholdMode = "expanding" | "rolling" | "whole";

/** Default windows of history of the past thresholds (an hour of one-minute steps). */
export const DEFAULT_HISTORY = 60;

/** Result of {@link classifyRegimes}. */
export interface RegimeClassification {
  /** One code per window: UNLABELLED, COLD, CRITICAL or HOT. */
  labels: Int8Array;
  /** The thresholds of the last window, in each observable's units: [low, high] (the whole series' with `"whole"`). */
  thresholds: Record<keyof RegimeObservables, [number, number]>;
  /** Each window's thresholds per observable: [low, high] series (NaN before `history` finite values). */
  series: Record<keyof RegimeObservables, [Float64Array, Float64Array]>;
}

const KEYS = ["entropy", "volatility", "correlationLength", "susceptibility"] as const;

/**
 * Labels each window hot, cold or critical by analogy with a thermodynamic system, using
 * quantile thresholds of each observable (low = at most its low quantile, high = at least its
 * high quantile):
 *
 * - hot: high entropy, high volatility, low (short) correlation length — a disordered market;
 * - cold: low entropy, low volatility, high (long) correlation length — an ordered, quiet market;
 * - critical: intermediate entropy (strictly between its quantiles), growing correlation length
 *   (ξ[t] > ξ[t − lookback]) and high susceptibility — the signature of an approaching
 *   continuous transition (Scheffer et al. 2009, Nature 461: 53; Stanley 1971).
 *
 * By default the thresholds of window t are the quantiles of windows 0 … t only (an expanding
 * window, lib/past-quantiles.ts; `"rolling"` keeps the last `history`): a label uses nothing
 * after its window's end, so what followed it is an out-of-sample test of the label (walk-forward
 * estimation). Windows before `history` finite values stay UNLABELLED. `"whole"` uses the
 * quantiles of the whole series, which looks ahead.
 *
 * A window gets a regime when at least `minVotes` of that regime's three conditions hold
 * (default all three); if several qualify, the one with most votes wins, ties going to critical,
 * then hot, then cold. Windows with any non-finite observable or threshold, and the first
 * `lookback` windows for the critical test, count those conditions as false; a window with no
 * qualifying regime is UNLABELLED. The regimes are relative to the series (quantiles), not absolute.
 *
 * Throws a RangeError for mismatched lengths, quantiles outside [0, 1] or low > high, or invalid
 * lookback / minVotes / thresholds / history.
 */
export function classifyRegimes(observables: RegimeObservables, options: RegimeOptions = {}): RegimeClassification {
  const {lookback = 3, minVotes = 3, thresholds: mode = "expanding", history = DEFAULT_HISTORY} = options;
  if (!Number.isInteger(lookback) || lookback < 1) throw new RangeError(`invalid lookback: ${lookback}`);
  if (minVotes !== 1 && minVotes !== 2 && minVotes !== 3) throw new RangeError(`invalid minVotes: ${minVotes}`);
  if (mode !== "expanding" && mode !== "rolling" && mode !== "whole") throw new RangeError(`invalid thresholds: ${mode}`);
  if (!Number.isInteger(history) || history < 1) throw new RangeError(`invalid history: ${history}`);
  const n = observables.entropy.length;
  const thresholds = {} as Record<keyof RegimeObservables, [number, number]>;
  const series = {} as Record<keyof RegimeObservables, [Float64Array, Float64Array]>;
  for (const key of KEYS) {
    const values = observables[key];
    if (values.length !== n) throw new RangeError(`invalid ${key} length: ${values.length} (entropy has ${n})`);
    const [lo, hi] = options.quantiles?.[key] ?? [1 / 3, 2 / 3];
    if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new RangeError(`invalid ${key} quantiles: ${lo}, ${hi}`);
    if (mode === "whole") {
      const [qLo, qHi] = quantiles(values, [lo, hi]);
      series[key] = [new Float64Array(n).fill(qLo), new Float64Array(n).fill(qHi)];
    } else {
      const [qLo, qHi] = pastQuantiles(values, [lo, hi], {window: mode === "rolling" ? history : Infinity, minCount: history});
      series[key] = [qLo, qHi];
    }
    thresholds[key] = n > 0 ? [series[key][0][n - 1], series[key][1][n - 1]] : [NaN, NaN];
  }
  const {entropy: E, volatility: V, correlationLength: X, susceptibility: C} = observables;
  const [eLo, eHi] = series.entropy;
  const [vLo, vHi] = series.volatility;
  const [xLo, xHi] = series.correlationLength;
  const [, cHi] = series.susceptibility;
  const labels = new Int8Array(n);
  for (let t = 0; t < n; ++t) {
    const e = +E[t];
    const v = +V[t];
    const x = +X[t];
    const c = +C[t];
    // Comparisons with NaN are false, so a missing observable or threshold casts no vote.
    const hot = +(e >= eHi[t]) + +(v >= vHi[t]) + +(x <= xLo[t]);
    const cold = +(e <= eLo[t]) + +(v <= vLo[t]) + +(x >= xHi[t]);
    const critical = +(e > eLo[t] && e < eHi[t]) + +(t >= lookback && x > +X[t - lookback] && Number.isFinite(xHi[t])) + +(c >= cHi[t]);
    let label = UNLABELLED;
    let votes = minVotes - 1;
    if (critical > votes) (label = CRITICAL), (votes = critical);
    if (hot > votes) (label = HOT), (votes = hot);
    if (cold > votes) (label = COLD), (votes = cold);
    labels[t] = label;
  }
  return {labels, thresholds, series};
}

/** Options of {@link forwardOutcomes}. */
export interface ForwardOptions {
  /** Samples after the window end over which outcomes are measured (integer ≥ 1). */
  horizon: number;
  /** Smallest share of finite returns in the horizon (default 0.5), else NaN. */
  minCoverage?: number;
}

/** What followed each window (see {@link forwardOutcomes}). */
export interface ForwardOutcomes {
  /** Forward realised volatility √((h/c) Σ r²) over the horizon, per-horizon log-return units. */
  volatility: Float64Array;
  /** Forward log return Σ r over the horizon (missing returns count as 0). */
  return: Float64Array;
}

/**
 * Forward outcomes of each window: with r the log returns of the underlying regular series and
 * `end[j]` the last sample of window j, the horizon is the samples end[j] + 1 … end[j] + h.
 * Forward volatility √((h/c)·Σ r²) (c finite returns, the realised volatility of
 * lib/realised-volatility.ts) and forward return Σ r. NaN when the horizon runs past the series
 * or holds fewer than minCoverage·h finite returns. Throws a RangeError for an invalid horizon,
 * coverage or window end.
 */
export function forwardOutcomes(r: ArrayLike<number>, end: ArrayLike<number>, options: ForwardOptions): ForwardOutcomes {
  const {horizon: h, minCoverage = 0.5} = options;
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`invalid horizon: ${h}`);
  if (!(minCoverage > 0 && minCoverage <= 1)) throw new RangeError(`invalid minCoverage: ${minCoverage}`);
  const n = r.length;
  const c1 = new Float64Array(n + 1);
  const c2 = new Float64Array(n + 1);
  const cc = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) {
    const v = +r[i];
    const ok = Number.isFinite(v);
    c1[i + 1] = c1[i] + (ok ? v : 0);
    c2[i + 1] = c2[i] + (ok ? v * v : 0);
    cc[i + 1] = cc[i] + (ok ? 1 : 0);
  }
  const m = end.length;
  const volatility = new Float64Array(m);
  const ret = new Float64Array(m);
  for (let j = 0; j < m; ++j) {
    const e = end[j];
    if (!Number.isInteger(e) || e < 0) throw new RangeError(`invalid end[${j}]: ${e}`);
    const lo = e + 1;
    const hi = e + 1 + h;
    const count = hi <= n ? cc[hi] - cc[lo] : 0;
    if (hi > n || count < minCoverage * h || count === 0) {
      volatility[j] = ret[j] = NaN;
      continue;
    }
    volatility[j] = Math.sqrt((h / count) * Math.max(0, c2[hi] - c2[lo]));
    ret[j] = c1[hi] - c1[lo];
  }
  return {volatility, return: ret};
}

/** Mean, standard error and count of one outcome within one regime. */
export interface OutcomeSummary {
  mean: number;
  /** Standard error of the mean, inflated by √overlap (see {@link regimeTable}). */
  se: number;
  count: number;
}

/** One row of {@link regimeTable}. */
export interface RegimeRow {
  regime: number;
  name: RegimeName;
  /** Windows with this label. */
  count: number;
  volatility: OutcomeSummary;
  return: OutcomeSummary;
}

/**
 * Validation table: mean forward volatility and forward return per regime (including
 * unlabelled), with standard errors and counts over the windows whose outcome is finite.
 *
 * SE = s/√c · √overlap, s the sample SD (denominator c − 1) and c the count. Consecutive windows
 * whose forward horizons overlap give correlated outcomes: pass `overlap` = horizon / step
 * (≥ 1), the variance inflation of averaging overlapping sums of independent increments
 * (Hansen & Hodrick 1980, J. Polit. Econ. 88: 829); it is approximate when the regime's windows
 * are scattered rather than consecutive (then conservative). NaN SE when c < 2.
 * Compare regimes by their difference relative to the combined SE, and remember that volatility
 * clusters: a hot regime predicts high forward volatility partly by persistence alone.
 */
export function regimeTable(labels: ArrayLike<number>, outcomes: ForwardOutcomes, options: {overlap?: number} = {}): RegimeRow[] {
  const {overlap = 1} = options;
  if (!(overlap >= 1 && overlap < Infinity)) throw new RangeError(`invalid overlap: ${overlap}`);
  const n = labels.length;
  if (outcomes.volatility.length !== n) throw new RangeError(`invalid volatility length: ${outcomes.volatility.length} (labels has ${n})`);
  if (outcomes.return.length !== n) throw new RangeError(`invalid return length: ${outcomes.return.length} (labels has ${n})`);
  const summarise = (values: Float64Array, regime: number): OutcomeSummary => {
    let c = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < n; ++i) {
      if (labels[i] !== regime) continue;
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      const d = v - mean;
      mean += d / ++c;
      m2 += d * (v - mean);
    }
    return {mean: c > 0 ? mean : NaN, se: c > 1 ? Math.sqrt((m2 / (c - 1) / c) * overlap) : NaN, count: c};
  };
  return REGIME_NAMES.map((name, regime) => {
    let count = 0;
    for (let i = 0; i < n; ++i) if (labels[i] === regime) ++count;
    return {regime, name, count, volatility: summarise(outcomes.volatility, regime), return: summarise(outcomes.return, regime)};
  });
}
