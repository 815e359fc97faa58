/**
 * Hayashi–Yoshida covariance and correlation of two asynchronously observed price series, and a
 * lead-lag scan over time shifts, without any binning or interpolation; the scan pooled over time
 * blocks with a block-bootstrap interval of the lead.
 */
import {blockBootstrapIndices, percentileInterval} from "./block-bootstrap.js";
import {bisectLeft} from "./bisect.js";
import {mulberry32} from "./random.js";

/** A tick series prepared for the sweep: strictly increasing times and log prices. */
export interface TickSeries {
  /** Strictly increasing observation times (ms, relative to `origin`). */
  time: Float64Array;
  /** Log price (or the raw value with `log: false`) at each time. */
  value: Float64Array;
  /** Time subtracted from the input times (ms). */
  origin: number;
  /** Σ (Δ value)², the realised variance. */
  variance: number;
}

/**
 * Prepares a tick series for `hayashiYoshida`: drops ticks with a non-finite price, keeps the
 * last price of each run of equal times (a zero-length interval overlaps nothing, so same-time
 * ticks are merged into one observation), takes logs (unless `log: false`), and subtracts
 * `origin` (default the first time) from the times. Times in ms, sorted ascending (RangeError
 * otherwise, or for a non-positive price when `log` is true).
 */
export function tickSeries(
  time: ArrayLike<number>,
  price: ArrayLike<number>,
  {log = true, origin}: {log?: boolean; origin?: number} = {}
): TickSeries {
  if (time.length !== price.length) throw new RangeError(`invalid price length: ${price.length} (time has ${time.length})`);
  const n = time.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const o = origin ?? (n ? +time[0] : 0);
  let m = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; ++i) {
    const ti = +time[i];
    if (!Number.isFinite(ti)) throw new RangeError(`invalid time[${i}]: ${time[i]}`);
    if (ti < prev) throw new RangeError(`invalid time[${i}]: ${ti} (before ${prev})`);
    prev = ti;
    const p = +price[i];
    if (!Number.isFinite(p)) continue;
    if (log && !(p > 0)) throw new RangeError(`invalid price[${i}]: ${p}`);
    const value = log ? Math.log(p) : p;
    if (m > 0 && t[m - 1] === ti - o) v[m - 1] = value;
    else (t[m] = ti - o), (v[m] = value), ++m;
  }
  let variance = 0;
  for (let i = 1; i < m; ++i) variance += (v[i] - v[i - 1]) ** 2;
  return {time: t.slice(0, m), value: v.slice(0, m), origin: o, variance};
}

/**
 * The shifted Hayashi–Yoshida sums of prepared series, kept apart by time block: for every shift
 * θ_k and block b,
 *
 *   out[b·S + k] = Σ_{i ≥ 1 : s_i in block b} ΔX_i · (Y_{j_hi} − Y_{j_lo − 1}),
 *
 * where j_lo..j_hi is the run of Y intervals (t_{j−1}, t_j] that overlap (s_{i−1}, s_i] after
 * moving every Y time by −θ_k (the run's increments telescope), S the number of shifts and the
 * block of s_i = ⌊s_i / blockMs⌋ clamped to [0, blocks) (times relative to X's origin). Summed
 * over the blocks, column k is the HY contrast HY(θ_k) of {@link hayashiYoshida}. Both ends of the
 * run move monotonically with i, so each shift is one two-pointer sweep: O(S · (n + m)) time,
 * O(n + blocks · S) memory. The sweep behind every estimate of this module (one block: the
 * covariance; lib/analysis/leadership.ts: the per-second rows its block bootstrap resamples).
 * Zeros when either series has fewer than two ticks. Reference: Hayashi & Yoshida, Bernoulli 11
 * (2005) 359.
 *
 * `by` "y" computes the same sums over Y's intervals instead: X interval i overlaps Y interval j
 * (moved by −θ) exactly when s_{i−1} < t_j − δ and s_i > t_{j−1} − δ (δ = θ + the origins'
 * difference), so for each j the overlapping X intervals are the run i = lo..hi,
 * lo = #{s ≤ t_{j−1} − δ}, hi = #{s < t_j − δ} (within [1, n − 1]), and
 *
 *   out[b·S + k] = Σ_j ΔY_j · Σ_{runs} (X_e − X_{i−1}),
 *
 * the run cut where the block of s_i changes (its increments telescope within a block). The
 * terms are grouped differently, so the two differ by rounding only; which venue is swept is
 * the caller's choice, fixed before the data are seen (e.g. the one with fewer trades: the
 * lead–lag rule's sweep then touches min(n, m) ticks per shift, see lib/hy-stream.ts). Cells
 * receive their terms in increasing j.
 *
 * RangeError for a non-positive `blockMs` or a `blocks` that is not a positive integer.
 */
