/**
 * Chapter 03 · entropy and transfer entropy: how much information order flow and price changes
 * carry, and which venue's past tells about another's next move. One pure function of a market,
 * {@link analyseInformationFlow}, called by the build (`loaders/chapters/ch03.ts`), by the tests on
 * a simulated market in memory, and by the calibration; the page calls the same named steps for
 * whatever its inputs change.
 *
 * Symbols, per bin and venue (lib/symbolize.ts, lib/price-symbols.ts):
 * - flow: the ternary net-flow symbol (sell / balanced / buy = sign of buys − sells);
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
import {benjaminiHochberg} from "../fdr.js";
import {laggedMutualInformation} from "../mutual-information.js";
import {priceChangeSymbols} from "../price-symbols.js";
import {deriveSeed, mulberry32, shuffle} from "../random.js";
import {rollingTransferEntropy} from "../rolling-transfer-entropy.js";
import {flowSymbols, tradeSigns} from "../symbolize.js";
import {transferEntropy, transferEntropyTest} from "../transfer-entropy.js";
import {marketBins, marketFlow, marketTrades, type BinColumns, type FlowColumns, type Market} from "./market.js";
import {periodLabel, schedulePeriods, type Period as SchedulePeriod, type PeriodId} from "./periods.js";
import {round, roundAll, roundNumber, roundNumbers} from "./round.js";
import type {SimTruth} from "./truth.js";
import {VENUE_INFO, type Venue} from "./venues.js";

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
  pageSeed: 20240805
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
  /** The planted leader and delays (simulated data), else null. */
  planted: {leader: Venue; delaysMs: Record<string, number>} | null;
  /** k = 1 matrices of each channel. */
  matrices: Record<Channel, TeMatrix>;
}

export interface RollingPair {
  source: Venue;
  target: Venue;
  te: number[];
  effective: number[];
  pValue: number[];
}

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
  venues: Venue[];
  kinds: Record<string, "perpetual" | "spot">;
  span: [number, number];
  widthMs: number;
  bins: number;
  seed: number;
  surrogates: number;
  hook: Hook;
  /** Full-span matrices, every channel × k. */
  matrices: TeMatrix[];
  periods: Period[];
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
  /** Net signed trade count n_buy − n_sell per bin. */
  net: Partial<Record<Venue, ArrayLike<number>>>;
  /** Last trade price carried forward (NaN before the first trade). */
  last: Partial<Record<Venue, ArrayLike<number>>>;
  /** flowSymbols(net): 0 sell, 1 balanced, 2 buy. */
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

/** The 100 ms symbols of every venue from the flow matrix (net Int16, last Float32: exactly the page's `flow-100ms.arrow`). */
export function flowMatrixSymbols(flow: FlowColumns, venues: readonly Venue[]): SymbolSet {
  const out: SymbolSet = {binMs: FLOW_WIDTH_MS, bins: flow.length, net: {}, last: {}, flow: {}, price: {}};
  for (const v of venues) {
    const net = flow.net[v];
    const last = flow.last[v];
    if (!net || !last) throw new RangeError(`invalid venue: ${v} (not in the flow matrix)`);
    out.net[v] = net;
    out.last[v] = last;
    out.flow[v] = flowSymbols(net);
    out.price[v] = priceChangeSymbols(last);
  }
  return out;
}

/** The symbols of every venue from its bins of width `binMs` (net = n_buy − n_sell per bin, `last` carried forward). */
export function binSymbols(bins: Partial<Record<Venue, Pick<BinColumns, "length" | "n_buy" | "n_sell" | "last">>>, venues: readonly Venue[], binMs: number): SymbolSet {
  const out: SymbolSet = {binMs, bins: 0, net: {}, last: {}, flow: {}, price: {}};
  for (const v of venues) {
    const b = bins[v];
    if (!b) throw new RangeError(`invalid venue: ${v} (no ${binMs} ms bins)`);
    const net = new Float64Array(b.length);
    for (let t = 0; t < b.length; ++t) net[t] = b.n_buy[t] - b.n_sell[t];
    out.bins = b.length;
    out.net[v] = net;
    out.last[v] = b.last;
    out.flow[v] = flowSymbols(net);
    out.price[v] = priceChangeSymbols(b.last);
  }
  return out;
}

