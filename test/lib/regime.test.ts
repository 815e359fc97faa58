import test from "node:test";
import assert from "node:assert/strict";
import {classifyRegimes, COLD, CRITICAL, forwardOutcomes, HOT, REGIME_NAMES, regimeTable, UNLABELLED} from "../../lib/regime.js";
import {quantiles} from "../../lib/moments.js";
import {mulberry32, randomNormal} from "../../lib/random.js";
import {realisedVolatility} from "../../lib/realised-volatility.js";

test("classifyRegimes(observables) recovers planted cold, hot and critical stretches", () => {
  const random = mulberry32(1);
  const n = 300;
  const E = new Float64Array(n), V = new Float64Array(n), X = new Float64Array(n), C = new Float64Array(n);
  const truth = new Int8Array(n);
  for (let t = 0; t < n; ++t) {
    const e = () => 0.05 * randomNormal(random);
    if (t < 100) {
      truth[t] = COLD;
      (E[t] = 1 + e()), (V[t] = 1 + e()), (X[t] = 20 + e()), (C[t] = 1 + e());
    } else if (t < 200) {
      // Critical: entropy in between, correlation length climbing, susceptibility high.
      truth[t] = CRITICAL;
      (E[t] = 2 + e()), (V[t] = 2 + e()), (X[t] = 5 + 0.1 * (t - 100) + e()), (C[t] = 5 + e());
    } else {
      truth[t] = HOT;
      (E[t] = 3 + e()), (V[t] = 3 + e()), (X[t] = 2 + e()), (C[t] = 1 + e());
    }
  }
  const {labels, thresholds} = classifyRegimes({entropy: E, volatility: V, correlationLength: X, susceptibility: C}, {thresholds: "whole"});
  let agree = 0;
  for (let t = 0; t < n; ++t) if (labels[t] === truth[t]) ++agree;
  // The critical stretch needs ξ[t] > ξ[t − 3] (0.3 rise against noise of SD 0.07): nearly always.
  assert.ok(agree >= 290, `${agree} of ${n} agree`);
  assert.ok(thresholds.entropy[0] > 1.2 && thresholds.entropy[0] < 2 && thresholds.entropy[1] > 2 && thresholds.entropy[1] < 2.8);
  // With only two of three conditions for critical (no growth), the stretch becomes unlabelled at minVotes 3…
  const flat = Float64Array.from(X, (x, t) => (t >= 100 && t < 200 ? 10 : x));
  const strict = classifyRegimes({entropy: E, volatility: V, correlationLength: flat, susceptibility: C}, {thresholds: "whole"});
  assert.ok(strict.labels.subarray(100, 200).every((l) => l === UNLABELLED));
  // …and critical again at minVotes 2.
  const lax = classifyRegimes({entropy: E, volatility: V, correlationLength: flat, susceptibility: C}, {minVotes: 2, thresholds: "whole"});
  assert.ok(lax.labels.subarray(100, 200).every((l) => l === CRITICAL));
  assert.equal(REGIME_NAMES[HOT], "hot");
});

test("classifyRegimes(observables) labels from past windows only: a later change leaves earlier labels alone", () => {
  const random = mulberry32(2);
  const n = 400;
  const obs = () => Float64Array.from({length: n}, () => randomNormal(random));
  const E = obs(), V = obs(), X = obs(), C = obs();
  const base = classifyRegimes({entropy: E, volatility: V, correlationLength: X, susceptibility: C}, {minVotes: 2, history: 50});
  // The first 49 windows have fewer than 50 past values: unlabelled.
  assert.ok(base.labels.subarray(0, 49).every((l) => l === UNLABELLED));
  assert.ok(base.labels.subarray(49).some((l) => l !== UNLABELLED));
  // The future turns violent: every later window gets a huge volatility and entropy.
  const V2 = V.slice(), E2 = E.slice();
  for (let t = 250; t < n; ++t) (V2[t] += 100), (E2[t] += 100);
  const moved = classifyRegimes({entropy: E2, volatility: V2, correlationLength: X, susceptibility: C}, {minVotes: 2, history: 50});
  assert.deepEqual(moved.labels.subarray(0, 250), base.labels.subarray(0, 250));
  // The whole-series rule looks ahead: the same change relabels the past.
  const wholeBase = classifyRegimes({entropy: E, volatility: V, correlationLength: X, susceptibility: C}, {minVotes: 2, thresholds: "whole"});
  const wholeMoved = classifyRegimes({entropy: E2, volatility: V2, correlationLength: X, susceptibility: C}, {minVotes: 2, thresholds: "whole"});
  assert.notDeepEqual(wholeMoved.labels.subarray(0, 250), wholeBase.labels.subarray(0, 250));
  // Each window's thresholds are the quantiles of the windows up to it.
  assert.equal(base.series.volatility[1][n - 1], base.thresholds.volatility[1]);
  assert.equal(base.series.volatility[1][99], quantiles(V.subarray(0, 100), [2 / 3])[0]);
  // Rolling: the last 50 windows.
  const rolling = classifyRegimes({entropy: E, volatility: V, correlationLength: X, susceptibility: C}, {thresholds: "rolling", history: 50});
  assert.equal(rolling.series.entropy[0][300], quantiles(E.subarray(251, 301), [1 / 3])[0]);
});

