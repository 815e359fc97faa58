// The streamed trade-sign memory of chapter 03 against the batch computation on the whole
// sequence: fed in pieces cut anywhere, the entropy-rate curves of the signs and of the shuffled
// signs and the storage test are the same values.
import test from "node:test";
import assert from "node:assert/strict";
import {SignEntropyStream} from "../../../lib/analysis/sign-entropy-stream.js";
import {entropyRateCurve, storageTest} from "../../../lib/analysis/ch03.js";
import {mulberry32, shuffle} from "../../../lib/random.js";
import {tradeSigns} from "../../../lib/symbolize.js";

/** Sides ±1 with memory (a sticky chain) and some unknown (0) sides. */
function sides(n: number, seed: number): Int8Array {
  const random = mulberry32(seed);
  const out = new Int8Array(n);
  let s = 1;
  for (let i = 0; i < n; ++i) {
    if (random() < 0.3) s = -s;
    out[i] = random() < 0.05 ? 0 : s;
  }
  return out;
}

/** The batch values on the whole column, as chapter 03 computed them before streaming. */
function batch(side: Int8Array, K: number, seeds: {shuffleSeed: number; storageSeed: number; surrogates: number}) {
  const signs = tradeSigns(side);
  let buys = 0;
  for (const s of signs) buys += s;
  const flat = shuffle(signs.slice(), mulberry32(seeds.shuffleSeed));
  const store = storageTest(signs, K, 2, seeds.surrogates, seeds.storageSeed);
  return {trades: signs.length, buys, rate: entropyRateCurve(signs, K, 2), rateShuffled: entropyRateCurve(flat, K, 2), storage: store.storage, storageP: store.pValue};
}

function streamed(side: Int8Array, cuts: number[], K: number, seeds: {shuffleSeed: number; storageSeed: number; surrogates: number}, capacity = 0) {
  const s = new SignEntropyStream(K, capacity);
  const edges = [0, ...cuts, side.length];
  for (let i = 0; i + 1 < edges.length; ++i) {
    // Pieces as a partition reader gives them: a longer buffer of which `length` rows count.
    const piece = new Int8Array(edges[i + 1] - edges[i] + 3).fill(7);
    piece.set(side.subarray(edges[i], edges[i + 1]));
    s.push(piece, edges[i + 1] - edges[i]);
  }
  return s.result(seeds);
}

const seeds = {shuffleSeed: 11, storageSeed: 12, surrogates: 19};

test("SignEntropyStream fed in pieces cut anywhere equals the batch curves, shuffled curves and storage test value for value", () => {
  const side = sides(20_000, 3);
  const want = batch(side, 10, seeds);
  assert.ok(want.storage > 0.05, `the sticky chain stores information: ${want.storage}`);
  for (const cuts of [[], [1], [5, 6, 7, 9_999], [10_000], [19_999], [3_333, 6_666, 12_345, 17_000]]) {
    assert.deepEqual(streamed(side, cuts, 10, seeds), want, `cuts ${cuts}`);
  }
  // The packed signs grow past a too small capacity; a larger one changes nothing.
  assert.deepEqual(streamed(side, [500], 10, seeds, 9), want);
  assert.deepEqual(streamed(side, [500], 10, seeds, 1e6), want);
});

test("SignEntropyStream on short and one-sided sequences gives the batch NaNs and values", () => {
  for (const [n, seed] of [[0, 1], [1, 2], [5, 3], [11, 4], [12, 5], [13, 6], [40, 7]] as const) {
    const side = sides(n, seed);
    assert.deepEqual(streamed(side, n > 2 ? [2] : [], 10, seeds), batch(side, 10, seeds), `n = ${n}`);
  }
  const buys = new Int8Array(300).fill(1);
  const sells = new Int8Array(300).fill(-1);
  assert.deepEqual(streamed(buys, [100], 3, seeds), batch(buys, 3, seeds));
  assert.deepEqual(streamed(sells, [100], 3, seeds), batch(sells, 3, seeds));
});

test("SignEntropyStream names a side that is not ±1 or 0", () => {
  const s = new SignEntropyStream(2);
  assert.throws(() => s.push(Int8Array.of(1, -1, 2)), /invalid side: 2 \(index 2/);
  assert.throws(() => new SignEntropyStream(0), /invalid maxK/);
});
