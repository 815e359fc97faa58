import assert from "node:assert/strict";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {hash53, readBinanceWs, readCryptofeed, type RecordingStats} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine} from "../../loaders/trades.ts";
import {collect, gzipOf, tempDir} from "./support/fixtures.ts";

const FUTURES = [
  `1680652806996641 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807006,"T":1680652804962,"s":"BTCUSDT","t":3535188229,"p":"28155.10","q":"0.001","X":"MARKET","m":true}}`,
  `1680652806997000 {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"28155.1","B":"1","a":"28155.2","A":"2"}}`,
  `1680652806997675 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807009,"T":1680652804964,"s":"BTCUSDT","t":3535188230,"p":"28155.20","q":"0.012","X":"MARKET","m":false}}`,
  `1680652806998000 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807010,"T":1680652804965,"s":"BTCUSDT","t":3535188231,"p":"28150.00","q":"0.500","X":"INSURANCE_FUND","m":true}}`,
  `1680652806998100 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807010,"T":1680652804966,"s":"BTCUSDT","t":3535188232,"p":"28150.00","q":"0.500","X":"ADL","m":true}}`,
  `1680652806998200 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807011,"T":1680652804967,"s":"BTCUSDT","t":3535188233,"p":"28155.2`,
  `{"stream":"btcusdt@trade","data":{"e":"trade"}}`,
  `1680652806998300 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652807012,"T":1680652804968,"s":"BTCUSDT","t":3535188234,"p":"0","q":"0.001","X":"MARKET","m":true}}`,
  `1680652806998400 {"lastUpdateId":123,"bids":[["28155.1","1"]],"asks":[]}`,
  `1680652800004107 {"stream":"btcusdt@trade","data":{"e":"trade","E":1680652800000,"s":"BTCUSDT","t":3071245454,"p":"28165.47000000","q":"0.00056000","b":20720542158,"a":20720542592,"T":1680652799999,"m":true,"M":true}}`
];

test("readBinanceWs(path) keeps MARKET and spot trades, counts INSURANCE_FUND and other X separately, quarantines broken lines", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "btcusdt_20230405.dat.gz");
    writeFileSync(path, gzipOf(FUTURES.join("\n") + "\n"));
    const q = newQuarantine();
    const recording: RecordingStats = {lines: 0, trades: 0};
    const {trades, venues} = await collect(readBinanceWs(path, q, {recording}));
    assert.deepEqual(trades, [
      {time: 1680652804962, price: 28155.1, qty: 0.001, side: -1, id: 3535188229},
      {time: 1680652804964, price: 28155.2, qty: 0.012, side: 1, id: 3535188230},
      {time: 1680652799999, price: 28165.47, qty: 0.00056, side: -1, id: 3071245454}
    ]);
    assert.deepEqual([...venues], ["binance"]);
    assert.deepEqual(q.counts, {"insurance-fund trade": 1, "non-market trade": 1, "malformed JSON": 1, "malformed line": 1, "invalid trade fields": 1});
    assert.deepEqual(recording, {lines: 10, trades: 8});
  } finally {
    cleanup();
  }
});

test("readBinanceWs(path) with a symbol quarantines trades of other symbols", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "rec.gz");
    writeFileSync(path, gzipOf(`${FUTURES[0]}\n${FUTURES[0].replaceAll('"s":"BTCUSDT"', '"s":"ETHUSDT"')}\n`));
    const q = newQuarantine();
    assert.equal((await collect(readBinanceWs(path, q, {symbol: "BTCUSDT"}))).trades.length, 1);
    assert.deepEqual(q.counts, {"symbol mismatch": 1});
  } finally {
    cleanup();
  }
});

const env = (t: string, conn: string, extra: Record<string, unknown>) => JSON.stringify({t, conn, ts: 1786310819.9, ...extra});
const recv = (conn: string, payload: unknown) => env("recv", conn, {data: typeof payload === "string" ? payload : JSON.stringify(payload)});

test("readCryptofeed(path) reads Bybit publicTrade of the linear connection only, taker side, hashed ids", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const trade = (i: string, S: string, T: number) => ({T, s: "BTCUSDT", S, v: "0.004", p: "65114.20", L: "MinusTick", i, BT: false});
    const lines = [
      JSON.stringify({t: "header", format: 2, exchange: "BYBIT"}),
      env("connect", "BYBIT.ws.2", {addr: "wss://stream.bybit.com/v5/public/linear"}),
      env("connect", "BYBIT.ws.3", {addr: "wss://stream.bybit.com/v5/public/spot"}),
      recv("BYBIT.ws.2", {topic: "publicTrade.BTCUSDT", type: "snapshot", ts: 1, data: [trade("u-1", "Sell", 1786310819680), trade("u-2", "Buy", 1786310819681)]}),
      recv("BYBIT.ws.3", {topic: "publicTrade.BTCUSDT", type: "snapshot", ts: 1, data: [trade("s-1", "Buy", 1786310819700)]}),
      recv("BYBIT.ws.2", {topic: "publicTrade.ETHUSDT", type: "snapshot", ts: 1, data: [trade("e-1", "Buy", 1786310819700)]}),
      recv("BYBIT.ws.2", {topic: "orderbook.200.BTCUSDT", data: {}}),
      recv("BYBIT.ws.2", {topic: "publicTrade.BTCUSDT", type: "snapshot", ts: 1, data: [{...trade("u-3", "Hold", 1786310819682)}]}),
      recv("BYBIT.ws.2", '{"topic":"publicTrade.BTCUSDT","data":[{')
    ];
    const path = join(dir, "BYBIT.jsonl");
    writeFileSync(path, lines.join("\n"));
    const q = newQuarantine();
    const recording: RecordingStats = {lines: 0, trades: 0};
    const linear = await collect(readCryptofeed(path, q, {recording}));
    assert.deepEqual(linear.trades, [
      {time: 1786310819680, price: 65114.2, qty: 0.004, side: -1, id: hash53("u-1")},
      {time: 1786310819681, price: 65114.2, qty: 0.004, side: 1, id: hash53("u-2")}
    ]);
    assert.deepEqual([...linear.venues], ["bybit"]);
    assert.deepEqual(q.counts, {"invalid trade fields": 1, "malformed JSON": 1});
    assert.deepEqual(recording, {lines: 9, trades: 3});
    const spot = await collect(readCryptofeed(path, newQuarantine(), {category: "spot"}));
    assert.deepEqual(
      spot.trades.map((t) => t.id),
      [hash53("s-1")]
    );
  } finally {
    cleanup();
  }
});

