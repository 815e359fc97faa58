/**
 * The calibrated leader of each analysis and period, as the chapters and the findings state it.
 *
 * Two analyses: "A", the perpetuals (a spot market never enters A's leader), and "B", every venue
 * (perpetuals and spot), run when the market has both kinds. Per analysis and period of the
 * planted schedule (trimmed by the transition, as the calibration did; the whole span for real
 * data) the rule of lib/analysis/leadership.ts decides: a venue is named only when its
 * Hayashi–Yoshida lead over every other venue of the analysis passes the moving-block bootstrap
 * at α/m; otherwise "no leader found" with the reason. Beside it, the price → price
 * time-reversal transfer-entropy test of every ordered pair on interpolated `binMs` prices; a
 * link is called significant only when its Benjamini–Hochberg q-value over the 2·C(m, 2)
 * directed links the period reports is at most α (Benjamini & Hochberg, JRSS B 57 (1995) 289).
 *
 * Pure: no I/O; deterministic given `seed`.
 */
import {benjaminiHochberg} from "../fdr.js";
import {deriveSeed} from "../random.js";
import {corroborates, decideLeader, leadership, tradeCountsOf, type LeaderDecision, type LeadershipResult, type LeadershipTrades, type PairLead} from "./leadership.js";
import {periodLabel, schedulePeriods, type Period, type PeriodId} from "./periods.js";
import {formatNumber, formatP} from "./format.js";
import {round} from "./round.js";
import type {SimTruth} from "./truth.js";
import {VENUE_INFO, venueLabel, type Venue} from "./venues.js";

/** The analyses: A = perpetuals, B = perpetuals and spot. */
export type LeaderAnalysis = "A" | "B";

/** One pair's Hayashi–Yoshida lead in a period: positive when a leads b, ms, with the bootstrap interval and one-sided p-values. */
export interface LeaderPair {
  a: Venue;
  b: Venue;
  leadMs: number;
  interval: [number, number];
  pAB: number;
  pBA: number;
}

/** One directed price → price link of the time-reversal test. */
export interface LeaderLink {
  source: Venue;
  target: Venue;
  /** D(source → target) = net TE − net TE of the reversed series, bits per bin. */
  d: number;
  /** One-sided bootstrap p-value of D > 0 and its Benjamini–Hochberg q-value over the period's links. */
  p: number;
  q: number;
  significant: boolean;
}

/** The calibrated outcome of one analysis in one period. */
export interface LeaderOutcome {
  analysis: LeaderAnalysis;
  period: PeriodId;
  /** Its words in prose ({@link periodLabel}). */
  name: string;
  start: number;
  end: number;
  /** Width of the bins of the transfer-entropy channel, ms. */
  binMs: number;
  venues: Venue[];
  /** The named leader, or null: no leader found. */
  leader: Venue | null;
  /** The rule's p-value: min(1, m · max_V p(L → V)) of the named leader, or of the best candidate. */
  p: number;
  alpha: number;
  candidate: Venue | null;
  /** Why no leader was named (null when one was). */
  reason: string | null;
  /** The planted leader among these venues (the unique smallest delay; null when tied), simulated data only; undefined for real data. */
  planted: Venue | null | undefined;
  pairs: LeaderPair[];
  links: LeaderLink[];
  /** Whether the price → price channel agrees with the named leader; null without a leader. */
  corroborated: boolean | null;
}

/** Options of {@link calibratedLeaders}. */
export interface CalibratedLeadersOptions {
  seed: number;
  /** Bootstrap resamples; default 499. */
  resamples?: number;
  /** Family-wise level of the rule and FDR of the links; default 0.05. */
  alpha?: number;
  /** Bin width of the TE channel, ms; default 100. */
  binMs?: number;
  /** The venues' trade counts over the span, to sweep the sparser venue of each pair (`tradeCounts` of lib/analysis/leadership.ts); default: from the trades given. */
  tradeCounts?: Readonly<Partial<Record<string, number>>>;
}

