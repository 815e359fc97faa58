// Chapter 04 in headless Chromium: the observables recompute in the browser when the window
// changes, and the planted crash and recovery are shown beside the recovered change points.
// Runs on the built site (dist/) when it has the page, else on a live preview of the project;
// CVE_SITE_ORIGIN points it at an already running server instead.
import assert from "node:assert/strict";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {DIST, screenshot, settle, sharedPage, siteSession, watch} from "./browser.ts";

const PAGE = "04-phase-transitions";
const site = siteSession(PAGE);

const open = sharedPage(site, PAGE, `ch04-${PAGE}`);

const readout = (page: Page) =>
  page.$$eval("[data-ch04]", (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.ch04!, e.textContent ?? ""])));
/** The first figure after the readout's paragraph: the observables plot. */
const observablesSvg = (page: Page) => page.$eval("figure svg, svg[class^='plot']", (el) => el.outerHTML.length + ":" + el.querySelectorAll("path").length + ":" + (el.querySelector("path")?.getAttribute("d") ?? "").slice(0, 200));

test("the chapter 04 page renders every cell with no error and no off-host request", {timeout: 1_000_000}, async () => {
  const {report} = await open();
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  assert.deepEqual(report.offHostRequests, [], "off-host requests");
  assert.ok(report.plots >= 5, `plots: ${report.plots}`);
});

test("changing the window input recomputes the observables in the browser", {timeout: 1_000_000}, async () => {
  const {page, report} = await open();
  const before = await readout(page);
  const svgBefore = await observablesSvg(page);
  const windows = Number(before.windows);
  assert.ok(windows > 0, `windows: ${before.windows}`);
  // The first load shows the build's observables: the span's 1 s bins are fetched only for another window.
  const status = page.locator(`.range-status[data-what="the 1 s bins"]`);
  assert.equal(await status.getAttribute("data-state"), "idle", "no 1 s bins on first load");
  const input = page.locator("form", {hasText: "window (s)"}).locator("input[type=number]");
  const value = Number(await input.inputValue());
  const next = value === 1200 ? 1800 : 1200;
  await input.fill(String(next));
  await input.dispatchEvent("input");
  await page.waitForFunction((w) => document.querySelector("[data-ch04=windows]")?.textContent !== String(w), windows, {timeout: 60_000});
  await settle(page, report, 120_000);
  assert.equal(await status.getAttribute("data-state"), "ready", "the 1 s bins were loaded for the new window");
  const after = await readout(page);
  // Windows of `next` s every 60 s: (bins − window)/60 + 1 of them, fewer than before.
  assert.equal(Number(after.windows), windows - (next - value) / 60, `windows ${before.windows} → ${after.windows}`);
  assert.notEqual(after.temperature, before.temperature, "temperature recomputed");
  assert.notEqual(after.xi, before.xi, "trade-sign correlation length recomputed");
  assert.notEqual(await observablesSvg(page), svgBefore, "the observables plot is redrawn");
  assert.deepEqual(report.errorCells, [], "no error after the change");
  await screenshot(page, `ch04-${PAGE}-window-${next}`);
});

test("the planted crash and recovery are shown beside the recovered change points", {timeout: 1_000_000}, async () => {
  const {page} = await open();
  const manifestFile = existsSync(join(DIST, "_file/data")) ? readdirSync(join(DIST, "_file/data")).find((f) => /^manifest\.[0-9a-f]+\.json$/.test(f)) : undefined;
  const source = manifestFile ? JSON.parse(readFileSync(join(DIST, "_file/data", manifestFile), "utf8")).source : await page.$eval(".data-banner", (el) => (el as HTMLElement).dataset.source);
  if (source !== "simulated") return void assert.ok(true, "real data: no planted truth to show");
  const tables = await page.$$eval("table", (ts) => ts.map((t) => t.textContent ?? ""));
  const recovery = tables.find((t) => t.includes("planted / scheduled"));
  assert.ok(recovery, "the planted-against-recovered table is shown");
  for (const name of ["crash start", "crash end", "recovery end"]) assert.ok(recovery!.includes(name), name);
  const rows = await page.$$eval("table", (ts) => {
    const t = ts.find((x) => (x.textContent ?? "").includes("planted / scheduled"))!;
    return [...t.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("td, th")].map((c) => c.textContent?.trim() ?? ""));
  });
  const header = rows[0];
  const crash = rows.find((r) => r.includes("crash start"))!;
  const col = (name: string) => header.indexOf(name);
  assert.equal(crash[col("planted / scheduled")], crash[col("volatility change")], "the volatility change point sits on the planted crash start (to the minute)");
  assert.match(crash[col("recovered")], /volatility/);
  const observables = tables.find((t) => t.includes("planted (calm / crash / recovery)"));
  assert.ok(observables, "planted volatilities beside the recovered temperatures");
});

