import test from "node:test";
import assert from "node:assert/strict";
import {acf, firstBelow} from "../../lib/acf.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

/** Direct O(n·L) biased sample autocorrelation. */
function acfDirect(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; ++i) m += x[i];
  m /= n;
  const r = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag; ++k) {
    let s = 0;
    for (let t = 0; t + k < n; ++t) s += (x[t] - m) * (x[t + k] - m);
    r[k] = s;
  }
  const c0 = r[0];
  for (let k = 0; k <= maxLag; ++k) r[k] /= c0;
  return r;
}

function ar1(n: number, phi: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  return x;
}

test("acf(x, maxLag) matches the direct sum for one and for many blocks", () => {
  const random = mulberry32(11);
  for (const [n, L] of [[1, 0], [2, 1], [7, 6], [300, 299], [5000, 1500], [20000, 200], [20000, 3]]) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; ++i) x[i] = 3 + random() + (i > 0 ? 0.6 * x[i - 1] : 0);
    const fast = acf(x, L);
    const direct = acfDirect(x, L);
    assert.equal(fast.length, L + 1);
    if (n === 1) {
      assert.ok(Number.isNaN(fast[0]));
      continue;
    }
    assert.equal(fast[0], 1);
    for (let k = 0; k <= L; ++k) assert.ok(Math.abs(fast[k] - direct[k]) < 1e-12, `n=${n} k=${k}: ${fast[k]} vs ${direct[k]}`);
  }
});

test("acf(x, maxLag) of an AR(1) process is φ^k", () => {
  const phi = 0.7;
  const n = 200000;
  const rho = acf(ar1(n, phi, 5), 20);
  for (let k = 0; k <= 20; ++k) {
    // Bartlett's variance for AR(1): ((1+φ²)(1−φ^{2k})/(1−φ²) − 2kφ^{2k})/n; allow 5 standard errors.
    const v = ((1 + phi * phi) * (1 - phi ** (2 * k))) / (1 - phi * phi) - 2 * k * phi ** (2 * k);
    const se = Math.sqrt(v / n);
    assert.ok(Math.abs(rho[k] - phi ** k) <= 5 * se + 1e-12, `k=${k}: ${rho[k]} vs ${phi ** k}`);
  }
});

test("acf(x, maxLag) of i.i.d. ±1 signs stays within the white-noise band", () => {
  const random = mulberry32(3);
  const n = 100000;
  const x = new Int8Array(n);
  for (let i = 0; i < n; ++i) x[i] = random() < 0.5 ? -1 : 1;
  const rho = acf(x, 1000);
  let outside = 0;
  for (let k = 1; k <= 1000; ++k) if (Math.abs(rho[k]) > 1.96 / Math.sqrt(n)) ++outside;
  assert.ok(outside < 90, `${outside} of 1000 lags outside ±1.96/√n`);
});

test("acf(x, maxLag) of a constant series is NaN", () => {
  const rho = acf([2, 2, 2, 2], 2);
  assert.ok(rho.every(Number.isNaN));
});

test("acf(x, maxLag) rejects NaN, empty input and invalid lags", () => {
  assert.throws(() => acf([1, NaN, 2], 1), /invalid x\[1\]: NaN/);
  assert.throws(() => acf([], 0), /invalid x: empty/);
  assert.throws(() => acf([1, 2, 3], 3), /invalid maxLag: 3/);
  assert.throws(() => acf([1, 2, 3], -1), /invalid maxLag: -1/);
  assert.throws(() => acf([1, 2, 3], 1.5), /invalid maxLag: 1.5/);
});

test("firstBelow(rho) interpolates the 1/e crossing of an exponential decay", () => {
  const tau = 7.3;
  const rho = Float64Array.from({length: 50}, (_, k) => Math.exp(-k / tau));
  // Linear interpolation between lags 7 and 8 of exp(−k/τ).
  const a = Math.exp(-7 / tau);
  const b = Math.exp(-8 / tau);
  const expected = 7 + (a - 1 / Math.E) / (a - b);
  assert.ok(Math.abs(firstBelow(rho) - expected) < 1e-14);
  assert.ok(Math.abs(firstBelow(rho) - tau) < 0.05);
});

test("firstBelow(rho, level) handles never, immediately, NaN and exact hits", () => {
  assert.equal(firstBelow([1, 0.9, 0.8]), Infinity);
  assert.equal(firstBelow([1, 0.5, 0.2], 2), 0);
  assert.ok(Number.isNaN(firstBelow([])));
  assert.ok(Number.isNaN(firstBelow([1, NaN, 0])));
  assert.ok(Math.abs(firstBelow([1, 0.5, 0.25, 0.1], 0.4) - 1.4) < 1e-15);
  assert.equal(firstBelow([1, 0.5, 0.25], 0.5), 1);
});
