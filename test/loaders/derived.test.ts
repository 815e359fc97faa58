import test from "node:test";
import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {gunzipSync, gzipSync} from "node:zlib";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {binTrades, BIN_FIELDS} from "../../loaders/aggregate/bins.ts";
import {ArrowStreamWriter, concatArrowStreams, readArrowColumns, readArrowSync, writeArrow} from "../../loaders/arrow.ts";
import {configSpan, loadConfig, type AnalysisConfig, type Venue} from "../../loaders/config.ts";
import {
  aggregateVenue,
  chooseSampleWindow,
  ensureDerived,
  binFileWidths,
  readBins,
  readManifest,
  readQuality,
  readTrades,
  readTruth,
  type SiteManifest
} from "../../loaders/derived.ts";
import {archiveFormat, FORMATS} from "../../loaders/formats/index.ts";
import {checkBalance} from "../../loaders/quality.ts";
import {resolveSource, SourceError, venueConcurrency, withLock} from "../../loaders/source-resolve.ts";
import {planMarket, simulateVenue} from "../../loaders/simulate/index.ts";
import type {TradeBatch} from "../../loaders/trades.ts";
import {mulberry32} from "../../lib/random.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-derived-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

function smallConfig(name: string, env: Record<string, string> = {}): AnalysisConfig {
  return loadConfig({CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05", CVE_SOURCE: "simulated", CVE_DATA_DIR: join(scratch, name), ...env});
}

const logs: string[] = [];
const config = smallConfig("sim");
const built = ensureDerived(config, {log: (l) => logs.push(l)});

test("ensureDerived(config) on a small simulated config writes every file of the data contract and a simulated manifest", async () => {
  const dir = await built;
  const m = readManifest(dir);
  assert.equal(m.source, "simulated");
  assert.deepEqual(m.venues, config.venues);
  assert.deepEqual(m.span, configSpan(config));
  assert.equal(m.seed, config.seed);
  assert.equal(m.key, dir.split("/").pop());
  for (const f of m.files) assert.ok(existsSync(join(dir, f)), f);
  for (const v of config.venues) for (const w of config.binWidthsMs) assert.equal(m.files.includes(`bins-${v}-${w}ms.arrow`), w !== 100, `bins-${v}-${w}ms.arrow`);
  for (const v of config.venues) assert.ok(!existsSync(join(dir, `bins-${v}-100ms.arrow`)), "the 100 ms bins are the flow matrix only");
  assert.ok(existsSync(join(dir, "DONE")));
  const site: SiteManifest = JSON.parse(readFileSync(join(dir, "site/manifest.json"), "utf8"));
  assert.equal(site.source, "simulated");
  assert.deepEqual(site.truth, readTruth(dir));
  assert.ok(Array.isArray(site.quality.warnings));
  // No leftovers: one final folder, no temporary or lock folders.
  assert.deepEqual(readdirSync(join(config.dataDir, "derived")), [m.key]);
});

test("ensureDerived(config) keeps exactly the simulator's trades, time-sorted and signed", async () => {
  const dir = await built;
  const m = readManifest(dir);
  const plan = planMarket(config);
  const [t0, t1] = configSpan(config);
  for (const venue of config.venues) {
    let n = 0;
    for (const b of simulateVenue(plan, venue)) for (let i = 0; i < b.length; ++i) if (b.time[i] >= t0 && b.time[i] < t1) ++n;
    const tr = await readTrades(dir, venue);
    assert.equal(m.perVenue[venue]!.trades, n, venue);
    assert.equal(tr.length, n, venue);
    for (let i = 1; i < tr.length; ++i) assert.ok(tr.time[i] >= tr.time[i - 1], `${venue} sorted at ${i}`);
    assert.ok(tr.time[0] >= t0 && tr.time[tr.length - 1] < t1);
    assert.ok(tr.side.every((s) => s === 1 || s === -1));
    assert.equal(m.perVenue[venue]!.first, tr.time[0]);
    assert.equal(m.perVenue[venue]!.last, tr.time[tr.length - 1]);
  }
});

test("readBins(dir, venue, w) equals binning the cleaned trades directly, and the site files agree with the bins", async () => {
  const dir = await built;
  const [t0, t1] = configSpan(config);
  const site1s = readArrowSync(join(dir, "site/bins-1000ms.arrow"));
  const flow = readArrowSync(join(dir, "site/flow-100ms.arrow"));
  const overview = readArrowSync(join(dir, "site/overview.arrow"));
  assert.equal(flow.length, (t1 - t0) / 100);
  assert.equal(flow.metadata.t0, String(t0));
  for (const [vi, venue] of config.venues.entries()) {
    const tr = await readTrades(dir, venue);
    const batch: TradeBatch = {venue, ...tr};
    for (const w of binFileWidths(config)) {
      const bins = await readBins(dir, venue, w);
      const direct = binTrades(batch, {t0, t1, widthMs: w});
      assert.equal(bins.length, Math.ceil((t1 - t0) / w));
      for (const f of BIN_FIELDS) assert.deepEqual(bins[f], direct[f], `${venue} ${w} ms ${f}`);
    }
    await assert.rejects(readBins(dir, venue, 100), /invalid widthMs: 100 .*the flow matrix/);
    const b100 = binTrades(batch, {t0, t1, widthMs: 100});
    const net = flow.columns[venue] as Int16Array;
    const count = flow.columns[`${venue}_n`] as Int16Array;
    const last = flow.columns[`${venue}_last`] as Float32Array;
    for (let i = 0; i < b100.length; ++i) {
      assert.equal(net[i], b100.n_buy[i] - b100.n_sell[i]);
      assert.equal(count[i], b100.n_buy[i] + b100.n_sell[i]);
      assert.ok(Object.is(last[i], Math.fround(b100.last[i])));
    }
    const b1s = await readBins(dir, venue, 1000);
    const rows = [...site1s.columns.venue].flatMap((x, i) => (x === vi ? [i] : []));
    assert.equal(rows.length, b1s.length);
    for (const f of BIN_FIELDS) assert.deepEqual(rows.map((i) => site1s.columns[f][i]), [...b1s[f]], `site ${venue} ${f}`);
    const ov = [...overview.columns.venue].flatMap((x, i) => (x === vi ? [i] : []));
    assert.equal(ov.length, (t1 - t0) / 10_000);
    for (const [k, i] of ov.entries()) {
      assert.equal(overview.columns.t[i], t0 + k * 10_000);
      assert.ok(Object.is(overview.columns.price[i], b1s.last[k * 10 + 9]));
    }
  }
  assert.deepEqual(site1s.dictionaries.venue, config.venues);
});

test("ensureDerived(config) writes a quality row per (venue, day) that accounts for every row", async () => {
  const dir = await built;
  const q = readQuality(dir);
  assert.equal(q.length, config.venues.length);
  for (const r of q) {
    assert.equal(checkBalance(r), 0);
    assert.equal(r.oneSided, false);
    assert.ok(r.buyShare! > 0.3 && r.buyShare! < 0.7);
    assert.ok(r.files.length >= 1);
  }
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "site/quality.json"), "utf8")), q);
});

