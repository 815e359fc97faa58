/**
 * Vector error-correction model for k prices of one asset with known cointegrating vectors
 * (the price differences), fitted by least squares — the input of price-discovery measures.
 */
import {cholesky, choleskySolve} from "./linalg.js";

/** A fitted VECM Δp_t = c + α·z_{t−1} + Σ_{i=1}^{q} Γ_i·Δp_{t−i} + ε_t. */
export interface VecmFit {
  /** Number of price series k. */
  k: number;
  /** Number of lagged differences q. */
  lags: number;
  /** Observations used (time steps with every value finite). */
  n: number;
  /** Constant c (length k). */
  constant: Float64Array;
  /** Adjustment coefficients α, k×(k−1) row-major: α[i·(k−1) + a] loads Δp_i on z_a = p_0 − p_{a+1}. */
  alpha: Float64Array;
  /** Standard errors of α, same layout. */
  alphaSE: Float64Array;
  /** Short-run matrices Γ_1..Γ_q, each k×k row-major: Γ_i[r·k + c] multiplies Δp_c at lag i in equation r. */
  gamma: Float64Array[];
  /** Residual covariance Ω (k×k), E'E/(n − K) with K regressors per equation. */
  omega: Float64Array;
  /** The (k−1)×(k−1) block of (X'X)⁻¹ for the error-correction terms: Cov(α_{i,a}, α_{j,b}) = Ω_ij·zz[a,b]. */
  zzInverse: Float64Array;
  /** Number of regressors per equation K = 1 + (k − 1) + k·q. */
  regressors: number;
}

/**
 * Fits the vector error-correction model of k log prices of the same asset on a common grid
 * (e.g. 1 s last prices of k venues),
 *
 *   Δp_t = c + α·z_{t−1} + Σ_{i=1}^{q} Γ_i·Δp_{t−i} + ε_t,   z_t = (p_0 − p_1, …, p_0 − p_{k−1})_t,
 *
 * with the k − 1 cointegrating vectors fixed to the price differences against venue 0 (one
 * vector, p_0 − p_1, for two venues): prices of one asset cannot drift apart, so the vectors
 * are known and need no Johansen estimation (Hasbrouck, J. Finance 50 (1995) 1175). Every
 * equation has the same regressors, so equation-by-equation OLS is the maximum-likelihood
 * (SUR) estimate. `prices` are log prices (take Math.log of the price grid); the units of α
 * are per step, of Ω squared log returns per step.
 *
 * A time step is used only if p_{t−q−1} … p_t are finite for every venue (missing prices are
 * NaN). Regressors are centred before the normal equations are solved by Cholesky, which keeps
 * the system well conditioned when spreads are ~1e-4 and the constant is 1.
 *
 * RangeError if fewer than two series, unequal lengths, q not a non-negative integer, or too
 * few complete observations (n ≤ K); also if the regressors are collinear (e.g. two identical
 * price series).
 */
