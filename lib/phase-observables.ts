/**
 * The phase-transition observables of a binned trade series in rolling windows (chapter 04):
 * temperature (realised volatility), order parameter (net order-flow imbalance), susceptibility,
 * correlation length of returns, and the entropy of the net flow — aligned window by window so
 * they can be plotted together, classified into regimes and searched for change points.
 */
import {blockLagSums, rollingBlockCorrelationLength} from "./block-acf.js";
import type {BlockLagSums} from "./block-acf.js";
import {rollingCorrelationLength} from "./correlation-length.js";
import {rollingImbalance} from "./imbalance.js";
import {realisedVolatility} from "./realised-volatility.js";
import {logReturns} from "./returns.js";
import {activeFlowEntropy} from "./flow-entropy.js";
import {windowEnds, windowOptions} from "./rolling.js";
import type {WindowOptions} from "./rolling.js";
import {orderFlowSusceptibility} from "./susceptibility.js";
import {flowSymbols} from "./symbolize.js";

/** A regular series of bins (e.g. the 1 s bins of docs/data.md), columns of equal length. */
export interface PhaseBins {
  /** Buy-aggressor trades per bin. */
  buy: ArrayLike<number>;
  /** Sell-aggressor trades per bin. */
  sell: ArrayLike<number>;
  /** Price per bin: the last trade price carried forward (`last`); NaN before the first trade. */
  price: ArrayLike<number>;
}

/** Options of {@link phaseObservables}. */
export interface PhaseObservableOptions extends WindowOptions {
  /** Bin width in seconds (default 1), for the volatility's units. */
  interval?: number;
  /** Largest lag of the returns' autocorrelation for the correlation length (default 30 bins; capped at window − 1). */
  maxLag?: number;
  /**
   * Placement of the correlation length's crossing between lags (lib/correlation-length.ts):
   * default `"linear"`, continuous in ρ; the geometric `"log"` rule jumps where ρ(1) crosses 0,
   * and the ρ(1) of 1 s returns hovers around 0 (bid–ask bounce against short-lived momentum).
   */
  interpolation?: "log" | "linear";
  /** Skip the correlation length (NaN), the costly part (default false). */
  skipCorrelationLength?: boolean;
  /**
   * Lag sums of the log returns by blocks of `block` bins ({@link returnLagSums}), computed once
   * and reused across calls: used for ξ when `window` and `step` are multiples of the block.
   */
  returnSums?: {block: number; sums: BlockLagSums};
}

/** The observables, one entry per window (see {@link phaseObservables}). */
export interface PhaseObservables {
  /** Index of the last bin of each window. */
  end: Int32Array;
  /** Temperature: annualised realised volatility of log returns (365.25-day year; 0.5 = 50 %). */
  volatility: Float64Array;
  /** Order parameter: net imbalance (ΣB − ΣS)/(ΣB + ΣS) ∈ [−1, 1]. */
  imbalance: Float64Array;
  /** Susceptibility χ = N·Var(m) of the per-bin imbalances (1 − μ² for independent signs). */
  susceptibility: Float64Array;
  /** Correlation length of the log returns, bins (first lag below 1/e). */
  correlationLength: Float64Array;
  /** Entropy of the flow symbols over the window's bins with trades (Miller–Madow), bits; at most log2 3 (up to the correction). */
  entropy: Float64Array;
  /** Share of the window's bins with a trade. */
  active: Float64Array;
  /** Trades in the window. */
  trades: Float64Array;
}

/** Net count buys − sells and trade count buys + sells of each bin (a non-finite count reads as no trade). */
function netFlow(bins: Pick<PhaseBins, "buy" | "sell">): {net: Float64Array; count: Float64Array} {
  const n = bins.buy.length;
  if (bins.sell.length !== n) throw new RangeError(`invalid sell length: ${bins.sell.length} (buy has ${n})`);
  if (n === 0) throw new RangeError("invalid bins: empty");
  const net = new Float64Array(n);
  const count = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const b = +bins.buy[i];
    const s = +bins.sell[i];
    if (Number.isFinite(b) && Number.isFinite(s)) (net[i] = b - s), (count[i] = b + s);
  }
  return {net, count};
}

/**
 * The observables of a phase transition, by analogy with a magnet (Plerou, Gopikrishnan &
 * Stanley 2003, Nature 421: 130; Sornette, Why Stock Markets Crash, 2003), in rolling windows of
 * `window` bins advancing by `step` (lib/rolling.ts; output j belongs to the window ending at bin
 * `end[j]`):
 *
 * - temperature T = realised volatility √(Σr²) of the bins' log returns, annualised
 *   (lib/realised-volatility.ts);
 * - order parameter m = (ΣB − ΣS)/(ΣB + ΣS) (lib/imbalance.ts);
 * - susceptibility χ = Σᵢ Nᵢ(mᵢ − m̄)²/(K − 1) over the bins (lib/susceptibility.ts);
 * - correlation length ξ of the log returns, the first lag with ρ < 1/e, placed linearly between
 *   lags by default (lib/correlation-length.ts;
 *   when g = gcd(window, step) ≥ maxLag, from per-block lag sums over blocks of g bins,
 *   lib/block-acf.ts, which is far faster and differs by O(maxLag/window) in ρ);
 * - entropy H of the flow symbols (lib/symbolize.ts `flowSymbols`: selling / balanced / buying /
 *   no trade) over the window's bins with trades, Miller–Madow corrected (lib/flow-entropy.ts):
 *   low when the flow is one-sided, and not lowered by bins without trades (the same entropy of
 *   the flow as chapters 03 and 06); `active` is the share of bins with trades.
 *
 * Empty windows give NaN where an observable needs trades. Throws a RangeError for columns of
 * different lengths, invalid window options, interval or maxLag. Cost O(n·maxLag) plus, for ξ,
 * O(windows · (window/g) · maxLag) by blocks or O(windows · window log maxLag) otherwise.
 */