export function hyBlockSums(x: TickSeries, y: TickSeries, shifts: ArrayLike<number>, blockMs = Infinity, blocks = 1, by: HySweep = "x"): Float64Array {
  if (!(blockMs > 0)) throw new RangeError(`invalid blockMs: ${blockMs}`);
  if (!(Number.isInteger(blocks) && blocks >= 1)) throw new RangeError(`invalid blocks: ${blocks}`);
  if (by !== "x" && by !== "y") throw new RangeError(`invalid by: ${by}`);
  const S = shifts.length;
  const out = new Float64Array(blocks * S);
  const s = x.time;
  const xv = x.value;
  const t = y.time;
  const yv = y.value;
  const n = s.length;
  const m = t.length;
  if (n < 2 || m < 2) return out;
  const bucket = new Int32Array(n);
  if (blocks > 1) for (let i = 1; i < n; ++i) bucket[i] = blockRow(s[i], blockMs, blocks, S);
  if (by === "y") {
    for (let k = 0; k < S; ++k) {
      const delta = shifts[k] + (x.origin - y.origin);
      let lo = 0;
      let hi = 0;
      for (let j = 1; j < m; ++j) {
        const a = t[j - 1] - delta;
        const b = t[j] - delta;
        while (lo < n && s[lo] <= a) ++lo;
        while (hi < n && s[hi] < b) ++hi;
        const ilo = lo > 1 ? lo : 1;
        const ihi = hi < n - 1 ? hi : n - 1;
        if (ilo <= ihi) addRun(out, k, bucket, xv, ilo, ihi, yv[j] - yv[j - 1]);
      }
    }
    return out;
  }
  const dx = new Float64Array(n);
  for (let i = 1; i < n; ++i) dx[i] = xv[i] - xv[i - 1];
  const last = m - 1;
  for (let k = 0; k < S; ++k) {
    // Y's clock shifted by −θ: a Y time t_j sits at t_j − θ; compare t_j with s + θ (+ the origins' difference).
    const delta = shifts[k] + (x.origin - y.origin);
    // lo = #{j : t_j ≤ s_{i−1} + delta}, hi = #{j : t_j < s_i + delta}; lo ≤ hi since s_{i−1} < s_i.
    const a = s[0] + delta;
    let hi = 0;
    while (hi < m && t[hi] < a) ++hi;
    let lo = hi;
    while (lo < m && t[lo] <= a) ++lo;
    for (let i = 1; i < n; ++i) {
      const b = s[i] + delta;
      while (hi < m && t[hi] < b) ++hi;
      const jlo = lo > 1 ? lo : 1;
      const jhi = hi < last ? hi : last;
      if (jlo <= jhi) out[bucket[i] + k] += dx[i] * (yv[jhi] - yv[jlo - 1]);
      lo = hi;
      while (lo < m && t[lo] <= b) ++lo;
    }
  }
  return out;
}

/** Which series' intervals the HY sums run over (see {@link hyBlockSums}). */
export type HySweep = "x" | "y";

/**
 * Which series of the pair (a, b) the HY sums sweep (`hyBlockSums`' `by`): "y" (b's intervals)
 * when `counts` gives b fewer trades than a, else "x" — fixed by the counts alone (e.g. over the
 * whole span), before any tick is read, so that a batch sum and a day-by-day one
 * (lib/hy-stream.ts) sweep the same way.
 */
export function hySweepOf(a: string, b: string, counts: Readonly<Partial<Record<string, number>>> | null | undefined): HySweep {
  const na = counts?.[a];
  const nb = counts?.[b];
  return na !== undefined && nb !== undefined && nb < na ? "y" : "x";
}

/** The row offset b·S of the block of time `s`: b = ⌊s / blockMs⌋ clamped to [0, blocks). */
export function blockRow(s: number, blockMs: number, blocks: number, S: number): number {
  return Math.min(blocks - 1, Math.max(0, Math.floor(s / blockMs))) * S;
}

/**
 * Adds ΔY_j times the X increments of the run i = ilo..ihi (ilo ≥ 1) to the cells of shift `k`:
 * one term per block of the run, dy · (X_e − X_{i−1}) for its ticks i..e (`bucket`: each X tick's
 * row offset, non-decreasing). The sweep over Y of {@link hyBlockSums} and of lib/hy-stream.ts.
 */