export function vecm(prices: ArrayLike<number>[], {lags = 1}: {lags?: number} = {}): VecmFit {
  const k = prices.length;
  if (k < 2) throw new RangeError(`invalid prices: ${k} series`);
  const T = prices[0].length;
  for (let i = 1; i < k; ++i) if (prices[i].length !== T) throw new RangeError(`invalid prices[${i}] length: ${prices[i].length} (prices[0] has ${T})`);
  if (!Number.isInteger(lags) || lags < 0) throw new RangeError(`invalid lags: ${lags}`);
  const q = lags;
  const nz = k - 1;
  const K = 1 + nz + k * q; // constant first
  const P = K - 1; // non-constant regressors

  // Valid steps: t with p_{t−q−1..t} finite for every series.
  const finite = new Uint8Array(T);
  for (let t = 0; t < T; ++t) {
    let ok = 1;
    for (let i = 0; i < k; ++i) if (!Number.isFinite(+prices[i][t])) ok = 0;
    finite[t] = ok;
  }
  const valid = new Uint8Array(T);
  let run = 0;
  let n = 0;
  for (let t = 0; t < T; ++t) {
    run = finite[t] ? run + 1 : 0;
    if (run >= q + 2) (valid[t] = 1), ++n;
  }
  if (n <= K) throw new RangeError(`invalid prices: ${n} complete observations for ${K} regressors`);

  const x = new Float64Array(P);
  const y = new Float64Array(k);
  const fill = (t: number) => {
    for (let a = 0; a < nz; ++a) x[a] = prices[0][t - 1] - prices[a + 1][t - 1];
    for (let i = 1; i <= q; ++i)
      for (let c = 0; c < k; ++c) x[nz + (i - 1) * k + c] = prices[c][t - i] - prices[c][t - i - 1];
    for (let c = 0; c < k; ++c) y[c] = prices[c][t] - prices[c][t - 1];
  };

  // Means.
  const mx = new Float64Array(P);
  const my = new Float64Array(k);
  for (let t = 0; t < T; ++t) {
    if (!valid[t]) continue;
    fill(t);
    for (let p = 0; p < P; ++p) mx[p] += x[p];
    for (let c = 0; c < k; ++c) my[c] += y[c];
  }
  for (let p = 0; p < P; ++p) mx[p] /= n;
  for (let c = 0; c < k; ++c) my[c] /= n;

  // Centred cross-products X'X (P×P) and X'Y (P×k).
  const xx = new Float64Array(P * P);
  const xy = new Float64Array(P * k);
  for (let t = 0; t < T; ++t) {
    if (!valid[t]) continue;
    fill(t);
    for (let p = 0; p < P; ++p) x[p] -= mx[p];
    for (let c = 0; c < k; ++c) y[c] -= my[c];
    for (let p = 0; p < P; ++p) {
      const v = x[p];
      for (let r = 0; r <= p; ++r) xx[p * P + r] += v * x[r];
      for (let c = 0; c < k; ++c) xy[p * k + c] += v * y[c];
    }
  }
  for (let p = 0; p < P; ++p) for (let r = 0; r < p; ++r) xx[r * P + p] = xx[p * P + r];
  // Scale to unit diagonal for conditioning.
  const scale = new Float64Array(P);
  for (let p = 0; p < P; ++p) scale[p] = xx[p * P + p] > 0 ? 1 / Math.sqrt(xx[p * P + p]) : 0;
  const xs = new Float64Array(P * P);
  for (let p = 0; p < P; ++p) for (let r = 0; r < P; ++r) xs[p * P + r] = xx[p * P + r] * scale[p] * scale[r];
  const l = cholesky(xs, P);
  if (!l || scale.some((s) => s === 0)) throw new RangeError("invalid prices: collinear regressors");
  const xyScaled = new Float64Array(P * k);
  for (let p = 0; p < P; ++p) for (let c = 0; c < k; ++c) xyScaled[p * k + c] = xy[p * k + c] * scale[p];
  const bs = choleskySolve(l, P, xyScaled);
  const b = new Float64Array(P * k); // coefficients, P×k
  for (let p = 0; p < P; ++p) for (let c = 0; c < k; ++c) b[p * k + c] = bs[p * k + c] * scale[p];
  const constant = new Float64Array(k);
  for (let c = 0; c < k; ++c) {
    let s = my[c];
    for (let p = 0; p < P; ++p) s -= b[p * k + c] * mx[p];
    constant[c] = s;
  }

  // Residual covariance.
  const omega = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let t = 0; t < T; ++t) {
    if (!valid[t]) continue;
    fill(t);
    for (let c = 0; c < k; ++c) {
      let s = y[c] - constant[c];
      for (let p = 0; p < P; ++p) s -= b[p * k + c] * x[p];
      e[c] = s;
    }
    for (let r = 0; r < k; ++r) for (let c = 0; c <= r; ++c) omega[r * k + c] += e[r] * e[c];
  }
  for (let r = 0; r < k; ++r)
    for (let c = 0; c <= r; ++c) {
      omega[r * k + c] /= n - K;
      omega[c * k + r] = omega[r * k + c];
    }

  // (X'X)⁻¹ block of the error-correction terms (centring absorbs the constant exactly).
  const eye = new Float64Array(P * nz);
  for (let a = 0; a < nz; ++a) eye[a * nz + a] = scale[a];
  const cols = choleskySolve(l, P, eye); // (Xs'Xs)⁻¹ · S e_a
  const zzInverse = new Float64Array(nz * nz);
  for (let a = 0; a < nz; ++a) for (let c = 0; c < nz; ++c) zzInverse[a * nz + c] = cols[a * nz + c] * scale[a];

  const alpha = new Float64Array(k * nz);
  const alphaSE = new Float64Array(k * nz);
  for (let i = 0; i < k; ++i)
    for (let a = 0; a < nz; ++a) {
      alpha[i * nz + a] = b[a * k + i];
      alphaSE[i * nz + a] = Math.sqrt(omega[i * k + i] * zzInverse[a * nz + a]);
    }
  const gamma: Float64Array[] = [];
  for (let lag = 1; lag <= q; ++lag) {
    const g = new Float64Array(k * k);
    for (let r = 0; r < k; ++r) for (let c = 0; c < k; ++c) g[r * k + c] = b[(nz + (lag - 1) * k + c) * k + r];
    gamma.push(g);
  }
  return {k, lags: q, n, constant, alpha, alphaSE, gamma, omega, zzInverse, regressors: K};
}
