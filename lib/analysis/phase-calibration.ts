/**
 * The measured calibration of the claims of chapters 04 and 06 (`npm run calibrate -- --phase`,
 * scripts/calibrate-phase.ts), as the generated record `phase-calibration-record.ts` holds it, and
 * the helpers that let the generated text choose its sentence by the calibrated outcome: a claim
 * is printed as significant only when its false-positive rate on its null stays within
 * α + 2 SE, and a finding carries its replication rate over the seeds of today's plant.
 */
import {PHASE_CALIBRATION_RECORD} from "./phase-calibration-record.js";
import {REPLICATION_THRESHOLD, replicates, replicationText, type SeedReplication} from "./replication.js";

// The one replication rule and clause of every chapter (lib/analysis/replication.ts), re-exported for the pages that read them here.
export {REPLICATION_THRESHOLD, replicates, replicationText};

/** One row of the phase calibration: a claim's count over its markets, with a 95 % Wilson interval. */
export interface PhaseCalibrationRate {
  claim: string;
  measure: "false-positive rate" | "power" | "replication";
  population: string;
  count: number;
  total: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  /** False-positive rates: whether rate ≤ α + 2 SE, SE = √(α(1 − α)/n); else null. */
  holds: boolean | null;
}

/** The committed record of a phase calibration run. */
export interface PhaseCalibrationRecord {
  generated: string;
  command: string;
  settings: {seeds: number; hours: number; rateScale: number; surrogates: number; seed: number; alpha: number};
  rates: PhaseCalibrationRate[];
}

/** The row of `record` for `claim` and `measure` (the first whose population starts with `population`, when given), or null. */
export function calibrationRow(
  claim: string,
  measure: PhaseCalibrationRate["measure"],
  population?: string,
  record: PhaseCalibrationRecord | null = PHASE_CALIBRATION_RECORD
): PhaseCalibrationRate | null {
  return record?.rates.find((r) => r.claim === claim && r.measure === measure && (population === undefined || r.population.startsWith(population))) ?? null;
}

/** "k of n seeds" of a replication row. */
export function seedsText(row: Pick<PhaseCalibrationRate, "count" | "total">): string {
  return `${row.count} of ${row.total} seeds`;
}

/**
 * The replication row of `claim` (population starting with `population`, when given) as the
 * {@link SeedReplication} every finding carries: criterion = what the row's population says in
 * parentheses, markets = the calibration's span and trade-rate scale; null when not measured.
 */
export function phaseReplication(claim: string, population?: string, record: PhaseCalibrationRecord | null = PHASE_CALIBRATION_RECORD): SeedReplication | null {
  const row = calibrationRow(claim, "replication", population, record);
  if (!row || !(row.total > 0) || !record) return null;
  const criterion = /\((.*)\)$/.exec(row.population)?.[1];
  return {count: row.count, total: row.total, ...(criterion ? {criterion} : {}), markets: `${record.settings.hours} h at ${record.settings.rateScale} of the trade rates`};
}

/** The verdict on an early-warning variance trend ({@link earlyWarningVerdict}). */
export interface EarlyWarningVerdict {
  /** p ≤ α. */
  significant: boolean;
  /** Significant, and the test's false-positive rate on crashes planted without a build-up holds: the only case called an early warning. */
  warning: boolean;
  /** The calibration row of the early-warning test's false-positive rate, or null when not measured. */
  falsePositive: PhaseCalibrationRate | null;
}

/**
 * The one rule of the findings, the report and page 04 for the trend of the rolling variance
 * before a transition (Kendall τ against AR(1) surrogates, one-sided `p`): significant when
 * p ≤ α, and an early warning only when it is significant and the test's measured false-positive
 * rate on markets whose crash was planted without a build-up stays within α + 2 SE.
 */
export function earlyWarningVerdict(p: number, alpha: number, record: PhaseCalibrationRecord | null = PHASE_CALIBRATION_RECORD): EarlyWarningVerdict {
  const falsePositive = calibrationRow("early warning", "false-positive rate", undefined, record);
  const significant = Number.isFinite(p) && p <= alpha;
  return {significant, warning: significant && falsePositive?.holds === true, falsePositive};
}
