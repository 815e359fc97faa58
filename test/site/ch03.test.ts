// Chapter 03 in headless Chromium: the page's transfer entropy computed in the browser on the chosen
// hours equals the same kernel run on those hours of the detail file, the planted leader is shown beside the recovered one, and inputs recompute.
// Runs on the built site (dist/) when it has the page, else on a live preview of the project;
// CVE_SITE_ORIGIN points it at an already running server instead.
import assert from "node:assert/strict";
import {test} from "node:test";
import {flowMatrixSymbols} from "../../lib/analysis/ch03.ts";
import {FLOW_BASE} from "../../lib/symbolize.ts";
import {transferEntropy} from "../../lib/transfer-entropy.ts";
import {expandIndex, loadChunks, loadDetail, type ChunkIndex, type ChunkIndexJSON, type DetailIndex} from "../../src/detail.ts";
import {joinRolling, type RollingSlice} from "../../lib/analysis/ch03-detail.ts";
import {screenshot, settle, sharedPage, siteSession} from "./browser.ts";

const PAGE = "03-information-flow";
const site = siteSession(PAGE);

const open = sharedPage(site, PAGE, `ch03-${PAGE}`);

const number = (s: string | null) => Number((s ?? "").replace(/[^0-9.eE+-]/g, ""));

test("the chapter 03 page renders every cell with no error and no off-host request", {timeout: 1_000_000}, async () => {
  const {report} = await open();
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  assert.deepEqual(report.offHostRequests, [], "off-host requests");
  assert.ok(report.plots >= 8, `plots: ${report.plots}`);
});

test("transferEntropy in the page, on the chosen hours, equals the same kernel run here on those hours of the detail file, to six decimals", {timeout: 1_000_000}, async () => {
  const {page} = await open();
  const el = page.locator("[data-testid=te-browser]");
  const browserValue = await el.textContent();
  // The hours chosen in the page's range picker (start, length in hours).
  const picked = await page.$eval(".range-picker", (f) => ({start: Number((f.querySelector("select[name=start]") as HTMLSelectElement).value), hours: Number((f.querySelector("select[name=length]") as HTMLSelectElement).value)}));
  const range: [number, number] = [picked.start, picked.start + picked.hours * 3_600_000];
  assert.match(browserValue ?? "", /^\d+\.\d{6}$/);
  assert.ok(number(browserValue) > 0);
  assert.match((await page.textContent("[data-testid=te-loader]")) ?? "", /^\d+\.\d{6}$/);
  // The files the page fetched, read again here (src/detail.ts), and the build's chosen pair.
  const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  const url = (re: RegExp) => urls.find((u) => re.test(new URL(u).pathname))!;
  const index = expandIndex((await (await fetch(url(/\/data\/detail\.[0-9a-f]+\.json$/))).json()) as ChunkIndexJSON<DetailIndex>);
  const ch = (await (await fetch(url(/\/data\/ch03\.[0-9a-f]+\.json$/))).json()) as {hook: {source: string; target: string}};
  const detail = await loadDetail(url(/\/data\/detail-flow-100ms\.[0-9a-f]+\.bin$/), index, "flow-100ms", range);
  const flow = {length: detail.table.numRows, net: {} as Record<string, Int16Array>, count: {} as Record<string, Int16Array>, last: {} as Record<string, Float32Array>};
  for (const v of index.venues)
    (flow.net[v] = detail.table.getChild(v)!.toArray()), (flow.count[v] = detail.table.getChild(`${v}_n`)!.toArray()), (flow.last[v] = detail.table.getChild(`${v}_last`)!.toArray());
  const symbols = flowMatrixSymbols(flow as never, index.venues as never);
  const expected = transferEntropy(symbols.flow[ch.hook.source as never]!, symbols.flow[ch.hook.target as never]!, {k: 1, base: FLOW_BASE});
  assert.equal(browserValue, expected.toFixed(6));
});

