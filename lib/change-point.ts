/**
 * Change points of a series (PELT) and their classification as first-order-like (a jump) or
 * second-order-like (a continuous change with growing fluctuations).
 */
import {median} from "./moments.js";

/** Options of {@link pelt}. */
export interface PeltOptions {
  /**
   * Segment cost, twice the negative Gaussian log-likelihood:
   * - `"mean"` (default): changes in mean with a common known noise SD σ,
   *   C = Σ (xᵢ − x̄)² / σ²;
   * - `"meanvar"`: changes in mean and variance, C = m·(ln(2π σ̂²) + 1), σ̂² the segment's
   *   maximum-likelihood variance (floored at 10⁻¹² of the series variance).
   */
  cost?: "mean" | "meanvar";
  /**
   * Penalty β per change point, in the cost's units (default `"bic"`): BIC counts the segment's
   * parameters plus the change location, β = (p + 1)·ln n with p = 1 for `"mean"` and 2 for
   * `"meanvar"`. A number is used as is.
   */
  penalty?: number | "bic";
  /**
   * Minimum segment length in samples (default 2 for `"mean"`, 5 for `"meanvar"`; at least 2 for
   * `"meanvar"`). Very short segments let the mean-and-variance cost fit a near-zero variance:
   * with BIC on pure Gaussian noise, minSize 2 flags a change in ≈ 18 % of series of 200
   * samples, minSize 5 in ≈ 3 %.
   */
  minSize?: number;
  /**
   * Noise SD σ for the `"mean"` cost (default: the robust estimate
   * 1.4826·MAD(Δx)/√2 from first differences, insensitive to the level shifts being sought).
   * For an autocorrelated series pass its long-run SD, or the i.i.d. cost finds spurious changes.
   */
  sigma?: number;
}

/**
 * Robust noise SD from first differences: σ̂ = 1.4826 · median|Δx − median Δx| / √2 over the
 * differences of x[lo … hi) (finite ones only); 0 when fewer than two differences.
 * Level shifts touch few differences and leave it unchanged (Fryzlewicz 2014, Ann. Statist. 42: 2243).
 */
export function differenceSigma(x: ArrayLike<number>, lo = 0, hi = x.length): number {
  lo = Math.max(0, lo);
  hi = Math.min(x.length, hi);
  const d: number[] = [];
  for (let i = lo + 1; i < hi; ++i) {
    const v = +x[i] - +x[i - 1];
    if (Number.isFinite(v)) d.push(v);
  }
  if (d.length < 2) return 0;
  const med = median(d);
  for (let i = 0; i < d.length; ++i) d[i] = Math.abs(d[i] - med);
  return (1.482602218505602 * median(d)) / Math.SQRT2;
}

/**
 * Optimal partition of `x` into segments by Pruned Exact Linear Time (PELT, Killick, Fearnhead &
 * Eckley 2012, J. Amer. Statist. Assoc. 107: 1590): it minimises Σ C(segment) + β·(changes)
 * exactly, discarding candidate last change points τ once F(τ) + C(x_{τ…t}) > F(t).
 *
 * Returns the indices where new segments start, increasing, each in [minSize, n − minSize]
 * (empty when there is no change). Cost O(n) when changes are spread through the series,
 * up to O(n²) when there are none (nothing can be pruned); n of a few 10⁴ is fine.
 *
 * Throws a RangeError naming the first non-finite sample (trim or fill NaN first), an invalid
 * penalty, minimum size or σ. A constant series (σ = 0) has no change.
 */
