/**
 * Normal scores: a series replaced by the standard-normal quantiles of its ranks, so that its
 * marginal distribution is Gaussian whatever it was (skewed, heavy-tailed, bounded) while its
 * order — and so any change in its level — is kept.
 */

/**
 * The standard-normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation, three
 * regions (P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function", 2003); absolute error below 2e-7, largest near the region edges (p ≈ 0.975), ample
 * for scores of ranks. −Infinity at 0, Infinity at 1; a RangeError
 * outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p: ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211811];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

/**
 * Van der Waerden normal scores of `x`: s_i = Φ⁻¹(r_i / (n + 1)), r_i the rank of x_i among the
 * n values (1 … n; tied values share their mean rank). The scores have a standard-normal marginal
 * whatever the distribution of x and keep its order, so a change in the level of x is a change
 * in the level of the scores (B. L. van der Waerden, Proc. KNAW A 55 (1952) 453). Use them where a
 * test's null is Gaussian (phase-randomised surrogates) and x is skewed or has outliers. Throws a
 * RangeError for a non-finite value, naming its index.
 */
export function normalScores(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  for (let i = 0; i < n; ++i) if (!Number.isFinite(+x[i])) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
  const order = Int32Array.from({length: n}, (_, i) => i).sort((i, j) => +x[i] - +x[j] || i - j);
  const out = new Float64Array(n);
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && +x[order[b]] === +x[order[a]]) ++b;
    // Ranks a + 1 … b share their mean (a + 1 + b) / 2.
    const s = normalQuantile((a + 1 + b) / 2 / (n + 1));
    for (let k = a; k < b; ++k) out[order[k]] = s;
    a = b;
  }
  return out;
}
