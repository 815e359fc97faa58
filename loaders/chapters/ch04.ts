/**
 * Chapter 04 at build time: reads what the phase-transition analysis needs of the derived folder
 * (every venue's 1 s bins, and its trade signs reduced to per-minute lag sums as the partitions
 * are read a batch at a time — one byte per trade of one venue in memory, not the span's trade
 * columns) and runs `analysePhaseTransitions` (lib/analysis/ch04.ts), which holds the analysis,
 * its parameters and its result type. On a large market its longest steps — the volatility and
 * entropy change points and the calm-part check, each a surrogate test — and each venue's sign
 * reading run as tasks of one pool of worker threads (`partsOnWorkers`), and the analysis takes
 * them as given.
 */
import type {AnalysisConfig, Venue} from "../config.ts";
import {manifestCounts, readMarket} from "../market.ts";
import {readTradeBatches, venueTradeFiles} from "../parquet.ts";
import {venueConcurrency} from "../source-resolve.ts";
import {runEach, serveTask} from "../task-pool.ts";
import {chapterBuild} from "./build.ts";
import {stopwatch} from "./stopwatch.ts";
import {
  analysePhaseTransitions,
  calmCheck,
  earlyWarnings,
  plantedTarget,
  priceObservables,
  regimeWindow,
  venueSeries,
  type PriceObservables,
  CHANGE_KINDS,
  changePointsOf,
  pooledSeries,
  PHASE_TRANSITION_DEFAULTS,
  referenceVenue,
  SignLagStream,
  type CalmCheck,
  type ChangeKind,
  type Chapter04,
  type DetectedChanges,
  type PhaseTransitionHooks,
  type PhaseTransitionParams,
  type VenueSigns
} from "../../lib/analysis/ch04.js";
import type {PhaseBins} from "../../lib/phase-observables.js";
import type {SimTruth} from "../../lib/analysis/truth.js";

export type {Chapter04};

/** The analysis parameters of `config`: its seed, surrogate count and regime window over the chapter's defaults. */
export function paramsFrom(config: AnalysisConfig): PhaseTransitionParams {
  return {...PHASE_TRANSITION_DEFAULTS, seed: config.seed, surrogates: config.surrogates, windowSec: config.windowsSec.regime};
}

/** The parts of chapter 04 that run on worker threads: the two change-point analyses and the calm-part check. */
type Part = ChangeKind | "calm";

/** What the parts are computed from: the pooled 1 s series and the market's span and truth. */
interface PartInput {
  pooled: PhaseBins;
  span: [number, number];
  truth: SimTruth | null;
  params: PhaseTransitionParams;
}

interface PartTask extends PartInput {
  task: "ch04-part";
  part: Part;
  [key: string]: unknown;
}

/** One part, as `analysePhaseTransitions` computes it. */
function chapterPart(part: Part, {pooled, span, truth, params}: PartInput): DetectedChanges | CalmCheck | null {
  return part === "calm" ? calmCheck(pooled, span, truth, params.seed, params.surrogates, params) : changePointsOf(part, pooled, span[0], params.seed, params.surrogates, params);
}

serveTask<PartTask, DetectedChanges | CalmCheck | null>("ch04-part", async ({part, ...input}) => chapterPart(part, input));

/** 1 s bins from which the parts run on worker threads (two days: on the default day they take about 3 s in all). */
export const PARALLEL_MIN_BINS = 2 * 86_400;

/** The parts computed apart, as `analysePhaseTransitions` takes them. */
export type Chapter04Parts = Required<Pick<PhaseTransitionHooks, "changes" | "calmCheck">>;

/** A venue's trade signs to read on the pool (`readVenueSigns`): its derived folder, span, manifest trade count and the chapter's blocks and lags. */
export interface SignInput {
  dir: string;
  venue: Venue;
  span: [number, number];
  trades: number;
  params: Pick<PhaseTransitionParams, "blockSec" | "signMaxLag">;
}

interface SignTask extends SignInput {
  task: "ch04-signs";
  [key: string]: unknown;
}

serveTask<SignTask, VenueSigns>("ch04-signs", ({dir, venue, span, trades, params}) => readVenueSigns(dir, venue, span, trades, params));

/**
 * CPU seconds a task takes, about (two weeks at the default rates: the volatility change points
 * 29 s and the entropy ones and the calm check 14.5 s each for 1.2 million 1 s bins; the signs
 * 31 s for 273 million trades), for the pool's largest-first order only.
 */
function taskCost(item: Part | SignInput, bins: number): number {
  if (typeof item === "object") return 1.1e-7 * item.trades;
  return (item === "volatility" ? 2.4e-5 : 1.2e-5) * bins;
}

