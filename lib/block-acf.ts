/**
 * Autocorrelation of any run of consecutive blocks from per-block lag sums: the sums are taken
 * once over a long series (trade signs of a day, cut into one-minute blocks), and the
 * autocorrelation of every window made of whole blocks follows in O(blocks · maxLag), without
 * the series itself (chapter 04 ships the sums of a day's trades to the browser, not the trades).
 */

/** Per-block sums of a series (see {@link blockLagSums}). */
export interface BlockLagSums {
  /** Number of blocks B. */
  blocks: number;
  /** Largest lag K. */
  maxLag: number;
  /** Samples in each block (length B). */
  count: Float64Array;
  /** Σ xₜ over each block (length B). */
  sum: Float64Array;
  /**
   * Lag products, block-major (length B·(K + 1)): `products[b·(K + 1) + k]` = Σ xₜ·xₜ₊ₖ over the
   * t of block b with t + k inside the series (the pair may reach into the following blocks).
   */
  products: Float64Array;
  /** The part of `products` whose partner xₜ₊ₖ lies beyond the block's end (same layout). */
  crossing: Float64Array;
  /** `head[b·(K + 1) + k]` = sum of the first min(k, count) samples of block b. */
  head: Float64Array;
  /** `tail[b·(K + 1) + k]` = sum of the last min(k, count) samples of block b. */
  tail: Float64Array;
}

/**
 * Per-block sums of `x` for {@link blockAcf}: with blocks b = [bounds[b], bounds[b + 1]) for
 * b = 0 … B − 1 (B = bounds.length − 1), the count, Σ xₜ and the lag products Σ xₜ·xₜ₊ₖ,
 * k = 0 … maxLag, over the t of the block, the partner xₜ₊ₖ taken wherever it lies up to the end
 * of the last block. Samples before bounds[0] or after bounds[B] are ignored.
 *
 * Cost O((bounds[B] − bounds[0]) · maxLag), O(B · maxLag) memory beside a copy of the samples
 * (none for an Int8Array, read in place). Throws a RangeError for bounds
 * that decrease or leave [0, n], fewer than two bounds, an invalid maxLag, or a non-finite sample
 * inside the blocks (`invalid x[3]: NaN`).
 */
export function blockLagSums(x: ArrayLike<number>, bounds: ArrayLike<number>, maxLag: number): BlockLagSums {
  const n = x.length;
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new RangeError(`invalid maxLag: ${maxLag}`);
  if (bounds.length < 2) throw new RangeError(`invalid bounds: length ${bounds.length}`);
  const B = bounds.length - 1;
  for (let b = 0; b <= B; ++b) {
    const v = bounds[b];
    if (!Number.isInteger(v) || v < 0 || v > n || (b > 0 && v < bounds[b - 1])) throw new RangeError(`invalid bounds[${b}]: ${v}`);
  }
  const lo = bounds[0];
  const hi = bounds[B];
  // Small integers (trade signs) are used in place, finite by type; anything else is checked and copied.
  let values: Float64Array | Int8Array;
  if (x instanceof Int8Array) values = x.subarray(lo, hi);
  else {
    values = new Float64Array(hi - lo);
    for (let i = lo; i < hi; ++i) {
      const v = +x[i];
      if (!Number.isFinite(v)) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
      values[i - lo] = v;
    }
  }
  const K1 = maxLag + 1;
  const count = new Float64Array(B);
  const sum = new Float64Array(B);
  const products = new Float64Array(B * K1);
  const crossing = new Float64Array(B * K1);
  const head = new Float64Array(B * K1);
  const tail = new Float64Array(B * K1);
  const m = hi - lo;
  for (let b = 0; b < B; ++b) {
    const a = bounds[b] - lo;
    const z = bounds[b + 1] - lo;
    count[b] = z - a;
    let s = 0;
    for (let t = a; t < z; ++t) s += values[t];
    sum[b] = s;
    const o = b * K1;
    for (let k = 0; k <= maxLag; ++k) {
      let p = 0;
      let q = 0;
      const end = Math.min(z, m - k);
      const inside = Math.max(a, Math.min(end, z - k));
      for (let t = a; t < inside; ++t) p += values[t] * values[t + k];
      for (let t = inside; t < end; ++t) q += values[t] * values[t + k];
      products[o + k] = p + q;
      crossing[o + k] = q;
      if (k > 0) {
        head[o + k] = head[o + k - 1] + (a + k - 1 < z ? values[a + k - 1] : 0);
        tail[o + k] = tail[o + k - 1] + (z - k >= a ? values[z - k] : 0);
      }
    }
  }
  return {blocks: B, maxLag, count, sum, products, crossing, head, tail};
}

