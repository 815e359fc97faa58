import assert from "node:assert/strict";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {hash53, newReadStats, readTardis, TARDIS_HEADER} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine} from "../../loaders/trades.ts";
import {collect, gzipOf, tempDir} from "./support/fixtures.ts";

const SAMPLE = `${TARDIS_HEADER}
binance-futures,BTCUSDT,1582329602111000,1582329602418379,42377944,buy,9682,0.132
binance-futures,BTCUSDT,1582329602116123,1582329602418420,42377945,sell,9681.99,0.412
`;

test("readTardis(path) reads µs exchange times, aggressor sides and numeric ids, plain or gzip", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const plain = join(dir, "trades.csv");
    writeFileSync(plain, SAMPLE);
    const gz = join(dir, "trades.csv.gz");
    writeFileSync(gz, gzipOf(SAMPLE));
    for (const path of [plain, gz]) {
      const q = newQuarantine();
      const {trades, venues} = await collect(readTardis(path, q));
      assert.deepEqual(trades, [
        {time: 1582329602111, price: 9682, qty: 0.132, side: 1, id: 42377944},
        {time: 1582329602116.123, price: 9681.99, qty: 0.412, side: -1, id: 42377945}
      ]);
      assert.deepEqual([...venues], ["binance"]);
      assert.deepEqual(q.counts, {});
    }
  } finally {
    cleanup();
  }
});

test("readTardis(path) maps exchanges to venues, OKX contracts to BTC, string ids to hashes and `unknown` sides to 0", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const okx = join(dir, "okx.csv");
    writeFileSync(okx, `${TARDIS_HEADER}\nokex-swap,BTC-USDT-SWAP,1722816000000000,1722816000001000,9001,unknown,56000.1,30.14\n`);
    const bybit = join(dir, "bybit.csv");
    writeFileSync(bybit, `${TARDIS_HEADER}\nbybit,BTCUSDT,1722816000000100,1722816000001000,a9188a0a-82bc-50de-be60-03eedbe3cdd7,sell,56000.1,0.5\n`);
    const q = newQuarantine();
    const o = await collect(readTardis(okx, q));
    assert.deepEqual(o.trades, [{time: 1722816000000, price: 56000.1, qty: 0.3014, side: 0, id: 9001}]);
    assert.deepEqual([...o.venues], ["okx"]);
    const b = await collect(readTardis(bybit, q));
    assert.deepEqual(b.trades, [{time: 1722816000000.1, price: 56000.1, qty: 0.5, side: -1, id: hash53("a9188a0a-82bc-50de-be60-03eedbe3cdd7")}]);
    assert.deepEqual([...b.venues], ["bybit"]);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readTardis(path) quarantines rows of another exchange or symbol, bad sides, ms times and bad numbers", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "bad.csv");
    writeFileSync(
      path,
      [
        TARDIS_HEADER,
        "binance-futures,BTCUSDT,1582329602111000,1582329602418379,1,buy,9682,0.132", // good
        "bybit,BTCUSDT,1582329602111000,1582329602418379,2,buy,9682,0.132", // other exchange
        "binance-futures,ETHUSDT,1582329602111000,1582329602418379,3,buy,9682,0.132", // other symbol
        "binance-futures,BTCUSDT,1582329602111,1582329602418379,4,buy,9682,0.132", // ms
        "binance-futures,BTCUSDT,1582329602111000,1582329602418379,5,Buy,9682,0.132", // side
        "binance-futures,BTCUSDT,1582329602111000,1582329602418379,6,buy,9682,-1", // amount
        "binance-futures,BTCUSDT,1582329602111000,1582329602418379,7,buy,9682", // columns
        "binance-futures,BTCUSDT,,1582329602418379,8,buy,9682,1" // no time
      ].join("\n")
    );
    const q = newQuarantine();
    const stats = newReadStats();
    const {trades} = await collect(readTardis(path, q, {stats}));
    assert.deepEqual(
      trades.map((t) => t.id),
      [1]
    );
    assert.deepEqual(q.counts, {
      "exchange mismatch": 1,
      "symbol mismatch": 1,
      "time unit mismatch": 1,
      "invalid side": 1,
      "non-positive amount": 1,
      "wrong column count": 1,
      "non-numeric timestamp": 1
    });
    assert.equal(stats.rows, 8);
  } finally {
    cleanup();
  }
});

test("readTardis(path) throws InputError for a wrong header, an unknown exchange and an empty file", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, "exchange,symbol,timestamp,id,side,price,amount\n");
    await assert.rejects(collect(readTardis(wrong, q)), (e: unknown) => e instanceof InputError && e.line === 1 && /wrong header/.test(e.message));
    const unknown = join(dir, "unknown.csv");
    writeFileSync(unknown, `${TARDIS_HEADER}\nkraken,XBTUSD,1582329602111000,1582329602418379,1,buy,9682,0.132\n`);
    await assert.rejects(collect(readTardis(unknown, q)), /unknown Tardis exchange "kraken"/);
    // A venue given by the caller overrides the mapping.
    assert.equal((await collect(readTardis(unknown, q, {venue: "coinbase"}))).trades.length, 1);
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    await assert.rejects(collect(readTardis(empty, q)), /empty file/);
  } finally {
    cleanup();
  }
});