/**
 * Both change-point analyses of the pooled series (`changePointsOf`), the calm-part check
 * (`calmCheck`) and the trade signs of `signs` (`readVenueSigns`, one task per venue), on worker
 * threads when the series has at least {@link PARALLEL_MIN_BINS} bins (one per core, largest
 * first by {@link taskCost}; `workers` overrides, 1: this thread), while `meanwhile` runs here;
 * the same results wherever they run, the signs in the order of `signs`.
 */
export async function partsOnWorkers<M>(
  input: PartInput,
  meanwhile: () => Promise<M>,
  {workers, signs = []}: {workers?: number; signs?: readonly SignInput[]} = {}
): Promise<{parts: Chapter04Parts; signs: VenueSigns[]; meanwhile: M}> {
  const parts: Part[] = [...CHANGE_KINDS, "calm"];
  const items: (Part | SignInput)[] = [...parts, ...signs];
  const bins = input.pooled.price.length;
  type Result = DetectedChanges | CalmCheck | VenueSigns | null;
  const {results, meanwhile: during} = await runEach<Part | SignInput, Result, M>(items, {
    concurrency: venueConcurrency(items.length, bins, workers, PARALLEL_MIN_BINS),
    module: import.meta.url,
    size: (item) => taskCost(item, bins),
    task: (item) =>
      typeof item === "object"
        ? {label: `chapter 04 trade signs of ${item.venue}`, message: {task: "ch04-signs", ...item} satisfies SignTask, inline: (): Promise<Result> => readVenueSigns(item.dir, item.venue, item.span, item.trades, item.params)}
        : {
            label: `chapter 04 ${item === "calm" ? "calm-part check" : `${item} change points`}`,
            message: {task: "ch04-part", part: item, ...input} satisfies PartTask,
            inline: async (): Promise<Result> => chapterPart(item, input)
          },
    meanwhile,
    log: (line) => process.stderr.write(`${line}\n`)
  });
  const at = (part: Part) => results[parts.indexOf(part)];
  return {
    parts: {changes: {volatility: at("volatility") as DetectedChanges, entropy: at("entropy") as DetectedChanges}, calmCheck: at("calm") as CalmCheck | null},
    signs: results.slice(parts.length) as VenueSigns[],
    meanwhile: during
  };
}

/**
 * Chapter 04's build-time results for the derived folder `dir` of `config`: the change points, the
 * calm-part check and each venue's trade signs on one pool of worker threads, then the rest of the
 * analysis.
 */
export async function computeChapter04(dir: string, config: AnalysisConfig): Promise<Chapter04> {
  const {lap} = stopwatch("ch04");
  const {manifest} = chapterBuild(dir, config);
  const params = paramsFrom(config);
  const market = await readMarket(dir, {venues: manifest.venues, binWidths: [1000]});
  lap("read bins");
  // The reference venue by the manifest's trade counts: the counts the signs are checked against below.
  const counts = manifestCounts(manifest);
  const pooled = pooledSeries(market, referenceVenue({venues: market.venues, signs: Object.fromEntries(market.venues.map((v) => [v, {trades: counts[v] ?? 0}]))}));
  const venues = [...manifest.venues];
  const {parts, signs: read, meanwhile: here} = await partsOnWorkers({pooled, span: market.span, truth: market.truth, params}, () => meanwhileParts(market, pooled, params), {
    signs: venues.map((venue) => ({dir, venue, span: market.span, trades: manifest.perVenue[venue]?.trades ?? 0, params: {blockSec: params.blockSec, signMaxLag: params.signMaxLag}}))
  });
  const signs: Partial<Record<Venue, VenueSigns>> = {};
  venues.forEach((v, i) => (signs[v] = read[i]));
  lap("change points, calm-part check and trade signs (read in batches; on workers), with the price observables and the early warning here");
  return analysePhaseTransitions({...market, signs}, params, {onStep: lap, ...parts, ...here});
}

/**
 * What this thread computes while the workers run the change points and read the signs: the
 * price observables of the pooled and every venue's series and, when the transition is planted,
 * the early warning. One series or test at a time, letting the pool's messages through between
 * them, so that a worker that finishes a task gets the next one within about a second.
 */
async function meanwhileParts(market: Parameters<typeof venueSeries>[0] & Parameters<typeof earlyWarnings>[0], pooled: ReturnType<typeof pooledSeries>, params: PhaseTransitionParams): Promise<Pick<PhaseTransitionHooks, "prices" | "earlyWarnings">> {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const windowSec = regimeWindow(params.windowSec, params.blockSec);
  const prices: Record<string, PriceObservables> = {};
  await turn();
  prices.all = priceObservables(pooled, null, windowSec, params);
  for (const v of market.venues) {
    await turn();
    prices[v] = priceObservables(venueSeries(market, v), null, windowSec, params);
  }
  const target = plantedTarget(market.truth);
  await turn();
  return {prices, earlyWarnings: target === null ? undefined : earlyWarnings(market, pooled, target, windowSec, params)};
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
