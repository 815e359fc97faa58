import assert from "node:assert/strict";
import test from "node:test";
import {threadId} from "node:worker_threads";
import {runEach, TaskPool} from "../../loaders/task-pool.ts";
import {meet, square} from "./support/pool-tasks.ts";

const MODULE = new URL("./support/pool-tasks.ts", import.meta.url).href;

test("TaskPool(2) runs tasks on two worker threads, starts them in queue order and returns each result to its caller", async () => {
  const lines: string[] = [];
  const pool = new TaskPool(2, MODULE, (l) => lines.push(l));
  try {
    const xs = [1, 2, 3, 4, 5, 6];
    const active = new Int32Array(new SharedArrayBuffer(8));
    const results = await Promise.all(xs.map((x) => pool.run(`square ${x}`, {task: "test:square", x, ms: 150, active}, () => square({x, ms: 150, active}))));
    assert.deepEqual(results.map((r) => r.y), [1, 4, 9, 16, 25, 36]);
    assert.deepEqual([...results[2].data], [3, 9], "transferred buffers arrive intact");
    const threads = new Set(results.map((r) => r.thread));
    assert.equal(threads.size, 2, `two workers: ${[...threads]}`);
    assert.ok(!threads.has(threadId), "not the main thread");
    assert.ok(active[1] <= 2, `${active[1]} tasks ran at once on a pool of two`);
    assert.equal(active[0], 0, "every task finished");
    // Two tasks that each wait for the other to arrive both return true only if they run at the
    // same time: the pool runs two at once (whatever the machine's load, no clock is involved).
    const meeting = new Int32Array(new SharedArrayBuffer(4));
    const met = await Promise.all(
      [1, 2].map((i) => pool.run(`meet ${i}`, {task: "test:meet", meet: meeting, parties: 2, waitMs: 60_000}, async () => meet({meet: meeting, parties: 2, waitMs: 0})))
    );
    assert.deepEqual(met.map((m) => m.met), [true, true], "both tasks ran at once");
    assert.notEqual(met[0].thread, met[1].thread);
    assert.deepEqual([...lines].sort(), xs.map((x) => `square ${x}`).sort(), "log lines reach the pool's log");
  } finally {
    await pool.close();
  }
});

test("TaskPool.run moves the transfer buffers to the worker instead of copying them", async () => {
  const pool = new TaskPool(2, MODULE);
  try {
    const data = Float64Array.of(1, 2, 3.5);
    const sent = pool.run<{sum: number; length: number}>("sum", {task: "test:sum", data}, async () => ({sum: NaN, length: 0}), [data.buffer]);
    assert.deepEqual(await sent, {sum: 6.5, length: 3});
    assert.equal(data.buffer.byteLength, 0, "detached here once posted");
    const kept = Float64Array.of(4);
    assert.deepEqual(await pool.run("sum", {task: "test:sum", data: kept}, async () => ({sum: NaN, length: 0})), {sum: 4, length: 1});
    assert.equal(kept.length, 1, "copied when not transferred");
  } finally {
    await pool.close();
  }
});

