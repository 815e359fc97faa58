import test from "node:test";
import assert from "node:assert/strict";
import {linearRegression, slopeInterval} from "../../lib/linear-regression.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("linearRegression(x, y) matches the closed-form normal equations", () => {
  // Hand computation: x = 1..5, y = [2, 4, 5, 4, 5]; x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, Syy = 6.
  const fit = linearRegression([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
  assert.ok(Math.abs(fit.slope - 0.6) < 1e-15);
  assert.ok(Math.abs(fit.intercept - 2.2) < 1e-14);
  // Residuals: −0.8, 0.6, 1, −0.6, −0.2 → RSS = 2.4, s² = 0.8.
  assert.ok(Math.abs(fit.residualSD - Math.sqrt(0.8)) < 1e-14);
  assert.ok(Math.abs(fit.slopeSE - Math.sqrt(0.8 / 10)) < 1e-14);
  assert.ok(Math.abs(fit.interceptSE - Math.sqrt(0.8 * (1 / 5 + 9 / 10))) < 1e-14);
  assert.ok(Math.abs(fit.r2 - 0.6) < 1e-14);
  assert.equal(fit.n, 5);
  // t(0.975, 3) = 3.182446305284263: slope ± t·SE.
  const [lo, hi] = slopeInterval(fit);
  assert.ok(Math.abs(lo - (0.6 - 3.182446305284263 * Math.sqrt(0.08))) < 1e-10);
  assert.ok(Math.abs(hi - (0.6 + 3.182446305284263 * Math.sqrt(0.08))) < 1e-10);
});

test("linearRegression(x, y) skips non-finite pairs and handles degenerate inputs", () => {
  const fit = linearRegression([1, NaN, 2, 3, 4], [1, 5, 3, Infinity, 7]);
  assert.equal(fit.n, 3);
  assert.ok(Math.abs(fit.slope - 2) < 1e-15 && Math.abs(fit.intercept + 1) < 1e-14);
  assert.ok(fit.residualSD < 1e-14);
  const two = linearRegression([0, 1], [1, 3]);
  assert.equal(two.slope, 2);
  assert.ok(Number.isNaN(two.slopeSE));
  assert.deepEqual(slopeInterval(two), [NaN, NaN]);
  assert.ok(Number.isNaN(linearRegression([1, 1, 1], [1, 2, 3]).slope));
  assert.ok(Number.isNaN(linearRegression([], []).slope));
  assert.throws(() => linearRegression([1], [1, 2]), /invalid y length: 2/);
  assert.throws(() => slopeInterval(fit, 1), /invalid level: 1/);
});

test("slopeInterval(fit) covers the true slope about 95% of the time", () => {
  const random = mulberry32(2024);
  let covered = 0;
  const trials = 2000;
  const x = Float64Array.from({length: 8}, (_, i) => i * 0.5);
  const y = new Float64Array(8);
  for (let r = 0; r < trials; ++r) {
    for (let i = 0; i < 8; ++i) y[i] = 1 - 0.7 * x[i] + 0.3 * randomNormal(random);
    const [lo, hi] = slopeInterval(linearRegression(x, y));
    if (lo <= -0.7 && -0.7 <= hi) ++covered;
  }
  // Binomial(2000, 0.95) has standard deviation 9.7; allow 4 of them.
  assert.ok(Math.abs(covered - 0.95 * trials) < 40, `covered ${covered} of ${trials}`);
});
