import test from "node:test";
import assert from "node:assert/strict";
import {walkForwardReversion} from "../../lib/level-reversion.js";
import {reversionRate} from "../../lib/support-resistance.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

/** A triangle wave between 100 and 110, one unit per sample: every touch of 110 reverses. */
function zigzag(n: number): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const k = i % 20;
    p[i] = 100 + (k <= 10 ? k : 20 - k);
  }
  return p;
}

test("walkForwardReversion(price, levels) at the turning points of a zigzag reverses every time, unlike random levels", () => {
  const price = zigzag(2000);
  const end = Int32Array.from({length: 19}, (_, j) => 99 + j * 100);
  const levels = Array.from(end, () => [110]);
  const r = walkForwardReversion(price, levels, {end, stride: 100, window: 100, tolerance: 0.5, reversal: 3, horizon: 10, surrogates: 199, seed: 1});
  assert.equal(r.levels, 19);
  assert.ok(r.touches >= 18 * 5, `touches ${r.touches}`);
  assert.equal(r.rate, 1);
  // A random level inside the range is crossed as often as it is turned at.
  assert.ok(r.baseline < 0.7, `baseline ${r.baseline}`);
  assert.equal(r.pValue, 1 / 200);
});

test("walkForwardReversion(price, levels) tests window j's levels on the samples after its end only", () => {
  const random = mulberry32(4);
  const price = new Float64Array(3000);
  let x = 100;
  for (let i = 0; i < price.length; ++i) price[i] = x += randomNormal(random);
  const end = Int32Array.from([499, 999, 1499]);
  const levels = [[price[499] + 3, price[499] - 3], [], [price[1499] + 2]];
  const options = {tolerance: 1, reversal: 4, horizon: 50};
  const r = walkForwardReversion(price, levels, {...options, end, stride: 500, window: 500, surrogates: 9});
  // The same counts from reversionRate on each segment [end, end + stride + horizon].
  const a = reversionRate(price.subarray(499, 499 + 551), levels[0], options);
  const c = reversionRate(price.subarray(1499, 1499 + 551), levels[2], options);
  assert.equal(r.touches, a.touches + c.touches);
  assert.equal(r.reversals, a.reversals + c.reversals);
  assert.equal(r.levels, 3);
  // Deterministic from the seed.
  const again = walkForwardReversion(price, levels, {...options, end, stride: 500, window: 500, surrogates: 9});
  assert.deepEqual(again, r);
});

test("walkForwardReversion(price, levels) rejects mismatched levels and bad options", () => {
  const price = zigzag(100);
  const base = {end: [49], stride: 10, window: 50, tolerance: 0.5, reversal: 2, horizon: 5};
  assert.throws(() => walkForwardReversion(price, [[1], [2]], base), /invalid levels length: 2/);
  assert.throws(() => walkForwardReversion(price, [[1]], {...base, stride: 0}), /invalid stride: 0/);
  assert.throws(() => walkForwardReversion(price, [[1]], {...base, window: 1.5}), /invalid window: 1.5/);
  assert.throws(() => walkForwardReversion(price, [[1]], {...base, surrogates: 0}), /invalid surrogates: 0/);
  assert.throws(() => walkForwardReversion(price, [[1]], {...base, reversal: 0}), /invalid reversal: 0/);
  const none = walkForwardReversion(price, [[]], base);
  assert.ok(Number.isNaN(none.rate) && Number.isNaN(none.pValue));
});
