import test from "node:test";
import assert from "node:assert/strict";
import {localGains, significantChanges, splitGain} from "../../lib/change-point-test.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function ar1(seed: number, n: number, phi: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  x[0] = randomNormal(random) / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; ++t) x[t] = phi * x[t - 1] + randomNormal(random);
  return x;
}

/** Sum of squares about the mean, directly. */
function ss(x: ArrayLike<number>, a: number, b: number): number {
  let m = 0;
  for (let i = a; i < b; ++i) m += x[i];
  m /= b - a;
  let s = 0;
  for (let i = a; i < b; ++i) s += (x[i] - m) ** 2;
  return s;
}

test("splitGain(x) of a noiseless step of size d in the middle of n samples is d²·n/4 at the step", () => {
  const x = Float64Array.from({length: 40}, (_, i) => (i < 20 ? 5 : 7));
  const g = splitGain(x);
  assert.equal(g.index, 20);
  assert.ok(Math.abs(g.gain - (4 * 40) / 4) < 1e-9, String(g.gain));
});

test("splitGain(x, lo, hi, minSize) equals the direct search over every split", () => {
  const x = ar1(1, 120, 0.4);
  for (const [lo, hi, minSize] of [[0, 120, 1], [10, 90, 5], [30, 41, 5]]) {
    let best = -Infinity;
    let index = -1;
    for (let t = lo + minSize; t <= hi - minSize; ++t) {
      const g = ss(x, lo, hi) - ss(x, lo, t) - ss(x, t, hi);
      if (g > best) (best = g), (index = t);
    }
    const fast = splitGain(x, lo, hi, minSize);
    assert.equal(fast.index, index);
    assert.ok(Math.abs(fast.gain - best) < 1e-9 * Math.max(1, best));
  }
  assert.deepEqual(splitGain(x, 0, 9, 5), {index: -1, gain: 0});
});

test("localGains(x, changes) is each change's gain given its neighbours", () => {
  const x = ar1(2, 90, 0);
  const changes = [20, 50, 70];
  const g = localGains(x, changes);
  const cuts = [0, ...changes, 90];
  for (let i = 0; i < changes.length; ++i) {
    const direct = ss(x, cuts[i], cuts[i + 2]) - ss(x, cuts[i], cuts[i + 1]) - ss(x, cuts[i + 1], cuts[i + 2]);
    assert.ok(Math.abs(g[i] - direct) < 1e-9);
  }
});

test("significantChanges(x, options) finds planted steps in autocorrelated noise, to within five samples", () => {
  const x = ar1(3, 300, 0.3);
  for (let i = 100; i < 300; ++i) x[i] += 3;
  for (let i = 200; i < 300; ++i) x[i] -= 2;
  const r = significantChanges(x, {seed: 11, surrogates: 99, minSize: 5});
  assert.equal(r.changes.length, 2, `changes ${Array.from(r.changes)} of ${Array.from(r.candidates)}, p ${Array.from(r.p)}`);
  assert.ok(Math.abs(r.changes[0] - 100) <= 5 && Math.abs(r.changes[1] - 200) <= 5, Array.from(r.changes).join(","));
  const again = significantChanges(x, {seed: 11, surrogates: 99, minSize: 5});
  assert.deepEqual(Array.from(again.p), Array.from(r.p), "deterministic for a seed");
});

test("significantChanges(x, options) reports a change in at most about α of change-free series, also with long memory", () => {
  // AR(1) with φ = 0.9 over 200 samples wanders slowly, which a white-noise BIC search takes for
  // changes; the surrogate calibration must not.
  let alarms = 0;
  let candidates = 0;
  const trials = 30;
  for (let s = 0; s < trials; ++s) {
    const x = ar1(100 + s, 200, 0.9);
    const r = significantChanges(x, {seed: s, surrogates: 49, minSize: 5});
    if (r.candidates.length > 0) ++candidates;
    if (r.changes.length > 0) ++alarms;
  }
  // P(X ≥ 6) for X ~ Binomial(30, 0.05) is about 0.007.
  assert.ok(alarms <= 5, `${alarms} of ${trials} change-free series reported a change`);
  assert.ok(candidates >= trials / 2, `PELT alone found candidates in ${candidates} of ${trials}`);
});

test("significantChanges(x, options) with a constant series or no candidate reports nothing and draws no surrogate", () => {
  const r = significantChanges(new Float64Array(50).fill(1), {seed: 1, surrogates: 19});
  assert.equal(r.candidates.length, 0);
  assert.equal(r.changes.length, 0);
  assert.ok(Number.isNaN(r.nullAlarmRate));
});

test("significantChanges(x, options) rejects invalid options", () => {
  const x = ar1(4, 50, 0);
  assert.throws(() => significantChanges(x, {seed: 1, surrogates: 0}), /invalid surrogates: 0/);
  assert.throws(() => significantChanges(x, {seed: 1, null: "white" as never}), /invalid null: white/);
  assert.throws(() => significantChanges(x, {seed: 1, fit: "all" as never}), /invalid fit: all/);
  assert.throws(() => significantChanges(x, {seed: 1, alpha: 1}), /invalid alpha: 1/);
  assert.throws(() => significantChanges(x, {seed: 1, null: "block", blockLength: 0}), /invalid blockLength: 0/);
  assert.throws(() => significantChanges([1, NaN, 2, 3], {seed: 1}), /invalid x\[1\]: NaN/);
  assert.throws(() => localGains(x, [10, 5]), /invalid change: 5/);
  assert.throws(() => splitGain(x, 0, 60), /invalid hi: 60/);
});
