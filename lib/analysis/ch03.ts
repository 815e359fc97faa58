/**
 * Chapter 03 · entropy and transfer entropy: how much information order flow and price changes
 * carry, and which venue's past tells about another's next move. One pure function of a market,
 * {@link analyseInformationFlow}, called by the build (`loaders/chapters/ch03.ts`), by the tests on
 * a simulated market in memory, and by the calibration; the page calls the same named steps for
 * whatever its inputs change.
 *
 * Symbols, per bin and venue (lib/symbolize.ts, lib/price-symbols.ts):
 * - flow: the net-flow symbol of lib/symbolize.ts `flowSymbols` — sell / balanced / buy (the sign
 *   of buys − sells in a bin with trades) or no trade — the one flow symbolisation of every
 *   chapter; every entropy and transfer entropy over flow symbols uses its alphabet of four
 *   (`FLOW_BASE`), and the entropy of the flow is taken over the bins with trades
 *   (lib/flow-entropy.ts), so that a venue that trades less does not look more balanced; the net
 *   flow is defined by lib/net-flow.ts: the net signed trade count (the default, recorded in the
 *   result's `flow`); {@link flowCheck} repeats the 1 s transfer entropies with the net signed volume;
 * - price: the ternary sign of the change of the last trade price.
 * 100 ms symbols come from the market's flow matrix (the page's `flow-100ms.arrow`), 1 s symbols
 * from its 1 s bins, trade signs (event time) from its trades' `side`.
 *
 * Two transfer-entropy channels are measured between every ordered pair of venues (X → Y):
 * - `flow`: TE from X's order flow to Y's order flow (flow symbols on both sides);
 * - `price-flow`: TE from X's price changes to Y's order flow: how much X's last price move tells
 *   about Y's next net flow beyond Y's own past — the footprint of traders at Y acting on X's
 *   price (arbitrage). A venue whose price moves first leads in this channel; its own order flow
 *   need not lead (the first venue to see news is the one whose flow does not have to react).
 *
 * Computed (all in bits):
 * - {@link fullSpanMatrices}: for each channel, TE matrices over the full span for target
 *   histories k = 1 and 2 (source history 1, delay one bin), each link tested against
 *   `params.surrogates` shuffle surrogates, effective TE = TE − surrogate mean,
 *   Benjamini–Hochberg marks over the m(m − 1) links, the net flow TE(X → Y) − TE(Y → X), and for
 *   k = 1 a second p-value from block-permutation surrogates, which keep the source's own memory;
 * - {@link leaderPeriods}: the k = 1 matrices per period of the planted leader schedule (simulated
 *   data; the whole span for real data), with the leader = the venue of largest net outgoing
 *   effective TE;
 * - {@link rollingLeadership}: rolling TE of both channels for every ordered pair over
 *   `params.teWindowSec` windows every `params.teStepSec`, with shuffle surrogates per window,
 *   and the leader of each window;
 * - {@link laggedPriceInformation}: lagged mutual information of 100 ms price-change symbols for
 *   every pair over ±2 s, shuffle-corrected, with the lag of maximal shared information;
 * - {@link entropyRates}: entropy rate against plain entropy of the trade-sign sequence per venue
 *   and of 1 s flow symbols, the information stored in their past (active information storage),
 *   beside the information the flow carries about the next second's price change;
 * - {@link pageTests}: the page's own tests, with its surrogate count and seed, for every choice
 *   of its inputs that does not depend on a window, so the page looks them up instead of rerunning
 *   hundreds of surrogates over 864 000 bins.
 *
 * References: T. Schreiber, PRL 85 (2000) 461; R. Marschinski and H. Kantz, EPJ B 30 (2002) 275;
 * Y. Benjamini and Y. Hochberg, JRSS B 57 (1995) 289; J. T. Lizier et al., Information Sciences
 * 208 (2012) 39; J. Hasbrouck, "One security, many markets", Journal of Finance 50 (1995) 1175.
 */
import {entropyRate} from "../entropy-rate.js";
import {hitRateTest, intervalShareTest, thresholdCrossings, type HitRateTest, type IntervalShareTest} from "../event-study.js";
import {moments, quantile} from "../moments.js";
import {logReturns} from "../returns.js";
import {benjaminiHochberg} from "../fdr.js";
import {laggedMutualInformation} from "../mutual-information.js";
import {priceChangeSymbols} from "../price-symbols.js";
import {deriveSeed} from "../random.js";
import {rollingTransferEntropy} from "../rolling-transfer-entropy.js";
import {binFlow, FLOW_BASE, flowSymbols} from "../symbolize.js";
import {activeFlowEntropy} from "../flow-entropy.js";
import {DEFAULT_FLOW, FLOW_LABELS, netFlow, type FlowDefinition} from "../net-flow.js";
import {transferEntropy, transferEntropyTest} from "../transfer-entropy.js";
import {marketBins, marketFlow, marketTrades, type BinColumns, type FlowColumns, type Market} from "./market.js";
import {periodLabel, schedulePeriods, type Period as SchedulePeriod, type PeriodId} from "./periods.js";
import {decidingPair, leaderRuns, leadersFromResults, type CalibratedLeadersOptions, leaderSentence, reasonWords, strongestLinkSentence, type LeaderAnalysis, type LeaderOutcome} from "./leaders.js";
import {round, roundAll, roundNumber, roundNumbers} from "./round.js";
import {crashEvents, type SimTruth} from "./truth.js";
import {formatNumber, formatP, spanWords} from "./format.js";
import {calibrationRow, type PhaseCalibrationRecord} from "./phase-calibration.js";
import {PHASE_CALIBRATION_RECORD} from "./phase-calibration-record.js";
import {SignEntropyStream, type SignEntropy} from "./sign-entropy-stream.js";
import {spotPerpVerdicts, type SpotPerpResult} from "./spot-perp.js";
import {crossMarketSkipReason, delayDiff, VENUE_INFO, venueLabel, type Venue} from "./venues.js";

export {crossMarketSkipReason};

