/**
 * Entropy over a sliding window, in O(n) total.
 *
 * A window's entropy depends on its symbol counts only, through S = Σ_s c_s log2 c_s:
 * H = log2 N − S/N. Moving the window by one sample changes two counts, so S is updated in O(1)
 * (the streaming init / add / rem / value shape of arquero's aggregate functions,
 * `uwdata/arquero` src/op/aggregate-functions.js) rather than recomputed in O(window).
 */
import {checkEstimator, millerMadow, resolveBase, type EntropyEstimator} from "./entropy.js";

/** A streaming entropy over a multiset of symbols in [0, base): add and remove one at a time. */
export interface EntropyAccumulator {
  /** Empties the multiset. */
  init(): void;
  /** Adds one occurrence of symbol `s` (an integer in [0, base), not checked). */
  add(s: number): void;
  /** Removes one occurrence of symbol `s`, which must be present (not checked). */
  rem(s: number): void;
  /** The entropy of the current multiset in bits (NaN when empty). */
  value(): number;
  /** The number of symbols currently held. */
  readonly count: number;
  /** The current counts (a view on the accumulator's state; do not modify). */
  readonly counts: Int32Array;
}

/**
 * A streaming entropy accumulator over the alphabet [0, base) (arquero-style init / add / rem /
 * value): H = log2 N − S/N with S = Σ c log2 c maintained incrementally, and the Miller–Madow
 * term (m̂ − 1)/(2N ln 2) added when `estimator` is `"miller-madow"` (m̂ = non-zero counts,
 * also maintained incrementally). S is recomputed exactly from the counts every 4·base + 64
 * updates, so rounding does not drift over long streams. Each update costs O(1) and allocates
 * nothing.
 */
export function entropyAccumulator(base: number, options: {estimator?: EntropyEstimator} = {}): EntropyAccumulator {
  if (!(Number.isInteger(base) && base >= 1)) throw new RangeError(`invalid base: ${base}`);
  const estimator = checkEstimator(options.estimator);
  const counts = new Int32Array(base);
  const resync = 4 * base + 64;
  // State in a typed array (not closure variables) so that updates never box a number:
  // [count, Σ c log2 c, observed symbols, updates since the last exact resynchronisation].
  const state = new Float64Array(4);
  const exact = () => {
    let sum = 0;
    for (let s = 0; s < base; ++s) {
      const c = counts[s];
      if (c > 0) sum += c * Math.log2(c);
    }
    state[1] = sum;
    state[3] = 0;
  };
  return {
    init() {
      counts.fill(0);
      state.fill(0);
    },
    add(s: number) {
      const c = counts[s]++;
      if (c === 0) ++state[2];
      else state[1] -= c * Math.log2(c);
      state[1] += (c + 1) * Math.log2(c + 1);
      ++state[0];
      if (++state[3] >= resync) exact();
    },
    rem(s: number) {
      const c = counts[s]--;
      state[1] -= c * Math.log2(c);
      if (c === 1) --state[2];
      else state[1] += (c - 1) * Math.log2(c - 1);
      --state[0];
      if (++state[3] >= resync) exact();
    },
    value() {
      const n = state[0];
      if (n === 0) return NaN;
      const h = Math.max(0, Math.log2(n) - state[1] / n);
      return estimator === "miller-madow" ? h + millerMadow(state[2], n) : h;
    },
    get count() {
      return state[0];
    },
    counts
  };
}

export interface RollingEntropyOptions {
  /** Window length in samples (≥ 1). Required. */
  window: number;
  /** Distance in samples between successive evaluated windows (≥ 1). Default 1. */
  step?: number;
  /** Alphabet size m: symbols must lie in [0, m). Default: one more than the largest symbol. */
  base?: number;
  /** `"plug-in"` (default) or `"miller-madow"`. */
  estimator?: EntropyEstimator;
  /** Divide by log2 m to give the normalised entropy in [0, 1]. Default false. */
  normalize?: boolean;
}

/**
 * Entropy of every window of `window` consecutive symbols, in bits (or normalised by log2 m).
 *
 * The result is a Float64Array of the length of `x`, aligned to the window end: entry i holds
 * the entropy of x[i − window + 1 … i]. Entries before the first full window (i < window − 1) are
 * NaN; with a `step` > 1 only the window ends i = window − 1 + j·step are evaluated and the
 * other entries are NaN too. Every sample is added and removed once whatever the step, so the
 * cost is O(n + m·n/window) (the last term from periodic exact resynchronisation), not
 * O(n·window). Each value equals {@link entropy} (lib/entropy.ts) on the same window up to
 * rounding (≲ 1e-12 bits).
 */
export function rollingEntropy(x: ArrayLike<number>, options: RollingEntropyOptions): Float64Array {
  const {window, step = 1, normalize = false} = options ?? ({} as RollingEntropyOptions);
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`invalid window: ${window}`);
  if (!(Number.isInteger(step) && step >= 1)) throw new RangeError(`invalid step: ${step}`);
  const estimator = checkEstimator(options.estimator);
  const base = resolveBase(x, options.base);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  if (n < window) return out;
  // Counts and S = Σ c log2 c, with c log2 c tabulated for c ≤ window.
  const clog = new Float64Array(window + 1);
  for (let c = 2; c <= window; ++c) clog[c] = c * Math.log2(c);
  const counts = new Int32Array(base);
  const resync = Math.max(window, 4 * base);
  const scale = normalize ? 1 / Math.log2(base) : 1;
  const logw = Math.log2(window);
  const bias = estimator === "miller-madow";
  let sum = 0;
  let observed = 0;
  let updates = 0;
  for (let i = 0; i < window; ++i) {
    const c = counts[x[i]]++;
    if (c === 0) ++observed;
    sum += clog[c + 1] - clog[c];
  }
  let next = window - 1; // next window end to evaluate
  for (let i = window - 1; ; ) {
    if (i === next) {
      if (updates >= resync) {
        sum = 0;
        for (let s = 0; s < base; ++s) sum += clog[counts[s]];
        updates = 0;
      }
      let h = Math.max(0, logw - sum / window);
      if (bias) h += millerMadow(observed, window);
      out[i] = h * scale;
      next += step;
    }
    if (++i >= n) break;
    const a = x[i];
    const r = x[i - window];
    if (a !== r) {
      const ca = counts[a]++;
      if (ca === 0) ++observed;
      const cr = counts[r]--;
      if (cr === 1) --observed;
      sum += clog[ca + 1] - clog[ca] + clog[cr - 1] - clog[cr];
      updates += 2;
    }
  }
  return out;
}
