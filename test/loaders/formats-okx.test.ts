import assert from "node:assert/strict";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {FORMATS, newReadStats, OKX_HEADER, okxFileDay, okxFileName, okxFileSpan, okxInstrument, readDay, readOkx, utcDaySpan, writeOkx} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine, type Trade} from "../../loaders/trades.ts";
import {batchesOf, batchOf, collect, randomTrades, tempDir, unzipTexts, zipOf} from "./support/fixtures.ts";

function archive(dir: string, name: string, csv: string): string {
  const path = join(dir, name);
  writeFileSync(path, zipOf({[name.replace(/\.zip$/, ".csv")]: csv}));
  return path;
}

// 2024-08-05T16:00:00Z is midnight of 2024-08-06 in UTC+8: the first instant of OKX file day 2024-08-06.
const CUT = Date.parse("2024-08-05T16:00:00Z");

test("readOkx(path) of a hand-made archive converts contracts to BTC (0.01 BTC per BTC-USDT-SWAP contract) and keeps taker sides", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const csv = `${OKX_HEADER}\nBTC-USDT-SWAP,1566502282,sell,56000.1,30.14,${CUT + 8}\nBTC-USDT-SWAP,1566502283,buy,56000.2,8,${CUT + 100}\nBTC-USDT-SWAP,1566502284,buy,56000.2,0.01,${CUT + 100}\n`;
    const q = newQuarantine();
    const {trades, venues} = await collect(readOkx(archive(dir, "BTC-USDT-SWAP-trades-2024-08-06.zip", csv), q));
    assert.deepEqual(trades, [
      {time: CUT + 8, price: 56000.1, qty: 0.3014, side: -1, id: 1566502282},
      {time: CUT + 100, price: 56000.2, qty: 0.08, side: 1, id: 1566502283},
      {time: CUT + 100, price: 56000.2, qty: 0.0001, side: 1, id: 1566502284}
    ]);
    assert.deepEqual([...venues], ["okx"]);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readOkx(path) accepts the `source` column and the bilingual header of older spot archives", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const withSource = `${OKX_HEADER},source\nBTC-USDT-SWAP,7,buy,56000.1,3,${CUT},0\n`;
    assert.deepEqual((await collect(readOkx(archive(dir, "BTC-USDT-SWAP-trades-2024-08-06.zip", withSource), q))).trades, [{time: CUT, price: 56000.1, qty: 0.03, side: 1, id: 7}]);
    const bilingual = "trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间\n719977054,buy,0.00527188,84760.0,1682434103856\n";
    assert.deepEqual((await collect(readOkx(archive(dir, "BTC-USDT-trades-2023-04-26.zip", bilingual), q))).trades, [
      {time: 1682434103856, price: 84760, qty: 0.00527188, side: 1, id: 719977054}
    ]);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("okx.filesForDay(day) names the file of that day and the next, because files are cut at UTC+8 midnight", () => {
  assert.deepEqual(FORMATS.okx.filesForDay("2024-08-05", "BTCUSDT"), ["BTC-USDT-SWAP-trades-2024-08-05.zip", "BTC-USDT-SWAP-trades-2024-08-06.zip"]);
  assert.deepEqual(FORMATS.okx.filesForDay("2024-12-31", "BTCUSDT"), ["BTC-USDT-SWAP-trades-2024-12-31.zip", "BTC-USDT-SWAP-trades-2025-01-01.zip"]);
  assert.equal(okxInstrument("BTCUSDT"), "BTC-USDT-SWAP");
  assert.equal(okxFileDay(CUT - 1), "2024-08-05");
  assert.equal(okxFileDay(CUT), "2024-08-06");
  assert.deepEqual(okxFileSpan("2024-08-06"), [CUT, CUT + 86_400_000]);
  assert.equal(okxFileName("2024-08-06", "BTCUSDT"), "BTC-USDT-SWAP-trades-2024-08-06.zip");
});

test("writeOkx(trades) cuts files at UTC+8 midnight and writes the exact documented bytes (size in contracts)", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows: Trade[] = [
      {time: CUT - 1, price: 56000.1, qty: 0.3014, side: -1, id: 10},
      {time: CUT, price: 56000.2, qty: 0.08, side: 1, id: 11},
      {time: CUT + 0.9, price: 56000.2, qty: 0.0001, side: 1, id: 12}
    ];
    const names = await writeOkx([batchOf("okx", rows)], dir, "BTCUSDT");
    assert.deepEqual(names, ["BTC-USDT-SWAP-trades-2024-08-05.zip", "BTC-USDT-SWAP-trades-2024-08-06.zip"]);
    assert.deepEqual(unzipTexts(readFileSync(join(dir, names[0]))), {
      "BTC-USDT-SWAP-trades-2024-08-05.csv": `${OKX_HEADER}\nBTC-USDT-SWAP,10,sell,56000.1,30.14,${CUT - 1}\n`
    });
    assert.deepEqual(unzipTexts(readFileSync(join(dir, names[1]))), {
      "BTC-USDT-SWAP-trades-2024-08-06.csv": `${OKX_HEADER}\nBTC-USDT-SWAP,11,buy,56000.2,8,${CUT}\nBTC-USDT-SWAP,12,buy,56000.2,0.01,${CUT}\n`
    });
  } finally {
    cleanup();
  }
});

