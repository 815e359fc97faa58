/**
 * Significance of change points in the mean against surrogate series without a change: each
 * change is judged by how much splitting its segment there reduces the sum of squares, against
 * the largest such reduction the same detector finds in stationary surrogates that keep the
 * series' variance and autocorrelation (a max-statistic test, so the family of changes is tested
 * at once).
 */
import {ar1Surrogate, fitAR1} from "./ar1-surrogate.js";
import {pelt} from "./change-point.js";
import type {PeltOptions} from "./change-point.js";
import {phaseRandomize} from "./phase-randomize.js";
import {deriveSeed, mulberry32} from "./random.js";
import {blockShuffle} from "./surrogates.js";

/** Prefix sums of x and x² (length n + 1, written into s1 and s2). */
function prefixSums(x: ArrayLike<number>, s1: Float64Array, s2: Float64Array): void {
  for (let i = 0; i < x.length; ++i) {
    const v = +x[i];
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
}

/** Sum of squares about the mean of [a, b) from prefix sums. */
function ss(s1: Float64Array, s2: Float64Array, a: number, b: number): number {
  const s = s1[b] - s1[a];
  return b > a ? s2[b] - s2[a] - (s * s) / (b - a) : 0;
}

/** Largest split gain over [a, b) with both parts at least minSize, from prefix sums; 0 if none. */
function maxGain(s1: Float64Array, s2: Float64Array, a: number, b: number, minSize: number): {index: number; gain: number} {
  const total = ss(s1, s2, a, b);
  let best = -Infinity;
  let index = -1;
  for (let t = a + minSize; t <= b - minSize; ++t) {
    const g = total - ss(s1, s2, a, t) - ss(s1, s2, t, b);
    if (g > best) (best = g), (index = t);
  }
  return index < 0 ? {index: -1, gain: 0} : {index, gain: Math.max(0, best)};
}

/** The best single split of a segment (see {@link splitGain}). */
export interface SplitGain {
  /** Start of the second part, in (lo, hi); −1 when the segment is too short to split. */
  index: number;
  /** Reduction of the sum of squares, in the units of x squared (≥ 0). */
  gain: number;
}

/**
 * The best single change in mean inside x[lo, hi): the split τ (both parts at least `minSize`
 * samples) that most reduces the sum of squared deviations from the segment means,
 *
 *   G(τ) = SS(lo, hi) − SS(lo, τ) − SS(τ, hi) = (x̄_left − x̄_right)² · (τ − lo)(hi − τ) / (hi − lo),
 *
 * the two-sample likelihood-ratio statistic of a change in mean times the noise variance
 * (the CUSUM statistic squared; Csörgő & Horváth, Limit Theorems in Change-Point Analysis, 1997,
 * §1.4). Units: those of x squared. O(hi − lo). A segment shorter than 2·minSize gives
 * {index: −1, gain: 0}. Throws a RangeError for bounds outside [0, n], hi < lo, an invalid
 * minSize or a non-finite sample in the segment.
 */
export function splitGain(x: ArrayLike<number>, lo = 0, hi = x.length, minSize = 1): SplitGain {
  if (!Number.isInteger(lo) || lo < 0 || lo > x.length) throw new RangeError(`invalid lo: ${lo}`);
  if (!Number.isInteger(hi) || hi < lo || hi > x.length) throw new RangeError(`invalid hi: ${hi}`);
  if (!Number.isInteger(minSize) || minSize < 1) throw new RangeError(`invalid minSize: ${minSize}`);
  for (let i = lo; i < hi; ++i) if (!Number.isFinite(+x[i])) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
  const n = hi - lo;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  // Centre on the first sample so the prefix sums stay small whatever the level.
  const c = n > 0 ? +x[lo] : 0;
  for (let i = 0; i < n; ++i) {
    const v = +x[lo + i] - c;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  const g = maxGain(s1, s2, 0, n, minSize);
  return {index: g.index < 0 ? -1 : g.index + lo, gain: g.gain};
}

/**
 * Split gain of each change within its segment: for changes c₁ < … < c_m of x (segment starts in
 * (0, n)), Gᵢ = SS(cᵢ₋₁, cᵢ₊₁) − SS(cᵢ₋₁, cᵢ) − SS(cᵢ, cᵢ₊₁) with c₀ = 0 and c_{m+1} = n (see
 * {@link splitGain}): how much the change at cᵢ reduces the sum of squares given its neighbours.
 * Units of x squared. Throws a RangeError for changes that are not increasing integers in (0, n)
 * or a non-finite sample.
 */
export function localGains(x: ArrayLike<number>, changes: ArrayLike<number>): Float64Array {
  const n = x.length;
  const cuts = checkCuts(changes, n);
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  prefixSums(centre(x), s1, s2);
  return gainsFrom(s1, s2, cuts);
}

function checkCuts(changes: ArrayLike<number>, n: number): Int32Array {
  const m = changes.length;
  const cuts = new Int32Array(m + 2);
  cuts[m + 1] = n;
  for (let i = 0; i < m; ++i) {
    const c = changes[i];
    if (!Number.isInteger(c) || c <= 0 || c >= n || c <= cuts[i]) throw new RangeError(`invalid change: ${c}`);
    cuts[i + 1] = c;
  }
  return cuts;
}

/** x minus its mean, checked finite. */
function centre(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let level = 0;
  for (let i = 0; i < n; ++i) {
    const v = +x[i];
    if (!Number.isFinite(v)) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
    level += (v - level) / (i + 1);
  }
  return Float64Array.from(x, (v) => +v - level);
}

function gainsFrom(s1: Float64Array, s2: Float64Array, cuts: Int32Array): Float64Array {
  const m = cuts.length - 2;
  const gain = new Float64Array(m);
  for (let i = 0; i < m; ++i) {
    const a = cuts[i];
    const c = cuts[i + 1];
    const b = cuts[i + 2];
    gain[i] = Math.max(0, ss(s1, s2, a, b) - ss(s1, s2, a, c) - ss(s1, s2, c, b));
  }
  return gain;
}

/** Options of {@link significantChanges}: PELT's (lib/change-point.ts) and the test's. */
export interface SignificantChangesOptions extends PeltOptions {
  /** Seed of the surrogates (32-bit integer). */
  seed: number;
  /** Number of surrogate series (default 200). */
  surrogates?: number;
  /**
   * How a change-free surrogate is drawn from the series the null is fitted to (see `fit`):
   * - `"phase"` (default): phase randomisation (lib/phase-randomize.ts) — the whole power
   *   spectrum, hence the linear autocorrelation at every lag (long memory included), kept;
   * - `"ar1"`: a Gaussian AR(1) series with its variance and lag-1 autocorrelation
   *   (lib/ar1-surrogate.ts) — short memory only;
   * - `"block"`: its blocks of `blockLength` samples in random order (lib/surrogates.ts
   *   `blockShuffle`) — its distribution exactly (skew, heavy tails), memory within blocks.
   */
  null?: "phase" | "ar1" | "block";
  /**
   * What the null is fitted to:
   * - `"series"` (default), step-down: first the whole centred series — exactly the null
   *   hypothesis of no change (a stationary series with this spectrum), so the family-wise level
   *   holds whatever the memory; then, if some candidates passed, the residuals about the changes
   *   found so far, to test the others, and so on while new ones pass. Later steps run only
   *   after a rejection, so the level under the complete null is that of the first step; each
   *   step is conservative while real changes remain in the series fitted.
   * - `"residuals"`: the residuals about the candidate segments' means. More powerful, but spurious
   *   candidates absorb slow wandering, so with long-memory noise (order flow) the false-alarm
   *   rate exceeds alpha (measured: 20–40 % at a nominal 5 % on the flow entropy of chapter 04).
   */
  fit?: "series" | "residuals";
  /** Block length of the `"block"` null, samples (default ⌈n^(1/3)⌉, Hall, Horowitz & Jing 1995). */
  blockLength?: number;
  /** Family-wise significance level (default 0.05). */
  alpha?: number;
}

/** Result of {@link significantChanges}. */
export interface SignificantChanges {
  /** The PELT candidates, increasing. */
  candidates: Int32Array;
  /** Split gain of each candidate within its segment ({@link localGains}), units of x². */
  gain: Float64Array;
  /** Family-wise p-value of each candidate, from the last step that tested it (see {@link significantChanges}). */
  p: Float64Array;
  /** The candidates with p ≤ alpha: the reported changes. */
  changes: Int32Array;
  /** Largest candidate gain of the detector on each surrogate of the last step (0 when it found none; all 0 when x has no candidate, as no surrogate is drawn then). */
  nullGains: Float64Array;
  /** Share of the first step's surrogates on which the detector found any candidate (NaN when x has no candidate). */
  nullAlarmRate: number;
  /** The series the first step's null was fitted to: SD and lag-1 autocorrelation (NaN without candidates). */
  noise: {sd: number; phi: number};
}

/**
 * Change points in the mean with a family-wise significance level, the detector calibrated on
 * surrogates without a change:
 *
 * 1. candidates c₁ < … < c_m: {@link pelt} with `options` (cost, penalty, minSize, σ);
 * 2. their gains Gᵢ ({@link localGains});
 * 3. S change-free surrogates of the series (see {@link SignificantChangesOptions.null} and `fit`),
 *    each run through the same detector (step 1, σ re-estimated on the surrogate as on the data)
 *    and reduced to its largest candidate gain M_s (0 if it finds none);
 * 4. pᵢ = (1 + #{M_s ≥ Gᵢ}) / (1 + S); the candidates with pᵢ ≤ α are changes. With the step-down
 *    `fit: "series"`, steps 3–4 are repeated on the residuals about the changes found so far for
 *    the candidates not yet found, until a step finds none (pᵢ is the p-value of the step that
 *    tested i last).
 *
 * Because the whole search (PELT over every segmentation) is repeated on each surrogate and only
 * its largest gain kept, the chance of reporting any change in a series without one is at most
 * α up to the surrogates' fidelity (a max-statistic test: Westfall & Young, Resampling-Based
 * Multiple Testing, 1993; change-point significance by resampling: Antoch & Hušková 2001,
 * Metrika 53: 35). With the default null (phase surrogates of the whole series) that fidelity is
 * that of a linear Gaussian process with the series' spectrum, long memory included; the price is
 * power: a change must stand out from a series whose spectrum already contains it.
 *
 * Deterministic for a seed. Cost: S PELT runs, O(S·n²) at worst (n of a few thousand is fine).
 * Throws what {@link pelt} throws, and a RangeError for invalid surrogates, null, fit, block
 * length or alpha.
 */
export function significantChanges(x: ArrayLike<number>, options: SignificantChangesOptions): SignificantChanges {
  const {seed, surrogates: S = 200, null: model = "phase", fit: fitTo = "series", alpha = 0.05} = options;
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`invalid surrogates: ${S}`);
  if (model !== "ar1" && model !== "phase" && model !== "block") throw new RangeError(`invalid null: ${model}`);
  if (fitTo !== "series" && fitTo !== "residuals") throw new RangeError(`invalid fit: ${fitTo}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha}`);
  const n = x.length;
  const blockLength = options.blockLength ?? Math.max(1, Math.ceil(Math.cbrt(n)));
  if (!Number.isInteger(blockLength) || blockLength < 1) throw new RangeError(`invalid blockLength: ${blockLength}`);
  const peltOptions: PeltOptions = {cost: options.cost, penalty: options.penalty, minSize: options.minSize};
  if (options.sigma !== undefined) peltOptions.sigma = options.sigma;
  const candidates = pelt(x, options);
  const centred = centre(x);
  const cuts = checkCuts(candidates, n);
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  const t1 = new Float64Array(n + 1);
  const t2 = new Float64Array(n + 1);
  prefixSums(centred, s1, s2);
  const gain = gainsFrom(s1, s2, cuts);
  const m = candidates.length;
  const p = new Float64Array(m).fill(NaN);
  const significant = new Uint8Array(m);
  const y = new Float64Array(n);
  const residual = new Float64Array(n);
  const nullGains = new Float64Array(S);
  let alarmRate = NaN;
  let noise = {sd: NaN, phi: NaN};
  // Steps: fit the null to the residuals about the changes found so far ("series": none at the
  // first step; "residuals": every candidate, one step), test the others, repeat while new ones pass.
  for (let step = 0; m > 0 && n >= 2 && significant.includes(0); ++step) {
    const base = fitTo === "residuals" ? candidates : Int32Array.from(candidates.filter((_, i) => significant[i] === 1));
    const baseCuts = checkCuts(base, n);
    for (let j = 0; j + 1 < baseCuts.length; ++j) {
      const a = baseCuts[j];
      const b = baseCuts[j + 1];
      const mean = (s1[b] - s1[a]) / (b - a);
      for (let t = a; t < b; ++t) residual[t] = centred[t] - mean;
    }
    const fit = fitAR1(residual);
    if (step === 0) noise = {sd: Math.sqrt(fit.variance), phi: fit.phi};
    const random = mulberry32(deriveSeed(seed, `significant-changes:${model}:${step}`));
    let alarms = 0;
    nullGains.fill(0);
    for (let s = 0; s < S; ++s) {
      if (model === "ar1") ar1Surrogate(fit, n, random, y);
      else if (model === "phase") phaseRandomize(residual, random, y);
      else blockShuffle(residual, blockLength, random, y);
      const found = pelt(y, peltOptions);
      if (found.length === 0) continue;
      ++alarms;
      prefixSums(y, t1, t2);
      const g = gainsFrom(t1, t2, checkCuts(found, n));
      let max = 0;
      for (let i = 0; i < g.length; ++i) if (g[i] > max) max = g[i];
      nullGains[s] = max;
    }
    if (step === 0) alarmRate = alarms / S;
    let added = 0;
    for (let i = 0; i < m; ++i) {
      if (significant[i]) continue;
      const bar = gain[i] * (1 - 1e-12);
      let c = 0;
      for (let s = 0; s < S; ++s) if (nullGains[s] >= bar) ++c;
      p[i] = (1 + c) / (1 + S);
      if (p[i] <= alpha) (significant[i] = 1), ++added;
    }
    if (added === 0 || fitTo === "residuals") break;
  }
  const kept: number[] = [];
  for (let i = 0; i < m; ++i) if (significant[i]) kept.push(candidates[i]);
  return {
    candidates,
    gain,
    p,
    changes: Int32Array.from(kept),
    nullGains,
    nullAlarmRate: alarmRate,
    noise
  };
}
