import test from "node:test";
import assert from "node:assert/strict";
import {earlyWarning, gaussianResiduals} from "../../lib/early-warning.js";
import {rollingMoments} from "../../lib/rolling.js";
import {kendallTrend} from "../../lib/kendall.js";
import {deriveSeed, mulberry32, randomNormal} from "../../lib/random.js";
import {ar1Surrogate, fitAR1} from "../../lib/ar1-surrogate.js";
import {phaseRandomize} from "../../lib/phase-randomize.js";

/** AR(1) with a time-varying coefficient φ(t), unit innovations. */
function ar1(seed: number, n: number, phi: (t: number) => number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  for (let t = 1; t < n; ++t) x[t] = phi(t) * x[t - 1] + randomNormal(random);
  return x;
}

test("earlyWarning(x, options) finds a significant rise of lag-1 autocorrelation as φ ramps towards 1", () => {
  for (const [seed, model] of [[1, "ar1"], [2, "ar1"], [3, "phase"]] as const) {
    const x = ar1(seed, 1000, (t) => 0.2 + (0.75 * t) / 1000);
    const ew = earlyWarning(x, {window: 500, seed, surrogates: 200, null: model});
    assert.ok(ew.autocorrelationTrend.tau > 0.5, `seed ${seed}: τ = ${ew.autocorrelationTrend.tau}`);
    assert.ok(ew.autocorrelationTrend.p < 0.05, `seed ${seed} ${model}: p = ${ew.autocorrelationTrend.p}`);
    assert.ok(ew.varianceTrend.p < 0.05, `seed ${seed} ${model}: variance p = ${ew.varianceTrend.p}`);
    assert.equal(ew.autocorrelationTrend.surrogates.length, 200);
  }
});

test("earlyWarning(x, options) of a stationary AR(1) is rarely significant", () => {
  // Measured over 40 seeds: p < 0.05 for 7.5 % (AR(1) null) and 5 % (phase null) of them.
  let significant = 0;
  for (let seed = 10; seed < 20; ++seed) {
    const ew = earlyWarning(ar1(seed, 1000, () => 0.5), {window: 500, seed, surrogates: 200});
    if (ew.autocorrelationTrend.p <= 0.05) ++significant;
  }
  assert.ok(significant <= 2, `${significant} of 10 stationary series gave p ≤ 0.05`);
});

test("earlyWarning(x, options) reports the observed indicators and is deterministic", () => {
  const x = ar1(4, 400, () => 0.3);
  const a = earlyWarning(x, {window: 100, step: 5, seed: 9, surrogates: 50});
  const m = rollingMoments(x, {window: 100, step: 5});
  assert.deepEqual(a.end, m.end);
  assert.deepEqual(a.autocorrelation, m.autocorrelation);
  assert.equal(a.autocorrelationTrend.tau, kendallTrend(m.autocorrelation));
  const b = earlyWarning(x, {window: 100, step: 5, seed: 9, surrogates: 50});
  assert.deepEqual(a.autocorrelationTrend.surrogates, b.autocorrelationTrend.surrogates);
  // p = (1 + count ≥ τ)/(1 + S) by definition.
  const count = a.varianceTrend.surrogates.filter((s) => s >= a.varianceTrend.tau).length;
  assert.equal(a.varianceTrend.p, (1 + count) / 51);
  assert.throws(() => earlyWarning([1, NaN, 2, 3], {window: 3, seed: 1}), /invalid x\[1\]: NaN/);
  assert.throws(() => earlyWarning(x, {window: 100, seed: 1, surrogates: 0}), /invalid surrogates: 0/);
});

test("earlyWarning(x, options) draws its null from AR(1) or phase-randomised surrogates of the series", () => {
  const x = ar1(6, 600, () => 0.6);
  for (const model of ["ar1", "phase"] as const) {
    const ew = earlyWarning(x, {window: 150, step: 10, seed: 7, surrogates: 3, null: model});
    const random = mulberry32(deriveSeed(7, `early-warning:${model}`));
    const fit = fitAR1(x);
    for (let i = 0; i < 3; ++i) {
      const s = model === "ar1" ? ar1Surrogate(fit, x.length, random) : phaseRandomize(x, random);
      const m = rollingMoments(s, {window: 150, step: 10});
      assert.equal(ew.autocorrelationTrend.surrogates[i], kendallTrend(m.autocorrelation));
      assert.equal(ew.varianceTrend.surrogates[i], kendallTrend(m.variance));
    }
  }
});

test("earlyWarning(x, options) surrogate τs are far more spread than the i.i.d. Mann–Kendall null", () => {
  const ew = earlyWarning(ar1(8, 1000, () => 0.5), {window: 500, seed: 8, surrogates: 200});
  const s = ew.autocorrelationTrend.surrogates;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1));
  // Mann–Kendall: Var(τ) = 2(2m + 5)/(9m(m − 1)) for m independent values; m = 501 windows.
  const m = ew.end.length;
  const sdIid = Math.sqrt((2 * (2 * m + 5)) / (9 * m * (m - 1)));
  assert.ok(sd > 5 * sdIid, `surrogate SD ${sd} vs i.i.d. ${sdIid}`);
});

test("gaussianResiduals(x, bandwidth) removes slow trends and keeps fast fluctuations", () => {
  const n = 2000;
  const line = Float64Array.from({length: n}, (_, t) => 3 + 0.01 * t);
  const r = gaussianResiduals(line, 20);
  // A line is reproduced exactly by a symmetric kernel away from the ends.
  for (let t = 100; t < n - 100; ++t) assert.ok(Math.abs(r[t]) < 1e-9);
  const random = mulberry32(5);
  const noisy = Float64Array.from(line, (v) => v + randomNormal(random));
  const rn = gaussianResiduals(noisy, 20);
  let ss = 0;
  for (let t = 100; t < n - 100; ++t) ss += rn[t] ** 2;
  // Residual variance of white noise: 1 − 2w₀ + Σ w² with w the normalised kernel: 1 − 0.040 + 0.014.
  assert.ok(Math.abs(ss / (n - 200) - 0.974) < 0.07, `${ss / (n - 200)}`);
  assert.throws(() => gaussianResiduals(line, 0), /invalid bandwidth: 0/);
});
