// Property tests for the archive formats (fast-check): whatever valid trades a writer is given,
// its reader gives them back — every time, price, quantity and side, in order, with nothing
// quarantined — and ids survive where the layout keeps them. And a differential test: each
// reader's single-pass fast path gives exactly what its general path gives, on files where
// seeded damage makes some rows odd or invalid.
import assert from "node:assert/strict";
import {join} from "node:path";
import {test} from "node:test";
import fc from "fast-check";
import type {ArchiveVenue, Venue} from "../../loaders/config.ts";
import {archiveFormat, FORMATS, newReadStats, readBinance, readBybit, readCoinbase, readOkx, type ReadOptions} from "../../loaders/formats/index.ts";
import {newQuarantine, type Quarantine, type Trade, type TradeBatch} from "../../loaders/trades.ts";
import {batchOf, batchesOf, collect, randomTrades, tempDir} from "./support/fixtures.ts";
import {damageArchives} from "./support/damage.ts";

const DAY = Date.parse("2024-08-05T00:00:00Z");

/** Tick, lot and time resolution of the simulated layouts, as the writers expect them. */
const GRID: Record<ArchiveVenue, {tick: number; lot: number; timeStep: number; ids: boolean}> = {
  binance: {tick: 0.1, lot: 0.001, timeStep: 1, ids: true},
  bybit: {tick: 0.1, lot: 0.001, timeStep: 0.1, ids: false},
  okx: {tick: 0.1, lot: 0.0001, timeStep: 1, ids: true},
  coinbase: {tick: 0.01, lot: 1e-8, timeStep: 1, ids: true}
};

function tradesArbitrary(venue: ArchiveVenue) {
  const g = GRID[venue];
  const row = fc.record({
    dt: fc.integer({min: 1, max: 100_000}),
    price: fc.integer({min: 10_000, max: 1_000_000}),
    qty: fc.integer({min: 1, max: 5_000_000}),
    side: fc.constantFrom(1, -1)
  });
  return fc.array(row, {minLength: 1, maxLength: 60}).map((rows) => {
    let t = DAY + 60_000;
    return rows.map((r, i): Trade => {
      t += r.dt * g.timeStep * 10; // strictly sorted, spread over the UTC day (and across OKX's UTC+8 cut)
      return {time: Math.round(t / g.timeStep) * g.timeStep, price: +(r.price * g.tick).toFixed(2), qty: +(r.qty * g.lot).toFixed(8), side: r.side, id: 1000 + i};
    });
  }).filter((rows) => rows[rows.length - 1].time < DAY + 86_400_000);
}

for (const venue of ["binance", "bybit", "okx", "coinbase"] as ArchiveVenue[]) {
  test(`FORMATS.${venue}: read(write(trades)) gives the trades back, with nothing quarantined`, async () => {
    await fc.assert(
      fc.asyncProperty(tradesArbitrary(venue), async (trades) => {
        const {dir, cleanup} = tempDir();
        try {
          const files = await archiveFormat(venue).write([batchOf(venue, trades)], dir, "BTCUSDT");
          const q = newQuarantine();
          const back: Trade[] = [];
          for (const f of files.sort())
            for await (const b of archiveFormat(venue).read(join(dir, f), q))
              for (let i = 0; i < b.length; ++i) back.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
          back.sort((a, b) => a.time - b.time);
          assert.deepEqual(q.counts, {});
          assert.equal(back.length, trades.length);
          for (let i = 0; i < trades.length; ++i) {
            const [a, b] = [trades[i], back[i]];
            assert.ok(Math.abs(a.time - b.time) < 1e-6, `time ${a.time} → ${b.time}`);
            assert.ok(Math.abs(a.price - b.price) < 1e-9 * a.price, `price ${a.price} → ${b.price}`);
            assert.ok(Math.abs(a.qty - b.qty) < 1e-12 + 1e-9 * a.qty, `qty ${a.qty} → ${b.qty}`);
            assert.equal(b.side, a.side);
            if (GRID[venue].ids) assert.equal(b.id, a.id);
          }
        } finally {
          cleanup();
        }
      }),
      {numRuns: 25, seed: 20240805}
    );
  });
}

const READERS: Record<ArchiveVenue, (path: string, q: Quarantine, options: ReadOptions) => AsyncGenerator<TradeBatch>> = {
  binance: readBinance,
  bybit: readBybit,
  okx: readOkx,
  coinbase: readCoinbase
};

/** The bytes of `chunks` again, in pieces of at most `size` bytes. */
async function* pieces(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) for (let o = 0; o < c.length; o += size) yield c.subarray(o, Math.min(c.length, o + size));
}

for (const venue of ["binance", "bybit", "okx", "coinbase"] as ArchiveVenue[]) {
  test(`FORMATS.${venue}: the fast path gives what the general path gives, row for row, on 6,000 rows with 10 % damaged`, async () => {
    const {dir, cleanup} = tempDir();
    try {
      const files = await archiveFormat(venue).write(batchesOf(venue, randomTrades(6000, DAY + 3_600_000, {seed: 3, step: 2000}), 1000), dir, "BTCUSDT");
      damageArchives(dir, files, (i) => (i > 1 ? 0.1 : 0));
      const read = async (fastPath: boolean) => {
        const q = newQuarantine();
        const stats = newReadStats();
        const trades: Trade[] = [];
        for (const f of files.sort()) trades.push(...(await collect(READERS[venue](join(dir, f), q, {fastPath, stats}))).trades);
        return {trades, q, stats};
      };
      const [fast, general] = [await read(true), await read(false)];
      assert.deepEqual(fast.trades, general.trades);
      // Reusing batches (the consumer copies each one before asking for the next) changes nothing either;
      // the content arrives in 16 KiB pieces, so that batches are handed out between pieces (the
      // inflaters' 1 MiB chunks would hold these small files whole).
      const arrays = new Set<Float64Array>();
      const reused: Trade[] = [];
      let batches = 0;
      for (const f of files.sort())
        for await (const b of READERS[venue](join(dir, f), newQuarantine(), {reuseBatches: true, batchRows: 500, chunks: pieces(archiveFormat(venue).content(join(dir, f)), 1 << 14)})) {
          arrays.add(b.time);
          ++batches;
          for (let i = 0; i < b.length; ++i) reused.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
        }
      assert.deepEqual(reused, fast.trades);
      assert.ok(arrays.size < batches / 2, `${arrays.size} arrays for ${batches} batches`);
      assert.deepEqual(fast.q, general.q);
      const {fast: nFast, ...counts} = fast.stats;
      const {fast: nGeneral, ...generalCounts} = general.stats;
      assert.deepEqual(counts, generalCounts);
      assert.equal(nGeneral, 0);
      assert.ok(counts.quarantined > 100, `${counts.quarantined} rows quarantined`);
      assert.ok(nFast > 0.8 * counts.rows && nFast < counts.rows, `${nFast} of ${counts.rows} rows by the fast path`);
    } finally {
      cleanup();
    }
  });
}
