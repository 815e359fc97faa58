/**
 * The built site: build time, size of dist/, and per page the time from navigation to every
 * cell rendered and the time of a recompute after an input change, in headless Chromium.
 *
 * Build: the project is copied (without node_modules, dist, data, .git, test output and
 * Framework's cache src/.observablehq) into a temporary folder with node_modules symlinked, so
 * the build is cold and touches nothing in the working tree; `node --import tsx scripts/build.ts`
 * runs there with CVE_DATA_DIR at `<tmpdir>/cve-bench-site-data/`. The simulated archives of the
 * default configuration are generated first in that folder (not timed, reused by later runs
 * while the simulator is unchanged); its `derived/` folder is removed, so the timed build
 * parses, cleans and aggregates the archives, runs every chapter loader and Framework's build.
 * BENCH_SKIP_BUILD=<dist folder> measures an existing build instead; BENCH_KEEP_BUILD=1 keeps
 * the temporary copy (its path is printed) for such reuse.
 *
 * Pages: dist/ is served from 127.0.0.1 (`serveStatic` of test/site/browser.ts) to Debian's
 * Chromium (`launch`). Each page is opened in a fresh browser context (cold cache), then reloaded
 * (warm cache); the figure is the time from the start of the navigation to the last DOM change
 * once the Observable runtime is idle (see support/page-timing.ts), with a target of 2 s cold, and
 * the bytes the first load fetched (target 5 MB; DuckDB-wasm's engine is not fetched until asked). For a page with a range or
 * select input, the first one is changed BENCH_RECOMPUTES times (default 3; median reported), by a
 * key press as a user would, and the time from the key press until the page settles again is
 * measured. BENCH_INPUTS=all measures every range, select and radio group of the page instead,
 * one after the other in document order (each row names its input), each put back to its initial
 * value afterwards so that every input is measured with the others at theirs; BENCH_PAGES=03,05
 * measures only the pages whose name contains one of those.
 *
 * The machine is shared: times are noisy; a page's load and recompute figures come from the
 * same browser in the same run.
 */
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative, resolve} from "node:path";
import {loadConfig} from "../loaders/config.ts";
import {launch, serveStatic} from "../scripts/browser.ts";
import {ROOT, runChild, runCommand, type ChildReport} from "./support/child.ts";
import {fetchedBytes, inputCount, inputState, PROBE, profileRecompute, recomputeMs, renderedMs, restoreInput} from "./support/page-timing.ts";
import {envInt, median} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

const BUILD_TARGET_SEC = 180;
const RECOMPUTE_TARGET_MS = 100;
/** A page is interactive (every cell rendered) within this time of navigation, cold cache. */
const INTERACTIVE_TARGET_MS = 2000;
/** A page's first load transfers at most this many MB (test/site/weight.test.ts checks it too). */
const FIRST_LOAD_TARGET_MB = 5;
/** Top-level entries of the project not copied for the isolated build. */
const EXCLUDED = new Set(["node_modules", "dist", "data", ".git", "output", "test-output", "src/.observablehq"]);

/** Copies the project into `dest` without {@link EXCLUDED}, symlinks included as links, and links node_modules. */
export function copyProject(dest: string, root = ROOT): void {
  cpSync(root, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !EXCLUDED.has(relative(root, src))
  });
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
}

