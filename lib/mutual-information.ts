/**
 * Mutual information between two discrete series, at one lag or over a range of lags.
 *
 *   I(X_t ; Y_{t+τ}) = Σ p(x, y) log2 [ p(x, y) / (p(x) p(y)) ]   (bits),
 *
 * over the pairs (x[t], y[t + τ]) with both indices inside the series, so a positive lag τ asks
 * how much x tells about y τ samples later (x leads). Plug-in probabilities; the plug-in value
 * is biased upwards by about (m_x − 1)(m_y − 1) / (2N ln 2) bits for independent series, so lags
 * with fewer pairs look more informative. Two corrections are offered (see
 * {@link laggedMutualInformation}): Miller–Madow on each entropy, or the mean MI of shuffle
 * surrogates subtracted (the exact permutation-null mean, drawn as random tables with the
 * observed margins).
 *
 * References: C. E. Shannon (1948); T. M. Cover and J. A. Thomas, "Elements of Information
 * Theory" (2006), ch. 2; G. A. Miller (1955); L. Paninski, Neural Computation 15 (2003) 1191;
 * A. M. Fraser and H. L. Swinney, "Independent coordinates for strange attractors from mutual
 * information", PRA 33 (1986) 1134 (MI as a function of lag); W. M. Patefield (1981).
 */
import {alphabetSize, checkBase, checkEstimator, checkSymbols, MAX_CELLS, millerMadow, type EntropyEstimator} from "./entropy.js";
import {deriveSeed, mulberry32} from "./random.js";
import {randomTable, surrogatePValue} from "./surrogates.js";

export interface MutualInformationOptions {
  /** Lag τ (integer, |τ| < n): pairs (x[t], y[t + τ]). Default 0. */
  lag?: number;
  /** Alphabet size for both series. Default: inferred separately for x and for y. */
  base?: number;
  /**
   * `"plug-in"` (default) or `"miller-madow"`: H_MM(X) + H_MM(Y) − H_MM(X, Y), i.e. the plug-in
   * value plus (m̂_x + m̂_y − m̂_xy − 1) / (2N ln 2) with m̂ the observed cells.
   */
  estimator?: EntropyEstimator;
}

function alphabets(x: ArrayLike<number>, y: ArrayLike<number>, base: number | undefined): [number, number] {
  if (x.length !== y.length) throw new RangeError(`invalid y: length ${y.length} differs from x length ${x.length}`);
  let bx: number;
  let by: number;
  if (base === undefined) {
    bx = alphabetSize(x);
    by = alphabetSize(y);
  } else {
    bx = by = checkBase(base);
    checkSymbols(x, bx);
    checkSymbols(y, by);
  }
  if (bx * by > MAX_CELLS) throw new RangeError(`invalid base: ${bx} × ${by} cells is too large`);
  return [bx, by];
}

function checkLag(lag: number, n: number, name = "lag"): number {
  if (!(Number.isInteger(lag) && Math.abs(lag) < Math.max(1, n))) throw new RangeError(`invalid ${name}: ${lag}`);
  return lag;
}

/**
 * Fills `joint` (length bx·by, index x·by + y) with the counts of the pairs (x[t], y[t + lag]).
 * Consecutive pairs go to four interleaved sub-tables (`quad`, 4·bx·by, folded at the end), so
 * that runs of one pair (a symbol repeated) do not wait on each other's increment.
 */
function countPairs(x: ArrayLike<number>, y: ArrayLike<number>, lag: number, by: number, joint: Int32Array, quad: Int32Array = new Int32Array(4 * joint.length)): number {
  const cells = joint.length;
  quad.fill(0, 0, 4 * cells);
  const n = x.length;
  const from = lag >= 0 ? 0 : -lag;
  const to = lag >= 0 ? n - lag : n;
  let t = from;
  for (; t + 3 < to; t += 4) {
    ++quad[x[t] * by + y[t + lag]];
    ++quad[cells + x[t + 1] * by + y[t + 1 + lag]];
    ++quad[2 * cells + x[t + 2] * by + y[t + 2 + lag]];
    ++quad[3 * cells + x[t + 3] * by + y[t + 3 + lag]];
  }
  for (; t < to; ++t) ++quad[x[t] * by + y[t + lag]];
  for (let i = 0; i < cells; ++i) joint[i] = quad[i] + quad[cells + i] + quad[2 * cells + i] + quad[3 * cells + i];
  return Math.max(0, to - from);
}

