import test from "node:test";
import assert from "node:assert/strict";
import {normalQuantile, normalScores} from "../../lib/normal-scores.js";
import {studentTQuantile} from "../../lib/student-t.js";

test("normalQuantile(p) matches tabulated standard-normal quantiles in all three regions", () => {
  // Tabulated values (Abramowitz & Stegun, Table 26.5).
  const table: [number, number][] = [[0.5, 0], [0.975, 1.959963984540054], [0.95, 1.6448536269514722], [0.99, 2.3263478740408408], [0.001, -3.090232306167813], [1e-6, -4.753424308822899], [0.01, -2.3263478740408408]];
  for (const [p, z] of table) assert.ok(Math.abs(normalQuantile(p) - z) < 2e-7, `Φ⁻¹(${p}) = ${normalQuantile(p)}, expected ${z}`);
  for (const p of [0.001, 0.02, 0.3, 0.7, 0.98]) assert.ok(Math.abs(normalQuantile(p) + normalQuantile(1 - p)) < 2e-7, `symmetry at ${p}`);
  // Student's t with very many degrees of freedom is normal.
  assert.ok(Math.abs(normalQuantile(0.9) - studentTQuantile(0.9, 1e7)) < 1e-5);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.2), /invalid p: 1.2/);
});

test("normalScores(x) keeps the order, gives ties their mean rank and is symmetric", () => {
  const s = normalScores([10, -3, 7, 7, 1000]);
  // Ranks 4, 1, 2.5, 2.5, 5 of n = 5: Φ⁻¹(r / 6).
  const want = [4, 1, 2.5, 2.5, 5].map((r) => normalQuantile(r / 6));
  for (let i = 0; i < 5; ++i) assert.ok(Math.abs(s[i] - want[i]) < 1e-15, `${i}: ${s[i]} vs ${want[i]}`);
  // An outlier counts as one rank above the rest, however far out.
  assert.equal(normalScores([1, 2, 3])[2], normalScores([1, 2, 1e9])[2]);
  const sum = normalScores([5, 1, 9, 3, 7, 2]).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum) < 1e-12, `scores sum to 0 (symmetric ranks): ${sum}`);
  assert.throws(() => normalScores([1, NaN]), /invalid x\[1\]: NaN/);
});
