/**
 * Phase-randomised (Fourier) surrogates: series with the power spectrum — hence the linear
 * autocorrelation — of the data, and otherwise random (a linear Gaussian null).
 */
import {fft, isPowerOfTwo, nextPowerOfTwo} from "./fft.js";

/** Options of {@link phaseRandomize}. */
export interface PhaseRandomizeOptions {
  /**
   * - `"exact"`: the classic surrogate (Theiler et al. 1992): the DFT of the series keeps its
   *   amplitudes |X_k| and gets independent uniform phases (with conjugate symmetry, the mean and
   *   the Nyquist term kept), so its periodogram equals the data's exactly. Needs a length that
   *   is a power of two (the FFT's).
   * - `"padded"`: the demeaned series is zero-padded to N = the power of two ≥ 2n, phase
   *   randomised at length N, cut to its first n samples, recentred on the data's mean and scaled by
 *   √(N/n). Without wrap-around
   *   (N ≥ 2n) the padded periodogram is the transform of the sample autocovariance γ̂(k), so the
   *   surrogate is a stationary Gaussian series whose autocovariance is γ̂(k) at every lag
   *   (in expectation; each realisation scatters around it). Any length.
   *
   * Default: `"exact"` when n is a power of two, else `"padded"`.
   */
  method?: "exact" | "padded";
}

/**
 * One phase-randomised surrogate of `x`, drawn with `random` (a generator from lib/random.ts,
 * e.g. `mulberry32(seed)`), written into `out` (allocated when omitted) and returned.
 *
 * The surrogate keeps the mean and the power spectrum of `x` (see
 * {@link PhaseRandomizeOptions} for the two methods) and destroys every nonlinear structure and
 * any non-stationarity: a trend in variance or autocorrelation of the data is absent from its
 * surrogates, which is what makes them a null for early-warning trends (Dakos et al. 2008,
 * PNAS 105: 14308; Theiler, Eubank, Longtin, Galdrikian & Farmer 1992, Physica D 58: 77).
 * The exact method treats the series as periodic: a large mismatch between its two ends
 * leaks power across frequencies; trim the series so its ends match when that matters.
 *
 * Throws a RangeError for a non-finite sample (`invalid x[3]: NaN`), an `out` of the wrong length,
 * or `"exact"` with a length that is not a power of two. Lengths 0 and 1 are copied.
 * Cost O(N log N) with N = n (exact) or the power of two ≥ 2n (padded).
 */
export function phaseRandomize(
  x: ArrayLike<number>,
  random: () => number,
  out?: Float64Array,
  options: PhaseRandomizeOptions = {}
): Float64Array {
  const n = x.length;
  const method = options.method ?? (isPowerOfTwo(n) ? "exact" : "padded");
  if (method !== "exact" && method !== "padded") throw new RangeError(`invalid method: ${method}`);
  if (method === "exact" && n > 1 && !isPowerOfTwo(n)) throw new RangeError(`invalid length: ${n} (exact needs a power of two)`);
  const y = out ?? new Float64Array(n);
  if (y.length !== n) throw new RangeError(`invalid out length: ${y.length} (x has ${n})`);
  let mean = 0;
  for (let i = 0; i < n; ++i) {
    const v = +x[i];
    if (!Number.isFinite(v)) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
    mean += (v - mean) / (i + 1);
  }
  if (n < 2) {
    for (let i = 0; i < n; ++i) y[i] = +x[i];
    return y;
  }
  const N = method === "exact" ? n : nextPowerOfTwo(2 * n);
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  for (let i = 0; i < n; ++i) re[i] = +x[i] - mean;
  fft(re, im);
  re[0] = im[0] = 0;
  const half = N >> 1;
  for (let k = 1; k < half; ++k) {
    const a = Math.hypot(re[k], im[k]);
    const phase = 2 * Math.PI * random();
    re[k] = a * Math.cos(phase);
    im[k] = a * Math.sin(phase);
    re[N - k] = re[k];
    im[N - k] = -im[k];
  }
  // The Nyquist term X_{N/2} is real and stays as it is.
  fft(re, im, true);
  // Padded: the first n samples of the length-N surrogate have a small nonzero mean of their own;
  // remove it so that the surrogate keeps the data's mean exactly, as the exact method does.
  let shift = 0;
  if (method === "padded") {
    for (let i = 0; i < n; ++i) shift += (re[i] - shift) / (i + 1);
  }
  const scale = method === "exact" ? 1 : Math.sqrt(N / n);
  for (let i = 0; i < n; ++i) y[i] = mean + scale * (re[i] - shift);
  return y;
}
