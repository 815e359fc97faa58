/**
 * Block entropies, the entropy rate and active information storage of a symbol sequence.
 *
 * Order flow has memory (a buy tends to follow a buy), so the single-symbol entropy H_1
 * overstates how much new information each trade carries. The entropy rate
 * h = lim H_L − H_{L−1} measures the uncertainty that remains once the past is known; the
 * difference H_1 − h is the information the past stores about the present.
 *
 * Blocks are the n − L + 1 overlapping windows x[t−L+1 … t]. Results are in bits.
 *
 * References: J. P. Crutchfield and D. P. Feldman, "Regularities unseen, randomness observed:
 * levels of entropy convergence", Chaos 13 (2003) 25–54; T. Schürmann and P. Grassberger,
 * "Entropy estimation of symbol sequences", Chaos 6 (1996) 414–427; J. T. Lizier, M. Prokopenko
 * and A. Y. Zomaya, "Local measures of information storage in complex distributed computation",
 * Information Sciences 208 (2012) 39–54.
 */
import {checkEstimator, entropyFromCounts, MAX_CELLS, resolveBase, type EntropyEstimator} from "./entropy.js";

export interface BlockOptions {
  /** Alphabet size m: symbols must lie in [0, m). Default: one more than the largest symbol. */
  base?: number;
  /** `"plug-in"` (default) or `"miller-madow"`, applied to every entropy involved. */
  estimator?: EntropyEstimator;
}

export interface HistoryOptions extends BlockOptions {
  /** History length k ≥ 0 (the number of past symbols conditioned on). Default 1. */
  k?: number;
}

function checkLength(name: string, L: number, base: number): number {
  if (!(Number.isInteger(L) && L >= 0) || base ** L > MAX_CELLS) throw new RangeError(`invalid ${name}: ${L}`);
  return L;
}

/**
 * Counts of the overlapping blocks of length L: an Int32Array of length m^L whose entry
 * Σ_i x[t−L+1+i]·m^(L−1−i) (the block read as a base-m number, oldest symbol most significant)
 * is the number of times that block occurs. `x` must already be validated against `base`.
 */
export function blockCounts(x: ArrayLike<number>, L: number, base: number): Int32Array {
  let size = 1;
  for (let i = 0; i < L; ++i) size *= base;
  const counts = new Int32Array(size);
  const n = x.length;
  if (n < L) return counts;
  if (L === 0) {
    counts[0] = n + 1;
    return counts;
  }
  const top = size / base; // weight of the oldest symbol
  let code = 0;
  for (let i = 0; i < L - 1; ++i) code = code * base + x[i];
  for (let t = L - 1; t < n; ++t) {
    code = code * base + x[t];
    ++counts[code];
    code -= x[t - L + 1] * top;
  }
  return counts;
}

/**
 * Block entropy H_L = −Σ p̂(b) log2 p̂(b) over the blocks b of L consecutive symbols, in bits
 * (n − L + 1 overlapping blocks). H_0 = 0; NaN when the sequence is shorter than L. The table has
 * m^L cells, which must not exceed 2^24.
 */
export function blockEntropy(x: ArrayLike<number>, L: number, options: BlockOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  const base = resolveBase(x, options.base);
  checkLength("L", L, base);
  if (L === 0) return 0;
  return entropyFromCounts(blockCounts(x, L, base), estimator);
}

/**
 * The block entropies H_0 = 0, H_1, …, H_maxL as a Float64Array of length maxL + 1 (bits).
 * The curve L ↦ H_L is concave for a stationary source; its slope tends to the entropy rate and
 * its intercept to the excess entropy (Crutchfield & Feldman 2003).
 */
export function blockEntropies(x: ArrayLike<number>, maxL: number, options: BlockOptions = {}): Float64Array {
  const estimator = checkEstimator(options.estimator);
  const base = resolveBase(x, options.base);
  checkLength("maxL", maxL, base);
  const out = new Float64Array(maxL + 1);
  for (let L = 1; L <= maxL; ++L) out[L] = entropyFromCounts(blockCounts(x, L, base), estimator);
  return out;
}

