/**
 * Chapter 04 at build time: reads what the phase-transition analysis needs of the derived folder
 * (every venue's 1 s bins and its trade times and sides) and runs `analysePhaseTransitions`
 * (lib/analysis/ch04.ts), which holds the analysis, its parameters and its result type.
 */
import type {AnalysisConfig} from "../config.ts";
import {readMarket} from "../market.ts";
import {chapterBuild} from "./build.ts";
import {analysePhaseTransitions, PHASE_TRANSITION_DEFAULTS, type Chapter04, type PhaseTransitionParams} from "../../lib/analysis/ch04.js";

export type {Chapter04};

/** The analysis parameters of `config`: its seed, surrogate count and regime window over the chapter's defaults. */
export function paramsFrom(config: AnalysisConfig): PhaseTransitionParams {
  return {...PHASE_TRANSITION_DEFAULTS, seed: config.seed, surrogates: config.surrogates, windowSec: config.windowsSec.regime};
}

/** Chapter 04's build-time results for the derived folder `dir` of `config`. */
export async function computeChapter04(dir: string, config: AnalysisConfig): Promise<Chapter04> {
  const {manifest} = chapterBuild(dir, config);
  const market = await readMarket(dir, {venues: manifest.venues, trades: ["time", "side"], binWidths: [1000]});
  return analysePhaseTransitions(market, paramsFrom(config));
}
