/**
 * Chapter 03 at build time: reads the parts of the derived folder the chapter needs one piece at
 * a time and keeps only what the analysis works on, so that memory does not grow with the trades
 * of the span: the calibrated leader rule is fed day by day (loaders/chapters/leaders.ts), its
 * runs deciding both the leaders and the findings' Analysis B (lib/analysis/spot-perp.ts); the
 * trade sides go one (venue, day) partition at a time into a `SignEntropyStream`
 * (lib/analysis/sign-entropy-stream.ts: the sign entropy rates and storage, equal to the
 * whole-span values); the 100 ms flow matrix the page also loads and the 1 s bins are read one
 * venue at a time and turned into their one-byte symbols, the columns freed. Then
 * `analyseInformationFlow` (lib/analysis/ch03.ts) runs on those, given the sign entropy rates, the
 * per-bin analyses of the 100 ms symbols (TE matrices, rolling TE, lagged MI, leader periods) and
 * the page tests, which run on one pool of worker threads, the symbols in shared memory
 * (`chapterParts`). The step timings go to stderr, not into the result, so two builds write the
 * same bytes.
 */
import type {AnalysisConfig} from "../config.ts";
import {manifestTrades, readBins, readFlow, readMarket, type Manifest} from "../market.ts";
import {partitionFiles, readTradeColumns, tradePartition} from "../parquet.ts";
import {
  analyseInformationFlow,
  binSymbols,
  chapterLeaderOptions,
  chapterPageTests,
  flowMatrixSymbols,
  INFORMATION_FLOW_DEFAULTS,
  PER_BIN_PARTS,
  perBinPart,
  SIGN_MAX_K,
  signEntropy,
  symbolsOnly,
  type ChapterSymbols,
  type InformationFlow,
  type InformationFlowParams,
  type PerBin,
  type PageTests,
  type PerBinPart,
  type SymbolSet
} from "../../lib/analysis/ch03.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {SignEntropyStream, type SignEntropy} from "../../lib/analysis/sign-entropy-stream.js";
import type {Venue} from "../../lib/analysis/venues.js";
import {venueConcurrency} from "../source-resolve.ts";
import {serveTask, sharedCopy, withPool} from "../task-pool.ts";
import {chapterBuild} from "./build.ts";
import {partitionDays, streamedLeaderRuns} from "./leaders.ts";
import {leadersFromResults} from "../../lib/analysis/leaders.js";
import {spotPerpVerdicts} from "../../lib/analysis/spot-perp.js";
import {stopwatch} from "./stopwatch.ts";

/** Chapter 03's result, as `data/ch03.json` holds it. */
export type Chapter03 = InformationFlow;

/**
 * The sign part of chapter 03's entropy rates of `venue` (`signEntropy`), from the trade sides of
 * its (venue, day) partitions of `dir` read in day order, one at a time; RangeError when the rows
 * read differ from `rows`, the manifest's trade count.
 */
export async function streamedSign(dir: string, venue: Venue, rows: number, params: Pick<InformationFlowParams, "seed" | "surrogates">): Promise<SignEntropy> {
  const stream = new SignEntropyStream(SIGN_MAX_K, rows);
  let at = 0;
  for (const day of partitionDays(dir, [venue])) {
    const {length, columns} = await readTradeColumns(partitionFiles(tradePartition(dir, venue, day)), ["side"]);
    stream.push(columns.side as Int8Array, length);
    at += length;
  }
  if (at !== rows) throw new RangeError(`invalid trades of ${venue}: ${at} rows in the partitions, the manifest says ${rows}`);
  return signEntropy(stream, venue, params);
}

interface SignTask {
  task: "ch03-signs";
  dir: string;
  venue: Venue;
  rows: number;
  params: Pick<InformationFlowParams, "seed" | "surrogates">;
  [key: string]: unknown;
}

serveTask<SignTask, SignEntropy>("ch03-signs", ({dir, venue, rows, params}) => streamedSign(dir, venue, rows, params));

/**
 * The chapter's symbol sets (`ChapterSymbols`) from the 100 ms flow matrix and the 1 s bins of
 * `dir`, read one venue at a time (only the columns the symbols are made of) and kept as their
 * one-byte symbols only: 2 bytes per 100 ms bin and 3 per 1 s bin and venue, where the columns
 * take 8 and 40.
 */
