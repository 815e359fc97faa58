// The pages' data (loaders/pages/detail.ts) on a small derived folder written here: the detail
// chunks, read back by the page's own reader (src/detail.ts) through a byte-range fetch, give the
// rows of the whole-span files; the summary's sums and extremes are those of the 1 s bins; the
// overview and summary stay bounded whatever the span.
import assert from "node:assert/strict";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {PassThrough} from "node:stream";
import {after, test} from "node:test";
import {tableFromIPC} from "apache-arrow";
import {writeArrow} from "../../loaders/arrow.ts";
import {downsampleLast, OVERVIEW_POINTS, overviewStepMs, SUMMARY_BUCKETS, summaryBucketMs, writeChunks, writeJsonChunks, writePageData, writePageSiteFile} from "../../loaders/pages/detail.ts";
import {chunksFor, clampRange, defaultRange, detailColumn, expandIndex, loadChunks, loadDetail, periodRange, rangeLengths, type ChunkIndex, type ChunkIndexJSON, type DetailIndex} from "../../src/detail.ts";
import {compactIndex} from "../../lib/detail-index.ts";

const root = mkdtempSync(join(tmpdir(), "cve-page-data-"));
after(() => rmSync(root, {recursive: true, force: true}));

const venues = ["binance", "coinbase"];
const t0 = Date.UTC(2024, 7, 5);
// 2.5 hours: the last chunk is a half hour.
const t1 = t0 + 2.5 * 3_600_000;

/** A derived folder with site files of a small seeded market. */
function derived(): string {
  const dir = join(root, "derived");
  mkdirSync(join(dir, "site"), {recursive: true});
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({span: [t0, t1], venues}));
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const per = (t1 - t0) / 1000;
  const n = per * venues.length;
  const cols = {
    venue: new Int8Array(n), t: new Float64Array(n), n_buy: new Int32Array(n), n_sell: new Int32Array(n), v_buy: new Float64Array(n), v_sell: new Float64Array(n),
    open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), vwap: new Float64Array(n), last: new Float64Array(n)
  };
  for (let v = 0; v < venues.length; ++v) {
    let price = 60_000 + 10 * v;
    for (let i = 0; i < per; ++i) {
      const k = v * per + i;
      cols.venue[k] = v;
      cols.t[k] = t0 + i * 1000;
      const empty = rnd() < 0.2;
      cols.n_buy[k] = empty ? 0 : Math.floor(rnd() * 5) + 1;
      cols.n_sell[k] = empty ? 0 : Math.floor(rnd() * 5);
      cols.v_buy[k] = cols.n_buy[k] * 0.01;
      cols.v_sell[k] = cols.n_sell[k] * 0.02;
      const o = price;
      price += empty ? 0 : rnd() - 0.5;
      cols.open[k] = empty ? NaN : o;
      cols.close[k] = empty ? NaN : price;
      cols.high[k] = empty ? NaN : Math.max(o, price) + 0.1;
      cols.low[k] = empty ? NaN : Math.min(o, price) - 0.1;
      cols.vwap[k] = empty ? NaN : (o + price) / 2;
      cols.last[k] = price;
    }
  }
  const dict = {name: "venue", type: "dict" as const, dictionary: venues};
  writeArrow(join(dir, "site", "bins-1000ms.arrow"), [dict, {name: "t", type: "Float64"}, {name: "n_buy", type: "Int32"}, {name: "n_sell", type: "Int32"}, ...["v_buy", "v_sell", "open", "high", "low", "close", "vwap", "last"].map((name) => ({name, type: "Float64" as const}))], cols, n, {batchRows: 4000});
  const nf = (t1 - t0) / 100;
  const flow: Record<string, Int16Array | Float32Array> = {};
  for (const v of venues) (flow[v] = Int16Array.from({length: nf}, () => Math.floor(rnd() * 7) - 3)), (flow[`${v}_last`] = Float32Array.from({length: nf}, (_, i) => 60_000 + i / 100));
  writeArrow(join(dir, "site", "flow-100ms.arrow"), [...venues.map((name) => ({name, type: "Int16" as const})), ...venues.map((v) => ({name: `${v}_last`, type: "Float32" as const}))], flow as never, nf, {batchRows: 10_000, metadata: {t0: String(t0), width_ms: "100"}});
  const no = (t1 - t0) / 10_000;
  const ov = {venue: new Int8Array(no * 2), t: new Float64Array(no * 2), price: new Float64Array(no * 2)};
  for (let v = 0; v < 2; ++v) for (let i = 0; i < no; ++i) (ov.venue[v * no + i] = v), (ov.t[v * no + i] = t0 + i * 10_000), (ov.price[v * no + i] = cols.last[v * per + i * 10 + 9]);
  writeArrow(join(dir, "site", "overview.arrow"), [dict, {name: "t", type: "Float64"}, {name: "price", type: "Float64"}], ov, no * 2);
  const sample = {venue: Int8Array.from({length: 500}, (_, i) => i % 2), time: Float64Array.from({length: 500}, (_, i) => t0 + Math.floor(i / 6)), price: new Float64Array(500).fill(60_000), qty: new Float32Array(500).fill(1), side: Int8Array.from({length: 500}, () => (rnd() < 0.5 ? 1 : -1))};
  writeArrow(join(dir, "site", "trades-sample.arrow"), [dict, {name: "time", type: "Float64"}, {name: "price", type: "Float64"}, {name: "qty", type: "Float32"}, {name: "side", type: "Int8"}], sample, 500, {metadata: {start: String(t0), end: String(t0 + 500), reason: "test"}});
  return dir;
}

