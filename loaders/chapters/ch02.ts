/**
 * Chapter 02 at build time: exploratory microstructure, lead–lag and price discovery, the fixed
 * computations over the full span that are too heavy for the browser.
 *
 * Inputs: cleaned trades (`trades-<venue>.arrow`: time, price, qty, side) for rates, sizes, signs
 * and the Hayashi–Yoshida scan; the last price of every 100 ms bin (`site/flow-100ms.arrow`, the
 * same Float32 column the page loads, so a value here and one recomputed in the page from the same
 * lib/ function agree) for returns, the Epps curve, lagged cross-correlation, the VECM and the
 * cross-venue spread. The 1 s price of second i is the 100 ms last price of bin 10·i + 9.
 *
 * Computed per venue: arrival rate (overall, by UTC hour) with Poisson and clustering-aware
 * standard errors and the Fano factor of 10 s counts; trade-size moments, quantiles, CCDF and the
 * Hill tail exponent; the trade-sign autocorrelation to 1000 lags (signs demeaned per UTC hour)
 * with its power-law exponent and a block standard error. Per venue pair: the Epps curve; the
 * cross-correlation of 100 ms returns over ±30 s; the Hayashi–Yoshida lead time on trade times
 * with a block-bootstrap interval; Hasbrouck information shares and Gonzalo–Granger component
 * shares from a VECM on 1 s log prices with batch-means intervals; and the 1 s spread proxy
 * |p_A − p_B| against realised volatility, per minute, with a block-bootstrap slope interval.
 * Lead–lag and price discovery are computed per period of the planted leader schedule (simulated
 * data) or over the full span (real data), since a leadership change mixes two answers.
 *
 * References: T. W. Epps, JASA 74 (1979) 291; T. Hayashi and N. Yoshida, Bernoulli 11 (2005)
 * 359; M. Hoffmann, M. Rosenbaum and N. Yoshida, Bernoulli 19 (2013) 426; J. Hasbrouck, J.
 * Finance 50 (1995) 1175; J. Gonzalo and C. Granger, JBES 13 (1995) 27; F. Lillo and J. D.
 * Farmer, SNDE 8 (2004) 1; B. M. Hill, Ann. Statist. 3 (1975) 1163; H. R. Künsch, Ann. Statist.
 * 17 (1989) 1217.
 */
import {stopwatch} from "./stopwatch.ts";
import {join} from "node:path";
import {readArrowColumns} from "../arrow.ts";
import {VENUE_INFO, type AnalysisConfig, type Venue} from "../config.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {acf, firstBelow} from "../../lib/acf.js";
import {arrivalRate, hourlyArrivalRate} from "../../lib/arrival-rate.js";
import {blockBootstrapIndices, bootstrapSlope, percentileInterval} from "../../lib/block-bootstrap.js";
import {binnedMeans} from "../../lib/binned-means.js";
import {ccdf} from "../../lib/ccdf.js";
import {crossCorrelation} from "../../lib/cross-correlation.js";
import {eppsCurve} from "../../lib/epps.js";
import {leadLagScan, tickSeries, type TickSeries} from "../../lib/hayashi-yoshida.js";
import {hill, hillPlot} from "../../lib/hill.js";
import {componentShares, informationShares} from "../../lib/information-share.js";
import {moments, quantiles} from "../../lib/moments.js";
import {acfPowerLaw} from "../../lib/power-law.js";
import {deriveSeed, mulberry32} from "../../lib/random.js";
import {logReturns} from "../../lib/returns.js";
import {spreadProxy, spreadVolatility} from "../../lib/spread-proxy.js";
import {studentTQuantile} from "../../lib/student-t.js";
import {vecm} from "../../lib/vecm.js";
import {chapterBuild} from "./build.ts";

/** Probabilities of the reported trade-size quantiles. */
export const SIZE_QUANTILES = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999] as const;
/** Largest lag of the trade-sign autocorrelation, trades. */
export const SIGN_MAX_LAG = 1000;
/** Lag range [min, max] of the power-law fit of the sign autocorrelation, trades. */
export const SIGN_FIT_RANGE: [number, number] = [20, 1000];
/** Signs are demeaned within windows of this length (ms) before the ACF (regimes shift the buy share). */
export const SIGN_DEMEAN_MS = 3_600_000;
/** Time blocks of the span for the standard error of the sign-ACF exponent. */
export const SIGN_BLOCKS = 6;
/** Sampling intervals of the Epps curve, seconds. */
export const EPPS_SCALES = [1, 5, 10, 30, 60] as const;
/** Bin width of the lagged cross-correlation, ms, and its largest lag in bins (±30 s). */
export const XCORR_WIDTH_MS = 100;
export const XCORR_MAX_LAG = 300;
/** Hayashi–Yoshida scan: half-width (ms) and step (ms) of the grid around the cross-correlation peak, then a finer step around the best grid point. */
export const HY_HALF_WIDTH_MS = 300;
export const HY_STEP_MS = 20;
export const HY_FINE_STEP_MS = 5;
/** Time blocks per period for the Hayashi–Yoshida bootstrap, and bootstrap resamples. */
export const HY_BLOCKS = 16;
export const HY_BOOTSTRAP = 999;
/** VECM: sampling interval (ms), lagged differences, and blocks per period for batch-means intervals. */
export const VECM_INTERVAL_MS = 1000;
export const VECM_LAGS = 5;
export const VECM_BLOCKS = 12;
/** Spread proxy: aggregation window (s), basis window (s), block length of the slope bootstrap (windows), resamples. */
export const SPREAD_WINDOW_SEC = 60;
export const SPREAD_BASIS_SEC = 3600;
export const SPREAD_BLOCK = 30;
export const SPREAD_BOOTSTRAP = 999;