test("classifyRegimes(observables, options) validates its input", () => {
  const a = [1, 2, 3];
  assert.throws(() => classifyRegimes({entropy: a, volatility: a, correlationLength: [1], susceptibility: a}), /invalid correlationLength length: 1/);
  assert.throws(() => classifyRegimes({entropy: a, volatility: a, correlationLength: a, susceptibility: a}, {quantiles: {entropy: [0.8, 0.2]}}), /invalid entropy quantiles/);
  assert.throws(() => classifyRegimes({entropy: a, volatility: a, correlationLength: a, susceptibility: a}, {lookback: 0}), /invalid lookback: 0/);
  assert.throws(() => classifyRegimes({entropy: a, volatility: a, correlationLength: a, susceptibility: a}, {history: 0}), /invalid history: 0/);
  assert.throws(() => classifyRegimes({entropy: a, volatility: a, correlationLength: a, susceptibility: a}, {thresholds: "future" as never}), /invalid thresholds: future/);
});

test("forwardOutcomes(r, end, options) sums the horizon after each window end", () => {
  const r = [0.1, -0.2, 0.3, NaN, 0.4, -0.1];
  const out = forwardOutcomes(r, [0, 1, 3, 4], {horizon: 2});
  // After 0: r1 + r2 = 0.1, vol √(0.04 + 0.09).
  assert.ok(Math.abs(out.return[0] - 0.1) < 1e-15);
  assert.ok(Math.abs(out.volatility[0] - Math.sqrt(0.13)) < 1e-15);
  // After 1: r2 and a missing r3: vol rescaled √(2/1 · 0.09), return 0.3.
  assert.ok(Math.abs(out.volatility[1] - Math.sqrt(0.18)) < 1e-15);
  assert.ok(Math.abs(out.return[1] - 0.3) < 1e-15);
  assert.ok(Math.abs(out.return[2] - 0.3) < 1e-15);
  // After 4 the horizon runs past the series.
  assert.ok(Number.isNaN(out.return[3]) && Number.isNaN(out.volatility[3]));
});

test("regimeTable(labels, outcomes) gives mean, SE and count per regime", () => {
  const labels = [HOT, HOT, COLD, HOT, UNLABELLED, COLD];
  const volatility = Float64Array.from([3, 5, 1, 4, 2, NaN]);
  const ret = Float64Array.from([1, -1, 0, 3, 0, 2]);
  const rows = regimeTable(labels, {volatility, return: ret}, {overlap: 4});
  const hot = rows[HOT];
  assert.equal(hot.name, "hot");
  assert.equal(hot.count, 3);
  assert.equal(hot.volatility.mean, 4);
  // SD 1, SE = 1/√3 · √4.
  assert.ok(Math.abs(hot.volatility.se - 2 / Math.sqrt(3)) < 1e-15);
  assert.equal(hot.return.mean, 1);
  const cold = rows[COLD];
  assert.equal(cold.count, 2);
  assert.equal(cold.volatility.count, 1);
  assert.ok(Number.isNaN(cold.volatility.se));
  assert.equal(rows[CRITICAL].count, 0);
  assert.ok(Number.isNaN(rows[CRITICAL].volatility.mean));
});

test("regimeTable(labels, forwardOutcomes(…)) shows higher forward volatility after planted hot windows", () => {
  // Volatility regimes persist for 2000 samples; windows of 100 labelled by their own volatility.
  const random = mulberry32(6);
  const n = 20000;
  const r = new Float64Array(n);
  for (let t = 0; t < n; ++t) r[t] = (Math.floor(t / 2000) % 2 ? 0.003 : 0.001) * randomNormal(random);
  const end = Int32Array.from({length: 199}, (_, j) => 99 + 100 * j);
  const own = realisedVolatility(r, {window: 100, step: 100}).subarray(0, end.length);
  const labels = Int8Array.from(own, (v) => (v > 0.02 ? HOT : COLD));
  const rows = regimeTable(labels, forwardOutcomes(r, end, {horizon: 100}));
  const d = rows[HOT].volatility.mean - rows[COLD].volatility.mean;
  const se = Math.hypot(rows[HOT].volatility.se, rows[COLD].volatility.se);
  assert.ok(d / se > 10, `difference ${d} with SE ${se}`);
});
