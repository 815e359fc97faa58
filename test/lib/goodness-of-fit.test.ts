import test from "node:test";
import assert from "node:assert/strict";
import {exponentialFit, exponentialKsNull, exponentialRate, kolmogorovPValue, ksStatistic} from "../../lib/goodness-of-fit.js";
import {mulberry32, randomExponential} from "../../lib/random.js";

test("exponentialRate(durations, censored) is events over total exposure", () => {
  assert.equal(exponentialRate([1, 2, 3, 4]), 0.4);
  // Censored durations add exposure, not events.
  assert.equal(exponentialRate([1, 2, 3, 4], [0, 0, 1, 1]), 0.2);
  assert.equal(exponentialRate([1, NaN, -1, 3]), 0.5);
  assert.ok(Number.isNaN(exponentialRate([2], [1])));
  assert.throws(() => exponentialRate([1, 2], [0]), /invalid censored length: 1/);
});

test("ksStatistic(sample, cdf) is the largest gap between the step function and the cdf", () => {
  // Against U(0, 1): steps at 0.1, 0.2, 0.9 → max(1/3 − 0.1, 2/3 − 0.2, 0.9 − 2/3, 1 − 0.9) = 7/15.
  const uniform = (x: number) => Math.min(1, Math.max(0, x));
  assert.ok(Math.abs(ksStatistic([0.9, 0.1, 0.2], uniform) - 7 / 15) < 1e-15);
  // Ties: all at 0.5 → the jump from 0 to 1 at F = 0.5.
  assert.equal(ksStatistic([0.5, 0.5, 0.5, 0.5], uniform), 0.5);
  assert.ok(Number.isNaN(ksStatistic([], uniform)));
});

test("kolmogorovPValue(d, n) gives Kolmogorov's 5 % and 1 % points", () => {
  // Q(1.3581) = 0.05 and Q(1.6276) = 0.01 for the limiting law (n → ∞ with D√n fixed).
  const n = 1e8;
  assert.ok(Math.abs(kolmogorovPValue(1.3581 / Math.sqrt(n), n) - 0.05) < 2e-4);
  assert.ok(Math.abs(kolmogorovPValue(1.6276 / Math.sqrt(n), n) - 0.01) < 1e-4);
  assert.equal(kolmogorovPValue(0, 10), 1);
  assert.ok(kolmogorovPValue(1, 10) < 1e-8);
});

test("exponentialKsNull(n) reproduces Stephens' critical values for an estimated mean", () => {
  // Stephens (1974): (D − 0.2/n)(√n + 0.26 + 0.5/√n) exceeds 1.094 with probability 5 %, 1.308 with 1 %.
  const n = 50;
  const d = exponentialKsNull(n, {bootstrap: 4000, seed: 1});
  const modified = (p: number) => (d[Math.floor(p * d.length)] - 0.2 / n) * (Math.sqrt(n) + 0.26 + 0.5 / Math.sqrt(n));
  assert.ok(Math.abs(modified(0.95) / 1.094 - 1) < 0.04, `${modified(0.95)}`);
  assert.ok(Math.abs(modified(0.99) / 1.308 - 1) < 0.05, `${modified(0.99)}`);
  for (let b = 1; b < d.length; ++b) assert.ok(d[b] >= d[b - 1]);
  assert.throws(() => exponentialKsNull(1), /invalid n: 1/);
});

test("exponentialFit(durations) accepts exponential samples at the nominal rate", () => {
  const random = mulberry32(21);
  let small = 0;
  const trials = 100;
  for (let t = 0; t < trials; ++t) {
    const sample = Float64Array.from({length: 60}, () => randomExponential(random, 0.2));
    const fit = exponentialFit(sample, {bootstrap: 199, seed: t});
    assert.equal(fit.method, "lilliefors-bootstrap");
    assert.ok(Math.abs(fit.rate - 60 / sample.reduce((a, b) => a + b, 0)) < 1e-15);
    if (fit.pValue <= 0.1) ++small;
  }
  // Under the null, p ≤ 0.1 about 10 % of the time (binomial SD 3 %).
  assert.ok(small >= 3 && small <= 20, `${small}`);
});

test("exponentialFit(durations) rejects constant and uniform durations", () => {
  const constant = exponentialFit(new Float64Array(40).fill(7), {seed: 1});
  assert.equal(constant.rate, 1 / 7);
  assert.ok(Math.abs(constant.statistic - (1 - Math.exp(-1))) < 1e-15);
  assert.equal(constant.pValue, 1 / 1000);
  const random = mulberry32(8);
  const uniform = Float64Array.from({length: 300}, () => 10 + 10 * random());
  assert.ok(exponentialFit(uniform, {seed: 2}).pValue <= 0.001);
  // A known rate uses Kolmogorov's p-value.
  const known = exponentialFit([0.5, 1, 1.5, 2], {rate: 1});
  assert.equal(known.method, "kolmogorov");
  assert.equal(known.pValue, kolmogorovPValue(known.statistic, 4));
  assert.ok(Number.isNaN(exponentialFit([3]).pValue));
  assert.throws(() => exponentialFit([1, 2], {bootstrap: 0}), /invalid bootstrap: 0/);
});
