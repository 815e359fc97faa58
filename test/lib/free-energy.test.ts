import test from "node:test";
import assert from "node:assert/strict";
import {freeEnergy, metastableLevels, rollingFreeEnergy, trackLevels} from "../../lib/free-energy.js";
import {kde} from "../../lib/kde.js";
import {doubleWell, langevin} from "../../lib/langevin.js";

test("freeEnergy(density, {temperature}) is −T ln P, with P = 0 at +Infinity or at the floor", () => {
  const F = freeEnergy([1, Math.E, 0, NaN, 0.5], {temperature: 2});
  assert.equal(F[0], -0);
  assert.equal(F[1], -2);
  assert.equal(F[2], Infinity);
  assert.ok(Number.isNaN(F[3]));
  assert.ok(Math.abs(F[4] - 2 * Math.LN2) < 1e-15);
  const floored = freeEnergy([1, 0, 1e-300], {floor: 1e-12});
  assert.ok(Math.abs(floored[1] - 12 * Math.LN10) < 1e-12);
  assert.equal(floored[2], floored[1]);
  const relative = freeEnergy([0.5, 0.25, 0], {relative: true});
  assert.deepEqual(Array.from(relative), [0, Math.LN2, Infinity]);
  assert.throws(() => freeEnergy([1], {temperature: 0}), /invalid temperature: 0/);
  assert.throws(() => freeEnergy([1], {floor: -1}), /invalid floor: -1/);
});

test("rollingFreeEnergy(density, size, temperature) applies each row's temperature", () => {
  const d = [0.5, 0.25, 0.5, 0.25, 1, 1];
  const F = rollingFreeEnergy(d, 2, [1, 2, NaN]);
  assert.deepEqual(Array.from(F.subarray(0, 4)), [Math.LN2, 2 * Math.LN2, 2 * Math.LN2, 4 * Math.LN2]);
  assert.ok(Number.isNaN(F[4]) && Number.isNaN(F[5]));
  assert.throws(() => rollingFreeEnergy(d, 4, 1), /invalid size: 4/);
  assert.throws(() => rollingFreeEnergy(d, 2, [1, 2]), /invalid temperature length: 2/);
});

test("metastableLevels(F, {x}) of the double well a(x² − 1)² finds ±1 with barrier a on the inner side", () => {
  const a = 1.5;
  const well = doubleWell({height: a});
  const x = Float64Array.from({length: 401}, (_, i) => -2 + i * 0.01);
  const F = Float64Array.from(x, well.U);
  // A notch on the outer wall at x = 1.6 makes a spurious minimum 0.01 deep, which a prominence
  // filter removes.
  F[360] = F[359] - 0.01;
  const all = metastableLevels(F, {x});
  assert.equal(all.x.length, 3);
  assert.ok(Math.abs(all.prominence[2] - 0.01) < 1e-12);
  assert.ok(Math.abs(all.right[1] - (F[359] - F[300])) < 1e-12);
  const levels = metastableLevels(F, {x, minProminence: 0.1});
  assert.deepEqual(Array.from(levels.x, (v) => Math.round(v * 100) / 100), [-1, 1]);
  assert.deepEqual(Array.from(levels.leftSaddleX), [NaN, 0]);
  assert.deepEqual(Array.from(levels.rightSaddleX), [0, NaN]);
  assert.ok(Math.abs(levels.right[0] - a) < 1e-12 && Math.abs(levels.left[1] - a) < 1e-12);
  assert.equal(levels.left[0], Infinity);
  assert.equal(levels.right[1], Infinity);
  assert.ok(Math.abs(levels.barrier[0] - a) < 1e-12 && Math.abs(levels.barrier[1] - a) < 1e-12);
  // Equally deep wells do not bound each other: both prominences reach the edges.
  assert.deepEqual(Array.from(levels.prominence), [F[0], F[0]]);
  // Deepen the left well by 0.2: the right well's prominence becomes its depth below the saddle.
  F[100] = -0.2;
  const tilted = metastableLevels(F, {x, minProminence: 0.1});
  assert.ok(Math.abs(tilted.prominence[1] - a) < 1e-12);
  assert.ok(Math.abs(tilted.prominence[0] - (F[0] + 0.2)) < 1e-12);
  assert.ok(Math.abs(tilted.right[0] - (a + 0.2)) < 1e-12 && Math.abs(tilted.barrier[0] - (a + 0.2)) < 1e-12);
  assert.throws(() => metastableLevels(F, {x: [1, 2]}), /invalid x length: 2/);
});

test("metastableLevels(−T ln P) of a Langevin path in a(x² − 1)² recovers the potential", () => {
  // Planted truth: dx = −U′ dt + √(2T) dW in U = (x² − 1)², T = 0.3; about a hundred transitions.
  const well = doubleWell({height: 1});
  const T = 0.3;
  const dt = 0.002;
  const path = langevin(well, {x0: -1, dt, steps: Math.round((100 * well.kramersTime(T)) / dt), temperature: T, seed: 1, thin: 50});
  const k = kde(path);
  const F = freeEnergy(k.density, {temperature: T});
  const levels = metastableLevels(F, {x: k.x, minProminence: 0.1});
  assert.equal(levels.x.length, 2);
  assert.ok(Math.abs(levels.x[0] + 1) < 0.05 && Math.abs(levels.x[1] - 1) < 0.05, `${levels.x}`);
  assert.ok(Math.abs(levels.rightSaddleX[0]) < 0.1, `${levels.rightSaddleX}`);
  // Kernel smoothing fills the barrier a little (h ≈ 0.1 against a well width √(T/8) ≈ 0.19).
  for (const b of levels.barrier) assert.ok(Math.abs(b - 1) < 0.2, `${levels.barrier}`);
  assert.ok(Math.abs((levels.barrier[0] + levels.barrier[1]) / 2 - 1) < 0.12, `${levels.barrier}`);
  // F = U + constant where the path spends its time.
  let offset = 0, count = 0;
  for (let g = 0; g < k.x.length; ++g) if (Math.abs(k.x[g]) <= 1.3) (offset += F[g] - well.U(k.x[g])), ++count;
  offset /= count;
  for (let g = 0; g < k.x.length; ++g) {
    if (Math.abs(k.x[g]) <= 1.3) assert.ok(Math.abs(F[g] - offset - well.U(k.x[g])) < 0.2, `x = ${k.x[g]}`);
  }
});

test("trackLevels(positions, {tolerance}) links persistent levels and starts new tracks on jumps", () => {
  const positions = [[100, 200], [101, 199, 300], [102.5, 310], [103, 311], [], [104]];
  const {label, tracks} = trackLevels(positions, {tolerance: 2});
  assert.deepEqual(label.map((l) => Array.from(l)), [[0, 1], [0, 1, 2], [0, 3], [0, 3], [], [4]]);
  assert.deepEqual(Array.from(tracks[0].windows), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(tracks[0].x), [100, 101, 102.5, 103]);
  assert.deepEqual(Array.from(tracks[3].levels), [1, 1]);
  // With a gap allowance the level at 104 continues track 0 after the empty window.
  const gap = trackLevels(positions, {tolerance: 2, maxGap: 1});
  assert.deepEqual(Array.from(gap.label[5]), [0]);
  // Closest pairs first: 10.9 goes to the track at 11, not the one at 10.
  const close = trackLevels([[10, 11], [10.9]], {tolerance: 1});
  assert.deepEqual(Array.from(close.label[1]), [1]);
  assert.throws(() => trackLevels(positions, {tolerance: 0}), /invalid tolerance: 0/);
});
