// Parses the real trade recordings in ../shared/real-trades (beside the repository root) and checks
// them against the figures of its SOURCES.md and against the derived/ trade extracts. Skipped,
// with a message, where ../shared is absent (a user's clone).
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import test from "node:test";
import {readBinanceWs, readCryptofeed, readTardis, type RecordingStats} from "../../loaders/formats/index.ts";
import {newQuarantine, type Trade} from "../../loaders/trades.ts";
import {collect} from "./support/fixtures.ts";
import {REAL_TRADES} from "../support/shared.ts";

const ROOT = REAL_TRADES;
const skip = existsSync(ROOT) ? false : `../shared/real-trades not found at ${ROOT}: the real-recording checks need the shared fixtures beside the repository`;
const at = (s: string) => Date.parse(`${s}Z`);

interface Expect {
  file: string;
  derived: string;
  trades: number;
  first: string;
  last: string;
  ids: [number, number];
  lines: number;
  insurance: number;
}

// From real-trades/SOURCES.md, section 1.
const HFTBACKTEST: Expect[] = [
  {file: "binance-usdm-futures/btcusdt_20230404.dat.gz", derived: "binance-usdm-futures__btcusdt_20230404", trades: 2197, first: "2023-04-04T23:58:20.452", last: "2023-04-04T23:59:59.965", ids: [3535186032, 3535188228], lines: 13384, insurance: 0},
  {file: "binance-usdm-futures/btcusdt_20230405.dat.gz", derived: "binance-usdm-futures__btcusdt_20230405", trades: 10738, first: "2023-04-05T00:00:04.962", last: "2023-04-05T00:06:54.437", ids: [3535188229, 3535198966], lines: 60381, insurance: 1},
  {file: "binance-spot/btcusdt_20230405.dat.gz", derived: "binance-spot__btcusdt_20230405", trades: 3144, first: "2023-04-04T23:59:59.999", last: "2023-04-05T00:06:54.256", ids: [3071245454, 3071248597], lines: 15088, insurance: 0},
  {file: "binance-usdm-futures/btcusdt_20240718.gz", derived: "binance-usdm-futures__btcusdt_20240718", trades: 974, first: "2024-07-18T23:57:02.956", last: "2024-07-18T23:59:59.877", ids: [5182005737, 5182006710], lines: 11414, insurance: 0},
  {file: "binance-usdm-futures/btcusdt_20240719.gz", derived: "binance-usdm-futures__btcusdt_20240719", trades: 9727, first: "2024-07-19T00:00:02.812", last: "2024-07-19T00:05:02.282", ids: [5182006711, 5182016437], lines: 60570, insurance: 0}
];

const SHA256: Record<string, string> = {
  "binance-usdm-futures/btcusdt_20230404.dat.gz": "85c1c350353bc5d73c8d48daf1519d1a7ce8d0bbe703be0b45278171876e110d",
  "binance-usdm-futures/btcusdt_20230405.dat.gz": "f08860355a5924f7220dc26836485ea0f36dc3dabb22948d0d36af00e08e89c0",
  "binance-spot/btcusdt_20230405.dat.gz": "45701a06896fda2ae12fa7e3ae4fa3c14822b26a2221369fd685002ff5a62438",
  "binance-usdm-futures/btcusdt_20240718.gz": "e4163718b819a93b858d1259bfeb53e170ee31e03738f88e172af74078cd45be",
  "binance-usdm-futures/btcusdt_20240719.gz": "33bab357ff6e97be8134efd35d3489794807bedeb47f1a1f6cc81ece65d88b58",
  "binance-usdm-futures/tardis_trades.csv": "4e58d2f3619fd5655e1e841c88a5b7f85d900953c682bbdf897022b0ab3b471a",
  "bybit/BYBIT.jsonl.zst": "9844b5e38fd2db01066d3e30c8df4032c99462b4c0aba66b91fb0d62042851b9",
  "okx/OKX.jsonl.zst": "cf796749e6a1ab8ba5ba035b430c8b826b2d8201ffaca3927f4148228eaa31d9",
  "coinbase/COINBASE.jsonl.zst": "35aeaf9fbdc7d7c6b4a649bd5408d13e0c6a4db89274ff001c01131b6f5b9f25"
};

test("the real-trades files are the ones SOURCES.md describes (sha256)", {skip}, () => {
  for (const [file, sha] of Object.entries(SHA256)) assert.equal(createHash("sha256").update(readFileSync(ROOT + file)).digest("hex"), sha, file);
});

/** The derived extract as trades, plus the ids of its INSURANCE_FUND rows. */
function derived(name: string): {trades: Trade[]; insurance: number[]} {
  const lines = readFileSync(`${ROOT}derived/${name}.trades.csv`, "utf8").trim().split(/\r?\n/);
  assert.equal(lines[0], "local_ts,event_time_ms,trade_time_ms,symbol,trade_id,price,qty,is_buyer_maker,type");
  const trades: Trade[] = [];
  const insurance: number[] = [];
  for (const line of lines.slice(1)) {
    const [, , time, , id, price, qty, maker, type] = line.split(",");
    if (type === "INSURANCE_FUND") insurance.push(Number(id));
    else trades.push({time: Number(time), price: Number(price), qty: Number(qty), side: maker === "true" ? -1 : 1, id: Number(id)});
  }
  return {trades, insurance};
}

