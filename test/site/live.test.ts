// The live page against the replay server (scripts/replay.ts), on loopback only: the 2023-04-05
// Binance USD-M and spot recordings replayed at 10× give exactly the batch kernels' TE values and
// leader verdict on the same trades and window; injected malformed, duplicated and out-of-order
// messages are counted and shown and leave the window intact; a replay server killed mid-stream
// and restarted shows as a disconnection, a reconnection and a gap in the ids (skipped where
// ../shared, the recordings, is absent). With the production addresses, the page opens the
// exchanges' public websocket endpoints and nothing else — answered here by Playwright's websocket
// routes, so that nothing leaves the machine.
import assert from "node:assert/strict";
import {spawn, type ChildProcess} from "node:child_process";
import {join} from "node:path";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import {normalizedEntropy} from "../../lib/entropy.js";
import {calibratedLeaders} from "../../lib/analysis/leaders.js";
import {LIVE_MARKETS, selectMarkets} from "../../lib/live/markets.js";
import {pairMatrix} from "../../lib/live/net-flow.js";
import type {Snapshot} from "../../lib/live/monitor.js";
import {flowSymbol} from "../../lib/live/bins.js";
import {FLOW_BASE, NO_TRADE} from "../../lib/symbolize.js";
import {transferEntropy} from "../../lib/transfer-entropy.js";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {REAL_TRADES, realTradesSkip} from "../support/shared.ts";
import {freePort, launch, ROOT, siteFor, watch, type PageReport} from "./browser.ts";

const skip = realTradesSkip("the live page's replay tests");
const MARKETS = ["binance-usdm", "binance-spot"];
const FILES: Record<string, string> = {
  "binance-usdm": "binance-usdm-futures/btcusdt_20230405.dat.gz",
  "binance-spot": "binance-spot/btcusdt_20230405.dat.gz"
};

let browser: Browser;
let origin = "";
let stopSite = () => {};
before(async () => {
  const site = await siteFor("live");
  origin = site.origin;
  stopSite = site.stop;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  stopSite();
});

interface Replay {
  child: ChildProcess;
  events: any[];
  waitFor: (pred: (e: any) => boolean, what: string, timeoutMs?: number) => Promise<any>;
}

