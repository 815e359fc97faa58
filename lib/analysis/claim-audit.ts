/**
 * Every claim type of chapters 02, 04, 05 and 06 against the calibrations that measure it, one
 * row each, for the calibration page: its false-positive rate on a null market that lacks exactly
 * that effect, its power (or, for an estimate, its bias against the planted value) on the plant,
 * and its replication over seeds of the default plant — each a count with a 95 % interval, read
 * from the two committed records (`npm run calibrate -- --phase`: lib/analysis/phase-calibration-record.ts;
 * `npm run calibrate`: lib/analysis/metastability-calibration-record.ts). A measure that no record
 * holds is named in `missing`, and one that cannot be measured says why in its cell's `note`.
 * Pure: no I/O.
 */
import {METASTABILITY_CALIBRATION_RECORD} from "./metastability-calibration-record.js";
import type {MetastabilityCalibrationRecord, MetastabilityBias, MetastabilityRate} from "./metastability-calibration.js";
import {PHASE_CALIBRATION_RECORD} from "./phase-calibration-record.js";
import {calibrationRow, type PhaseCalibrationRate, type PhaseCalibrationRecord} from "./phase-calibration.js";
import {wilsonInterval} from "../binomial-test.js";
import {REPLICATION_THRESHOLD, tableReplication} from "./replication.js";

/** Fewest seeds of the default plant a replication row needs. */
export const MIN_REPLICATION_SEEDS = 10;

/** One measure of one claim type: a count of markets with its 95 % interval, or a bias with its interval. */
export interface AuditCell {
  /** "k of n <population>" or "bias b ± se (planted p), interval covers on k of n". */
  text: string;
  count: number | null;
  total: number | null;
  /** The rate (or the bias) and its 95 % interval. */
  value: number | null;
  low: number | null;
  high: number | null;
  /** False-positive rates: whether rate ≤ α + 2 SE; replication: whether ≥ 8 of 10; else null. */
  holds: boolean | null;
  /** Which record the cell comes from. */
  source: "phase" | "metastability";
}

/** One claim type of the list, with its three measures. */
export interface ClaimAuditRow {
  chapter: "02" | "04" | "05" | "06";
  claim: string;
  falsePositive: AuditCell | null;
  /** Power on the plant, or bias against the planted value for an estimate. */
  powerOrBias: AuditCell[];
  replication: AuditCell | null;
  /** Why a measure is not applicable (not a gap: e.g. an estimate has no false positive). */
  notes: string[];
  /** The measures no record holds (gaps to fill by running a calibration). */
  missing: string[];
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? "n/a" : `${(100 * x).toFixed(0)} %`);
const num = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? "n/a" : x.toFixed(d));

function phaseCell(r: PhaseCalibrationRate | null): AuditCell | null {
  if (!r || !(r.total > 0)) return null;
  const holds = r.measure === "replication" ? r.count / r.total >= REPLICATION_THRESHOLD : r.holds;
  return {text: `${r.count} of ${r.total} ${r.population}: ${pct(r.rate)} [${pct(r.low)}, ${pct(r.high)}]`, count: r.count, total: r.total, value: r.rate, low: r.low, high: r.high, holds, source: "phase"};
}

function metaCell(r: MetastabilityRate | undefined): AuditCell | null {
  if (!r || !(r.n > 0)) return null;
  const holds = r.measure === "false positive" ? (r.rate ?? 1) <= 0.05 + 2 * Math.sqrt((0.05 * 0.95) / r.n) : r.measure === "replication" ? r.hits / r.n >= REPLICATION_THRESHOLD : null;
  return {text: `${r.hits} of ${r.n} ${r.markets} markets (${r.measure}): ${pct(r.rate)} [${pct(r.low)}, ${pct(r.high)}]`, count: r.hits, total: r.n, value: r.rate, low: r.low, high: r.high, holds, source: "metastability"};
}