/**
 * Sample autocorrelation ρ(0 … maxLag) of the samples in blocks [from, to) from their
 * {@link blockLagSums}, the estimator of lib/acf.ts:
 *
 *   ρ(k) = c(k) / c(0),   c(k) = (1/n) Σ_{t<n−k} (xₜ − x̄)(xₜ₊ₖ − x̄)
 *        = (1/n) [Pₖ − x̄ (S − Tₖ) − x̄ (S − Hₖ) + (n − k) x̄²],
 *
 * with n the samples, S their sum, Pₖ the lag products of pairs inside the run (the blocks'
 * products less the last block's pairs that cross its end), Tₖ and Hₖ the sums of the run's last
 * and first k samples. Exact (to rounding) when the first and last blocks of the run hold at
 * least maxLag samples each; otherwise the pairs that cross from an earlier block past the run's
 * end are kept and the head and tail sums are those of the end blocks, an error in ρ(k) of order
 * k/n. NaN at every lag for an empty or constant run.
 *
 * Throws a RangeError for a block range outside [0, B] or empty, or maxLag above the sums'.
 * Cost O((to − from) · maxLag).
 */
export function blockAcf(sums: BlockLagSums, from: number, to: number, maxLag = sums.maxLag): Float64Array {
  const {blocks, count, sum, products, crossing, head, tail} = sums;
  if (!Number.isInteger(from) || from < 0 || from >= blocks) throw new RangeError(`invalid from: ${from}`);
  if (!Number.isInteger(to) || to <= from || to > blocks) throw new RangeError(`invalid to: ${to}`);
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag > sums.maxLag) throw new RangeError(`invalid maxLag: ${maxLag}`);
  const K1 = sums.maxLag + 1;
  let n = 0;
  let s = 0;
  const p = new Float64Array(maxLag + 1);
  for (let b = from; b < to; ++b) {
    n += count[b];
    s += sum[b];
    const o = b * K1;
    for (let k = 0; k <= maxLag; ++k) p[k] += products[o + k];
  }
  const rho = new Float64Array(maxLag + 1);
  if (!(n > 0)) return rho.fill(NaN);
  const mean = s / n;
  const first = from * K1;
  const last = (to - 1) * K1;
  const c = (k: number) => (p[k] - crossing[last + k] - mean * (2 * s - tail[last + k] - head[first + k]) + (n - k) * mean * mean) / n;
  const c0 = c(0);
  if (!(c0 > 1e-14 * Math.max(1e-300, p[0] / n))) return rho.fill(NaN);
  rho[0] = 1;
  for (let k = 1; k <= maxLag; ++k) rho[k] = c(k) / c0;
  return rho;
}

/**
 * Adds the block lag sums of several series over the same blocks (e.g. the trade signs of
 * several venues, minute by minute), so that {@link blockAcf} gives their pooled within-series
 * autocorrelation: ρ(k) from the lag products of every series (pairs never join two series) over
 * their pooled mean and variance (the end corrections of {@link blockAcf} are summed over the
 * series but count k lost pairs once, an error of order (series − 1)·k/n). Throws a RangeError
 * when the block counts or lags differ.
 */
export function addBlockLagSums(parts: BlockLagSums[]): BlockLagSums {
  if (parts.length === 0) throw new RangeError("invalid parts: empty");
  const {blocks, maxLag} = parts[0];
  const out: BlockLagSums = {
    blocks,
    maxLag,
    count: new Float64Array(blocks),
    sum: new Float64Array(blocks),
    products: new Float64Array(blocks * (maxLag + 1)),
    crossing: new Float64Array(blocks * (maxLag + 1)),
    head: new Float64Array(blocks * (maxLag + 1)),
    tail: new Float64Array(blocks * (maxLag + 1))
  };
  for (const part of parts) {
    if (part.blocks !== blocks) throw new RangeError(`invalid blocks: ${part.blocks} (expected ${blocks})`);
    if (part.maxLag !== maxLag) throw new RangeError(`invalid maxLag: ${part.maxLag} (expected ${maxLag})`);
    for (let b = 0; b < blocks; ++b) (out.count[b] += part.count[b]), (out.sum[b] += part.sum[b]);
    for (let i = 0; i < out.products.length; ++i) {
      out.products[i] += part.products[i];
      out.crossing[i] += part.crossing[i];
      out.head[i] += part.head[i];
      out.tail[i] += part.tail[i];
    }
  }
  return out;
}

