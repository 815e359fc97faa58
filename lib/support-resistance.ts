/**
 * Traditional support and resistance: volume-profile peaks and swing pivots, the overlap of two
 * sets of levels, and how often price reverses at a set of levels compared with random levels —
 * the chartist's counterpart of the free-energy minima of chapter 05.
 */
import {findPeaks} from "./extrema.js";
import {mulberry32} from "./random.js";

/** Options of {@link volumeProfile}. */
export interface VolumeProfileOptions {
  /** Width of a price bucket (> 0), in price units. */
  bucket: number;
  /** Lower edge of some bucket (default 0: buckets at multiples of `bucket`). */
  origin?: number;
}

/** Traded volume by price bucket (see {@link volumeProfile}). */
export interface VolumeProfile {
  /** Lower edge of each bucket; bucket k covers [lower[k], lower[k] + bucket). */
  lower: Float64Array;
  /** Centre of each bucket. */
  price: Float64Array;
  /** Volume traded in each bucket. */
  volume: Float64Array;
  /** The bucket width. */
  bucket: number;
}

/**
 * The volume profile ("volume at price"): the total `volume` traded with a price in each bucket
 * [origin + k·bucket, origin + (k + 1)·bucket), over the buckets from the lowest to the highest
 * price traded (Steidlmayer's market profile; Dalton, Jones & Dalton 1990, Mind Over Markets).
 * Pass trades (price, qty) or bars (vwap or close, volume).
 *
 * Pairs with a non-finite price or a non-finite or negative volume are skipped. Empty profile if
 * none remain. Throws a RangeError for a bucket that is not positive, a non-finite origin,
 * mismatched lengths, or more than 10⁷ buckets (a bucket far too small for the range).
 */
export function volumeProfile(price: ArrayLike<number>, volume: ArrayLike<number>, options: VolumeProfileOptions): VolumeProfile {
  const {bucket, origin = 0} = options;
  if (!(bucket > 0 && bucket < Infinity)) throw new RangeError(`invalid bucket: ${bucket}`);
  if (!Number.isFinite(origin)) throw new RangeError(`invalid origin: ${origin}`);
  if (volume.length !== price.length) throw new RangeError(`invalid volume length: ${volume.length} (price has ${price.length})`);
  let kMin = Infinity;
  let kMax = -Infinity;
  const ok = (i: number) => Number.isFinite(+price[i]) && +volume[i] >= 0 && +volume[i] < Infinity;
  for (let i = 0; i < price.length; ++i) {
    if (!ok(i)) continue;
    const k = Math.floor((+price[i] - origin) / bucket);
    if (k < kMin) kMin = k;
    if (k > kMax) kMax = k;
  }
  const size = kMax >= kMin ? kMax - kMin + 1 : 0;
  if (size > 1e7) throw new RangeError(`invalid bucket: ${bucket} (${size} buckets)`);
  const lower = new Float64Array(size);
  const centre = new Float64Array(size);
  const vol = new Float64Array(size);
  for (let k = 0; k < size; ++k) {
    lower[k] = origin + (kMin + k) * bucket;
    centre[k] = lower[k] + bucket / 2;
  }
  for (let i = 0; i < price.length; ++i) {
    if (!ok(i)) continue;
    vol[Math.floor((+price[i] - origin) / bucket) - kMin] += +volume[i];
  }
  return {lower, price: centre, volume: vol, bucket};
}

/** Options of {@link volumeProfilePeaks}. */
export interface VolumeProfilePeakOptions extends VolumeProfileOptions {
  /** Keep only peaks with at least this prominence, in volume units (≥ 0; default 0). */
  minProminence?: number;
}

/** Peaks of a volume profile, ascending in price. */
export interface VolumeProfilePeaks {
  /** Bucket centre of each peak (the level). */
  price: Float64Array;
  /** Volume in the peak's bucket. */
  volume: Float64Array;
  /** The peak's topographic prominence, in volume units. */
  prominence: Float64Array;
  /** The profile the peaks were found in. */
  profile: VolumeProfile;
}

