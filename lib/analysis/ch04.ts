/**
 * Chapter 04, phase-transition signatures and regime classification, as a function of a market.
 *
 * The market is read as a thermodynamic system, from its 1 s bins and its trade signs:
 * - the order flow of all venues pooled (buys and sells per second), the "market";
 * - the price of the reference venue (the one with most trades), its temperature;
 * - the taker-order signs of every venue (the fills of one order counted once), in event time, for
 *   the correlation length of order flow.
 *
 * Steps, each an exported function, composed by {@link analysePhaseTransitions}:
 * - per-minute lag sums of each venue's taker-order signs ({@link signLagSums}, lib/block-acf.ts), from
 *   which the page gets the trade-sign correlation length of any window of whole minutes;
 * - change points of the log realised volatility (one-minute blocks) and of the entropy of the
 *   pooled net flow (five-minute blocks), {@link changePoints}: PELT candidates kept when the
 *   whole detector, rerun on surrogates of the series without a change — phase-randomised for the
 *   volatility (same spectrum, long memory included), block-shuffled for the skewed entropy (its
 *   distribution exactly) — rarely finds as large a change (family-wise p-values,
 *   lib/change-point-test.ts); each classified first-order-like (a jump) or second-order-like
 *   (continuous) (lib/change-point.ts), and matched with the known events ({@link knownEvents},
 *   {@link recoverEvents});
 * - the same detector on the calm part before the crash alone ({@link calmCheck});
 * - early-warning indicators (rolling variance and lag-1 autocorrelation of the detrended log
 *   price) before the transition, their Kendall trends against AR(1) and phase-randomised
 *   surrogates, and the same test on a calm control stretch ({@link earlyWarningStretch});
 * - the page's own early-warning test of each venue's price at its defaults
 *   ({@link pageEarlyWarning}, built on {@link earlyWarningTest}, which the page calls for other
 *   inputs);
 * - the observables at one window ({@link windowObservables}, which the page calls for another
 *   window), packed per choice of the page's select ({@link packObservables});
 * - the lead-time test of correlation-length and susceptibility spikes against volatility change
 *   points ({@link leadTests}), and the regime validation ({@link regimeValidation}).
 *
 * Pure: no file, network or DOM access; the loader reads the market, the page and the tests call
 * the same functions.
 *
 * References: Scheffer et al., Nature 461 (2009) 53 (critical transitions); Dakos et al.,
 * PLoS ONE 7 (2012) e41010 (early-warning methods); Killick, Fearnhead & Eckley, JASA 107 (2012)
 * 1590 (PELT); Plerou, Gopikrishnan & Stanley, Nature 421 (2003) 130 (two-phase order flow).
 */
import {OrderRun} from "../taker-orders.js";
import type {FlowDefinition} from "../net-flow.js";
import {addBlockLagSums, blockLagSums, rollingBlockCorrelationLength, type BlockLagSums} from "../block-acf.js";
import {classifyChanges} from "../change-point.js";
import {significantChanges} from "../change-point-test.js";
import {earlyWarning, type EarlyWarning} from "../early-warning.js";
import {leadTest, spikeOnsets} from "../event-lead.js";
import {matchEvents} from "../event-match.js";
import {moments} from "../moments.js";
import {phaseObservables, returnLagSums, type PhaseBins} from "../phase-observables.js";
import {deriveSeed} from "../random.js";
import {studentTCdf} from "../student-t.js";
import {classifyRegimes, forwardOutcomes, regimeTable, type ForwardOutcomes, type RegimeClassification, type RegimeRow, type ThresholdMode} from "../regime.js";
import {formatNumber, formatP, formatSigned} from "./format.js";
import {replicates} from "./phase-calibration.js";
import {logReturns} from "../returns.js";
import {windowEnds} from "../rolling.js";
import {marketBins, marketTrades, type Market, type TradeColumns} from "./market.js";
import {packFloat64, unpackFloat64} from "./packed.js";
import {crashEvents, type SimTruth} from "./truth.js";
import type {Venue} from "./venues.js";

/** Block of the volatility change-point series and of the trade-sign lag sums, s. */
export const BLOCK_SEC = 60;
/**
 * Block of the entropy change-point series, s: five minutes, the middle entropy window of the
 * configuration's defaults. A one-minute entropy of 60 symbols is too skewed and noisy (one-sided
 * seconds of a long metaorder make deep dips) for a change in its mean to stand out.
 */
export const ENTROPY_BLOCK_SEC = 300;
/** Step of the rolling windows, s. */
export const STEP_SEC = 60;
/** Largest lag of the order-sign lag sums, taker orders. */
export const SIGN_MAX_LAG = 16;
/** Largest lag of the returns' autocorrelation for their correlation length, s. */
export const RETURN_MAX_LAG = 30;
/** Shortest segment of the volatility change-point detector, blocks: a regime lasts at least five minutes. */
export const MIN_SEGMENT_BLOCKS = 5;
/** Shortest segment of the entropy change-point detector, blocks (15 minutes). */
export const ENTROPY_MIN_SEGMENT_BLOCKS = 3;
/** Family-wise significance level of the change points and tests. */
export const ALPHA = 0.05;
/** Largest distance between a planted event and a change point that recovers it, minutes. */
export const TOLERANCE_MIN = 5;
/** Sampling of the early-warning series (log price), s. */
export const EW_SAMPLE_SEC = 10;
/** Step of the early-warning indicators' rolling windows, samples (one minute). */
export const EW_STEP = 6;
/** Longest stretch examined before the transition by the early-warning test, s (also the page's default). */
export const EW_LOOKBACK_SEC = 4 * 3600;
/** Surrogates of the early-warning test the page runs in the browser (fewer than the build's own test). */
export const PAGE_EW_SURROGATES = 199;
/** Default horizon of the lead-time test, minutes. */
export const LEAD_HORIZON_MIN = 30;
/** Default spike quantile of the lead-time test. */
export const SPIKE_QUANTILE = 0.9;
/** Default regime quantiles [low, high] of every observable. */
export const REGIME_QUANTILES: [number, number] = [1 / 3, 2 / 3];
/** Default conditions (of three) a regime needs. */
export const REGIME_VOTES: 1 | 2 | 3 = 2;
/** Where the regime thresholds come from: the windows up to each one (past data only, lib/regime.ts). */
export const REGIME_THRESHOLDS: ThresholdMode = "expanding";
/** Windows of history before the first regime label (an hour of one-minute steps). */
export const REGIME_HISTORY = 60;
/** Placements of the lead-time null. */
export const LEAD_PLACEMENTS = 1000;
/** Funding times of the perpetuals, hours UTC. */
export const FUNDING_HOURS = [0, 8, 16];

/** Parameters of chapter 04's analysis. Times in seconds unless named otherwise. */
export interface PhaseTransitionParams {
  /** Seed of every surrogate draw (each test derives its own stream from it with `deriveSeed`). */
  seed: number;
  /** Surrogates of the change-point tests and of the build's early-warning tests. */
  surrogates: number;
  /** Window of the observables and regimes, s; rounded to whole `blockSec` blocks, at least two ({@link regimeWindow}). */
  windowSec: number;
  /** Block of the volatility change-point series and of the trade-sign lag sums, s. */
  blockSec: number;
  /** Block of the entropy change-point series, s. */
  entropyBlockSec: number;
  /** Step of the rolling windows, s. */
  stepSec: number;
  /** Largest lag of the order-sign lag sums, taker orders. */
  signMaxLag: number;
  /** Largest lag of the returns' autocorrelation, s. */
  returnMaxLag: number;
  /** Shortest segment of the volatility detector, blocks. */
  minSegmentBlocks: number;
  /** Shortest segment of the entropy detector, blocks. */
  entropyMinSegmentBlocks: number;
  /** Family-wise significance level. */
  alpha: number;
  /** Largest distance between a known event and a change that recovers it, minutes. */
  toleranceMin: number;
  /** Sampling of the early-warning series, s. */
  ewSampleSec: number;
  /** Step of the early-warning windows, samples. */
  ewStep: number;
  /** Longest stretch before the transition of the early-warning test, s. */
  ewLookbackSec: number;
  /** Surrogates of the page's early-warning test. */
  pageEwSurrogates: number;
  /** Horizon of the lead-time test, minutes. */
  leadHorizonMin: number;
  /** Spike quantile of the lead-time test. */
  spikeQuantile: number;
  /** Placements of the lead-time null. */
  leadPlacements: number;
  /** Regime quantiles [low, high] of every observable. */
  regimeQuantiles: [number, number];
  /** Conditions (of three) a regime needs. */
  regimeVotes: 1 | 2 | 3;
  /** Where the regime thresholds come from ("expanding" or "rolling": past windows only; "whole" looks ahead). */
  regimeThresholds: ThresholdMode;
  /** Windows of history of the regime thresholds (the fewest before a label, and the rolling length). */
  regimeHistory: number;
  /** Funding times of the perpetuals, hours UTC. */
  fundingHours: number[];
}

/** The defaults of {@link PhaseTransitionParams} (seed, surrogates and window as the configuration's defaults). */
export const PHASE_TRANSITION_DEFAULTS: Readonly<PhaseTransitionParams> = {
  seed: 20240805,
  surrogates: 999,
  windowSec: 600,
  blockSec: BLOCK_SEC,
  entropyBlockSec: ENTROPY_BLOCK_SEC,
  stepSec: STEP_SEC,
  signMaxLag: SIGN_MAX_LAG,
  returnMaxLag: RETURN_MAX_LAG,
  minSegmentBlocks: MIN_SEGMENT_BLOCKS,
  entropyMinSegmentBlocks: ENTROPY_MIN_SEGMENT_BLOCKS,
  alpha: ALPHA,
  toleranceMin: TOLERANCE_MIN,
  ewSampleSec: EW_SAMPLE_SEC,
  ewStep: EW_STEP,
  ewLookbackSec: EW_LOOKBACK_SEC,
  pageEwSurrogates: PAGE_EW_SURROGATES,
  leadHorizonMin: LEAD_HORIZON_MIN,
  spikeQuantile: SPIKE_QUANTILE,
  leadPlacements: LEAD_PLACEMENTS,
  regimeQuantiles: REGIME_QUANTILES,
  regimeVotes: REGIME_VOTES,
  regimeThresholds: REGIME_THRESHOLDS,
  regimeHistory: REGIME_HISTORY,
  fundingHours: FUNDING_HOURS
};