const HOUR = 3_600_000;

export interface PlantedPeriod {
  leader: Venue;
  delaysMs: Record<string, number>;
}

/** One analysis period: the full span, or one interval of the planted leader schedule. */
export interface Period {
  name: string;
  start: number;
  end: number;
  planted: PlantedPeriod | null;
  /** Whether the Hayashi–Yoshida scan ran on it. */
  hy: boolean;
}

export interface ArrivalRow {
  venue: Venue;
  kind: "perpetual" | "spot";
  trades: number;
  seconds: number;
  rate: number;
  /** Poisson standard error √N/T. */
  rateSE: number;
  /** Standard error allowing for clustering: Poisson SE × √(Fano factor of 10 s counts). */
  rateSEClustered: number;
  /** Median over UTC hours of var/mean of trade counts in 1 s and 10 s windows. */
  fano1s: number;
  fano10s: number;
  /** Branching ratio implied by the 10 s Fano factor for a Hawkes process, 1 − 1/√F. */
  branchingImplied: number;
  hourly: {hour: number; rate: number; rateSE: number; planted: number | null}[];
  planted: {rate: number; meanRatePerSec: number; branchingRatio: number} | null;
}

export interface SizeRow {
  venue: Venue;
  n: number;
  mean: number;
  sd: number;
  median: number;
  quantiles: {p: number; q: number}[];
  skewness: number;
  excessKurtosis: number;
  excessKurtosisSE: number;
  hill: {alpha: number; se: number; interval: [number, number]; k: number; threshold: number; plateau: [number, number]};
  hillPlot: {k: number[]; alpha: number[]};
  ccdf: {x: number[]; p: number[]};
  planted: {tailAlpha: number; tailThresholdBtc: number; medianBtc: number} | null;
}

export interface SignRow {
  venue: Venue;
  /** Trades with a known side. */
  n: number;
  buyShare: number;
  /** ρ(0 … SIGN_MAX_LAG) of the signs demeaned per hour. */
  rho: number[];
  /** First lag (fractional) with ρ < 1/e, and with ρ < 0.05. */
  eFold: number;
  below5pct: number;
  fit: {range: [number, number]; exponent: number; olsSE: number; blockSE: number; interval: [number, number]; amplitude: number; r2: number; blocks: number[]};
  planted: number | null;
}

export interface EppsPair {
  a: Venue;
  b: Venue;
  scaleSec: number[];
  correlation: number[];
  lower: number[];
  upper: number[];
  n: number[];
}

export interface XcorrPair {
  a: Venue;
  b: Venue;
  period: string;
  /** r(ℓ), ℓ = −maxLag … maxLag bins; positive ℓ: a leads b. */
  r: number[];
  peakLagMs: number;
  /** Peak lag refined by a parabola through the peak and its neighbours, ms. */
  refinedLagMs: number;
  peak: number;
  band: number;
  n: number;
  plantedMs: number | null;
}

export interface HyPair {
  a: Venue;
  b: Venue;
  period: string;
  shiftMs: number[];
  correlation: number[];
  /** Shift of the largest HY correlation, ms: positive = a leads b. */
  leadMs: number;
  peak: number;
  /** 95% block-bootstrap percentile interval of the lead, ms, and its standard deviation. */
  interval: [number, number];
  se: number;
  /** Bootstrap share of resamples whose lead has the other sign or is 0 (one-sided p-value of "a leads b" or "b leads a"). */
  pSign: number;
  /** HY correlation at shift 0. */
  zeroLag: number;
  plantedMs: number | null;
}

export interface DelayEstimate {
  period: string;
  /** Recovered delay of each venue behind the fastest one, ms (least squares over the pairwise HY leads). */
  delaysMs: Record<string, number>;
  leader: Venue;
  planted: PlantedPeriod | null;
}

export interface ShareModel {
  venues: Venue[];
  period: string;
  n: number;
  lags: number;
  isLower: number[];
  isUpper: number[];
  isMid: number[];
  /** 95% batch-means interval of the midpoint IS from `blocks` sub-period fits. */
  isMidInterval: [number, number][];
  gg: number[];
  ggSE: number[];
  blocks: number;
  alpha: number[];
  alphaSE: number[];
  plantedLeader: Venue | null;
}

export interface SpreadPair {
  a: Venue;
  b: Venue;
  /** Per window: realised volatility of the pair's mean log price (bp per window) and mean |p_A − p_B − basis| (USD). */
  rv: number[];
  spread: number[];
  /** Mean and median of the 1 s spread proxy over the span, USD, and the median in bp of price. */
  meanUsd: number;
  medianUsd: number;
  medianBp: number;
  slope: number;
  slopeOLSInterval: [number, number];
  slopeInterval: [number, number];
  slopeSE: number;
  intercept: number;
  r2: number;
  windows: number;
  binned: {rvLow: number; rvHigh: number; rv: number; spread: number; lower: number; upper: number; n: number}[];
  /** Diffusion prediction p̄·√(2|Δ|/π)/√window per unit RV (USD per bp) from the planted calm delay difference Δ; null for real data. */
  plantedSlope: number | null;
  plantedDelayMs: number | null;
}