/** The replication of finding `id` in lib/analysis/replication.ts (written by the same metastability calibration), with its 95 % Wilson interval. */
function tableCell(id: string): AuditCell | null {
  const r = tableReplication(id);
  if (!r) return null;
  const [low, high] = wilsonInterval(r.count, r.total);
  return {text: `${r.count} of ${r.total} seeds of the default plant (${r.criterion}): ${pct(r.count / r.total)} [${pct(low)}, ${pct(high)}]`, count: r.count, total: r.total, value: r.count / r.total, low, high, holds: r.count / r.total >= REPLICATION_THRESHOLD, source: "metastability"};
}

function biasCell(b: MetastabilityBias | undefined): AuditCell | null {
  if (!b || !(b.estimates > 0)) return null;
  const sign = (x: number | null) => (x === null || !Number.isFinite(x) ? "n/a" : `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x).toFixed(3)}`);
  return {
    text: `${b.claim}: mean ${num(b.mean)} against the planted ${num(b.planted, 2)}, bias ${sign(b.bias)} ± ${num(b.se)} [${sign(b.low)}, ${sign(b.high)}]; its interval covers the planted value on ${b.covered} of ${b.estimates} seeds [${pct(b.coverageLow)}, ${pct(b.coverageHigh)}]`,
    count: b.covered,
    total: b.estimates,
    value: b.bias,
    low: b.low,
    high: b.high,
    holds: null,
    source: "metastability"
  };
}

/**
 * The audit of every claim type (the list: early warning, each change-point detector,
 * regime label and advice, metastable-level match, Kramers slope, escape-rate ratio, S/R fade,
 * each coincidence, sign-ACF exponent, Hill tail) against `phase` and `meta`.
 */
