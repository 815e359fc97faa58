import test from "node:test";
import assert from "node:assert/strict";
import {hill, hillPlot} from "../../lib/hill.js";
import {mulberry32, randomNormal, randomPareto} from "../../lib/random.js";

test("hillPlot(x) matches the formula on a hand-computed sample", () => {
  // Descending 8, 4, 2, 1: H_1 = ln 8 − ln 4 = ln 2; H_2 = (ln 8 + ln 4)/2 − ln 2 = 1.5 ln 2.
  const {k, alpha} = hillPlot([1, 2, 4, 8, -3, NaN]);
  assert.deepEqual(Array.from(k), [1, 2, 3]);
  assert.ok(Math.abs(alpha[0] - 1 / Math.LN2) < 1e-14);
  assert.ok(Math.abs(alpha[1] - 1 / (1.5 * Math.LN2)) < 1e-14);
  assert.ok(Math.abs(alpha[2] - 1 / (2 * Math.LN2)) < 1e-14);
});

test("hill(x) recovers the exponent of Pareto samples within its standard error", () => {
  for (const [seed, a] of [[1, 1.5], [2, 0.8], [3, 3]]) {
    const random = mulberry32(seed);
    const x = Float64Array.from({length: 50000}, () => randomPareto(random, 0.01, a));
    const h = hill(x);
    assert.ok(Math.abs(h.alpha - a) < 4 * h.se, `α=${a}: ${h.alpha} ± ${h.se} (k=${h.k})`);
    assert.ok(h.plateau[0] <= h.k && h.k <= h.plateau[1]);
    const fixed = hill(x, {k: 1000});
    assert.ok(Math.abs(fixed.alpha - a) < 4 * fixed.se);
    assert.ok(Math.abs(fixed.se - fixed.alpha / Math.sqrt(1000)) < 1e-15);
  }
});

test("hill(x) finds the tail of a Pareto tail above a lognormal body", () => {
  // 90% lognormal body, 10% Pareto(xm = 3, α = 1.2): above the body the tail exponent is 1.2.
  const random = mulberry32(5);
  const x = Float64Array.from({length: 100000}, () => (random() < 0.9 ? Math.exp(randomNormal(random)) : randomPareto(random, 3, 1.2)));
  const h = hill(x);
  assert.ok(Math.abs(h.alpha - 1.2) < 0.15, `${h.alpha} (k=${h.k})`);
});

test("hill(x) of |Student t₃| samples is near 3", () => {
  const random = mulberry32(7);
  const x = Float64Array.from({length: 100000}, () => {
    const z = randomNormal(random);
    let c = 0;
    for (let i = 0; i < 3; ++i) c += randomNormal(random) ** 2;
    return Math.abs(z / Math.sqrt(c / 3));
  });
  // The t distribution's second-order term biases Hill downwards; the plateau keeps it small.
  assert.ok(Math.abs(hill(x).alpha - 3) < 0.4);
});

test("hill(x) rejects invalid options and returns NaN for tiny samples", () => {
  assert.throws(() => hill([1, 2, 3], {k: 0}), /invalid k: 0/);
  assert.ok(Number.isNaN(hill([1, 2, 3]).alpha));
  assert.ok(Number.isNaN(hill([1, 2, 3], {k: 5}).alpha));
  assert.throws(() => hill(Array.from({length: 100}, (_, i) => i + 1), {kMin: 50, kMax: 20}), /invalid kMax: 20/);
});
