/**
 * Reversion at price levels known in advance: the levels found in each rolling window are tested
 * on the prices that follow it, against random levels drawn from the same window — an
 * out-of-sample version of the support-and-resistance test of support-resistance.ts.
 */
import {mulberry32} from "./random.js";
import {priceOrder, reversionRate, type ReversionOptions} from "./support-resistance.js";

/** Options of {@link walkForwardReversion}. */
export interface WalkForwardReversionOptions extends ReversionOptions {
  /** Index of the last sample of each window (e.g. `windowEnds` in rolling.ts); ascending. */
  end: ArrayLike<number>;
  /** Samples each window's levels are used for after its end (an integer ≥ 1), e.g. the windows' stride. */
  stride: number;
  /** Window length in samples (an integer ≥ 1): random levels are drawn from its prices. */
  window: number;
  /** Random level sets (an integer ≥ 1; default 999). */
  surrogates?: number;
  /** Seed of the random levels (default 0). */
  seed?: number;
}

/** Walk-forward reversion at levels and at random levels (see {@link walkForwardReversion}). */
export interface WalkForwardReversion {
  /** Touches counted, pooled over windows and levels. */
  touches: number;
  /** Touches followed by a reversal. */
  reversals: number;
  /** reversals / touches (NaN without touches). */
  rate: number;
  /** Pooled reversion rate at the random levels. */
  baseline: number;
  /** Touches at the random levels, per random set. */
  baselineTouches: number;
  /** One-sided p = (1 + #{random sets with a rate ≥ the observed one})/(B + 1). */
  pValue: number;
  /** Number of levels tested (all windows). */
  levels: number;
}

/**
 * Reversion at levels used only after they are known: window j's levels (`levels[j]`, found in
 * the `window` samples ending at `end[j]`) are tested on the samples end[j] + 1 … end[j] + stride
 * with `reversionRate` (support-resistance.ts: a touch is an entry into level ± tolerance, a
 * reversal a move of `reversal` back to the side price came from within `horizon` samples before
 * one of `reversal` through the level; the horizon may reach past the stride). Touches and
 * reversals are pooled over windows and levels. The baseline repeats the test B times with each
 * window's levels replaced by as many prices drawn uniformly from the window's own samples (so
 * random levels sit where price traded, in proportion to the time spent there: Osler 2000,
 * FRBNY Economic Policy Review 6(2): 53), from `mulberry32(seed)`; the p-value is the share of
 * random sets reverting at least as often, p = (1 + #{r_b ≥ r})/(B + 1).
 *
 * Using each window's levels only after its end keeps the test free of look-ahead: the levels
 * could have been drawn on a chart at the time of the touch. Touches without a full horizon
 * before the series' end are not counted. Throws like `reversionRate`, for a `levels` list of
 * another length than `end`, and for an invalid stride, window or surrogate count.
 */
export function walkForwardReversion(
  price: ArrayLike<number>,
  levels: ArrayLike<ArrayLike<number>>,
  options: WalkForwardReversionOptions
): WalkForwardReversion {
  const {end, stride, window, surrogates = 999, seed = 0, tolerance, reversal, horizon} = options;
  if (levels.length !== end.length) throw new RangeError(`invalid levels length: ${levels.length} (${end.length} windows)`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`invalid stride: ${stride}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window: ${window}`);
  if (!Number.isInteger(surrogates) || surrogates < 1) throw new RangeError(`invalid surrogates: ${surrogates}`);
  const n = price.length;
  const rev = {tolerance, reversal, horizon};
  const segment = (j: number) => sub(price, +end[j], Math.min(n, +end[j] + stride + horizon + 1));
  // Each window's segment is searched at its own levels and at B random sets: its price order is made once.
  const orders: Int32Array[] = [];
  const rate = (j: number, at: ArrayLike<number>) => reversionRate(segment(j), at, rev, (orders[j] ??= priceOrder(segment(j))));
  let touches = 0;
  let reversals = 0;
  let count = 0;
  for (let j = 0; j < end.length; ++j) {
    count += levels[j].length;
    if (levels[j].length === 0) continue;
    const r = rate(j, levels[j]);
    touches += r.touches;
    reversals += r.reversals;
  }
  const observed = touches ? reversals / touches : NaN;
  const random = mulberry32(seed);
  let baseTouches = 0;
  let baseReversals = 0;
  let exceed = 0;
  const drawn = new Float64Array(Math.max(1, ...Array.from(levels, (l) => l.length)));
  for (let b = 0; b < surrogates; ++b) {
    let t = 0;
    let r = 0;
    for (let j = 0; j < end.length; ++j) {
      const m = levels[j].length;
      if (m === 0) continue;
      const start = Math.max(0, +end[j] - window + 1);
      const span = +end[j] - start + 1;
      for (let k = 0; k < m; ++k) drawn[k] = +price[start + Math.floor(random() * span)];
      const res = rate(j, drawn.subarray(0, m));
      t += res.touches;
      r += res.reversals;
    }
    baseTouches += t;
    baseReversals += r;
    if (t > 0 && r / t >= observed) ++exceed;
  }
  return {
    touches,
    reversals,
    rate: observed,
    baseline: baseTouches ? baseReversals / baseTouches : NaN,
    baselineTouches: baseTouches / surrogates,
    pValue: Number.isNaN(observed) ? NaN : (1 + exceed) / (surrogates + 1),
    levels: count
  };
}

function sub(a: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  const s = a as unknown as {subarray?: (a: number, b: number) => ArrayLike<number>};
  return typeof s.subarray === "function" ? s.subarray(start, end) : Array.prototype.slice.call(a, start, end);
}
