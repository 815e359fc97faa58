/**
 * A pool of worker threads for the pipeline's independent tasks (simulating a venue, cleaning
 * one (venue, day), aggregating a venue).
 *
 * `new TaskPool(concurrency, module)` starts up to `concurrency` workers, each loading `module`
 * once through tsx; `pool.run(label, message, inline)` queues a task and resolves with its
 * result. Tasks start in the order they were queued (a task queued with a higher `priority`
 * before those of lower priority still waiting), each on the first free worker, which
 * serves it by the handler that `module` (or a module it imports) registered with
 * {@link serveTask} under `message.task`. With `concurrency` 1 no worker is started: tasks run
 * in this thread, one after the other, through `inline` — the same code, so the output does
 * not depend on the number of workers.
 *
 * Workers never write to stdout (a Framework loader's stdout is its output file): theirs goes
 * to stderr, and their log lines to `log`. The first failed task rejects its own promise and
 * every task not yet started, and stops the workers, so that nothing keeps writing into a
 * folder the caller is about to remove. `close()` stops the workers once the work is done.
 * A worker is stopped only between tasks: one busy with a task is stopped when that task ends
 * (its result is dropped), and `close()` waits for that. Terminating a thread in the middle of a
 * native library's asynchronous call (DuckDB's, writing the trade partitions) would abort the
 * whole process when the call completes into the stopped thread.
 */
import {isMainThread, parentPort, Worker, workerData} from "node:worker_threads";

/** What a worker receives for one task: the handler's name and its data (structured-cloneable). */
export interface TaskMessage {
  task: string;
  [key: string]: unknown;
}

type Reply = {id: number; log: string} | {id: number; ok: true; result: unknown} | {id: number; ok: false; error: string; name?: string; message?: string} | {ready: true};

/**
 * The error of a task that failed on a worker, labelled: its message is `<label>: <message>`, its
 * name the original's (e.g. `InputError`, so that callers can tell data errors from bugs), its
 * stack the worker's.
 */
function taskError(label: string, m: {error: string; name?: string; message?: string}): Error {
  const e = new Error(`${label}: ${m.message ?? m.error}`);
  if (m.name) e.name = m.name;
  e.stack = `${label}: ${m.error}`;
  return e;
}

interface Queued {
  label: string;
  message: TaskMessage;
  inline: () => Promise<unknown>;
  transfer: ArrayBuffer[];
  priority: number;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}

export class TaskPool {
  private readonly queue: Queued[] = [];
  private readonly workers: Worker[] = [];
  /** Started workers waiting for a task. */
  private readonly free: Worker[] = [];
  private running = 0;
  /** Workers started so far (each gets its number in `workerData.index`). */
  private started = 0;
  private failed: Error | undefined;
  private nextId = 0;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Per busy worker, a promise settled when its current task has answered (or the worker exited). */
  private readonly busy = new Map<Worker, Promise<void>>();
  /** Workers being stopped, each once its current task has ended. */
  private readonly stopping: Promise<unknown>[] = [];