export interface Chapter02 {
  source: "simulated" | "real";
  venues: Venue[];
  kinds: Record<string, "perpetual" | "spot">;
  span: [number, number];
  seed: number;
  periods: Period[];
  arrivals: ArrivalRow[];
  sizes: SizeRow[];
  signs: {maxLag: number; fitRange: [number, number]; demeanMs: number; blocks: number; plantedNote: string | null; venues: SignRow[]};
  epps: {pairs: EppsPair[]};
  xcorr: {widthMs: number; maxLag: number; pairs: XcorrPair[]};
  hy: {halfWidthMs: number; stepMs: number; fineStepMs: number; blocks: number; bootstrap: number; pairs: HyPair[]; delays: DelayEstimate[]};
  discovery: {intervalMs: number; lags: number; blocks: number; models: ShareModel[]};
  spread: {windowSec: number; basisSec: number; block: number; bootstrap: number; pairs: SpreadPair[]};
}

const round = (x: number, digits = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : NaN);
const rounds = (a: ArrayLike<number>, digits = 6): number[] => Array.from(a, (x) => round(x, digits));

/** The venue pairs (i < j in venue order). */
export function venuePairs(venues: readonly Venue[]): [Venue, Venue][] {
  const out: [Venue, Venue][] = [];
  for (let i = 0; i < venues.length; ++i) for (let j = i + 1; j < venues.length; ++j) out.push([venues[i], venues[j]]);
  return out;
}

/**
 * The analysis periods: the full span, then (simulated data) each interval of the planted leader
 * schedule, its first `transitionMs` dropped (delays move during it). The Hayashi–Yoshida scan
 * runs on the schedule's first two intervals (calm before the crash, crash), or on the full span
 * for real data.
 */
export function analysisPeriods(truth: SimTruth | null, span: [number, number]): Period[] {
  const full: Period = {name: "full span", start: span[0], end: span[1], planted: null, hy: !truth};
  const schedule = truth?.leadLag?.schedule ?? [];
  if (!schedule.length) return [full];
  const names = ["calm (before the crash)", "crash", "after the crash"];
  const out = [full];
  schedule.forEach((s, i) => {
    const start = i === 0 ? s.start : s.start + truth!.leadLag.transitionMs;
    if (s.end - start < 60_000) return;
    out.push({name: names[i] ?? `period ${i + 1}`, start, end: s.end, planted: {leader: s.leader, delaysMs: {...s.delaysMs}}, hy: i < 2});
  });
  return out;
}

