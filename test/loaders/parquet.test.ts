import test from "node:test";
import assert from "node:assert/strict";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {loadConfig} from "../../loaders/config.ts";
import {ensureDerived, readManifest, readQuality, readTrades} from "../../loaders/derived.ts";
import {ParquetTradeWriter, partitionFiles, readTradeBatches, readTradeColumns, sqlString, tradesRoot, venueTradeFiles} from "../../loaders/parquet.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-parquet-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

/** Deterministic pseudo-random trades (time-sorted), `n` rows from `seed`. */
function trades(n: number, seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const time = new Float64Array(n), price = new Float64Array(n), qty = new Float64Array(n), side = new Int8Array(n), id = new Float64Array(n);
  let t = 1_722_816_000_000;
  for (let i = 0; i < n; ++i) {
    t += Math.floor(u() * 50);
    time[i] = t + (i % 7 === 0 ? 0.125 : 0);
    price[i] = Math.round((58_000 + u() * 100) * 10) / 10;
    qty[i] = u() * 3;
    side[i] = u() < 0.5 ? -1 : 1;
    id[i] = 1e9 + i;
  }
  return {length: n, time, price, qty, side, id};
}

test("ParquetTradeWriter writes parts of partRows rows, byte-identical for the same rows, read back exactly and in order", async () => {
  const rows = trades(10_000, 7);
  const write = async (dir: string, batch: number) => {
    const w = await ParquetTradeWriter.open(dir, {partRows: 4096});
    for (let o = 0; o < rows.length; o += batch) {
      const n = Math.min(batch, rows.length - o);
      await w.write({time: rows.time.subarray(o), price: rows.price.subarray(o), qty: rows.qty.subarray(o), side: rows.side.subarray(o), id: rows.id.subarray(o)}, n);
    }
    return w.close();
  };
  const a = await write(join(scratch, "a"), 3000);
  const b = await write(join(scratch, "b"), 777);
  assert.deepEqual(a.map((f) => relative(join(scratch, "a"), f)), ["part-0.parquet", "part-1.parquet", "part-2.parquet"]);
  assert.deepEqual(partitionFiles(join(scratch, "a")), a);
  // seq runs on across the parts, in row order.
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const seq = (await con.runAndReadAll(`SELECT seq FROM read_parquet([${a.map(sqlString).join(", ")}])`)).getColumnsJS()[0] as number[];
  con.closeSync();
  db.closeSync();
  assert.deepEqual(seq, Array.from({length: rows.length}, (_, i) => i));
  a.forEach((f, i) => assert.ok(readFileSync(f).equals(readFileSync(b[i])), `${f} differs with other batch sizes`));
  assert.ok(!readdirSync(join(scratch, "a")).some((n) => n.endsWith(".tmp")), "no temporary file left");
  const back = await readTradeColumns(a, ["time", "price", "qty", "side", "id"], {rows: rows.length});
  for (const k of ["time", "price", "qty", "side", "id"] as const) assert.deepEqual(back.columns[k], rows[k], `${k} differs`);
  await assert.rejects(readTradeColumns(a, ["time"], {rows: rows.length + 1}), /invalid rows: 10001 .* has 10000/);
  await assert.rejects(readTradeColumns(a, ["time"], {rows: rows.length - 1}), /invalid rows: 9999 .* has more/);
  // Without rows, the length is the parts' footers' sum: the same columns, in the order asked.
  const whole = await readTradeColumns(a, ["side", "time"]);
  assert.equal(whole.length, rows.length);
  assert.deepEqual(Object.keys(whole.columns), ["side", "time"]);
  assert.deepEqual(whole.columns.side, rows.side);
  assert.deepEqual(whole.columns.time, rows.time);
  // A time window is a filter on the rows, in order.
  const from = rows.time[2500], to = rows.time[7000];
  const win: number[] = [];
  for await (const batch of readTradeBatches(a, ["time"], {from, to, batchRows: 1000})) win.push(...(batch.columns.time as Float64Array));
  assert.deepEqual(win, [...rows.time].filter((t) => t >= from && t < to));
  // Read in ranges of row numbers that cut the parts anywhere: the same rows, in order, with or without the window.
  for (const rangeRows of [1, 999, 4095, 4096]) {
    const cols: Record<string, number[]> = {time: [], price: [], qty: [], side: [], id: []};
    for await (const batch of readTradeBatches(a, ["time", "price", "qty", "side", "id"], {rangeRows, batchRows: 1000})) for (const k in cols) cols[k].push(...(batch.columns[k as "time"] as Float64Array));
    for (const k of ["time", "price", "qty", "side", "id"] as const) assert.deepEqual(cols[k], [...rows[k]], `${k} differs in ranges of ${rangeRows}`);
    const ranged: number[] = [];
    for await (const batch of readTradeBatches(a, ["time"], {from, to, rangeRows, batchRows: 333})) ranged.push(...(batch.columns.time as Float64Array));
    assert.deepEqual(ranged, win, `window differs in ranges of ${rangeRows}`);
  }
  // Reopening a partition replaces its parts.
  const w = await ParquetTradeWriter.open(join(scratch, "a"), {partRows: 4096});
  await w.write({time: rows.time, price: rows.price, qty: rows.qty, side: rows.side, id: rows.id}, 10);
  assert.deepEqual((await w.close()).map((f) => relative(join(scratch, "a"), f)), ["part-0.parquet"]);
  assert.deepEqual(partitionFiles(join(scratch, "a")).length, 1);
});

