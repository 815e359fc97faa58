import test from "node:test";
import assert from "node:assert/strict";
import {binnedMeans} from "../../lib/binned-means.ts";
import {studentTQuantile} from "../../lib/student-t.ts";

test("binnedMeans(x, y) cuts the pairs into equal-count bins of x and averages y in each", () => {
  const x = [5, 1, 4, 2, 3, 6];
  const y = [50, 10, 40, 20, 30, 60];
  const r = binnedMeans(x, y, {bins: 3});
  assert.deepEqual(r.map((b) => [b.x0, b.x1, b.x, b.mean, b.n]), [[1, 2, 1.5, 15, 2], [3, 4, 3.5, 35, 2], [5, 6, 5.5, 55, 2]]);
  // t interval with one degree of freedom: 15 ± t·(7.07…)/√2 = 15 ± t·5.
  const h = studentTQuantile(0.975, 1) * 5;
  assert.ok(Math.abs(r[0].lower - (15 - h)) < 1e-9 && Math.abs(r[0].upper - (15 + h)) < 1e-9);
});

test("binnedMeans(x, y) skips non-finite pairs, omits empty bins and gives NaN intervals for single pairs", () => {
  const r = binnedMeans([1, NaN, 3], [2, 5, Infinity], {bins: 4});
  assert.equal(r.length, 1);
  assert.equal(r[0].mean, 2);
  assert.ok(Number.isNaN(r[0].lower) && Number.isNaN(r[0].upper));
  assert.throws(() => binnedMeans([1], [1, 2]), /invalid y length: 2/);
  assert.throws(() => binnedMeans([1], [1], {bins: 0}), /invalid bins: 0/);
  assert.throws(() => binnedMeans([1], [1], {level: 1}), /invalid level: 1/);
});

test("binnedMeans(x, y) of y = 2x recovers the line bin by bin", () => {
  const x = Array.from({length: 1000}, (_, i) => (i * 7919) % 1000);
  const y = x.map((v) => 2 * v);
  for (const b of binnedMeans(x, y, {bins: 10})) assert.ok(Math.abs(b.mean - 2 * b.x) < 1e-9);
});
