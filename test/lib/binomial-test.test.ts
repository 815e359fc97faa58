import test from "node:test";
import assert from "node:assert/strict";
import {binomialPmf, binomialTest, wilsonInterval} from "../../lib/binomial-test.js";

/** Exact P(X = k) for p = 1/2 with BigInt binomial coefficients. */
function fairPmf(k: number, n: number): number {
  let c = 1n;
  for (let i = 0; i < k; ++i) c = (c * BigInt(n - i)) / BigInt(i + 1);
  return Number(c) / 2 ** n;
}

test("binomialPmf(k, n, p) matches exact binomial coefficients", () => {
  for (const n of [1, 10, 40, 300])
    for (const k of [0, 1, Math.floor(n / 3), n]) {
      const exact = fairPmf(k, n);
      assert.ok(Math.abs(binomialPmf(k, n, 0.5) - exact) <= 1e-11 * exact + 1e-300, `${k} of ${n}`);
    }
  assert.equal(binomialPmf(-1, 5, 0.5), 0);
  assert.equal(binomialPmf(6, 5, 0.5), 0);
  assert.equal(binomialPmf(0, 5, 0), 1);
  assert.throws(() => binomialPmf(1, 2.5, 0.5), /invalid n: 2.5/);
});

test("binomialTest(k, n) gives R's binom.test p-values", () => {
  // binom.test(7, 10): 0.34375; binom.test(9, 10): 0.02148438; binom.test(5, 10): 1.
  assert.ok(Math.abs(binomialTest(7, 10) - 0.34375) < 1e-12);
  assert.ok(Math.abs(binomialTest(9, 10) - 22 / 1024) < 1e-12);
  assert.equal(binomialTest(5, 10), 1);
  // binom.test(682, 925, p = 0.75) (R's help page example): p-value = 0.3825.
  assert.ok(Math.abs(binomialTest(682, 925, {p: 0.75}) - 0.3825) < 5e-5);
  // One-sided tails.
  assert.ok(Math.abs(binomialTest(9, 10, {alternative: "greater"}) - 11 / 1024) < 1e-12);
  assert.ok(Math.abs(binomialTest(1, 10, {alternative: "less"}) - 11 / 1024) < 1e-12);
  assert.ok(Number.isNaN(binomialTest(0, 0)));
});

test("binomialTest(k, n) two-sided is the sum of outcomes no more likely than k (direct sum)", () => {
  const n = 57;
  for (const k of [10, 20, 28, 29, 40]) {
    const pk = fairPmf(k, n);
    let direct = 0;
    for (let i = 0; i <= n; ++i) if (fairPmf(i, n) <= pk * (1 + 1e-7)) direct += fairPmf(i, n);
    assert.ok(Math.abs(binomialTest(k, n) - Math.min(1, direct)) < 1e-12, `k = ${k}`);
  }
});

test("binomialTest(k, n) rejects invalid arguments with the offending value", () => {
  assert.throws(() => binomialTest(11, 10), /invalid successes: 11/);
  assert.throws(() => binomialTest(1, -1), /invalid trials: -1/);
  assert.throws(() => binomialTest(1, 10, {p: 1}), /invalid p: 1/);
  assert.throws(() => binomialTest(1, 10, {alternative: "both" as never}), /invalid alternative: both/);
});

test("wilsonInterval(k, n) is the Wilson score interval", () => {
  const close = (a: [number, number], b: [number, number]) => assert.ok(Math.abs(a[0] - b[0]) < 1e-4 && Math.abs(a[1] - b[1]) < 1e-4, `${a} vs ${b}`);
  close(wilsonInterval(5, 10), [0.2366, 0.7634]);
  close(wilsonInterval(0, 10), [0, 0.2775]);
  close(wilsonInterval(10, 10), [0.7225, 1]);
  close(wilsonInterval(2, 40, 0.9), [0.016686, 0.140332]);
  assert.deepEqual(wilsonInterval(0, 0), [NaN, NaN]);
  assert.throws(() => wilsonInterval(3, 2), RangeError);
  assert.throws(() => wilsonInterval(1, 2, 1), RangeError);
});
