import test from "node:test";
import assert from "node:assert/strict";
import {
  alphabetSize,
  checkSymbols,
  entropy,
  entropyFromCounts,
  millerMadow,
  normalizedEntropy,
  symbolCounts
} from "../../lib/entropy.js";
import {mulberry32} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

/** Direct −Σ p log2 p from a Map of counts (independent of the typed-array code). */
function reference(x: ArrayLike<number>): number {
  const m = new Map<number, number>();
  for (let i = 0; i < x.length; ++i) m.set(x[i], (m.get(x[i]) ?? 0) + 1);
  let h = 0;
  for (const c of m.values()) h -= (c / x.length) * Math.log2(c / x.length);
  return h;
}

test("entropy(x) of a uniform sequence is log2 m", () => {
  for (const m of [2, 3, 4, 7, 16]) {
    const x = Array.from({length: 10 * m}, (_, i) => i % m);
    close(entropy(x), Math.log2(m), 1e-14, `m=${m}`);
  }
});

test("entropy(x) of a constant sequence is 0", () => {
  assert.equal(entropy([3, 3, 3, 3]), 0);
  assert.equal(entropy(new Uint8Array(100)), 0);
});

test("entropy(x) of a Bernoulli(1/4) sample is H(1/4) = 0.8112781244591328 bits", () => {
  close(entropy([0, 0, 0, 1]), 0.8112781244591328, 1e-15);
  close(entropy([1, 0, 1, 1, 1, 1, 0, 1]), 0.8112781244591328, 1e-15);
});

test("entropy(y) of the hand-computable target is 0.99107605983822 bits", () => {
  close(entropy([0, 0, 0, 1, 1, 0, 1, 0, 1]), 0.99107605983822, 1e-12);
});

test("entropy(x) equals a direct −Σ p log2 p on random data of every array type", () => {
  const random = mulberry32(7);
  const x = Array.from({length: 1000}, () => Math.floor(random() * 5) ** 2 % 7);
  const h = reference(x);
  for (const a of [x, Int8Array.from(x), Uint8Array.from(x), Int32Array.from(x), Float64Array.from(x)]) {
    close(entropy(a), h, 1e-13, a.constructor.name);
    close(entropy(a, {base: 7}), h, 1e-13, `${a.constructor.name} base 7`);
  }
});

test("entropy(x, {estimator: \"miller-madow\"}) adds (m̂ − 1)/(2N ln 2)", () => {
  close(entropy([0, 0, 0, 1], {estimator: "miller-madow"}), 0.8112781244591328 + 1 / (8 * Math.LN2), 1e-15);
  // Unobserved symbols of the alphabet do not count in m̂.
  close(entropy([0, 0, 0, 1], {base: 5, estimator: "miller-madow"}), 0.8112781244591328 + 1 / (8 * Math.LN2), 1e-15);
  assert.equal(entropy([2, 2, 2], {estimator: "miller-madow"}), 0);
  assert.equal(millerMadow(3, 10), 2 / (20 * Math.LN2));
});

test("entropy(x, {estimator: \"miller-madow\"}) removes most of the plug-in bias of small samples", () => {
  // Uniform over 8 symbols (H = 3 bits), N = 40: the plug-in is biased low by ≈ 7/(80 ln 2) ≈ 0.126.
  const random = mulberry32(11);
  const reps = 2000;
  let plug = 0;
  let mm = 0;
  const x = new Uint8Array(40);
  for (let r = 0; r < reps; ++r) {
    for (let i = 0; i < x.length; ++i) x[i] = Math.floor(random() * 8);
    plug += entropy(x, {base: 8}) / reps;
    mm += entropy(x, {base: 8, estimator: "miller-madow"}) / reps;
  }
  assert.ok(3 - plug > 0.1, `plug-in bias ${3 - plug}`);
  assert.ok(Math.abs(3 - mm) < (3 - plug) / 4, `Miller–Madow bias ${3 - mm} vs plug-in ${3 - plug}`);
});

test("entropy(x) of an empty sequence is NaN", () => {
  assert.ok(Number.isNaN(entropy([])));
  assert.ok(Number.isNaN(entropyFromCounts([0, 0])));
});

