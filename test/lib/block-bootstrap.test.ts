import test from "node:test";
import assert from "node:assert/strict";
import {blockBootstrapIndices, bootstrapSlope, percentileInterval} from "../../lib/block-bootstrap.ts";
import {linearRegression, slopeInterval} from "../../lib/linear-regression.ts";
import {mulberry32, randomNormal} from "../../lib/random.ts";

test("blockBootstrapIndices(n, L, random) concatenates runs of L consecutive indices starting in [0, n − L]", () => {
  const n = 103;
  const L = 10;
  const idx = blockBootstrapIndices(n, L, mulberry32(1));
  assert.equal(idx.length, n);
  for (let b = 0; b * L < n; ++b) {
    const s = idx[b * L];
    assert.ok(s >= 0 && s <= n - L, `start ${s}`);
    for (let j = 1; j < L && b * L + j < n; ++j) assert.equal(idx[b * L + j], s + j);
  }
});

test("blockBootstrapIndices(n, 1, random) draws every index uniformly", () => {
  const n = 10;
  const counts = new Float64Array(n);
  const random = mulberry32(7);
  const out = new Int32Array(n);
  for (let r = 0; r < 20_000; ++r) for (const i of blockBootstrapIndices(n, 1, random, out)) ++counts[i];
  // 20 000 draws per index expected; binomial sd ≈ 134.
  for (const c of counts) assert.ok(Math.abs(c - 20_000) < 700, `count ${c}`);
});

test("blockBootstrapIndices(n, L, random) rejects invalid arguments", () => {
  const random = mulberry32(1);
  assert.throws(() => blockBootstrapIndices(-1, 1, random), /invalid n: -1/);
  assert.throws(() => blockBootstrapIndices(10, 0, random), /invalid blockLength: 0/);
  assert.throws(() => blockBootstrapIndices(10, 11, random), /invalid blockLength: 11/);
  assert.throws(() => blockBootstrapIndices(10, 2, random, new Int32Array(3)), /invalid out length: 3/);
  assert.equal(blockBootstrapIndices(0, 1, random).length, 0);
});

test("percentileInterval(values, level) gives the type-7 quantiles and skips non-finite values", () => {
  const v = Array.from({length: 101}, (_, i) => i);
  const [lo, hi] = percentileInterval(v, 0.9);
  assert.ok(Math.abs(lo - 5) < 1e-9 && Math.abs(hi - 95) < 1e-9, `${lo}, ${hi}`);
  assert.deepEqual(percentileInterval([NaN, 1, 2, 3, Infinity], 0.5), [1.5, 2.5]);
  assert.deepEqual(percentileInterval([NaN]), [NaN, NaN]);
  assert.throws(() => percentileInterval(v, 1), /invalid level: 1/);
});

test("bootstrapSlope(x, y) on independent pairs agrees with the OLS standard error", () => {
  const random = mulberry32(3);
  const n = 2000;
  const x = Float64Array.from({length: n}, () => randomNormal(random));
  const y = Float64Array.from(x, (v) => 1 + 2 * v + randomNormal(random));
  const b = bootstrapSlope(x, y, {resamples: 499, seed: 11});
  const ols = linearRegression(x, y);
  assert.equal(b.fit.slope, ols.slope);
  assert.ok(Math.abs(b.se / ols.slopeSE - 1) < 0.15, `bootstrap se ${b.se} vs OLS ${ols.slopeSE}`);
  assert.ok(b.interval[0] < 2 && 2 < b.interval[1], `interval ${b.interval}`);
  assert.equal(b.resamples, 499);
  // Deterministic given the seed.
  assert.deepEqual(bootstrapSlope(x, y, {resamples: 499, seed: 11}).interval, b.interval);
});

test("bootstrapSlope(x, y, {blockLength}) keeps its coverage under autocorrelation where the OLS interval does not", () => {
  // x and the errors are AR(1) with φ = 0.9: OLS standard errors are far too small.
  const random = mulberry32(5);
  const n = 400;
  const reps = 60;
  let coveredBlock = 0;
  let coveredOls = 0;
  const ar = (phi: number) => {
    const out = new Float64Array(n);
    let v = randomNormal(random) / Math.sqrt(1 - phi * phi);
    for (let i = 0; i < n; ++i) out[i] = v = phi * v + randomNormal(random);
    return out;
  };
  for (let r = 0; r < reps; ++r) {
    const x = ar(0.9);
    const e = ar(0.9);
    const y = Float64Array.from(x, (v, i) => 0.5 * v + e[i]);
    const b = bootstrapSlope(x, y, {blockLength: 40, resamples: 199, seed: r});
    if (b.interval[0] <= 0.5 && 0.5 <= b.interval[1]) ++coveredBlock;
    const [lo, hi] = slopeInterval(linearRegression(x, y));
    if (lo <= 0.5 && 0.5 <= hi) ++coveredOls;
  }
  assert.ok(coveredBlock / reps >= 0.8, `block coverage ${coveredBlock}/${reps}`);
  assert.ok(coveredOls < coveredBlock, `OLS coverage ${coveredOls}/${reps} vs block ${coveredBlock}/${reps}`);
});

test("bootstrapSlope(x, y) skips non-finite pairs and rejects invalid options", () => {
  const x = [1, 2, NaN, 4, 5, 6];
  const y = [2, 4, 6, 8, Infinity, 12];
  const b = bootstrapSlope(x, y, {resamples: 50});
  assert.equal(b.fit.n, 4);
  assert.ok(Math.abs(b.fit.slope - 2) < 1e-12);
  assert.ok(Number.isNaN(bootstrapSlope([1, 2], [1, 2]).se));
  assert.throws(() => bootstrapSlope([1, 2], [1]), /invalid y length: 1/);
  assert.throws(() => bootstrapSlope(x, y, {resamples: 0}), /invalid resamples: 0/);
  assert.throws(() => bootstrapSlope(x, y, {blockLength: 5}), /invalid blockLength: 5/);
});
