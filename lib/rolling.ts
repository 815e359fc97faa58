/**
 * Rolling moments of a regular series: mean, variance and lag-1 autocorrelation over a window
 * of `window` samples that advances by `step` samples.
 *
 * Window j covers the samples [j·step, j·step + window) and its outputs sit at index j of every
 * output array; `end[j] = j·step + window − 1` is the index of its last sample (outputs are
 * aligned to the window end). A series shorter than the window gives empty outputs.
 *
 * The state is updated by adding the sample that enters and removing the one that leaves
 * (Welford's update and its inverse, with the co-moment of successive pairs for the
 * autocorrelation), so a pass costs O(n) whatever the window. To keep rounding from accumulating
 * over long series the state is rebuilt from scratch once every `window` removals, which at most
 * doubles the work.
 */

/** Where rolling windows sit: `window` samples, advancing by `step` samples. */
export interface WindowOptions {
  /** Window length in samples (an integer ≥ 1). */
  window: number;
  /** Stride between the ends of consecutive windows, in samples (an integer ≥ 1; default 1). */
  step?: number;
}

/**
 * Validates rolling-window options and returns them with the default step filled in.
 *
 * Throws a RangeError naming the offending value for a window or step that is not a positive
 * integer (`invalid window: 0`). `minWindow` raises the smallest accepted window (e.g. 2 for a
 * variance).
 */
export function windowOptions(options: WindowOptions, minWindow = 1): {window: number; step: number} {
  const {window, step = 1} = options;
  if (!Number.isInteger(window) || window < minWindow) throw new RangeError(`invalid window: ${window}`);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`invalid step: ${step}`);
  return {window, step};
}

/**
 * The index of the last sample of each window over a series of `n` samples:
 * `end[j] = window − 1 + j·step` for j = 0 … ⌊(n − window)/step⌋ (empty if n < window).
 *
 * Use it as the time index of every rolling output: the value of window j belongs to the sample
 * `end[j]` (for bins, to the bin `end[j]`, whose start time is `t[end[j]]`).
 */
