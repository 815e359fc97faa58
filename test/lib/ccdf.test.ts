import test from "node:test";
import assert from "node:assert/strict";
import {ccdf} from "../../lib/ccdf.js";
import {mulberry32, randomPareto} from "../../lib/random.js";

test("ccdf(x) counts values at or above each distinct value", () => {
  const {x, p, n} = ccdf([3, 1, 2, 2, NaN, 5]);
  assert.equal(n, 5);
  assert.deepEqual(Array.from(x), [1, 2, 3, 5]);
  assert.deepEqual(Array.from(p), [1, 4 / 5, 2 / 5, 1 / 5]);
});

test("ccdf(x, {logPoints}) of Pareto samples follows (xm/x)^α", () => {
  const random = mulberry32(21);
  const sample = Float64Array.from({length: 200000}, () => randomPareto(random, 1, 1.5));
  const {x, p} = ccdf(sample, {logPoints: 30});
  assert.equal(x.length, 30);
  assert.equal(p[0], 1);
  for (let i = 0; i < x.length; ++i) {
    const expected = Math.pow(x[i], -1.5);
    if (expected * 200000 < 100) continue; // skip the sparse far tail
    // Binomial standard error of a proportion; allow 5 of them.
    const se = Math.sqrt((expected * (1 - expected)) / 200000);
    assert.ok(Math.abs(p[i] - expected) < 5 * se + 1e-12, `x=${x[i]}: ${p[i]} vs ${expected}`);
  }
});

test("ccdf(x, {logPoints}) ignores non-positive values for the grid but counts them", () => {
  const {x, p, n} = ccdf([-1, 0, 1, 3, 100], {logPoints: 3});
  assert.equal(n, 5);
  assert.equal(x[0], 1);
  assert.ok(Math.abs(x[1] - 10) < 1e-12);
  assert.equal(x[2], 100);
  assert.deepEqual(Array.from(p), [3 / 5, 1 / 5, 1 / 5]);
  assert.equal(ccdf([]).x.length, 0);
  assert.throws(() => ccdf([1], {logPoints: 1}), /invalid logPoints: 1/);
});
