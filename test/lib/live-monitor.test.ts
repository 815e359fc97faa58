// The live monitor without a browser: protocol on open (subscribe, pings), reconnection with
// capped exponential backoff and jitter, a market dropping out while the others run, and flat
// memory over a long replay (every buffer bounded). Timers are mocked: nothing waits on a clock.
import assert from "node:assert/strict";
import {mock, test} from "node:test";
import {LIVE_MARKETS, marketUrl, selectMarkets} from "../../lib/live/markets.js";
import {LiveMonitor, type LeaderSnapshot} from "../../lib/live/monitor.js";
import {formatTrade, simulate} from "../../scripts/replay.ts";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: {data: unknown}) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  message(data: unknown) {
    this.onmessage?.({data});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

test("production addresses by default, <replay>/<market> with a replay server; unknown markets are refused", () => {
  assert.deepEqual(LIVE_MARKETS.map((m) => marketUrl(m, null)), [
    "wss://fstream.binance.com/stream",
    "wss://stream.binance.com:9443/stream",
    "wss://stream.bybit.com/v5/public/linear",
    "wss://ws.okx.com:8443/ws/v5/public",
    "wss://advanced-trade-ws.coinbase.com"
  ]);
  assert.equal(marketUrl(LIVE_MARKETS[3], "ws://127.0.0.1:9/"), "ws://127.0.0.1:9/okx-swap");
  assert.throws(() => selectMarkets(["kraken"]), /invalid market/);
});

test("on open each market subscribes; Bybit and OKX ping on their period; a drop reconnects after a capped, jittered, growing delay", () => {
  mock.timers.enable({apis: ["setTimeout", "setInterval"]});
  FakeSocket.all = [];
  let now = 0;
  let u = 1;
  try {
    const monitor = new LiveMonitor({markets: selectMarkets(["binance-usdm", "okx-swap"]), replay: "ws://127.0.0.1:1", WebSocket: FakeSocket as any, now: () => now, random: () => u, backoffBaseMs: 500, backoffCapMs: 4000});
    monitor.start();
    assert.deepEqual(FakeSocket.all.map((s) => s.url), ["ws://127.0.0.1:1/binance-usdm", "ws://127.0.0.1:1/okx-swap"]);
    const [bn, okx] = FakeSocket.all;
    bn.open();
    okx.open();
    assert.deepEqual(bn.sent, ['{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}']);
    assert.deepEqual(okx.sent, ['{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT-SWAP"}]}']);
    mock.timers.tick(25_000);
    assert.deepEqual(okx.sent.slice(1), ["ping"]);
    assert.equal(bn.sent.length, 1, "Binance pings at the protocol level (the browser answers)");
    // OKX drops: the other market keeps running; retries wait 500, 1000, 2000, 4000, 4000 ms (u = 1: the full delay).
    okx.drop();
    let s = monitor.snapshot();
    assert.deepEqual(s.markets.map((m) => m.state), ["open", "disconnected"]);
    assert.deepEqual(s.markets.map((m) => m.retryIn), [null, 0.5]);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; ++attempt) {
      const before = FakeSocket.all.length;
      let waited = 0;
      while (FakeSocket.all.length === before) {
        mock.timers.tick(100);
        waited += 100;
      }
      waits.push(waited);
      FakeSocket.all.at(-1)!.drop();
    }
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 4000]);
    // With u = 0 the wait is half the delay (equal jitter); a message resets the attempts.
    const pending = FakeSocket.all.length;
    while (FakeSocket.all.length === pending) mock.timers.tick(100);
    u = 0;
    FakeSocket.all.at(-1)!.drop();
    const before = FakeSocket.all.length;
    let waited = 0;
    while (FakeSocket.all.length === before) {
      mock.timers.tick(100);
      waited += 100;
    }
    assert.equal(waited, 2000);
    const back = FakeSocket.all.at(-1)!;
    back.open();
    back.message('{"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"connId":"x"}');
    s = monitor.snapshot();
    assert.deepEqual(s.markets.map((m) => [m.state, m.reconnects]), [["open", 0], ["open", 1]]);
    back.drop();
    const again = FakeSocket.all.length;
    mock.timers.tick(300);
    assert.equal(FakeSocket.all.length, again + 1, "after a message the backoff starts again from the base");
    monitor.stop();
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.all.length, again + 1, "nothing reconnects once stopped");
  } finally {
    mock.timers.reset();
  }
});