test("TaskPool(1) runs tasks inline, one after the other, in queue order", async () => {
  const pool = new TaskPool(1, MODULE);
  const order: string[] = [];
  const task = (name: string, ms: number) =>
    pool.run(name, {task: "unused"}, async () => {
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
      return name;
    });
  assert.deepEqual(await Promise.all([task("a", 30), task("b", 1), task("c", 10)]), ["a", "b", "c"]);
  assert.deepEqual(order, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  await pool.close();
});

test("TaskPool.run starts a waiting task of higher priority before those of lower priority, in queue order among equals", async () => {
  const pool = new TaskPool(1, MODULE);
  const order: string[] = [];
  const task = (name: string, priority: number) =>
    pool.run(name, {task: "unused"}, async () => {
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
      return name;
    }, [], priority);
  // "a" starts at once (the pool is free); the others wait and start by priority.
  const done = Promise.all([task("a", 0), task("b", 0), task("c", 2), task("d", 1), task("e", 2), task("f", 0)]);
  assert.deepEqual(await done, ["a", "b", "c", "d", "e", "f"]);
  assert.deepEqual(order, ["a", "c", "e", "d", "b", "f"]);
  assert.throws(() => pool.run("x", {task: "unused"}, async () => 0, [], NaN), /invalid priority: NaN/);
  await pool.close();
});

test("TaskPool: a failing task rejects with its label and error, and the tasks not yet started are cancelled", {timeout: 30_000}, async () => {
  for (const concurrency of [1, 2]) {
    const pool = new TaskPool(concurrency, MODULE);
    try {
      const fail = pool.run("bad", {task: "test:fail", why: "broken archive"}, async () => {
        throw new Error("broken archive");
      });
      const later = [7, 8, 9].map((x) => pool.run(`square ${x}`, {task: "test:square", x, ms: 400}, () => square({x, ms: 400})));
      await assert.rejects(fail, /broken archive/);
      // All settle (none waits forever on a worker stopped while it was starting): the first
      // waited for the second worker, stopped as it loaded; the others never started.
      const settled = await Promise.allSettled(later);
      const reasons = settled.map((s) => (s.status === "rejected" ? String(s.reason) : "fulfilled"));
      assert.ok(reasons.slice(1).every((r) => /not run, an earlier task failed \(.*broken archive/.test(r)), `concurrency ${concurrency}: ${reasons}`);
      if (concurrency === 2) assert.match(reasons[0], /square 7: worker for .* exited with code \d+ before it was ready/);
      else assert.match(reasons[0], /not run/);
      await assert.rejects(pool.run("after", {task: "test:square", x: 1, ms: 0}, () => square({x: 1, ms: 0})), /not run/);
    } finally {
      await pool.close();
    }
  }
});

test("TaskPool: an unknown task name is an error naming it; an invalid concurrency is refused", async () => {
  const pool = new TaskPool(2, MODULE);
  try {
    await assert.rejects(pool.run("x", {task: "test:nothing"}, async () => 0), /x: no handler for task test:nothing/);
  } finally {
    await pool.close();
  }
  assert.throws(() => new TaskPool(0, MODULE), /invalid concurrency: 0/);
});

test("runEach queues the largest items first, returns the results in item order beside what ran meanwhile", async () => {
  for (const concurrency of [1, 2]) {
    const started: number[] = [];
    const xs = [2, 5, 1, 4];
    const {results, meanwhile} = await runEach(xs, {
      concurrency,
      module: MODULE,
      size: (x) => x,
      task: (x) => ({label: `square ${x}`, message: {task: "test:square", x, ms: 20}, inline: async () => (started.push(x), square({x, ms: 20}))}),
      meanwhile: async () => "done here"
    });
    assert.deepEqual(results.map((r) => r.y), [4, 25, 1, 16], `concurrency ${concurrency}`);
    assert.equal(meanwhile, "done here");
    if (concurrency === 1) assert.deepEqual(started, [5, 4, 2, 1], "largest first");
  }
});

test("runEach: a task failing while this thread works meanwhile rejects with the task's error once that work is done, never unhandled", {timeout: 30_000}, async () => {
  for (const concurrency of [1, 2]) {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    let finished = false;
    try {
      await assert.rejects(
        runEach(["bad", "good"], {
          concurrency,
          module: MODULE,
          size: () => 0,
          task: (name) =>
            name === "bad"
              ? {label: "bad", message: {task: "test:fail", why: "broken partition"}, inline: async () => Promise.reject(new Error("broken partition"))}
              : {label: "good", message: {task: "test:square", x: 3, ms: 0}, inline: () => square({x: 3, ms: 0})},
          meanwhile: async () => {
            await new Promise((r) => setTimeout(r, 300));
            finished = true;
          }
        }),
        /broken partition/
      );
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    assert.ok(finished, `concurrency ${concurrency}: the work meanwhile ran to its end`);
    assert.deepEqual(unhandled, [], `concurrency ${concurrency}: no unhandled rejection`);
  }
});