test("readCryptofeed(path) reads OKX trades of one instrument, converting swap contracts to BTC", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const t = (instId: string, tradeId: string, side: string, sz: string) => ({instId, tradeId, px: "30236", sz, side, ts: "1652459224818"});
    const lines = [
      JSON.stringify({t: "header", format: 2, exchange: "OKX"}),
      recv("OKX.ws.1", {event: "subscribe", arg: {channel: "trades", instId: "BTC-USDT"}}),
      recv("OKX.ws.1", {arg: {channel: "trades", instId: "BTC-USDT"}, data: [t("BTC-USDT", "338476307", "buy", "0.0002")]}),
      recv("OKX.ws.1", {arg: {channel: "trades", instId: "BTC-USDT-SWAP"}, data: [t("BTC-USDT-SWAP", "9", "sell", "12")]}),
      recv("OKX.ws.1", {arg: {channel: "tickers", instId: "BTC-USDT"}, data: [{last: "1"}]})
    ];
    const path = join(dir, "OKX.jsonl.gz");
    writeFileSync(path, gzipOf(lines.join("\n")));
    const spot = await collect(readCryptofeed(path, newQuarantine(), {instrument: "BTC-USDT"}));
    assert.deepEqual(spot.trades, [{time: 1652459224818, price: 30236, qty: 0.0002, side: 1, id: 338476307}]);
    const swap = await collect(readCryptofeed(path, newQuarantine()));
    assert.deepEqual(swap.trades, [{time: 1652459224818, price: 30236, qty: 0.12, side: -1, id: 9}]);
    assert.deepEqual([...swap.venues], ["okx"]);
  } finally {
    cleanup();
  }
});

test("readCryptofeed(path) reads Coinbase market_trades, whose side is the maker's, as the opposite aggressor side", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const t = (trade_id: string, side: string, time: string, product_id = "BTC-USD") => ({product_id, trade_id, price: "65083.67", size: "0.002186", time, side});
    const lines = [
      JSON.stringify({t: "header", format: 2, exchange: "COINBASE"}),
      recv("COINBASE.ws.2", {channel: "market_trades", events: [{type: "snapshot", trades: [t("1068572090", "SELL", "2026-08-09T21:05:42.514318Z"), t("833140778", "BUY", "2026-08-09T21:05:44Z", "ETH-USD")]}]}),
      recv("COINBASE.ws.2", {channel: "market_trades", events: [{type: "update", trades: [t("1068572091", "BUY", "2026-08-09T21:05:43.1Z"), t("1068572092", "BUY", "yesterday")]}]}),
      recv("COINBASE.ws.2", {channel: "subscriptions", events: [{subscriptions: {market_trades: ["BTC-USD"]}}]})
    ];
    const path = join(dir, "COINBASE.jsonl");
    writeFileSync(path, lines.join("\n"));
    const q = newQuarantine();
    const {trades, venues} = await collect(readCryptofeed(path, q));
    assert.deepEqual(trades, [
      {time: Date.parse("2026-08-09T21:05:42.514Z") + 0.318, price: 65083.67, qty: 0.002186, side: 1, id: 1068572090},
      {time: Date.parse("2026-08-09T21:05:43.100Z"), price: 65083.67, qty: 0.002186, side: -1, id: 1068572091}
    ]);
    assert.deepEqual([...venues], ["coinbase"]);
    assert.deepEqual(q.counts, {"invalid trade fields": 1});
  } finally {
    cleanup();
  }
});

test("readCryptofeed(path) throws InputError without a header line or for an unsupported exchange", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const a = join(dir, "a.jsonl");
    writeFileSync(a, recv("X", {}) + "\n");
    await assert.rejects(collect(readCryptofeed(a, newQuarantine())), (e: unknown) => e instanceof InputError && /first line is not a header/.test(e.message));
    const b = join(dir, "b.jsonl");
    writeFileSync(b, JSON.stringify({t: "header", exchange: "KRAKEN"}) + "\n");
    await assert.rejects(collect(readCryptofeed(b, newQuarantine())), /unsupported cryptofeed exchange "KRAKEN"/);
    const c = join(dir, "c.jsonl.zst");
    writeFileSync(c, new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]));
    await assert.rejects(collect(readCryptofeed(c, newQuarantine())), /corrupt zstd/);
  } finally {
    cleanup();
  }
});