test("binary and malformed messages are counted, never thrown; Coinbase snapshots repeat trades as duplicates", () => {
  FakeSocket.all = [];
  const monitor = new LiveMonitor({markets: selectMarkets(["coinbase-spot"]), WebSocket: FakeSocket as any, now: () => 0});
  const t = {time: 1_796_000_000_000, price: 100000, qty: 0.01, side: 1 as const, id: 5};
  monitor.receive(0, formatTrade("coinbase-spot", t), 1);
  monitor.receive(0, formatTrade("coinbase-spot", t), 2);
  monitor.receive(0, "{not json", 3);
  monitor.receive(0, '{"channel":"market_trades","events":[{"type":"update","trades":[{"product_id":"BTC-USD","side":"SELL"}]}]}', 4);
  const m = monitor.snapshot().markets[0];
  assert.deepEqual([m.messages, m.trades, m.duplicates, m.malformed, m.rejected, m.lastPrice], [4, 1, 1, 1, 1, 100000]);
});

test("memory stays flat over a long replay: every buffer is bounded and the TE window keeps its size", () => {
  const markets = selectMarkets([]);
  const monitor = new LiveMonitor({markets, WebSocket: FakeSocket as any, windowMs: 60_000, surrogates: 9, sliceTests: false});
  const streams = simulate(1_796_000_000_000, 20);
  const merged = markets.flatMap((mk, i) => streams[mk.id].map((e) => ({i, at: e.at, text: e.text}))).sort((a, b) => a.at - b.at);
  const sizes: number[][] = [];
  for (const [n, e] of merged.entries()) {
    monitor.receive(e.i, e.text, e.at);
    if (n === Math.floor(merged.length / 2) || n === merged.length - 1) {
      const h = monitor.health as any[];
      sizes.push([monitor.bins[100].pending, monitor.bins[1000].pending, monitor.windows[100].size, monitor.windows[1000].size, ...h.map((x) => x.seen.size)]);
    }
  }
  monitor.runTests();
  const s = monitor.snapshot();
  assert.equal(s.window.bins, 600);
  assert.deepEqual(s.tested, {binMs: 100, start: s.window.start, end: s.window.end});
  assert.ok(s.effective.filter((x) => x !== null).length === 20);
  assert.deepEqual(sizes[0].slice(2, 4), sizes[1].slice(2, 4), "window sizes");
  // Open bins: those within the lateness (3 s) of the watermark, at most.
  for (const x of sizes) assert.ok(x[0] <= 31 && x[1] <= 4, `open bins ${x}`);
  for (const x of sizes[1].slice(4)) assert.ok(x <= 4096, `seen ids ${x}`);
  assert.ok(s.markets.every((m) => m.trades > 1000 && m.late === 0 && m.missing === 0 && m.malformed === 0), JSON.stringify(s.markets));
  // The trades kept for the leader rule: the largest window (15 min) and the lateness, no more.
  const newest = Math.max(...merged.map((e) => e.at)) + 1_796_000_000_000;
  for (const t of monitor.trades) {
    assert.equal(t.horizonMs, 15 * 60_000 + 3000 + 1000);
    assert.equal(t.slice(-Infinity, newest - t.horizonMs - 1000).time.length, 0, "nothing older than the horizon");
    assert.ok(t.slice(newest - 15 * 60_000, Infinity).time.length > 1000, "the largest window's trades are kept");
  }
});