function startReplay(args: string[]): Replay {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/replay.ts"), ...args], {
    cwd: ROOT,
    env: {...process.env, CVE_SHARED_DIR: join(REAL_TRADES, "..")},
    stdio: ["ignore", "pipe", "pipe"]
  });
  const events: any[] = [];
  let buf = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line));
    }
  });
  child.stderr!.on("data", (d) => (err += d));
  const waitFor = async (pred: (e: any) => boolean, what: string, timeoutMs = 240_000) => {
    const t0 = Date.now();
    for (;;) {
      const e = events.find(pred);
      if (e) return e;
      if (child.exitCode !== null && child.exitCode !== 0) throw new Error(`replay server exited (${child.exitCode}): ${err}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`replay server: no ${what} event (${JSON.stringify(events)}) ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {child, events, waitFor};
}

async function snapshotOf(page: Page): Promise<Snapshot | null> {
  const text = await page.locator(".live-view").first().getAttribute("data-snapshot", {timeout: 60_000}).catch(() => null);
  return text ? (JSON.parse(text) as Snapshot) : null;
}

/** Polls the page's snapshot until `pred` holds. */
async function waitSnapshot(page: Page, pred: (s: Snapshot) => boolean, what: string, timeoutMs = 240_000): Promise<Snapshot> {
  const t0 = Date.now();
  let last: Snapshot | null = null;
  for (;;) {
    last = await snapshotOf(page);
    if (last && pred(last)) return last;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the page never showed ${what}; last snapshot: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await page.waitForTimeout(250);
  }
}

/**
 * The page at `port`'s replay. Bins wait 60 s of exchange time for late trades (6 s of wall time
 * at 10×): on a loaded machine the two sockets' messages can reach the page's event loop more
 * than the default 3 s (0.3 s of wall time) apart.
 */
async function openLive(port: number): Promise<{page: Page; report: PageReport; sockets: string[]}> {
  const page = await browser.newPage({viewport: {width: 1400, height: 1000}});
  const report = watch(page, origin);
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  await page.goto(`${origin}/live?replay=ws://127.0.0.1:${port}&markets=${MARKETS.join(",")}&window=5&bins=100&lateness=60000`, {timeout: 600_000});
  return {page, report, sockets};
}

/** Batch: every trade of each recording as the recording reader reads it (times, prices, sides; file order). */
async function batchTrades(): Promise<{time: Float64Array; price: Float64Array; side: Float64Array}[]> {
  const out = [];
  for (const m of MARKETS) {
    const time: number[] = [];
    const price: number[] = [];
    const side: number[] = [];
    for await (const b of readBinanceWs(REAL_TRADES + FILES[m], newQuarantine()))
      for (let i = 0; i < b.length; ++i) time.push(b.time[i]), price.push(b.price[i]), side.push(b.side[i]);
    out.push({time: Float64Array.from(time), price: Float64Array.from(price), side: Float64Array.from(side)});
  }
  return out;
}

/** Batch: the trades binned at `binMs` over grid bins [start, end), flow symbols per market. */
function batchSymbols(trades: {time: Float64Array; side: Float64Array}[], binMs: number, start: number, end: number): Uint8Array[] {
  return trades.map((t) => {
    const buys = new Float64Array(end - start);
    const sells = new Float64Array(end - start);
    for (let i = 0; i < t.time.length; ++i) {
      const bin = Math.floor(t.time[i] / binMs);
      if (bin >= start && bin < end) t.side[i] > 0 ? ++buys[bin - start] : t.side[i] < 0 ? ++sells[bin - start] : 0;
    }
    // The live monitor's flow symbol (lib/live/bins.ts): flowSymbols of the bin's net and trade count.
    return Uint8Array.from(buys, (x, i) => flowSymbol(x, sells[i]));
  });
}

const noOffHost = (report: PageReport, sockets: string[]) => {
  assert.deepEqual(report.offHostRequests, [], "off-host requests");
  assert.ok(sockets.length >= MARKETS.length, `websockets: ${sockets}`);
  for (const s of sockets) assert.match(s, /^ws:\/\/127\.0\.0\.1:\d+\//, "every websocket stays on loopback");
};

test("replayed at 10×, the live page's TE matrix and entropies equal the batch kernels' and its leader verdict the batch pipeline's, on the same trades and window", {skip, timeout: 600_000}, async (t) => {
  const port = await freePort();
  const replay = startReplay(["--port", String(port), "--speed", "10", "--faults", "400"]);
  try {
    await replay.waitFor((e) => e.event === "listening", "listening", 60_000);
    const {page, report, sockets} = await openLive(port);
    const done = await Promise.all(MARKETS.map((m) => replay.waitFor((e) => e.event === "done" && e.market === m, `done ${m}`)));
    // Every message sent (and the subscription answer) handled, and the surrogate tests and the leader rule run on the final window.
    const s = await waitSnapshot(
      page,
      (s) =>
        s.markets.every((x, i) => x.messages === done[i].sent + 1) &&
        s.tested?.end === s.window.end &&
        s.tested?.start === s.window.start &&
        s.leaders?.window.start === s.window.start * s.window.binMs &&
        s.leaders?.window.end === s.window.end * s.window.binMs,
      "every replayed message handled, tested and the leader decided"
    );
    const m = MARKETS.length;
    assert.equal(s.window.binMs, 100);
    assert.equal(s.window.bins, 3000, "a full 5-minute window");
    for (const [i, x] of s.markets.entries()) {
      const f = done[i].faults;
      assert.ok(f.malformed > 0 && f.duplicated > 0 && f.swapped > 0, JSON.stringify(f));
      assert.equal(x.malformed, f.malformed, `${x.id} malformed`);
      assert.equal(x.duplicates, f.duplicated, `${x.id} duplicates`);
      assert.equal(x.outOfOrder, f.swapped, `${x.id} out of order`);
      assert.equal(x.missing, 0, `${x.id}: every out-of-order id filled its gap`);
      assert.equal(x.gaps, 0, `${x.id}: no gap left open`);
      assert.equal(x.late, 0, `${x.id} late`);
      assert.equal(x.state, "open");
    }
    assert.equal(s.markets[0].rejected, 1, "the USD-M recording's one insurance-fund trade");
    const trades = await batchTrades();
    const batch = batchSymbols(trades, 100, s.window.start, s.window.end);
    for (let i = 0; i < m; ++i) {
      const traded = batch[i].filter((x) => x !== NO_TRADE);
      assert.ok(Math.abs(s.markets[i].entropy! - normalizedEntropy(traded, {base: 3})) < 1e-12, `entropy of ${MARKETS[i]} over its bins with trades`);
      for (let j = 0; j < m; ++j) if (i !== j) assert.equal(s.te[i * m + j], transferEntropy(batch[i], batch[j], {k: 1, base: FLOW_BASE}), `TE ${MARKETS[i]} → ${MARKETS[j]}`);
    }
    const pairs = pairMatrix(batch, {surrogates: s.surrogates, seed: 0});
    for (let c = 0; c < m * m; ++c) {
      if (c % (m + 1) === 0) continue;
      assert.equal(s.effective[c], pairs.effective[c], `effective TE ${c}`);
      assert.equal(s.net[c], pairs.net[c], `net TE ${c}`);
      assert.equal(s.pNet[c], pairs.pNet[c], `p ${c}`);
    }
    // The leader: chapter 03's calibrated rule (calibratedLeaders) on the recordings' trades over the same window.
    const venues = selectMarkets(MARKETS).map((mk) => mk.venue);
    const span: [number, number] = [s.leaders!.window.start, s.leaders!.window.end];
    const verdicts = calibratedLeaders(
      {venues, span, truth: null, trades: Object.fromEntries(venues.map((v, i) => [v, trades[i]]))},
      {seed: 0, resamples: s.leaderResamples, alpha: s.alpha}
    );
    const live = s.leaders!.outcomes;
    t.diagnostic(`window [${s.window.start}, ${s.window.end}) × ${s.window.binMs} ms; TE ${JSON.stringify(s.te)}; effective ${JSON.stringify(s.effective)}; p ${JSON.stringify(s.pNet)}; leaders ${JSON.stringify(live)}`);
    const id = (v: string | null) => (v === null ? null : MARKETS[venues.indexOf(v as (typeof venues)[number])]);
    assert.deepEqual(
      live.map((o) => [o.analysis, o.markets, o.leader, o.p, o.candidate]),
      verdicts.map((o) => [o.analysis, o.venues.map(id), id(o.leader), o.p, id(o.candidate)]),
      "leader verdict and p-value of each analysis"
    );
    assert.deepEqual(live.map((o) => o.analysis), ["B"], "a perpetual and a spot market: Analysis B");
    // What the reader sees: the counts in the health table and the leader line.
    const row = page.locator('tr[data-market="binance-usdm"] td');
    assert.equal(await row.nth(10).textContent(), String(done[0].faults.malformed));
    assert.equal(await row.nth(12).textContent(), String(done[0].faults.duplicated));
    assert.equal(await row.nth(13).textContent(), String(done[0].faults.swapped));
    const line = page.locator('.live-leader__verdict[data-analysis="B"]');
    assert.equal(await line.getAttribute("data-leader"), live[0].leader ?? "none");
    assert.match((await line.textContent()) ?? "", new RegExp(`^(Leader among all markets: Binance|No leader found among all markets).* \\(rule p = ${live[0].p.toPrecision(2)}`));
    assert.match((await page.locator(".live-leader__rule").textContent()) ?? "", /every 10 s/);
    assert.deepEqual([report.pageErrors, report.consoleErrors, report.errorCells], [[], [], []]);
    noOffHost(report, sockets);
    await page.close();
  } finally {
    replay.child.kill("SIGKILL");
  }
});

test("a replay server killed mid-stream and restarted: the page shows the disconnection, reconnects, reports the gap and resumes", {skip, timeout: 600_000}, async () => {
  const port = await freePort();
  let replay = startReplay(["--port", String(port), "--speed", "10"]);
  try {
    await replay.waitFor((e) => e.event === "listening", "listening", 60_000);
    const {page, report, sockets} = await openLive(port);
    const clock = await replay.waitFor((e) => e.event === "clock", "clock");
    const before = await waitSnapshot(page, (s) => s.markets[0].trades > 1000 && s.markets[1].trades > 100, "trades flowing");
    replay.child.kill("SIGKILL");
    const down = await waitSnapshot(page, (s) => s.markets.every((x) => x.state !== "open"), "the disconnection");
    assert.ok(down.markets.every((x) => x.state === "disconnected" || x.state === "connecting"), JSON.stringify(down.markets.map((x) => x.state)));
    await page.locator('tr[data-market="binance-usdm"] td.live-state--disconnected, tr[data-market="binance-usdm"] td.live-state--connecting').first().waitFor({timeout: 60_000});
    const tradesAtKill = down.markets.map((x) => x.trades);
    // Down for a while: the recording's clock runs on, so the trades of this interval are missed.
    await page.waitForTimeout(3000);
    replay = startReplay(["--port", String(port), "--speed", "10", "--origin", String(clock.origin)]);
    await replay.waitFor((e) => e.event === "listening", "listening", 60_000);
    const back = await waitSnapshot(
      page,
      (s) => s.markets.every((x, i) => x.state === "open" && x.reconnects >= 1 && x.trades > tradesAtKill[i]) && s.markets[0].gaps >= 1,
      "the reconnection, the gap and new trades"
    );
    assert.ok(back.markets[0].missing > 0, "ids missing over the outage");
    assert.ok(back.gapEvents.some((g) => g.market === "binance-usdm" && g.to >= g.from));
    assert.ok(before.markets[0].reconnects === 0);
    await page.locator(".live-gaps", {hasText: "binance-usdm ids"}).waitFor({timeout: 60_000});
    await page.locator('tr[data-market="binance-usdm"] td.live-state--open').waitFor({timeout: 60_000});
    // Chromium logs each refused reconnection attempt to the console; nothing else may be logged.
    const others = report.consoleErrors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/binance-(usdm|spot)' failed/.test(e));
    assert.deepEqual([report.pageErrors, others, report.errorCells], [[], [], []]);
    noOffHost(report, sockets);
    await page.close();
  } finally {
    replay.child.kill("SIGKILL");
  }
});

test("with the production addresses the page opens only the exchanges' public websocket endpoints, subscribing as each documents", {timeout: 600_000}, async () => {
  const page = await browser.newPage({viewport: {width: 1400, height: 1000}});
  const report = watch(page, origin);
  const opened: {url: string; sent: string[]; send: (text: string) => void}[] = [];
  // Every websocket off the site (the preview's own reload socket stays) is answered in this process
  // (never connectToServer): nothing leaves the machine.
  const site = new URL(origin).host;
  await page.routeWebSocket(
    (url) => url.host !== site,
    (ws) => {
      const rec = {url: ws.url(), sent: [] as string[], send: (text: string) => ws.send(text)};
      opened.push(rec);
      ws.onMessage((m) => rec.sent.push(String(m)));
    }
  );
  await page.goto(`${origin}/live?live`, {timeout: 600_000});
  const t0 = Date.now();
  while (!(opened.length >= LIVE_MARKETS.length && opened.every((o) => o.sent.length >= 1))) {
    if (Date.now() - t0 > 120_000) throw new Error(`websockets: ${JSON.stringify(opened.map((o) => [o.url, o.sent]))}`);
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(1000);
  const href = (url: string) => new URL(url).href;
  assert.deepEqual(opened.map((o) => o.url).sort(), LIVE_MARKETS.map((m) => href(m.url)).sort(), "one connection per market, to its production endpoint");
  for (const m of LIVE_MARKETS) assert.deepEqual(opened.find((o) => o.url === href(m.url))!.sent, m.subscribe, `${m.id} subscribes as documented`);
  // A Coinbase trade sent by the "exchange" is parsed and counted on the page.
  const cb = opened.find((o) => o.url === href(LIVE_MARKETS.find((m) => m.id === "coinbase-spot")!.url))!;
  cb.send(JSON.stringify({channel: "market_trades", client_id: "", timestamp: "2026-12-06T00:00:00.000Z", sequence_num: 0, events: [{type: "update", trades: [{trade_id: "7", product_id: "BTC-USD", price: "90000.5", size: "0.01", side: "SELL", time: "2026-12-06T00:00:00.000Z"}]}]}));
  const s = await waitSnapshot(page, (s) => s.markets.find((x) => x.id === "coinbase-spot")!.trades === 1, "the Coinbase trade", 60_000);
  assert.equal(s.markets.find((x) => x.id === "coinbase-spot")!.lastPrice, 90000.5);
  assert.deepEqual(report.offHostRequests, [], "no HTTP request leaves the site");
  assert.match((await page.locator(".data-banner").first().textContent()) ?? "", /^Live data\./);
  assert.deepEqual([report.pageErrors, report.errorCells], [[], []]);
  await page.close();
});