/** The 100 ms and 1 s symbol sets of a market (flow matrix and 1 s bins). */
export function marketSymbols(market: Pick<Market, "venues" | "bins" | "flow">): Record<100 | 1000, SymbolSet> {
  const bins1: Partial<Record<Venue, BinColumns>> = {};
  for (const v of market.venues) bins1[v] = marketBins(market, v, 1000);
  return {100: flowMatrixSymbols(marketFlow(market), market.venues), 1000: binSymbols(bins1, market.venues, 1000)};
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
 * base: 3, shuffle surrogates})` (Schreiber 2000; Monte-Carlo p = (1 + #)/(1 + S)), effective TE =
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
      const r = transferEntropyTest(sources[i], targets[j], {k, l: 1, delay: 1, base: 3, surrogates, method: "shuffle", seed: deriveSeed(seed, `pair ${i} ${j}`)});
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
        const t = transferEntropyTest(sources[i], targets[j], {k, base: 3, surrogates: S, method: "block", blockLength, seed: deriveSeed(seed, `block ${i} ${j}`)});
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
  return {source, target, k: 1, channel: "flow", te: transferEntropy(symbolsOf(s, source, "flow"), symbolsOf(s, target, "flow"), {k: 1, base: 3})};
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
          base: 3,
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
        base: 3,
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
        plantedLagMs: calm ? calm[venues[j]] - calm[venues[i]] : null
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
 * Per venue: the entropy rate of its trade signs (event time, side 0 dropped) against the same
 * signs shuffled once, their active information storage at k = SIGN_MAX_K; the entropy rate and
 * storage of its 1 s flow symbols (`s1`); and the shuffle-corrected MI between the flow symbol of
 * second t and the price change over second t (price impact) and t + 1. Bits.
 */
export function entropyRates(
  market: Pick<Market, "venues" | "trades">,
  s1: SymbolSet,
  params: Pick<InformationFlowParams, "seed" | "surrogates">
): EntropyRateRow[] {
  const {seed, surrogates: S} = params;
  return market.venues.map((v) => {
    const signs = tradeSigns(marketTrades(market, v).side);
    let buys = 0;
    for (let i = 0; i < signs.length; ++i) buys += signs[i];
    const flat = shuffle(signs.slice(), mulberry32(deriveSeed(seed, `ch03 signs ${v}`)));
    const flow1 = symbolsOf(s1, v, "flow");
    const move1 = symbolsOf(s1, v, "price");
    const mi = s1.bins > 2 ? laggedMutualInformation(flow1, move1, {minLag: 0, maxLag: 1, base: 3, correction: "shuffle", surrogates: S, seed: deriveSeed(seed, `ch03 flow-return ${v}`)}) : null;
    const signStore = storageTest(signs, SIGN_MAX_K, 2, S, deriveSeed(seed, `ch03 sign storage ${v}`));
    const flowStore = storageTest(flow1, FLOW_MAX_K, 3, S, deriveSeed(seed, `ch03 flow storage ${v}`));
    return {
      venue: v,
      kind: VENUE_INFO[v].kind,
      trades: signs.length,
      buyShare: roundNumber(signs.length ? buys / signs.length : NaN),
      signRate: roundNumbers(entropyRateCurve(signs, SIGN_MAX_K, 2)),
      signRateShuffled: roundNumbers(entropyRateCurve(flat, SIGN_MAX_K, 2)),
      signStorage: roundNumber(signStore.storage),
      signStorageP: signStore.pValue,
      flowRate: roundNumbers(entropyRateCurve(flow1, FLOW_MAX_K, 3)),
      flowStorage: roundNumber(flowStore.storage),
      flowStorageP: flowStore.pValue,
      miNextReturn: roundNumber(mi ? mi.corrected[1] : NaN),
      miNextReturnP: mi ? mi.pValue![1] : NaN,
      miSameReturn: roundNumber(mi ? mi.corrected[0] : NaN),
      miSameReturnP: mi ? mi.pValue![0] : NaN
    };
  });
}

/**
 * The tests the page shows beside its inputs, for every choice of them that does not involve a
 * window, computed exactly as the page would (same symbols, lib/ functions, options, surrogate
 * count and seed): for every ordered pair of venues, channel, history length k of PAGE_PAIR_K and
 * bin width of PAGE_BIN_MS, `transferEntropyTest(source, target flow, {k, base: 3, surrogates,
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
            const r = transferEntropyTest(symbolsOf(s, a, channel === "flow" ? "flow" : "price"), symbolsOf(s, b, "flow"), {k, base: 3, surrogates, seed});
            pairs[pairTestKey(a, b, channel, k, binMs)] = {effective: r.effective, pValue: r.pValue};
          }
    byBin[binMs] = {};
    for (const v of venues) {
      const x = symbolsOf(s, v, "flow");
      const rate = Array.from({length: PAGE_MEMORY_MAX_K + 1}, (_, k) => entropyRate(x, {k, base: 3, estimator: "miller-madow"}));
      const mi = laggedMutualInformation(x, symbolsOf(s, v, "price"), {minLag: 1, maxLag: 1, base: 3, correction: "shuffle", surrogates, seed});
      byBin[binMs][v] = {rate, miNext: mi.corrected[0], p: mi.pValue![0]};
    }
  }
  return {surrogates, seed, pairs, memory: {maxK: PAGE_MEMORY_MAX_K, byBin}};
}

