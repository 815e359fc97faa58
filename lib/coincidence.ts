/**
 * Event coincidence analysis: do events of one kind (entropy drops, say) fall within a tolerance
 * of events of other kinds (regime transitions, escapes from metastable levels) more often than
 * chance allows?
 *
 * The statistic is the number of reference events that have, for every other series, at least
 * one event of that series within ±tolerance (a pairwise test with one other series, a triple
 * coincidence with two). Its null distribution comes from surrogates of the reference series
 * drawn over the observation span with a seeded generator, the other series kept as observed:
 * uniform "shuffles" of its event times (same count, independent uniform times), or circular
 * shifts (the whole series rotated by one uniform offset, wrapping at the span's end, which keeps
 * its own spacing and clustering). Keeping the other series fixed keeps whatever structure they
 * have — their clustering, and their association with each other in a joint test — so the test
 * asks only whether the reference events sit where the others are more often than random times
 * would; a set of random reference times is then a draw from the null, and such a control is
 * rejected at level α in at most a share α of draws.
 *
 * Conditioning on a common cause: when both kinds of events crowd into the same period (a crash
 * that makes every detector fire), they coincide more than uniform times would even if, within
 * that period, they are unrelated. With `strata` (boundaries that cut the span into periods) the
 * surrogate reference times stay in the period each event fell in — each drawn uniformly in it,
 * or each period's events rotated by one offset within it — so the null keeps how many reference
 * events each period holds and asks only whether they sit closer to the others than random times
 * of the same period would (a stratified permutation test: Good, Permutation Tests, 2nd ed. 2000,
 * §3.5).
 *
 * Times are plain numbers in any one unit (ms in this project); series need not be sorted.
 *
 * References: J. F. Donges, C.-F. Schleussner, J. F. Siegmund and R. V. Donner, "Event coincidence
 * analysis for quantifying statistical interrelationships between event time series", European
 * Physical Journal Special Topics 225 (2016) 471–487 (coincidence rates and their shuffle tests);
 * R. Quian Quiroga, T. Kreuz and P. Grassberger, "Event synchronization", Physical Review E 66
 * (2002) 041904; S. Grün, "Data-driven significance estimation for precise spike correlation",
 * Journal of Neurophysiology 101 (2009) 1126–1140 (shift surrogates that keep a train's own
 * structure); B. V. North, D. Curtis and P. C. Sham, AJHG 71 (2002) 439 (Monte Carlo p-values).
 */
import {mulberry32} from "./random.js";

/** How surrogate times of the reference series are drawn. */
export type CoincidenceNull = "shuffle" | "circular";

function checkTolerance(tolerance: number): void {
  if (!(tolerance >= 0 && tolerance < Infinity)) throw new RangeError(`invalid tolerance: ${tolerance}`);
}

function checkTimes(x: ArrayLike<number>, name: string): void {
  for (let i = 0; i < x.length; ++i) if (!Number.isFinite(+x[i])) throw new RangeError(`invalid ${name}[${i}]: ${x[i]}`);
}

function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x as ArrayLike<number>, Number).sort();
}

/** Whether sorted `s` has an element within `tolerance` of `t` (binary search for the first s ≥ t − tolerance). */
function hasNear(s: Float64Array, n: number, t: number, tolerance: number): boolean {
  let lo = 0;
  let hi = n;
  const a = t - tolerance;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && s[lo] <= t + tolerance;
}

function asList(others: ArrayLike<number>[]): ArrayLike<number>[] {
  if (!Array.isArray(others)) throw new RangeError(`invalid others: ${others} (an array of event series)`);
  others.forEach((o, k) => {
    if (o === null || typeof o !== "object" || typeof o.length !== "number") throw new RangeError(`invalid others[${k}]: ${o} (an event series)`);
  });
  return others;
}

/**
 * For each event a[i], 1 when every series in `others` has an event b with |b − a[i]| ≤
 * `tolerance`, else 0 (a Uint8Array aligned with `a`); `others` is a list of series (`[b]` for a
 * pairwise test). With one other series this is Donges et
 * al.'s instantaneous coincidence indicator with a symmetric window; with several it asks for a
 * joint coincidence. With no other series every event coincides (vacuously). RangeError for a
 * negative or non-finite tolerance or a non-finite time.
 */