/** Bytes under `dir`, by first path component. */
function sizes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string, top: string | undefined) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name);
      const key = top ?? (e.isDirectory() ? e.name : "*.html and other top-level files");
      if (e.isDirectory()) walk(p, key);
      else if (e.isFile()) out.set(key, (out.get(key) ?? 0) + statSync(p).size);
    }
  };
  walk(dir, undefined);
  return out;
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const recomputes = envInt("BENCH_RECOMPUTES", 3, 1, 20);
  const allInputs = process.env.BENCH_INPUTS === "all";
  if (process.env.BENCH_INPUTS !== undefined && process.env.BENCH_INPUTS !== "" && !allInputs) throw new RangeError(`invalid BENCH_INPUTS: ${process.env.BENCH_INPUTS} (all, or unset)`);
  const pageFilter = (process.env.BENCH_PAGES ?? "").split(",").filter(Boolean);
  let dist: string;
  let work: string | undefined;
  try {
    if (process.env.BENCH_SKIP_BUILD) {
      dist = resolve(process.env.BENCH_SKIP_BUILD);
      if (!existsSync(join(dist, "index.html"))) throw new RangeError(`invalid BENCH_SKIP_BUILD: ${dist} (no index.html)`);
      console.error(`browser: reusing the build in ${dist}`);
    } else {
      work = mkdtempSync(join(tmpdir(), "cve-bench-site-"));
      console.error(`browser: building an isolated copy in ${work}`);
      copyProject(work);
      const dataDir = join(tmpdir(), "cve-bench-site-data");
      mkdirSync(dataDir, {recursive: true});
      const env = {CVE_DATA_DIR: dataDir};
      const config = loadConfig({...process.env, ...env});
      // Archives of the configuration (not timed), from the copy's own sources.
      const sim = await runChild<ChildReport & {dir: string; generated: boolean}>("bench/support/ingest-step.ts", ["simulate", JSON.stringify(config)], {cwd: work});
      const simParent = join(sim.report.dir, "..");
      for (const name of readdirSync(simParent)) if (join(simParent, name) !== sim.report.dir) rmSync(join(simParent, name), {recursive: true, force: true});
      if (sim.report.generated)
        rows.push({name: `generate the simulated archives of the default configuration (${config.start}, ${config.venues.length} venues; not in the build time)`, value: sim.report.seconds, unit: "s"});
      rmSync(join(dataDir, "derived"), {recursive: true, force: true});
      const build = await runCommand(process.execPath, ["--import", "tsx", "scripts/build.ts"], {cwd: work, env, timeFile: join(work, ".build-time")});
      rmSync(join(dataDir, "derived"), {recursive: true, force: true}); // ≈ 1 GiB the built site no longer needs
      rows.push(
        {
          name: `build the site, cold (copy of the project, empty Framework cache; derive ${config.start} from archives, chapter loaders, observable build)`,
          value: build.wallSeconds,
          unit: "s",
          target: `< ${BUILD_TARGET_SEC} s`,
          met: build.wallSeconds < BUILD_TARGET_SEC
        },
        {name: "build: largest peak RSS of one process of the build (GNU time %M)", value: build.maxRssMiB, unit: "MiB"}
      );
      dist = join(work, "dist");
    }

    // Size of dist/.
    const parts = sizes(dist);
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    rows.push({name: "dist/ total size", value: total / 2 ** 20, unit: "MiB"});
    for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) rows.push({name: `dist/ ${k}`, value: v / 2 ** 20, unit: "MiB"});

    // Pages.
    const pages = readdirSync(dist)
      .filter((f) => f.endsWith(".html") && f !== "404.html")
      .map((f) => f.replace(/\.html$/, ""))
      .filter((name) => pageFilter.length === 0 || pageFilter.some((p) => name.includes(p)))
      .sort();
    const {server, origin} = await serveStatic(dist);
    const browser = await launch();
    try {
      for (const name of pages) {
        const url = `${origin}/${name === "index" ? "" : name}`;
        const context = await browser.newContext({viewport: {width: 1280, height: 900}});
        await context.addInitScript({content: PROBE});
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        try {
          await page.goto(url, {waitUntil: "load", timeout: 120_000});
          const cold = await renderedMs(page);
          const bytes = await fetchedBytes(page);
          const errorCells = await page.$$eval(".observablehq--error", (els) => els.length);
          await page.reload({waitUntil: "load", timeout: 120_000});
          const warm = await renderedMs(page);
          const note = errorCells + errors.length > 0 ? ` (${errorCells} error cell(s), ${errors.length} page error(s))` : "";
          rows.push(
            {
              name: `page ${name}: navigation → all cells rendered, cold cache (${(bytes / 2 ** 20).toFixed(1)} MiB fetched)${note}`,
              value: cold,
              unit: "ms",
              target: `≤ ${INTERACTIVE_TARGET_MS} ms`,
              met: cold <= INTERACTIVE_TARGET_MS
            },
            {name: `page ${name}: bytes of the first load (DuckDB-wasm's engine excluded)`, value: bytes / 1e6, unit: "MB", target: `≤ ${FIRST_LOAD_TARGET_MB} MB`, met: bytes / 1e6 <= FIRST_LOAD_TARGET_MB},
            {name: `page ${name}: navigation → all cells rendered, warm cache (reload)`, value: warm, unit: "ms", reference: {name: "cold", value: cold}}
          );
          // The first range or select (default), or with BENCH_INPUTS=all every range, select and radio group in turn.
          const targets: (number | null)[] = allInputs ? Array.from({length: await inputCount(page)}, (_, k) => k) : [null];
          for (const index of targets) {
            const state = index === null ? undefined : await inputState(page, index);
            const times: number[] = [];
            let input = "";
            for (let i = 0; i < recomputes; ++i) {
              const r = await recomputeMs(page, i, undefined, undefined, index);
              if (!r) break;
              times.push(r.ms);
              input = r.input;
            }
            if (times.length === 0) continue;
            const ms = median(times);
            rows.push({
              name: `page ${name}: recompute after an input change (${input}; median of ${times.length}${times.some((t) => Number.isNaN(t)) ? ", some changed nothing" : ""})`,
              value: ms,
              unit: "ms",
              target: `< ${RECOMPUTE_TARGET_MS} ms`,
              met: ms < RECOMPUTE_TARGET_MS
            });
            // What dominates: one more change under the CPU profiler (not part of the median).
            const prof = await profileRecompute(page, times.length, undefined, index);
            if (prof) {
              // "(idle)" and "(program)" also cover the quiet period that ends the measurement: left out.
              const busy = prof.scripts.filter((e) => e.name !== "(idle)" && e.name !== "(program)");
              console.error(`browser: ${name} recompute profile (${input}; ${prof.ms.toFixed(0)} ms): scripts ${busy.map((e) => `${e.name} ${e.ms.toFixed(0)} ms`).join(", ")}`);
              console.error(`browser: ${name} recompute profile: functions ${prof.functions.filter((e) => !e.name.startsWith("(idle)") && !e.name.startsWith("(program)")).map((e) => `${e.name} ${e.ms.toFixed(0)} ms`).join("; ")}`);
              rows.push({
                name: `page ${name}: recompute under the CPU profiler${index === null ? "" : ` (${input.replace(/ → .*$/, "")})`}; JavaScript self time by script: ${busy.slice(0, 4).map((e) => `${e.name} ${e.ms.toFixed(0)} ms`).join(", ")}`,
                value: prof.ms,
                unit: "ms"
              });
            }
            // Each input is measured with the others at their initial values.
            if (index !== null && state !== undefined) await restoreInput(page, index, state);
          }
        } catch (error) {
          // One page that fails to load or settle does not hide the figures of the others.
          const message = String((error as Error)?.message ?? error).split("\n")[0];
          rows.push({name: `page ${name}: failed to render (${message})`, value: NaN, unit: "ms", met: false});
        } finally {
          await context.close();
        }
      }
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    if (work && process.env.BENCH_KEEP_BUILD !== "1") rmSync(work, {recursive: true, force: true});
    else if (work) console.error(`browser: build kept in ${work} (BENCH_SKIP_BUILD=${join(work, "dist")} reuses it)`);
  }
  return rows;
}
