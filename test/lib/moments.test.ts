import test from "node:test";
import assert from "node:assert/strict";
import {median, moments, MomentsStream, quantile, quantiles} from "../../lib/moments.js";
import {mulberry32, randomExponential, randomNormal} from "../../lib/random.js";

/** Two-pass reference: G₁ and G₂ from the central moments. */
function reference(x: number[]) {
  const n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / n;
  const c = (r: number) => x.reduce((a, v) => a + (v - m) ** r, 0) / n;
  const g1 = c(3) / c(2) ** 1.5;
  const g2 = c(4) / c(2) ** 2 - 3;
  return {
    mean: m,
    variance: (c(2) * n) / (n - 1),
    skewness: (g1 * Math.sqrt(n * (n - 1))) / (n - 2),
    excessKurtosis: (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3))
  };
}

test("moments(x) matches a two-pass computation and skips non-finite values", () => {
  const random = mulberry32(4);
  const x = Array.from({length: 500}, () => 1e6 + randomExponential(random));
  const ref = reference(x);
  const got = moments([...x, NaN, Infinity]);
  assert.equal(got.n, 500);
  assert.ok(Math.abs(got.mean - ref.mean) < 1e-8);
  assert.ok(Math.abs(got.variance - ref.variance) < 1e-9);
  assert.ok(Math.abs(got.skewness - ref.skewness) < 1e-8);
  assert.ok(Math.abs(got.excessKurtosis - ref.excessKurtosis) < 1e-7);
});

test("moments(x) of a hand-computed sample", () => {
  // x = 1, 2, 3, 4, 10: mean 4, m2 = 10, m3 = 36, m4 = 278.8 (central moments /n).
  const got = moments([1, 2, 3, 4, 10]);
  assert.equal(got.mean, 4);
  assert.ok(Math.abs(got.variance - 12.5) < 1e-12);
  const g1 = 36 / 10 ** 1.5;
  const g2 = 278.8 / 100 - 3;
  assert.ok(Math.abs(got.skewness - (g1 * Math.sqrt(20)) / 3) < 1e-12);
  assert.ok(Math.abs(got.excessKurtosis - ((6 * g2 + 6) * 4) / 6) < 1e-12);
});

test("moments(x) of exponential samples has skewness 2 and excess kurtosis 6", () => {
  const random = mulberry32(8);
  const x = Float64Array.from({length: 400000}, () => randomExponential(random, 2));
  const m = moments(x);
  assert.ok(Math.abs(m.mean - 0.5) < 0.005);
  assert.ok(Math.abs(m.skewness - 2) < 0.08);
  assert.ok(Math.abs(m.excessKurtosis - 6) < 0.8);
});

test("moments(x) of normal samples has excess kurtosis within its standard error of 0", () => {
  const random = mulberry32(12);
  const x = Float64Array.from({length: 20000}, () => randomNormal(random));
  const m = moments(x);
  assert.ok(Math.abs(m.excessKurtosis) < 4 * m.excessKurtosisSE, `${m.excessKurtosis} ± ${m.excessKurtosisSE}`);
  assert.ok(Math.abs(m.excessKurtosisSE - Math.sqrt(24 / 20000)) < 1e-3);
});

test("moments(x) with too few values gives NaN", () => {
  const m = moments([3]);
  assert.equal(m.mean, 3);
  assert.ok(Number.isNaN(m.variance) && Number.isNaN(m.skewness) && Number.isNaN(m.excessKurtosis));
  assert.ok(Number.isNaN(moments([]).mean));
  assert.ok(Number.isNaN(moments([1, 1, 1, 1, 1]).excessKurtosis));
});

test("quantiles(x, p) interpolate linearly between order statistics (type 7)", () => {
  const x = [7, 1, 3, NaN, 5];
  // Sorted 1, 3, 5, 7: h = 3p.
  const q = quantiles(x, [0, 0.25, 0.5, 0.9, 1]);
  [1, 2.5, 4, 6.4, 7].forEach((v, i) => assert.ok(Math.abs(q[i] - v) < 1e-12, `${q[i]} vs ${v}`));
  assert.ok(Math.abs(quantile(x, 0.9) - 6.4) < 1e-12);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([NaN])));
  assert.throws(() => quantile([1], 1.2), /invalid p: 1.2/);
});

test("quantile(values, p) interpolates order statistics (type 7) and skips NaN", () => {
  assert.equal(quantile([3, 1, NaN, 2, 4], 0.5), 2.5);
  assert.equal(quantile([3, 1, 2, 4], 1 / 3), 2);
  assert.equal(quantile([5], 0.9), 5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.throws(() => quantile([1], 2), /invalid p: 2/);
});

test("median(x) is the exact midpoint of the two middle values for even n", () => {
  assert.equal(median([1, 2, 4, 8]), 3);
  assert.equal(median([0.1, 0.7]), (0.1 + 0.7) / 2);
  assert.equal(median([5, NaN, 1, 3]), 3);
  assert.ok(Number.isNaN(median([NaN])));
});

test("MomentsStream on arbitrary cuts equals moments value for value", () => {
  const random = mulberry32(7);
  const x = Float64Array.from({length: 5000}, (_, i) => (i % 97 === 0 ? NaN : Math.exp(3 * random()) * 1e-3 + 40_000));
  const want = moments(x);
  for (const step of [1, 13, 999, 5000]) {
    const m = new MomentsStream();
    for (let a = 0; a < x.length; a += step) m.push(x.subarray(a, Math.min(x.length, a + step)));
    assert.deepEqual(m.result(), want, `step ${step}`);
  }
  assert.notDeepEqual(moments(x.subarray(2)), want, "the check can tell a different sample");
});
