import test from "node:test";
import assert from "node:assert/strict";
import {levelOverlap, priceOrder, reversionRate, reversionTest, swingPivots, volumeProfile, volumeProfilePeaks} from "../../lib/support-resistance.js";
import {mulberry32} from "../../lib/random.js";

test("volumeProfile(price, volume, {bucket}) sums volume by price bucket", () => {
  const p = volumeProfile([100.2, 100.7, 101.1, 103.9, 99.5, NaN, 102], [1, 2, 3, 4, 5, 6, -1], {bucket: 1});
  assert.deepEqual(Array.from(p.lower), [99, 100, 101, 102, 103]);
  assert.deepEqual(Array.from(p.price), [99.5, 100.5, 101.5, 102.5, 103.5]);
  assert.deepEqual(Array.from(p.volume), [5, 3, 3, 0, 4]);
  const shifted = volumeProfile([100.2, 100.7], [1, 2], {bucket: 1, origin: 0.5});
  assert.deepEqual(Array.from(shifted.lower), [99.5, 100.5]);
  assert.deepEqual(Array.from(shifted.volume), [1, 2]);
  assert.throws(() => volumeProfile([1], [1], {bucket: 0}), /invalid bucket: 0/);
  assert.throws(() => volumeProfile([0, 1e9], [1, 1], {bucket: 1e-3}), /invalid bucket: 0.001/);
});

test("volumeProfilePeaks(price, volume, options) finds high-volume nodes, edges included", () => {
  // Buckets 99 … 103 hold 5, 3, 3, 0, 4: peaks at the lowest bucket (prominence 5) and the highest (4).
  const price = [100.2, 100.7, 101.1, 103.9, 99.5];
  const volume = [1, 2, 3, 4, 5];
  const peaks = volumeProfilePeaks(price, volume, {bucket: 1});
  assert.deepEqual(Array.from(peaks.price), [99.5, 103.5]);
  assert.deepEqual(Array.from(peaks.volume), [5, 4]);
  assert.deepEqual(Array.from(peaks.prominence), [5, 4]);
  assert.deepEqual(Array.from(volumeProfilePeaks(price, volume, {bucket: 1, minProminence: 4.5}).price), [99.5]);
  // A node between two higher ones: prominence measured to the lower of the two separating troughs.
  const p2 = volumeProfilePeaks([1, 2, 3, 4, 5], [9, 2, 5, 1, 7], {bucket: 1});
  assert.deepEqual(Array.from(p2.price), [1.5, 3.5, 5.5]);
  assert.deepEqual(Array.from(p2.prominence), [9, 3, 6]);
});

test("swingPivots(close, close, {window}) finds fractal highs and lows of a known sequence", () => {
  const close = [1, 2, 3, 2, 1, 2, 5, 2, 1, 0, 1, 2];
  const w2 = swingPivots(close, close, {window: 2});
  assert.deepEqual(Array.from(w2.highs), [2, 6]);
  assert.deepEqual(Array.from(w2.lows), [4, 9]);
  const w3 = swingPivots(close, close, {window: 3});
  assert.deepEqual(Array.from(w3.highs), [6]);
  assert.deepEqual(Array.from(w3.lows), [4]);
  // Ties give no pivot.
  assert.deepEqual(Array.from(swingPivots([1, 3, 3, 1, 0], undefined, {window: 1}).highs), []);
  // Bars: highs from high, lows from low.
  const bars = swingPivots([5, 6, 9, 6, 5], [4, 1, 5, 3, 4], {window: 1});
  assert.deepEqual(Array.from(bars.highs), [2]);
  assert.deepEqual(Array.from(bars.lows), [1, 3]);
  assert.throws(() => swingPivots(close, close, {window: 0}), /invalid window: 0/);
});

test("levelOverlap(a, b, tolerance) reports the share of each set matched", () => {
  const a = [100, 105, 110];
  const b = [100.4, 109, 120, 121];
  const narrow = levelOverlap(a, b, 0.5);
  assert.equal(narrow.shareA, 1 / 3);
  assert.equal(narrow.shareB, 1 / 4);
  assert.deepEqual(Array.from(narrow.matchedA), [1, 0, 0]);
  const wide = levelOverlap(a, b, 1);
  assert.equal(wide.shareA, 2 / 3);
  assert.equal(wide.shareB, 2 / 4);
  assert.deepEqual(Array.from(wide.matchedB), [1, 1, 0, 0]);
  assert.ok(Number.isNaN(levelOverlap([], b, 1).shareA));
  assert.throws(() => levelOverlap(a, b, -1), /invalid tolerance: -1/);
});

