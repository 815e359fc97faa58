/**
 * Chapter 02 at build time: reads what the microstructure analysis needs from a derived folder
 * (the 100 ms flow matrix, the same Float32 last prices the page loads, and each venue's trades
 * one (venue, day) partition at a time) and calls `analyseMicrostructure` (lib/analysis/ch02.ts),
 * where the computation and its references live. Per venue, the partitions are read once in day
 * order: the times go into an `ArrivalStream` (trade counts, hourly counts, Fano blocks), the
 * sizes into a `SizeStream` (moments and an exact histogram) and the signs into the first pass of
 * the sign autocorrelation's `OrderSignStream`, which runs its second and third passes from the
 * orders it kept (a bit each). The Hayashi–Yoshida scans, centred on the
 * cross-correlation peaks of the flow matrix, run as one `BlockLeadLagStream` per HY period fed
 * every venue's times and prices day by day, twice (coarse grid, then refinement). Partitions
 * are read in batches (never a whole day's column), and the streams keep per-hour and per-block
 * sums and the ticks within the scan's shifts; the results equal `analyseMicrostructure` on the whole
 * columns value for value. The planted rates of a simulated market come from the simulator's own
 * intensity (`expectedTrades`).
 *
 * On large builds the venues' streams run on a pool of worker threads (loaders/task-pool.ts, one
 * per core; largest venue first) while this thread computes the cross-correlations and the HY
 * scans: each venue's part depends only on its own partitions, so the result is the same, value
 * for value, with any number of workers.
 */
import type {AnalysisConfig} from "../config.ts";
import {manifestCounts, manifestTrades, readMarket} from "../market.ts";
import {partitionFiles, readTradeBatches, tradePartition, type ParquetBatch, type TradeColumnName} from "../parquet.ts";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {venueConcurrency} from "../source-resolve.ts";
import {runEach, serveTask} from "../task-pool.ts";
import {partitionDays} from "./leaders.ts";
import {analyseMicrostructure, arrivalStream, hyScanPlan, microstructureVenueFrom, MICROSTRUCTURE_DEFAULTS, signStream, xcorrPairs, type ExpectedTrades, type HyScan, type MicrostructureParams, type MicrostructureResult, type MicrostructureVenue} from "../../lib/analysis/ch02.js";
import {BlockLeadLagStream} from "../../lib/block-lead-lag-stream.js";
import type {BlockLeadLag} from "../../lib/hayashi-yoshida.js";
import {SizeStream} from "../../lib/analysis/size-stream.js";
import type {Market} from "../../lib/analysis/market.js";
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
 * One venue's part of chapter 02 (`microstructureVenueFrom`: the arrival, size and sign rows)
 * from its (venue, day) partitions of `dir`, read one at a time in day order; `rows` is the
 * venue's trade count (the manifest's). Returns the part and the seconds spent reading.
 */
export async function streamedVenue(dir: string, venue: Venue, rows: number, market: Pick<Market, "span" | "truth">, params: MicrostructureParams): Promise<{part: MicrostructureVenue; readS: number}> {
  const days = partitionDays(dir, [venue]);
  const arrivals = arrivalStream(market.span);
  const sizes = new SizeStream();
  const signs = signStream(market.span, params);
  const reading = {s: 0};
  let at = 0;
  for (const day of days)
    for await (const {length, columns} of timedBatches(dir, venue, day, ["time", "qty", "side"], reading)) {
      if (at + length > rows) throw new RangeError(`invalid trades of ${venue}: more rows in ${tradePartition(dir, venue, day)} and before (${at + length}) than the manifest's ${rows}`);
      at += length;
      arrivals.push(columns.time as Float64Array, length);
      sizes.push(columns.qty as Float64Array, length);
      signs.push(columns.time as Float64Array, columns.side as Int8Array, length);
    }
  if (at !== rows) throw new RangeError(`invalid trades of ${venue}: ${at} rows in the partitions, the manifest says ${rows}`);
  signs.next();
  // The sign stream's passes 2 and 3 from the orders pass 1 kept, not the partitions read twice more.
  signs.replay();
  return {part: microstructureVenueFrom(venue, arrivals.result(), sizes, signs.result(), market, params), readS: reading.s};
}

/** Rows a batch of a (venue, day) partition holds: 2²⁰ (17 MiB of time, size and side); 2¹⁸ for the Hayashi–Yoshida passes, which hold one per venue. */
const BATCH_ROWS = 1 << 20;
const HY_BATCH_ROWS = 1 << 18;

/** The batches of `venue`'s partition of `day` (columns `names`, in file order), the seconds spent waiting for them added to `reading.s`. */
async function* timedBatches(dir: string, venue: Venue, day: string, names: TradeColumnName[], reading: {s: number}, batchRows = BATCH_ROWS): AsyncGenerator<ParquetBatch> {
  const files = partitionFiles(tradePartition(dir, venue, day));
  const batches = readTradeBatches(files, names, {batchRows});
  for (;;) {
    const clock = performance.now();
    const next = await batches.next();
    reading.s += (performance.now() - clock) / 1000;
    if (next.done) return;
    yield next.value;
  }
}

const DAY_MS = 86_400_000;

/**
 * Chapter 02's Hayashi–Yoshida scans (`hyScanPlan`) from the (venue, day) partitions of `dir`:
 * one `BlockLeadLagStream` per HY period, fed in its two passes (coarse grid, refinement) day by
 * day: every venue's partition of the day is read in batches of trade times and prices, the venue
 * whose rows reach the least far next, each batch pushed and dropped and the streams swept after
 * it (they drop the ticks no pair needs any more). Returns the scans by key and the seconds spent
 * reading.
 */
