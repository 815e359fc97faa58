/**
 * The live page in headless Chromium, fed by the replay server's simulated five markets at 10×
 * (scripts/replay.ts, in this process, on loopback): the time of one display update — the
 * monitor's snapshot (rates, entropies, TE matrix, circular-shift tests of every pair, leader)
 * plus the redraw — observed from the page's User Timing entries ("live snapshot", "live render"),
 * the slices of the surrogate tests that run between updates ("live test slice", one pair each),
 * the slices of the calibrated leader rule (every 10 s, "live leader slice", one pair's
 * Hayashi–Yoshida lead with 499 bootstrap resamples each),
 * and the page's JS heap (after a forced garbage collection, over the DevTools protocol) half-way
 * through the replay and at its end: ring buffers keep it flat.
 *
 * BENCH_LIVE_MINUTES (default 60) minutes of simulated trades are replayed, taking a tenth of
 * that in wall time; the window is 15 minutes of 100 ms bins (the largest). The page is served
 * from dist/ when it has live.html, else from a live preview.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {DIST, launch, serveStatic} from "../scripts/browser.ts";
import {simulate, startReplay} from "../scripts/replay.ts";
import {freePort, startPreview} from "../test/site/browser.ts";
import {envInt} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

const UPDATE_TARGET_MS = 50;

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const {usedSize} = (await cdp.send("Runtime.getHeapUsage")) as {usedSize: number};
  await cdp.detach();
  return usedSize / 2 ** 20;
}

/** Collects the page's User Timing entries as they are made (the page keeps one of each). */
const OBSERVE = () => {
  const w = window as any;
  w.__liveTimings = {"live snapshot": [], "live render": [], "live test slice": [], "live leader slice": []};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__liveTimings[e.name]?.push(e.duration);
  }).observe({entryTypes: ["measure"]});
};

/** The newest (up to 30) display updates (snapshot + render) and test slices since the last call, ms. */
async function timings(page: Page): Promise<{updates: number[]; slices: number[]; leader: number[]}> {
  return page.evaluate(() => {
    const t = (window as any).__liveTimings;
    const s: number[] = t["live snapshot"];
    const r: number[] = t["live render"];
    const n = Math.min(s.length, r.length, 30);
    const updates = [];
    for (let i = 1; i <= n; ++i) updates.push(s[s.length - i] + r[r.length - i]);
    const slices = t["live test slice"].slice(-300);
    const leader = t["live leader slice"].slice(-300);
    for (const k of Object.keys(t)) t[k] = [];
    return {updates, slices, leader};
  });
}

export default async function (): Promise<BenchRow[]> {
  const minutes = envInt("BENCH_LIVE_MINUTES", 60, 4, 24 * 60);
  const speed = 10;
  const port = await freePort();
  const replay = startReplay({port, speed, source: "simulate", origin: null, faults: 0, minutes}, simulate(Date.now(), minutes), () => {});
  const site = existsSync(join(DIST, "live.html")) ? await serveStatic(DIST).then((s) => ({origin: s.origin, stop: () => s.server.close()})) : await startPreview();
  const browser = await launch();
  try {
    const page = await browser.newPage({viewport: {width: 1400, height: 1000}});
    await page.addInitScript(OBSERVE);
    await page.goto(`${site.origin}/live?replay=ws://127.0.0.1:${port}&window=15&bins=100`, {timeout: 600_000});
    await page.locator(".live-view").first().waitFor({timeout: 600_000});
    const wallMs = (minutes * 60_000) / speed;
    await page.waitForTimeout(wallMs / 2);
    const early = await heapMB(page);
    await timings(page);
    await page.waitForTimeout(wallMs / 2);
    const {updates, slices, leader} = await timings(page);
    const leaders = await page.locator(".live-leader__verdict").count();
    const late = await heapMB(page);
    updates.sort((a, b) => a - b);
    slices.sort((a, b) => a - b);
    leader.sort((a, b) => a - b);
    const median = updates[updates.length >> 1];
    const worst = updates[updates.length - 1];
    return [
      {name: `live page: one display update, 5 markets, 15 min window of 100 ms bins (median of the last ${updates.length})`, value: median, unit: "ms", target: `≤ ${UPDATE_TARGET_MS} ms`, met: median <= UPDATE_TARGET_MS},
      {name: "live page: slowest of those updates", value: worst, unit: "ms", target: `≤ ${UPDATE_TARGET_MS} ms`, met: worst <= UPDATE_TARGET_MS},
      {name: "live page: one slice of the surrogate tests (one pair, 99 circular shifts; median)", value: slices[slices.length >> 1], unit: "ms"},
      {name: "live page: slowest slice of the surrogate tests", value: slices[slices.length - 1], unit: "ms"},
      {name: `live page: one slice of the calibrated leader rule (one pair, 499 resamples; median of ${leader.length}, ${leaders} analyses shown)`, value: leader[leader.length >> 1], unit: "ms"},
      {name: "live page: slowest slice of the leader rule", value: leader[leader.length - 1], unit: "ms"},
      {name: `live page: JS heap after ${minutes} min replayed at ${speed}×`, value: late, unit: "MB", reference: {name: `after ${minutes / 2} min`, value: early}, target: "≤ 1.1× the half-way heap", met: late <= 1.1 * early}
    ];
  } finally {
    await browser.close();
    site.stop();
    replay.close();
  }
}
