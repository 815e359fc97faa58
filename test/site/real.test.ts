// The real-data edition: builds the site from the Binance USD-M perpetual and spot websocket
// recordings of 2023-04-05 in ../shared/real-trades (CVE_INPUTS) into test-output/dist-real/ with
// its own data folder, so the default dist/ and data/ stay as they are; then opens every page in
// headless Chromium and checks that each renders without error, is labelled real with the input
// files and span on its banner, and that the report states Analysis B (a leader or none), which
// findings.json `leaders` carries machine-checkably. Skips with a message where ../shared is absent
// (`CVE_SHARED_DIR` names another location of the shared folder).
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {after, before, test} from "node:test";
import type {Browser} from "playwright-core";
import {launch, ROOT, serveStatic, settle, watch} from "./browser.ts";

const SHARED = process.env.CVE_SHARED_DIR ?? join(ROOT, "../shared");
const PERP = join(SHARED, "real-trades/binance-usdm-futures/btcusdt_20230405.dat.gz");
const SPOT = join(SHARED, "real-trades/binance-spot/btcusdt_20230405.dat.gz");
const skip = existsSync(PERP) && existsSync(SPOT) ? false : `${SHARED}/real-trades is absent: the real-data edition needs the shared Binance recordings of 2023-04-05`;
const OUT = join(ROOT, "test-output/dist-real");
const INPUTS = [PERP, SPOT].map((p) => relative(ROOT, p));

let browser: Browser | undefined;
let origin = "";
let stop = () => {};
let build: {status: number | null; log: string} = {status: null, log: ""};
let dataDir = "";

before(async () => {
  if (skip) return;
  dataDir = mkdtempSync(join(tmpdir(), "cve-real-"));
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
    cwd: ROOT,
    env: {...process.env, CVE_INPUTS: INPUTS.join(","), CVE_DATA_DIR: dataDir, CVE_DIST: relative(ROOT, OUT)},
    encoding: "utf8",
    maxBuffer: 64 << 20
  });
  build = {status: r.status, log: `${r.stdout}\n${r.stderr}`.split("\n").slice(-30).join("\n")};
  if (r.status !== 0) return;
  const s = await serveStatic(OUT);
  origin = s.origin;
  stop = () => s.server.close();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  stop();
  if (dataDir) rmSync(dataDir, {recursive: true, force: true});
});

const dataFile = (re: RegExp) => JSON.parse(readFileSync(join(OUT, "_file/data", readdirSync(join(OUT, "_file/data")).find((f) => re.test(f))!), "utf8"));

test("CVE_INPUTS=<perp>,<spot> npm run build builds the real-data edition", {skip}, () => {
  assert.equal(build.status, 0, `the build failed:\n${build.log}`);
  const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
  assert.equal(m.source, "real");
  assert.deepEqual(m.venues, ["binance", "binance-spot"]);
  assert.deepEqual(m.inputs.map((f: {file: string}) => f.file), INPUTS);
  // The overlap of the two recordings: the perpetual's first trade to the spot's last (+1 ms).
  assert.deepEqual(m.span, [Date.parse("2023-04-05T00:00:04.962Z"), Date.parse("2023-04-05T00:06:54.257Z")]);
  assert.ok(!JSON.stringify(m).includes(dataDir), "the manifest names no folder of the building machine");
});

test("findings.json states Analysis B per bin width, machine-checkably", {skip}, () => {
  assert.equal(build.status, 0, `the build failed:\n${build.log}`);
  const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
  const f = dataFile(/^findings\.[0-9a-f]+\.json$/);
  const b = (f.leaders as {analysis: string; period: string; binMs: number; leader: string | null; p: number; markets: string[]}[]).filter((e) => e.analysis === "B");
  assert.deepEqual(b.map((e) => e.binMs).sort((x, y) => x - y), [...m.binWidthsMs].sort((x: number, y: number) => x - y), "one verdict per bin width");
  for (const e of b) {
    assert.equal(e.period, "full");
    assert.deepEqual(e.markets, ["binance", "binance-spot"]);
    assert.ok(e.leader === null || m.venues.includes(e.leader), `leader ${e.leader}`);
    assert.ok(e.p >= 0 && e.p <= 1, `p ${e.p}`);
  }
});

const PAGES = ["index", "01-data", "02-microstructure", "03-information-flow", "04-phase-transitions", "05-metastability", "06-synthesis", "report"];
for (const name of PAGES)
  test(`real edition: page ${name} renders with no error and is labelled real with the files and span`, {skip}, async () => {
    assert.equal(build.status, 0, `the build failed:\n${build.log}`);
    const page = await browser!.newPage({viewport: {width: 1280, height: 900}});
    const report = watch(page, origin);
    try {
      await page.goto(`${origin}/${name === "index" ? "" : name}`);
      await settle(page, report);
      const banner = await page.$eval(".data-banner", (el) => ({source: (el as HTMLElement).dataset.source, text: el.textContent ?? ""}));
      const body = await page.$eval("main", (el) => el.textContent ?? "");
      assert.deepEqual(report.errorCells, [], "error cells");
      assert.deepEqual(report.pageErrors, [], "page errors");
      assert.deepEqual(report.consoleErrors, [], "console errors");
      assert.deepEqual(report.failedRequests, [], "failed requests");
      assert.deepEqual(report.offHostRequests, [], "off-host requests");
      assert.equal(banner.source, "real");
      assert.match(banner.text, /Real data/);
      for (const f of INPUTS) assert.ok(banner.text.includes(f), `the banner names ${f}: ${banner.text}`);
      assert.match(banner.text, /span 6\.8 min/);
      assert.doesNotMatch(body, /\bNaN\b/, "no NaN printed");
      if (name === "report") {
        const verdicts = await page.$$eval(".analysis-b__verdict", (els) => els.map((e) => ({leader: (e as HTMLElement).dataset.leader, text: e.textContent ?? ""})));
        assert.ok(verdicts.length >= 1, "the report states Analysis B");
        for (const v of verdicts) assert.match(v.text, v.leader === "none" ? /no market leads beyond chance/ : /leads \(calibrated leader rule/);
      }
    } finally {
      await page.close();
    }
  });
