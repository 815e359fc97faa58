import test from "node:test";
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {TradeCleaner, cleanTrades, repeatedValues} from "../../loaders/clean.ts";
import {readCryptofeed, readTardis} from "../../loaders/formats/index.ts";
import {addGap, checkBalance, finishGaps, gapTracker, isOneSided, summarizeQuality} from "../../loaders/quality.ts";
import {allocBatch, newQuarantine, quarantine, type TradeBatch} from "../../loaders/trades.ts";
import {mulberry32, randomExponential} from "../../lib/random.ts";

interface Row {
  time: number;
  price: number;
  qty: number;
  side: number;
  id: number;
}

const T0 = Date.UTC(2024, 7, 5);
const DAY: [number, number] = [T0, T0 + 86_400_000];

function toBatches(rows: Row[], sizes: () => number): TradeBatch[] {
  const out: TradeBatch[] = [];
  for (let i = 0; i < rows.length; ) {
    const n = Math.min(sizes(), rows.length - i);
    const b = allocBatch("binance", n);
    for (let j = 0; j < n; ++j, ++i) {
      const r = rows[i];
      b.time[j] = r.time;
      b.price[j] = r.price;
      b.qty[j] = r.qty;
      b.side[j] = r.side;
      b.id[j] = r.id;
    }
    b.length = n;
    out.push(b);
  }
  return out;
}

function collect(batches: TradeBatch[]): Row[] {
  const rows: Row[] = [];
  for (const b of batches)
    for (let i = 0; i < b.length; ++i) rows.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
  return rows;
}

function run(rows: Row[], options: ConstructorParameters<typeof TradeCleaner>[1], sizes: () => number = () => 1000) {
  const cleaner = new TradeCleaner("binance", options);
  cleaner.beginFile("test.csv");
  const out: TradeBatch[] = [];
  for (const b of toBatches(rows, sizes)) out.push(...cleaner.push(b));
  out.push(...cleaner.finish());
  return {cleaner, rows: collect(out), record: cleaner.record("2024-08-05")};
}

/** A planted market: sorted unique trades with random walk prices and known sides. */
function market(n: number, seed: number, meanGapMs = 20): Row[] {
  const random = mulberry32(seed);
  const rows: Row[] = [];
  let t = T0 + 1000;
  let p = 60_000;
  for (let i = 0; i < n; ++i) {
    t += Math.round(randomExponential(random, 1 / meanGapMs) * 1000) / 1000; // µs resolution
    p = Math.round((p + (random() - 0.5) * 4) * 10) / 10;
    rows.push({time: t, price: p, qty: Math.round(random() * 1000) / 1000 + 0.001, side: random() < 0.5 ? 1 : -1, id: 1e9 + i});
  }
  return rows;
}

/**
 * The reference: the cleaner's documented semantics written directly — a set of seen
 * (time, id) keys, the watermark rule for late rows, then one stable sort of what was kept.
 */
function reference(arrivals: Row[], reorderMs: number, historyMs: number) {
  const seen = new Set<string>();
  const kept: Row[] = [];
  let max = -Infinity;
  let duplicates = 0;
  let late = 0;
  for (const r of arrivals) {
    const key = `${r.time}|${r.id}`;
    const w = max - reorderMs;
    if (r.time < w) {
      if (r.time >= w - historyMs && seen.has(key)) ++duplicates;
      else ++late;
      continue;
    }
    if (seen.has(key)) {
      ++duplicates;
      continue;
    }
    seen.add(key);
    kept.push(r);
    max = Math.max(max, r.time);
  }
  const order = kept.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => a.time - b.time || a.id - b.id || i - j);
  return {rows: order.map(([r]) => r), duplicates, late};
}

test("TradeCleaner.push(batch) sorts disorder within the buffer and drops duplicates like a sort-and-dedupe reference", () => {
  const truth = market(20_000, 1);
  const random = mulberry32(2);
  // Arrival order: each trade delayed by up to 3 s (inside the 5 s buffer), 3% of rows repeated soon after.
  const arrivals = truth.map((r) => ({r, at: r.time + random() * 3000}));
  let planted = 0;
  for (let i = 0; i < truth.length; ++i)
    if (random() < 0.03) arrivals.push({r: {...truth[i]}, at: truth[i].time + random() * 3000}), ++planted;
  arrivals.sort((a, b) => a.at - b.at);
  const rows = arrivals.map((a) => a.r);
  const {rows: out, record} = run(rows, {span: DAY, outlierThreshold: Infinity}, () => 1 + Math.floor(random() * 3000));
  assert.equal(record.outOfOrder, 0);
  assert.equal(record.duplicates, planted);
  assert.equal(out.length, truth.length);
  assert.deepEqual(out, truth);
  assert.equal(checkBalance(record), 0);
});

