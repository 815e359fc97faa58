/**
 * Analysis B: does a perpetual lead a spot market of the same asset, or the spot the perpetual?
 * Each perpetual market of the build is compared with each spot market by the calibrated leader
 * rule of `leadership.ts` (HY lead evidence on trade times, intersection–union test, block
 * bootstrap; docs/methodology.md "Calibrated leadership"), on two markets at a time.
 *
 * The evidence is the leader step's (lib/analysis/leaders.ts): in each period of its plan (the
 * planted schedule trimmed by the transition, as the calibration did; the whole span for real
 * data) one `leadership` run over every venue holds the HY evidence of every pair — a pair's
 * lead, bootstrap p-values and trade counts depend only on its two markets' trades, the period
 * and the run's seed — and each (perpetual, spot) pair is decided on its own pair by
 * `decideLeader` on the two markets, so Analysis B costs no sweep of its own.
 *
 * Multiple testing: the pairs of Analysis B answer one question ("who leads across the
 * perpetual/spot divide?"), so each pair is decided at α / (number of pairs) — Bonferroni over
 * the pairs, the rule's own α/m (m = 2) inside each pair: a market is named when its one-sided
 * bootstrap p of leading the other is at most α / (2 · pairs). The interval a "no leader" reason
 * quotes is the run's (level 1 − α). The verdict comes from trade times and does not depend on
 * the bin width; the entry is written once per configured bin width so that `findings.json`
 * `leaders` has one shape for Analyses A and B (`binMs` there is the width of the
 * transfer-entropy channel, which is reported by the rule but does not decide the leader).
 */
import type {LeaderEntry} from "./findings.js";
import {decideLeader, type LeadershipResult} from "./leadership.js";
import {LEADER_MIN_TRADES, type LeaderPlan} from "./leaders.js";
import type {PeriodId} from "./periods.js";
import {perpetuals, spots, type Venue} from "./venues.js";

/** One verdict of the `leaders` array of findings.json. */
export type {LeaderEntry};

/** One (perpetual, spot) pair's verdict in one period. */
export interface SpotPerpVerdict {
  period: PeriodId;
  perp: Venue;
  spot: Venue;
  /** The leading market, or null: neither leads beyond chance (or too few trades). */
  leader: Venue | null;
  /** The pair rule's p-value, min(1, 2 · p) of the better-placed market (before the Bonferroni over pairs, which lowers the level instead). */
  p: number;
  /** The level each market's p is held to: α / (2 · pairs). */
  level: number;
  /** Why no leader was named (null when one was). */
  reason: string | null;
}

/** Analysis B's result: the verdicts, or why there are none. */
export interface SpotPerpResult {
  verdicts: SpotPerpVerdict[];
  /** Why Analysis B has no pair (no perpetual or no spot market), or null. */
  skipped: string | null;
}

/** The (perpetual, spot) pairs of `venues`: perpetual then spot, in venue order. */
export function spotPerpPairs(venues: readonly Venue[]): [Venue, Venue][] {
  const pairs: [Venue, Venue][] = [];
  for (const perp of perpetuals(venues)) for (const spot of spots(venues)) pairs.push([perp, spot]);
  return pairs;
}

/**
 * Analysis B of a market of `venues` from its leader step: `results[i]` is the `leadership`
 * result of `plan.periods[i]` over `plan.venues` (lib/analysis/leaders.ts `leaderRuns`), at
 * family-wise level `alpha` over the pairs (default 0.05). Pair by pair (perpetual, then spot, in
 * venue order), period by period; no pair: no verdicts and the reason.
 */
export function spotPerpVerdicts(
  venues: readonly Venue[],
  plan: Pick<LeaderPlan, "periods">,
  results: readonly Pick<LeadershipResult<Venue>, "pairs">[],
  {alpha = 0.05}: {alpha?: number} = {}
): SpotPerpResult {
  const skipped = spotPerpSkipReason(venues);
  if (skipped) return {verdicts: [], skipped};
  if (results.length !== plan.periods.length) throw new RangeError(`invalid results: ${results.length} for ${plan.periods.length} periods`);
  const pairs = spotPerpPairs(venues);
  const level = alpha / pairs.length;
  const verdicts = pairs.flatMap(([perp, spot]) =>
    plan.periods.map((period, i) => {
      const pair = results[i].pairs.find((q) => (q.a === perp && q.b === spot) || (q.a === spot && q.b === perp));
      if (!pair) throw new RangeError(`invalid results: period ${period.id} has no pair ${perp}–${spot}`);
      const d = decideLeader([perp, spot], [pair], {alpha: level, minTrades: LEADER_MIN_TRADES});
      return {period: period.id, perp, spot, leader: d.leader, p: d.p, level: d.level, reason: d.reason};
    })
  );
  return {verdicts, skipped: null};
}

/** Analysis B's entries of findings.json `leaders`: each verdict once per bin width (default [100, 1000]). */
export function spotPerpEntries(verdicts: readonly SpotPerpVerdict[], {binWidths = [100, 1000]}: {binWidths?: readonly number[]} = {}): LeaderEntry[] {
  return verdicts.flatMap((v) => binWidths.map((binMs) => ({analysis: "B" as const, period: v.period, binMs, leader: v.leader, p: v.p, markets: [v.perp, v.spot], reason: v.reason})));
}

/** Why Analysis B has no entries for `venues` ("no spot market among binance, bybit"), or null when it has pairs. */
export function spotPerpSkipReason(venues: readonly Venue[]): string | null {
  const p = perpetuals(venues);
  const s = spots(venues);
  if (p.length && s.length) return null;
  return `Analysis B compares each perpetual with each spot market: ${!p.length ? "no perpetual" : "no spot"} market among ${venues.join(", ")}`;
}
