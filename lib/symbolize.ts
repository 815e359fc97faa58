/**
 * Symbolisation: turning trades, order flow and returns into small-alphabet symbol sequences for
 * the entropy and transfer-entropy kernels.
 *
 * Every function returns a Uint8Array of symbols 0 … q−1 (q ≤ 256), ordered so that a larger
 * symbol means "more buying" or "a higher return"; relabelling does not change any entropy, but
 * a fixed order keeps the tables and the pages readable.
 *
 * References: C. Bandt and B. Pompe, "Permutation entropy", PRL 88 (2002) 174102 (on choosing
 * symbolisations); M. Staniek and K. Lehnertz, "Symbolic transfer entropy", PRL 100 (2008)
 * 158101; R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", The American
 * Statistician 50 (1996) 361–365 (quantile definition 7, as in d3.quantile).
 */

/** The symbols of {@link flowSymbols}. */
export const SELL = 0;
/** Trades in the bin, and as many buys as sells (within the threshold). */
export const BALANCED = 1;
export const BUY = 2;
/** No trade in the bin: told apart from {@link BALANCED}, so an inactive venue does not look balanced. */
export const NO_TRADE = 3;
/** Alphabet size of the flow symbols (SELL, BALANCED, BUY, NO_TRADE): the `base` of every entropy and transfer entropy over them. */
export const FLOW_BASE = 4;

export interface TradeSignOptions {
  /**
   * What to do with a side of 0 (aggressor unknown): `"drop"` (default) leaves it out, so the
   * result can be shorter than the input; `"throw"` raises a RangeError naming its index.
   */
  unknown?: "drop" | "throw";
}

/**
 * Trade signs as binary symbols: side +1 (buyer-initiated) → 1, side −1 (seller-initiated) → 0,
 * in the order given. Sides of 0 are dropped or rejected (`options.unknown`); any other value
 * throws a RangeError naming it. The data contract's `side` column (Int8, ±1, 0 unknown) is the
 * intended input.
 */
export function tradeSigns(side: ArrayLike<number>, options: TradeSignOptions = {}): Uint8Array {
  const unknown = options.unknown ?? "drop";
  if (unknown !== "drop" && unknown !== "throw") throw new RangeError(`invalid unknown: ${unknown}`);
  const n = side.length;
  const out = new Uint8Array(n);
  let j = 0;
  for (let i = 0; i < n; ++i) {
    const s = side[i];
    if (s === 1) out[j++] = 1;
    else if (s === -1) out[j++] = 0;
    else if (s === 0 && unknown === "drop") continue;
    else throw new RangeError(`invalid side: ${s} (index ${i})`);
  }
  return j === n ? out : out.slice(0, j);
}

export interface FlowSymbolOptions {
  /** Dead band: a bin with trades and |net| ≤ threshold is "balanced". Default 0 (the sign of the net flow). */
  threshold?: number;
}

/**
 * The flow symbol of every bin — the one symbolisation of order flow of every chapter: from the
 * net signed trade count `net` (buys − sells) and the trade count `count` of each bin,
 * {@link NO_TRADE} (3) when the bin has no trade, else {@link SELL} (0) when net < −threshold,
 * {@link BALANCED} (1) when |net| ≤ threshold, {@link BUY} (2) when net > threshold. An empty bin
 * is not "balanced": coding it so would make a venue that trades less look more balanced, and
 * cross-venue entropies measure its trade rate (use the entropy of the flow over the bins with
 * trades, lib/flow-entropy.ts). Throws a RangeError for lengths that differ, a NaN, a negative or
 * fractional count, or a bin without trades whose net flow is not 0, naming its index.
 */
export function flowSymbols(net: ArrayLike<number>, count: ArrayLike<number>, options: FlowSymbolOptions = {}): Uint8Array {
  const threshold = options.threshold ?? 0;
  if (!(threshold >= 0 && threshold < Infinity)) throw new RangeError(`invalid threshold: ${threshold}`);
  const n = net.length;
  if (count.length !== n) throw new RangeError(`invalid count length: ${count.length} (net has ${n})`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; ++i) {
    const v = net[i];
    const c = count[i];
    if (!(c >= 0 && Number.isInteger(c))) throw new RangeError(`invalid count: ${c} (index ${i})`);
    if (c === 0) {
      if (v !== 0) throw new RangeError(`invalid value: ${v} with no trade (index ${i})`);
      out[i] = NO_TRADE;
    } else if (v > threshold) out[i] = BUY;
    else if (v < -threshold) out[i] = SELL;
    else if (v === v) out[i] = BALANCED;
    else throw new RangeError(`invalid value: ${v} (index ${i})`);
  }
  return out;
}