export function coincidentEvents(a: ArrayLike<number>, others: ArrayLike<number>[], tolerance: number): Uint8Array {
  checkTolerance(tolerance);
  checkTimes(a, "a");
  const list = asList(others);
  list.forEach((o, k) => checkTimes(o, `others[${k}]`));
  const s = list.map(sorted);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; ++i) {
    let all = 1;
    for (let k = 0; k < s.length && all; ++k) if (!hasNear(s[k], s[k].length, +a[i], tolerance)) all = 0;
    out[i] = all;
  }
  return out;
}

/**
 * The number of events of `a` that coincide, within ±`tolerance`, with an event of every series
 * in `others`: K = Σᵢ 1[∀k ∃b ∈ othersₖ: |b − aᵢ| ≤ tolerance] (see {@link coincidentEvents}).
 * 0 when `a` is empty. RangeError as {@link coincidentEvents}.
 */
export function coincidenceCount(a: ArrayLike<number>, others: ArrayLike<number>[], tolerance: number): number {
  const c = coincidentEvents(a, others, tolerance);
  let k = 0;
  for (let i = 0; i < c.length; ++i) k += c[i];
  return k;
}

/** Options of {@link coincidenceTest}. */
export interface CoincidenceTestOptions {
  /** Largest distance between two coinciding events (≥ 0), in the unit of the times. */
  tolerance: number;
  /** The observation span [start, end]: surrogate times are drawn in [start, end); every event must lie in the closed span. */
  span: [number, number];
  /** Surrogates (an integer ≥ 1; default 999). */
  surrogates?: number;
  /** Seed of the surrogates (lib/random.ts; default 0). */
  seed?: number;
  /** `"shuffle"` (default): uniform reference times; `"circular"`: the reference series rotated by one uniform offset per surrogate. */
  null?: CoincidenceNull;
  /**
   * Period boundaries strictly inside the span (any order): each surrogate reference time stays in
   * the period [b_j, b_{j+1}) of its event (the last period closed), uniform or rotated within it,
   * so the test is conditioned on how many events each period holds. Default none: one period.
   */
  strata?: ArrayLike<number>;
}

/** Result of {@link coincidenceTest}. */
export interface CoincidenceTest {
  /** Reference events. */
  events: number;
  /** Reference events that coincide with every other series (the statistic K). */
  count: number;
  /** count / events (NaN without events): the coincidence rate. */
  rate: number;
  /** 1 for each reference event that coincides. */
  coincident: Uint8Array;
  /** K of each surrogate. */
  nullCounts: Int32Array;
  /** Mean K under the null: the coincidences expected by chance. */
  nullMean: number;
  /** One-sided Monte Carlo p-value (1 + #{K_s ≥ K}) / (1 + S): more coincidences than chance. */
  pValue: number;
}

/**
 * Tests whether the events of `a` coincide with those of `others` (a list: `[b]` pairwise, `[b, c]`
 * jointly) more often than chance: the observed count K of {@link coincidenceCount} against K for
 * `surrogates` draws of the reference times (see the module comment for the two nulls), with the
 * Monte Carlo p-value p = (1 + #{K_s ≥ K}) / (1 + S) (North, Curtis & Sham 2002). Under the
 * shuffle null the expected count is |a|·c/L, with c the length of the part of the span within
 * ±tolerance of events of every other series and L the span's length; with `strata`, each
 * reference time is drawn within its own period instead (see the module comment). Times outside
 * `span` throw; so do a bad tolerance, span, surrogate count, null or stratum boundary. Cost O(Σ nₖ log nₖ + S·|a|·Σ log nₖ),
 * with no allocation per surrogate.
 */
