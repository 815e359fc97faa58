/**
 * Moving-block bootstrap for serially dependent samples: resampled indices, percentile
 * intervals, and the interval of a least-squares slope fitted to a dependent series of pairs.
 */
import {linearRegression, type LinearFit} from "./linear-regression.js";
import {mulberry32} from "./random.js";

/**
 * Indices of one moving-block bootstrap resample of a series of length n (Künsch, Ann. Statist.
 * 17 (1989) 1217): ⌈n/L⌉ blocks of L consecutive indices, each starting at a uniform random
 * position in [0, n − L], concatenated and cut to n. With L = 1 this is the ordinary i.i.d.
 * bootstrap (Efron, Ann. Statist. 7 (1979) 1). Blocks keep the dependence within L samples, so
 * choose L longer than the correlation time of the series (a common rule is L ≈ n^{1/3}).
 *
 * `random` is a uniform generator on [0, 1) (use `mulberry32` from lib/random.ts); `out`, when
 * given, must have length n and is filled and returned (no allocation). RangeError if n is not a
 * non-negative integer, L is not an integer in [1, max(1, n)], or `out` has the wrong length.
 */
export function blockBootstrapIndices(n: number, blockLength: number, random: () => number, out?: Int32Array): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid n: ${n}`);
  if (!Number.isInteger(blockLength) || blockLength < 1 || blockLength > Math.max(1, n)) throw new RangeError(`invalid blockLength: ${blockLength}`);
  if (out && out.length !== n) throw new RangeError(`invalid out length: ${out.length} (n is ${n})`);
  const idx = out ?? new Int32Array(n);
  const starts = n - blockLength + 1;
  for (let i = 0; i < n; ) {
    const s = Math.min(starts - 1, Math.floor(random() * starts));
    for (let j = 0; j < blockLength && i < n; ++j) idx[i++] = s + j;
  }
  return idx;
}

/**
 * Percentile interval [q_{(1−level)/2}, q_{(1+level)/2}] of the finite values of a bootstrap
 * distribution (type-7 quantiles; Efron & Tibshirani, An Introduction to the Bootstrap, 1993,
 * §13.3). Units of the values. [NaN, NaN] if no value is finite; RangeError if level is not in
 * (0, 1).
 */
export function percentileInterval(values: ArrayLike<number>, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  let n = 0;
  for (let i = 0; i < values.length; ++i) if (Number.isFinite(+values[i])) ++n;
  if (n === 0) return [NaN, NaN];
  const s = new Float64Array(n);
  for (let i = 0, j = 0; i < values.length; ++i) if (Number.isFinite(+values[i])) s[j++] = +values[i];
  s.sort();
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return lo + 1 < n ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[n - 1];
  };
  return [q((1 - level) / 2), q((1 + level) / 2)];
}

/** Options of `bootstrapSlope`. */
export interface BootstrapSlopeOptions {
  /** Block length in samples (default 1: pairs resampled independently). */
  blockLength?: number;
  /** Number of resamples (default 999). */
  resamples?: number;
  /** Seed of the resampling (lib/random.ts `mulberry32`; default 0). */
  seed?: number;
  /** Coverage of the percentile interval (default 0.95). */
  level?: number;
}

/** A slope with its block-bootstrap uncertainty. */
export interface BootstrapSlope {
  /** The ordinary least-squares fit of all pairs (`linearRegression`). */
  fit: LinearFit;
  /** Standard deviation of the resampled slopes. */
  se: number;
  /** Percentile interval of the resampled slopes at `level`. */
  interval: [number, number];
  /** Resamples with a finite slope. */
  resamples: number;
  level: number;
  blockLength: number;
}

/**
 * The least-squares slope of y on x (`linearRegression`, pairs with a non-finite value
 * skipped) with a moving-block bootstrap standard error and percentile interval: the pairs
 * (x_t, y_t) are resampled in blocks of `blockLength` consecutive pairs (`blockBootstrapIndices`)
 * and the slope refitted `resamples` times. Unlike the OLS interval, which assumes independent
 * errors, this stays valid when neighbouring pairs are dependent — volatility clustering makes
 * minute-by-minute residuals autocorrelated (Künsch 1989; Lahiri, Resampling Methods for
 * Dependent Data, Springer 2003, ch. 2). Units of the slope: y-units per x-unit.
 *
 * Deterministic given `seed`. Allocates two scratch arrays of length n once. NaN se and interval
 * when fewer than three pairs. RangeError for unequal lengths or invalid options.
 */
export function bootstrapSlope(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapSlopeOptions = {}): BootstrapSlope {
  const {blockLength = 1, resamples = 999, seed = 0, level = 0.95} = options;
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`invalid resamples: ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  // Keep the finite pairs, in order.
  let n = 0;
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(+x[i]) && Number.isFinite(+y[i])) ++n;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0, j = 0; i < x.length; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (Number.isFinite(a) && Number.isFinite(b)) (xs[j] = a), (ys[j] = b), ++j;
  }
  const fit = linearRegression(xs, ys);
  if (n < 3) return {fit, se: NaN, interval: [NaN, NaN], resamples: 0, level, blockLength};
  if (!Number.isInteger(blockLength) || blockLength < 1 || blockLength > n) throw new RangeError(`invalid blockLength: ${blockLength}`);
  const random = mulberry32(seed);
  const idx = new Int32Array(n);
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  const slopes = new Float64Array(resamples);
  let ok = 0;
  let sum = 0;
  let sum2 = 0;
  for (let r = 0; r < resamples; ++r) {
    blockBootstrapIndices(n, blockLength, random, idx);
    for (let i = 0; i < n; ++i) (bx[i] = xs[idx[i]]), (by[i] = ys[idx[i]]);
    const s = linearRegression(bx, by).slope;
    slopes[r] = s;
    if (Number.isFinite(s)) (sum += s), (sum2 += s * s), ++ok;
  }
  const mean = ok ? sum / ok : NaN;
  const se = ok > 1 ? Math.sqrt(Math.max(0, (sum2 - ok * mean * mean) / (ok - 1))) : NaN;
  return {fit, se, interval: percentileInterval(slopes, level), resamples: ok, level, blockLength};
}
