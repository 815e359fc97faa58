import test from "node:test";
import assert from "node:assert/strict";
import {quantile} from "d3";
import {BALANCED, binFlow, BUY, FLOW_BASE, flowSymbols, NO_TRADE, quantileThresholds, quantize, SELL, tradeSigns} from "../../lib/symbolize.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("tradeSigns(side) maps buys (+1) to 1 and sells (−1) to 0, dropping unknown sides", () => {
  assert.deepEqual(Array.from(tradeSigns(Int8Array.of(1, -1, -1, 1))), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(tradeSigns([1, 0, -1, 0, 1])), [1, 0, 1]);
  assert.ok(tradeSigns([1, -1]) instanceof Uint8Array);
});

test("tradeSigns(side, {unknown: \"throw\"}) rejects unknown sides; other values always throw", () => {
  assert.throws(() => tradeSigns([1, 0], {unknown: "throw"}), /invalid side: 0 \(index 1\)/);
  assert.throws(() => tradeSigns([1, 2]), /invalid side: 2 \(index 1\)/);
  assert.throws(() => tradeSigns([NaN]), /invalid side: NaN \(index 0\)/);
  assert.throws(() => tradeSigns([1], {unknown: "keep" as never}), /invalid unknown: keep/);
});

test("flowSymbols(net, count) is the sign of the net flow, zero balanced, and an empty bin no trade", () => {
  assert.deepEqual(Array.from(flowSymbols([-3, 0, 5, -0.5, 0.5, 0], [3, 2, 5, 1, 1, 0])), [SELL, BALANCED, BUY, SELL, BUY, NO_TRADE]);
  assert.deepEqual([SELL, BALANCED, BUY, NO_TRADE, FLOW_BASE], [0, 1, 2, 3, 4]);
  // Two venues with the same balance of their trades, one trading in a third of the bins: only
  // the empty bins differ, and they are not "balanced".
  const busy = flowSymbols([1, -1, 0, 1, -1, 0], [1, 1, 2, 1, 1, 2]);
  const quiet = flowSymbols([1, 0, 0, -1, 0, 0], [1, 0, 0, 1, 0, 0]);
  assert.equal(busy.filter((s) => s === BALANCED).length, 2);
  assert.equal(quiet.filter((s) => s === BALANCED).length, 0);
  assert.equal(quiet.filter((s) => s === NO_TRADE).length, 4);
});

test("flowSymbols(net, count, {threshold}) treats |net| ≤ threshold as balanced and checks its input", () => {
  assert.deepEqual(Array.from(flowSymbols(Int16Array.of(-3, -2, 0, 2, 3), [3, 2, 2, 2, 3], {threshold: 2})), [0, 1, 1, 1, 2]);
  assert.throws(() => flowSymbols([0], [1], {threshold: -1}), /invalid threshold: -1/);
  assert.throws(() => flowSymbols([0, NaN], [1, 1]), /invalid value: NaN \(index 1\)/);
  assert.throws(() => flowSymbols([0, 2], [1, 0]), /invalid value: 2 with no trade \(index 1\)/);
  assert.throws(() => flowSymbols([0], [-1]), /invalid count: -1 \(index 0\)/);
  assert.throws(() => flowSymbols([0, 1], [1]), /invalid count length: 1 \(net has 2\)/);
});

test("binFlow(nBuy, nSell) gives the net and total trade count of each bin", () => {
  const {net, count} = binFlow([3, 0, 1], [1, 0, 4]);
  assert.deepEqual(Array.from(net), [2, 0, -3]);
  assert.deepEqual(Array.from(count), [4, 0, 5]);
  assert.deepEqual(Array.from(flowSymbols(net, count)), [BUY, NO_TRADE, SELL]);
  assert.throws(() => binFlow([1], [1, 2]), /invalid nSell length: 2/);
});

test("quantileThresholds(x, q) matches d3.quantile (Hyndman–Fan 7) and skips NaN", () => {
  const random = mulberry32(3);
  const x = Array.from({length: 101}, () => randomNormal(random));
  for (const q of [2, 3, 5, 10]) {
    const t = quantileThresholds([...x, NaN], q);
    assert.equal(t.length, q - 1);
    for (let j = 1; j < q; ++j) assert.ok(Math.abs(t[j - 1] - quantile(x, j / q)!) < 1e-15, `q=${q} j=${j}`);
  }
  assert.deepEqual(Array.from(quantileThresholds([5], 3)), [5, 5]);
  assert.throws(() => quantileThresholds([1, 2], 1), /invalid q: 1/);
  assert.throws(() => quantileThresholds([NaN], 2), /invalid x: no finite value/);
});

test("quantize(x, {states}) gives near-equiprobable states for continuous data", () => {
  const random = mulberry32(4);
  const x = Float64Array.from({length: 30000}, () => randomNormal(random));
  for (const q of [2, 3, 4]) {
    const s = quantize(x, {states: q});
    const counts = new Array(q).fill(0);
    for (const v of s) ++counts[v];
    for (const c of counts) assert.ok(Math.abs(c - x.length / q) <= 2, `q=${q}: ${counts}`);
  }
  // Order is preserved: a larger value never gets a smaller state.
  const s = quantize(x, {states: 5});
  for (let i = 1; i < 500; ++i) if (x[i] > x[i - 1]) assert.ok(s[i] >= s[i - 1]);
});

test("quantize(x, {thresholds}) counts the cut points at or below each value", () => {
  assert.deepEqual(Array.from(quantize([-2, -1e-4, 0, 1e-4, 3], {thresholds: [-1e-4, 1e-4]})), [0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(quantize([0.5, 1.5, 2.5], {thresholds: [1]})), [0, 1, 1]);
});

test("quantize(x) rejects NaN values and invalid thresholds", () => {
  assert.throws(() => quantize([0, NaN], {thresholds: [0]}), /invalid value: NaN \(index 1\)/);
  assert.throws(() => quantize([0], {thresholds: [1, 0]}), /invalid thresholds: 1, 0/);
  assert.throws(() => quantize([0], {thresholds: []}), /invalid thresholds: length 0/);
  assert.throws(() => quantize([0, 1], {states: 300}), /invalid q: 300/);
});
