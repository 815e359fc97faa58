import test from "node:test";
import assert from "node:assert/strict";
import {benjaminiHochberg, holmAdjust} from "../../lib/fdr.js";
import {mulberry32} from "../../lib/random.js";

/** R's p.adjust(p, "BH") by its definition: q_i = min over p_j ≥ p_i of min(1, m p_j / rank_j). */
function reference(p: number[]): number[] {
  const m = p.length;
  const sorted = [...p].sort((a, b) => a - b);
  return p.map((pi) => {
    let q = 1;
    for (let j = 0; j < m; ++j) if (sorted[j] >= pi) q = Math.min(q, (m * sorted[j]) / (j + 1));
    return q;
  });
}

test("benjaminiHochberg(p) adjusts a hand-computed example", () => {
  const r = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
  assert.deepEqual(Array.from(r.adjusted), [0.02, 0.04, 0.04, 0.02]);
  assert.deepEqual(Array.from(r.rejected), [1, 1, 1, 1]);
  assert.equal(r.threshold, 0.04);
  assert.equal(r.discoveries, 4);
});

test("benjaminiHochberg(p, {alpha}) rejects the r smallest with p₍r₎ ≤ α r / m (step-up)", () => {
  // Sorted: 0.001 0.008 0.039 0.041 0.042 0.06 0.074 0.205 (m = 8, α = 0.05).
  // α i/m: 0.00625 0.0125 0.01875 0.025 0.03125 0.0375 0.04375 0.05 → r = 2.
  const p = [0.042, 0.001, 0.06, 0.039, 0.008, 0.041, 0.205, 0.074];
  const r = benjaminiHochberg(p, {alpha: 0.05});
  assert.deepEqual(Array.from(r.rejected), [0, 1, 0, 0, 1, 0, 0, 0]);
  assert.equal(r.threshold, 0.008);
  // With α = 0.1 (α i/m = 0.0125 … 0.1) the largest passing rank is 7 (0.074 ≤ 0.0875), so 0.039
  // is rejected although it exceeds its own bound 0.0375: the procedure steps up.
  const r10 = benjaminiHochberg(p, {alpha: 0.1});
  assert.deepEqual(Array.from(r10.rejected), [1, 1, 1, 1, 1, 1, 0, 1]);
  assert.equal(r10.threshold, 0.074);
});

test("benjaminiHochberg(p) equals R's p.adjust(\"BH\") definition on random p-values with ties", () => {
  const random = mulberry32(1);
  for (let rep = 0; rep < 20; ++rep) {
    const p = Array.from({length: 1 + Math.floor(random() * 40)}, () => Math.round(random() ** 2 * 100) / 100);
    const q = benjaminiHochberg(p).adjusted;
    const ref = reference(p);
    for (let i = 0; i < p.length; ++i) assert.ok(Math.abs(q[i] - ref[i]) < 1e-15, `rep ${rep} index ${i}: ${q[i]} vs ${ref[i]}`);
    const rejected = benjaminiHochberg(p, {alpha: 0.2}).rejected;
    for (let i = 0; i < p.length; ++i) assert.equal(rejected[i], q[i] <= 0.2 ? 1 : 0);
  }
});

test("benjaminiHochberg(p) ignores NaN entries, which do not count towards m", () => {
  const r = benjaminiHochberg([NaN, 0.01, 0.04, NaN]);
  assert.ok(Number.isNaN(r.adjusted[0]) && Number.isNaN(r.adjusted[3]));
  assert.deepEqual(Array.from(r.adjusted.subarray(1, 3)), [0.02, 0.04]);
  assert.equal(r.tests, 2);
  assert.deepEqual(Array.from(r.rejected), [0, 1, 1, 0]);
  assert.equal(benjaminiHochberg([]).discoveries, 0);
});

test("benjaminiHochberg(p, {alpha}) keeps the false discovery proportion below α on average", () => {
  // 80 true nulls (uniform p) and 20 alternatives (p = U^8); FDR ≤ α·m0/m = 0.04.
  const random = mulberry32(2);
  let fdp = 0;
  const reps = 1000;
  for (let rep = 0; rep < reps; ++rep) {
    const p = Array.from({length: 100}, (_, i) => (i < 80 ? random() : random() ** 8));
    const {rejected, discoveries} = benjaminiHochberg(p, {alpha: 0.05});
    let false_ = 0;
    for (let i = 0; i < 80; ++i) false_ += rejected[i];
    fdp += discoveries > 0 ? false_ / discoveries : 0;
  }
  assert.ok(fdp / reps < 0.04 + 0.01, `mean FDP ${fdp / reps}`);
});

test("benjaminiHochberg(p) rejects p-values outside [0, 1] and α outside (0, 1)", () => {
  assert.throws(() => benjaminiHochberg([0.5, 1.5]), /invalid p-value: 1.5 \(index 1\)/);
  assert.throws(() => benjaminiHochberg([-0.1]), /invalid p-value: -0.1/);
  assert.throws(() => benjaminiHochberg([0.5], {alpha: 0}), /invalid alpha: 0/);
});

test("holmAdjust(p) matches R's p.adjust(\"holm\") on a hand-computed example, NaN left out of m", () => {
  // Sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005, 3·0.01, 2·0.03, max(1·0.04, 0.06).
  const q = holmAdjust([0.01, 0.04, NaN, 0.03, 0.005]);
  const want = [0.03, 0.06, NaN, 0.06, 0.02];
  for (let i = 0; i < want.length; ++i) {
    if (Number.isNaN(want[i])) assert.ok(Number.isNaN(q[i]));
    else assert.ok(Math.abs(q[i] - want[i]) < 1e-12, `${i}: ${q[i]}`);
  }
  assert.deepEqual(Array.from(holmAdjust([0.5, 0.9])), [1, 1]);
  assert.throws(() => holmAdjust([0.2, 1.5]), /invalid p-value: 1.5/);
});