test("changing the order flow's venue reads the build's series, redraws the observables and updates the early-warning row", {timeout: 1_000_000}, async () => {
  // A page of its own, at the default inputs (the other tests change the window).
  const page = await site.browser.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/${PAGE}`, {timeout: 900_000});
  await settle(page, report, 900_000);
  const select = page.locator("form", {hasText: "order flow of"}).locator("select");
  const current = await select.inputValue();
  const before = {readout: await readout(page), svg: await observablesSvg(page), text: await page.$eval("p.ch04-readout", (e) => e.textContent ?? "")};
  assert.match(before.text, /computed at build time for this window/, "the default window is read from the build");
  const ewRow = () => page.$$eval("table", (ts) => [...(ts.find((t) => (t.textContent ?? "").includes("this page"))?.querySelectorAll("tr") ?? [])].map((r) => r.textContent ?? "").find((t) => t.includes("this page")) ?? "");
  const ewBefore = await ewRow();
  assert.equal(ewBefore, "", "at the default selection the early-warning table holds the chapter's result, no row of this page");
  assert.ok(await page.$$eval("table", (ts) => ts.some((t) => (t.textContent ?? "").includes("the chapter's result"))), "the chapter's early-warning rows");
  // A venue other than the reference, whose price the pooled choice uses: another price, another early-warning test.
  const labels = await select.locator("option").evaluateAll((os) => os.map((o) => o.textContent ?? ""));
  const reference = /price: (\w+)/.exec(labels[0])?.[1];
  await select.selectOption({label: labels.find((l, i) => i > 0 && l !== reference)!});
  await page.waitForFunction((t) => document.querySelector("p.ch04-readout")?.textContent !== t, before.text, {timeout: 60_000});
  await settle(page, report, 120_000);
  const after = await readout(page);
  assert.equal(after.windows, before.readout.windows, "same windows");
  assert.notEqual(after.temperature + after.chi + after.xi, before.readout.temperature + before.readout.chi + before.readout.xi, "another venue's observables");
  assert.notEqual(await observablesSvg(page), before.svg, "the observables plot is redrawn");
  assert.match(await ewRow(), /this page \((this venue's price, run at build time|recomputed for this selection)\)/, "the early-warning test of the venue's price");
  assert.deepEqual(report.errorCells, [], "no error after the change");
  await select.selectOption(current);
  await settle(page, report, 120_000);
  assert.equal((await readout(page)).temperature, before.readout.temperature, "back to the pooled flow");
  await page.close();
});

test("another early-warning stretch fetches only its hours of 1 s bins, and the test on them equals the test on the whole span", {timeout: 1_000_000}, async () => {
  const page = await site.browser.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/${PAGE}`, {timeout: 900_000});
  await settle(page, report, 900_000);
  const urls = async () => page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  const url = async (re: RegExp) => (await urls()).find((u) => re.test(new URL(u).pathname));
  const ch = (await (await fetch((await url(/\/data\/ch04\.[0-9a-f]+\.json$/))!)).json()) as {referenceVenue: string; earlyWarning: {target: number | null; windowSec: number}; settings: {seed: number; pageEwSurrogates: number; ewSampleSec: number; ewStep: number; ewLookbackSec: number}};
  if (ch.earlyWarning.target === null) return (await page.close(), undefined); // no transition to look before
  const input = page.locator("form", {hasText: "stretch before the transition (h)"}).locator("input[type=number]");
  const lookbackH = ch.settings.ewLookbackSec / 3600 === 2 ? 3 : 2;
  const fetched = new Set<string>();
  page.on("request", (r) => r.headers()["range"] && fetched.add(r.headers()["range"]!));
  await input.fill(String(lookbackH));
  await input.dispatchEvent("input");
  const row = () => page.$$eval("table", (ts) => [...(ts.find((t) => (t.textContent ?? "").includes("this page"))?.querySelectorAll("tr") ?? [])].map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")).find((c) => c.some((x) => x.includes("this page"))) ?? []);
  await page.waitForFunction((h) => [...document.querySelectorAll("td")].some((td) => td.textContent?.includes(`${h} h before, this page`)), lookbackH, {timeout: 120_000});
  await settle(page, report, 300_000);
  assert.equal(await page.locator(`.range-status[data-what="the 1 s bins"]`).getAttribute("data-state"), "ready");
  const cells = await row();
  // The whole span's bins, read here with the page's reader, and the same test on them.
  const {expandIndex, loadDetail} = await import("../../src/detail.ts");
  const {earlyWarningTest, marketSeries} = await import("../../lib/analysis/ch04.ts");
  const index = expandIndex(await (await fetch((await url(/\/data\/detail\.[0-9a-f]+\.json$/))!)).json());
  const bins = await loadDetail((await url(/\/data\/detail-bins-1000ms\.[0-9a-f]+\.bin$/))!, index, "bins-1000ms", index.span);
  const ewByteRange = [...fetched].length;
  const series = marketSeries(bins.table as never, index.venues, ch.referenceVenue);
  const ew = earlyWarningTest(series.all, {target: ch.earlyWarning.target, lookbackSec: lookbackH * 3600, spanStart: index.span[0], windowSec: ch.earlyWarning.windowSec, seed: ch.settings.seed, surrogates: ch.settings.pageEwSurrogates, null: "ar1", ewSampleSec: ch.settings.ewSampleSec, ewStep: ch.settings.ewStep})!;
  const fmt = (x: number) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(3);
  assert.ok(cells.includes(fmt(ew.varianceTrend.tau)) || cells.includes(fmt(ew.varianceTrend.tau).replace("−", "-")), `variance τ ${ew.varianceTrend.tau} not in ${cells.join(" | ")}`);
  assert.ok(cells.includes(fmt(ew.autocorrelationTrend.tau)) || cells.includes(fmt(ew.autocorrelationTrend.tau).replace("−", "-")), `autocorrelation τ ${ew.autocorrelationTrend.tau} not in ${cells.join(" | ")}`);
  assert.equal(ewByteRange, 1, `one byte-range request for the stretch's hours: ${[...fetched].join(", ")}`);
  const [, a, b] = /bytes=(\d+)-(\d+)/.exec([...fetched][0])!.map(Number);
  assert.ok(b - a + 1 < index.files["bins-1000ms"].bytes / 2, "only the stretch's hours, not the span");
  assert.deepEqual(report.errorCells, [], "no error after the change");
  await page.close();
});