test("ensureDerived(config) samples the trades of the window before the planted crash", async () => {
  const dir = await built;
  const m = readManifest(dir);
  const truth = readTruth(dir) as {events: {crashStart: number}};
  const sample = readArrowSync(join(dir, "site/trades-sample.arrow"));
  assert.equal(m.sample.end, Math.floor((truth.events.crashStart - m.span[0]) / 60_000) * 60_000 + m.span[0]);
  assert.equal(m.sample.start, Math.max(m.span[0], m.sample.end - 3_600_000));
  assert.equal(sample.metadata.start, String(m.sample.start));
  for (const [vi, venue] of config.venues.entries()) {
    const tr = await readTrades(dir, venue);
    const expected = [...tr.time].filter((t) => t >= m.sample.start && t < m.sample.end);
    const got = [...sample.columns.time].filter((_, i) => sample.columns.venue[i] === vi);
    assert.deepEqual(got, expected, venue);
    assert.equal(m.sample.rows[venue], expected.length);
  }
  assert.ok(readFileSync(join(dir, "site/trades-sample.arrow")).byteLength < 10e6);
});

test("ensureDerived(config) called twice at once builds once; the second waits and gets the same folder", async () => {
  const c = smallConfig("twice", {CVE_VENUES: "okx,coinbase"});
  const lines: string[] = [];
  const [a, b] = await Promise.all([ensureDerived(c, {log: (l) => lines.push(l)}), ensureDerived(c, {log: (l) => lines.push(l)})]);
  assert.equal(a, b);
  assert.equal(lines.filter((l) => l.startsWith("derived: building")).length, 1);
  assert.ok(lines.some((l) => l.includes("waiting")));
  assert.equal(await ensureDerived(c, {log: (l) => lines.push(l)}), a);
  assert.equal(lines.filter((l) => l.startsWith("derived: building")).length, 1);
});