/** Width of the bins of the TE analysis, ms. */
export const FLOW_WIDTH_MS = 100;
/** Target histories of the build-time matrices. */
export const MATRIX_K = [1, 2] as const;
/** The transfer-entropy channels: source symbols → target symbols. */
export const CHANNELS = ["flow", "price-flow"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Largest lag of the mutual-information scan, in 100 ms bins (±2 s). */
export const MI_MAX_LAG = 20;
/** Largest history of the trade-sign entropy-rate curve. */
export const SIGN_MAX_K = 10;
/** Largest history of the 1 s flow-symbol entropy-rate curve. */
export const FLOW_MAX_K = 5;
/** False discovery rate of the matrix marks. */
export const FDR_ALPHA = 0.05;
/** History lengths k the page offers for a pair's TE. */
export const PAGE_PAIR_K = [1, 2, 3] as const;
/** Bin widths the page offers, ms. */
export const PAGE_BIN_MS = [100, 1000] as const;
/** Largest history length of the page's memory table. */
export const PAGE_MEMORY_MAX_K = 5;

/** The parameters of {@link analyseInformationFlow}; the build maps its AnalysisConfig onto them. */
export interface InformationFlowParams {
  /** Seed of every surrogate draw and shuffle of the build-time results. */
  seed: number;
  /** Shuffle surrogates per test of the matrices, periods, lagged MI and entropy rates. */
  surrogates: number;
  /** Block-permutation surrogates per link of the robustness check (k = 1, full span). */
  blockSurrogates: number;
  /** Shuffle surrogates per rolling window (their mean is the bias correction). */
  rollingSurrogates: number;
  /** Rolling TE window and step, s. */
  teWindowSec: number;
  teStepSec: number;
  /** Compute the page's tests ({@link pageTests}); false leaves `page` null (calibration runs need only the claims). */
  pageTests: boolean;
  /** Shuffle surrogates of the tests the page shows beside its inputs ("Explore a pair", the memory table). */
  pageSurrogates: number;
  /** Seed of the page's tests: the seed the page reads from the manifest. */
  pageSeed: number;
  /** Moving-block bootstrap resamples of the calibrated leader rule (lib/analysis/leaders.ts). */
  leaderResamples: number;
}

/** Defaults: the workbook's default configuration (seed 20240805, 999 surrogates, 30-minute windows every 5 minutes). */
export const INFORMATION_FLOW_DEFAULTS: InformationFlowParams = {
  seed: 20240805,
  surrogates: 999,
  blockSurrogates: 49,
  rollingSurrogates: 49,
  teWindowSec: 1800,
  teStepSec: 300,
  pageTests: true,
  pageSurrogates: 199,
  pageSeed: 20240805,
  leaderResamples: 499
};

/** The parts of a market chapter 03 reads: trade sides, 1 s bins and the 100 ms flow matrix. */
export type InformationFlowMarket = Pick<Market, "source" | "venues" | "span" | "truth" | "trades" | "bins" | "flow">;

/** A transfer-entropy matrix in JSON: arrays of m × m (row = source, column = target); null on the diagonal. */
export interface TeMatrix {
  channel: Channel;
  k: number;
  venues: Venue[];
  /** Target times with a complete history. */
  samples: number;
  surrogates: number;
  method: "shuffle";
  te: (number | null)[];
  effective: (number | null)[];
  pValue: (number | null)[];
  qValue: (number | null)[];
  /** 1 where significant at false discovery rate `alpha` (Benjamini–Hochberg over the m(m − 1) links). */
  significant: number[];
  /** TE(i → j) − TE(j → i). */
  net: (number | null)[];
  alpha: number;
  /** Net outgoing effective TE per venue: Σ_w effective(v → w) − effective(w → v), bits. */
  score: Record<string, number>;
  /** The venue of largest score. */
  leader: Venue;
  /** Block-permutation check (k = 1, full span only): p-values, BH q-values and marks. */
  block?: {surrogates: number; blockLength: number; pValue: (number | null)[]; qValue: (number | null)[]; significant: number[]; effective: (number | null)[]};
}

/** One period of the leader schedule with its recovered leadership. */
export interface Period {
  /** The typed period id ("before-crash", "crash", "after-crash"; "full" for real data). */
  id: PeriodId;
  /** Its words in prose ({@link periodLabel}): "before the crash", "crash", "after the crash", "full span". */
  name: string;
  start: number;
  end: number;
  /** The planted leader (null where no single venue leads) and delays (simulated data), else null. */
  planted: {leader: Venue | null; delaysMs: Record<string, number>} | null;
  /** k = 1 matrices of each channel. */
  matrices: Record<Channel, TeMatrix>;
}

/** Rolling TE of one ordered pair, one value per window: plug-in and effective TE (bits) and the shuffle p-value. */
export interface RollingPair {
  source: Venue;
  target: Venue;
  te: number[];
  effective: number[];
  pValue: number[];
}

/** The rolling TE of one channel: every ordered pair, and per window the leader and each venue's net outgoing effective TE (bits). */
export interface RollingChannel {
  pairs: RollingPair[];
  /** The venue of largest net outgoing effective TE in each window. */
  leader: (Venue | null)[];
  score: Record<string, number[]>;
}

/** Rolling TE of both channels, k = 1, with the window ends in epoch ms. */
export interface Rolling {
  windowSec: number;
  stepSec: number;
  surrogates: number;
  k: number;
  /** End of each window (exclusive), epoch ms. */
  end: number[];
  channels: Record<Channel, RollingChannel>;
}

/** Lagged mutual information of one unordered pair's 100 ms price-change symbols. */
export interface LagMI {
  /** x leads at a positive lag: I(x_t ; y_{t+τ}). */
  x: Venue;
  y: Venue;
  lag: number[];
  /** Shuffle-corrected MI (plug-in − surrogate mean), bits. */
  corrected: number[];
  pValue: number[];
  bestLag: number;
  bestLagMs: number;
  best: number;
  /** p-value at the best lag. */
  bestP: number;
  /** The planted calm-period delay of y minus that of x, ms (simulated data), else null. */
  plantedLagMs: number | null;
}

/** Lagged mutual information of 100 ms price-change symbols for every unordered pair. */
export interface LaggedInformation {
  widthMs: number;
  maxLag: number;
  surrogates: number;
  symbols: "price";
  pairs: LagMI[];
}

/** One venue's entropy rates, active information storage and flow–return information. */
export interface EntropyRateRow {
  venue: Venue;
  kind: "perpetual" | "spot";
  /** Trades with a known side. */
  trades: number;
  /** Buy share of those trades. */
  buyShare: number;
  /** Miller–Madow entropy rate h_k of the trade-sign sequence, k = 0 … SIGN_MAX_K (h_0 = H_1), bits per trade. */
  signRate: number[];
  /** The same for the sequence shuffled once (memory destroyed), bits per trade: the yardstick of no memory. */
  signRateShuffled: number[];
  /** Active information storage of the signs at k = SIGN_MAX_K (MI of the k past signs and the next, shuffle-corrected), bits per trade, with its permutation p-value. */
  signStorage: number;
  signStorageP: number;
  /** Miller–Madow entropy rate of the 1 s flow symbols, k = 0 … FLOW_MAX_K, bits per second. */
  flowRate: number[];
  /** Active information storage of 1 s flow symbols at k = FLOW_MAX_K (shuffle-corrected), bits per second, with its permutation p-value. */
  flowStorage: number;
  flowStorageP: number;
  /** Shuffle-corrected MI between the flow symbol of second t and the price change over second t + 1, bits, with p-value. */
  miNextReturn: number;
  miNextReturnP: number;
  /** The same for the price change over second t itself (price impact), bits, with p-value. */
  miSameReturn: number;
  miSameReturnP: number;
}

/** One full-span TE test of the page (shuffle surrogates): effective TE (bits) and p-value. */
export interface PageTeTest {
  effective: number;
  pValue: number;
}

/** One venue's row of the page's memory table at one bin width. */
export interface PageMemoryRow {
  /** Miller–Madow entropy rate h_k of the flow symbols, k = 0 … PAGE_MEMORY_MAX_K (h_0 = H_1), bits per bin. */
  rate: number[];
  /** Shuffle-corrected MI between the flow symbol of a bin and the price-change symbol of the next, bits, and its p-value. */
  miNext: number;
  p: number;
}

/** The page's tests that depend on no window, at full precision (see {@link pageTests}). */
export interface PageTests {
  surrogates: number;
  seed: number;
  /** Key {@link pairTestKey}: TE(source → target) as the page's "Explore a pair" computes it. */
  pairs: Record<string, PageTeTest>;
  memory: {maxK: number; byBin: Record<string, Record<string, PageMemoryRow>>};
}

/** The key of a pair test in {@link PageTests.pairs}. */
export const pairTestKey = (source: string, target: string, channel: Channel, k: number, binMs: number): string => `${source} ${target} ${channel} ${k} ${binMs}`;

/** Full-span TE(source → target) of the flow channel, k = 1, 100 ms symbols: the value the page recomputes in the browser. */
export interface Hook {
  source: Venue;
  target: Venue;
  k: number;
  channel: "flow";
  te: number;
}

/** Everything chapter 03 computes at build time: the JSON `data/ch03.json` the page reads. */
export interface InformationFlow {
  source: "simulated" | "real";
  /** The definition of the net flow every flow symbol of this result uses (lib/net-flow.ts). */
  flow: FlowDefinition;
  /** The 1 s transfer entropies under both flow definitions ({@link flowCheck}); no rows with one market. */
  flowCheck: FlowCheck;
  venues: Venue[];
  kinds: Record<string, "perpetual" | "spot">;
  span: [number, number];
  widthMs: number;
  bins: number;
  seed: number;
  surrogates: number;
  /** Why the sections that compare markets are skipped ({@link crossMarketSkipReason}), or null when there are two or more. */
  crossMarket: string | null;
  /** The page's check of one TE value; null with one market. */
  hook: Hook | null;
  /** Full-span matrices, every channel × k (none with one market). */
  matrices: TeMatrix[];
  periods: Period[];
  /**
   * The calibrated leader of each analysis (A: perpetuals, B: all venues) and period, with the
   * price → price time-reversal links (lib/analysis/leaders.ts): the only source of a leader or
   * a significant-link claim. The TE matrices beside it are descriptive.
   */
  leaders: LeaderOutcome[];
  /**
   * Analysis B of the findings: each perpetual against each spot market, decided on the pair's
   * evidence of the same runs as {@link leaders} (lib/analysis/spot-perp.ts), or why there is none.
   */
  spotPerp: SpotPerpResult;
  rolling: Rolling;
  lagMI: LaggedInformation;
  entropyRate: EntropyRateRow[];
  /** The page's tests; null when `params.pageTests` is false. */
  page: PageTests | null;
}

/** Per venue, the net flow, last price and their ternary symbols on one grid of `bins` bins of `binMs`. */
export interface SymbolSet {
  binMs: number;
  bins: number;
  /** The definition of `net` (lib/net-flow.ts). */
  definition: FlowDefinition;
  /** Net flow per bin: n_buy − n_sell (count) or v_buy − v_sell (volume). */
  net: Partial<Record<Venue, ArrayLike<number>>>;
  /** Trades per bin (n_buy + n_sell). */
  count: Partial<Record<Venue, ArrayLike<number>>>;
  /** Last trade price carried forward (NaN before the first trade). */
  last: Partial<Record<Venue, ArrayLike<number>>>;
  /** flowSymbols(net, count): 0 sell, 1 balanced, 2 buy, 3 no trade. */
  flow: Partial<Record<Venue, Uint8Array>>;
  /** priceChangeSymbols(last): 0 down, 1 unchanged, 2 up. */
  price: Partial<Record<Venue, Uint8Array>>;
}

/** The symbol series of one venue in `s`, or a RangeError naming the venue. */
export function symbolsOf(s: SymbolSet, venue: Venue, kind: "flow" | "price"): Uint8Array {
  const x = s[kind][venue];
  if (!x) throw new RangeError(`invalid venue: ${venue} (no ${kind} symbols at ${s.binMs} ms)`);
  return x;
}

/** The 100 ms symbols of every venue from the flow matrix (net and count Int16, last Float32: exactly the page's `flow-100ms.arrow`), whose net flow is the net signed trade count. */
export function flowMatrixSymbols(flow: FlowColumns, venues: readonly Venue[]): SymbolSet {
  const out: SymbolSet = {binMs: FLOW_WIDTH_MS, bins: flow.length, definition: "count", net: {}, count: {}, last: {}, flow: {}, price: {}};
  for (const v of venues) {
    const net = flow.net[v];
    const count = flow.count[v];
    const last = flow.last[v];
    if (!net || !count || !last) throw new RangeError(`invalid venue: ${v} (not in the flow matrix)`);
    out.net[v] = net;
    out.count[v] = count;
    out.last[v] = last;
    out.flow[v] = flowSymbols(net, count);
    out.price[v] = priceChangeSymbols(last);
  }
  return out;
}

/** The bin columns the symbols are made of (volumes for the net signed volume). */
export interface FlowBins {
  length: number;
  n_buy: ArrayLike<number>;
  n_sell: ArrayLike<number>;
  v_buy?: ArrayLike<number>;
  v_sell?: ArrayLike<number>;
  last: ArrayLike<number>;
}

/** The symbols of every venue from its bins of width `binMs` (net flow of `definition` per bin, lib/net-flow.ts; count = n_buy + n_sell; `last` carried forward). */
export function binSymbols(bins: Partial<Record<Venue, FlowBins>>, venues: readonly Venue[], binMs: number, definition: FlowDefinition = DEFAULT_FLOW): SymbolSet {
  const out: SymbolSet = {binMs, bins: 0, definition, net: {}, count: {}, last: {}, flow: {}, price: {}};
  for (const v of venues) {
    const b = bins[v];
    if (!b) throw new RangeError(`invalid venue: ${v} (no ${binMs} ms bins)`);
    const net = netFlow(b, definition);
    const {count} = binFlow(b.n_buy, b.n_sell);
    out.bins = b.length;
    out.net[v] = net;
    out.count[v] = count;
    out.last[v] = b.last;
    out.flow[v] = flowSymbols(net, count);
    out.price[v] = priceChangeSymbols(b.last);
  }
  return out;
}

/** The 100 ms and 1 s symbol sets of a market (flow matrix and 1 s bins). */
export function marketSymbols(market: Pick<Market, "venues" | "bins" | "flow">): Record<100 | 1000, SymbolSet> {
  return {100: flowMatrixSymbols(marketFlow(market), market.venues), 1000: binSymbols(secondBins(market), market.venues, 1000)};
}

/** Each venue's 1 s bins of `market`. */
function secondBins(market: Pick<Market, "venues" | "bins">): Partial<Record<Venue, BinColumns>> {
  const bins1: Partial<Record<Venue, BinColumns>> = {};
  for (const v of market.venues) bins1[v] = marketBins(market, v, 1000);
  return bins1;
}

/**
 * Score of each venue: its net outgoing effective TE, Σ_w e(v → w) − e(w → v) over the other
 * venues w (links with a non-finite value in either direction left out), bits.
 */
export function leaderScores(effective: ArrayLike<number>, venues: readonly Venue[]): Record<string, number> {
  const m = venues.length;
  const score: Record<string, number> = {};
  for (let i = 0; i < m; ++i) {
    let s = 0;
    for (let j = 0; j < m; ++j) {
      if (i === j) continue;
      const a = effective[i * m + j];
      const b = effective[j * m + i];
      if (Number.isFinite(a) && Number.isFinite(b)) s += a - b;
    }
    score[venues[i]] = s;
  }
  return score;
}

/** The venue of largest score (the first in the record's order on ties). */
export function leaderOf(score: Record<string, number>): Venue {
  let best: string | null = null;
  for (const [v, s] of Object.entries(score)) if (best === null || s > score[best]) best = v;
  return best as Venue;
}

/** Options of {@link teMatrix}. */
export interface TeMatrixOptions {
  channel: Channel;
  /** Target history length. */
  k: number;
  /** Shuffle surrogates per link. */
  surrogates: number;
  seed: number;
  /** Block-permutation surrogates per link of the robustness check (blocks of ⌈√N⌉ bins); none when absent. */
  block?: number;
  /** False discovery rate of the marks; default {@link FDR_ALPHA}. */
  alpha?: number;
}

/**
 * The TE matrix from `sources[i]` to `targets[j]` (one symbol series per venue, all of equal
 * length, ternary): for every link, `transferEntropyTest(source, target, {k, l: 1, delay: 1,
 * base: FLOW_BASE, shuffle surrogates})` (Schreiber 2000; Monte-Carlo p = (1 + #)/(1 + S)), effective TE =
 * TE − surrogate mean (Marschinski & Kantz 2002), Benjamini–Hochberg marks over the m(m − 1)
 * links, the net TE(i → j) − TE(j → i), and the leader scores ({@link leaderScores}), as JSON
 * rounded to 6 significant digits (TE to 9); optionally with a block-permutation check of every
 * link. Bits.
 */
export function teMatrix(sources: Uint8Array[], targets: Uint8Array[], venues: Venue[], options: TeMatrixOptions): TeMatrix {
  const {channel, k, surrogates, seed, alpha = FDR_ALPHA} = options;
  const m = venues.length;
  if (sources.length !== m || targets.length !== m) throw new RangeError(`invalid sources/targets: ${sources.length}/${targets.length} series for ${m} venues`);
  const te = new Float64Array(m * m).fill(NaN);
  const effective = new Float64Array(m * m).fill(NaN);
  const pValue = new Float64Array(m * m).fill(NaN);
  const net = new Float64Array(m * m).fill(NaN);
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < m; ++j) {
      if (i === j) continue;
      const r = transferEntropyTest(sources[i], targets[j], {k, l: 1, delay: 1, base: FLOW_BASE, surrogates, method: "shuffle", seed: deriveSeed(seed, `pair ${i} ${j}`)});
      te[i * m + j] = r.te;
      effective[i * m + j] = r.effective;
      pValue[i * m + j] = r.pValue;
    }
  for (let i = 0; i < m; ++i) for (let j = 0; j < m; ++j) if (i !== j) net[i * m + j] = te[i * m + j] - te[j * m + i];
  const fdr = benjaminiHochberg(pValue, {alpha});
  const score = leaderScores(effective, venues);
  const out: TeMatrix = {
    channel,
    k,
    venues,
    samples: Math.max(0, targets[0].length - k),
    surrogates,
    method: "shuffle",
    te: roundAll(te, 9),
    effective: roundAll(effective),
    pValue: roundAll(pValue),
    qValue: roundAll(fdr.adjusted),
    significant: Array.from(fdr.rejected),
    net: roundAll(net),
    alpha,
    score: Object.fromEntries(Object.entries(score).map(([v, s]) => [v, round(s) ?? 0])),
    leader: leaderOf(score)
  };
  if (options.block) {
    const S = options.block;
    const p = new Float64Array(m * m).fill(NaN);
    const e = new Float64Array(m * m).fill(NaN);
    const blockLength = Math.max(1, Math.ceil(Math.sqrt(targets[0].length)));
    for (let i = 0; i < m; ++i)
      for (let j = 0; j < m; ++j) {
        if (i === j) continue;
        const t = transferEntropyTest(sources[i], targets[j], {k, base: FLOW_BASE, surrogates: S, method: "block", blockLength, seed: deriveSeed(seed, `block ${i} ${j}`)});
        p[i * m + j] = t.pValue;
        e[i * m + j] = t.effective;
      }
    const b = benjaminiHochberg(p, {alpha});
    out.block = {surrogates: S, blockLength, pValue: roundAll(p), qValue: roundAll(b.adjusted), significant: Array.from(b.rejected), effective: roundAll(e)};
  }
  return out;
}

