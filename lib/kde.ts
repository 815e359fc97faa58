/**
 * Gaussian kernel density estimation on a regular grid, fast: linear binning of the samples onto
 * the grid, then a discrete convolution with the sampled kernel — O(n + G·K) for n samples,
 * G grid points and a kernel K grid steps wide, instead of the direct O(n·G) sum. Used for the
 * density of price behind the free-energy landscape of chapter 05.
 */
import {windowOptions, windowEnds, type WindowOptions} from "./rolling.js";

/** A bandwidth rule of thumb (see {@link bandwidth}). */
export type BandwidthRule = "silverman" | "scott";

/**
 * The bandwidth h of a Gaussian kernel by a normal-reference rule of thumb:
 *
 * - `"silverman"` (default): h = 0.9 · min(σ̂, IQR/1.34) · n^(−1/5)
 *   (Silverman 1986, Density Estimation, eq. 3.31; R's `bw.nrd0`);
 * - `"scott"`: h = (4/3)^(1/5) · σ̂ · n^(−1/5) ≈ 1.06 · σ̂ · n^(−1/5), the AMISE-optimal width
 *   when the data are normal (Scott 1992, Multivariate Density Estimation, §6.2).
 *
 * σ̂ is the sample standard deviation (n − 1 denominator), IQR the interquartile range with
 * linear interpolation between order statistics (R's type 7). When IQR = 0 (more than half the
 * samples tied) Silverman's rule falls back to σ̂. The quartiles come from an O(n) selection
 * (Hoare's) rather than a sort. With `weights` (non-negative, e.g. traded volume) the moments
 * and quantiles are weighted (sample i sits at cumulative position (C_i − w_i)/(W − w_last) in
 * the sorted order, which is type 7 for equal weights; this case sorts, O(n log n)) and n is
 * Kish's effective sample size (Σw)²/Σw². Units are those of x.
 *
 * Non-finite samples (and their weights) and zero-weight samples are skipped. Returns 0 for a
 * constant sample and NaN for fewer than two samples. Throws a RangeError for an unknown rule, a
 * negative or non-finite weight, or weights of another length.
 */
export function bandwidth(x: ArrayLike<number>, rule: BandwidthRule = "silverman", weights?: ArrayLike<number>): number {
  if (rule !== "silverman" && rule !== "scott") throw new RangeError(`invalid bandwidth rule: ${rule}`);
  const {values, w, count} = finiteSamples(x, weights);
  if (count < 2) return NaN;
  return bandwidthOf(values, w, count, rule);
}

/** Options of {@link kde} and {@link rollingKde}. */
export interface KdeOptions {
  /**
   * The kernel's standard deviation h in units of x, or a rule of thumb (see {@link bandwidth});
   * default `"silverman"`.
   */
  bandwidth?: number | BandwidthRule;
  /** A lower bound on a rule-of-thumb bandwidth (default 0), e.g. the tick size of a price. */
  minBandwidth?: number;
  /** Non-negative sample weights (e.g. traded volume), the length of x. */
  weights?: ArrayLike<number>;
  /**
   * The grid's first and last points. Default: the data's range widened by `cut` bandwidths on
   * each side. Samples outside it are dropped but still count in the normalising weight, so the
   * density then integrates to the share of the weight inside.
   */
  extent?: [number, number];
  /** Number of grid points G (an integer ≥ 2; default 512). */
  size?: number;
  /** How many bandwidths the default extent reaches beyond the data (≥ 0; default 3). */
  cut?: number;
  /** The kernel is truncated at ± `truncate` bandwidths (> 0; default 5, where φ ≈ 1.5·10⁻⁶). */
  truncate?: number;
}

/** A density on a regular grid (see {@link kde}). */
export interface Kde {
  /** The grid points x_0 < … < x_{G−1}, evenly spaced. */
  x: Float64Array;
  /** The estimated density at each grid point, per unit of x. */
  density: Float64Array;
  /** The bandwidth h used, in units of x. */
  bandwidth: number;
  /** The grid spacing Δ. */
  step: number;
  /** Number of samples used (finite, with positive weight). */
  n: number;
  /** Total weight of the samples used (n when unweighted). */
  weight: number;
}