export function claimAudit(phase: PhaseCalibrationRecord | null = PHASE_CALIBRATION_RECORD, meta: MetastabilityCalibrationRecord | null = METASTABILITY_CALIBRATION_RECORD): ClaimAuditRow[] {
  const row = (claim: string, measure: PhaseCalibrationRate["measure"], population?: string) => phaseCell(calibrationRow(claim, measure, population, phase));
  const mrate = (claim: string, markets: string, measure: string) => metaCell(meta?.rates.find((r) => r.claim === claim && r.markets === markets && r.measure === measure));
  const mbias = (prefix: string) => (meta?.bias ?? []).filter((b) => b.claim === prefix || b.claim.startsWith(`${prefix} `)).map(biasCell).filter((c): c is AuditCell => c !== null);
  const rows: Omit<ClaimAuditRow, "missing">[] = [
    {
      chapter: "04",
      claim: "early warning (variance trend before the transition)",
      falsePositive: row("early warning", "false-positive rate"),
      powerOrBias: [],
      replication: row("early warning", "false-positive rate"),
      notes: ["power: not measurable — the simulator plants no build-up before its crash, so there is no warning to find", "replication: a significant warning on today's plant, which has no build-up (the false-positive row)"]
    },
    {chapter: "04", claim: "change point: volatility detector", falsePositive: row("volatility change point", "false-positive rate"), powerOrBias: [row("volatility change point", "power")].filter((c): c is AuditCell => c !== null), replication: row("crash start found by volatility", "replication"), notes: []},
    {chapter: "04", claim: "change point: entropy detector", falsePositive: row("entropy change point", "false-positive rate"), powerOrBias: [row("entropy change point", "power")].filter((c): c is AuditCell => c !== null), replication: row("entropy change point", "power"), notes: ["replication: the power row, counted on the seeds of today's plant"]},
    {chapter: "04", claim: "regime transition (volatility change points, chapter 06's events)", falsePositive: row("regime transition", "false-positive rate"), powerOrBias: [row("crash start found by volatility", "replication")].filter((c): c is AuditCell => c !== null), replication: row("crash start found by volatility", "replication"), notes: []},
    {
      chapter: "04",
      claim: "regime label and its sizing advice",
      falsePositive: row("regime label validated", "replication", "no-crash"),
      powerOrBias: [row("regime label validated", "replication", "planted")].filter((c): c is AuditCell => c !== null),
      replication: row("regime label validated", "replication", "planted"),
      notes: ["false positive: the label validated on markets without a crash; advice is printed only when the label validates and replicates"]
    },
    {chapter: "05", claim: "metastable-level match", falsePositive: mrate("ch05-levels (binomial p < 0.05)", "no wells", "false positive"), powerOrBias: [mrate("ch05-levels (binomial p < 0.05)", "default plant", "replication")].filter((c): c is AuditCell => c !== null), replication: mrate("ch05-levels (binomial p < 0.05)", "default plant", "replication"), notes: []},
    {
      chapter: "05",
      claim: "Kramers slope",
      falsePositive: mrate("ch05-kramers-slope beats diffusion null", "no wells", "false positive"),
      powerOrBias: [...mbias("ch05-kramers-slope"), mrate("ch05-kramers-slope interval covers 1", "default plant", "coverage")].filter((c): c is AuditCell => c !== null),
      replication: mrate("ch05-kramers-slope beats diffusion null", "default plant", "replication"),
      notes: []
    },
    {chapter: "05", claim: "escape-rate ratio (hot against cold)", falsePositive: mrate("ch05-escape-ratio beats diffusion null", "no wells", "false positive"), powerOrBias: [mrate("ch05-escape-ratio beats diffusion null", "default plant", "replication")].filter((c): c is AuditCell => c !== null), replication: mrate("ch05-escape-ratio beats diffusion null", "default plant", "replication"), notes: []},
    {chapter: "05", claim: "support/resistance fade", falsePositive: mrate("ch05-fade (Holm, cost-positive edge)", "no wells", "false positive"), powerOrBias: [mrate("ch05-fade (Holm, cost-positive edge)", "default plant", "replication")].filter((c): c is AuditCell => c !== null), replication: mrate("ch05-fade (Holm, cost-positive edge)", "default plant", "replication"), notes: []},
    ...(["triple", "regime + entropy", "regime + breakdown", "entropy + breakdown"] as const).map((name) => ({
      chapter: "06" as const,
      claim: `coincidence: ${name}`,
      falsePositive: row(`coincidence: ${name}, within regimes`, "false-positive rate") ?? row(`coincidence: ${name}`, "false-positive rate"),
      powerOrBias: [row(`coincidence: ${name}`, "replication")].filter((c): c is AuditCell => c !== null),
      replication: row(`coincidence: ${name}, within regimes`, "replication") ?? row(`coincidence: ${name}`, "replication"),
      notes: ["a coincidence is called significant only when it also holds within the volatility regimes (the rows shown)"]
    })),
    {
      chapter: "06",
      claim: "entropy drop as a trading signal (page 03's event study, chapter 06's event kind)",
      falsePositive: row("entropy drop adds directional accuracy", "false-positive rate"),
      powerOrBias: [row("entropy drop adds directional accuracy", "replication")].filter((c): c is AuditCell => c !== null),
      replication: row("entropy drop adds directional accuracy", "replication"),
      notes: []
    },
    {
      chapter: "02",
      claim: "sign-ACF exponent",
      falsePositive: null,
      powerOrBias: mbias("ch02-sign-exponent"),
      replication: tableCell("ch02-sign-exponent"),
      notes: ["false positive: not applicable — an estimate, not a detection; its bias against the planted exponent is the measure"]
    },
    {
      chapter: "02",
      claim: "Hill tail exponent",
      falsePositive: null,
      powerOrBias: mbias("ch02-hill"),
      replication: tableCell("ch02-size-tail"),
      notes: ["false positive: not applicable — an estimate, not a detection; its bias against the planted tail exponent is the measure"]
    }
  ];
  return rows.map((r) => {
    const missing: string[] = [];
    const estimate = r.falsePositive === null && r.notes.some((n) => n.startsWith("false positive: not applicable"));
    if (!r.falsePositive && !estimate) missing.push("false-positive rate on its null");
    if (!r.powerOrBias.length && !r.notes.some((n) => n.startsWith("power: not measurable"))) missing.push(estimate ? "bias against the planted value" : "power on the plant");
    const seeds = r.replication?.total ?? 0;
    if (!(seeds >= MIN_REPLICATION_SEEDS)) missing.push(`replication over at least ${MIN_REPLICATION_SEEDS} seeds`);
    return {...r, missing};
  });
}
