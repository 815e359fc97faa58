// Task handlers for the TaskPool tests, loaded by the pool's workers.
import {isMainThread, threadId, workerData} from "node:worker_threads";
import {serveTask} from "../../../loaders/task-pool.ts";

// A pool's second worker takes a second to load, so that a test sees a task fail while a worker
// is still starting.
if (!isMainThread && (workerData as {index?: number}).index === 1) await new Promise((r) => setTimeout(r, 1000));

/** Squares `x` after `ms` milliseconds; reports the worker's thread id. */
export async function square({x, ms}: {x: number; ms: number}, log: (line: string) => void = () => {}): Promise<{y: number; thread: number; data: Float64Array}> {
  await new Promise((r) => setTimeout(r, ms));
  log(`square ${x}`);
  return {y: x * x, thread: threadId, data: Float64Array.of(x, x * x)};
}

serveTask("test:square", square, (r) => [r.data.buffer as ArrayBuffer]);
serveTask("test:fail", async ({why}: {why: string}) => {
  throw new Error(why);
});
serveTask("test:sum", async ({data}: {data: Float64Array}) => ({sum: data.reduce((a, b) => a + b, 0), length: data.length}));
