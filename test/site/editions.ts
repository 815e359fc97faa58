/**
 * A site edition built by a test: `npm run build` with the given environment into its own
 * test-output folder and data folder (the default dist/ and data/ stay as they are), served
 * statically with a browser; and one test per page that it renders with no error, carries the
 * expected banner and prints no NaN.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import {launch, ROOT, serveStatic, settle, watch} from "./browser.ts";

export const PAGES = ["index", "01-data", "02-microstructure", "03-information-flow", "04-phase-transitions", "05-metastability", "06-synthesis", "report"];

/** One edition: its build (before the tests), a static server and a browser; `dataFile` reads a published data file. */
export function edition(files: string[], dist: string, {skip = false, env = {}, dataDir = null}: {skip?: string | false; env?: Record<string, string>; dataDir?: string | null} = {}) {
  const out = join(ROOT, dist);
  const inputs = files.map((p) => relative(ROOT, p));
  const state = {browser: undefined as Browser | undefined, origin: "", stop: () => {}, build: {status: null as number | null, log: ""}, dataDir: ""};
  before(async () => {
    if (skip) return;
    state.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), "cve-edition-"));
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
      cwd: ROOT,
      env: {...process.env, ...(inputs.length ? {CVE_INPUTS: inputs.join(",")} : {}), CVE_DATA_DIR: state.dataDir, CVE_DIST: relative(ROOT, out), ...env},
      encoding: "utf8",
      maxBuffer: 64 << 20
    });
    state.build = {status: r.status, log: `${r.stdout}\n${r.stderr}`.split("\n").slice(-30).join("\n")};
    if (r.status !== 0) return;
    const s = await serveStatic(out);
    state.origin = s.origin;
    state.stop = () => s.server.close();
    state.browser = await launch();
  });
  after(async () => {
    await state.browser?.close();
    state.stop();
    if (state.dataDir && !dataDir) rmSync(state.dataDir, {recursive: true, force: true});
  });
  const dataFile = (re: RegExp) => JSON.parse(readFileSync(join(out, "_file/data", readdirSync(join(out, "_file/data")).find((f) => re.test(f))!), "utf8"));
  const built = () => assert.equal(state.build.status, 0, `the build failed:\n${state.build.log}`);
  return {skip, inputs, state, dataFile, built};
}

/** Registers one test per page: it renders with no error, is labelled with `source` (real: with the files), its banner matches `span`, it prints no NaN; `more` checks the page further. */
export function pageTests(e: ReturnType<typeof edition>, span: RegExp, more: (name: string, page: Page, body: string) => Promise<void> = async () => {}, source: "real" | "simulated" = "real") {
  for (const name of PAGES)
    test(`${source} edition: page ${name} renders with no error and is labelled ${source} with ${source === "real" ? "the files and " : ""}the span`, {skip: e.skip}, async () => {
      e.built();
      const page = await e.state.browser!.newPage({viewport: {width: 1280, height: 900}});
      const report = watch(page, e.state.origin);
      try {
        await page.goto(`${e.state.origin}/${name === "index" ? "" : name}`);
        await settle(page, report);
        const banner = await page.$eval(".data-banner", (el) => ({source: (el as HTMLElement).dataset.source, text: el.textContent ?? ""}));
        const body = await page.$eval("main", (el) => el.textContent ?? "");
        assert.deepEqual(report.errorCells, [], "error cells");
        assert.deepEqual(report.pageErrors, [], "page errors");
        assert.deepEqual(report.consoleErrors, [], "console errors");
        assert.deepEqual(report.failedRequests, [], "failed requests");
        assert.deepEqual(report.offHostRequests, [], "off-host requests");
        assert.equal(banner.source, source);
        assert.match(banner.text, source === "real" ? /Real data/ : /Simulated data/);
        for (const f of e.inputs) assert.ok(banner.text.includes(f), `the banner names ${f}: ${banner.text}`);
        assert.match(banner.text, span);
        assert.doesNotMatch(body, /\bNaN\b/, "no NaN printed");
        await more(name, page, body);
      } finally {
        await page.close();
      }
    });
}

