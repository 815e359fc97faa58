/**
 * Chapter 03 at build time: reads the parts of the derived folder the chapter needs one piece at
 * a time and keeps only what the analysis works on, so that memory does not grow with the trades
 * of the span: the calibrated leader rule is fed day by day (loaders/chapters/leaders.ts); the
 * trade sides go one (venue, day) partition at a time into a `SignEntropyStream`
 * (lib/analysis/sign-entropy-stream.ts: the sign entropy rates and storage, equal to the
 * whole-span values); the 100 ms flow matrix the page also loads and the 1 s bins are read one
 * venue at a time and turned into their one-byte symbols, the columns freed. Then
 * `analyseInformationFlow` (lib/analysis/ch03.ts) runs on those, given the per-bin analyses of the
 * 100 ms symbols (TE matrices, rolling TE, lagged MI), which run on worker threads reading the
 * symbols in shared memory (`perBinOnWorkers`). The step timings go to stderr, not into the
 * result, so two builds write the same bytes.
 */
import type {AnalysisConfig} from "../config.ts";
import {manifestTrades, readBins, readFlow, readMarket, type Manifest} from "../market.ts";
import {partitionFiles, readTradeColumns, tradePartition} from "../parquet.ts";
import {
  analyseInformationFlow,
  binSymbols,
  chapterLeaderOptions,
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
  type PerBinPart,
  type SymbolSet
} from "../../lib/analysis/ch03.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {SignEntropyStream, type SignEntropy} from "../../lib/analysis/sign-entropy-stream.js";
import type {Venue} from "../../lib/analysis/venues.js";
import {venueConcurrency} from "../source-resolve.ts";
import {runEach, serveTask} from "../task-pool.ts";
import {chapterBuild} from "./build.ts";
import {partitionDays, streamedLeaders} from "./leaders.ts";
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
 * {@link streamedSign} of every venue, on a pool of worker threads for large builds (one per core,
 * largest venue first; `workers` overrides, 1: this thread only): each venue's result depends only
 * on its own partitions and seed, so the results are the same with any number of workers.
 */
export async function streamedSigns(
  dir: string,
  manifest: Pick<Manifest, "perVenue">,
  venues: readonly Venue[],
  params: Pick<InformationFlowParams, "seed" | "surrogates">,
  {workers}: {workers?: number} = {}
): Promise<Partial<Record<Venue, SignEntropy>>> {
  const rows = (v: Venue) => manifestTrades(dir, manifest, v);
  const seeds = {seed: params.seed, surrogates: params.surrogates};
  const {results} = await runEach(venues, {
    concurrency: venueConcurrency(venues.length, venues.reduce((s, v) => s + rows(v), 0), workers),
    module: import.meta.url,
    size: rows,
    task: (v) => ({label: `chapter 03 signs of ${v}`, message: {task: "ch03-signs", dir, venue: v, rows: rows(v), params: seeds} satisfies SignTask, inline: () => streamedSign(dir, v, rows(v), seeds)}),
    log: (line) => process.stderr.write(`${line}\n`)
  });
  const out: Partial<Record<Venue, SignEntropy>> = {};
  venues.forEach((v, i) => (out[v] = results[i]));
  return out;
}

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
  market: {venues: Venue[]; t0: number; truth: SimTruth | null};
  params: InformationFlowParams;
  [key: string]: unknown;
}

serveTask<PerBinTask, unknown>("ch03-per-bin", async ({part, s100, market, params}) => perBinPart(part, s100, market, params));

/** Relative cost of each per-bin part (the full-span matrices and the rolling windows each take about four times the lagged MI), for the pool's largest-first order. */
const PER_BIN_COST: Record<PerBinPart, number> = {matrices: 4, rolling: 4, lagMI: 1};

/**
 * `s` with its symbols only ({@link symbolsOnly}), each array moved into shared memory, so that
 * worker threads given the set read the same bytes instead of a copy each.
 */
export function sharedSymbols(s: SymbolSet): SymbolSet {
  const share = (arrays: Partial<Record<Venue, Uint8Array>>) =>
    Object.fromEntries(
      Object.entries(arrays).map(([v, a]) => {
        const shared = new Uint8Array(new SharedArrayBuffer(a!.length));
        shared.set(a!);
        return [v, shared];
      })
    ) as Partial<Record<Venue, Uint8Array>>;
  return {...symbolsOnly(s), flow: share(s.flow), price: share(s.price)};
}

/**
 * The per-bin analyses of the 100 ms symbols `s100` (`PerBin`: full-span TE matrices, rolling TE,
 * lagged price MI), each part on a worker thread of a pool with one per core for large builds
 * (give them `sharedSymbols(s100)`, which the workers read without a copy; `workers` overrides,
 * 1: this thread only). Each part is a pure function of the symbols and its own seed, so the
 * result does not depend on where it ran.
 */
export async function perBinOnWorkers(
  s100: SymbolSet,
  market: {venues: Venue[]; t0: number; truth: SimTruth | null},
  params: InformationFlowParams,
  {workers}: {workers?: number} = {}
): Promise<PerBin> {
  const parts = [...PER_BIN_PARTS];
  const only = symbolsOnly(s100);
  const {results} = await runEach(parts, {
    // Bins × venues against the pipeline's threshold of work: on the default day (3.5M) two workers took 6.3 s, these steps in line 10.5 s.
    concurrency: venueConcurrency(parts.length, s100.bins * market.venues.length, workers),
    module: import.meta.url,
    size: (part) => PER_BIN_COST[part],
    task: (part) => ({
      label: `chapter 03 ${part}`,
      message: {task: "ch03-per-bin", part, s100: only, market, params} satisfies PerBinTask,
      inline: async () => perBinPart(part, only, market, params)
    }),
    log: (line) => process.stderr.write(`${line}\n`)
  });
  return Object.fromEntries(parts.map((p, i) => [p, results[i]])) as unknown as PerBin;
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
  const leaders = await streamedLeaders(dir, market, chapterLeaderOptions(params));
  lap("calibrated leaders (fed day by day)");
  const signs = await streamedSigns(dir, manifest, market.venues, params);
  lap("trade signs (fed day by day)");
  const symbols = await readSymbols(dir, market.venues);
  lap("read symbols");
  // The 100 ms set in shared memory: the workers of the per-bin analyses read it in place.
  symbols[100] = sharedSymbols(symbols[100]);
  const perBin = await perBinOnWorkers(symbols[100], {venues: market.venues, t0: market.span[0], truth: market.truth}, params);
  lap("matrices, rolling TE and lagged MI (on workers)");
  return analyseInformationFlow(market, params, {onStep: lap, leaders, symbols, signs, perBin});
}
