import test from "node:test";
import assert from "node:assert/strict";
import {activeInformationStorage, blockCounts, blockEntropies, blockEntropy, entropyRate} from "../../lib/entropy-rate.js";
import {entropy} from "../../lib/entropy.js";
import {mulberry32} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

/** Plug-in entropy of a list of string keys (reference, via Map). */
function hKeys(keys: string[]): number {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  let h = 0;
  for (const c of m.values()) h -= (c / keys.length) * Math.log2(c / keys.length);
  return h;
}

/** Blocks x[t−L+1 … t] for t = L−1 … n−1 as strings. */
const blocks = (x: ArrayLike<number>, L: number) =>
  Array.from({length: x.length - L + 1}, (_, t) => Array.from(x).slice(t, t + L).join(","));

/** A binary Markov chain that keeps its symbol with probability `stay`. */
function markov(n: number, stay: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const x = new Uint8Array(n);
  x[0] = random() < 0.5 ? 1 : 0;
  for (let t = 1; t < n; ++t) x[t] = random() < stay ? x[t - 1] : 1 - x[t - 1];
  return x;
}

const H2 = (p: number) => -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);

test("activeInformationStorage(y, {k: 1}) of the hand-computable target is 0.04879494069540 bits", () => {
  close(activeInformationStorage([0, 0, 0, 1, 1, 0, 1, 0, 1], {k: 1}), 0.0487949406954, 1e-12);
});

test("blockEntropy(x, L) equals a direct count of the overlapping blocks", () => {
  const random = mulberry32(3);
  const x = Array.from({length: 500}, () => Math.floor(random() * 3));
  for (const L of [1, 2, 3, 5]) close(blockEntropy(x, L), hKeys(blocks(x, L)), 1e-12, `L=${L}`);
  assert.equal(blockEntropy(x, 0), 0);
  assert.ok(Number.isNaN(blockEntropy([0, 1], 3)));
});

test("blockCounts(x, L, base) reads each block as a base-m number, oldest symbol first", () => {
  assert.deepEqual(Array.from(blockCounts([1, 0, 1, 1], 2, 2)), [0, 1, 1, 1]);
  assert.deepEqual(Array.from(blockCounts([2, 1], 2, 3)), [0, 0, 0, 0, 0, 0, 0, 1, 0]);
});

test("blockEntropies(x, maxL) lists H_0 = 0, H_1, …, H_maxL", () => {
  const x = markov(2000, 0.8, 5);
  const h = blockEntropies(x, 4);
  assert.equal(h.length, 5);
  assert.equal(h[0], 0);
  for (let L = 1; L <= 4; ++L) close(h[L], blockEntropy(x, L), 1e-15, `L=${L}`);
  for (let L = 1; L <= 4; ++L) assert.ok(h[L] >= h[L - 1], "block entropies increase");
});

test("blockEntropy(x, L) of i.i.d. uniform bits is close to L bits", () => {
  const random = mulberry32(9);
  const x = Uint8Array.from({length: 200000}, () => (random() < 0.5 ? 1 : 0));
  for (const L of [1, 4, 8]) close(blockEntropy(x, L), L, 0.01, `L=${L}`);
});

test("entropyRate(x, {k}) of a binary Markov chain is H2(1 − stay) while H_1 is 1 bit", () => {
  // Stationary distribution uniform; h = Σ π_i H(P_i) = H2(0.1) ≈ 0.469 bits for stay = 0.9.
  const x = markov(200000, 0.9, 1);
  close(entropy(x), 1, 0.01, "H_1");
  for (const k of [1, 2, 4]) close(entropyRate(x, {k}), H2(0.1), 0.01, `h_${k}`);
  close(entropyRate(x, {k: 0}), entropy(x), 1e-15, "h_0 = H_1");
});

test("entropyRate(x) of a periodic sequence is 0 while its entropy is 1 bit", () => {
  const x = Array.from({length: 100}, (_, i) => i % 2);
  assert.equal(entropy(x), 1);
  assert.equal(entropyRate(x, {k: 1}), 0);
  // The past determines the next symbol: A_1 = H(X_t) over the 99 samples t = 1 … 99.
  close(activeInformationStorage(x, {k: 1}), entropy(x.slice(1)), 1e-14);
});

test("entropyRate(x, {k}) is H_{k+1} − H_k with H_k over the prefixes of the same blocks", () => {
  const random = mulberry32(21);
  const x = Array.from({length: 300}, () => Math.floor(random() * 3));
  for (const k of [1, 2, 3]) {
    const full = blocks(x, k + 1);
    const prefixes = full.map((b) => b.split(",").slice(0, k).join(","));
    close(entropyRate(x, {k}), hKeys(full) - hKeys(prefixes), 1e-12, `k=${k}`);
  }
});

test("activeInformationStorage(x, {k}) is H(next) + H(past) − H(past, next) on the same samples", () => {
  const random = mulberry32(22);
  const x = Array.from({length: 300}, () => (random() < 0.3 ? 2 : random() < 0.5 ? 1 : 0));
  for (const k of [1, 2, 3]) {
    const full = blocks(x, k + 1);
    const past = full.map((b) => b.split(",").slice(0, k).join(","));
    const next = full.map((b) => b.split(",")[k]);
    close(activeInformationStorage(x, {k}), hKeys(next) + hKeys(past) - hKeys(full), 1e-12, `k=${k}`);
  }
  assert.equal(activeInformationStorage(x, {k: 0}), 0);
  assert.ok(Number.isNaN(activeInformationStorage([0, 1], {k: 2})));
});

test("entropyRate(x, {estimator: \"miller-madow\"}) corrects both block entropies", () => {
  const x = markov(400, 0.7, 8);
  const full = blocks(x, 3);
  const prefixes = full.map((b) => b.split(",").slice(0, 2).join(","));
  const mm = (keys: string[]) => hKeys(keys) + (new Set(keys).size - 1) / (2 * keys.length * Math.LN2);
  close(entropyRate(x, {k: 2, estimator: "miller-madow"}), mm(full) - mm(prefixes), 1e-12);
});

test("entropyRate(x) rejects invalid histories and oversized tables", () => {
  assert.throws(() => entropyRate([0, 1], {k: -1}), /invalid k: -1/);
  assert.throws(() => entropyRate([0, 1], {k: 1.5}), /invalid k: 1.5/);
  assert.throws(() => entropyRate([0, 1], {k: 30}), /invalid k: 30/);
  assert.throws(() => blockEntropy([0, 1, 2], 20), /invalid L: 20/);
  assert.throws(() => activeInformationStorage([0, -1]), /invalid symbol: -1/);
});
