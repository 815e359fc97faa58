import test from "node:test";
import assert from "node:assert/strict";
import {activeFlowEntropy} from "../../lib/flow-entropy.js";
import {entropy} from "../../lib/entropy.js";
import {flowSymbols, NO_TRADE} from "../../lib/symbolize.js";
import {mulberry32} from "../../lib/random.js";

test("activeFlowEntropy(symbols) equals the entropy of each window's bins with trades, NaN below minActive", () => {
  const random = mulberry32(5);
  const x = Uint8Array.from({length: 400}, () => (random() < 0.4 ? NO_TRADE : Math.floor(3 * random())));
  for (const estimator of ["plug-in", "miller-madow"] as const) {
    const r = activeFlowEntropy(x, {window: 30, step: 7, estimator, minActive: 5});
    for (let i = 0; i < x.length; ++i) {
      const due = i >= 29 && (i - 29) % 7 === 0;
      if (!due) {
        assert.ok(Number.isNaN(r.entropy[i]) && Number.isNaN(r.active[i]), `${i} not a window end`);
        continue;
      }
      const traded = Array.from(x.subarray(i - 29, i + 1)).filter((s) => s !== NO_TRADE);
      assert.equal(r.active[i], traded.length / 30);
      if (traded.length < 5) assert.ok(Number.isNaN(r.entropy[i]));
      else assert.ok(Math.abs(r.entropy[i] - entropy(traded, {base: 3, estimator})) < 1e-12, `${estimator} ${i}: ${r.entropy[i]}`);
    }
  }
});

test("activeFlowEntropy does not call a venue that trades less more balanced", () => {
  // Two venues whose trades are equally often sells, balanced and buys; one trades in every
  // bin, the other in one bin of four. The unconditioned entropy of the symbols differs; the
  // entropy given a trade does not.
  const random = mulberry32(9);
  const n = 40_000;
  const busyNet = new Float64Array(n), busyCount = new Float64Array(n), quietNet = new Float64Array(n), quietCount = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const s = Math.floor(3 * random()) - 1;
    (busyNet[i] = s), (busyCount[i] = 2);
    if (random() < 0.25) (quietNet[i] = s), (quietCount[i] = 2);
  }
  const busy = activeFlowEntropy(flowSymbols(busyNet, busyCount), {window: n, normalize: true});
  const quiet = activeFlowEntropy(flowSymbols(quietNet, quietCount), {window: n, normalize: true});
  assert.ok(Math.abs(busy.entropy[n - 1] - 1) < 0.001, `busy ${busy.entropy[n - 1]}`);
  assert.ok(Math.abs(quiet.entropy[n - 1] - 1) < 0.002, `quiet ${quiet.entropy[n - 1]}`);
  assert.ok(Math.abs(quiet.active[n - 1] - 0.25) < 0.01);
  // Unconditioned, the quiet venue's four-symbol entropy is set by its trade rate.
  const four = (x: Uint8Array) => entropy(x, {base: 4});
  assert.ok(Math.abs(four(flowSymbols(quietNet, quietCount)) - four(flowSymbols(busyNet, busyCount))) > 0.2);
});

test("activeFlowEntropy validates its input", () => {
  assert.throws(() => activeFlowEntropy([0, 4], {window: 1}), /4/);
  assert.throws(() => activeFlowEntropy([0], {window: 0}), /invalid window: 0/);
  assert.throws(() => activeFlowEntropy([0], {window: 1, step: 0}), /invalid step: 0/);
  assert.throws(() => activeFlowEntropy([0], {window: 1, minActive: 0}), /invalid minActive: 0/);
});
