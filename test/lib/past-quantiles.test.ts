import test from "node:test";
import assert from "node:assert/strict";
import {pastQuantiles} from "../../lib/past-quantiles.js";
import {quantiles} from "../../lib/moments.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("pastQuantiles(x, p) equals the type-7 quantiles of each prefix, NaN values skipped", () => {
  const random = mulberry32(3);
  const x = Float64Array.from({length: 300}, (_, i) => (i % 17 === 5 ? NaN : Math.round(10 * randomNormal(random)) / 2));
  const p = [0, 1 / 3, 0.5, 2 / 3, 1];
  const out = pastQuantiles(x, p);
  for (let t = 0; t < x.length; ++t) {
    const want = quantiles(x.subarray(0, t + 1), p);
    for (let k = 0; k < p.length; ++k) assert.ok(Object.is(out[k][t], want[k]) || out[k][t] === want[k], `t ${t}, p ${p[k]}: ${out[k][t]} ≠ ${want[k]}`);
  }
});

test("pastQuantiles(x, p, {window}) equals the quantiles of the last `window` values, with minCount", () => {
  const random = mulberry32(4);
  const x = Float64Array.from({length: 200}, (_, i) => (i % 11 === 3 ? NaN : randomNormal(random)));
  const [lo, hi] = pastQuantiles(x, [0.25, 0.75], {window: 20, minCount: 15});
  for (let t = 0; t < x.length; ++t) {
    const part = x.subarray(Math.max(0, t - 19), t + 1);
    const finite = part.filter(Number.isFinite).length;
    if (finite < 15) {
      assert.ok(Number.isNaN(lo[t]) && Number.isNaN(hi[t]), `t ${t}`);
      continue;
    }
    const [a, b] = quantiles(part, [0.25, 0.75]);
    assert.equal(lo[t], a);
    assert.equal(hi[t], b);
  }
});

test("pastQuantiles uses nothing after t: changing the future leaves the past thresholds alone", () => {
  const x = Float64Array.from({length: 50}, (_, i) => Math.sin(i));
  const before = pastQuantiles(x, [0.5])[0];
  const y = x.slice();
  for (let i = 30; i < 50; ++i) y[i] = 1000 + i;
  const after = pastQuantiles(y, [0.5])[0];
  assert.deepEqual(after.subarray(0, 30), before.subarray(0, 30));
  assert.notEqual(after[49], before[49]);
});

test("pastQuantiles validates its input", () => {
  assert.throws(() => pastQuantiles([1], [1.5]), /invalid p: 1.5/);
  assert.throws(() => pastQuantiles([1], [0.5], {window: 0}), /invalid window: 0/);
  assert.throws(() => pastQuantiles([1], [0.5], {minCount: 0}), /invalid minCount: 0/);
});