  /**
   * @param concurrency tasks at once (worker threads when above 1)
   * @param module URL of the module that registers the handlers (loaded once per worker)
   * @param log receives the workers' log lines
   * @param beat called every few seconds while workers run (e.g. to keep a lock fresh)
   */
  constructor(
    readonly concurrency: number,
    readonly module: string,
    private readonly log: (line: string) => void = () => {},
    beat: () => void = () => {}
  ) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`invalid concurrency: ${concurrency}`);
    if (concurrency > 1) this.timer = setInterval(beat, 5000);
  }

  /**
   * Queues a task; resolves with its result (from a worker, or from `inline` when the pool has
   * one slot). The `transfer` buffers of `message` are moved to the worker rather than copied.
   * The task starts after every waiting task of its `priority` or higher and before those of lower
   * priority (default 0).
   */
  run<R>(label: string, message: TaskMessage, inline: () => Promise<R>, transfer: ArrayBuffer[] = [], priority = 0): Promise<R> {
    if (this.failed) return Promise.reject(this.cancelled(label));
    if (!Number.isFinite(priority)) throw new RangeError(`invalid priority: ${priority}`);
    return new Promise<R>((resolve, reject) => {
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1].priority < priority) --at;
      this.queue.splice(at, 0, {label, message, inline, transfer, priority, resolve: resolve as (r: unknown) => void, reject});
      this.pump();
    });
  }

  /** Stops the workers (tasks still queued are rejected). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const q of this.queue.splice(0)) q.reject(this.cancelled(q.label));
    this.free.length = 0;
    for (const w of this.workers.splice(0)) this.stopping.push(this.stopWhenIdle(w));
    await Promise.all(this.stopping);
  }

  /** Terminates `worker` once its current task (if any) has ended. */
  private async stopWhenIdle(worker: Worker): Promise<void> {
    await this.busy.get(worker);
    await worker.terminate();
  }

  /** The first task failure, which cancelled the tasks after it (undefined while none failed). */
  get failure(): Error | undefined {
    return this.failed;
  }

  private cancelled(label: string): Error {
    return new Error(`${label}: not run, an earlier task failed (${this.failed?.message.split("\n")[0] ?? "pool closed"})`);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.concurrency && !this.failed) {
      const q = this.queue.shift()!;
      ++this.running;
      const done = (ok: boolean, value: unknown) => {
        --this.running;
        if (ok) q.resolve(value);
        else this.fail(q, value);
        this.pump();
      };
      if (this.concurrency === 1) q.inline().then((r) => done(true, r), (e) => done(false, e));
      else this.onWorker(q).then((r) => done(true, r), (e) => done(false, e));
    }
  }

  private fail(q: Queued, error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    q.reject(e);
    if (this.failed) return;
    this.failed = e;
    for (const other of this.queue.splice(0)) other.reject(this.cancelled(other.label));
    this.free.length = 0;
    for (const w of this.workers.splice(0)) this.stopping.push(this.stopWhenIdle(w));
  }

  /** Runs a task on an idle worker, starting one when none is idle. */
  private async onWorker(q: Queued): Promise<unknown> {
    let worker: Worker;
    try {
      worker = this.free.pop() ?? (await this.start());
    } catch (error) {
      throw new Error(`${q.label}: ${(error as Error).message}`);
    }
    const id = ++this.nextId;
    let idle = () => {};
    this.busy.set(worker, new Promise<void>((r) => (idle = r)));
    try {
      return await new Promise((resolve, reject) => {
        const onMessage = (m: Reply) => {
          if ("ready" in m || m.id !== id) return;
          if ("log" in m) return this.log(m.log);
          cleanup();
          if (m.ok) resolve(m.result);
          else reject(taskError(q.label, m));
        };
        const onError = (e: Error) => (cleanup(), reject(new Error(`${q.label}: ${e.stack ?? e.message}`)));
        const onExit = (code: number) => (cleanup(), reject(new Error(`${q.label}: worker exited with code ${code} before answering`)));
        const cleanup = () => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onExit);
        };
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.on("exit", onExit);
        worker.postMessage({id, message: q.message}, q.transfer);
      });
    } finally {
      this.busy.delete(worker);
      idle();
      if (this.workers.includes(worker)) this.free.push(worker);
    }
  }

  /** Starts a worker that loads the module through tsx and says when it is ready. */
  private start(): Promise<Worker> {
    const tsx = import.meta.resolve("tsx/esm/api");
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(this.module)}); }).then(() => import("node:worker_threads")).then((w) => w.parentPort.postMessage({ready: true}));`;
    const worker = new Worker(code, {eval: true, workerData: {taskPool: true, index: this.started++}, stdout: true});
    worker.stdout.pipe(process.stderr);
    this.workers.push(worker);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const onMessage = (m: Reply) => {
        if (!("ready" in m)) return;
        cleanup();
        resolve(worker);
      };
      const onError = (e: Error) => (cleanup(), reject(new Error(`worker for ${this.module}: ${e.stack ?? e.message}`)));
      // Stopped before it was ready (another task failed meanwhile), or died loading the module.
      const onExit = (code: number) => (cleanup(), reject(new Error(`worker for ${this.module} exited with code ${code} before it was ready`)));
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
    });
  }
}

type Handler = {fn: (data: never, log: (line: string) => void) => Promise<unknown>; transfer: (result: never) => ArrayBuffer[]};
const handlers = new Map<string, Handler>();

/** One task of {@link runEach}: its label, the message a worker serves, and the same work in this thread. */
export interface EachTask<R> {
  label: string;
  message: TaskMessage;
  inline: () => Promise<R>;
}

/**
 * Runs one task per item of `items` on a {@link TaskPool} of `concurrency` (its workers loading
 * `module`), queued largest `size` first (ties in item order) so that the workers finish
 * together, while `meanwhile` runs in this thread; resolves to the tasks' results in item order
 * and what `meanwhile` returned. A task's failure while `meanwhile` runs is held until then, not
 * left unhandled; the first failure (the pool's, which names its task, else `meanwhile`'s)
 * rejects once the pool is closed.
 */
export async function runEach<I, R, M = undefined>(
  items: readonly I[],
  {concurrency, module, size, task, meanwhile, log}: {concurrency: number; module: string; size: (item: I) => number; task: (item: I) => EachTask<R>; meanwhile?: () => Promise<M>; log?: (line: string) => void}
): Promise<{results: R[]; meanwhile: M}> {
  return withPool(concurrency, module, log, async (pool) => {
    const queued = new Array<Promise<R>>(items.length);
    for (const i of items.map((_, i) => i).sort((a, b) => size(items[b]) - size(items[a]) || a - b)) {
      const {label, message, inline} = task(items[i]);
      queued[i] = pool.run(label, message, inline);
    }
    const all = Promise.all(queued);
    all.catch(() => {}); // awaited below, once `meanwhile` is done: a failure meanwhile is not left unhandled
    const during = (meanwhile ? await meanwhile() : undefined) as M;
    return {results: await all, meanwhile: during};
  });
}

/**
 * Runs `work` with a {@link TaskPool} of `concurrency` (its workers loading `module`, their log
 * lines to `log`) and closes the pool when it is done. A failure rejects with the pool's first
 * failed task (which names it) rather than a task it cancelled, else with `work`'s own error.
 */
export async function withPool<T>(concurrency: number, module: string, log: ((line: string) => void) | undefined, work: (pool: TaskPool) => Promise<T>): Promise<T> {
  const pool = new TaskPool(concurrency, module, log);
  try {
    return await work(pool);
  } catch (error) {
    throw pool.failure ?? error;
  } finally {
    await pool.close();
  }
}

/** A copy of `a` in shared memory: worker threads given it read the same bytes instead of a copy each. */
export function sharedCopy<T extends Uint8Array | Float32Array>(a: T): T {
  const out = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * Registers the handler of task `name` for {@link TaskPool} workers: in a pool worker, a task
 * message `{task: name, ...data}` runs `fn(data, log)` — `log` lines reach the pool's log — and
 * the result is posted back, its `transfer(result)` buffers moved rather than copied. In the
 * main thread this only records the handler.
 */
export function serveTask<D, R>(name: string, fn: (data: D, log: (line: string) => void) => Promise<R>, transfer: (result: R) => ArrayBuffer[] = () => []): void {
  handlers.set(name, {fn: fn as Handler["fn"], transfer: transfer as Handler["transfer"]});
}

if (!isMainThread && (workerData as {taskPool?: boolean} | null)?.taskPool === true) {
  parentPort!.on("message", ({id, message}: {id: number; message: TaskMessage}) => {
    const h = handlers.get(message.task);
    const post = (m: Reply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
    if (!h) return post({id, ok: false, error: `no handler for task ${message.task}`});
    h.fn(message as never, (line) => post({id, log: line})).then(
      (result) => post({id, ok: true, result}, h.transfer(result as never)),
      (error) => post({id, ok: false, error: String((error as Error)?.stack ?? error), name: (error as Error)?.name, message: (error as Error)?.message})
    );
  });
}