test("TradeCleaner.push(batch) counts and quarantines rows later than the watermark, and late repeats as duplicates", () => {
  const truth = market(20_000, 3);
  const random = mulberry32(4);
  const arrivals = truth.map((r) => ({r, at: r.time + random() * 2000}));
  let plantedLate = 0;
  let plantedLateDup = 0;
  for (const a of arrivals)
    if (random() < 0.005) (a.at += 20_000 + random() * 60_000), ++plantedLate; // far beyond the buffer
  for (let i = 100; i < truth.length; i += 997) arrivals.push({r: {...truth[i]}, at: truth[i].time + 7000}), ++plantedLateDup; // late, but remembered
  let plantedForgotten = 0;
  for (let i = 300; i < truth.length; i += 991) arrivals.push({r: {...truth[i]}, at: truth[i].time + 30_000}), ++plantedForgotten; // too late to recognise
  arrivals.sort((a, b) => a.at - b.at);
  const rows = arrivals.map((a) => a.r);
  const reorderMs = 5000;
  const ref = reference(rows, reorderMs, reorderMs);
  const {rows: out, record, cleaner} = run(rows, {span: DAY, reorderMs, outlierThreshold: Infinity}, () => 1 + Math.floor(random() * 500));
  assert.equal(record.outOfOrder, ref.late);
  assert.equal(record.duplicates, ref.duplicates);
  assert.deepEqual(out, ref.rows);
  // The planted truth: every displaced row is late (a few that repeat a still-remembered row count as duplicates).
  assert.ok(ref.late <= plantedLate + plantedForgotten && ref.late >= plantedLate + plantedForgotten - 5, `late ${ref.late} vs planted ${plantedLate}`);
  assert.ok(ref.duplicates >= plantedLateDup - 5);
  assert.equal(cleaner.quarantine.counts["out of order"], record.outOfOrder);
  assert.equal(cleaner.quarantine.examples[0].file, "test.csv");
  assert.ok(cleaner.quarantine.examples[0].line > 0);
  assert.equal(checkBalance(record), 0);
  // Output is sorted.
  for (let i = 1; i < out.length; ++i) assert.ok(out[i].time >= out[i - 1].time);
});

test("TradeCleaner.push(batch) gives the same output for any batching of the same rows", () => {
  const truth = market(5000, 5);
  const random = mulberry32(6);
  const rows = truth.map((r) => ({r, at: r.time + random() * 8000})).sort((a, b) => a.at - b.at).map((a) => a.r);
  const a = run(rows, {span: DAY, reorderMs: 3000}, () => 1);
  const b = run(rows, {span: DAY, reorderMs: 3000}, () => 4096);
  assert.ok(a.record.outOfOrder > 0);
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual({...a.record, quarantine: null}, {...b.record, quarantine: null});
});

test("TradeCleaner.recycle(batch): output batches handed back once consumed are reused and the output is unchanged", () => {
  const truth = market(20000, 8);
  const random = mulberry32(9);
  const rows = truth.map((r) => ({r, at: r.time + random() * 4000})).sort((a, b) => a.at - b.at).map((a) => a.r);
  const expected = run(rows, {span: DAY, reorderMs: 5000, batchSize: 256});
  const cleaner = new TradeCleaner("binance", {span: DAY, reorderMs: 5000, batchSize: 256});
  cleaner.beginFile("test.csv");
  const got: Row[] = [];
  const arrays = new Set<Float64Array>();
  let batches = 0;
  const consume = (out: TradeBatch[]) => {
    for (const b of out) {
      got.push(...collect([b]));
      arrays.add(b.time);
      ++batches;
      cleaner.recycle(b);
    }
  };
  for (const b of toBatches(rows, () => 700)) consume(cleaner.push(b));
  consume(cleaner.finish());
  assert.deepEqual(got, expected.rows);
  assert.ok(batches > 50 && arrays.size < batches / 4, `${arrays.size} arrays for ${batches} batches`);
});

