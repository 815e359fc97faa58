// Every claim type of chapters 02, 04, 05 and 06 has, in the committed calibration records, a
// false-positive rate on its null (or a stated reason it has none), a power or bias row on the
// plant, and a replication over at least 10 seeds of the default plant; a record that lacks a row
// shows as a gap.
import test from "node:test";
import assert from "node:assert/strict";
import {claimAudit, MIN_REPLICATION_SEEDS} from "../../../lib/analysis/claim-audit.ts";
import {PHASE_CALIBRATION_RECORD} from "../../../lib/analysis/phase-calibration-record.ts";
import {METASTABILITY_CALIBRATION_RECORD} from "../../../lib/analysis/metastability-calibration-record.ts";

const TYPES = [
  /^early warning/,
  /^change point: volatility/,
  /^change point: entropy/,
  /^regime label and its sizing advice/,
  /^metastable-level match/,
  /^Kramers slope/,
  /^escape-rate ratio/,
  /^support\/resistance fade/,
  /^coincidence: triple/,
  /^coincidence: regime \+ entropy/,
  /^coincidence: regime \+ breakdown/,
  /^coincidence: entropy \+ breakdown/,
  /^entropy drop/,
  /^sign-ACF exponent/,
  /^Hill tail/
];

test("the audit lists every claim type of the issue's list once", () => {
  const claims = claimAudit().map((r) => r.claim);
  for (const re of TYPES) assert.equal(claims.filter((c) => re.test(c)).length, 1, `${re} in ${claims.join(" | ")}`);
});

test("every claim type has its false-positive, power or bias, and replication rows in the committed records, with intervals", () => {
  assert.ok(PHASE_CALIBRATION_RECORD, "a phase calibration record (npm run calibrate -- --phase)");
  assert.ok(METASTABILITY_CALIBRATION_RECORD, "a metastability calibration record (npm run calibrate)");
  for (const r of claimAudit()) {
    assert.deepEqual(r.missing, [], `${r.claim}: missing ${r.missing.join(", ")}`);
    for (const c of [r.falsePositive, ...r.powerOrBias, r.replication].filter((x) => x !== null)) {
      assert.ok(c.low !== null && c.high !== null && c.low <= c.high, `${r.claim}: an interval in ${c.text}`);
      assert.doesNotMatch(c.text, /NaN|undefined/, c.text);
    }
    if (r.replication) assert.ok(r.replication.total! >= MIN_REPLICATION_SEEDS, `${r.claim}: ${r.replication.total} seeds`);
  }
});

test("a record without a claim's rows shows that claim's gaps", () => {
  assert.ok(PHASE_CALIBRATION_RECORD);
  const phase = {...PHASE_CALIBRATION_RECORD, rates: PHASE_CALIBRATION_RECORD.rates.filter((r) => !r.claim.startsWith("coincidence: regime + breakdown"))};
  const row = claimAudit(phase, METASTABILITY_CALIBRATION_RECORD).find((r) => r.claim === "coincidence: regime + breakdown")!;
  assert.deepEqual(row.missing, ["false-positive rate on its null", "power on the plant", `replication over at least ${MIN_REPLICATION_SEEDS} seeds`]);
  const none = claimAudit(PHASE_CALIBRATION_RECORD, null);
  for (const claim of ["Kramers slope", "sign-ACF exponent", "Hill tail exponent"]) assert.ok(none.find((r) => r.claim === claim)!.missing.length > 0, `${claim} without the metastability record`);
});
