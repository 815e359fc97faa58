/**
 * Chapter 03 at build time: Shannon entropy, transfer entropy and mutual information between
 * venues, the fixed computations too heavy for the browser.
 *
 * Symbols, per 100 ms bin and venue, read from the same `site/flow-100ms.arrow` the page loads
 * (so a value computed here and one computed in the page with the same lib/ function agree
 * exactly):
 * - flow: the ternary net-flow symbol (sell / balanced / buy = sign of buys − sells,
 *   lib/symbolize.ts `flowSymbols`);
 * - price: the ternary sign of the change of the last trade price (lib/price-symbols.ts).
 * Trade signs (event time) come from `trades-<venue>.arrow`, 1 s flow and prices from
 * `bins-<venue>-1000ms.arrow`.
 *
 * Two transfer-entropy channels are measured between every ordered pair of venues (X → Y):
 * - `flow`: TE from X's order flow to Y's order flow (flow symbols on both sides);
 * - `price-flow`: TE from X's price changes to Y's order flow: how much X's last price move tells
 *   about Y's next net flow beyond Y's own past — the footprint of traders at Y acting on X's
 *   price (arbitrage). A venue whose price moves first leads in this channel; its own order flow
 *   need not lead (the first venue to see news is the one whose flow does not have to react).
 *
 * Computed (all in bits):
 * - for each channel, TE matrices over the full span for target histories k = 1 and 2 (source
 *   history 1, delay one bin), each link tested against `config.surrogates` shuffle surrogates,
 *   effective TE = TE − surrogate mean, Benjamini–Hochberg marks over the m(m − 1) links, the net
 *   flow TE(X → Y) − TE(Y → X), and for k = 1 a second p-value from block-permutation surrogates,
 *   which keep the source's own memory;
 * - the k = 1 matrices per period of the planted leader schedule (simulated data; the whole span
 *   for real data), with the leader = the venue of largest net outgoing effective TE;
 * - rolling TE of both channels for every ordered pair over `config.windowsSec.te` windows every
 *   `teStep`, with shuffle surrogates per window, and the leader of each window;
 * - lagged mutual information of 100 ms price-change symbols for every pair over ±2 s,
 *   shuffle-corrected, with the lag of maximal shared information;
 * - entropy rate against plain entropy of the trade-sign sequence per venue and of 1 s flow
 *   symbols, the information stored in their past (active information storage), beside the
 *   information the flow carries about the next second's price change;
 * - the page's own tests, with its surrogate count and seed, for every choice of its inputs that
 *   does not depend on a window: the full-span TE test of "Explore a pair" for every ordered pair,
 *   channel, history length and bin width, and the memory table (entropy rates and the
 *   shuffle-tested MI of the flow and the next bin's price change) per bin width and venue; the
 *   page looks these up instead of rerunning hundreds of surrogates over 864 000 bins.
 *
 * References: T. Schreiber, PRL 85 (2000) 461; R. Marschinski and H. Kantz, EPJ B 30 (2002) 275;
 * Y. Benjamini and Y. Hochberg, JRSS B 57 (1995) 289; J. T. Lizier et al., Information Sciences
 * 208 (2012) 39; J. Hasbrouck, "One security, many markets", Journal of Finance 50 (1995) 1175.
 */
import {stopwatch} from "./stopwatch.ts";
import {join} from "node:path";
import {readArrowBatches, readArrowColumns} from "../arrow.ts";
import {VENUE_INFO, type AnalysisConfig, type Venue} from "../config.ts";
import {readBins} from "../derived.ts";
import type {BinColumns} from "../aggregate/bins.ts";
import type {SimTruth} from "../simulate/plan.ts";
import {entropyRate} from "../../lib/entropy-rate.js";
import {benjaminiHochberg} from "../../lib/fdr.js";
import {laggedMutualInformation} from "../../lib/mutual-information.js";
import {priceChangeSymbols} from "../../lib/price-symbols.js";
import {deriveSeed, mulberry32, shuffle} from "../../lib/random.js";
import {rollingTransferEntropy} from "../../lib/rolling-transfer-entropy.js";
import {flowSymbols, tradeSigns} from "../../lib/symbolize.js";
import {transferEntropy, transferEntropyTest} from "../../lib/transfer-entropy.js";
import {chapterBuild} from "./build.ts";