/** Options of {@link analyseInformationFlow} that do not change its result. */
export interface AnalysisHooks {
  /** Called after each named step with its name (the build times its steps with it). */
  onStep?: (name: string) => void;
}

/**
 * Chapter 03 of `market` (see the module comment): the full-span TE matrices, the leader per
 * period of the planted schedule, rolling TE and its leaders, lagged MI of price changes, entropy
 * rates and storage, and the page's tests. JSON-serialisable; deterministic given
 * `params.seed` and `params.pageSeed`. Works on any span (an hour or less gives no rolling
 * window when shorter than `params.teWindowSec`). RangeError with fewer than two venues or a
 * market lacking trade sides, 1 s bins or the 100 ms flow matrix.
 */
export function analyseInformationFlow(
  market: InformationFlowMarket,
  params: InformationFlowParams = INFORMATION_FLOW_DEFAULTS,
  {onStep = () => {}}: AnalysisHooks = {}
): InformationFlow {
  const {venues, span} = market;
  if (venues.length < 2) throw new RangeError(`invalid venues: ${venues.join(",")} (chapter 03 needs at least two)`);
  const symbols = marketSymbols(market);
  const s100 = symbols[100];
  onStep("symbols");
  const matrices = fullSpanMatrices(s100, venues, params);
  const hook = hookTransferEntropy(s100, venues);
  onStep("matrices");
  const periods = leaderPeriods(s100, market, params);
  onStep("periods");
  const rolling = rollingLeadership(s100, venues, span[0], params);
  onStep("rolling");
  const lagMI = laggedPriceInformation(s100, venues, market.truth, params);
  onStep("lagged MI");
  const entropyRate = entropyRates(market, symbols[1000], params);
  onStep("entropy rate");
  const page = params.pageTests ? pageTests(venues, symbols, {surrogates: params.pageSurrogates, seed: params.pageSeed}) : null;
  onStep("page tests");
  return {
    source: market.source,
    venues,
    kinds: Object.fromEntries(venues.map((v) => [v, VENUE_INFO[v].kind])),
    span,
    widthMs: FLOW_WIDTH_MS,
    bins: s100.bins,
    seed: params.seed,
    surrogates: params.surrogates,
    hook,
    matrices,
    periods,
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
  a: Pick<BinColumns, "length" | "n_buy" | "n_sell" | "last">,
  b: Pick<BinColumns, "length" | "n_buy" | "n_sell" | "last">,
  options: {widthMs: number; ks?: number[]; surrogates: number; blockSurrogates?: number; seed: number}
): PairFlow {
  if (a.length !== b.length) throw new RangeError(`invalid b: ${b.length} bins, a has ${a.length}`);
  const {widthMs, ks = [1, 2], surrogates, blockSurrogates = surrogates, seed} = options;
  const symbols = (c: Pick<BinColumns, "length" | "n_buy" | "n_sell" | "last">) => {
    const net = new Float64Array(c.length);
    let trades = 0;
    for (let i = 0; i < c.length; ++i) {
      net[i] = c.n_buy[i] - c.n_sell[i];
      trades += c.n_buy[i] + c.n_sell[i];
    }
    return {flow: flowSymbols(net), price: priceChangeSymbols(c.last), trades};
  };
  const A = symbols(a);
  const B = symbols(b);
  const test = (x: Uint8Array, y: Uint8Array, k: number, label: string): DirectionTest => {
    const shuffleTest = transferEntropyTest(x, y, {k, base: 3, surrogates, method: "shuffle", seed: deriveSeed(seed, `${label} shuffle`)});
    const blockTest = transferEntropyTest(x, y, {k, base: 3, surrogates: blockSurrogates, method: "block", seed: deriveSeed(seed, `${label} block`)});
    return {te: shuffleTest.te, effective: shuffleTest.effective, pShuffle: shuffleTest.pValue, pBlock: blockTest.pValue};
  };
  const tests: PairFlow["tests"] = [];
  for (const channel of CHANNELS)
    for (const k of ks) {
      const src = (s: typeof A) => (channel === "flow" ? s.flow : s.price);
      tests.push({channel, k, forward: test(src(A), B.flow, k, `${channel} ${k} forward`), backward: test(src(B), A.flow, k, `${channel} ${k} backward`)});
    }
  return {widthMs, bins: a.length, trades: [A.trades, B.trades], tests};
}
