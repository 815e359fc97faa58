/**
 * The circular-shift surrogate test of one transfer-entropy link at N = 10^6 (ternary symbols,
 * k = l = 1, 1000 surrogates, the data of information.bench.ts's surrogate rows):
 *
 * - one thread: lib/circular-transfer-entropy.ts (grouped count tables) against
 *   `transferEntropyTest(..., {method: "circular"})` of lib/transfer-entropy.ts (one table
 *   increment per sample and surrogate), CPU time;
 * - two workers: loaders/parallel-surrogates.ts, the 1000 surrogates split over a pool of two
 *   worker threads (one per core), wall time with the pool already started (as a build keeps its
 *   pool for every link), and the first call with the pool's start-up for comparison; and the
 *   critical path in CPU time — the longer range's thread CPU plus the main thread's CPU for the
 *   split and the merge (/proc/thread-self/stat, 10 ms ticks) — which is the wall time on two
 *   free cores and is inflated far less by other jobs than the wall time is.
 *
 * Every implementation is checked to give the same surrogate values before any timing is
 * reported. Target: at most 1 s for the 1000 surrogates on 2 cores, so that the null that keeps
 * the source's memory costs no more than the shuffle null (the shuffle row of
 * information.bench.ts). Wall times count whatever else runs on the machine: run it alone, on an
 * idle machine.
 */
import type {BenchRow} from "./types.ts";
import {circularTransferEntropyTest} from "../lib/circular-transfer-entropy.ts";
import {transferEntropyTest, type TransferEntropyTest} from "../lib/transfer-entropy.ts";
import {parallelCircularRun, parallelCircularTest, surrogatePool, threadCpuMs} from "../loaders/parallel-surrogates.ts";
import {cpuMs, ternaryPair, wallMs} from "./support/measure.ts";

/** Throws unless `b`'s surrogates equal `a`'s value for value. */
function same(a: TransferEntropyTest, b: TransferEntropyTest, what: string): void {
  for (let i = 0; i < a.surrogates.length; ++i)
    if (a.surrogates[i] !== b.surrogates[i]) throw new Error(`${what}: surrogate ${i} differs: ${b.surrogates[i]} vs ${a.surrogates[i]}`);
  if (a.pValue !== b.pValue || a.te !== b.te) throw new Error(`${what}: TE or p-value differs`);
}

export default async function (): Promise<BenchRow[]> {
  const [x, y] = ternaryPair(1_000_000, 3);
  const options = {base: 3, surrogates: 1000, seed: 1};
  const fast = circularTransferEntropyTest(x, y, options);
  same(fast, transferEntropyTest(x, y, {...options, method: "circular"}), "circularTransferEntropyTest");
  const refMs = cpuMs(() => transferEntropyTest(x, y, {...options, method: "circular"}), 3, 1);
  const ms = cpuMs(() => circularTransferEntropyTest(x, y, options), 5, 2);

  const t0 = performance.now();
  const pool = surrogatePool(2);
  let coldMs: number;
  let warmMs: number;
  let pathMs: number;
  try {
    same(fast, await parallelCircularTest(pool, x, y, options), "parallelCircularTest");
    coldMs = performance.now() - t0;
    warmMs = await wallMs(() => parallelCircularTest(pool, x, y, options), 7, 2);
    const paths: number[] = [];
    for (let i = 0; i < 7; ++i) {
      const c0 = threadCpuMs();
      const run = await parallelCircularRun(pool, x, y, options);
      paths.push(Math.max(...run.rangeCpuMs) + threadCpuMs() - c0);
    }
    paths.sort((a, b) => a - b);
    pathMs = paths[paths.length >> 1];
  } finally {
    await pool.close();
  }
  const singleWall = await wallMs(async () => circularTransferEntropyTest(x, y, options), 3, 1);
  return [
    {
      name: "circularTransferEntropyTest 1000 circular surrogates, 1e6 ternary, one thread",
      value: ms,
      unit: "ms (CPU)",
      reference: {name: "transferEntropyTest circular", value: refMs}
    },
    {
      name: "parallelCircularTest 1000 circular surrogates, 1e6 ternary, 2 workers (pool started)",
      value: warmMs,
      unit: "ms (wall)",
      reference: {name: "one thread, wall", value: singleWall},
      target: "≤ 1000 ms",
      met: warmMs <= 1000
    },
    {
      name: "parallelCircularTest same, critical path: longer range's thread CPU + main thread's split and merge",
      value: pathMs,
      unit: "ms (CPU)",
      reference: {name: "one thread, CPU", value: ms},
      target: "≤ 1000 ms",
      met: pathMs <= 1000
    },
    {
      name: "parallelCircularTest same, first call including the pool's start-up",
      value: coldMs,
      unit: "ms (wall)"
    }
  ];
}
