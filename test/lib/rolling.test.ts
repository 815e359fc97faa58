import test from "node:test";
import assert from "node:assert/strict";
import {rollingAutocorrelation, rollingMean, rollingMoments, rollingVariance, windowEnds} from "../../lib/rolling.js";
import {mulberry32, randomNormal} from "../../lib/random.js";
import {acf} from "../../lib/acf.js";

/** Two-pass moments of one window (the batch reference). */
function batch(w: number[]) {
  const v = w.filter((d) => Number.isFinite(d));
  const c = v.length;
  const mean = c ? v.reduce((s, d) => s + d, 0) / c : NaN;
  const ss = v.reduce((s, d) => s + (d - mean) ** 2, 0);
  const variance = c > 1 ? ss / (c - 1) : NaN;
  let num = 0;
  for (let t = 0; t + 1 < w.length; ++t) num += (w[t] - mean) * (w[t + 1] - mean);
  const ac = c === w.length && c > 1 && ss > 0 ? num / ss : NaN;
  return {c, mean, variance, ac};
}

function close(a: number, b: number, tol: number, what: string) {
  if (Number.isNaN(b)) assert.ok(Number.isNaN(a), `${what}: ${a} should be NaN`);
  else assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

test("windowEnds(n, {window, step}) lists the last index of each window", () => {
  assert.deepEqual(Array.from(windowEnds(10, {window: 4, step: 3})), [3, 6, 9]);
  assert.deepEqual(Array.from(windowEnds(3, {window: 4})), []);
  assert.deepEqual(Array.from(windowEnds(4, {window: 4})), [3]);
  assert.throws(() => windowEnds(10, {window: 0}), /invalid window: 0/);
  assert.throws(() => windowEnds(10, {window: 3, step: 1.5}), /invalid step: 1.5/);
});

test("rollingMoments(x, options) equals the batch computation on each window", () => {
  const random = mulberry32(3);
  const n = 1500;
  // AR(1) around a large level, to exercise cancellation.
  const x: number[] = [];
  for (let t = 0, v = 0; t < n; ++t) x.push(1e4 + (v = 0.8 * v + randomNormal(random)));
  for (const [window, step] of [[2, 1], [3, 1], [50, 1], [50, 7], [50, 50], [64, 80], [500, 3]]) {
    const r = rollingMoments(x, {window, step});
    assert.equal(r.end.length, Math.floor((n - window) / step) + 1);
    for (let j = 0; j < r.end.length; ++j) {
      const b = batch(x.slice(r.end[j] - window + 1, r.end[j] + 1));
      assert.equal(r.count[j], b.c);
      close(r.mean[j], b.mean, 1e-12, `mean w=${window} s=${step} j=${j}`);
      close(r.variance[j], b.variance, 1e-9, `variance w=${window} s=${step} j=${j}`);
      close(r.autocorrelation[j], b.ac, 1e-9, `ac w=${window} s=${step} j=${j}`);
    }
  }
});

test("rollingMoments(x, options) skips NaN for the moments and gives NaN autocorrelation around gaps", () => {
  const random = mulberry32(5);
  const x = Array.from({length: 400}, () => random());
  for (const i of [10, 11, 12, 100, 250]) x[i] = NaN;
  for (let i = 300; i < 340; ++i) x[i] = NaN;
  const r = rollingMoments(x, {window: 25, step: 2});
  for (let j = 0; j < r.end.length; ++j) {
    const b = batch(x.slice(r.end[j] - 24, r.end[j] + 1));
    assert.equal(r.count[j], b.c);
    close(r.mean[j], b.mean, 1e-12, `mean ${j}`);
    close(r.variance[j], b.variance, 1e-10, `variance ${j}`);
    close(r.autocorrelation[j], b.ac, 1e-10, `ac ${j}`);
  }
  assert.ok(r.count.some((c) => c === 0));
});

test("rollingAutocorrelation(x, options) of an AR(1) is near φ and of a constant is NaN", () => {
  const random = mulberry32(9);
  const x = new Float64Array(20000);
  for (let t = 1; t < x.length; ++t) x[t] = 0.6 * x[t - 1] + randomNormal(random);
  const ac = rollingAutocorrelation(x, {window: 5000, step: 5000});
  // SE of r₁ ≈ √((1 − φ²)/n) ≈ 0.011; the estimator's bias is −(1 + 4φ)/n ≈ −0.0007.
  for (const r of ac) assert.ok(Math.abs(r - 0.6) < 0.045, `r1 = ${r}`);
  assert.ok(Number.isNaN(rollingAutocorrelation([2, 2, 2, 2], {window: 3})[0]));
  assert.deepEqual(Array.from(rollingMean([1, 2, 3, 4], {window: 2})), [1.5, 2.5, 3.5]);
  assert.deepEqual(Array.from(rollingVariance([1, 2, 4, 8], {window: 2, step: 2})), [0.5, 8]);
});

test("rollingAutocorrelation(x, options) equals acf(window, 1)[1] of lib/acf on each window", () => {
  const random = mulberry32(12);
  const x = Float64Array.from({length: 900}, () => randomNormal(random));
  for (let t = 1; t < x.length; ++t) x[t] += 0.7 * x[t - 1];
  const ac = rollingAutocorrelation(x, {window: 120, step: 37});
  for (let j = 0; j < ac.length; ++j) {
    const expected = acf(x.subarray(j * 37, j * 37 + 120), 1)[1];
    assert.ok(Math.abs(ac[j] - expected) < 1e-10, `${ac[j]} vs ${expected}`);
  }
});
