import test from "node:test";
import assert from "node:assert/strict";
import {aggregateReturns, logReturns} from "../../lib/returns.js";

test("logReturns(price) are differences of logs", () => {
  const r = logReturns([100, 110, 99, 99]);
  assert.equal(r.length, 3);
  assert.ok(Math.abs(r[0] - Math.log(1.1)) < 1e-15);
  assert.ok(Math.abs(r[1] - Math.log(99 / 110)) < 1e-15);
  assert.equal(r[2], 0);
  const r2 = logReturns([100, 110, 99, 99], {lag: 2});
  assert.ok(Math.abs(r2[0] - Math.log(0.99)) < 1e-15);
  assert.equal(r2.length, 2);
});

test("logReturns(price, {missing}) propagates or carries NaN prices forward", () => {
  const p = [NaN, 100, NaN, NaN, 121];
  const a = logReturns(p);
  assert.equal(a.length, 4);
  assert.ok(Array.from(a).every(Number.isNaN));
  const b = logReturns(p, {missing: "previous"});
  assert.ok(Number.isNaN(b[0]));
  assert.deepEqual(Array.from(b.subarray(1, 3)), [0, 0]);
  assert.ok(Math.abs(b[3] - Math.log(1.21)) < 1e-15);
  // The total log return over the gap is kept.
  assert.ok(Math.abs(b[1] + b[2] + b[3] - Math.log(1.21)) < 1e-15);
});

test("logReturns(price, {align: \"end\"}) places ln(pᵢ/pᵢ₋ₗ) at the later sample", () => {
  const r = logReturns([100, 110, 110, NaN, 121], {align: "end"});
  assert.equal(r.length, 5);
  assert.ok(Number.isNaN(r[0]));
  assert.ok(Math.abs(r[1] - Math.log(1.1)) < 1e-15);
  assert.equal(r[2], 0);
  assert.ok(Number.isNaN(r[3]) && Number.isNaN(r[4]));
  const start = logReturns([100, 110, 121, 133.1], {lag: 2});
  const end = logReturns([100, 110, 121, 133.1], {lag: 2, align: "end"});
  assert.deepEqual(Array.from(end.subarray(2)), Array.from(start));
  assert.ok(Number.isNaN(end[0]) && Number.isNaN(end[1]));
  assert.equal(logReturns([5], {lag: 3, align: "end"}).length, 1);
});

test("logReturns(price) rejects invalid prices and options", () => {
  assert.throws(() => logReturns([1, 0, 2]), /invalid price\[1\]: 0/);
  assert.throws(() => logReturns([1, -2]), /invalid price\[1\]: -2/);
  assert.throws(() => logReturns([1, 2], {lag: 0}), /invalid lag: 0/);
  assert.throws(() => logReturns([1, 2], {align: "middle" as "end"}), /invalid align: middle/);
  assert.equal(logReturns([1], {lag: 3}).length, 0);
});

test("aggregateReturns(r, scale) sums blocks and equals the coarse log return", () => {
  const p = [100, 101, 103, 102, 104, 107, 106];
  const fine = logReturns(p);
  const coarse = aggregateReturns(fine, 3);
  assert.equal(coarse.length, 2);
  assert.ok(Math.abs(coarse[0] - Math.log(102 / 100)) < 1e-15);
  assert.ok(Math.abs(coarse[1] - Math.log(106 / 102)) < 1e-15);
  assert.ok(Number.isNaN(aggregateReturns([1, NaN, 2, 3], 2)[0]));
  assert.throws(() => aggregateReturns([1], 0), /invalid scale: 0/);
});
