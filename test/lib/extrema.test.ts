import test from "node:test";
import assert from "node:assert/strict";
import {barriers, findPeaks, localMaxima, localMinima, prominences} from "../../lib/extrema.js";

test("localMaxima(y) finds strict peaks, the middle of a plateau, never the edges or NaN neighbours", () => {
  assert.deepEqual(Array.from(localMaxima([5, 1, 3, 1, 2, 2, 2, 0, 4, 4, 9])), [2, 5]);
  // A plateau that rises again, or runs to the edge, is not a peak.
  assert.deepEqual(Array.from(localMaxima([0, 2, 2, 3, 1, 1, 1])), [3]);
  assert.deepEqual(Array.from(localMaxima([0, 2, NaN, 2, 0, 3, 0])), [5]);
  assert.deepEqual(Array.from(localMaxima([1, 2])), []);
  assert.deepEqual(Array.from(localMinima([5, 1, 3, 1, 2, 2, 0, 4, Infinity, 3, 9])), [1, 3, 6, 9]);
});

test("prominences(y, peaks) matches SciPy's documented example", () => {
  // scipy.signal.peak_prominences docstring: x = sin(t) + 0.6 sin(2.6 t), t = linspace(0, 6π, 1000).
  const y = Float64Array.from({length: 1000}, (_, i) => {
    const t = (i * 6 * Math.PI) / 999;
    return Math.sin(t) + 0.6 * Math.sin(2.6 * t);
  });
  const peaks = localMaxima(y);
  const expected = [1.24159486, 0.47840168, 0.28470524, 3.10716793, 0.284603, 0.47822491, 2.48340261, 0.47822491];
  assert.equal(peaks.length, expected.length);
  const {prominence} = prominences(y, peaks);
  for (let k = 0; k < expected.length; ++k) assert.ok(Math.abs(prominence[k] - expected[k]) < 1e-8, `${k}: ${prominence[k]}`);
});

test("prominences(y, minima, \"min\") of a hand-checked landscape are depths to the lower saddle", () => {
  //           0  1  2  3  4  5  6  7  8
  const y = [9, 1, 4, 0, 6, 2, 3, 5, 9];
  const minima = localMinima(y);
  assert.deepEqual(Array.from(minima), [1, 3, 5]);
  const p = prominences(y, minima, "min");
  // Minimum 1 (value 1): left walk reaches the edge (max 9), right walk stops at the lower 0 (max 4).
  // Minimum 3 (value 0, the deepest): both walks reach the edges: min(9, 9) − 0.
  // Minimum 5 (value 2): left stops at 0 after 6, right reaches the edge (max 9): min(6, 9) − 2.
  assert.deepEqual(Array.from(p.prominence), [3, 9, 4]);
  assert.deepEqual(Array.from(p.leftBase), [0, 0, 4]);
  assert.deepEqual(Array.from(p.rightBase), [2, 8, 8]);
  assert.equal(prominences([Infinity, 1, Infinity], [1], "min").prominence[0], Infinity);
  assert.throws(() => prominences(y, [9]), /invalid index: 9/);
});

test("findPeaks(y, {kind: \"min\", minProminence}) drops shallow minima", () => {
  const y = [9, 1, 4, 0, 6, 2, 3, 5, 9];
  const all = findPeaks(y, {kind: "min"});
  assert.deepEqual(Array.from(all.index), [1, 3, 5]);
  const deep = findPeaks(y, {kind: "min", minProminence: 3.5});
  assert.deepEqual(Array.from(deep.index), [3, 5]);
  assert.deepEqual(Array.from(deep.prominence), [9, 4]);
  assert.throws(() => findPeaks(y, {minProminence: -1}), /invalid minProminence: -1/);
});

test("barriers(y, minima) climbs to the highest point between neighbouring minima", () => {
  const y = [9, 1, 4, 0, 6, 2, 3, 5, 9];
  const b = barriers(y, [1, 3, 5]);
  assert.deepEqual(Array.from(b.leftSaddle), [-1, 2, 4]);
  assert.deepEqual(Array.from(b.rightSaddle), [2, 4, -1]);
  assert.deepEqual(Array.from(b.left), [Infinity, 4, 4]);
  assert.deepEqual(Array.from(b.right), [3, 6, Infinity]);
  assert.deepEqual(Array.from(b.barrier), [3, 4, 4]);
  // Without the shallow minimum at 5, the barrier right of 3 is the edge: none.
  const b2 = barriers(y, [1, 3]);
  assert.deepEqual(Array.from(b2.barrier), [3, 4]);
  assert.equal(b2.right[1], Infinity);
  assert.throws(() => barriers(y, [3, 1]), /invalid minimum index: 1/);
});
