/**
 * What the information benchmarks share: their seeded data and how they time a call.
 *
 * Times are CPU times of this process (process.cpuUsage) or wall times, medians over repeats
 * after warm-up runs; CPU times are inflated less by other jobs on a shared machine, wall times
 * are what a caller waits for when the work is spread over threads.
 */
import {mulberry32} from "../../lib/random.ts";

/** Median CPU time of `f` in milliseconds over `repeats` runs after `warmup` runs. */
export function cpuMs(f: () => unknown, repeats = 5, warmup = 3): number {
  for (let i = 0; i < warmup; ++i) f();
  const times: number[] = [];
  for (let i = 0; i < repeats; ++i) {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

/** Median wall time of the awaited `f` in milliseconds over `repeats` runs after `warmup` runs. */
export async function wallMs(f: () => Promise<unknown>, repeats = 5, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; ++i) await f();
  const times: number[] = [];
  for (let i = 0; i < repeats; ++i) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function median(times: number[]): number {
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Ternary source and a target copying it with probability 0.3 (delay 1), else uniform; seeded. */
export function ternaryPair(n: number, seed: number): [Uint8Array, Uint8Array] {
  const random = mulberry32(seed);
  const x = new Uint8Array(n);
  const y = new Uint8Array(n);
  for (let t = 0; t < n; ++t) {
    x[t] = Math.floor(random() * 3);
    y[t] = t > 0 && random() < 0.3 ? x[t - 1] : Math.floor(random() * 3);
  }
  return [x, y];
}