/** The planted leader among `venues`: the unique venue of smallest delay, else null. */
export function plantedAmong(delaysMs: Record<string, number>, venues: readonly Venue[]): Venue | null {
  let best: Venue | null = null;
  let tied = false;
  for (const v of venues) {
    const d = delaysMs[v];
    if (!Number.isFinite(d)) return null;
    if (best === null || d < delaysMs[best]) (best = v), (tied = false);
    else if (d === delaysMs[best]) tied = true;
  }
  return tied ? null : best;
}

/** The venues of each analysis of `venues`: A = the perpetuals (when at least two), B = all venues (when both kinds are present). */
export function analysisVenues(venues: readonly Venue[]): {analysis: LeaderAnalysis; venues: Venue[]}[] {
  const perps = venues.filter((v) => VENUE_INFO[v].kind === "perpetual");
  const spot = venues.filter((v) => VENUE_INFO[v].kind === "spot");
  const out: {analysis: LeaderAnalysis; venues: Venue[]}[] = [];
  if (perps.length >= 2) out.push({analysis: "A", venues: perps});
  if (perps.length >= 1 && spot.length >= 1) out.push({analysis: "B", venues: [...venues]});
  return out;
}

/** Fewest trades a venue needs in a period for a leader to be named among its analysis (the rule's `minTrades`). */
export const LEADER_MIN_TRADES = 50;

/** The seed of the leader rule in one period, derived from the analysis seed (the live page derives its windows' the same way). */
export function leaderPeriodSeed(seed: number, period: {id: string; start: number}): number {
  return deriveSeed(seed, `leaders ${period.id} ${period.start}`);
}

/**
 * The calibrated rule's decision for each analysis, from the HY evidence of every pair of the
 * union of their venues in one period: each analysis decides on its own venues' pairs
 * (lib/analysis/leadership.ts `decideLeader`, at α/m of its m venues, no leader when a venue has
 * fewer than {@link LEADER_MIN_TRADES} trades). Shared by {@link calibratedLeaders} and the live page.
 */
export function analysisDecisions(
  analyses: readonly {analysis: LeaderAnalysis; venues: Venue[]}[],
  pairs: readonly PairLead<Venue>[],
  {alpha = 0.05}: {alpha?: number} = {}
): {analysis: LeaderAnalysis; venues: Venue[]; pairs: PairLead<Venue>[]; decision: LeaderDecision<Venue>}[] {
  return analyses.map(({analysis, venues}) => {
    const inside = pairs.filter((q) => venues.includes(q.a) && venues.includes(q.b));
    return {analysis, venues, pairs: inside, decision: decideLeader(venues, inside, {alpha, minTrades: LEADER_MIN_TRADES})};
  });
}

/** What {@link calibratedLeaders} runs: the periods (planted schedule trimmed by the transition, or the full span), the analyses, and the union of their venues. */
export interface LeaderPlan {
  periods: Period[];
  analyses: {analysis: LeaderAnalysis; venues: Venue[]}[];
  /** The venues of one `leadership` run per period (each analysis then decides on its own pairs). */
  venues: Venue[];
}

/** The {@link LeaderPlan} of a market. */
export function leaderPlan(market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null}): LeaderPlan {
  const periods = schedulePeriods(market.truth, market.span, {trimMs: market.truth?.leadLag?.transitionMs ?? 0});
  const analyses = analysisVenues(market.venues);
  return {periods, analyses, venues: [...new Set(analyses.flatMap((a) => a.venues))]};
}

/** The options of the `leadership` run of `period` (its seed derived by {@link leaderPeriodSeed}). */
export function leaderRunOptions(period: Period, {seed, resamples = 499, alpha = 0.05, binMs = 100, tradeCounts}: CalibratedLeadersOptions) {
  return {alpha, resamples, binMs, minTrades: LEADER_MIN_TRADES, seed: leaderPeriodSeed(seed, period), transfer: "interpolated" as const, tradeCounts: tradeCounts ?? null};
}

