/**
 * Chapter 05 at build time: reads the chapter venue's 1 s bins from the derived folder and runs
 * the chapter's analysis (lib/analysis/ch05.ts: free-energy landscapes, metastable levels, dwell
 * times, Kramers' law, support and resistance, and the page's packed landscape choices) with the
 * parameters the configuration sets. Support and resistance and the rest of the chapter are two
 * independent parts of one basis (`metastabilityBasis`); for a large market each runs on a worker
 * thread of its own, the same result as `analyseMetastability` in one thread.
 */
import {type AnalysisConfig} from "../config.ts";
import {readBins, readMarket} from "../market.ts";
import {venueConcurrency} from "../source-resolve.ts";
import {runEach, serveTask} from "../task-pool.ts";
import {
  analyseMetastability,
  binMs,
  chapter05,
  chapterVenue,
  METASTABILITY_BIN_COLUMNS,
  metastabilityBasis,
  metastabilityCore,
  metastabilitySupportResistance,
  METASTABILITY_DEFAULTS,
  type Chapter05,
  type Chapter05Core,
  type MetastabilityMarket,
  type MetastabilityParams
} from "../../lib/analysis/ch05.js";
import type {SupportResistance} from "../../lib/analysis/ch05.js";
import {chapterBuild} from "./build.ts";
import {stopwatch} from "./stopwatch.ts";

export {chapterVenue, type Chapter05, type Chapter05Params} from "../../lib/analysis/ch05.js";

/** The chapter's parameters for `config`: the defaults with its landscape window, seed and surrogate count. */
export function paramsFrom(config: AnalysisConfig): MetastabilityParams {
  return {...METASTABILITY_DEFAULTS, windowSec: config.windowsSec.landscape, seed: config.seed, surrogates: config.surrogates};
}

/**
 * Bins (of the chapter's width) from which the two parts run on worker threads: four days of 1 s
 * bins. On the default day (86,400 bins) two threads took as long as one (5.1 against 4.9 s):
 * starting the workers and computing the landscapes twice cost what the overlap saves.
 */
export const PARALLEL_MIN_BINS = 4 * 86_400;

/** The two parts of chapter 05 computed apart. */
type Part = "core" | "support and resistance";

interface PartTask {
  task: "ch05-part";
  part: Part;
  market: MetastabilityMarket;
  params: MetastabilityParams;
  [key: string]: unknown;
}

/** One part of chapter 05 of `market`, each from its own basis (the landscapes are computed by both). */
function chapterPart(part: Part, market: MetastabilityMarket, params: MetastabilityParams): Chapter05Core | SupportResistance {
  const basis = metastabilityBasis(market, params);
  return part === "core" ? metastabilityCore(market, basis) : metastabilitySupportResistance(basis);
}

serveTask<PartTask, Chapter05Core | SupportResistance>("ch05-part", async ({part, market, params}) => chapterPart(part, market, params));

/**
 * Chapter 05 of `market`, its two parts on a pool of worker threads when it has at least
 * {@link PARALLEL_MIN_BINS} bins (one per core; `workers` overrides, 1: `analyseMetastability` in
 * this thread, the landscapes computed once).
 */
export async function metastabilityOnWorkers(market: MetastabilityMarket, params: MetastabilityParams, {workers}: {workers?: number} = {}): Promise<Chapter05> {
  const bins = Object.values(market.bins[binMs(params)] ?? {})[0]?.length ?? 0;
  const concurrency = venueConcurrency(2, bins, workers, PARALLEL_MIN_BINS);
  if (concurrency === 1) return analyseMetastability(market, params);
  const parts: Part[] = ["support and resistance", "core"];
  const {results} = await runEach(parts, {
    concurrency,
    module: import.meta.url,
    size: () => 1,
    task: (part) => ({
      label: `chapter 05 ${part}`,
      message: {task: "ch05-part", part, market, params} satisfies PartTask,
      inline: async () => chapterPart(part, market, params)
    }),
    log: (line) => process.stderr.write(`${line}\n`)
  });
  return chapter05(results[1] as Chapter05Core, results[0] as SupportResistance);
}

/** Chapter 05 of the derived folder `dir` built for `config`; the time of each step on stderr. */
export async function computeChapter05(dir: string, config: AnalysisConfig): Promise<Chapter05> {
  const {manifest} = chapterBuild(dir, config);
  const params = paramsFrom(config);
  const {lap} = stopwatch("ch05");
  // Only the columns of the chapter venue's bins the analysis reads (each worker gets a copy).
  const venue = chapterVenue(manifest.venues);
  const market = await readMarket(dir, {venues: [venue]});
  market.bins[binMs(params)] = {[venue]: await readBins(dir, venue, binMs(params), METASTABILITY_BIN_COLUMNS)};
  lap("read");
  const result = await metastabilityOnWorkers(market, params);
  lap("analysis");
  return result;
}
