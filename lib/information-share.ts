/**
 * Price discovery across venues from a fitted VECM: Hasbrouck information shares (with bounds
 * over orderings) and Gonzalo–Granger component shares.
 */
import {cholesky, determinant} from "./linalg.js";
import type {VecmFit} from "./vecm.js";

/** The parts of a VECM fit that price-discovery measures need. */
export type PriceDiscoveryModel = Pick<VecmFit, "k" | "alpha" | "gamma" | "omega"> & Partial<Pick<VecmFit, "zzInverse">>;

/**
 * The orthogonal complement α⊥ of the k×(k−1) adjustment matrix α (α⊥'α = 0), as the
 * generalised cross product of α's columns: α⊥_j = (−1)^j · det(α' without column j). For two
 * venues with Δp_0 = α_0·(p_0 − p_1) + …, Δp_1 = α_1·(p_0 − p_1) + …, α⊥ = (α_1, −α_0).
 */
export function alphaOrthogonal(alpha: ArrayLike<number>, k: number): Float64Array {
  const nz = k - 1;
  if (alpha.length !== k * nz) throw new RangeError(`invalid alpha length: ${alpha.length} (k = ${k})`);
  const out = new Float64Array(k);
  if (nz === 0) return out.fill(1);
  const minor = new Float64Array(nz * nz);
  for (let j = 0; j < k; ++j) {
    // Minor of α' (nz × k) without column j: rows a, columns i ≠ j, entries α[i·nz + a].
    for (let a = 0; a < nz; ++a) for (let i = 0, c = 0; i < k; ++i) if (i !== j) minor[a * nz + c++] = alpha[i * nz + a];
    out[j] = (j % 2 ? -1 : 1) * determinant(minor, nz);
  }
  return out;
}

/**
 * Gonzalo–Granger component shares: the weights of each venue's price in the common
 * (permanent) component, f_t = γ'p_t with γ = α⊥/Σα⊥ (Gonzalo & Granger, J. Bus. Econ. Stat.
 * 13 (1995) 27; Booth, So & Tse, J. Futures Markets 19 (1999) 619). They sum to 1 and can fall
 * outside [0, 1] when a venue over-adjusts. Two venues: share_0 = α_1/(α_1 − α_0).
 *
 * With the fit's `zzInverse` the standard errors come from the delta method with
 * Cov(α_{i,a}, α_{j,b}) = Ω_ij·(X'X)⁻¹_{ab} and a central-difference gradient. NaN shares if
 * Σα⊥ = 0 (no venue adjusts).
 */
export function componentShares(fit: PriceDiscoveryModel): {shares: Float64Array; se: Float64Array} {
  const {k, alpha, omega, zzInverse} = fit;
  const nz = k - 1;
  const shares = gg(alpha, k);
  const se = new Float64Array(k).fill(NaN);
  if (zzInverse && shares.every(Number.isFinite)) {
    const m = alpha.length;
    const grad = new Float64Array(k * m);
    const a = Float64Array.from(alpha);
    for (let p = 0; p < m; ++p) {
      const h = 1e-6 * Math.max(Math.abs(alpha[p]), 1e-3);
      a[p] = alpha[p] + h;
      const up = gg(a, k);
      a[p] = alpha[p] - h;
      const down = gg(a, k);
      a[p] = alpha[p];
      for (let j = 0; j < k; ++j) grad[j * m + p] = (up[j] - down[j]) / (2 * h);
    }
    for (let j = 0; j < k; ++j) {
      let v = 0;
      for (let p = 0; p < m; ++p)
        for (let r = 0; r < m; ++r) {
          const i1 = Math.floor(p / nz), a1 = p % nz, i2 = Math.floor(r / nz), a2 = r % nz;
          v += grad[j * m + p] * grad[j * m + r] * omega[i1 * k + i2] * zzInverse[a1 * nz + a2];
        }
      se[j] = Math.sqrt(v);
    }
  }
  return {shares, se};
}

function gg(alpha: ArrayLike<number>, k: number): Float64Array {
  const perp = alphaOrthogonal(alpha, k);
  let s = 0;
  for (let j = 0; j < k; ++j) s += perp[j];
  for (let j = 0; j < k; ++j) perp[j] = s !== 0 ? perp[j] / s : NaN;
  return perp;
}

/**
 * The common row ψ of the long-run impact matrix Ψ(1) of the VECM's moving-average form,
 *
 *   Ψ(1) = β⊥ (α⊥' Γ(1) β⊥)⁻¹ α⊥',  Γ(1) = I − Σ_i Γ_i,  β⊥ = ι (ones),
 *
 * (Johansen, Econometrica 59 (1991) 1551, Granger representation): every row equals
 * ψ = α⊥' / (α⊥' Γ(1) ι), the permanent effect of a unit innovation on each venue's price on the
 * efficient price. NaN if the denominator is 0.
 */