function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function median(a: number[]): number {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  if (!s.length) return NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

function meanSd(a: number[]): {mean: number; sd: number; n: number} {
  const s = a.filter(Number.isFinite);
  const n = s.length;
  const mean = n ? s.reduce((x, y) => x + y, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(s.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1)) : NaN;
  return {mean, sd, n};
}

/** Fano factor var/mean of counts of `time` in windows of `w` ms over [a, b), the median over hours. */
function fanoFactor(time: Float64Array, a: number, b: number, w: number): number {
  const per: number[] = [];
  for (let h = a; h < b; h += HOUR) {
    const e = Math.min(b, h + HOUR);
    const m = Math.floor((e - h) / w);
    if (m < 10) continue;
    const counts = new Float64Array(m);
    for (let i = lowerBound(time, h), z = lowerBound(time, h + m * w); i < z; ++i) ++counts[Math.floor((time[i] - h) / w)];
    const {mean, sd} = meanSd(Array.from(counts));
    if (mean > 0) per.push((sd * sd) / mean);
  }
  return median(per);
}

/** Arrival rates of one venue. */
export function arrivalRow(venue: Venue, time: Float64Array, span: [number, number], truth: SimTruth | null): ArrivalRow {
  const [t0, t1] = span;
  const overall = arrivalRate(time, {start: t0, end: t1});
  const hourly = hourlyArrivalRate(time, {start: t0, end: t1});
  const fano1s = fanoFactor(time, t0, t1, 1000);
  const fano10s = fanoFactor(time, t0, t1, 10_000);
  const vt = truth?.venueParams?.[venue];
  let plannedHourly: Float64Array | null = null;
  let plantedRate: number | null = null;
  if (truth && vt) {
    const plan: SimPlan = {truth, span: [truth.span.start, truth.span.end], venues: truth.venues, seed: truth.truthKey.seed};
    const count = new Float64Array(24);
    const seconds = new Float64Array(24);
    for (let h = t0; h < t1; h = Math.min(t1, (Math.floor(h / HOUR) + 1) * HOUR)) {
      const e = Math.min(t1, (Math.floor(h / HOUR) + 1) * HOUR);
      const hour = new Date(h).getUTCHours();
      count[hour] += expectedTrades(plan, venue, h, e);
      seconds[hour] += (e - h) / 1000;
    }
    plannedHourly = Float64Array.from(count, (c, h) => (seconds[h] > 0 ? c / seconds[h] : NaN));
    plantedRate = expectedTrades(plan, venue, t0, t1) / ((t1 - t0) / 1000);
  }
  const rows: ArrivalRow["hourly"] = [];
  for (let h = 0; h < 24; ++h)
    if (hourly.seconds[h] > 0) rows.push({hour: h, rate: round(hourly.rate[h]), rateSE: round(hourly.rateSE[h], 4), planted: plannedHourly ? round(plannedHourly[h]) : null});
  return {
    venue,
    kind: VENUE_INFO[venue].kind,
    trades: overall.count,
    seconds: overall.seconds,
    rate: round(overall.rate),
    rateSE: round(overall.rateSE, 4),
    rateSEClustered: round(overall.rateSE * Math.sqrt(Math.max(1, fano10s)), 4),
    fano1s: round(fano1s, 4),
    fano10s: round(fano10s, 4),
    branchingImplied: round(fano10s > 1 ? 1 - 1 / Math.sqrt(fano10s) : 0, 4),
    hourly: rows,
    planted: vt && plantedRate !== null ? {rate: round(plantedRate), meanRatePerSec: vt.meanRatePerSec, branchingRatio: vt.hawkes.branchingRatio} : null
  };
}

/** Trade-size statistics of one venue (BTC). */
export function sizeRow(venue: Venue, qty: Float64Array, truth: SimTruth | null): SizeRow {
  const mo = moments(qty);
  const q = quantiles(qty, SIZE_QUANTILES);
  const h = hill(qty);
  const z = studentTQuantile(0.975, Infinity);
  const plot = hillPlot(qty, {kMax: Math.max(1, Math.floor(qty.length / 10))});
  const ks: number[] = [];
  const as: number[] = [];
  const kMax = plot.k.length;
  for (let j = 0; j < 80 && kMax > 0; ++j) {
    const k = Math.max(1, Math.round(Math.pow(kMax, j / 79)));
    if (ks.length && k <= ks[ks.length - 1]) continue;
    ks.push(k);
    as.push(round(plot.alpha[k - 1], 4));
  }
  const c = ccdf(qty, {logPoints: 120});
  const vt = truth?.venueParams?.[venue];
  return {
    venue,
    n: mo.n,
    mean: round(mo.mean),
    sd: round(mo.sd),
    median: round(q[SIZE_QUANTILES.indexOf(0.5)]),
    quantiles: SIZE_QUANTILES.map((p, i) => ({p, q: round(q[i])})),
    skewness: round(mo.skewness, 4),
    excessKurtosis: round(mo.excessKurtosis, 4),
    excessKurtosisSE: round(mo.excessKurtosisSE, 4),
    hill: {alpha: round(h.alpha, 4), se: round(h.se, 3), interval: [round(h.alpha - z * h.se, 4), round(h.alpha + z * h.se, 4)], k: h.k, threshold: round(h.threshold), plateau: h.plateau},
    hillPlot: {k: ks, alpha: as},
    ccdf: {x: rounds(c.x, 5), p: rounds(c.p, 5)},
    planted: vt ? {tailAlpha: vt.size.tailAlpha, tailThresholdBtc: round(vt.size.tailThresholdBtc), medianBtc: vt.size.medianBtc} : null
  };
}

/**
 * Trade-sign autocorrelation of one venue: known signs (side ≠ 0) in event time, demeaned within
 * `SIGN_DEMEAN_MS` windows (a regime that shifts the buy probability would otherwise add a
 * constant to every lag), cut into `SIGN_BLOCKS` time blocks whose lag covariances are pooled
 * (pairs across a block edge are dropped: a share of about SIGN_MAX_LAG·blocks/n), with the
 * power-law exponent over `SIGN_FIT_RANGE` and its standard error from the spread of the blocks'
 * exponents (the OLS one ignores the correlation of neighbouring ACF values).
 */
export function signRow(venue: Venue, time: Float64Array, side: Int8Array, span: [number, number], truth: SimTruth | null): SignRow {
  const [t0, t1] = span;
  let n = 0;
  let buys = 0;
  for (let i = 0; i < side.length; ++i)
    if (side[i] !== 0) {
      ++n;
      if (side[i] > 0) ++buys;
    }
  const s = new Float64Array(n);
  const st = new Float64Array(n);
  for (let i = 0, j = 0; i < side.length; ++i) if (side[i] !== 0) (s[j] = side[i]), (st[j] = time[i]), ++j;
  // Demean per window.
  for (let a = 0; a < n; ) {
    const w = Math.floor((st[a] - t0) / SIGN_DEMEAN_MS);
    let b = a;
    let sum = 0;
    while (b < n && Math.floor((st[b] - t0) / SIGN_DEMEAN_MS) === w) sum += s[b++];
    const mean = sum / (b - a);
    for (let i = a; i < b; ++i) s[i] -= mean;
    a = b;
  }
  const L = SIGN_MAX_LAG;
  const pooled = new Float64Array(L + 1);
  const blockFits: number[] = [];
  let pooledN = 0;
  for (let k = 0; k < SIGN_BLOCKS; ++k) {
    const a = lowerBound(st, t0 + ((t1 - t0) * k) / SIGN_BLOCKS);
    const b = lowerBound(st, t0 + ((t1 - t0) * (k + 1)) / SIGN_BLOCKS);
    if (b - a <= 4 * L) continue;
    const x = s.subarray(a, b);
    const rho = acf(x, L);
    let m = 0;
    for (let i = 0; i < x.length; ++i) m += x[i];
    m /= x.length;
    let c0 = 0;
    for (let i = 0; i < x.length; ++i) c0 += (x[i] - m) ** 2;
    // c0 is Σ(x − x̄)², i.e. n·c(0): pooled lag sums.
    for (let l = 0; l <= L; ++l) pooled[l] += rho[l] * c0;
    pooledN += x.length;
    const f = acfPowerLaw(rho, {minLag: SIGN_FIT_RANGE[0], maxLag: SIGN_FIT_RANGE[1]});
    blockFits.push(f.exponent);
  }
  const rho = Float64Array.from(pooled, (v) => v / pooled[0]);
  const ok = pooledN > 0 && pooled[0] > 0;
  const fit = ok ? acfPowerLaw(rho, {minLag: SIGN_FIT_RANGE[0], maxLag: SIGN_FIT_RANGE[1]}) : null;
  const {sd, n: nb} = meanSd(blockFits);
  const blockSE = nb > 1 ? sd / Math.sqrt(nb) : NaN;
  const t = nb > 1 ? studentTQuantile(0.975, nb - 1) : NaN;
  const g = fit?.exponent ?? NaN;
  return {
    venue,
    n,
    buyShare: round(n ? buys / n : NaN, 5),
    rho: ok ? rounds(rho, 5) : [],
    eFold: ok ? round(firstBelow(rho), 4) : NaN,
    below5pct: ok ? round(firstBelow(rho, 0.05), 4) : NaN,
    fit: {
      range: SIGN_FIT_RANGE,
      exponent: round(g, 4),
      olsSE: round(fit?.exponentSE ?? NaN, 3),
      blockSE: round(blockSE, 3),
      interval: [round(g - t * blockSE, 4), round(g + t * blockSE, 4)],
      amplitude: round(fit?.amplitude ?? NaN, 4),
      r2: round(fit?.r2 ?? NaN, 4),
      blocks: rounds(blockFits, 4)
    },
    planted: truth?.orderFlow?.signAcfExponent ?? null
  };
}

/** Index range [a, b) of the grid t0 + i·w inside [start, end). */
function gridRange(t0: number, w: number, length: number, start: number, end: number): [number, number] {
  return [Math.max(0, Math.ceil((start - t0) / w)), Math.min(length, Math.floor((end - t0) / w))];
}

/** Parabolic refinement of a peak at index i of r (in units of the index step). */
function parabolicOffset(r: ArrayLike<number>, i: number): number {
  if (i <= 0 || i >= r.length - 1) return 0;
  const a = r[i - 1];
  const b = r[i];
  const c = r[i + 1];
  const d = a - 2 * b + c;
  if (!(d < 0)) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / d));
}

