/**
 * Chapter 02, exploratory microstructure: what each venue's tape is made of, how the venues' prices
 * move together, who moves first and who discovers the price. A pure function of a market (no
 * files, no DOM): the build's loader (`loaders/chapters/ch02.ts`), page 02 and the tests call the
 * same steps.
 *
 * Inputs: cleaned trades (time, price, qty, side) for rates, sizes, signs and the Hayashi–Yoshida
 * scan; the last price of every 100 ms bin (the flow matrix, Float32 as the page loads it) for
 * returns, the Epps curve, lagged cross-correlation, the VECM and the cross-venue spread. The 1 s
 * price of second i is the 100 ms last price of bin 10·i + 9.
 *
 * Computed per venue: arrival rate (overall, by UTC hour) with Poisson and clustering-aware
 * standard errors and the Fano factor of 10 s counts; trade-size moments, quantiles, CCDF and the
 * Hill tail exponent; the taker-order sign autocorrelation to 1000 lags (signs demeaned per UTC hour)
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
import {OrderRun} from "../taker-orders.js";
import {acf, firstBelow} from "../acf.js";
import {ArrivalStream, type ArrivalSums} from "../arrival-stream.js";
import {bootstrapSlope} from "../block-bootstrap.js";
import {binnedMeans} from "../binned-means.js";
import {logCcdf} from "../ccdf.js";
import {crossCorrelation, parabolicOffset, type CrossCorrelation} from "../cross-correlation.js";
import {eppsCurve} from "../epps.js";
import {blockLeadLagScan, hySweepOf, tickBlocks, type BlockLeadLag, type BlockLeadLagOptions, type TickSeries} from "../hayashi-yoshida.js";
import {hillAtRuns, hillKs, hillOf, hillPlotSize} from "../hill.js";
import {leadDelays} from "../lead-delays.js";
import {componentShares, informationShares, type InformationShares} from "../information-share.js";
import {median} from "../moments.js";
import {acfPowerLaw, type PowerLawFit} from "../power-law.js";
import {deriveSeed} from "../random.js";
import {aggregateReturns, logReturns} from "../returns.js";
import {spreadProxy, spreadVolatility} from "../spread-proxy.js";
import {studentTQuantile} from "../student-t.js";
import {vecm, type VecmFit} from "../vecm.js";
import {marketFlow, marketTrades, type Market, type TradeColumns} from "./market.js";
import {OrderSignStream, type OrderSignSums} from "./sign-stream.js";
import {SizeStream} from "./size-stream.js";
import {fullPeriod, schedulePeriods, type Period, type PeriodId} from "./periods.js";
import {roundNumber as round, roundNumbers as rounds} from "./round.js";
import type {SimTruth} from "./truth.js";
import {delayDiff, VENUE_INFO, venuePairs, type Venue} from "./venues.js";

const HOUR = 3_600_000;

/**
 * Expected number of trades of a venue in [start, end) (epoch ms) under the planted intensity of
 * a simulated market: the simulator's own integral, handed in by the caller so that the planted
 * rates beside the measured ones come from the one place that draws the trades.
 */
export type ExpectedTrades = (venue: Venue, start: number, end: number) => number;

/** Parameters of chapter 02. Times in ms unless named otherwise. */
export interface MicrostructureParams {
  /** Seed of every bootstrap (each derives its own stream from it by label). */
  seed: number;
  /** Probabilities of the reported trade-size quantiles. */
  sizeQuantiles: readonly number[];
  /** Largest lag of the trade-sign autocorrelation, trades. */
  signMaxLag: number;
  /** Lag range [min, max] of the power-law fit of the sign autocorrelation, trades. */
  signFitRange: [number, number];
  /** Signs are demeaned within windows of this length before the ACF (regimes shift the buy share). */
  signDemeanMs: number;
  /** Time blocks of the span for the standard error of the sign-ACF exponent. */
  signBlocks: number;
  /** Sampling intervals of the Epps curve, seconds. */
  eppsScales: readonly number[];
  /** Bin width of the lagged cross-correlation, and its largest lag in bins (±30 s). */
  xcorrWidthMs: number;
  xcorrMaxLag: number;
  /** Hayashi–Yoshida scan: half-width and step of the grid around the cross-correlation peak, then a finer step around the best grid point. */
  hyHalfWidthMs: number;
  hyStepMs: number;
  hyFineStepMs: number;
  /** Time blocks per period for the Hayashi–Yoshida bootstrap, and bootstrap resamples. */
  hyBlocks: number;
  hyBootstrap: number;
  /** VECM: sampling interval, lagged differences, and blocks per period for batch-means intervals. */
  vecmIntervalMs: number;
  vecmLags: number;
  vecmBlocks: number;
  /** Spread proxy: aggregation window (s), basis window (s), block length of the slope bootstrap (windows), resamples. */
  spreadWindowSec: number;
  spreadBasisSec: number;
  spreadBlock: number;
  spreadBootstrap: number;
  /** Periods of the leader schedule shorter than this after trimming the transition are left out. */
  minPeriodMs: number;
  /** The planted intensity of a simulated market (null: no planted rates). */
  expectedTrades: ExpectedTrades | null;
}

/** The defaults of chapter 02 (the seed is the workbook's default; the loader sets the configured one). */
export const MICROSTRUCTURE_DEFAULTS: Readonly<MicrostructureParams> = Object.freeze({
  seed: 20240805,
  sizeQuantiles: [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999],
  signMaxLag: 1000,
  signFitRange: [20, 1000],
  signDemeanMs: 3_600_000,
  signBlocks: 6,
  eppsScales: [1, 5, 10, 30, 60],
  xcorrWidthMs: 100,
  xcorrMaxLag: 300,
  hyHalfWidthMs: 300,
  hyStepMs: 20,
  hyFineStepMs: 5,
  hyBlocks: 16,
  hyBootstrap: 999,
  vecmIntervalMs: 1000,
  vecmLags: 5,
  vecmBlocks: 12,
  spreadWindowSec: 60,
  spreadBasisSec: 3600,
  spreadBlock: 30,
  spreadBootstrap: 999,
  minPeriodMs: 60_000,
  expectedTrades: null
} satisfies MicrostructureParams);

/** One analysis period: the full span, or one interval of the planted leader schedule. */
export interface MicrostructurePeriod extends Period {
  /** Whether the Hayashi–Yoshida scan runs on it. */
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
  /** Taker orders (prints of one known side at one timestamp merged). */
  n: number;
  /** Prints (trades) with a known side. */
  prints: number;
  buyShare: number;
  /** ρ(0 … signMaxLag) of the signs demeaned per hour. */
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
  period: PeriodId;
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
  period: PeriodId;
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
  period: PeriodId;
  /** Recovered delay of each venue behind the fastest one, ms (least squares over the pairwise HY leads). */
  delaysMs: Record<string, number>;
  leader: Venue;
  planted: Period["planted"];
}