export async function streamedHyScans(dir: string, venues: readonly Venue[], scans: readonly HyScan[], blocks: number): Promise<{scans: Map<string, BlockLeadLag>; readS: number}> {
  const periods = [...new Map(scans.map((s) => [s.period.id, s.period])).values()];
  const streams = periods.map((p) => {
    const own = scans.filter((s) => s.period.id === p.id);
    return {own, stream: new BlockLeadLagStream<Venue>(venues, own, p.start, p.end, blocks)};
  });
  const days = partitionDays(dir, venues);
  const reading = {s: 0};
  for (let pass = 1; pass <= 2; ++pass) {
    for (const day of days) {
      const from = Date.parse(`${day}T00:00:00Z`);
      const meeting = streams.filter(({stream}) => stream.overlaps(from, from + DAY_MS));
      if (!meeting.length) continue;
      // Every venue's partition of the day read at once in batches, the venue whose rows reach the least far read next, a sweep after each batch: the ticks held are those of about one batch per venue.
      const open = venues.map((v) => ({v, batches: timedBatches(dir, v, day, ["time", "price"], reading, HY_BATCH_ROWS), until: -Infinity, done: false}));
      for (;;) {
        let next: (typeof open)[number] | null = null;
        for (const o of open) if (!o.done && (!next || o.until < next.until)) next = o;
        if (!next) break;
        const r = await next.batches.next();
        if (r.done) {
          next.done = true;
          continue;
        }
        const {length, columns} = r.value;
        const time = columns.time as Float64Array;
        next.until = time[length - 1];
        for (const {stream} of meeting) stream.push(next.v, time, columns.price as Float64Array, length);
        for (const {stream} of meeting) stream.advance();
      }
    }
    for (const {stream} of streams) stream.next();
  }
  const out = new Map<string, BlockLeadLag>();
  for (const {own, stream} of streams) stream.result().forEach((r, i) => out.set(own[i].key, r));
  return {scans: out, readS: reading.s};
}

interface VenueTask {
  task: "ch02-venue";
  dir: string;
  venue: Venue;
  rows: number;
  span: [number, number];
  truth: SimTruth | null;
  config: AnalysisConfig;
  [key: string]: unknown;
}

serveTask<VenueTask, {part: MicrostructureVenue; readS: number}>("ch02-venue", ({dir, venue, rows, span, truth, config}) => streamedVenue(dir, venue, rows, {span, truth}, paramsFrom(config, truth)));

/** Options of {@link computeChapter02}. */
export interface Chapter02Options {
  /** Worker threads for the venues' streams (1: this thread only). Default: one per core when the venues hold at least 2 million trades, else 1. */
  workers?: number;
}

/**
 * Everything chapter 02 computes at build time, from the derived folder `dir` of `config`.
 * JSON-serialisable (NaN becomes null in JSON); deterministic given `config.seed`, whatever the
 * number of workers. The time spent goes to stderr.
 */
export async function computeChapter02(dir: string, config: AnalysisConfig, {workers}: Chapter02Options = {}): Promise<Chapter02> {
  const {truth, manifest} = chapterBuild(dir, config);
  const start = performance.now();
  const market = await readMarket(dir, {venues: manifest.venues, flow: "last"});
  const params = paramsFrom(config, truth);
  const rows = (v: Venue) => manifestTrades(dir, manifest, v);
  const venues = [...manifest.venues];
  const k = venueConcurrency(venues.length, venues.reduce((s, v) => s + rows(v), 0), workers);
  const {results: parts, meanwhile: {xcorr, hy, seconds}} = await runEach(venues, {
    concurrency: k,
    module: import.meta.url,
    size: rows,
    task: (v) => ({
      label: `chapter 02 ${v}`,
      message: {task: "ch02-venue", dir, venue: v, rows: rows(v), span: market.span, truth, config} satisfies VenueTask,
      inline: () => streamedVenue(dir, v, rows(v), market, params)
    }),
    // Meanwhile, in this thread: the cross-correlations of the flow matrix and the HY scans they centre.
    meanwhile: async () => {
      const clock = performance.now();
      const xcorr = xcorrPairs(market, params);
      // Each scan sweeps the venue of the pair with fewer trades (the manifest's counts; the arrival rows count the same trades).
      const hy = await streamedHyScans(dir, venues, hyScanPlan(market, xcorr, params, manifestCounts(manifest)), params.hyBlocks);
      return {xcorr, hy, seconds: (performance.now() - clock) / 1000};
    },
    log: (line) => process.stderr.write(`${line}\n`)
  });
  const venueParts: Partial<Record<Venue, MicrostructureVenue>> = {};
  venues.forEach((v, i) => (venueParts[v] = parts[i].part));
  const result = analyseMicrostructure(market, params, {venueParts, xcorr, hyScans: hy.scans});
  const read = parts.reduce((s, p) => s + p.readS, hy.readS);
  process.stderr.write(
    `ch02: ${((performance.now() - start) / 1000).toFixed(1)} s, the venues' streams on ${k} thread(s), the cross-correlations and HY scans in this one (${seconds.toFixed(1)} s); ${read.toFixed(1)} s waiting for partitions (summed over threads)\n`
  );
  return result;
}
