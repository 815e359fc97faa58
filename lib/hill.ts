/**
 * Hill estimator of the tail exponent of a heavy-tailed sample (trade sizes), with a plateau
 * rule for the number of order statistics.
 */

/** The positive finite values of x sorted descending, and the prefix sums of their logs. */
function descendingLogs(x: ArrayLike<number>): {logs: Float64Array; prefix: Float64Array} {
  let n = 0;
  for (let i = 0; i < x.length; ++i) {
    const v = +x[i];
    if (v > 0 && v < Infinity) ++n;
  }
  const s = new Float64Array(n);
  for (let i = 0, j = 0; i < x.length; ++i) {
    const v = +x[i];
    if (v > 0 && v < Infinity) s[j++] = v;
  }
  s.sort();
  const logs = new Float64Array(n);
  for (let i = 0; i < n; ++i) logs[i] = Math.log(s[n - 1 - i]);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + logs[i];
  return {logs, prefix};
}

/** α̂_k from the descending logs and their prefix sums. */
function hillAt(logs: Float64Array, prefix: Float64Array, k: number): number {
  const h = prefix[k] / k - logs[k];
  return h > 0 ? 1 / h : NaN;
}

/**
 * The Hill plot: the Hill estimate of the tail exponent α for every number of upper order
 * statistics k = 1..kMax,
 *
 *   α̂_k = 1 / H_k,   H_k = (1/k) Σ_{i=1}^{k} ln X_(i) − ln X_(k+1),
 *
 * with X_(1) ≥ X_(2) ≥ … the positive finite values in descending order (other values are
 * skipped). For a Pareto-type tail P(X > x) ~ C·x^{−α}, α̂_k is consistent as k → ∞, k/n → 0,
 * and asymptotically normal with standard deviation α/√k (Hill, Ann. Statist. 3 (1975) 1163).
 * Dimensionless. `alpha[k − 1]` is α̂_k; NaN where H_k = 0 (ties at the top). kMax defaults
 * to n − 1 and is clamped to it.
 */
export function hillPlot(x: ArrayLike<number>, {kMax}: {kMax?: number} = {}): {k: Int32Array; alpha: Float64Array} {
  const {logs, prefix} = descendingLogs(x);
  const m = hillPlotSize(logs.length, kMax);
  const k = new Int32Array(m);
  const alpha = new Float64Array(m);
  for (let j = 1; j <= m; ++j) (k[j - 1] = j), (alpha[j - 1] = hillAt(logs, prefix, j));
  return {k, alpha};
}

/** The number of points of `hillPlot` for n positive finite values: kMax (default n − 1) clamped to [0, n − 1]. */
export function hillPlotSize(n: number, kMax?: number): number {
  return Math.max(0, Math.min(kMax ?? n - 1, n - 1));
}

/**
 * α̂_k (see `hillPlot`) and the threshold X_(k+1) at each k of `ks`, from the positive values
 * given as runs (value, count) in descending order — e.g. `ValueCounts.descending()`
 * (lib/value-counts.ts) with its non-positive values skipped: the sum of the top k logs is
 * accumulated one value at a time in the same order as `hillPlot`'s, so the values are equal to
 * it bit for bit, while only the requested k are kept. k with no X_(k+1) are left out.
 */
export function hillAtRuns(runs: Iterable<readonly [value: number, count: number]>, ks: Iterable<number>): Map<number, {alpha: number; threshold: number}> {
  const want = [...new Set(ks)].filter((k) => Number.isInteger(k) && k >= 1).sort((p, q) => p - q);
  const out = new Map<number, {alpha: number; threshold: number}>();
  let j = 0;
  let i = 0;
  let prefix = 0;
  for (const [v, c] of runs) {
    if (j >= want.length) break;
    if (!(v > 0 && v < Infinity)) continue;
    const lg = Math.log(v);
    for (let r = 0; r < c && j < want.length; ++r, ++i) {
      if (i === want[j]) {
        const h = prefix / i - lg;
        out.set(i, {alpha: h > 0 ? 1 / h : NaN, threshold: Math.exp(lg)});
        ++j;
      }
      prefix += lg;
    }
  }
  return out;
}

/** Options of `hill`. */
export interface HillOptions {
  /** A fixed number of order statistics; if given, no plateau search. */
  k?: number;
  /** Smallest k searched (default max(10, ⌈n/1000⌉)). */
  kMin?: number;
  /** Largest k searched (default ⌊n/10⌋). */
  kMax?: number;
  /** Number of log-spaced k values in the search grid (default 100). */
  grid?: number;
  /** Number of consecutive grid values in a plateau window (default 20). */
  window?: number;
}

/** A tail-exponent estimate. */
export interface HillEstimate {
  /** Tail exponent α (P(X > x) ~ x^{−α}). */
  alpha: number;
  /** Asymptotic standard error α/√k. */
  se: number;
  /** Number of upper order statistics used. */
  k: number;
  /** X_(k+1), the threshold above which the tail is fitted (x-units). */
  threshold: number;
  /** Number of positive finite values. */
  n: number;
  /** The k range of the chosen plateau window (equal to [k, k] for a fixed k). */
  plateau: [number, number];
}

