/**
 * Binned means: the mean of y within equal-count bins of x, with Student t intervals — the
 * nonparametric look at how y moves with x that a scatter of many points hides.
 */
import {studentTQuantile} from "./student-t.js";

/** One bin of `binnedMeans`. */
export interface BinnedMean {
  /** Smallest and largest x in the bin. */
  x0: number;
  x1: number;
  /** Mean x of the bin. */
  x: number;
  /** Mean y of the bin. */
  mean: number;
  /** Student t interval of the mean at `level`: mean ± t_{n−1}·sd/√n (NaN if n < 2). */
  lower: number;
  upper: number;
  /** Pairs in the bin. */
  n: number;
}

/**
 * Means of y in `bins` equal-count bins of x (quantile bins: the pairs sorted by x and cut into
 * runs of ⌊N·j/bins⌋ … ⌊N·(j+1)/bins⌋ − 1), with a t interval for each mean,
 *
 *   ȳ_j ± t_{(1+level)/2, n_j − 1} · s_j/√n_j,
 *
 * the binned scatterplot of applied econometrics (Cattaneo, Crump, Farrell & Feng, "On binscatter",
 * Amer. Econ. Rev. 114 (2024) 1488). Pairs with a non-finite value are skipped; empty bins (more
 * bins than pairs) are omitted. The intervals assume independent pairs within a bin: with serially
 * dependent data they are too narrow. Units: x and y units.
 *
 * RangeError if the lengths differ, bins is not a positive integer, or level is not in (0, 1).
 */
export function binnedMeans(x: ArrayLike<number>, y: ArrayLike<number>, {bins = 10, level = 0.95}: {bins?: number; level?: number} = {}): BinnedMean[] {
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`invalid bins: ${bins}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  const idx: number[] = [];
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(+x[i]) && Number.isFinite(+y[i])) idx.push(i);
  idx.sort((i, j) => +x[i] - +x[j]);
  const N = idx.length;
  const out: BinnedMean[] = [];
  for (let j = 0; j < bins; ++j) {
    const a = Math.floor((N * j) / bins);
    const b = Math.floor((N * (j + 1)) / bins);
    const n = b - a;
    if (n === 0) continue;
    let sx = 0;
    let sy = 0;
    for (let k = a; k < b; ++k) (sx += +x[idx[k]]), (sy += +y[idx[k]]);
    const mean = sy / n;
    let ss = 0;
    for (let k = a; k < b; ++k) ss += (+y[idx[k]] - mean) ** 2;
    const h = n > 1 ? (studentTQuantile(0.5 + level / 2, n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n) : NaN;
    out.push({x0: +x[idx[a]], x1: +x[idx[b - 1]], x: sx / n, mean, lower: mean - h, upper: mean + h, n});
  }
  return out;
}
