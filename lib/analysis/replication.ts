/**
 * How often a finding's claim held over seeds of the default plant, as measured by
 * `npm run calibrate` (scripts/calibrate-metastability.ts writes this file with
 * `--write-replication`; do not edit the numbers by hand). A finding printed from a simulated
 * build carries its rate, so that a reader sees whether one seed's sentence is typical.
 */

/** One finding's replication: the claim held on `replicated` of `seeds` markets. */
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
    "replicated": 7,
    "seeds": 10,
    "criterion": "the ratio above the pure-diffusion walks at p < 0.05",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch05-kramers-slope": {
    "replicated": 1,
    "seeds": 10,
    "criterion": "the slope above the pure-diffusion walks at p < 0.05",
    "markets": "24 h at 0.1 of the trade rates"
  },
  "ch02-sign-exponent": {
    "replicated": 8,
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

/** " Replicates on k of n seeds of the default plant (criterion)." for a finding id, or "" when none was measured. */
export function replicationText(id: string, table: Readonly<Record<string, Replication>> = REPLICATION): string {
  const r = table[id];
  if (!r || !(r.seeds > 0)) return "";
  const verdict = r.replicated / r.seeds >= 0.8 ? "Replicates" : "Does not replicate";
  return ` ${verdict}: ${r.criterion} on ${r.replicated} of ${r.seeds} other seeds of the default plant (${r.markets}).`;
}
