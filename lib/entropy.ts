/**
 * Shannon entropy of a discrete symbol sequence.
 *
 * Symbols are small non-negative integers `0 … m−1` held in any `ArrayLike<number>` (an
 * `Int8Array`, `Uint8Array`, `Int32Array`, a plain array …). The alphabet size `m` is given as
 * `base` or inferred as one more than the largest symbol. All results are in bits.
 *
 * References: C. E. Shannon, "A mathematical theory of communication", Bell System Technical
 * Journal 27 (1948); G. A. Miller, "Note on the bias of information estimates", in Information
 * Theory in Psychology (1955); L. Paninski, "Estimation of entropy and mutual information",
 * Neural Computation 15 (2003) 1191–1253.
 */

/** How an entropy is estimated from counts. */
export type EntropyEstimator = "plug-in" | "miller-madow";

export interface EntropyOptions {
  /** Alphabet size m: symbols must lie in [0, m). Default: one more than the largest symbol. */
  base?: number;
  /**
   * `"plug-in"` (default): the maximum-likelihood estimate −Σ p̂ log2 p̂, biased low by about
   * (m̂−1)/(2N ln 2) bits. `"miller-madow"`: the plug-in value plus that first-order correction,
   * with m̂ the number of symbols actually observed.
   */
  estimator?: EntropyEstimator;
}

/** The largest alphabet a count table may use (cells); beyond it the tables stop being "small". */
export const MAX_CELLS = 1 << 24;

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array];

/** Whether `x` is a typed array that can only hold integers (so only the range needs checking). */
export function isIntegerArray(x: ArrayLike<number>): boolean {
  for (const T of INTEGER_ARRAYS) if (x instanceof T) return true;
  return false;
}

/**
 * The alphabet size of one or more symbol sequences: one more than the largest symbol, and at
 * least `min` (default 2, so that a constant sequence is read as binary rather than as a
 * one-letter alphabet). Throws a RangeError naming the first value that is not a non-negative
 * integer.
 */
export function alphabetSize(series: ArrayLike<number> | ArrayLike<number>[], min = 2): number {
  const list = isSeriesList(series) ? series : [series as ArrayLike<number>];
  let max = min - 1;
  for (const x of list) {
    const m = isIntegerArray(x) ? maxOfIntegers(x) : maxOfValues(x);
    if (m > max) max = m;
    if (max >= MAX_CELLS) invalidSymbol(max, indexOf(x, max));
  }
  return max + 1;
}

/** The largest value of an integer typed array (−1 when empty); throws on a negative value. */
function maxOfIntegers(x: ArrayLike<number>): number {
  if ((x instanceof Uint8Array || x instanceof Int8Array) && x.length > 0) {
    // Guess from a prefix, then confirm on the whole array four bytes at a time: if every byte is
    // below guess + 1, the prefix maximum is the maximum.
    let guess = 0;
    for (let i = 0, n = Math.min(x.length, 4096); i < n; ++i) if (x[i] > guess) guess = x[i];
    if (guess < 128 && bytesBelow(x, guess + 1)) return guess;
  }
  let max = -1;
  let min = 0;
  const n = x.length;
  for (let i = 0; i < n; ++i) {
    const v = x[i];
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (min < 0) invalidSymbol(min, indexOf(x, min));
  return max;
}

/** The largest value of any array (−1 when empty); throws on a value that is not a non-negative integer. */
function maxOfValues(x: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0, n = x.length; i < n; ++i) {
    const v = x[i];
    if (!(v >= 0 && v === Math.floor(v))) invalidSymbol(v, i);
    if (v > max) max = v;
  }
  return max;
}

function isSeriesList(x: ArrayLike<number> | ArrayLike<number>[]): x is ArrayLike<number>[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === "object" && x[0] !== null;
}

function indexOf(x: ArrayLike<number>, v: number): number {
  for (let i = 0; i < x.length; ++i) if (x[i] === v) return i;
  return -1;
}

/** Throws the RangeError used for an invalid symbol. */
export function invalidSymbol(v: number, i: number): never {
  throw new RangeError(`invalid symbol: ${v}${i >= 0 ? ` (index ${i})` : ""}`);
}

/**
 * Checks that every value of `x` is an integer in [0, base); throws a RangeError naming the
 * first offending value and its index. Runs in one pass without allocation.
 */
export function checkSymbols(x: ArrayLike<number>, base: number): void {
  const n = x.length;
  const top = base - 1;
  if ((x instanceof Uint8Array || x instanceof Int8Array) && base <= 128) {
    if (bytesBelow(x, base)) return;
  } else if (isIntegerArray(x)) {
    let bad = 0;
    for (let i = 0; i < n; ++i) {
      const v = x[i];
      bad |= v | (top - v);
    }
    if (bad >= 0) return;
  }
  for (let i = 0; i < n; ++i) {
    const v = x[i];
    if (!(v >= 0 && v <= top && v === Math.floor(v))) invalidSymbol(v, i);
  }
}

/**
 * Whether every byte of `x` (read as unsigned) is below `base` ≤ 128, four bytes at a time: with
 * a = 128 − base added to every byte, a valid byte stays below 128 and an invalid one reaches the
 * high bit (or already has it), so one OR-accumulated mask tests a whole word (SWAR; see
 * H. S. Warren, "Hacker's Delight", 2nd ed. (2012), §6-1, finding bytes in a range).
 */