/** Sums a block table over its last symbol: counts of the (L−1)-prefixes. */
function prefixCounts(counts: Int32Array, base: number): Int32Array {
  const out = new Int32Array(counts.length / base);
  for (let i = 0; i < counts.length; ++i) out[(i / base) | 0] += counts[i];
  return out;
}

/** Sums a block table over all but its last symbol: counts of the last symbol. */
function lastCounts(counts: Int32Array, base: number): Int32Array {
  const out = new Int32Array(base);
  for (let i = 0; i < counts.length; ++i) out[i % base] += counts[i];
  return out;
}

/**
 * Entropy-rate estimate of order k, in bits per symbol: the conditional entropy of a symbol given
 * the k symbols before it,
 *
 *   h_k = H(X_t | X_{t−k} … X_{t−1}) = H_{k+1} − H_k,
 *
 * where both block entropies are taken over the same n − k samples (the k-blocks are the prefixes
 * of the (k+1)-blocks), so that 0 ≤ h_k ≤ H_1 holds exactly for the plug-in estimate. With
 * `estimator: "miller-madow"` each of the two entropies is corrected. h_0 = H_1. h_k decreases
 * with k towards the true rate, but the plug-in estimate is biased low once m^(k+1) approaches
 * the number of samples. NaN when n ≤ k.
 */
export function entropyRate(x: ArrayLike<number>, options: HistoryOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  const base = resolveBase(x, options.base);
  const k = checkLength("k", options.k ?? 1, base);
  if (base ** (k + 1) > MAX_CELLS) throw new RangeError(`invalid k: ${k}`);
  return entropyRateFromCounts(blockCounts(x, k + 1, base), k, base, estimator);
}

/**
 * The entropy rate h_k = H(k + 1) − H(k) from the counts `joint` of the (k + 1)-blocks
 * ({@link blockCounts}; the k-blocks are its prefixes), bits per symbol: what
 * {@link entropyRate} computes once the blocks are counted, so counts gathered piece by piece
 * (with the last k symbols carried across the cuts) give the same value.
 */
export function entropyRateFromCounts(joint: Int32Array, k: number, base: number, estimator: EntropyEstimator = "plug-in"): number {
  const h = entropyFromCounts(joint, estimator);
  if (k === 0) return h;
  return h - entropyFromCounts(prefixCounts(joint, base), estimator);
}

/**
 * Active information storage of order k, in bits: the mutual information between the k past
 * symbols and the next one,
 *
 *   A_k = I(X_{t−k} … X_{t−1} ; X_t) = H(X_t) + H(X_{t−k..t−1}) − H(X_{t−k..t}),
 *
 * with all three entropies over the same n − k samples t = k … n−1 (the convention of JIDT's
 * ActiveInfoStorageCalculatorDiscrete; Lizier, Prokopenko & Zomaya 2012). A_k = H(X_t) − h_k on
 * those samples; 0 for an i.i.d. source as n grows, and non-negative for the plug-in estimate.
 * NaN when n ≤ k; 0 when k = 0.
 */
export function activeInformationStorage(x: ArrayLike<number>, options: HistoryOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  const base = resolveBase(x, options.base);
  const k = checkLength("k", options.k ?? 1, base);
  if (base ** (k + 1) > MAX_CELLS) throw new RangeError(`invalid k: ${k}`);
  if (x.length <= k) return NaN;
  if (k === 0) return 0;
  const joint = blockCounts(x, k + 1, base);
  const a =
    entropyFromCounts(lastCounts(joint, base), estimator) +
    entropyFromCounts(prefixCounts(joint, base), estimator) -
    entropyFromCounts(joint, estimator);
  return estimator === "plug-in" ? Math.max(0, a) : a;
}
