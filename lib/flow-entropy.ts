/**
 * The entropy of order flow, conditioned on activity: the entropy of the flow symbols
 * (lib/symbolize.ts `flowSymbols`: sell, balanced, buy, no trade) over the bins of a window that
 * hold trades, with the share of such bins beside it. Every chapter's "entropy of the flow" is
 * this one quantity, so that a venue that trades less is not called more balanced.
 */
import {checkEstimator, resolveBase, type EntropyEstimator} from "./entropy.js";
import {entropyAccumulator} from "./rolling-entropy.js";
import {FLOW_BASE, NO_TRADE} from "./symbolize.js";

/** Options of {@link activeFlowEntropy}. */
export interface ActiveFlowEntropyOptions {
  /** Window length, bins (integer ≥ 1). */
  window: number;
  /** Distance between evaluated window ends, bins (integer ≥ 1; default 1). */
  step?: number;
  /** `"plug-in"` (default) or `"miller-madow"` (on the active bins' count). */
  estimator?: EntropyEstimator;
  /** Divide by log2 3, so that 1 is the entropy of equally likely sell, balanced and buy bins (default false: bits). */
  normalize?: boolean;
  /** Fewest bins with trades a window needs, else NaN (integer ≥ 1; default 2). */
  minActive?: number;
}

/** Result of {@link activeFlowEntropy}: one value per bin, at the window ending there (NaN elsewhere). */
export interface ActiveFlowEntropy {
  /** H(S | a trade) over the window's bins with trades, bits (or normalised by log2 3). */
  entropy: Float64Array;
  /** Share of the window's bins with at least one trade, in [0, 1]. */
  active: Float64Array;
}

/**
 * Rolling entropy of flow symbols conditioned on activity: for the window of `window` bins ending
 * at bin i, with c_s the counts of SELL, BALANCED and BUY among its bins (NO_TRADE bins left out)
 * and N = c_0 + c_1 + c_2,
 *
 *   H = log2 N − (1/N) Σ_s c_s log2 c_s  (+ (m̂ − 1)/(2N ln 2), Miller–Madow, m̂ the symbols seen),
 *
 * the entropy of the sign of the net flow given that the bin traded, and active = N / window.
 * Unconditioned, the entropy of the flow of a venue with many empty bins is dominated by how often
 * it trades. Entries before the first full window, between steps, or with N < minActive are NaN.
 * O(n) (a streaming accumulator, lib/rolling-entropy.ts). Throws a RangeError for symbols outside
 * [0, 4) (naming the index), or an invalid window, step or minActive.
 * Reference: G. A. Miller, "Note on the bias of information estimates" (1955).
 */
export function activeFlowEntropy(symbols: ArrayLike<number>, options: ActiveFlowEntropyOptions): ActiveFlowEntropy {
  const {window, step = 1, normalize = false, minActive = 2} = options;
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`invalid window: ${window}`);
  if (!(Number.isInteger(step) && step >= 1)) throw new RangeError(`invalid step: ${step}`);
  if (!(Number.isInteger(minActive) && minActive >= 1)) throw new RangeError(`invalid minActive: ${minActive}`);
  const estimator = checkEstimator(options.estimator);
  resolveBase(symbols, FLOW_BASE);
  const n = symbols.length;
  const entropy = new Float64Array(n).fill(NaN);
  const active = new Float64Array(n).fill(NaN);
  const acc = entropyAccumulator(NO_TRADE, {estimator});
  const scale = normalize ? 1 / Math.log2(3) : 1;
  for (let i = 0; i < n; ++i) {
    const s = symbols[i];
    if (s !== NO_TRADE) acc.add(s);
    if (i >= window) {
      const old = symbols[i - window];
      if (old !== NO_TRADE) acc.rem(old);
    }
    if (i < window - 1 || (i - (window - 1)) % step !== 0) continue;
    active[i] = acc.count / window;
    if (acc.count >= minActive) entropy[i] = acc.value() * scale;
  }
  return {entropy, active};
}
