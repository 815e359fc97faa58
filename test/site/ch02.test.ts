// Chapter 02 in headless Chromium: the page renders without errors, the lead–lag readouts show
// the recovered lead beside the planted one (simulated builds), and the inputs recompute in the
// browser — a new venue pair redraws the cross-correlation and changes both lead times, a new bin
// width changes the cross-correlation. Runs against the built site in dist/ (or a running server
// named by CVE_SITE_ORIGIN, e.g. a preview).
import assert from "node:assert/strict";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {DIST, screenshot, settle, siteSession, watch, type PageReport} from "./browser.ts";

const site = siteSession("02-microstructure");

/** Whether this build is simulated: from the built manifest, or from the page's banner when served elsewhere. */
function builtSource(): string | null {
  const dir = join(DIST, "_file/data");
  if (process.env.CVE_SITE_ORIGIN || !existsSync(dir)) return null;
  const f = readdirSync(dir).find((x) => /^manifest\.[0-9a-f]+\.json$/.test(x));
  return f ? JSON.parse(readFileSync(join(dir, f), "utf8")).source : null;
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e.textContent ?? "").replace(/\s+/g, " ").trim());
const pathOf = (page: Page, selector: string) => page.$eval(selector, (svg) => [...svg.querySelectorAll("path")].map((p) => p.getAttribute("d") ?? "").join("|"));
const msOf = (s: string) => Number(/(-?\+?[0-9.]+) ms/.exec(s)?.[1]?.replace("+", ""));
const form = (page: Page, label: string) => page.locator("form").filter({hasText: label}).first();

async function changed(page: Page, selector: string, before: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(([s, b]) => (document.querySelector(s)?.textContent ?? "").replace(/\s+/g, " ").trim() !== b, [selector, before] as const, {timeout});
}

function assertClean(report: PageReport) {
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  assert.deepEqual(report.consoleErrors, [], "console errors");
  assert.deepEqual(report.offHostRequests, [], "off-host requests");
}

test("page 02-microstructure: a new venue pair recomputes the cross-correlation and shows both lead times beside the planted ones", {timeout: 240_000}, async () => {
  const page = await site.browser.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/02-microstructure`);
  await settle(page, report, 180_000);
  assertClean(report);
  assert.ok(report.plots >= 8, `plots: ${report.plots}`);
  const source = builtSource() ?? (await page.$eval(".data-banner", (e) => (e as HTMLElement).dataset.source ?? null));
  const simulated = source === "simulated";

  // Default pair Binance → Bybit.
  const readout0 = await text(page, ".lead-lag-readout");
  const hy0 = await text(page, ".hy-lead");
  const xc0 = await pathOf(page, "svg.plot-ch02-xcorr");
  const hyPlot0 = await pathOf(page, "svg.plot-ch02-hy");
  assert.match(readout0, /Binance → Bybit/);
  if (simulated) {
    assert.match(readout0, /planted lead \+?-?[0-9]+ ms/, "the planted lag is shown beside the cross-correlation peak");
    const planted = await text(page, ".hy-planted");
    assert.ok(Math.abs(msOf(hy0) - msOf(planted)) <= 50, `HY ${hy0} vs ${planted}`);
  }

  // Change the pair: the cross-correlation is recomputed and both leads change.
  await form(page, "venue pair").locator("select").selectOption({label: "Binance → Coinbase"});
  await changed(page, ".lead-lag-readout", readout0);
  await settle(page, report);
  const readout1 = await text(page, ".lead-lag-readout");
  const hy1 = await text(page, ".hy-lead");
  assert.match(readout1, /Binance → Coinbase/);
  assert.notEqual(await pathOf(page, "svg.plot-ch02-xcorr"), xc0, "the cross-correlation plot is redrawn");
  assert.notEqual(await pathOf(page, "svg.plot-ch02-hy"), hyPlot0, "the Hayashi–Yoshida plot shows the new pair");
  if (simulated) {
    assert.notEqual(hy1, hy0, "the Hayashi–Yoshida lead changes with the pair");
    assert.ok(Math.abs(msOf(hy1) - msOf(await text(page, ".hy-planted"))) <= 50);
    // The cross-correlation peak moves with the planted delay (100 ms bins).
    assert.ok(msOf(readout1.split("peak at")[1]) > msOf(readout0.split("peak at")[1]), `${readout0} → ${readout1}`);
  }

  // Change the bin width: recomputed at 500 ms.
  await form(page, "bin width").locator("input[type=radio]").nth(2).check();
  await changed(page, ".lead-lag-readout", readout1);
  await settle(page, report);
  assert.match(await text(page, ".lead-lag-readout"), /500 ms returns/);

  await screenshot(page, "ch02-02-microstructure-inputs");
  await page.close();
  assertClean(report);
});
