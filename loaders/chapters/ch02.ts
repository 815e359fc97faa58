/**
 * Chapter 02 at build time: reads what the microstructure analysis needs from a derived folder
 * (the 100 ms flow matrix, the same Float32 last prices the page loads, and the trades of one
 * venue at a time, whose part `microstructureVenue` computes before the next venue is read) and
 * calls `analyseMicrostructure` (lib/analysis/ch02.ts), where the computation and its
 * references live. The planted rates of a simulated market come from the simulator's own
 * intensity (`expectedTrades`).
 */
import type {AnalysisConfig} from "../config.ts";
import {readMarket} from "../market.ts";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {analyseMicrostructure, microstructureVenue, MICROSTRUCTURE_DEFAULTS, type ExpectedTrades, type MicrostructureParams, type MicrostructureResult, type MicrostructureVenue} from "../../lib/analysis/ch02.js";
import type {Venue} from "../../lib/analysis/venues.js";
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
  const start = performance.now();
  let clock = start;
  // The trade columns one venue at a time: each venue's part is computed and its columns dropped before the next is read.
  const market = await readMarket(dir, {venues: manifest.venues, flow: true});
  const params = paramsFrom(config, truth);
  const venueParts: Partial<Record<Venue, MicrostructureVenue>> = {};
  let read = performance.now() - clock;
  for (const v of manifest.venues) {
    clock = performance.now();
    const trades = (await readMarket(dir, {venues: [v], trades: ["time", "price", "qty", "side"]})).trades[v]!;
    read += performance.now() - clock;
    venueParts[v] = microstructureVenue(v, trades, market, params);
  }
  const result = analyseMicrostructure(market, params, {venueParts});
  process.stderr.write(`ch02: read ${(read / 1000).toFixed(1)} s, analysis ${((performance.now() - start - read) / 1000).toFixed(1)} s\n`);
  return result;
}
