import test from "node:test";
import assert from "node:assert/strict";
import {fluctuationSusceptibility, orderFlowSusceptibility} from "../../lib/susceptibility.js";
import {mulberry32} from "../../lib/random.js";

/** Bins of trades whose signs come in runs of `cluster` identical signs, buy probability p. */
function simulateBins(seed: number, bins: number, p: number, cluster: number) {
  const random = mulberry32(seed);
  const buy = new Float64Array(bins);
  const sell = new Float64Array(bins);
  for (let i = 0; i < bins; ++i) {
    const groups = 1 + Math.floor(random() * 12);
    for (let g = 0; g < groups; ++g) {
      if (random() < p) buy[i] += cluster;
      else sell[i] += cluster;
    }
  }
  return {buy, sell};
}

test("orderFlowSusceptibility(buy, sell, options) equals the direct weighted variance on each window", () => {
  const {buy, sell} = simulateBins(1, 300, 0.6, 1);
  buy[40] = sell[40] = 0;
  buy[41] = sell[41] = 0;
  const chi = orderFlowSusceptibility(buy, sell, {window: 20, step: 3});
  for (let j = 0; j < chi.length; ++j) {
    const lo = j * 3;
    let W = 0, A = 0, K = 0;
    for (let i = lo; i < lo + 20; ++i) {
      const n = buy[i] + sell[i];
      if (n > 0) (W += n), (A += buy[i] - sell[i]), ++K;
    }
    const mbar = A / W;
    let ss = 0;
    for (let i = lo; i < lo + 20; ++i) {
      const n = buy[i] + sell[i];
      if (n > 0) ss += n * ((buy[i] - sell[i]) / n - mbar) ** 2;
    }
    assert.ok(Math.abs(chi[j] - ss / (K - 1)) < 1e-10, `window ${j}: ${chi[j]} vs ${ss / (K - 1)}`);
  }
});

test("orderFlowSusceptibility(buy, sell, options) is 1 − μ² for independent signs and grows with herding", () => {
  const p = 0.7;
  const mu = 2 * p - 1;
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const independent = simulateBins(2, 40000, p, 1);
  const chi1 = mean(orderFlowSusceptibility(independent.buy, independent.sell, {window: 50, step: 50}));
  // 800 windows, each χ with relative SD ≈ √(2/49): the mean is within ±0.02 of 1 − μ² = 0.84.
  assert.ok(Math.abs(chi1 - (1 - mu * mu)) < 0.03, `χ = ${chi1}`);
  // Signs in runs of 4 identical trades: N·Var(m) is 4(1 − μ²).
  const herding = simulateBins(3, 40000, p, 4);
  const chi4 = mean(orderFlowSusceptibility(herding.buy, herding.sell, {window: 50, step: 50}));
  assert.ok(Math.abs(chi4 - 4 * (1 - mu * mu)) < 0.12, `χ = ${chi4}`);
});

test("orderFlowSusceptibility(buy, sell, options) weights volumes' imbalance by trade counts", () => {
  // Two bins: m = 1 with 3 trades and m = −1 with 1 trade. m̄ = 0.5, χ = 3·0.25 + 1·2.25 = 3.
  const chi = orderFlowSusceptibility([2.5, 0], [0, 7], {window: 2, trades: [3, 1]});
  assert.ok(Math.abs(chi[0] - 3) < 1e-12);
  assert.ok(Number.isNaN(orderFlowSusceptibility([1, 0], [1, 0], {window: 2})[0]));
  assert.throws(() => orderFlowSusceptibility([1, -1], [1, 0], {window: 2}), /invalid buy\[1\]: -1/);
});

test("fluctuationSusceptibility(m, options) is N·Var(|m|)/T", () => {
  // |m| = 0.5, 0.5, 1, 0: mean 0.5, population variance 0.125.
  assert.equal(fluctuationSusceptibility([0.5, -0.5, 1, 0], {size: 16, temperature: 2}), 16 * 0.125 / 2);
  // Signed: mean 0.25, ⟨m²⟩ = 0.375, variance 0.3125.
  assert.equal(fluctuationSusceptibility([0.5, -0.5, 1, 0], {size: 16, absolute: false}), 16 * 0.3125);
  assert.throws(() => fluctuationSusceptibility([0], {size: 0}), /invalid size: 0/);
});