/**
 * Hill estimate of the tail exponent α with a data-driven number of order statistics k.
 *
 * The Hill plot α̂_k (see `hillPlot`) is evaluated on `grid` integer k log-spaced over
 * [kMin, kMax] — the log-k scale of the "alternative Hill plot" (Drees, de Haan & Resnick,
 * Ann. Statist. 28 (2000) 254), on which the plateau of a good tail fit is visible. A window of
 * `window` consecutive grid points slides along it; the window where α̂ varies least (smallest
 * variance) is the plateau, a stable-region rule in the spirit of Resnick & Stărică (J. Appl.
 * Probab. 34 (1997) 271). The estimate is the median of α̂ over that window and k the median
 * k there, so the reported α is insensitive to the exact window edges; se = α/√k (Hill 1975),
 * which ignores the bias from a non-Pareto body — compare `threshold` with the bulk of the data.
 *
 * With `k` fixed, returns α̂_k itself. NaN fields if fewer than 20 positive values (or k out
 * of [1, n − 1]). RangeError for invalid options.
 */
export function hill(x: ArrayLike<number>, options: HillOptions = {}): HillEstimate {
  const {logs, prefix} = descendingLogs(x);
  return hillOf(logs.length, (k) => hillAt(logs, prefix, k), (k) => Math.exp(logs[k]), options);
}

/**
 * The k at which `hill` evaluates α̂_k for n positive finite values and `options`: the fixed k
 * (none when above n − 1), else the distinct log-spaced grid over [kMin, kMax] (none when n < 20).
 * RangeError for invalid options, as `hill`.
 */
export function hillKs(n: number, options: HillOptions = {}): number[] {
  if (options.k !== undefined) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k}`);
    return k > n - 1 ? [] : [k];
  }
  const grid = options.grid ?? 100;
  const window = options.window ?? 20;
  if (!Number.isInteger(grid) || grid < 2) throw new RangeError(`invalid grid: ${grid}`);
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`invalid window: ${window}`);
  if (n < 20) return [];
  const kMin = Math.max(1, options.kMin ?? Math.max(10, Math.ceil(n / 1000)));
  const kMax = Math.min(n - 1, options.kMax ?? Math.floor(n / 10));
  if (!Number.isInteger(kMin)) throw new RangeError(`invalid kMin: ${options.kMin}`);
  if (!Number.isInteger(kMax) || kMax < kMin) throw new RangeError(`invalid kMax: ${options.kMax}`);
  // Distinct log-spaced integer k.
  const ks: number[] = [];
  for (let j = 0; j < grid; ++j) {
    const k = Math.round(kMin * Math.pow(kMax / kMin, j / (grid - 1)));
    if (ks.length === 0 || k > ks[ks.length - 1]) ks.push(k);
  }
  return ks;
}

/**
 * `hill` of a sample of n positive finite values given through its Hill plot: `alphaAt(k)` is
 * α̂_k and `thresholdAt(k)` is X_(k+1), asked only at the k of `hillKs(n, options)` — e.g. from
 * `hillAtRuns` on a histogram of the sample.
 */
export function hillOf(n: number, alphaAt: (k: number) => number, thresholdAt: (k: number) => number, options: HillOptions = {}): HillEstimate {
  const none: HillEstimate = {alpha: NaN, se: NaN, k: NaN, threshold: NaN, n, plateau: [NaN, NaN]};
  const ks = hillKs(n, options);
  if (options.k !== undefined) {
    const k = options.k;
    if (!ks.length) return none;
    const alpha = alphaAt(k);
    return {alpha, se: alpha / Math.sqrt(k), k, threshold: thresholdAt(k), n, plateau: [k, k]};
  }
  if (!ks.length) return none;
  const window = options.window ?? 20;
  const a = ks.map((k) => alphaAt(k));
  const w = Math.min(window, ks.length);
  let best = -1;
  let bestVar = Infinity;
  for (let s = 0; s + w <= ks.length; ++s) {
    let mean = 0;
    let ok = true;
    for (let j = s; j < s + w; ++j) {
      if (!Number.isFinite(a[j])) ok = false;
      mean += a[j];
    }
    if (!ok) continue;
    mean /= w;
    let v = 0;
    for (let j = s; j < s + w; ++j) v += (a[j] - mean) ** 2;
    if (v < bestVar) (bestVar = v), (best = s);
  }
  if (best < 0) return none;
  const win = a.slice(best, best + w).sort((p, q) => p - q);
  const alpha = w % 2 ? win[w >> 1] : 0.5 * (win[w / 2 - 1] + win[w / 2]);
  const k = ks[best + (w >> 1)];
  return {alpha, se: alpha / Math.sqrt(k), k, threshold: thresholdAt(k), n, plateau: [ks[best], ks[best + w - 1]]};
}