test("the calibrated leader and the time of its last flip: no leader while the window is short, then the planted leader", () => {
  const markets = selectMarkets(["binance-usdm", "binance-spot", "bybit-linear"]);
  const monitor = new LiveMonitor({markets, WebSocket: FakeSocket as any, windowMs: 60_000, surrogates: 99, sliceTests: false});
  const streams = simulate(1_796_000_000_000, 3);
  const merged = markets.flatMap((mk, i) => streams[mk.id].map((e) => ({i, at: e.at, text: e.text}))).sort((a, b) => a.at - b.at);
  const seen: {window: {start: number; end: number}; a: LeaderSnapshot; b: LeaderSnapshot}[] = [];
  let next = 2000;
  for (const e of merged) {
    monitor.receive(e.i, e.text, e.at);
    if (e.at >= next) {
      next += 5000;
      monitor.runLeader();
      const l = monitor.snapshot().leaders;
      if (l) seen.push({window: l.window, a: l.outcomes.find((o) => o.analysis === "A")!, b: l.outcomes.find((o) => o.analysis === "B")!});
    }
  }
  assert.deepEqual(seen[0].a.markets, ["binance-usdm", "bybit-linear"], "Analysis A: the perpetuals");
  assert.deepEqual(seen[0].b.markets, ["binance-usdm", "binance-spot", "bybit-linear"], "Analysis B: every market");
  assert.equal(seen[0].a.leader, null, "no leader on the first short window");
  assert.match(seen[0].a.reason ?? "", /binance-usdm|bybit-linear/, "the reason names markets by their live ids");
  for (const key of ["a", "b"] as const) {
    const last = seen.at(-1)![key];
    assert.equal(last.leader, "binance-usdm", `${key}: the planted leader once the window is long`);
    assert.ok(last.p <= 0.05, `p ${last.p}`);
    const k = seen.findIndex((x, i) => i > 0 && x[key].leader !== seen[i - 1][key].leader);
    assert.deepEqual(seen[k][key].lastFlip, {time: seen[k].window.end, from: seen[k - 1][key].leader, to: seen[k][key].leader});
    assert.equal(seen[k - 1][key].lastFlip, null);
  }
  assert.equal(seen.at(-1)!.window.end - seen.at(-1)!.window.start, 60_000, "the rule runs on the TE window");
});

test("the page's leader runs in tasks after a snapshot, at most every leaderEveryMs of wall time", () => {
  mock.timers.enable({apis: ["setTimeout", "setInterval"]});
  let now = 0;
  try {
    const markets = selectMarkets(["binance-usdm", "bybit-linear", "okx-swap"]);
    const monitor = new LiveMonitor({markets, WebSocket: FakeSocket as any, windowMs: 60_000, now: () => now, leaderEveryMs: 10_000, leaderResamples: 99});
    const streams = simulate(1_796_000_000_000, 2);
    const merged = markets.flatMap((mk, i) => streams[mk.id].map((e) => ({i, at: e.at, text: e.text}))).sort((a, b) => a.at - b.at);
    const half = merged.filter((e) => e.at < 60_000);
    for (const e of half) monitor.receive(e.i, e.text, e.at);
    monitor.snapshot();
    assert.equal(monitor.snapshot().leaders, null, "nothing computed before the tasks run");
    for (let k = 0; k < 5; ++k) mock.timers.tick(0);
    const first = monitor.snapshot().leaders!;
    assert.ok(first, "computed in the tasks after the snapshot");
    for (const e of merged.slice(half.length)) monitor.receive(e.i, e.text, e.at);
    now = 9_999;
    monitor.snapshot();
    for (let k = 0; k < 5; ++k) mock.timers.tick(0);
    assert.deepEqual(monitor.snapshot().leaders!.window, first.window, "not again before 10 s");
    now = 10_000;
    monitor.snapshot();
    for (let k = 0; k < 5; ++k) mock.timers.tick(0);
    const second = monitor.snapshot().leaders!;
    assert.ok(second.window.end > first.window.end, "a new window after 10 s");
    monitor.stop();
  } finally {
    mock.timers.reset();
  }
});
