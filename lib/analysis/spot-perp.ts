/**
 * Analysis B: does a perpetual lead a spot market of the same asset, or the spot the perpetual?
 * Each perpetual market of the build is compared with each spot market by the calibrated leader
 * rule of `leadership.ts` (HY lead evidence on trade times, intersection–union test, block
 * bootstrap; docs/methodology.md "Calibrated leadership"), on two markets at a time.
 *
 * Multiple testing: the pairs of Analysis B answer one question ("who leads across the
 * perpetual/spot divide?"), so each pair's rule runs at α / (number of pairs) — Bonferroni over
 * the pairs, the rule's own α/m inside each pair. The rule's verdict comes from trade times and
 * does not depend on the bin width; the entry is written once per configured bin width so that
 * `findings.json` `leaders` has one shape for Analyses A and B (`binMs` there is the width of the
 * transfer-entropy channel, which is reported by the rule but does not decide the leader).
 */
import type {LeaderEntry} from "./findings.js";
import {deriveSeed} from "../random.js";
import {leadership, tradeCountsOf, type LeadershipResult, type LeadershipTrades} from "./leadership.js";
import type {Period} from "./periods.js";
import {perpetuals, spots, type Venue} from "./venues.js";

/** One verdict of the `leaders` array of findings.json. */
export type {LeaderEntry};

/** Options of {@link spotPerpLeaders}. */
export interface SpotPerpOptions {
  /** Family-wise level over all pairs (default 0.05). */
  alpha?: number;
  /** Bootstrap resamples of the rule (default 499). */
  resamples?: number;
  seed?: number;
  /** Bin widths to report, ms (default [100, 1000]). */
  binWidths?: readonly number[];
  /** The venues' trade counts over the span, to sweep the sparser venue of each pair (`tradeCounts` of lib/analysis/leadership.ts); default: from the trades given. */
  tradeCounts?: Readonly<Partial<Record<string, number>>>;
}

/** One run of the rule in Analysis B: a (perpetual, spot) pair in one period with the rule's options. */
export interface SpotPerpRun {
  perp: Venue;
  spot: Venue;
  period: Pick<Period, "id" | "start" | "end">;
  options: {alpha: number; resamples: number; seed: number};
}

/** The runs of {@link spotPerpLeaders}, pair by pair (perpetual, then spot, in venue order) and period by period. */
export function spotPerpRuns(
  venues: readonly Venue[],
  periods: readonly Pick<Period, "id" | "start" | "end">[],
  {alpha = 0.05, resamples = 499, seed = 0, tradeCounts}: SpotPerpOptions = {}
): SpotPerpRun[] {
  const pairs: [Venue, Venue][] = [];
  for (const perp of perpetuals(venues)) for (const spot of spots(venues)) pairs.push([perp, spot]);
  return pairs.flatMap(([perp, spot]) =>
    periods.map((period) => ({perp, spot, period, options: {alpha: alpha / pairs.length, resamples, seed: deriveSeed(seed, `analysis B ${perp} ${spot} ${period.id}`), tradeCounts: tradeCounts ?? null}}))
  );
}

/** Analysis B's entries from the rule's result of each run of {@link spotPerpRuns} (in its order; e.g. fed day by day, lib/analysis/leadership-stream.ts). */
export function spotPerpEntries(runs: readonly SpotPerpRun[], results: readonly Pick<LeadershipResult<Venue>, "leader" | "p" | "reason">[], {binWidths = [100, 1000]}: SpotPerpOptions = {}): LeaderEntry[] {
  if (results.length !== runs.length) throw new RangeError(`invalid results: ${results.length} for ${runs.length} runs`);
  return runs.flatMap(({perp, spot, period}, i) => binWidths.map((binMs) => ({analysis: "B" as const, period: period.id, binMs, leader: results[i].leader, p: results[i].p, markets: [perp, spot], reason: results[i].reason})));
}

/**
 * Analysis B's `leaders` entries: for every (perpetual, spot) pair among `venues` and every
 * period, the calibrated rule's leader (a market id or null) and adjusted p, once per bin width.
 * No pair (no perpetual or no spot market): no entries — the caller states why.
 */
export function spotPerpLeaders(
  venues: readonly Venue[],
  trades: Partial<Record<Venue, LeadershipTrades>>,
  periods: readonly Pick<Period, "id" | "start" | "end">[],
  options: SpotPerpOptions = {}
): LeaderEntry[] {
  const runs = spotPerpRuns(venues, periods, {...options, tradeCounts: options.tradeCounts ?? tradeCountsOf(trades)});
  const results = runs.map(({perp, spot, period, options: o}) => {
    const tp = trades[perp];
    const ts = trades[spot];
    if (!tp || !ts) throw new RangeError(`invalid trades: none for ${!tp ? perp : spot}`);
    return leadership([perp, spot], {[perp]: tp, [spot]: ts} as Record<Venue, LeadershipTrades>, period.start, period.end, o);
  });
  return spotPerpEntries(runs, results, options);
}

/** Why Analysis B has no entries for `venues` ("no spot market among binance, bybit"), or null when it has pairs. */
export function spotPerpSkipReason(venues: readonly Venue[]): string | null {
  const p = perpetuals(venues);
  const s = spots(venues);
  if (p.length && s.length) return null;
  return `Analysis B compares each perpetual with each spot market: ${!p.length ? "no perpetual" : "no spot"} market among ${venues.join(", ")}`;
}