export function addRun(out: Float64Array, k: number, bucket: Int32Array, xv: Float64Array, ilo: number, ihi: number, dy: number): void {
  let i = ilo;
  for (;;) {
    const c = bucket[i];
    let e = ihi;
    if (bucket[ihi] !== c) {
      // The last tick of the run in c's block: bucket is non-decreasing.
      let l = i;
      let h = ihi;
      while (l < h) {
        const mid = (l + h + 1) >>> 1;
        if (bucket[mid] === c) l = mid;
        else h = mid - 1;
      }
      e = l;
    }
    out[c + k] += dy * (xv[e] - xv[i - 1]);
    if (e === ihi) return;
    i = e + 1;
  }
}

/** A Hayashi–Yoshida estimate. */
export interface HayashiYoshida {
  /** Σ ΔX_i ΔY_j over overlapping intervals (squared log-price units over the sample). */
  covariance: number;
  /** covariance / √(RV_X · RV_Y), in [−1, 1] only approximately. */
  correlation: number;
  /** Realised variance Σ ΔX² of X. */
  varianceX: number;
  /** Realised variance Σ ΔY² of Y. */
  varianceY: number;
}

/**
 * Hayashi–Yoshida estimator of the integrated covariance of two asynchronously observed
 * log-price processes X (times s_i) and Y (times t_j):
 *
 *   HY = Σ_i Σ_j ΔX_i · ΔY_j · 1{(s_{i−1}, s_i] ∩ (t_{j−1} − θ, t_j − θ] ≠ ∅},
 *
 * with θ = `shift` ms (default 0): Y's clock is moved back by θ, so X at time t is compared
 * with Y at time t + θ; a positive θ that maximises the correlation means **X leads Y** by θ.
 * No synchronisation, binning or interpolation, so no Epps bias from asynchronicity (Hayashi &
 * Yoshida, Bernoulli 11 (2005) 359). Correlation = HY / √(Σ ΔX² · Σ ΔY²), the realised
 * variances over the whole samples (unchanged by θ). Units: squared log returns.
 *
 * For each X interval the overlapping Y intervals form a contiguous run j_lo..j_hi, whose
 * increments telescope to Y_{j_hi} − Y_{j_lo−1}; both ends move monotonically with i, so the
 * sum is one two-pointer sweep, O(n + m). Inputs are (time ms, price) arrays or series prepared
 * by `tickSeries` (prefer those when scanning many shifts). Microstructure noise biases the
 * realised variances upwards and so the correlation towards 0 at very high tick rates.
 * NaN if either series has fewer than two ticks.
 */
export function hayashiYoshida(
  x: TickSeries | {time: ArrayLike<number>; price: ArrayLike<number>},
  y: TickSeries | {time: ArrayLike<number>; price: ArrayLike<number>},
  {shift = 0}: {shift?: number} = {}
): HayashiYoshida {
  if (!Number.isFinite(shift)) throw new RangeError(`invalid shift: ${shift}`);
  const a = prepare(x);
  const b = prepare(y);
  const covariance = a.time.length < 2 || b.time.length < 2 ? NaN : hyBlockSums(a, b, [shift])[0];
  const norm = Math.sqrt(a.variance * b.variance);
  return {covariance, correlation: norm > 0 ? covariance / norm : NaN, varianceX: a.variance, varianceY: b.variance};
}

function prepare(s: TickSeries | {time: ArrayLike<number>; price: ArrayLike<number>}): TickSeries {
  return "value" in s ? s : tickSeries(s.time, s.price);
}

/** Result of a lead-lag scan. */
export interface LeadLagScan {
  /** Shifts θ scanned (ms); positive θ compares X(t) with Y(t + θ). */
  shift: Float64Array;
  /** HY covariance at each shift. */
  covariance: Float64Array;
  /** HY correlation at each shift. */
  correlation: Float64Array;
  /** The shift with the largest correlation (ms): positive means X leads Y by that time. */
  lead: number;
  /** The correlation at `lead`. */
  peak: number;
  /** Lead-lag ratio Σ_{θ>0} ρ(θ)² / Σ_{θ<0} ρ(θ)²: above 1 when X leads. */
  leadLagRatio: number;
}

