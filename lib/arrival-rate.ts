/**
 * Trade arrival rates: trades per second overall and by hour of the day, and the Fano factor of
 * windowed counts that measures their clustering.
 */
import {median} from "./moments.js";
import {bisectLeft} from "./bisect.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An arrival-rate estimate. */
export interface ArrivalRate {
  /** Trades counted. */
  count: number;
  /** Exposure (observation time) in seconds. */
  seconds: number;
  /** count/seconds, trades per second. */
  rate: number;
  /** Poisson standard error √count/seconds (a lower bound under clustering). */
  rateSE: number;
}

function checkTimes(time: ArrayLike<number>): void {
  for (let i = 0; i < time.length; ++i) {
    const t = time[i];
    if (!Number.isFinite(t)) throw new RangeError(`invalid time[${i}]: ${t}`);
    if (i > 0 && t < time[i - 1]) throw new RangeError(`invalid time[${i}]: ${t} (before time[${i - 1}])`);
  }
}

/**
 * Mean trade arrival rate λ = N/T in trades per second from trade times `time` in epoch
 * milliseconds (sorted ascending). With a window [start, end) (ms), N counts the trades in it
 * and T = (end − start)/1000; without one, T is the time from the first to the last trade and
 * N = n − 1 (the inter-arrival intervals inside T), the maximum-likelihood rate of a Poisson
 * process observed from its first event (Cox & Lewis, The Statistical Analysis of Series of
 * Events, 1966, ch. 3). The standard error √N/T assumes Poisson arrivals; trade arrivals are
 * clustered (self-exciting; Hawkes, Biometrika 58 (1971) 83), so the true uncertainty is
 * larger — estimate it from per-day or per-hour rates.
 *
 * NaN rate if T = 0. RangeError if a time is not finite or times are not sorted, or if the
 * window is empty or reversed.
 */
export function arrivalRate(time: ArrayLike<number>, {start, end}: {start?: number; end?: number} = {}): ArrivalRate {
  checkTimes(time);
  const n = time.length;
  let count: number;
  let seconds: number;
  if (start === undefined && end === undefined) {
    count = Math.max(0, n - 1);
    seconds = n > 1 ? (time[n - 1] - time[0]) / 1000 : 0;
  } else {
    const a = start ?? (n ? time[0] : 0);
    const b = end ?? (n ? time[n - 1] + 1e-3 : 0);
    if (!(a < b)) throw new RangeError(`invalid window: [${a}, ${b})`);
    count = 0;
    for (let i = 0; i < n; ++i) if (time[i] >= a && time[i] < b) ++count;
    seconds = (b - a) / 1000;
  }
  return rateOf(count, seconds);
}

/** The {@link ArrivalRate} of `count` trades in `seconds`: N/T and √N/T (NaN when T is 0). */
export function rateOf(count: number, seconds: number): ArrivalRate {
  const rate = seconds > 0 ? count / seconds : NaN;
  return {count, seconds, rate, rateSE: seconds > 0 ? Math.sqrt(count) / seconds : NaN};
}

/** Arrival rates by hour of the day. */
export interface HourlyArrivalRate {
  /** Hour of the day 0..23 (UTC plus `utcOffsetHours`). */
  hour: Int32Array;
  /** Trades in each hour of the day, summed over days. */
  count: Float64Array;
  /** Exposure of each hour of the day in seconds, summed over days. */
  seconds: Float64Array;
  /** count/seconds, trades per second (NaN for an hour never observed). */
  rate: Float64Array;
  /** Poisson standard error √count/seconds. */
  rateSE: Float64Array;
}

/**
 * Intraday seasonality of trading activity: trades per second in each hour of the day (UTC,
 * shifted by `utcOffsetHours`), pooled over days. Each hour's exposure is the exact time the
 * observation window [start, end) (ms; default from the first trade to just after the last)
 * spends in that hour, so partial first and last days are weighted correctly. Rates in trades
 * per second with Poisson standard errors (see `arrivalRate` for their caveat). Crypto venues
 * trade 24/7 yet show a strong daily cycle peaking at the US equity open (Eross, McGroarty,
 * Urquhart & Wolfe, Res. Int. Bus. Finance 49 (2019) 232).
 *
 * RangeError for unsorted or non-finite times, an empty window or a non-integer offset.
 */
