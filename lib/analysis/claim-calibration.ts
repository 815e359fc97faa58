/**
 * The calibration of one claim type in words: whether a stored rate of `npm run calibrate`
 * (scripts/calibrate.ts; claim names in lib/analysis/claim-names.ts) meets its target, and the
 * sentence that pages and findings print beside a claim — chosen by the stored calibration of
 * the current code ("calibrated", "not calibrated: …", or "not calibrated for this code").
 *
 * A false-positive rate r of n meets "≤ p %" when r ≤ p/100 and "≤ p % + 2 SE" when
 * r ≤ p/100 + 2·√(p/100·(1 − p/100)/n) (the binomial standard error at the target); a power meets
 * "≥ p %" when r ≥ p/100. A claim type is calibrated when every false-positive row of it meets
 * its target in a calibration of the current code. Pure: no I/O.
 */
export {CLAIMS} from "./claim-names.js";

/** One stored rate of the calibration page's data (loaders/chapters/calibration.ts `CalibrationRate` is this type). */
export interface ClaimRate {
  claim: string;
  measure: "false positive" | "power";
  population: string;
  count: number;
  total: number;
  rate: number | null;
  interval: [number | null, number | null];
  target: string;
}

/** Whether a rate meets its target; null without a target or without data. */
export function meetsTarget(r: Pick<ClaimRate, "target" | "rate" | "total">): boolean | null {
  const m = /^([≤≥]) ([\d.]+) %( \+ 2 SE)?$/.exec(r.target ?? "");
  if (!m || r.rate === null || !Number.isFinite(r.rate) || !r.total) return null;
  const p = Number(m[2]) / 100;
  const bound = m[3] ? p + 2 * Math.sqrt((p * (1 - p)) / r.total) : p;
  return m[1] === "≤" ? r.rate <= bound + 1e-12 : r.rate >= bound - 1e-12;
}

/** What the stored calibration says about one claim type. */
export interface ClaimCalibration {
  /** true: every false-positive row meets its target; false: one does not; null: no calibration of this code or no row. */
  calibrated: boolean | null;
  /** The claim's false-positive rows and power rows. */
  falsePositives: ClaimRate[];
  power: ClaimRate[];
  /** One sentence for the page or the finding. */
  words: string;
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? "n/a" : `${(100 * x).toFixed(1)} %`);

/** "k of n <population>: r [lo, hi]". */
function rateWords(r: ClaimRate): string {
  return `${r.count} of ${r.total} ${r.population}: ${pct(r.rate)} [${pct(r.interval[0])}, ${pct(r.interval[1])}]`;
}

/**
 * The calibration of `claim` (a value of `CLAIMS`, lib/analysis/claim-names.ts) in the calibration page's data: `state`
 * "current" (made by this code), "stale" or "missing", and the stored rates. `what` names the
 * claim in the sentence (e.g. "a resolved HY lead").
 */
export function claimCalibration(cal: {state: string; rates: readonly ClaimRate[]}, claim: string, what: string): ClaimCalibration {
  const rows = cal.rates.filter((r) => r.claim === claim && r.total > 0);
  const falsePositives = rows.filter((r) => r.measure === "false positive");
  const power = rows.filter((r) => r.measure === "power");
  if (cal.state !== "current" || !falsePositives.length) {
    const why = cal.state === "stale" ? "the stored calibration was made by other code" : cal.state === "missing" ? "no calibration is stored" : "the calibration has no rows for it";
    return {calibrated: null, falsePositives, power, words: `${what} is not calibrated for this code (${why}; run npm run calibrate), so it is descriptive here.`};
  }
  const failed = falsePositives.filter((r) => meetsTarget(r) === false);
  const fp = falsePositives[0];
  const pw = power[0];
  const powerWords = pw ? `; it found ${rateWords(pw)}` : "";
  if (failed.length)
    return {
      calibrated: false,
      falsePositives,
      power,
      words: `${what} is not calibrated: on simulated markets it was stated for ${rateWords(failed[0])}, above its target (${failed[0].target}), so it is descriptive here and names no direction.`
    };
  return {calibrated: true, falsePositives, power, words: `${what} is calibrated on simulated markets without lead–lag: stated for ${rateWords(fp)}${powerWords} (Calibration page).`};
}