/**
 * Lead-lag scan: the Hayashi–Yoshida correlation of X(t) and Y(t + θ) for every shift θ on a
 * grid (default −2000 ms … +2000 ms in 10 ms steps, 401 shifts), the shift of the largest
 * correlation as the lead time, and the lead-lag ratio of squared correlations at positive over
 * negative shifts. Sign convention: a positive lead means X moves first and Y follows θ ms later.
 * Hoffmann, Rosenbaum & Yoshida (Bernoulli 19 (2013) 426) prove the argmax of the shifted HY
 * contrast is consistent for the lead time; the ratio is that of Huth & Abergel (J. Empir.
 * Finance 26 (2014) 113). Ties in the peak go to the smallest |θ|. The resolution is the grid
 * step; the estimate is only as sharp as the tick rate (an X interval sees the Y ticks around
 * it). O((n + m) · shifts). Significance: compare the peak with scans of circularly shifted or
 * time-reversed surrogates.
 *
 * RangeError if `shifts` is empty or holds non-finite values, or for an invalid grid
 * (from > to, step ≤ 0).
 */
export function leadLagScan(
  x: TickSeries | {time: ArrayLike<number>; price: ArrayLike<number>},
  y: TickSeries | {time: ArrayLike<number>; price: ArrayLike<number>},
  {shifts, from = -2000, to = 2000, step = 10, by = "x"}: {shifts?: ArrayLike<number>; from?: number; to?: number; step?: number; by?: HySweep} = {}
): LeadLagScan {
  let grid: Float64Array;
  if (shifts) {
    if (shifts.length === 0) throw new RangeError("invalid shifts: empty");
    grid = Float64Array.from(shifts);
    for (const v of grid) if (!Number.isFinite(v)) throw new RangeError(`invalid shift: ${v}`);
  } else {
    if (!(step > 0) || !(from <= to) || !Number.isFinite(from) || !Number.isFinite(to)) {
      throw new RangeError(`invalid grid: ${from}..${to} step ${step}`);
    }
    const k = Math.floor((to - from) / step + 1e-9) + 1;
    grid = Float64Array.from({length: k}, (_, i) => from + i * step);
  }
  const a = prepare(x);
  const b = prepare(y);
  const norm = Math.sqrt(a.variance * b.variance);
  const covariance = new Float64Array(grid.length);
  const correlation = new Float64Array(grid.length);
  let lead = NaN;
  let peak = -Infinity;
  let pos = 0;
  let neg = 0;
  const sums = a.time.length < 2 || b.time.length < 2 ? null : hyBlockSums(a, b, grid, Infinity, 1, by);
  for (let i = 0; i < grid.length; ++i) {
    const c = sums ? sums[i] : NaN;
    const r = norm > 0 ? c / norm : NaN;
    covariance[i] = c;
    correlation[i] = r;
    if (r > peak || (r === peak && Math.abs(grid[i]) < Math.abs(lead))) (peak = r), (lead = grid[i]);
    if (grid[i] > 0) pos += r * r;
    else if (grid[i] < 0) neg += r * r;
  }
  if (peak === -Infinity) peak = NaN;
  return {shift: grid, covariance, correlation, lead, peak, leadLagRatio: pos / neg};
}

/**
 * Cuts the trades of [start, end) into `count` equal time blocks and prepares each as a tick
 * series (log prices, times relative to the block start): the units a {@link blockLeadLagScan}
 * sums over and resamples. `time` sorted ascending in ms, `price` positive. RangeError for a
 * count that is not a positive integer.
 */
export function tickBlocks(time: Float64Array, price: Float64Array, start: number, end: number, count: number): TickSeries[] {
  if (!(Number.isInteger(count) && count > 0)) throw new RangeError(`invalid count: ${count}`);
  if (time.length !== price.length) throw new RangeError(`invalid price length: ${price.length} (time has ${time.length})`);
  const t = time;
  const p = price;
  const blocks: TickSeries[] = [];
  for (let k = 0; k < count; ++k) {
    const a = start + ((end - start) * k) / count;
    const b = start + ((end - start) * (k + 1)) / count;
    const i = bisectLeft(t, a);
    const j = bisectLeft(t, b);
    blocks.push(tickSeries(t.subarray(i, j), p.subarray(i, j), {origin: a}));
  }
  return blocks;
}

