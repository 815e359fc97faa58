import test from "node:test";
import assert from "node:assert/strict";
import {spreadProxy, spreadVolatility} from "../../lib/spread-proxy.ts";
import {mulberry32, randomNormal} from "../../lib/random.ts";

test("spreadProxy(a, b) removes the median basis of each window and keeps the absolute remainder", () => {
  // b sits 10 below a, except for two dislocations of +3 and −2.
  const a = [100, 101, 102, 103, 104, 105, 106, 107];
  const b = [90, 91, 89, 93, 94, 95, 98, 97];
  const s = spreadProxy(a, b, {basisWindow: 4});
  assert.deepEqual(Array.from(s), [0, 0, 3, 0, 0, 0, 2, 0]);
});

test("spreadProxy(a, b) gives NaN where a price is missing and ignores it in the basis", () => {
  const s = spreadProxy([NaN, 5, 6, 7], [1, 1, 2, 1], {basisWindow: 4});
  assert.ok(Number.isNaN(s[0]));
  assert.deepEqual(Array.from(s.subarray(1)), [0, 0, 2]);
  assert.ok(spreadProxy([NaN], [1]).every(Number.isNaN));
  assert.throws(() => spreadProxy([1], [1, 2]), /invalid b length: 2/);
  assert.throws(() => spreadProxy([1], [1], {basisWindow: 0}), /invalid basisWindow: 0/);
});

test("spreadVolatility(a, b) of a delayed copy of a random walk matches E|Δ| = p·σ·√(2Δ/π) and √(window/2)·σ", () => {
  // Latent log price on a 1 s grid with σ per step; b sees it d steps late.
  const random = mulberry32(1);
  const n = 360_000;
  const d = 4;
  const sigma = 1e-4;
  const x = new Float64Array(n + d);
  for (let i = 1; i < x.length; ++i) x[i] = x[i - 1] + sigma * randomNormal(random);
  const p0 = 50_000;
  const a = Float64Array.from({length: n}, (_, i) => p0 * Math.exp(x[i + d]));
  const b = Float64Array.from({length: n}, (_, i) => p0 * Math.exp(x[i]));
  const {spread, rv} = spreadVolatility(a, b, {window: 60, basisWindow: 3600});
  const mean = (v: Float64Array) => v.reduce((s, y) => s + y, 0) / v.length;
  const expectedSpread = p0 * sigma * Math.sqrt((2 * d) / Math.PI);
  assert.ok(Math.abs(mean(spread) / expectedSpread - 1) < 0.03, `spread ${mean(spread)} vs ${expectedSpread}`);
  // The two venues' increments at one time are d steps apart, hence independent: the mean of the
  // two has variance σ²/2, so E[RV²] = 10⁸·window·σ²/2.
  const ms = rv.reduce((s, y) => s + y * y, 0) / rv.length;
  assert.ok(Math.abs(Math.sqrt(ms) / (1e4 * sigma * Math.sqrt(60 / 2)) - 1) < 0.02, `rv ${Math.sqrt(ms)}`);
  assert.equal(spread.length, n / 60);
});

test("spreadVolatility(a, b) rescales windows with gaps and drops windows with too few valid samples", () => {
  const a = Float64Array.from({length: 8}, (_, i) => 100 * Math.exp(0.001 * (i % 2)));
  const b = Float64Array.from(a);
  a[5] = NaN;
  a[6] = NaN;
  a[7] = NaN;
  const r = spreadVolatility(a, b, {window: 4, basisWindow: 8, minShare: 0.5});
  // Window 0: returns 1..3 of ±0.001 in log on both ⇒ RV = 1e4·√(4/3·3·1e-6) = 20 bp.
  assert.ok(Math.abs(r.rv[0] - 20) < 1e-6, `${r.rv[0]}`);
  assert.equal(r.spread[0], 0);
  // Window 1 holds one valid spread (index 4) and no valid return: dropped.
  assert.ok(Number.isNaN(r.rv[1]) && Number.isNaN(r.spread[1]));
  assert.throws(() => spreadVolatility([0, 1], [1, 1]), /invalid a\[0\]: 0/);
  assert.throws(() => spreadVolatility([1, 1], [1, 1], {window: 0}), /invalid window: 0/);
  assert.throws(() => spreadVolatility([1, 1], [1, 1], {minShare: 2}), /invalid minShare: 2/);
});