/**
 * Plug-in (or Miller–Madow) mutual information in bits from a bx × by count table (row-major,
 * index x·by + y): (1/N)[Σ c log2 c − Σ c_x log2 c_x − Σ c_y log2 c_y] + log2 N. NaN when empty;
 * the plug-in value is clamped at 0 against rounding.
 */
export function mutualInformationFromCounts(
  joint: ArrayLike<number>,
  bx: number,
  by: number,
  estimator: EntropyEstimator = "plug-in",
  scratch: Float64Array = new Float64Array(by)
): number {
  scratch.fill(0, 0, by);
  let sJoint = 0;
  let sX = 0;
  let sY = 0;
  let total = 0;
  let mJoint = 0;
  let mX = 0;
  let mY = 0;
  for (let a = 0, o = 0; a < bx; ++a, o += by) {
    let cx = 0;
    for (let b = 0; b < by; ++b) {
      const c = joint[o + b];
      if (c > 0) {
        sJoint += c * Math.log2(c);
        cx += c;
        scratch[b] += c;
        ++mJoint;
      }
    }
    if (cx > 0) {
      sX += cx * Math.log2(cx);
      total += cx;
      ++mX;
    }
  }
  if (total === 0) return NaN;
  for (let b = 0; b < by; ++b) {
    const c = scratch[b];
    if (c > 0) {
      sY += c * Math.log2(c);
      ++mY;
    }
  }
  const mi = Math.max(0, (sJoint - sX - sY) / total + Math.log2(total));
  if (estimator === "plug-in") return mi;
  return mi + millerMadow(mX, total) + millerMadow(mY, total) - millerMadow(mJoint, total);
}

/**
 * Mutual information I(X_t ; Y_{t+lag}) in bits between two equal-length symbol series, over the
 * n − |lag| pairs in range (definition in the module comment). Symmetric: MI(x, y, τ) =
 * MI(y, x, −τ). Lies in [0, min(log2 m_x, log2 m_y)] for the plug-in estimate. NaN for empty
 * series.
 */
export function mutualInformation(x: ArrayLike<number>, y: ArrayLike<number>, options: MutualInformationOptions = {}): number {
  const estimator = checkEstimator(options.estimator);
  const [bx, by] = alphabets(x, y, options.base);
  const lag = checkLag(options.lag ?? 0, x.length);
  const joint = new Int32Array(bx * by);
  countPairs(x, y, lag, by, joint);
  return mutualInformationFromCounts(joint, bx, by, estimator);
}

/** Work space of {@link shuffleMutualInformation}: scratch (by), rowTotals (bx), colTotals (by), table (bx·by), left (by), values (S). */
export interface ShuffleWork {
  scratch: Float64Array;
  rowTotals: Int32Array;
  colTotals: Int32Array;
  table: Int32Array;
  left: Int32Array;
  values: Float64Array;
}

/**
 * The shuffle correction of a plug-in MI `plug` of the count table `joint` (bx × by, index
 * x·by + y): S surrogate tables drawn with the observed margins (`randomTable`,
 * lib/surrogates.ts; y randomly permuted against x) from `random`, in order; returns the
 * corrected MI plug − mean(surrogates) (bits) and the Monte-Carlo p-value
 * (1 + #{surrogate ≥ plug}) / (1 + S). Depends on the table only, so a table counted piece by
 * piece gives the same values as the whole series (the lag scan of
 * {@link laggedMutualInformation} runs it once per lag).
 */
export function shuffleMutualInformation(
  joint: ArrayLike<number>,
  bx: number,
  by: number,
  plug: number,
  S: number,
  random: () => number,
  work: ShuffleWork = {
    scratch: new Float64Array(by),
    rowTotals: new Int32Array(bx),
    colTotals: new Int32Array(by),
    table: new Int32Array(bx * by),
    left: new Int32Array(by),
    values: new Float64Array(S)
  }
): {corrected: number; pValue: number} {
  const {scratch, rowTotals, colTotals, table, left, values} = work;
  rowTotals.fill(0);
  colTotals.fill(0);
  for (let a = 0, o = 0; a < bx; ++a, o += by) {
    for (let b = 0; b < by; ++b) {
      rowTotals[a] += joint[o + b];
      colTotals[b] += joint[o + b];
    }
  }
  let sum = 0;
  for (let s = 0; s < S; ++s) {
    const v = mutualInformationFromCounts(randomTable(rowTotals, colTotals, random, table, left), bx, by, "plug-in", scratch);
    values[s] = v;
    sum += v;
  }
  return {corrected: plug - sum / S, pValue: surrogatePValue(plug, values)};
}

