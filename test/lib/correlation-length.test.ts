import test from "node:test";
import assert from "node:assert/strict";
import {correlationLength, knownSigns, rollingCorrelationLength} from "../../lib/correlation-length.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function ar1(seed: number, n: number, phi: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  return x;
}

test("correlationLength(x, options) of an AR(1) is −1/ln φ", () => {
  // Sampling SDs of ξ at n = 10⁵, measured over 30 seeds: 0.01, 0.07, 0.21, 0.56 lags.
  for (const [phi, seed, sd] of [[0.5, 1, 0.01], [0.8, 2, 0.07], [0.9, 3, 0.21], [0.95, 4, 0.56]] as const) {
    const x = ar1(seed, 100000, phi);
    const xi = correlationLength(x, {maxLag: 200});
    const exact = -1 / Math.log(phi);
    assert.ok(Math.abs(xi - exact) < 4 * sd, `φ = ${phi}: ξ = ${xi}, exact ${exact}`);
    // Linear interpolation between lags overstates a fast exponential decay.
    if (phi === 0.5) assert.ok(correlationLength(x, {maxLag: 200, interpolation: "linear"}) - exact > 0.06);
  }
});

test("correlationLength(x, options) of white noise is below one lag and is censored at maxLag", () => {
  const random = mulberry32(5);
  const noise = Float64Array.from({length: 5000}, () => randomNormal(random));
  assert.ok(correlationLength(noise, {maxLag: 10}) < 1);
  assert.equal(correlationLength(ar1(6, 2000, 0.99), {maxLag: 5}), Infinity);
  assert.ok(Number.isNaN(correlationLength([1, 1, 1, 1], {maxLag: 2})));
  assert.throws(() => correlationLength([1, 2, 3], {maxLag: 0}), /invalid maxLag: 0/);
});

test("rollingCorrelationLength(x, options) equals correlationLength on each window", () => {
  const x = ar1(7, 3000, 0.8);
  x[1234] = NaN;
  const rolled = rollingCorrelationLength(x, {window: 400, step: 130, maxLag: 60});
  assert.equal(rolled.length, Math.floor((3000 - 400) / 130) + 1);
  for (let j = 0; j < rolled.length; ++j) {
    const w = x.subarray(j * 130, j * 130 + 400);
    if (w.some((v) => Number.isNaN(v))) assert.ok(Number.isNaN(rolled[j]));
    else assert.equal(rolled[j], correlationLength(w, {maxLag: 60}));
  }
  assert.ok(rolled.some((v) => Number.isNaN(v)));
});

test("rollingCorrelationLength(x, options) follows a planted rise in memory", () => {
  // φ = 0.5 for the first half (ξ ≈ 1.44), 0.9 for the second (ξ ≈ 9.49).
  const a = ar1(8, 20000, 0.5);
  const b = ar1(9, 20000, 0.9);
  const x = new Float64Array(40000);
  x.set(a, 0);
  x.set(b, 20000);
  const xi = rollingCorrelationLength(x, {window: 5000, step: 5000, maxLag: 100});
  for (let j = 0; j < 4; ++j) assert.ok(Math.abs(xi[j] - 1.44) < 0.3, `${xi[j]}`);
  // SD of ξ at n = 5000 and φ = 0.9 is ≈ 0.21·√20 ≈ 0.95 lags.
  for (let j = 4; j < 8; ++j) assert.ok(Math.abs(xi[j] - 9.49) < 3.5, `${xi[j]}`);
});

test("knownSigns(side) drops unknown sides", () => {
  assert.deepEqual(Array.from(knownSigns(Int8Array.from([1, 0, -1, -1, 0, 1]))), [1, -1, -1, 1]);
});
