/**
 * The names under which `npm run calibrate` (scripts/calibrate.ts) stores the rates of the claim
 * types whose wording the pages and findings choose by their calibration
 * (lib/analysis/claim-calibration.ts). Kept apart so that the sentences can change without
 * changing the calibration's code key.
 */
/** The claim types whose direction the workbook states, as scripts/calibrate.ts names them. */
export const CLAIMS = {
  /** Chapter 02's Hayashi–Yoshida lead of a pair (16-block scan, interval excludes 0). */
  hy02: "chapter 02 HY lead per pair (16-block scan, interval excludes 0)",
  /** Chapter 03's lag of largest shared information of a pair (non-zero, shuffle p ≤ α). */
  miLag: "MI lag per pair (lag of largest shuffle-corrected MI, non-zero, shuffle p ≤ α)",
  /** Chapter 02's information-share leader, stated only where the leader rule names the same venue. */
  shareLeader: "information-share leader as page 02 states it (largest IS midpoint, only where the rule names it)"
} as const;