/**
 * The `leadership` result of every period of the market's {@link LeaderPlan} (one run over the
 * plan's venues per period, with {@link leaderRunOptions}), from the trades of each venue (times
 * in epoch ms, prices): the evidence {@link leadersFromResults} and Analysis B
 * (lib/analysis/spot-perp.ts) decide on. No analysis: no results.
 */
export function leaderRuns(
  market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null; trades: Partial<Record<Venue, LeadershipTrades>>},
  options: CalibratedLeadersOptions
): {plan: LeaderPlan; results: LeadershipResult<Venue>[]} {
  const plan = leaderPlan(market);
  if (!plan.analyses.length) return {plan, results: []};
  const trades = {} as Record<Venue, LeadershipTrades>;
  for (const v of plan.venues) {
    const t = market.trades[v];
    if (!t) throw new RangeError(`invalid market: no trades of ${v}`);
    trades[v] = t;
  }
  const counted = {...options, tradeCounts: options.tradeCounts ?? tradeCountsOf(trades)};
  return {plan, results: plan.periods.map((period) => leadership(plan.venues, trades, period.start, period.end, leaderRunOptions(period, counted)))};
}

/**
 * The calibrated leader of every analysis ({@link analysisVenues}) in every period of the planted
 * schedule (trimmed by `truth.leadLag.transitionMs`; the whole span for real data), from the
 * trades of each venue (times in epoch ms, prices). See the module comment.
 */
export function calibratedLeaders(
  market: {venues: Venue[]; span: [number, number]; truth: SimTruth | null; trades: Partial<Record<Venue, LeadershipTrades>>},
  options: CalibratedLeadersOptions
): LeaderOutcome[] {
  const {plan, results} = leaderRuns(market, options);
  return leadersFromResults(plan, results, options);
}

/**
 * {@link calibratedLeaders} from the `leadership` result of each period of `plan` (in its order,
 * run with {@link leaderRunOptions}, e.g. fed day by day through lib/analysis/leadership-stream.ts).
 */
export function leadersFromResults(plan: LeaderPlan, results: readonly LeadershipResult<Venue>[], {alpha = 0.05, binMs = 100}: CalibratedLeadersOptions): LeaderOutcome[] {
  const out: LeaderOutcome[] = [];
  if (!plan.analyses.length) return out;
  if (results.length !== plan.periods.length) throw new RangeError(`invalid results: ${results.length} for ${plan.periods.length} periods`);
  plan.periods.forEach((period, pi) => {
    const r = results[pi];
    for (const {analysis, venues, pairs, decision: named} of analysisDecisions(plan.analyses, r.pairs, {alpha})) {
      const inside = (a: Venue, b: Venue) => venues.includes(a) && venues.includes(b);
      const transfer = r.transfer.filter((q) => inside(q.a, q.b));
      const leader = named.leader;
      const directed = transfer.flatMap((t) => [
        {source: t.a, target: t.b, d: t.d, p: t.pAB},
        {source: t.b, target: t.a, d: -t.d, p: t.pBA}
      ]);
      const bh = benjaminiHochberg(directed.map((l) => l.p), {alpha});
      out.push({
        analysis,
        period: period.id,
        name: periodLabel(period.id),
        start: period.start,
        end: period.end,
        binMs,
        venues,
        leader,
        p: round(named.p, 4) ?? 1,
        alpha,
        candidate: named.candidate,
        reason: named.reason,
        planted: period.planted ? plantedAmong(period.planted.delaysMs, venues) : undefined,
        pairs: pairs.map((q) => ({a: q.a, b: q.b, leadMs: q.lead, interval: q.interval, pAB: round(q.pAB, 4) ?? 1, pBA: round(q.pBA, 4) ?? 1})),
        links: directed.map((l, i) => ({source: l.source, target: l.target, d: round(l.d, 6) ?? 0, p: round(l.p, 4) ?? 1, q: round(bh.adjusted[i], 4) ?? 1, significant: !!bh.rejected[i]})),
        corroborated: leader ? corroborates(leader, venues, transfer) : null
      });
    }
  });
  return out.sort((x, y) => (x.analysis < y.analysis ? -1 : x.analysis > y.analysis ? 1 : 0));
}