/** The 1 s price grid: the last price of 100 ms bins 10·i + 9. */
export function secondPrices(last100: ArrayLike<number>): Float64Array {
  const m = Math.floor(last100.length / 10);
  const out = new Float64Array(m);
  for (let i = 0; i < m; ++i) out[i] = last100[i * 10 + 9];
  return out;
}

interface TickBlocks {
  blocks: TickSeries[];
}

function tickBlocks(time: Float64Array, price: Float64Array, start: number, end: number, count: number): TickBlocks {
  const blocks: TickSeries[] = [];
  for (let k = 0; k < count; ++k) {
    const a = start + ((end - start) * k) / count;
    const b = start + ((end - start) * (k + 1)) / count;
    const i = lowerBound(time, a);
    const j = lowerBound(time, b);
    blocks.push(tickSeries(time.subarray(i, j), price.subarray(i, j), {origin: a}));
  }
  return {blocks};
}

/**
 * Hayashi–Yoshida lead scan of a over b on per-block tick series: the covariance at each shift is
 * summed over blocks (pairs of intervals across a block edge are lost, a negligible share), the
 * correlation normalised by the pooled realised variances. The grid is centred on `centre` ms
 * (the cross-correlation peak), ±HY_HALF_WIDTH_MS in HY_STEP_MS steps, then refined with
 * HY_FINE_STEP_MS steps within one coarse step of the best point. The lead's interval comes from
 * resampling the blocks with replacement (their curves summed, the argmax taken).
 */