/** Net signed count (buys − sells) and trade count of every bin, the inputs of {@link flowSymbols}. */
export function binFlow(nBuy: ArrayLike<number>, nSell: ArrayLike<number>): {net: Float64Array; count: Float64Array} {
  const n = nBuy.length;
  if (nSell.length !== n) throw new RangeError(`invalid nSell length: ${nSell.length} (nBuy has ${n})`);
  const net = new Float64Array(n);
  const count = new Float64Array(n);
  for (let i = 0; i < n; ++i) (net[i] = nBuy[i] - nSell[i]), (count[i] = nBuy[i] + nSell[i]);
  return {net, count};
}

/**
 * The q − 1 interior q-quantiles of the finite values of `x` (NaN and ±Infinity are skipped),
 * ascending, by Hyndman–Fan definition 7 (linear interpolation between order statistics, as in
 * d3.quantile): for p = j/q, h = (N − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
 * Throws a RangeError when q is not an integer in [2, 256] or when there is no finite value.
 */
export function quantileThresholds(x: ArrayLike<number>, q: number): Float64Array {
  if (!(Number.isInteger(q) && q >= 2 && q <= 256)) throw new RangeError(`invalid q: ${q}`);
  let m = 0;
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(x[i])) ++m;
  if (m === 0) throw new RangeError("invalid x: no finite value");
  const sorted = new Float64Array(m);
  for (let i = 0, j = 0; i < x.length; ++i) if (Number.isFinite(x[i])) sorted[j++] = x[i];
  sorted.sort();
  const out = new Float64Array(q - 1);
  for (let j = 1; j < q; ++j) {
    const h = ((m - 1) * j) / q;
    const lo = Math.floor(h);
    const a = sorted[lo];
    out[j - 1] = lo + 1 < m ? a + (h - lo) * (sorted[lo + 1] - a) : a;
  }
  return out;
}

export interface QuantizeOptions {
  /** Number of states q in [2, 256] for quantile binning. Default 3. Ignored with `thresholds`. */
  states?: number;
  /**
   * Fixed ascending cut points t_0 < t_1 < … (q = thresholds.length + 1 states), e.g.
   * [−1e-4, 1e-4] for down / flat / up returns. Default: the empirical q-quantiles of `x`.
   */
  thresholds?: ArrayLike<number>;
}

/**
 * Quantises real values (typically log returns) into q ordered states: the symbol of v is the
 * number of cut points t_j with t_j ≤ v (d3.scaleQuantile's bisect-right rule), so values equal
 * to a cut point go to the upper state. Cut points are fixed (`thresholds`) or the empirical
 * quantiles of `x` ({@link quantileThresholds}), which gives near-equiprobable states
 * (maximum-entropy coding) for continuous data. With heavily tied data (many zero returns in short
 * bins) quantile cut points coincide and the states are far from equiprobable; use explicit
 * thresholds there. A NaN value throws a RangeError naming its index.
 */
export function quantize(x: ArrayLike<number>, options: QuantizeOptions = {}): Uint8Array {
  let cuts: ArrayLike<number>;
  if (options.thresholds !== undefined) {
    cuts = options.thresholds;
    if (cuts.length < 1 || cuts.length > 255) throw new RangeError(`invalid thresholds: length ${cuts.length}`);
    for (let j = 0; j < cuts.length; ++j) {
      if (!(cuts[j] === cuts[j]) || (j > 0 && !(cuts[j] > cuts[j - 1]))) {
        throw new RangeError(`invalid thresholds: ${Array.from(cuts).join(", ")}`);
      }
    }
  } else {
    cuts = quantileThresholds(x, options.states ?? 3);
  }
  const n = x.length;
  const m = cuts.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; ++i) {
    const v = x[i];
    if (v !== v) throw new RangeError(`invalid value: ${v} (index ${i})`);
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}
