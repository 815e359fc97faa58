/**
 * The calibrated leader rule at build time, fed day by day: the I/O loop around
 * `LeadershipStream` (lib/analysis/leadership-stream.ts). For each day of the derived folder's
 * trade partitions, each venue's (venue, day) partition is read (trade times and prices) and
 * pushed into every run of the rule that takes that venue and meets that day; after each day the
 * runs sweep what they can and drop the ticks they no longer need. Only one (venue, day) of
 * trades is held at a time, so the memory of the leader step does not grow with the span; the
 * results equal `leadership` on the whole-span columns value for value.
 */
import {LeadershipStream, type LeadershipStreamOptions} from "../../lib/analysis/leadership-stream.js";
import type {LeadershipResult} from "../../lib/analysis/leadership.js";
import {leaderPlan, leaderRunOptions, leadersFromResults, type CalibratedLeadersOptions, type LeaderOutcome} from "../../lib/analysis/leaders.js";
import {spotPerpEntries, spotPerpRuns, type SpotPerpOptions} from "../../lib/analysis/spot-perp.js";
import type {Period} from "../../lib/analysis/periods.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import type {LeaderEntry} from "../../lib/analysis/findings.js";
import type {Venue} from "../../lib/analysis/venues.js";
import {readdirSync, existsSync} from "node:fs";
import {join} from "node:path";
import {partitionFiles, readTradeColumns, tradePartition, tradesRoot} from "../parquet.ts";

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

/** The result of every run, in order, from the trade partitions of the derived folder `dir` read one (venue, day) at a time. */
export async function streamLeadership(dir: string, runs: readonly LeadershipRun[]): Promise<LeadershipResult<Venue>[]> {
  const streams = runs.map((r) => new LeadershipStream<Venue>(r.venues, r.start, r.end, r.options));
  const venues = [...new Set(runs.flatMap((r) => r.venues))];
  for (const day of partitionDays(dir, venues)) {
    const from = Date.parse(`${day}T00:00:00Z`);
    const meeting = streams.filter((s) => s.overlaps(from, from + DAY_MS));
    if (!meeting.length) continue;
    for (const v of venues) {
      const takers = meeting.filter((s) => s.venues.includes(v));
      const files = takers.length ? partitionFiles(tradePartition(dir, v, day)) : [];
      if (!files.length) continue;
      const {length, columns} = await readTradeColumns(files, ["time", "price"]);
      for (const s of takers) s.push(v, columns.time as Float64Array, columns.price as Float64Array, length);
    }
    for (const s of meeting) s.advance();
  }
  return streams.map((s) => s.result());
}

/** `calibratedLeaders` (lib/analysis/leaders.ts) of the build in `dir`, fed day by day: the same outcomes without the whole-span trade columns. */
export async function streamedLeaders(dir: string, market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null}, options: CalibratedLeadersOptions): Promise<LeaderOutcome[]> {
  const plan = leaderPlan(market);
  if (!plan.analyses.length) return [];
  const results = await streamLeadership(
    dir,
    plan.periods.map((p) => ({venues: plan.venues, start: p.start, end: p.end, options: leaderRunOptions(p, options)}))
  );
  return leadersFromResults(plan, results, options);
}

/** Analysis B's entries (`spotPerpLeaders`, lib/analysis/spot-perp.ts) of the build in `dir`, fed day by day. */
export async function streamedSpotPerp(dir: string, venues: readonly Venue[], periods: readonly Pick<Period, "id" | "start" | "end">[], options: SpotPerpOptions): Promise<LeaderEntry[]> {
  const runs = spotPerpRuns(venues, periods, options);
  const results = await streamLeadership(
    dir,
    runs.map((r) => ({venues: [r.perp, r.spot], start: r.period.start, end: r.period.end, options: r.options}))
  );
  return spotPerpEntries(runs, results, options);
}