/** Width of the bins of the TE analysis, ms. */
export const FLOW_WIDTH_MS = 100;
/** Target histories of the build-time matrices. */
export const MATRIX_K = [1, 2] as const;
/** The transfer-entropy channels: source symbols → target symbols. */
export const CHANNELS = ["flow", "price-flow"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Block-permutation surrogates per link of the robustness check (k = 1, full span). */
export const BLOCK_SURROGATES = 49;
/** Shuffle surrogates per rolling window (their mean is the bias correction). */
export const ROLLING_SURROGATES = 49;
/** Largest lag of the mutual-information scan, in 100 ms bins (±2 s). */
export const MI_MAX_LAG = 20;
/** Largest history of the trade-sign entropy-rate curve. */
export const SIGN_MAX_K = 10;
/** Largest history of the 1 s flow-symbol entropy-rate curve. */
export const FLOW_MAX_K = 5;
/** False discovery rate of the matrix marks. */
export const FDR_ALPHA = 0.05;
/** Shuffle surrogates of the tests the page shows beside its inputs ("Explore a pair", the memory table). */
export const PAGE_SURROGATES = 199;
/** History lengths k the page offers for a pair's TE. */
export const PAGE_PAIR_K = [1, 2, 3] as const;
/** Bin widths the page offers, ms. */
export const PAGE_BIN_MS = [100, 1000] as const;
/** Largest history length of the page's memory table. */
export const PAGE_MEMORY_MAX_K = 5;

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

export interface Chapter03 {
  source: "simulated" | "real";
  venues: Venue[];
  kinds: Record<string, "perpetual" | "spot">;
  span: [number, number];
  widthMs: number;
  bins: number;
  seed: number;
  surrogates: number;
  /** Full-span TE(source → target) of the flow channel, k = 1, 100 ms symbols: the value the page recomputes in the browser. */
  hook: {source: Venue; target: Venue; k: number; channel: "flow"; te: number};
  /** Full-span matrices, every channel × k. */
  matrices: TeMatrix[];
  periods: Period[];
  rolling: {windowSec: number; stepSec: number; surrogates: number; k: number; end: number[]; channels: Record<Channel, RollingChannel>};
  lagMI: {widthMs: number; maxLag: number; surrogates: number; symbols: "price"; pairs: LagMI[]};
  entropyRate: EntropyRateRow[];
  page: PageTests;
  /** Seconds spent per part. */
  timing: Record<string, number>;
}

const round = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);
const roundAll = (a: ArrayLike<number>, digits = 6): (number | null)[] => Array.from(a, (x) => round(x, digits));
const finite = (a: ArrayLike<number>, digits = 6): number[] => Array.from(a, (x) => round(x, digits) ?? NaN);

/** The 100 ms symbols of every venue (flow and price change) and its last prices, from the build's `site/flow-100ms.arrow`. */
export async function readFlowSymbols(
  dir: string,
  venues: readonly Venue[]
): Promise<{bins: number; flow: Map<Venue, Uint8Array>; price: Map<Venue, Uint8Array>; last: Map<Venue, Float32Array>}> {
  const {length, columns} = await readArrowColumns(join(dir, "site", "flow-100ms.arrow"));
  const flow = new Map<Venue, Uint8Array>();
  const price = new Map<Venue, Uint8Array>();
  const last = new Map<Venue, Float32Array>();
  for (const v of venues) {
    const net = columns[v];
    if (!net) throw new RangeError(`invalid venue: ${v} (no column in flow-100ms.arrow)`);
    const p = columns[`${v}_last`] as Float32Array;
    flow.set(v, flowSymbols(net));
    price.set(v, priceChangeSymbols(p));
    last.set(v, p);
  }
  return {bins: length, flow, price, last};
}

/** Score of each venue: net outgoing effective TE, Σ_w e(v → w) − e(w → v). */
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

function argmax(score: Record<string, number>): Venue {
  let best: string | null = null;
  for (const [v, s] of Object.entries(score)) if (best === null || s > score[best]) best = v;
  return best as Venue;
}

/**
 * The TE matrix from `sources[i]` to `targets[j]` (one symbol series per venue, all of equal
 * length, ternary) with shuffle surrogates, Benjamini–Hochberg marks and leader scores, as JSON;
 * optionally with a block-permutation check of every link.
 */
export function teMatrix(
  sources: Uint8Array[],
  targets: Uint8Array[],
  venues: Venue[],
  options: {channel: Channel; k: number; surrogates: number; seed: number; block?: number}
): TeMatrix {
  const {channel, k, surrogates, seed} = options;
  const m = venues.length;
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
  const fdr = benjaminiHochberg(pValue, {alpha: FDR_ALPHA});
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
    alpha: FDR_ALPHA,
    score: Object.fromEntries(Object.entries(score).map(([v, s]) => [v, round(s) ?? 0])),
    leader: argmax(score)
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
    const b = benjaminiHochberg(p, {alpha: FDR_ALPHA});
    out.block = {surrogates: S, blockLength, pValue: roundAll(p), qValue: roundAll(b.adjusted), significant: Array.from(b.rejected), effective: roundAll(e)};
  }
  return out;
}

