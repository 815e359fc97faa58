/**
 * Progress lines for long chapter computations. A chapter's surrogate tests run synchronously on
 * the loader's thread for minutes (hours with many surrogates), so no timer of that thread can
 * report; a small worker thread writes straight to stderr (fd 2) instead, every `everyMs`, until
 * stopped.
 */
import {Worker} from "node:worker_threads";

// Dynamic imports: the worker's code runs as CommonJS or as a module, as the process's flags say.
const SOURCE = `
Promise.all([import("node:fs"), import("node:worker_threads")]).then(([{writeSync}, {workerData}]) => {
  const started = Date.now();
  setInterval(() => {
    const min = (Date.now() - started) / 60000;
    writeSync(2, workerData.label + ": still computing, " + (min < 10 ? min.toFixed(1) : Math.round(min)) + " min so far" + workerData.note + "\\n");
  }, workerData.everyMs);
});
`;

/**
 * Starts writing `<label>: still computing, <m> min so far<note>` on stderr every `everyMs`
 * (default one minute); returns the function that stops it.
 */
export function startHeartbeat(label: string, {everyMs = 60_000, note = ""}: {everyMs?: number; note?: string} = {}): () => Promise<void> {
  if (!(everyMs > 0)) throw new RangeError(`invalid everyMs: ${everyMs}`);
  const worker = new Worker(SOURCE, {eval: true, workerData: {label, everyMs, note}, stdout: false, stderr: false});
  worker.unref();
  return async () => {
    await worker.terminate();
  };
}
