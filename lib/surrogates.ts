/**
 * Surrogate data for significance tests of information measures.
 *
 * A surrogate keeps some property of a series and destroys its relation to another: a shuffle
 * keeps the symbol frequencies, a circular shift or a block permutation also keeps the series'
 * own memory (autocorrelation) except at the seams. Plug-in information measures between two
 * discrete series depend only on their contingency table, and the table left by a uniformly
 * random shuffle of one series against the other is a random table with the same row and column
 * totals; {@link randomTable} draws it directly (Patefield's algorithm), in time that depends on
 * the table size and not on the series length.
 *
 * All randomness comes from a `random` function such as `mulberry32(seed)` (lib/random.ts).
 *
 * References: T. Schreiber and A. Schmitz, "Surrogate time series", Physica D 142 (2000) 346–382;
 * W. M. Patefield, "Algorithm AS 159: an efficient method of generating random R × C tables with
 * given row and column totals", Applied Statistics 30 (1981) 91–97; P. Good, "Permutation,
 * Parametric and Bootstrap Tests of Hypotheses" (2005); B. V. North, D. Curtis and P. C. Sham,
 * "A note on the calculation of empirical P values from Monte Carlo procedures", AJHG 71 (2002)
 * 439–441.
 */

/** ln(n!) for 0 ≤ n < 256, by summation. */
const LOG_FACTORIAL = (() => {
  const t = new Float64Array(256);
  for (let i = 2; i < 256; ++i) t[i] = t[i - 1] + Math.log(i);
  return t;
})();

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln(n!) for a non-negative integer n: a table below 256, else Stirling's series for ln Γ(n + 1)
 * to the z⁻⁵ term (truncation error below 1e-17 there).
 */
export function logFactorial(n: number): number {
  if (n < 256) return LOG_FACTORIAL[n];
  if (n < STIRLING_CACHED) {
    // Each value computed once, by the series below: the same number on every call.
    const t = (stirlingCache ??= new Float64Array(STIRLING_CACHED).fill(NaN));
    const v = t[n];
    return v === v ? v : (t[n] = stirling(n));
  }
  return stirling(n);
}

/** n below which {@link logFactorial}'s Stirling values are kept once computed (a table of 2^18 values, 2 MB, made on first use and filled as values are asked for). */
const STIRLING_CACHED = 1 << 18;
let stirlingCache: Float64Array | null = null;

/** Stirling's series for ln Γ(n + 1) to the z⁻⁵ term (n ≥ 256). */
function stirling(n: number): number {
  const z = n + 1;
  const z2 = 1 / (z * z);
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + (1 / 12 - z2 * (1 / 360 - z2 / 1260)) / z;
}

/**
 * A draw from the hypergeometric distribution: the number of marked items among `draws` items
 * taken without replacement from `population` items of which `marked` are marked,
 * P(h) = C(K, h) C(N−K, n−h) / C(N, n). Exact: after reducing to K, n ≤ N/2 by symmetry, by
 * inversion started at the mode and searching outward when the standard deviation
 * σ = √(n K (N−K)(N−n) / (N²(N−1))) is at most {@link INVERSION_MAX_SD} (the probabilities follow
 * by the ratio recurrence, the one at the mode from {@link logFactorial}; expected cost of the
 * order of σ, one uniform from `random`), else by Stadlober's ratio-of-uniforms method with a
 * table-mountain hat (HRUA; E. Stadlober, "The ratio of uniforms approach for generating discrete
 * random variates", J. Comput. Appl. Math. 31 (1990) 181–189): a pair of uniforms (U, V) gives
 * the candidate h = ⌊a + b (V − ½) / U⌋, a = μ + ½, b = 2√(2/e)·√(σ² + ½) + 3 − 2√(3/e), accepted
 * when U² ≤ P(h) / P(mode) — fewer than 1.5 pairs on average, whatever N. The ratios come from
 * {@link logFactorial}, with a relative error of order 1e-16·N ln N (≈ 3e-9 at N = 10^6).
 * Arguments must be integers with 0 ≤ K ≤ N and 0 ≤ n ≤ N.
 */
