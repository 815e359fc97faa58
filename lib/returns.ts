/**
 * Log returns of a price series with explicit handling of missing prices.
 */

/** Options of `logReturns`. */
export interface LogReturnOptions {
  /** Return horizon in samples (default 1). */
  lag?: number;
  /**
   * Missing prices (NaN): "propagate" (default) gives NaN for every return that touches one;
   * "previous" carries the last valid price forward first, so a gap shows zero returns and the
   * whole move is booked when trading resumes (returns before the first valid price stay NaN).
   */
  missing?: "propagate" | "previous";
  /**
   * Where a return sits: "start" (default) at the sample it starts from, r_t = ln(p_{t+lag} / p_t),
   * t = 0 … n − lag − 1, an array of n − lag; "end" at the sample it ends on,
   * r_t = ln(p_t / p_{t−lag}), t = 0 … n − 1, an array of n whose first `lag` values are NaN
   * (index-aligned with the prices, as rolling windows over the samples want).
   */
  align?: "start" | "end";
}

/**
 * Log returns of the price series `price` sampled on a regular grid (e.g. 1 s last prices):
 *
 *   r = ln(p_{t+lag} / p_t),
 *
 * placed at the return's first sample (`align: "start"`) or its last (`align: "end"`).
 * Dimensionless (natural-log units; multiply by 10⁴ for basis points). Log returns add over
 * time, so r at horizon h equals the sum of h one-step returns (Campbell, Lo & MacKinlay, The
 * Econometrics of Financial Markets, 1997, §1.4). The ratio is taken before the logarithm, which
 * keeps full relative precision for small returns. Missing prices are NaN and are treated
 * according to `missing` (see LogReturnOptions).
 *
 * RangeError if lag is not a positive integer, for an unknown `missing` or `align`, or if a price
 * is zero, negative or infinite (a data error; NaN is the only missing-value marker).
 */
export function logReturns(price: ArrayLike<number>, {lag = 1, missing = "propagate", align = "start"}: LogReturnOptions = {}): Float64Array {
  if (!Number.isInteger(lag) || lag < 1) throw new RangeError(`invalid lag: ${lag}`);
  if (missing !== "propagate" && missing !== "previous") throw new RangeError(`invalid missing: ${missing}`);
  if (align !== "start" && align !== "end") throw new RangeError(`invalid align: ${align}`);
  const n = price.length;
  const q = new Float64Array(n);
  let last = NaN;
  for (let i = 0; i < n; ++i) {
    const p = +price[i];
    if (Number.isNaN(p)) {
      q[i] = missing === "previous" ? last : NaN;
      continue;
    }
    if (!(p > 0 && p < Infinity)) throw new RangeError(`invalid price[${i}]: ${price[i]}`);
    q[i] = last = p;
  }
  const m = Math.max(0, n - lag);
  const offset = align === "end" ? Math.min(lag, n) : 0;
  const r = new Float64Array(align === "end" ? n : m);
  r.fill(NaN, 0, offset);
  // An unchanged price gives ln 1 = 0 exactly, without the logarithm (most steps of a fine grid).
  for (let t = 0; t < m; ++t) {
    const x = q[t + lag];
    const y = q[t];
    r[t + offset] = x === y ? 0 : Math.log(x / y);
  }
  return r;
}
/**
 * Sums of consecutive non-overlapping blocks of `scale` values of `r`: the returns at a coarser
 * sampling, R_j = Σ_{t=j·scale}^{(j+1)·scale−1} r_t, j = 0 … ⌊n/scale⌋ − 1 (a trailing partial
 * block is dropped). A block containing a NaN gives NaN. Units of r. RangeError if scale is not
 * a positive integer.
 */
export function aggregateReturns(r: ArrayLike<number>, scale: number): Float64Array {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`invalid scale: ${scale}`);
  const m = Math.floor(r.length / scale);
  const out = new Float64Array(m);
  for (let j = 0; j < m; ++j) {
    let s = 0;
    for (let t = j * scale, e = t + scale; t < e; ++t) s += r[t];
    out[j] = s;
  }
  return out;
}