/** The source series of `channel` (flow or price symbols) and the target series (flow symbols) of every venue, in `venues`' order. */
function channelSeries(s: SymbolSet, venues: readonly Venue[], channel: Channel): {sources: Uint8Array[]; targets: Uint8Array[]} {
  return {sources: venues.map((v) => symbolsOf(s, v, channel === "flow" ? "flow" : "price")), targets: venues.map((v) => symbolsOf(s, v, "flow"))};
}

/**
 * The full-span TE matrices of both channels for k = 1 and 2 on the 100 ms symbols `s`
 * ({@link teMatrix} with `params.surrogates`, and `params.blockSurrogates` block permutations at
 * k = 1), in the order flow k1, flow k2, price-flow k1, price-flow k2.
 */
export function fullSpanMatrices(s: SymbolSet, venues: Venue[], params: Pick<InformationFlowParams, "seed" | "surrogates" | "blockSurrogates">): TeMatrix[] {
  const out: TeMatrix[] = [];
  for (const channel of CHANNELS) {
    const {sources, targets} = channelSeries(s, venues, channel);
    for (const k of MATRIX_K)
      out.push(teMatrix(sources, targets, venues, {channel, k, surrogates: params.surrogates, seed: deriveSeed(params.seed, `ch03 ${channel} k${k}`), block: k === 1 ? params.blockSurrogates : undefined}));
  }
  return out;
}

/**
 * The hook: plug-in TE(source → target) of the 100 ms flow symbols, k = 1, base 3 (bits), from
 * Binance to Bybit when both are analysed, else from the first venue to the second. The page
 * recomputes it with the same lib/transfer-entropy.ts.
 */
export function hookTransferEntropy(s: SymbolSet, venues: readonly Venue[]): Hook {
  if (venues.length < 2) throw new RangeError(`invalid venues: ${venues.join(",")} (the hook needs two)`);
  const both = venues.includes("binance") && venues.includes("bybit");
  const source: Venue = both ? "binance" : venues[0];
  const target: Venue = both ? "bybit" : venues[1];
  return {source, target, k: 1, channel: "flow", te: transferEntropy(symbolsOf(s, source, "flow"), symbolsOf(s, target, "flow"), {k: 1, base: FLOW_BASE})};
}

/** The bins [a, b) of a grid starting at `t0` with `binMs` bins that cover [start, end), clipped to [0, bins). */
export function binRange(t0: number, binMs: number, bins: number, start: number, end: number): [number, number] {
  return [Math.max(0, Math.floor((start - t0) / binMs)), Math.min(bins, Math.ceil((end - t0) / binMs))];
}

/**
 * The k = 1 matrices of both channels in each period of the planted leader schedule
 * (lib/analysis/periods.ts `schedulePeriods`; the whole span for real data), on the 100 ms symbols
 * `s` cut to the period, with the leader of each ({@link teMatrix}, `params.surrogates`).
 */
export function leaderPeriods(
  s: SymbolSet,
  market: Pick<Market, "venues" | "span" | "truth">,
  params: Pick<InformationFlowParams, "seed" | "surrogates">
): Period[] {
  const {venues, span, truth} = market;
  return schedulePeriods(truth, span).map((p: SchedulePeriod) => {
    const name = periodLabel(p.id);
    const [a, b] = binRange(span[0], s.binMs, s.bins, p.start, p.end);
    const matrices = {} as Record<Channel, TeMatrix>;
    for (const channel of CHANNELS) {
      const {sources, targets} = channelSeries(s, venues, channel);
      const cut = (list: Uint8Array[]) => list.map((x) => x.subarray(a, b));
      matrices[channel] = teMatrix(cut(sources), cut(targets), venues, {channel, k: 1, surrogates: params.surrogates, seed: deriveSeed(params.seed, `ch03 period ${name} ${channel}`)});
    }
    return {id: p.id, name, start: p.start, end: p.end, planted: p.planted, matrices};
  });
}

/**
 * Rolling TE, k = 1, of both channels for every ordered pair on the 100 ms symbols `s`
 * (lib/rolling-transfer-entropy.ts, windows of `params.teWindowSec` every `params.teStepSec`,
 * `params.rollingSurrogates` shuffle surrogates per window), and per window the venue of largest
 * net outgoing effective TE. No window when the span is shorter than one.
 */
export function rollingLeadership(
  s: SymbolSet,
  venues: readonly Venue[],
  t0: number,
  params: Pick<InformationFlowParams, "seed" | "rollingSurrogates" | "teWindowSec" | "teStepSec">
): Rolling {
  const width = s.binMs;
  const window = Math.round((params.teWindowSec * 1000) / width);
  const step = Math.max(1, Math.round((params.teStepSec * 1000) / width));
  let ends: number[] = [];
  const channels = {} as Record<Channel, RollingChannel>;
  for (const channel of CHANNELS) {
    const pairs: RollingPair[] = [];
    const {sources, targets} = channelSeries(s, venues, channel);
    for (const [i, source] of venues.entries())
      for (const [j, target] of venues.entries()) {
        if (i === j || s.bins < window) continue;
        const r = rollingTransferEntropy(sources[i], targets[j], {
          window,
          step,
          k: 1,
          base: FLOW_BASE,
          surrogates: params.rollingSurrogates,
          seed: deriveSeed(params.seed, `ch03 rolling ${channel} ${source} ${target}`)
        });
        ends = Array.from(r.end, (e) => t0 + (e + 1) * width);
        pairs.push({source, target, te: roundNumbers(r.te), effective: roundNumbers(r.effective!), pValue: roundNumbers(r.pValue!, 4)});
      }
    const score: Record<string, number[]> = Object.fromEntries(venues.map((v) => [v, ends.map(() => 0)]));
    for (const p of pairs)
      for (let w = 0; w < ends.length; ++w) {
        const e = p.effective[w];
        if (!Number.isFinite(e)) continue;
        score[p.source][w] += e;
        score[p.target][w] -= e;
      }
    const leader = ends.map((_, w) => {
      let best: Venue | null = null;
      for (const v of venues) if (best === null || score[v][w] > score[best][w]) best = v;
      return best;
    });
    for (const v of venues) score[v] = score[v].map((x) => round(x) ?? 0);
    channels[channel] = {pairs, leader, score};
  }
  return {windowSec: params.teWindowSec, stepSec: params.teStepSec, surrogates: params.rollingSurrogates, k: 1, end: ends, channels};
}

/**
 * Lagged mutual information I(x_t ; y_{t+τ}) of the 100 ms price-change symbols of every
 * unordered pair (x before y in `venues`' order), τ = −L … L bins with L = min(MI_MAX_LAG, bins − 2),
 * shuffle-corrected with `params.surrogates` surrogates per lag (lib/mutual-information.ts), with
 * the lag of maximal shared information and, for simulated data, the planted calm-period delay
 * difference. Bits.
 */
export function laggedPriceInformation(
  s: SymbolSet,
  venues: readonly Venue[],
  truth: SimTruth | null,
  params: Pick<InformationFlowParams, "seed" | "surrogates">
): LaggedInformation {
  const calm = truth?.leadLag?.schedule?.[0]?.delaysMs ?? null;
  const pairs: LagMI[] = [];
  const maxLag = Math.min(MI_MAX_LAG, Math.max(1, s.bins - 2));
  for (let i = 0; i < venues.length; ++i)
    for (let j = i + 1; j < venues.length; ++j) {
      const r = laggedMutualInformation(symbolsOf(s, venues[i], "price"), symbolsOf(s, venues[j], "price"), {
        maxLag,
        base: FLOW_BASE,
        correction: "shuffle",
        surrogates: params.surrogates,
        seed: deriveSeed(params.seed, `ch03 mi ${venues[i]} ${venues[j]}`)
      });
      const bi = r.lag.indexOf(r.bestLag);
      pairs.push({
        x: venues[i],
        y: venues[j],
        lag: Array.from(r.lag),
        corrected: roundNumbers(r.corrected),
        pValue: roundNumbers(r.pValue!, 4),
        bestLag: r.bestLag,
        bestLagMs: r.bestLag * s.binMs,
        best: roundNumber(r.best),
        bestP: r.pValue![bi],
        plantedLagMs: calm ? delayDiff(calm, venues[i], venues[j]) : null
      });
    }
  return {widthMs: s.binMs, maxLag, surrogates: params.surrogates, symbols: "price", pairs};
}

/**
 * Active information storage of order k as a shuffle-tested mutual information: the past block
 * x[t−k … t−1] (coded as a base-b number) against x[t], with `surrogates` permutations of the
 * next symbol against the past (random tables with the observed margins, lib/mutual-information.ts;
 * Lizier et al. 2012). Returns the plug-in value minus the surrogate mean (bits per symbol), and
 * the p-value; NaN for k < 1 or fewer than two samples.
 */
export function storageTest(x: Uint8Array, k: number, base: number, surrogates: number, seed: number): {storage: number; pValue: number} {
  const n = x.length - k;
  if (!(k >= 1) || n < 2) return {storage: NaN, pValue: NaN};
  const past = new Int32Array(n);
  const next = x.subarray(k);
  const top = base ** (k - 1);
  let code = 0;
  for (let i = 0; i < k; ++i) code = code * base + x[i];
  for (let t = k; t < x.length; ++t) {
    past[t - k] = code;
    code = (code - x[t - k] * top) * base + x[t];
  }
  const r = laggedMutualInformation(past, next, {minLag: 0, maxLag: 0, correction: "shuffle", surrogates, seed});
  return {storage: r.corrected[0], pValue: r.pValue![0]};
}

/** Miller–Madow entropy rates h_0 … h_K of `x` (lib/entropy-rate.ts), NaN where the series is not longer than k. */
export function entropyRateCurve(x: Uint8Array, K: number, base: number): number[] {
  return Array.from({length: K + 1}, (_, k) => (x.length > k ? entropyRate(x, {k, base, estimator: "miller-madow"}) : NaN));
}

/**
 * The trade-sign part of a venue's {@link EntropyRateRow} from a {@link SignEntropyStream} fed
 * with all of `venue`'s trade sides (K = SIGN_MAX_K): the shuffle seeded by "ch03 signs <venue>",
 * the storage test by "ch03 sign storage <venue>" with `params.surrogates` surrogates. Call once.
 */
export function signEntropy(stream: SignEntropyStream, venue: Venue, params: Pick<InformationFlowParams, "seed" | "surrogates">): SignEntropy {
  return stream.result({
    shuffleSeed: deriveSeed(params.seed, `ch03 signs ${venue}`),
    storageSeed: deriveSeed(params.seed, `ch03 sign storage ${venue}`),
    surrogates: params.surrogates
  });
}

/**
 * Per venue: the entropy rate of its trade signs (event time, side 0 dropped) against the same
 * signs shuffled once, their active information storage at k = SIGN_MAX_K; the entropy rate and
 * storage of its 1 s flow symbols (`s1`); and the shuffle-corrected MI between the flow symbol of
 * second t and the price change over second t (price impact) and t + 1. Bits. The sign part is
 * taken from `signs` where given (the build streams the trades, {@link signEntropy}), else from
 * the market's trade sides fed as one piece (the same values).
 */
