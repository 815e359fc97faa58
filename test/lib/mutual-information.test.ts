import test from "node:test";
import assert from "node:assert/strict";
import {laggedMutualInformation, mutualInformation, mutualInformationFromCounts} from "../../lib/mutual-information.js";
import {entropy} from "../../lib/entropy.js";
import {mulberry32} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

function iid(n: number, b: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({length: n}, () => Math.floor(random() * b));
}

/** y[t] = x[t − lag] with probability p, else uniform. */
function noisyCopy(x: Uint8Array, b: number, p: number, lag: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({length: x.length}, (_, t) => (t >= lag && random() < p ? x[t - lag] : Math.floor(random() * b)));
}

/** Pairs (x[t], y[t + lag]) in range, as two arrays. */
function pairs(x: ArrayLike<number>, y: ArrayLike<number>, lag: number): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (let t = 0; t < x.length; ++t) if (t + lag >= 0 && t + lag < y.length) (a.push(x[t]), b.push(y[t + lag]));
  return [a, b];
}

test("mutualInformation(x, y) of the hand-computable case is 0.00721461847452 bits", () => {
  close(mutualInformation([0, 0, 1, 1, 0, 1, 0, 1, 1], [0, 0, 0, 1, 1, 0, 1, 0, 1]), 0.00721461847452, 1e-12);
});

test("mutualInformation(x, y, {lag}) is H(x) + H(y) − H(x, y) over the lagged pairs", () => {
  const x = iid(700, 4, 1);
  const y = noisyCopy(x, 4, 0.4, 3, 2);
  for (const lag of [-5, -1, 0, 1, 3, 10]) {
    const [a, b] = pairs(x, y, lag);
    const joint = a.map((v, i) => v * 4 + b[i]);
    close(mutualInformation(x, y, {lag}), entropy(a) + entropy(b) - entropy(joint), 1e-12, `lag ${lag}`);
    close(mutualInformation(y, x, {lag: -lag}), mutualInformation(x, y, {lag}), 1e-13, `symmetry at lag ${lag}`);
  }
});

test("mutualInformation(x, x) is H(x); independent series give ≈ 0", () => {
  const x = iid(100000, 3, 3);
  close(mutualInformation(x, x), entropy(x), 1e-13);
  // Plug-in bias for independent ternary series: (3 − 1)(3 − 1)/(2N ln 2) ≈ 2.9e-5 bits.
  assert.ok(mutualInformation(x, iid(100000, 3, 4)) < 2e-4);
});

test("mutualInformation(x, y, {estimator: \"miller-madow\"}) is the sum of Miller–Madow entropies", () => {
  const x = iid(300, 3, 5);
  const y = noisyCopy(x, 3, 0.5, 0, 6);
  const joint = Array.from(x, (v, i) => v * 3 + y[i]);
  const mm = (s: ArrayLike<number>) => entropy(s, {estimator: "miller-madow"});
  close(mutualInformation(x, y, {estimator: "miller-madow"}), mm(x) + mm(y) - mm(joint), 1e-12);
});

test("mutualInformation(x, y) accepts alphabets of different sizes", () => {
  const x = iid(2000, 2, 7);
  const y = Uint8Array.from(x, (v, i) => v * 3 + (i % 3)); // six symbols, x = floor(y / 3)
  close(mutualInformation(x, y), entropy(x), 1e-13);
  close(mutualInformationFromCounts([5, 0, 0, 5], 2, 2), 1, 1e-15);
  assert.ok(Number.isNaN(mutualInformationFromCounts([0, 0, 0, 0], 2, 2)));
});

