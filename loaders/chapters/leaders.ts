/**
 * The calibrated leader rule at build time, fed day by day: the I/O loop around
 * `LeadershipStream` (lib/analysis/leadership-stream.ts). For each day of the derived folder's
 * trade partitions, each venue's (venue, day) partition is read (trade times and prices) and
 * pushed into every run of the rule that takes that venue and meets that day; after each day the
 * runs sweep what they can and drop the ticks they no longer need. Only one (venue, day) of
 * trades is held at a time, so the memory of the leader step does not grow with the span; the
 * results equal `leadership` on the whole-span columns value for value.
 *
 * On large builds the pairs of every run are spread over a pool of worker threads
 * (loaders/task-pool.ts; one per core, `workers` overrides): each worker streams the days for its
 * share of the (run, pair) evidence — HY sweeps and bootstraps, TE bootstraps — reading the
 * partitions of its pairs' venues itself, and the parts are put back together per run
 * (`assembleParts`). Every pair's evidence depends only on its two venues' trades and its own
 * seed, so the results are those of the single-thread path, value for value, whatever the
 * number of workers; with one worker no thread is started.
 */
import {assembleParts, LeadershipStream, venuePairs, wholePart, type LeadershipPart, type LeadershipPartResult, type LeadershipStreamOptions} from "../../lib/analysis/leadership-stream.js";
import {hyLeadGrid, resolve as resolveLeadership, type LeadershipResult} from "../../lib/analysis/leadership.js";
import {leaderPlan, leaderRunOptions, leadersFromResults, type CalibratedLeadersOptions, type LeaderOutcome, type LeaderPlan} from "../../lib/analysis/leaders.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import type {Venue} from "../../lib/analysis/venues.js";
import {readdirSync, existsSync} from "node:fs";
import {join} from "node:path";
import {manifestCounts, readManifest} from "../market.ts";
import {partitionFiles, readTradeColumns, tradePartition, tradesRoot} from "../parquet.ts";
import {venueConcurrency} from "../source-resolve.ts";
import {runEach, serveTask} from "../task-pool.ts";

/** One run of the rule: its venues, period [start, end) (epoch ms) and options. */
export interface LeadershipRun {
  venues: readonly Venue[];
  start: number;
  end: number;
  options: LeadershipStreamOptions;
}

const DAY_MS = 86_400_000;

/** The days (YYYY-MM-DD) with a trade partition of any of `venues`, ascending. */
export function partitionDays(dir: string, venues: readonly Venue[]): string[] {
  const days = new Set<string>();
  for (const v of venues) {
    const root = join(tradesRoot(dir), `venue=${v}`);
    if (!existsSync(root)) continue;
    for (const n of readdirSync(root)) {
      const m = /^day=(\d{4}-\d{2}-\d{2})$/.exec(n);
      if (m) days.add(m[1]);
    }
  }
  return [...days].sort();
}

/**
 * The evidence of `parts[i]` of every run `runs[i]` (null: none of that run), from the trade
 * partitions of the derived folder `dir` read one (venue, day) at a time: a (venue, day) is read
 * once for every stream that takes that venue and meets that day.
 */
export async function streamParts(dir: string, runs: readonly LeadershipRun[], parts: readonly (LeadershipPart | null)[]): Promise<(LeadershipPartResult<Venue> | null)[]> {
  const streams = runs.map((r, i) => {
    const part = parts[i];
    return part && (part.hy.length || part.te.length) ? new LeadershipStream<Venue>(r.venues, r.start, r.end, r.options, part) : null;
  });
  const live = streams.filter((s) => s !== null);
  const venues = [...new Set(runs.flatMap((r) => r.venues))];
  for (const day of partitionDays(dir, venues)) {
    const from = Date.parse(`${day}T00:00:00Z`);
    const meeting = live.filter((s) => s.overlaps(from, from + DAY_MS));
    if (!meeting.length) continue;
    for (const v of venues) {
      const takers = meeting.filter((s) => s.takes(v));
      const files = takers.length ? partitionFiles(tradePartition(dir, v, day)) : [];
      if (!files.length) continue;
      const {length, columns} = await readTradeColumns(files, ["time", "price"]);
      for (const s of takers) s.push(v, columns.time as Float64Array, columns.price as Float64Array, length);
    }
    for (const s of meeting) s.advance();
  }
  return streams.map((s) => s?.partResult() ?? null);
}

interface PartsTask {
  task: "leadership-parts";
  dir: string;
  runs: LeadershipRun[];
  parts: (LeadershipPart | null)[];
  [key: string]: unknown;
}

serveTask<PartsTask, (LeadershipPartResult<Venue> | null)[]>("leadership-parts", async ({dir, runs, parts}) => streamParts(dir, runs, parts));

/** One (run, pair) unit of evidence and its estimated cost (arbitrary units, for the split only). */
interface Unit {
  run: number;
  kind: "hy" | "te";
  pair: number;
  cost: number;
}

/**
 * The units of evidence of `runs` with their estimated cost, and the trades of the runs' venues
 * within their periods (each venue's count in the manifest spread evenly over the span): an HY
 * pair sweeps every shift over both venues' trades in the period and bootstraps rows of shifts; a
 * TE pair bootstraps rows of 4·3^(l+2) counts, packed about three to a value. Only the balance of
 * the split and the choice of a pool depend on these estimates, not the results.
 */
