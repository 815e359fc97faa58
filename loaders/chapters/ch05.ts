/**
 * Chapter 05 at build time: reads the chapter venue's 1 s bins from the derived folder and runs
 * the chapter's analysis (lib/analysis/ch05.ts: free-energy landscapes, metastable levels, dwell
 * times, Kramers' law, support and resistance, and the page's packed landscape choices) with the
 * parameters the configuration sets. For a large market the chapter runs as four independent
 * parts of one basis (`metastabilityBasis`) on a pool of worker threads: the swing levels'
 * walk-forward reversion (the longest), the other three level sets' with the overlaps, the page's
 * landscape choices, and the rest of the chapter; the same result as `analyseMetastability` in
 * one thread.
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
  metastabilityChoices,
  metastabilitySupportResistancePart,
  supportResistanceFrom,
  metastabilityCore,
  METASTABILITY_DEFAULTS,
  type Chapter05,
  type Chapter05Core,
  type MetastabilityMarket,
  type MetastabilityParams,
  type ReversionSet,
  type SupportResistancePart
} from "../../lib/analysis/ch05.js";
import type {PackedLandscape} from "../../lib/analysis/ch05-packed.js";
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

/**
 * The parts of chapter 05 computed apart, with their share of its time on two weeks of 1 s bins
 * (one thread, 2026-12-07): the swing levels' reversion 35 s, the rest of the chapter 26 s (its
 * diffusion null 24.5 s), the other three sets' reversion 16 s, the page's choices 10 s.
 */
type Part = {kind: "reversion"; sets: ReversionSet[]; cost: number} | {kind: "choices"; cost: number} | {kind: "core"; cost: number};

const PARTS: Part[] = [
  {kind: "reversion", sets: ["swings"], cost: 35},
  {kind: "core", cost: 26},
  {kind: "reversion", sets: ["metastable", "saddles", "profile"], cost: 16},
  {kind: "choices", cost: 10}
];

type PartResult = SupportResistancePart | PackedLandscape[] | Chapter05Core;

interface PartTask {
  task: "ch05-part";
  part: Part;
  market: MetastabilityMarket;
  params: MetastabilityParams;
  [key: string]: unknown;
}

/** One part of chapter 05 of `market`, each from its own basis (the landscapes are computed by each). */
function chapterPart(part: Part, market: MetastabilityMarket, params: MetastabilityParams): PartResult {
  const basis = metastabilityBasis(market, params);
  if (part.kind === "reversion") return metastabilitySupportResistancePart(basis, part.sets);
  if (part.kind === "choices") return metastabilityChoices(basis);
  return metastabilityCore(market, basis, {choices: []});
}

serveTask<PartTask, PartResult>("ch05-part", async ({part, market, params}) => chapterPart(part, market, params));

/**
 * Chapter 05 of `market`, its parts on a pool of worker threads when it has at least
 * {@link PARALLEL_MIN_BINS} bins (one per core; `workers` overrides, 1: `analyseMetastability` in
 * this thread, the landscapes computed once).
 */
export async function metastabilityOnWorkers(market: MetastabilityMarket, params: MetastabilityParams, {workers}: {workers?: number} = {}): Promise<Chapter05> {
  const bins = Object.values(market.bins[binMs(params)] ?? {})[0]?.length ?? 0;
  const concurrency = venueConcurrency(PARTS.length, bins, workers, PARALLEL_MIN_BINS);
  if (concurrency === 1) return analyseMetastability(market, params);
  const {results} = await runEach(PARTS, {
    concurrency,
    module: import.meta.url,
    size: (part) => part.cost,
    task: (part) => ({
      label: `chapter 05 ${part.kind === "reversion" ? `reversion at the ${part.sets.join(", ")} levels` : part.kind === "choices" ? "page choices" : "core"}`,
      message: {task: "ch05-part", part, market, params} satisfies PartTask,
      inline: async () => chapterPart(part, market, params)
    }),
    log: (line) => process.stderr.write(`${line}\n`)
  });
  const [swings, core, others, choices] = results as [SupportResistancePart, Chapter05Core, SupportResistancePart, PackedLandscape[]];
  return chapter05({...core, choices}, supportResistanceFrom(others, params, [swings]));
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