export function entropyRates(
  market: Pick<Market, "venues" | "trades">,
  s1: SymbolSet,
  params: Pick<InformationFlowParams, "seed" | "surrogates">,
  signs: Partial<Record<Venue, SignEntropy>> = {}
): EntropyRateRow[] {
  const {seed, surrogates: S} = params;
  return market.venues.map((v) => {
    let sign = signs[v];
    if (!sign) {
      const stream = new SignEntropyStream(SIGN_MAX_K);
      stream.push(marketTrades(market, v).side);
      sign = signEntropy(stream, v, params);
    }
    const flow1 = symbolsOf(s1, v, "flow");
    const move1 = symbolsOf(s1, v, "price");
    const mi = s1.bins > 2 ? laggedMutualInformation(flow1, move1, {minLag: 0, maxLag: 1, base: FLOW_BASE, correction: "shuffle", surrogates: S, seed: deriveSeed(seed, `ch03 flow-return ${v}`)}) : null;
    const flowStore = storageTest(flow1, FLOW_MAX_K, FLOW_BASE, S, deriveSeed(seed, `ch03 flow storage ${v}`));
    return {
      venue: v,
      kind: VENUE_INFO[v].kind,
      trades: sign.trades,
      buyShare: roundNumber(sign.trades ? sign.buys / sign.trades : NaN),
      signRate: roundNumbers(sign.rate),
      signRateShuffled: roundNumbers(sign.rateShuffled),
      signStorage: roundNumber(sign.storage),
      signStorageP: sign.storageP,
      flowRate: roundNumbers(entropyRateCurve(flow1, FLOW_MAX_K, FLOW_BASE)),
      flowStorage: roundNumber(flowStore.storage),
      flowStorageP: flowStore.pValue,
      miNextReturn: roundNumber(mi ? mi.corrected[1] : NaN),
      miNextReturnP: mi ? mi.pValue![1] : NaN,
      miSameReturn: roundNumber(mi ? mi.corrected[0] : NaN),
      miSameReturnP: mi ? mi.pValue![0] : NaN
    };
  });
}

/** The chapter's page tests: {@link pageTests} of the 100 ms and 1 s symbols with the page's surrogate count and seed, or null when `params.pageTests` is false. */
export function chapterPageTests(
  venues: readonly Venue[],
  symbols: Pick<ChapterSymbols, 100 | 1000>,
  params: Pick<InformationFlowParams, "pageTests" | "pageSurrogates" | "pageSeed">
): PageTests | null {
  return params.pageTests ? pageTests(venues, {100: symbols[100], 1000: symbols[1000]}, {surrogates: params.pageSurrogates, seed: params.pageSeed}) : null;
}

/**
 * The tests the page shows beside its inputs, for every choice of them that does not involve a
 * window, computed exactly as the page would (same symbols, lib/ functions, options, surrogate
 * count and seed): for every ordered pair of venues, channel, history length k of PAGE_PAIR_K and
 * bin width of PAGE_BIN_MS, `transferEntropyTest(source, target flow, {k, base: FLOW_BASE, surrogates,
 * seed})`; and per bin width and venue the flow symbols' Miller–Madow entropy rates h_0 … h_maxK
 * and `laggedMutualInformation(flow, price change, {lag 1, shuffle correction})`. Values are kept
 * at full precision so that a page reading them shows what it would have computed.
 */
export function pageTests(venues: readonly Venue[], symbols: Record<number, SymbolSet>, {surrogates, seed}: {surrogates: number; seed: number}): PageTests {
  const pairs: Record<string, PageTeTest> = {};
  const byBin: Record<string, Record<string, PageMemoryRow>> = {};
  for (const binMs of PAGE_BIN_MS) {
    const s = symbols[binMs];
    if (!s) throw new RangeError(`invalid symbols: none at ${binMs} ms`);
    for (const channel of CHANNELS)
      for (const k of PAGE_PAIR_K)
        for (const a of venues)
          for (const b of venues) {
            if (a === b) continue;
            const r = transferEntropyTest(symbolsOf(s, a, channel === "flow" ? "flow" : "price"), symbolsOf(s, b, "flow"), {k, base: FLOW_BASE, surrogates, seed});
            pairs[pairTestKey(a, b, channel, k, binMs)] = {effective: r.effective, pValue: r.pValue};
          }
    byBin[binMs] = {};
    for (const v of venues) {
      const x = symbolsOf(s, v, "flow");
      const rate = Array.from({length: PAGE_MEMORY_MAX_K + 1}, (_, k) => entropyRate(x, {k, base: FLOW_BASE, estimator: "miller-madow"}));
      const mi = laggedMutualInformation(x, symbolsOf(s, v, "price"), {minLag: 1, maxLag: 1, base: FLOW_BASE, correction: "shuffle", surrogates, seed});
      byBin[binMs][v] = {rate, miNext: mi.corrected[0], p: mi.pValue![0]};
    }
  }
  return {surrogates, seed, pairs, memory: {maxK: PAGE_MEMORY_MAX_K, byBin}};
}

/** One ordered pair's full-span TE at 1 s, k = 1, under both flow definitions. */
export interface FlowCheckRow {
  source: Venue;
  target: Venue;
  channel: Channel;
  count: PageTeTest;
  volume: PageTeTest;
}

/** The 1 s transfer entropies of every ordered pair and channel under both flow definitions. */
export interface FlowCheck {
  binMs: number;
  k: number;
  surrogates: number;
  rows: FlowCheckRow[];
}

/**
 * The flow-definition check: for every ordered pair of venues and both channels, the full-span
 * TE(source → target flow), k = 1, on 1 s symbols whose flow is the net signed trade count and
 * again the net signed volume (lib/net-flow.ts), each with `surrogates` shuffle surrogates
 * (effective TE in bits and p-value). Shows where a figure's reading would change with the flow's
 * definition. Needs the 1 s bins' volumes.
 */
export function flowCheck(bins1: Partial<Record<Venue, FlowBins>>, venues: readonly Venue[], options: {surrogates: number; seed: number}): FlowCheck {
  return flowCheckOf({count: binSymbols(bins1, venues, 1000, "count"), volume: binSymbols(bins1, venues, 1000, "volume")}, venues, options);
}

/** {@link flowCheck} from the 1 s symbols under both definitions (`sets.count`, `sets.volume`). */
export function flowCheckOf(sets: {count: SymbolSet; volume: SymbolSet}, venues: readonly Venue[], {surrogates, seed}: {surrogates: number; seed: number}): FlowCheck {
  const rows: FlowCheckRow[] = [];
  for (const channel of CHANNELS)
    for (const source of venues)
      for (const target of venues) {
        if (source === target) continue;
        const test = (s: SymbolSet): PageTeTest => {
          const r = transferEntropyTest(symbolsOf(s, source, channel === "flow" ? "flow" : "price"), symbolsOf(s, target, "flow"), {k: 1, base: FLOW_BASE, surrogates, seed: deriveSeed(seed, `flow check ${channel} ${source} ${target}`)});
          return {effective: roundNumber(r.effective), pValue: roundNumber(r.pValue)};
        };
        rows.push({source, target, channel, count: test(sets.count), volume: test(sets.volume)});
      }
  return {binMs: 1000, k: 1, surrogates, rows};
}

/** Options of {@link analyseInformationFlow} that do not change its result. */
export interface AnalysisHooks {
  /** Called after each named step with its name (the build times its steps with it). */
  onStep?: (name: string) => void;
  /**
   * The calibrated leaders of this market with {@link chapterLeaderOptions}, computed elsewhere
   * (the build feeds the rule day by day, loaders/chapters/leaders.ts, the same result as
   * `calibratedLeaders`); when given with {@link spotPerp}, the market's trade times and prices are
   * not used.
   */
  leaders?: LeaderOutcome[];
  /** Analysis B from the same runs of the rule as {@link leaders} (lib/analysis/spot-perp.ts `spotPerpVerdicts`), computed elsewhere. */
  spotPerp?: SpotPerpResult;
  /**
   * The symbols of this market, made elsewhere (the build makes them from the flow matrix and the
   * 1 s bins and lets those go, {@link symbolsOnly}): the 100 ms and 1 s sets of
   * {@link marketSymbols} and the 1 s set of the net signed volume; when given, the market's bins
   * and flow matrix are not used.
   */
  symbols?: ChapterSymbols;
  /** The trade-sign part of the entropy rates per venue ({@link signEntropy}); when given, the market's trade sides are not used. */
  signs?: Partial<Record<Venue, SignEntropy>>;
  /**
   * The per-bin analyses of the 100 ms symbols computed elsewhere, each by {@link perBinPart} of
   * this market's 100 ms set (the build runs them on worker threads): when given, those steps
   * are not run here.
   */
  perBin?: PerBin;
  /** The page's tests ({@link chapterPageTests} of this market's symbols and params), computed elsewhere: when given (null included), not computed here. */
  page?: PageTests | null;
}

/** The analyses of the 100 ms symbols that take most of the chapter's time after the leader rule, and the leader periods. */
export interface PerBin {
  /** {@link fullSpanMatrices} (empty when the market has one venue, {@link crossMarketSkipReason}). */
  matrices: TeMatrix[];
  /** {@link rollingLeadership}. */
  rolling: Rolling;
  /** {@link laggedPriceInformation}. */
  lagMI: LaggedInformation;
  /** {@link leaderPeriods} (none when the market has one venue). */
  periods: Period[];
}

/** The parts of {@link PerBin}, each computed on its own by {@link perBinPart}. */
export const PER_BIN_PARTS = ["matrices", "rolling", "lagMI", "periods"] as const;
export type PerBinPart = (typeof PER_BIN_PARTS)[number];

/**
 * One part of {@link PerBin} for the 100 ms symbol set `s100` of a market with `venues`, `span`
 * and planted `truth`: the same call {@link analyseInformationFlow} makes for that step, so a
 * part computed anywhere (another thread) equals the one computed in line.
 */
export function perBinPart<P extends PerBinPart>(
  part: P,
  s100: SymbolSet,
  market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null},
  params: InformationFlowParams
): PerBin[P] {
  const {venues, span, truth} = market;
  const t0 = span[0];
  switch (part) {
    case "matrices":
      return (crossMarketSkipReason(venues) ? [] : fullSpanMatrices(s100, venues, params)) as PerBin[P];
    case "rolling":
      return rollingLeadership(s100, venues, t0, params) as PerBin[P];
    case "lagMI":
      return laggedPriceInformation(s100, venues, truth, params) as PerBin[P];
    case "periods":
      return (crossMarketSkipReason(venues) ? [] : leaderPeriods(s100, market, params)) as PerBin[P];
  }
  throw new RangeError(`invalid per-bin part: ${String(part)}`);
}

/** The symbol sets chapter 03 works on: 100 ms and 1 s (net signed trade count) and 1 s of the net signed volume (the flow check). */
export interface ChapterSymbols {
  100: SymbolSet;
  1000: SymbolSet;
  volume1000: SymbolSet;
}

/** The chapter's symbol sets of a market ({@link marketSymbols} and the 1 s set of the net signed volume). */
export function chapterSymbols(market: Pick<Market, "venues" | "bins" | "flow">): ChapterSymbols {
  return {...marketSymbols(market), volume1000: binSymbols(secondBins(market), market.venues, 1000, "volume")};
}

/** `s` with its symbols only (no net flow, count or price columns), so that the columns it was made of can be freed. */
export function symbolsOnly(s: SymbolSet): SymbolSet {
  return {binMs: s.binMs, bins: s.bins, definition: s.definition, net: {}, count: {}, last: {}, flow: s.flow, price: s.price};
}

/** The options of chapter 03's calibrated leaders (lib/analysis/leaders.ts) under `params`. */
export function chapterLeaderOptions(params: Pick<InformationFlowParams, "seed" | "leaderResamples">): CalibratedLeadersOptions {
  return {seed: deriveSeed(params.seed, "ch03 leaders"), resamples: params.leaderResamples, binMs: FLOW_WIDTH_MS};
}

/**
 * Chapter 03 of `market` (see the module comment): the full-span TE matrices, the leader per
 * period of the planted schedule, rolling TE and its leaders, lagged MI of price changes, entropy
 * rates and storage, and the page's tests. JSON-serialisable; deterministic given
 * `params.seed` and `params.pageSeed`. Works on any span (an hour or less gives no rolling
 * window when shorter than `params.teWindowSec`). With one venue only its own measures are
 * computed (entropy rates, memory); the sections that compare markets are empty and
 * `crossMarket` says why. RangeError with no venue or a market lacking trade sides, 1 s bins or
 * the 100 ms flow matrix that `hooks` does not stand in for (`symbols`, `signs`, `leaders`: the
 * same result from inputs the build makes piece by piece, loaders/chapters/ch03.ts).
 */