export interface ShareModel {
  venues: Venue[];
  period: PeriodId;
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

/** Everything chapter 02 computes: the JSON page 02 reads (NaN becomes null in JSON). */
export interface MicrostructureResult {
  source: "simulated" | "real";
  venues: Venue[];
  kinds: Record<string, "perpetual" | "spot">;
  span: [number, number];
  seed: number;
  periods: MicrostructurePeriod[];
  arrivals: ArrivalRow[];
  sizes: SizeRow[];
  signs: {maxLag: number; fitRange: [number, number]; demeanMs: number; blocks: number; plantedNote: string | null; venues: SignRow[]};
  epps: {pairs: EppsPair[]};
  xcorr: {widthMs: number; maxLag: number; pairs: XcorrPair[]};
  hy: {halfWidthMs: number; stepMs: number; fineStepMs: number; blocks: number; bootstrap: number; pairs: HyPair[]; delays: DelayEstimate[]};
  discovery: {intervalMs: number; lags: number; blocks: number; models: ShareModel[]};
  spread: {windowSec: number; basisSec: number; block: number; bootstrap: number; pairs: SpreadPair[]};
}

/** The parts of a market chapter 02 reads: trades (time, price, qty, side) of every venue and the 100 ms flow matrix's last prices. */
export type MicrostructureMarket = Pick<Market, "source" | "venues" | "span" | "truth" | "trades" | "flow">;

/** Mean and sample standard deviation (n − 1) of the finite values, summed in order. */
function meanSd(a: ArrayLike<number>): {mean: number; sd: number; n: number} {
  const s = Array.from(a).filter(Number.isFinite);
  const n = s.length;
  const mean = n ? s.reduce((x, y) => x + y, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(s.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1)) : NaN;
  return {mean, sd, n};
}

/**
 * The analysis periods: the full span, then (simulated data) each interval of the planted leader
 * schedule with its transition (`truth.leadLag.transitionMs`) dropped, intervals shorter than
 * `minPeriodMs` left out. The Hayashi–Yoshida scan runs before the crash and in the crash, or on
 * the full span for real data and for a market planted without a crash (then the only period).
 */
export function microstructurePeriods(truth: SimTruth | null, span: [number, number], {minPeriodMs}: Pick<MicrostructureParams, "minPeriodMs"> = MICROSTRUCTURE_DEFAULTS): MicrostructurePeriod[] {
  const full: MicrostructurePeriod = {...fullPeriod(span), hy: !truth};
  if (!truth?.leadLag?.schedule?.length) return [full];
  const schedule = schedulePeriods(truth, span, {trimMs: truth.leadLag.transitionMs, minMs: minPeriodMs});
  // A market planted without a crash: one period, the full span with its planted delays, scanned.
  if (schedule.length === 1 && schedule[0].id === "full") return [{...schedule[0], hy: true}];
  return [full, ...schedule.map((p) => ({...p, hy: p.id === "before-crash" || p.id === "crash"}))];
}

/**
 * Arrival rates of one venue over `span`: the overall rate N/T (trades per s) with its Poisson
 * standard error √N/T and one inflated by √F (F the 10 s Fano factor) for clustering, the rate by
 * UTC hour, and the Hawkes branching ratio implied by F, 1 − 1/√F. With `expectedTrades` and
 * a truth, the planted rates beside them.
 */
export function arrivalRow(venue: Venue, time: Float64Array, span: [number, number], truth: SimTruth | null, expectedTrades: ExpectedTrades | null = null): ArrivalRow {
  const stream = arrivalStream(span);
  stream.push(time);
  return arrivalRowFrom(venue, stream.result(), span, truth, expectedTrades);
}

/** The {@link ArrivalStream} of {@link arrivalRow}: the span's counts, hourly counts and the Fano factors of 1 s and 10 s windows per UTC hour; feed it a venue's trade times in order, then `arrivalRowFrom`. */
export function arrivalStream(span: [number, number]): ArrivalStream {
  return new ArrivalStream(span[0], span[1], [1000, 10_000]);
}

/** The arrival row of {@link arrivalRow} from the sums of its {@link ArrivalStream} fed the venue's trade times (in any pieces): the same values. */
export function arrivalRowFrom(venue: Venue, sums: ArrivalSums, span: [number, number], truth: SimTruth | null, expectedTrades: ExpectedTrades | null = null): ArrivalRow {
  const [t0, t1] = span;
  const {overall, hourly} = sums;
  const [fano1s, fano10s] = sums.fano;
  const vt = truth?.venueParams?.[venue];
  let plannedHourly: Float64Array | null = null;
  let plantedRate: number | null = null;
  if (truth && vt && expectedTrades) {
    const count = new Float64Array(24);
    const seconds = new Float64Array(24);
    for (let h = t0; h < t1; h = Math.min(t1, (Math.floor(h / HOUR) + 1) * HOUR)) {
      const e = Math.min(t1, (Math.floor(h / HOUR) + 1) * HOUR);
      const hour = new Date(h).getUTCHours();
      count[hour] += expectedTrades(venue, h, e);
      seconds[hour] += (e - h) / 1000;
    }
    plannedHourly = Float64Array.from(count, (c, h) => (seconds[h] > 0 ? c / seconds[h] : NaN));
    plantedRate = expectedTrades(venue, t0, t1) / ((t1 - t0) / 1000);
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

/**
 * Trade-size statistics of one venue (BTC): moments, type-7 quantiles at `sizeQuantiles`, the
 * Hill tail exponent with its 95 % normal interval α ± 1.96·α/√k (Hill, Ann. Statist. 3 (1975)
 * 1163), the Hill plot at up to 80 log-spaced k, and the CCDF at 120 log-spaced points.
 */
export function sizeRow(venue: Venue, qty: Float64Array, truth: SimTruth | null, params: Pick<MicrostructureParams, "sizeQuantiles"> = MICROSTRUCTURE_DEFAULTS): SizeRow {
  const stream = new SizeStream();
  stream.push(qty);
  return sizeRowFrom(venue, stream, truth, params);
}

/** The size row of {@link sizeRow} from a {@link SizeStream} fed the venue's sizes (in trade order, in any pieces): the same values. */
export function sizeRowFrom(venue: Venue, stream: SizeStream, truth: SimTruth | null, {sizeQuantiles}: Pick<MicrostructureParams, "sizeQuantiles"> = MICROSTRUCTURE_DEFAULTS): SizeRow {
  const {counts} = stream;
  const mo = stream.moments.result();
  const q = counts.quantiles(sizeQuantiles);
  const positive = counts.length - counts.countBelow(Number.MIN_VALUE);
  const z = studentTQuantile(0.975, Infinity);
  // The Hill plot at up to 80 log-spaced k up to a tenth of the rows.
  const kMax = hillPlotSize(positive, Math.max(1, Math.floor(stream.rows / 10)));
  const ks: number[] = [];
  for (let j = 0; j < 80 && kMax > 0; ++j) {
    const k = Math.max(1, Math.round(Math.pow(kMax, j / 79)));
    if (ks.length && k <= ks[ks.length - 1]) continue;
    ks.push(k);
  }
  const at = hillAtRuns(counts.descending(), [...ks, ...hillKs(positive)]);
  const h = hillOf(positive, (k) => at.get(k)!.alpha, (k) => at.get(k)!.threshold);
  const as = ks.map((k) => round(at.get(k)!.alpha, 4));
  const {smallestPositive, largest} = counts.extremes();
  const c = positive > 0 ? logCcdf(counts.length, smallestPositive, largest, (v) => counts.countBelow(v), 120) : {x: new Float64Array(0), p: new Float64Array(0)};
  const vt = truth?.venueParams?.[venue];
  return {
    venue,
    n: mo.n,
    mean: round(mo.mean),
    sd: round(mo.sd),
    median: round(q[sizeQuantiles.indexOf(0.5)]),
    quantiles: sizeQuantiles.map((p, i) => ({p, q: round(q[i])})),
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
 * The taker orders of one venue's trade prints: consecutive prints with the same known side
 * (side ≠ 0) and the same timestamp are one aggressive order filled against several resting
 * orders, and become one order with that side and time (the grouping of Binance's aggregate
 * trades; Tóth et al., "Why is equity order flow so persistent?", J. Econ. Dyn. Control 51 (2015)
 * 218, separate the fills of one order from the splitting of metaorders the same way). Prints of
 * unknown side are dropped. Inputs in time order; returns the orders' times and sides.
 */
export function takerOrders(time: ArrayLike<number>, side: ArrayLike<number>): {time: Float64Array; side: Int8Array} {
  if (time.length !== side.length) throw new RangeError(`invalid side length: ${side.length} (time has ${time.length})`);
  const t = new Float64Array(time.length);
  const s = new Int8Array(side.length);
  const run = new OrderRun();
  let n = 0;
  for (let i = 0; i < side.length; ++i) {
    const v = side[i];
    if (v === 0 || !run.starts(time[i], v)) continue;
    t[n] = time[i];
    s[n] = v;
    ++n;
  }
  return {time: t.slice(0, n), side: s.slice(0, n)};
}

/**
 * Order-sign autocorrelation of one venue: the signs of its taker orders ({@link takerOrders}:
 * prints of one side at one timestamp merged) in event time, demeaned within
 * `signDemeanMs` windows (a regime that shifts the buy probability would otherwise add a
 * constant to every lag), cut into `signBlocks` time blocks whose lag covariances are pooled
 * (pairs across a block edge are dropped: a share of about signMaxLag·blocks/n), with the
 * power-law exponent ρ(ℓ) ≈ A·ℓ^−γ over `signFitRange` and its standard error from the spread
 * of the blocks' exponents (the OLS one ignores the correlation of neighbouring ACF values).
 * Lillo & Farmer, SNDE 8 (2004) 1.
 */
export function signRow(
  venue: Venue,
  time: Float64Array,
  side: Int8Array,
  span: [number, number],
  truth: SimTruth | null,
  params: Pick<MicrostructureParams, "signMaxLag" | "signFitRange" | "signDemeanMs" | "signBlocks"> = MICROSTRUCTURE_DEFAULTS
): SignRow {
  const stream = signStream(span, params);
  stream.push(time, side);
  stream.next();
  stream.replay();
  return signRowFrom(venue, stream.result(), truth, params);
}

/** The {@link OrderSignStream} of {@link signRow}: feed it a venue's trades in time order, three times (`next` after each pass) or once and `replay()`, then `signRowFrom`. */
export function signStream(span: [number, number], {signMaxLag, signDemeanMs, signBlocks}: Pick<MicrostructureParams, "signMaxLag" | "signDemeanMs" | "signBlocks"> = MICROSTRUCTURE_DEFAULTS): OrderSignStream {
  return new OrderSignStream(span, {maxLag: signMaxLag, demeanMs: signDemeanMs, blocks: signBlocks});
}

/** The sign row of {@link signRow} from the sums of its {@link OrderSignStream}: the blocks' lag covariances pooled, the power-law fit and the blocks' exponents. */
export function signRowFrom(
  venue: Venue,
  sums: OrderSignSums,
  truth: SimTruth | null,
  {signMaxLag, signFitRange}: Pick<MicrostructureParams, "signMaxLag" | "signFitRange"> = MICROSTRUCTURE_DEFAULTS
): SignRow {
  const {orders: n, prints, buys} = sums;
  const L = signMaxLag;
  const pooled = new Float64Array(L + 1);
  const blockFits: number[] = [];
  let pooledN = 0;
  for (const {rho, c0, n: len} of sums.blocks) {
    // c0 is Σ(x − x̄)², i.e. n·c(0): pooled lag sums.
    for (let l = 0; l <= L; ++l) pooled[l] += rho[l] * c0;
    pooledN += len;
    const f = acfPowerLaw(rho, {minLag: signFitRange[0], maxLag: signFitRange[1]});
    blockFits.push(f.exponent);
  }
  const rho = Float64Array.from(pooled, (v) => v / pooled[0]);
  const ok = pooledN > 0 && pooled[0] > 0;
  const fit = ok ? acfPowerLaw(rho, {minLag: signFitRange[0], maxLag: signFitRange[1]}) : null;
  const {sd, n: nb} = meanSd(blockFits);
  const blockSE = nb > 1 ? sd / Math.sqrt(nb) : NaN;
  const t = nb > 1 ? studentTQuantile(0.975, nb - 1) : NaN;
  const g = fit?.exponent ?? NaN;
  return {
    venue,
    n,
    prints,
    buyShare: round(n ? buys / n : NaN, 5),
    rho: ok ? rounds(rho, 5) : [],
    eFold: ok ? round(firstBelow(rho), 4) : NaN,
    below5pct: ok ? round(firstBelow(rho, 0.05), 4) : NaN,
    fit: {
      range: signFitRange,
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

/**
 * The known signs (+1 buy, −1 sell; side 0 dropped) of each venue in a long table of trades (one
 * venue column, one side column), in table order: the input of {@link signAcf} on a sample.
 */
export function signsByVenue(venues: readonly Venue[], venue: {get(i: number): unknown; length: number}, side: ArrayLike<number>): Map<Venue, Float64Array> {
  if (venue.length !== side.length) throw new RangeError(`invalid side length: ${side.length} (venue has ${venue.length})`);
  const lists = new Map<Venue, number[]>(venues.map((v) => [v, []]));
  for (let i = 0; i < side.length; ++i) if (side[i] !== 0) lists.get(venue.get(i) as Venue)?.push(side[i]);
  return new Map([...lists].map(([v, s]) => [v, Float64Array.from(s)]));
}

/**
 * The autocorrelation of a sign series to `maxLag` (capped at n − 1; empty below 11 signs) and
 * its power-law exponent over [min(fitFrom, lag − 1), lag] when the lag reaches 40 (else null):
 * the page's recomputation on the trades sample. The OLS standard error of the fit is a lower
 * bound (neighbouring ACF values are correlated); see {@link signRow} for the block one.
 */
export function signAcf(signs: Float64Array, maxLag: number, fitFrom: number): {lag: number; rho: Float64Array; fit: PowerLawFit | null; eFold: number} {
  const lag = Math.min(maxLag, Math.max(0, signs.length - 1));
  const rho = signs.length > 10 ? acf(signs, lag) : new Float64Array(0);
  const fit = lag >= 40 ? acfPowerLaw(rho, {minLag: Math.min(fitFrom, lag - 1), maxLag: lag}) : null;
  return {lag, rho, fit, eFold: firstBelow(rho)};
}

/** Index range [a, b) of the grid t0 + i·w (length `length`) inside [start, end). */
export function gridRange(t0: number, w: number, length: number, start: number, end: number): [number, number] {
  return [Math.max(0, Math.ceil((start - t0) / w)), Math.min(length, Math.floor((end - t0) / w))];
}

/** The 1 s price grid: the last price of 100 ms bins 10·i + 9. */
export function secondPrices(last100: ArrayLike<number>): Float64Array {
  const m = Math.floor(last100.length / 10);
  const out = new Float64Array(m);
  for (let i = 0; i < m; ++i) out[i] = last100[i * 10 + 9];
  return out;
}

/** Natural log of each positive price, NaN elsewhere. */
export function logPrices(price: ArrayLike<number>): Float64Array {
  return Float64Array.from(price, (p) => (p > 0 ? Math.log(p) : NaN));
}

/**
 * Log returns of the 100 ms last prices (bin i starts at t0 + i·100 ms) inside `period`, a
 * missing price carried forward (`logReturns` with `missing: "previous"`, r[i] = ln p_{i+1}/p_i).
 */
export function periodReturns(last100: Float32Array | Float64Array, t0: number, period: Pick<Period, "start" | "end">, widthMs = 100): Float64Array {
  const [a, b] = gridRange(t0, widthMs, last100.length, period.start, period.end);
  return logReturns(last100.subarray(a, Math.max(a, b)), {missing: "previous"});
}

/**
 * Lagged cross-correlation of two venues' returns on `binMs` bins (100 ms returns summed in
 * groups of binMs/100) at lags −maxLag … maxLag bins, with the peak lag in ms: positive means
 * the first venue moves first. `maxLag` is capped at the series length − 1.
 */
export function laggedCorrelation(ra100: Float64Array, rb100: Float64Array, binMs: number, maxLag: number): CrossCorrelation & {leadMs: number} {
  const scale = binMs / 100;
  if (!(Number.isInteger(scale) && scale >= 1)) throw new RangeError(`invalid binMs: ${binMs}`);
  const ra = scale === 1 ? ra100 : aggregateReturns(ra100, scale);
  const rb = scale === 1 ? rb100 : aggregateReturns(rb100, scale);
  const lag = Math.max(1, Math.min(ra.length - 1, maxLag));
  const xc = crossCorrelation(ra, rb, lag);
  return {...xc, leadMs: xc.peakLag * binMs};
}

/** Epps curve of one pair on the 1 s grid: the correlation of returns at each of `eppsScales` seconds with Fisher-z 95 % intervals (Epps, JASA 74 (1979) 291). */
export function eppsPair(a: Venue, b: Venue, secA: Float64Array, secB: Float64Array, {eppsScales}: Pick<MicrostructureParams, "eppsScales"> = MICROSTRUCTURE_DEFAULTS): EppsPair {
  const e = eppsCurve(secA, secB, {scales: eppsScales});
  return {a, b, scaleSec: Array.from(e.scale), correlation: rounds(e.correlation, 5), lower: rounds(e.lower, 5), upper: rounds(e.upper, 5), n: Array.from(e.n)};
}

/** The cross-correlation of one pair's 100 ms returns in one period, its peak refined by a parabola. */
export function xcorrPair(a: Venue, b: Venue, ra: Float64Array, rb: Float64Array, period: Period, {xcorrWidthMs, xcorrMaxLag}: Pick<MicrostructureParams, "xcorrWidthMs" | "xcorrMaxLag"> = MICROSTRUCTURE_DEFAULTS): XcorrPair {
  const r = crossCorrelation(ra, rb, xcorrMaxLag);
  const i = r.peakLag + xcorrMaxLag;
  return {
    a,
    b,
    period: period.id,
    r: rounds(r.r, 4),
    peakLagMs: r.peakLag * xcorrWidthMs,
    refinedLagMs: round((r.peakLag + parabolicOffset(r.r, i)) * xcorrWidthMs, 4),
    peak: round(r.peak, 5),
    band: round(r.band, 4),
    n: r.n,
    plantedMs: period.planted ? delayDiff(period.planted.delaysMs, a, b) : null
  };
}

/** The trades of one venue in `period` as `hyBlocks` tick series (see `tickBlocks` in lib/hayashi-yoshida). */
export function periodTicks(time: Float64Array, price: Float64Array, period: Pick<Period, "start" | "end">, {hyBlocks}: Pick<MicrostructureParams, "hyBlocks"> = MICROSTRUCTURE_DEFAULTS): TickSeries[] {
  return tickBlocks(time, price, period.start, period.end, hyBlocks);
}

/**
 * Hayashi–Yoshida lead of a over b in one period (`blockLeadLagScan` in lib/hayashi-yoshida):
 * the grid centred on `centreMs` (the cross-correlation peak), the bootstrap seeded by
 * `seed` and the label "ch02 hy <period> <a> <b>", sweeping the venue with fewer trades in
 * `tradeCounts` (as {@link hyScanPlan}).
 */
export function hyPair(
  a: Venue,
  b: Venue,
  ticksA: readonly TickSeries[],
  ticksB: readonly TickSeries[],
  centreMs: number,
  period: Period,
  {seed, hyHalfWidthMs, hyStepMs, hyFineStepMs, hyBootstrap}: Pick<MicrostructureParams, "seed" | "hyHalfWidthMs" | "hyStepMs" | "hyFineStepMs" | "hyBootstrap"> = MICROSTRUCTURE_DEFAULTS,
  tradeCounts?: Readonly<Partial<Record<string, number>>>
): HyPair {
  return hyPairFrom(a, b, blockLeadLagScan(ticksA, ticksB, hyScanOptions(a, b, centreMs, period, {seed, hyHalfWidthMs, hyStepMs, hyFineStepMs, hyBootstrap}, tradeCounts)), period);
}

/** The `blockLeadLagScan` options of {@link hyPair}: the grid centred on `centreMs`, the bootstrap seeded by `seed` and the label "ch02 hy <period> <a> <b>". */
export function hyScanOptions(
  a: Venue,
  b: Venue,
  centreMs: number,
  period: Pick<Period, "id">,
  {seed, hyHalfWidthMs, hyStepMs, hyFineStepMs, hyBootstrap}: Pick<MicrostructureParams, "seed" | "hyHalfWidthMs" | "hyStepMs" | "hyFineStepMs" | "hyBootstrap"> = MICROSTRUCTURE_DEFAULTS,
  tradeCounts?: Readonly<Partial<Record<string, number>>>
): BlockLeadLagOptions {
  return {centre: centreMs, halfWidth: hyHalfWidthMs, step: hyStepMs, fineStep: hyFineStepMs, resamples: hyBootstrap, seed: deriveSeed(seed, `ch02 hy ${hyLabel(period.id)} ${a} ${b}`), by: hySweepOf(a, b, tradeCounts)};
}

/** The {@link HyPair} of a pair's `blockLeadLagScan` result in `period`. */
export function hyPairFrom(a: Venue, b: Venue, r: BlockLeadLag, period: Period): HyPair {
  return {
    a,
    b,
    period: period.id,
    shiftMs: r.shift,
    correlation: rounds(r.correlation, 5),
    leadMs: r.lead,
    peak: round(r.peak, 5),
    interval: r.interval,
    se: round(r.se, 4),
    pSign: round(r.pSign, 4),
    zeroLag: round(r.zeroLag, 5),
    plantedMs: period.planted ? delayDiff(period.planted.delaysMs, a, b) : null
  };
}

/**
 * The words that label a period in the bootstrap seeds. They were the periods' names when the
 * seeds were first drawn; kept so that the same configuration draws the same resamples.
 */
function hyLabel(id: PeriodId): string {
  return id === "full" ? "full span" : id === "before-crash" ? "calm (before the crash)" : id === "crash" ? "crash" : "after the crash";
}

/**
 * Delays of every venue behind the fastest from the pairwise Hayashi–Yoshida leads
 * (`leadDelays` in lib/lead-delays), rounded to 4 significant digits, and the leader.
 */
export function delaysFromLeads(venues: readonly Venue[], leads: {a: Venue; b: Venue; leadMs: number}[]): {delaysMs: Record<string, number>; leader: Venue} {
  const {delays, leader} = leadDelays(venues, leads.map(({a, b, leadMs}) => ({a, b, lead: leadMs})));
  return {delaysMs: Object.fromEntries(venues.map((v) => [v, round(delays[v], 4)])), leader};
}

/**
 * A VECM with `lags` lagged differences on log prices (one array per venue, equal lengths) and
 * its price-discovery shares: Hasbrouck information-share bounds (J. Finance 50 (1995) 1175)
 * and Gonzalo–Granger component shares (JBES 13 (1995) 27). Throws a RangeError when the
 * prices do not allow a fit (too few complete observations, collinear, Ω not positive definite).
 */
export function priceDiscovery(logs: ArrayLike<number>[], lags: number): {fit: VecmFit; is: InformationShares; gg: {shares: Float64Array; se: Float64Array}} {
  const fit = vecm(logs, {lags});
  const is = informationShares(fit);
  return {fit, is, gg: componentShares(fit)};
}

/**
 * VECM information shares of `venues` on 1 s log prices [a, b) with a 95 % batch-means interval
 * of the midpoint IS from up to `vecmBlocks` sub-period fits (t quantile × sd/√blocks). Null when
 * the whole period does not allow a fit (a RangeError of the fit); other errors are thrown.
 */
export function shareModel(venues: Venue[], logs: Float64Array[], a: number, b: number, period: Period, {vecmLags, vecmBlocks}: Pick<MicrostructureParams, "vecmLags" | "vecmBlocks"> = MICROSTRUCTURE_DEFAULTS): ShareModel | null {
  let whole;
  try {
    whole = priceDiscovery(logs.map((x) => x.subarray(a, b)), vecmLags);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  const {fit, is, gg} = whole;
  const k = venues.length;
  const per: number[][] = venues.map(() => []);
  const len = b - a;
  const minLen = 40 * (1 + k * (vecmLags + 1));
  const blocks = Math.max(0, Math.min(vecmBlocks, Math.floor(len / minLen)));
  for (let j = 0; j < blocks && blocks > 1; ++j) {
    const s = a + Math.floor((len * j) / blocks);
    const e = a + Math.floor((len * (j + 1)) / blocks);
    try {
      const r = informationShares(vecm(logs.map((x) => x.subarray(s, e)), {lags: vecmLags}));
      r.mid.forEach((m, i) => per[i].push(m));
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // a block without enough complete observations
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
    period: period.id,
    n: fit.n,
    lags: vecmLags,
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

/**
 * The cross-venue spread proxy of one pair against realised volatility over the span, on the 1 s
 * grid: per `spreadWindowSec` window the realised volatility of the pair's mean log price (bp)
 * and the mean |p_A − p_B − basis| (USD; basis the median difference per `spreadBasisSec`),
 * the least-squares slope with its OLS interval and a moving-block bootstrap interval
 * (`spreadBlock` windows, `spreadBootstrap` resamples, seeded by the label
 * "ch02 spread <a> <b>"), volatility-decile means, and (with the planted calm delays) the slope a
 * random walk seen Δ ms late predicts, p̄·√(2Δ/π)·1e−4/√window USD per bp.
 */
export function spreadPair(
  a: Venue,
  b: Venue,
  secA: Float64Array,
  secB: Float64Array,
  calmDelaysMs: Record<string, number> | null,
  {seed, spreadWindowSec, spreadBasisSec, spreadBlock, spreadBootstrap}: Pick<MicrostructureParams, "seed" | "spreadWindowSec" | "spreadBasisSec" | "spreadBlock" | "spreadBootstrap"> = MICROSTRUCTURE_DEFAULTS
): SpreadPair {
  const {rv, spread: sp} = spreadVolatility(secA, secB, {window: spreadWindowSec, basisWindow: spreadBasisSec});
  const proxy = spreadProxy(secA, secB, {basisWindow: spreadBasisSec});
  // A short span has few windows: the block is at most a third of them (the bootstrap needs several blocks to resample).
  const blockLength = Math.max(1, Math.min(spreadBlock, Math.floor(rv.length / 3)));
  const bs = bootstrapSlope(rv, sp, {blockLength, resamples: spreadBootstrap, seed: deriveSeed(seed, `ch02 spread ${a} ${b}`)});
  const finiteProxy = Array.from(proxy).filter(Number.isFinite);
  const prices = Array.from(secA).filter((x) => x > 0);
  const pbar = prices.length ? prices.reduce((x, y) => x + y, 0) / prices.length : NaN;
  const delta = calmDelaysMs ? Math.abs(calmDelaysMs[b] - calmDelaysMs[a]) : null;
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
    plantedSlope: delta === null ? null : round((pbar * Math.sqrt((2 * delta) / 1000 / Math.PI) * 1e-4) / Math.sqrt(spreadWindowSec), 4),
    plantedDelayMs: delta
  };
}

/**
 * What chapter 02 keeps of one venue's trades: its arrival, size and sign rows and (from the whole
 * columns) per HY period its trades as per-block tick series; a streamed part has no ticks and
 * the scans come in {@link MicrostructureInputs} `hyScans`.
 */
export interface MicrostructureVenue {
  arrival: ArrivalRow;
  size: SizeRow;
  sign: SignRow;
  /** Per period id (the periods with `hy`): `periodTicks` of the venue's trades. */
  ticks?: Map<string, TickSeries[]>;
}

/**
 * The part of {@link analyseMicrostructure} that reads one venue's trades (time, price, qty,
 * side): a caller can read the venues one at a time and pass the parts in
 * ({@link MicrostructureInputs}), holding one venue's trade columns instead of every venue's.
 */
export function microstructureVenue(
  venue: Venue,
  trades: Pick<TradeColumns, "time" | "price" | "qty" | "side" | "length">,
  market: Pick<Market, "span" | "truth">,
  params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS
): MicrostructureVenue {
  const n = trades.length;
  const time = trades.time.subarray(0, n);
  const price = trades.price.subarray(0, n);
  const arrivals = arrivalStream(market.span);
  arrivals.push(time, n);
  const sizes = new SizeStream();
  sizes.push(trades.qty, n);
  const signs = signStream(market.span, params);
  for (let pass = 0; pass < 3; ++pass) {
    signs.push(time, trades.side, n);
    signs.next();
  }
  const ticks = new Map<string, TickSeries[]>();
  for (const p of microstructurePeriods(market.truth, market.span, params)) if (p.hy) ticks.set(p.id, periodTicks(time, price, p, params));
  return {...microstructureVenueFrom(venue, arrivals.result(), sizes, signs.result(), market, params), ticks};
}

/**
 * {@link microstructureVenue} from a venue's trades read in pieces, without its tick blocks: the
 * arrival sums of an {@link ArrivalStream} ({@link arrivalStream}), the sizes as a
 * {@link SizeStream} and the signs as the sums of their {@link OrderSignStream}
 * ({@link signStream}), each fed every piece in time order. The same rows as
 * {@link microstructureVenue} on the whole columns; the Hayashi–Yoshida scans are streamed apart
 * ({@link hyScanPlan}).
 */
export function microstructureVenueFrom(
  venue: Venue,
  arrivals: ArrivalSums,
  sizes: SizeStream,
  signs: OrderSignSums,
  market: Pick<Market, "span" | "truth">,
  params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS
): MicrostructureVenue {
  const {span, truth} = market;
  return {
    arrival: arrivalRowFrom(venue, arrivals, span, truth, params.expectedTrades),
    size: sizeRowFrom(venue, sizes, truth, params),
    sign: signRowFrom(venue, signs, truth, params)
  };
}

/** Inputs of {@link analyseMicrostructure} that do not change its result. */
export interface MicrostructureInputs {
  /** Each venue's {@link microstructureVenue} of this market and params, computed by the caller; when given, the market's trade columns are not read. */
  venueParts?: Partial<Record<Venue, MicrostructureVenue>>;
  /** The cross-correlation pairs ({@link xcorrPairs} of this market and params), computed by the caller. */
  xcorr?: XcorrPair[];
  /** Each scan of {@link hyScanPlan} (key `${period} ${a} ${b}`): its `blockLeadLagScan` result, computed by the caller (e.g. streamed); used instead of the venue parts' ticks. */
  hyScans?: ReadonlyMap<string, BlockLeadLag>;
  /** The price-discovery models ({@link discoveryModels} of this market and params), computed by the caller. */
  models?: ShareModel[];
  /** The spread pairs ({@link spreadPairs} of this market and params), computed by the caller. */
  spread?: SpreadPair[];
}

/** One Hayashi–Yoshida scan of chapter 02: a pair in an HY period with its `blockLeadLagScan` options. */
export interface HyScan {
  key: string;
  period: MicrostructurePeriod;
  a: Venue;
  b: Venue;
  options: BlockLeadLagOptions;
}

/**
 * The lagged cross-correlation of 100 ms returns of every pair in every period long enough for
 * ±`xcorrMaxLag` bins, from the flow matrix's last prices.
 */
export function xcorrPairs(market: Pick<Market, "venues" | "span" | "truth" | "flow">, params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS): XcorrPair[] {
  return xcorrPlan(market, params).map((item) => xcorrOf(market, item, params));
}

/** One cross-correlation of {@link xcorrPairs}: a pair of venues in a period. */
export interface XcorrItem {
  period: MicrostructurePeriod;
  a: Venue;
  b: Venue;
}

/**
 * The cross-correlations {@link xcorrPairs} computes, in its order (periods, then pairs): every
 * pair in every period with more than 2·`xcorrMaxLag` + 1 bins of the 100 ms grid.
 */
export function xcorrPlan(market: Pick<Market, "venues" | "span" | "truth" | "flow">, params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS): XcorrItem[] {
  const {venues, span, truth} = market;
  const flow = marketFlow(market);
  const items: XcorrItem[] = [];
  for (const period of microstructurePeriods(truth, span, params)) {
    const [a, b] = gridRange(span[0], params.xcorrWidthMs, flow.length, period.start, period.end);
    if (b - a < 2 * params.xcorrMaxLag + 2) continue;
    for (const [x, y] of venuePairs(venues)) items.push({period, a: x, b: y});
  }
  return items;
}

/** One item of {@link xcorrPlan} ({@link xcorrPair} of its venues' 100 ms returns in its period): a pure function of the flow matrix's last prices, so it may run anywhere. */
export function xcorrOf(market: Pick<Market, "span" | "flow">, {period, a, b}: XcorrItem, params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS): XcorrPair {
  const flow = marketFlow(market);
  // One pair's returns at a time (a venue's are recomputed per pair: the same values, half the memory of every venue's at once).
  const returns = (v: Venue) => {
    const last = flow.last[v];
    if (!last) throw new RangeError(`invalid market: no 100 ms last prices of ${v}`);
    return periodReturns(last, market.span[0], period, params.xcorrWidthMs);
  };
  return xcorrPair(a, b, returns(a), returns(b), period, params);
}

/** The 1 s prices of `venue` (the last 100 ms price of each second) from the flow matrix. */
function flowSeconds(market: Pick<Market, "flow">, venue: Venue): Float64Array {
  const last = marketFlow(market).last[venue];
  if (!last) throw new RangeError(`invalid market: no 100 ms last prices of ${venue}`);
  return secondPrices(last);
}

/**
 * The price-discovery models of chapter 02 in `periods` (default: every period of the chapter),
 * in order — per period every pair, then all venues together — those with enough data
 * ({@link shareModel} on 1 s log prices). Computed per period, the concatenation over the periods
 * in order is the whole list.
 */
export function discoveryModels(
  market: Pick<Market, "venues" | "span" | "truth" | "flow">,
  params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS,
  periods: readonly Period[] = microstructurePeriods(market.truth, market.span, params)
): ShareModel[] {
  const {venues, span} = market;
  const secLogs = new Map<Venue, Float64Array>(venues.map((v) => [v, logPrices(flowSeconds(market, v))]));
  const nSec = secLogs.get(venues[0])!.length;
  const sets: Venue[][] = [...venuePairs(venues).map(([x, y]) => [x, y]), ...(venues.length > 2 ? [venues.slice()] : [])];
  const models: ShareModel[] = [];
  for (const p of periods) {
    const [a, b] = gridRange(span[0], params.vecmIntervalMs, nSec, p.start, p.end);
    for (const set of sets) {
      const m = shareModel(set, set.map((v) => secLogs.get(v)!), a, b, p, params);
      if (m) models.push(m);
    }
  }
  return models;
}

/** The spread proxy against realised volatility of every pair (`spreadPair` on the 1 s prices, with the planted calm delays), in pair order. */
export function spreadPairs(market: Pick<Market, "venues" | "truth" | "flow">, params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS): SpreadPair[] {
  const calm = market.truth?.leadLag?.schedule?.[0]?.delaysMs ?? null;
  const sec = new Map<Venue, Float64Array>(market.venues.map((v) => [v, flowSeconds(market, v)]));
  return venuePairs(market.venues).map(([a, b]) => spreadPair(a, b, sec.get(a)!, sec.get(b)!, calm, params));
}

/**
 * The Hayashi–Yoshida scans of chapter 02, per HY period and pair in order: each centred on the
 * pair's cross-correlation peak in the period (0 without one), sweeping the venue with fewer
 * trades in `tradeCounts` (each venue's trades over the span; without them the first of the pair).
 */
export function hyScanPlan(market: Pick<Market, "venues" | "span" | "truth">, xcorr: readonly XcorrPair[], params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS, tradeCounts?: Readonly<Partial<Record<string, number>>>): HyScan[] {
  const scans: HyScan[] = [];
  for (const p of microstructurePeriods(market.truth, market.span, params).filter((q) => q.hy))
    for (const [a, b] of venuePairs(market.venues)) {
      const xc = xcorr.find((x) => x.a === a && x.b === b && x.period === p.id);
      const centre = xc && Number.isFinite(xc.refinedLagMs) ? xc.refinedLagMs : 0;
      scans.push({key: `${p.id} ${a} ${b}`, period: p, a, b, options: hyScanOptions(a, b, centre, p, params, tradeCounts)});
    }
  return scans;
}

/**
 * Everything chapter 02 computes, from a market with the trades (time, price, qty, side) of every
 * venue and the 100 ms flow matrix: the arrival, size and sign rows per venue; per pair the Epps
 * curve, the cross-correlation and the Hayashi–Yoshida lead per period, the delays they imply,
 * the VECM price-discovery shares per period (every pair and all venues together) and the spread
 * against volatility. Deterministic given `params.seed`. With `venueParts` the per-venue part
 * comes from the caller (the same values) and the market needs no trade columns.
 */
export function analyseMicrostructure(
  market: MicrostructureMarket,
  params: MicrostructureParams = MICROSTRUCTURE_DEFAULTS,
  given: MicrostructureInputs = {}
): MicrostructureResult {
  const {venueParts} = given;
  const {source, venues, span, truth} = market;
  const [t0] = span;
  const kinds = Object.fromEntries(venues.map((v) => [v, VENUE_INFO[v].kind]));
  const periods = microstructurePeriods(truth, span, params);
  const pairs = venuePairs(venues);

  // Per venue: rates, sizes, signs; the trades of each HY period as per-block tick series.
  const arrivals: ArrivalRow[] = [];
  const sizes: SizeRow[] = [];
  const signs: SignRow[] = [];
  const ticks = new Map<string, TickSeries[]>(); // `${period} ${venue}`
  for (const v of venues) {
    const part = venueParts?.[v] ?? microstructureVenue(v, marketTrades(market, v), market, params);
    arrivals.push(part.arrival);
    sizes.push(part.size);
    signs.push(part.sign);
    for (const [id, t] of part.ticks ?? []) ticks.set(`${id} ${v}`, t);
  }

  // Prices on the 1 s grid.
  const sec = new Map<Venue, Float64Array>(venues.map((v) => [v, flowSeconds(market, v)]));

  const epps = pairs.map(([a, b]) => eppsPair(a, b, sec.get(a)!, sec.get(b)!, params));

  // Lagged cross-correlation of 100 ms returns per period.
  const xcorr = given.xcorr ?? xcorrPairs(market, params);

  // Hayashi–Yoshida lead per pair and HY period, centred on the cross-correlation peak.
  const hyPairs: HyPair[] = [];
  const delays: DelayEstimate[] = [];
  const plan = hyScanPlan(market, xcorr, params, Object.fromEntries(arrivals.map((r) => [r.venue, r.trades])));
  for (const p of periods.filter((q) => q.hy)) {
    const leads: {a: Venue; b: Venue; leadMs: number}[] = [];
    for (const {key, a, b, options} of plan.filter((s) => s.period.id === p.id)) {
      const ta = ticks.get(`${p.id} ${a}`);
      const tb = ticks.get(`${p.id} ${b}`);
      const scan = given.hyScans?.get(key) ?? (ta && tb ? blockLeadLagScan(ta, tb, options) : null);
      if (!scan) throw new RangeError(`invalid inputs: no Hayashi–Yoshida scan of ${key} and no ticks of its venues`);
      const h = hyPairFrom(a, b, scan, p);
      hyPairs.push(h);
      leads.push({a, b, leadMs: h.leadMs});
    }
    delays.push({period: p.id, ...delaysFromLeads(venues, leads), planted: p.planted});
  }

  // Price discovery: VECM on 1 s log prices, every pair and all venues, per period.
  const models = given.models ?? discoveryModels(market, params, periods);

  // Spread proxy against realised volatility (full span), with the planted calm delays.
  const spread = given.spread ?? spreadPairs(market, params);

  return {
    source,
    venues,
    kinds,
    span,
    seed: params.seed,
    periods,
    arrivals,
    sizes,
    signs: {
      maxLag: params.signMaxLag,
      fitRange: params.signFitRange,
      demeanMs: params.signDemeanMs,
      blocks: params.signBlocks,
      plantedNote: truth?.orderFlow?.note ?? null,
      venues: signs
    },
    epps: {pairs: epps},
    xcorr: {widthMs: params.xcorrWidthMs, maxLag: params.xcorrMaxLag, pairs: xcorr},
    hy: {halfWidthMs: params.hyHalfWidthMs, stepMs: params.hyStepMs, fineStepMs: params.hyFineStepMs, blocks: params.hyBlocks, bootstrap: params.hyBootstrap, pairs: hyPairs, delays},
    discovery: {intervalMs: params.vecmIntervalMs, lags: params.vecmLags, blocks: params.vecmBlocks, models},
    spread: {windowSec: params.spreadWindowSec, basisSec: params.spreadBasisSec, block: params.spreadBlock, bootstrap: params.spreadBootstrap, pairs: spread}
  };
}

// ---------------------------------------------------------------------------------------------
// Words of the page, chosen by the calibrated outcome

/** Whether a pair's Hayashi–Yoshida lead is resolved: its bootstrap interval excludes 0. */
export function hyResolved(h: Pick<HyPair, "interval">): boolean {
  return h.interval[0] > 0 || h.interval[1] < 0;
}

/**
 * A pair's Hayashi–Yoshida lead in words: "a leads b by X ms [lo, hi] (bootstrap p …)" only when
 * the bootstrap interval excludes 0, else "no lead resolved: X ms [lo, hi]" with no p-value.
 */
export function hyLeadWords(h: Pick<HyPair, "a" | "b" | "leadMs" | "interval" | "pSign">, label: (v: string) => string): string {
  if (!hyResolved(h)) return `no lead resolved: ${h.leadMs} ms [${h.interval[0]}, ${h.interval[1]}]`;
  const ab = h.leadMs > 0;
  const [x, y] = ab ? [h.a, h.b] : [h.b, h.a];
  const lo = ab ? h.interval[0] : -h.interval[1];
  const hi = ab ? h.interval[1] : -h.interval[0];
  return `${label(x)} leads ${label(y)} by ${Math.abs(h.leadMs)} ms [${lo}, ${hi}] (bootstrap p = ${h.pSign < 0.001 ? "< 0.001" : h.pSign.toFixed(3)} for the sign)`;
}

/** The calibrated leader entries chapter 02 reads (chapter 03's `leaders`). */
export interface CalibratedLeader {
  analysis: "A" | "B";
  period: PeriodId;
  leader: Venue | null;
  p: number;
  reason: string | null;
}

/** The calibrated leader of the venues of `venues` (B when spot is among them, else A) in `period`, or null when not computed. */
export function calibratedLeaderOf(leaders: readonly CalibratedLeader[], period: PeriodId, withSpot: boolean): CalibratedLeader | null {
  const analysis = withSpot ? "B" : "A";
  return leaders.find((l) => l.analysis === analysis && l.period === period) ?? null;
}

/**
 * The lead–lag trading implication of chapter 02, chosen by the calibrated rule (analysis A, the
 * perpetuals): with a leader, its resolved HY leads over the others; without one, "no leader
 * found" and the number of pairs whose lead is resolved; never a lead the interval does not resolve.
 */
export function leadLagSentence(
  hy: Pick<MicrostructureResult["hy"], "pairs">,
  leaders: readonly CalibratedLeader[],
  periods: readonly PeriodId[],
  label: (v: string) => string,
  periodWords: (p: PeriodId) => string
): string {
  const parts = periods.map((period) => {
    const o = calibratedLeaderOf(leaders, period, false);
    const pairs = hy.pairs.filter((h) => h.period === period);
    const resolved = pairs.filter(hyResolved).length;
    if (!o) return `${periodWords(period)} the calibrated leader rule was not computed`;
    if (!o.leader) return `${periodWords(period)} no leader is found among the perpetuals (rule p = ${o.p.toFixed(3)}; ${resolved} of ${pairs.length} pairs have a resolved lead)`;
    const own = pairs.filter((h) => (h.a === o.leader || h.b === o.leader) && hyResolved(h)).map((h) => hyLeadWords(h, label));
    return `${periodWords(period)} ${label(o.leader)} leads the perpetuals (rule p = ${o.p.toFixed(3)})${own.length ? `: ${own.join("; ")}` : ""}`;
  });
  const named = periods.map((p) => calibratedLeaderOf(leaders, p, false)?.leader ?? null);
  const advice =
    named.every((x) => x === null)
      ? "no venue's trades can be watched as the leader's on this evidence"
      : named.every((x) => x !== null) && new Set(named).size > 1
        ? "a signal that assumes one fixed leader fails when the regime changes"
        : named.every((x) => x !== null)
          ? "a taker can watch the leader's trades to anticipate the followers"
          : "whether the leader changes between periods is inconclusive";
  return `The trading implication is that ${parts.join("; ")}: ${advice}.`;
}

/**
 * Information shares in words: the venue of largest IS midpoint is called the price-discovery
 * leader only when the calibrated rule names the same venue in that period; otherwise the shares
 * are described without a leader claim.
 */
export function shareSentence(model: Pick<ShareModel, "venues" | "isMid" | "isLower" | "isUpper" | "gg" | "period"> | null, leaders: readonly CalibratedLeader[], label: (v: string) => string, periodWords: (p: PeriodId) => string, kinds: Record<string, "perpetual" | "spot">): string {
  if (!model) return "No information-share model was fitted for this period.";
  let top = 0;
  model.isMid.forEach((x, i) => (x > model.isMid[top] ? (top = i) : 0));
  const withSpot = model.venues.some((v) => kinds[v] === "spot");
  const o = calibratedLeaderOf(leaders, model.period, withSpot);
  const shares = model.venues.map((v, i) => `${label(v)} ${model.isMid[i].toFixed(3)} [${model.isLower[i].toFixed(3)}, ${model.isUpper[i].toFixed(3)}] (GG ${model.gg[i].toFixed(3)})`).join(", ");
  const head = `${periodWords(model.period)} the information shares (midpoint [bounds]) are ${shares}`;
  if (o?.leader && o.leader === model.venues[top]) return `${head}: ${label(o.leader)} leads price discovery, as the calibrated lead–lag rule also finds.`;
  if (o?.leader) return `${head}: the largest share is ${label(model.venues[top])}'s, but the calibrated lead–lag rule names ${label(o.leader)}, so no price-discovery leader is claimed from the shares.`;
  return `${head}: the calibrated lead–lag rule finds no leader${o ? "" : " (not computed)"}, so the shares are not read as a leader; with correlated innovations within a second, a larger share can reflect a higher trading rate.`;
}
