/**
 * Kendall's rank correlation τ_b with tie handling, in O(n log n) (Knight's algorithm).
 */

/**
 * Kendall's τ_b between `x` and `y`:
 *
 *   τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)),
 *
 * with n_c and n_d the numbers of concordant and discordant pairs, n₀ = n(n − 1)/2,
 * n₁ = Σ t(t − 1)/2 over groups of tied x and n₂ the same for y (a pair tied in x or in y is
 * neither concordant nor discordant). τ_b lies in [−1, 1]; without ties it equals τ_a.
 *
 * Pairs where either value is not finite are skipped. NaN if fewer than two pairs remain or
 * if either variable is constant. Throws a RangeError if the lengths differ.
 *
 * Computed with Knight's algorithm (J. Amer. Statist. Assoc. 61 (1966) 436–439): sort by (x, y),
 * count ties, then count the exchanges a merge sort by y makes (the discordant pairs), as
 * SciPy's `kendalltau` does; O(n log n) time, O(n) typed scratch. Kendall, Biometrika 33 (1945) 239.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`invalid y length: ${y.length} (x has ${x.length})`);
  const N = x.length;
  const xs = new Float64Array(N);
  const ys = new Float64Array(N);
  let n = 0;
  for (let i = 0; i < N; ++i) {
    const a = +x[i];
    const b = +y[i];
    if (Number.isFinite(a) && Number.isFinite(b)) (xs[n] = a), (ys[n] = b), ++n;
  }
  if (n < 2) return NaN;

  // Order by x, then y.
  const order = new Int32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  order.sort((i, j) => xs[i] - xs[j] || ys[i] - ys[j]);

  // Ties in x (n1) and joint ties in (x, y) (n3).
  let n1 = 0;
  let n3 = 0;
  for (let i = 0, tx = 1, txy = 1; i < n; ++i) {
    const more = i + 1 < n;
    const sameX = more && xs[order[i + 1]] === xs[order[i]];
    const sameXY = sameX && ys[order[i + 1]] === ys[order[i]];
    if (sameXY) ++txy;
    else (n3 += (txy * (txy - 1)) / 2), (txy = 1);
    if (sameX) ++tx;
    else (n1 += (tx * (tx - 1)) / 2), (tx = 1);
  }

  // Merge sort the y values in x order, counting the exchanges (strict inversions).
  let a = new Float64Array(n);
  let b = new Float64Array(n);
  for (let i = 0; i < n; ++i) a[i] = ys[order[i]];
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[i] <= a[j]) b[k++] = a[i++];
        else (swaps += mid - i), (b[k++] = a[j++]);
      }
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const t = a;
    a = b;
    b = t;
  }

  // Ties in y, from the sorted y values.
  let n2 = 0;
  for (let i = 0, t = 1; i < n; ++i) {
    if (i + 1 < n && a[i + 1] === a[i]) ++t;
    else (n2 += (t * (t - 1)) / 2), (t = 1);
  }

  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - n1) * (n0 - n2));
  if (!(denominator > 0)) return NaN;
  // n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2·(discordant pairs).
  return (n0 - n1 - n2 + n3 - 2 * swaps) / denominator;
}

/**
 * Kendall's τ_b between `x` and the time index 0, 1, …, n − 1: a rank measure of monotonic
 * trend (the statistic of the Mann–Kendall test), positive for a rising series.
 *
 * Non-finite values are skipped with their index. NaN for fewer than two finite values or a
 * constant series. Used on rolling indicators (variance, lag-1 autocorrelation) as in
 * Dakos et al. (2008), PNAS 105: 14308; judge it against surrogates that keep the
 * autocorrelation, not against the i.i.d. Mann–Kendall null: the rolling indicators of
 * overlapping windows are strongly autocorrelated.
 */
export function kendallTrend(x: ArrayLike<number>): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < t.length; ++i) t[i] = i;
  return kendallTau(x, t);
}
