/**
 * The headline findings of every chapter (data/findings.json): one value per claim with its unit,
 * interval or p-value, the method behind it and one sentence whose numbers are filled in by code;
 * and the report's figure data. A pure function of the chapters' results
 * ({@link computeFindings}); the build's loader (loaders/chapters/findings.ts) reads the results
 * and calls it, the report, the README (scripts/key-findings.ts) and the pages read its JSON.
 *
 * A finding whose input is missing (real data has nothing planted; a chapter found no escapes) is
 * not silently dropped: it is listed in `notComputed` with the reason.
 */
import {DEFAULT_FLOW, FLOW_LABELS, type FlowDefinition} from "../net-flow.js";
import type {Chapter06, CoincidenceRow, EventKind} from "./ch06.js";
import {EVENT_LABELS} from "./ch06.js";
import {formatNumber, formatValue, type ShownValue} from "./format.js";
import {periodLabel, type PeriodId} from "./periods.js";
import {replicationText, tableReplication, type SeedReplication} from "./replication.js";
import {decidingPair, leaderSentence, reasonWords, strongestLink, strongestLinkSentence, type LeaderOutcome} from "./leaders.js";
import {roundNumbers} from "./round.js";
import {calibrationRow, earlyWarningVerdict, phaseReplication, type PhaseCalibrationRate} from "./phase-calibration.js";
import {CLAIMS, claimCalibration, type ClaimRate} from "./claim-calibration.js";
import {crashEvents, type SimTruth} from "./truth.js";
import {regimeAdviceText, type RegimeContrast} from "./ch04.js";
import {SECONDS_PER_YEAR} from "../realised-volatility.js";
import {venueLabel, type Venue} from "./venues.js";

// ---------------------------------------------------------------------------------------------
// Output

/** One headline finding of a chapter. */
export interface Finding {
  /** Stable identifier, e.g. "ch06-triple"; pages mark the number with `data-finding="<id>"`. */
  id: string;
  /** Chapter number, "01" … "06". */
  chapter: string;
  /** What is measured, a short noun phrase. */
  title: string;
  value: number;
  /** Unit or counted noun after the value ("bits", "ms", "of 3 regime transitions"); "" for none. */
  unit: string;
  /** Decimals shown. */
  digits: number;
  /** 95 % interval in the value's units, or null. */
  interval: [number, number] | null;
  /** p-value of the headline test, or null. */
  pValue: number | null;
  /** What the p-value or interval comes from ("shuffle surrogates", "block bootstrap", …). */
  method: string;
  /** The planted value in the same units (simulated data), or null. */
  planted: number | null;
  /** One sentence with the numbers filled in by code. */
  text: string;
  /**
   * Seeds of today's plant on which the claim held, out of the seeds tried (`npm run calibrate --
   * --phase`), where the calibration measures it; a key finding needs 8 of 10.
   */
  replication?: {count: number; total: number};
}

/** A headline finding that could not be computed, and why. */
export interface NotComputed {
  id: string;
  chapter: string;
  title: string;
  /** "not computed because …". */
  reason: string;
}

/** What data the findings come from. */
export interface FindingsSource {
  source: "simulated" | "real";
  seed: number;
  venues: string[];
  span: [number, number];
  /** Human-readable, e.g. "simulated market, seed 20240805, BTCUSDT, 2024-08-05 00:00 → 2024-08-06 00:00 UTC, venues Binance, Bybit". */
  label: string;
  key: string;
}

/** data/findings.json: what the findings come from, the findings, the report's figure data and the findings not computed. */
export interface Findings {
  data: FindingsSource;
  findings: Finding[];
  figures: {
    /** Chapter 03: net outgoing effective TE (price → flow, k = 1) of each venue per period (its label), bits; the planted leader. */
    leaders: {period: string; venue: Venue; score: number; planted: Venue | null}[];
    /** Chapter 04: log realised volatility per block, the significant changes, the planted events. */
    volatility: {blockSec: number; t: number[]; values: number[]; changes: number[]; planted: number[]};
    /** Chapter 05: mean escape time per planted regime (recovered with 95 % interval, and planted), s. */
    escapes: {name: string; meanTime: number | null; low: number | null; high: number | null; planted: number}[] | null;
    /** Chapter 06: the events of each kind and the triple-coincident transitions. */
    events: {regime: number[]; entropy: number[]; breakdown: number[]; coincident: number[]; toleranceMin: number};
  };
  /**
   * The calibrated leader of each analysis, period and bin width: a market id, or null when the
   * rule names no leader; `p` is the rule's p-value, min(1, m · max_V p(L → V)) of the named leader
   * or of the best candidate. `computeFindings` lists chapter 03's analyses ("A": the perpetuals;
   * "B": every venue); the published findings.json (loaders/chapters/findings.ts) keeps "A" and
   * replaces "B" by the issue's Analysis B, each perpetual against each spot market
   * (lib/analysis/spot-perp.ts).
   */
  leaders: LeaderEntry[];
  /** The definition of the net flow behind every flow figure the findings quote (lib/net-flow.ts), in words beside it. */
  flow: {definition: FlowDefinition; label: string};
  notComputed: NotComputed[];
}

