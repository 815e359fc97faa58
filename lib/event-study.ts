/**
 * Event studies on a regular grid: find the moments an indicator crosses a threshold, then ask
 * whether what follows them (a forward return) agrees in sign with a direction known at the
 * event (a flow imbalance) more often than chance, and more often than at randomly chosen times.
 *
 * References: A. C. MacKinlay, "Event studies in economics and finance", Journal of Economic
 * Literature 35 (1997) 13–39; C. J. Clopper and E. S. Pearson, Biometrika 26 (1934) 404 (exact
 * binomial test, lib/binomial-test.ts); P. Good, "Permutation, Parametric and Bootstrap Tests of
 * Hypotheses" (2005); B. V. North, D. Curtis and P. C. Sham, AJHG 71 (2002) 439 (Monte Carlo
 * p-values).
 */
import {binomialTest} from "./binomial-test.js";
import {deriveSeed, mulberry32} from "./random.js";

export interface CrossingOptions {
  /** `"down"` (default): from ≥ threshold to < threshold; `"up"`: from ≤ threshold to > threshold. */
  direction?: "down" | "up";
  /** Smallest distance in samples between two reported crossings (a refractory period, ≥ 1). Default 1. */
  minGap?: number;
}

/**
 * Indices t at which `x` crosses `threshold`: for `"down"`, x[t] < threshold while the previous
 * finite value was ≥ threshold (for `"up"`, x[t] > threshold after a value ≤ threshold). NaN
 * values are skipped (they neither start nor end an excursion), so the first finite value never
 * counts as a crossing. A crossing closer than `minGap` samples to the previous reported one is
 * ignored, so that one noisy excursion gives one event. Ascending Int32Array. RangeError for a
 * NaN threshold, an unknown direction or a minGap that is not a positive integer.
 */
export function thresholdCrossings(x: ArrayLike<number>, threshold: number, options: CrossingOptions = {}): Int32Array {
  const {direction = "down", minGap = 1} = options;
  if (threshold !== threshold) throw new RangeError(`invalid threshold: ${threshold}`);
  if (direction !== "down" && direction !== "up") throw new RangeError(`invalid direction: ${direction}`);
  if (!(Number.isInteger(minGap) && minGap >= 1)) throw new RangeError(`invalid minGap: ${minGap}`);
  const sign = direction === "down" ? -1 : 1;
  const out: number[] = [];
  let previous = NaN;
  let last = -Infinity;
  for (let t = 0, n = x.length; t < n; ++t) {
    const v = +x[t];
    if (v !== v) continue;
    const beyond = sign * (v - threshold) > 0;
    if (beyond && previous === previous && !(sign * (previous - threshold) > 0) && t - last >= minGap) {
      out.push(t);
      last = t;
    }
    previous = v;
  }
  return Int32Array.from(out);
}

export interface HitRateOptions {
  /** Random placements of the permutation null. Default 999. */
  permutations?: number;
  /** Seed of the placements (lib/random.ts). Default 0. */
  seed?: number;
}

export interface HitRateTest {
  /** Usable events: direction and outcome both finite and non-zero. */
  events: number;
  /** Events whose outcome has the sign of their direction. */
  hits: number;
  /** hits / events (NaN without a usable event). */
  hitRate: number;
  /** Exact two-sided binomial p-value of the hits against a fair coin (p = 1/2). */
  pBinomial: number;
  /** Usable times in the whole series (the pool the null draws from). */
  pool: number;
  /** The hit rate over every usable time of the series: the unconditional agreement of sign. */
  baseline: number;
  /** Mean hit rate of the random placements. */
  nullMean: number;
  /** Hit rates of the random placements, in draw order. */
  nullHitRates: Float64Array;
  /**
   * Two-sided permutation p-value: (1 + #{|h_s − nullMean| ≥ |hitRate − nullMean|}) / (1 + S),
   * each placement putting as many events as observed at distinct times drawn uniformly from the
   * usable pool.
   */
  pPermutation: number;
}

/**
 * Hit rate of events: for each event index i, a hit when sign(outcome[i]) = sign(direction[i])
 * (e.g. the return over the next two minutes against the flow imbalance at the event). Events
 * with a zero or non-finite direction or outcome are left out (no call, or no move), as are
 * duplicates and indices outside the series. Two tests: the exact binomial test against 1/2
 * (valid when calls are independent and up and down equally likely), and a permutation test
 * against as many times drawn at random from the series' usable times, which keeps whatever
 * unconditional agreement between direction and outcome the series has (a trend in both during
 * a crash, for instance). `direction` and `outcome` must have the same length.
 */
