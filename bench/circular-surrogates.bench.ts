/**
 * The circular-shift surrogate test of one transfer-entropy link at N = 10^6 (ternary symbols,
 * k = l = 1, 1000 surrogates): lib/circular-transfer-entropy.ts (grouped count tables) against
 * `transferEntropyTest(..., {method: "circular"})` of lib/transfer-entropy.ts (one table
 * increment per sample and surrogate), measured in the same process; the two are checked to give
 * the same surrogate values before any timing is reported. Target: at most 1 s for the 1000
 * surrogates, so that the null that keeps the source's memory costs no more than the shuffle
 * null (the shuffle row of information.bench.ts). One thread, so the figure holds on 2 cores
 * beside other work.
 *
 * Times are CPU times of this process (process.cpuUsage), medians over repeats after warm-up
 * runs, so that other jobs on a shared machine inflate them less than wall-clock times.
 */
import type {BenchRow} from "./types.ts";
import {circularTransferEntropyTest} from "../lib/circular-transfer-entropy.ts";
import {transferEntropyTest} from "../lib/transfer-entropy.ts";
import {mulberry32} from "../lib/random.ts";

/** Median CPU time of `f` in milliseconds over `repeats` runs after `warmup` runs. */
function cpuMs(f: () => unknown, repeats: number, warmup: number): number {
  for (let i = 0; i < warmup; ++i) f();
  const times: number[] = [];
  for (let i = 0; i < repeats; ++i) {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Ternary source and a target copying it with probability 0.3 (delay 1), else uniform (as in information.bench.ts). */
function series(n: number, seed: number): [Uint8Array, Uint8Array] {
  const random = mulberry32(seed);
  const x = new Uint8Array(n);
  const y = new Uint8Array(n);
  for (let t = 0; t < n; ++t) {
    x[t] = Math.floor(random() * 3);
    y[t] = t > 0 && random() < 0.3 ? x[t - 1] : Math.floor(random() * 3);
  }
  return [x, y];
}

export default async function (): Promise<BenchRow[]> {
  const [x, y] = series(1_000_000, 3);
  const options = {base: 3, surrogates: 1000, seed: 1};
  const fast = circularTransferEntropyTest(x, y, options);
  const ref = transferEntropyTest(x, y, {...options, method: "circular"});
  for (let i = 0; i < fast.surrogates.length; ++i)
    if (fast.surrogates[i] !== ref.surrogates[i]) throw new Error(`surrogate ${i} differs: ${fast.surrogates[i]} vs ${ref.surrogates[i]}`);
  const refMs = cpuMs(() => transferEntropyTest(x, y, {...options, method: "circular"}), 3, 1);
  const ms = cpuMs(() => circularTransferEntropyTest(x, y, options), 5, 2);
  return [
    {
      name: "circularTransferEntropyTest 1000 circular surrogates, 1e6 ternary, one thread",
      value: ms,
      unit: "ms (CPU)",
      reference: {name: "transferEntropyTest circular", value: refMs},
      target: "≤ 1000 ms",
      met: ms <= 1000
    }
  ];
}