/**
 * Gaussian kernel density estimate of the samples x on a regular grid of G points:
 *
 *   f̂(g) = (1/W) · Σᵢ wᵢ · φ((g − xᵢ)/h) / h,   φ(u) = exp(−u²/2)/√(2π),
 *
 * computed by linear binning — each sample's weight is split between the two grid points that
 * bracket it in proportion to proximity — followed by a discrete convolution of the bin weights
 * with the kernel sampled at multiples of the grid step Δ (Silverman 1982, Appl. Statist. 31: 93;
 * Wand 1994, J. Comput. Graph. Statist. 3: 433; Wand & Jones 1995, Kernel Smoothing, App. D).
 * The binning error is O(Δ²/h²) relative to the direct sum, so keep Δ well below h: at Δ = h/4 a
 * lone sample midway between grid points is off by 0.8 % of its peak; G = 512 over a range of a
 * few dozen bandwidths keeps Δ ≤ h/10. A rule-of-thumb h shrinks like n^(−1/5), so for millions
 * of samples check `bandwidth / step` and raise `size` if it falls below about 4.
 * Cost O(n + G·K) with K = min(G, 2·⌈truncate·h/Δ⌉ + 1).
 *
 * The density is per unit of x and integrates to 1 over the grid (up to the kernel mass beyond
 * the grid and the truncation). Non-finite samples and zero weights are skipped. Throws a
 * RangeError for an empty sample, a bandwidth that is not positive (for a rule: a constant
 * sample — use `minBandwidth`), an invalid extent, size, cut or truncate, or bad weights.
 */
export function kde(x: ArrayLike<number>, options: KdeOptions = {}): Kde {
  const {size = 512, cut = 3, truncate = 5, minBandwidth = 0} = options;
  checkGridOptions(size, cut, truncate, minBandwidth);
  const {values, w, count, weight} = finiteSamples(x, options.weights);
  if (count === 0) throw new RangeError(`invalid x: no finite samples`);
  const h = resolveBandwidth(values, w, count, options.bandwidth, minBandwidth);
  if (!(h > 0 && h < Infinity)) throw new RangeError(`invalid bandwidth: ${h}`);
  let lo: number, hi: number;
  if (options.extent) [lo, hi] = checkExtent(options.extent);
  else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < count; ++i) {
      if (values[i] < lo) lo = values[i];
      if (values[i] > hi) hi = values[i];
    }
    lo -= cut * h;
    hi += cut * h;
  }
  const grid = gridPoints(lo, hi, size);
  const step = (hi - lo) / (size - 1);
  const bins = new Float64Array(size);
  linearBin(values, w, count, lo, step, bins);
  const density = new Float64Array(size);
  convolve(bins, kernel(h, step, truncate, size), 1 / weight, density);
  return {x: grid, density, bandwidth: h, step, n: count, weight};
}

/**
 * The direct Gaussian kernel density estimate f̂(g) = (1/W)·Σᵢ wᵢ·φ((g − xᵢ)/h)/h at each
 * point of `grid` (any points, not necessarily regular): O(n·G), exact up to rounding. A
 * reference for {@link kde} and the right choice for a handful of evaluation points.
 *
 * Non-finite samples and zero weights are skipped; NaN everywhere if none remain. Throws a
 * RangeError for a bandwidth that is not a positive finite number or bad weights.
 */
export function kdeDirect(x: ArrayLike<number>, grid: ArrayLike<number>, h: number, weights?: ArrayLike<number>): Float64Array {
  if (!(h > 0 && h < Infinity)) throw new RangeError(`invalid bandwidth: ${h}`);
  const {values, w, count, weight} = finiteSamples(x, weights);
  const out = new Float64Array(grid.length);
  const c = 1 / (h * Math.sqrt(2 * Math.PI) * weight);
  for (let g = 0; g < grid.length; ++g) {
    const at = +grid[g];
    let s = 0;
    for (let i = 0; i < count; ++i) {
      const u = (at - values[i]) / h;
      s += (w ? w[i] : 1) * Math.exp(-0.5 * u * u);
    }
    out[g] = count ? s * c : NaN;
  }
  return out;
}