export function analyseInformationFlow(
  market: InformationFlowMarket,
  params: InformationFlowParams = INFORMATION_FLOW_DEFAULTS,
  {onStep = () => {}, leaders: given, spotPerp: givenSpotPerp, symbols: made, signs, perBin, page: pageGiven}: AnalysisHooks = {}
): InformationFlow {
  const {venues, span} = market;
  if (venues.length < 1) throw new RangeError("invalid venues: none (chapter 03 needs at least one)");
  const crossMarket = crossMarketSkipReason(venues);
  const symbols = made ?? chapterSymbols(market);
  const s100 = symbols[100];
  onStep("symbols");
  const perBinOf = <P extends PerBinPart>(part: P): PerBin[P] => perBin?.[part] ?? perBinPart(part, s100, {venues, span, truth: market.truth}, params);
  const matrices = perBinOf("matrices");
  const hook = crossMarket ? null : hookTransferEntropy(s100, venues);
  onStep("matrices");
  const periods = perBinOf("periods");
  onStep("periods");
  const leaderOptions = chapterLeaderOptions(params);
  const runs = given && givenSpotPerp ? null : leaderRuns({venues, span, truth: market.truth, trades: Object.fromEntries(venues.map((v) => [v, marketTrades(market, v)]))}, leaderOptions);
  const leaders = given ?? leadersFromResults(runs!.plan, runs!.results, leaderOptions);
  const spotPerp = givenSpotPerp ?? spotPerpVerdicts(venues, runs!.plan, runs!.results);
  onStep("calibrated leaders");
  const rolling = perBinOf("rolling");
  onStep("rolling");
  const lagMI = perBinOf("lagMI");
  onStep("lagged MI");
  const entropyRate = entropyRates(market, symbols[1000], params, signs);
  onStep("entropy rate");
  const check = flowCheckOf({count: symbols[1000], volume: symbols.volume1000}, venues, {surrogates: params.surrogates, seed: deriveSeed(params.seed, "ch03 flow check")});
  onStep("flow check");
  const page = pageGiven !== undefined ? pageGiven : chapterPageTests(venues, symbols, params);
  onStep("page tests");
  return {
    source: market.source,
    flow: symbols[100].definition,
    flowCheck: check,
    venues,
    kinds: Object.fromEntries(venues.map((v) => [v, VENUE_INFO[v].kind])),
    span,
    widthMs: FLOW_WIDTH_MS,
    bins: s100.bins,
    seed: params.seed,
    surrogates: params.surrogates,
    crossMarket,
    hook,
    matrices,
    periods,
    leaders,
    spotPerp,
    rolling,
    lagMI,
    entropyRate,
    page
  };
}

/** One direction of a pair test: plug-in and effective TE (bits) with shuffle and block-permutation p-values. */
export interface DirectionTest {
  te: number;
  effective: number;
  pShuffle: number;
  pBlock: number;
}

/** Information flow between two venues, both ways, per channel and history length. */
export interface PairFlow {
  widthMs: number;
  /** The definition of the net flow of the flow symbols (lib/net-flow.ts). */
  flow: FlowDefinition;
  bins: number;
  /** Trades per venue with a known side. */
  trades: [number, number];
  tests: {channel: Channel; k: number; forward: DirectionTest; backward: DirectionTest}[];
}

/**
 * Transfer entropy both ways between two venues binned on the same grid: for each channel
 * (flow → flow, price → flow) and history length k, TE(a → b) ("forward") and TE(b → a)
 * ("backward") on the ternary symbols, each with a shuffle p-value (`surrogates`) and a
 * block-permutation p-value (`blockSurrogates`, blocks of ⌈√N⌉ bins, which keep the source's own
 * memory). Used on real recordings, where no truth is planted. Bits.
 */
export function pairInformationFlow(
  a: FlowBins,
  b: FlowBins,
  options: {widthMs: number; ks?: number[]; surrogates: number; blockSurrogates?: number; seed: number; flow?: FlowDefinition}
): PairFlow {
  if (a.length !== b.length) throw new RangeError(`invalid b: ${b.length} bins, a has ${a.length}`);
  const {widthMs, ks = [1, 2], surrogates, blockSurrogates = surrogates, seed, flow = DEFAULT_FLOW} = options;
  const symbols = (c: FlowBins) => {
    const {count} = binFlow(c.n_buy, c.n_sell);
    let trades = 0;
    for (let i = 0; i < c.length; ++i) trades += count[i];
    return {flow: flowSymbols(netFlow(c, flow), count), price: priceChangeSymbols(c.last), trades};
  };
  const A = symbols(a);
  const B = symbols(b);
  const test = (x: Uint8Array, y: Uint8Array, k: number, label: string): DirectionTest => {
    const shuffleTest = transferEntropyTest(x, y, {k, base: FLOW_BASE, surrogates, method: "shuffle", seed: deriveSeed(seed, `${label} shuffle`)});
    const blockTest = transferEntropyTest(x, y, {k, base: FLOW_BASE, surrogates: blockSurrogates, method: "block", seed: deriveSeed(seed, `${label} block`)});
    return {te: shuffleTest.te, effective: shuffleTest.effective, pShuffle: shuffleTest.pValue, pBlock: blockTest.pValue};
  };
  const tests: PairFlow["tests"] = [];
  for (const channel of CHANNELS)
    for (const k of ks) {
      const src = (s: typeof A) => (channel === "flow" ? s.flow : s.price);
      tests.push({channel, k, forward: test(src(A), B.flow, k, `${channel} ${k} forward`), backward: test(src(B), A.flow, k, `${channel} ${k} backward`)});
    }
  return {widthMs, flow, bins: a.length, trades: [A.trades, B.trades], tests};
}

// ---------------------------------------------------------------------------------------------
// The page's views: what page 03 computes from its inputs and from the build's result, one call
// per cell. Each takes plain values and returns rows for a chart, a summary or a sentence.

/** A table of named columns, as an Arrow `Table` is (typed structurally: no Arrow import here). */
export interface ColumnTable {
  numRows: number;
  getChild(name: string): {toArray(): ArrayLike<number>; get(i: number): unknown} | null;
}

function columnOf(table: ColumnTable, name: string): ArrayLike<number> {
  const c = table.getChild(name);
  if (!c) throw new RangeError(`invalid table: no column ${name}`);
  return c.toArray();
}

function slice(x: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  const typed = x as Float64Array;
  return typeof typed.subarray === "function" ? typed.subarray(start, end) : Array.prototype.slice.call(x, start, end);
}

/**
 * The page's 100 ms and 1 s symbol sets from the two files it loads: the wide flow matrix
 * `flow-100ms.arrow` (columns `<venue>` net flow, `<venue>_n` trade count and `<venue>_last`) and the long-format
 * `bins-1000ms.arrow` (column `venue`, the rows of each venue in one block in `venues`' order,
 * which is checked). The same symbols as {@link marketSymbols} gives the build.
 */
export function pageSymbols(venues: readonly Venue[], flowTable: ColumnTable, binsTable: ColumnTable): Record<100 | 1000, SymbolSet> {
  const flow: FlowColumns = {length: flowTable.numRows, net: {}, count: {}, last: {}};
  for (const v of venues) {
    flow.net[v] = columnOf(flowTable, v) as Int16Array;
    flow.count[v] = columnOf(flowTable, `${v}_n`) as Int16Array;
    flow.last[v] = columnOf(flowTable, `${v}_last`) as Float32Array;
  }
  const n = binsTable.numRows / venues.length;
  if (!Number.isInteger(n)) throw new RangeError(`invalid bins table: ${binsTable.numRows} rows for ${venues.length} venues`);
  const venue = binsTable.getChild("venue");
  const [nBuy, nSell, last] = ["n_buy", "n_sell", "last"].map((c) => columnOf(binsTable, c));
  const bins: Partial<Record<Venue, FlowBins>> = {};
  venues.forEach((v, i) => {
    if (venue?.get(i * n) !== v) throw new RangeError(`invalid bins table: rows of ${v} not at ${i * n}`);
    bins[v] = {length: n, n_buy: slice(nBuy, i * n, (i + 1) * n), n_sell: slice(nSell, i * n, (i + 1) * n), last: slice(last, i * n, (i + 1) * n)};
  });
  return {100: flowMatrixSymbols(flow, venues), 1000: binSymbols(bins, venues, 1000)};
}

/** "flow → flow" or "price → flow". */
export function channelLabel(channel: Channel): string {
  return channel === "flow" ? "flow → flow" : "price → flow";
}

/** "100 ms" or "1 s". */
export function binLabel(binMs: number): string {
  return binMs === 100 ? "100 ms" : binMs % 1000 === 0 ? `${binMs / 1000} s` : `${binMs} ms`;
}

/** Bits as "0.42 millibits"; "n/a" when missing. */
export function formatMillibits(bits: number | null | undefined): string {
  return bits === null || bits === undefined || !Number.isFinite(bits) ? "n/a" : `${formatNumber(bits * 1000, 2)} millibits`;
}

/** A share as "12.3%"; "n/a" when missing. */
export function formatShare(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : `${formatNumber(100 * x, 1)}%`;
}

/** The planted crash as a span to outline on charts (simulated data), else null. */
export interface CrashSpan {
  name: string;
  start: number;
  end: number;
}

/** The planted crash of `truth` as a named span, or null for real data and for a market planted without a crash. */
export function plantedCrash(truth: SimTruth | null): CrashSpan | null {
  const crash = crashEvents(truth);
  return crash ? {name: "planted crash", start: crash.crashStart, end: crash.crashEnd} : null;
}

/** Windows of the rolling entropy panel, minutes. */
export const ENTROPY_WINDOWS_MIN = [1, 5, 15] as const;

/** Windows of the pair explorer's rolling TE, minutes. */
export const PAIR_WINDOWS_MIN = [10, 30, 60] as const;

/**
 * The windows of `windowsMin` (minutes) shorter than a span of `spanMs`, the one shown first
 * (`preferred` where offered, else the longest), and what was left out and why ("the span of
 * 6.8 min is not longer than the 15-minute entropy window, which is left out"); no window when
 * the span is not longer than the shortest.
 */
export function spanWindowChoices(spanMs: number, windowsMin: readonly number[], preferred: number, what = "window"): {windows: number[]; initial: number | null; note: string | null} {
  const windows = windowsMin.filter((w) => w * 60_000 < spanMs);
  const dropped = windowsMin.filter((w) => !windows.includes(w));
  const initial = windows.includes(preferred) ? preferred : (windows[windows.length - 1] ?? null);
  const words = spanWords(spanMs);
  const plural = dropped.length > 1;
  const note = !dropped.length
    ? null
    : !windows.length
      ? `the span of ${words} is not longer than the shortest ${what} (${windowsMin[0]} minute${windowsMin[0] === 1 ? "" : "s"})`
      : `the span of ${words} is not longer than the ${dropped.join(" and ")}-minute ${what}${plural ? "s" : ""}, which ${plural ? "are" : "is"} left out`;
  return {windows, initial, note};
}

/** The rolling-entropy windows a span offers ({@link spanWindowChoices} of {@link ENTROPY_WINDOWS_MIN}, 5 minutes first). */
export function entropyWindowChoices(spanMs: number): {windows: number[]; initial: number | null; note: string | null} {
  return spanWindowChoices(spanMs, ENTROPY_WINDOWS_MIN, 5, "entropy window");
}

/**
 * Rolling normalised Miller–Madow entropy of `venue`'s flow over the bins with trades
 * (lib/flow-entropy.ts, divided by log₂ 3) in `s`, over windows of each of `windowsMin` minutes,
 * on a 1 s grid: grid[i] is the entropy of the window ending with second i (NaN until the window
 * is full, or with fewer than two bins with trades).
 */
export function rollingEntropyGrid(s: SymbolSet, venue: Venue, windowsMin: readonly number[] = ENTROPY_WINDOWS_MIN): Map<number, Float64Array> {
  const symbols = symbolsOf(s, venue, "flow");
  const perSecond = 1000 / s.binMs;
  if (!Number.isInteger(perSecond)) throw new RangeError(`invalid binMs: ${s.binMs} (must divide 1000)`);
  const perMinute = 60 * perSecond;
  return new Map(
    windowsMin.map((w) => {
      const full = activeFlowEntropy(symbols, {window: w * perMinute, step: perSecond, estimator: "miller-madow", normalize: true}).entropy;
      const grid = new Float64Array(Math.floor(full.length / perSecond));
      for (let i = 0; i < grid.length; ++i) grid[i] = full[(i + 1) * perSecond - 1];
      return [w, grid];
    })
  );
}