function bytesBelow(x: Uint8Array | Int8Array, base: number): boolean {
  const n = x.length;
  const add = 128 - base;
  let i = 0;
  let bad = 0;
  // Leading bytes up to a 4-byte boundary of the buffer.
  for (; i < n && (x.byteOffset + i) % 4 !== 0; ++i) {
    const v = x[i] & 0xff;
    bad |= v | (v + add);
  }
  const words = (n - i) >> 2;
  if (words > 0) {
    const w32 = new Uint32Array(x.buffer, x.byteOffset + i, words);
    const addw = add * 0x01010101;
    for (let j = 0; j < words; ++j) {
      const w = w32[j];
      bad |= w | (w + addw);
    }
    i += words * 4;
  }
  for (; i < n; ++i) {
    const v = x[i] & 0xff;
    bad |= v | (v + add);
  }
  return (bad & 0x80808080) === 0;
}

/** Validates an alphabet size given as an option. */
export function checkBase(base: number): number {
  if (!(Number.isInteger(base) && base >= 1 && base <= MAX_CELLS)) throw new RangeError(`invalid base: ${base}`);
  return base;
}

/** The alphabet size to use: `base` checked if given, else inferred from the series. */
export function resolveBase(series: ArrayLike<number> | ArrayLike<number>[], base: number | undefined): number {
  if (base === undefined) return alphabetSize(series);
  checkBase(base);
  const list = isSeriesList(series) ? series : [series as ArrayLike<number>];
  for (const x of list) checkSymbols(x, base);
  return base;
}

/**
 * Counts of each symbol: an Int32Array of length m (the alphabet size, `options.base` or
 * inferred) whose entry s is the number of times s occurs in `x`.
 */
export function symbolCounts(x: ArrayLike<number>, options: {base?: number} = {}): Int32Array {
  const m = resolveBase(x, options.base);
  const counts = new Int32Array(m);
  for (let i = 0, n = x.length; i < n; ++i) ++counts[x[i]];
  return counts;
}

/**
 * Entropy in bits of the distribution given by `counts` (non-negative, not necessarily
 * normalised): H = log2 N − (1/N) Σ c log2 c with N = Σ c, plus (m̂ − 1)/(2N ln 2) when
 * `estimator` is `"miller-madow"` (m̂ = number of non-zero counts). NaN when N = 0.
 */
export function entropyFromCounts(counts: ArrayLike<number>, estimator: EntropyEstimator = "plug-in"): number {
  let total = 0;
  let sum = 0;
  let observed = 0;
  for (let i = 0, n = counts.length; i < n; ++i) {
    const c = counts[i];
    if (c > 0) {
      total += c;
      sum += c * Math.log2(c);
      ++observed;
    } else if (!(c === 0)) {
      throw new RangeError(`invalid count: ${c}`);
    }
  }
  if (total === 0) return NaN;
  const h = Math.max(0, Math.log2(total) - sum / total);
  return estimator === "miller-madow" ? h + millerMadow(observed, total) : h;
}

/** The Miller–Madow bias term (m̂ − 1)/(2N ln 2) in bits, for m̂ observed cells and N samples. */
export function millerMadow(observed: number, total: number): number {
  return observed > 1 ? (observed - 1) / (2 * total * Math.LN2) : 0;
}

/** Validates an estimator name. */
export function checkEstimator(estimator: string | undefined): EntropyEstimator {
  if (estimator === undefined) return "plug-in";
  if (estimator !== "plug-in" && estimator !== "miller-madow") throw new RangeError(`invalid estimator: ${estimator}`);
  return estimator;
}

/**
 * Shannon entropy of the symbol sequence `x`, in bits:
 *
 *   H = −Σ_s p̂(s) log2 p̂(s),  p̂(s) = n_s / N,
 *
 * the plug-in (maximum-likelihood) estimate, which lies in [0, log2 m] and is biased low for
 * small N; with `estimator: "miller-madow"` the first-order bias (m̂ − 1)/(2N ln 2) is added
 * (Miller 1955), m̂ the number of distinct symbols observed. NaN for an empty sequence. The
 * plug-in value does not depend on `base` (unobserved symbols contribute nothing); `base` only
 * bounds the symbols accepted.
 */
export function entropy(x: ArrayLike<number>, options: EntropyOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  return entropyFromCounts(symbolCounts(x, options), estimator);
}

/**
 * Normalised entropy H / log2 m in [0, 1] for the plug-in estimate (the Miller–Madow value may
 * slightly exceed 1), where m is `options.base` or the inferred alphabet size. 1 means every
 * symbol is equally frequent; 0 means one symbol only. NaN for an empty sequence or m < 2.
 * Reference: Shannon (1948), §6 ("relative entropy" in Shannon's own words).
 */
export function normalizedEntropy(x: ArrayLike<number>, options: EntropyOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  const counts = symbolCounts(x, options);
  const m = counts.length;
  return m < 2 ? NaN : entropyFromCounts(counts, estimator) / Math.log2(m);
}
