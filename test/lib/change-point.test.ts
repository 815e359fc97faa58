import test from "node:test";
import assert from "node:assert/strict";
import {classifyChanges, differenceSigma, pelt} from "../../lib/change-point.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

function noise(seed: number, n: number, sd = 1): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({length: n}, () => sd * randomNormal(random));
}

/** Exhaustive optimal partition by dynamic programming over all segmentations (no pruning). */
function optimalPartition(x: Float64Array, beta: number, sigma: number, minSize: number): number[] {
  const n = x.length;
  const cost = (a: number, b: number) => {
    let s = 0, q = 0;
    for (let i = a; i < b; ++i) (s += x[i] / sigma), (q += (x[i] / sigma) ** 2);
    return q - (s * s) / (b - a);
  };
  const F = new Array(n + 1).fill(Infinity);
  const last = new Array(n + 1).fill(0);
  F[0] = -beta;
  for (let t = minSize; t <= n; ++t) {
    for (let tau = 0; tau <= t - minSize; ++tau) {
      const v = F[tau] + cost(tau, t) + beta;
      if (v < F[t]) (F[t] = v), (last[t] = tau);
    }
  }
  const out: number[] = [];
  for (let t = last[n]; t > 0; t = last[t]) out.push(t);
  return out.reverse();
}

test("pelt(x, options) agrees with the exhaustive optimal partition", () => {
  for (let seed = 1; seed <= 6; ++seed) {
    const x = noise(seed, 160);
    for (let i = 40; i < 90; ++i) x[i] += 1.2;
    for (let i = 120; i < 160; ++i) x[i] -= 0.8;
    for (const minSize of [1, 2, 7]) {
      const beta = 4 + seed;
      const fast = Array.from(pelt(x, {penalty: beta, sigma: 1, minSize}));
      assert.deepEqual(fast, optimalPartition(x, beta, 1, minSize), `seed ${seed}, minSize ${minSize}`);
    }
  }
});

test("pelt(x) finds a planted step in noise within a few samples", () => {
  let extra = 0;
  for (let seed = 1; seed <= 20; ++seed) {
    const x = noise(seed, 1000);
    for (let i = 600; i < 1000; ++i) x[i] += 1.5;
    const found = pelt(x);
    assert.equal(found.length, 1, `seed ${seed}: ${found}`);
    assert.ok(Math.abs(found[0] - 600) <= 5, `seed ${seed}: ${found[0]}`);
    const mv = pelt(x, {cost: "meanvar"});
    assert.ok(mv.some((c) => Math.abs(c - 600) <= 5), `meanvar seed ${seed}: ${mv}`);
    extra += mv.length - 1;
  }
  // The mean-and-variance cost is less conservative: ≈ 0.5 % false changes per 1000 samples.
  assert.ok(extra <= 2, `${extra} extra meanvar changes in 20 series`);
});

test("pelt(x, {cost: \"meanvar\"}) finds a planted change in variance", () => {
  const x = noise(3, 1200);
  for (let i = 700; i < 1200; ++i) x[i] *= 3;
  const found = pelt(x, {cost: "meanvar"});
  assert.equal(found.length, 1);
  assert.ok(Math.abs(found[0] - 700) <= 15, `${found}`);
});

test("pelt(x) rarely finds changes in pure noise at the BIC penalty", () => {
  let falsePositives = 0;
  for (let seed = 100; seed < 160; ++seed) if (pelt(noise(seed, 800)).length > 0) ++falsePositives;
  // Measured 0 of 200 series of 1000 samples; allow 3 of 60.
  assert.ok(falsePositives <= 3, `${falsePositives} of 60 noise series had changes`);
});

test("pelt(x, options) validates its input", () => {
  assert.throws(() => pelt([1, 2, NaN, 4]), /invalid x\[2\]: NaN/);
  assert.throws(() => pelt([1, 2, 3, 4], {penalty: -1}), /invalid penalty: -1/);
  assert.throws(() => pelt([1, 2, 3, 4], {cost: "meanvar", minSize: 1}), /invalid minSize: 1/);
  assert.deepEqual(Array.from(pelt([5, 5, 5, 5, 5, 5])), []);
});

test("differenceSigma(x) ignores level shifts", () => {
  const x = noise(8, 5000, 2);
  for (let i = 2500; i < 5000; ++i) x[i] += 50;
  assert.ok(Math.abs(differenceSigma(x) - 2) < 0.1);
});

test("classifyChanges(x, changes) calls a step first-order-like and a ramp second-order-like", () => {
  for (let seed = 1; seed <= 10; ++seed) {
    // A step of 6 SD at 500.
    const step = noise(seed, 1000);
    for (let i = 500; i < 1000; ++i) step[i] += 6;
    const c1 = classifyChanges(step, pelt(step));
    assert.ok(c1.index.length >= 1 && c1.order.every((o) => o === "first"), `seed ${seed}: ${c1.order} J=${c1.jump}`);
    // The same total change as a ramp over 300 samples.
    const ramp = noise(seed, 1000);
    for (let i = 0; i < 1000; ++i) ramp[i] += 6 * Math.min(1, Math.max(0, (i - 350) / 300));
    const found = pelt(ramp);
    assert.ok(found.length >= 1);
    const c2 = classifyChanges(ramp, found);
    assert.ok(c2.order.every((o) => o === "second"), `seed ${seed}: ${c2.order} J=${c2.jump} z=${c2.gradient}`);
  }
});

test("classifyChanges(x, changes) calls growing fluctuations second-order-like and quiet noise none", () => {
  const x = noise(4, 1000);
  for (let i = 450; i < 550; ++i) x[i] *= 2.5;
  const c = classifyChanges(x, [450, 200]);
  assert.equal(c.order[0], "second");
  assert.ok(c.variance[0] >= 3, `${c.variance[0]}`);
  assert.equal(c.order[1], "none");
  assert.throws(() => classifyChanges(x, [1001]), /invalid change: 1001/);
  assert.throws(() => classifyChanges(x, [10], {k: 0}), /invalid k: 0/);
});