export function hypergeometric(random: () => number, population: number, marked: number, draws: number): number {
  const N = population;
  if (!(Number.isInteger(N) && N >= 0)) throw new RangeError(`invalid population: ${N}`);
  if (!(Number.isInteger(marked) && marked >= 0 && marked <= N)) throw new RangeError(`invalid marked: ${marked}`);
  if (!(Number.isInteger(draws) && draws >= 0 && draws <= N)) throw new RangeError(`invalid draws: ${draws}`);
  return hyper(random, N, marked, draws);
}

/** {@link hypergeometric} without argument checks. */
function hyper(random: () => number, N: number, K: number, n: number): number {
  if (n === 0 || K === 0) return 0;
  if (K === N) return n;
  if (n === N) return K;
  // Reduce to K ≤ N/2 and n ≤ N/2 by symmetry.
  if (2 * n > N) return K - hyper(random, N, K, N - n);
  if (2 * K > N) return n - hyper(random, N, N - K, n);
  const lo = Math.max(0, n + K - N);
  const hi = Math.min(n, K);
  const mode = Math.floor(((n + 1) * (K + 1)) / (N + 2));
  const M = N - K;
  const variance = (((n * K) / N) * (M / N) * (N - n)) / (N - 1);
  if (variance > INVERSION_MAX_SD * INVERSION_MAX_SD) return ratioOfUniforms(random, N, K, n, mode, variance);
  const pMode = Math.exp(
    logFactorial(K) - logFactorial(mode) - logFactorial(K - mode) +
      logFactorial(M) - logFactorial(n - mode) - logFactorial(M - n + mode) -
      logFactorial(N) + logFactorial(n) + logFactorial(N - n)
  );
  let u = random() - pMode;
  if (u < 0) return mode;
  let down = mode;
  let up = mode;
  let pDown = pMode;
  let pUp = pMode;
  for (;;) {
    let moved = false;
    if (down > lo) {
      // P(h−1) = P(h) · h (M − n + h) / ((K − h + 1)(n − h + 1))
      pDown *= (down * (M - n + down)) / ((K - down + 1) * (n - down + 1));
      --down;
      u -= pDown;
      if (u < 0) return down;
      moved = true;
    }
    if (up < hi) {
      // P(h+1) = P(h) · (K − h)(n − h) / ((h + 1)(M − n + h + 1))
      pUp *= ((K - up) * (n - up)) / ((up + 1) * (M - n + up + 1));
      ++up;
      u -= pUp;
      if (u < 0) return up;
      moved = true;
    }
    if (!moved) return mode; // the probabilities summed to 1 − ε < u: a rounding remainder
  }
}

/** The σ of a hypergeometric above which {@link hypergeometric} draws by ratio of uniforms rather than by inversion from the mode. */
export const INVERSION_MAX_SD = 8;

/** 2√(2/e) and 3 − 2√(3/e): the table-mountain hat's scale on √(σ² + ½) and its offset (Stadlober 1990). */
const HAT_SCALE = 2 * Math.sqrt(2 / Math.E);
const HAT_OFFSET = 3 - 2 * Math.sqrt(3 / Math.E);

/** −ln(h! (K−h)! (n−h)! (M−n+h)!): ln P(h) up to a constant, M = N − K. */
function logWeight(K: number, M: number, n: number, h: number): number {
  return -(logFactorial(h) + logFactorial(K - h) + logFactorial(n - h) + logFactorial(M - n + h));
}