/** Rolling densities on one common grid (see {@link rollingKde}). */
export interface RollingKde {
  /** The common grid, G points. */
  x: Float64Array;
  /** Window j's density at grid point g is `density[j·G + g]` (NaN rows for degenerate windows). */
  density: Float64Array;
  /** The bandwidth of each window (NaN for a degenerate window). */
  bandwidth: Float64Array;
  /** Number of samples used in each window. */
  n: Int32Array;
  /** Index of the last sample of each window (see `windowEnds` in rolling.ts). */
  end: Int32Array;
  /** Number of grid points G. */
  size: number;
  /** The grid spacing. */
  step: number;
}

/**
 * {@link kde} over rolling windows of `window` samples advancing by `step` samples (see
 * `WindowOptions` in rolling.ts): one density per window, all on one grid so that successive
 * landscapes can be compared and their levels tracked. The bandwidth rule is applied to each
 * window's own samples; the default grid spans all finite samples widened by `cut` times the
 * largest window bandwidth. A window with fewer than two usable samples, or a constant one
 * without `minBandwidth`, gives a NaN row and a NaN bandwidth. Short windows over a long trending
 * series have bandwidths small against the common grid's step: check `bandwidth[j] / step`
 * (about 4 or more) and raise `size` or narrow `extent` if needed.
 *
 * Cost O(count · (w + G·K)) for count windows of w samples (a weighted Silverman bandwidth
 * sorts each window, O(w log w)). Throws like {@link kde} and for invalid window options.
 */
export function rollingKde(x: ArrayLike<number>, options: KdeOptions & WindowOptions): RollingKde {
  const {window, step: stride} = windowOptions(options);
  const {size = 512, cut = 3, truncate = 5, minBandwidth = 0, weights} = options;
  checkGridOptions(size, cut, truncate, minBandwidth);
  if (weights && weights.length !== x.length) throw new RangeError(`invalid weights length: ${weights.length} (x has ${x.length})`);
  const end = windowEnds(x.length, {window, step: stride});
  const count = end.length;
  const hs = new Float64Array(count);
  const ns = new Int32Array(count);
  const ws = new Float64Array(count);
  const sample = (j: number) => {
    const start = end[j] - window + 1;
    return finiteSamples(subarray(x, start, end[j] + 1), weights ? subarray(weights, start, end[j] + 1) : undefined);
  };
  let hMax = 0;
  for (let j = 0; j < count; ++j) {
    const s = sample(j);
    ns[j] = s.count;
    ws[j] = s.weight;
    const h = resolveBandwidth(s.values, s.w, s.count, options.bandwidth, minBandwidth);
    hs[j] = s.count > 0 && h > 0 && h < Infinity ? h : NaN;
    if (hs[j] > hMax) hMax = hs[j];
  }
  let lo: number, hi: number;
  if (options.extent) [lo, hi] = checkExtent(options.extent);
  else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < x.length; ++i) {
      const v = +x[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(lo < hi)) (lo = Number.isFinite(lo) ? lo - 1 : 0), (hi = lo + 2);
    lo -= cut * hMax;
    hi += cut * hMax;
  }
  const grid = gridPoints(lo, hi, size);
  const dx = (hi - lo) / (size - 1);
  const density = new Float64Array(count * size);
  const bins = new Float64Array(size);
  for (let j = 0; j < count; ++j) {
    const row = density.subarray(j * size, (j + 1) * size);
    if (!(hs[j] > 0)) {
      row.fill(NaN);
      continue;
    }
    bins.fill(0);
    const s = sample(j);
    linearBin(s.values, s.w, s.count, lo, dx, bins);
    convolve(bins, kernel(hs[j], dx, truncate, size), 1 / ws[j], row);
  }
  return {x: grid, density, bandwidth: hs, n: ns, end, size, step: dx};
}