/** A venue's trades as chapter 04 uses them: how many, and the per-block lag sums of their signs ({@link signLagSums}). */
export interface VenueSigns {
  trades: number;
  sums: BlockLagSums;
}

/**
 * What chapter 04 reads of a market: the 1 s bins of every venue and the trade times and sides —
 * or, in their place, `signs`: each venue's trade count and sign lag sums at the chapter's
 * `blockSec` and `signMaxLag`, which a loader streams from the trade partitions a day at a time
 * ({@link SignLagStream}) so that the trades of the span are never in memory at once.
 */
export type PhaseTransitionMarket = Pick<Market, "source" | "venues" | "span" | "truth" | "bins"> & {
  trades?: Market["trades"];
  signs?: Partial<Record<Venue, VenueSigns>>;
};

/** One market series of 1 s bins: order flow, price and bin start times (epoch ms). */
export interface MarketSeries extends PhaseBins {
  t: ArrayLike<number>;
}

/** A known event the change points are compared with. */
export interface KnownEvent {
  name: string;
  /** Epoch ms. */
  time: number;
  kind: "planted" | "funding";
}

/** Change points of one block series, with their tests and classification. */
export interface ChangeSeries {
  /** Block length, s. */
  blockSec: number;
  /** Shortest segment, blocks. */
  minSize: number;
  /** Start of each block, epoch ms. */
  t: number[];
  /** The series, one value per block. */
  values: number[];
  /** Candidate change times (epoch ms, start of the first block of the new segment). */
  candidates: number[];
  /** Their block indices. */
  candidateIndex: number[];
  /** Split gain of each candidate, units of the series squared. */
  gain: number[];
  /** Family-wise p-value of each candidate. */
  p: number[];
  /** First-order-like ("first": a jump), second-order-like ("second") or "none", per candidate. */
  order: ("first" | "second" | "none")[];
  /** Jump size in local noise SDs, per candidate. */
  jump: number[];
  /** Share of surrogates on which the detector found any candidate (null without candidates). */
  nullAlarmRate: number;
  /** SD and lag-1 autocorrelation of the series. */
  noise: {sd: number; phi: number};
}

/** A change series with its significant change times (epoch ms) at the detector's α. */
export type DetectedChanges = ChangeSeries & {changes: number[]};

/** Nearest significant change of each kind to one known event. */
export interface EventRecovery {
  name: string;
  kind: KnownEvent["kind"];
  time: number;
  entropy: {time: number | null; errorMin: number | null; found: boolean};
  volatility: {time: number | null; errorMin: number | null; found: boolean};
}

/** Kendall τ and one-sided p of the rolling variance and lag-1 autocorrelation against one null. */
export interface TrendPair {
  variance: {tau: number; p: number};
  autocorrelation: {tau: number; p: number};
}

/** The early-warning test of one stretch (see {@link earlyWarningStretch}). */
export interface EarlyWarningResult {
  start: number;
  end: number;
  label: string;
  /** Kendall τ and one-sided p of the rolling variance and lag-1 autocorrelation, per null. */
  ar1: TrendPair;
  phase: TrendPair;
  /** Rolling indicators (AR(1) run): time of each window end, variance, lag-1 autocorrelation. */
  t: number[];
  variance: number[];
  autocorrelation: number[];
}

/** One lead-time test at the default settings. */
export interface LeadResult {
  indicator: "correlationLengthReturns" | "correlationLengthSigns" | "susceptibility";
  spikes: number;
  hits: number;
  hitRate: number;
  nullMean: number;
  p: number;
}

/**
 * The page's early-warning test of one venue's price at its default inputs (`ewLookbackSec`
 * before the transition, the default indicator window, `pageEwSurrogates` surrogates, both
 * nulls): what the page would compute, so that choosing the venue or the null is a lookup.
 */
export interface PageEarlyWarning {
  /** Time of each window's last sample (epoch ms). */
  t: number[];
  variance: number[];
  autocorrelation: number[];
  ar1: TrendPair;
  phase: TrendPair;
}

/**
 * The page's series at the default window for one choice of its "order flow of" select, each a
 * Float64Array packed by lib/analysis/packed.ts (exact doubles, NaN kept), one value per window
 * (window j ends at bin stepSec·j + windowSec − 1): the observables of lib/phase-observables.ts,
 * the trade-sign correlation length, and the forward volatility and return of lib/regime.ts.
 */
export interface PageObservables {
  volatility: string;
  imbalance: string;
  susceptibility: string;
  correlationLength: string;
  entropy: string;
  signXi: string;
  forwardVolatility: string;
  forwardReturn: string;
}

/** Per-minute trade-sign lag sums of one venue as JSON arrays (see lib/block-acf.ts); read back with {@link signSums}. */
export interface SignSumsJSON {
  count: number[];
  sum: number[];
  products: number[];
  crossing: number[];
  head: number[];
  tail: number[];
}

/** Per-minute trade-sign lag sums of every venue, as the chapter's JSON holds them. */
export interface SignsJSON {
  blockMs: number;
  maxLag: number;
  venues: Partial<Record<Venue, SignSumsJSON>>;
}

/** Chapter 04's result: the JSON the page reads (`data/ch04.json`). */
export interface Chapter04 {
  source: "simulated" | "real";
  span: [number, number];
  venues: Venue[];
  /** Venue whose price is the market's (most trades). */
  referenceVenue: Venue;
  settings: {
    /** The definition of the net flow of the order-flow observables (lib/net-flow.ts): the buy and sell trade counts. */
    flow: FlowDefinition;
    blockSec: number;
    entropyBlockSec: number;
    stepSec: number;
    windowSec: number;
    minSegmentBlocks: number;
    alpha: number;
    toleranceMin: number;
    surrogates: number;
    seed: number;
    signMaxLag: number;
    returnMaxLag: number;
    ewSampleSec: number;
    ewStep: number;
    ewLookbackSec: number;
    pageEwSurrogates: number;
    leadHorizonMin: number;
    spikeQuantile: number;
    regimeQuantiles: [number, number];
    regimeVotes: number;
    regimeThresholds: ThresholdMode;
    regimeHistory: number;
    fundingHours: number[];
  };
  knownEvents: KnownEvent[];
  changes: {entropy: ChangeSeries; volatility: ChangeSeries};
  /** For each known event, the nearest significant change of each series. */
  recovery: EventRecovery[];
  /** The detector on the calm part before the crash alone (null for real data). */
  calmCheck: CalmCheck | null;
  /** Early warning before the transition (planted crash start; the largest volatility change for real data). */
  earlyWarning: {
    target: number | null;
    targetLabel: string;
    windowSec: number;
    before: EarlyWarningResult | null;
    control: EarlyWarningResult | null;
    /** The page's test per venue's price at the page's defaults (none without a transition or with too short a stretch). */
    page: Partial<Record<Venue, PageEarlyWarning>>;
  };
  /** Lead-time tests at the default window. */
  lead: LeadResult[];
  /** Regime validation at the default window. */
  regimes: RegimeRow[];
  /** The out-of-sample validation of the default labels: forward volatility after hot against cold ({@link regimeContrast}). */
  regimeContrast: RegimeContrast;
  /** Windows of each planted regime by label (unlabelled, cold, critical, hot), simulated data only. */
  plantedRegimes: PlantedRegimeCounts[] | null;
  /** Per-minute trade-sign lag sums per venue. */
  signs: SignsJSON;
  /** The page's series at the default window per choice of its select ("all" and each venue). */
  observables: Record<string, PageObservables>;
}

/** The change-point detectors on the calm part before the planted crash alone. */
export interface CalmCheck {
  start: number;
  end: number;
  entropyChanges: number;
  volatilityChanges: number;
  entropyCandidates: number;
  volatilityCandidates: number;
}

/** Windows of one planted regime by label: counts[label] for unlabelled, cold, critical, hot (lib/regime.ts). */
export interface PlantedRegimeCounts {
  name: "calm" | "crash" | "recovery";
  counts: number[];
}

/**
 * The window of the observables: `windowSec` rounded to whole blocks of `blockSec`, at least two
 * (the trade-sign lag sums are per block).
 */
export function regimeWindow(windowSec: number, blockSec: number): number {
  if (!(windowSec > 0)) throw new RangeError(`invalid windowSec: ${windowSec}`);
  if (!(blockSec > 0)) throw new RangeError(`invalid blockSec: ${blockSec}`);
  return Math.max(2, Math.round(windowSec / blockSec)) * blockSec;
}

/** The venue with most trades (the first of the market's order on a tie): its price is the market's. */
export function referenceVenue(market: Pick<PhaseTransitionMarket, "venues" | "trades" | "signs">): Venue {
  const n = (v: Venue) => market.signs?.[v]?.trades ?? market.trades?.[v]?.length ?? 0;
  return market.venues.reduce((a, v) => (n(v) > n(a) ? v : a), market.venues[0]);
}

/** The 1 s series of one venue: its flow and last price, and the bin starts. */
export function venueSeries(market: Pick<Market, "bins">, venue: Venue): MarketSeries {
  const b = marketBins(market, venue, 1000);
  return {t: b.t, buy: b.n_buy, sell: b.n_sell, price: b.last};
}