export interface LaggedMutualInformationOptions {
  /** Largest lag (inclusive, |maxLag| < n). Required. */
  maxLag: number;
  /** Smallest lag (inclusive). Default −maxLag (both directions). */
  minLag?: number;
  /** Alphabet size for both series. Default: inferred separately. */
  base?: number;
  /**
   * Bias correction of each lag's value:
   * - `"none"`: the plug-in MI;
   * - `"miller-madow"` (default): the Miller–Madow correction of each entropy (first order in 1/N);
   * - `"shuffle"`: minus the mean MI of `surrogates` shuffle surrogates (random tables with the
   *   lag's margins, i.e. y randomly permuted against x), which also gives a p-value per lag.
   */
  correction?: "none" | "miller-madow" | "shuffle";
  /** Surrogates per lag for `"shuffle"`. Default 100. */
  surrogates?: number;
  /** Seed of the surrogate draws. Default 0. */
  seed?: number;
}

export interface LaggedMutualInformation {
  /** The lags τ, ascending. */
  lag: Int32Array;
  /** Plug-in MI at each lag, bits. */
  mi: Float64Array;
  /** Bias-corrected MI (plug-in minus the estimated bias), bits; can be slightly negative. */
  corrected: Float64Array;
  /** Shuffle-surrogate p-values (only with correction `"shuffle"`). */
  pValue?: Float64Array;
  /** The lag of largest corrected MI (the smallest such |lag| on ties, then the smaller lag). */
  bestLag: number;
  /** The corrected MI at bestLag, bits. */
  best: number;
}

/**
 * Mutual information I(X_t ; Y_{t+τ}) for every lag τ in [minLag, maxLag] with a bias correction
 * (`options.correction`), and the lag of maximal corrected MI: the delay at which x is most
 * informative about y (positive: x leads). The correction matters because each lag has its own
 * number of pairs n − |τ| and the plug-in bias grows as the pairs get fewer. Cost
 * O((maxLag − minLag + 1)·n), plus O(surrogates·table) per lag for `"shuffle"`.
 */
export function laggedMutualInformation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LaggedMutualInformationOptions
): LaggedMutualInformation {
  const {maxLag, correction = "miller-madow", surrogates: S = 100, seed = 0} = options ?? ({} as LaggedMutualInformationOptions);
  const [bx, by] = alphabets(x, y, options.base);
  const n = x.length;
  checkLag(maxLag, n, "maxLag");
  const minLag = checkLag(options.minLag ?? -maxLag, n, "minLag");
  if (minLag > maxLag) throw new RangeError(`invalid minLag: ${minLag} (greater than maxLag ${maxLag})`);
  if (correction !== "none" && correction !== "miller-madow" && correction !== "shuffle") {
    throw new RangeError(`invalid correction: ${correction}`);
  }
  if (correction === "shuffle" && !(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const count = maxLag - minLag + 1;
  const lag = new Int32Array(count);
  const mi = new Float64Array(count);
  const corrected = new Float64Array(count);
  const pValue = correction === "shuffle" ? new Float64Array(count) : undefined;
  const joint = new Int32Array(bx * by);
  const quad = new Int32Array(4 * bx * by);
  const scratch = new Float64Array(by);
  const random = mulberry32(deriveSeed(seed, "lagged-mutual-information"));
  const rowTotals = new Int32Array(bx);
  const colTotals = new Int32Array(by);
  const table = new Int32Array(bx * by);
  const left = new Int32Array(by);
  const values = new Float64Array(correction === "shuffle" ? S : 0);
  let bestLag = NaN;
  let best = -Infinity;
  for (let i = 0; i < count; ++i) {
    const tau = minLag + i;
    lag[i] = tau;
    countPairs(x, y, tau, by, joint, quad);
    const plug = mutualInformationFromCounts(joint, bx, by, "plug-in", scratch);
    mi[i] = plug;
    if (correction === "none") corrected[i] = plug;
    else if (correction === "miller-madow") corrected[i] = mutualInformationFromCounts(joint, bx, by, "miller-madow", scratch);
    else {
      const t = shuffleMutualInformation(joint, bx, by, plug, S, random, {scratch, rowTotals, colTotals, table, left, values});
      corrected[i] = t.corrected;
      pValue![i] = t.pValue;
    }
    const v = corrected[i];
    if (v > best || (v === best && Math.abs(tau) < Math.abs(bestLag))) {
      best = v;
      bestLag = tau;
    }
  }
  return {lag, mi, corrected, pValue, bestLag, best: best === -Infinity ? NaN : best};
}
