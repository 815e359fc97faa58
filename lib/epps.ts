/**
 * The Epps effect: cross-venue return correlation as a function of the sampling interval.
 */
import {fisherInterval, pearsonCount} from "./cross-correlation.js";

/** Correlation of two venues' returns at several sampling intervals. */
export interface EppsCurve {
  /** Sampling interval in grid steps (seconds for a 1 s grid). */
  scale: Int32Array;
  /** Pearson correlation of the non-overlapping log returns at each scale. */
  correlation: Float64Array;
  /** Lower end of the Fisher z interval. */
  lower: Float64Array;
  /** Upper end of the Fisher z interval. */
  upper: Float64Array;
  /** Number of return pairs with both values finite. */
  n: Int32Array;
}

/**
 * Epps curve: the correlation of two venues' log returns sampled every s steps of a common
 * price grid (e.g. 1 s last prices),
 *
 *   r_a(j) = ln a[(j+1)s] − ln a[js],  ρ(s) = corr(r_a, r_b),
 *
 * over non-overlapping intervals starting at index 0, for each s in `scales` (default 1, 5, 10,
 * 30, 60). Prices are sampled at the grid points, so a price missing (NaN) at either end drops
 * that pair; pass last-trade prices carried forward. The correlation of returns between two
 * prices of the same asset is well below 1 at short intervals and rises with the interval: the
 * Epps effect (Epps, J. Amer. Statist. Assoc. 74 (1979) 291), explained by asynchronous trading
 * and lead-lag (Renò, Int. J. Theor. Appl. Finance 6 (2003) 87; Tóth & Kertész, Physica A 360
 * (2006) 505). Fisher z intervals at `level` (default 0.95) beside each value; they assume
 * independent pairs and are too narrow under heavy tails. Dimensionless.
 *
 * RangeError if the lengths differ, a scale is not a positive integer, or a price is zero,
 * negative or infinite. Scales with fewer than two pairs give NaN.
 */
export function eppsCurve(
  priceA: ArrayLike<number>,
  priceB: ArrayLike<number>,
  {scales = [1, 5, 10, 30, 60], level = 0.95}: {scales?: ArrayLike<number>; level?: number} = {}
): EppsCurve {
  const n = priceA.length;
  if (priceB.length !== n) throw new RangeError(`invalid priceB length: ${priceB.length} (priceA has ${n})`);
  const la = logs(priceA, "priceA");
  const lb = logs(priceB, "priceB");
  const k = scales.length;
  const out: EppsCurve = {
    scale: new Int32Array(k),
    correlation: new Float64Array(k),
    lower: new Float64Array(k),
    upper: new Float64Array(k),
    n: new Int32Array(k)
  };
  for (let i = 0; i < k; ++i) {
    const s = scales[i];
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`invalid scale: ${s}`);
    const m = Math.max(0, Math.floor((n - 1) / s));
    const ra = new Float64Array(m);
    const rb = new Float64Array(m);
    for (let j = 0; j < m; ++j) {
      ra[j] = la[(j + 1) * s] - la[j * s];
      rb[j] = lb[(j + 1) * s] - lb[j * s];
    }
    const {r, n: pairs} = pearsonCount(ra, rb);
    const [lo, hi] = fisherInterval(r, pairs, level);
    out.scale[i] = s;
    out.correlation[i] = r;
    out.lower[i] = lo;
    out.upper[i] = hi;
    out.n[i] = pairs;
  }
  return out;
}

function logs(p: ArrayLike<number>, name: string): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; ++i) {
    const v = +p[i];
    if (Number.isNaN(v)) out[i] = NaN;
    else if (v > 0 && v < Infinity) out[i] = Math.log(v);
    else throw new RangeError(`invalid ${name}[${i}]: ${p[i]}`);
  }
  return out;
}