/**
 * The pooled order flow of all venues (buys and sells per 1 s bin summed over venues) with the
 * price of `reference`. Throws a RangeError when the venues' bins differ in length.
 */
export function pooledSeries(market: Pick<Market, "venues" | "bins">, reference: Venue): MarketSeries & {t: Float64Array; buy: Float64Array; sell: Float64Array} {
  const all = market.venues.map((v) => marketBins(market, v, 1000));
  const n = all[0].length;
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (const b of all) {
    if (b.length !== n) throw new RangeError(`invalid bins: ${b.length} (expected ${n})`);
    for (let i = 0; i < n; ++i) (buy[i] += b.n_buy[i]), (sell[i] += b.n_sell[i]);
  }
  const ref = marketBins(market, reference, 1000);
  return {t: ref.t, buy, sell, price: ref.last};
}

/** An Arrow table of `bins-1000ms.arrow` (long format, venue by venue), as the page loads it. */
export interface BinsTable {
  numRows: number;
  getChild(name: string): {get(i: number): unknown; toArray(): ArrayLike<number>} | null;
}

/**
 * The page's series from the long-format 1 s bins: one per venue, and the pooled market under
 * `"all"` (the flow of every venue summed, with the price of `reference`), as {@link pooledSeries}
 * builds it from a market. Rows are written venue by venue in the manifest's order, each venue
 * with the same bins (docs/data.md); a venue whose rows are not where expected throws a RangeError.
 */
export function marketSeries(bins: BinsTable, venues: string[], reference: string): Record<string, MarketSeries & {t: Float64Array; buy: Float64Array; sell: Float64Array; price: Float64Array}> {
  const n = bins.numRows / venues.length;
  if (!Number.isInteger(n)) throw new RangeError(`invalid bins: ${bins.numRows} rows for ${venues.length} venues`);
  const col = (name: string) => Float64Array.from(bins.getChild(name)!.toArray());
  const t = col("t");
  const nb = col("n_buy");
  const ns = col("n_sell");
  const last = col("last");
  const venue = bins.getChild("venue")!;
  type Series = MarketSeries & {t: Float64Array; buy: Float64Array; sell: Float64Array; price: Float64Array};
  const out: Record<string, Series> = {};
  const all: Series = {t: t.slice(0, n), buy: new Float64Array(n), sell: new Float64Array(n), price: new Float64Array(n)};
  venues.forEach((v, k) => {
    if (venue.get(k * n) !== v || venue.get(k * n + n - 1) !== v) throw new RangeError(`invalid bins: rows of ${v} not at ${k * n}`);
    const s: Series = {t: t.slice(k * n, k * n + n), buy: nb.slice(k * n, k * n + n), sell: ns.slice(k * n, k * n + n), price: last.slice(k * n, k * n + n)};
    for (let i = 0; i < n; ++i) (all.buy[i] += s.buy[i]), (all.sell[i] += s.sell[i]);
    out[v] = s;
  });
  all.price = out[reference].price;
  out.all = all;
  return out;
}

/**
 * Per-block lag sums of a venue's taker-order signs (±1; prints of unknown side dropped; the
 * prints of one side at one timestamp counted once, as chapter 02's `takerOrders` groups the
 * fills of one aggressive order) over `span`, blocks of `blockMs` from span[0]:
 * Σ s_i s_{i+k} for k ≤ maxLag within each block, with the
 * heads and tails that join neighbouring blocks (lib/block-acf.ts), so that the autocorrelation
 * of any run of whole blocks follows without the trades. The trades pass through a
 * {@link SignLagStream} in one piece; a loader passes them in pieces (a day's partition at a
 * time) for the same sums.
 */
export function signLagSums(trades: Pick<TradeColumns, "length" | "time" | "side">, span: [number, number], blockMs: number, maxLag: number): BlockLagSums {
  const stream = new SignLagStream(span, blockMs, trades.length);
  stream.add(trades.time, trades.side, trades.length);
  return stream.finish(maxLag);
}

/**
 * {@link signLagSums} over trades given in consecutive time-ordered pieces: `add` keeps only the
 * taker-order signs (fills of one order merged across pieces too; one byte each, at most `capacity` of them) and each block's start in them, so a
 * venue's whole span costs one byte per trade whatever columns it was read from; `finish` takes
 * the lag sums (lib/block-acf.ts `blockLagSums`), identical to those of the trades in one piece.
 */
export class SignLagStream {
  readonly #t0: number;
  readonly #blockMs: number;
  readonly #B: number;
  readonly #x: Int8Array;
  readonly #bounds: Int32Array;
  #m = 0;
  #b = 0;
  /** The taker order of the last sign kept (its fills are counted once, across pieces too). */
  readonly #run = new OrderRun();
  #finished = false;