test("TradeCleaner.push(batch) keeps rows without an id in arrival order and never treats them as duplicates", () => {
  const rows: Row[] = [
    {time: T0 + 10, price: 1, qty: 1, side: 1, id: NaN},
    {time: T0 + 10, price: 2, qty: 1, side: 1, id: NaN},
    {time: T0 + 5, price: 3, qty: 1, side: -1, id: NaN},
    {time: T0 + 10, price: 2, qty: 1, side: 1, id: NaN},
    {time: T0 + 10, price: 4, qty: 1, side: 1, id: 7}
  ];
  const {rows: out, record} = run(rows, {span: DAY, outlierThreshold: Infinity});
  assert.deepEqual(out.map((r) => r.price), [3, 4, 1, 2, 2]);
  assert.equal(record.duplicates, 0);
});

test("TradeCleaner tick rule: uptick buys, downtick sells, zero tick repeats the last price change", () => {
  const prices = [100, 101, 101, 100, 100, 100.5, 100.5, 99];
  const sides = [0, 0, 0, 0, -1, 0, 0, 1];
  const rows = prices.map((price, i) => ({time: T0 + i * 100, price, qty: 1, side: sides[i], id: i}));
  const {rows: out, record} = run(rows, {span: DAY});
  assert.deepEqual(out.map((r) => r.side), [0, 1, 1, -1, -1, 1, 1, 1]);
  assert.equal(record.tickClassified, 5);
  assert.equal(record.unsigned, 1);
  assert.equal(record.tickClassifiedShare, 5 / 8);
  assert.equal(record.buys, 5);
  assert.equal(record.sells, 2);
});

test("TradeCleaner quarantines price outliers against the rolling median and accepts a lasting level shift", () => {
  const rows = market(2000, 7, 50);
  rows[1000] = {...rows[1000], price: rows[1000].price * 1.2}; // a bad print
  for (let i = 1500; i < rows.length; ++i) rows[i] = {...rows[i], price: rows[i].price * 0.8}; // a genuine jump
  const {rows: out, record, cleaner} = run(rows, {span: DAY, outlierWindow: 31, outlierThreshold: 0.05});
  assert.equal(out.find((r) => r.id === rows[1000].id), undefined);
  // The jump is doubted for at most half a window, then accepted.
  assert.ok(record.priceOutliers >= 2 && record.priceOutliers <= 1 + 16, `outliers ${record.priceOutliers}`);
  assert.ok(out.some((r) => r.id === rows[1530].id));
  assert.equal(cleaner.quarantine.counts["price outlier"], record.priceOutliers);
  const ex = cleaner.quarantine.examples.find((e) => e.reason === "price outlier")!;
  assert.equal(ex.file, "test.csv");
  assert.equal(ex.line, 1001);
  assert.equal(checkBalance(record), 0);
});

test("TradeCleaner's outlier test equals the median of the previous window, sorted at every row, on walks with bad prints, jumps and repeated prices", () => {
  for (const seed of [11, 12, 13]) {
    const random = mulberry32(seed);
    const rows = market(6000, seed, 30).map((r) => ({...r, price: Math.round(r.price / 5) * 5})); // a coarse grid: many equal prices
    for (let i = 0; i < rows.length; ++i) {
      const u = random();
      if (u < 0.01) rows[i] = {...rows[i], price: rows[i].price * (random() < 0.5 ? 1.08 : 0.93)}; // bad prints either way
      else if (u < 0.013) for (let j = i; j < rows.length; ++j) rows[j] = {...rows[j], price: rows[j].price * (random() < 0.5 ? 1.06 : 0.95)}; // lasting jumps
    }
    const window = 31, threshold = 0.05, minCount = 5;
    // The reference: every row's median by sorting the previous `window` prices (outliers included).
    const expected: {outlier: boolean; median: number}[] = [];
    for (let i = 0; i < rows.length; ++i) {
      const prev = rows.slice(Math.max(0, i - window), i).map((r) => r.price).sort((a, b) => a - b);
      if (prev.length < minCount) {
        expected.push({outlier: false, median: NaN});
        continue;
      }
      const m = prev[prev.length >> 1];
      expected.push({outlier: rows[i].price > m * Math.exp(threshold) || rows[i].price < m * Math.exp(-threshold), median: m});
    }
    const {rows: out, record, cleaner} = run(rows, {span: DAY, outlierWindow: window, outlierThreshold: threshold, outlierMinCount: minCount}, () => 1 + Math.floor(random() * 700));
    const outliers = expected.filter((e) => e.outlier).length;
    assert.ok(outliers > 20, `${outliers} outliers planted`);
    assert.equal(record.priceOutliers, outliers, `seed ${seed}`);
    assert.deepEqual(out.map((r) => r.id), rows.filter((_, i) => !expected[i].outlier).map((r) => r.id));
    // The median the quarantine quotes is the reference's, for every example kept whole.
    let quoted = 0;
    for (const ex of cleaner.quarantine.examples.filter((e) => e.reason === "price outlier")) {
      const m = /rolling median ([0-9.e+-]+)\)$/.exec(ex.text)?.[1];
      if (m === undefined) continue;
      assert.equal(Number(m), expected[ex.line - 1].median, `row ${ex.line}`);
      ++quoted;
    }
    assert.ok(quoted > 0, "some examples quote the median whole");
  }
});

