import test from "node:test";
import assert from "node:assert/strict";
import {vecm} from "../../lib/vecm.js";
import {multiply, solve, transpose} from "../../lib/linalg.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

/** Simulates Δp_t = α·z_{t−1} + Γ_1·Δp_{t−1} + ε_t for two venues, z = p0 − p1, ε ~ N(0, σ²I). */
function simulate(T: number, alpha: [number, number], g: number[], sigma: number, seed: number): [Float64Array, Float64Array] {
  const random = mulberry32(seed);
  const p0 = new Float64Array(T);
  const p1 = new Float64Array(T);
  p0[0] = p1[0] = p0[1] = p1[1] = Math.log(30000);
  for (let t = 2; t < T; ++t) {
    const z = p0[t - 1] - p1[t - 1];
    const d0 = p0[t - 1] - p0[t - 2];
    const d1 = p1[t - 1] - p1[t - 2];
    p0[t] = p0[t - 1] + alpha[0] * z + g[0] * d0 + g[1] * d1 + sigma * randomNormal(random);
    p1[t] = p1[t - 1] + alpha[1] * z + g[2] * d0 + g[3] * d1 + sigma * randomNormal(random);
  }
  return [p0, p1];
}

test("vecm(prices, {lags}) equals OLS on the explicit regressor matrix", () => {
  const random = mulberry32(1);
  const T = 400;
  const k = 3;
  const q = 2;
  const p = Array.from({length: k}, () => new Float64Array(T));
  for (let t = 1; t < T; ++t) {
    const common = 1e-3 * randomNormal(random);
    for (let i = 0; i < k; ++i) p[i][t] = 0.7 * p[i][t - 1] + 0.3 * p[0][t - 1] + common + 5e-4 * randomNormal(random);
  }
  p[1][200] = NaN; // drops steps 200..203 (q + 2 = 4 steps need p[200])
  const fit = vecm(p, {lags: q});
  // Explicit design: [1, z_0, z_1, Δp(t−1), Δp(t−2)] for every complete step.
  const rows: number[][] = [];
  const ys: number[][] = [];
  for (let t = q + 1; t < T; ++t) {
    const row = [1, p[0][t - 1] - p[1][t - 1], p[0][t - 1] - p[2][t - 1]];
    for (let i = 1; i <= q; ++i) for (let c = 0; c < k; ++c) row.push(p[c][t - i] - p[c][t - i - 1]);
    const y = [0, 1, 2].map((c) => p[c][t] - p[c][t - 1]);
    if ([...row, ...y].every(Number.isFinite)) rows.push(row), ys.push(y);
  }
  assert.equal(fit.n, rows.length);
  assert.equal(fit.n, T - q - 1 - 4);
  const K = rows[0].length;
  const X = Float64Array.from(rows.flat());
  const Y = Float64Array.from(ys.flat());
  const Xt = transpose(X, rows.length, K);
  const B = solve(multiply(Xt, X, K, rows.length, K), K, multiply(Xt, Y, K, rows.length, k))!;
  for (let c = 0; c < k; ++c) {
    assert.ok(Math.abs(fit.constant[c] - B[0 * k + c]) < 1e-9, `constant ${c}`);
    for (let a = 0; a < 2; ++a) assert.ok(Math.abs(fit.alpha[c * 2 + a] - B[(1 + a) * k + c]) < 1e-8, `alpha ${c},${a}`);
    for (let i = 0; i < q; ++i)
      for (let d = 0; d < k; ++d) assert.ok(Math.abs(fit.gamma[i][c * k + d] - B[(3 + i * k + d) * k + c]) < 1e-8, `gamma ${i} ${c},${d}`);
  }
  // Residual covariance with divisor n − K.
  const E = Float64Array.from(Y);
  const fitted = multiply(X, B, rows.length, K, k);
  for (let i = 0; i < E.length; ++i) E[i] -= fitted[i];
  const omega = multiply(transpose(E, rows.length, k), E, k, rows.length, k);
  for (let i = 0; i < k * k; ++i) assert.ok(Math.abs(fit.omega[i] - omega[i] / (rows.length - K)) < 1e-12 * Math.abs(omega[i]) + 1e-20);
  assert.equal(fit.regressors, K);
});

test("vecm(prices) recovers planted adjustment and short-run coefficients", () => {
  const alpha: [number, number] = [-0.05, 0.2];
  const g = [0.1, 0.05, 0.2, -0.1];
  const [p0, p1] = simulate(40000, alpha, g, 1e-4, 7);
  const fit = vecm([p0, p1], {lags: 1});
  for (let i = 0; i < 2; ++i) assert.ok(Math.abs(fit.alpha[i] - alpha[i]) < 4 * fit.alphaSE[i], `α${i}: ${fit.alpha[i]} ± ${fit.alphaSE[i]}`);
  for (let i = 0; i < 4; ++i) assert.ok(Math.abs(fit.gamma[0][i] - g[i]) < 0.03, `Γ[${i}] ${fit.gamma[0][i]}`);
  assert.ok(Math.abs(fit.omega[0] / 1e-8 - 1) < 0.03 && Math.abs(fit.omega[1] / 1e-8) < 0.03);
});

test("vecm(prices) validates its inputs", () => {
  assert.throws(() => vecm([[1, 2, 3]]), /invalid prices: 1 series/);
  assert.throws(() => vecm([[1, 2, 3], [1, 2]]), /invalid prices\[1\] length: 2/);
  assert.throws(() => vecm([[1, 2, 3], [1, 2, 3]], {lags: -1}), /invalid lags: -1/);
  assert.throws(() => vecm([[1, 2, 3], [1, 2, 3]]), /complete observations/);
  const random = mulberry32(3);
  const a = Float64Array.from({length: 100}, () => random());
  assert.throws(() => vecm([a, a.map((v) => v + 1)], {lags: 0}), /collinear/);
});
