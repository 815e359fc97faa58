/**
 * Microstructure kernels: FFT autocorrelation of trade signs and the Hayashi–Yoshida sweep on a
 * simulated day of ticks.
 */
import {acf} from "../lib/acf.ts";
import {leadLagScan, hayashiYoshida, type TickSeries} from "../lib/hayashi-yoshida.ts";
import {vecm} from "../lib/vecm.ts";
import {informationShares} from "../lib/information-share.ts";
import {mulberry32, randomExponential, randomNormal} from "../lib/random.ts";
import {timeMs, type BenchRow} from "./types.ts";

/** Direct O(n·L) biased sample autocorrelation, the reference. */
function acfDirect(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; ++i) m += x[i];
  m /= n;
  const c = new Float64Array(n);
  for (let i = 0; i < n; ++i) c[i] = x[i] - m;
  const r = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag; ++k) {
    let s = 0;
    for (let t = 0; t + k < n; ++t) s += c[t] * c[t + k];
    r[k] = s;
  }
  for (let k = maxLag; k >= 0; --k) r[k] /= r[0];
  return r;
}

function signs(n: number, seed: number): Int8Array {
  const random = mulberry32(seed);
  const x = new Int8Array(n);
  // Persistent signs (runs), like order splitting.
  let s = 1;
  for (let i = 0; i < n; ++i) {
    if (random() < 0.2) s = random() < 0.5 ? -1 : 1;
    x[i] = s;
  }
  return x;
}

/** A day of ticks at Poisson times with a random-walk log price, built directly as a TickSeries. */
function day(n: number, seed: number): TickSeries {
  const random = mulberry32(seed);
  const rate = n / 86_400_000;
  const time = new Float64Array(n);
  const value = new Float64Array(n);
  let t = 0;
  let v = Math.log(30000);
  let variance = 0;
  for (let i = 0; i < n; ++i) {
    t += Math.max(1e-3, randomExponential(random, rate));
    const d = 2e-5 * randomNormal(random);
    v += d;
    if (i > 0) variance += d * d;
    time[i] = t;
    value[i] = v;
  }
  return {time, value, origin: 0, variance};
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const L = 1000;

  const small = signs(100_000, 1);
  const directMs = timeMs(() => acfDirect(small, L), 2);
  const directNs = (directMs * 1e6) / small.length;
  for (const n of [1_000_000, 10_000_000]) {
    const x = signs(n, 2);
    const ms = timeMs(() => acf(x, L), n > 1e6 ? 2 : 5);
    rows.push({
      name: `acf ${L} lags, ${n / 1e6}e6 signs (FFT)`,
      value: (ms * 1e6) / n,
      unit: "ns/sample",
      reference: {name: "direct O(n·L) acf on 1e5", value: directNs},
      target: n > 1e6 ? "< 5 s total" : undefined,
      met: n > 1e6 ? ms < 5000 : undefined
    });
  }

  // Hayashi–Yoshida on a simulated day: 1e7 ticks on X, 5e6 on Y (8.6 ms and 17 ms apart on
  // average). Figures per tick (n + m) and per shift, wall clock and CPU time (the machine is
  // shared, so CPU time is the steadier figure). The 401-shift scan runs on the first tenth of the
  // day (same tick density, so the same cost per tick) unless BENCH_FULL=1 asks for the whole day.
  const x = day(10_000_000, 3);
  const y = day(5_000_000, 4);
  const ticks = x.time.length + y.time.length;
  let cpu = process.cpuUsage();
  const oneMs = timeMs(() => hayashiYoshida(x, y, {shift: 0}), 3);
  const oneCpuNs = (process.cpuUsage(cpu).user * 1e3) / 4 / ticks;
  const oneNs = (oneMs * 1e6) / ticks;
  rows.push({name: "hayashiYoshida one shift, 1e7 + 5e6 ticks (wall)", value: oneNs, unit: "ns/tick"});
  rows.push({name: "hayashiYoshida one shift, 1e7 + 5e6 ticks (CPU)", value: oneCpuNs, unit: "ns/tick"});
  const full = process.env.BENCH_FULL === "1";
  const part = (s: TickSeries, end: number): TickSeries => {
    let k = 0;
    while (k < s.time.length && s.time[k] < end) ++k;
    return {time: s.time.subarray(0, k), value: s.value.subarray(0, k), origin: 0, variance: s.variance};
  };
  const xs = full ? x : part(x, 8_640_000);
  const ys = full ? y : part(y, 8_640_000);
  const scanTicks = xs.time.length + ys.time.length;
  cpu = process.cpuUsage();
  const t0 = performance.now();
  const scan = leadLagScan(xs, ys); // 401 shifts, −2 s … +2 s by 10 ms
  const scanMs = performance.now() - t0;
  const scanCpuNs = (process.cpuUsage(cpu).user * 1e3) / (scanTicks * scan.shift.length);
  const label = full ? "1e7 + 5e6 ticks" : "1e6 + 5e5 ticks (a tenth of the day)";
  rows.push({
    name: `leadLagScan ${scan.shift.length} shifts, ${label} (CPU)`,
    value: scanCpuNs,
    unit: "ns/tick/shift",
    reference: {name: "one shift (CPU)", value: oneCpuNs}
  });
  rows.push({
    name: `leadLagScan ${scan.shift.length} shifts on the full day, ${full ? "measured" : "extrapolated"} (CPU)`,
    value: (scanCpuNs * ticks * scan.shift.length) / 1e9,
    unit: "s"
  });
  rows.push({name: `leadLagScan ${scan.shift.length} shifts, ${label} (wall)`, value: scanMs / 1000, unit: "s"});

  // VECM + information shares on a day of 1 s prices of two venues, 5 lagged differences.
  const random = mulberry32(5);
  const T = 86_400;
  const p0 = new Float64Array(T);
  const p1 = new Float64Array(T);
  for (let t = 1; t < T; ++t) {
    p0[t] = p0[t - 1] + 1e-4 * randomNormal(random);
    p1[t] = p1[t - 1] + 0.3 * (p0[t - 1] - p1[t - 1]) + 1e-4 * randomNormal(random);
  }
  const vecmMs = timeMs(() => informationShares(vecm([p0, p1], {lags: 5})), 5);
  rows.push({name: "vecm(lags 5) + informationShares, 2 venues × 86400 s", value: vecmMs, unit: "ms"});
  return rows;
}
