/**
 * Hayashi–Yoshida covariance and correlation of two asynchronously observed price series, and a
 * lead-lag scan over time shifts, without any binning or interpolation.
 */

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
 * Hayashi–Yoshida sum for prepared series with Y's clock shifted: Σ_i ΔX_i·ΔY over the Y
 * intervals that overlap (s_{i−1}, s_i] after moving every Y time by −shift. O(n + m).
 */
function sweep(x: TickSeries, y: TickSeries, shift: number): number {
  const s = x.time;
  const xv = x.value;
  const t = y.time;
  const yv = y.value;
  const n = s.length;
  const m = t.length;
  if (n < 2 || m < 2) return NaN;
  // Y's clock shifted by −shift: a Y time t_j sits at t_j − shift; compare t_j with s + shift.
  const delta = shift + (x.origin - y.origin);
  // lo = #{j : t_j ≤ s_{i−1} + delta}, hi = #{j : t_j < s_i + delta}; lo ≤ hi since s_{i−1} < s_i.
  let a = s[0] + delta;
  let hi = 0;
  while (hi < m && t[hi] < a) ++hi;
  let lo = hi;
  while (lo < m && t[lo] <= a) ++lo;
  let sum = 0;
  const last = m - 1;
  for (let i = 1; i < n; ++i) {
    const b = s[i] + delta;
    while (hi < m && t[hi] < b) ++hi;
    const jlo = lo > 1 ? lo : 1;
    const jhi = hi < last ? hi : last;
    if (jlo <= jhi) sum += (xv[i] - xv[i - 1]) * (yv[jhi] - yv[jlo - 1]);
    lo = hi;
    while (lo < m && t[lo] <= b) ++lo;
  }
  return sum;
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
  const covariance = sweep(a, b, shift);
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
  {shifts, from = -2000, to = 2000, step = 10}: {shifts?: ArrayLike<number>; from?: number; to?: number; step?: number} = {}
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
  for (let i = 0; i < grid.length; ++i) {
    const c = sweep(a, b, grid[i]);
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