export function coincidenceTest(a: ArrayLike<number>, others: ArrayLike<number>[], options: CoincidenceTestOptions): CoincidenceTest {
  const {tolerance, span, surrogates: S = 999, seed = 0, null: kind = "shuffle", strata = []} = options;
  checkTolerance(tolerance);
  if (!(Array.isArray(span) && span.length === 2 && Number.isFinite(span[0]) && Number.isFinite(span[1]) && span[0] < span[1]))
    throw new RangeError(`invalid span: ${span}`);
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  if (kind !== "shuffle" && kind !== "circular") throw new RangeError(`invalid null: ${kind}`);
  const [t0, t1] = span;
  const list = asList(others);
  const inSpan = (x: ArrayLike<number>, name: string) => {
    checkTimes(x, name);
    for (let i = 0; i < x.length; ++i) if (!(+x[i] >= t0 && +x[i] <= t1)) throw new RangeError(`invalid ${name}[${i}]: ${x[i]} (outside the span [${t0}, ${t1}])`);
  };
  inSpan(a, "a");
  list.forEach((o, k) => inSpan(o, `others[${k}]`));
  checkTimes(strata, "strata");
  for (let j = 0; j < strata.length; ++j) if (!(+strata[j] > t0 && +strata[j] < t1)) throw new RangeError(`invalid strata[${j}]: ${strata[j]} (not inside the span (${t0}, ${t1}))`);
  // Period bounds [lo_j, hi_j) and the period of each reference event.
  const bounds = Float64Array.from([t0, ...Array.from(strata, Number).sort((x, y) => x - y), t1]);
  const periods = bounds.length - 1;
  const coincident = coincidentEvents(a, list, tolerance);
  let count = 0;
  for (let i = 0; i < coincident.length; ++i) count += coincident[i];

  const fixed = list.map(sorted);
  const n = a.length;
  const base = Float64Array.from(a as ArrayLike<number>, Number);
  const period = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    let j = 0;
    while (j + 1 < periods && base[i] >= bounds[j + 1]) ++j;
    period[i] = j;
  }
  const random = mulberry32(seed >>> 0);
  const nullCounts = new Int32Array(S);
  const shifts = new Float64Array(periods);
  let sum = 0;
  for (let s = 0; s < S; ++s) {
    if (kind === "circular") for (let j = 0; j < periods; ++j) shifts[j] = random() * (bounds[j + 1] - bounds[j]);
    let c = 0;
    for (let i = 0; i < n; ++i) {
      const lo = bounds[period[i]];
      const hi = bounds[period[i] + 1];
      let t: number;
      if (kind === "shuffle") t = lo + random() * (hi - lo);
      else {
        t = base[i] + shifts[period[i]];
        if (t >= hi) t -= hi - lo;
      }
      let all = true;
      for (let k = 0; k < fixed.length && all; ++k) all = hasNear(fixed[k], fixed[k].length, t, tolerance);
      if (all) ++c;
    }
    nullCounts[s] = c;
    sum += c;
  }
  let ge = 0;
  for (let s = 0; s < S; ++s) if (nullCounts[s] >= count) ++ge;
  return {
    events: n,
    count,
    rate: n > 0 ? count / n : NaN,
    coincident,
    nullCounts,
    nullMean: sum / S,
    pValue: (1 + ge) / (1 + S)
  };
}

/**
 * Thins a list of event times so that kept events are at least `minGap` apart: sorted ascending,
 * an event is kept when it comes `minGap` or more after the last kept one (so a burst of events
 * counts once, at its first). Returns a new ascending Float64Array. RangeError for a negative or
 * non-finite minGap or a non-finite time.
 */
export function declusterEvents(times: ArrayLike<number>, minGap: number): Float64Array {
  if (!(minGap >= 0 && minGap < Infinity)) throw new RangeError(`invalid minGap: ${minGap}`);
  checkTimes(times, "times");
  const s = sorted(times);
  const out: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < s.length; ++i)
    if (out.length === 0 || s[i] - last >= minGap) {
      out.push(s[i]);
      last = s[i];
    }
  return Float64Array.from(out);
}

/**
 * Random event times for a control: `n` times drawn uniformly on [start, end) from `seed`,
 * ascending: a draw from the shuffle null of {@link coincidenceTest}, so a control series is
 * significant at level α for at most a share α of seeds. RangeError for a bad count or span.
 */
export function randomEvents(n: number, span: [number, number], seed: number): Float64Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`invalid n: ${n}`);
  if (!(Number.isFinite(span[0]) && Number.isFinite(span[1]) && span[0] < span[1])) throw new RangeError(`invalid span: ${span}`);
  const random = mulberry32(seed >>> 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; ++i) out[i] = span[0] + random() * (span[1] - span[0]);
  return out.sort();
}
