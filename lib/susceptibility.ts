/**
 * Susceptibility: the fluctuations of the order parameter scaled by system size (chapter 04).
 */
import {windowEnds, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";

/** Options of {@link fluctuationSusceptibility}. */
export interface FluctuationOptions {
  /** Number of spins N in the system whose magnetisation per spin is given (≥ 1). */
  size: number;
  /** Temperature T dividing the result (default 1, i.e. N·Var). */
  temperature?: number;
  /**
   * Use |m| for the mean (default true): on a finite lattice the sign of m wanders between the
   * two ordered states, so Var(m) would measure those flips rather than the fluctuations
   * (Newman & Barkema 1999, §3.7; Landau & Binder 2015, §4.2).
   */
  absolute?: boolean;
}

/**
 * Fluctuation–dissipation susceptibility of a series of magnetisations per spin m:
 *
 *   χ = N · (⟨m²⟩ − ⟨|m|⟩²) / T
 *
 * (⟨m⟩ instead of ⟨|m|⟩ when `absolute` is false), with population averages over the finite
 * samples. χ peaks at the critical point, where it diverges with the system size in the
 * thermodynamic limit. NaN for an empty series. Throws a RangeError for a size or temperature
 * that is not a positive finite number. Reference: Newman & Barkema, Monte Carlo Methods in
 * Statistical Physics (1999), eq. 3.15.
 */
export function fluctuationSusceptibility(m: ArrayLike<number>, options: FluctuationOptions): number {
  const {size, temperature = 1, absolute = true} = options;
  if (!(size >= 1 && size < Infinity)) throw new RangeError(`invalid size: ${size}`);
  if (!(temperature > 0 && temperature < Infinity)) throw new RangeError(`invalid temperature: ${temperature}`);
  let c = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < m.length; ++i) {
    let v = +m[i];
    if (!Number.isFinite(v)) continue;
    if (absolute) v = Math.abs(v);
    const d = v - mean;
    mean += d / ++c;
    m2 += d * (v - mean);
  }
  return c > 0 ? (size * (m2 / c)) / temperature : NaN;
}

/** Options of {@link orderFlowSusceptibility}. */
export interface OrderFlowSusceptibilityOptions extends WindowOptions {
  /**
   * Trades per bin Nᵢ, the weights (default buy + sell, right when buy and sell are counts).
   * Pass the trade counts when buy and sell are volumes.
   */
  trades?: ArrayLike<number>;
}

/**
 * Susceptibility of the order flow in rolling windows of bins (see {@link WindowOptions}):
 *
 *   χ = Σᵢ Nᵢ (mᵢ − m̄)² / (K − 1),   m̄ = Σᵢ Nᵢ mᵢ / Σᵢ Nᵢ,
 *
 * over the K bins of the window that hold trades, with mᵢ = (Bᵢ − Sᵢ)/(Bᵢ + Sᵢ) the imbalance of
 * bin i and Nᵢ its number of trades. This is χ = N·Var(m) — the variance of the magnetisation of
 * a "configuration" (a bin of N trades, each a spin ±1) scaled by the number of spins — with each
 * bin weighted by its own Nᵢ because bins hold different numbers of trades.
 *
 * The analogy: for N independent spins N·Var(m) = Var(s) = 1 − μ² (μ the mean sign), the
 * paramagnet at infinite temperature; the weighted form keeps exactly that expectation,
 * E[χ] = 1 − μ², for independent trade signs whatever the Nᵢ (inverse-variance weighting with
 * K − 1 degrees of freedom). Herding, order splitting or any correlation of signs inside a bin
 * raises χ above 1 − μ² in proportion to the correlated "domain" size, as the susceptibility of
 * a ferromagnet grows with its correlation volume near T_c (Stanley, Introduction to Phase
 * Transitions and Critical Phenomena, 1971; for order flow, Lillo & Farmer 2004,
 * Stud. Nonlinear Dyn. Econom. 8(3): 1). A trending window (m drifting across bins) also
 * raises χ: it measures all fluctuation of m within the window.
 *
 * NaN for a window with fewer than two bins holding trades. Throws a RangeError for mismatched
 * lengths or negative flows. Computed from prefix sums in O(n).
 */
export function orderFlowSusceptibility(
  buy: ArrayLike<number>,
  sell: ArrayLike<number>,
  options: OrderFlowSusceptibilityOptions
): Float64Array {
  const {window, step} = windowOptions(options);
  const {trades} = options;
  const n = buy.length;
  if (sell.length !== n) throw new RangeError(`invalid sell length: ${sell.length} (buy has ${n})`);
  if (trades && trades.length !== n) throw new RangeError(`invalid trades length: ${trades.length} (buy has ${n})`);
  // Prefix sums of K (bins with trades), W = ΣN, A = ΣN·m and Q = ΣN·m².
  const cK = new Float64Array(n + 1);
  const cW = new Float64Array(n + 1);
  const cA = new Float64Array(n + 1);
  const cQ = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) {
    const b = +buy[i];
    const s = +sell[i];
    if (b < 0) throw new RangeError(`invalid buy[${i}]: ${buy[i]}`);
    if (s < 0) throw new RangeError(`invalid sell[${i}]: ${sell[i]}`);
    const w = trades ? +trades[i] : b + s;
    if (w < 0) throw new RangeError(`invalid trades[${i}]: ${trades![i]}`);
    let k = 0, a = 0, q = 0, ww = 0;
    if (b + s > 0 && b + s < Infinity && w > 0 && w < Infinity) {
      const m = (b - s) / (b + s);
      k = 1;
      ww = w;
      a = w * m;
      q = w * m * m;
    }
    cK[i + 1] = cK[i] + k;
    cW[i + 1] = cW[i] + ww;
    cA[i + 1] = cA[i] + a;
    cQ[i + 1] = cQ[i] + q;
  }
  const end = windowEnds(n, {window, step});
  const chi = new Float64Array(end.length);
  for (let j = 0; j < end.length; ++j) {
    const hi = end[j] + 1;
    const lo = hi - window;
    const K = cK[hi] - cK[lo];
    const W = cW[hi] - cW[lo];
    const A = cA[hi] - cA[lo];
    const Q = cQ[hi] - cQ[lo];
    chi[j] = K >= 2 ? Math.max(0, Q - (A * A) / W) / (K - 1) : NaN;
  }
  return chi;
}