/**
 * {@link hypergeometric} for K, n ≤ N/2 by ratio of uniforms (see there): candidates outside
 * [0, min(n, K)] or beyond a + 16·√(σ² + ½) (where the mass is below e^−100) are rejected; the
 * acceptance test 2 ln U ≤ ln P(h) − ln P(mode) is decided first by the bounds
 * U(4 − U) − 3 ≥ 2 ln U ≥ 2 − 2/U where they suffice.
 */
function ratioOfUniforms(random: () => number, N: number, K: number, n: number, mode: number, variance: number): number {
  const M = N - K;
  const a = (n * K) / N + 0.5;
  const s = Math.sqrt(variance + 0.5);
  const b = HAT_SCALE * s + HAT_OFFSET;
  const end = Math.min(Math.min(n, K) + 1, Math.floor(a + 16 * s));
  const top = logWeight(K, M, n, mode);
  for (;;) {
    const u = random();
    const v = random();
    if (!(u > 0)) continue;
    const w = a + (b * (v - 0.5)) / u;
    if (!(w >= 0 && w < end)) continue;
    const h = Math.floor(w);
    const t = logWeight(K, M, n, h) - top;
    if (u * (4 - u) - 3 <= t) return h;
    if (2 - 2 / u > t) continue;
    if (2 * Math.log(u) <= t) return h;
  }
}

/**
 * A uniformly random r × c table of non-negative integers with the given row totals (length r)
 * and column totals (length c), which must have equal sums: the table of a random pairing of
 * the r-labelled items with the c-labelled items, i.e. of a random permutation of one series
 * against another (Patefield 1981). Drawn row by row, each cell as a hypergeometric count given
 * the cells before it. Written row-major into `out` (length ≥ r·c, allocated when omitted) and
 * returned. Cost O(r·c) hypergeometric draws, independent of the grand total up to their √N
 * search; no allocation when `out` and `scratch` (length ≥ c) are given.
 */
export function randomTable(
  rowTotals: ArrayLike<number>,
  colTotals: ArrayLike<number>,
  random: () => number,
  out?: Int32Array,
  scratch?: Int32Array
): Int32Array {
  const r = rowTotals.length;
  const c = colTotals.length;
  let total = 0;
  let check = 0;
  for (let i = 0; i < r; ++i) {
    const v = rowTotals[i];
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`invalid row total: ${v}`);
    total += v;
  }
  for (let j = 0; j < c; ++j) {
    const v = colTotals[j];
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`invalid column total: ${v}`);
    check += v;
  }
  if (total !== check) throw new RangeError(`invalid totals: rows sum to ${total}, columns to ${check}`);
  const table = out ?? new Int32Array(r * c);
  if (table.length < r * c) throw new RangeError(`invalid out: length ${table.length}`);
  const left = scratch ?? new Int32Array(c);
  for (let j = 0; j < c; ++j) left[j] = colTotals[j];
  let remaining = total; // items not yet assigned to a row
  for (let i = 0, o = 0; i < r; ++i, o += c) {
    let need = rowTotals[i];
    let pool = remaining; // items of columns j … c−1 still unassigned
    remaining -= need;
    for (let j = 0; j < c; ++j) {
      const avail = left[j];
      const h = need === 0 ? 0 : j === c - 1 ? need : hyper(random, pool, avail, need);
      table[o + j] = h;
      left[j] = avail - h;
      pool -= avail;
      need -= h;
    }
  }
  return table;
}

/**
 * Circular shift: out[t] = x[(t + shift) mod n] for t in [0, n). Keeps the series' own
 * statistics (and memory) exactly except at one seam. `shift` is any integer (taken mod n).
 */
export function circularShift<T extends Int8Array | Uint8Array | Int16Array | Int32Array | Float64Array>(
  x: T,
  shift: number,
  out?: T
): T {
  if (!Number.isInteger(shift)) throw new RangeError(`invalid shift: ${shift}`);
  const n = x.length;
  const y = out ?? (new (x.constructor as {new (n: number): T})(n));
  if (n === 0) return y;
  const d = ((shift % n) + n) % n;
  y.set(x.subarray(d) as never, 0);
  y.set(x.subarray(0, d) as never, n - d);
  return y;
}