function evidenceUnits(dir: string, runs: readonly LeadershipRun[]): {units: Unit[]; trades: number} {
  const manifest = readManifest(dir);
  const [t0, t1] = manifest.span as [number, number];
  const rate = (v: Venue) => (manifest.perVenue[v]?.trades ?? 0) / Math.max(1, t1 - t0);
  const units: Unit[] = [];
  let trades = 0;
  runs.forEach((r, run) => {
    const o = resolveLeadership(r.options);
    const {shifts, blocks, L} = hyLeadGrid(r.end - r.start, o);
    const draws = o.resamples * Math.ceil(blocks / Math.min(L, blocks));
    const ms = Math.max(0, Math.min(r.end, t1) - Math.max(r.start, t0));
    const W = 4 * 3 ** (o.teHistory + 2);
    for (const v of r.venues) trades += rate(v) * ms;
    venuePairs(r.venues).forEach(([a, b], pair) => {
      units.push({run, kind: "hy", pair, cost: 4 * shifts.length * (rate(a) + rate(b)) * ms + 1.5 * draws * shifts.length});
      if (r.options.transfer) units.push({run, kind: "te", pair, cost: 0.5 * draws * W});
    });
  });
  return {units, trades};
}

/** The units split into `k` shares of about equal cost (largest first, each to the lightest share), as parts per run. */
function splitUnits(units: readonly Unit[], runs: number, k: number): LeadershipPart[][] {
  const shares = Array.from({length: k}, () => ({cost: 0, parts: Array.from({length: runs}, () => ({hy: [] as number[], te: [] as number[]}))}));
  const order = [...units].sort((x, y) => y.cost - x.cost || x.run - y.run || x.pair - y.pair || x.kind.localeCompare(y.kind));
  for (const u of order) {
    const s = shares.reduce((m, x) => (x.cost < m.cost ? x : m));
    s.cost += u.cost;
    s.parts[u.run][u.kind].push(u.pair);
  }
  for (const s of shares) for (const p of s.parts) p.hy.sort((x, y) => x - y), p.te.sort((x, y) => x - y);
  return shares.map((s) => s.parts);
}

/** Options of {@link streamLeadership}. */
export interface StreamLeadershipOptions {
  /** Worker threads (1: this thread only). Default: one per core when the runs' periods hold at least 2 million trades, else 1. */
  workers?: number;
  /** Receives the workers' log lines. */
  log?: (line: string) => void;
}

/**
 * The result of every run, in order, from the trade partitions of the derived folder `dir` read
 * one (venue, day) at a time, on one thread or spread over a pool of workers (module comment):
 * the same results either way.
 */
export async function streamLeadership(dir: string, runs: readonly LeadershipRun[], {workers, log = () => {}}: StreamLeadershipOptions = {}): Promise<LeadershipResult<Venue>[]> {
  if (!runs.length) return [];
  const {units, trades} = workers === 1 ? {units: [], trades: 0} : evidenceUnits(dir, runs);
  const k = workers === 1 ? 1 : venueConcurrency(units.length, trades, workers);
  if (k === 1) {
    const whole = runs.map((r) => wholePart(r.venues, r.options));
    const results = await streamParts(dir, runs, whole);
    return runs.map((r, i) => assembleParts(r.venues, r.options, [{part: whole[i], result: results[i]!}]));
  }
  const shares = splitUnits(units, runs.length, k);
  // The shares are of about equal cost already: queued in their order.
  const {results} = await runEach(
    shares.map((parts, w) => ({parts, w})),
    {
      concurrency: k,
      module: import.meta.url,
      size: () => 0,
      task: ({parts, w}) => ({label: `leader evidence, share ${w + 1} of ${k}`, message: {task: "leadership-parts", dir, runs: [...runs], parts} satisfies PartsTask, inline: () => streamParts(dir, runs, parts)}),
      log
    }
  );
  return runs.map((r, i) => assembleParts(r.venues, r.options, shares.flatMap((parts, w) => (results[w][i] ? [{part: parts[i], result: results[w][i]!}] : []))));
}

/**
 * `leaderRuns` (lib/analysis/leaders.ts) of the build in `dir`, fed day by day: the plan and the
 * rule's result of each of its periods without the whole-span trade columns — the evidence of
 * the calibrated leaders and of Analysis B (lib/analysis/spot-perp.ts).
 */
export async function streamedLeaderRuns(
  dir: string,
  market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null},
  options: CalibratedLeadersOptions,
  stream: StreamLeadershipOptions = {}
): Promise<{plan: LeaderPlan; results: LeadershipResult<Venue>[]}> {
  const plan = leaderPlan(market);
  if (!plan.analyses.length) return {plan, results: []};
  const counted = {...options, tradeCounts: options.tradeCounts ?? manifestCounts(readManifest(dir))};
  const results = await streamLeadership(
    dir,
    plan.periods.map((p) => ({venues: plan.venues, start: p.start, end: p.end, options: leaderRunOptions(p, counted)})),
    stream
  );
  return {plan, results};
}

/** `calibratedLeaders` (lib/analysis/leaders.ts) of the build in `dir`, fed day by day: the same outcomes without the whole-span trade columns. */
export async function streamedLeaders(
  dir: string,
  market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null},
  options: CalibratedLeadersOptions,
  stream: StreamLeadershipOptions = {}
): Promise<LeaderOutcome[]> {
  const {plan, results} = await streamedLeaderRuns(dir, market, options, stream);
  return leadersFromResults(plan, results, options);
}