test("TradeCleaner counts rows outside the span and quarantines invalid rows", () => {
  const rows: Row[] = [
    {time: T0 - 1, price: 100, qty: 1, side: 1, id: 1},
    {time: T0, price: 100, qty: 1, side: 1, id: 2},
    {time: T0 + 1, price: -5, qty: 1, side: 1, id: 3},
    {time: NaN, price: 100, qty: 1, side: 1, id: 4},
    {time: T0 + 2, price: 100, qty: 0, side: 1, id: 5},
    {time: T0 + 3, price: 100, qty: 1, side: 2, id: 6},
    {time: T0 + 4, price: 100, qty: 1, side: -1, id: 7},
    {time: DAY[1], price: 100, qty: 1, side: 1, id: 8}
  ];
  const {rows: out, record} = run(rows, {span: DAY});
  assert.deepEqual(out.map((r) => r.id), [2, 7]);
  assert.equal(record.outsideSpan, 2);
  assert.equal(record.invalid, 4);
  assert.equal(record.quarantine.counts["invalid value"], 4);
  assert.equal(checkBalance(record), 0);
});

test("TradeCleaner.record(day) adds the parser's quarantined rows to rows read", async () => {
  const q = newQuarantine();
  quarantine(q, "a.csv", 3, "bad number", "x,y");
  quarantine(q, "a.csv", 9, "bad number", "x,y");
  const cleaner = new TradeCleaner("okx", {span: DAY}, q);
  const rows = market(100, 8);
  const out = [];
  for await (const b of cleanTrades(toBatches(rows, () => 30), cleaner, "a.csv")) out.push(b);
  const r = cleaner.record("2024-08-05");
  assert.equal(r.parseErrors, 2);
  assert.equal(r.rowsRead, 102);
  assert.equal(r.kept, 100);
  assert.deepEqual(r.files, ["a.csv"]);
  assert.equal(checkBalance(r), 0);
});

test("repeatedValues(values) counts the values equal to an earlier one, as sorting all of them and comparing neighbours does", () => {
  const bySort = (v: Float64Array) => {
    const s = Float64Array.from(v).sort();
    let n = 0;
    for (let i = 1; i < s.length; ++i) if (s[i] === s[i - 1]) ++n;
    return n;
  };
  const random = mulberry32(31);
  // Hashed ids over 2^53 with planted repeats; sequential ids out of order; a cluster in a wide range; one value many times.
  const hashed = Float64Array.from({length: 200_000}, () => Math.floor(random() * 2 ** 53));
  for (let i = 0; i < 500; ++i) hashed[Math.floor(random() * hashed.length)] = hashed[Math.floor(random() * hashed.length)];
  const sequential = Float64Array.from({length: 50_000}, (_, i) => i + (i % 7 === 0 ? -3 : 0));
  const clustered = Float64Array.from({length: 10_000}, (_, i) => (i === 0 ? 1e15 : Math.floor(random() * 300)));
  const same = new Float64Array(1000).fill(42);
  for (const v of [hashed, sequential, clustered, same, Float64Array.from([3, 1, 2, 1, -0, 0]), new Float64Array(0), Float64Array.from([1, 2, 3])]) {
    const expected = bySort(v);
    assert.equal(repeatedValues(v), expected, `${v.length} values`);
  }
  assert.equal(repeatedValues(same), 999);
  assert.ok(bySort(hashed) >= 400, "the planted repeats are there to be counted");
});

test("isOneSided(buyShare) flags days with under 5% or over 95% buys", () => {
  assert.equal(isOneSided(0.04), true);
  assert.equal(isOneSided(0.96), true);
  assert.equal(isOneSided(0.05), false);
  assert.equal(isOneSided(0.5), false);
  assert.equal(isOneSided(null), false);
});