/**
 * Block permutation: `x` is cut into consecutive blocks of `blockLength` samples (the last one
 * shorter when n is not a multiple) and the blocks are put in a uniformly random order. Keeps
 * the series' memory within blocks (Künsch 1989's block idea without replacement). Writes into
 * `out` (allocated when omitted) and returns it.
 */
export function blockShuffle<T extends Int8Array | Uint8Array | Int16Array | Int32Array | Float64Array>(
  x: T,
  blockLength: number,
  random: () => number,
  out?: T
): T {
  const n = x.length;
  if (!(Number.isInteger(blockLength) && blockLength >= 1)) throw new RangeError(`invalid blockLength: ${blockLength}`);
  const y = out ?? (new (x.constructor as {new (n: number): T})(n));
  const order = blockOrder(n, blockLength, random);
  for (let b = 0, o = 0; b < order.length; ++b) {
    const start = order[b] * blockLength;
    const end = Math.min(n, start + blockLength);
    y.set(x.subarray(start, end) as never, o);
    o += end - start;
  }
  return y;
}

/** A random order (Fisher–Yates) of the ⌈n / blockLength⌉ blocks of a series of length n. */
export function blockOrder(n: number, blockLength: number, random: () => number, out?: Int32Array): Int32Array {
  const m = Math.ceil(n / blockLength);
  const order = out && out.length === m ? out : new Int32Array(m);
  for (let i = 0; i < m; ++i) order[i] = i;
  for (let i = m - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * The Monte Carlo p-value of an observed statistic against surrogate values,
 * p = (1 + #{s ≥ observed}) / (1 + S) (North, Curtis & Sham 2002): never 0, and exactly valid
 * (P(p ≤ α) ≤ α) when the observed value is exchangeable with the surrogates. A surrogate within
 * 1e-12·max(1, |observed|) of the observed value counts as a tie (≥), so floating-point noise in
 * equal tables cannot make the test anti-conservative. NaN surrogates are ignored.
 */
export function surrogatePValue(observed: number, surrogates: ArrayLike<number>): number {
  const bar = observed - 1e-12 * Math.max(1, Math.abs(observed));
  let count = 0;
  let total = 0;
  for (let i = 0; i < surrogates.length; ++i) {
    const s = surrogates[i];
    if (s !== s) continue;
    ++total;
    if (s >= bar) ++count;
  }
  return (1 + count) / (1 + total);
}

/**
 * A pure-diffusion path with the same volatility path as `price`: the increments
 * Δ_t = price[t] − price[t−1] keep their sizes and get independent fair random signs,
 *
 *   out[0] = price[0],   out[t] = out[t−1] + s_t·|Δ_t|,   s_t = ±1 with probability ½ each,
 *
 * so the realised volatility of every window is kept exactly while any mean reversion to price
 * levels (a well, support or resistance) is destroyed: a random walk with the series'
 * heteroscedasticity (the sign-randomisation null of a martingale difference sequence, Good
 * 2005, Permutation, Parametric and Bootstrap Tests of Hypotheses, §3.7). Non-finite samples stay
 * non-finite and contribute no increment (the walk carries its value across them). Returns a new
 * Float64Array.
 */
export function signFlipPath(price: ArrayLike<number>, random: () => number): Float64Array {
  const n = price.length;
  const out = new Float64Array(n);
  let last = NaN; // the last finite input
  let walk = NaN; // the walk's value at that sample
  for (let t = 0; t < n; ++t) {
    const v = +price[t];
    if (!Number.isFinite(v)) {
      out[t] = NaN;
      continue;
    }
    if (Number.isNaN(last)) walk = v;
    else walk += (random() < 0.5 ? -1 : 1) * Math.abs(v - last);
    last = v;
    out[t] = walk;
  }
  return out;
}
