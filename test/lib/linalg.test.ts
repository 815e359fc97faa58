import test from "node:test";
import assert from "node:assert/strict";
import {cholesky, choleskySolve, determinant, inverse, multiply, solve, transpose} from "../../lib/linalg.js";
import {mulberry32} from "../../lib/random.js";

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; ++i) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
}

test("cholesky(a, n) of a hand-factored matrix", () => {
  // [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with L = [[2,0,0],[6,1,0],[−8,5,3]].
  const l = cholesky([4, 12, -16, 12, 37, -43, -16, -43, 98], 3)!;
  close(l, [2, 0, 0, 6, 1, 0, -8, 5, 3], 1e-14);
  assert.equal(cholesky([1, 2, 2, 1], 2), null);
});

test("solve(a, n, b), choleskySolve, inverse and determinant agree on a random system", () => {
  const random = mulberry32(9);
  const n = 6;
  const g = Float64Array.from({length: n * n}, () => random() - 0.5);
  const a = multiply(g, transpose(g, n, n), n, n, n);
  for (let i = 0; i < n; ++i) a[i * n + i] += 1;
  const x = Float64Array.from({length: n * 2}, () => random());
  const b = multiply(a, x, n, n, 2);
  close(solve(a, n, b)!, x, 1e-12);
  close(choleskySolve(cholesky(a, n)!, n, b), x, 1e-12);
  const inv = inverse(a, n)!;
  const eye = multiply(a, inv, n, n, n);
  close(eye, Float64Array.from({length: n * n}, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), 1e-12);
  // det(A) = (Π diag L)².
  const l = cholesky(a, n)!;
  let d = 1;
  for (let i = 0; i < n; ++i) d *= l[i * n + i] ** 2;
  assert.ok(Math.abs(determinant(a, n) - d) < 1e-12 * Math.abs(d));
});

test("determinant(a, n) and solve handle permutations and singular matrices", () => {
  assert.equal(determinant([0, 1, 1, 0], 2), -1);
  assert.equal(determinant([1, 2, 2, 4], 2), 0);
  assert.equal(solve([1, 2, 2, 4], 2, [1, 1]), null);
  close(solve([0, 1, 1, 0], 2, [3, 4])!, [4, 3], 0);
  assert.throws(() => solve([1, 2, 3], 2, [1, 1]), /invalid matrix length: 3/);
});
