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
 * On large builds the chapter's parts — the venues' streams, the cross-correlations, the HY scans
 * of each period, the price-discovery models of each period and the spread pairs — run on one
 * pool of worker threads (loaders/task-pool.ts, one per core; see `computeChapter02`): each part
 * depends only on what it reads, so the result is the same, value for value, with any number of
 * workers.
 */
import type {AnalysisConfig} from "../config.ts";
import {manifestCounts, manifestTrades, readMarket} from "../market.ts";
import {partitionFiles, readTradeBatches, tradePartition, type ParquetBatch, type TradeColumnName} from "../parquet.ts";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {venueConcurrency} from "../source-resolve.ts";
import {serveTask, sharedCopy, withPool} from "../task-pool.ts";
import {partitionDays} from "./leaders.ts";
import {
  analyseMicrostructure,
  arrivalStream,
  discoveryModels,
  hyScanPlan,
  microstructurePeriods,
  microstructureVenueFrom,
  MICROSTRUCTURE_DEFAULTS,
  signStream,
  spreadPairs,
  xcorrOf,
  xcorrPlan,
  type ExpectedTrades,
  type HyScan,
  type MicrostructureParams,
  type MicrostructurePeriod,
  type MicrostructureResult,
  type MicrostructureVenue,
  type ShareModel,
  type SpreadPair,
  type XcorrItem,
  type XcorrPair
} from "../../lib/analysis/ch02.js";
import {BlockLeadLagStream} from "../../lib/block-lead-lag-stream.js";
import type {BlockLeadLag} from "../../lib/hayashi-yoshida.js";
import {SizeStream} from "../../lib/analysis/size-stream.js";
import type {FlowColumns, Market} from "../../lib/analysis/market.js";
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

/** The market the grid parts read: venues, span, truth and the flow matrix's last prices (in shared memory for worker threads). */
type GridMarket = Pick<Market, "venues" | "span" | "truth" | "flow">;

/** A part of chapter 02 computed from the 100 ms last prices alone: one cross-correlation, the discovery models of one period, or the spread pairs. */
type GridPart = {kind: "xcorr"; items: XcorrItem[]} | {kind: "discovery"; period: MicrostructurePeriod} | {kind: "spread"};

interface GridTask {
  task: "ch02-grid";
  part: GridPart;
  market: GridMarket;
  config: AnalysisConfig;
  [key: string]: unknown;
}

/** Computes one grid part (`xcorrOf` of each item, in order; `discoveryModels` of one period; `spreadPairs`). */
function gridPart(part: GridPart, market: GridMarket, params: MicrostructureParams): XcorrPair[] | ShareModel[] | SpreadPair[] {
  if (part.kind === "xcorr") return part.items.map((item) => xcorrOf(market, item, params));
  if (part.kind === "discovery") return discoveryModels(market, params, [part.period]);
  return spreadPairs(market, params);
}

serveTask<GridTask, unknown>("ch02-grid", async ({part, market, config}) => gridPart(part, market, paramsFrom(config, market.truth)));

interface HyTask {
  task: "ch02-hy";
  dir: string;
  venues: Venue[];
  scans: HyScan[];
  blocks: number;
  [key: string]: unknown;
}

serveTask<HyTask, {scans: Map<string, BlockLeadLag>; readS: number}>("ch02-hy", ({dir, venues, scans, blocks}) => streamedHyScans(dir, venues, scans, blocks));

/**
 * The flow matrix's last prices of `market` copied into shared memory, so that worker threads
 * given the market read the same bytes instead of a copy each (net flows and counts left out:
 * no grid part reads them).
 */
export function sharedLastPrices(market: GridMarket): GridMarket {
  const flow = market.flow;
  if (!flow) throw new RangeError("invalid market: no 100 ms flow matrix");
  const last: FlowColumns["last"] = {};
  for (const [v, a] of Object.entries(flow.last) as [Venue, Float32Array][]) last[v] = sharedCopy(a);
  return {venues: market.venues, span: market.span, truth: market.truth, flow: {length: flow.length, net: {}, count: {}, last}};
}

/** Options of {@link computeChapter02}. */
export interface Chapter02Options {
  /** Worker threads for the chapter's parts (1: this thread only). Default: one per core when the venues hold at least 2 million trades, else 1. */
  workers?: number;
}

/**
 * Everything chapter 02 computes at build time, from the derived folder `dir` of `config`.
 * JSON-serialisable (NaN becomes null in JSON); deterministic given `config.seed`, whatever the
 * number of workers. The time spent goes to stderr.
 *
 * The chapter is cut into parts that are pure functions of what they read, run on one pool of
 * worker threads on large builds: each venue's streams (its partitions), each cross-correlation
 * (a pair in a period, from the flow matrix's last prices, which the workers read in shared
 * memory), the discovery models of each period and the spread pairs (the 1 s prices), and the
 * Hayashi–Yoshida scans of each HY period (the partitions of the period's days), which start as
 * soon as the cross-correlations that centre them are done. The pool runs those first, then the
 * venues, then the rest, so the longest parts do not end the chapter alone. Every part's result
 * is the same wherever it runs, so the chapter is the same, value for value, with any number of
 * workers; with one, the parts run in this thread in the same order.
 */
