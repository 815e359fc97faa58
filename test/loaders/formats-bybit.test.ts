import assert from "node:assert/strict";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {BYBIT_HEADER, bybitFileName, bybitMatchId, FORMATS, hash53, readBybit, writeBybit} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine, type Trade} from "../../loaders/trades.ts";
import {batchesOf, batchOf, collect, gunzipText, gzipOf, randomTrades, tempDir} from "./support/fixtures.ts";

const A = "a9188a0a-82bc-50de-be60-03eedbe3cdd7";
const B = "0de3f0d8-7f25-5f61-bdb5-75ad36ca187c";
const SAMPLE = `${BYBIT_HEADER}
1722816000.0974,BTCUSDT,Buy,0.001,56000.5,PlusTick,${A},5600050000,0.001,56.0005
1722816000.1,BTCUSDT,Sell,0.25,56000.4,MinusTick,${B},1400010000000,0.25,14000.1
`;
const EXPECTED: Trade[] = [
  {time: 1722816000097.4, price: 56000.5, qty: 0.001, side: 1, id: hash53(A)},
  {time: 1722816000100, price: 56000.4, qty: 0.25, side: -1, id: hash53(B)}
];

function file(dir: string, text: string, name = "BTCUSDT2024-08-05.csv.gz"): string {
  const path = join(dir, name);
  writeFileSync(path, gzipOf(text));
  return path;
}

test("readBybit(path) of a hand-made file gives second-fraction times in ms, taker sides and hashed match ids", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const {trades, venues} = await collect(readBybit(file(dir, SAMPLE), q));
    assert.deepEqual(trades, EXPECTED);
    assert.deepEqual([...venues], ["bybit"]);
    assert.deepEqual(q.counts, {});
    assert.ok(EXPECTED.every((t) => Number.isSafeInteger(t.id) && t.id > 0));
  } finally {
    cleanup();
  }
});

test("readBybit(path) finds columns by header name, so newer files with extra or reordered columns read the same", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const extra = `${BYBIT_HEADER},RPI\n1722816000.0974,BTCUSDT,Buy,0.001,56000.5,PlusTick,${A},5600050000,0.001,56.0005,0\n1722816000.1,BTCUSDT,Sell,0.25,56000.4,MinusTick,${B},1400010000000,0.25,14000.1,1\n`;
    const reordered = `symbol,trdMatchID,price,size,side,timestamp\nBTCUSDT,${A},56000.5,0.001,Buy,1722816000.0974\nBTCUSDT,${B},56000.4,0.25,Sell,1722816000.1\n`;
    for (const text of [extra, reordered]) {
      const q = newQuarantine();
      assert.deepEqual((await collect(readBybit(file(dir, text), q))).trades, EXPECTED);
      assert.deepEqual(q.counts, {});
    }
  } finally {
    cleanup();
  }
});

test("writeBybit(trades) writes the exact documented bytes: 4-decimal seconds, tick directions, UUID match ids", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const t = Date.parse("2024-08-05T00:00:00Z");
    const rows: Trade[] = [
      {time: t + 97.4, price: 56000.5, qty: 0.001, side: 1, id: 1000},
      {time: t + 100, price: 56000.5, qty: 0.25, side: -1, id: 1001},
      {time: t + 100.04, price: 56000.4, qty: 2, side: -1, id: 1002},
      {time: t + 250, price: 56000.4, qty: 0.5, side: 1, id: 1003}
    ];
    const names = await writeBybit([batchOf("bybit", rows)], dir, "BTCUSDT");
    assert.deepEqual(names, ["BTCUSDT2024-08-05.csv.gz"]);
    assert.equal(bybitMatchId(1000), "6b73fc19-6388-5e8f-9d38-a2f9114c15db");
    assert.match(bybitMatchId(1003), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(
      gunzipText(readFileSync(join(dir, names[0]))),
      `${BYBIT_HEADER}
1722816000.0974,BTCUSDT,Buy,0.001,56000.5,ZeroPlusTick,${bybitMatchId(1000)},5600050000,0.001,56.0005
1722816000.1000,BTCUSDT,Sell,0.25,56000.5,ZeroPlusTick,${bybitMatchId(1001)},1400012500000,0.25,14000.125
1722816000.1000,BTCUSDT,Sell,2,56000.4,MinusTick,${bybitMatchId(1002)},11200080000000,2,112000.8
1722816000.2500,BTCUSDT,Buy,0.5,56000.4,ZeroMinusTick,${bybitMatchId(1003)},2800020000000,0.5,28000.2
`
    );
  } finally {
    cleanup();
  }
});