/** A run of low or high entropy, [start, end) in epoch ms. */
export interface Episode {
  kind: "low" | "high";
  start: number;
  end: number;
}

/**
 * Runs of `flag` (1 inside) as time intervals [t0 + a·dt, t0 + b·dt), joining runs closer than
 * `joinMs`: the episodes of low or high entropy drawn on the price chart.
 */
export function episodes(flag: ArrayLike<number>, {t0, dtMs, kind, joinMs = 0}: {t0: number; dtMs: number; kind: "low" | "high"; joinMs?: number}): Episode[] {
  const out: Episode[] = [];
  const n = flag.length;
  for (let i = 0; i < n; ) {
    if (!flag[i]) {
      ++i;
      continue;
    }
    let j = i;
    while (j < n && flag[j]) ++j;
    const start = t0 + i * dtMs;
    const end = t0 + j * dtMs;
    const prev = out[out.length - 1];
    if (prev && start - prev.end <= joinMs) prev.end = end;
    else out.push({kind, start, end});
    i = j;
  }
  return out;
}

/** Low- and high-entropy seconds of one rolling-entropy grid and how they sit against the planted crash. */
export interface EntropyEpisodes {
  /** Thresholds: the `lowQ` and `highQ` quantiles of the defined entropies. */
  low: number;
  high: number;
  lowFlag: Uint8Array;
  highFlag: Uint8Array;
  /** Low and high episodes (runs joined within 30 s), in epoch ms. */
  marked: Episode[];
  /** Do low-entropy seconds concentrate in the crash (circular-shift test)? null without a crash. */
  crashShare: IntervalShareTest | null;
  /** Mean entropy inside the crash (NaN without one) and over the span. */
  meanCrash: number;
  meanAll: number;
}

/**
 * Flags the seconds of `h` (a 1 s grid whose second i ends at t0 + (i + 1)·1000 ms) below its
 * `lowQ` quantile and above its `highQ` quantile (type 7 over the defined values,
 * lib/moments.ts), joins them into episodes, and tests whether the low-entropy seconds
 * concentrate in the planted crash (lib/event-study.ts `intervalShareTest`, circular shifts
 * seeded by `seed`).
 */
export function entropyEpisodes(
  h: Float64Array,
  {t0, crash, seed, lowQ = 0.05, highQ = 0.95}: {t0: number; crash: CrashSpan | null; seed: number; lowQ?: number; highQ?: number}
): EntropyEpisodes {
  const low = quantile(h, lowQ);
  const high = quantile(h, highQ);
  const lowFlag = new Uint8Array(h.length);
  const highFlag = new Uint8Array(h.length);
  for (let i = 0; i < h.length; ++i) (lowFlag[i] = h[i] < low ? 1 : 0), (highFlag[i] = h[i] > high ? 1 : 0);
  const a = crash ? Math.max(0, Math.floor((crash.start - t0) / 1000)) : 0;
  const b = crash ? Math.min(h.length, Math.ceil((crash.end - t0) / 1000)) : 0;
  const marked = [...episodes(lowFlag, {t0: t0 + 1000, dtMs: 1000, kind: "low", joinMs: 30_000}), ...episodes(highFlag, {t0: t0 + 1000, dtMs: 1000, kind: "high", joinMs: 30_000})];
  return {
    low,
    high,
    lowFlag,
    highFlag,
    marked,
    crashShare: crash ? intervalShareTest(lowFlag, a, b, {seed}) : null,
    meanCrash: crash ? moments(h.subarray(a, b)).mean : NaN,
    meanAll: moments(h).mean
  };
}

/** The sentence under the entropy panel: mean entropy in the crash against the span, and the crash's share of the low-entropy time. */
export function entropyCrashSentence(venue: Venue, e: EntropyEpisodes): string {
  const name = venueLabel(venue);
  const c = e.crashShare;
  if (!c) return `Mean normalised entropy of ${name}'s flow: ${formatNumber(e.meanAll, 3)}; there is no planted regime to compare low-entropy episodes with on real data.`;
  return `During the planted crash the mean normalised entropy of ${name}'s flow is ${formatNumber(e.meanCrash, 3)} against ${formatNumber(e.meanAll, 3)} over the whole span, and ${formatShare(c.share)} of the low-entropy time falls inside the crash, which covers ${formatShare(c.expected)} of the span (circular-shift ${formatP(c.pValue)}, ${c.pValue < 0.05 ? "significant" : "not significant"} at 5 %).`;
}

/** Horizon of the entropy-drop event study, s. */
export const EVENT_HORIZON_SEC = 120;

/** What followed drops of a venue's flow entropy below a percentile. */
export interface EntropyDropStudy {
  venue: Venue;
  windowMin: number;
  percentile: number;
  horizonSec: number;
  /** The entropy threshold (the percentile of the defined values). */
  threshold: number;
  hits: HitRateTest;
  /** Forward log return signed by the flow imbalance, at each event and at every 10th second. */
  eventReturns: Float64Array;
  allReturns: Float64Array;
}

/**
 * The event study of an entropy drop: events are the downward crossings of `h` (the venue's
 * rolling entropy over `windowMin` minutes on the 1 s grid) below its `percentile`-th percentile,
 * at least `horizonSec` apart (lib/event-study.ts `thresholdCrossings`); the call at an event is
 * the sign of the venue's net flow over the entropy window ending there, the outcome the log
 * return of its last price over the next `horizonSec` seconds; `hitRateTest` compares the hit
 * rate with a fair coin (binomial) and with 999 randomly placed times (permutation, `seed`).
 */
export function entropyDropStudy(
  s1: SymbolSet,
  venue: Venue,
  h: Float64Array,
  {windowMin, percentile, seed, horizonSec = EVENT_HORIZON_SEC}: {windowMin: number; percentile: number; seed: number; horizonSec?: number}
): EntropyDropStudy {
  if (s1.binMs !== 1000) throw new RangeError(`invalid symbols: ${s1.binMs} ms bins (the event study runs on 1 s bins)`);
  const net = s1.net[venue];
  const last = s1.last[venue];
  if (!net || !last) throw new RangeError(`invalid venue: ${venue} (no 1 s bins)`);
  const windowSec = windowMin * 60;
  const imbalance = new Float64Array(net.length).fill(NaN);
  for (let t = 0, s = 0; t < net.length; ++t) {
    s += net[t] - (t >= windowSec ? net[t - windowSec] : 0);
    if (t >= windowSec - 1) imbalance[t] = s;
  }
  const forward = new Float64Array(net.length).fill(NaN);
  forward.set(logReturns(last, {lag: horizonSec}));
  const threshold = quantile(h, percentile / 100);
  const events = thresholdCrossings(h, threshold, {direction: "down", minGap: horizonSec});
  const hits = hitRateTest(events, imbalance, forward, {permutations: 999, seed});
  const signedAt = (i: number) => (imbalance[i] > 0 ? forward[i] : imbalance[i] < 0 ? -forward[i] : NaN);
  const eventReturns = Float64Array.from(events, signedAt);
  const allReturns = new Float64Array(Math.floor(forward.length / 10));
  for (let j = 0; j < allReturns.length; ++j) allReturns[j] = signedAt(j * 10);
  return {venue, windowMin, percentile, horizonSec, threshold, hits, eventReturns, allReturns};
}

/**
 * The trading implication of the entropy-drop study: a signal only when the permutation test
 * rejects (p < 0.05) and the test's false-positive rate on simulated markets without a crash,
 * measured by `npm run calibrate -- --phase` ("entropy drop adds directional accuracy"), holds.
 */
export function entropyDropSentence(d: EntropyDropStudy, record: PhaseCalibrationRecord | null = PHASE_CALIBRATION_RECORD): string {
  const name = venueLabel(d.venue);
  const h = d.hits;
  const what = `${name}'s ${d.windowMin}-minute flow entropy`;
  if (h.events === 0) return `The trading implication is that ${what} never crossed below its ${d.percentile}th percentile with a usable call and outcome, so there is nothing to trade on at this setting.`;
  const gain = h.hitRate > h.nullMean;
  // A signal only when the permutation test rejects and its false-positive rate on markets without a crash holds (npm run calibrate -- --phase).
  const fp = calibrationRow("entropy drop adds directional accuracy", "false-positive rate", undefined, record);
  const measured = `entropy drops ${gain ? "add" : "remove"} ${formatNumber(Math.abs(100 * (h.hitRate - h.nullMean)), 1)} percentage points of directional accuracy beyond the flow imbalance alone`;
  const verdict =
    h.pPermutation >= 0.05
      ? "the drop adds no directional accuracy beyond what the flow imbalance gives at any time, so it is not a trading signal on its own here"
      : fp?.holds === true
        ? `${measured}${gain ? ", worth following with a position in the flow's direction" : ", a contrarian signal"} (the test flagged ${fp.count} of ${fp.total} simulated markets without a crash)`
        : fp
          ? `${measured} here, but the test is not calibrated (it flagged ${fp.count} of ${fp.total} simulated markets without a crash, above its level), so it is no trading signal`
          : `${measured} here, but the test's false-positive rate has not been measured (npm run calibrate -- --phase), so it is no trading signal`;
  return `The trading implication is that after a drop of ${what} below its ${d.percentile}th percentile, the price moved in the direction of the flow imbalance over the next ${d.horizonSec / 60} minutes in ${formatShare(h.hitRate)} of ${h.events} events (binomial ${formatP(h.pBinomial)} against a coin), against ${formatShare(h.nullMean)} at randomly placed times (permutation ${formatP(h.pPermutation)}): ${verdict}.`;
}

/** One point of an entropy-rate curve. */
export interface RateRow {
  venue: string;
  k: number;
  h: number;
  series: string;
}

/** The trade-sign entropy-rate curves of every venue, with the shuffled yardstick, as chart rows. */
export function signRateRows(rows: readonly EntropyRateRow[]): RateRow[] {
  return rows.flatMap((r) => [
    ...r.signRate.map((h, k) => ({venue: venueLabel(r.venue), k, h, series: "trade signs"})),
    ...r.signRateShuffled.map((h, k) => ({venue: venueLabel(r.venue), k, h, series: "shuffled signs (no memory)"}))
  ]);
}

/** One venue's row of the memory table. */
export interface MemoryRow {
  venue: string;
  /** H₁, h_k and their difference, the memory (bits per bin). */
  H1: number;
  hk: number;
  storage: number;
  /** MI of the flow and the next bin's price change (bits) and its shuffle p-value. */
  miNext: number;
  p: number;
}

/** The memory table at bin width `binMs` and history `k`, from the build's page tests. */
export function memoryTable(page: PageTests, venues: readonly Venue[], binMs: number, k: number): MemoryRow[] {
  const byVenue = page.memory.byBin[binMs];
  if (!byVenue) throw new RangeError(`invalid binMs: ${binMs}`);
  if (!(Number.isInteger(k) && k >= 0 && k <= page.memory.maxK)) throw new RangeError(`invalid k: ${k}`);
  return venues.map((v) => {
    const m = byVenue[v];
    return {venue: venueLabel(v), H1: m.rate[0], hk: m.rate[k], storage: m.rate[0] - m.rate[k], miNext: m.miNext, p: m.p};
  });
}

function greatest<T>(rows: readonly T[], value: (r: T) => number): T | undefined {
  let best: T | undefined;
  for (const r of rows) if (Number.isFinite(value(r)) && (best === undefined || value(r) > value(best))) best = r;
  return best;
}

/** The trading implication of the memory section: sign memory and flow memory against the flow's information about the next price change. */
export function memorySentence(rates: readonly EntropyRateRow[], rows: readonly MemoryRow[], binMs: number, k: number): string {
  const signTop = greatest(rates, (r) => r.signStorage);
  const memoryMax = greatest(rows, (r) => r.storage);
  const miMax = greatest(rows, (r) => r.miNext);
  if (!signTop || !memoryMax || !miMax) return "The trading implication cannot be stated: the memory measures are not defined on this span.";
  return `The trading implication is that ${venueLabel(signTop.venue)}'s next trade sign is predictable from the previous ${signTop.signRate.length - 1} to the tune of ${formatNumber(signTop.signStorage, 3)} bits per trade (permutation ${formatP(signTop.signStorageP)}), and ${memoryMax.venue}'s ${binLabel(binMs)} flow stores ${formatNumber(memoryMax.storage, 3)} bits in its last ${k} bins, yet the most any venue's flow tells about the next bin's price change is ${formatNumber(miMax.miNext, 5)} bits (${miMax.venue}, ${formatP(miMax.p)}), ${formatNumber(memoryMax.storage / Math.max(miMax.miNext, 1e-9), 0)} times less: betting on the continuation of a flow's sign is betting on other traders' order splitting, not on the price.`;
}