export function hyScan(
  A: TickBlocks,
  B: TickBlocks,
  centre: number,
  seed: number
): {shift: number[]; correlation: number[]; lead: number; peak: number; interval: [number, number]; se: number; pSign: number; zeroLag: number} {
  const nb = A.blocks.length;
  const coarse: number[] = [];
  const c0 = Math.round(centre / HY_STEP_MS) * HY_STEP_MS;
  for (let s = c0 - HY_HALF_WIDTH_MS; s <= c0 + HY_HALF_WIDTH_MS; s += HY_STEP_MS) coarse.push(s);
  if (!coarse.includes(0)) coarse.push(0);
  let va = 0;
  let vb = 0;
  for (let k = 0; k < nb; ++k) (va += A.blocks[k].variance), (vb += B.blocks[k].variance);
  const norm = Math.sqrt(va * vb);
  const curves = new Map<number, Float64Array>(); // shift → per-block covariance
  const scan = (shifts: number[]) => {
    const pending = shifts.filter((s) => !curves.has(s));
    if (!pending.length) return;
    const per = pending.map(() => new Float64Array(nb));
    for (let k = 0; k < nb; ++k) {
      if (A.blocks[k].time.length < 2 || B.blocks[k].time.length < 2) continue;
      const r = leadLagScan(A.blocks[k], B.blocks[k], {shifts: pending});
      for (let i = 0; i < pending.length; ++i) per[i][k] = r.covariance[i];
    }
    pending.forEach((s, i) => curves.set(s, per[i]));
  };
  const total = (s: number) => curves.get(s)!.reduce((x, y) => x + y, 0);
  scan(coarse);
  let best = coarse[0];
  for (const s of coarse) if (total(s) > total(best)) best = s;
  const fine: number[] = [];
  for (let s = best - HY_STEP_MS + HY_FINE_STEP_MS; s < best + HY_STEP_MS; s += HY_FINE_STEP_MS) fine.push(s);
  scan(fine);
  const shift = [...curves.keys()].sort((x, y) => x - y);
  const cov = shift.map(total);
  let bi = 0;
  for (let i = 1; i < shift.length; ++i) if (cov[i] > cov[bi] || (cov[i] === cov[bi] && Math.abs(shift[i]) < Math.abs(shift[bi]))) bi = i;
  const lead = shift[bi];
  // Block bootstrap of the argmax.
  const random = mulberry32(seed);
  const idx = new Int32Array(nb);
  const leads = new Float64Array(HY_BOOTSTRAP);
  const rows = shift.map((s) => curves.get(s)!);
  let other = 0;
  for (let r = 0; r < HY_BOOTSTRAP; ++r) {
    blockBootstrapIndices(nb, 1, random, idx);
    let bs = 0;
    let bv = -Infinity;
    for (let i = 0; i < shift.length; ++i) {
      let v = 0;
      for (let k = 0; k < nb; ++k) v += rows[i][idx[k]];
      if (v > bv) (bv = v), (bs = shift[i]);
    }
    leads[r] = bs;
    if (lead === 0 ? bs !== 0 : Math.sign(bs) !== Math.sign(lead)) ++other;
  }
  const {sd} = meanSd(Array.from(leads));
  return {
    shift,
    correlation: cov.map((c) => round(norm > 0 ? c / norm : NaN, 5)),
    lead,
    peak: round(norm > 0 ? cov[bi] / norm : NaN, 5),
    interval: percentileInterval(leads, 0.95),
    se: round(sd, 4),
    pSign: round((other + 1) / (HY_BOOTSTRAP + 1), 4),
    zeroLag: round(norm > 0 ? total(0) / norm : NaN, 5)
  };
}

/**
 * Delays of every venue behind the fastest from pairwise leads L(a → b) ≈ d_b − d_a: the least
 * squares solution with Σ d = 0 on a complete graph is d_v = mean_w L(w → v), then shifted so the
 * smallest delay is 0 (that venue is the leader).
 */
export function delaysFromLeads(venues: readonly Venue[], leads: {a: Venue; b: Venue; leadMs: number}[]): {delaysMs: Record<string, number>; leader: Venue} {
  const d: Record<string, number> = Object.fromEntries(venues.map((v) => [v, 0]));
  for (const {a, b, leadMs} of leads) {
    d[b] += leadMs / venues.length;
    d[a] -= leadMs / venues.length;
  }
  const leader = venues.reduce((x, v) => (d[v] < d[x] ? v : x), venues[0]);
  const min = d[leader];
  return {delaysMs: Object.fromEntries(venues.map((v) => [v, round(d[v] - min, 4)])), leader};
}