/** The periods of the planted leader schedule (simulated), else the whole span. */
function schedulePeriods(truth: SimTruth | null, span: [number, number]): {name: string; start: number; end: number; planted: Period["planted"]}[] {
  if (!truth?.leadLag?.schedule?.length) return [{name: "full span", start: span[0], end: span[1], planted: null}];
  const {crashStart, crashEnd} = truth.events;
  return truth.leadLag.schedule
    .filter((s) => s.end > s.start)
    .map((s) => ({
      name: s.end <= crashStart ? "before the crash" : s.start < crashEnd ? "crash" : "after the crash",
      start: s.start,
      end: s.end,
      planted: {leader: s.leader, delaysMs: {...s.delaysMs}}
    }));
}

/** The trade signs (binary, side 0 dropped) of one venue, streamed from `trades-<venue>.arrow`. */
async function readSigns(dir: string, venue: Venue): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const b of readArrowBatches(join(dir, `trades-${venue}.arrow`), ["side"])) {
    const s = tradeSigns(b.columns.side as Int8Array);
    parts.push(s);
    n += s.length;
  }
  const out = new Uint8Array(n);
  for (let o = 0, i = 0; i < parts.length; o += parts[i].length, ++i) out.set(parts[i], o);
  return out;
}

/**
 * Active information storage of order k as a shuffle-tested mutual information: the past block
 * x[t−k … t−1] (coded as a base-b number) against x[t], with `surrogates` permutations of the
 * next symbol against the past (random tables with the observed margins, lib/mutual-information.ts).
 * Returns the plug-in value minus the surrogate mean (bits per symbol), and the p-value.
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
 * Transfer entropy both ways between two venues binned on the same grid (`a` and `b` from
 * loaders/aggregate/bins.ts): for each channel (flow → flow, price → flow) and history length k,
 * TE(a → b) ("forward") and TE(b → a) ("backward") on the ternary symbols, each with a shuffle
 * p-value (`surrogates`) and a block-permutation p-value (`blockSurrogates`, blocks of ⌈√N⌉ bins,
 * which keep the source's own memory). Used on real recordings, where no truth is planted.
 */
