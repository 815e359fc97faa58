import test from "node:test";
import assert from "node:assert/strict";
import {phaseRandomize} from "../../lib/phase-randomize.js";
import {fft} from "../../lib/fft.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function ar1(seed: number, n: number, phi: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  for (let t = 0; t < n; ++t) x[t] += 5;
  return x;
}

function periodogram(x: Float64Array): Float64Array {
  const re = Float64Array.from(x);
  const im = new Float64Array(x.length);
  fft(re, im);
  return re.map((r, k) => r * r + im[k] * im[k]);
}

/** Biased sample autocovariance γ̂(k) = (1/n) Σ (xₜ − x̄)(xₜ₊ₖ − x̄), written out directly. */
function autocovariance(x: Float64Array, k: number): number {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  let s = 0;
  for (let t = 0; t + k < n; ++t) s += (x[t] - m) * (x[t + k] - m);
  return s / n;
}

test("phaseRandomize(x, random) keeps the periodogram exactly for a power-of-two length", () => {
  const x = ar1(1, 1024, 0.8);
  const s = phaseRandomize(x, mulberry32(2));
  const px = periodogram(x);
  const ps = periodogram(s);
  const scale = px.reduce((a, b) => Math.max(a, b), 0);
  for (let k = 0; k < x.length; ++k) assert.ok(Math.abs(px[k] - ps[k]) < 1e-9 * scale, `k = ${k}`);
  // …and is a different series: the phases changed.
  let diff = 0;
  for (let t = 0; t < x.length; ++t) diff += (x[t] - s[t]) ** 2;
  assert.ok(diff > 0.5 * x.length);
});

test("phaseRandomize(x, random) is deterministic for a seed and writes into out", () => {
  const x = ar1(3, 256, 0.5);
  const out = new Float64Array(256);
  const a = phaseRandomize(x, mulberry32(9), out);
  assert.equal(a, out);
  assert.deepEqual(phaseRandomize(x, mulberry32(9)), a);
  assert.notDeepEqual(phaseRandomize(x, mulberry32(10)), a);
});

test("phaseRandomize(x, random) of any length keeps the sample autocovariance on average", () => {
  const x = ar1(4, 1000, 0.7);
  const random = mulberry32(5);
  const lags = [0, 1, 2, 5];
  const sums = new Float64Array(lags.length);
  let meanSum = 0;
  const S = 300;
  const s = new Float64Array(x.length);
  for (let i = 0; i < S; ++i) {
    phaseRandomize(x, random, s);
    lags.forEach((k, j) => (sums[j] += autocovariance(s, k)));
    meanSum += s.reduce((a, b) => a + b, 0) / s.length;
  }
  const g0 = autocovariance(x, 0);
  lags.forEach((k, j) => {
    const target = autocovariance(x, k);
    // Each realisation's γ(k) scatters by ≈ 0.1·γ(0); the average of 300 by ≈ 0.006·γ(0).
    assert.ok(Math.abs(sums[j] / S - target) < 0.04 * g0, `lag ${k}: ${sums[j] / S} vs ${target}`);
  });
  // The mean is kept exactly in every surrogate.
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  assert.ok(Math.abs(meanSum / S - mean) < 1e-9);
});

test("phaseRandomize(x, random) rejects bad input", () => {
  assert.throws(() => phaseRandomize([1, NaN, 2, 3], mulberry32(1)), /invalid x\[1\]: NaN/);
  assert.throws(() => phaseRandomize([1, 2, 3], mulberry32(1), undefined, {method: "exact"}), /invalid length: 3/);
  assert.throws(() => phaseRandomize([1, 2], mulberry32(1), new Float64Array(3)), /invalid out length: 3/);
  assert.deepEqual(Array.from(phaseRandomize([4], mulberry32(1))), [4]);
});