export function pelt(x: ArrayLike<number>, options: PeltOptions = {}): Int32Array {
  const {cost = "mean", penalty = "bic"} = options;
  if (cost !== "mean" && cost !== "meanvar") throw new RangeError(`invalid cost: ${cost}`);
  const minSize = options.minSize ?? (cost === "mean" ? 2 : 5);
  if (!Number.isInteger(minSize) || minSize < (cost === "meanvar" ? 2 : 1)) throw new RangeError(`invalid minSize: ${minSize}`);
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; ++i) {
    const v = +x[i];
    if (!Number.isFinite(v)) throw new RangeError(`invalid x[${i}]: ${x[i]}`);
    mean += (v - mean) / (i + 1);
  }
  const beta = penalty === "bic" ? ((cost === "mean" ? 1 : 2) + 1) * Math.log(Math.max(n, 2)) : penalty;
  if (!(beta >= 0 && beta < Infinity)) throw new RangeError(`invalid penalty: ${penalty}`);
  if (n < 2 * minSize) return new Int32Array(0);

  // Prefix sums of the centred (and, for "mean", standardised) series.
  let scale = 1;
  if (cost === "mean") {
    const sigma = options.sigma ?? differenceSigma(x);
    if (!(sigma >= 0 && sigma < Infinity)) throw new RangeError(`invalid sigma: ${options.sigma}`);
    if (sigma === 0) return new Int32Array(0);
    scale = 1 / sigma;
  }
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) {
    const v = (+x[i] - mean) * scale;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  const floor = 1e-12 * Math.max(s2[n] / n, Number.MIN_VALUE);
  const LOG2PI1 = Math.log(2 * Math.PI) + 1;
  const meanCost = cost === "mean";

  const F = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  F[0] = -beta;
  let candidates = new Int32Array(n + 1);
  let next = new Int32Array(n + 1);
  let size = 1;
  candidates[0] = 0;
  const values = new Float64Array(n + 1);
  for (let t = minSize; t <= n; ++t) {
    let best = Infinity;
    let arg = 0;
    // F(τ) + C(x_{τ…t}), the segment cost written out for each kind (the inner loop of the search):
    // "mean": Σ(z − z̄)² = S2 − S1²/m; "meanvar": m·(ln σ̂² + ln 2π + 1), σ̂² = (S2 − S1²/m)/m floored.
    const t1 = s1[t];
    const t2 = s2[t];
    if (meanCost)
      for (let k = 0; k < size; ++k) {
        const tau = candidates[k];
        if (t - tau < minSize) continue;
        const sum = t1 - s1[tau];
        const v = F[tau] + (t2 - s2[tau] - (sum * sum) / (t - tau));
        values[k] = v;
        if (v < best) (best = v), (arg = tau);
      }
    else
      for (let k = 0; k < size; ++k) {
        const tau = candidates[k];
        if (t - tau < minSize) continue;
        const m = t - tau;
        const sum = t1 - s1[tau];
        const v = F[tau] + m * (Math.log(Math.max((t2 - s2[tau] - (sum * sum) / m) / m, floor)) + LOG2PI1);
        values[k] = v;
        if (v < best) (best = v), (arg = tau);
      }
    F[t] = best + beta;
    last[t] = arg;
    // Prune: drop τ with F(τ) + C(τ, t) > F(t); keep those still too close to t.
    let kept = 0;
    for (let k = 0; k < size; ++k) {
      const tau = candidates[k];
      if (t - tau < minSize || values[k] <= F[t]) next[kept++] = tau;
    }
    // t − minSize + 1 becomes a candidate once it can end a segment of at least minSize.
    const fresh = t - minSize + 1;
    if (fresh >= minSize && F[fresh] < Infinity) next[kept++] = fresh;
    const swap = candidates;
    candidates = next;
    next = swap;
    size = kept;
  }
  const changes: number[] = [];
  for (let t = last[n]; t > 0; t = last[t]) changes.push(t);
  return Int32Array.from(changes.reverse());
}

/** Options of {@link classifyChanges}. */
export interface ClassifyChangesOptions {
  /** Samples s averaged on each side of a candidate jump (default 5). */
  jumpSpan?: number;
  /** A jump is a step larger than k local noise SDs within the short window (default 3). */
  k?: number;
  /** Search radius r around each change, in samples (default 5). */
  radius?: number;
  /** Half-width R of the neighbourhood for the local noise SD and the smoothed derivative (default 50). */
  context?: number;
  /** z-score the smoothed derivative must exceed to count as a peak (default 3). */
  gradientZ?: number;
  /**
   * Local-to-global noise variance ratio that counts as diverging fluctuations (default 3; the
   * robust side estimates from R differences scatter by ≈ ±35 % in variance at R = 50, so
   * lower thresholds flag plain noise).
   */
  varianceRatio?: number;
}

/** The classification of each change (see {@link classifyChanges}). */
export interface ChangeClassification {
  /** The change indices, as given. */
  index: Int32Array;
  /** `"first"` (first-order-like: a jump), `"second"` (second-order-like: continuous) or `"none"`. */
  order: ("first" | "second" | "none")[];
  /** Jump size J: the largest short-window step near the change, in local noise SDs. */
  jump: Float64Array;
  /** z-score of the largest smoothed derivative near the change. */
  gradient: Float64Array;
  /** Local noise variance (the larger of the two sides of the change) over that of the whole series. */
  variance: Float64Array;
}

