// Reading one archive in blocks on several threads (loaders/formats/parallel.ts) gives what the
// venue's reader gives on one thread: the same batches, statistics, position and quarantine
// (counts in order, example rows with their line numbers), on files with damaged rows, also
// when damage comes before the row that settles the reader's state.
import assert from "node:assert/strict";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, test} from "node:test";
import type {Venue} from "../../loaders/config.ts";
import {archiveFormat, newReadStats, readArchive, utcDaySpan, type ReadOptions} from "../../loaders/formats/index.ts";
import {newReadPosition} from "../../loaders/formats/batch.ts";
import {blockReaderPool, lineBlocks, readArchiveParallel} from "../../loaders/formats/parallel.ts";
import type {TaskPool} from "../../loaders/task-pool.ts";
import {InputError, newQuarantine, type Trade, type TradeBatch} from "../../loaders/trades.ts";
import {batchesOf, gunzipText, gzipOf, randomTrades, tempDir, zipOf} from "./support/fixtures.ts";
import {damageArchives} from "./support/damage.ts";

const DAY = "2024-08-05";
let pool: TaskPool;
before(() => {
  pool = blockReaderPool(2);
});
after(() => pool.close());

/** Everything a read gives: each batch's rows, the quarantine as JSON (key order included), the counts and the position. */
async function readAll(venue: Venue, dir: string, files: string[], parallel: boolean, blockBytes = 2048) {
  const q = newQuarantine();
  const stats = newReadStats();
  const positions = [];
  const batches: Trade[][] = [];
  for (const f of files) {
    const position = newReadPosition();
    const options: ReadOptions = {span: utcDaySpan(DAY), outside: venue === "okx" ? "skip" : "quarantine", stats, position, batchRows: 500, reuseBatches: true};
    const path = join(dir, f);
    const read = parallel ? readArchiveParallel(venue, path, q, {...options, pool, blockBytes}) : readArchive(venue, path, q, options);
    for await (const b of read) {
      const rows: Trade[] = [];
      for (let i = 0; i < b.length; ++i) rows.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
      batches.push(rows);
    }
    positions.push(position);
  }
  const {fast, ...counts} = stats;
  return {batches, quarantine: JSON.stringify(q), counts, fast, positions};
}

async function writeDay(venue: Venue, dir: string, n = 6000): Promise<string[]> {
  const start = Date.parse(`${DAY}T01:00:00Z`);
  return (await archiveFormat(venue).write(batchesOf(venue, randomTrades(n, start, {seed: 5, step: 2000}), 1000), dir, "BTCUSDT")).sort();
}

for (const venue of ["binance", "bybit", "okx", "coinbase"] as Venue[]) {
  test(`readArchiveParallel(${venue}): the reader's batches, counts, position and quarantine, in blocks of 2 KiB on two threads, with the first rows and 10 % of the rest damaged`, async () => {
    const {dir, cleanup} = tempDir();
    try {
      const files = await writeDay(venue, dir);
      // Rows 1–3 damaged: for a file without a header the reader's state is settled by a later row.
      damageArchives(dir, files, (i) => (i === 0 ? 0 : i <= 3 ? 1 : 0.1), 23);
      const one = await readAll(venue, dir, files, false);
      const blocks = await readAll(venue, dir, files, true);
      assert.deepEqual(blocks.batches.map((b) => b.length), one.batches.map((b) => b.length), "the same batch sizes");
      assert.deepEqual(blocks.batches, one.batches);
      assert.equal(blocks.quarantine, one.quarantine);
      assert.deepEqual(blocks.counts, one.counts);
      assert.deepEqual(blocks.positions, one.positions);
      const q = JSON.parse(one.quarantine) as {examples: {line: number}[]};
      assert.ok(one.counts.quarantined > 200, `${one.counts.quarantined} rows quarantined`);
      assert.ok(Math.max(...q.examples.map((e) => e.line)) > 100, "example rows from blocks after the first ones");
      // Lines cut by a chunk boundary go by the general path on one thread; blocks end at line breaks.
      assert.ok(blocks.fast >= one.fast && blocks.fast > 0.8 * one.counts.rows, `${blocks.fast} vs ${one.fast} rows by the fast path`);
    } finally {
      cleanup();
    }
  });
}

