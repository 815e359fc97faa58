/**
 * The live page's leader: the calibrated rule of the chapters (lib/analysis/leadership.ts), applied
 * to the trades of the monitor's window as if the window were the whole span of a batch build.
 *
 * A window [start, end) (epoch ms) of m markets is one period with id `full`, as
 * `calibratedLeaders` (lib/analysis/leaders.ts) treats a real span: the Hayashi–Yoshida lead of
 * every pair with its moving-block bootstrap (`leadershipPair`, seeds derived from
 * `leaderPeriodSeed(seed, {id: "full", start})`), then, per analysis — A the perpetuals (at least
 * two), B every market (when both kinds are present) — the intersection–union decision at α/m
 * (`analysisDecisions`), "no leader found" included. The result equals that of
 * `calibratedLeaders({venues, span: [start, end], truth: null, trades}, {seed, alpha, resamples})`
 * on the same trades with the venues in the same order: the same leader, candidate, reason and p.
 *
 * The pairs cost O(shifts · (n_a + n_b)) each, so the monitor computes one pair per task
 * ({@link leaderStep}) and decides when all are done ({@link leaderOutcomes}).
 */
import {periodTicks, leadershipPair, type PairLead} from "../analysis/leadership.js";
import {analysisDecisions, analysisVenues, leaderPeriodSeed, type LeaderAnalysis} from "../analysis/leaders.js";
import {round} from "../analysis/round.js";
import type {TickSeries} from "../hayashi-yoshida.js";
import type {Venue} from "../analysis/venues.js";

export interface LeaderJobOptions {
  /** Seed of the analysis (the window's seed is derived from it and the window start). */
  seed: number;
  /** Family-wise level of the rule. Default 0.05. */
  alpha?: number;
  /** Bootstrap resamples. Default 499 (as the chapters). */
  resamples?: number;
}

/** The leader rule's work on one window: the markets' trades as tick series and the pairs done so far. */
export interface LeaderJob {
  /** The analyses of the markets (in the caller's order) and the union of their venues, in the order `calibratedLeaders` runs them. */
  analyses: {analysis: LeaderAnalysis; venues: Venue[]}[];
  venues: Venue[];
  start: number;
  end: number;
  alpha: number;
  resamples: number;
  /** The seed handed to each pair (already derived for the window). */
  seed: number;
  ticks: TickSeries[];
  list: [number, number][];
  next: number;
  pairs: PairLead<Venue>[];
}

/** The outcome of one analysis on one window. */
export interface LiveLeaderOutcome {
  analysis: LeaderAnalysis;
  venues: Venue[];
  /** The named leader, or null: no leader found. */
  leader: Venue | null;
  /** The rule's adjusted p: min(1, m · max_V p(L → V)) of the leader or of the best candidate, to 4 significant digits as the chapters state it. */
  p: number;
  candidate: Venue | null;
  /** Why no leader was named (null when one was). */
  reason: string | null;
}

/**
 * The rule's job on the window [start, end) of `venues` with their trades (times ascending, prices);
 * no pair is computed yet.
 */
export function leaderJob(venues: readonly Venue[], trades: readonly {time: ArrayLike<number>; price: ArrayLike<number>}[], start: number, end: number, options: LeaderJobOptions): LeaderJob {
  if (venues.length !== trades.length) throw new RangeError(`invalid trades: ${trades.length} series for ${venues.length} venues`);
  if (!(end > start)) throw new RangeError(`invalid window: [${start}, ${end})`);
  const analyses = analysisVenues(venues);
  const all = [...new Set(analyses.flatMap((a) => a.venues))];
  const list: [number, number][] = [];
  for (let i = 0; i < all.length; ++i) for (let j = i + 1; j < all.length; ++j) list.push([i, j]);
  return {
    analyses,
    venues: all,
    start,
    end,
    alpha: options.alpha ?? 0.05,
    resamples: options.resamples ?? 499,
    seed: leaderPeriodSeed(options.seed, {id: "full", start}),
    ticks: all.map((v) => periodTicks(trades[venues.indexOf(v)], start, end)),
    list,
    next: 0,
    pairs: []
  };
}

/** Computes the next pair's evidence; false once every pair is done. */
export function leaderStep(job: LeaderJob): boolean {
  if (job.next >= job.list.length) return false;
  const [i, j] = job.list[job.next++];
  const {venues, ticks} = job;
  job.pairs.push(leadershipPair(venues[i], venues[j], ticks[i], ticks[j], job.end - job.start, {alpha: job.alpha, resamples: job.resamples, seed: job.seed}));
  return job.next < job.list.length;
}

/** The decision of every analysis of the job's venues (A, B; none with fewer than two perpetuals and no spot market) once all pairs are done. */
export function leaderOutcomes(job: LeaderJob): LiveLeaderOutcome[] {
  if (job.next < job.list.length) throw new RangeError(`invalid job: ${job.list.length - job.next} pairs left`);
  return analysisDecisions(job.analyses, job.pairs, {alpha: job.alpha}).map(({analysis, venues, decision}) => ({
    analysis,
    venues,
    leader: decision.leader,
    p: round(decision.p, 4) ?? 1,
    candidate: decision.candidate,
    reason: decision.reason
  }));
}
