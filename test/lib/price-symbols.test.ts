import test from "node:test";
import assert from "node:assert/strict";
import {DOWN, priceChangeSymbols, UNCHANGED, UP} from "../../lib/price-symbols.js";

test("priceChangeSymbols(price) codes down, unchanged and up moves", () => {
  assert.deepEqual(Array.from(priceChangeSymbols([100, 101, 101, 99, 100])), [UNCHANGED, UP, UNCHANGED, DOWN, UP]);
  assert.deepEqual([DOWN, UNCHANGED, UP], [0, 1, 2]);
  assert.deepEqual(Array.from(priceChangeSymbols([])), []);
});

test("priceChangeSymbols(price) treats steps touching a missing price as unchanged", () => {
  assert.deepEqual(Array.from(priceChangeSymbols([NaN, NaN, 100, 102, NaN, 90])), [1, 1, 1, 2, 1, 1]);
  assert.deepEqual(Array.from(priceChangeSymbols(Float32Array.of(0, 5, 4))), [1, 1, 0]);
});

test("priceChangeSymbols(price, {threshold}) puts log changes within the dead band in the middle", () => {
  // ln(100.005/100) ≈ 5e-5 < 1e-4 (unchanged); ln(100.02/100.005) ≈ 1.5e-4 (up); ln(99/100.02) < −1e-4 (down).
  assert.deepEqual(Array.from(priceChangeSymbols([100, 100.005, 100.02, 99], {threshold: 1e-4})), [1, 1, 2, 0]);
  assert.throws(() => priceChangeSymbols([1, 2], {threshold: -1}), /invalid threshold: -1/);
  assert.throws(() => priceChangeSymbols([1, 2], {threshold: NaN}), /invalid threshold: NaN/);
});
