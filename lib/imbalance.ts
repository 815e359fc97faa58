/**
 * Net order-flow imbalance — the "magnetisation" (order parameter) of chapter 04.
 */
import {windowEnds, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";

/** Checks that buy and sell flows have the same length and no negative values. */
function checkFlows(buy: ArrayLike<number>, sell: ArrayLike<number>): void {
  if (buy.length !== sell.length) throw new RangeError(`invalid sell length: ${sell.length} (buy has ${buy.length})`);
  for (let i = 0; i < buy.length; ++i) {
    if (+buy[i] < 0) throw new RangeError(`invalid buy[${i}]: ${buy[i]}`);
    if (+sell[i] < 0) throw new RangeError(`invalid sell[${i}]: ${sell[i]}`);
  }
}

/**
 * Imbalance of each sample, m = (B − S)/(B + S) ∈ [−1, 1], from buy-aggressor and
 * sell-aggressor counts (or volumes) B and S of the same bin; NaN for an empty bin.
 *
 * The order parameter of a spin system: with each trade a spin sₖ = ±1 (its aggressor side),
 * m is the magnetisation (1/N) Σ sₖ of the N = B + S trades (by count), or the volume-weighted
 * version (by volume). Non-finite counts make the sample NaN; negative ones throw a RangeError.
 * Reference: Chordia & Subrahmanyam (2004), J. Financ. Econ. 72: 485 (order imbalance);
 * Plerou, Gopikrishnan & Stanley (2003), Nature 421: 130 (its two-phase behaviour).
 */
export function imbalance(buy: ArrayLike<number>, sell: ArrayLike<number>): Float64Array {
  checkFlows(buy, sell);
  const m = new Float64Array(buy.length);
  for (let i = 0; i < m.length; ++i) {
    const b = +buy[i];
    const s = +sell[i];
    m[i] = b + s > 0 ? (b - s) / (b + s) : NaN;
  }
  return m;
}

/**
 * Imbalance of rolling windows, m = (ΣB − ΣS)/(ΣB + ΣS) ∈ [−1, 1] over the samples of each
 * window (see {@link WindowOptions}); NaN for a window without trades. Non-finite samples
 * count as empty. Output j belongs to the window ending at `windowEnds(buy.length, options)[j]`.
 *
 * Sums come from prefix sums: exact for counts (integers below 2⁵³), and for volumes within a
 * relative error of about n·ε of the total, negligible at any realistic length.
 */
export function rollingImbalance(buy: ArrayLike<number>, sell: ArrayLike<number>, options: WindowOptions): Float64Array {
  const {window, step} = windowOptions(options);
  checkFlows(buy, sell);
  const n = buy.length;
  const cb = new Float64Array(n + 1);
  const cs = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) {
    const b = +buy[i];
    const s = +sell[i];
    const ok = b + s < Infinity && b + s >= 0;
    cb[i + 1] = cb[i] + (ok ? b : 0);
    cs[i + 1] = cs[i] + (ok ? s : 0);
  }
  const end = windowEnds(n, {window, step});
  const m = new Float64Array(end.length);
  for (let j = 0; j < end.length; ++j) {
    const hi = end[j] + 1;
    const lo = hi - window;
    const b = cb[hi] - cb[lo];
    const s = cs[hi] - cs[lo];
    m[j] = b + s > 0 ? (b - s) / (b + s) : NaN;
  }
  return m;
}
