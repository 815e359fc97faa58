/**
 * The measured calibration of chapter 05's claims (metastable-level match, Kramers slope,
 * escape-rate ratio, support/resistance fade) and chapter 02's estimates (sign-ACF exponent, Hill
 * tail), as `npm run calibrate` writes it (scripts/calibrate-metastability.ts) to the generated
 * record `metastability-calibration-record.ts`: counts with 95 % Wilson intervals on the default
 * plant (replication, coverage) and on markets without wells (false positives), and each
 * estimate's bias against its planted value (mean ± SE, 95 % normal interval) with the coverage of
 * its own interval. Pure: no I/O.
 */

/** One count of the metastability calibration: `hits` of `n` markets, with a 95 % Wilson interval [low, high]. */
export interface MetastabilityRate {
  /** "ch05-levels (binomial p < 0.05)", "ch05-kramers-slope beats diffusion null", … */
  claim: string;
  /** "default plant" or "no wells". */
  markets: string;
  /** "replication", "false positive" or "coverage". */
  measure: string;
  hits: number;
  n: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

/** One estimate's bias against its planted value over the default-plant markets. */
export interface MetastabilityBias {
  /** "ch05-kramers-slope", "ch02-sign-exponent binance", "ch02-hill okx", … */
  claim: string;
  estimates: number;
  mean: number | null;
  planted: number | null;
  /** mean − planted, its standard error and 95 % interval (bias ± 1.96 SE). */
  bias: number | null;
  se: number | null;
  low: number | null;
  high: number | null;
  /** Markets whose own interval covered the planted value, the share, and its 95 % Wilson interval. */
  covered: number;
  coverage: number | null;
  coverageLow: number | null;
  coverageHigh: number | null;
}

/** The committed record of a metastability calibration run. */
export interface MetastabilityCalibrationRecord {
  generated: string;
  command: string;
  settings: {seeds: number; nulls: number; hours: number; rateScale: number; paths: number; seed: number};
  rates: MetastabilityRate[];
  bias: MetastabilityBias[];
}