/** VECM information shares of `venues` on 1 s log prices [a, b) with batch-means intervals. */
export function shareModel(venues: Venue[], logs: Float64Array[], a: number, b: number, period: Period): ShareModel | null {
  const cut = logs.map((x) => x.subarray(a, b));
  let fit;
  try {
    fit = vecm(cut, {lags: VECM_LAGS});
  } catch {
    return null;
  }
  let is;
  try {
    is = informationShares(fit);
  } catch {
    return null;
  }
  const gg = componentShares(fit);
  const k = venues.length;
  const per: number[][] = venues.map(() => []);
  const len = b - a;
  const minLen = 40 * (1 + k * (VECM_LAGS + 1));
  const blocks = Math.max(0, Math.min(VECM_BLOCKS, Math.floor(len / minLen)));
  for (let j = 0; j < blocks && blocks > 1; ++j) {
    const s = a + Math.floor((len * j) / blocks);
    const e = a + Math.floor((len * (j + 1)) / blocks);
    try {
      const r = informationShares(vecm(logs.map((x) => x.subarray(s, e)), {lags: VECM_LAGS}));
      r.mid.forEach((m, i) => per[i].push(m));
    } catch {
      /* a block without enough complete observations */
    }
  }
  // Half-width of the 95% batch-means interval from the spread of the block midpoints.
  const halfWidth = per.map((x) => {
    const {sd, n} = meanSd(x);
    return n > 1 ? (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : NaN;
  });
  const mid = Array.from(is.mid);
  return {
    venues,
    period: period.name,
    n: fit.n,
    lags: VECM_LAGS,
    isLower: rounds(is.lower, 4),
    isUpper: rounds(is.upper, 4),
    isMid: rounds(mid, 4),
    isMidInterval: halfWidth.map((h, i) => [round(Math.max(0, mid[i] - h), 4), round(Math.min(1, mid[i] + h), 4)] as [number, number]),
    gg: rounds(gg.shares, 4),
    ggSE: rounds(gg.se, 3),
    blocks: Math.min(...per.map((x) => x.length)),
    alpha: rounds(fit.alpha, 4),
    alphaSE: rounds(fit.alphaSE, 3),
    plantedLeader: period.planted?.leader ?? null
  };
}

/** Reads the columns of `trades-<venue>.arrow` this chapter needs. */
async function readTradeColumns(dir: string, venue: Venue, rows: number): Promise<{time: Float64Array; price: Float64Array; qty: Float64Array; side: Int8Array}> {
  const {columns} = await readArrowColumns(join(dir, `trades-${venue}.arrow`), ["time", "price", "qty", "side"], {rows});
  return {time: columns.time as Float64Array, price: columns.price as Float64Array, qty: columns.qty as Float64Array, side: columns.side as Int8Array};
}

/**
 * Everything chapter 02 computes at build time, from the derived folder `dir` of `config` (see
 * the module comment). JSON-serialisable (NaN becomes null in JSON); deterministic given
 * `config.seed`.
 */
export async function computeChapter02(dir: string, config: AnalysisConfig): Promise<Chapter02> {
  const {lap} = stopwatch("ch02");
  const {manifest, truth, span} = chapterBuild(dir, config);
  const venues = manifest.venues;
  const [t0] = span;
  const seed = config.seed;
  const kinds = Object.fromEntries(venues.map((v) => [v, VENUE_INFO[v].kind]));
  const periods = analysisPeriods(truth, span);
  const pairs = venuePairs(venues);

  // Per venue: rates, sizes, signs; keep time and price for the HY scan, as per-block tick series.
  const arrivals: ArrivalRow[] = [];
  const sizes: SizeRow[] = [];
  const signs: SignRow[] = [];
  const ticks = new Map<string, TickBlocks>(); // `${period} ${venue}`
  for (const v of venues) {
    const rows = manifest.perVenue[v]?.trades ?? 0;
    const t = await readTradeColumns(dir, v, rows);
    lap("read trades");
    arrivals.push(arrivalRow(v, t.time, span, truth));
    lap("arrival rates");
    sizes.push(sizeRow(v, t.qty, truth));
    lap("sizes");
    signs.push(signRow(v, t.time, t.side, span, truth));
    lap("sign acf");
    for (const p of periods) if (p.hy) ticks.set(`${p.name} ${v}`, tickBlocks(t.time, t.price, p.start, p.end, HY_BLOCKS));
    lap("tick series");
  }

  // Prices on the 100 ms and 1 s grids.
  const {length: bins100, columns} = await readArrowColumns(join(dir, "site", "flow-100ms.arrow"), venues.map((v) => `${v}_last`));
  const last100 = new Map<Venue, Float32Array>(venues.map((v) => [v, columns[`${v}_last`] as Float32Array]));
  const sec = new Map<Venue, Float64Array>(venues.map((v) => [v, secondPrices(last100.get(v)!)]));
  const secLogs = new Map<Venue, Float64Array>(venues.map((v) => [v, Float64Array.from(sec.get(v)!, (p) => (p > 0 ? Math.log(p) : NaN))]));
  const nSec = sec.get(venues[0])!.length;
  lap("read prices");

  // Epps curves (full span, 1 s grid).
  const epps: EppsPair[] = pairs.map(([a, b]) => {
    const e = eppsCurve(sec.get(a)!, sec.get(b)!, {scales: EPPS_SCALES});
    return {a, b, scaleSec: Array.from(e.scale), correlation: rounds(e.correlation, 5), lower: rounds(e.lower, 5), upper: rounds(e.upper, 5), n: Array.from(e.n)};
  });
  lap("epps");

  // Lagged cross-correlation of 100 ms returns per period.
  const xcorr: XcorrPair[] = [];
  for (const p of periods) {
    const [a, b] = gridRange(t0, XCORR_WIDTH_MS, bins100, p.start, p.end);
    if (b - a < 2 * XCORR_MAX_LAG + 2) continue;
    const ret = new Map<Venue, Float64Array>(venues.map((v) => [v, logReturns(last100.get(v)!.subarray(a, b), {missing: "previous"})]));
    for (const [x, y] of pairs) {
      const r = crossCorrelation(ret.get(x)!, ret.get(y)!, XCORR_MAX_LAG);
      const i = r.peakLag + XCORR_MAX_LAG;
      xcorr.push({
        a: x,
        b: y,
        period: p.name,
        r: rounds(r.r, 4),
        peakLagMs: r.peakLag * XCORR_WIDTH_MS,
        refinedLagMs: round((r.peakLag + parabolicOffset(r.r, i)) * XCORR_WIDTH_MS, 4),
        peak: round(r.peak, 5),
        band: round(r.band, 4),
        n: r.n,
        plantedMs: p.planted ? p.planted.delaysMs[y] - p.planted.delaysMs[x] : null
      });
    }
  }
  lap("cross-correlation");

  // Hayashi–Yoshida lead scan per pair and HY period.
  const hyPairs: HyPair[] = [];
  const delays: DelayEstimate[] = [];
  for (const p of periods.filter((q) => q.hy)) {
    const leads: {a: Venue; b: Venue; leadMs: number}[] = [];
    for (const [a, b] of pairs) {
      const xc = xcorr.find((x) => x.a === a && x.b === b && x.period === p.name);
      const centre = xc && Number.isFinite(xc.refinedLagMs) ? xc.refinedLagMs : 0;
      const r = hyScan(ticks.get(`${p.name} ${a}`)!, ticks.get(`${p.name} ${b}`)!, centre, deriveSeed(seed, `ch02 hy ${p.name} ${a} ${b}`));
      hyPairs.push({
        a,
        b,
        period: p.name,
        shiftMs: r.shift,
        correlation: r.correlation,
        leadMs: r.lead,
        peak: r.peak,
        interval: r.interval,
        se: r.se,
        pSign: r.pSign,
        zeroLag: r.zeroLag,
        plantedMs: p.planted ? p.planted.delaysMs[b] - p.planted.delaysMs[a] : null
      });
      leads.push({a, b, leadMs: r.lead});
    }
    const d = delaysFromLeads(venues, leads);
    delays.push({period: p.name, ...d, planted: p.planted});
  }
  ticks.clear();
  lap("hayashi-yoshida");

  // Price discovery: VECM on 1 s log prices, every pair and all venues, per period.
  const models: ShareModel[] = [];
  for (const p of periods) {
    const [a, b] = gridRange(t0, VECM_INTERVAL_MS, nSec, p.start, p.end);
    const sets: Venue[][] = [...pairs.map(([x, y]) => [x, y]), ...(venues.length > 2 ? [venues.slice()] : [])];
    for (const set of sets) {
      const m = shareModel(set, set.map((v) => secLogs.get(v)!), a, b, p);
      if (m) models.push(m);
    }
  }
  lap("price discovery");

  // Spread proxy against realised volatility (full span).
  const calm = truth?.leadLag?.schedule?.[0]?.delaysMs ?? null;
  const spread: SpreadPair[] = pairs.map(([a, b]) => {
    const {rv, spread: sp} = spreadVolatility(sec.get(a)!, sec.get(b)!, {window: SPREAD_WINDOW_SEC, basisWindow: SPREAD_BASIS_SEC});
    const proxy = spreadProxy(sec.get(a)!, sec.get(b)!, {basisWindow: SPREAD_BASIS_SEC});
    const bs = bootstrapSlope(rv, sp, {blockLength: SPREAD_BLOCK, resamples: SPREAD_BOOTSTRAP, seed: deriveSeed(seed, `ch02 spread ${a} ${b}`)});
    const finiteProxy = Array.from(proxy).filter(Number.isFinite);
    const prices = Array.from(sec.get(a)!).filter((x) => x > 0);
    const pbar = prices.length ? prices.reduce((x, y) => x + y, 0) / prices.length : NaN;
    const delta = calm ? Math.abs(calm[b] - calm[a]) : null;
    const tq = bs.fit.n > 2 ? studentTQuantile(0.975, bs.fit.n - 2) : NaN;
    return {
      a,
      b,
      rv: rounds(rv, 4),
      spread: rounds(sp, 4),
      meanUsd: round(meanSd(finiteProxy).mean, 4),
      medianUsd: round(median(finiteProxy), 4),
      medianBp: round((median(finiteProxy) / pbar) * 1e4, 4),
      slope: round(bs.fit.slope, 4),
      slopeOLSInterval: [round(bs.fit.slope - tq * bs.fit.slopeSE, 4), round(bs.fit.slope + tq * bs.fit.slopeSE, 4)],
      slopeInterval: [round(bs.interval[0], 4), round(bs.interval[1], 4)],
      slopeSE: round(bs.se, 4),
      intercept: round(bs.fit.intercept, 4),
      r2: round(bs.fit.r2, 4),
      windows: bs.fit.n,
      binned: binnedMeans(rv, sp, {bins: 10}).map((m) => ({rvLow: round(m.x0, 4), rvHigh: round(m.x1, 4), rv: round(m.x, 4), spread: round(m.mean, 4), lower: round(m.lower, 4), upper: round(m.upper, 4), n: m.n})),
      plantedSlope: delta === null ? null : round((pbar * Math.sqrt((2 * delta) / 1000 / Math.PI) * 1e-4) / Math.sqrt(SPREAD_WINDOW_SEC), 4),
      plantedDelayMs: delta
    };
  });
  lap("spread");

  return {
    source: manifest.source,
    venues,
    kinds,
    span,
    seed,
    periods,
    arrivals,
    sizes,
    signs: {
      maxLag: SIGN_MAX_LAG,
      fitRange: SIGN_FIT_RANGE,
      demeanMs: SIGN_DEMEAN_MS,
      blocks: SIGN_BLOCKS,
      plantedNote: truth?.orderFlow?.note ?? null,
      venues: signs
    },
    epps: {pairs: epps},
    xcorr: {widthMs: XCORR_WIDTH_MS, maxLag: XCORR_MAX_LAG, pairs: xcorr},
    hy: {halfWidthMs: HY_HALF_WIDTH_MS, stepMs: HY_STEP_MS, fineStepMs: HY_FINE_STEP_MS, blocks: HY_BLOCKS, bootstrap: HY_BOOTSTRAP, pairs: hyPairs, delays},
    discovery: {intervalMs: VECM_INTERVAL_MS, lags: VECM_LAGS, blocks: VECM_BLOCKS, models},
    spread: {windowSec: SPREAD_WINDOW_SEC, basisSec: SPREAD_BASIS_SEC, block: SPREAD_BLOCK, bootstrap: SPREAD_BOOTSTRAP, pairs: spread}
  };
}