export function pairInformationFlow(
  a: BinColumns,
  b: BinColumns,
  options: {widthMs: number; ks?: number[]; surrogates: number; blockSurrogates?: number; seed: number}
): PairFlow {
  if (a.length !== b.length) throw new RangeError(`invalid b: ${b.length} bins, a has ${a.length}`);
  const {widthMs, ks = [1, 2], surrogates, blockSurrogates = surrogates, seed} = options;
  const symbols = (c: BinColumns) => {
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

/**
 * The tests the page runs beside its inputs, for every choice of them that does not involve a
 * window, computed exactly as the page does (same symbols, lib/ functions, options, surrogate
 * count and seed): for every ordered pair of venues, channel, history length k of PAGE_PAIR_K and
 * bin width of PAGE_BIN_MS, `transferEntropyTest(source, target flow, {k, base: 3, surrogates,
 * seed})`; and per bin width and venue the flow symbols' Miller–Madow entropy rates h_0 … h_maxK
 * and `laggedMutualInformation(flow, price change, {lag 1, shuffle correction})`. Values are kept
 * at full precision so that a page reading them shows what it would have computed.
 */
export function pageTests(
  venues: readonly Venue[],
  symbols: Record<number, {flow: Map<Venue, Uint8Array>; price: Map<Venue, Uint8Array>}>,
  {surrogates, seed}: {surrogates: number; seed: number}
): PageTests {
  const pairs: Record<string, PageTeTest> = {};
  const byBin: Record<string, Record<string, PageMemoryRow>> = {};
  for (const binMs of PAGE_BIN_MS) {
    const s = symbols[binMs];
    for (const channel of CHANNELS)
      for (const k of PAGE_PAIR_K)
        for (const a of venues)
          for (const b of venues) {
            if (a === b) continue;
            const r = transferEntropyTest((channel === "flow" ? s.flow : s.price).get(a)!, s.flow.get(b)!, {k, base: 3, surrogates, seed});
            pairs[pairTestKey(a, b, channel, k, binMs)] = {effective: r.effective, pValue: r.pValue};
          }
    byBin[binMs] = {};
    for (const v of venues) {
      const x = s.flow.get(v)!;
      const rate = Array.from({length: PAGE_MEMORY_MAX_K + 1}, (_, k) => entropyRate(x, {k, base: 3, estimator: "miller-madow"}));
      const mi = laggedMutualInformation(x, s.price.get(v)!, {minLag: 1, maxLag: 1, base: 3, correction: "shuffle", surrogates, seed});
      byBin[binMs][v] = {rate, miNext: mi.corrected[0], p: mi.pValue![0]};
    }
  }
  return {surrogates, seed, pairs, memory: {maxK: PAGE_MEMORY_MAX_K, byBin}};
}

/**
 * Everything chapter 03 computes at build time, from the derived folder `dir` of `config`
 * (see the module comment). JSON-serialisable; deterministic given `config.seed`.
 */
export async function computeChapter03(dir: string, config: AnalysisConfig): Promise<Chapter03> {
  const {timing, lap} = stopwatch();
  const {manifest, truth, span} = chapterBuild(dir, config, {minVenues: 2});
  const venues = manifest.venues;
  if (venues.length < 2) throw new RangeError(`invalid venues: ${venues.join(",")} (chapter 03 needs at least two)`);
  const [t0] = span;
  const seed = config.seed;
  const S = config.surrogates;
  const kinds = Object.fromEntries(venues.map((v) => [v, VENUE_INFO[v].kind]));

  const {bins, flow, price} = await readFlowSymbols(dir, venues);
  const flows = venues.map((v) => flow.get(v)!);
  const prices = venues.map((v) => price.get(v)!);
  const sourcesOf = (c: Channel) => (c === "flow" ? flows : prices);
  lap("read symbols");

  // Full-span matrices.
  const matrices: TeMatrix[] = [];
  for (const channel of CHANNELS)
    for (const k of MATRIX_K)
      matrices.push(
        teMatrix(sourcesOf(channel), flows, venues, {channel, k, surrogates: S, seed: deriveSeed(seed, `ch03 ${channel} k${k}`), block: k === 1 ? BLOCK_SURROGATES : undefined})
      );
  const both = venues.includes("binance") && venues.includes("bybit");
  const hookSource: Venue = both ? "binance" : venues[0];
  const hookTarget: Venue = both ? "bybit" : venues[1];
  const hook = {source: hookSource, target: hookTarget, k: 1, channel: "flow" as const, te: transferEntropy(flow.get(hookSource)!, flow.get(hookTarget)!, {k: 1, base: 3})};
  lap("matrices");

  // Periods of the leader schedule.
  const periods: Period[] = schedulePeriods(truth, span).map((p) => {
    const a = Math.max(0, Math.floor((p.start - t0) / FLOW_WIDTH_MS));
    const b = Math.min(bins, Math.ceil((p.end - t0) / FLOW_WIDTH_MS));
    const cut = (list: Uint8Array[]) => list.map((s) => s.subarray(a, b));
    const matricesOf = Object.fromEntries(
      CHANNELS.map((channel) => [channel, teMatrix(cut(sourcesOf(channel)), cut(flows), venues, {channel, k: 1, surrogates: S, seed: deriveSeed(seed, `ch03 period ${p.name} ${channel}`)})])
    ) as Record<Channel, TeMatrix>;
    return {...p, matrices: matricesOf};
  });
  lap("periods");

  // Rolling TE.
  const window = Math.round((config.windowsSec.te * 1000) / FLOW_WIDTH_MS);
  const step = Math.max(1, Math.round((config.windowsSec.teStep * 1000) / FLOW_WIDTH_MS));
  let ends: number[] = [];
  const rollingChannels = {} as Record<Channel, RollingChannel>;
  for (const channel of CHANNELS) {
    const pairs: RollingPair[] = [];
    const sources = sourcesOf(channel);
    for (const [i, source] of venues.entries())
      for (const [j, target] of venues.entries()) {
        if (i === j || bins < window) continue;
        const r = rollingTransferEntropy(sources[i], flows[j], {window, step, k: 1, base: 3, surrogates: ROLLING_SURROGATES, seed: deriveSeed(seed, `ch03 rolling ${channel} ${source} ${target}`)});
        ends = Array.from(r.end, (e) => t0 + (e + 1) * FLOW_WIDTH_MS);
        pairs.push({source, target, te: finite(r.te), effective: finite(r.effective!), pValue: finite(r.pValue!, 4)});
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
    rollingChannels[channel] = {pairs, leader, score};
  }
  lap("rolling");

  // Lagged mutual information of price-change symbols.
  const calm = truth?.leadLag?.schedule?.[0]?.delaysMs ?? null;
  const lagPairs: LagMI[] = [];
  const maxLag = Math.min(MI_MAX_LAG, Math.max(1, bins - 2));
  for (let i = 0; i < venues.length; ++i)
    for (let j = i + 1; j < venues.length; ++j) {
      const r = laggedMutualInformation(prices[i], prices[j], {maxLag, base: 3, correction: "shuffle", surrogates: S, seed: deriveSeed(seed, `ch03 mi ${venues[i]} ${venues[j]}`)});
      const bi = r.lag.indexOf(r.bestLag);
      lagPairs.push({
        x: venues[i],
        y: venues[j],
        lag: Array.from(r.lag),
        corrected: finite(r.corrected),
        pValue: finite(r.pValue!, 4),
        bestLag: r.bestLag,
        bestLagMs: r.bestLag * FLOW_WIDTH_MS,
        best: round(r.best) ?? NaN,
        bestP: r.pValue![bi],
        plantedLagMs: calm ? calm[venues[j]] - calm[venues[i]] : null
      });
    }
  lap("lagged MI");

  // Entropy rate against entropy: trade signs (event time) and 1 s flow symbols.
  const flow1s = new Map<Venue, Uint8Array>();
  const price1s = new Map<Venue, Uint8Array>();
  const entropyRows: EntropyRateRow[] = [];
  const rate = (x: Uint8Array, K: number, base: number) =>
    Array.from({length: K + 1}, (_, k) => (x.length > k ? entropyRate(x, {k, base, estimator: "miller-madow"}) : NaN));
  for (const v of venues) {
    const signs = await readSigns(dir, v);
    let buys = 0;
    for (let i = 0; i < signs.length; ++i) buys += signs[i];
    const flat = shuffle(signs.slice(), mulberry32(deriveSeed(seed, `ch03 signs ${v}`)));
    const b1 = await readBins(dir, v, 1000);
    const net = new Float64Array(b1.length);
    for (let t = 0; t < b1.length; ++t) net[t] = b1.n_buy[t] - b1.n_sell[t];
    const flow1 = flowSymbols(net);
    const move1 = priceChangeSymbols(b1.last);
    flow1s.set(v, flow1);
    price1s.set(v, move1);
    const mi =
      b1.length > 2 ? laggedMutualInformation(flow1, move1, {minLag: 0, maxLag: 1, base: 3, correction: "shuffle", surrogates: S, seed: deriveSeed(seed, `ch03 flow-return ${v}`)}) : null;
    const signStore = storageTest(signs, SIGN_MAX_K, 2, S, deriveSeed(seed, `ch03 sign storage ${v}`));
    const flowStore = storageTest(flow1, FLOW_MAX_K, 3, S, deriveSeed(seed, `ch03 flow storage ${v}`));
    entropyRows.push({
      venue: v,
      kind: VENUE_INFO[v].kind,
      trades: signs.length,
      buyShare: round(signs.length ? buys / signs.length : NaN) ?? NaN,
      signRate: finite(rate(signs, SIGN_MAX_K, 2)),
      signRateShuffled: finite(rate(flat, SIGN_MAX_K, 2)),
      signStorage: round(signStore.storage) ?? NaN,
      signStorageP: signStore.pValue,
      flowRate: finite(rate(flow1, FLOW_MAX_K, 3)),
      flowStorage: round(flowStore.storage) ?? NaN,
      flowStorageP: flowStore.pValue,
      miNextReturn: round(mi ? mi.corrected[1] : NaN) ?? NaN,
      miNextReturnP: mi ? mi.pValue![1] : NaN,
      miSameReturn: round(mi ? mi.corrected[0] : NaN) ?? NaN,
      miSameReturnP: mi ? mi.pValue![0] : NaN
    });
  }
  lap("entropy rate");

  // The page's tests beside its inputs (its surrogate count and the build's seed, which the page reads from the manifest).
  const page = pageTests(venues, {100: {flow, price}, 1000: {flow: flow1s, price: price1s}}, {surrogates: PAGE_SURROGATES, seed: manifest.seed});
  lap("page tests");

  return {
    source: manifest.source,
    venues,
    kinds,
    span,
    widthMs: FLOW_WIDTH_MS,
    bins,
    seed,
    surrogates: S,
    hook,
    matrices,
    periods,
    rolling: {windowSec: config.windowsSec.te, stepSec: config.windowsSec.teStep, surrogates: ROLLING_SURROGATES, k: 1, end: ends, channels: rollingChannels},
    lagMI: {widthMs: FLOW_WIDTH_MS, maxLag, surrogates: S, symbols: "price", pairs: lagPairs},
    entropyRate: entropyRows,
    page,
    timing
  };
}