for (const e of HFTBACKTEST)
  test(`readBinanceWs(${e.file}) gives SOURCES.md's trade count, id range, first/last times and equals the derived extract`, {skip}, async () => {
    const q = newQuarantine();
    const recording: RecordingStats = {lines: 0, trades: 0};
    const {trades, venues} = await collect(readBinanceWs(ROOT + e.file, q, {recording, symbol: "BTCUSDT"}));
    assert.deepEqual(recording, {lines: e.lines, trades: e.trades});
    assert.equal(trades.length + e.insurance, e.trades);
    assert.deepEqual(q.counts, e.insurance ? {"insurance-fund trade": e.insurance} : {});
    assert.deepEqual([...venues], ["binance"]);
    const times = trades.map((t) => t.time);
    assert.equal(Math.min(...times), at(e.first));
    assert.equal(Math.max(...times), at(e.last));
    const d = derived(e.derived);
    assert.equal(d.insurance.length, e.insurance);
    // Ids run without gaps once the insurance-fund trades are put back.
    const ids = [...trades.map((t) => t.id), ...d.insurance].sort((a, b) => a - b);
    assert.deepEqual([ids[0], ids[ids.length - 1]], e.ids);
    assert.equal(ids.length, e.ids[1] - e.ids[0] + 1);
    assert.deepEqual(trades, d.trades);
  });

test("consecutive Binance recordings continue each other's trade ids (2023-04-04 → 05, 2024-07-18 → 19)", {skip}, () => {
  assert.equal(HFTBACKTEST[0].ids[1] + 1, HFTBACKTEST[1].ids[0]);
  assert.equal(HFTBACKTEST[3].ids[1] + 1, HFTBACKTEST[4].ids[0]);
});

test("readTardis(tardis_trades.csv) gives 9,999 Binance futures trades, ids 42377944–42387942 without gaps, 00:00:02.111 → 02:05:47.728", {skip}, async () => {
  const q = newQuarantine();
  const {trades, venues} = await collect(readTardis(`${ROOT}binance-usdm-futures/tardis_trades.csv`, q));
  assert.equal(trades.length, 9999);
  assert.deepEqual([...venues], ["binance"]);
  assert.deepEqual(q.counts, {});
  const ids = trades.map((t) => t.id);
  assert.deepEqual([ids[0], ids[ids.length - 1]], [42377944, 42387942]);
  assert.ok(ids.every((id, i) => i === 0 || id === ids[i - 1] + 1));
  assert.equal(trades[0].time, at("2020-02-22T00:00:02.111"));
  assert.equal(Math.max(...trades.map((t) => t.time)), at("2020-02-22T02:05:47.728"));
  assert.ok(trades.every((t) => t.side === 1 || t.side === -1));
});

test("readCryptofeed(BYBIT.jsonl.zst) finds 56 BTCUSDT trades on the linear connection and 11 on the spot one", {skip}, async () => {
  const linear = await collect(readCryptofeed(`${ROOT}bybit/BYBIT.jsonl.zst`, newQuarantine()));
  const spot = await collect(readCryptofeed(`${ROOT}bybit/BYBIT.jsonl.zst`, newQuarantine(), {category: "spot"}));
  assert.equal(linear.trades.length, 56);
  assert.equal(spot.trades.length, 11);
  const times = [...linear.trades, ...spot.trades].map((t) => t.time);
  assert.equal(Math.min(...times), at("2026-08-09T21:26:59.680"));
  assert.equal(Math.max(...times), at("2026-08-09T21:27:41.700"));
  assert.equal(new Set(linear.trades.map((t) => t.id)).size, 56);
});

test("readCryptofeed(OKX.jsonl.zst, BTC-USDT) finds 69 spot trades from 16:27:04.818 to 16:27:15.576 (and no BTC-USDT-SWAP trade)", {skip}, async () => {
  const q = newQuarantine();
  const {trades} = await collect(readCryptofeed(`${ROOT}okx/OKX.jsonl.zst`, q, {instrument: "BTC-USDT"}));
  assert.equal(trades.length, 69);
  assert.deepEqual(q.counts, {});
  assert.equal(Math.min(...trades.map((t) => t.time)), at("2022-05-13T16:27:04.818"));
  assert.equal(Math.max(...trades.map((t) => t.time)), at("2022-05-13T16:27:15.576"));
  assert.equal((await collect(readCryptofeed(`${ROOT}okx/OKX.jsonl.zst`, newQuarantine()))).trades.length, 0);
  assert.equal((await collect(readCryptofeed(`${ROOT}okx/OKX.jsonl.zst`, newQuarantine(), {instrument: "BTC-USD-220527", contractValue: 100}))).trades.length, 4);
});

test("readCryptofeed(COINBASE.jsonl.zst) finds 147 unique BTC-USD trades from 21:04:35.346 to 21:06:12.152", {skip}, async () => {
  const q = newQuarantine();
  const recording: RecordingStats = {lines: 0, trades: 0};
  const {trades} = await collect(readCryptofeed(`${ROOT}coinbase/COINBASE.jsonl.zst`, q, {recording}));
  assert.equal(trades.length, 147);
  assert.equal(new Set(trades.map((t) => t.id)).size, 147);
  assert.deepEqual(q.counts, {});
  assert.equal(Math.round(Math.min(...trades.map((t) => t.time))), at("2026-08-09T21:04:35.346"));
  assert.equal(Math.round(Math.max(...trades.map((t) => t.time))), at("2026-08-09T21:06:12.152"));
  // Maker-side labels: after sorting by id, a price uptick is almost always a buyer-initiated (+1) trade.
  const sorted = [...trades].sort((a, b) => a.id - b.id);
  let agree = 0;
  let moves = 0;
  for (let i = 1; i < sorted.length; ++i) {
    const d = Math.sign(sorted[i].price - sorted[i - 1].price);
    if (d === 0) continue;
    ++moves;
    if (d === sorted[i].side) ++agree;
  }
  assert.ok(agree / moves > 0.9, `${agree}/${moves} price moves agree with the aggressor side`);
});
