import test from "node:test";
import assert from "node:assert/strict";
import {imbalance, rollingImbalance} from "../../lib/imbalance.js";

test("imbalance(buy, sell) is (B − S)/(B + S) per sample and NaN for an empty bin", () => {
  const m = imbalance([3, 0, 0, 5], [1, 2, 0, 5]);
  assert.deepEqual(Array.from(m.subarray(0, 2)), [0.5, -1]);
  assert.ok(Number.isNaN(m[2]));
  assert.equal(m[3], 0);
  assert.throws(() => imbalance([1], [1, 2]), /invalid sell length: 2/);
  assert.throws(() => imbalance([1, -2], [1, 2]), /invalid buy\[1\]: -2/);
});

test("rollingImbalance(buy, sell, options) sums each window before dividing", () => {
  const buy = [3, 0, 0, 5, 1, 0];
  const sell = [1, 2, 0, 5, 0, 0];
  // Windows of 3 with step 2: [0,3): (3−3)/6 = 0; [2,5): (6−5)/11; [4,7) would overrun.
  const m = rollingImbalance(buy, sell, {window: 3, step: 2});
  assert.equal(m.length, 2);
  assert.equal(m[0], 0);
  assert.ok(Math.abs(m[1] - 1 / 11) < 1e-15);
  const last = rollingImbalance([0, 0], [0, 0], {window: 2});
  assert.ok(Number.isNaN(last[0]));
  // Window 1 equals the per-sample imbalance.
  assert.deepEqual(Array.from(rollingImbalance(buy, sell, {window: 1})), Array.from(imbalance(buy, sell)));
});
