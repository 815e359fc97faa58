/**
 * Chapter 03 at build time: reads the parts of the derived folder the chapter needs (trade
 * sides, 1 s bins and the 100 ms flow matrix the page also loads), runs the calibrated leader
 * rule fed day by day (loaders/chapters/leaders.ts) and `analyseInformationFlow`
 * (lib/analysis/ch03.ts) with those leaders. The step timings go to stderr, not
 * into the result, so two builds write the same bytes.
 */
import type {AnalysisConfig} from "../config.ts";
import {readMarket, type MarketNeeds} from "../market.ts";
import {
  analyseInformationFlow,
  chapterLeaderOptions,
  INFORMATION_FLOW_DEFAULTS,
  type InformationFlow,
  type InformationFlowParams
} from "../../lib/analysis/ch03.js";
import {chapterBuild} from "./build.ts";
import {streamedLeaders} from "./leaders.ts";
import {stopwatch} from "./stopwatch.ts";

/** Chapter 03's result, as `data/ch03.json` holds it. */
export type Chapter03 = InformationFlow;

/**
 * What chapter 03 reads of a build as whole-span columns: trade sides (sign entropy rates), 1 s
 * bins and the 100 ms flow matrix. The calibrated leader rule reads trade times and prices one
 * (venue, day) at a time (loaders/chapters/leaders.ts).
 */
export const CH03_NEEDS: MarketNeeds = {trades: ["side"], binWidths: [1000], flow: true};

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
  const market = await readMarket(dir, {...CH03_NEEDS, venues: manifest.venues});
  lap("read");
  const params = paramsFrom(config, manifest.seed);
  const leaders = await streamedLeaders(dir, market, chapterLeaderOptions(params));
  lap("calibrated leaders (fed day by day)");
  return analyseInformationFlow(market, params, {onStep: lap, leaders});
}
