// Task handlers for the TaskPool tests, loaded by the pool's workers.
import {isMainThread, threadId, workerData} from "node:worker_threads";
import {serveTask} from "../../../loaders/task-pool.ts";

// A pool's second worker takes a second to load, so that a test sees a task fail while a worker
// is still starting.
if (!isMainThread && (workerData as {index?: number}).index === 1) await new Promise((r) => setTimeout(r, 1000));

/**
 * Squares `x` after `ms` milliseconds; reports the worker's thread id. With `active` (an Int32Array
 * on a SharedArrayBuffer), counts the tasks running at once in `active[0]` and their most in `active[1]`.
 */
export async function square(
  {x, ms, active}: {x: number; ms: number; active?: Int32Array},
  log: (line: string) => void = () => {}
): Promise<{y: number; thread: number; data: Float64Array}> {
  if (active) {
    const now = Atomics.add(active, 0, 1) + 1;
    for (let max = Atomics.load(active, 1); now > max; max = Atomics.load(active, 1)) Atomics.compareExchange(active, 1, max, now);
  }
  await new Promise((r) => setTimeout(r, ms));
  if (active) Atomics.sub(active, 0, 1);
  log(`square ${x}`);
  return {y: x * x, thread: threadId, data: Float64Array.of(x, x * x)};
}

serveTask("test:square", square, (r) => [r.data.buffer as ArrayBuffer]);
/**
 * Counts itself in `meet[0]` and waits (up to `waitMs`) until `parties` tasks have arrived: all
 * of them return true only when they run at the same time.
 */
export function meet({meet, parties, waitMs}: {meet: Int32Array; parties: number; waitMs: number}): {met: boolean; thread: number} {
  Atomics.add(meet, 0, 1);
  Atomics.notify(meet, 0);
  const deadline = Date.now() + waitMs;
  for (let seen = Atomics.load(meet, 0); seen < parties; seen = Atomics.load(meet, 0)) {
    const left = deadline - Date.now();
    if (left <= 0) return {met: false, thread: threadId};
    Atomics.wait(meet, 0, seen, left);
  }
  return {met: true, thread: threadId};
}

serveTask("test:meet", async (d: {meet: Int32Array; parties: number; waitMs: number}) => meet(d));
serveTask("test:fail", async ({why}: {why: string}) => {
  throw new Error(why);
});
serveTask("test:sum", async ({data}: {data: Float64Array}) => ({sum: data.reduce((a, b) => a + b, 0), length: data.length}));
