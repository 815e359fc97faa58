// The calibration page on the built site: it renders without an error cell, shows the state of the
// stored calibration that the build found (current, stale or missing) and, for each claim type, its
// rates; a stale or missing calibration is said so plainly with the command to run (the page is
// served the same build's data rewritten to those states).
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {builtSession, DIST, screenshot, settle, sharedPage, watch, type PageReport} from "./browser.ts";

const site = builtSession("calibration.html");
const {built, missing} = site;
const opened = sharedPage(site, "calibration", "calibration");

/** The build's data/calibration.json. */
function builtData(): any {
  const dir = join(DIST, "_file/data");
  const file = readdirSync(dir).find((f) => /^calibration\.[0-9a-f]+\.json$/.test(f));
  assert.ok(file, "calibration.json is not in the build");
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

/** The page opened with its calibration.json replaced by `data`. */
async function openWith(data: unknown, shot: string): Promise<{page: Page; report: PageReport}> {
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  await page.route(/\/_file\/data\/calibration\.[0-9a-f]+\.json/, (route) => route.fulfill({status: 200, contentType: "application/json", body: JSON.stringify(data)}));
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/calibration`, {timeout: 300_000});
  await settle(page, report, 300_000);
  await screenshot(page, shot);
  return {page, report};
}

const stateText = (page: Page) => page.$eval("[data-state]", (e) => [(e as HTMLElement).dataset.state, e.textContent ?? ""] as [string, string]);

test("calibration page renders the build's calibration state without an error cell, labelled simulated", {timeout: 900_000}, async () => {
  assert.ok(built, missing);
  const {page, report} = await opened();
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  const data = builtData();
  const [state, text] = await stateText(page);
  assert.equal(state, data.state, "the page shows the state the build found");
  if (data.state !== "current") assert.match(text, /npm run calibrate/);
  assert.match(await page.textContent("main") ?? "", /simulated/i);
  if (data.state !== "missing") {
    // One dot per rate with a total, in the false-positive and power plots.
    const dots = await page.$$eval("svg circle", (els) => els.length);
    assert.equal(dots, data.rates.filter((r: any) => r.total > 0).length);
    assert.match(await page.textContent("main") ?? "", /leader per period/);
    assert.match(await page.textContent("main") ?? "", new RegExp(`--only ${data.markets[0].index}`));
  }
  // The other claim types, each worded by the calibration: calibrated or not when it is current, else "not calibrated for this code".
  const claims = await page.$$eval("ul[data-claim-types] li", (els) => els.map((e) => [(e as HTMLElement).dataset.calibrated ?? "", e.textContent ?? ""]));
  assert.equal(claims.length, 3);
  for (const [flag, words] of claims)
    if (data.state === "current") assert.ok(flag === "true" || flag === "false", words);
    else (assert.equal(flag, "null"), assert.match(words, /not calibrated for this code/));
});

test("a stale calibration is shown as stale, with the command to run and its rates", {timeout: 900_000}, async () => {
  assert.ok(built, missing);
  const data = builtData();
  if (data.state === "missing") return;
  const {page, report} = await openWith({...data, state: "stale", defaults: false}, "calibration-stale");
  assert.deepEqual(report.errorCells, [], "error cells");
  const [state, text] = await stateText(page);
  assert.equal(state, "stale");
  assert.match(text, /stale/);
  assert.match(text, /npm run calibrate/);
  assert.ok((await page.$$eval("svg circle", (els) => els.length)) > 0, "a stale calibration still shows its rates");
  const flags = await page.$$eval("ul[data-claim-types] li", (els) => els.map((e) => (e as HTMLElement).dataset.calibrated));
  assert.deepEqual(flags, ["null", "null", "null"], "a stale calibration words no claim as calibrated");
  await page.close();
});

test("a missing calibration is said plainly, with the command to run and no rates", {timeout: 900_000}, async () => {
  assert.ok(built, missing);
  const data = builtData();
  const none = {...data, state: "missing", defaults: false, key: null, generated: null, seconds: null, storedCommand: null, settings: null, rates: [], markets: []};
  const {page, report} = await openWith(none, "calibration-missing");
  assert.deepEqual(report.errorCells, [], "error cells");
  const [state, text] = await stateText(page);
  assert.equal(state, "missing");
  assert.match(text, /No calibration is stored/);
  assert.match(text, /npm run calibrate/);
  assert.equal(await page.$$eval("svg circle", (els) => els.length), 0);
  const bare = await page.$$eval(".observablehq", (els) => els.filter((e) => (e.textContent ?? "").trim() === "null").length);
  assert.equal(bare, 0, "no cell prints a bare null");
  await page.close();
});
