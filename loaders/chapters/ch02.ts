/**
 * Chapter 02 at build time: reads what the microstructure analysis needs from a derived folder
 * (the trades of every venue and the 100 ms flow matrix, the same Float32 last prices the page
 * loads) and calls `analyseMicrostructure` (lib/analysis/ch02.ts), where the computation and its
 * references live. The planted rates of a simulated market come from the simulator's own
 * intensity (`expectedTrades`).
 */
import type {AnalysisConfig} from "../config.ts";
import {readMarket} from "../market.ts";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {analyseMicrostructure, MICROSTRUCTURE_DEFAULTS, type ExpectedTrades, type MicrostructureParams, type MicrostructureResult} from "../../lib/analysis/ch02.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {chapterBuild} from "./build.ts";

/** Chapter 02's JSON (`data/ch02.json`). */
export type Chapter02 = MicrostructureResult;

/** The expected trades of a venue in [a, b) under the intensity the simulator planted in `truth`. */
export function plantedTrades(truth: SimTruth): ExpectedTrades {
  const plan: SimPlan = {truth, span: [truth.span.start, truth.span.end], venues: truth.venues, seed: truth.truthKey.seed};
  return (venue, a, b) => expectedTrades(plan, venue, a, b);
}

/** The chapter's parameters for `config`: the defaults with the configured seed, and the planted intensity of a simulated market. */
export function paramsFrom(config: AnalysisConfig, truth: SimTruth | null): MicrostructureParams {
  return {...MICROSTRUCTURE_DEFAULTS, seed: config.seed, expectedTrades: truth ? plantedTrades(truth) : null};
}

/**
 * Everything chapter 02 computes at build time, from the derived folder `dir` of `config`.
 * JSON-serialisable (NaN becomes null in JSON); deterministic given `config.seed`. The time spent
 * reading and analysing goes to stderr.
 */
export async function computeChapter02(dir: string, config: AnalysisConfig): Promise<Chapter02> {
  const {truth, manifest} = chapterBuild(dir, config);
  let clock = performance.now();
  const market = await readMarket(dir, {venues: manifest.venues, trades: ["time", "price", "qty", "side"], flow: true});
  const read = performance.now() - clock;
  clock = performance.now();
  const result = analyseMicrostructure(market, paramsFrom(config, truth));
  process.stderr.write(`ch02: read ${(read / 1000).toFixed(1)} s, analysis ${((performance.now() - clock) / 1000).toFixed(1)} s\n`);
  return result;
}