/** The full-span matrix of `channel` and history `k` in a chapter result, or a RangeError. */
export function matrixOf(ch: Pick<InformationFlow, "matrices">, channel: Channel, k: number): TeMatrix {
  const m = ch.matrices.find((x) => x.channel === channel && x.k === k);
  if (!m) throw new RangeError(`invalid matrix: no ${channel} matrix at k = ${k}`);
  return m;
}

/** The link a → b of a matrix: effective TE (bits), shuffle p-value and BH q-value. */
export function linkAt(m: TeMatrix, a: Venue, b: Venue): {effective: number; p: number; q: number} {
  const n = m.venues.length;
  const i = m.venues.indexOf(a);
  const j = m.venues.indexOf(b);
  if (i < 0 || j < 0) throw new RangeError(`invalid link: ${a} → ${b}`);
  return {effective: m.effective[i * n + j] ?? NaN, p: m.pValue[i * n + j] ?? NaN, q: m.qValue[i * n + j] ?? NaN};
}

/** What the matrix section states: significant links against shuffle and block surrogates, and the strongest link. */
export interface MatrixSummary {
  channel: Channel;
  k: number;
  matrix: TeMatrix;
  /** The k = 1 matrix of the channel, which carries the block-permutation check. */
  matrixK1: TeMatrix;
  links: number;
  significant: number;
  significantBlock: number;
  strongest: {source: Venue; target: Venue; effective: number; p: number; q: number} | null;
}

/** The summary of the full-span matrix of `channel` at history `k`. */
export function matrixSummary(ch: Pick<InformationFlow, "matrices">, channel: Channel, k: number): MatrixSummary {
  const matrix = matrixOf(ch, channel, k);
  const matrixK1 = matrixOf(ch, channel, 1);
  const n = matrix.venues.length;
  let strongest: MatrixSummary["strongest"] = null;
  for (const a of matrix.venues)
    for (const b of matrix.venues) {
      if (a === b) continue;
      const l = linkAt(matrix, a, b);
      if (Number.isFinite(l.effective) && (strongest === null || l.effective > strongest.effective)) strongest = {source: a, target: b, ...l};
    }
  const sum = (x: number[] | undefined) => (x ?? []).reduce((s, v) => s + v, 0);
  return {channel, k, matrix, matrixK1, links: n * (n - 1), significant: sum(matrix.significant), significantBlock: sum(matrixK1.block?.significant), strongest};
}

/**
 * What the matrix section states: the largest effective TE, descriptively. The matrices' shuffle
 * surrogates destroy each source's own memory (they over-reject on series with regime-like
 * memory), so no significance or direction is claimed from them: links are called significant
 * only by the calibrated price → price test of each period ({@link leaderSection}).
 */
export function matrixSentence(s: MatrixSummary, widthMs: number): string {
  const l = s.strongest;
  if (!l) return "There is no link between two venues in this matrix.";
  return `Descriptively, the largest effective transfer entropy of this matrix (${channelLabel(s.channel)}, k = ${s.k}) is ${venueLabel(l.source)} → ${venueLabel(l.target)} at ${formatMillibits(l.effective)} per ${widthMs} ms bin. The matrix is evidence, not a verdict: which venue leads and which links are significant is decided per period by the calibrated rule below.`;
}

/** One row of the leader table. */
export interface PeriodRow {
  period: string;
  from: Date;
  to: Date;
  planted: string;
  /** The calibrated leader of the perpetuals (analysis A), or "no leader found". */
  recovered: string;
  /** The rule's p-value. */
  p: number | null;
  /** Significant price → price links of the period (time-reversal test, BH) over the links tested. */
  links: string;
  /** Descriptive: the venue of largest net outgoing effective TE (price → flow), no leader claim. */
  largestNetTe: string;
  score: number;
}

/** The calibrated outcome of `analysis` for a period of the TE schedule (same id and end), or null. */
export function outcomeFor(leaders: readonly LeaderOutcome[], analysis: LeaderAnalysis, p: Pick<Period, "id" | "end">): LeaderOutcome | null {
  return leaders.find((o) => o.analysis === analysis && o.period === p.id && o.end === p.end) ?? leaders.find((o) => o.analysis === analysis && o.period === p.id) ?? null;
}

/** The leader table: per period, the planted leader, the calibrated leader of the perpetuals and, descriptively, the venue of largest net price → flow TE. */
export function periodRows(periods: readonly Period[], leaders: readonly LeaderOutcome[] = []): PeriodRow[] {
  return periods.map((p) => {
    const m = p.matrices["price-flow"];
    const o = outcomeFor(leaders, "A", p);
    const planted = o && o.planted !== undefined ? o.planted : p.planted ? p.planted.leader : undefined;
    return {
      period: p.name,
      from: new Date(p.start),
      to: new Date(p.end),
      planted: planted === undefined ? "—" : plantedWords(planted),
      recovered: o ? (o.leader ? venueLabel(o.leader) : "no leader found") : "not computed",
      p: o ? o.p : null,
      links: o ? `${o.links.filter((l) => l.significant).length} of ${o.links.length}` : "—",
      largestNetTe: venueLabel(m.leader),
      score: m.score[m.leader]
    };
  });
}

/** The calibrated outcomes of one analysis, one sentence each, and the strongest significant link. */
export function leaderSection(ch: Pick<InformationFlow, "leaders">, analysis: LeaderAnalysis): string {
  const os = ch.leaders.filter((o) => o.analysis === analysis);
  if (!os.length) return analysis === "A" ? "The calibrated leader rule was not computed: this build has fewer than two perpetuals." : "The calibrated leader rule was not computed for perpetual against spot: this build has no spot venue beside a perpetual.";
  return `${os.map((o) => leaderSentence(o)).join(" ")} ${strongestLinkSentence(os)}`;
}

/** The venues of each kind in table order. */
export function venuesOfKind(ch: Pick<InformationFlow, "venues" | "kinds">, kind: "perpetual" | "spot"): Venue[] {
  return ch.venues.filter((v) => ch.kinds[v] === kind);
}

/** The calibrated leadership of the perpetuals before and during the crash (or over the span for real data). */
export interface LeaderFlip {
  /** The outcome before the crash (else the first period's). */
  calm: LeaderOutcome | null;
  crash: LeaderOutcome | null;
  /** "flip": two different named leaders; "same": one leader in both; "partial": a leader in one period only; "none": no leader; "single": one period only. */
  kind: "flip" | "same" | "partial" | "none" | "single";
}

/** The leadership flip of the perpetuals by the calibrated rule (analysis A) between the calm period and the crash. */
export function leaderFlip(ch: Pick<InformationFlow, "leaders">): LeaderFlip {
  const os = ch.leaders.filter((o) => o.analysis === "A");
  const calm = os.find((o) => o.period === "before-crash") ?? os[0] ?? null;
  const crash = os.find((o) => o.period === "crash") ?? null;
  let kind: LeaderFlip["kind"];
  if (!crash || !calm) kind = "single";
  else if (calm.leader && crash.leader) kind = calm.leader === crash.leader ? "same" : "flip";
  else kind = calm.leader || crash.leader ? "partial" : "none";
  return {calm, crash, kind};
}

/** A planted leader in prose: its label, or "no leader" where the plant has none. */
function plantedWords(leader: Venue | null): string {
  return leader ? venueLabel(leader) : "no leader";
}

/** The flip in words, chosen by the calibrated outcome, with the planted leaders when simulated. */
export function leaderFlipSentence(f: LeaderFlip, truth: SimTruth | null): string {
  const L = venueLabel;
  if (!f.calm) return "The calibrated leader rule was not computed: this build has fewer than two perpetuals.";
  const planted =
    truth && f.crash && f.calm.planted !== undefined && f.crash.planted !== undefined
      ? ` The simulator planted ${plantedWords(f.calm.planted)} before the crash and ${plantedWords(f.crash.planted)} during it: ${
          f.calm.leader === f.calm.planted && f.crash.leader === f.crash.planted ? "both recovered" : "not both recovered"
        }.`
      : "";
  switch (f.kind) {
    case "single":
      return leaderSentence(f.calm);
    case "flip":
      return `The calibrated rule finds a leadership flip among the perpetuals: ${L(f.calm.leader!)} leads ${f.calm.name} and ${L(f.crash!.leader!)} in the crash (rule ${formatP(f.calm.p)} and ${formatP(f.crash!.p)}).${planted}`;
    case "same":
      return `The calibrated rule finds no flip: ${L(f.calm.leader!)} leads the perpetuals both ${f.calm.name} and in the crash (rule ${formatP(f.calm.p)} and ${formatP(f.crash!.p)}).${planted}`;
    case "partial": {
      const named = f.calm.leader ? f.calm : f.crash!;
      const other = f.calm.leader ? f.crash! : f.calm;
      return `Whether leadership flips is inconclusive: ${L(named.leader!)} leads the perpetuals ${named.period === "crash" ? "in the crash" : named.name} (rule ${formatP(named.p)}), but ${other.period === "crash" ? "in the crash" : other.name} no leader is found (${reasonWords(other.reason ?? "")}).${planted}`;
    }
    default:
      return `No leader is found among the perpetuals either ${f.calm.name} or in the crash, so no flip is claimed (${reasonWords(f.calm.reason ?? "")}).${planted}`;
  }
}

/** Which pairs a view shows: both perpetuals, or one perpetual and one spot book. */
export type PairGroup = "perpetual" | "perpetual-spot";

/** Whether the pair (a, b) is in `group`. */
export function inGroup(kinds: Record<string, "perpetual" | "spot">, a: Venue, b: Venue, group: PairGroup): boolean {
  return group === "perpetual" ? kinds[a] === "perpetual" && kinds[b] === "perpetual" : kinds[a] !== kinds[b];
}

/** The rolling heatmap of a channel and pair group: one row per window and pair (effective TE in millibits), and the pair names in order. */
export function rollingRows(ch: Pick<InformationFlow, "rolling" | "kinds">, channel: Channel, group: PairGroup): {rows: {pair: string; t0: number; t1: number; value: number; p: number}[]; pairs: string[]} {
  const stepMs = ch.rolling.stepSec * 1000;
  const kept = ch.rolling.channels[channel].pairs.filter((p) => inGroup(ch.kinds, p.source, p.target, group));
  const name = (p: RollingPair) => `${venueLabel(p.source)} → ${venueLabel(p.target)}`;
  return {
    rows: kept.flatMap((p) => ch.rolling.end.map((e, w) => ({pair: name(p), t0: e - stepMs, t1: e, value: p.effective[w] * 1000, p: p.pValue[w]}))),
    pairs: kept.map(name)
  };
}

/** The timeline: per rolling window the venue of largest net outgoing effective TE (descriptive, no leader claim) beside the planted schedule. */
export function leaderTimelineRows(ch: Pick<InformationFlow, "rolling">, channel: Channel, truth: SimTruth | null): {row: string; t0: number; t1: number; leader: string}[] {
  const stepMs = ch.rolling.stepSec * 1000;
  const leader = ch.rolling.channels[channel].leader;
  return [
    ...ch.rolling.end.map((e, w) => ({row: "largest net TE", t0: e - stepMs, t1: e, leader: venueLabel(leader[w] ?? "")})),
    ...(truth ? truth.leadLag.schedule.map((s) => ({row: "planted leader", t0: s.start, t1: s.end, leader: s.leader ? venueLabel(s.leader) : "none"})) : [])
  ];
}

/** Who leads the rolling windows that overlap the crash and the others. */
export interface CrashLeadership {
  /** Windows overlapping the crash and the others. */
  touching: number;
  calm: number;
  /** Whether some window lies entirely inside the crash. */
  inside: boolean;
  /** Leaders by number of windows led, most first. */
  crashLedBy: [Venue | null, number][];
  calmLedBy: [Venue | null, number][];
}