test("readDay('okx', day) reassembles exactly one UTC day from two UTC+8 files, skipping (not quarantining) the neighbours", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const [t0, t1] = utcDaySpan("2024-08-05");
    // Trades from 2024-08-04 20:00 UTC for about 32 hours: file 2024-08-05 holds those before
    // 2024-08-05 16:00 UTC (from both UTC days), file 2024-08-06 the rest (also from both).
    const rows = randomTrades(6000, t0 - 4 * 3_600_000, {seed: 5, step: (32 * 3_600_000) / 6000});
    assert.ok(rows[rows.length - 1].time > t1 && rows[rows.length - 1].time < t1 + 16 * 3_600_000);
    const names = await writeOkx(batchesOf("okx", rows, 1000), dir, "BTCUSDT");
    assert.deepEqual(names, ["BTC-USDT-SWAP-trades-2024-08-05.zip", "BTC-USDT-SWAP-trades-2024-08-06.zip"]);
    const q = newQuarantine();
    const stats = newReadStats();
    const {trades} = await collect(readDay("okx", dir, "2024-08-05", "BTCUSDT", q, {stats}));
    const expected = rows.filter((r) => r.time >= t0 && r.time < t1);
    assert.ok(expected.length > 3000);
    assert.deepEqual(trades, expected);
    assert.deepEqual(q.counts, {});
    const inFiles = rows.filter((r) => r.time >= t0 - 8 * 3_600_000 && r.time < t1 + 16 * 3_600_000).length;
    const {fast, ...counts} = stats;
    assert.deepEqual(counts, {rows: inFiles, kept: expected.length, skipped: inFiles - expected.length, quarantined: 0});
    // All rows but each file's first (which fixes the time unit) and those cut by a chunk boundary take the fast path.
    assert.ok(fast < inFiles - 1 && fast > 0.99 * inFiles, `${fast} of ${inFiles} rows by the fast path`);
  } finally {
    cleanup();
  }
});

test("readOkx(path) quarantines malformed rows by reason", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const csv = [
      OKX_HEADER,
      `BTC-USDT-SWAP,1,buy,56000,1,${CUT}`, // good
      `BTC-USD-SWAP,2,buy,56000,1,${CUT}`, // other instrument
      `BTC-USDT-SWAP,3,BUY!,56000,1,${CUT}`, // bad side
      `BTC-USDT-SWAP,4,sell,56000,,${CUT}`, // empty size
      `BTC-USDT-SWAP,5,sell,-1,1,${CUT}`, // negative price
      `BTC-USDT-SWAP,6,sell,56000,1,${CUT}000`, // µs among ms
      `BTC-USDT-SWAP,abc,sell,56000,1,${CUT}`, // id
      `BTC-USDT-SWAP,8,sell,56000,1`, // missing column
      `BTC-USDT-SWAP,9,sell,56000,0,${CUT}` // zero size
    ].join("\n");
    const q = newQuarantine();
    const {trades} = await collect(readOkx(archive(dir, "BTC-USDT-SWAP-trades-2024-08-06.zip", csv), q));
    assert.deepEqual(
      trades.map((t) => t.id),
      [1]
    );
    assert.deepEqual(q.counts, {
      "instrument mismatch": 1,
      "invalid side": 1,
      "non-numeric size": 1,
      "non-positive price": 1,
      "time unit mismatch": 1,
      "non-numeric trade_id": 1,
      "wrong column count": 1,
      "non-positive size": 1
    });
  } finally {
    cleanup();
  }
});

test("readOkx(path) throws InputError for a missing column, an unknown contract value, an empty archive", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const missing = archive(dir, "BTC-USDT-SWAP-trades-2024-08-06.zip", `instrument_name,trade_id,side,price,created_time\nBTC-USDT-SWAP,1,buy,1,${CUT}\n`);
    await assert.rejects(collect(readOkx(missing, q)), (e: unknown) => e instanceof InputError && /missing column "size"/.test(e.message));
    const unknown = archive(dir, "DOGE-USDT-SWAP-trades-2024-08-06.zip", `${OKX_HEADER}\nDOGE-USDT-SWAP,1,buy,0.1,1,${CUT}\n`);
    await assert.rejects(collect(readOkx(unknown, q)), /unknown contract value for DOGE-USDT-SWAP/);
    // …unless the caller gives it.
    assert.deepEqual((await collect(readOkx(unknown, q, {contractValue: 1000}))).trades[0].qty, 1000);
    const empty = archive(dir, "BTC-USDT-SWAP-trades-2024-08-07.zip", "");
    await assert.rejects(collect(readOkx(empty, q)), /empty file/);
  } finally {
    cleanup();
  }
});

test("writeOkx then readOkx round-trips random trades (deterministic bytes)", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(3000, CUT - 60_000, {seed: 9});
    const names = await FORMATS.okx.write(batchesOf("okx", rows, 256), dir, "BTCUSDT");
    const q = newQuarantine();
    const back: Trade[] = [];
    for (const n of names) back.push(...(await collect(FORMATS.okx.read(join(dir, n), q))).trades);
    assert.deepEqual(back, rows);
    const again = await writeOkx(batchesOf("okx", rows, 3000), join(dir, "again"), "BTCUSDT");
    for (const n of again) assert.deepEqual(readFileSync(join(dir, "again", n)), readFileSync(join(dir, n)));
  } finally {
    cleanup();
  }
});
