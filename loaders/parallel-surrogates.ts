/**
 * Circular-shift surrogate tests of transfer entropy split over a worker pool: the S surrogates
 * of one link are cut into one contiguous range of surrogate indices per worker
 * (`circularSurrogates` of lib/circular-transfer-entropy.ts, which draws the same shifts for a
 * range as the whole test does), each range is computed on its own thread, and the ranges are
 * concatenated and assembled by `surrogateTest` (lib/transfer-entropy.ts): value for value the
 * single-thread `circularTransferEntropyTest`, in about 1/workers of its wall time once the
 * workers are up. The symbols are copied once into shared memory that every worker reads.
 *
 *   const pool = surrogatePool(2);
 *   const test = await parallelCircularTest(pool, source, target, {base: 3, surrogates: 1000, seed: 1});
 *   await pool.close();
 */
import {readFileSync} from "node:fs";
import {circularSurrogates, type CircularSurrogates} from "../lib/circular-transfer-entropy.ts";
import {surrogateTest, type TransferEntropyTest, type TransferEntropyTestOptions} from "../lib/transfer-entropy.ts";
import {serveTask, TaskPool} from "./task-pool.ts";

interface RangeTask {
  task: "circular-surrogates";
  source: Int32Array;
  target: Int32Array;
  options: TransferEntropyTestOptions;
  from: number;
  to: number;
}

/** A range's surrogates with the CPU time its thread spent on them (ms; NaN where unknown). */
type RangeResult = CircularSurrogates & {cpuMs: number};

/**
 * CPU time of the calling thread in ms (user + system, from /proc/thread-self/stat in clock ticks
 * of 10 ms); NaN where that file does not exist (not Linux).
 */
export function threadCpuMs(): number {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** One range on this thread, timed. */
function range(source: ArrayLike<number>, target: ArrayLike<number>, options: TransferEntropyTestOptions, from: number, to: number): RangeResult {
  const c0 = threadCpuMs();
  const r = circularSurrogates(source, target, options, from, to);
  return {...r, cpuMs: threadCpuMs() - c0};
}

serveTask<RangeTask, RangeResult>(
  "circular-surrogates",
  async ({source, target, options, from, to}) => range(source, target, options, from, to),
  (r) => [r.surrogates.buffer as ArrayBuffer]
);

/** A pool of `workers` threads that serve {@link parallelCircularTest} (one worker: no thread, the same code inline). */
export function surrogatePool(workers: number): TaskPool {
  return new TaskPool(workers, import.meta.url);
}

/** The symbols in shared memory (Int32), so that every worker reads one copy. */
function shared(x: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(4 * x.length));
  for (let i = 0; i < x.length; ++i) out[i] = x[i];
  return out;
}

/**
 * `circularTransferEntropyTest(source, target, options)` with its surrogates split over the
 * pool's workers (one contiguous range each); the same result, value for value, with the CPU
 * time each range's thread spent (`rangeCpuMs`, ms, 10 ms resolution; NaN off Linux). Rejects
 * with the kernel's error (named RangeError, its message prefixed with the range) for invalid
 * options or symbols.
 */
export async function parallelCircularRun(
  pool: TaskPool,
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): Promise<{test: TransferEntropyTest; rangeCpuMs: number[]}> {
  const S = options.surrogates ?? 200;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const parts = Math.min(pool.concurrency, S);
  const src = parts > 1 ? shared(source) : source;
  const tgt = parts > 1 ? shared(target) : target;
  const ranges = Array.from({length: parts}, (_, i) => [Math.floor((S * i) / parts), Math.floor((S * (i + 1)) / parts)] as const);
  const results = await Promise.all(
    ranges.map(([from, to]) =>
      pool.run<RangeResult>(`circular surrogates ${from}–${to - 1}`, {task: "circular-surrogates", source: src, target: tgt, options, from, to}, async () => range(src, tgt, options, from, to))
    )
  );
  const surrogates = new Float64Array(S);
  results.forEach((r, i) => surrogates.set(r.surrogates, ranges[i][0]));
  return {test: surrogateTest(results[0].te, surrogates, results[0].samples, "circular"), rangeCpuMs: results.map((r) => r.cpuMs)};
}

/** {@link parallelCircularRun}'s test alone. */
export async function parallelCircularTest(
  pool: TaskPool,
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): Promise<TransferEntropyTest> {
  return (await parallelCircularRun(pool, source, target, options)).test;
}