/** The strongest significant link of some outcomes (largest D among the significant ones), or null when none is significant. */
export function strongestLink(outcomes: readonly LeaderOutcome[]): (LeaderLink & {outcome: LeaderOutcome}) | null {
  let best: (LeaderLink & {outcome: LeaderOutcome}) | null = null;
  for (const o of outcomes) for (const l of o.links) if (l.significant && (!best || l.d > best.d)) best = {...l, outcome: o};
  return best;
}

/** The pair of a period's outcome between `x` and `y`, oriented so that a positive lead means x leads y. */
export function pairBetween(o: LeaderOutcome, x: Venue, y: Venue): LeaderPair | null {
  const q = o.pairs.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));
  if (!q) return null;
  return q.a === x ? q : {a: x, b: y, leadMs: -q.leadMs, interval: [-q.interval[1], -q.interval[0]], pAB: q.pBA, pBA: q.pAB};
}

/** A named leader's weakest lead (its follower with the largest p), the figure that decided. */
export function decidingPair(o: LeaderOutcome): LeaderPair | null {
  const L = o.leader ?? o.candidate;
  if (!L) return null;
  let worst: LeaderPair | null = null;
  for (const v of o.venues) {
    if (v === L) continue;
    const q = pairBetween(o, L, v);
    if (q && (!worst || q.pAB > worst.pAB)) worst = q;
  }
  return worst;
}

/** The outcome of one analysis in one period in words: the leader with its weakest lead, or "no leader found" with why. */
export function leaderSentence(o: LeaderOutcome): string {
  const where = o.period === "full" ? "Over the full span" : `In the period "${o.name}"`;
  const group = o.analysis === "A" ? "among the perpetuals" : "among all venues";
  const w = decidingPair(o);
  if (o.leader && w)
    return `${where}, ${venueLabel(o.leader)} leads ${group}: its trades lead every other venue's on trade times, the weakest by ${w.leadMs} ms over ${venueLabel(w.b)} (bootstrap interval [${Math.round(w.interval[0])}, ${Math.round(w.interval[1])}] ms; rule ${formatP(o.p)} ≤ α = ${o.alpha}).`;
  return `${where}, no leader found ${group}${o.reason ? `: ${reasonWords(o.reason)}` : ""}.`;
}

/** The rule's reason with venue ids in their display names. */
export function reasonWords(reason: string): string {
  return reason.replace(/\b(binance|bybit|okx|coinbase)\b/g, (x) => venueLabel(x));
}

/** The outcome of `analysis` in period `id` (the first such), or null. */
export function outcomeOf(leaders: readonly LeaderOutcome[], analysis: LeaderAnalysis, id: PeriodId): LeaderOutcome | null {
  return leaders.find((o) => o.analysis === analysis && o.period === id) ?? null;
}

/** The strongest significant price → price link of some outcomes in words, or that none is significant. */
export function strongestLinkSentence(outcomes: readonly LeaderOutcome[]): string {
  const links = outcomes.reduce((n, o) => n + o.links.length, 0);
  const sig = outcomes.reduce((n, o) => n + o.links.filter((l) => l.significant).length, 0);
  const s = strongestLink(outcomes);
  if (!links) return "No price → price link was tested.";
  if (!s) return `None of the ${links} directed price → price links (time-reversal test, Benjamini–Hochberg at 5 % within each period) is significant.`;
  return `${sig} of ${links} directed price → price links are significant (time-reversal test, Benjamini–Hochberg at 5 % within each period); the strongest is ${venueLabel(s.source)} → ${venueLabel(s.target)} ${s.outcome.period === "full" ? "over the full span" : s.outcome.name === "crash" ? "in the crash" : s.outcome.name}: time-reversal difference ${formatNumber(1000 * s.d, 3)} millibits per ${s.outcome.binMs} ms bin (${formatP(s.p)}, ${formatP(s.q, "BH q")}).`;
}
