// The circular-shift surrogate test split over worker threads (loaders/parallel-surrogates.ts)
// gives the single-thread test's result value for value, for any number of workers.
import test from "node:test";
import assert from "node:assert/strict";
import {circularTransferEntropyTest} from "../../lib/circular-transfer-entropy.ts";
import {mulberry32} from "../../lib/random.ts";
import {parallelCircularRun, parallelCircularTest, surrogatePool} from "../../loaders/parallel-surrogates.ts";

function coupled(n: number, seed: number): [Uint8Array, Uint8Array] {
  const r = mulberry32(seed);
  const x = new Uint8Array(n);
  const y = new Uint8Array(n);
  for (let t = 0; t < n; ++t) {
    x[t] = t > 0 && r() < 0.5 ? x[t - 1] : Math.floor(r() * 3);
    y[t] = t > 0 && r() < 0.2 ? x[t - 1] : Math.floor(r() * 3);
  }
  return [x, y];
}

test("parallelCircularTest equals circularTransferEntropyTest on 1, 2 and 3 workers", async () => {
  const [x, y] = coupled(20_011, 4);
  const options = {base: 3, k: 2, surrogates: 101, seed: 5};
  const ref = circularTransferEntropyTest(x, y, options);
  for (const workers of [1, 2, 3]) {
    const pool = surrogatePool(workers);
    try {
      const got = await parallelCircularTest(pool, x, y, options);
      assert.deepEqual([...got.surrogates], [...ref.surrogates], `${workers} workers`);
      assert.deepEqual({...got, surrogates: null}, {...ref, surrogates: null}, `${workers} workers`);
      const run = await parallelCircularRun(pool, x, y, options);
      assert.deepEqual([...run.test.surrogates], [...ref.surrogates]);
      assert.equal(run.rangeCpuMs.length, workers, "one CPU time per range");
      if (process.platform === "linux") for (const ms of run.rangeCpuMs) assert.ok(ms >= 0 && Number.isFinite(ms), `range CPU ${ms} ms`);
    } finally {
      await pool.close();
    }
  }
});

test("parallelCircularTest rejects bad symbols with the kernel's error", async () => {
  const pool = surrogatePool(2);
  try {
    await assert.rejects(parallelCircularTest(pool, [0, 1, 7, 1, 0, 2], [0, 1, 1, 0, 2, 1], {base: 3, surrogates: 4}), {name: "RangeError", message: /invalid symbol: 7/});
    await assert.rejects(parallelCircularTest(pool, [0, 1], [0, 1], {surrogates: 0}), /invalid surrogates/);
  } finally {
    await pool.close();
  }
});
