// Chapter 05 in headless Chromium: the landscape is recomputed in the browser when the bandwidth
// or window input changes, and the planted truth is shown beside the recovered values. Serves the
// built site (dist/, from `npm run build`); CVE_SITE_ORIGIN points the test at a running preview
// server instead.
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {DIST, screenshot, settle, siteSession, watch, type PageReport} from "./browser.ts";

const PAGE = "05-metastability";
const site = siteSession(PAGE);

/** The build-time chapter JSON, from dist/ or through the preview server. */
async function chapterJson(): Promise<any> {
  if (process.env.CVE_SITE_ORIGIN) return (await fetch(`${site.origin}/_file/data/ch05.json`)).json();
  const dir = join(DIST, "_file/data");
  const file = readdirSync(dir).find((f) => /^ch05\.[0-9a-f]+\.json$/.test(f));
  assert.ok(file, "ch05.json is not in the build");
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

/** The text of the note under the window profile, which names the window's bandwidth and levels. */
const profileNote = (page: Page) => page.$$eval(".note", (els) => els.map((e) => e.textContent ?? "").find((t) => t.includes("bandwidth h =")) ?? "");
/** The heatmaps' raster images (data URLs that change with every pixel; colour legends are 1 pixel high and left out). */
const raster = (page: Page) =>
  page.$$eval("svg image", (els) => els.filter((e) => Number(e.getAttribute("height")) > 50).map((e) => e.getAttribute("href") ?? "").join("\n"));
/** The note under the temperature chart, which names the window length. */
const temperatureNote = (page: Page) => page.$$eval(".note", (els) => els.map((e) => e.textContent ?? "").find((t) => t.startsWith("Temperature of each")) ?? "");

async function open(): Promise<{page: Page; report: PageReport}> {
  const page = await site.browser.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/${PAGE}`);
  await settle(page, report, 300_000);
  return {page, report};
}

test("page 05-metastability recomputes the landscape in the browser when the bandwidth input changes", {timeout: 600_000}, async () => {
  const {page, report} = await open();
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  const ch = await chapterJson();
  const before = {note: await profileNote(page), raster: await raster(page)};
  assert.ok(before.raster.length > 1000, "the landscape heatmaps are drawn");
  assert.match(before.note, new RegExp(`bandwidth h = ${ch.bandwidthUsd.toFixed(1)} USD`), "the default bandwidth is the build's (Silverman's rule, median over windows)");
  const select = page.locator("form", {hasText: "bandwidth"}).locator("select");
  const started = Date.now();
  await select.selectOption({label: "40 USD"});
  await page.waitForFunction(() => [...document.querySelectorAll(".note")].some((e) => (e.textContent ?? "").includes("bandwidth h = 40.0 USD")), null, {timeout: 30_000});
  await settle(page, report, 60_000);
  const elapsed = Date.now() - started;
  const after = {note: await profileNote(page), raster: await raster(page)};
  await screenshot(page, "ch05-bandwidth-40");
  assert.notEqual(after.raster, before.raster, "the time × price landscape is redrawn");
  assert.notEqual(after.note, before.note);
  // A wider kernel merges or removes shallow levels: the window's level list changes or shrinks.
  const levels = (t: string) => Number(/(\d+) level\(s\)/.exec(t)?.[1] ?? NaN);
  assert.ok(levels(after.note) <= levels(before.note), `levels ${levels(before.note)} → ${levels(after.note)}`);
  assert.deepEqual(report.errorCells, [], "error cells after the change");
  assert.deepEqual(report.pageErrors, [], "page errors after the change");
  assert.deepEqual(report.consoleErrors, [], "console errors");
  process.stderr.write(`bandwidth change redrawn in ${elapsed} ms (including settle)\n`);
  await page.close();
});

test("page 05-metastability recomputes with the window input and shows planted values beside recovered ones", {timeout: 600_000}, async () => {
  const {page, report} = await open();
  const ch = await chapterJson();
  const text = await page.$eval("main", (e) => (e as HTMLElement).innerText);
  if (ch.planted) {
    // The browser's recomputation at the default inputs agrees with the build's.
    assert.ok(text.includes(`Of the ${ch.planted.recovered} levels`), "recovered level count as built");
    assert.ok(text.includes(`${ch.planted.recoveredMatched} (`), "matched level count as built");
    assert.match(text, /lie within ±\d+ USD \(5 bp\) of a planted well/);
    // The Kramers table: planted and recovered escape times per regime.
    const header = await page.$$eval("table thead", (els) => els.map((e) => e.textContent ?? "").find((t) => t.includes("planted τ")) ?? "");
    assert.match(header, /recovered τ/);
    for (const r of ch.kramers.regimes) assert.ok(text.includes(r.name));
    assert.match(text, /planted b = 1/);
  } else {
    assert.match(text, /no planted wells/);
  }
  assert.match(await temperatureNote(page), new RegExp(`each ${ch.params.windowSec / 60}-minute window`));
  const before = await raster(page);
  await page.locator("form", {hasText: "window"}).first().locator("select").selectOption({label: "30 min"});
  await page.waitForFunction(() => [...document.querySelectorAll(".note")].some((e) => (e.textContent ?? "").startsWith("Temperature of each 30-minute window")), null, {timeout: 30_000});
  await settle(page, report, 60_000);
  assert.notEqual(await raster(page), before, "the landscape is recomputed for 30-minute windows");
  assert.deepEqual(report.errorCells, [], "error cells after the change");
  await page.close();
});

test("page 05-metastability reads precomputed choices and computes any other in the browser, with the same figures either way", {timeout: 600_000}, async () => {
  const {page, report} = await open();
  const ch = await chapterJson();
  const windowSelect = page.locator("form", {hasText: "window"}).first().locator("select");
  const bandwidthSelect = page.locator("form", {hasText: "bandwidth"}).locator("select");
  const summary = async () => ({note: await profileNote(page), temperature: await temperatureNote(page), raster: await raster(page), text: await page.$eval("main", (e) => (e as HTMLElement).innerText)});
  const change = async (select: typeof windowSelect, label: string, expect: RegExp) => {
    const before = await summary();
    await select.selectOption({label});
    await page.waitForFunction(([a, b]) => [...document.querySelectorAll(".note")].some((e) => new RegExp(a).test(e.textContent ?? "")) && [...document.querySelectorAll("svg image")].map((e) => e.getAttribute("href")).join("\n") !== b, [expect.source, before.raster] as const, {timeout: 60_000});
    await settle(page, report, 60_000);
    return summary();
  };
  // A 15-minute window at the default bandwidth: read from the build.
  assert.ok(ch.choices.some((c: any) => c.windowSec === 900 && c.bandwidth === ch.bandwidthChoices[0].label));
  const w15 = await change(windowSelect, "15 min", /^Temperature of each 15-minute window/);
  assert.match(w15.note, new RegExp(`bandwidth h = ${ch.bandwidthUsd.toFixed(1)} USD|bandwidth h = \\d+\\.\\d USD`));
  // 15 minutes with 10 USD: not precomputed, a kernel density per window in the browser.
  assert.ok(!ch.choices.some((c: any) => c.windowSec === 900 && c.bandwidth === "10 USD"));
  const computed = await change(bandwidthSelect, "10 USD", /bandwidth h = 10\.0 USD/);
  assert.notEqual(computed.raster, w15.raster, "the landscape of the new bandwidth");
  assert.match(computed.text, /The trading implication is that a stay at a level lasts/);
  // Back to the defaults: the same page as on load, read from the build again.
  await change(bandwidthSelect, ch.bandwidthChoices[0].label, /bandwidth h = /);
  const back = await change(windowSelect, `${ch.params.windowSec / 60} min`, new RegExp(`^Temperature of each ${ch.params.windowSec / 60}-minute window`));
  if (ch.planted) assert.ok(back.text.includes(`Of the ${ch.planted.recovered} levels`), "recovered level count as built");
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  await page.close();
});