/**
 * Support and resistance from the volume profile: the local maxima of traded volume by price
 * bucket ("high-volume nodes"), with their topographic prominence (`prominences` in extrema.ts),
 * keeping those at least `minProminence` high. The profile is padded with an empty bucket at
 * each end, so the lowest or highest bucket can be a peak. Throws like {@link volumeProfile}
 * and for a negative `minProminence`.
 */
export function volumeProfilePeaks(
  price: ArrayLike<number>,
  volume: ArrayLike<number>,
  options: VolumeProfilePeakOptions
): VolumeProfilePeaks {
  const profile = volumeProfile(price, volume, options);
  const m = profile.volume.length;
  const padded = new Float64Array(m + 2);
  padded.set(profile.volume, 1);
  const peaks = findPeaks(padded, {kind: "max", minProminence: options.minProminence ?? 0});
  const count = peaks.index.length;
  const out = {price: new Float64Array(count), volume: new Float64Array(count), prominence: peaks.prominence, profile};
  for (let k = 0; k < count; ++k) {
    out.price[k] = profile.price[peaks.index[k] - 1];
    out.volume[k] = profile.volume[peaks.index[k] - 1];
  }
  return out;
}

/** Swing highs and lows (see {@link swingPivots}). */
export interface SwingPivots {
  /** Indices of the swing highs, ascending. */
  highs: Int32Array;
  /** Indices of the swing lows, ascending. */
  lows: Int32Array;
}

/**
 * Swing highs and lows as fractal pivots: bar i is a swing high when high[i] is strictly
 * greater than the highs of the `window` bars on each side, and a swing low when low[i] is
 * strictly less than the lows of the `window` bars on each side (Williams 1995, Trading Chaos:
 * window = 2, the five-bar fractal). Ties give no pivot; the first and last `window` bars cannot
 * be pivots (a pivot is confirmed only `window` bars later). Pass one series (e.g. closes) for
 * both, or bar highs and lows.
 *
 * A NaN within a bar's neighbourhood prevents that pivot. Throws a RangeError for a window that
 * is not a positive integer or mismatched lengths.
 */