test("TradeCleaner.record(day) flags a one-sided day and summarizeQuality(records) warns about it", () => {
  const buysOnly = market(500, 9).map((r) => ({...r, side: 1}));
  const a = run(buysOnly, {span: DAY}).record;
  assert.equal(a.buyShare, 1);
  assert.equal(a.oneSided, true);
  const b = run(market(500, 10), {span: DAY}).record;
  assert.equal(b.oneSided, false);
  assert.ok(Math.abs(b.buyShare! - 0.5) < 0.1);
  const s = summarizeQuality([a, {...b, venue: "okx"}]);
  assert.deepEqual(s.perVenue.binance!.oneSidedDays, ["2024-08-05"]);
  assert.deepEqual(s.perVenue.okx!.oneSidedDays, []);
  // 100% buys over 500 signed trades is past the failure limit: a failure, not a warning.
  assert.ok(s.failures.some((w) => w.includes("one-sided")));
  assert.ok(!s.warnings.some((w) => w.includes("one-sided")));
});

test("gapTracker(t0, threshold) counts gaps over the threshold including the span edges", () => {
  const g = gapTracker(0, 60);
  for (const t of [30_000, 100_000, 101_000, 250_000]) addGap(g, t);
  const s = finishGaps(g, 400_000);
  // gaps: 30 s, 70 s, 1 s, 149 s, 150 s (to the end)
  assert.equal(s.count, 3);
  assert.equal(s.longestSec, 150);
  assert.equal(s.longestStart, 250_000);
  assert.throws(() => gapTracker(0, 0), /invalid gap threshold: 0/);
});

test("TradeCleaner rejects invalid options with a RangeError naming the value", () => {
  assert.throws(() => new TradeCleaner("binance", {span: [5, 5]}), /invalid span/);
  assert.throws(() => new TradeCleaner("binance", {span: DAY, reorderMs: -1}), /invalid reorderMs: -1/);
  assert.throws(() => new TradeCleaner("binance", {span: DAY, outlierWindow: 0}), /invalid outlierWindow: 0/);
});

const SHARED = fileURLToPath(new URL("../../../shared/real-trades/", import.meta.url));
const noShared = existsSync(SHARED) ? false : `shared data absent (${SHARED}); real-data checks skipped`;

async function cleanFile(read: (q: ReturnType<typeof newQuarantine>) => AsyncGenerator<TradeBatch>, span: [number, number], reorderMs: number) {
  const q = newQuarantine();
  const cleaner = new TradeCleaner("binance", {span, reorderMs}, q);
  cleaner.beginFile("capture");
  const out: TradeBatch[] = [];
  for await (const b of read(q)) out.push(...cleaner.push(b));
  out.push(...cleaner.finish());
  return {rows: collect(out), record: cleaner.record("capture")};
}

test("TradeCleaner on the real Tardis capture of Binance futures keeps all 9,999 trades in id order", {skip: noShared}, async () => {
  const {rows, record} = await cleanFile((q) => readTardis(SHARED + "binance-usdm-futures/tardis_trades.csv", q), [Date.UTC(2020, 1, 22), Date.UTC(2020, 1, 23)], 5000);
  assert.equal(record.kept, 9999);
  assert.equal(record.duplicates + record.outOfOrder + record.priceOutliers + record.invalid, 0);
  assert.deepEqual(rows.map((r) => r.id), Array.from({length: 9999}, (_, i) => 42377944 + i));
  assert.equal(record.oneSided, false);
  assert.equal(record.tickClassified, 0);
});

test("TradeCleaner on Coinbase's newest-first snapshot quarantines it with a 5 s buffer and sorts it with a 10 min one", {skip: noShared}, async () => {
  const path = SHARED + "coinbase/COINBASE.jsonl.zst";
  const span: [number, number] = [Date.UTC(2026, 7, 9), Date.UTC(2026, 7, 10)];
  const short = await cleanFile((q) => readCryptofeed(path, q), span, 5000);
  assert.equal(short.record.rowsRead, 147);
  assert.ok(short.record.outOfOrder > 50, `out of order ${short.record.outOfOrder}`);
  assert.equal(short.record.kept + short.record.outOfOrder, 147);
  assert.equal(short.record.quarantine.counts["out of order"], short.record.outOfOrder);
  const long = await cleanFile((q) => readCryptofeed(path, q), span, 600_000);
  assert.equal(long.record.kept, 147);
  assert.equal(new Set(long.rows.map((r) => r.id)).size, 147);
  for (let i = 1; i < long.rows.length; ++i) assert.ok(long.rows[i].time >= long.rows[i - 1].time);
});