export function longRunImpact(fit: PriceDiscoveryModel): Float64Array {
  const {k, alpha, gamma} = fit;
  const perp = alphaOrthogonal(alpha, k);
  // Γ(1)·ι: row sums of I − ΣΓ_i.
  let denom = 0;
  for (let r = 0; r < k; ++r) {
    let rowSum = 1;
    for (const g of gamma) for (let c = 0; c < k; ++c) rowSum -= g[r * k + c];
    denom += perp[r] * rowSum;
  }
  const psi = new Float64Array(k);
  for (let j = 0; j < k; ++j) psi[j] = denom !== 0 ? perp[j] / denom : NaN;
  return psi;
}

/** Hasbrouck information shares with bounds over the orderings of the venues. */
export interface InformationShares {
  /** Long-run impact row ψ. */
  psi: Float64Array;
  /** Smallest information share of each venue over all orderings. */
  lower: Float64Array;
  /** Largest information share of each venue over all orderings. */
  upper: Float64Array;
  /** Midpoint (lower + upper)/2, the usual single summary (Baillie et al. 2002). */
  mid: Float64Array;
  /** Number of orderings evaluated (k!). */
  orderings: number;
  /** ψΩψ', the variance of efficient-price innovations (squared log returns per step). */
  efficientVariance: number;
}

/**
 * Hasbrouck information shares: the fraction of the variance of efficient-price innovations
 * ψΩψ' attributable to each venue,
 *
 *   IS_j = ([ψ F]_j)² / (ψ Ω ψ'),  F the lower Cholesky factor of Ω,
 *
 * (Hasbrouck, J. Finance 50 (1995) 1175). F depends on the order of the venues when their
 * innovations are correlated: a venue placed first gets its upper bound, last its lower bound.
 * All k! orderings are evaluated (k ≤ 8) and each venue's minimum and maximum reported; for two
 * venues with ψ = (1, 0) and innovation correlation ρ the bounds of venue 0 are [1 − ρ², 1].
 * Shares of an ordering sum to 1; dimensionless. Baillie, Booth, Tse & Zabotina (J. Financial
 * Markets 5 (2002) 309) relate IS to the Gonzalo–Granger shares. Uncertainty: bootstrap the
 * VECM (not done here); wide bounds mean contemporaneous correlation at the sampling interval —
 * sample faster.
 *
 * RangeError if Ω is not positive definite or k > 8.
 */
export function informationShares(fit: PriceDiscoveryModel): InformationShares {
  const {k, omega} = fit;
  if (k > 8) throw new RangeError(`invalid k: ${k} (at most 8 venues)`);
  if (!cholesky(omega, k)) throw new RangeError("invalid omega: not positive definite");
  const psi = longRunImpact(fit);
  let total = 0;
  for (let r = 0; r < k; ++r) for (let c = 0; c < k; ++c) total += psi[r] * omega[r * k + c] * psi[c];
  const lower = new Float64Array(k).fill(Infinity);
  const upper = new Float64Array(k).fill(-Infinity);
  const perm = Array.from({length: k}, (_, i) => i);
  const om = new Float64Array(k * k);
  let orderings = 0;
  const visit = () => {
    ++orderings;
    for (let r = 0; r < k; ++r) for (let c = 0; c < k; ++c) om[r * k + c] = omega[perm[r] * k + perm[c]];
    const f = cholesky(om, k)!;
    for (let j = 0; j < k; ++j) {
      let s = 0;
      for (let r = j; r < k; ++r) s += psi[perm[r]] * f[r * k + j];
      const share = (s * s) / total;
      const venue = perm[j];
      if (share < lower[venue]) lower[venue] = share;
      if (share > upper[venue]) upper[venue] = share;
    }
  };
  // Heap's algorithm over all orderings.
  const c = new Int32Array(k);
  visit();
  for (let i = 1; i < k; ) {
    if (c[i] < i) {
      const j = i % 2 ? c[i] : 0;
      [perm[j], perm[i]] = [perm[i], perm[j]];
      visit();
      ++c[i];
      i = 1;
    } else c[i++] = 0;
  }
  const mid = new Float64Array(k);
  for (let j = 0; j < k; ++j) mid[j] = 0.5 * (lower[j] + upper[j]);
  return {psi, lower, upper, mid, orderings, efficientVariance: total};
}
