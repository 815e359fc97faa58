// The replay server (scripts/replay.ts) on loopback: every trade it formats reads back exactly
// through the live parsers; CVE_INPUTS files of any format the build reads are replayed as their
// markets' streams; and the live monitor, connected over real websockets, finds the gaps a lossy
// connection leaves — in the trade ids and, on Coinbase, in the connection's sequence numbers.
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import WebSocket from "ws";
import {selectMarkets} from "../../lib/live/markets.js";
import {LiveMonitor} from "../../lib/live/monitor.js";
import {mulberry32} from "../../lib/random.js";
import {detectInput, readInput} from "../../loaders/inputs.ts";
import {InputError, newQuarantine} from "../../loaders/trades.ts";
import {formatTrade, inputStreams, shiftDecimal, simulate, startReplay, type Entry} from "../../scripts/replay.ts";
import {freePort} from "../site/browser.ts";

const SHARED = process.env.CVE_SHARED_DIR ?? join(import.meta.dirname, "../../../shared");
const REAL = join(SHARED, "real-trades");
const noShared = existsSync(REAL) ? false : `${REAL} is absent: the replay of the genuine recordings needs ../shared`;
const dir = mkdtempSync(join(tmpdir(), "cve-replay-"));

test("shiftDecimal(s, k) moves the decimal point exactly", () => {
  assert.deepEqual(
    [shiftDecimal("0.001", 2), shiftDecimal("12.5", 2), shiftDecimal("3", -2), shiftDecimal("0.07", -1), shiftDecimal("1.25", 1), shiftDecimal("-4.5", 3)],
    ["0.1", "1250", "0.03", "0.007", "12.5", "-4500"]
  );
});

test("formatTrade(market, trade): each live market's parser reads the trade back exactly (time to the µs on Coinbase)", () => {
  const r = mulberry32(5);
  for (const m of selectMarkets([])) {
    for (let k = 0; k < 200; ++k) {
      const price = Math.round((20_000 + r() * 50_000) * 100) / 100;
      const qty = m.id === "okx-swap" ? Math.round(1 + r() * 500) / 100 : Math.round(r() * 1e6 + 1) / 1e5;
      const time = 1_680_000_000_000 + Math.floor(r() * 1e9) + (m.id === "coinbase-spot" ? Math.floor(r() * 1000) / 1000 : 0);
      const t = {time, price, qty, side: (r() < 0.5 ? 1 : -1) as 1 | -1, id: 1_000_000 + k};
      const [back] = m.parse(formatTrade(m.id, t)).trades;
      assert.deepEqual({...back, id: m.id === "bybit-linear" ? t.id : back.id}, t, `${m.id} ${JSON.stringify(t)}`);
    }
  }
});

/** A Tardis CSV of `n` trades from `t0` (ms), one every 100 ms. */
function tardis(path: string, exchange: string, symbol: string, t0: number, n: number, seed: number, amount: (r: () => number) => string): void {
  const r = mulberry32(seed);
  const rows = ["exchange,symbol,timestamp,local_timestamp,id,side,price,amount"];
  for (let k = 0; k < n; ++k) {
    const us = (t0 + k * 100) * 1000 + (exchange === "coinbase" ? Math.floor(r() * 1000) : 0);
    rows.push(`${exchange},${symbol},${us},${us + 5000},${5_000_000 + k},${r() < 0.5 ? "buy" : "sell"},${(28_000 + r() * 100).toFixed(2)},${amount(r)}`);
  }
  writeFileSync(path, rows.join("\n") + "\n");
}

const T0 = Date.parse("2024-08-05T00:00:00Z");

test("inputStreams(CVE_INPUTS): the files' trades over the markets' overlap, as their live markets' messages, read back exactly", async () => {
  const okx = join(dir, "okx.csv");
  const cb = join(dir, "coinbase.csv");
  tardis(okx, "okex-swap", "BTC-USDT-SWAP", T0, 300, 1, (r) => String(1 + Math.floor(r() * 40)));
  tardis(cb, "coinbase", "BTC-USD", T0 + 5_000, 300, 2, (r) => (r() * 0.5 + 0.0001).toFixed(8));
  const {streams, span} = await inputStreams([{market: null, pattern: okx}, {market: null, pattern: cb}]);
  assert.deepEqual(Object.keys(streams), ["okx-swap", "coinbase-spot"]);
  assert.deepEqual(span, [T0 + 5_000, T0 + 29_900 + 1], "the overlap of the two files");
  for (const [id, path] of [["okx-swap", okx], ["coinbase-spot", cb]] as const) {
    const m = selectMarkets([id])[0];
    const expected = [];
    for await (const b of readInput(await detectInput(path), newQuarantine()))
      for (let i = 0; i < b.length; ++i) if (b.time[i] >= span[0] && b.time[i] < span[1]) expected.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
    const got = streams[id].flatMap((e) => m.parse(e.text).trades);
    assert.ok(expected.length > 200);
    assert.deepEqual(got, expected, `${id}: every trade of the span, exactly`);
    assert.deepEqual(streams[id].map((e) => e.at), expected.map((t) => t.time), "played at trade time");
  }
  const coinm = join(dir, "coinm.csv");
  tardis(coinm, "binance-delivery", "BTCUSD_PERP", T0, 10, 3, () => "2");
  await assert.rejects(inputStreams([{market: null, pattern: coinm}]), (e: Error) => e instanceof InputError && /coinm\.csv: market binance-coinm has no live stream/.test(e.message));
});