/** One entry of {@link Findings.leaders}. */
export interface LeaderEntry {
  /** "A": the perpetuals among themselves (chapter 03); "B": each perpetual against each spot market (lib/analysis/spot-perp.ts). */
  analysis: "A" | "B";
  period: PeriodId;
  binMs: number;
  /** The leading market id, or null: no market leads beyond chance (or the test could not run). */
  leader: Venue | null;
  /** Adjusted p of the leader (or of the best candidate), from the rule; 1 when the test could not run. */
  p: number;
  /** The markets compared: Analysis A's perpetuals (never a spot market); Analysis B's perpetual then spot market. */
  markets?: Venue[];
  /** Analysis B: why no leader was named (null when one was). */
  reason?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Inputs: the parts of each chapter's result this module reads

/** The parts of the build's manifest (chapter 01) this module reads. */
export interface ManifestInput {
  source: "simulated" | "real";
  seed: number;
  symbol: string;
  venues: Venue[];
  span: [number, number];
  key: string;
  perVenue: Partial<Record<Venue, {trades: number}>>;
  quality: {quarantinedShare: number | null};
}

/** The parts of chapter 02's result this module reads. */
export interface Chapter02Input {
  hy: {pairs: {a: Venue; b: Venue; period: PeriodId; leadMs: number; interval: [number, number]; pSign: number; plantedMs: number | null}[]};
  signs: {venues: {venue: Venue; fit: {exponent: number; interval: [number, number]}; planted: number | null}[]};
  sizes: {venue: Venue; hill: {alpha: number; interval: [number, number]}; planted: {tailAlpha: number} | null}[];
}

/** The parts of chapter 03's result this module reads. */
export interface Chapter03Input {
  surrogates: number;
  periods: {
    id: PeriodId;
    planted: {leader: Venue | null} | null;
    matrices: {
      "price-flow": {venues: Venue[]; leader: Venue; surrogates: number; effective: (number | null)[]; pValue: (number | null)[]; qValue: (number | null)[]; score: Record<string, number>};
    };
  }[];
  lagMI: {surrogates: number; pairs: {x: Venue; y: Venue; best: number; bestLagMs: number; bestP: number; plantedLagMs: number | null}[]};
  entropyRate: {venue: Venue; signStorage: number; signStorageP: number}[];
  /** The calibrated leader per analysis and period (lib/analysis/leaders.ts). */
  leaders: LeaderOutcome[];
  /** The definition of the net flow of its flow symbols (absent in older results: the count). */
  flow?: FlowDefinition;
  /** Why it compares no markets (one market only), or null / absent. */
  crossMarket?: string | null;
}

/** The parts of chapter 04's result this module reads. */
export interface Chapter04Input {
  settings: {alpha: number; surrogates: number; toleranceMin: number; windowSec: number};
  changes: {volatility: {blockSec: number; t: number[]; values: number[]; candidates: number[]; p: number[]}};
  recovery: {name: string; kind: "planted" | "funding"; volatility: {time: number | null; errorMin: number | null; found: boolean}}[];
  calmCheck: {entropyChanges: number; volatilityChanges: number} | null;
  earlyWarning: {target?: number | null; targetLabel: string; before: {ar1: {variance: {tau: number; p: number}}} | null};
  /** The out-of-sample validation of the regime label (absent in results built before it existed). */
  regimeContrast?: RegimeContrast;
}

/** The parts of chapter 05's result this module reads. */
export interface Chapter05Input {
  toleranceUsd: number;
  planted: {recovered: number; recoveredShare: number; baselineTime: number; pTime: number; wellBarrier?: number} | null;
  kramers: {
    fit: {slope: number | null; low: number | null; high: number | null; n: number; censored?: number};
    null?: {paths: number; slopeMedian: number | null; slopeP: number | null; ratioMedian: number | null; ratioP: number | null};
    classes: {cold: {events: number}; hot: {events: number}; ratio: number | null; low: number | null; high: number | null; pValue: number | null};
    regimes: {name: string; plantedMeanTime: number; meanTime: number | null; low: number | null; high: number | null}[] | null;
    plantedLaw: {slope: number} | null;
  };
}

/** The parts of chapter 06's result this module reads. */
export type Chapter06Input = Pick<Chapter06, "surrogates" | "settings" | "events" | "tests" | "control" | "planted">;

/** The chapters' results the findings are built from, and the planted events (simulated data). */
export interface FindingsResults {
  manifest: ManifestInput;
  truth: Pick<SimTruth, "events"> | null;
  ch02: Chapter02Input;
  ch03: Chapter03Input;
  ch04: Chapter04Input;
  ch05: Chapter05Input;
  ch06: Chapter06Input;
  /**
   * The stored calibration of this code (loaders/chapters/calibration.ts `calibrationPage`): the
   * sentences of the claim types it measures are worded by it; absent or null: not calibrated.
   */
  calibration?: StoredRates | null;
}

/** The calibration's state and rates, as the findings read them. */
export type StoredRates = {state: string; rates: readonly ClaimRate[]};

const NO_CALIBRATION: StoredRates = {state: "missing", rates: []};

// ---------------------------------------------------------------------------------------------
// Building blocks

/** The displayed form of a finding (lib/analysis/format.ts `formatValue`). */
export const formatFinding: (f: ShownValue) => string = formatValue;

/** The finding with this id, or a RangeError naming it. */
export function findingById(findings: {findings: Finding[]}, id: string): Finding {
  const f = findings.findings.find((x) => x.id === id);
  if (!f) throw new RangeError(`invalid finding: ${id}`);
  return f;
}

/** "YYYY-MM-DD HH:MM" of an epoch-ms time, UTC. */
function utc(t: number): string {
  return new Date(t).toISOString().slice(0, 16).replace("T", " ");
}

/** The data a build's findings describe, in words. */
export function findingsSource(manifest: Pick<ManifestInput, "source" | "seed" | "symbol" | "venues" | "span" | "key">): FindingsSource {
  const span: [number, number] = [manifest.span[0], manifest.span[1]];
  const what = manifest.source === "simulated" ? `simulated market, seed ${manifest.seed}` : "real exchange archives";
  return {
    source: manifest.source,
    seed: manifest.seed,
    venues: manifest.venues,
    span,
    label: `${what}, ${manifest.symbol}, ${utc(span[0])} → ${utc(span[1])} UTC, venues ${manifest.venues.map(venueLabel).join(", ")}`,
    key: manifest.key
  };
}

/** A finding or the reason it is missing. */
export type Outcome = Finding | NotComputed;

/** Whether an outcome is a computed finding. */
export function isFinding(o: Outcome): o is Finding {
  return "text" in o;
}

type Draft = Omit<Finding, "text" | "chapter" | "method" | "planted" | "title"> & Partial<Pick<Finding, "planted" | "method">>;

/**
 * A finding whose sentence is written by `sentence` from the displayed value; when the value is
 * not finite, the finding is not computed, for the reason `missing` (default: the chapter's
 * result holds no finite value).
 */
function finding(chapter: string, title: string, method: string, d: Draft, sentence: (shown: string) => string, missing = `chapter ${chapter}'s result holds no finite value for it`): Outcome {
  if (!Number.isFinite(d.value)) return notComputed(d.id, chapter, title, missing);
  const f: Finding = {chapter, title, method, planted: null, text: "", ...d};
  f.text = sentence(formatFinding(f));
  return f;
}

/** A finding that could not be computed, with the reason ("not computed because <reason>"). */
export function notComputed(id: string, chapter: string, title: string, reason: string): NotComputed {
  return {id, chapter, title, reason: `not computed because ${reason}`};
}

/** "; the simulator planted 120 ms" (the unit left out when it is a count "of …"), or "" without a planted value. */
function plantedText(f: Pick<Finding, "planted" | "unit" | "digits">): string {
  return f.planted === null ? "" : `; the simulator planted ${formatNumber(f.planted, f.digits)}${f.unit && !f.unit.startsWith("of ") ? ` ${f.unit}` : ""}`;
}

const REAL = "the data are real: nothing was planted";

// ---------------------------------------------------------------------------------------------
// Findings of each chapter

/** Chapter 01: the cleaned trades analysed. */
export function chapter01Findings(manifest: ManifestInput): Outcome[] {
  const trades = manifest.venues.reduce((s, v) => s + (manifest.perVenue[v]?.trades ?? 0), 0);
  const seconds = (manifest.span[1] - manifest.span[0]) / 1000;
  const q = manifest.quality.quarantinedShare;
  return [
    finding("01", "Cleaned trades analysed", "exact count", {id: "ch01-trades", value: trades, unit: "trades", digits: 0, interval: null, pValue: null}, (shown) =>
      `The build analyses ${shown} over ${formatNumber(seconds / 3600, 0)} hours on ${manifest.venues.length} venue${manifest.venues.length === 1 ? "" : "s"} (${formatNumber(trades / seconds, 1)} trades per second)` +
      (q === null ? "." : `, after quarantining ${formatNumber(100 * q, 3)} % of the rows read.`)
    )
  ];
}

/**
 * The Hayashi–Yoshida lead of a period as a finding: the resolved pair (bootstrap interval
 * excluding 0) of largest |lead|, oriented so that the leader comes first; when no pair is
 * resolved, "no lead resolved" with the pair of largest |lead| and its interval, and no p-value.
 */
function hyLeadFinding(ch02: Chapter02Input, period: PeriodId, id: string, method: string, calibration: StoredRates): Outcome {
  const pairs = ch02.hy.pairs.filter((p) => p.period === period);
  const name = periodLabel(period);
  const oriented = pairs.map((p) =>
    p.leadMs >= 0 ? p : {...p, a: p.b, b: p.a, leadMs: -p.leadMs, interval: [-p.interval[1], -p.interval[0]] as [number, number], plantedMs: p.plantedMs === null ? null : -p.plantedMs}
  );
  const resolved = oriented.filter((p) => p.interval[0] > 0);
  const byLead = (xs: typeof oriented) => xs.reduce<(typeof oriented)[number] | null>((b, p) => (!b || p.leadMs > b.leadMs ? p : b), null);
  const best = byLead(resolved);
  if (best) {
    // A direction only where the calibration of this code measured the claim and it held its level.
    const c = claimCalibration(calibration, CLAIMS.hy02, "A resolved Hayashi–Yoshida lead of chapter 02");
    const when = period === "crash" ? "During the crash" : `In the period "${name}"`;
    return finding("02", `Hayashi–Yoshida lead of ${venueLabel(best.a)} over ${venueLabel(best.b)}, ${name}${c.calibrated ? "" : " (descriptive)"}`, method, {id, value: best.leadMs, unit: "ms", digits: 0, interval: best.interval, pValue: null, planted: best.plantedMs}, (shown) =>
      c.calibrated
        ? `${when}, the largest resolved lead on trade times is ${venueLabel(best.a)}'s over ${venueLabel(best.b)}: ${shown} (Hayashi–Yoshida; ${resolved.length} of ${pairs.length} pairs have a bootstrap interval excluding 0)${plantedText({planted: best.plantedMs, unit: "ms", digits: 0})}. ${c.words}`
        : `${when}, the largest Hayashi–Yoshida shift whose bootstrap interval excludes 0 is ${venueLabel(best.a)}–${venueLabel(best.b)}: ${shown} (${resolved.length} of ${pairs.length} pairs)${plantedText({planted: best.plantedMs, unit: "ms", digits: 0})}. ${c.words}`
    );
  }
  const widest = byLead(oriented);
  if (!widest) return notComputed(id, "02", `Hayashi–Yoshida lead, ${name}`, `chapter 02 scanned no pair in the period "${name}"`);
  return finding("02", `Hayashi–Yoshida lead, ${name}: none resolved`, method, {id, value: widest.leadMs, unit: "ms", digits: 0, interval: widest.interval, pValue: null, planted: widest.plantedMs}, () =>
    `${period === "crash" ? "During the crash" : `In the period "${name}"`}, no lead is resolved on trade times: every pair's bootstrap interval includes 0 (the largest, ${venueLabel(widest.a)}–${venueLabel(widest.b)}: ${formatNumber(widest.leadMs, 0)} ms [${formatNumber(widest.interval[0], 0)}, ${formatNumber(widest.interval[1], 0)}])${plantedText({planted: widest.plantedMs, unit: "ms", digits: 0})}.`
  );
}

/** Chapter 02: the Hayashi–Yoshida lead before and during the crash, the sign-memory and size-tail exponents. */
export function chapter02Findings(ch02: Chapter02Input, calibration: StoredRates = NO_CALIBRATION): Outcome[] {
  const out: Outcome[] = [];
  const HY = "block bootstrap, 95 % percentile interval";
  const hyPeriods: PeriodId[] = [...new Set(ch02.hy.pairs.map((p) => p.period))];
  const calmId: PeriodId | undefined = hyPeriods.includes("before-crash") ? "before-crash" : hyPeriods[0];
  if (calmId) out.push(hyLeadFinding(ch02, calmId, "ch02-hy-lead", HY, calibration));
  else out.push(notComputed("ch02-hy-lead", "02", "Hayashi–Yoshida lead", "chapter 02 scanned no venue pair"));
  if (hyPeriods.includes("crash")) out.push(hyLeadFinding(ch02, "crash", "ch02-hy-lead-crash", HY, calibration));
  else out.push(notComputed("ch02-hy-lead-crash", "02", "Hayashi–Yoshida lead, crash", "chapter 02 scanned no pair in a planted crash period"));
  const sign = ch02.signs.venues.find((s) => s.venue === "binance") ?? ch02.signs.venues[0];
  if (sign)
    out.push(
      withReplication(finding("02", `Order-sign autocorrelation exponent (${venueLabel(sign.venue)})`, "block standard error, 95 % interval", {id: "ch02-sign-exponent", value: sign.fit.exponent, unit: "", digits: 2, interval: sign.fit.interval, pValue: null, planted: sign.planted}, (shown) => {
        const [lo, hi] = sign.fit.interval;
        const memory = hi < 1 ? "the exponent is below 1 (the autocorrelation is not summable), so the flow is long-memory" : "the interval reaches 1, so long memory is not established";
        const cover = sign.planted === null ? "" : lo <= sign.planted && sign.planted <= hi ? "; the interval covers the planted exponent" : "; the interval excludes the planted exponent";
        return `The autocorrelation of ${venueLabel(sign.venue)}'s taker-order signs (the prints of one order at one timestamp counted once) decays as a power law of the lag with exponent ${shown}${plantedText({planted: sign.planted, unit: "", digits: 2})}: ${memory}${cover}.`;
      }
      ), sign.planted !== null ? tableReplication("ch02-sign-exponent") : null)
    );
  else out.push(notComputed("ch02-sign-exponent", "02", "Order-sign autocorrelation exponent", "chapter 02 fitted no venue's taker-order signs"));
  const size = ch02.sizes.find((s) => s.venue === "binance") ?? ch02.sizes[0];
  if (size)
    out.push(
      withReplication(finding("02", `Trade-size tail exponent (${venueLabel(size.venue)})`, "Hill estimator, 95 % interval", {id: "ch02-size-tail", value: size.hill.alpha, unit: "", digits: 2, interval: size.hill.interval, pValue: null, planted: size.planted?.tailAlpha ?? null}, (shown) => {
        const [lo, hi] = size.hill.interval;
        const variance = hi < 2 ? "the variance of trade size does not exist" : lo > 2 ? "the variance of trade size is finite" : "the interval straddles 2, the edge where the variance of trade size stops existing";
        return `${venueLabel(size.venue)}'s trade sizes have a Pareto tail with exponent ${shown}${plantedText({planted: size.planted?.tailAlpha ?? null, unit: "", digits: 2})}: ${variance}.`;
      }
      ), size.planted ? tableReplication("ch02-size-tail") : null)
    );
  else out.push(notComputed("ch02-size-tail", "02", "Trade-size tail exponent", "chapter 02 fitted no venue's trade sizes"));
  return out;
}

/** The finding id of chapter 03's leader in a period. */
const LEADER_ID: Record<PeriodId, string | null> = {full: "ch03-leader", "before-crash": "ch03-leader-calm", crash: "ch03-leader-crash", "after-crash": null};

const RULE = "Hayashi–Yoshida lead on trade times, moving-block bootstrap; a venue is named when it leads every other at α/m (intersection–union, Bonferroni)";

/** Chapter 03: the calibrated leader of the perpetuals in each period (but after the crash), the strongest significant price → price link, the lag of largest shared information, the storage of trade signs. */
export function chapter03Findings(ch03: Chapter03Input, calibration: StoredRates = NO_CALIBRATION): Outcome[] {
  const out: Outcome[] = [];
  const A = ch03.leaders.filter((o) => o.analysis === "A");
  for (const o of A) {
    const id = LEADER_ID[o.period];
    if (id === null) continue;
    const name = periodLabel(o.period);
    const w = decidingPair(o);
    const title = `Calibrated leader of the perpetuals, ${name}`;
    if (!w) {
      out.push(notComputed(id, "03", title, `the period "${name}" has no pair of perpetuals`));
      continue;
    }
    const planted = o.planted === undefined ? "" : `; planted leader: ${o.planted ? venueLabel(o.planted) : "none"}, ${o.planted === o.leader ? (o.leader ? "recovered" : "and none named") : "not recovered"}`;
    out.push(
      finding("03", title, RULE, {id, value: w.leadMs, unit: "ms", digits: 0, interval: w.interval, pValue: o.p}, () =>
        o.leader
          ? `${leaderSentence(o).replace(/\.$/, "")}${planted}.`
          : `${o.period === "full" ? "Over the full span" : `In the period "${name}"`}, no leader is found among the perpetuals: ${reasonWords(o.reason ?? "")}${planted}.`
      )
    );
  }
  // With one market, the reason chapter 03 compares none is the reason of every pairwise finding.
  const cross = ch03.crossMarket ?? null;
  if (!A.length) out.push(notComputed("ch03-leader-calm", "03", "Calibrated leader of the perpetuals", cross ?? "the build has fewer than two perpetuals"));
  const linkSet = ch03.leaders.some((o) => o.analysis === "B") ? ch03.leaders.filter((o) => o.analysis === "B") : A;
  const nLinks = linkSet.reduce((n, o) => n + o.links.length, 0);
  const nSig = linkSet.reduce((n, o) => n + o.links.filter((l) => l.significant).length, 0);
  const top = strongestLink(linkSet);
  if (nLinks)
    out.push(
      finding("03", "Significant price → price links", "time-reversal transfer-entropy difference, moving-block bootstrap; Benjamini–Hochberg at 5 % within each period", {id: "ch03-links", value: nSig, unit: `of ${nLinks} links`, digits: 0, interval: null, pValue: top ? top.q : null}, () => strongestLinkSentence(linkSet))
    );
  else out.push(notComputed("ch03-links", "03", "Significant price → price links", cross ?? "chapter 03 tested no link"));
  const mi = ch03.lagMI.pairs.reduce<Chapter03Input["lagMI"]["pairs"][number] | null>((b, p) => (!b || p.best > b.best ? p : b), null);
  if (mi)
    out.push(
      finding("03", `Lag of largest shared information, ${venueLabel(mi.x)} and ${venueLabel(mi.y)}`, "the lag of largest shuffle-corrected mutual information of 100 ms price changes; leaders are named by the calibrated rule", {id: "ch03-mi-lag", value: mi.bestLagMs, unit: "ms", digits: 0, interval: null, pValue: null, planted: mi.plantedLagMs}, (shown) =>
        `The pair sharing the most price information, ${venueLabel(mi.x)} and ${venueLabel(mi.y)}, shares it most at a lag of ${shown} (positive: ${venueLabel(mi.y)} later; resolved to one 100 ms bin)${plantedText({planted: mi.plantedLagMs, unit: "ms", digits: 0})}. ${claimCalibration(calibration, CLAIMS.miLag, "A non-zero MI lag as a direction").words}`
      )
    );
  else out.push(notComputed("ch03-mi-lag", "03", "Lag of largest shared information", cross ?? "chapter 03 compared no venue pair"));
  const er = ch03.entropyRate.find((r) => r.venue === "binance") ?? ch03.entropyRate[0];
  if (er)
    out.push(
      finding("03", `Information stored in the past of ${venueLabel(er.venue)}'s trade signs`, `${ch03.surrogates} permutations`, {id: "ch03-sign-storage", value: er.signStorage, unit: "bits per trade", digits: 3, interval: null, pValue: er.signStorageP}, (shown) =>
        `The last ten trade signs of ${venueLabel(er.venue)} predict the next with ${shown} of active information storage: memory in the flow, which is not information about the price.`
      )
    );
  else out.push(notComputed("ch03-sign-storage", "03", "Information stored in the past of the trade signs", "chapter 03 has no venue's entropy rate"));
  return out;
}

/**
 * The finding with its replication over seeds of the default plant, when a calibration measured it
 * (lib/analysis/replication.ts: one record, one clause, one rule for every chapter): the count in
 * `replication`, the clause at the end of its sentence.
 */
function withReplication(o: Outcome, r: SeedReplication | null): Outcome {
  if (!isFinding(o) || !r || !(r.total > 0)) return o;
  return {...o, replication: {count: r.count, total: r.total}, text: `${o.text.replace(/\.$/, "")}; ${replicationText(r)}.`};
}

/** "(false-positive rate k of n, …)" of a calibration row, or "" without one. */
function falsePositiveText(row: PhaseCalibrationRate | null): string {
  return row ? `${row.count} of ${row.total} ${row.population.replace(/ \(.*\)$/, "")}` : "";
}

/**
 * Chapter 04: planted changes found, false alarms in the calm part, the early-warning trend. Each
 * sentence is chosen by the calibrated outcome (lib/analysis/phase-calibration.ts): the early
 * warning is called significant only when its false-positive rate on crashes without a build-up
 * stays within α + 2 SE, and each finding carries its replication rate over seeds of today's plant.
 */
export function chapter04Findings(ch04: Chapter04Input): Outcome[] {
  const out: Outcome[] = [];
  const planted = ch04.recovery.filter((r) => r.kind === "planted");
  const changesTitle = "Planted regime changes found by volatility change points";
  if (planted.length) {
    const found = planted.filter((r) => r.volatility.found);
    const v = ch04.changes.volatility;
    const ps = found.map((r) => v.p[v.candidates.indexOf(r.volatility.time!)]).filter((p) => Number.isFinite(p));
    const worst = ps.length ? Math.max(...ps) : null;
    out.push(
      withReplication(
        finding("04", changesTitle, `family-wise p-value from ${ch04.settings.surrogates} phase-randomised surrogates (the largest of the matched changes)`, {id: "ch04-changes", value: found.length, unit: `of ${planted.length} planted changes`, digits: 0, interval: null, pValue: worst}, (shown) =>
          `Change points of the one-minute log realised volatility find ${shown} within ±${ch04.settings.toleranceMin} min (${planted.map((r) => `${r.name} ${r.volatility.errorMin === null ? "missed" : `${formatNumber(r.volatility.errorMin, 0)} min`}`).join(", ")}).`
        ),
        phaseReplication("crash start found by volatility")
      )
    );
  } else out.push(notComputed("ch04-changes", "04", changesTitle, ch04.calmCheck ? "no crash was planted: there is no regime change to find" : REAL));
  const calmTitle = "False alarms of the volatility change-point detector in the calm part";
  const calm = ch04.calmCheck;
  if (calm) {
    const fpVol = calibrationRow("volatility change point", "false-positive rate");
    const fpEnt = calibrationRow("entropy change point", "false-positive rate");
    const where = planted.length ? "the calm hours before the crash alone" : "the whole span, planted calm throughout";
    out.push(
      finding("04", calmTitle, "detector rerun on the calm stretch alone", {id: "ch04-calm-alarms", value: calm.volatilityChanges, unit: "significant changes", digits: 0, interval: null, pValue: null, planted: 0}, (shown) =>
        `Run on ${where}, where nothing was planted, the volatility detector reports ${shown} (entropy detector: ${calm.entropyChanges})` +
          (fpVol && fpEnt ? `; on markets without a crash the calibration found a false alarm on ${falsePositiveText(fpVol)} (volatility) and ${falsePositiveText(fpEnt)} (entropy).` : ".")
      )
    );
  } else out.push(notComputed("ch04-calm-alarms", "04", calmTitle, `${REAL} (no planted calm part)`));
  const ewTitle = "Early warning: trend of the rolling variance before the transition";
  const ew = ch04.earlyWarning.before;
  if (ew) {
    const {significant, warning: calibrated, falsePositive: fp} = earlyWarningVerdict(ew.ar1.variance.p, ch04.settings.alpha);
    out.push(
      finding("04", ewTitle, "Kendall τ against AR(1) surrogates", {id: "ch04-early-warning", value: ew.ar1.variance.tau, unit: "Kendall τ", digits: 3, interval: null, pValue: ew.ar1.variance.p}, (shown) =>
        `Before the ${ch04.earlyWarning.targetLabel} the rolling variance of the detrended price trends by ${shown}` +
          (!significant
            ? ": not significant, no critical slowing down is detectable."
            : calibrated
              ? `: a significant early warning (on markets whose crash was planted without a build-up, the test flagged ${fp!.count} of ${fp!.total}).`
              : fp
                ? `: not a calibrated early warning — on markets whose crash was planted without a build-up, the same test flags ${fp.count} of ${fp.total}.`
                : ": not a calibrated early warning — its false-positive rate was not measured (npm run calibrate -- --phase).")
      )
    );
  } else
    out.push(
      notComputed("ch04-early-warning", "04", ewTitle, ch04.earlyWarning.target === null && ch04.calmCheck && !planted.length ? "no crash was planted and no transition was found" : "chapter 04 found no transition with a long enough stretch before it")
    );
  const regimeTitle = "Regime label: volatility after hot against cold windows, out of sample";
  const rc = ch04.regimeContrast;
  if (rc && Number.isFinite(rc.p)) {
    const annual = Math.sqrt(SECONDS_PER_YEAR / ch04.settings.windowSec);
    const row = calibrationRow("regime label validated", "replication", "planted");
    const f = finding("04", regimeTitle, "Welch-style t of the forward realised volatility, effective counts for overlapping windows; thresholds from past windows only", {id: "ch04-regime", value: 100 * rc.diff * annual, unit: "points of annualised volatility", digits: 0, interval: null, pValue: rc.p}, () =>
      regimeAdviceText(rc, ch04.settings.alpha, annual, row)
    );
    out.push(row && row.total > 0 ? {...f, replication: {count: row.count, total: row.total}} : f);
  } else out.push(notComputed("ch04-regime", "04", regimeTitle, rc ? `too few windows were labelled hot or cold (${rc.hot.count} hot, ${rc.cold.count} cold)` : "chapter 04's result has no regime validation"));
  return out;
}

/**
 * Chapter 05: levels at planted wells, the hot/cold escape-rate ratio, the Kramers slope. Each
 * sentence is chosen by its test: the level match by its binomial p, the ratio and the slope by
 * their one-sided p against pure-diffusion paths with the market's own volatility path (a random
 * walk leaves a band faster when its steps are larger, so only an excess over those walks is
 * evidence of wells), and the slope's interval against the planted slope.
 */
export function chapter05Findings(ch05: Chapter05Input): Outcome[] {
  const out: Outcome[] = [];
  const ALPHA = 0.05;
  const levelsTitle = "Metastable levels that match a planted well";
  const p = ch05.planted;
  if (p) {
    const noWells = p.wellBarrier === 0;
    const where = noWells ? "a position of the planted well grid (the simulator planted no wells: the grid exerts no force)" : "a planted well";
    out.push(
      finding("05", levelsTitle, "one-sided binomial test against levels placed where the price traded", {id: "ch05-levels", value: 100 * p.recoveredShare, unit: "%", digits: 0, interval: null, pValue: p.pTime}, (shown) =>
        p.pTime < ALPHA
          ? `${shown} of the ${p.recovered} recurring metastable levels lie within ${formatNumber(ch05.toleranceUsd, 0)} USD of ${where}, against ${formatNumber(100 * p.baselineTime, 0)} % for random levels where the price traded: more than chance.`
          : `Not significant: ${shown} of the ${p.recovered} recurring metastable levels lie within ${formatNumber(ch05.toleranceUsd, 0)} USD of ${where}, against ${formatNumber(100 * p.baselineTime, 0)} % for random levels where the price traded, so the levels are not shown to sit at the wells.`
      )
    );
  } else out.push(notComputed("ch05-levels", "05", levelsTitle, REAL));
  const nul = ch05.kramers.null ?? null;
  const nullPaths = nul?.paths ?? 0;
  const ratioTitle = "Escape-rate ratio, hot windows over cold ones";
  const c = ch05.kramers.classes;
  if (c.ratio !== null) {
    const tested = nul !== null && nul.ratioP !== null && nullPaths > 0;
    out.push(
      finding("05", ratioTitle, `exact Poisson rate-ratio interval; one-sided p against ${nullPaths} pure-diffusion paths with the same volatility path`, {id: "ch05-escape-ratio", value: c.ratio, unit: "×", digits: 1, interval: c.low !== null && c.high !== null ? [c.low, c.high] : null, pValue: tested ? nul!.ratioP : null}, (shown) => {
        const base = `prices escape metastable levels ${shown} as often per unit time in hot (high-volatility) windows as in cold ones (${c.hot.events} and ${c.cold.events} escapes, counted in the segment after each window)`;
        if (!tested) return `Not tested against pure diffusion (no null path could be computed): ${base}; any random walk leaves a fixed band faster when its steps are larger, so this alone is no evidence of wells.`;
        return nul!.ratioP! < ALPHA
          ? `${base[0].toUpperCase()}${base.slice(1)}, more than random walks with the same volatility path (median ${formatNumber(nul!.ratioMedian, 1)} ×): the levels break faster in hot markets than volatility alone explains.`
          : `Not significant against pure diffusion: ${base}, but random walks with the same volatility path give a median ${formatNumber(nul!.ratioMedian, 1)} ×, so the ratio shows only that larger steps leave a band sooner.`;
      })
    );
  } else out.push(notComputed("ch05-escape-ratio", "05", ratioTitle, `chapter 05 has no rate ratio (${c.hot.events} escapes in hot windows, ${c.cold.events} in cold ones)`));
  const slopeTitle = "Kramers slope of ln escape time on barrier over temperature";
  const k = ch05.kramers.fit;
  if (k.slope !== null) {
    const plantedSlope = ch05.kramers.plantedLaw?.slope ?? null;
    const tested = nul !== null && nul.slopeP !== null && nullPaths > 0;
    const interval: [number, number] | null = k.low !== null && k.high !== null ? [k.low, k.high] : null;
    out.push(
      finding("05", slopeTitle, `censored maximum likelihood (escapes counted after the barrier's window), Wald 95 % interval; one-sided p against ${nullPaths} pure-diffusion paths`, {id: "ch05-kramers-slope", value: k.slope, unit: "", digits: 2, interval, pValue: tested ? nul!.slopeP : null, planted: plantedSlope}, (shown) => {
        const fitText = `slope ${shown}${plantedText({planted: plantedSlope, unit: "", digits: 2})} (n = ${k.n} level-windows${k.censored !== undefined ? `, ${k.censored} without an escape` : ""})`;
        const cover = plantedSlope === null || !interval ? "" : interval[0] <= plantedSlope && plantedSlope <= interval[1] ? "; its interval covers the planted slope" : "; its interval excludes the planted slope";
        if (!tested) return `The logarithm of the mean escape time against the barrier over temperature has ${fitText}${cover}; not tested against pure diffusion (no null path could be computed).`;
        return nul!.slopeP! < ALPHA
          ? `The logarithm of the mean escape time rises with the barrier over temperature with ${fitText}, steeper than on random walks with the same volatility path (median ${formatNumber(nul!.slopeMedian, 2)})${cover}.`
          : `Not significant against pure diffusion: the logarithm of the mean escape time against the barrier over temperature has ${fitText}, where random walks with the same volatility path give a median ${formatNumber(nul!.slopeMedian, 2)}${cover}.`;
      })
    );
  } else out.push(notComputed("ch05-kramers-slope", "05", slopeTitle, `chapter 05 could not fit the slope (n = ${k.n} level-windows)`));
  // On a simulated market, each claim carries how often it held over other seeds of the default plant.
  return p ? out.map((o) => withReplication(o, tableReplication(o.id))) : out;
}

/** The coincidence findings of chapter 06: id → test, and the events the count is out of. */
export const COINCIDENCE_FINDINGS = [
  {id: "ch06-triple", test: "triple", noun: "regime transitions", title: "Regime transitions met by an entropy drop and a metastability breakdown"},
  {id: "ch06-regime-entropy", test: "regime+entropy", noun: "regime transitions", title: "Regime transitions met by an entropy drop"},
  {id: "ch06-regime-breakdown", test: "regime+breakdown", noun: "regime transitions", title: "Regime transitions met by a metastability breakdown"},
  {id: "ch06-entropy-breakdown", test: "entropy+breakdown", noun: "entropy drops", title: "Entropy drops met by a metastability breakdown"}
] as const;

/** The displayed part of a coincidence finding: "count of n <noun>" with its p-value. */
export function coincidenceValue(id: string, noun: string, row: {count: number; events: number; pValue: number}): Pick<Finding, "id" | "value" | "unit" | "digits" | "interval" | "pValue"> {
  return {id, value: row.count, unit: `of ${row.events} ${noun}`, digits: 0, interval: null, pValue: row.pValue};
}

/** The displayed part of the shuffled control: "count of n random times" with its p-value. */
export function controlValue(row: {count: number; events: number; pValue: number}): Pick<Finding, "id" | "value" | "unit" | "digits" | "interval" | "pValue"> {
  return {id: "ch06-control", value: row.count, unit: `of ${row.events} random times`, digits: 0, interval: null, pValue: row.pValue};
}

/** "an entropy drop", "a regime transition". */
const withArticle = (kind: EventKind) => `${/^[aeiou]/.test(EVENT_LABELS[kind]) ? "an" : "a"} ${EVENT_LABELS[kind]}`;

/** The coincidence test `id` of chapter 06, or a RangeError naming it. */
function testRow(ch06: Pick<Chapter06Input, "tests">, id: string): CoincidenceRow {
  const row = ch06.tests.find((t) => t.id === id);
  if (!row) throw new RangeError(`invalid chapter 06 result: no test ${id}`);
  return row;
}

/** The calibration rows of each coincidence finding: its false-positive rate on markets without a crash and its replication on today's plant. */
const COINCIDENCE_CALIBRATION: Record<string, string> = {
  "ch06-triple": "coincidence: triple",
  "ch06-regime-entropy": "coincidence: regime + entropy",
  "ch06-regime-breakdown": "coincidence: regime + breakdown",
  "ch06-entropy-breakdown": "coincidence: entropy + breakdown"
};

/**
 * Chapter 06: the four coincidence tests, the shuffled control, the planted changes where all
 * three kinds coincide. A coincidence is called significant only when its q-value is at most
 * 0.05 and, where the calibration measured it, its false-positive rate on markets without a
 * crash (no common cause) stays within α + 2 SE; each carries its replication rate over seeds of
 * today's plant. No regime transition: every coincidence is not computed.
 */
export function chapter06Findings(ch06: Chapter06Input): Outcome[] {
  const tol = ch06.settings.toleranceMin;
  const out: Outcome[] = COINCIDENCE_FINDINGS.map((c) => {
    const row = testRow(ch06, c.test);
    if (row.events === 0) return notComputed(c.id, "06", c.title, `there is no ${EVENT_LABELS[row.reference]} to test`);
    const others = row.others.map(withArticle).join(" and ");
    const claim = COINCIDENCE_CALIBRATION[c.id];
    const fp = claim ? calibrationRow(claim, "false-positive rate") : null;
    // Significant only where the calibration measured the test's false-positive rate on null
    // markets and it held, and where the coincidence survives conditioning on the common cause
    // (random times within the same volatility regime).
    const conditioned = row.pConditioned === undefined || !Number.isFinite(row.pConditioned) ? null : row.pConditioned;
    const significant = row.qValue <= 0.05 && fp !== null && fp.holds === true && conditioned !== null && conditioned <= 0.05;
    const verdict =
      row.qValue > 0.05
        ? "not significant"
        : conditioned !== null && conditioned > 0.05
          ? `not significant once conditioned on the common cause: random times within the same volatility regime meet them as often (p = ${formatNumber(conditioned, 3)})`
          : significant
            ? `significant, also within the same volatility regime (p = ${formatNumber(conditioned!, 3)})`
            : fp === null
              ? "below 0.05 here, but not a calibrated result: no null market has measured this test's false-positive rate"
              : !fp.holds
                ? `not a calibrated result (significant on ${falsePositiveText(fp)})`
                : "not computed within the volatility regimes, so not a calibrated result";
    return withReplication(
      finding("06", c.title, `${ch06.surrogates} shuffles of the ${EVENT_LABELS[row.reference]} times, also within each volatility regime; Benjamini–Hochberg over four tests`, coincidenceValue(c.id, c.noun, row), (shown) =>
        `Within ±${tol} min, ${shown} met ${others}, against ${formatNumber(row.nullMean, 2)} expected by chance (Benjamini–Hochberg q = ${formatNumber(row.qValue, 3)}: ${verdict}).`
      ),
      claim ? phaseReplication(claim) : null
    );
  });
  const c = ch06.control;
  const fpTriple = calibrationRow("coincidence: triple", "false-positive rate");
  if (c.times.length === 0) out.push(notComputed("ch06-control", "06", "Shuffled control: random times met by an entropy drop and a breakdown", "there is no regime transition to replace by random times"));
  else
    out.push(
      finding("06", "Shuffled control: random times met by an entropy drop and a breakdown", `${ch06.surrogates} shuffles; ${c.runs} controls`, controlValue({count: c.count, events: c.times.length, pValue: c.pValue}), (shown) =>
        `With the regime transitions replaced by random times, the triple coincidence finds ${shown}` +
          (c.runs > 0 ? `; of ${c.runs} such controls ${formatNumber(100 * c.share, 1)} % come out significant at 5 % (random times against a random-times null: this checks the Monte Carlo, not the claim)` : "") +
          (fpTriple ? `; the control that can fail — the same detectors on markets without a crash — found the triple coincidence significant on ${falsePositiveText(fpTriple)}.` : ".")
      )
    );
  const plantedTitle = "Planted changes where all three kinds of events coincide";
  const planted = ch06.planted;
  const all = planted?.tests.find((t) => t.kinds.length === 3);
  if (planted && all && all.events > 0)
    out.push(
      finding("06", plantedTitle, `${ch06.surrogates} random placements of the planted times`, {id: "ch06-planted", value: all.count, unit: `of ${all.events} planted changes`, digits: 0, interval: null, pValue: all.pValue}, (shown) =>
        `At ${shown} a regime transition, an entropy drop and a metastability breakdown all lie within ±${tol} min of the planted time: ${planted.events.filter((e) => e.coincident).map((e) => e.name).join(", ") || "none"}.`
      )
    );
  else out.push(notComputed("ch06-planted", "06", plantedTitle, planted ? "no crash was planted: there are no planted changes" : REAL));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** The report's figure data from the chapters' results. */
export function reportFigures({truth, ch03, ch04, ch05, ch06}: FindingsResults): Findings["figures"] {
  const v = ch04.changes.volatility;
  return {
    leaders: ch03.periods.flatMap((p) =>
      Object.entries(p.matrices["price-flow"].score).map(([venue, score]) => ({period: periodLabel(p.id), venue: venue as Venue, score, planted: p.planted?.leader ?? null}))
    ),
    volatility: {
      blockSec: v.blockSec,
      t: v.t,
      values: roundNumbers(v.values, 5),
      changes: v.candidates.filter((_, i) => v.p[i] <= ch04.settings.alpha),
      planted: ((c) => (c ? [c.crashStart, c.crashEnd, c.recoveryEnd] : []))(crashEvents(truth))
    },
    escapes: ch05.kramers.regimes?.map((r) => ({name: r.name, meanTime: r.meanTime, low: r.low, high: r.high, planted: r.plantedMeanTime})) ?? null,
    events: {
      regime: ch06.events.regime.times,
      entropy: ch06.events.entropy.times,
      breakdown: ch06.events.breakdown.times,
      coincident: testRow(ch06, "triple").coincident,
      toleranceMin: ch06.settings.toleranceMin
    }
  };
}

/** The top-level `leaders` of findings.json: one entry per analysis, period and bin width. */
export function leaderEntries(leaders: readonly LeaderOutcome[]): LeaderEntry[] {
  return leaders.map((o) => ({analysis: o.analysis, period: o.period, binMs: o.binMs, leader: o.leader, p: o.p, markets: o.venues}));
}

/**
 * The headline findings of every chapter, in chapter order, the report's figure data and the
 * findings that could not be computed (with the reason), from the chapters' results and the
 * description of the data `source` (see {@link findingsSource}).
 */
export function computeFindings(results: FindingsResults, source: FindingsSource): Findings {
  const outcomes = [
    ...chapter01Findings(results.manifest),
    ...chapter02Findings(results.ch02, results.calibration ?? NO_CALIBRATION),
    ...chapter03Findings(results.ch03, results.calibration ?? NO_CALIBRATION),
    ...chapter04Findings(results.ch04),
    ...chapter05Findings(results.ch05),
    ...chapter06Findings(results.ch06)
  ];
  return {
    data: source,
    findings: outcomes.filter(isFinding),
    figures: reportFigures(results),
    leaders: leaderEntries(results.ch03.leaders),
    flow: {definition: results.ch03.flow ?? DEFAULT_FLOW, label: FLOW_LABELS[results.ch03.flow ?? DEFAULT_FLOW]},
    notComputed: outcomes.filter((o): o is NotComputed => !isFinding(o))
  };
}

// ---------------------------------------------------------------------------------------------
// The report's leader sentences, chosen by the calibrated outcome

/** The calibrated leader entries of the perpetuals (analysis A) at the TE channel's bin width, by period. */
function perpetualLeaders(f: Pick<Findings, "leaders">): {calm: LeaderEntry | null; crash: LeaderEntry | null} {
  const A = f.leaders.filter((l) => l.analysis === "A");
  return {calm: A.find((l) => l.period === "before-crash") ?? A.find((l) => l.period === "full") ?? A[0] ?? null, crash: A.find((l) => l.period === "crash") ?? null};
}

/**
 * The report abstract's leadership sentence: the calibrated leader of the perpetuals in calm hours
 * and in the crash (a flip, no flip, one period only, or none), each branch worded from
 * findings.json's `leaders`; never a leader the rule did not name.
 */
export function abstractLeaderSentence(f: Pick<Findings, "leaders">): string {
  const {calm, crash} = perpetualLeaders(f);
  const L = (e: LeaderEntry) => venueLabel(e.leader!);
  const p = (e: LeaderEntry) => `rule p = ${formatNumber(e.p, 3)}`;
  if (!calm) return "No leader of price discovery was tested: the build has fewer than two perpetuals.";
  const calmWords = calm.period === "full" ? "over the span" : "in calm hours";
  if (!crash) return calm.leader ? `The calibrated leader rule names ${L(calm)} as the leader of price discovery among the perpetuals ${calmWords} (${p(calm)}).` : `The calibrated leader rule finds no leader of price discovery among the perpetuals ${calmWords} (${p(calm)}).`;
  if (calm.leader && crash.leader)
    return calm.leader === crash.leader
      ? `The calibrated leader rule names ${L(calm)} as the leader of price discovery among the perpetuals both in calm hours (${p(calm)}) and during the crash (${p(crash)}): no flip.`
      : `The calibrated leader rule names ${L(calm)} as the leader of price discovery among the perpetuals in calm hours (${p(calm)}) and ${L(crash)} during the crash (${p(crash)}): the leadership flips.`;
  if (calm.leader) return `The calibrated leader rule names ${L(calm)} as the leader of price discovery among the perpetuals in calm hours (${p(calm)}) but finds no leader during the crash (${p(crash)}): whether leadership flips is inconclusive.`;
  if (crash.leader) return `The calibrated leader rule finds no leader among the perpetuals in calm hours (${p(calm)}) and names ${L(crash)} during the crash (${p(crash)}): whether leadership flips is inconclusive.`;
  return `The calibrated leader rule finds no leader of price discovery among the perpetuals, in calm hours (${p(calm)}) or during the crash (${p(crash)}).`;
}

/** The report's trading implication about the reference price, chosen by the calibrated outcome, with the deciding lead of the named leader (chapter 03's finding values). */
export function tradingLeaderSentence(f: Pick<Findings, "leaders" | "findings">): string {
  const {calm, crash} = perpetualLeaders(f);
  const value = (id: string) => f.findings.find((x) => x.id === id) ?? null;
  const lead = (id: string) => {
    const x = value(id);
    return x && x.interval ? `its weakest lead ${formatNumber(x.value, 0)} ms [${formatNumber(x.interval[0], 0)}, ${formatNumber(x.interval[1], 0)}]` : "its lead";
  };
  const calmId = calm?.period === "full" ? "ch03-leader" : "ch03-leader-calm";
  if (!calm) return "The trading implication about a reference price cannot be stated: the build has fewer than two perpetuals.";
  if (calm.leader && crash?.leader && crash.leader !== calm.leader)
    return `The trading implication is that a cross-venue desk should take its reference price from ${venueLabel(calm.leader)} in calm hours (${lead(calmId)}) and switch to ${venueLabel(crash.leader)} when volatility breaks out (${lead("ch03-leader-crash")}), since the calibrated leader changes with the regime.`;
  if (calm.leader && (!crash || crash.leader === calm.leader))
    return `The trading implication is that a cross-venue desk can take its reference price from ${venueLabel(calm.leader)} (${lead(calmId)})${crash ? ", in calm hours and in the crash" : ""}.`;
  if (calm.leader || crash?.leader)
    return "The trading implication is that no fixed reference venue is supported: the calibrated rule names a leader in one period only, so the evidence for a reference price is inconclusive.";
  return "The trading implication is that no venue should be treated as the reference price on this evidence: the calibrated rule finds no leader among the perpetuals.";
}
