/**
 * Cross-venue spread proxy: the absolute gap between two venues' prices of the same asset, net
 * of a slowly moving basis, and its relation to realised volatility window by window.
 */
import {median} from "./moments.js";

/**
 * The spread proxy of two price series on a common grid (e.g. 1 s last prices):
 *
 *   s_t = |a_t − b_t − m_w|,   m_w = median of (a − b) over the basis window w holding t,
 *
 * the basis windows being consecutive runs of `basisWindow` samples from index 0 (default 3600,
 * one hour of 1 s prices). Subtracting the window median removes a persistent premium — spot in
 * USD against a USDT-margined perpetual, funding — that is not a dislocation; what remains is the
 * transient gap that lead–lag and stale quotes open and arbitrage closes (cf. the cross-market
 * "price difference" of Hasbrouck, J. Finance 50 (1995) 1175, and Makarov & Schoar, J. Financ.
 * Econ. 135 (2020) 293, who use |ln a − ln b| across exchanges). Units of the prices. NaN where
 * either price is missing (NaN) or a window has no complete pair.
 *
 * RangeError if the lengths differ or basisWindow is not a positive integer.
 */
export function spreadProxy(a: ArrayLike<number>, b: ArrayLike<number>, {basisWindow = 3600}: {basisWindow?: number} = {}): Float64Array {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`invalid b length: ${b.length} (a has ${n})`);
  if (!Number.isInteger(basisWindow) || basisWindow < 1) throw new RangeError(`invalid basisWindow: ${basisWindow}`);
  const out = new Float64Array(n).fill(NaN);
  const scratch = new Float64Array(Math.min(n, basisWindow));
  for (let w = 0; w < n; w += basisWindow) {
    const e = Math.min(n, w + basisWindow);
    let m = 0;
    for (let i = w; i < e; ++i) {
      const d = +a[i] - +b[i];
      if (Number.isFinite(d)) scratch[m++] = d;
    }
    const basis = median(scratch.subarray(0, m));
    for (let i = w; i < e; ++i) {
      const d = +a[i] - +b[i];
      if (Number.isFinite(d)) out[i] = Math.abs(d - basis);
    }
  }
  return out;
}

/** Options of `spreadVolatility`. */
export interface SpreadVolatilityOptions {
  /** Samples per aggregation window (default 60: one minute of 1 s prices). */
  window?: number;
  /** Samples per basis window of `spreadProxy` (default 3600). */
  basisWindow?: number;
  /** Least share of a window's samples (spreads and returns each) that must be valid (default 0.5). */
  minShare?: number;
}

/** Window-by-window spread and realised volatility of a venue pair. */
export interface SpreadVolatility {
  /** Mean spread proxy over each window (price units); NaN for a window with too few valid samples. */
  spread: Float64Array;
  /** Realised volatility of the pair's mean log price over each window, basis points: 10⁴·√(window/valid · Σ r²). */
  rv: Float64Array;
}

/**
 * The spread proxy (`spreadProxy`) averaged over consecutive windows of `window` samples, beside
 * the realised volatility over the same window of the mean log price of the pair,
 *
 *   RV_w = 10⁴ · √( (W / n_w) · Σ_{t ∈ w} r_t² ),   r_t = ½ (ln a_t/a_{t−1} + ln b_t/b_{t−1}),
 *
 * n_w the returns with both prices valid (the factor W/n_w rescales a window with gaps to the
 * full window). A trailing partial window is dropped. A spread that grows with RV says that
 * dislocations between the venues open when the price moves fast — the footprint of a lead–lag:
 * for a diffusion with volatility σ seen with a delay Δ by one venue, E|a − b| = p·σ·√(2Δ/π)
 * (Andersen, Bollerslev, Diebold & Labys, JASA 96 (2001) 42, for RV). Units: spread in price
 * units, RV in basis points per window.
 *
 * RangeError for unequal lengths, a price that is zero, negative or infinite (NaN marks a missing one), or invalid options.
 */
export function spreadVolatility(a: ArrayLike<number>, b: ArrayLike<number>, options: SpreadVolatilityOptions = {}): SpreadVolatility {
  const {window = 60, basisWindow = 3600, minShare = 0.5} = options;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window: ${window}`);
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`invalid minShare: ${minShare}`);
  const n = a.length;
  if (b.length !== n) throw new RangeError(`invalid b length: ${b.length} (a has ${n})`);
  for (let i = 0; i < n; ++i) {
    const x = +a[i];
    const y = +b[i];
    if (!(Number.isNaN(x) || (x > 0 && x < Infinity))) throw new RangeError(`invalid a[${i}]: ${a[i]}`);
    if (!(Number.isNaN(y) || (y > 0 && y < Infinity))) throw new RangeError(`invalid b[${i}]: ${b[i]}`);
  }
  const proxy = spreadProxy(a, b, {basisWindow});
  const m = Math.floor(n / window);
  const spread = new Float64Array(m).fill(NaN);
  const rv = new Float64Array(m).fill(NaN);
  const need = Math.max(1, minShare * window);
  for (let w = 0; w < m; ++w) {
    let s = 0;
    let ns = 0;
    let q = 0;
    let nr = 0;
    for (let i = w * window, e = i + window; i < e; ++i) {
      const p = proxy[i];
      if (!Number.isNaN(p)) (s += p), ++ns;
      if (i > 0) {
        const r = 0.5 * (Math.log(+a[i] / +a[i - 1]) + Math.log(+b[i] / +b[i - 1]));
        if (!Number.isNaN(r)) (q += r * r), ++nr;
      }
    }
    if (ns >= need && nr >= need) {
      spread[w] = s / ns;
      rv[w] = 1e4 * Math.sqrt((q * window) / nr);
    }
  }
  return {spread, rv};
}
