import test from "node:test";
import assert from "node:assert/strict";
import {rollingTransferEntropy} from "../../lib/rolling-transfer-entropy.js";
import {transferEntropy, transferEntropyTest} from "../../lib/transfer-entropy.js";
import {mulberry32} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

/** Ternary source and a target that copies it (delay 1) only between `from` and `to`. */
function coupled(n: number, seed: number, from: number, to: number, p = 0.6): [Uint8Array, Uint8Array] {
  const random = mulberry32(seed);
  const x = Uint8Array.from({length: n}, () => Math.floor(random() * 3));
  const y = new Uint8Array(n);
  for (let t = 1; t < n; ++t) y[t] = t >= from && t < to && random() < p ? x[t - 1] : Math.floor(random() * 3);
  return [x, y];
}

test("rollingTransferEntropy(x, y, {window}) equals transferEntropy on every window", () => {
  const [x, y] = coupled(1500, 1, 500, 1000);
  const window = 120;
  const r = rollingTransferEntropy(x, y, {window});
  assert.equal(r.end.length, 1500 - window + 1);
  assert.equal(r.samples, window - 1);
  for (let j = 0; j < r.end.length; ++j) {
    const e = r.end[j];
    assert.equal(e, window - 1 + j);
    close(r.te[j], transferEntropy(x.subarray(e - window + 1, e + 1), y.subarray(e - window + 1, e + 1)), 1e-12, `end ${e}`);
  }
});

test("rollingTransferEntropy(x, y, {window, step, k, l, delay}) equals the batch value for longer histories", () => {
  const [x, y] = coupled(3000, 2, 0, 3000, 0.3);
  // Steps 37 (sums slid with the counts) and 181 or 1601 (≥ twice the table: counts only).
  for (const o of [
    {k: 2, l: 1, delay: 1, step: 37},
    {k: 1, l: 2, delay: 2, step: 37},
    {k: 3, l: 2, delay: 0, step: 37},
    {k: 1, l: 1, delay: 1, step: 181},
    {k: 3, l: 2, delay: 0, step: 1601}
  ]) {
    const window = 400;
    const r = rollingTransferEntropy(x, y, {...o, window});
    assert.equal(r.end.length, Math.floor((3000 - window) / o.step) + 1);
    for (let j = 0; j < r.end.length; ++j) {
      const e = r.end[j];
      assert.equal(e, window - 1 + o.step * j);
      const batch = transferEntropy(x.subarray(e - window + 1, e + 1), y.subarray(e - window + 1, e + 1), o);
      close(r.te[j], batch, 1e-12, `${JSON.stringify(o)} end ${e}`);
    }
  }
});

test("rollingTransferEntropy(x, y) does not drift over a long series", () => {
  const [x, y] = coupled(200000, 3, 50000, 150000);
  const window = 2000;
  const r = rollingTransferEntropy(x, y, {window, step: 1});
  for (const j of [0, 47999, 100000, r.end.length - 1]) {
    const e = r.end[j];
    close(r.te[j], transferEntropy(x.subarray(e - window + 1, e + 1), y.subarray(e - window + 1, e + 1)), 1e-11, `end ${e}`);
  }
});

test("rollingTransferEntropy(x, y, {surrogates}) flags the windows inside a planted coupling", () => {
  const [x, y] = coupled(6000, 4, 2000, 4000, 0.5);
  const window = 1000;
  const r = rollingTransferEntropy(x, y, {window, step: 250, surrogates: 200, seed: 1});
  assert.ok(r.effective && r.pValue);
  for (let j = 0; j < r.end.length; ++j) {
    const from = r.end[j] - window + 1;
    const inside = from >= 2000 && r.end[j] < 4000;
    const outside = r.end[j] < 2000 || from >= 4000;
    if (inside) {
      assert.equal(r.pValue[j], 1 / 201, `window ending ${r.end[j]}`);
      assert.ok(r.effective[j] > 0.1, `effective ${r.effective[j]}`);
    }
    // Null spread of TE at N = 1000 (ternary, k = l = 1) is ≈ 0.0036 bits: allow five of them.
    if (outside) assert.ok(Math.abs(r.effective[j]) < 0.018, `window ending ${r.end[j]}: effective ${r.effective[j]}`);
    assert.ok(r.effective[j] < r.te[j]);
    // Same estimate as the batch test up to the Monte Carlo error of two surrogate means (≈ 3e-4 each).
    const e = r.end[j];
    const batch = transferEntropyTest(x.subarray(e - window + 1, e + 1), y.subarray(e - window + 1, e + 1), {surrogates: 200, seed: j});
    close(r.effective[j], batch.effective, 1.5e-3, `effective, window ending ${e}`);
  }
  const again = rollingTransferEntropy(x, y, {window, step: 250, surrogates: 200, seed: 1});
  assert.deepEqual(again, r);
});

test("rollingTransferEntropy(x, y) gives no windows for a short series and rejects bad options", () => {
  const r = rollingTransferEntropy([0, 1, 0], [1, 0, 1], {window: 5});
  assert.equal(r.end.length, 0);
  assert.equal(r.te.length, 0);
  assert.throws(() => rollingTransferEntropy([0, 1], [1, 0], {window: 1}), /invalid window: 1/);
  assert.throws(() => rollingTransferEntropy([0, 1, 0], [1, 0, 1], {window: 3, k: 3}), /invalid window: 3/);
  assert.throws(() => rollingTransferEntropy([0, 1], [1, 0], {window: 2, step: 0}), /invalid step: 0/);
  assert.throws(() => rollingTransferEntropy([0, 1], [1, 0], {window: 2, surrogates: -1}), /invalid surrogates: -1/);
  assert.throws(() => rollingTransferEntropy([0, 1], [1, 7], {window: 2, base: 3}), /invalid symbol: 7/);
});