const dir = derived();
const out = join(root, "pages");
const index = (await writePageData(dir, out)) as unknown as DetailIndex;
const bins = tableFromIPC(readFileSync(join(dir, "site", "bins-1000ms.arrow")));
const flow = tableFromIPC(readFileSync(join(dir, "site", "flow-100ms.arrow")));

/** A fetch of `out`'s files answering byte ranges, counting the bytes sent. */
let sent = 0;
const rangeFetch = (async (url: string, init?: {headers?: Record<string, string>}) => {
  const bytes = readFileSync(join(out, url));
  const m = /^bytes=(\d+)-(\d+)$/.exec(init?.headers?.Range ?? "");
  const body = m ? bytes.subarray(Number(m[1]), Number(m[2]) + 1) : bytes;
  sent += body.length;
  return {ok: true, status: m ? 206 : 200, arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length)};
}) as unknown as typeof fetch;
globalThis.fetch = rangeFetch;

test("the detail files hold one chunk per hour of the span, back to back", () => {
  for (const kind of ["bins-1000ms", "flow-100ms"] as const) {
    const f = index.files[kind];
    assert.deepEqual(f.chunks.map((c) => [c.t0 - t0, c.t1 - t0]), [[0, 3_600_000], [3_600_000, 7_200_000], [7_200_000, 9_000_000]]);
    let o = 0;
    for (const c of f.chunks) (assert.equal(c.offset, o), (o += c.length));
    assert.equal(readFileSync(join(out, `detail-${kind}.bin`)).length, o);
  }
});

