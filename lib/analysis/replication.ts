/**
 * Replication over seeds of the default plant: the one record every chapter's findings read and
 * the one rule that judges it. A claim "replicates" when it held on at least
 * {@link REPLICATION_THRESHOLD} of the seeds tried; a finding carries its rate
 * (`Finding.replication`, the clause of {@link replicationText}), and `npm run findings` moves every
 * finding that does not replicate out of the README's key findings, whatever its chapter.
 *
 * The counts come from the two calibrations that measure them: chapters 02 and 05 from
 * `npm run calibrate` (scripts/calibrate-metastability.ts writes {@link REPLICATION} below with
 * `--write-replication`; do not edit the numbers by hand), chapters 04 and 06 from
 * `npm run calibrate -- --phase` (lib/analysis/phase-calibration-record.ts, read through
 * `calibrationRow` of lib/analysis/phase-calibration.ts). Both reach a finding as one
 * {@link SeedReplication}.
 */

/** Share of seeds of the default plant a key finding must replicate on (8 of 10). */
export const REPLICATION_THRESHOLD = 0.8;

/** How often one claim held: on `count` of `total` seeds; what "held" means; on which markets. */
export interface SeedReplication {
  count: number;
  total: number;
  criterion?: string;
  markets?: string;
}

/** Whether a replication reaches {@link REPLICATION_THRESHOLD} (false when none was measured). */
export function replicates(r: Pick<SeedReplication, "count" | "total"> | null | undefined): boolean {
  return !!r && r.total > 0 && r.count / r.total >= REPLICATION_THRESHOLD;
}

/**
 * The clause a finding ends with: "replicates in k of n seeds of the default plant (criterion,
 * markets)" or "does not replicate: k of n seeds of the default plant (…)"; "replication not
 * measured (npm run calibrate)" without a measurement.
 */
export function replicationText(r: SeedReplication | null | undefined): string {
  if (!r || !(r.total > 0)) return "replication not measured (npm run calibrate)";
  const what = r.criterion || r.markets ? ` (${[r.criterion, r.markets].filter(Boolean).join("; ")})` : "";
  return `${replicates(r) ? "replicates in" : "does not replicate:"} ${r.count} of ${r.total} seeds of the default plant${what}`;
}

/** One finding's entry of {@link REPLICATION}: the claim held on `replicated` of `seeds` markets. */
export interface Replication {
  replicated: number;
  seeds: number;
  /** What "held" means for this claim. */
  criterion: string;
  /** The markets: span and trade-rate scale. */
  markets: string;
}

/** Replication per finding id (generated). */
export const REPLICATION: Readonly<Record<string, Replication>> = {
  "ch05-levels": {
    "replicated": 1,
    "seeds": 10,
    "criterion": "the level match significant at p < 0.05",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch05-escape-ratio": {
    "replicated": 6,
    "seeds": 10,
    "criterion": "the ratio above the pure-diffusion walks at p < 0.05",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch05-kramers-slope": {
    "replicated": 0,
    "seeds": 10,
    "criterion": "the slope above the pure-diffusion walks at p < 0.05",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch02-sign-exponent": {
    "replicated": 9,
    "seeds": 10,
    "criterion": "Binance's interval covering the planted exponent",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch02-size-tail": {
    "replicated": 10,
    "seeds": 10,
    "criterion": "Binance's interval covering the planted tail exponent",
    "markets": "24 h at 0.1 of the trade rates"
  }
};

/** The {@link SeedReplication} of finding `id` in the table written by scripts/calibrate-metastability.ts, or null when none was measured. */
export function tableReplication(id: string, table: Readonly<Record<string, Replication>> = REPLICATION): SeedReplication | null {
  const r = table[id];
  if (!r || !(r.seeds > 0)) return null;
  return {count: r.replicated, total: r.seeds, criterion: r.criterion, markets: r.markets};
}