export function swingPivots(high: ArrayLike<number>, low: ArrayLike<number> = high, options: {window?: number} = {}): SwingPivots {
  const {window = 2} = options;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window: ${window}`);
  if (low.length !== high.length) throw new RangeError(`invalid low length: ${low.length} (high has ${high.length})`);
  const n = high.length;
  const highs: number[] = [];
  const lows: number[] = [];
  for (let i = window; i + window < n; ++i) {
    const h = +high[i];
    const l = +low[i];
    let isHigh = Number.isFinite(h);
    let isLow = Number.isFinite(l);
    for (let j = i - window; j <= i + window && (isHigh || isLow); ++j) {
      if (j === i) continue;
      if (!(+high[j] < h)) isHigh = false;
      if (!(+low[j] > l)) isLow = false;
    }
    if (isHigh) highs.push(i);
    if (isLow) lows.push(i);
  }
  return {highs: Int32Array.from(highs), lows: Int32Array.from(lows)};
}

/** The overlap of two level sets (see {@link levelOverlap}). */
export interface LevelOverlap {
  /** Share of the levels of a that have a level of b within the tolerance (NaN if a is empty). */
  shareA: number;
  /** Share of the levels of b that have a level of a within the tolerance (NaN if b is empty). */
  shareB: number;
  /** 1 for each level of a that is matched. */
  matchedA: Uint8Array;
  /** 1 for each level of b that is matched. */
  matchedB: Uint8Array;
}

/**
 * How much two sets of levels agree (e.g. free-energy minima against volume-profile peaks): a
 * level of a is matched when some level of b lies within `tolerance` (|a_i − b_j| ≤ tolerance),
 * and conversely; the shares of each set matched are reported separately because the sets may
 * differ in size (a precision/recall pair; their harmonic mean is the F1 score of one set as a
 * detector of the other). Not one-to-one: one level may match several.
 *
 * Non-finite levels count as unmatched. Throws a RangeError for a negative or NaN tolerance.
 */
export function levelOverlap(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): LevelOverlap {
  if (!(tolerance >= 0)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  const sortedB = Float64Array.from(b).sort();
  const sortedA = Float64Array.from(a).sort();
  const matchedA = new Uint8Array(a.length);
  const matchedB = new Uint8Array(b.length);
  for (let i = 0; i < a.length; ++i) matchedA[i] = hasNear(sortedB, +a[i], tolerance) ? 1 : 0;
  for (let j = 0; j < b.length; ++j) matchedB[j] = hasNear(sortedA, +b[j], tolerance) ? 1 : 0;
  const share = (m: Uint8Array) => (m.length ? m.reduce((s, v) => s + v, 0) / m.length : NaN);
  return {shareA: share(matchedA), shareB: share(matchedB), matchedA, matchedB};
}

/** Options of {@link reversionRate} and {@link reversionTest}. */
export interface ReversionOptions {
  /** Half-width of the band that counts as touching a level (≥ 0), in price units. */
  tolerance: number;
  /** The move back, away from the level on the side price came from, that counts as a reversal (> 0). */
  reversal: number;
  /** How many samples after the touch the reversal may take (an integer ≥ 1). */
  horizon: number;
}

/** Touches and reversals at a set of levels. */
export interface Reversion {
  /** Touches counted (with a full horizon after them). */
  touches: number;
  /** Touches followed by a reversal. */
  reversals: number;
  /** reversals / touches (NaN without touches). */
  rate: number;
}

/**
 * The reversion rate of `price` at `levels`: of the touches of a level — a sample within
 * level ± tolerance whose predecessor was outside the band — the share followed, within
 * `horizon` samples, by a move of at least `reversal` back to the side price came from
 * (price ≥ level + reversal after an approach from above, ≤ level − reversal from below) before
 * the price breaks through by the same amount on the other side. Touches of all levels are
 * pooled; a touch too close to the end for a full horizon is not counted (Osler 2000, Federal
 * Reserve Bank of New York Economic Policy Review 6(2): 53, the "bounce" criterion).
 *
 * Non-finite prices are never in a band and never confirm a move. Throws a RangeError for a
 * negative tolerance, a reversal that is not positive, or a horizon that is not a positive integer.
 *
 * The samples within a level's band are found by binary search in `order` (the finite samples in
 * ascending price, {@link priceOrder}; built when not given, and worth passing when the same
 * prices are tested at many level sets): fl(p − level) does not decrease as p grows, so they are
 * one run of the order. Cost O(m·log n + the samples in the bands · horizon) for m levels, against
 * O(m·n) for scanning every sample at every level; the counts are the same.
 */
export function reversionRate(price: ArrayLike<number>, levels: ArrayLike<number>, options: ReversionOptions, order: Int32Array = priceOrder(price)): Reversion {
  const {tolerance, reversal, horizon} = checkReversion(options);
  let touches = 0;
  let reversals = 0;
  const n = price.length;
  for (let k = 0; k < levels.length; ++k) {
    const level = +levels[k];
    if (!Number.isFinite(level)) continue;
    // The first sample in price order with p − level ≥ −tolerance, then every one with p − level ≤ tolerance.
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (+price[order[mid]] - level >= -tolerance) hi = mid;
      else lo = mid + 1;
    }
    for (let q = lo; q < order.length; ++q) {
      const i = order[q];
      if (!(+price[i] - level <= tolerance)) break;
      if (i < 1 || i + horizon >= n) continue;
      const prev = +price[i - 1] - level;
      if (!(Math.abs(prev) > tolerance && Number.isFinite(prev))) continue;
      ++touches;
      const side = prev > 0 ? 1 : -1;
      for (let j = i + 1; j <= i + horizon; ++j) {
        const d = side * (+price[j] - level);
        if (d >= reversal) {
          ++reversals;
          break;
        }
        if (d <= -reversal) break;
      }
    }
  }
  return {touches, reversals, rate: touches ? reversals / touches : NaN};
}

/** The indices of the finite samples of `price` in ascending price (ties in index order): the search order of {@link reversionRate}. */
export function priceOrder(price: ArrayLike<number>): Int32Array {
  let m = 0;
  for (let i = 0; i < price.length; ++i) if (Number.isFinite(+price[i])) ++m;
  const order = new Int32Array(m);
  for (let i = 0, q = 0; i < price.length; ++i) if (Number.isFinite(+price[i])) order[q++] = i;
  return order.sort((a, b) => +price[a] - +price[b] || a - b);
}

/** A reversion rate against random levels (see {@link reversionTest}). */
export interface ReversionTest extends Reversion {
  /** The pooled reversion rate at the random level sets. */
  baseline: number;
  /** Touches at the random levels, per random set (on average). */
  baselineTouches: number;
  /** p = (1 + #{random sets with a rate ≥ the observed one})/(B + 1), one-sided. */
  pValue: number;
}

/**
 * {@link reversionRate} at `levels` against random levels: B sets of as many levels, each level
 * the price at a uniformly drawn sample (so random levels sit where price actually trades, in
 * proportion to the time spent there — Osler 2000's "artificial levels"), from
 * `mulberry32(seed)`. Reports the observed rate, the pooled rate at the random sets, and the
 * one-sided permutation-style p-value of the observed rate being that high by chance. A random
 * level can land on a real one, which makes the test conservative; with a single level the
 * p-value cannot fall below about the share of time spent near it. Cost
 * O((B + 1)·m·n) for m levels over n samples.
 *
 * Throws like {@link reversionRate}, and for a surrogate count that is not a positive integer.
 */
export function reversionTest(
  price: ArrayLike<number>,
  levels: ArrayLike<number>,
  options: ReversionOptions & {surrogates?: number; seed?: number}
): ReversionTest {
  const {surrogates = 999, seed = 0} = options;
  if (!Number.isInteger(surrogates) || surrogates < 1) throw new RangeError(`invalid surrogates: ${surrogates}`);
  const order = priceOrder(price);
  const observed = reversionRate(price, levels, options, order);
  const finite: number[] = [];
  for (let i = 0; i < price.length; ++i) if (Number.isFinite(+price[i])) finite.push(+price[i]);
  const random = mulberry32(seed);
  const m = levels.length;
  const drawn = new Float64Array(m);
  let touches = 0;
  let reversals = 0;
  let exceed = 0;
  for (let b = 0; b < surrogates; ++b) {
    for (let k = 0; k < m; ++k) drawn[k] = finite.length ? finite[Math.floor(random() * finite.length)] : NaN;
    const r = reversionRate(price, drawn, options, order);
    touches += r.touches;
    reversals += r.reversals;
    if (r.rate >= observed.rate) ++exceed;
  }
  return {
    ...observed,
    baseline: touches ? reversals / touches : NaN,
    baselineTouches: touches / surrogates,
    pValue: Number.isNaN(observed.rate) ? NaN : (1 + exceed) / (surrogates + 1)
  };
}

function checkReversion(options: ReversionOptions): ReversionOptions {
  const {tolerance, reversal, horizon} = options;
  if (!(tolerance >= 0 && tolerance < Infinity)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  if (!(reversal > 0 && reversal < Infinity)) throw new RangeError(`invalid reversal: ${reversal}`);
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`invalid horizon: ${horizon}`);
  return {tolerance, reversal, horizon};
}

/** Whether the ascending array holds a value within tol of v (binary search). */
function hasNear(sorted: Float64Array, v: number, tol: number): boolean {
  if (!Number.isFinite(v)) return false;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v - tol) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] <= v + tol;
}
