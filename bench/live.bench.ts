/**
 * The live page in headless Chromium, fed by the replay server's simulated five markets at 10×
 * (scripts/replay.ts, in this process, on loopback): the time of one display update — the
 * monitor's snapshot (rates, entropies, TE matrix, circular-shift tests of every pair, leader)
 * plus the redraw — read from the page's User Timing entries ("live snapshot", "live render"),
 * and the page's JS heap (after a forced garbage collection, over the DevTools protocol) a quarter
 * of the way through the replay and at its end: ring buffers keep it flat.
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

async function updateTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const s = performance.getEntriesByName("live snapshot").map((e) => e.duration);
    const r = performance.getEntriesByName("live render").map((e) => e.duration);
    const n = Math.min(s.length, r.length);
    const out = [];
    for (let i = 1; i <= Math.min(n, 30); ++i) out.push(s[s.length - i] + r[r.length - i]);
    performance.clearMeasures();
    return out;
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
    await page.goto(`${site.origin}/live?replay=ws://127.0.0.1:${port}&window=15&bins=100`, {timeout: 600_000});
    await page.locator(".live-view").first().waitFor({timeout: 600_000});
    const wallMs = (minutes * 60_000) / speed;
    await page.waitForTimeout(wallMs / 4);
    const early = await heapMB(page);
    await updateTimes(page);
    await page.waitForTimeout((3 * wallMs) / 4);
    const times = (await updateTimes(page)).sort((a, b) => a - b);
    const late = await heapMB(page);
    const median = times[times.length >> 1];
    const worst = times[times.length - 1];
    return [
      {name: `live page: one display update, 5 markets, 15 min window of 100 ms bins (median of the last ${times.length})`, value: median, unit: "ms", target: `≤ ${UPDATE_TARGET_MS} ms`, met: median <= UPDATE_TARGET_MS},
      {name: "live page: slowest of those updates", value: worst, unit: "ms"},
      {name: `live page: JS heap after ${minutes} min replayed at ${speed}×`, value: late, unit: "MB", reference: {name: `after ${minutes / 4} min`, value: early}, target: "≤ 1.25× the quarter-way heap", met: late <= 1.25 * early}
    ];
  } finally {
    await browser.close();
    site.stop();
    replay.close();
  }
}