test("readArchiveParallel: a first block with no usable row is read on one thread, the same as the reader", async () => {
  const {dir, cleanup} = tempDir();
  try {
    // Bybit: a block read without the file's header would take its first row for one.
    const files = await writeDay("bybit", dir, 3000);
    // Rows 1–300 (about 40 KiB, many blocks) lack a column; then 5 % damaged.
    for (const f of files) {
      const rows = gunzipText(readFileSync(join(dir, f))).split("\n");
      writeFileSync(join(dir, f), gzipOf(rows.map((row, i) => (i >= 1 && i <= 300 ? row.slice(0, row.lastIndexOf(",")) : row)).join("\n")));
    }
    damageArchives(dir, files, (i) => (i <= 300 ? 0 : 0.05), 29);
    const one = await readAll("bybit", dir, files, false);
    const blocks = await readAll("bybit", dir, files, true);
    assert.equal(one.positions[0].firstAccepted, 302, "the header, 300 unusable rows, then the first accepted one");
    assert.deepEqual(blocks.batches, one.batches);
    assert.equal(blocks.quarantine, one.quarantine);
    assert.deepEqual(blocks.counts, one.counts);
    assert.deepEqual(blocks.positions, one.positions);
  } finally {
    cleanup();
  }
});

test("readArchiveParallel: a damaged zip throws the reader's InputError, naming the file", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const [f] = await writeDay("binance", dir, 3000);
    const path = join(dir, f);
    // A stored zip whose recorded CRC-32 does not match its CSV.
    const csv = Array.from({length: 3000}, (_, i) => `${1000 + i},56000.${i % 10},0.001,56.0,${Date.parse(`${DAY}T02:00:00Z`) + i},true`).join("\n");
    const zip = zipOf({[f.replace(".zip", ".csv")]: csv});
    zip[14] ^= 0xff; // local header CRC
    const cd = zip.length - 22 - 46 - f.length;
    zip[cd + 16] ^= 0xff; // central directory CRC
    writeFileSync(path, zip);
    const drain = async (g: AsyncGenerator<TradeBatch>) => {
      for await (const _ of g);
    };
    await assert.rejects(drain(readArchive("binance", path, newQuarantine())), (e: unknown) => e instanceof InputError && /CRC/.test(e.message) && e.file === path);
    await assert.rejects(drain(readArchiveParallel("binance", path, newQuarantine(), {pool, blockBytes: 4096})), (e: unknown) => e instanceof InputError && /CRC/.test(e.message) && e.file === path);
  } finally {
    cleanup();
  }
});

test("lineBlocks: blocks of at least the size that end at a line break, the rest last, nothing lost", async () => {
  const text = Array.from({length: 500}, (_, i) => "x".repeat(i % 37) + (i === 250 ? "y".repeat(5000) : "")).join("\n") + "\ntail";
  const bytes = new TextEncoder().encode(text);
  const chunks = Array.from({length: Math.ceil(bytes.length / 700)}, (_, i) => bytes.slice(i * 700, (i + 1) * 700));
  const blocks: Uint8Array[] = [];
  for await (const b of lineBlocks(chunks, 1000)) blocks.push(b);
  assert.equal(new TextDecoder().decode(Buffer.concat(blocks)), text);
  for (const b of blocks.slice(0, -1)) {
    assert.equal(b[b.length - 1], 10, "ends at a line break");
    assert.ok(b.length >= 1000, `${b.length} bytes`);
  }
  assert.ok(blocks.some((b) => b.length > 5000), "a line longer than the size makes its block longer");
  assert.equal(new TextDecoder().decode(blocks[blocks.length - 1]).endsWith("tail"), true);
  // One chunk larger than the size: cut into blocks of about the size.
  const cut: Uint8Array[] = [];
  for await (const b of lineBlocks([bytes], 1000)) cut.push(b);
  assert.equal(new TextDecoder().decode(Buffer.concat(cut)), text);
  assert.ok(cut.length >= 8, `${cut.length} blocks`);
  for (const b of cut.slice(0, -1)) assert.ok(b.length >= 1000 && (b.length < 1040 || b.length > 5000) && b[b.length - 1] === 10, `${b.length} bytes`);
});
