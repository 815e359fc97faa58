// The venue message parsers of lib/messages: one normalised trade per trade element, a reason
// for each rejected one, and the message kinds the live page counts (trades / other / malformed).
// On the shared recordings they give exactly the trades the recording readers give.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";
import test from "node:test";
import {binanceTrade, parseBinanceMessage} from "../../lib/messages/binance.js";
import {bybitTrade, parseBybitMessage} from "../../lib/messages/bybit.js";
import {coinbaseTrade, parseCoinbaseMessage} from "../../lib/messages/coinbase.js";
import {OKX_SPOT_SCALE, OKX_SWAP_SCALE, okxTrade, parseOkxMessage} from "../../lib/messages/okx.js";
import {hash53} from "../../lib/bytes.js";
import type {Trade} from "../../lib/messages/types.js";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {REAL_TRADES, realTradesSkip} from "../support/shared.ts";

const FUT = {e: "trade", E: 1680652804963, T: 1680652804962, s: "BTCUSDT", t: 3535188229, p: "28167.90", q: "0.005", X: "MARKET", m: true};

test("binance: a combined-stream trade is normalised (time T, id t, side −1 when the buyer was the maker)", () => {
  const r = parseBinanceMessage(JSON.stringify({stream: "btcusdt@trade", data: FUT}), "BTCUSDT");
  assert.equal(r.kind, "trades");
  assert.deepEqual(r.trades, [{time: 1680652804962, price: 28167.9, qty: 0.005, side: -1, id: 3535188229}]);
  assert.deepEqual(r.rejected, []);
  assert.equal((binanceTrade({...FUT, m: false}) as Trade).side, 1);
});

test("binance: rejection reasons and message kinds", () => {
  assert.equal(binanceTrade({...FUT, X: "INSURANCE_FUND"}), "insurance-fund trade");
  assert.equal(binanceTrade({...FUT, X: "ADL"}), "non-market trade");
  assert.equal(binanceTrade({...FUT, p: ""}), "invalid trade fields");
  assert.equal(binanceTrade({...FUT, T: "1680652804962"}), "invalid trade fields");
  assert.equal(binanceTrade(FUT, "ETHUSDT"), "symbol mismatch");
  assert.equal(binanceTrade({e: "bookTicker"}), "malformed JSON");
  assert.equal(parseBinanceMessage('{"result":null,"id":1}').kind, "other");
  assert.equal(parseBinanceMessage('{"stream":"btcusdt@trade","data":{"e":"trade"').kind, "malformed");
  assert.equal(parseBinanceMessage("null").kind, "malformed");
  // An insurance-fund fill is left out, but its id keeps its place in the id sequence.
  const fund = parseBinanceMessage(JSON.stringify({...FUT, X: "INSURANCE_FUND"}));
  assert.deepEqual([fund.trades, fund.rejected, fund.skippedIds], [[], ["insurance-fund trade"], [3535188229]]);
  const bad = parseBinanceMessage(JSON.stringify({...FUT, q: "-1"}));
  assert.equal(bad.skippedIds, undefined);
  assert.deepEqual([bad.kind, bad.trades.length, bad.rejected], ["trades", 0, ["invalid trade fields"]]);
});

test("bybit: publicTrade elements (taker side S, size v, id = hash53 of the UUID); pongs are other", () => {
  const msg = {topic: "publicTrade.BTCUSDT", type: "snapshot", ts: 1, data: [
    {T: 1754774819680, s: "BTCUSDT", S: "Buy", v: "0.012", p: "117000.10", i: "a1b2", BT: false},
    {T: 1754774819681, s: "BTCUSDT", S: "Hold", v: "0.012", p: "117000.10", i: "a1b3", BT: false}
  ]};
  const r = parseBybitMessage(JSON.stringify(msg), "BTCUSDT");
  assert.deepEqual(r.trades, [{time: 1754774819680, price: 117000.1, qty: 0.012, side: 1, id: hash53("a1b2")}]);
  assert.deepEqual(r.rejected, ["invalid trade fields"]);
  assert.equal((bybitTrade({...msg.data[0], S: "Sell"}) as Trade).side, -1);
  assert.equal(parseBybitMessage('{"success":true,"ret_msg":"pong","op":"ping"}', "BTCUSDT").kind, "other");
  assert.equal(parseBybitMessage(JSON.stringify(msg), "ETHUSDT").kind, "other");
  assert.equal(parseBybitMessage("{oops", "BTCUSDT").kind, "malformed");
});

