/**
 * Chapter 04 at build time: reads what the phase-transition analysis needs of the derived folder
 * (every venue's 1 s bins, and its trade signs reduced to per-minute lag sums as the partitions
 * are read a batch at a time — one byte per trade of one venue in memory, not the span's trade
 * columns) and runs `analysePhaseTransitions` (lib/analysis/ch04.ts), which holds the analysis,
 * its parameters and its result type.
 */
import type {AnalysisConfig, Venue} from "../config.ts";
import {readMarket} from "../market.ts";
import {readTradeBatches, venueTradeFiles} from "../parquet.ts";
import {chapterBuild} from "./build.ts";
import {
  analysePhaseTransitions,
  PHASE_TRANSITION_DEFAULTS,
  SignLagStream,
  type Chapter04,
  type PhaseTransitionParams,
  type VenueSigns
} from "../../lib/analysis/ch04.js";

export type {Chapter04};

/** The analysis parameters of `config`: its seed, surrogate count and regime window over the chapter's defaults. */
export function paramsFrom(config: AnalysisConfig): PhaseTransitionParams {
  return {...PHASE_TRANSITION_DEFAULTS, seed: config.seed, surrogates: config.surrogates, windowSec: config.windowsSec.regime};
}

/** Chapter 04's build-time results for the derived folder `dir` of `config`. */
export async function computeChapter04(dir: string, config: AnalysisConfig): Promise<Chapter04> {
  const {manifest} = chapterBuild(dir, config);
  const params = paramsFrom(config);
  const market = await readMarket(dir, {venues: manifest.venues, binWidths: [1000]});
  const signs: Partial<Record<Venue, VenueSigns>> = {};
  for (const v of manifest.venues) signs[v] = await readVenueSigns(dir, v, market.span, manifest.perVenue[v]?.trades ?? 0, params);
  return analysePhaseTransitions({...market, signs}, params);
}

/**
 * The trade count and sign lag sums of `venue` (`trades` of them in its partitions), read in
 * batches of its times and sides (`readTradeBatches`) through a `SignLagStream`: the same sums as
 * `signLagSums` of the whole columns.
 */
export async function readVenueSigns(dir: string, venue: Venue, span: [number, number], trades: number, params: Pick<PhaseTransitionParams, "blockSec" | "signMaxLag">): Promise<VenueSigns> {
  const stream = new SignLagStream(span, params.blockSec * 1000, trades);
  let n = 0;
  for await (const b of readTradeBatches(venueTradeFiles(dir, venue), ["time", "side"], {batchRows: 1 << 20})) {
    stream.add(b.columns.time as Float64Array, b.columns.side as Int8Array, b.length);
    n += b.length;
  }
  if (n !== trades) throw new RangeError(`invalid trades of ${venue}: the manifest counts ${trades}, its partitions hold ${n}`);
  return {trades: n, sums: stream.finish(params.signMaxLag)};
}
