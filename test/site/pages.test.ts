// Opens every built page in headless Chromium from a loopback server and fails on any console
// error, error cell, failed or off-host request, or missing plot. Screenshots go to
// test-output/screenshots/ (git-ignored).
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import {builtSession, DIST, screenshot, settle, watch} from "./browser.ts";

const pages = readdirSync(DIST)
  .filter((f) => f.endsWith(".html") && f !== "404.html")
  .map((f) => f.replace(/\.html$/, ""))
  .sort();
const manifest = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => /^manifest\.[0-9a-f]+\.json$/.test(f))!), "utf8"));

const site = builtSession("index.html");

test("the built site has a home page and every chapter listed in the navigation", () => {
  assert.ok(pages.includes("index"), `pages: ${pages.join(", ")}`);
  const home = readFileSync(join(DIST, "index.html"), "utf8");
  for (const p of pages.filter((p) => p !== "index")) assert.ok(home.includes(`./${p}`), `navigation lacks ${p}`);
});

for (const name of pages) {
  test(`page ${name} renders every cell with no error, no off-host request and its plots`, async () => {
    const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
    const report = watch(page, site.origin);
    await page.goto(`${site.origin}/${name === "index" ? "" : name}`);
    await settle(page, report);
    // A full-page screenshot resizes the viewport for a moment and Framework re-renders on resize:
    // judge the page as a reader sees it, before the screenshot.
    const seen = structuredClone(report);
    await screenshot(page, name);
    const banner = await page.$eval(".data-banner", (el) => ({source: (el as HTMLElement).dataset.source, text: el.textContent ?? ""}));
    // The calibration page has nothing to plot when no calibration is stored (it says so).
    const calibrationMissing = name === "calibration" && (await page.$eval("[data-state]", (el) => (el as HTMLElement).dataset.state)) === "missing";
    await page.close();
    assert.deepEqual(seen.errorCells, [], "error cells");
    assert.deepEqual(seen.pageErrors, [], "page errors");
    assert.deepEqual(seen.consoleErrors, [], "console errors");
    assert.deepEqual(seen.failedRequests, [], "failed requests");
    assert.deepEqual(report.offHostRequests, [], "off-host requests");
    if (!calibrationMissing) assert.ok(seen.plots > 0, "no plot rendered");
    if (name === "live") {
      // The live page shows no data of the build: opened without ?live or ?replay it connects to nothing.
      assert.equal(banner.source, "live");
      assert.match(banner.text, /not connected/);
    } else {
      assert.equal(banner.source, manifest.source, "the banner names the data source of this build");
      if (manifest.source === "simulated") assert.match(banner.text, /Simulated data/);
    }
  });
}

test("page 01's coverage, grouped by arquero from the summary buckets, adds up to the signed trades of the quality table", async () => {
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  try {
    await page.goto(`${site.origin}/01-data`);
    await settle(page, report);
    const trades = JSON.parse((await page.locator(".coverage").getAttribute("data-trades")) ?? "{}") as Record<string, number>;
    const quality = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => /^quality\.[0-9a-f]+\.json$/.test(f))!), "utf8")) as {venue: string; kept: number; unsigned: number}[];
    assert.deepEqual(Object.keys(trades).sort(), [...manifest.venues].sort());
    for (const v of manifest.venues) assert.equal(trades[v], quality.filter((q) => q.venue === v).reduce((s, q) => s + q.kept - q.unsigned, 0), `signed trades of ${v}`);
    assert.deepEqual([report.errorCells, report.pageErrors, report.consoleErrors], [[], [], []]);
  } finally {
    await page.close();
  }
});

test("page 01's SQL explorer starts DuckDB on request and answers from the aggregates: trades per venue over the span, then an edited query on the chosen hours of 1 s bins", async () => {
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  try {
    await page.goto(`${site.origin}/01-data`);
    await settle(page, report);
    assert.equal(await page.locator(".sql-idle").count(), 1, "DuckDB waits to be asked");
    await page.getByRole("button", {name: "Start DuckDB"}).click();
    const table = page.locator(".sql-result table");
    await table.locator("tbody tr").first().waitFor({timeout: 60_000});
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
    const headers = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => th.textContent?.trim() ?? ""));
    const col = (name: string) => headers.indexOf(name);
    assert.ok(col("venue") >= 0 && col("trades") >= 0, `columns: ${headers}`);
    const quality = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => /^quality\.[0-9a-f]+\.json$/.test(f))!), "utf8")) as {venue: string; kept: number; unsigned: number}[];
    assert.deepEqual(rows.map((r) => r[col("venue")]).sort(), [...manifest.venues].sort());
    for (const r of rows) {
      // Bins count signed trades: the venue's kept trades less those the tick rule could not sign.
      const v = r[col("venue")];
      const signed = quality.filter((q) => q.venue === v).reduce((s, q) => s + q.kept - q.unsigned, 0);
      assert.equal(Number(r[col("trades")].replace(/[^0-9.-]/g, "")), signed, `trades of ${v}`);
    }
    await page.locator("form textarea").fill("SELECT count(*) AS n FROM bins");
    await page.getByRole("button", {name: "Run"}).click();
    await page.locator(".sql-result table thead th", {hasText: /^n$/}).waitFor({timeout: 30_000});
    const n = await page.locator(".sql-result table tbody td").last().textContent();
    // `bins` holds the hours chosen in the range picker (fetched by byte range), not the whole span.
    const picked = await page.$eval(".range-picker", (f) => ({start: Number((f.querySelector("select[name=start]") as HTMLSelectElement).value), hours: Number((f.querySelector("select[name=length]") as HTMLSelectElement).value)}));
    const seconds = (Math.min(manifest.span[1], picked.start + picked.hours * 3_600_000) - picked.start) / 1000;
    assert.equal(Number((n ?? "").replace(/[^0-9]/g, "")), seconds * manifest.venues.length, "one row per venue and second of the chosen hours");
    assert.equal(await page.locator(".range-status").getAttribute("data-state"), "ready", "the range's loading state says it is loaded");
    assert.deepEqual([report.errorCells, report.pageErrors, report.consoleErrors, report.failedRequests], [[], [], [], []]);
  } finally {
    await page.close();
  }
});