test("detail.json holds each file's chunk lengths only, and expandIndex gives the chunks back", () => {
  const json = JSON.parse(readFileSync(join(out, "detail.json"), "utf8")) as ChunkIndexJSON<DetailIndex>;
  for (const f of Object.values(json.files)) assert.deepEqual(Object.keys(f).sort(), ["bytes", "columns", "layout", "lengths", "widthMs"]);
  assert.deepEqual(json.files["flow-100ms"].lengths, index.files["flow-100ms"].chunks.map((c) => c.length));
  assert.deepEqual(expandIndex(json), JSON.parse(JSON.stringify(index)));
  assert.deepEqual(compactIndex(index), json);
  const short = {...json, files: {...json.files, "flow-100ms": {...json.files["flow-100ms"], lengths: json.files["flow-100ms"].lengths.slice(1)}}};
  assert.throws(() => expandIndex(short), /flow-100ms has 2 chunk lengths for the span's 3 chunks/);
  const wrong = {...json, files: {...json.files, "bins-1000ms": {...json.files["bins-1000ms"], bytes: json.files["bins-1000ms"].bytes + 1}}};
  assert.throws(() => expandIndex(wrong), /the chunks of bins-1000ms add up to \d+ bytes, the file has \d+/);
  const gap = {...index, files: {...index.files, "bins-1000ms": {...index.files["bins-1000ms"], chunks: index.files["bins-1000ms"].chunks.map((c, k) => (k === 1 ? {...c, offset: c.offset + 1} : c))}}};
  assert.throws(() => compactIndex(gap), /the chunks of bins-1000ms are not the span's 3600000 ms pieces back to back/);
});

test("a range read by the page's reader equals the whole-span file's rows (bins venue-major, flow wide)", async () => {
  const states: string[] = [];
  const range: [number, number] = [t0 + 3_000_000 + 400, t0 + 7_000_000];
  const d = await loadDetail("detail-bins-1000ms.bin", index, "bins-1000ms", range, (s) => states.push(s.phase));
  assert.deepEqual(states, ["loading", "ready"]);
  assert.equal(d.t0, t0 + 3_000_000);
  assert.equal(d.rowsPerSeries, 4000);
  const per = bins.numRows / venues.length;
  for (const col of ["t", "n_buy", "close", "last"]) {
    const got = d.table.getChild(col)!.toArray();
    const all = bins.getChild(col)!.toArray();
    for (let v = 0; v < venues.length; ++v)
      for (let i = 0; i < d.rowsPerSeries; ++i) assert.ok(Object.is(got[v * d.rowsPerSeries + i], all[v * per + 3000 + i]), `${col} of ${venues[v]} at ${i}`);
  }
  for (let i = 0; i < d.table.numRows; ++i) assert.equal(d.table.getChild("venue")!.get(i), venues[Math.floor(i / d.rowsPerSeries)]);
  const f = await loadDetail("detail-flow-100ms.bin", index, "flow-100ms", range);
  assert.equal(f.t0, t0 + 3_000_400);
  const o = (f.t0 - t0) / 100;
  for (const col of ["binance", "coinbase_last"]) {
    const got = f.table.getChild(col)!.toArray();
    const all = flow.getChild(col)!.toArray();
    assert.equal(got.length, (t0 + 7_000_000 - f.t0) / 100);
    for (let i = 0; i < got.length; ++i) assert.equal(got[i], all[o + i]);
  }
});

test("a range fetches only its chunks, once", async () => {
  sent = 0;
  await loadDetail("detail-flow-100ms.bin", index, "flow-100ms", [t0 + 7_200_000, t0 + 9_000_000]);
  assert.equal(sent, index.files["flow-100ms"].chunks[2].length);
  sent = 0;
  await loadDetail("detail-flow-100ms.bin", index, "flow-100ms", [t0 + 7_200_000, t0 + 8_000_000]);
  assert.equal(sent, 0, "cached");
});

test("ranges are clamped to the span and chunks found by overlap", () => {
  assert.deepEqual(clampRange(index, "bins-1000ms", [t0 - 5000, t1 + 5000]), [t0, t1]);
  assert.deepEqual(chunksFor(index, "bins-1000ms", [t0 + 3_599_000, t0 + 3_601_000]), [0, 1]);
  assert.deepEqual(periodRange(index, {start: t0, end: t0 + 8_000_000}, 1), [t0 + 7_200_000, t0 + 9_000_000]);
  assert.deepEqual(periodRange(index, {start: t0 + 3_700_000, end: t0 + 5_000_000}, 2), [t0 + 3_600_000, t0 + 7_200_000]);
});

test("the summary's buckets add up to the 1 s bins and keep their extremes", () => {
  const s = tableFromIPC(readFileSync(join(out, "summary.arrow")));
  assert.equal(index.summaryBucketMs, 60_000);
  assert.equal(s.numRows, venues.length * 150);
  const per = bins.numRows / venues.length;
  const b = (c: string) => bins.getChild(c)!.toArray() as ArrayLike<number>;
  const x = (c: string) => s.getChild(c)!.toArray() as ArrayLike<number>;
  for (let v = 0; v < venues.length; ++v)
    for (let m = 0; m < 150; ++m) {
      const k = v * 150 + m;
      let buys = 0, high = -Infinity, lastClose = NaN;
      for (let i = v * per + m * 60; i < v * per + (m + 1) * 60; ++i) {
        buys += b("n_buy")[i];
        if (b("high")[i] > high) high = b("high")[i];
        if (!Number.isNaN(b("close")[i])) lastClose = b("close")[i];
      }
      assert.equal(x("n_buy")[k], buys);
      assert.equal(x("high")[k], high === -Infinity ? NaN : high);
      assert.ok(Object.is(x("close")[k], lastClose));
      assert.equal(x("last")[k], b("last")[v * per + (m + 1) * 60 - 1]);
      assert.equal(x("t")[k], t0 + m * 60_000);
    }
});

test("summary and overview stay bounded whatever the span", () => {
  for (const days of [1, 14, 30, 365]) {
    const span = days * 86_400_000;
    assert.ok(Math.ceil(span / summaryBucketMs(span)) <= SUMMARY_BUCKETS, `${days} days: summary`);
    assert.ok(Math.ceil(span / overviewStepMs(span)) <= OVERVIEW_POINTS, `${days} days: overview`);
  }
  assert.equal(summaryBucketMs(86_400_000), 60_000);
  assert.equal(overviewStepMs(86_400_000), 10_000);
  assert.equal(summaryBucketMs(14 * 86_400_000), 14 * 60_000);
  const d = downsampleLast(Float64Array.of(0, 10, 20, 0, 10, 20), Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, 2);
  assert.deepEqual([...d.t], [0, 20, 0, 20]);
  assert.deepEqual([...d.price], [2, 3, 5, 6]);
});

test("a span that is not a whole number of bins keeps its last, partial bin", async () => {
  const odd = join(root, "odd");
  mkdirSync(join(odd, "site"), {recursive: true});
  const u1 = t0 + 3_600_000 + 1_250; // one hour and 1.25 s: 3,602 bins of 1 s, 36,013 of 100 ms
  writeFileSync(join(odd, "manifest.json"), JSON.stringify({span: [t0, u1], venues}));
  const per = 3602;
  const n = per * 2;
  const f64 = (k: number) => Float64Array.from({length: n}, (_, i) => k + i);
  const cols = {venue: Int8Array.from({length: n}, (_, i) => (i < per ? 0 : 1)), t: Float64Array.from({length: n}, (_, i) => t0 + (i % per) * 1000), n_buy: new Int32Array(n).fill(1), n_sell: new Int32Array(n), v_buy: f64(0), v_sell: f64(0), open: f64(1), high: f64(2), low: f64(0), close: f64(1), vwap: f64(1), last: f64(1)};
  const dict = {name: "venue", type: "dict" as const, dictionary: venues};
  writeArrow(join(odd, "site", "bins-1000ms.arrow"), [dict, {name: "t", type: "Float64"}, {name: "n_buy", type: "Int32"}, {name: "n_sell", type: "Int32"}, ...["v_buy", "v_sell", "open", "high", "low", "close", "vwap", "last"].map((name) => ({name, type: "Float64" as const}))], cols, n);
  const nf = 36_013;
  writeArrow(join(odd, "site", "flow-100ms.arrow"), [...venues.map((name) => ({name, type: "Int16" as const})), ...venues.map((v) => ({name: `${v}_last`, type: "Float32" as const}))], Object.fromEntries([...venues.map((v) => [v, new Int16Array(nf)]), ...venues.map((v) => [`${v}_last`, Float32Array.from({length: nf}, (_, i) => i)])]), nf, {metadata: {t0: String(t0), width_ms: "100"}});
  const no = 361;
  writeArrow(join(odd, "site", "overview.arrow"), [dict, {name: "t", type: "Float64"}, {name: "price", type: "Float64"}], {venue: Int8Array.from({length: 2 * no}, (_, i) => (i < no ? 0 : 1)), t: new Float64Array(2 * no), price: new Float64Array(2 * no)}, 2 * no);
  writeArrow(join(odd, "site", "trades-sample.arrow"), [dict, {name: "time", type: "Float64"}, {name: "side", type: "Int8"}], {venue: new Int8Array(1), time: Float64Array.of(t0), side: Int8Array.of(1)}, 1);
  const oddOut = join(root, "odd-pages");
  const oddIndex = (await writePageData(odd, oddOut)) as unknown as DetailIndex;
  const oddFetch = (async (url: string, init?: {headers?: Record<string, string>}) => {
    const bytes = readFileSync(join(oddOut, url.replace(/^odd\//, "")));
    const m = /^bytes=(\d+)-(\d+)$/.exec(init?.headers?.Range ?? "")!;
    const body = bytes.subarray(Number(m[1]), Number(m[2]) + 1);
    return {ok: true, status: 206, arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length)};
  }) as unknown as typeof fetch;
  globalThis.fetch = oddFetch;
  try {
    const d = await loadDetail("odd/detail-bins-1000ms.bin", oddIndex, "bins-1000ms", [t0 + 3_000_000, u1]);
    assert.equal(d.rowsPerSeries, 602);
    assert.equal(d.table.getChild("t")!.get(601), t0 + 3_601_000);
    const f = await loadDetail("odd/detail-flow-100ms.bin", oddIndex, "flow-100ms", oddIndex.span);
    assert.equal(f.table.numRows, nf);
    assert.equal(f.table.getChild("binance_last")!.get(nf - 1), nf - 1);
  } finally {
    globalThis.fetch = rangeFetch;
  }
});

test("the sample's signs are its taker orders (one venue's prints of one side at one timestamp merged), venue by venue, with the sample's metadata", () => {
  const s = tableFromIPC(readFileSync(join(out, "sample-signs.arrow")));
  const full = tableFromIPC(readFileSync(join(dir, "site", "trades-sample.arrow")));
  assert.deepEqual(s.schema.fields.map((f) => f.name), ["venue", "side"]);
  // The fixture's 500 rows alternate two venues, three prints of each venue per ms, random sides.
  const venue = [...full.getChild("venue")!] as string[];
  const time = [...full.getChild("time")!.toArray()] as number[];
  const side = [...full.getChild("side")!.toArray()] as number[];
  const expected: number[] = [];
  const expectedVenue: string[] = [];
  for (const v of [...new Set(venue)]) {
    let last: [number, number] | null = null;
    for (let i = 0; i < venue.length; ++i) {
      if (venue[i] !== v) continue;
      if (last && last[0] === time[i] && last[1] === side[i]) continue;
      last = [time[i], side[i]];
      expected.push(side[i]);
      expectedVenue.push(v);
    }
  }
  assert.ok(expected.length < side.length, "the fixture has prints to merge");
  assert.deepEqual([...s.getChild("side")!.toArray()], expected);
  assert.deepEqual([...s.getChild("venue")!], expectedVenue);
  assert.equal(s.schema.metadata.get("reason"), "test");
});

test("a chapter's series: a wide grid and JSON chunks written by hour read back for a range by the page's reader", async () => {
  const dir2 = join(root, "series");
  mkdirSync(dir2, {recursive: true});
  const w = 60_000;
  const rows = Math.ceil((t1 - t0) / w);
  const x = Float64Array.from({length: rows}, (_, i) => (i % 7 === 0 ? NaN : i * 1.5));
  const n = Int32Array.from({length: rows}, (_, i) => i - 40);
  const grid = writeChunks(join(dir2, "grid.bin"), {specs: [{name: "x", type: "Float64"}, {name: "n", type: "Int32"}], columns: {x, n}, widthMs: w, layout: "wide", series: 1, perSeries: rows}, [t0, t1]);
  const json = writeJsonChunks(join(dir2, "json.bin"), {layout: "json", chunk: (a, b) => ({a, b, values: [a - t0, NaN]})}, [t0, t1]);
  const idx: ChunkIndex = {span: [t0, t1], venues, chunkMs: 3_600_000, files: {grid, json}};
  assert.deepEqual(grid.chunks.map((c) => c.t0 - t0), [0, 3_600_000, 7_200_000]);
  assert.throws(() => writeChunks(join(dir2, "bad.bin"), {specs: [{name: "x", type: "Float64"}], columns: {x}, widthMs: w, layout: "wide", series: 1, perSeries: rows - 1}, [t0, t1]), /rows per series/);
  const saved = globalThis.fetch;
  globalThis.fetch = (async (url: string, init?: {headers?: Record<string, string>}) => {
    const bytes = readFileSync(join(dir2, url));
    const m = /^bytes=(\d+)-(\d+)$/.exec(init?.headers?.Range ?? "")!;
    const body = bytes.subarray(Number(m[1]), Number(m[2]) + 1);
    return {ok: true, status: 206, arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length)};
  }) as unknown as typeof fetch;
  try {
    const d = await loadDetail("grid.bin", idx, "grid", [t0 + 3_600_000, t1]);
    assert.equal(d.rowsPerSeries, rows - 60);
    const gx = detailColumn(d, "x");
    const gn = detailColumn(d, "n");
    for (let i = 0; i < d.rowsPerSeries; ++i) (assert.ok(Object.is(gx[i], x[60 + i])), assert.equal(gn[i], n[60 + i]));
    const chunks = await loadChunks<{a: number; b: number; values: unknown[]}>("json.bin", idx, "json", [t0 + 3_000_000, t0 + 3_700_000]);
    assert.deepEqual(chunks, [{a: t0, b: t0 + 3_600_000, values: [0, null]}, {a: t0 + 3_600_000, b: t0 + 7_200_000, values: [3_600_000, null]}]);
    await assert.rejects(loadDetail("json.bin", idx, "json", [t0, t1]), /loadChunks/);
    await assert.rejects(loadChunks("grid.bin", idx, "grid", [t0, t1]), /not a file of JSON chunks/);
  } finally {
    globalThis.fetch = saved;
  }
});

test("the range a page opens on: the whole span up to a day, else the day around a time, chunk-aligned", () => {
  const day = 86_400_000;
  const idx = (days: number): ChunkIndex => ({span: [t0, t0 + days * day], venues, chunkMs: 3_600_000, files: {}});
  assert.deepEqual(defaultRange(idx(1), t0 + 5_000), [t0, t0 + day]);
  assert.deepEqual(defaultRange(idx(0.5), null), [t0, t0 + day / 2]);
  assert.deepEqual(defaultRange(idx(3), null), [t0, t0 + day]);
  assert.deepEqual(defaultRange(idx(3), t0 + 1.5 * day), [t0 + day, t0 + 2 * day]);
  assert.deepEqual(defaultRange(idx(3), t0 + 2.9 * day), [t0 + 2 * day, t0 + 3 * day]);
  for (const days of [2, 14, 30]) {
    const [a, b] = defaultRange(idx(days), t0 + days * day * 0.37);
    assert.equal(b - a, day, `${days} days: one day`);
    assert.equal((a - t0) % 3_600_000, 0, "chunk-aligned");
  }
  assert.deepEqual(rangeLengths(idx(2)), [1, 2, 3, 6, 12, 24, 48]);
  assert.deepEqual(rangeLengths(idx(4 / 24)), [1, 2, 3, 4]);
});

test("the pages' truth leaves out the list of planted bursts, which grows with the span, and counts it", async () => {
  const d = join(root, "truth");
  mkdirSync(join(d, "site"), {recursive: true});
  const truth = {span: {start: t0, end: t1}, events: {crash: "planted"}, bursts: [{time: t0 + 1}, {time: t0 + 2}, {time: t0 + 3}], wells: {levels: [1, 2]}};
  writeFileSync(join(d, "site", "truth.json"), JSON.stringify(truth));
  let text = "";
  const out = new PassThrough();
  out.on("data", (b: Buffer) => (text += b.toString("utf8")));
  await writePageSiteFile(d, "truth.json", out);
  const {bursts: _b, ...rest} = truth;
  assert.deepEqual(JSON.parse(text), {...rest, burstCount: 3});
  writeFileSync(join(d, "site", "truth.json"), "null");
  text = "";
  await writePageSiteFile(d, "truth.json", out);
  assert.equal(text, "null", "real data: no truth");
});
