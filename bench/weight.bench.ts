/**
 * Page weight and time to interactive against the span: every page's first-load bytes and time
 * to interactive on a simulated market of one day and of BENCH_WEIGHT_DAYS days (default 2), both
 * at BENCH_WEIGHT_RATE times the default trade rates (default 0.02, so that the two builds take
 * minutes), with the ratio of the two (target: at most 1.05; test/site/weight-span.test.ts allows
 * 10 % + 50 kB from one day to two) and the 5 MB budget.
 *
 * Each build runs in an isolated copy of the project (as bench/browser.bench.ts builds), with its
 * own data folder `<tmpdir>/cve-bench-weight-<days>d` (kept, so a later run reuses its archives
 * and chapters); the pages are opened in a fresh browser context each (cold cache) and the bytes
 * are those of the document and every resource fetched until every cell has rendered
 * (support/page-timing.ts `fetchedBytes`; DuckDB-wasm's engine left out). The time to interactive
 * of each page on both builds is the time from the navigation to the last DOM change once every
 * cell has settled (support/page-timing.ts `renderedMs`, cold cache), judged against 2 s as
 * bench/browser.bench.ts judges the default build. Both builds run with the default quality gate
 * (`fail`, as a reader's build; BENCH_WEIGHT_QUALITY=warn builds data past the gate's limits too).
 */
import {mkdirSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {launch, serveStatic} from "../scripts/browser.ts";
import {copyProject} from "./browser.bench.ts";
import {runCommand} from "./support/child.ts";
import {envInt} from "./support/env.ts";
import {fetchedBytes, PROBE, renderedMs} from "./support/page-timing.ts";
import type {BenchRow} from "./types.ts";

const FIRST_LOAD_TARGET_MB = 5;
const RATIO_TARGET = 1.05;
const INTERACTIVE_TARGET_MS = 2000;

/** A page's first load: bytes fetched and ms from the navigation to every cell rendered (cold cache). */
interface FirstLoad {
  bytes: number;
  ms: number;
  errorCells: number;
}

/** First-load bytes and time to interactive of every page of the built site `dist`. */
async function pageLoads(dist: string): Promise<Map<string, FirstLoad>> {
  const pages = readdirSync(dist)
    .filter((f) => f.endsWith(".html") && f !== "404.html")
    .map((f) => f.replace(/\.html$/, ""))
    .sort();
  const out = new Map<string, FirstLoad>();
  const {server, origin} = await serveStatic(dist);
  const browser = await launch();
  try {
    for (const name of pages) {
      const context = await browser.newContext({viewport: {width: 1280, height: 900}});
      await context.addInitScript({content: PROBE});
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/${name === "index" ? "" : name}`, {waitUntil: "load", timeout: 120_000});
        const ms = await renderedMs(page);
        const bytes = await fetchedBytes(page);
        const errorCells = await page.$$eval(".observablehq--error", (els) => els.length);
        out.set(name, {bytes, ms, errorCells});
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

export default async function (): Promise<BenchRow[]> {
  const days = envInt("BENCH_WEIGHT_DAYS", 2, 2, 31);
  const rate = Number(process.env.BENCH_WEIGHT_RATE ?? "0.02");
  if (!(rate > 0)) throw new RangeError(`invalid BENCH_WEIGHT_RATE: ${process.env.BENCH_WEIGHT_RATE} (a positive number)`);
  // What the quality gate does to both builds (CVE_QUALITY): a reader's default unless overridden.
  const quality = process.env.BENCH_WEIGHT_QUALITY ?? "fail";
  const work = mkdtempSync(join(tmpdir(), "cve-bench-weight-"));
  const rows: BenchRow[] = [];
  try {
    copyProject(work);
    const loads = new Map<number, Map<string, FirstLoad>>();
    for (const d of [1, days]) {
      const dataDir = join(tmpdir(), `cve-bench-weight-${d}d`);
      mkdirSync(dataDir, {recursive: true});
      const end = new Date(Date.UTC(2024, 7, 5 + d - 1)).toISOString().slice(0, 10);
      const dist = `dist-${d}d`;
      const build = await runCommand(process.execPath, ["--import", "tsx", "scripts/build.ts"], {cwd: work, env: {CVE_DATA_DIR: dataDir, CVE_DIST: dist, CVE_SOURCE: "simulated", CVE_START: "2024-08-05", CVE_END: end, CVE_SIM_RATE_SCALE: String(rate), CVE_QUALITY: quality}});
      rows.push({name: `weight: build of ${d} simulated day(s) at ${rate} of the rates, CVE_QUALITY=${quality} (archives and chapters cached after the first run)`, value: build.wallSeconds, unit: "s"});
      loads.set(d, await pageLoads(join(work, dist)));
    }
    const errors = (l: FirstLoad) => (l.errorCells > 0 ? ` (${l.errorCells} error cell(s))` : "");
    for (const [name, one] of loads.get(1)!) {
      const many = loads.get(days)!.get(name) ?? {bytes: NaN, ms: NaN, errorCells: 0};
      rows.push(
        {name: `weight: page ${name}, first load on 1 day${errors(one)}`, value: one.bytes / 1e6, unit: "MB", target: `≤ ${FIRST_LOAD_TARGET_MB} MB`, met: one.bytes / 1e6 <= FIRST_LOAD_TARGET_MB},
        {name: `weight: page ${name}, first load on ${days} days${errors(many)}`, value: many.bytes / 1e6, unit: "MB", target: `≤ ${FIRST_LOAD_TARGET_MB} MB`, met: many.bytes / 1e6 <= FIRST_LOAD_TARGET_MB},
        {name: `weight: page ${name}, first load on ${days} days over 1 day`, value: many.bytes / one.bytes, unit: "×", target: `≤ ${RATIO_TARGET}`, met: many.bytes / one.bytes <= RATIO_TARGET},
        {name: `weight: page ${name}, navigation → all cells rendered on 1 day, cold cache`, value: one.ms, unit: "ms", target: `≤ ${INTERACTIVE_TARGET_MS} ms`, met: one.ms <= INTERACTIVE_TARGET_MS},
        {name: `weight: page ${name}, navigation → all cells rendered on ${days} days, cold cache`, value: many.ms, unit: "ms", target: `≤ ${INTERACTIVE_TARGET_MS} ms`, met: many.ms <= INTERACTIVE_TARGET_MS}
      );
    }
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
  return rows;
}
