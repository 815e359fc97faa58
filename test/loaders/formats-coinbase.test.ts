import assert from "node:assert/strict";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {COINBASE_HEADER, coinbaseFileName, FORMATS, readCoinbase, writeCoinbase} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine, type Trade} from "../../loaders/trades.ts";
import {batchesOf, batchOf, collect, gunzipText, gzipOf, randomTrades, tempDir} from "./support/fixtures.ts";

function file(dir: string, text: string, name = "BTC-USD-2024-08-05.csv.gz"): string {
  const path = join(dir, name);
  writeFileSync(path, gzipOf(text));
  return path;
}

const T = Date.parse("2024-08-05T21:05:38Z");

test("readCoinbase(path) of a hand-made cache file: ISO µs times, maker side turned into the aggressor side", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const text = `${COINBASE_HEADER}
1068572088,2024-08-05T21:05:38.50436Z,65083.66,0.00007299,buy
1068572089,2024-08-05T21:05:41.139922Z,65083.67,0.00064389,sell
1068572090,2024-08-05T21:05:42Z,65083.67,2,sell
`;
    const q = newQuarantine();
    const {trades, venues} = await collect(readCoinbase(file(dir, text), q));
    assert.deepEqual(trades, [
      {time: T + 504.36, price: 65083.66, qty: 0.00007299, side: -1, id: 1068572088},
      {time: (T * 1000 + 3_139_922) / 1000, price: 65083.67, qty: 0.00064389, side: 1, id: 1068572089},
      {time: T + 4000, price: 65083.67, qty: 2, side: 1, id: 1068572090}
    ]);
    assert.equal(trades[1].time, Date.parse("2024-08-05T21:05:41.139Z") + 0.922);
    assert.deepEqual([...venues], ["coinbase"]);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("writeCoinbase(trades) writes the exact documented bytes: ascending ids, µs ISO times, maker side", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows: Trade[] = [
      {time: T + 504.36, price: 65083.66, qty: 0.00007299, side: -1, id: 1068572088},
      {time: T + 3139.922, price: 65083.67, qty: 1e-8, side: 1, id: 1068572089},
      {time: T + 4000, price: 65083.67, qty: 2, side: 1, id: 1068572090}
    ];
    const names = await writeCoinbase([batchOf("coinbase", rows)], dir, "BTCUSDT");
    assert.deepEqual(names, ["BTC-USD-2024-08-05.csv.gz"]);
    assert.equal(
      gunzipText(readFileSync(join(dir, names[0]))),
      `${COINBASE_HEADER}
1068572088,2024-08-05T21:05:38.50436Z,65083.66,0.00007299,buy
1068572089,2024-08-05T21:05:41.139922Z,65083.67,0.00000001,sell
1068572090,2024-08-05T21:05:42Z,65083.67,2,sell
`
    );
  } finally {
    cleanup();
  }
});

test("writeCoinbase then readCoinbase round-trips µs times across midnight", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(3000, Date.parse("2024-08-05T23:59:00Z"), {seed: 2, step: 40, fractionalMs: true});
    const names = await FORMATS.coinbase.write(batchesOf("coinbase", rows, 400), dir, "BTCUSDT");
    assert.deepEqual(names, ["BTC-USD-2024-08-05.csv.gz", "BTC-USD-2024-08-06.csv.gz"]);
    const q = newQuarantine();
    const back: Trade[] = [];
    for (const n of names) back.push(...(await collect(FORMATS.coinbase.read(join(dir, n), q))).trades);
    assert.equal(back.length, rows.length);
    for (let i = 0; i < rows.length; ++i) {
      assert.equal(Math.round(back[i].time * 1000), Math.round(rows[i].time * 1000));
      assert.deepEqual({...back[i], time: 0}, {...rows[i], time: 0});
    }
  } finally {
    cleanup();
  }
});

test("readCoinbase(path) quarantines malformed rows and rejects a wrong header", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const text = [
      COINBASE_HEADER,
      "1,2024-08-05T21:05:38.5Z,65083.66,0.1,buy", // good
      "2,2024-08-05 21:05:38,65083.66,0.1,buy", // no zone
      "3,2024-13-05T21:05:38Z,65083.66,0.1,buy", // month 13
      "4,2024-08-05T21:05:38Z,65083.66,0.1,BUY", // upper-case side
      "5,2024-08-05T21:05:38Z,0,0.1,sell", // zero price
      "6,2024-08-05T21:05:38Z,65083.66,NaN,sell", // non-numeric size
      "7,2024-08-05T21:05:38Z,65083.66,0.1", // missing column
      "-8,2024-08-05T21:05:38Z,65083.66,0.1,sell" // negative id
    ].join("\n");
    const q = newQuarantine();
    const {trades} = await collect(readCoinbase(file(dir, text), q));
    assert.deepEqual(
      trades.map((t) => t.id),
      [1]
    );
    assert.deepEqual(q.counts, {"invalid time": 2, "invalid side": 1, "non-positive price": 1, "non-numeric size": 1, "wrong column count": 1, "non-numeric trade_id": 1});
    await assert.rejects(collect(readCoinbase(file(dir, "time,trade_id,price,size,side\n", "x.csv.gz"), q)), (e: unknown) => e instanceof InputError && e.line === 1);
  } finally {
    cleanup();
  }
});

test("coinbaseFileName(day, symbol) maps the workbook symbol to Coinbase's BTC-USD book", () => {
  assert.equal(coinbaseFileName("2024-08-05", "BTCUSDT"), "BTC-USD-2024-08-05.csv.gz");
  assert.deepEqual(FORMATS.coinbase.filesForDay("2024-08-05", "BTC-USD"), ["BTC-USD-2024-08-05.csv.gz"]);
});