test("laggedMutualInformation(x, y) finds the lag of a delayed copy", () => {
  const x = iid(20000, 3, 8);
  const y = noisyCopy(x, 3, 0.5, 4, 9);
  for (const correction of ["none", "miller-madow", "shuffle"] as const) {
    const r = laggedMutualInformation(x, y, {maxLag: 8, correction, surrogates: 50});
    assert.deepEqual(Array.from(r.lag), [-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(r.bestLag, 4, correction);
    assert.equal(r.best, r.corrected[12]);
    for (let i = 0; i < r.lag.length; ++i) close(r.mi[i], mutualInformation(x, y, {lag: r.lag[i]}), 1e-15);
  }
});

test("laggedMutualInformation(x, y, {correction}) removes the bias that grows as pairs get fewer", () => {
  // Independent 8-letter series of 400 samples: plug-in MI ≈ 49/(2N ln 2) ≈ 0.09–0.18 bits over lags 0…199.
  const x = iid(400, 8, 10);
  const y = iid(400, 8, 11);
  const none = laggedMutualInformation(x, y, {minLag: 0, maxLag: 199, correction: "none"});
  const mm = laggedMutualInformation(x, y, {minLag: 0, maxLag: 199, correction: "miller-madow"});
  const sh = laggedMutualInformation(x, y, {minLag: 0, maxLag: 199, correction: "shuffle", surrogates: 100, seed: 1});
  const mean = (a: Float64Array, from: number, to: number) => a.subarray(from, to).reduce((s, v) => s + v, 0) / (to - from);
  // The plug-in grows with the lag (fewer pairs) and its maximum sits at a large lag.
  assert.ok(mean(none.mi, 150, 200) > 1.5 * mean(none.mi, 0, 50), "plug-in grows with lag");
  assert.ok(none.bestLag > 100, `plug-in best lag ${none.bestLag}`);
  // The shuffle correction centres every lag on 0 (no trend) and its p-values look uniform.
  assert.ok(Math.abs(mean(sh.corrected, 0, 200)) < 0.005, `shuffle-corrected mean ${mean(sh.corrected, 0, 200)}`);
  const trend = (a: Float64Array) => mean(a, 150, 200) - mean(a, 0, 50);
  // The null spread of one lag's MI is ≈ 0.03 bits at N ≈ 200, so the means of 50 lags still wobble by ≈ 0.005.
  assert.ok(Math.abs(trend(sh.corrected)) < trend(none.mi) / 4, `trend ${trend(sh.corrected)} vs plug-in ${trend(none.mi)}`);
  const rejected = sh.pValue!.filter((p) => p <= 0.05).length;
  assert.ok(rejected < 25, `${rejected} of 200 lags rejected at 0.05`);
  // Miller–Madow removes most, but not all, of it.
  assert.ok(Math.abs(mean(mm.corrected, 0, 200)) < mean(none.mi, 0, 200) / 2);
});

test("laggedMutualInformation(x, y, {correction: \"shuffle\"}) is deterministic given the seed", () => {
  const x = iid(500, 3, 12);
  const y = noisyCopy(x, 3, 0.3, 1, 13);
  const a = laggedMutualInformation(x, y, {maxLag: 3, correction: "shuffle", seed: 4});
  assert.deepEqual(laggedMutualInformation(x, y, {maxLag: 3, correction: "shuffle", seed: 4}), a);
  assert.equal(a.pValue![4], 1 / 101); // lag 1, the planted delay
});

test("mutualInformation(x, y) and laggedMutualInformation(x, y) reject invalid arguments", () => {
  assert.throws(() => mutualInformation([0, 1], [0]), /invalid y: length 1 differs from x length 2/);
  assert.throws(() => mutualInformation([0, 1], [0, 1], {lag: 2}), /invalid lag: 2/);
  assert.throws(() => mutualInformation([0, 1], [0, 1], {lag: 0.5}), /invalid lag: 0.5/);
  assert.throws(() => mutualInformation([0, 3], [0, 1], {base: 3}), /invalid symbol: 3/);
  assert.throws(() => mutualInformation([0, 1], [0, 1], {estimator: "nsb" as never}), /invalid estimator: nsb/);
  assert.throws(() => laggedMutualInformation([0, 1, 0], [0, 1, 1], {maxLag: 1, minLag: 2}), /invalid minLag: 2/);
  assert.throws(() => laggedMutualInformation([0, 1, 0], [0, 1, 1], {maxLag: 5}), /invalid maxLag: 5/);
  assert.throws(() => laggedMutualInformation([0, 1, 0], [0, 1, 1], {maxLag: 1, correction: "jackknife" as never}), /invalid correction: jackknife/);
  assert.throws(() => laggedMutualInformation([0, 1, 0], [0, 1, 1], {maxLag: 1, correction: "shuffle", surrogates: 0}), /invalid surrogates: 0/);
});
