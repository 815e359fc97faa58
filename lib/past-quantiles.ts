/**
 * Quantiles of the past: at each index t, the type-7 quantile of the finite values x[s] with
 * s ≤ t — an expanding window (all of them) or a rolling one (the last `window` indices) — so
 * that a threshold at t uses nothing after t (no look-ahead; walk-forward estimation).
 */
import {quantileSorted} from "./moments.js";
import {bisectLeft} from "./bisect.js";

/** Options of {@link pastQuantiles}. */
export interface PastQuantileOptions {
  /** Indices back the quantile looks, the current one included (integer ≥ 1); default Infinity (expanding). */
  window?: number;
  /** Fewest finite values a quantile needs (integer ≥ 1), else NaN; default 1. */
  minCount?: number;
}

/**
 * For each probability p_k and each index t, the type-7 quantile (lib/moments.ts `quantiles`;
 * Hyndman & Fan 1996) of the finite values among x[max(0, t − window + 1)] … x[t]:
 *
 *   Q_t(p) = quantile_p {x_s : t − window < s ≤ t, x_s finite},
 *
 * NaN where fewer than `minCount` values are finite. Keeps one sorted buffer, inserting x[t] and
 * removing x[t − window] by binary search: O(n·w) for a window of w (O(n²) expanding), no sort per
 * index. Returns one Float64Array of length n per probability. Throws a RangeError for a
 * probability outside [0, 1] or an invalid window or minCount.
 */
export function pastQuantiles(x: ArrayLike<number>, p: ArrayLike<number>, options: PastQuantileOptions = {}): Float64Array[] {
  const {window = Infinity, minCount = 1} = options;
  if (!(window === Infinity || (Number.isInteger(window) && window >= 1))) throw new RangeError(`invalid window: ${window}`);
  if (!(Number.isInteger(minCount) && minCount >= 1)) throw new RangeError(`invalid minCount: ${minCount}`);
  for (let k = 0; k < p.length; ++k) if (!(p[k] >= 0 && p[k] <= 1)) throw new RangeError(`invalid p: ${p[k]}`);
  const n = x.length;
  const out = Array.from({length: p.length}, () => new Float64Array(n));
  const sorted = new Float64Array(Math.min(n, window));
  let m = 0;
  for (let t = 0; t < n; ++t) {
    if (t >= window) {
      const old = +x[t - window];
      if (Number.isFinite(old)) {
        const i = bisectLeft(sorted, old, 0, m);
        sorted.copyWithin(i, i + 1, m);
        --m;
      }
    }
    const v = +x[t];
    if (Number.isFinite(v)) {
      const i = bisectLeft(sorted, v, 0, m);
      sorted.copyWithin(i + 1, i, m);
      sorted[i] = v;
      ++m;
    }
    for (let k = 0; k < p.length; ++k) out[k][t] = m >= minCount ? quantileSorted(sorted, p[k], m) : NaN;
  }
  return out;
}
