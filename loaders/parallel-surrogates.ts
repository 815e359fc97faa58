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

serveTask<RangeTask, CircularSurrogates>(
  "circular-surrogates",
  async ({source, target, options, from, to}) => circularSurrogates(source, target, options, from, to),
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
 * pool's workers (one contiguous range each); the same result, value for value. Rejects with the
 * kernel's error (named RangeError, its message prefixed with the range) for invalid options or
 * symbols.
 */
export async function parallelCircularTest(
  pool: TaskPool,
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): Promise<TransferEntropyTest> {
  const S = options.surrogates ?? 200;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const parts = Math.min(pool.concurrency, S);
  const src = parts > 1 ? shared(source) : source;
  const tgt = parts > 1 ? shared(target) : target;
  const ranges = Array.from({length: parts}, (_, i) => [Math.floor((S * i) / parts), Math.floor((S * (i + 1)) / parts)] as const);
  const results = await Promise.all(
    ranges.map(([from, to]) =>
      pool.run<CircularSurrogates>(
        `circular surrogates ${from}–${to - 1}`,
        {task: "circular-surrogates", source: src, target: tgt, options, from, to},
        async () => circularSurrogates(src, tgt, options, from, to)
      )
    )
  );
  const surrogates = new Float64Array(S);
  results.forEach((r, i) => surrogates.set(r.surrogates, ranges[i][0]));
  return surrogateTest(results[0].te, surrogates, results[0].samples, "circular");
}
