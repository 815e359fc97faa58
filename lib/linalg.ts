/**
 * Dense linear algebra for small matrices (a few dozen rows): Cholesky factorisation, solves,
 * inverse and determinant. Matrices are row-major Float64Arrays of n·n entries; vectors are
 * Float64Arrays. Used by the VECM fit and the information shares.
 */

function checkSquare(a: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid n: ${n}`);
  if (a.length !== n * n) throw new RangeError(`invalid matrix length: ${a.length} (n = ${n})`);
}

/**
 * Cholesky factor L (lower triangular, row-major n×n) with A = L·Lᵀ of a symmetric positive
 * definite matrix A (only its lower triangle is read). Returns null if A is not positive
 * definite (a pivot ≤ 0 or not finite). Golub & Van Loan, Matrix Computations, 4th ed., §4.2.
 */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  checkSquare(a, n);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; ++j) {
    let d = a[j * n + j];
    for (let k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; ++i) {
      let s = a[i * n + j];
      for (let k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves A·X = B for a symmetric positive definite A given its Cholesky factor `l`, with B an
 * n×m row-major matrix (m = b.length / n; a vector is m = 1). Forward then back substitution,
 * O(n²·m). Returns a new array.
 */
export function choleskySolve(l: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  checkSquare(l, n);
  if (b.length % n !== 0) throw new RangeError(`invalid b length: ${b.length} (n = ${n})`);
  const m = b.length / n;
  const x = Float64Array.from(b);
  for (let c = 0; c < m; ++c) {
    for (let i = 0; i < n; ++i) {
      let s = x[i * m + c];
      for (let k = 0; k < i; ++k) s -= l[i * n + k] * x[k * m + c];
      x[i * m + c] = s / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; --i) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; ++k) s -= l[k * n + i] * x[k * m + c];
      x[i * m + c] = s / l[i * n + i];
    }
  }
  return x;
}

/** LU factorisation with partial pivoting in place; returns the permutation and its sign, or null if singular. */
function lu(a: Float64Array, n: number): {perm: Int32Array; sign: number} | null {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; ++i) perm[i] = i;
  let sign = 1;
  for (let k = 0; k < n; ++k) {
    let p = k;
    let max = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; ++i) {
      const v = Math.abs(a[i * n + k]);
      if (v > max) (max = v), (p = i);
    }
    if (!(max > 0) || !Number.isFinite(max)) return null;
    if (p !== k) {
      for (let j = 0; j < n; ++j) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      sign = -sign;
    }
    const pivot = a[k * n + k];
    for (let i = k + 1; i < n; ++i) {
      const f = (a[i * n + k] /= pivot);
      if (f !== 0) for (let j = k + 1; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return {perm, sign};
}

/**
 * Solves A·X = B for a general square A (Gaussian elimination with partial pivoting), B an n×m
 * row-major matrix or a vector. Returns null if A is singular to working precision (a zero
 * pivot). Golub & Van Loan (2013), §3.4.
 */
export function solve(a: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array | null {
  checkSquare(a, n);
  if (b.length % n !== 0) throw new RangeError(`invalid b length: ${b.length} (n = ${n})`);
  const m = b.length / n;
  const f = Float64Array.from(a);
  const d = lu(f, n);
  if (!d) return null;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; ++i) for (let c = 0; c < m; ++c) x[i * m + c] = b[d.perm[i] * m + c];
  for (let c = 0; c < m; ++c) {
    for (let i = 0; i < n; ++i) {
      let s = x[i * m + c];
      for (let k = 0; k < i; ++k) s -= f[i * n + k] * x[k * m + c];
      x[i * m + c] = s;
    }
    for (let i = n - 1; i >= 0; --i) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; ++k) s -= f[i * n + k] * x[k * m + c];
      x[i * m + c] = s / f[i * n + i];
    }
  }
  return x;
}

/** Inverse of a square matrix (solve against the identity); null if singular. */
export function inverse(a: ArrayLike<number>, n: number): Float64Array | null {
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; ++i) eye[i * n + i] = 1;
  return solve(a, n, eye);
}

/** Determinant of a square matrix from its LU factorisation (0 if singular). */
export function determinant(a: ArrayLike<number>, n: number): number {
  checkSquare(a, n);
  const f = Float64Array.from(a);
  const d = lu(f, n);
  if (!d) return 0;
  let det = d.sign;
  for (let i = 0; i < n; ++i) det *= f[i * n + i];
  return det;
}

/** Product C = A·B of an r×k matrix and a k×c matrix, row-major. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): Float64Array {
  if (a.length !== r * k) throw new RangeError(`invalid a length: ${a.length} (${r}×${k})`);
  if (b.length !== k * c) throw new RangeError(`invalid b length: ${b.length} (${k}×${c})`);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; ++i)
    for (let p = 0; p < k; ++p) {
      const v = a[i * k + p];
      if (v !== 0) for (let j = 0; j < c; ++j) out[i * c + j] += v * b[p * c + j];
    }
  return out;
}

/** Transpose of an r×c row-major matrix. */
export function transpose(a: ArrayLike<number>, r: number, c: number): Float64Array {
  if (a.length !== r * c) throw new RangeError(`invalid a length: ${a.length} (${r}×${c})`);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; ++i) for (let j = 0; j < c; ++j) out[j * r + i] = a[i * c + j];
  return out;
}
