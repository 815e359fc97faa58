/**
 * Empirical complementary cumulative distribution function, for log-log tail plots.
 */
import {bisectLeft} from "./bisect.js";

/** Points of an empirical CCDF: P(X ≥ x[i]) = p[i]. */
export interface CcdfPoints {
  x: Float64Array;
  p: Float64Array;
  /** Number of finite values in the sample (the denominator of p). */
  n: number;
}

/**
 * Empirical complementary CDF of the finite values of `x`:
 *
 *   P̂(X ≥ v) = #{i : x_i ≥ v} / n,
 *
 * evaluated at the distinct sample values (ascending, so p decreases from 1 to 1/n or more with
 * ties), the "rank-frequency" form used for tail plots (Clauset, Shalizi & Newman, SIAM Rev. 51
 * (2009) 661, Fig. 1). With `logPoints: m` the function is instead evaluated at m values
 * log-spaced between the smallest positive value and the largest value (non-positive values
 * still count in n), which keeps a log-log plot of 10⁷ trades light; a CCDF plotted on log
 * axes must drop p = 0, which never occurs here. Sorting costs O(n log n).
 *
 * Returns empty arrays if no value is finite. RangeError if logPoints is not an integer ≥ 2.
 */
export function ccdf(x: ArrayLike<number>, {logPoints}: {logPoints?: number} = {}): CcdfPoints {
  if (logPoints !== undefined && !(Number.isInteger(logPoints) && logPoints >= 2)) {
    throw new RangeError(`invalid logPoints: ${logPoints}`);
  }
  let n = 0;
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(+x[i])) ++n;
  const s = new Float64Array(n);
  for (let i = 0, j = 0; i < x.length; ++i) {
    const v = +x[i];
    if (Number.isFinite(v)) s[j++] = v;
  }
  s.sort();
  if (n === 0) return {x: new Float64Array(0), p: new Float64Array(0), n};
  if (logPoints === undefined) {
    let distinct = 1;
    for (let i = 1; i < n; ++i) if (s[i] !== s[i - 1]) ++distinct;
    const xs = new Float64Array(distinct);
    const ps = new Float64Array(distinct);
    for (let i = 0, j = 0; i < n; ++i) {
      if (i === 0 || s[i] !== s[i - 1]) (xs[j] = s[i]), (ps[j] = (n - i) / n), ++j;
    }
    return {x: xs, p: ps, n};
  }
  // First positive value by binary search.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] > 0) hi = mid;
    else lo = mid + 1;
  }
  if (lo === n) return {x: new Float64Array(0), p: new Float64Array(0), n};
  return logCcdf(n, s[lo], s[n - 1], (v) => bisectLeft(s, v), logPoints);
}

/**
 * The CCDF of `ccdf` with `logPoints: m`, from a summary of the sample: n finite values, the
 * smallest positive value and the largest value, and `countBelow(v)`, the number of values
 * below v (from the sorted sample or an exact histogram such as `ValueCounts`, lib/value-counts.ts).
 * P̂(X ≥ v) = (n − countBelow(v))/n at m values log-spaced from the smallest positive value to
 * the largest (one point when they are equal).
 */
export function logCcdf(n: number, smallestPositive: number, largest: number, countBelow: (v: number) => number, logPoints: number): CcdfPoints {
  const a = Math.log(smallestPositive);
  const b = Math.log(largest);
  const m = b > a ? logPoints : 1;
  const xs = new Float64Array(m);
  const ps = new Float64Array(m);
  for (let j = 0; j < m; ++j) {
    const v = j === 0 ? smallestPositive : j === m - 1 ? largest : Math.exp(a + ((b - a) * j) / (m - 1));
    xs[j] = v;
    ps[j] = (n - countBelow(v)) / n;
  }
  return {x: xs, p: ps, n};
}
