import test from "node:test";
import assert from "node:assert/strict";
import {entropyAccumulator, rollingEntropy} from "../../lib/rolling-entropy.js";
import {entropy, symbolCounts} from "../../lib/entropy.js";
import {mulberry32} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

function randomSymbols(n: number, m: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  // Skewed and slowly varying, so windows differ.
  return Uint8Array.from({length: n}, (_, i) => Math.min(m - 1, Math.floor(random() * random() * m * (1 + (i % 500) / 500))));
}

test("rollingEntropy(x, {window}) equals entropy(x) on every window, NaN before the first", () => {
  const x = randomSymbols(3000, 4, 1);
  const window = 57;
  const h = rollingEntropy(x, {window});
  assert.equal(h.length, x.length);
  for (let i = 0; i < window - 1; ++i) assert.ok(Number.isNaN(h[i]), `index ${i} should be NaN`);
  for (let i = window - 1; i < x.length; ++i) close(h[i], entropy(x.subarray(i - window + 1, i + 1)), 1e-12, `end ${i}`);
});

test("rollingEntropy(x, {window, step}) evaluates only the window ends window − 1 + j·step", () => {
  const x = randomSymbols(1000, 3, 2);
  const h = rollingEntropy(x, {window: 100, step: 7});
  for (let i = 0; i < x.length; ++i) {
    if (i >= 99 && (i - 99) % 7 === 0) close(h[i], entropy(x.subarray(i - 99, i + 1)), 1e-12, `end ${i}`);
    else assert.ok(Number.isNaN(h[i]), `index ${i} should be NaN`);
  }
});

test("rollingEntropy(x, {estimator: \"miller-madow\", normalize: true}) matches the batch estimators", () => {
  const x = randomSymbols(800, 5, 3);
  const h = rollingEntropy(x, {window: 40, estimator: "miller-madow", normalize: true, base: 5});
  for (let i = 39; i < x.length; i += 13) {
    close(h[i], entropy(x.subarray(i - 39, i + 1), {estimator: "miller-madow"}) / Math.log2(5), 1e-12, `end ${i}`);
  }
});

test("rollingEntropy(x) over a long stream does not drift from the batch value", () => {
  const x = randomSymbols(300000, 3, 4);
  const window = 1000;
  const h = rollingEntropy(x, {window});
  for (const i of [window - 1, 50000, 123456, 299999]) close(h[i], entropy(x.subarray(i - window + 1, i + 1)), 1e-12, `end ${i}`);
});

test("rollingEntropy(x, {window}) of a series shorter than the window is all NaN", () => {
  const h = rollingEntropy([0, 1, 1], {window: 5});
  assert.equal(h.length, 3);
  assert.ok(h.every(Number.isNaN));
  assert.deepEqual(Array.from(rollingEntropy([0, 1, 1, 0], {window: 1})), [0, 0, 0, 0]);
});

test("rollingEntropy(x) rejects invalid windows, steps and symbols", () => {
  assert.throws(() => rollingEntropy([0, 1], {window: 0}), /invalid window: 0/);
  assert.throws(() => rollingEntropy([0, 1], {window: 1.5}), /invalid window: 1.5/);
  assert.throws(() => rollingEntropy([0, 1], {window: 1, step: 0}), /invalid step: 0/);
  assert.throws(() => rollingEntropy([0, -1], {window: 1}), /invalid symbol: -1/);
  assert.throws(() => rollingEntropy([0, 4], {window: 1, base: 3}), /invalid symbol: 4/);
});

test("entropyAccumulator(base) tracks entropy through any sequence of adds and removes", () => {
  const random = mulberry32(5);
  const acc = entropyAccumulator(4);
  const mm = entropyAccumulator(4, {estimator: "miller-madow"});
  const held: number[] = [];
  assert.ok(Number.isNaN(acc.value()));
  for (let step = 0; step < 20000; ++step) {
    if (held.length > 0 && random() < 0.45) {
      const s = held.splice(Math.floor(random() * held.length), 1)[0];
      acc.rem(s);
      mm.rem(s);
    } else {
      const s = Math.floor(random() * random() * 4);
      held.push(s);
      acc.add(s);
      mm.add(s);
    }
    if (step % 997 === 0 && held.length > 0) {
      close(acc.value(), entropy(held), 1e-12, `step ${step}`);
      close(mm.value(), entropy(held, {estimator: "miller-madow"}), 1e-12, `step ${step}`);
      assert.equal(acc.count, held.length);
      assert.deepEqual(Array.from(acc.counts), Array.from(symbolCounts(held, {base: 4})));
    }
  }
  acc.init();
  assert.equal(acc.count, 0);
  assert.ok(Number.isNaN(acc.value()));
  assert.throws(() => entropyAccumulator(0), /invalid base: 0/);
});
