import test from "node:test";
import assert from "node:assert/strict";
import {crossCorrelation, fisherInterval, parabolicOffset, pearson} from "../../lib/cross-correlation.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("pearson(x, y) of a hand-computed case and with missing pairs", () => {
  // x = 1..5, y = [2, 4, 5, 4, 5]: Sxy = 6, Sxx = 10, Syy = 6.
  assert.ok(Math.abs(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) - 6 / Math.sqrt(60)) < 1e-15);
  assert.ok(Math.abs(pearson([1, 2, NaN, 3], [1, 2, 7, 3]) - 1) < 1e-15);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
});

test("fisherInterval(r, n) is symmetric in z and brackets r", () => {
  const [lo, hi] = fisherInterval(0.5, 103);
  const h = 1.959963984540054 / 10;
  assert.ok(Math.abs(lo - Math.tanh(Math.atanh(0.5) - h)) < 1e-12);
  assert.ok(Math.abs(hi - Math.tanh(Math.atanh(0.5) + h)) < 1e-12);
  assert.deepEqual(fisherInterval(0.5, 3), [NaN, NaN]);
});

test("crossCorrelation(x, y, L) peaks at the lag of a delayed noisy copy (x leads y)", () => {
  const random = mulberry32(4);
  const n = 20000;
  const d = 7;
  const x = Float64Array.from({length: n}, () => randomNormal(random));
  const y = new Float64Array(n);
  for (let t = 0; t < n; ++t) y[t] = (t >= d ? x[t - d] : 0) + 0.5 * randomNormal(random);
  const cc = crossCorrelation(x, y, 20);
  assert.equal(cc.lags.length, 41);
  assert.equal(cc.peakLag, d);
  // corr(x_t, x_t + 0.5 z) = 1/√1.25.
  assert.ok(Math.abs(cc.peak - 1 / Math.sqrt(1.25)) < 0.02);
  for (let i = 0; i < cc.lags.length; ++i) if (cc.lags[i] !== d) assert.ok(Math.abs(cc.r[i]) < 2 * cc.band);
  // Reversed roles: the peak moves to −d.
  assert.equal(crossCorrelation(y, x, 20).peakLag, -d);
});

test("crossCorrelation(x, y, L) matches the direct sums with missing values set to the mean", () => {
  const random = mulberry32(5);
  const n = 300;
  const x = Float64Array.from({length: n}, () => random());
  const y = Float64Array.from({length: n}, () => random());
  x[10] = NaN;
  y[50] = NaN;
  const mean = (a: Float64Array) => a.reduce((s, v) => (Number.isNaN(v) ? s : s + v), 0) / a.filter((v) => !Number.isNaN(v)).length;
  const mx = mean(x), my = mean(y);
  const xc = Array.from(x, (v) => (Number.isNaN(v) ? 0 : v - mx));
  const yc = Array.from(y, (v) => (Number.isNaN(v) ? 0 : v - my));
  const norm = Math.sqrt(xc.reduce((s, v) => s + v * v, 0) * yc.reduce((s, v) => s + v * v, 0));
  const cc = crossCorrelation(x, y, 30);
  for (let l = -30; l <= 30; ++l) {
    let s = 0;
    for (let t = 0; t < n; ++t) if (t + l >= 0 && t + l < n) s += xc[t] * yc[t + l];
    assert.ok(Math.abs(cc.r[l + 30] - s / norm) < 1e-12, `lag ${l}`);
  }
  assert.equal(cc.n, 299);
});

test("crossCorrelation(x, y, L) validates its arguments", () => {
  assert.throws(() => crossCorrelation([1, 2], [1], 0), /invalid y length: 1/);
  assert.throws(() => crossCorrelation([1, 2], [1, 2], 2), /invalid maxLag: 2/);
  assert.throws(() => crossCorrelation([1, Infinity], [1, 2], 1), /invalid x\[1\]: Infinity/);
});

test("parabolicOffset(r, i) finds the vertex of a sampled parabola, clipped to ±½, and 0 at the ends or without a maximum", () => {
  const r = Array.from({length: 7}, (_, k) => 1 - (k - 3.3) ** 2 / 10);
  assert.ok(Math.abs(parabolicOffset(r, 3) - 0.3) < 1e-12);
  assert.ok(Math.abs(parabolicOffset(r, 4) + 0.5) < 1e-12, "a vertex 0.7 below the index is clipped to −½");
  assert.equal(parabolicOffset(r, 0), 0);
  assert.equal(parabolicOffset(r, 6), 0);
  assert.equal(parabolicOffset([0, 1, 2], 1), 0, "collinear points: no interior maximum");
});