function countLeaders(leaders: (Venue | null)[]): [Venue | null, number][] {
  const counts = new Map<Venue | null, number>();
  for (const l of leaders) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The leaders of the rolling windows (of `channel`) that overlap the planted crash against those of the others. */
export function crashLeadership(ch: Pick<InformationFlow, "rolling">, channel: Channel, crash: CrashSpan | null): CrashLeadership {
  const windowMs = ch.rolling.windowSec * 1000;
  const leader = ch.rolling.channels[channel].leader;
  const touches = (e: number) => !!crash && e > crash.start && e - windowMs < crash.end;
  const crashW: (Venue | null)[] = [];
  const calmW: (Venue | null)[] = [];
  let inside = false;
  ch.rolling.end.forEach((e, w) => {
    if (touches(e)) {
      crashW.push(leader[w]);
      if (crash && e - windowMs >= crash.start && e <= crash.end) inside = true;
    } else calmW.push(leader[w]);
  });
  return {touching: crashW.length, calm: calmW.length, inside, crashLedBy: countLeaders(crashW), calmLedBy: countLeaders(calmW)};
}

/** The rolling windows' largest net TE in words: descriptive, with no leader claim. */
export function crashLeadershipSentence(c: CrashLeadership, windowSec: number): string {
  const L = (v: Venue | null) => venueLabel(v ?? "none");
  const note = " This is descriptive (the largest net outgoing effective TE of each window, shuffle-corrected), not a leader claim: leaders are named only by the calibrated rule above.";
  if (c.touching) {
    const [crashLeader, crashCount] = c.crashLedBy[0];
    const others = c.calmLedBy.length ? `; of the ${c.calm} others, ${c.calmLedBy[0][1]} have it at ${L(c.calmLedBy[0][0])}` : "";
    return `Of the ${c.touching} windows that overlap the planted crash, ${crashCount} have the largest net TE at ${L(crashLeader)}${others}${c.inside ? "" : ` (no ${windowSec / 60}-minute window lies entirely inside the crash)`}.${note}`;
  }
  return c.calmLedBy.length ? `${c.calmLedBy[0][1]} of ${c.calm} windows have the largest net TE at ${L(c.calmLedBy[0][0])}.${note}` : "The span is shorter than one window.";
}

/** The lagged-MI views of a pair group: curve rows, the lag of largest MI, the planted lags and the table. */
export function lagView(ch: Pick<InformationFlow, "lagMI" | "kinds">, group: PairGroup) {
  const kept = ch.lagMI.pairs.filter((p) => inGroup(ch.kinds, p.x, p.y, group));
  const name = (p: LagMI) => `${venueLabel(p.x)} → ${venueLabel(p.y)}`;
  return {
    rows: kept.flatMap((p) => p.lag.map((l, i) => ({pair: name(p), lagMs: l * ch.lagMI.widthMs, mi: p.corrected[i], significant: p.pValue[i] < 0.05}))),
    best: kept.map((p) => ({pair: name(p), lagMs: p.bestLagMs, mi: p.best})),
    planted: kept.filter((p) => p.plantedLagMs !== null).map((p) => ({pair: name(p), lagMs: p.plantedLagMs!})),
    table: kept.map((p) => ({pair: name(p), best: p.bestLagMs, planted: p.plantedLagMs, mi: p.best, p: p.bestP}))
  };
}

/** The ordered pairs the pair explorer offers: of the perpetuals when there are two, else of all venues. */
export function pairOptions(venues: readonly Venue[]): [Venue, Venue][] {
  return venues.flatMap((a) => venues.filter((b) => b !== a).map((b): [Venue, Venue] => [a, b]));
}

/** The pair explorer: the build's full-span tests both ways and plug-in rolling TE both ways over the chosen window. */
export interface PairStudy {
  a: Venue;
  b: Venue;
  ab: PageTeTest;
  ba: PageTeTest;
  /** Plug-in rolling TE (bits) at each window end, both directions. */
  rows: {t: number; direction: string; te: number}[];
}

/**
 * TE both ways between `a` and `b` on the `binMs` symbols of `symbols` for `channel` and history
 * `k`: the full-span shuffle tests are the build's ({@link pageTests}, looked up), the rolling TE
 * (lib/rolling-transfer-entropy.ts, plug-in, windows of `windowMin` minutes every sixth of a
 * window; none when `windowMin` is null) is computed here.
 */
export function pairStudy(
  symbols: Record<number, SymbolSet>,
  page: PageTests,
  [a, b]: [Venue, Venue],
  {channel, k, binMs, windowMin, t0}: {channel: Channel; k: number; binMs: number; windowMin: number | null; t0: number}
): PairStudy {
  const s = symbols[binMs];
  if (!s) throw new RangeError(`invalid binMs: ${binMs}`);
  const test = (x: Venue, y: Venue) => {
    const t = page.pairs[pairTestKey(x, y, channel, k, binMs)];
    if (!t) throw new RangeError(`invalid pair test: ${pairTestKey(x, y, channel, k, binMs)}`);
    return t;
  };
  const window = ((windowMin ?? 0) * 60_000) / binMs;
  const step = Math.max(1, Math.round(window / 6));
  const rows: PairStudy["rows"] = [];
  // No window (the span is shorter than every choice): the full-span tests only.
  if (windowMin !== null) for (const [x, y] of [[a, b], [b, a]] as const) {
    const r = rollingTransferEntropy(symbolsOf(s, x, channel === "flow" ? "flow" : "price"), symbolsOf(s, y, "flow"), {window, step, k, base: FLOW_BASE});
    r.end.forEach((e, i) => rows.push({t: t0 + (e + 1) * binMs, direction: `${venueLabel(x)} → ${venueLabel(y)}`, te: r.te[i]}));
  }
  return {a, b, ab: test(a, b), ba: test(b, a), rows};
}

/** The trading implication of the perpetual analysis, chosen by the calibrated outcome (analysis A). */
export function perpetualSentence(ch: Pick<InformationFlow, "lagMI" | "kinds" | "venues" | "leaders">, f: LeaderFlip, c?: CrashLeadership): string {
  void c;
  if (!f.calm) return "The trading implication cannot be stated: this build has fewer than two perpetuals.";
  const L = venueLabel;
  const lead = (o: LeaderOutcome) => {
    const w = decidingPair(o)!;
    return `every other perpetual's (the deciding pair: ${w.leadMs} ms over ${L(w.b)}, bootstrap interval [${Math.round(w.interval[0])}, ${Math.round(w.interval[1])}] ms)`;
  };
  switch (f.kind) {
    case "flip":
      return `The trading implication is that a desk quoting on the perpetuals should key its quotes to ${L(f.calm.leader!)}'s last price ${f.calm.name}, whose trades lead ${lead(f.calm)}, and switch to ${L(f.crash!.leader!)} in the crash, which leads ${lead(f.crash!)}: a signal that assumes one fixed leader fails when volatility is highest.`;
    case "same":
    case "single":
      if (f.calm.leader) return `The trading implication is that a desk quoting on the perpetuals can key its quotes to ${L(f.calm.leader)}'s last price: its trades lead ${lead(f.calm)}${f.kind === "same" ? ", before and during the crash" : ""}.`;
      return `The trading implication is that no perpetual's price can be taken as the reference on this evidence: no leader is found (${reasonWords(f.calm.reason ?? "")}).`;
    case "partial": {
      const named = f.calm.leader ? f.calm : f.crash!;
      return `The trading implication is inconclusive: ${L(named.leader!)} leads ${named.period === "crash" ? "in the crash" : named.name} ${lead(named)}, but no leader is found in the other period, so a fixed reference price is not supported.`;
    }
    default:
      return "The trading implication is that no perpetual's price can be taken as the reference on this evidence: the calibrated rule finds no leader in any period.";
  }
}

/** One row of the perpetual–spot table: effective TE both ways (bits) with shuffle p-values. */
export interface SpotRow {
  channel: string;
  perpetual: string;
  spot: string;
  toSpot: number;
  pToSpot: number;
  toPerp: number;
  pToPerp: number;
}

/** The perpetual–spot table from the full-span k = 1 matrices of both channels. */
export function spotRows(ch: Pick<InformationFlow, "matrices" | "venues" | "kinds">): SpotRow[] {
  const perps = venuesOfKind(ch, "perpetual");
  return venuesOfKind(ch, "spot").flatMap((s) =>
    perps.flatMap((p) =>
      (["price-flow", "flow"] as const).map((c) => {
        const m = matrixOf(ch, c, 1);
        const out = linkAt(m, p, s);
        const back = linkAt(m, s, p);
        return {channel: channelLabel(c), perpetual: venueLabel(p), spot: venueLabel(s), toSpot: out.effective, pToSpot: out.p, toPerp: back.effective, pToPerp: back.p};
      })
    )
  );
}

/** The trading implication of the perpetual–spot analysis, chosen by the calibrated outcome of analysis B (all venues). */
export function spotSentence(ch: Pick<InformationFlow, "lagMI" | "kinds" | "widthMs" | "leaders">, rows: readonly SpotRow[]): string {
  void rows;
  const os = ch.leaders.filter((o) => o.analysis === "B");
  if (!os.length) return "The trading implication is that this build has no spot venue beside a perpetual, so no statement about perpetual–spot flow can be made.";
  const named = os.filter((o) => o.leader);
  const where = (o: LeaderOutcome) => (o.period === "full" ? "over the full span" : o.period === "crash" ? "in the crash" : o.name);
  if (!named.length) return `The trading implication is that no direction between the perpetuals and spot is claimed: the calibrated rule finds no venue that leads all others in any period (${reasonWords(os[0].reason ?? "")}).`;
  const parts = named.map((o) => {
    const w = decidingPair(o)!;
    return `${where(o)} ${venueLabel(o.leader!)} (${ch.kinds[o.leader!] === "spot" ? "spot" : "perpetual"}) leads every venue, the weakest by ${w.leadMs} ms over ${venueLabel(w.b)} (rule ${formatP(o.p)})`;
  });
  const spotLeads = named.some((o) => ch.kinds[o.leader!] === "spot");
  const advice = spotLeads ? "perpetual quotes should then be keyed to the spot price" : "spot liquidity can then be priced off the leading perpetual with that delay";
  return `The trading implication is that ${parts.join("; ")}${named.length < os.length ? `; in the other ${os.length - named.length === 1 ? "period" : "periods"} no leader is found` : ""}: ${advice}.`;
}

/** The flow definition of a result in words, for captions: "flow: net signed trade count (…)". */
export function flowCaption(ch: Partial<Pick<InformationFlow, "flow">>): string {
  return `flow: ${FLOW_LABELS[ch.flow ?? DEFAULT_FLOW]}`;
}

/** One row of the flow-definition table: a link's effective TE (bits) and p under each definition. */
export interface FlowCheckTableRow {
  link: string;
  channel: string;
  count: number;
  pCount: number;
  volume: number;
  pVolume: number;
}

/** The flow-definition check as table rows. */
export function flowCheckRows(ch: Pick<InformationFlow, "flowCheck">): FlowCheckTableRow[] {
  return ch.flowCheck.rows.map((r) => ({
    link: `${venueLabel(r.source)} → ${venueLabel(r.target)}`,
    channel: channelLabel(r.channel),
    count: r.count.effective,
    pCount: r.count.pValue,
    volume: r.volume.effective,
    pVolume: r.volume.pValue
  }));
}

/**
 * What the flow-definition check shows: how many links fall on the same side of 5 % under both
 * definitions, and which do not (descriptive: shuffle p-values, uncorrected).
 */
export function flowCheckSentence(ch: Pick<InformationFlow, "flowCheck" | "flow">): string {
  const rows = ch.flowCheck.rows;
  if (!rows.length) return "No link to compare under the two flow definitions.";
  const differ = rows.filter((r) => r.count.pValue < 0.05 !== r.volume.pValue < 0.05);
  const name = (r: FlowCheckRow) => `${venueLabel(r.source)} → ${venueLabel(r.target)} (${channelLabel(r.channel)}: ${formatP(r.count.pValue)} by count, ${formatP(r.volume.pValue)} by volume)`;
  const head = `At ${binLabel(ch.flowCheck.binMs)}, ${rows.length - differ.length} of ${rows.length} links fall on the same side of p = 0.05 whether the flow is the net signed trade count or the net signed volume`;
  return differ.length
    ? `${head}; ${differ.length === 1 ? "this one does" : "these do"} not: ${differ.map(name).join("; ")}. A reading that rests on ${differ.length === 1 ? "it" : "them"} depends on the flow's definition (these p-values are uncorrected shuffle tests, descriptive only).`
    : `${head}: no reading of these links depends on the flow's definition (uncorrected shuffle tests, descriptive only).`;
}