export function windowEnds(n: number, options: WindowOptions): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid n: ${n}`);
  const {window, step} = windowOptions(options);
  const count = n < window ? 0 : Math.floor((n - window) / step) + 1;
  const end = new Int32Array(count);
  for (let j = 0; j < count; ++j) end[j] = window - 1 + j * step;
  return end;
}

/** Rolling moments, one entry per window (see {@link rollingMoments}). */
export interface RollingMoments {
  /** Index of the last sample of each window. */
  end: Int32Array;
  /** Number of finite samples in each window. */
  count: Int32Array;
  /** Mean of the finite samples (NaN if none). */
  mean: Float64Array;
  /** Sample variance of the finite samples, denominator count − 1 (NaN if fewer than two). */
  variance: Float64Array;
  /**
   * Lag-1 autocorrelation, the standard ACF estimator
   * r₁ = Σₜ (xₜ − x̄)(xₜ₊₁ − x̄) / Σₜ (xₜ − x̄)² over the window
   * (NaN if the window holds a non-finite sample, fewer than two samples, or a constant).
   */
  autocorrelation: Float64Array;
}

/**
 * Mean, variance and lag-1 autocorrelation of `x` in rolling windows, in one O(n) pass.
 *
 * - mean x̄ = (1/c) Σ xᵢ and variance s² = Σ (xᵢ − x̄)² / (c − 1) over the c finite samples of the
 *   window (NaN, ±Infinity and null are skipped, as d3-array does);
 * - lag-1 autocorrelation r₁ = Σₜ₌₀^{w−2} (xₜ − x̄)(xₜ₊₁ − x̄) / Σₜ₌₀^{w−1} (xₜ − x̄)², the estimator
 *   of the sample autocorrelation function (Box & Jenkins), so it equals `acf(window, 1)[1]`;
 *   it is NaN for a window with any non-finite sample (gaps would join unrelated samples).
 *   This is the indicator of critical slowing down in Dakos et al. (2012), PLoS ONE 7(7): e41010.
 *
 * The means, sums of squares and the co-moment of successive pairs are kept with Welford's
 * add/remove updates (Welford 1962; Chan, Golub & LeVeque 1983 for the pairwise form), on samples
 * shifted by a value of the window so that rounding does not grow with the level of the series.
 * Removal still subtracts the leaving sample's share: a window whose variance is many orders of
 * magnitude below that of its neighbours keeps only the relative precision that remains
 * (the price of O(1) updates).
 */
export function rollingMoments(x: ArrayLike<number>, options: WindowOptions): RollingMoments {
  const {window, step} = windowOptions(options);
  const n = x.length;
  const end = windowEnds(n, {window, step});
  const m = end.length;
  const count = new Int32Array(m);
  const mean = new Float64Array(m);
  const variance = new Float64Array(m);
  const autocorrelation = new Float64Array(m);

  // State of the window [lo, hi): Welford over finite samples, co-moment over finite pairs.
  let lo = 0;
  let hi = 0;
  let c = 0;
  let mu = 0;
  let m2 = 0;
  let bad = 0;
  let pc = 0;
  let pa = 0;
  let pb = 0;
  let cab = 0;
  let removals = 0;
  // Samples are shifted by a value of the window taken at each rebuild so that the running
  // means stay near zero and their rounding does not scale with the level of the series.
  let shift = 0;

  const finite = (v: number) => v === v && v !== Infinity && v !== -Infinity;

  const add = (i: number) => {
    const v = +x[i] - shift;
    if (!finite(v)) {
      ++bad;
    } else {
      ++c;
      const d = v - mu;
      mu += d / c;
      m2 += d * (v - mu);
      if (i > lo) {
        const a = +x[i - 1] - shift;
        if (finite(a)) {
          ++pc;
          const da = a - pa;
          pa += da / pc;
          pb += (v - pb) / pc;
          cab += da * (v - pb);
        }
      }
    }
  };

  const remove = (i: number) => {
    const v = +x[i] - shift;
    if (!finite(v)) {
      --bad;
      return;
    }
    if (--c === 0) {
      mu = m2 = 0;
    } else {
      const d = v - mu;
      mu -= d / c;
      m2 -= d * (v - mu);
      if (m2 < 0) m2 = 0;
    }
    if (i + 1 < hi) {
      const b = +x[i + 1] - shift;
      if (finite(b)) {
        if (--pc === 0) {
          pa = pb = cab = 0;
        } else {
          pa -= (v - pa) / pc;
          cab -= (v - pa) * (b - pb);
          pb -= (b - pb) / pc;
        }
      }
    }
  };

  const rebuild = (from: number, to: number) => {
    c = bad = pc = 0;
    mu = m2 = pa = pb = cab = 0;
    shift = 0;
    for (let i = from; i < to; ++i) {
      const v = +x[i];
      if (finite(v)) {
        shift = v;
        break;
      }
    }
    lo = from;
    for (hi = from; hi < to; ++hi) add(hi);
    removals = 0;
  };

  for (let j = 0; j < m; ++j) {
    const from = j * step;
    const to = from + window;
    if (j === 0 || from >= hi || removals + (from - lo) >= window) {
      rebuild(from, to);
    } else {
      for (; hi < to; ++hi) add(hi);
      for (; lo < from; ++lo) remove(lo), ++removals;
    }
    count[j] = c;
    mean[j] = c > 0 ? mu + shift : NaN;
    variance[j] = c > 1 ? m2 / (c - 1) : NaN;
    if (bad > 0 || c < 2 || !(m2 > 0)) {
      autocorrelation[j] = NaN;
    } else {
      const first = +x[from] - shift;
      const last = +x[to - 1] - shift;
      // Σ (a − x̄)(b − x̄) over pairs = C_ab + (c − 1)(ā − x̄)(b̄ − x̄), with ā − x̄ = (x̄ − last)/(c − 1)
      // and b̄ − x̄ = (x̄ − first)/(c − 1) because the pairs miss the last and the first sample.
      const num = cab + ((mu - last) * (mu - first)) / (c - 1);
      autocorrelation[j] = num / m2;
    }
  }
  return {end, count, mean, variance, autocorrelation};
}

/** Rolling mean of the finite samples of `x` (see {@link rollingMoments}); NaN for a window with none. */
export function rollingMean(x: ArrayLike<number>, options: WindowOptions): Float64Array {
  return rollingMoments(x, options).mean;
}

/**
 * Rolling sample variance (denominator count − 1) of the finite samples of `x`
 * (see {@link rollingMoments}); NaN for a window with fewer than two.
 */
export function rollingVariance(x: ArrayLike<number>, options: WindowOptions): Float64Array {
  return rollingMoments(x, options).variance;
}

/**
 * Rolling lag-1 autocorrelation r₁ = Σ (xₜ − x̄)(xₜ₊₁ − x̄) / Σ (xₜ − x̄)² of `x`
 * (see {@link rollingMoments}); NaN for a window with a non-finite sample or no variation.
 */
export function rollingAutocorrelation(x: ArrayLike<number>, options: WindowOptions): Float64Array {
  return rollingMoments(x, options).autocorrelation;
}