test("the rolling TE is drawn for its own range, the build's windows of its hours read by the hour; a shorter range loads fewer", {timeout: 1_000_000}, async () => {
  const {page} = await open();
  const status = page.locator(`.range-status[data-what="the rolling TE"]`);
  assert.equal(await status.getAttribute("data-state"), "ready", "the rolling TE's load says it is done");
  const form = page.locator(".range-picker", {has: status});
  const note = () => page.$$eval("main .note", (ns) => ns.map((n) => n.textContent ?? "").find((t) => /windows drawn in the chosen hours/.test(t)) ?? "");
  const counts = (t: string) => (/the (\d+) windows drawn in the chosen hours of the build's (\d+)/.exec(t) ?? []).slice(1).map(Number);
  const picked = async (): Promise<[number, number]> => {
    const [start, hours] = await form.evaluate((f) => ["start", "length"].map((n) => Number((f.querySelector(`select[name=${n}]`) as HTMLSelectElement).value)));
    return [start, start + hours * 3_600_000];
  };
  // The build's windows of a range, read here from the files the page fetched.
  const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  const url = (re: RegExp) => urls.find((u) => re.test(new URL(u).pathname))!;
  const index = expandIndex((await (await fetch(url(/\/data\/ch03-detail\.[0-9a-f]+\.json$/))).json()) as ChunkIndexJSON<ChunkIndex>);
  const ch = (await (await fetch(url(/\/data\/ch03\.[0-9a-f]+\.json$/))).json()) as {rolling: {windowSec: number; stepSec: number; surrogates: number; k: number; windows: number}};
  const windows = async (range: [number, number]) => joinRolling(ch.rolling, await loadChunks<RollingSlice>(url(/\/data\/ch03-rolling\.[0-9a-f]+\.bin$/), index, "ch03-rolling", range)).end.length;
  const beforeText = await note();
  const before = counts(beforeText);
  assert.deepEqual(before, [await windows(await picked()), ch.rolling.windows]);
  assert.ok(before[0] > 1, `${before[0]} windows`);
  await form.locator("select[name=length]").selectOption("1");
  await page.waitForFunction((t) => [...document.querySelectorAll("main .note")].some((n) => /windows drawn in the chosen hours/.test(n.textContent ?? "") && n.textContent !== t), beforeText, {timeout: 60_000});
  await page.waitForFunction(() => document.querySelector(`.range-status[data-what="the rolling TE"]`)?.getAttribute("data-state") === "ready", undefined, {timeout: 60_000});
  const after = counts(await note());
  assert.deepEqual(after, [await windows(await picked()), ch.rolling.windows]);
  assert.ok(after[0] > 0 && after[0] < before[0], `${after[0]} windows of one hour against ${before[0]}`);
});

test("the leader table shows the planted leader beside the calibrated leader, and they agree before and in the crash", {timeout: 1_000_000}, async () => {
  const {page} = await open();
  const rows = await page.$$eval("#leader-periods tbody tr", (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent?.trim() ?? "")));
  const header = await page.$$eval("#leader-periods thead th", (ths) => ths.map((th) => th.textContent?.trim() ?? ""));
  const col = (name: string) => header.findIndex((h) => h.startsWith(name));
  assert.ok(col("planted leader") >= 0 && col("calibrated leader") >= 0, `header: ${header.join(" | ")}`);
  const source = await page.$eval(".data-banner", (el) => (el as HTMLElement).dataset.source);
  if (source !== "simulated") return; // real data: nothing planted to compare with
  const crash = rows.find((r) => r[col("period")] === "crash");
  assert.ok(crash, `rows: ${JSON.stringify(rows)}`);
  assert.equal(crash[col("calibrated leader")], crash[col("planted leader")]);
  const before = rows.find((r) => r[col("period")] === "before the crash")!;
  assert.equal(before[col("calibrated leader")], before[col("planted leader")]);
  assert.notEqual(before[col("planted leader")], crash[col("planted leader")], "the planted leader flips in the crash");
});

test("changing the pair explorer's history length and channel recomputes its TE", {timeout: 1_000_000}, async () => {
  const {page, report} = await open();
  const read = () => page.textContent("[data-testid=pair-a-te]");
  const before = await read();
  await page.fill("#pair-a-k input[type=number]", "2");
  await page.press("#pair-a-k input[type=number]", "Enter");
  await page.waitForFunction((b) => document.querySelector("[data-testid=pair-a-te]")?.textContent !== b, before, {timeout: 60_000});
  const afterK = await read();
  assert.notEqual(afterK, before);
  await page.check("#pair-a-channel input[value='1']");
  await page.waitForFunction((b) => document.querySelector("[data-testid=pair-a-te]")?.textContent !== b, afterK, {timeout: 60_000});
  assert.notEqual(await read(), afterK);
  await settle(page, report, 120_000);
  assert.deepEqual(report.errorCells, []);
  await screenshot(page, `ch03-${PAGE}-inputs`);
});

test("changing the entropy venue redraws the entropy panel and the crash sentence for that venue", {timeout: 1_000_000}, async () => {
  const {page, report} = await open();
  // The two plots of the entropy panel: the price and the three rolling entropies (paths of lines).
  const panel = () =>
    page.$$eval("svg", (svgs) => {
      const i = svgs.findIndex((s) => (s.textContent ?? "").includes("normalised entropy"));
      return i < 1 ? "" : [svgs[i - 1], svgs[i]].map((s) => [...s.querySelectorAll("path")].map((p) => p.getAttribute("d") ?? "").join("|")).join("||");
    });
  const sentence = () => page.$$eval("main p", (ps) => ps.map((p) => p.textContent ?? "").find((t) => /mean normalised entropy of/i.test(t)) ?? "");
  const before = {panel: await panel(), sentence: await sentence()};
  assert.ok(before.panel.length > 10_000, "the entropy panel is drawn");
  const select = page.locator("form", {hasText: "venue"}).first().locator("select");
  const current = await select.inputValue();
  const options = await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const next = options.find((o) => o !== current)!;
  await select.selectOption(next);
  await page.waitForFunction((s) => [...document.querySelectorAll("main p")].some((p) => /mean normalised entropy of/i.test(p.textContent ?? "") && p.textContent !== s), before.sentence, {timeout: 60_000});
  await settle(page, report, 120_000);
  const after = {panel: await panel(), sentence: await sentence()};
  assert.notEqual(after.panel, before.panel, "the price and entropy lines are redrawn");
  assert.notEqual(after.sentence, before.sentence);
  // Every second drawn within the plot's pixel columns: each line has at most four points per column.
  const points = await page.$$eval("svg", (svgs) => {
    const s = svgs.find((x) => (x.textContent ?? "").includes("normalised entropy"))!;
    return [...s.querySelectorAll("path")].map((p) => ((p.getAttribute("d") ?? "").match(/L/g) ?? []).length).filter((n) => n > 100);
  });
  assert.equal(points.length, 3, "three entropy lines");
  for (const n of points) assert.ok(n > 1000 && n < 4 * 1280, `${n} points`);
  assert.deepEqual(report.errorCells, []);
  await select.selectOption(current);
  await settle(page, report, 120_000);
});
