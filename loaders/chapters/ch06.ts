/**
 * Chapter 06 at build time: reads the 1 s bins and the memoised results of chapters 03–05, and
 * calls the synthesis of lib/analysis/ch06.ts (`analyseSynthesis`, where the method is
 * described). The stages' timings go to stderr, not into the result, so that two builds write the
 * same bytes.
 */
import {type AnalysisConfig} from "../config.ts";
import {readBins} from "../market.ts";
import {analyseSynthesis, SYNTHESIS_BIN_MS, SYNTHESIS_DEFAULTS, type Chapter06, type SynthesisParams} from "../../lib/analysis/ch06.js";
import {computeChapter03, type Chapter03} from "./ch03.ts";
import {computeChapter04, type Chapter04} from "./ch04.ts";
import {computeChapter05, type Chapter05} from "./ch05.ts";
import {chapterBuild} from "./build.ts";
import {memoChapter} from "./memo.ts";

export type {Chapter06} from "../../lib/analysis/ch06.js";

/** The synthesis settings of `config`: its seed and surrogate count, the method's defaults otherwise. */
export function paramsFrom(config: Pick<AnalysisConfig, "seed" | "surrogates">): SynthesisParams {
  return {...SYNTHESIS_DEFAULTS, seed: config.seed, surrogates: config.surrogates};
}

/** The chapter results chapter 06 builds on, each computed once per build (loaders/chapters/memo.ts). */
export async function chapterInputs(dir: string, config: AnalysisConfig): Promise<{ch03: Chapter03; ch04: Chapter04; ch05: Chapter05}> {
  const ch04 = await memoChapter(dir, "loaders/chapters/ch04.ts", () => computeChapter04(dir, config));
  const ch05 = await memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config));
  const ch03 = await memoChapter(dir, "loaders/chapters/ch03.ts", () => computeChapter03(dir, config));
  return {ch03, ch04, ch05};
}

/**
 * Chapter 06 of the derived folder `dir` of `config`: the memoised results of chapters 03–05 and
 * the 1 s bins of chapter 05's venue (the only bins the synthesis reads), through
 * `analyseSynthesis`. JSON-serialisable; deterministic given `config.seed`.
 */
export async function computeChapter06(dir: string, config: AnalysisConfig): Promise<Chapter06> {
  const started = performance.now();
  const {manifest, truth, span} = chapterBuild(dir, config);
  const inputs = await chapterInputs(dir, config);
  const read = performance.now();
  const venue = inputs.ch05.venue;
  const bins = await readBins(dir, venue, SYNTHESIS_BIN_MS);
  const market = {source: manifest.source, venues: manifest.venues, span, truth, bins: {[SYNTHESIS_BIN_MS]: {[venue]: bins}}};
  const result = analyseSynthesis(market, inputs, paramsFrom(config));
  const done = performance.now();
  console.error(`ch06: chapters 03-05 ${((read - started) / 1000).toFixed(1)} s, synthesis ${((done - read) / 1000).toFixed(1)} s`);
  return result;
}
