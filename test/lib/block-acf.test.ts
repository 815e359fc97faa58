import test from "node:test";
import assert from "node:assert/strict";
import {acf} from "../../lib/acf.js";
import {addBlockLagSums, blockAcf, blockLagSums, rollingBlockCorrelationLength} from "../../lib/block-acf.js";
import {correlationLength} from "../../lib/correlation-length.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function ar1(seed: number, n: number, phi: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  return x;
}

/** Random block bounds over [0, n) with every block at least `min` long. */
function bounds(seed: number, n: number, min: number, max: number): Int32Array {
  const random = mulberry32(seed);
  const b = [0];
  while (b[b.length - 1] + min <= n) b.push(Math.min(n, b[b.length - 1] + min + Math.floor(random() * (max - min + 1))));
  if (b[b.length - 1] !== n) b[b.length - 1] = n;
  return Int32Array.from(b);
}

test("blockAcf(sums, from, to) equals acf of the run when its end blocks hold at least maxLag samples", () => {
  const x = ar1(1, 5000, 0.7);
  for (let i = 0; i < x.length; ++i) x[i] += 3; // a level far from 0
  const K = 12;
  const b = bounds(2, x.length, K, 80);
  const sums = blockLagSums(x, b, K);
  assert.equal(sums.blocks, b.length - 1);
  for (const [from, to] of [[0, sums.blocks], [3, 10], [7, 8], [20, 41]]) {
    const direct = acf(x.subarray(b[from], b[to]), K);
    const fast = blockAcf(sums, from, to);
    for (let k = 0; k <= K; ++k) assert.ok(Math.abs(fast[k] - direct[k]) < 1e-10, `[${from}, ${to}) lag ${k}: ${fast[k]} vs ${direct[k]}`);
  }
});

test("blockAcf(sums, from, to) with blocks shorter than the lag stays within 4k/(n·c0) of acf for ±1 signs", () => {
  const random = mulberry32(3);
  const n = 4000;
  const x = Float64Array.from({length: n}, () => (random() < 0.6 ? 1 : -1));
  const K = 8;
  const b = bounds(4, n, 1, 6);
  const sums = blockLagSums(x, b, K);
  const from = 10;
  const to = sums.blocks - 10;
  const run = x.subarray(b[from], b[to]);
  const direct = acf(run, K);
  const fast = blockAcf(sums, from, to);
  const mean = run.reduce((s, v) => s + v, 0) / run.length;
  const c0 = 1 - mean * mean;
  for (let k = 1; k <= K; ++k) assert.ok(Math.abs(fast[k] - direct[k]) <= (4 * k) / (run.length * c0), `lag ${k}`);
});

test("blockAcf(sums, from, to) of a constant run is NaN at every lag", () => {
  const sums = blockLagSums(new Float64Array(100).fill(2), [0, 50, 100], 3);
  assert.ok(Array.from(blockAcf(sums, 0, 2)).every(Number.isNaN));
});

test("addBlockLagSums(parts) gives the pooled within-series autocorrelation, never pairing two series", () => {
  const x = ar1(5, 3000, 0.8);
  const y = ar1(6, 3000, -0.5);
  const b = Int32Array.from({length: 31}, (_, i) => i * 100);
  const K = 5;
  const pooled = blockAcf(addBlockLagSums([blockLagSums(x, b, K), blockLagSums(y, b, K)]), 0, 30);
  // Direct: both series' lag products about their pooled mean, over the pooled variance.
  const all = [...x, ...y];
  const mu = all.reduce((s, v) => s + v, 0) / all.length;
  const c = (k: number) => {
    let s = 0;
    for (const z of [x, y]) for (let t = 0; t + k < z.length; ++t) s += (z[t] - mu) * (z[t + k] - mu);
    return s / all.length;
  };
  for (let k = 1; k <= K; ++k) assert.ok(Math.abs(pooled[k] - c(k) / c(0)) < (2 * k) / all.length + 1e-12, `lag ${k}`);
  // An AR(1) of +0.8 pooled with one of −0.5 (same innovation variance): ρ(1) between the two.
  assert.ok(pooled[1] > 0.2 && pooled[1] < 0.6, String(pooled[1]));
});

test("rollingBlockCorrelationLength(sums, options) equals correlationLength on each window and ≈ −1/ln φ for an AR(1)", () => {
  const phi = 0.6;
  const x = ar1(7, 60_000, phi);
  const block = 200;
  const b = Int32Array.from({length: 301}, (_, i) => i * block);
  const sums = blockLagSums(x, b, 20);
  const xi = rollingBlockCorrelationLength(sums, {window: 50, step: 25});
  assert.equal(xi.length, Math.floor((300 - 50) / 25) + 1);
  for (let j = 0; j < xi.length; ++j) {
    const direct = correlationLength(x.subarray(j * 25 * block, (j * 25 + 50) * block), {maxLag: 20});
    assert.ok(Math.abs(xi[j] - direct) < 1e-9, `window ${j}: ${xi[j]} vs ${direct}`);
  }
  const mean = xi.reduce((s, v) => s + v, 0) / xi.length;
  assert.ok(Math.abs(mean - -1 / Math.log(phi)) < 0.05, `mean ξ ${mean}, expected ${-1 / Math.log(phi)}`);
});