test("withLock(dir, fn) breaks a stale lock left by a process that no longer exists", async () => {
  const lock = join(scratch, "stale.lock");
  mkdirSync(lock);
  writeFileSync(join(lock, "owner.json"), JSON.stringify({pid: 2 ** 22 + 12345, host: (await import("node:os")).hostname(), started: 0}));
  const lines: string[] = [];
  const got = await withLock(lock, async () => 42, {log: (l) => lines.push(l)});
  assert.equal(got, 42);
  assert.ok(lines.some((l) => l.includes("stale")));
  assert.equal(existsSync(lock), false);
});

test("resolveSource(config) picks simulated when real archives are missing, and refuses source real offline with a helpful message", async () => {
  const auto = await resolveSource(smallConfig("resolve", {CVE_SOURCE: "auto"}));
  assert.equal(auto.source, "simulated");
  assert.match(auto.reason, /missing/);
  await assert.rejects(resolveSource(smallConfig("resolve", {CVE_SOURCE: "real"})), (e: Error) => {
    assert.ok(e instanceof SourceError);
    assert.match(e.message, /BTCUSDT-trades-2024-08-05\.zip/);
    assert.match(e.message, /npm run fetch-data/);
    assert.match(e.message, /CVE_SOURCE=simulated/);
    return true;
  });
});

test("ensureDerived(config) with source auto uses real archives when every (venue, day) is in the cache", async () => {
  const c = smallConfig("real", {CVE_SOURCE: "auto", CVE_VENUES: "binance,coinbase"});
  const plan = planMarket(c);
  const expected: Partial<Record<Venue, number>> = {};
  for (const venue of c.venues) {
    const dir = join(c.dataDir, "raw", venue);
    mkdirSync(dir, {recursive: true});
    let n = 0;
    const rows = (function* () {
      for (const b of simulateVenue(plan, venue)) yield ((n += b.length), b);
    })();
    await archiveFormat(venue).write(rows, dir, c.symbol);
    expected[venue] = n;
  }
  const dir = await ensureDerived(c, {log: () => {}});
  const m = readManifest(dir);
  assert.equal(m.source, "real");
  assert.equal(m.simKey, null);
  assert.equal(readTruth(dir), null);
  assert.match(m.sample.reason, /busiest/);
  for (const venue of c.venues) assert.equal(m.perVenue[venue]!.trades, expected[venue]);
  assert.equal(existsSync(join(c.dataDir, "raw", "simulated")), false);
});

test("ensureDerived(config) keeps every row of a Bybit file written newest first: the day is sorted, not quarantined", async () => {
  const c = smallConfig("descending", {CVE_SOURCE: "real", CVE_VENUES: "bybit"});
  const plan = planMarket(c);
  const dir = join(c.dataDir, "raw", "bybit");
  mkdirSync(dir, {recursive: true});
  let n = 0;
  const rows = (function* () {
    for (const b of simulateVenue(plan, "bybit")) yield ((n += b.length), b);
  })();
  const [name] = await FORMATS.bybit.write(rows, dir, c.symbol);
  // The same rows, newest first, as Bybit has published some days.
  const [header, ...lines] = gunzipSync(readFileSync(join(dir, name))).toString("utf8").trimEnd().split("\n");
  writeFileSync(join(dir, name), gzipSync(`${[header, ...lines.reverse()].join("\n")}\n`));
  const logged: string[] = [];
  const derived = await ensureDerived(c, {log: (l) => logged.push(l)});
  const [q] = readQuality(derived);
  assert.equal(q.outOfOrder, 0);
  assert.equal(q.kept, n);
  assert.ok(logged.some((l) => /reading the day again, sorted by time/.test(l)), logged.join("\n"));
  const trades = await readTrades(derived, "bybit");
  assert.equal(trades.length, n);
  for (let i = 1; i < trades.length; ++i) assert.ok(trades.time[i] >= trades.time[i - 1], `trade ${i} out of order`);
});

