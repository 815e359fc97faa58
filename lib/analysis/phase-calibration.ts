/**
 * The measured calibration of the claims of chapters 04 and 06 (`npm run calibrate -- --phase`,
 * scripts/calibrate-phase.ts), as the generated record `phase-calibration-record.ts` holds it, and
 * the helpers that let the generated text choose its sentence by the calibrated outcome: a claim
 * is printed as significant only when its false-positive rate on its null stays within
 * α + 2 SE, and a finding carries its replication rate over the seeds of today's plant.
 */
import {PHASE_CALIBRATION_RECORD} from "./phase-calibration-record.js";

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

/** Share of seeds of today's plant a key finding must replicate on (8 of 10). */
export const REPLICATION_THRESHOLD = 0.8;

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

/** Whether a replication row reaches {@link REPLICATION_THRESHOLD}. */
export function replicates(row: Pick<PhaseCalibrationRate, "count" | "total"> | null): boolean {
  return row !== null && row.total > 0 && row.count / row.total >= REPLICATION_THRESHOLD;
}

/**
 * The clause a finding ends with: "replicates in k of n seeds of today's plant" or "does not
 * replicate: k of n seeds of today's plant", or "replication not measured" without a row.
 */
export function replicationText(row: Pick<PhaseCalibrationRate, "count" | "total"> | null): string {
  if (!row || row.total === 0) return "replication not measured (npm run calibrate -- --phase)";
  return `${replicates(row) ? "replicates in" : "does not replicate:"} ${seedsText(row)} of today's plant`;
}