export function hourlyArrivalRate(
  time: ArrayLike<number>,
  {start, end, utcOffsetHours = 0}: {start?: number; end?: number; utcOffsetHours?: number} = {}
): HourlyArrivalRate {
  checkTimes(time);
  if (!Number.isInteger(utcOffsetHours)) throw new RangeError(`invalid utcOffsetHours: ${utcOffsetHours}`);
  const n = time.length;
  const a = start ?? (n ? time[0] : 0);
  const b = end ?? (n ? time[n - 1] + 1e-3 : 0);
  if (!(a < b)) throw new RangeError(`invalid window: [${a}, ${b})`);
  const hourOf = hourOfDay(utcOffsetHours);
  const count = new Float64Array(24);
  for (let i = 0; i < n; ++i) if (time[i] >= a && time[i] < b) count[hourOf(time[i])] += 1;
  return hourlyRates(count, a, b, utcOffsetHours);
}

/** The hour of the day (0..23, UTC shifted by `utcOffsetHours`) of an epoch-ms time. */
export function hourOfDay(utcOffsetHours = 0): (t: number) => number {
  const shift = utcOffsetHours * HOUR;
  return (t: number) => Math.floor((((t + shift) % DAY) + DAY) % DAY / HOUR);
}

/**
 * {@link hourlyArrivalRate} from its trade counts per hour of the day (`count`, 24 entries, the
 * trades of [a, b) by `hourOfDay`): each hour's exposure in [a, b) and the rates. Shared by the
 * whole-column function and the streamed one (lib/arrival-stream.ts).
 */
export function hourlyRates(count: Float64Array, a: number, b: number, utcOffsetHours = 0): HourlyArrivalRate {
  const shift = utcOffsetHours * HOUR;
  const hourOf = hourOfDay(utcOffsetHours);
  const seconds = new Float64Array(24);
  // Exposure: walk the window hour boundary by hour boundary (whole days in one step).
  const days = Math.floor((b - a) / DAY);
  if (days > 0) for (let h = 0; h < 24; ++h) seconds[h] += days * 3600;
  for (let t = a + days * DAY; t < b; ) {
    const next = Math.min(b, (Math.floor((t + shift) / HOUR) + 1) * HOUR - shift);
    seconds[hourOf(t)] += (next - t) / 1000;
    t = next;
  }
  const rate = new Float64Array(24);
  const rateSE = new Float64Array(24);
  for (let h = 0; h < 24; ++h) {
    rate[h] = seconds[h] > 0 ? count[h] / seconds[h] : NaN;
    rateSE[h] = seconds[h] > 0 ? Math.sqrt(count[h]) / seconds[h] : NaN;
  }
  return {hour: Int32Array.from({length: 24}, (_, h) => h), count, seconds, rate, rateSE};
}

/**
 * Fano factor of trade counts, F = s²/m̄ (sample variance over mean) of the number of trades in
 * consecutive windows of `windowMs` ms, computed within each block of `blockMs` (default one
 * hour, so that the intraday cycle does not count as clustering) over [start, end), and the
 * median over blocks taken. Blocks with fewer than 10 whole windows or no trade are skipped. F is
 * 1 for a Poisson process and tends to 1/(1 − n)² at long windows for a stationary Hawkes
 * process of branching ratio n (Hawkes, Biometrika 58 (1971) 83; Hardiman, Bercot & Bouchaud,
 * EPJ B 86 (2013) 442), so F > 1 measures clustering. Times in ms, sorted ascending.
 *
 * NaN if no block qualifies; RangeError for a non-positive window or block, or an unsorted or
 * non-finite time.
 */
export function fanoFactor(
  time: ArrayLike<number>,
  {start, end, windowMs, blockMs = HOUR}: {start: number; end: number; windowMs: number; blockMs?: number}
): number {
  if (!(windowMs > 0)) throw new RangeError(`invalid windowMs: ${windowMs}`);
  if (!(blockMs > 0)) throw new RangeError(`invalid blockMs: ${blockMs}`);
  checkTimes(time);
  const per: number[] = [];
  for (let h = start; h < end; h += blockMs) {
    const e = Math.min(end, h + blockMs);
    const m = Math.floor((e - h) / windowMs);
    if (m < 10) continue;
    const counts = new Float64Array(m);
    for (let i = bisectLeft(time, h), z = bisectLeft(time, h + m * windowMs); i < z; ++i) ++counts[Math.floor((time[i] - h) / windowMs)];
    const f = fanoOfCounts(counts);
    if (f !== null) per.push(f);
  }
  return median(per);
}

/**
 * The Fano factor s²/m̄ of one block's window counts (sample variance, m − 1), or null when the
 * mean is 0 (the block is skipped). Shared by {@link fanoFactor} and the streamed one
 * (lib/arrival-stream.ts).
 */
export function fanoOfCounts(counts: Float64Array): number | null {
  const m = counts.length;
  let sum = 0;
  for (let i = 0; i < m; ++i) sum += counts[i];
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; ++i) ss += (counts[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (m - 1));
  return mean > 0 ? (sd * sd) / mean : null;
}