/** Synthetic sorted trades on exchange grids (0.1 USD ticks, 0.01 BTC lots, whole ms) over [t0, t1). */
function syntheticTrades(venue: Venue, t0: number, t1: number, meanGapMs: number, seed: number): TradeBatch {
  const random = mulberry32(seed);
  const n = Math.ceil(((t1 - t0) / meanGapMs) * 1.2);
  const b: TradeBatch = {venue, length: 0, time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), side: new Int8Array(n), id: new Float64Array(n)};
  let t = t0, p = 600_000;
  for (;;) {
    t += 1 + Math.floor(random() * 2 * meanGapMs);
    if (t >= t1 || b.length === n) break;
    p += random() < 0.5 ? -1 : 1;
    const i = b.length++;
    b.time[i] = t;
    b.price[i] = p / 10;
    b.qty[i] = (1 + Math.floor(random() * 50)) / 100;
    b.side[i] = random() < 0.5 ? 1 : -1;
    b.id[i] = 1000 + i;
  }
  return b;
}

test("ensureDerived(config) over two days reads OKX's UTC+8 files for both days once each and bins across midnight", async () => {
  const c = smallConfig("two-days", {CVE_SOURCE: "auto", CVE_START: "2024-08-04", CVE_END: "2024-08-05", CVE_HOURS: "2", CVE_VENUES: "okx,coinbase"});
  const [t0, t1] = configSpan(c);
  assert.equal(t1 - t0, 26 * 3_600_000);
  // Real-layout archives from synthetic trades running past the span (to 2024-08-05 20:00, into OKX's next file).
  const written: Partial<Record<Venue, TradeBatch>> = {};
  for (const [i, venue] of c.venues.entries()) {
    const b = (written[venue] = syntheticTrades(venue, t0, t0 + 44 * 3_600_000, 10_000, 10 + i));
    const dir = join(c.dataDir, "raw", venue);
    mkdirSync(dir, {recursive: true});
    await archiveFormat(venue).write([b], dir, c.symbol);
  }
  const dir = await ensureDerived(c, {log: () => {}});
  assert.equal(readManifest(dir).source, "real");
  const q = readQuality(dir);
  assert.deepEqual(q.map((r) => [r.venue, r.day]), [["okx", "2024-08-04"], ["okx", "2024-08-05"], ["coinbase", "2024-08-04"], ["coinbase", "2024-08-05"]]);
  // OKX's file named 2024-08-05 starts at 2024-08-04 16:00 UTC: read for both days, its rows split between them.
  assert.equal(q[0].files.length, 2);
  assert.equal(q[1].files[0], q[0].files[1]);
  assert.ok(q[0].outsideSpan > 0 && q[1].outsideSpan > 0);
  for (const venue of c.venues) {
    const w = written[venue]!;
    const inSpan = [...w.time.subarray(0, w.length)].filter((t) => t >= t0 && t < t1);
    const tr = await readTrades(dir, venue);
    assert.deepEqual([...tr.time], inSpan, venue);
    assert.equal(q.filter((r) => r.venue === venue).reduce((s, r) => s + r.kept, 0), inSpan.length);
    for (const r of q.filter((r) => r.venue === venue)) assert.equal(checkBalance(r), 0);
    const bins = await readBins(dir, venue, 1000);
    const direct = binTrades({venue, ...tr}, {t0, t1, widthMs: 1000});
    for (const f of BIN_FIELDS) assert.deepEqual(bins[f], direct[f], `${venue} ${f}`);
    // The last price carries over midnight into the second day's first bins.
    const midnight = (Date.UTC(2024, 7, 5) - t0) / 1000;
    assert.ok(Number.isFinite(bins.last[midnight]));
  }
});

test("venueConcurrency(venues, work, requested) stays in-process for small builds and caps workers at the venue count", () => {
  assert.equal(venueConcurrency(4, 1e4), 1);
  assert.equal(venueConcurrency(4, 2e7), Math.min(4, availableParallelism()));
  assert.equal(venueConcurrency(2, 1e4, 8), 2);
  assert.equal(venueConcurrency(4, 2e7, 1), 1);
  assert.throws(() => venueConcurrency(4, 1, 0), /invalid workers: 0/);
});

