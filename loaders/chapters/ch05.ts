/**
 * Chapter 05 at build time: reads the chapter venue's 1 s bins from the derived folder and runs
 * the chapter's analysis (lib/analysis/ch05.ts `analyseMetastability`: free-energy landscapes,
 * metastable levels, dwell times, Kramers' law, support and resistance, and the page's packed
 * landscape choices) with the parameters the configuration sets.
 */
import {type AnalysisConfig} from "../config.ts";
import {readMarket} from "../market.ts";
import {analyseMetastability, binMs, METASTABILITY_DEFAULTS, type Chapter05, type MetastabilityParams} from "../../lib/analysis/ch05.js";
import {chapterBuild} from "./build.ts";
import {stopwatch} from "./stopwatch.ts";

export {chapterVenue, type Chapter05, type Chapter05Params} from "../../lib/analysis/ch05.js";

/** The chapter's parameters for `config`: the defaults with its landscape window, seed and surrogate count. */
export function paramsFrom(config: AnalysisConfig): MetastabilityParams {
  return {...METASTABILITY_DEFAULTS, windowSec: config.windowsSec.landscape, seed: config.seed, surrogates: config.surrogates};
}

/** Chapter 05 of the derived folder `dir` built for `config`; the time of each step on stderr. */
export async function computeChapter05(dir: string, config: AnalysisConfig): Promise<Chapter05> {
  const {manifest} = chapterBuild(dir, config);
  const params = paramsFrom(config);
  const {lap} = stopwatch("ch05");
  const market = await readMarket(dir, {venues: manifest.venues, binWidths: [binMs(params)]});
  lap("read");
  const result = analyseMetastability(market, params);
  lap("analysis");
  return result;
}