test("okx: swap sizes are contracts of 0.01 BTC, converted on the digits; spot sizes are BTC", () => {
  const t = {instId: "BTC-USDT-SWAP", tradeId: "1234567", px: "30000.5", sz: "3", side: "sell", ts: "1652459224818"};
  const r = parseOkxMessage(JSON.stringify({arg: {channel: "trades", instId: "BTC-USDT-SWAP"}, data: [t]}), "BTC-USDT-SWAP", OKX_SWAP_SCALE);
  assert.deepEqual(r.trades, [{time: 1652459224818, price: 30000.5, qty: 0.03, side: -1, id: 1234567}]);
  assert.deepEqual(okxTrade({...t, sz: "0.07"}, OKX_SWAP_SCALE), {time: 1652459224818, price: 30000.5, qty: 0.0007, side: -1, id: 1234567});
  assert.equal((okxTrade(t, OKX_SPOT_SCALE) as Trade).qty, 3);
  assert.equal(okxTrade({...t, tradeId: "x"}, OKX_SWAP_SCALE), "invalid trade fields");
  assert.equal(parseOkxMessage("pong", "BTC-USDT-SWAP", OKX_SWAP_SCALE).kind, "other");
  assert.equal(parseOkxMessage('{"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT-SWAP"}}', "BTC-USDT-SWAP", OKX_SWAP_SCALE).kind, "other");
  assert.equal(parseOkxMessage("pon", "BTC-USDT-SWAP", OKX_SWAP_SCALE).kind, "malformed");
});

test("coinbase: market_trades carry the maker side (SELL → aggressor +1) and ISO times with µs", () => {
  const t = {trade_id: "123", product_id: "BTC-USD", price: "117000.01", size: "0.5", side: "SELL", time: "2026-08-09T21:04:35.346123Z"};
  const msg = {channel: "market_trades", events: [{type: "update", trades: [t, {...t, product_id: "ETH-USD"}, {...t, side: "X"}]}]};
  const r = parseCoinbaseMessage(JSON.stringify(msg), "BTC-USD");
  assert.deepEqual(r.trades, [{time: Date.UTC(2026, 7, 9, 21, 4, 35) + 346.123, price: 117000.01, qty: 0.5, side: 1, id: 123}]);
  assert.deepEqual(r.rejected, ["invalid trade fields"]);
  assert.equal((coinbaseTrade({...t, side: "BUY"}) as Trade).side, -1);
  assert.equal(coinbaseTrade({...t, time: "yesterday"}), "invalid trade fields");
  assert.equal(parseCoinbaseMessage('{"channel":"heartbeats","events":[]}', "BTC-USD").kind, "other");
});

const skip = realTradesSkip("the recording check of the live parser");
test("parseBinanceMessage on every line of the 2023-04-05 recordings gives exactly the reader's trades", {skip}, async () => {
  for (const file of ["binance-usdm-futures/btcusdt_20230405.dat.gz", "binance-spot/btcusdt_20230405.dat.gz"]) {
    const lines = gunzipSync(readFileSync(REAL_TRADES + file)).toString("utf8").split("\n");
    const live: number[][] = [];
    const reasons: string[] = [];
    for (const line of lines) {
      if (!line.includes('"e":"trade"')) continue;
      const r = parseBinanceMessage(line.slice(line.indexOf(" ") + 1));
      for (const t of r.trades) live.push([t.time, t.price, t.qty, t.side, t.id]);
      reasons.push(...r.rejected);
    }
    const q = newQuarantine();
    const read: number[][] = [];
    for await (const b of readBinanceWs(REAL_TRADES + file, q)) for (let i = 0; i < b.length; ++i) read.push([b.time[i], b.price[i], b.qty[i], b.side[i], b.id[i]]);
    assert.equal(live.length, read.length, file);
    assert.deepEqual(live, read, file);
    assert.equal(reasons.length, file.includes("usdm") ? 1 : 0, `${file}: ${reasons}`);
  }
});