export function hitRateTest(
  events: ArrayLike<number>,
  direction: ArrayLike<number>,
  outcome: ArrayLike<number>,
  options: HitRateOptions = {}
): HitRateTest {
  const {permutations: S = 999, seed = 0} = options;
  if (!(Number.isInteger(S) && S >= 0)) throw new RangeError(`invalid permutations: ${S}`);
  const n = direction.length;
  if (outcome.length !== n) throw new RangeError(`invalid outcome: length ${outcome.length} differs from direction length ${n}`);
  // hit[t]: 1 hit, 0 miss, −1 unusable.
  const hit = new Int8Array(n);
  let pool = 0;
  let poolHits = 0;
  for (let t = 0; t < n; ++t) {
    const d = +direction[t];
    const o = +outcome[t];
    if (!(d !== 0 && o !== 0 && Number.isFinite(d) && Number.isFinite(o))) {
      hit[t] = -1;
      continue;
    }
    const h = d > 0 === o > 0 ? 1 : 0;
    hit[t] = h;
    ++pool;
    poolHits += h;
  }
  const seen = new Uint8Array(n);
  let m = 0;
  let hits = 0;
  for (let j = 0; j < events.length; ++j) {
    const i = events[j];
    if (!(Number.isInteger(i) && i >= 0 && i < n) || seen[i] || hit[i] < 0) continue;
    seen[i] = 1;
    ++m;
    hits += hit[i];
  }
  const hitRate = m > 0 ? hits / m : NaN;
  const nullHitRates = new Float64Array(m > 0 ? S : 0);
  let nullMean = NaN;
  let pPermutation = NaN;
  if (m > 0 && S > 0) {
    // Indicators of the usable pool, drawn m at a time without replacement (partial Fisher–Yates).
    const values = new Uint8Array(pool);
    for (let t = 0, j = 0; t < n; ++t) if (hit[t] >= 0) values[j++] = hit[t];
    const random = mulberry32(deriveSeed(seed, "hit-rate"));
    let sum = 0;
    for (let s = 0; s < S; ++s) {
      let h = 0;
      for (let j = 0; j < m; ++j) {
        const r = j + Math.floor(random() * (pool - j));
        const v = values[r];
        values[r] = values[j];
        values[j] = v;
        h += v;
      }
      nullHitRates[s] = h / m;
      sum += h / m;
    }
    nullMean = sum / S;
    const bar = Math.abs(hitRate - nullMean) - 1e-12;
    let count = 0;
    for (let s = 0; s < S; ++s) if (Math.abs(nullHitRates[s] - nullMean) >= bar) ++count;
    pPermutation = (1 + count) / (1 + S);
  }
  return {
    events: m,
    hits,
    hitRate,
    pBinomial: m > 0 ? binomialTest(hits, m) : NaN,
    pool,
    baseline: pool > 0 ? poolHits / pool : NaN,
    nullMean,
    nullHitRates,
    pPermutation
  };
}

export interface IntervalShareOptions {
  /** Random circular shifts of the null. Default 999. */
  shifts?: number;
  /** Smallest shift, in samples (the null avoids near-identity shifts). Default ⌊n/20⌋. */
  minShift?: number;
  /** Seed of the shifts (lib/random.ts). Default 0. */
  seed?: number;
}

export interface IntervalShareTest {
  /** Flagged samples in the whole series. */
  flagged: number;
  /** Share of the flagged samples that fall in [start, end). */
  share: number;
  /** (end − start) / n: the share expected when flags ignore the interval. */
  expected: number;
  /** Mean share over the circular shifts. */
  nullMean: number;
  /** One-sided p-value (1 + #{shifted share ≥ share}) / (1 + S). */
  pValue: number;
}

/**
 * Do flagged samples (e.g. low-entropy seconds) concentrate in the interval [start, end) (e.g. a
 * crash)? The share of flags inside the interval is compared with the shares after S random
 * circular shifts of the flag series by d ∈ [minShift, n − minShift], which keep the flags' own
 * clustering (a plain binomial count would treat clustered flags as independent and overstate the
 * significance). Each shift costs O(1) with a prefix sum. NaN share without any flag. RangeError
 * for an interval outside [0, n] or empty.
 */
export function intervalShareTest(flag: ArrayLike<number>, start: number, end: number, options: IntervalShareOptions = {}): IntervalShareTest {
  const n = flag.length;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= n)) throw new RangeError(`invalid interval: [${start}, ${end})`);
  const {shifts: S = 999, seed = 0} = options;
  const minShift = options.minShift ?? Math.max(1, Math.floor(n / 20));
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid shifts: ${S}`);
  if (!(Number.isInteger(minShift) && minShift >= 1 && 2 * minShift <= n)) throw new RangeError(`invalid minShift: ${minShift}`);
  const prefix = new Float64Array(2 * n + 1);
  for (let i = 0; i < 2 * n; ++i) prefix[i + 1] = prefix[i] + (flag[i % n] ? 1 : 0);
  const flagged = prefix[n];
  const share = flagged > 0 ? (prefix[end] - prefix[start]) / flagged : NaN;
  const random = mulberry32(deriveSeed(seed, "interval-share"));
  const span = n - 2 * minShift + 1;
  let count = 0;
  let sum = 0;
  for (let s = 0; s < S; ++s) {
    // Shifting the flags by d is reading the interval at [start + d, end + d) mod n.
    const d = minShift + Math.floor(random() * span);
    const v = flagged > 0 ? (prefix[end + d] - prefix[start + d]) / flagged : NaN;
    sum += v;
    if (v >= share - 1e-12) ++count;
  }
  return {flagged, share, expected: (end - start) / n, nullMean: sum / S, pValue: flagged > 0 ? (1 + count) / (1 + S) : NaN};
}
