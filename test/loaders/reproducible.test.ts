// Chapter results are published under content-hashed names: two computations on the same inputs
// must give the same bytes, so wall-clock timings go to the build log, never into the results.
import assert from "node:assert/strict";
import test from "node:test";
import {computeChapter05} from "../../loaders/chapters/ch05.ts";
import {stopwatch} from "../../loaders/chapters/stopwatch.ts";
import {DEFAULTS} from "../../loaders/config.ts";
import {ensureDerived} from "../../loaders/derived.ts";
import {chapterConfig} from "./support/chapter-config.ts";

test("stopwatch(label, log) writes each lap to the log and keeps nothing to publish", () => {
  const lines: string[] = [];
  const watch = stopwatch("ch09", (l) => lines.push(l));
  watch.lap("read");
  watch.lap("fit");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^ch09: read in \d+\.\d{3} s$/);
  assert.match(lines[1], /^ch09: fit in \d+\.\d{3} s$/);
  assert.deepEqual(Object.keys(watch), ["lap"]);
});

test("a chapter computed twice on the same build gives byte-identical JSON with no timings in it", async () => {
  const config = chapterConfig("reproducible", {hours: 3, rateScale: 0.1, windowsSec: {...DEFAULTS.windowsSec, landscape: 1200}});
  const dir = await ensureDerived(config, {log: () => {}});
  const write = process.stderr.write;
  const log: string[] = [];
  process.stderr.write = ((chunk: string) => (log.push(String(chunk)), true)) as typeof process.stderr.write;
  let first: string, second: string;
  try {
    first = JSON.stringify(await computeChapter05(dir, config));
    second = JSON.stringify(await computeChapter05(dir, config));
  } finally {
    process.stderr.write = write;
  }
  assert.ok(!/"timing"/.test(first), "no timing field");
  assert.equal(first, second);
  assert.ok(log.some((l) => /^ch05: analysis in \d+\.\d{3} s/.test(l)), "the timings are in the build log");
});