/** Options of {@link rollingBlockCorrelationLength}. */
export interface BlockCorrelationLengthOptions {
  /** Window length in blocks (integer ≥ 1). */
  window: number;
  /** Stride between window ends, in blocks (integer ≥ 1; default 1). */
  step?: number;
  /** Largest lag examined (default: the sums' maxLag). */
  maxLag?: number;
  /** Level the autocorrelation must fall below (default 1/e). */
  level?: number;
  /**
   * How the crossing is placed between the lags k − 1 and k around it (as in
   * lib/correlation-length.ts): `"log"` (default) geometrically when ρ(k) > 0, exact for an
   * exponential decay; `"linear"` linearly, k* = (k − 1) + (ρ(k−1) − level)/(ρ(k−1) − ρ(k)), which is
   * continuous in ρ — the geometric rule jumps at ρ(k) = 0 (from k − 1 as ρ(k) → 0⁺ to the linear
   * value at ρ(k) ≤ 0), which matters for series whose ρ(1) hovers around 0.
   */
  interpolation?: "log" | "linear";
}

/**
 * Correlation length ξ — the first lag at which the autocorrelation falls below `level`
 * (default 1/e), in samples — of each rolling window of whole blocks, from
 * {@link blockLagSums} via {@link blockAcf}. Window j covers blocks [j·step, j·step + window),
 * as lib/rolling.ts places windows. The crossing is placed as lib/correlation-length.ts does (see
 * {@link BlockCorrelationLengthOptions.interpolation}): by default between lags k − 1 and k
 * geometrically, k* = (k − 1) + ln(ρ(k−1)/level) / ln(ρ(k−1)/ρ(k)) (exact for ρ(k) = φᵏ, where
 * ξ = −1/ln φ), linearly when ρ(k) ≤ 0; Infinity when ρ stays at or above the level up to maxLag
 * (censored), NaN for a window without variation. Samples are in
 * the series' own time (trades for trade signs: Bouchaud, Bonart, Donier & Gould, Trades, Quotes
 * and Prices, 2018, ch. 10). Throws a RangeError for invalid window, step, maxLag or level.
 */
export function rollingBlockCorrelationLength(sums: BlockLagSums, options: BlockCorrelationLengthOptions): Float64Array {
  const {window, step = 1, maxLag = sums.maxLag, level = 1 / Math.E, interpolation = "log"} = options;
  if (interpolation !== "log" && interpolation !== "linear") throw new RangeError(`invalid interpolation: ${interpolation}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window: ${window}`);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`invalid step: ${step}`);
  if (!Number.isInteger(maxLag) || maxLag < 1 || maxLag > sums.maxLag) throw new RangeError(`invalid maxLag: ${maxLag}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  const count = sums.blocks < window ? 0 : Math.floor((sums.blocks - window) / step) + 1;
  const out = new Float64Array(count);
  for (let j = 0; j < count; ++j) out[j] = acfCrossing(blockAcf(sums, j * step, j * step + window, maxLag), level, interpolation === "log");
  return out;
}

/** First crossing of `level` by ρ, placed between the lags around it (see {@link rollingBlockCorrelationLength}). */
function acfCrossing(rho: Float64Array, level: number, geometric: boolean): number {
  for (let k = 1; k < rho.length; ++k) {
    const a = rho[k - 1];
    const b = rho[k];
    if (Number.isNaN(b) || Number.isNaN(a)) return NaN;
    if (b < level) return geometric && b > 0 ? k - 1 + Math.log(a / level) / Math.log(a / b) : k - 1 + (a - level) / (a - b);
  }
  return rho.length > 0 && Number.isNaN(rho[0]) ? NaN : Infinity;
}