export function phaseObservables(bins: PhaseBins, options: PhaseObservableOptions): PhaseObservables {
  const {window, step} = windowOptions(options, 2);
  const {interval = 1, maxLag = 30, skipCorrelationLength = false, interpolation = "linear"} = options;
  if (!(interval > 0 && interval < Infinity)) throw new RangeError(`invalid interval: ${interval}`);
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new RangeError(`invalid maxLag: ${maxLag}`);
  const n = bins.buy.length;
  if (bins.price.length !== n) throw new RangeError(`invalid price length: ${bins.price.length} (buy has ${n})`);
  const flow = netFlow(bins);
  const end = windowEnds(n, {window, step});
  const r = logReturns(bins.price, {align: "end"});
  const volatility = realisedVolatility(r, {window, step, scale: "year", interval});
  const imbalance = rollingImbalance(bins.buy, bins.sell, {window, step});
  const susceptibility = orderFlowSusceptibility(bins.buy, bins.sell, {window, step});
  let correlationLength: Float64Array;
  if (skipCorrelationLength) {
    correlationLength = new Float64Array(end.length).fill(NaN);
  } else {
    const lag = Math.min(maxLag, window - 1);
    const given = options.returnSums;
    const g = given && window % given.block === 0 && step % given.block === 0 && given.sums.maxLag >= lag ? given.block : gcd(window, step);
    if (g >= lag && g > 1) {
      // Windows made of whole blocks of g bins: lag sums once per block, then each window's ACF
      // from its blocks (lib/block-acf.ts), O(n·maxLag + windows·(window/g)·maxLag).
      const sums = given && g === given.block ? given.sums : returnLagSums(bins.price, {block: g, maxLag: lag});
      if (sums.blocks !== Math.floor(n / g)) throw new RangeError(`invalid returnSums: ${sums.blocks} blocks (expected ${Math.floor(n / g)})`);
      correlationLength = rollingBlockCorrelationLength(sums, {window: window / g, step: step / g, maxLag: lag, interpolation}).slice(0, end.length);
    } else {
      correlationLength = rollingCorrelationLength(finiteReturns(bins.price), {window, step, maxLag: lag, interpolation});
    }
  }
  const h = activeFlowEntropy(flowSymbols(flow.net, flow.count), {window, step, estimator: "miller-madow"});
  const entropy = new Float64Array(end.length);
  const active = new Float64Array(end.length);
  const trades = new Float64Array(end.length);
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) {
    const v = +bins.buy[i] + +bins.sell[i];
    cum[i + 1] = cum[i] + (Number.isFinite(v) ? v : 0);
  }
  for (let j = 0; j < end.length; ++j) {
    entropy[j] = h.entropy[end[j]];
    active[j] = h.active[end[j]];
    trades[j] = cum[end[j] + 1] - cum[end[j] + 1 - window];
  }
  return {end, volatility, imbalance, susceptibility, correlationLength, entropy, active, trades};
}

/**
 * Log returns of a price series with the leading NaN returns (before the first trade, and the
 * first bin) set to 0 — no move — so that windows at the start are not lost; with the last price
 * carried forward, later returns are finite.
 */
function finiteReturns(price: ArrayLike<number>): Float64Array {
  const r = logReturns(price, {align: "end"});
  for (let i = 0; i < r.length && !Number.isFinite(r[i]); ++i) r[i] = 0;
  return r;
}

/**
 * Lag sums (lib/block-acf.ts `blockLagSums`, lags 0 … maxLag) of the log returns of `price` by
 * consecutive blocks of `block` bins from the first bin (a trailing partial block is left out),
 * for {@link PhaseObservableOptions.returnSums}. Leading NaN returns count as 0. Throws a
 * RangeError for an invalid block or maxLag, or a NaN return after the first trade.
 */
export function returnLagSums(price: ArrayLike<number>, {block, maxLag}: {block: number; maxLag: number}): BlockLagSums {
  if (!Number.isInteger(block) || block < 1) throw new RangeError(`invalid block: ${block}`);
  const r = finiteReturns(price);
  const blocks = Math.floor(r.length / block);
  if (blocks < 1) throw new RangeError(`invalid block: ${block} (series of ${r.length})`);
  const bounds = new Int32Array(blocks + 1);
  for (let b = 0; b <= blocks; ++b) bounds[b] = b * block;
  return blockLagSums(r, bounds, maxLag);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