test("reversionRate(price, levels, options) counts touches and bounces by hand", () => {
  //              0    1      2    3      4    5     6   7   8      9  10  11     12  13
  const price = [105, 103, 100.2, 101, 102.5, 104, 99.8, 97, 96, 100.3, 98, 95, 100.1, 93];
  const r = reversionRate(price, [100], {tolerance: 0.5, reversal: 2, horizon: 3});
  // Touch 2 (from above) bounces to 102.5; touch 6 (from above) breaks down to 97; touch 9 (from
  // below) falls back to 98; touch 12 lacks a full horizon.
  assert.deepEqual(r, {touches: 3, reversals: 2, rate: 2 / 3});
  // Horizon 1: touch 2 has not bounced yet, touch 9 has, and touch 12 now counts (to 93, from below).
  const short = reversionRate(price, [100], {tolerance: 0.5, reversal: 2, horizon: 1});
  assert.deepEqual(short, {touches: 4, reversals: 2, rate: 1 / 2});
  assert.throws(() => reversionRate(price, [100], {tolerance: 0.5, reversal: 0, horizon: 3}), /invalid reversal: 0/);
});

/** Reference of reversionRate written out as its definition reads: every sample at every level. */
function scanReversion(price: ArrayLike<number>, levels: ArrayLike<number>, {tolerance, reversal, horizon}: {tolerance: number; reversal: number; horizon: number}) {
  let touches = 0;
  let reversals = 0;
  for (const level of Array.from(levels)) {
    if (!Number.isFinite(level)) continue;
    for (let i = 1; i + horizon < price.length; ++i) {
      const prev = price[i - 1] - level;
      if (!(Math.abs(price[i] - level) <= tolerance && Math.abs(prev) > tolerance && Number.isFinite(prev))) continue;
      ++touches;
      const side = prev > 0 ? 1 : -1;
      for (let j = i + 1; j <= i + horizon; ++j) {
        const d = side * (price[j] - level);
        if (d >= reversal) {
          ++reversals;
          break;
        }
        if (d <= -reversal) break;
      }
    }
  }
  return {touches, reversals};
}

test("reversionRate's search in price order counts what scanning every sample at every level counts", () => {
  const random = mulberry32(11);
  let touched = 0;
  for (let trial = 0; trial < 200; ++trial) {
    const n = 1 + Math.floor(random() * 400);
    const price = new Float64Array(n);
    // A random walk on a grid of 0.1 (ties and exact band edges), with gaps.
    let p = 60_000;
    for (let i = 0; i < n; ++i) {
      p = Math.round((p + (random() - 0.5) * 3) * 10) / 10;
      price[i] = random() < 0.03 ? NaN : random() < 0.01 ? Infinity : p;
    }
    const levels = Float64Array.from({length: 1 + Math.floor(random() * 8)}, () => (random() < 0.5 ? price[Math.floor(random() * n)] : 60_000 + (random() - 0.5) * 40));
    const options = {tolerance: [0, 0.1, 0.3, 2.5][trial % 4], reversal: 0.2 + random() * 3, horizon: 1 + Math.floor(random() * 30)};
    const got = reversionRate(price, levels, options);
    const want = scanReversion(price, levels, options);
    assert.deepEqual({touches: got.touches, reversals: got.reversals}, want, `trial ${trial}`);
    assert.deepEqual(reversionRate(price, levels, options, priceOrder(price)), got, `trial ${trial}: a given order`);
    touched += want.touches;
  }
  assert.ok(touched > 500, `levels are touched (${touched})`);
});

test("reversionTest(price, levels, options) detects a planted floor and ceiling against random levels", () => {
  // A ±1 random walk between a floor at 100 and a ceiling at 130 that always hold; in between, a
  // touch is a coin flip.
  const random = mulberry32(9);
  let p = 115;
  const price = Float64Array.from({length: 20000}, () => (p = p === 100 ? 101 : p === 130 ? 129 : p + (random() < 0.5 ? -1 : 1)));
  const t = reversionTest(price, [100, 130], {tolerance: 0.5, reversal: 2, horizon: 200, surrogates: 199, seed: 4});
  assert.ok(t.touches > 100, `${t.touches}`);
  assert.equal(t.rate, 1);
  // Random levels are prices visited, a few of them the floor or the ceiling themselves.
  assert.ok(t.baseline > 0.45 && t.baseline < 0.6, `${t.baseline}`);
  assert.ok(t.pValue <= 0.02, `${t.pValue}`);
  // A level in the middle of the range is no better than random ones.
  const mid = reversionTest(price, [115], {tolerance: 0.5, reversal: 2, horizon: 200, surrogates: 99, seed: 4});
  assert.ok(mid.pValue > 0.05, `${mid.pValue}`);
});