test("writeBybit then readBybit round-trips trades across midnight (ids become hashes of the written match ids)", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(4000, Date.parse("2024-08-05T23:58:00Z"), {seed: 11});
    const names = await FORMATS.bybit.write(batchesOf("bybit", rows, 333), dir, "BTCUSDT");
    assert.deepEqual(names, ["BTCUSDT2024-08-05.csv.gz", "BTCUSDT2024-08-06.csv.gz"]);
    const q = newQuarantine();
    const back: Trade[] = [];
    for (const n of names) back.push(...(await collect(FORMATS.bybit.read(join(dir, n), q))).trades);
    assert.deepEqual(
      back,
      rows.map((r) => ({...r, id: hash53(bybitMatchId(r.id))}))
    );
    assert.equal(new Set(back.map((t) => t.id)).size, rows.length);
    assert.deepEqual(q.counts, {});
    // Deterministic bytes.
    const again = await writeBybit(batchesOf("bybit", rows, 1000), join(dir, "again"), "BTCUSDT");
    for (const n of again) assert.deepEqual(readFileSync(join(dir, "again", n)), readFileSync(join(dir, n)));
  } finally {
    cleanup();
  }
});

test("readBybit(path) quarantines malformed rows by reason", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const text = [
      BYBIT_HEADER,
      `1722816000.0974,BTCUSDT,Buy,0.001,56000.5,PlusTick,${A},1,1,1`, // good
      `1722816000.1,BTCUSDT,buy,0.001,56000.5,PlusTick,${B},1,1,1`, // lower-case side
      `1722816000.1,BTCUSDT,Sell,x,56000.5,PlusTick,${B},1,1,1`, // non-numeric size
      `1722816000.1,BTCUSDT,Sell,0.1,0,PlusTick,${B},1,1,1`, // zero price
      `1722816000100,BTCUSDT,Sell,0.1,56000,PlusTick,${B},1,1,1`, // ms among seconds
      `1722816000.1,BTCUSDT,Sell,0.1,56000,PlusTick,,1,1,1`, // no match id
      `1722816000.1,ETHUSDT,Sell,0.1,56000,PlusTick,${B},1,1,1`, // another symbol
      `1722816000.1,BTCUSDT,Sell,0.1,56000,PlusTick,${B},1,1`, // missing column
      `1722816000.2,BTCUSDT,Sell,0.1,56000,PlusTick,${B},1,1,1` // good
    ].join("\n");
    const q = newQuarantine();
    const {trades} = await collect(readBybit(file(dir, text), q));
    assert.equal(trades.length, 2);
    assert.deepEqual(q.counts, {
      "invalid side": 1,
      "non-numeric size": 1,
      "non-positive price": 1,
      "time unit mismatch": 1,
      "missing trdMatchID": 1,
      "symbol mismatch": 1,
      "wrong column count": 1
    });
  } finally {
    cleanup();
  }
});

test("readBybit(path) throws InputError for missing columns, an empty file, a truncated or non-gzip file", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const missing = file(dir, "timestamp,symbol,side,size,price,tickDirection\n1722816000.1,BTCUSDT,Buy,1,1,PlusTick\n");
    await assert.rejects(collect(readBybit(missing, q)), (e: unknown) => e instanceof InputError && e.line === 1 && /missing column "trdMatchID"/.test(e.message));
    await assert.rejects(collect(readBybit(file(dir, "", "empty.csv.gz"), q)), /empty file \(no header\)/);
    const zero = join(dir, "zero.csv.gz");
    writeFileSync(zero, new Uint8Array(0));
    await assert.rejects(collect(readBybit(zero, q)), /empty file/);
    const gz = gzipOf(SAMPLE.repeat(200));
    const cut = join(dir, "cut.csv.gz");
    writeFileSync(cut, gz.subarray(0, gz.length - 30));
    await assert.rejects(collect(readBybit(cut, q)), (e: unknown) => e instanceof InputError && /truncated gzip/.test(e.message));
    const plain = join(dir, "plain.csv.gz");
    writeFileSync(plain, SAMPLE);
    await assert.rejects(collect(readBybit(plain, q)), /corrupt gzip/);
    assert.deepEqual(readdirSync(dir).length, 5);
  } finally {
    cleanup();
  }
});

test("bybitFileName(day, symbol) has no separator between symbol and day", () => {
  assert.equal(bybitFileName("2024-08-05", "BTCUSDT"), "BTCUSDT2024-08-05.csv.gz");
  assert.deepEqual(FORMATS.bybit.filesForDay("2024-08-05", "BTCUSDT"), ["BTCUSDT2024-08-05.csv.gz"]);
  assert.throws(() => bybitFileName("2024-8-5", "BTCUSDT"), /invalid day/);
});
