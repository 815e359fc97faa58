import test from "node:test";
import assert from "node:assert/strict";
import {CLAIMS, claimCalibration, meetsTarget, type ClaimRate} from "../../../lib/analysis/claim-calibration.js";

const row = (measure: ClaimRate["measure"], count: number, total: number, target: string, population = "pairs with equal delays"): ClaimRate => ({
  claim: CLAIMS.miLag,
  measure,
  population,
  count,
  total,
  rate: count / total,
  interval: [0, 0.1],
  target
});

test("meetsTarget: ≤ p %, ≤ p % + 2 SE (binomial SE at the target and n), ≥ p %; null without a target", () => {
  assert.equal(meetsTarget({target: "≤ 5 %", rate: 0.05, total: 100}), true);
  assert.equal(meetsTarget({target: "≤ 5 %", rate: 0.051, total: 100}), false);
  // 5 % + 2·√(0.05·0.95/1440) = 6.15 %.
  assert.equal(meetsTarget({target: "≤ 5 % + 2 SE", rate: 0.061, total: 1440}), true);
  assert.equal(meetsTarget({target: "≤ 5 % + 2 SE", rate: 0.062, total: 1440}), false);
  assert.equal(meetsTarget({target: "≥ 95 %", rate: 0.94, total: 60}), false);
  assert.equal(meetsTarget({target: "", rate: 0.5, total: 10}), null);
  assert.equal(meetsTarget({target: "≤ 5 %", rate: null, total: 10}), null);
});

test("claimCalibration words a claim by the stored calibration: calibrated, not calibrated, or none for this code", () => {
  const ok = claimCalibration({state: "current", rates: [row("false positive", 1, 100, "≤ 5 % + 2 SE"), row("power", 50, 50, "", "pairs ≥ 100 ms apart: the right direction")]}, CLAIMS.miLag, "The MI lag");
  assert.equal(ok.calibrated, true);
  assert.match(ok.words, /^The MI lag is calibrated on simulated markets without lead–lag: stated for 1 of 100 pairs with equal delays: 1\.0 % \[/);
  assert.match(ok.words, /it found 50 of 50 pairs ≥ 100 ms apart: the right direction: 100\.0 %/);
  const bad = claimCalibration({state: "current", rates: [row("false positive", 30, 100, "≤ 5 % + 2 SE")]}, CLAIMS.miLag, "The MI lag");
  assert.equal(bad.calibrated, false);
  assert.match(bad.words, /is not calibrated: on simulated markets it was stated for 30 of 100 pairs with equal delays: 30\.0 % .* above its target \(≤ 5 % \+ 2 SE\)/);
  const stale = claimCalibration({state: "stale", rates: [row("false positive", 0, 100, "≤ 5 %")]}, CLAIMS.miLag, "The MI lag");
  assert.equal(stale.calibrated, null);
  assert.match(stale.words, /not calibrated for this code \(the stored calibration was made by other code; run npm run calibrate\)/);
  assert.equal(claimCalibration({state: "missing", rates: []}, CLAIMS.miLag, "x").calibrated, null);
  assert.equal(claimCalibration({state: "current", rates: [row("false positive", 0, 100, "≤ 5 %")]}, CLAIMS.hy02, "x").calibrated, null, "rows of another claim");
});
