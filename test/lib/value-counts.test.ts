import test from "node:test";
import assert from "node:assert/strict";
import {quantiles} from "../../lib/moments.js";
import {mulberry32} from "../../lib/random.js";
import {ValueCounts} from "../../lib/value-counts.js";

/** Trade-like sizes: a lot grid of 0.001 with a Pareto tail, some NaN. */
function sizes(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({length: n}, (_, i) => (i % 501 === 0 ? NaN : Math.max(0.001, Math.round(0.01 / Math.pow(1 - random(), 1 / 1.5) * 1000) / 1000)));
}

test("ValueCounts fed in arbitrary pieces: every order statistic and the type-7 quantiles equal the whole sample's", () => {
  const x = sizes(20_000, 3);
  const p = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];
  const sorted = Float64Array.from(x.filter(Number.isFinite)).sort();
  for (const step of [1, 777, 20_000]) {
    const c = new ValueCounts();
    for (let a = 0; a < x.length; a += step) c.add(x.subarray(a, Math.min(x.length, a + step)));
    assert.equal(c.length, sorted.length);
    assert.ok(c.distinct < sorted.length / 5, "the lot grid repeats values");
    for (let i = 0; i < sorted.length; i += 37) assert.equal(c.at(i), sorted[i], `at(${i})`);
    assert.equal(c.at(sorted.length - 1), sorted[sorted.length - 1]);
    assert.deepEqual(Array.from(c.quantiles(p)), Array.from(quantiles(x, p)), `step ${step}`);
    let seen = 0;
    let last = Infinity;
    for (const [v, k] of c.descending()) (assert.ok(v < last), (last = v), (seen += k));
    assert.equal(seen, sorted.length);
  }
});

test("ValueCounts: empty sample, bad index and bad p", () => {
  const c = new ValueCounts();
  c.add([NaN, Infinity]);
  assert.equal(c.length, 0);
  assert.ok(Number.isNaN(c.quantiles([0.5])[0]));
  assert.throws(() => c.at(0), /invalid index/);
  c.add([2, 1, 2]);
  assert.equal(c.at(2), 2);
  assert.throws(() => c.quantiles([1.5]), /invalid p/);
});

test("ValueCounts: countBelow and the extremes equal the sorted sample's", () => {
  const x = Float64Array.from([...sizes(3000, 9), 0, -1, 0]);
  const sorted = Float64Array.from(x.filter(Number.isFinite)).sort();
  const c = new ValueCounts();
  c.add(x.subarray(0, 1234));
  c.add(x.subarray(1234));
  for (const v of [-2, -1, 0, 0.001, 0.0015, 0.01, 0.05, 1, sorted[sorted.length - 1], 1e9]) assert.equal(c.countBelow(v), sorted.filter((s) => s < v).length, `countBelow(${v})`);
  assert.deepEqual(c.extremes(), {smallestPositive: sorted.find((s) => s > 0), largest: sorted[sorted.length - 1]});
  assert.equal(new ValueCounts().countBelow(1), 0);
});

test("ValueCounts: pieces of mostly distinct values (the counting table grows many times) and repeated ones give the sorted sample", () => {
  const random = mulberry32(11);
  const x = Float64Array.from({length: 50_000}, (_, i) => (i % 3 === 0 ? Math.floor(random() * 7) : random() * 1e6 - 5e5));
  const sorted = Float64Array.from(x).sort();
  for (const step of [50_000, 4_999]) {
    const c = new ValueCounts();
    for (let a = 0; a < x.length; a += step) c.add(x.subarray(a, Math.min(x.length, a + step)));
    assert.equal(c.length, x.length);
    assert.ok(c.distinct > 30_000);
    for (let i = 0; i < sorted.length; i += 13) assert.equal(c.at(i), sorted[i], `at(${i}), step ${step}`);
  }
});