export async function readSymbols(dir: string, venues: readonly Venue[]): Promise<ChapterSymbols> {
  const join = (parts: SymbolSet[]): SymbolSet => {
    const [first] = parts;
    const out: SymbolSet = {...first, net: {}, count: {}, last: {}, flow: {}, price: {}};
    for (const p of parts) Object.assign(out.flow, p.flow), Object.assign(out.price, p.price);
    return out;
  };
  const s100: SymbolSet[] = [];
  const s1000: SymbolSet[] = [];
  const volume: SymbolSet[] = [];
  for (const v of venues) {
    s100.push(symbolsOnly(flowMatrixSymbols(await readFlow(dir, [v]), [v])));
    const bins = {[v]: await readBins(dir, v, 1000, ["n_buy", "n_sell", "v_buy", "v_sell", "last"])};
    s1000.push(symbolsOnly(binSymbols(bins, [v], 1000, "count")));
    volume.push(symbolsOnly(binSymbols(bins, [v], 1000, "volume")));
  }
  return {100: join(s100), 1000: join(s1000), volume1000: join(volume)};
}

interface PerBinTask {
  task: "ch03-per-bin";
  part: PerBinPart;
  s100: SymbolSet;
  market: PartsMarket;
  params: InformationFlowParams;
  [key: string]: unknown;
}

serveTask<PerBinTask, unknown>("ch03-per-bin", async ({part, s100, market, params}) => perBinPart(part, s100, market, params));

interface PageTask {
  task: "ch03-page";
  symbols: Pick<ChapterSymbols, 100 | 1000>;
  venues: Venue[];
  params: InformationFlowParams;
  [key: string]: unknown;
}

serveTask<PageTask, PageTests | null>("ch03-page", async ({symbols, venues, params}) => chapterPageTests(venues, symbols, params));

/**
 * Relative cost of the parts that read the symbols (two weeks at the default rates, in seconds
 * on one thread: rolling TE 61, full-span matrices 55, lagged MI 21, page tests 10, periods 6),
 * for the pool's largest-first order.
 */
const PART_COST: Record<PerBinPart | "page", number> = {rolling: 61, matrices: 55, lagMI: 21, page: 10, periods: 6};

/**
 * `s` with its symbols only ({@link symbolsOnly}), each array moved into shared memory, so that
 * worker threads given the set read the same bytes instead of a copy each.
 */
export function sharedSymbols(s: SymbolSet): SymbolSet {
  const share = (arrays: Partial<Record<Venue, Uint8Array>>) => Object.fromEntries(Object.entries(arrays).map(([v, a]) => [v, sharedCopy(a!)])) as Partial<Record<Venue, Uint8Array>>;
  return {...symbolsOnly(s), flow: share(s.flow), price: share(s.price)};
}

/** The market the parts read: venues, span and truth. */
type PartsMarket = {venues: Venue[]; span: [number, number]; truth: SimTruth | null};

/** What chapter 03 computes beside the leader rule (`AnalysisHooks`): the sign entropy rates, the symbols, the per-bin analyses and the page tests. */
export interface Chapter03Parts {
  signs: Partial<Record<Venue, SignEntropy>>;
  symbols: ChapterSymbols;
  perBin: PerBin;
  page: PageTests | null;
}

/**
 * Everything chapter 03 computes beside the leader rule, on one pool of worker threads for large
 * builds (one per core; `workers` overrides, 1: this thread only): each venue's sign entropy
 * ({@link streamedSign}, its partitions' trade sides) is queued first, largest venue first; while
 * they run, this thread reads the symbols (`readSymbols`), moves the 100 ms set into shared memory
 * and queues the per-bin analyses (`perBinPart`: full-span TE matrices, rolling TE, lagged MI,
 * the leader periods) and the page tests, longest first and ahead of the venues still waiting.
 * Every part is a pure function of what it reads and its own seed, so the result does not depend
 * on where it ran.
 */
