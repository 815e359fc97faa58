import test from "node:test";
import assert from "node:assert/strict";
import {REPLICATION, replicationText} from "../../../lib/analysis/replication.js";

test("replicationText(id) says whether a claim held on at least 8 of 10 seeds, and nothing for an unmeasured one", () => {
  const table = {
    a: {replicated: 8, seeds: 10, criterion: "the test significant", markets: "24 h"},
    b: {replicated: 7, seeds: 10, criterion: "the test significant", markets: "24 h"},
    c: {replicated: 0, seeds: 0, criterion: "x", markets: "y"}
  };
  assert.equal(replicationText("a", table), " Replicates: the test significant on 8 of 10 other seeds of the default plant (24 h).");
  assert.equal(replicationText("b", table), " Does not replicate: the test significant on 7 of 10 other seeds of the default plant (24 h).");
  assert.equal(replicationText("c", table), "");
  assert.equal(replicationText("nope", table), "");
});

test("REPLICATION holds counts over at least 10 seeds for the calibrated findings", () => {
  for (const id of ["ch05-levels", "ch05-escape-ratio", "ch05-kramers-slope", "ch02-sign-exponent", "ch02-size-tail"]) {
    const r = REPLICATION[id];
    assert.ok(r, id);
    assert.ok(r.seeds >= 10 && Number.isInteger(r.replicated) && r.replicated >= 0 && r.replicated <= r.seeds, `${id}: ${JSON.stringify(r)}`);
  }
});
