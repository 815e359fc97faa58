// Task handlers for the TaskPool tests, loaded by the pool's workers.
import {threadId} from "node:worker_threads";
import {serveTask} from "../../../loaders/task-pool.ts";

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