/** Options of {@link blockLeadLagScan}; times in ms. */
export interface BlockLeadLagOptions {
  /** Centre of the coarse grid (e.g. the cross-correlation peak), rounded to a multiple of `step`; default 0. */
  centre?: number;
  /** Half-width of the coarse grid around the centre; default 300. */
  halfWidth?: number;
  /** Step of the coarse grid; default 20. */
  step?: number;
  /** Step of the refinement within one coarse step of the best coarse shift; default 5. */
  fineStep?: number;
  /** Bootstrap resamples of the blocks; default 999. */
  resamples?: number;
  /** Seed of the bootstrap's generator (mulberry32); default 0. */
  seed?: number;
  /** Which series' intervals the sums sweep ({@link hyBlockSums}; the same sums up to rounding); default "x". */
  by?: HySweep;
}

/** Result of {@link blockLeadLagScan}. */
export interface BlockLeadLag {
  /** Every shift scanned, ascending (ms); positive θ compares X(t) with Y(t + θ). */
  shift: number[];
  /** Pooled HY correlation at each shift: Σ_blocks covariance / √(Σ RV_X · Σ RV_Y). */
  correlation: number[];
  /** Shift of the largest pooled covariance (ties to the smallest |θ|), ms: positive = X leads Y. */
  lead: number;
  /** Pooled correlation at `lead`. */
  peak: number;
  /** Percentile interval (95 %) of the bootstrap leads, ms. */
  interval: [number, number];
  /** Standard deviation of the bootstrap leads, ms. */
  se: number;
  /**
   * Corrected bootstrap share (1 + #)/(1 + B) of resamples whose lead has the other sign than
   * `lead` (or, when `lead` is 0, is not 0): a one-sided p-value for the sign of the lead.
   */
  pSign: number;
  /** Pooled correlation at shift 0. */
  zeroLag: number;
}

/**
 * Hayashi–Yoshida lead-lag scan pooled over time blocks, with a block-bootstrap interval of the
 * lead. For each shift θ the HY covariance of X(t) and Y(t + θ) is computed within every block
 * pair and summed, C(θ) = Σ_k HY_k(θ) (pairs of intervals across a block edge are lost, a
 * negligible share); the correlation is C(θ)/√(Σ_k RV_X,k · Σ_k RV_Y,k). The grid is the centre
 * (rounded to a multiple of `step`) ± `halfWidth` in `step`s, plus 0, then refined in `fineStep`s
 * within one coarse step of the best coarse shift. The lead is the argmax of C (ties to the
 * smallest |θ|). Its uncertainty: the blocks are resampled with replacement `resamples` times,
 * their covariance curves summed and the argmax taken (a moving-block bootstrap with blocks of
 * one; Künsch, Ann. Statist. 17 (1989) 1217); the interval is the 95 % percentile interval of
 * those leads. Consistency of the argmax: Hoffmann, Rosenbaum & Yoshida, Bernoulli 19 (2013)
 * 426. Blocks where either series has fewer than two ticks contribute 0. O((n + m) · shifts +
 * resamples · shifts · blocks).
 *
 * RangeError when the block lists differ in length or are empty, or for a non-positive step.
 */
export function blockLeadLagScan(x: readonly TickSeries[], y: readonly TickSeries[], options: BlockLeadLagOptions = {}): BlockLeadLag {
  if (x.length !== y.length || x.length === 0) throw new RangeError(`invalid blocks: ${x.length} and ${y.length}`);
  const coarse = blockLeadLagCoarse(options);
  const nb = x.length;
  let va = 0;
  let vb = 0;
  for (let k = 0; k < nb; ++k) (va += x[k].variance), (vb += y[k].variance);
  const curves = new Map<number, Float64Array>(); // shift → per-block covariance
  const scan = (shifts: number[]) => {
    const pending = shifts.filter((s) => !curves.has(s));
    if (!pending.length) return;
    const per = pending.map(() => new Float64Array(nb));
    for (let k = 0; k < nb; ++k) {
      if (x[k].time.length < 2 || y[k].time.length < 2) continue;
      const r = leadLagScan(x[k], y[k], {shifts: pending, by: options.by});
      for (let i = 0; i < pending.length; ++i) per[i][k] = r.covariance[i];
    }
    pending.forEach((s, i) => curves.set(s, per[i]));
  };
  scan(coarse);
  scan(blockLeadLagFine(coarse, curves, options));
  return blockLeadLagFrom(curves, va, vb, options);
}

/**
 * The coarse grid of {@link blockLeadLagScan}: the centre rounded to a multiple of `step`, ±
 * `halfWidth` in `step`s, then 0 when it is not on it. RangeError for invalid options.
 */