test("inputStreams: the Binance recordings given as CVE_INPUTS replay their trades over the overlap", {skip: noShared}, async () => {
  const files = ["binance-usdm-futures/btcusdt_20230405.dat.gz", "binance-spot/btcusdt_20230405.dat.gz"].map((f) => join(REAL, f));
  const {streams, span} = await inputStreams(files.map((pattern) => ({market: null, pattern})), null, Date.parse("2023-04-05T00:02:00Z"));
  assert.deepEqual(Object.keys(streams), ["binance-usdm", "binance-spot"]);
  for (const [k, id] of ["binance-usdm", "binance-spot"].entries()) {
    const m = selectMarkets([id])[0];
    const expected = [];
    for await (const b of readInput(await detectInput(files[k]), newQuarantine()))
      for (let i = 0; i < b.length; ++i) if (b.time[i] >= span[0] && b.time[i] < span[1]) expected.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
    assert.deepEqual(streams[id].flatMap((e) => m.parse(e.text).trades), expected);
  }
});

/** Replays `streams` on loopback at `speed` with `drop`, connects a monitor to `ids`, and returns its snapshot once every stream is sent and handled. */
async function monitorReplay(streams: Record<string, Entry[]>, ids: string[], speed: number, drop: number) {
  const port = await freePort();
  const events: any[] = [];
  const server = startReplay({port, speed, source: "test", origin: null, faults: 0, drop, minutes: 0}, streams, (e) => events.push(e));
  const monitor = new LiveMonitor({markets: selectMarkets(ids), replay: `ws://127.0.0.1:${port}`, WebSocket: WebSocket as any, sliceTests: false, latenessMs: 60_000});
  try {
    await new Promise((r) => setTimeout(r, 200));
    monitor.start();
    const t0 = Date.now();
    for (;;) {
      const done = ids.map((id) => events.find((e) => e.event === "done" && e.market === id));
      const s = monitor.snapshot();
      if (done.every(Boolean) && s.markets.every((m, i) => m.trades >= streams[ids[i]].length - done[i].dropped)) return {s, done};
      if (Date.now() - t0 > 60_000) throw new Error(`replay not finished: ${JSON.stringify(events)} ${JSON.stringify(s.markets)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    monitor.stop();
    server.close();
  }
}

test("over loopback websockets, a lossy connection's gaps show in the trade ids and, on Coinbase, in the sequence numbers", async () => {
  const streams = simulate(Date.now(), 1);
  const ids = ["okx-swap", "coinbase-spot"];
  const {s, done} = await monitorReplay({"okx-swap": streams["okx-swap"], "coinbase-spot": streams["coinbase-spot"]}, ids, 30, 10);
  for (const [i, m] of s.markets.entries()) {
    const dropped = done[i].dropped;
    assert.ok(dropped >= 10, `${m.id}: ${dropped} messages dropped`);
    // Every tenth message left out, one trade each: as many gaps as drops, one id each.
    assert.equal(m.gaps, dropped, `${m.id} gaps`);
    assert.equal(m.missing, dropped, `${m.id} ids missing`);
    assert.equal(m.trades, streams[m.id].length - dropped, `${m.id} trades`);
    assert.deepEqual([m.duplicates, m.outOfOrder, m.malformed, m.late], [0, 0, 0, 0], m.id);
    assert.equal(m.state, "open");
  }
  const [okx, cb] = s.markets;
  assert.deepEqual([okx.sequenceGaps, okx.messagesLost], [null, null], "OKX numbers no messages");
  assert.deepEqual([cb.sequenceGaps, cb.messagesLost], [done[1].dropped, done[1].dropped], "Coinbase: each dropped message is a jump of one in sequence_num");
  const cbGaps = s.gapEvents.filter((g) => g.market === "coinbase-spot");
  assert.ok(cbGaps.some((g) => g.kind === "messages" && g.to === g.from) && cbGaps.some((g) => g.kind === "ids" && g.to === g.from), JSON.stringify(cbGaps));
});

test("a Coinbase snapshot on subscription is taken in id order: a client joining mid-stream sees no false gap or disorder", async () => {
  const streams = simulate(Date.now() - 20_000, 1);
  const cb = {"coinbase-spot": streams["coinbase-spot"]};
  const port = await freePort();
  const events: any[] = [];
  // The recording's clock starts at the first subscription; a second client joins 1 s (30 s of trades) later.
  const server = startReplay({port, speed: 30, source: "test", origin: null, faults: 0, minutes: 0}, cb, (e) => events.push(e));
  const first = new WebSocket(`ws://127.0.0.1:${port}/coinbase-spot`);
  await new Promise((r) => first.once("open", r));
  first.send(JSON.stringify({type: "subscribe", product_ids: ["BTC-USD"], channel: "market_trades"}));
  await new Promise((r) => setTimeout(r, 2000));
  const monitor = new LiveMonitor({markets: selectMarkets(["coinbase-spot"]), replay: `ws://127.0.0.1:${port}`, WebSocket: WebSocket as any, sliceTests: false, latenessMs: 60_000});
  try {
    monitor.start();
    const t0 = Date.now();
    let s = monitor.snapshot();
    while (!(events.filter((e) => e.event === "done").length === 2 && s.markets[0].trades > 0)) {
      if (Date.now() - t0 > 60_000) throw new Error(JSON.stringify(events));
      await new Promise((r) => setTimeout(r, 100));
      s = monitor.snapshot();
    }
    await new Promise((r) => setTimeout(r, 300));
    const m = monitor.snapshot().markets[0];
    assert.ok(m.trades > 50, `snapshot (50) and updates: ${m.trades}`);
    assert.deepEqual([m.gaps, m.missing, m.outOfOrder, m.duplicates, m.sequenceGaps, m.messagesLost], [0, 0, 0, 0, 0, 0], JSON.stringify(m));
  } finally {
    monitor.stop();
    first.close();
    server.close();
  }
});