test("chooseSampleWindow(counts, options) keeps the hour before the end, or the busiest hour, within the row budget", () => {
  const counts = new Float64Array(180).fill(100);
  for (let i = 120; i < 130; ++i) counts[i] = 1000;
  assert.deepEqual(chooseSampleWindow(counts, {end: 90, maxRows: 1e6}), {startMinute: 30, endMinute: 90, rows: 6000});
  assert.deepEqual(chooseSampleWindow(counts, {end: 20, maxRows: 1e6}), {startMinute: 0, endMinute: 20, rows: 2000});
  assert.deepEqual(chooseSampleWindow(counts, {end: 90, maxRows: 2500}), {startMinute: 65, endMinute: 90, rows: 2500});
  const busy = chooseSampleWindow(counts, {maxRows: 1e6});
  assert.equal(busy.rows, 50 * 100 + 10 * 1000);
  assert.ok(busy.startMinute <= 120 && busy.endMinute >= 130);
  const small = chooseSampleWindow(counts, {maxRows: 5000});
  assert.ok(small.rows <= 5000 && small.endMinute - small.startMinute < 60);
  assert.throws(() => chooseSampleWindow(counts, {maxRows: 0}), /invalid maxRows: 0/);
});

test("concatArrowStreams(files) gives the bytes one writer fed the same batches writes, and refuses a foreign schema or a cut file", () => {
  const specs = [
    {name: "t", type: "Float64"},
    {name: "s", type: "Int8"}
  ] as const;
  const batch = (k: number, n: number) => ({t: Float64Array.from({length: n}, (_, i) => k * 1000 + i / 4), s: Int8Array.from({length: n}, (_, i) => (i % 3) - 1)});
  const sizes = [[300, 200], [1], [], [64, 64, 5]];
  const whole = new ArrowStreamWriter(join(scratch, "whole.arrow"), specs);
  const pieces = sizes.map((ns, p) => {
    const path = join(scratch, `piece-${p}.arrow`);
    const w = new ArrowStreamWriter(path, specs);
    for (const [k, n] of ns.entries()) (w.write(batch(p * 10 + k, n), n), whole.write(batch(p * 10 + k, n), n));
    w.close();
    return path;
  });
  whole.close();
  concatArrowStreams(pieces, join(scratch, "joined.arrow"));
  const joined = readFileSync(join(scratch, "joined.arrow"));
  assert.ok(joined.equals(readFileSync(join(scratch, "whole.arrow"))));
  assert.equal(tableFromIPC(joined).numRows, 300 + 200 + 1 + 64 + 64 + 5);
  const other = join(scratch, "other.arrow");
  writeArrow(other, [{name: "t", type: "Float64"}], {t: new Float64Array(3)}, 3);
  assert.throws(() => concatArrowStreams([pieces[0], other], join(scratch, "bad.arrow")), /other\.arrow has another schema/);
  const cut = join(scratch, "cut.arrow");
  writeFileSync(cut, readFileSync(pieces[0]).subarray(0, 400));
  assert.throws(() => concatArrowStreams([pieces[0], cut], join(scratch, "bad.arrow")), /cut\.arrow is not a complete Arrow IPC stream/);
  assert.throws(() => concatArrowStreams([], join(scratch, "bad.arrow")), /no input/);
});

test("ArrowStreamWriter.write(columns, n) writes an IPC stream that apache-arrow reads back column for column", async () => {
  const path = join(scratch, "roundtrip.arrow");
  const specs = [
    {name: "venue", type: "dict", dictionary: ["binance", "okx"]},
    {name: "f64", type: "Float64"},
    {name: "f32", type: "Float32"},
    {name: "i32", type: "Int32"},
    {name: "i16", type: "Int16"},
    {name: "i8", type: "Int8"}
  ] as const;
  const n = 1000;
  const cols = {
    venue: Int8Array.from({length: n}, (_, i) => i % 2),
    f64: Float64Array.from({length: n}, (_, i) => (i === 7 ? NaN : i / 3)),
    f32: Float32Array.from({length: n}, (_, i) => i / 7),
    i32: Int32Array.from({length: n}, (_, i) => i * 1000),
    i16: Int16Array.from({length: n}, (_, i) => i - 500),
    i8: Int8Array.from({length: n}, (_, i) => (i % 3) - 1)
  };
  writeArrow(path, specs, cols, n, {batchRows: 300, metadata: {note: "x"}});
  const bytes = readFileSync(path);
  assert.equal(bytes.readInt32LE(0), -1); // IPC stream: continuation marker, no "ARROW1" file magic
  assert.notEqual(bytes.subarray(0, 6).toString(), "ARROW1");
  const table = tableFromIPC(bytes);
  assert.equal(table.numRows, n);
  assert.equal(table.batches.length, 4);
  assert.equal(table.get(3)!.venue, "okx");
  assert.ok(Number.isNaN(table.get(7)!.f64));
  const back = await readArrowColumns(path);
  assert.equal(back.length, n);
  for (const k of Object.keys(cols) as (keyof typeof cols)[]) assert.deepEqual(back.columns[k], cols[k], k);
  assert.deepEqual(back.dictionaries.venue, ["binance", "okx"]);
  assert.equal(back.metadata.note, "x");
  const empty = join(scratch, "empty.arrow");
  new ArrowStreamWriter(empty, [{name: "t", type: "Float64"}]).close();
  assert.equal(tableFromIPC(readFileSync(empty)).numRows, 0);
  assert.ok((await readArrowColumns(empty)).columns.t instanceof Float64Array);
  assert.throws(() => new ArrowStreamWriter(join(scratch, "bad.arrow"), [{name: "v", type: "dict"}]), /invalid dictionary/);
});