export async function computeChapter02(dir: string, config: AnalysisConfig, {workers}: Chapter02Options = {}): Promise<Chapter02> {
  const {truth, manifest} = chapterBuild(dir, config);
  const start = performance.now();
  const market = await readMarket(dir, {venues: manifest.venues, flow: "last"});
  const params = paramsFrom(config, truth);
  const rows = (v: Venue) => manifestTrades(dir, manifest, v);
  const venues = [...manifest.venues];
  const k = venueConcurrency(venues.length, venues.reduce((s, v) => s + rows(v), 0), workers);
  // With workers, the last prices move to shared memory (the copies read are dropped).
  if (k > 1) market.flow = sharedLastPrices(market).flow;
  const gridMarket: GridMarket = {venues: market.venues, span: market.span, truth: market.truth, flow: market.flow};
  const log = (line: string) => process.stderr.write(`${line}\n`);
  return withPool(k, import.meta.url, log, async (pool) => {
    // Queued in this order, with priorities: the cross-correlations the HY scans are centred on (3), the scans (2),
    // the venues, largest first (1), then the rest, longest periods first (0).
    const grid = <R>(label: string, part: GridPart, priority: number): Promise<R> =>
      pool.run<R>(label, {task: "ch02-grid", part, market: gridMarket, config} satisfies GridTask, async () => gridPart(part, gridMarket, params) as R, [], priority);
    const periods = microstructurePeriods(truth, market.span, params);
    const longestFirst = [...periods].sort((a, b) => b.end - b.start - (a.end - a.start));
    const plan = xcorrPlan(market, params);
    const xcorrs = new Array<Promise<XcorrPair>>(plan.length);
    // A pair at a time in the HY periods (they hold up the scans); a period at a time in the others, so that two full-span pairs (four span-long series each) are never in memory at once.
    const queueXcorr = (hy: boolean) =>
      longestFirst
        .filter((p) => p.hy === hy)
        .forEach((p) => {
          const own = plan.flatMap((item, i) => (item.period.id === p.id ? [i] : []));
          for (const group of hy ? own.map((i) => [i]) : own.length ? [own] : []) {
            const items = group.map((i) => plan[i]);
            const label = `chapter 02 cross-correlation ${p.id}${hy ? ` ${items[0].a} ${items[0].b}` : ""}`;
            const done = grid<XcorrPair[]>(label, {kind: "xcorr", items}, hy ? 3 : 0);
            group.forEach((i, j) => (xcorrs[i] = done.then((r) => r[j])));
          }
        });
    queueXcorr(true);
    // Each scan sweeps the venue of the pair with fewer trades (the manifest's counts; the arrival rows count the same trades).
    const scans = periods
      .filter((p) => p.hy)
      .map(async (p) => {
        const xcorr = await Promise.all(plan.flatMap((item, i) => (item.period.id === p.id ? [xcorrs[i]] : [])));
        const periodScans = hyScanPlan(market, xcorr, params, manifestCounts(manifest)).filter((s) => s.period.id === p.id);
        return pool.run(
          `chapter 02 HY scans ${p.id}`,
          {task: "ch02-hy", dir, venues, scans: periodScans, blocks: params.hyBlocks} satisfies HyTask,
          () => streamedHyScans(dir, venues, periodScans, params.hyBlocks),
          [],
          2
        );
      });
    const parts = [...venues]
      .sort((a, b) => rows(b) - rows(a))
      .map((v) => ({
        v,
        result: pool.run(
          `chapter 02 ${v}`,
          {task: "ch02-venue", dir, venue: v, rows: rows(v), span: market.span, truth, config} satisfies VenueTask,
          () => streamedVenue(dir, v, rows(v), market, params),
          [],
          1
        )
      }));
    // The discovery models of a period take about five times a pair's cross-correlation there, the spread pairs about half those of the full span.
    const models = new Map(longestFirst.map((p) => [p.id, grid<ShareModel[]>(`chapter 02 price discovery ${p.id}`, {kind: "discovery", period: p}, 0)]));
    const spread = grid<SpreadPair[]>("chapter 02 spread", {kind: "spread"}, 0);
    queueXcorr(false);
    // Awaited together: a failure anywhere rejects at once (the pool names the task that failed first).
    const [xcorr, hy, done, discovery, spreadPairsDone] = await Promise.all([Promise.all(xcorrs), Promise.all(scans), Promise.all(parts.map((p) => p.result)), Promise.all(periods.map((p) => models.get(p.id)!)), spread]);
    const venueParts: Partial<Record<Venue, MicrostructureVenue>> = {};
    parts.forEach(({v}, i) => (venueParts[v] = done[i].part));
    const hyScans = new Map<string, BlockLeadLag>();
    for (const h of hy) for (const [key, r] of h.scans) hyScans.set(key, r);
    const result = analyseMicrostructure(market, params, {venueParts, xcorr, hyScans, models: discovery.flat(), spread: spreadPairsDone});
    const readS = done.reduce((s, p) => s + p.readS, 0) + hy.reduce((s, h) => s + h.readS, 0);
    log(`ch02: ${((performance.now() - start) / 1000).toFixed(1)} s, its parts on ${k} thread(s); ${readS.toFixed(1)} s waiting for partitions (summed over threads)`);
    return result;
  });
}