export function blockLeadLagCoarse(options: BlockLeadLagOptions = {}): number[] {
  const {centre = 0, halfWidth = 300, step = 20, fineStep = 5, resamples = 999} = options;
  if (!(step > 0)) throw new RangeError(`invalid step: ${step}`);
  if (!(fineStep > 0)) throw new RangeError(`invalid fineStep: ${fineStep}`);
  if (!(halfWidth >= 0)) throw new RangeError(`invalid halfWidth: ${halfWidth}`);
  if (!(Number.isInteger(resamples) && resamples > 0)) throw new RangeError(`invalid resamples: ${resamples}`);
  if (!Number.isFinite(centre)) throw new RangeError(`invalid centre: ${centre}`);
  const coarse: number[] = [];
  const c0 = Math.round(centre / step) * step;
  for (let s = c0 - halfWidth; s <= c0 + halfWidth; s += step) coarse.push(s);
  if (!coarse.includes(0)) coarse.push(0);
  return coarse;
}

/** The block sum of a shift's per-block covariances, in block order. */
function blockTotal(curves: ReadonlyMap<number, Float64Array>, s: number): number {
  return curves.get(s)!.reduce((a, b) => a + b, 0);
}

/**
 * The refinement of {@link blockLeadLagScan}: the shifts in `fineStep`s within one coarse step of
 * the coarse shift of largest pooled covariance (the first in `coarse` order on ties), given the
 * per-block covariances of every coarse shift (`curves`: shift → one value per block).
 */
export function blockLeadLagFine(coarse: readonly number[], curves: ReadonlyMap<number, Float64Array>, {step = 20, fineStep = 5}: BlockLeadLagOptions = {}): number[] {
  let best = coarse[0];
  for (const s of coarse) if (blockTotal(curves, s) > blockTotal(curves, best)) best = s;
  const fine: number[] = [];
  for (let s = best - step + fineStep; s < best + step; s += fineStep) fine.push(s);
  return fine;
}

/**
 * The rest of {@link blockLeadLagScan} once the per-block covariances of every coarse and fine
 * shift are known (`curves`: shift → one value per block, blocks in order) with the blocks' summed
 * realised variances `va`, `vb`: the pooled correlation curve, the lead, and the block bootstrap
 * of the argmax. Shared by the whole-series scan and a streamed one (lib/block-lead-lag-stream.ts).
 */
export function blockLeadLagFrom(curves: ReadonlyMap<number, Float64Array>, va: number, vb: number, {resamples = 999, seed = 0}: BlockLeadLagOptions = {}): BlockLeadLag {
  const norm = Math.sqrt(va * vb);
  const total = (s: number) => blockTotal(curves, s);
  const shift = [...curves.keys()].sort((a, b) => a - b);
  const nb = curves.get(shift[0])!.length;
  const cov = shift.map(total);
  let bi = 0;
  for (let i = 1; i < shift.length; ++i) if (cov[i] > cov[bi] || (cov[i] === cov[bi] && Math.abs(shift[i]) < Math.abs(shift[bi]))) bi = i;
  const lead = shift[bi];
  // Block bootstrap of the argmax.
  const random = mulberry32(seed);
  const idx = new Int32Array(nb);
  const leads = new Float64Array(resamples);
  const rows = shift.map((s) => curves.get(s)!);
  let other = 0;
  for (let r = 0; r < resamples; ++r) {
    blockBootstrapIndices(nb, 1, random, idx);
    let bs = 0;
    let bv = -Infinity;
    for (let i = 0; i < shift.length; ++i) {
      let v = 0;
      for (let k = 0; k < nb; ++k) v += rows[i][idx[k]];
      if (v > bv) (bv = v), (bs = shift[i]);
    }
    leads[r] = bs;
    if (lead === 0 ? bs !== 0 : Math.sign(bs) !== Math.sign(lead)) ++other;
  }
  let mean = 0;
  for (let r = 0; r < resamples; ++r) mean += leads[r];
  mean /= resamples;
  let ss = 0;
  for (let r = 0; r < resamples; ++r) ss += (leads[r] - mean) ** 2;
  return {
    shift,
    correlation: cov.map((c) => (norm > 0 ? c / norm : NaN)),
    lead,
    peak: norm > 0 ? cov[bi] / norm : NaN,
    interval: percentileInterval(leads, 0.95),
    se: resamples > 1 ? Math.sqrt(ss / (resamples - 1)) : NaN,
    pSign: (other + 1) / (resamples + 1),
    zeroLag: norm > 0 ? total(0) / norm : NaN
  };
}