test("entropy(x) rejects invalid symbols, bases and estimators with the offending value", () => {
  assert.throws(() => entropy([0, -1, 2]), /invalid symbol: -1 \(index 1\)/);
  assert.throws(() => entropy(Int8Array.of(0, 1, -3)), /invalid symbol: -3/);
  assert.throws(() => entropy([0, 1.5]), /invalid symbol: 1.5 \(index 1\)/);
  assert.throws(() => entropy([0, NaN]), /invalid symbol: NaN/);
  assert.throws(() => entropy([0, 3], {base: 3}), /invalid symbol: 3 \(index 1\)/);
  assert.throws(() => entropy(Uint8Array.of(0, 1, 9), {base: 3}), /invalid symbol: 9 \(index 2\)/);
  assert.throws(() => entropy([0, 1], {base: 0}), /invalid base: 0/);
  assert.throws(() => entropy([0, 1], {base: 2.5}), /invalid base: 2.5/);
  assert.throws(() => entropy([0, 1], {estimator: "jackknife" as never}), /invalid estimator: jackknife/);
  assert.throws(() => entropyFromCounts([1, -2]), /invalid count: -2/);
});

test("normalizedEntropy(x) is H / log2 m: 1 for uniform, relative to a given base otherwise", () => {
  close(normalizedEntropy([0, 1, 2, 0, 1, 2]), 1, 1e-15);
  close(normalizedEntropy([0, 1, 0, 1], {base: 4}), 0.5, 1e-15);
  assert.equal(normalizedEntropy([0, 0, 0]), 0);
  assert.ok(Number.isNaN(normalizedEntropy([0, 0], {base: 1})));
});

test("alphabetSize(series) is one more than the largest symbol, at least 2, over several series", () => {
  assert.equal(alphabetSize([0, 4, 1]), 5);
  assert.equal(alphabetSize(new Uint8Array(5)), 2);
  assert.equal(alphabetSize([Uint8Array.of(1, 2), Int32Array.of(6)]), 7);
  assert.equal(alphabetSize([[0, 1], [3]]), 4);
  assert.equal(alphabetSize([]), 2);
  assert.throws(() => alphabetSize(Int32Array.of(2, -5)), /invalid symbol: -5 \(index 1\)/);
});

test("symbolCounts(x) counts each symbol of the alphabet", () => {
  assert.deepEqual(Array.from(symbolCounts([2, 0, 2, 2])), [1, 0, 3]);
  assert.deepEqual(Array.from(symbolCounts([1], {base: 4})), [0, 1, 0, 0]);
});

test("checkSymbols(x, base) accepts valid sequences and names the first invalid value", () => {
  checkSymbols(Uint8Array.of(0, 1, 2), 3);
  checkSymbols([0, 1, 2], 3);
  assert.throws(() => checkSymbols(Uint32Array.of(0, 2 ** 31 + 1), 3), /invalid symbol: 2147483649 \(index 1\)/);
  assert.throws(() => checkSymbols([0, 2, 2.5], 3), /invalid symbol: 2.5 \(index 2\)/);
});

test("checkSymbols(x, base) on byte arrays agrees with a symbol-by-symbol check at every alignment", () => {
  const random = mulberry32(12);
  for (let rep = 0; rep < 5000; ++rep) {
    const base = 1 + Math.floor(random() * 128);
    const n = Math.floor(random() * 40);
    const offset = Math.floor(random() * 4);
    const bytes = new Uint8Array(n + offset);
    for (let i = 0; i < bytes.length; ++i) bytes[i] = random() < 0.97 ? Math.floor(random() * base) : Math.floor(random() * 256);
    const x = random() < 0.5 ? bytes.subarray(offset) : new Int8Array(bytes.buffer, offset, n);
    const valid = Array.from(x).every((v) => v >= 0 && v < base);
    let accepted = true;
    try {
      checkSymbols(x, base);
    } catch {
      accepted = false;
    }
    assert.equal(accepted, valid, `base ${base}: ${Array.from(x)}`);
  }
});

test("alphabetSize(x) of a byte array finds a maximum that lies beyond the first 4096 symbols", () => {
  const x = new Uint8Array(10000);
  x[9000] = 7;
  x[10] = 2;
  assert.equal(alphabetSize(x), 8);
  assert.equal(alphabetSize(x.subarray(1, 5000)), 3);
  const y = new Int8Array(10000);
  y[9999] = -1;
  assert.throws(() => alphabetSize(y), /invalid symbol: -1 \(index 9999\)/);
  x[9500] = 200;
  assert.equal(alphabetSize(x), 201);
});