// ---------------------------------------------------------------------------------------------

function checkGridOptions(size: number, cut: number, truncate: number, minBandwidth: number): void {
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`invalid size: ${size}`);
  if (!(cut >= 0 && cut < Infinity)) throw new RangeError(`invalid cut: ${cut}`);
  if (!(truncate > 0 && truncate < Infinity)) throw new RangeError(`invalid truncate: ${truncate}`);
  if (!(minBandwidth >= 0 && minBandwidth < Infinity)) throw new RangeError(`invalid minBandwidth: ${minBandwidth}`);
}

function checkExtent(extent: [number, number]): [number, number] {
  const [lo, hi] = extent;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new RangeError(`invalid extent: [${lo}, ${hi}]`);
  return [lo, hi];
}

function gridPoints(lo: number, hi: number, size: number): Float64Array {
  const grid = new Float64Array(size);
  const step = (hi - lo) / (size - 1);
  for (let g = 0; g < size; ++g) grid[g] = lo + g * step;
  grid[size - 1] = hi;
  return grid;
}

function subarray(a: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  const s = a as unknown as {subarray?: (a: number, b: number) => ArrayLike<number>};
  return typeof s.subarray === "function" ? s.subarray(start, end) : Array.prototype.slice.call(a, start, end);
}

/** Copies the finite samples with positive weight into scratch arrays. */
function finiteSamples(
  x: ArrayLike<number>,
  weights?: ArrayLike<number>
): {values: Float64Array; w: Float64Array | undefined; count: number; weight: number} {
  const n = x.length;
  if (weights && weights.length !== n) throw new RangeError(`invalid weights length: ${weights.length} (x has ${n})`);
  const values = new Float64Array(n);
  const w = weights ? new Float64Array(n) : undefined;
  let count = 0;
  let weight = 0;
  for (let i = 0; i < n; ++i) {
    const v = +x[i];
    if (!Number.isFinite(v)) continue;
    if (w) {
      const wi = +weights![i];
      if (!(wi >= 0 && wi < Infinity)) {
        if (Number.isNaN(wi)) continue;
        throw new RangeError(`invalid weight: ${wi}`);
      }
      if (wi === 0) continue;
      w[count] = wi;
      weight += wi;
    } else {
      weight += 1;
    }
    values[count++] = v;
  }
  return {values, w, count, weight};
}

function resolveBandwidth(
  values: Float64Array,
  w: Float64Array | undefined,
  count: number,
  option: number | BandwidthRule | undefined,
  minBandwidth: number
): number {
  if (typeof option === "number") {
    if (!(option > 0 && option < Infinity)) throw new RangeError(`invalid bandwidth: ${option}`);
    return option;
  }
  const rule = option ?? "silverman";
  if (rule !== "silverman" && rule !== "scott") throw new RangeError(`invalid bandwidth rule: ${rule}`);
  if (count < 2) return NaN;
  const h = bandwidthOf(values, w, count, rule);
  return h >= minBandwidth ? h : minBandwidth;
}

/** The rule-of-thumb bandwidth of the first `count` entries of values (weights w or none). */
function bandwidthOf(values: Float64Array, w: Float64Array | undefined, count: number, rule: BandwidthRule): number {
  // Weighted mean and variance (Welford–West), Kish's effective size.
  let W = 0, W2 = 0, mean = 0, m2 = 0;
  for (let i = 0; i < count; ++i) {
    const wi = w ? w[i] : 1;
    W += wi;
    W2 += wi * wi;
    const d = values[i] - mean;
    mean += (wi / W) * d;
    m2 += wi * d * (values[i] - mean);
  }
  const nEff = (W * W) / W2;
  const sd = Math.sqrt((m2 / W) * (nEff / (nEff - 1)));
  const factor = Math.pow(nEff, -0.2);
  if (rule === "scott") return Math.pow(4 / 3, 0.2) * sd * factor;
  let iqr: number;
  if (w) {
    const order = new Int32Array(count);
    for (let i = 0; i < count; ++i) order[i] = i;
    order.sort((i, j) => values[i] - values[j]);
    iqr = quantileOf(values, w, order, count, 0.75) - quantileOf(values, w, order, count, 0.25);
  } else {
    // Reorders the scratch copy in place; the binning that follows does not depend on order.
    iqr = selectQuantile(values, count, 0.75) - selectQuantile(values, count, 0.25);
  }
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * factor;
}