test("ParquetTradeWriter refuses a short or mistyped column and writes an empty day as one valid part", async () => {
  const w = await ParquetTradeWriter.open(join(scratch, "bad"));
  const r = trades(10, 1);
  await assert.rejects(w.write({...r, qty: r.qty.subarray(0, 5)}, 10), /invalid column qty: 5 rows, need 10/);
  await assert.rejects(w.write({...r, side: new Float64Array(10)} as never, 10), /invalid column side: expected Int8Array/);
  w.abort();
  const e = await ParquetTradeWriter.open(join(scratch, "empty"));
  const parts = await e.close();
  assert.equal(parts.length, 1);
  const back = await readTradeColumns(parts, ["time", "side"], {rows: 0});
  assert.equal(back.length, 0);
  assert.ok(back.columns.side instanceof Int8Array);
});

test("DuckDB reads the build's hive partitions directly: count and sum(qty) per (venue, day) match the build's own counts", async () => {
  const config = loadConfig({
    CVE_START: "2024-08-05",
    CVE_END: "2024-08-06",
    CVE_HOURS: "2",
    CVE_SIM_RATE_SCALE: "0.02",
    CVE_SOURCE: "simulated",
    CVE_DATA_DIR: join(scratch, "data")
  });
  const dir = await ensureDerived(config, {log: () => {}});
  const manifest = readManifest(dir);
  const quality = readQuality(dir);
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const result = await con.runAndReadAll(
    `SELECT venue, CAST(day AS VARCHAR) AS day, count(*) AS n, sum(qty) AS qty,
       min(seq) AS seq0, max(seq) AS seq1, count(DISTINCT seq) AS seqs
     FROM read_parquet(${sqlString(join(tradesRoot(dir), "*", "*", "*.parquet"))}, hive_partitioning = true)
     GROUP BY venue, day ORDER BY venue, day`
  );
  const rows = result.getRowObjectsJS() as {venue: string; day: string; n: bigint; qty: number; seq0: number; seq1: number; seqs: bigint}[];
  // seq numbers each (venue, day)'s trades 0 … n − 1.
  for (const r of rows) assert.deepEqual([r.seq0, r.seq1, Number(r.seqs)], [0, Number(r.n) - 1, Number(r.n)], `${r.venue} ${r.day}: seq`);
  con.closeSync();
  db.closeSync();
  const expected = quality.filter((q) => q.kept > 0).map((q) => `${q.venue} ${q.day} ${q.kept}`).sort();
  assert.deepEqual(rows.map((r) => `${r.venue} ${r.day} ${r.n}`).sort(), expected);
  assert.equal(new Set(rows.map((r) => r.day)).size, 2, "two days, two partitions a venue");
  for (const v of manifest.venues) {
    assert.equal(rows.filter((r) => r.venue === v).reduce((s, r) => s + Number(r.n), 0), manifest.perVenue[v]!.trades);
    // sum(qty) per day against the build's own reader of the same venue.
    const t = await readTrades(dir, v);
    for (const day of manifest.days) {
      const d0 = Date.parse(`${day}T00:00:00Z`);
      let sum = 0;
      for (let i = 0; i < t.length; ++i) if (t.time[i] >= d0 && t.time[i] < d0 + 86_400_000) sum += t.qty[i];
      const row = rows.find((r) => r.venue === v && r.day === day);
      assert.ok(row, `${v} ${day}: no partition`);
      assert.ok(Math.abs(row.qty - sum) <= 1e-9 * Math.max(1, sum), `${v} ${day}: DuckDB sum(qty) ${row.qty}, build ${sum}`);
    }
    assert.deepEqual(venueTradeFiles(dir, v).map((f) => relative(dir, f)), manifest.days.map((d) => `trades/venue=${v}/day=${d}/part-0.parquet`));
  }
  assert.ok(manifest.files.includes(`trades/venue=binance/day=${manifest.days[1]}/part-0.parquet`));
});