/**
 * Labels each change point of `x` first-order-like or second-order-like, by analogy with
 * thermodynamic phase transitions: a first-order transition makes the order parameter jump;
 * a second-order one changes it continuously while fluctuations (susceptibility) diverge.
 *
 * The rule, for a change at c with local noise SD σ_c = 1.4826·MAD(Δx)/√2 over [c − R, c + R]:
 * 1. Dₕ(t) = mean(x[t, t + h)) − mean(x[t − h, t)), the step across t at scale h.
 * 2. Jump J = max_{|t − c| ≤ r} |D_s(t)| / σ_c. If J > k → `"first"`: the level moves by more
 *    than k noise SDs within s samples.
 * 3. Otherwise, smoothed-derivative z = max_{|t − c| ≤ r} |D_R(t)| / (σ_c·√(2/R)) (the step at
 *    scale R over its standard error under white noise) and variance ratio
 *    V = max(σ_left², σ_right²) / σ², the noise variance over [c − R, c] or [c, c + R],
 *    whichever is larger, over that of the whole series (fluctuations grow before a transition
 *    and may stay high after it). If z > gradientZ (a significant peak of the derivative at the
 *    slow scale) or V ≥ varianceRatio (diverging fluctuations) → `"second"`.
 * 4. Otherwise `"none"` (nothing distinguishes the change from noise locally).
 *
 * "Jump" is relative to the sampling and the noise: a step smaller than kσ_c is not resolvable
 * as a discontinuity and, when significant at the slow scale, is called second-order-like;
 * a ramp steeper than kσ_c per s samples is called a jump. Windows that would leave the series
 * are skipped. Throws a RangeError for an index outside the series or invalid options.
 * Reference for the analogy: Scheffer et al. (2009), Nature 461: 53; for the signature of
 * continuous transitions: Stanley (1971), ch. 1.
 */
export function classifyChanges(
  x: ArrayLike<number>,
  changes: ArrayLike<number>,
  options: ClassifyChangesOptions = {}
): ChangeClassification {
  const {jumpSpan: s = 5, k = 3, radius: r = 5, context: R = 50, gradientZ = 3, varianceRatio = 3} = options;
  if (!Number.isInteger(s) || s < 1) throw new RangeError(`invalid jumpSpan: ${s}`);
  if (!(k > 0)) throw new RangeError(`invalid k: ${k}`);
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`invalid radius: ${r}`);
  if (!Number.isInteger(R) || R < 2) throw new RangeError(`invalid context: ${R}`);
  if (!(gradientZ > 0)) throw new RangeError(`invalid gradientZ: ${gradientZ}`);
  if (!(varianceRatio > 0)) throw new RangeError(`invalid varianceRatio: ${varianceRatio}`);
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + +x[i];
  const step = (t: number, h: number) =>
    t - h < 0 || t + h > n ? NaN : (prefix[t + h] - prefix[t] - (prefix[t] - prefix[t - h])) / h;
  const globalSigma = differenceSigma(x);
  const m = changes.length;
  const index = new Int32Array(m);
  const order: ("first" | "second" | "none")[] = [];
  const jump = new Float64Array(m);
  const gradient = new Float64Array(m);
  const variance = new Float64Array(m);
  for (let j = 0; j < m; ++j) {
    const c = changes[j];
    if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`invalid change: ${c}`);
    index[j] = c;
    const sigma = differenceSigma(x, c - R, c + R + 1);
    let J = NaN;
    let G = NaN;
    for (let t = c - r; t <= c + r; ++t) {
      const a = Math.abs(step(t, s));
      if (a === a && !(a <= J)) J = a;
      const b = Math.abs(step(t, R));
      if (b === b && !(b <= G)) G = b;
    }
    jump[j] = sigma > 0 ? J / sigma : J > 0 ? Infinity : NaN;
    gradient[j] = sigma > 0 ? G / (sigma * Math.sqrt(2 / R)) : G > 0 ? Infinity : NaN;
    const side = Math.max(differenceSigma(x, c - R, c + 1), differenceSigma(x, c, c + R + 1));
    variance[j] = globalSigma > 0 ? (side * side) / (globalSigma * globalSigma) : NaN;
    order.push(jump[j] > k ? "first" : gradient[j] > gradientZ || variance[j] >= varianceRatio ? "second" : "none");
  }
  return {index, order, jump, gradient, variance};
}
