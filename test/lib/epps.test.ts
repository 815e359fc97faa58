import test from "node:test";
import assert from "node:assert/strict";
import {eppsCurve} from "../../lib/epps.js";
import {pearson} from "../../lib/cross-correlation.js";
import {mulberry32, randomExponential, randomNormal} from "../../lib/random.js";

test("eppsCurve(a, b) equals Pearson correlation of non-overlapping log returns", () => {
  const random = mulberry32(1);
  const a = [100];
  const b = [100];
  for (let i = 1; i < 601; ++i) {
    const z = randomNormal(random);
    a.push(a[i - 1] * Math.exp(1e-3 * z));
    b.push(b[i - 1] * Math.exp(1e-3 * (0.5 * z + randomNormal(random))));
  }
  const curve = eppsCurve(a, b, {scales: [1, 5, 60]});
  for (let i = 0; i < 3; ++i) {
    const s = curve.scale[i];
    const ra: number[] = [], rb: number[] = [];
    for (let j = 0; (j + 1) * s < a.length; ++j) {
      ra.push(Math.log(a[(j + 1) * s] / a[j * s]));
      rb.push(Math.log(b[(j + 1) * s] / b[j * s]));
    }
    assert.equal(curve.n[i], ra.length);
    assert.ok(Math.abs(curve.correlation[i] - pearson(ra, rb)) < 1e-12);
    assert.ok(curve.lower[i] < curve.correlation[i] && curve.correlation[i] < curve.upper[i]);
  }
});

test("eppsCurve(a, b) rises with the sampling interval for asynchronously traded copies", () => {
  // One efficient log price (Brownian, 1 s steps); each venue's last price is the efficient
  // price at its last trade (Poisson, one trade per 4 s on average), carried forward.
  const random = mulberry32(2);
  const n = 6 * 3600;
  const m = new Float64Array(n);
  for (let i = 1; i < n; ++i) m[i] = m[i - 1] + 1e-4 * randomNormal(random);
  const venue = () => {
    const p = new Float64Array(n).fill(NaN);
    let next = randomExponential(random, 0.25);
    let last = NaN;
    for (let i = 0; i < n; ++i) {
      while (next <= i) (last = 30000 * Math.exp(m[i])), (next += randomExponential(random, 0.25));
      p[i] = last;
    }
    return p;
  };
  const curve = eppsCurve(venue(), venue());
  assert.deepEqual(Array.from(curve.scale), [1, 5, 10, 30, 60]);
  // Epps: strictly rising here, from far below 1 at 1 s to near 1 at 60 s.
  for (let i = 1; i < 5; ++i) assert.ok(curve.correlation[i] > curve.correlation[i - 1]);
  assert.ok(curve.correlation[0] < 0.3, `${curve.correlation[0]}`);
  assert.ok(curve.correlation[4] > 0.85, `${curve.correlation[4]}`);
});

test("eppsCurve(a, b) validates its inputs", () => {
  assert.throws(() => eppsCurve([1, 2], [1]), /invalid priceB length: 1/);
  assert.throws(() => eppsCurve([1, 2], [1, 2], {scales: [0]}), /invalid scale: 0/);
  assert.throws(() => eppsCurve([1, -2], [1, 2]), /invalid priceA\[1\]: -2/);
  assert.ok(Number.isNaN(eppsCurve([1, 2, 3], [1, 2, 4], {scales: [5]}).correlation[0]));
});
