import test from "node:test";
import assert from "node:assert/strict";
import {REPLICATION, REPLICATION_THRESHOLD, replicates, replicationText, tableReplication} from "../../../lib/analysis/replication.js";
import * as phase from "../../../lib/analysis/phase-calibration.js";

test("replicationText(r) says whether a claim held on at least 8 of 10 seeds, and that an unmeasured one was not measured", () => {
  assert.equal(replicationText({count: 8, total: 10, criterion: "the test significant", markets: "24 h"}), "replicates in 8 of 10 seeds of the default plant (the test significant; 24 h)");
  assert.equal(replicationText({count: 7, total: 10}), "does not replicate: 7 of 10 seeds of the default plant");
  assert.equal(replicationText({count: 0, total: 0}), "replication not measured (npm run calibrate)");
  assert.equal(replicationText(null), "replication not measured (npm run calibrate)");
  assert.equal(REPLICATION_THRESHOLD, 0.8);
  assert.ok(replicates({count: 8, total: 10}) && !replicates({count: 7, total: 10}) && !replicates(null) && !replicates({count: 0, total: 0}));
});

test("tableReplication(id) reads the metastability calibration's table as the same record the phase calibration gives", () => {
  const table = {a: {replicated: 8, seeds: 10, criterion: "the test significant", markets: "24 h"}, c: {replicated: 0, seeds: 0, criterion: "x", markets: "y"}};
  assert.deepEqual(tableReplication("a", table), {count: 8, total: 10, criterion: "the test significant", markets: "24 h"});
  assert.equal(tableReplication("c", table), null);
  assert.equal(tableReplication("nope", table), null);
  // One rule and one clause, whichever calibration measured the claim.
  assert.equal(phase.replicationText, replicationText);
  assert.equal(phase.replicates, replicates);
  assert.equal(phase.REPLICATION_THRESHOLD, REPLICATION_THRESHOLD);
  const row = phase.phaseReplication("crash start found by volatility");
  if (row) assert.match(replicationText(row), /seeds of the default plant \(\d+ h at [\d.]+ of the trade rates\)$/);
  const triple = phase.phaseReplication("coincidence: triple");
  if (triple) assert.match(replicationText(triple), /seeds of the default plant \(p ≤ α; \d+ h at [\d.]+ of the trade rates\)$/);
});

test("REPLICATION holds counts over at least 10 seeds for the calibrated findings", () => {
  for (const id of ["ch05-levels", "ch05-escape-ratio", "ch05-kramers-slope", "ch02-sign-exponent", "ch02-size-tail"]) {
    const r = REPLICATION[id];
    assert.ok(r, id);
    assert.ok(r.seeds >= 10 && Number.isInteger(r.replicated) && r.replicated >= 0 && r.replicated <= r.seeds, `${id}: ${JSON.stringify(r)}`);
  }
});
