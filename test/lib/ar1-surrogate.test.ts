import test from "node:test";
import assert from "node:assert/strict";
import {ar1Surrogate, fitAR1} from "../../lib/ar1-surrogate.js";
import {acf} from "../../lib/acf.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function ar1(seed: number, n: number, phi: number, level = 0): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  return x.map((v) => v + level);
}

test("fitAR1(x) recovers the planted coefficient, mean and innovation SD", () => {
  const fit = fitAR1(ar1(1, 50000, 0.7, 3));
  // SE of φ̂ ≈ √((1 − φ²)/n) ≈ 0.0032.
  assert.ok(Math.abs(fit.phi - 0.7) < 0.013, `φ = ${fit.phi}`);
  assert.ok(Math.abs(fit.sigma - 1) < 0.02, `σ = ${fit.sigma}`);
  assert.ok(Math.abs(fit.mean - 3) < 0.06, `μ = ${fit.mean}`);
  assert.ok(Math.abs(fit.variance - 1 / 0.51) < 0.08);
  assert.deepEqual(fitAR1([2, 2, 2]), {mean: 2, phi: 0, sigma: 0, variance: 0});
  assert.throws(() => fitAR1([1]), /invalid x length: 1/);
});

test("ar1Surrogate(fit, n, random) preserves the lag-1 autocorrelation, mean and variance", () => {
  const x = ar1(2, 2000, 0.6, -1);
  const fit = fitAR1(x);
  const random = mulberry32(3);
  const out = new Float64Array(x.length);
  let r1 = 0, mean = 0, variance = 0;
  const S = 200;
  for (let i = 0; i < S; ++i) {
    ar1Surrogate(fit, x.length, random, out);
    r1 += acf(out, 1)[1];
    const m = out.reduce((a, b) => a + b, 0) / out.length;
    mean += m;
    variance += out.reduce((a, b) => a + (b - m) ** 2, 0) / out.length;
  }
  // Surrogate r₁ has SD ≈ 0.018 each (0.0013 averaged) and bias ≈ −(1 + 4φ)/n ≈ −0.0017.
  assert.ok(Math.abs(r1 / S - acf(x, 1)[1]) < 0.008, `r1 ${r1 / S} vs ${acf(x, 1)[1]}`);
  assert.ok(Math.abs(mean / S - fit.mean) < 0.03);
  // The sample variance of an AR(1) around its own mean is low by ≈ (1 + φ)/((1 − φ) n) ≈ 0.2 %.
  assert.ok(Math.abs(variance / S / fit.variance - 1) < 0.03, `${variance / S} vs ${fit.variance}`);
});

test("ar1Surrogate(fit, n, random) is deterministic for a seed and validates its input", () => {
  const fit = {mean: 0, phi: 0.5, sigma: 1, variance: 4 / 3};
  assert.deepEqual(ar1Surrogate(fit, 50, mulberry32(4)), ar1Surrogate(fit, 50, mulberry32(4)));
  assert.throws(() => ar1Surrogate({...fit, phi: 1}, 5, mulberry32(1)), /invalid phi: 1/);
  assert.throws(() => ar1Surrogate(fit, 5, mulberry32(1), new Float64Array(4)), /invalid out length: 4/);
});

test("ar1Surrogate(fit, n, random) starts in the stationary distribution", () => {
  // With φ = 0.9 a start at the mean would keep Var(y₀) = 0 and Var(y₁) = σ² = 1 instead of 1/0.19.
  const fit = {mean: 2, phi: 0.9, sigma: 1, variance: 1 / 0.19};
  const random = mulberry32(8);
  const S = 4000;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < S; ++i) {
    const y = ar1Surrogate(fit, 3, random);
    for (let t = 0; t < 3; ++t) (sum[t] += y[t]), (sq[t] += y[t] * y[t]);
  }
  for (let t = 0; t < 3; ++t) {
    const mean = sum[t] / S;
    const variance = sq[t] / S - mean * mean;
    // Relative SD of a variance estimate from 4000 normals: √(2/4000) ≈ 2.2 %.
    assert.ok(Math.abs(mean - 2) < 0.15, `mean of y${t}: ${mean}`);
    assert.ok(Math.abs(variance / fit.variance - 1) < 0.09, `variance of y${t}: ${variance}`);
  }
});