export async function chapterParts(
  dir: string,
  manifest: Pick<Manifest, "perVenue">,
  market: PartsMarket,
  params: InformationFlowParams,
  {workers}: {workers?: number} = {}
): Promise<Chapter03Parts> {
  const {venues} = market;
  const rows = (v: Venue) => manifestTrades(dir, manifest, v);
  const seeds = {seed: params.seed, surrogates: params.surrogates};
  const k = venueConcurrency(venues.length + PER_BIN_PARTS.length + 1, venues.reduce((s, v) => s + rows(v), 0), workers);
  return withPool(k, import.meta.url, (line) => process.stderr.write(`${line}\n`), async (pool) => {
    const signs = [...venues]
      .sort((a, b) => rows(b) - rows(a))
      .map((v) => ({v, result: pool.run(`chapter 03 signs of ${v}`, {task: "ch03-signs", dir, venue: v, rows: rows(v), params: seeds} satisfies SignTask, () => streamedSign(dir, v, rows(v), seeds))}));
    // Read while the signs are computed; with workers, the 100 ms set goes to shared memory.
    const symbols = await readSymbols(dir, venues);
    if (k > 1) symbols[100] = sharedSymbols(symbols[100]);
    const s100 = symbolsOnly(symbols[100]);
    const parts = [...PER_BIN_PARTS, "page" as const]
      .sort((a, b) => PART_COST[b] - PART_COST[a])
      .map((part) => ({
        part,
        result:
          part === "page"
            ? pool.run(`chapter 03 page tests`, {task: "ch03-page", symbols: {100: s100, 1000: symbols[1000]}, venues, params} satisfies PageTask, async () => chapterPageTests(venues, symbols, params), [], 1)
            : pool.run(`chapter 03 ${part}`, {task: "ch03-per-bin", part, s100, market, params} satisfies PerBinTask, async () => perBinPart(part, s100, market, params), [], 1)
      }));
    const [signed, done] = await Promise.all([Promise.all(signs.map((s) => s.result)), Promise.all(parts.map((p) => p.result))]);
    const out: Partial<Record<Venue, SignEntropy>> = {};
    for (const v of venues) out[v] = signed[signs.findIndex((s) => s.v === v)];
    const at = (part: PerBinPart | "page") => done[parts.findIndex((p) => p.part === part)];
    const perBin = Object.fromEntries(PER_BIN_PARTS.map((p) => [p, at(p)])) as unknown as PerBin;
    return {signs: out, symbols, perBin, page: at("page") as PageTests | null};
  });
}

/**
 * The chapter's parameters from the analysis configuration: its seed, surrogate count and TE
 * windows; the page's tests use the build's seed (`pageSeed`, the manifest's), and the fixed
 * surrogate counts of the block check, rolling windows and page tests keep their defaults.
 */
export function paramsFrom(config: AnalysisConfig, pageSeed = config.seed): InformationFlowParams {
  return {
    ...INFORMATION_FLOW_DEFAULTS,
    seed: config.seed,
    surrogates: config.surrogates,
    teWindowSec: config.windowsSec.te,
    teStepSec: config.windowsSec.teStep,
    pageSeed
  };
}

/**
 * Everything chapter 03 computes at build time, from the derived folder `dir` of `config`.
 * JSON-serialisable; deterministic given `config.seed`.
 */
export async function computeChapter03(dir: string, config: AnalysisConfig): Promise<Chapter03> {
  const {lap} = stopwatch("ch03");
  const {manifest} = chapterBuild(dir, config);
  // The market's span, venues and truth; its columns are read piece by piece below.
  const market = await readMarket(dir, {venues: manifest.venues});
  lap("read");
  const params = paramsFrom(config, manifest.seed);
  const leaderOptions = chapterLeaderOptions(params);
  const {plan, results} = await streamedLeaderRuns(dir, market, leaderOptions);
  const leaders = leadersFromResults(plan, results, leaderOptions);
  const spotPerp = spotPerpVerdicts(market.venues, plan, results);
  lap("calibrated leaders and Analysis B (fed day by day)");
  const {signs, symbols, perBin, page} = await chapterParts(dir, manifest, {venues: market.venues, span: market.span, truth: market.truth}, params);
  lap("trade signs, symbols, per-bin analyses and page tests (on workers)");
  return analyseInformationFlow(market, params, {onStep: lap, leaders, spotPerp, symbols, signs, perBin, page});
}