test("ensureDerived(config) bins each day as it is cleaned: the same bins files, flow, overview and samples as reading the partitions back", async () => {
  const c = smallConfig("by-day", {CVE_START: "2024-08-04", CVE_END: "2024-08-05", CVE_HOURS: "2", CVE_VENUES: "okx,coinbase", CVE_BINS_MS: "100,1000,60000"});
  const log: string[] = [];
  const dir = await ensureDerived(c, {log: (l) => log.push(l)});
  assert.ok(log.some((l) => /^derived: okx: [\d,]+ trades binned day by day as cleaned/.test(l)), log.join("\n"));
  const [t0, t1] = configSpan(c);
  const flow = readArrowSync(join(dir, "site", "flow-100ms.arrow"));
  const overview = tableFromIPC(readFileSync(join(dir, "site", "overview.arrow")));
  for (const [vi, venue] of c.venues.entries()) {
    // The venue aggregated again from its partitions, into a folder of its own.
    const again = join(scratch, `by-day-again-${venue}`);
    mkdirSync(again, {recursive: true});
    symlinkSync(join(dir, "trades"), join(again, "trades"));
    const r = await aggregateVenue(c, venue, again, () => {});
    for (const w of binFileWidths(c)) assert.deepEqual(readFileSync(join(dir, `bins-${venue}-${w}ms.arrow`)), readFileSync(join(again, `bins-${venue}-${w}ms.arrow`)), `${venue} ${w} ms`);
    assert.deepEqual(flow.columns[venue], r.flowNet, venue);
    assert.deepEqual(flow.columns[`${venue}_n`], r.flowCount, venue);
    assert.deepEqual(flow.columns[`${venue}_last`], r.flowLast, venue);
    const price = overview.getChild("price")!.toArray() as Float64Array;
    const n = r.overview.length;
    assert.deepEqual(price.subarray(vi * n, (vi + 1) * n), r.overview, venue);
    assert.equal(readManifest(dir).perVenue[venue]!.trades, r.rows);
    // The leading bins of the second day carry the first day's last price.
    const bins = await readBins(dir, venue, 1000);
    const midnight = (Date.UTC(2024, 7, 5) - t0) / 1000;
    assert.ok(Number.isFinite(bins.last[midnight]) && bins.last.length === (t1 - t0) / 1000);
  }
});

test("ensureDerived(config) with a span that starts off the bins' grid reads the partitions back to bin them, with the same bins as binning the trades", async () => {
  const c = smallConfig("off-grid", {CVE_START: "2024-08-04", CVE_END: "2024-08-05", CVE_HOURS: "1", CVE_VENUES: "coinbase", CVE_FROM: "2024-08-04T22:00:00.250Z"});
  const log: string[] = [];
  const dir = await ensureDerived(c, {log: (l) => log.push(l)});
  assert.ok(log.some((l) => /^derived: coinbase: [\d,]+ trades of \d+ Parquet part\(s\) binned/.test(l)), log.join("\n"));
  const [t0, t1] = configSpan(c);
  const tr = await readTrades(dir, "coinbase");
  const bins = await readBins(dir, "coinbase", 1000);
  const direct = binTrades({venue: "coinbase", ...tr}, {t0, t1, widthMs: 1000});
  for (const f of BIN_FIELDS) assert.deepEqual(bins[f], direct[f], f);
});