  constructor(span: [number, number], blockMs: number, capacity: number) {
    if (!(blockMs > 0)) throw new RangeError(`invalid blockMs: ${blockMs}`);
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`invalid capacity: ${capacity}`);
    this.#t0 = span[0];
    this.#blockMs = blockMs;
    this.#B = Math.ceil((span[1] - span[0]) / blockMs);
    this.#x = new Int8Array(capacity);
    this.#bounds = new Int32Array(this.#B + 1);
  }

  /** Adds the first `length` trades of `time` and `side` (later than every trade added before). */
  add(time: ArrayLike<number>, side: ArrayLike<number>, length: number): void {
    if (this.#finished) throw new RangeError("invalid add: the stream is finished");
    const B = this.#B, x = this.#x, bounds = this.#bounds;
    const run = this.#run;
    let m = this.#m, b = this.#b;
    for (let i = 0; i < length; ++i) {
      const s = side[i];
      if ((s !== 1 && s !== -1) || !run.starts(time[i], s)) continue;
      const blk = Math.min(B, Math.floor((time[i] - this.#t0) / this.#blockMs));
      if (blk < 0 || blk >= B) continue;
      if (blk < b) throw new RangeError(`invalid time: ${time[i]} is before a trade already added (block ${blk} after ${b})`);
      if (m >= x.length) throw new RangeError(`invalid capacity: ${x.length} (more known signs were added)`);
      while (b < blk) bounds[++b] = m;
      x[m++] = s;
    }
    this.#m = m;
    this.#b = b;
  }

  /** The lag sums up to `maxLag` of every sign added (ends the stream). */
  finish(maxLag: number): BlockLagSums {
    this.#finished = true;
    const bounds = this.#bounds;
    while (this.#b < this.#B) bounds[++this.#b] = this.#m;
    return blockLagSums(this.#x.subarray(0, this.#m), bounds, maxLag);
  }
}

/** The sign lag sums of `venue` at the blocks and lags of `params`: the market's `signs`, checked, or {@link signLagSums} of its trades. */
export function venueSignSums(market: Pick<PhaseTransitionMarket, "span" | "trades" | "signs">, venue: Venue, params: Pick<PhaseTransitionParams, "blockSec" | "signMaxLag">): BlockLagSums {
  const blockMs = params.blockSec * 1000;
  const given = market.signs?.[venue];
  if (!given) return signLagSums(marketTrades({trades: market.trades ?? {}}, venue), market.span, blockMs, params.signMaxLag);
  const blocks = Math.ceil((market.span[1] - market.span[0]) / blockMs);
  if (given.sums.blocks !== blocks || given.sums.maxLag !== params.signMaxLag)
    throw new RangeError(`invalid signs of ${venue}: ${given.sums.blocks} blocks to lag ${given.sums.maxLag}, the chapter's settings need ${blocks} to lag ${params.signMaxLag}`);
  return given.sums;
}

/** Block lag sums as plain JSON arrays (the chapter's `signs`). */
export function signSumsJSON(s: BlockLagSums): SignSumsJSON {
  return {
    count: Array.from(s.count),
    sum: Array.from(s.sum),
    products: Array.from(s.products),
    crossing: Array.from(s.crossing),
    head: Array.from(s.head),
    tail: Array.from(s.tail)
  };
}

/** The BlockLagSums of one venue from the chapter's `signs`, or of all venues pooled (`"all"`, lib/block-acf.ts `addBlockLagSums`). */
export function signSums(signs: {maxLag: number; venues: Partial<Record<string, SignSumsJSON>>}, venue: string): BlockLagSums {
  const one = (s: SignSumsJSON): BlockLagSums => ({
    blocks: s.count.length,
    maxLag: signs.maxLag,
    count: Float64Array.from(s.count),
    sum: Float64Array.from(s.sum),
    products: Float64Array.from(s.products),
    crossing: Float64Array.from(s.crossing),
    head: Float64Array.from(s.head),
    tail: Float64Array.from(s.tail)
  });
  if (venue !== "all") {
    const s = signs.venues[venue];
    if (!s) throw new RangeError(`invalid venue: ${venue} (no trade-sign sums)`);
    return one(s);
  }
  return addBlockLagSums(Object.values(signs.venues).map((s) => one(s!)));
}

/**
 * The known events inside the span: the planted crash start, crash end and recovery end
 * (simulated markets), and the funding times at `fundingHours` UTC of every day, in time order.
 */
export function knownEvents(span: [number, number], truth: SimTruth | null, fundingHours: readonly number[] = FUNDING_HOURS): KnownEvent[] {
  const events: KnownEvent[] = [];
  const crash = crashEvents(truth);
  if (crash) {
    events.push({name: "crash start", time: crash.crashStart, kind: "planted"});
    events.push({name: "crash end", time: crash.crashEnd, kind: "planted"});
    events.push({name: "recovery end", time: crash.recoveryEnd, kind: "planted"});
  }
  for (let d = Math.floor(span[0] / 86_400_000) * 86_400_000; d < span[1]; d += 86_400_000)
    for (const h of fundingHours) {
      const t = d + h * 3_600_000;
      if (t > span[0] && t < span[1]) events.push({name: `funding ${String(h).padStart(2, "0")}:00`, time: t, kind: "funding"});
    }
  return events.sort((a, b) => a.time - b.time);
}

/** Options of the change-point detector on a block series. */
export interface DetectorOptions {
  seed: number;
  surrogates: number;
  minSize: number;
  /** Family-wise level; default {@link ALPHA}. */
  alpha?: number;
  /**
   * The change-free null (lib/change-point-test.ts): `"phase"` (default) phase-randomised
   * surrogates — Gaussian, the series' whole spectrum; `"block"` its own blocks of ⌈n^(1/3)⌉
   * samples in random order — its distribution exactly, memory within blocks. A skewed series (the
   * flow entropy, with deep one-sided dips) beats the Gaussian null by its shape alone.
   */
  null?: "phase" | "block";
}

/**
 * Significant change points of a block series: PELT candidates tested against phase-randomised
 * surrogates of the whole series (family-wise p-values, lib/change-point-test.ts; Killick et al.
 * 2012; the null of `options.null`), each classified first- or second-order-like
 * (lib/change-point.ts). `t` holds the start of each block (epoch ms).
 */
export function detectChanges(values: Float64Array, t: ArrayLike<number>, blockSec: number, options: DetectorOptions): DetectedChanges {
  const {seed, surrogates, minSize, alpha = ALPHA, null: model = "phase"} = options;
  const test = significantChanges(values, {seed, surrogates, minSize, alpha, null: model, fit: "series"});
  const cls = classifyChanges(values, test.candidates, {context: Math.max(2, Math.min(30, Math.floor(values.length / 4)))});
  const idx = Array.from(test.candidates);
  return {
    blockSec,
    minSize,
    t: Array.from(t),
    values: Array.from(values),
    candidates: idx.map((i) => t[i]),
    candidateIndex: idx,
    gain: Array.from(test.gain),
    p: Array.from(test.p),
    order: cls.order,
    jump: Array.from(cls.jump),
    nullAlarmRate: test.nullAlarmRate,
    noise: test.noise,
    changes: Array.from(test.changes, (i) => t[i])
  };
}

/** The parameters {@link changePoints} reads. */
export type ChangeParams = Pick<PhaseTransitionParams, "blockSec" | "entropyBlockSec" | "minSegmentBlocks" | "entropyMinSegmentBlocks" | "alpha">;

/**
 * Both change-point analyses of a market: the log realised volatility per `blockSec` block and the
 * flow entropy per `entropyBlockSec` block (1 s bins from t0), each through {@link detectChanges}
 * with its own seed derived from `seed`. The entropy is tested against block-shuffled surrogates
 * of itself: skewed by the deep dips of one-sided minutes, it beats the Gaussian phase-randomised
 * null on markets without a crash (the false-positive rate of `npm run calibrate -- --phase`).
 */
export function changePoints(market: PhaseBins, t0: number, seed: number, surrogates: number, params: ChangeParams = PHASE_TRANSITION_DEFAULTS): {entropy: DetectedChanges; volatility: DetectedChanges} {
  return {
    volatility: changePointsOf("volatility", market, t0, seed, surrogates, params),
    entropy: changePointsOf("entropy", market, t0, seed, surrogates, params)
  };
}

/** The two series of {@link changePoints}. */
export const CHANGE_KINDS = ["volatility", "entropy"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One of the two change-point analyses of {@link changePoints}, on its own (the build runs them on two threads). */
export function changePointsOf(series: ChangeKind, market: PhaseBins, t0: number, seed: number, surrogates: number, params: ChangeParams = PHASE_TRANSITION_DEFAULTS): DetectedChanges {
  const {blockSec, entropyBlockSec, minSegmentBlocks, entropyMinSegmentBlocks, alpha} = params;
  const times = (m: number, sec: number) => Array.from({length: m}, (_, b) => t0 + b * sec * 1000);
  if (series === "volatility") {
    const vb = blockSeries(market, blockSec);
    return detectChanges(vb.logVolatility, times(vb.logVolatility.length, blockSec), blockSec, {seed: deriveSeed(seed, "ch04:volatility"), surrogates, minSize: minSegmentBlocks, alpha});
  }
  if (series !== "entropy") throw new RangeError(`invalid series: ${String(series)}`);
  const eb = blockSeries(market, entropyBlockSec);
  return detectChanges(eb.entropy, times(eb.entropy.length, entropyBlockSec), entropyBlockSec, {seed: deriveSeed(seed, "ch04:entropy"), surrogates, minSize: entropyMinSegmentBlocks, alpha, null: "block"});
}

/**
 * The block series of the change-point analysis (lib/phase-observables.ts on disjoint blocks of
 * `blockBins` 1 s bins): the entropy of the flow over its bins with trades (bits; 0 where
 * undefined, fewer than two bins with trades) and the log
 * realised volatility (a block without any price move carries the previous value; leading gaps
 * take the first value; a series without any move is flat 0).
 */
export function blockSeries(bins: PhaseBins, blockBins: number): {entropy: Float64Array; logVolatility: Float64Array; end: Int32Array} {
  const o = phaseObservables(bins, {window: blockBins, step: blockBins, skipCorrelationLength: true});
  const logVolatility = o.volatility.map((v) => (v > 0 ? Math.log(v) : NaN));
  for (let i = 0; i < logVolatility.length; ++i) if (!Number.isFinite(logVolatility[i])) logVolatility[i] = i > 0 ? logVolatility[i - 1] : NaN;
  const first = logVolatility.findIndex(Number.isFinite);
  if (first < 0) logVolatility.fill(0);
  for (let i = 0; i < first; ++i) logVolatility[i] = logVolatility[first];
  const entropy = o.entropy.map((v) => (Number.isFinite(v) ? v : 0));
  return {entropy, logVolatility, end: o.end};
}

/**
 * For each known event, the nearest significant change of each series and whether it lies within
 * `toleranceMin` minutes (lib/event-match.ts); errors in minutes, change minus event.
 */
export function recoverEvents(events: readonly KnownEvent[], entropy: Pick<DetectedChanges, "changes">, volatility: Pick<DetectedChanges, "changes">, toleranceMin: number): EventRecovery[] {
  const tol = toleranceMin * 60_000;
  const me = matchEvents(events.map((e) => e.time), entropy.changes, tol);
  const mv = matchEvents(events.map((e) => e.time), volatility.changes, tol);
  return events.map((e, i) => ({
    name: e.name,
    kind: e.kind,
    time: e.time,
    entropy: {time: me.nearest[i] >= 0 ? entropy.changes[me.nearest[i]] : null, errorMin: me.nearest[i] >= 0 ? me.error[i] / 60_000 : null, found: me.found[i] === 1},
    volatility: {time: mv.nearest[i] >= 0 ? volatility.changes[mv.nearest[i]] : null, errorMin: mv.nearest[i] >= 0 ? mv.error[i] / 60_000 : null, found: mv.found[i] === 1}
  }));
}

/**
 * Both detectors on the calm part before the planted crash alone (whole entropy blocks from the
 * span's start), where nothing was planted: their false alarms. Null without a truth or when the
 * calm part is shorter than four shortest entropy segments.
 */
export function calmCheck(market: PhaseBins, span: [number, number], truth: SimTruth | null, seed: number, surrogates: number, params: ChangeParams = PHASE_TRANSITION_DEFAULTS): CalmCheck | null {
  if (!truth) return null;
  const {entropyBlockSec, entropyMinSegmentBlocks} = params;
  const calmEnd = crashEvents(truth)?.crashStart ?? span[1];
  const calmBins = Math.floor((calmEnd - span[0]) / (entropyBlockSec * 1000)) * entropyBlockSec;
  if (calmBins < 4 * entropyMinSegmentBlocks * entropyBlockSec) return null;
  const sl = (a: ArrayLike<number>) => (ArrayBuffer.isView(a) ? (a as Float64Array).subarray(0, calmBins) : Array.prototype.slice.call(a, 0, calmBins));
  const calm = changePoints({buy: sl(market.buy), sell: sl(market.sell), price: sl(market.price)}, span[0], deriveSeed(seed, "ch04:calm"), surrogates, params);
  return {
    start: span[0],
    end: span[0] + calmBins * 1000,
    entropyChanges: calm.entropy.changes.length,
    volatilityChanges: calm.volatility.changes.length,
    entropyCandidates: calm.entropy.candidates.length,
    volatilityCandidates: calm.volatility.candidates.length
  };
}

/**
 * The transition the early-warning test looks before: the planted crash start of a simulated
 * market, else the significant volatility change with the largest split gain, else none.
 */
export function transitionTarget(truth: SimTruth | null, volatility: DetectedChanges, alpha: number): {target: number | null; targetLabel: string} {
  const planted = plantedTarget(truth);
  if (planted !== null) return {target: planted, targetLabel: "planted crash start"};
  if (truth) return {target: null, targetLabel: "none (no crash planted)"};
  if (volatility.changes.length > 0) {
    let best = -1;
    for (let i = 0; i < volatility.candidates.length; ++i) if (volatility.p[i] <= alpha && (best < 0 || volatility.gain[i] > volatility.gain[best])) best = i;
    if (best >= 0) return {target: volatility.candidates[best], targetLabel: "largest volatility change point"};
  }
  return {target: null, targetLabel: "none"};
}

/** Kendall τ and p of both indicators of one early-warning run. */
function trends(e: Pick<EarlyWarning, "varianceTrend" | "autocorrelationTrend">): TrendPair {
  return {
    variance: {tau: e.varianceTrend.tau, p: e.varianceTrend.p},
    autocorrelation: {tau: e.autocorrelationTrend.tau, p: e.autocorrelationTrend.p}
  };
}

/** The parameters of the early-warning sampling and windows. */
export type EarlyWarningParams = Pick<PhaseTransitionParams, "ewSampleSec" | "ewStep">;

/**
 * Early-warning test on the detrended log price of [start, end) of `series`: {@link earlyWarningTest}
 * (the page's test, one function for both) run against both nulls, AR(1) and phase-randomised
 * surrogates (lib/early-warning.ts; Dakos et al. 2012), with `seed` the chapter's seed. Null when
 * the stretch holds fewer than two windows or a window is shorter than three samples.
 */
export function earlyWarningStretch(series: Pick<MarketSeries, "t" | "price">, start: number, end: number, windowSec: number, seed: number, surrogates: number, label: string, params: EarlyWarningParams = PHASE_TRANSITION_DEFAULTS): EarlyWarningResult | null {
  if (Math.round(windowSec / params.ewSampleSec) < 3) return null;
  const options = {target: end, lookbackSec: (end - start) / 1000, spanStart: start, windowSec, seed, surrogates, ewSampleSec: params.ewSampleSec, ewStep: params.ewStep};
  const ar1 = earlyWarningTest(series, {...options, null: "ar1"});
  const phase = earlyWarningTest(series, {...options, null: "phase"});
  if (!ar1 || !phase) return null;
  return {start: ar1.start, end: ar1.end, label, ar1: trends(ar1), phase: trends(phase), t: ar1.t, variance: Array.from(ar1.variance), autocorrelation: Array.from(ar1.autocorrelation)};
}

/** Log price sampled every `stepSec` seconds over [start, end) (epoch ms), from a 1 s series; times are the sample ends. */
export function logPriceSamples(series: Pick<MarketSeries, "t" | "price">, start: number, end: number, stepSec: number): {t: Float64Array; x: Float64Array} {
  const t0 = series.t[0];
  const i0 = Math.max(0, Math.ceil((start - t0) / 1000));
  const i1 = Math.min(series.t.length, Math.floor((end - t0) / 1000));
  const t: number[] = [];
  const x: number[] = [];
  for (let i = i0 + stepSec - 1; i < i1; i += stepSec) {
    const p = series.price[i];
    if (p > 0) t.push(series.t[i] + 1000), x.push(Math.log(p));
  }
  return {t: Float64Array.from(t), x: Float64Array.from(x)};
}

/** Inputs of the page's early-warning test ({@link earlyWarningTest}). */
export interface EarlyWarningTestOptions extends EarlyWarningParams {
  /** The transition, epoch ms: the stretch ends there. */
  target: number;
  /** Stretch before the target, s (cut at `spanStart`). */
  lookbackSec: number;
  /** Start of the span, epoch ms. */
  spanStart: number;
  /** Indicator window, s. */
  windowSec: number;
  /** The chapter's seed (the test derives "ch04:early-warning" from it). */
  seed: number;
  surrogates: number;
  null: "ar1" | "phase";
}

/** The page's early-warning test of one series: indicator times (epoch ms) and values, and both trends. */
export interface EarlyWarningTest {
  /** The stretch sampled: the start of its first sample and the end of its last (epoch ms). */
  start: number;
  end: number;
  t: number[];
  variance: Float64Array;
  autocorrelation: Float64Array;
  varianceTrend: EarlyWarning["varianceTrend"];
  autocorrelationTrend: EarlyWarning["autocorrelationTrend"];
}

/**
 * The early-warning test the page runs on a series' price: the log price every `ewSampleSec`
 * over the `lookbackSec` before `target` ({@link logPriceSamples}), windows of `windowSec`, a
 * window every `ewStep` samples, detrended with a Gaussian kernel of one window, Kendall trends
 * against the chosen null (lib/early-warning.ts). Null when the stretch holds fewer than two windows.
 */
export function earlyWarningTest(series: Pick<MarketSeries, "t" | "price">, options: EarlyWarningTestOptions): EarlyWarningTest | null {
  const {target, lookbackSec, spanStart, windowSec, seed, surrogates, ewSampleSec, ewStep} = options;
  const samples = logPriceSamples(series, Math.max(spanStart, target - lookbackSec * 1000), target, ewSampleSec);
  const w = Math.round(windowSec / ewSampleSec);
  if (samples.x.length < 2 * w) return null;
  const e = earlyWarning(samples.x, {window: w, step: ewStep, seed: deriveSeed(seed, "ch04:early-warning"), surrogates, null: options.null, bandwidth: w});
  return {start: samples.t[0] - ewSampleSec * 1000, end: samples.t[samples.t.length - 1], t: Array.from(e.end, (j) => samples.t[j]), variance: e.variance, autocorrelation: e.autocorrelation, varianceTrend: e.varianceTrend, autocorrelationTrend: e.autocorrelationTrend};
}

/**
 * The page's early-warning test of one series at its defaults ({@link earlyWarningTest} with
 * `ewLookbackSec`, `windowSec`, `pageEwSurrogates`), both nulls, so that the page looks it up.
 * Null when the stretch is shorter than two windows.
 */
export function pageEarlyWarning(series: Pick<MarketSeries, "t" | "price">, span: [number, number], target: number, windowSec: number, seed: number, params: Pick<PhaseTransitionParams, "ewSampleSec" | "ewStep" | "ewLookbackSec" | "pageEwSurrogates"> = PHASE_TRANSITION_DEFAULTS): PageEarlyWarning | null {
  const options = {target, lookbackSec: params.ewLookbackSec, spanStart: span[0], windowSec, seed, surrogates: params.pageEwSurrogates, ewSampleSec: params.ewSampleSec, ewStep: params.ewStep};
  const ar1 = earlyWarningTest(series, {...options, null: "ar1"});
  const phase = earlyWarningTest(series, {...options, null: "phase"});
  if (!ar1 || !phase) return null;
  return {t: ar1.t, variance: Array.from(ar1.variance), autocorrelation: Array.from(ar1.autocorrelation), ar1: trends(ar1), phase: trends(phase)};
}

/** The reader's early-warning choice on page 04: the flow select, the stretch, the indicator window and the null. */
export interface EarlyWarningSelection {
  /** "all" (the pooled market, priced by the reference venue) or a venue. */
  venue: string;
  lookbackSec: number;
  windowSec: number;
  null: "ar1" | "phase";
}

/** An early-warning result as page 04 shows it, and where it comes from. */
export interface ShownEarlyWarning {
  /**
   * "chapter": the chapter's own result (`earlyWarning.before`), which the findings, the report
   * and the README cite; "build": the page's test run at build time for another venue at the
   * default stretch and window (`earlyWarning.page`); "page": recomputed in the page for the
   * reader's selection.
   */
  source: "chapter" | "build" | "page";
  surrogates: number;
  t: ArrayLike<number>;
  variance: ArrayLike<number>;
  autocorrelation: ArrayLike<number>;
  varianceTrend: {tau: number; p: number};
  autocorrelationTrend: {tau: number; p: number};
}

/** Whether `sel` is page 04's default early-warning selection: the pooled market or its reference venue (the same price), the default stretch and window. */
export function isDefaultEarlyWarning(ch: Pick<Chapter04, "earlyWarning" | "referenceVenue" | "settings">, sel: EarlyWarningSelection): boolean {
  return (sel.venue === "all" || sel.venue === ch.referenceVenue) && sel.lookbackSec === ch.settings.ewLookbackSec && sel.windowSec === ch.earlyWarning.windowSec;
}

/**
 * What page 04 shows for an early-warning selection without computing: at the default selection
 * ({@link isDefaultEarlyWarning}) the chapter's own result `earlyWarning.before` — the same
 * series and test ({@link earlyWarningStretch} on {@link earlyWarningTest}) the findings cite, so
 * the page and the report cannot disagree; for another venue at the default stretch and window the
 * build's run of the page's test on that venue's price (`earlyWarning.page`); null otherwise
 * (the page recomputes with {@link earlyWarningTest} and labels it so), or when there is no result.
 */
export function builtEarlyWarning(ch: Pick<Chapter04, "earlyWarning" | "referenceVenue" | "settings">, sel: EarlyWarningSelection): ShownEarlyWarning | null {
  const e = ch.earlyWarning;
  if (isDefaultEarlyWarning(ch, sel)) {
    const b = e.before;
    return b ? {source: "chapter", surrogates: ch.settings.surrogates, t: b.t, variance: b.variance, autocorrelation: b.autocorrelation, varianceTrend: b[sel.null].variance, autocorrelationTrend: b[sel.null].autocorrelation} : null;
  }
  if (sel.lookbackSec !== ch.settings.ewLookbackSec || sel.windowSec !== e.windowSec) return null;
  const pg = e.page[sel.venue as Venue];
  return pg ? {source: "build", surrogates: ch.settings.pageEwSurrogates, t: pg.t, variance: pg.variance, autocorrelation: pg.autocorrelation, varianceTrend: pg[sel.null].variance, autocorrelationTrend: pg[sel.null].autocorrelation} : null;
}

/** What a series gives every window alike, computed once per series: the returns' lag sums per step and the trade-sign lag sums. */
export interface SeriesSums {
  returnSums: BlockLagSums;
  signs: BlockLagSums;
}

/** The {@link SeriesSums} of `series`, with the trade-sign sums of `venue` ("all" pooled) from the chapter's `signs`. */
export function seriesSums(series: PhaseBins, signs: Pick<SignsJSON, "maxLag" | "venues">, venue: string, params: Pick<PhaseTransitionParams, "stepSec" | "returnMaxLag"> = PHASE_TRANSITION_DEFAULTS): SeriesSums {
  return {returnSums: returnLagSums(series.price, {block: params.stepSec, maxLag: params.returnMaxLag}), signs: signSums(signs, venue)};
}

/** The observables of one series at one window (see {@link windowObservables}); one value per window. */
export interface WindowObservables {
  /** Last 1 s bin of each window. */
  end: Int32Array;
  volatility: Float64Array;
  imbalance: Float64Array;
  susceptibility: Float64Array;
  correlationLength: Float64Array;
  entropy: Float64Array;
  /** Trade-sign correlation length, trades. */
  signXi: Float64Array;
  /** Realised volatility and return over the `windowSec` after each window (lib/regime.ts). */
  forwardVolatility: Float64Array;
  forwardReturn: Float64Array;
}

/**
 * The page's series at `windowSec`, a window every `stepSec`: temperature, order parameter,
 * susceptibility, correlation length of returns and entropy of the net flow
 * (lib/phase-observables.ts), the trade-sign correlation length from the per-minute lag sums
 * (lib/block-acf.ts, linear interpolation), and the forward volatility and return over the next
 * window (lib/regime.ts, log returns aligned at their end).
 */
export function windowObservables(series: PhaseBins, sums: SeriesSums, windowSec: number, params: Pick<PhaseTransitionParams, "stepSec" | "returnMaxLag" | "blockSec"> = PHASE_TRANSITION_DEFAULTS): WindowObservables {
  return observablesFrom(priceObservables(series, sums.returnSums, windowSec, params), sums.signs, windowSec, params);
}

/** The part of {@link windowObservables} read from the prices and the flow (all but the trade signs). */
export interface PriceObservables {
  obs: ReturnType<typeof phaseObservables>;
  outcomes: ForwardOutcomes;
}

/**
 * The observables of {@link windowObservables} that do not need the trade signs: phaseObservables
 * at `windowSec` (its returns' lag sums `returnSums`, {@link seriesSums}; computed when omitted)
 * and the forward outcomes of each window.
 */
export function priceObservables(series: PhaseBins, returnSums: BlockLagSums | null, windowSec: number, params: Pick<PhaseTransitionParams, "stepSec" | "returnMaxLag"> = PHASE_TRANSITION_DEFAULTS): PriceObservables {
  const {stepSec, returnMaxLag} = params;
  const sums = returnSums ?? returnLagSums(series.price, {block: stepSec, maxLag: returnMaxLag});
  const obs = phaseObservables(series, {window: windowSec, step: stepSec, maxLag: returnMaxLag, returnSums: {block: stepSec, sums}});
  return {obs, outcomes: forwardOutcomes(logReturns(series.price, {align: "end"}), obs.end, {horizon: windowSec})};
}

/** {@link windowObservables} from its {@link priceObservables} and the series' trade-sign lag sums. */
export function observablesFrom({obs, outcomes}: PriceObservables, signs: BlockLagSums, windowSec: number, params: Pick<PhaseTransitionParams, "stepSec" | "blockSec"> = PHASE_TRANSITION_DEFAULTS): WindowObservables {
  const {stepSec, blockSec} = params;
  const signXi = rollingBlockCorrelationLength(signs, {window: windowSec / blockSec, step: stepSec / blockSec, interpolation: "linear"}).slice(0, obs.end.length);
  return {
    end: obs.end,
    volatility: obs.volatility,
    imbalance: obs.imbalance,
    susceptibility: obs.susceptibility,
    correlationLength: obs.correlationLength,
    entropy: obs.entropy,
    signXi,
    forwardVolatility: outcomes.volatility,
    forwardReturn: outcomes.return
  };
}

/** {@link windowObservables} packed as exact doubles (lib/analysis/packed.ts): one choice of the page's select. */
export function packObservables(o: WindowObservables): PageObservables {
  return {
    volatility: packFloat64(o.volatility),
    imbalance: packFloat64(o.imbalance),
    susceptibility: packFloat64(o.susceptibility),
    correlationLength: packFloat64(o.correlationLength),
    entropy: packFloat64(o.entropy),
    signXi: packFloat64(o.signXi),
    forwardVolatility: packFloat64(o.forwardVolatility),
    forwardReturn: packFloat64(o.forwardReturn)
  };
}

/** Window index of each event time: the first window (ends at `end[j]`, 1 s bins from t0) that ends at or after it; events after the last window are left out. */
export function eventWindows(times: readonly number[], t0: number, end: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (const time of times) {
    let j = 0;
    while (j < end.length && t0 + (end[j] + 1) * 1000 < time) ++j;
    if (j < end.length) out.push(j);
  }
  return out;
}

/** The indicators of the lead-time test, each a series over the windows. */
export type LeadIndicators = Record<LeadResult["indicator"], ArrayLike<number>>;

/** Options of {@link leadTests}. */
export interface LeadOptions {
  /** Windows (the length of each indicator). */
  n: number;
  /** Window and step, s (spikes closer than one window are one). */
  windowSec: number;
  stepSec: number;
  horizonMin: number;
  spikeQuantile: number;
  placements: number;
  seed: number;
}

/** One indicator's spikes and test (null when the horizon is under one step). */
export interface LeadRun {
  indicator: LeadResult["indicator"];
  spikes: Int32Array;
  test: ReturnType<typeof leadTest> | null;
}

/**
 * The lead-time test of each indicator (lib/event-lead.ts): spike onsets above the
 * `spikeQuantile` quantile, at least one window apart, count as hits when an event window follows
 * within `horizonMin`; the hit rate is judged against the same spike train shifted to
 * `placements` random offsets (seeded per indicator).
 */
export function leadRuns(indicators: LeadIndicators, events: readonly number[], options: LeadOptions): LeadRun[] {
  const {n, windowSec, stepSec, horizonMin, spikeQuantile, placements, seed} = options;
  const horizon = Math.min(n - 1, Math.round((horizonMin * 60) / stepSec));
  return (["correlationLengthReturns", "correlationLengthSigns", "susceptibility"] as const).map((indicator) => {
    const spikes = spikeOnsets(indicators[indicator], {quantile: spikeQuantile, minGap: Math.max(1, Math.round(windowSec / stepSec))});
    const test = horizon >= 1 ? leadTest(spikes, events, {n, horizon, seed: deriveSeed(seed, `ch04:lead:${indicator}`), placements, null: "shift"}) : null;
    return {indicator, spikes, test};
  });
}

/** {@link leadRuns} as the chapter's rows (NaN rates and p without a test). */
export function leadTests(indicators: LeadIndicators, events: readonly number[], options: LeadOptions): LeadResult[] {
  return leadRuns(indicators, events, options).map(({indicator, test: r}) => ({indicator, spikes: r?.spikes ?? 0, hits: r?.hits ?? 0, hitRate: r?.hitRate ?? NaN, nullMean: r?.nullMean ?? NaN, p: r?.p ?? NaN}));
}

/**
 * The regime labels of each window (lib/regime.ts): the same quantile pair for every observable,
 * `votes` conditions of three, thresholds from the windows up to each one (`thresholds`, default
 * expanding: past data only) once `history` windows are known; earlier windows are unlabelled.
 * Chapter 04's page and chapter 06's dashboard label windows with this one rule.
 */
export function regimeLabels(
  obs: Pick<WindowObservables, "entropy" | "volatility" | "susceptibility">,
  correlationLength: ArrayLike<number>,
  quantiles: [number, number],
  votes: 1 | 2 | 3,
  history: number = REGIME_HISTORY,
  thresholds: ThresholdMode = REGIME_THRESHOLDS
): RegimeClassification {
  const q = quantiles;
  return classifyRegimes(
    {entropy: obs.entropy, volatility: obs.volatility, correlationLength, susceptibility: obs.susceptibility},
    {quantiles: {entropy: q, volatility: q, correlationLength: q, susceptibility: q}, minVotes: votes, thresholds, history}
  );
}

/** What followed each label: forward volatility and return by regime, standard errors inflated by √(window/step) (lib/regime.ts). */
export function regimeValidation(labels: ArrayLike<number>, outcomes: ForwardOutcomes, windowSec: number, stepSec: number): RegimeRow[] {
  return regimeTable(labels, outcomes, {overlap: windowSec / stepSec});
}

/**
 * The planted regime of each window (by the end of its last bin, `windowEndTimes` in epoch ms)
 * against its label: counts[label] per planted regime (calm before the crash start and after the
 * recovery end, crash up to its end, recovery after). Null without a truth.
 */
export function plantedRegimeCounts(truth: SimTruth | null, windowEndTimes: ArrayLike<number>, labels: ArrayLike<number>): PlantedRegimeCounts[] | null {
  if (!truth) return null;
  const crash = crashEvents(truth);
  const out = (["calm", "crash", "recovery"] as const).map((name) => ({name, counts: [0, 0, 0, 0]}));
  for (let j = 0; j < windowEndTimes.length; ++j) {
    const t = windowEndTimes[j];
    const name = !crash || t <= crash.crashStart || t > crash.recoveryEnd ? "calm" : t <= crash.crashEnd ? "crash" : "recovery";
    out.find((r) => r.name === name)!.counts[labels[j]]++;
  }
  return out;
}

/** End time (epoch ms) of each window: the end of its last 1 s bin from t0. */
export function windowEndTimes(t0: number, end: ArrayLike<number>): Float64Array {
  return Float64Array.from(end, (e) => t0 + (e + 1) * 1000);
}

/** The change series without the derived `changes` list (the page derives it from p and α). */
export function stripChanges(c: DetectedChanges): ChangeSeries {
  const {changes: _changes, ...rest} = c;
  return rest;
}

/** What {@link analysePhaseTransitions} may be given instead of computing it. */
export interface PhaseTransitionHooks {
  /** Called after each named step with its name (the build times its steps with it). */
  onStep?: (name: string) => void;
  /**
   * Both change-point analyses of this market, computed elsewhere: {@link changePointsOf} of the
   * pooled series ({@link pooledSeries} at {@link referenceVenue}) with the analysis's seed,
   * surrogates and parameters (the build runs them on two threads).
   */
  changes?: {entropy: DetectedChanges; volatility: DetectedChanges};
  /** {@link calmCheck} of the pooled series with the analysis's seed, surrogates and parameters, computed elsewhere (null included). */
  calmCheck?: CalmCheck | null;
  /**
   * {@link priceObservables} at the regime window of the pooled series ("all") and of each venue's
   * series ({@link venueSeries}), computed elsewhere (the build computes them while the change
   * points run); any missing one is computed here.
   */
  prices?: Readonly<Partial<Record<string, PriceObservables>>>;
  /** {@link earlyWarnings} of this market, computed elsewhere for the transition `target`; used when the analysis finds the same target. */
  earlyWarnings?: EarlyWarnings;
}

/** The early-warning tests of {@link analysePhaseTransitions} for one transition time. */
export interface EarlyWarnings {
  target: number;
  before: EarlyWarningResult | null;
  control: EarlyWarningResult | null;
  page: Partial<Record<Venue, PageEarlyWarning>>;
}

/**
 * The transition time of {@link transitionTarget} when it is known without the change points: the
 * planted crash's start (simulated markets with a crash), else null.
 */
export function plantedTarget(truth: SimTruth | null): number | null {
  return crashEvents(truth)?.crashStart ?? null;
}

/**
 * Early warning before the transition at `target` (from its look-back to the target) on the pooled
 * series, on a control stretch of the same length without one (the end of the span after the
 * recovery; for real data the start of the span when it ends before the stretch), and the
 * page's test on each venue's price.
 */
export function earlyWarnings(
  market: Pick<PhaseTransitionMarket, "venues" | "span" | "truth" | "bins">,
  pooled: Pick<MarketSeries, "t" | "price">,
  target: number,
  windowSec: number,
  p: PhaseTransitionParams
): EarlyWarnings {
  const {venues, span, truth} = market;
  const {seed, surrogates: S} = p;
  const before = earlyWarningStretch(pooled, Math.max(span[0], target - p.ewLookbackSec * 1000), target, windowSec, seed, S, "before the transition", p);
  let control: EarlyWarningResult | null = null;
  if (before) {
    const length = before.end - before.start;
    const after = crashEvents(truth)?.recoveryEnd ?? target;
    if (span[1] - length >= after) control = earlyWarningStretch(pooled, span[1] - length, span[1], windowSec, seed, S, "calm control (end of the span)", p);
    else if (!truth && span[0] + length <= before.start) control = earlyWarningStretch(pooled, span[0], span[0] + length, windowSec, seed, S, "control (start of the span)", p);
  }
  const page: Partial<Record<Venue, PageEarlyWarning>> = {};
  for (const v of venues) {
    const e = pageEarlyWarning(venueSeries(market, v), span, target, windowSec, seed, p);
    if (e) page[v] = e;
  }
  return {target, before, control, page};
}

/**
 * Chapter 04 of a market: change points of entropy and volatility with their surrogate tests and
 * the known events they recover, the calm-part check, early warning before the transition and on
 * a control stretch, the page's early-warning test per venue, the lead-time tests and regime
 * validation at the default window, the per-minute trade-sign lag sums and the page's series for
 * every choice of its select. Reads the 1 s bins of every venue and each venue's trade times and
 * sides.
 */
export function analysePhaseTransitions(
  market: PhaseTransitionMarket,
  params: PhaseTransitionParams = PHASE_TRANSITION_DEFAULTS,
  {onStep = () => {}, changes, calmCheck: calmGiven, prices = {}, earlyWarnings: ewGiven}: PhaseTransitionHooks = {}
): Chapter04 {
  const {venues, span, truth} = market;
  const p = params;
  const reference = referenceVenue(market);
  const seed = p.seed;
  const S = p.surrogates;
  const windowSec = regimeWindow(p.windowSec, p.blockSec);
  const pooled = pooledSeries(market, reference);

  // Trade-sign lag sums per minute.
  const sums: Partial<Record<Venue, BlockLagSums>> = {};
  for (const v of venues) sums[v] = venueSignSums(market, v, p);
  onStep("sign sums");

  // Change points: log volatility on one-minute blocks, flow entropy on five-minute blocks.
  const {entropy, volatility} = changes ?? changePoints(pooled, span[0], seed, S, p);
  onStep("change points");
  const events = knownEvents(span, truth, p.fundingHours);
  const recovery = recoverEvents(events, entropy, volatility, p.toleranceMin);
  const calm = calmGiven !== undefined ? calmGiven : calmCheck(pooled, span, truth, seed, S, p);
  onStep("calm check");

  // Early warning before the transition, and on a control stretch without one.
  // (The page's own test per venue at its defaults; "all venues pooled" uses the reference venue's price.)
  const {target, targetLabel} = transitionTarget(truth, volatility, p.alpha);
  const ew = target === null ? null : ewGiven?.target === target ? ewGiven : earlyWarnings(market, pooled, target, windowSec, p);
  const before = ew?.before ?? null;
  const control = ew?.control ?? null;
  const pageEw: Chapter04["earlyWarning"]["page"] = ew?.page ?? {};
  onStep("early warning");
  // Observables at the default window: lead-time tests and regimes.
  const w = windowSec;
  const priceOf = (key: string, series: PhaseBins) => prices[key] ?? priceObservables(series, null, w, p);
  const all = priceOf("all", pooled);
  const obs = all.obs;
  const pooledSigns = addBlockLagSums(venues.map((v) => sums[v]!));
  const signXi = rollingBlockCorrelationLength(pooledSigns, {window: w / p.blockSec, step: p.stepSec / p.blockSec, interpolation: "linear"}).slice(0, obs.end.length);
  const lead = leadTests(
    {correlationLengthReturns: obs.correlationLength, correlationLengthSigns: signXi, susceptibility: obs.susceptibility},
    eventWindows(volatility.changes, span[0], obs.end),
    {n: obs.end.length, windowSec: w, stepSec: p.stepSec, horizonMin: p.leadHorizonMin, spikeQuantile: p.spikeQuantile, placements: p.leadPlacements, seed}
  );
  onStep("observables and lead tests");
  const cls = regimeLabels(obs, signXi, p.regimeQuantiles, p.regimeVotes, p.regimeHistory, p.regimeThresholds);
  const plantedRegimes = plantedRegimeCounts(truth, windowEndTimes(span[0], obs.end), cls.labels);
  const regimes = regimeValidation(cls.labels, all.outcomes, w, p.stepSec);
  const contrast = regimeContrast(regimes, w, p.stepSec, p.alpha);

  onStep("regimes");
  // The page's series at the default window for every choice of its select.
  const signs: SignsJSON = {blockMs: p.blockSec * 1000, maxLag: p.signMaxLag, venues: Object.fromEntries(venues.map((v) => [v, signSumsJSON(sums[v]!)]))};
  // (windowObservables of each series and its sign sums, as the page computes them.)
  const observables: Record<string, PageObservables> = {all: packObservables(observablesFrom(all, signSums(signs, "all"), w, p))};
  for (const v of venues) observables[v] = packObservables(observablesFrom(priceOf(v, venueSeries(market, v)), signSums(signs, v), w, p));
  onStep("page observables");

  return {
    source: market.source,
    span,
    venues,
    referenceVenue: reference,
    settings: {
      flow: "count",
      blockSec: p.blockSec,
      entropyBlockSec: p.entropyBlockSec,
      stepSec: p.stepSec,
      windowSec,
      minSegmentBlocks: p.minSegmentBlocks,
      alpha: p.alpha,
      toleranceMin: p.toleranceMin,
      surrogates: S,
      seed,
      signMaxLag: p.signMaxLag,
      returnMaxLag: p.returnMaxLag,
      ewSampleSec: p.ewSampleSec,
      ewStep: p.ewStep,
      ewLookbackSec: p.ewLookbackSec,
      pageEwSurrogates: p.pageEwSurrogates,
      leadHorizonMin: p.leadHorizonMin,
      spikeQuantile: p.spikeQuantile,
      regimeQuantiles: p.regimeQuantiles,
      regimeVotes: p.regimeVotes,
      regimeThresholds: p.regimeThresholds,
      regimeHistory: p.regimeHistory,
      fundingHours: p.fundingHours
    },
    knownEvents: events,
    changes: {entropy: stripChanges(entropy), volatility: stripChanges(volatility)},
    recovery,
    calmCheck: calm,
    earlyWarning: {target, targetLabel, windowSec, before, control, page: pageEw},
    lead,
    regimes,
    regimeContrast: contrast,
    plantedRegimes,
    signs,
    observables
  };
}

/**
 * The series the build packed for one choice of the page's select ({@link packObservables}),
 * read back exactly (lib/analysis/packed.ts), with the window ends of `bins` 1 s bins at
 * `windowSec` every `stepSec`: the same value {@link windowObservables} would compute.
 */
export function unpackObservables(packed: PageObservables, bins: number, windowSec: number, stepSec: number): WindowObservables {
  return {
    end: windowEnds(bins, {window: windowSec, step: stepSec}),
    volatility: unpackFloat64(packed.volatility),
    imbalance: unpackFloat64(packed.imbalance),
    susceptibility: unpackFloat64(packed.susceptibility),
    correlationLength: unpackFloat64(packed.correlationLength),
    entropy: unpackFloat64(packed.entropy),
    signXi: unpackFloat64(packed.signXi),
    forwardVolatility: unpackFloat64(packed.forwardVolatility),
    forwardReturn: unpackFloat64(packed.forwardReturn)
  };
}

/** A named interval [start, end] of the span, epoch ms. */
export interface RegimePeriod {
  name: string;
  start: number;
  end: number;
}

/**
 * The planted regimes as periods of the page's summary table: calm before the crash, crash,
 * recovery, calm after; the whole span for real data.
 */
export function regimePeriods(truth: SimTruth | null, span: [number, number]): RegimePeriod[] {
  if (!truth) return [{name: "whole span", start: span[0], end: span[1]}];
  const crash = crashEvents(truth);
  if (!crash) return [{name: "calm (no crash planted)", start: truth.span.start, end: truth.span.end}];
  return [
    {name: "calm (before)", start: truth.span.start, end: crash.crashStart},
    {name: "crash", start: crash.crashStart, end: crash.crashEnd},
    {name: "recovery", start: crash.crashEnd, end: crash.recoveryEnd},
    {name: "calm (after)", start: crash.recoveryEnd, end: truth.span.end}
  ];
}

/** Mean of an observable over the windows of one period, its standard error and the number of windows. */
export interface PeriodMean {
  mean: number;
  se: number;
  n: number;
}

/**
 * Mean of `values` over the windows lying wholly inside [start, end] (window j covers
 * (windowEnd[j] − windowSec, windowEnd[j]], epoch ms; non-finite values skipped), with the
 * standard error sd/√n inflated by √(windowSec/stepSec) for overlapping windows (Hansen & Hodrick
 * 1980). NaN mean without windows, NaN SE with fewer than two.
 */
export function periodMean(values: ArrayLike<number>, windowEnd: ArrayLike<number>, windowSec: number, stepSec: number, start: number, end: number): PeriodMean {
  const v: number[] = [];
  for (let j = 0; j < values.length; ++j) if (windowEnd[j] - windowSec * 1000 >= start && windowEnd[j] <= end && Number.isFinite(values[j])) v.push(values[j]);
  const m = moments(v);
  const se = v.length > 1 ? (m.sd / Math.sqrt(v.length)) * Math.sqrt(windowSec / stepSec) : NaN;
  return {mean: m.mean, se, n: v.length};
}

/**
 * Ratio a/b of two period means with a 95 % interval by the delta method on the log:
 * exp(ln r ± 1.96·√((se_a/a)² + (se_b/b)²)).
 */
export function meanRatio(a: PeriodMean, b: PeriodMean): {ratio: number; low: number; high: number} {
  const ratio = a.mean / b.mean;
  const half = 1.96 * Math.sqrt((a.se / a.mean) ** 2 + (b.se / b.mean) ** 2);
  return {ratio, low: Math.exp(Math.log(ratio) - half), high: Math.exp(Math.log(ratio) + half)};
}

/**
 * Forward volatility after windows labelled hot against cold (rows of {@link regimeValidation}):
 * the difference of means, its SE √(se_hot² + se_cold²), and a two-sided p from Student's t with
 * effective degrees of freedom max(1, min(n_hot, n_cold)/(windowSec/stepSec) − 1) for
 * overlapping windows (Welch-style). NaN p when either label has too few windows.
 */
export function hotColdContrast(rows: readonly RegimeRow[], windowSec: number, stepSec: number): {diff: number; se: number; df: number; t: number; p: number} {
  const row = (name: string) => {
    const r = rows.find((x) => x.name === name);
    if (!r) throw new RangeError(`invalid regime rows: no ${name} row`);
    return r;
  };
  const hot = row("hot").volatility;
  const cold = row("cold").volatility;
  const diff = hot.mean - cold.mean;
  const se = Math.hypot(hot.se, cold.se);
  const df = Math.max(1, Math.min(hot.count, cold.count) / (windowSec / stepSec) - 1);
  const t = diff / se;
  const p = Number.isFinite(t) ? 2 * (1 - studentTCdf(Math.abs(t), df)) : NaN;
  return {diff, se, df, t, p};
}

/** One change-point candidate at a chosen family-wise level. */
export interface Candidate {
  time: number;
  p: number;
  order: ChangeSeries["order"][number];
  jump: number;
  significant: boolean;
}

/** The candidates of a change series, each marked significant when its family-wise p ≤ `alpha`. */
export function candidatesAt(c: Pick<ChangeSeries, "candidates" | "p" | "order" | "jump">, alpha: number): Candidate[] {
  return c.candidates.map((time, i) => ({time, p: c.p[i], order: c.order[i], jump: c.jump[i], significant: c.p[i] <= alpha}));
}

/** One significant change with the known event nearest to it (lib/event-match.ts). */
export interface ExplainedChange extends Candidate {
  /** Index of the nearest known event, −1 without events. */
  nearestEvent: number;
  /** Change minus event, minutes (NaN without events). */
  errorMin: number;
  /** Whether the nearest event lies within the tolerance. */
  explained: boolean;
}

/** Each significant change with its nearest known event and whether that lies within `toleranceMin` minutes. */
export function explainChanges(significant: readonly Candidate[], events: readonly KnownEvent[], toleranceMin: number): ExplainedChange[] {
  const m = matchEvents(events.map((e) => e.time), significant.map((x) => x.time), toleranceMin * 60_000);
  return significant.map((x, i) => ({...x, nearestEvent: m.nearestEvent[i], errorMin: m.detectedError[i] / 60_000, explained: m.explained[i] === 1}));
}

/** The change of `list` nearest to `time` (the earlier on a tie), with its error in minutes; nulls for an empty list. */
export function nearestChange(list: readonly {time: number}[], time: number): {time: number | null; errorMin: number | null} {
  if (!list.length) return {time: null, errorMin: null};
  const x = list.reduce((a, b) => (Math.abs(a.time - time) <= Math.abs(b.time - time) ? a : b));
  return {time: x.time, errorMin: (x.time - time) / 60_000};
}

/** The out-of-sample validation of a regime labelling (see {@link regimeContrast}). */
export interface RegimeContrast {
  /** Mean forward volatility after hot and after cold windows (per-window log-return units), and their counts. */
  hot: {mean: number; count: number};
  cold: {mean: number; count: number};
  /** Hot minus cold, its SE, effective degrees of freedom, t and two-sided p ({@link hotColdContrast}). */
  diff: number;
  se: number;
  df: number;
  t: number;
  p: number;
  /** Whether hot windows were followed by higher volatility than cold ones at p ≤ α: the label passed its validation. */
  validated: boolean;
}

/**
 * The validation of a labelling whose thresholds come from past windows only: the realised
 * volatility over the window after each label (out of sample: the label was fixed before it)
 * after hot against cold windows, by {@link hotColdContrast}. The label passes when hot is
 * followed by higher volatility than cold at two-sided p ≤ α; a label that fails is no basis for
 * advice ({@link regimeAdviceText}).
 */
export function regimeContrast(rows: readonly RegimeRow[], windowSec: number, stepSec: number, alpha: number): RegimeContrast {
  const c = hotColdContrast(rows, windowSec, stepSec);
  const hot = rows.find((r) => r.name === "hot")!.volatility;
  const cold = rows.find((r) => r.name === "cold")!.volatility;
  return {hot: {mean: hot.mean, count: hot.count}, cold: {mean: cold.mean, count: cold.count}, ...c, validated: Number.isFinite(c.p) && c.diff > 0 && c.p <= alpha};
}

/** The replication of the regime label over seeds of today's plant (a calibration row), or null when not measured. */
export interface RegimeReplication {
  count: number;
  total: number;
}

/**
 * The sentence the page and the findings print about the regime label, chosen by its outcome:
 * - too few hot or cold windows: not validated, no basis for sizing;
 * - fails (hot not followed by significantly higher volatility than cold): says it failed, with
 *   both volatilities (annualised by `annual`), the difference and the p-value, and gives no advice;
 * - passes here but does not replicate on ≥ 8 of 10 seeds of today's plant (or was not measured):
 *   says so, and gives no advice;
 * - passes and replicates: the one place a sizing rule is stated, with the persistence caveat.
 */
export function regimeAdviceText(c: Pick<RegimeContrast, "hot" | "cold" | "diff" | "p" | "validated">, alpha: number, annual: number, replication: RegimeReplication | null): string {
  const pct = (x: number) => `${formatNumber(100 * x * annual, 0)} %`;
  const signed = (x: number) => `${formatSigned(100 * x * annual, 0)} points`;
  if (!Number.isFinite(c.p)) return `Hot or cold windows are too few to compare (${c.hot.count} hot, ${c.cold.count} cold with a forward window), so the label is not validated and is no basis for sizing positions.`;
  const measured = `windows labelled hot (thresholds from past windows only) were followed by a volatility of ${pct(c.hot.mean)} against ${pct(c.cold.mean)} after cold ones (difference ${signed(c.diff)}, ${formatP(c.p)})`;
  if (!c.validated)
    return `The label fails its out-of-sample validation: ${measured}${c.diff <= 0 ? ", the wrong way round" : `, not significant at α = ${alpha}`}, so it is no basis for sizing positions.`;
  const seeds = replication && replication.total > 0 ? `${replication.count} of ${replication.total} seeds of today's plant` : null;
  if (!seeds) return `The label passes its out-of-sample validation here: ${measured}; its replication over seeds has not been measured (npm run calibrate -- --phase), so it is no basis for sizing positions yet.`;
  if (!replicates(replication)) return `The label passes its out-of-sample validation here: ${measured}; but it does not replicate (${seeds}), so it is no basis for sizing positions.`;
  return `The label passes its out-of-sample validation: ${measured}, and replicates on ${seeds}: a desk can size positions down after a hot label, where the label adds to the current temperature (volatility clusters, so part of the gap is persistence).`;
}
