import test from "node:test";
import assert from "node:assert/strict";
import {acf} from "../../lib/acf.js";
import {AcfStream} from "../../lib/acf-stream.js";
import {mulberry32} from "../../lib/random.js";

/** Persistent ±1 signs (a sign flips with probability `flip`), as trade signs are. */
function signs(n: number, flip: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  let s = 1;
  for (let i = 0; i < n; ++i) {
    if (random() < flip) s = -s;
    x[i] = s + (random() < 0.1 ? 0.25 : 0);
  }
  return x;
}

/** Both passes over `x`, fed in the order given, then the result. */
function streamed(x: Float64Array, maxLag: number): Float64Array {
  const s = new AcfStream(maxLag);
  for (const v of x) s.observe(v);
  s.begin();
  for (const v of x) s.push(v);
  return s.result();
}

test("AcfStream equals acf value for value, FFT and direct paths, short and long series", () => {
  for (const [n, L] of [
    [50, 10],
    [200, 24],
    [3000, 25],
    [5000, 1000],
    [30_000, 1000],
    [20_000, 300]
  ]) {
    const x = signs(n, 0.05, n + L);
    assert.deepEqual(Array.from(streamed(x, L)), Array.from(acf(x, L)), `n = ${n}, maxLag = ${L}`);
  }
});

test("AcfStream: a block of length exactly M and one with its tail shorter than the lag count", () => {
  // M = 8192 for 1000 lags: n = 8192 fills the buffer exactly once; n = 7192 + 500 leaves a short tail.
  for (const n of [8192, 7692, 7192 * 2 + 1000, 7192 * 2 + 1001]) {
    const x = signs(n, 0.1, n);
    assert.deepEqual(Array.from(streamed(x, 1000)), Array.from(acf(x, 1000)), `n = ${n}`);
  }
});

test("AcfStream: a constant series gives NaN; bad input and misuse are refused", () => {
  assert.ok(streamed(new Float64Array(40).fill(1), 5).every(Number.isNaN));
  const s = new AcfStream(3);
  assert.throws(() => s.observe(NaN), /invalid x\[0\]/);
  assert.throws(() => s.begin(), /empty/);
  const t = new AcfStream(5);
  for (let i = 0; i < 5; ++i) t.observe(i);
  assert.throws(() => t.begin(), /invalid maxLag/);
  const u = new AcfStream(1);
  u.observe(1);
  u.observe(2);
  u.begin();
  u.push(1);
  assert.throws(() => u.result(), /pushed 1 of 2/);
  u.push(2);
  assert.throws(() => u.push(3), /past the observed length/);
  assert.throws(() => new AcfStream(-1), /invalid maxLag/);
});
