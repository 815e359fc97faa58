import test from "node:test";
import assert from "node:assert/strict";
import {circularSurrogates, circularTransferEntropyTest, groupSize} from "../../lib/circular-transfer-entropy.js";
import {transferEntropyTest} from "../../lib/transfer-entropy.js";
import {mulberry32} from "../../lib/random.js";

/** A source of `base` symbols with memory and a target copying it one step later with probability `p`. */
function coupled(n: number, base: number, p: number, seed: number): [Uint8Array, Uint8Array] {
  const r = mulberry32(seed);
  const x = new Uint8Array(n);
  const y = new Uint8Array(n);
  for (let t = 0; t < n; ++t) {
    x[t] = t > 0 && r() < 0.6 ? x[t - 1] : Math.floor(r() * base);
    y[t] = t > 0 && r() < p ? x[t - 1] : Math.floor(r() * base);
  }
  return [x, y];
}

test("groupSize: the largest g ≤ 4 with cells^g ≤ 2^16", () => {
  assert.equal(groupSize(27), 3);
  assert.equal(groupSize(4), 4);
  assert.equal(groupSize(243), 2);
  assert.equal(groupSize(70000), 1);
  assert.throws(() => groupSize(0), RangeError);
});

test("circularTransferEntropyTest equals transferEntropyTest's circular surrogates value for value (bases 2–4, k and l 1–3, N not a multiple of g, the wrap)", () => {
  const cases = [
    {n: 5003, base: 2, k: 1, l: 1},
    {n: 4001, base: 3, k: 1, l: 1},
    {n: 3002, base: 3, k: 2, l: 3},
    {n: 2999, base: 4, k: 1, l: 2},
    {n: 1000, base: 2, k: 3, l: 1, delay: 2},
    {n: 50, base: 3, k: 1, l: 1, minShift: 1}
  ];
  for (const [i, c] of cases.entries()) {
    const [x, y] = coupled(c.n, c.base, i % 2 ? 0 : 0.2, 100 + i);
    const options = {base: c.base, k: c.k, l: c.l, delay: c.delay, surrogates: 60, seed: 7 + i, minShift: c.minShift};
    const fast = circularTransferEntropyTest(x, y, options);
    const ref = transferEntropyTest(x, y, {...options, method: "circular"});
    assert.deepEqual([...fast.surrogates], [...ref.surrogates], `case ${i}`);
    assert.equal(fast.te, ref.te);
    assert.equal(fast.pValue, ref.pValue);
    assert.equal(fast.samples, ref.samples);
    assert.equal(fast.method, "circular");
  }
});

test("circularTransferEntropyTest: a coupled pair is significant, an independent one is not beyond chance", () => {
  const [x, y] = coupled(20_000, 3, 0.3, 1);
  assert.ok(circularTransferEntropyTest(x, y, {base: 3, surrogates: 99, seed: 1}).pValue <= 0.01);
  const [, z] = coupled(20_000, 3, 0.3, 2);
  assert.ok(circularTransferEntropyTest(x, z, {base: 3, surrogates: 99, seed: 1}).pValue > 0.01);
});

test("circularTransferEntropyTest: RangeError naming bad options", () => {
  const [x, y] = coupled(100, 2, 0.5, 3);
  assert.throws(() => circularTransferEntropyTest(x, y, {surrogates: 0}), /surrogates/);
  assert.throws(() => circularTransferEntropyTest(x, y, {method: "shuffle"}), /method/);
  assert.throws(() => circularTransferEntropyTest(x, y, {minShift: 60}), /minShift/);
  assert.throws(() => circularTransferEntropyTest(x, y, {seed: NaN}), /seed/);
  assert.throws(() => circularTransferEntropyTest([0, 5, 1], [0, 1, 1], {base: 2}), RangeError);
});

test("circularSurrogates(…, from, to): ranges computed apart concatenate to the whole test's surrogates", () => {
  const [x, y] = coupled(3001, 3, 0.2, 9);
  const options = {base: 3, l: 2, surrogates: 40, seed: 3};
  const whole = circularTransferEntropyTest(x, y, options);
  const parts = [circularSurrogates(x, y, options, 0, 13), circularSurrogates(x, y, options, 13, 13), circularSurrogates(x, y, options, 13, 40)];
  assert.deepEqual(parts.flatMap((p) => [...p.surrogates]), [...whole.surrogates]);
  for (const p of parts) assert.equal(p.te, whole.te);
  assert.equal(parts[0].samples, whole.samples);
  assert.throws(() => circularSurrogates(x, y, options, 5, 4), /invalid range/);
  assert.throws(() => circularSurrogates(x, y, options, 0, 41), /invalid range/);
  assert.throws(() => circularSurrogates(x, y, options, 0.5, 4), /invalid range/);
});
