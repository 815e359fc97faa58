import test from "node:test";
import assert from "node:assert/strict";
import {kendallTau, kendallTrend} from "../../lib/kendall.js";
import {mulberry32} from "../../lib/random.js";

/** Direct O(n²) τ_b: count concordant, discordant and tied pairs one by one. */
function kendallDirect(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let nc = 0, nd = 0, tx = 0, ty = 0;
  for (let i = 0; i < x.length; ++i) {
    for (let j = i + 1; j < x.length; ++j) {
      const dx = Math.sign(x[j] - x[i]);
      const dy = Math.sign(y[j] - y[i]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) ++tx;
      else if (dy === 0) ++ty;
      else if (dx === dy) ++nc;
      else ++nd;
    }
  }
  return (nc - nd) / Math.sqrt((nc + nd + tx) * (nc + nd + ty));
}

test("kendallTau(x, y) matches SciPy's documented value with ties", () => {
  // scipy.stats.kendalltau documentation example: tau = -0.47140452079103173.
  assert.ok(Math.abs(kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) - -0.47140452079103173) < 1e-15);
});

test("kendallTau(x, y) of a hand-counted case without ties is (nc − nd)/n₀", () => {
  // x = 1..4, y = [1, 3, 2, 4]: one discordant pair (3, 2) of six, τ = (5 − 1)/6.
  assert.ok(Math.abs(kendallTau([1, 2, 3, 4], [1, 3, 2, 4]) - 4 / 6) < 1e-15);
  assert.equal(kendallTau([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(kendallTau([1, 2, 3], [10, 20, 30]), 1);
});

test("kendallTau(x, y) equals a direct O(n²) count on random data with many ties", () => {
  const random = mulberry32(7);
  for (const n of [2, 3, 10, 57, 300]) {
    for (const levels of [3, 10, 1000]) {
      const x = Float64Array.from({length: n}, () => Math.floor(random() * levels));
      const y = Float64Array.from({length: n}, (_, i) => Math.floor(random() * levels) + (i % 2 ? x[i] : 0));
      const fast = kendallTau(x, y);
      const slow = kendallDirect(x, y);
      if (Number.isNaN(slow)) assert.ok(Number.isNaN(fast));
      else assert.ok(Math.abs(fast - slow) < 1e-12, `n=${n} levels=${levels}: ${fast} vs ${slow}`);
    }
  }
});

test("kendallTau(x, y) skips non-finite pairs and is NaN for constants", () => {
  assert.equal(kendallTau([1, NaN, 2, 3], [1, 5, 2, 3]), 1);
  assert.ok(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTau([1], [1])));
  assert.throws(() => kendallTau([1, 2], [1]), /invalid y length: 1/);
});

test("kendallTrend(x) is +1 for a rising series, −1 for a falling one, near 0 for noise", () => {
  assert.equal(kendallTrend([1, 2, 5, 9]), 1);
  assert.equal(kendallTrend([4, 3, 2, 1]), -1);
  const random = mulberry32(11);
  const noise = Float64Array.from({length: 2000}, () => random());
  // Under independence Var(τ) = 2(2n + 5)/(9n(n − 1)): SD ≈ 0.015 at n = 2000.
  assert.ok(Math.abs(kendallTrend(noise)) < 0.06);
});
