/**
 * Lead-time test: do spikes of an indicator precede events (e.g. volatility regime changes)
 * more often than randomly placed times do?
 */
import {deriveSeed, mulberry32} from "./random.js";
import {surrogatePValue} from "./surrogates.js";

/** Options of {@link spikeOnsets}. */
export interface SpikeOptions {
  /** Quantile probability of the finite values that defines a spike (default 0.9). */
  quantile?: number;
  /** Samples an excursion must stay at or below the threshold before a new onset counts (default 1). */
  minGap?: number;
}

/**
 * Onsets of the excursions of `x` above its `quantile` (type-7 quantile of the finite values):
 * the indices t with x[t] > threshold whose previous `minGap` samples are all at or below it
 * (or non-finite, or before the start). Counting onsets rather than every sample above the
 * threshold keeps one long excursion from counting as many spikes. Throws a RangeError for a
 * quantile outside [0, 1] or a minGap that is not a positive integer. Empty for an all-NaN x.
 */
export function spikeOnsets(x: ArrayLike<number>, options: SpikeOptions = {}): Int32Array {
  const {quantile: p = 0.9, minGap = 1} = options;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid quantile: ${p}`);
  if (!Number.isInteger(minGap) || minGap < 1) throw new RangeError(`invalid minGap: ${minGap}`);
  const values: number[] = [];
  for (let i = 0; i < x.length; ++i) if (Number.isFinite(+x[i])) values.push(+x[i]);
  if (values.length === 0) return new Int32Array(0);
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const i0 = Math.floor(h);
  const threshold = i0 + 1 < s.length ? s[i0] + (h - i0) * (s[i0 + 1] - s[i0]) : s[s.length - 1];
  const onsets: number[] = [];
  let below = minGap; // samples at or below the threshold since the last excursion
  for (let t = 0; t < x.length; ++t) {
    if (+x[t] > threshold) {
      if (below >= minGap) onsets.push(t);
      below = 0;
    } else {
      ++below;
    }
  }
  return Int32Array.from(onsets);
}

/** Options of {@link leadTest}. */
export interface LeadTestOptions {
  /** Length of the common index space (samples or windows) that spikes and events live in. */
  n: number;
  /** A spike at s is a hit when an event e has s + minLead ≤ e ≤ s + horizon. */
  horizon: number;
  /** Smallest lead counted (default 1: the event strictly after the spike). */
  minLead?: number;
  /** Random placements of the null (default 1000). */
  placements?: number;
  /** Seed of the placements (32-bit integer). */
  seed: number;
  /**
   * - `"uniform"` (default): each placement puts as many times as there are spikes uniformly at
   *   random on 0 … n − 1 − horizon (so every placed time has a full horizon; observed spikes later
   *   than that are left out of the hit rate for the same reason);
   * - `"shift"`: each placement shifts the whole spike train by a random offset, circularly over
   *   the same range: keeps the clustering of the spikes, a stricter null when spikes come in bursts.
   */
  null?: "uniform" | "shift";
}

/** Result of {@link leadTest}. */
export interface LeadTest {
  /** Spikes considered (those with a full horizon inside the series). */
  spikes: number;
  /** Spikes followed by an event within the horizon. */
  hits: number;
  /** hits / spikes (NaN without spikes). */
  hitRate: number;
  /** The hit rate of each random placement. */
  nullHitRates: Float64Array;
  /** Mean of the null hit rates: the rate expected by chance. */
  nullMean: number;
  /** One-sided p-value, (1 + #{null ≥ observed}) / (1 + placements). */
  p: number;
}

/**
 * Tests whether spikes of an indicator (e.g. {@link spikeOnsets} of the correlation length or the
 * susceptibility) precede events (e.g. change points of log realised volatility) more often than
 * chance: the hit rate — the share of spikes followed by an event within [minLead, horizon]
 * samples — against the hit rates of `placements` random placements of as many times
 * (see {@link LeadTestOptions.null}). This is the "alarm" evaluation of precursors (hit rate
 * against the rate of random alarms), e.g. Sornette, Why Stock Markets Crash (2003), ch. 9;
 * Boettiger & Hastings (2012), Proc. R. Soc. B 279: 4734, on why such tests need a null.
 *
 * Spikes and events are indices in the same space 0 … n − 1 (window indices, say), any order,
 * duplicates allowed. Only spikes at most n − 1 − horizon are counted so that each has a full
 * horizon. The hit rate of random times is about the share of the index space that lies within a
 * horizon before some event: frequent events or long horizons make any indicator look
 * prescient, which is what the null measures. Deterministic for a seed. Throws a RangeError for
 * an index outside [0, n), or invalid n, horizon, minLead or placements.
 */
export function leadTest(spikes: ArrayLike<number>, events: ArrayLike<number>, options: LeadTestOptions): LeadTest {
  const {n, horizon, minLead = 1, placements = 1000, seed, null: model = "uniform"} = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid n: ${n}`);
  if (!Number.isInteger(minLead) || minLead < 0) throw new RangeError(`invalid minLead: ${minLead}`);
  if (!Number.isInteger(horizon) || horizon < minLead || horizon >= n) throw new RangeError(`invalid horizon: ${horizon}`);
  if (!Number.isInteger(placements) || placements < 1) throw new RangeError(`invalid placements: ${placements}`);
  if (model !== "uniform" && model !== "shift") throw new RangeError(`invalid null: ${model}`);
  const check = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new RangeError(`invalid ${what}: ${v}`);
    return v;
  };
  // covered[t] = 1 when an event lies in [t + minLead, t + horizon]: a spike at t would be a hit.
  const mark = new Int32Array(n + 1);
  for (let i = 0; i < events.length; ++i) {
    const e = check(events[i], "event");
    // Spikes t with e − horizon ≤ t ≤ e − minLead.
    const lo = Math.max(0, e - horizon);
    const hi = e - minLead;
    if (hi >= lo) ++mark[lo], --mark[hi + 1];
  }
  const last = n - 1 - horizon; // latest time with a full horizon
  const covered = new Uint8Array(last + 1);
  for (let t = 0, c = 0; t <= last; ++t) covered[t] = (c += mark[t]) > 0 ? 1 : 0;

  const kept: number[] = [];
  for (let i = 0; i < spikes.length; ++i) {
    const s = check(spikes[i], "spike");
    if (s <= last) kept.push(s);
  }
  const k = kept.length;
  let hits = 0;
  for (const s of kept) hits += covered[s];
  const hitRate = k > 0 ? hits / k : NaN;

  const random = mulberry32(deriveSeed(seed, `lead-test:${model}`));
  const range = last + 1;
  const nullHitRates = new Float64Array(placements);
  let sum = 0;
  for (let j = 0; j < placements; ++j) {
    let h = 0;
    if (model === "uniform") {
      for (let i = 0; i < k; ++i) h += covered[Math.floor(random() * range)];
    } else {
      const offset = Math.floor(random() * range);
      for (let i = 0; i < k; ++i) h += covered[(kept[i] + offset) % range];
    }
    nullHitRates[j] = k > 0 ? h / k : NaN;
    sum += nullHitRates[j];
  }
  return {
    spikes: k,
    hits,
    hitRate,
    nullHitRates,
    nullMean: k > 0 ? sum / placements : NaN,
    p: k > 0 ? surrogatePValue(hitRate, nullHitRates) : NaN
  };
}