test("rollingBlockCorrelationLength(sums, {interpolation: \"linear\"}) equals the linear correlationLength and is continuous where ρ(1) crosses 0", () => {
  const x = ar1(8, 20_000, 0.5);
  const b = Int32Array.from({length: 101}, (_, i) => i * 200);
  const sums = blockLagSums(x, b, 10);
  const xi = rollingBlockCorrelationLength(sums, {window: 10, step: 10, interpolation: "linear"});
  for (let j = 0; j < xi.length; ++j) {
    const direct = correlationLength(x.subarray(j * 2000, j * 2000 + 2000), {maxLag: 10, interpolation: "linear"});
    assert.ok(Math.abs(xi[j] - direct) < 1e-9);
  }
  // ρ(1) just above and just below 0: the linear rule gives (1 − 1/e)/(1 − ρ(1)) on both sides.
  const near = (r1: number) => {
    const y = new Float64Array(4000);
    const random = mulberry32(9);
    // An MA(1) yₜ = εₜ + θ εₜ₋₁ has ρ(1) = θ/(1 + θ²).
    const theta = (1 - Math.sqrt(1 - 4 * r1 * r1)) / (2 * r1 || 1);
    let prev = randomNormal(random);
    for (let t = 0; t < y.length; ++t) {
      const e = randomNormal(random);
      y[t] = e + (r1 === 0 ? 0 : theta) * prev;
      prev = e;
    }
    const s = blockLagSums(y, [0, 4000], 3);
    const rho1 = blockAcf(s, 0, 1)[1];
    return {rho1, xi: rollingBlockCorrelationLength(s, {window: 1, interpolation: "linear"})[0]};
  };
  for (const r1 of [0.02, -0.02]) {
    const {rho1, xi: v} = near(r1);
    assert.ok(Math.abs(v - (1 - 1 / Math.E) / (1 - rho1)) < 1e-9, `ρ(1) = ${rho1}: ξ = ${v}`);
  }
  assert.throws(() => rollingBlockCorrelationLength(sums, {window: 1, interpolation: "cubic" as never}), /invalid interpolation: cubic/);
});

test("rollingBlockCorrelationLength(sums, options) is Infinity when the autocorrelation stays above the level", () => {
  const x = Float64Array.from({length: 2000}, (_, i) => Math.sin(i / 200));
  const sums = blockLagSums(x, [0, 1000, 2000], 5);
  assert.deepEqual(Array.from(rollingBlockCorrelationLength(sums, {window: 1})), [Infinity, Infinity]);
});

test("blockLagSums(x, bounds, maxLag) and blockAcf reject invalid arguments", () => {
  assert.throws(() => blockLagSums([1, 2, 3], [0, 2, 1], 1), /invalid bounds\[2\]: 1/);
  assert.throws(() => blockLagSums([1, 2, 3], [0, 4], 1), /invalid bounds\[1\]: 4/);
  assert.throws(() => blockLagSums([1, 2, 3], [0], 1), /invalid bounds: length 1/);
  assert.throws(() => blockLagSums([1, 2, 3], [0, 3], -1), /invalid maxLag: -1/);
  assert.throws(() => blockLagSums([1, NaN, 3], [0, 3], 1), /invalid x\[1\]: NaN/);
  const sums = blockLagSums([1, 2, 3, 4], [0, 2, 4], 1);
  assert.throws(() => blockAcf(sums, 1, 1), /invalid to: 1/);
  assert.throws(() => blockAcf(sums, 0, 2, 2), /invalid maxLag: 2/);
  assert.throws(() => rollingBlockCorrelationLength(sums, {window: 0}), /invalid window: 0/);
  assert.throws(() => addBlockLagSums([sums, blockLagSums([1, 2, 3, 4], [0, 4], 1)]), /invalid blocks: 1/);
});

test("blockLagSums(x, bounds, maxLag) of ±1 signs in an Int8Array (read in place) equals the sums of the same signs as numbers", () => {
  const rand = mulberry32(7);
  const n = 5_000;
  const x = new Int8Array(n);
  for (let i = 0; i < n; ++i) x[i] = rand() < 0.6 ? 1 : -1;
  const bounds = [3, 900, 900, 2_400, 4_990];
  const a = blockLagSums(x, bounds, 12);
  const b = blockLagSums(Array.from(x), bounds, 12);
  for (const f of ["count", "sum", "products", "crossing", "head", "tail"] as const) assert.deepEqual(a[f], b[f], f);
});