/**
 * Type-7 quantile of the first `count` (finite) values by Hoare's selection (Hoare 1961, Comm.
 * ACM 4: 321): O(n) on average instead of a sort; reorders the values.
 */
function selectQuantile(a: Float64Array, count: number, p: number): number {
  const h = (count - 1) * p;
  const k = Math.floor(h);
  let lo = 0;
  let hi = count - 1;
  while (hi > lo) {
    const x = a[lo], y = a[(lo + hi) >>> 1], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  const v = a[k];
  if (k + 1 >= count) return v;
  let next = Infinity;
  for (let i = k + 1; i < count; ++i) if (a[i] < next) next = a[i];
  return v + (h - k) * (next - v);
}

/** Weighted type-7 quantile of the first `count` values, given their ascending order. */
function quantileOf(values: Float64Array, w: Float64Array, order: Int32Array, count: number, p: number): number {
  // Sample k (in sorted order) sits at (C_k − w_k)/(W − w_last).
  let W = 0;
  for (let k = 0; k < count; ++k) W += w[order[k]];
  const denominator = W - w[order[count - 1]];
  if (!(denominator > 0)) return values[order[count - 1]];
  const target = p * denominator;
  let below = 0; // C_k − w_k
  for (let k = 0; k < count - 1; ++k) {
    const next = below + w[order[k]];
    if (next >= target) {
      const a = values[order[k]];
      const b = values[order[k + 1]];
      const t = next > below ? (target - below) / (next - below) : 0;
      return a + t * (b - a);
    }
    below = next;
  }
  return values[order[count - 1]];
}

/** Adds each sample's weight to the two grid points that bracket it (linear binning). */
function linearBin(values: Float64Array, w: Float64Array | undefined, count: number, lo: number, step: number, bins: Float64Array): void {
  const last = bins.length - 1;
  const inv = 1 / step;
  for (let i = 0; i < count; ++i) {
    const u = (values[i] - lo) * inv;
    if (!(u >= 0 && u <= last)) continue;
    const wi = w ? w[i] : 1;
    const g = Math.floor(u);
    if (g >= last) {
      bins[last] += wi;
      continue;
    }
    const f = u - g;
    bins[g] += wi * (1 - f);
    bins[g + 1] += wi * f;
  }
}

/** The Gaussian kernel φ(jΔ/h)/h for j = 0 … L (one side; symmetric). */
function kernel(h: number, step: number, truncate: number, size: number): Float64Array {
  const L = Math.min(size - 1, Math.ceil((truncate * h) / step));
  const k = new Float64Array(L + 1);
  const c = 1 / (h * Math.sqrt(2 * Math.PI));
  for (let j = 0; j <= L; ++j) {
    const u = (j * step) / h;
    k[j] = c * Math.exp(-0.5 * u * u);
  }
  return k;
}

/** out[g] = scale · Σ_j bins[g + j]·k[|j|], |j| ≤ L. */
function convolve(bins: Float64Array, k: Float64Array, scale: number, out: Float64Array): void {
  const G = bins.length;
  const L = k.length - 1;
  out.fill(0);
  for (let m = 0; m < G; ++m) {
    const c = bins[m] * scale;
    if (c === 0) continue;
    const from = Math.max(0, m - L);
    const to = Math.min(G - 1, m + L);
    for (let g = from; g < m; ++g) out[g] += c * k[m - g];
    for (let g = m; g <= to; ++g) out[g] += c * k[g - m];
  }
}
