/**
 * The pages' data, in sizes that do not grow with the span: small summaries for the first load,
 * and the detail (1 s bins, 100 ms flow) cut into hourly chunks fetched for the range a reader
 * selects.
 *
 * From the derived site files (`site/bins-1000ms.arrow`, `site/flow-100ms.arrow`,
 * `site/overview.arrow`, `site/trades-sample.arrow`) this writes, into one folder keyed by this
 * module's code beside the derived data:
 *
 * - `summary.arrow`: per venue and bucket, the trade counts and volumes (sums of the 1 s bins) and
 *   the open, high, low, close and carried last price. The bucket is one minute, or the smallest
 *   whole number of minutes that keeps at most {@link SUMMARY_BUCKETS} buckets: one day gives
 *   1,440 one-minute buckets, two weeks 1,440 fourteen-minute buckets.
 * - `overview.arrow`: each venue's last price on a step of 10 s, or the smallest multiple of 10 s
 *   that keeps at most {@link OVERVIEW_POINTS} points (row t is the step start, its price the
 *   last price at or before the step's end, as in the derived overview).
 * - `sample-signs.arrow`: the venue and aggressor side of every taker order of the trades sample
 *   (`takerOrders`: the prints of one venue with one side at one timestamp merged, as chapter 02's
 *   sign autocorrelation counts them; the only columns a page reads of it; the sample has a fixed
 *   row budget, so its size does not grow with the span), with the sample's metadata.
 * - `detail-bins-1000ms.bin`, `detail-flow-100ms.bin`: the detail files, each a sequence of
 *   independent Arrow IPC streams, one per {@link CHUNK_MS} hour of the span (bins: rows of each
 *   venue in turn, venue-major as in `bins-1000ms.arrow`; flow: the wide 100 ms rows). A page
 *   fetches the byte range of the chunks it needs (HTTP range request) and decodes each stream.
 * - `detail.json`: the index of both: the span, the chunk length, and per file the columns and
 *   each chunk's time range, byte offset and length.
 *
 * Deterministic: the same derived files give the same bytes.
 */
import {closeSync, createReadStream, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync} from "node:fs";
import {createHash} from "node:crypto";
import {once} from "node:events";
import {PassThrough} from "node:stream";
import {join} from "node:path";
import {readArrowColumns, writeArrow, type ColumnSpec, type TypedColumn} from "../arrow.ts";
import {hashModuleGraph} from "../fingerprint.ts";
import {readManifest} from "../market.ts";
import {writeSiteFile} from "../derived.ts";
import {compactIndex, type ChunkIndex, type DetailChunk, type DetailFile, type DetailIndex} from "../../lib/detail-index.js";
import {takerOrders} from "../../lib/analysis/ch02.js";

/** Length of a detail chunk, ms (one hour). */
export const CHUNK_MS = 3_600_000;
/** Most buckets per venue in `summary.arrow`. */
export const SUMMARY_BUCKETS = 1440;
/** Most points per venue in `overview.arrow`. */
export const OVERVIEW_POINTS = 8640;
/** Step of the derived overview series, ms. */
const OVERVIEW_BASE_MS = 10_000;

/** The files of the pages' data, written by {@link pageData}. */
export const PAGE_FILES = ["summary.arrow", "overview.arrow", "sample-signs.arrow", "detail-bins-1000ms.bin", "detail-flow-100ms.bin", "detail.json"] as const;
export type PageFile = (typeof PAGE_FILES)[number];

export type {ChunkIndex, DetailChunk, DetailFile, DetailIndex};

/** The bucket of `summary.arrow` for a span of `spanMs`: whole minutes, at most {@link SUMMARY_BUCKETS} buckets. */
export function summaryBucketMs(spanMs: number): number {
  return Math.max(1, Math.ceil(spanMs / SUMMARY_BUCKETS / 60_000)) * 60_000;
}

/** The step of `overview.arrow` for a span of `spanMs`: multiples of 10 s, at most {@link OVERVIEW_POINTS} points. */
export function overviewStepMs(spanMs: number): number {
  return Math.max(1, Math.ceil(spanMs / OVERVIEW_POINTS / OVERVIEW_BASE_MS)) * OVERVIEW_BASE_MS;
}

const SUMMARY_FIELDS = ["n_buy", "n_sell", "v_buy", "v_sell", "open", "high", "low", "close", "last"] as const;

/**
 * Per venue (rows venue-major) and bucket of `bucketMs` from `t0`: sums of n_buy, n_sell, v_buy,
 * v_sell; the first open, highest high, lowest low and last close of the non-empty bins (NaN when
 * the bucket has no trade); the carried last price of the bucket's last bin.
 */
export function summarise(bins: Record<string, TypedColumn>, venues: number, perVenue: number, widthMs: number, bucketMs: number, t0: number): {length: number; columns: Record<string, TypedColumn>} {
  if (bucketMs % widthMs !== 0) throw new RangeError(`invalid bucketMs: ${bucketMs} (not a multiple of ${widthMs})`);
  const per = bucketMs / widthMs;
  const nb = Math.ceil(perVenue / per);
  const n = venues * nb;
  const out = {
    venue: new Int8Array(n),
    t: new Float64Array(n),
    n_buy: new Int32Array(n),
    n_sell: new Int32Array(n),
    v_buy: new Float64Array(n),
    v_sell: new Float64Array(n),
    open: new Float64Array(n).fill(NaN),
    high: new Float64Array(n).fill(NaN),
    low: new Float64Array(n).fill(NaN),
    close: new Float64Array(n).fill(NaN),
    last: new Float64Array(n).fill(NaN)
  };
  const {n_buy, n_sell, v_buy, v_sell, open, high, low, close, last} = bins as Record<(typeof SUMMARY_FIELDS)[number], TypedColumn>;
  for (let v = 0; v < venues; ++v)
    for (let b = 0; b < nb; ++b) {
      const o = v * nb + b;
      out.venue[o] = v;
      out.t[o] = t0 + b * bucketMs;
      const from = v * perVenue + b * per;
      const to = v * perVenue + Math.min(perVenue, (b + 1) * per);
      for (let i = from; i < to; ++i) {
        out.n_buy[o] += n_buy[i];
        out.n_sell[o] += n_sell[i];
        out.v_buy[o] += v_buy[i];
        out.v_sell[o] += v_sell[i];
        if (close[i] === close[i]) {
          if (out.open[o] !== out.open[o]) out.open[o] = open[i];
          if (!(high[i] <= out.high[o])) out.high[o] = high[i];
          if (!(low[i] >= out.low[o])) out.low[o] = low[i];
          out.close[o] = close[i];
        }
      }
      out.last[o] = last[to - 1];
    }
  return {length: n, columns: out};
}

/**
 * Downsamples a venue-major series on steps of `baseMs` (`t`, `price`, `perVenue` rows per venue)
 * to steps of `k`·`baseMs`: row j starts at step j·k and carries the price of step (j + 1)·k − 1
 * (the last at or before the new step's end), or of the venue's last step.
 */
export function downsampleLast(t: Float64Array, price: Float64Array, venues: number, perVenue: number, k: number): {venue: Int8Array; t: Float64Array; price: Float64Array} {
  const m = Math.ceil(perVenue / k);
  const out = {venue: new Int8Array(venues * m), t: new Float64Array(venues * m), price: new Float64Array(venues * m)};
  for (let v = 0; v < venues; ++v)
    for (let j = 0; j < m; ++j) {
      const o = v * m + j;
      out.venue[o] = v;
      out.t[o] = t[v * perVenue + j * k];
      out.price[o] = price[v * perVenue + Math.min(perVenue, (j + 1) * k) - 1];
    }
  return out;
}

/** Appends one Arrow IPC stream of `columns` rows [from, to) (or of the given row lists) to `fd`; returns its byte range. */
function appendStream(fd: number, specs: readonly ColumnSpec[], columns: Record<string, TypedColumn>, parts: [number, number][], metadata: Record<string, string>): {offset: number; length: number} {
  const offset = fstatSync(fd).size;
  const length = parts.reduce((s, [a, b]) => s + (b - a), 0);
  const cut: Record<string, TypedColumn> = {};
  for (const s of specs) {
    const src = columns[s.name];
    const dst = new (src.constructor as new (n: number) => TypedColumn)(length);
    let o = 0;
    for (const [a, b] of parts) (dst.set(src.subarray(a, b) as never, o), (o += b - a));
    cut[s.name] = dst;
  }
  writeArrow(fd, specs, cut, length, {metadata});
  return {offset, length: fstatSync(fd).size - offset};
}

/** The type of an Arrow column as read back, for writing it again. */
function specOf(name: string, values: TypedColumn, dictionary?: string[]): ColumnSpec {
  if (dictionary) return {name, type: "dict", dictionary};
  const type = values instanceof Float64Array ? "Float64" : values instanceof Float32Array ? "Float32" : values instanceof Int32Array ? "Int32" : values instanceof Int16Array ? "Int16" : "Int8";
  return {name, type};
}

/**
 * A whole-span table on a grid: row i (of each series, venue-major) starts at the span's start +
 * i · `widthMs`. "wide": one block of `perSeries` rows; "venue-major": `series` blocks of
 * `perSeries` rows each, in the order of the span's venues.
 */
export interface GridTable {
  specs: readonly ColumnSpec[];
  columns: Record<string, TypedColumn>;
  widthMs: number;
  layout: "venue-major" | "wide";
  series: number;
  perSeries: number;
}

/**
 * Writes `table` of `span` to `file` as one Arrow IPC stream per chunk of {@link CHUNK_MS} (the
 * last may be shorter), back to back, and returns the file's description for its index. A wide
 * chunk carries its t0 and width in its schema metadata.
 */
export function writeChunks(file: string, table: GridTable, [t0, t1]: readonly [number, number]): DetailFile {
  const {specs, columns, widthMs: w, layout, series, perSeries} = table;
  if (CHUNK_MS % w !== 0) throw new RangeError(`invalid widthMs: ${w} (does not divide the chunk length ${CHUNK_MS})`);
  if (perSeries !== Math.ceil((t1 - t0) / w)) throw new RangeError(`${file}: ${perSeries} rows per series are not the ${Math.ceil((t1 - t0) / w)} bins of ${w} ms of the span`);
  const chunks: DetailChunk[] = [];
  const fd = openSync(file, "w");
  try {
    for (let a = t0; a < t1; a += CHUNK_MS) {
      const b = Math.min(t1, a + CHUNK_MS);
      const i0 = (a - t0) / w;
      const i1 = Math.min(perSeries, Math.ceil((b - t0) / w));
      const parts: [number, number][] = layout === "wide" ? [[i0, i1]] : Array.from({length: series}, (_, v) => [v * perSeries + i0, v * perSeries + i1]);
      chunks.push({t0: a, t1: b, ...appendStream(fd, specs, columns, parts, layout === "wide" ? {t0: String(a), width_ms: String(w)} : {})});
    }
  } finally {
    closeSync(fd);
  }
  return {widthMs: w, layout, columns: specs.map((s) => s.name), bytes: chunks.reduce((s, c) => s + c.length, 0), chunks};
}

/** One JSON value per chunk of {@link CHUNK_MS} of the span, in order: `chunk(t0, t1)` gives the value of [t0, t1). */
export interface JsonChunks {
  layout: "json";
  chunk: (t0: number, t1: number) => unknown;
}

/** Writes the JSON text of each chunk of `span` to `file`, back to back, and returns the file's description. */
export function writeJsonChunks(file: string, {chunk}: JsonChunks, [t0, t1]: readonly [number, number]): DetailFile {
  const chunks: DetailChunk[] = [];
  const fd = openSync(file, "w");
  let offset = 0;
  try {
    for (let a = t0; a < t1; a += CHUNK_MS) {
      const b = Math.min(t1, a + CHUNK_MS);
      const bytes = Buffer.from(JSON.stringify(chunk(a, b)), "utf8");
      writeSync(fd, bytes);
      chunks.push({t0: a, t1: b, offset, length: bytes.length});
      offset += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  return {widthMs: CHUNK_MS, layout: "json", columns: [], bytes: offset, chunks};
}

/** Writes the page files of the derived folder `dir` into `out` (see the module comment). */
export async function writePageData(dir: string, out: string): Promise<DetailIndex> {
  const manifest = readManifest(dir);
  const [t0, t1] = manifest.span;
  const spanMs = t1 - t0;
  const site = join(dir, "site");
  mkdirSync(out, {recursive: true});

  // 1 s bins: summary and hourly chunks.
  const bins = await readArrowColumns(join(site, "bins-1000ms.arrow"));
  const venues = bins.dictionaries.venue;
  if (!venues || venues.length === 0) throw new RangeError(`${join(site, "bins-1000ms.arrow")}: no venue dictionary`);
  const binW = 1000;
  const perVenue = bins.length / venues.length;
  if (!Number.isInteger(perVenue) || perVenue !== Math.ceil(spanMs / binW))
    throw new RangeError(`${join(site, "bins-1000ms.arrow")}: ${bins.length} rows are not ${venues.length} venues × ${Math.ceil(spanMs / binW)} bins of the span`);
  for (let v = 0; v < venues.length; ++v)
    if (bins.columns.venue[v * perVenue] !== v || bins.columns.venue[(v + 1) * perVenue - 1] !== v)
      throw new RangeError(`${join(site, "bins-1000ms.arrow")}: rows of ${venues[v]} are not rows ${v * perVenue}…${(v + 1) * perVenue - 1}`);
  const bucketMs = summaryBucketMs(spanMs);
  const summary = summarise(bins.columns, venues.length, perVenue, binW, bucketMs, t0);
  const summarySpecs: ColumnSpec[] = [
    {name: "venue", type: "dict", dictionary: venues},
    {name: "t", type: "Float64"},
    {name: "n_buy", type: "Int32"},
    {name: "n_sell", type: "Int32"},
    ...["v_buy", "v_sell", ...SUMMARY_FIELDS.slice(4)].map((name) => ({name, type: "Float64" as const}))
  ];
  writeArrow(join(out, "summary.arrow"), summarySpecs, summary.columns, summary.length, {metadata: {bucket_ms: String(bucketMs), t0: String(t0)}});

  const binSpecs = Object.keys(bins.columns).map((name) => specOf(name, bins.columns[name], bins.dictionaries[name]));
  const binFileInfo = writeChunks(join(out, "detail-bins-1000ms.bin"), {specs: binSpecs, columns: bins.columns, widthMs: binW, layout: "venue-major", series: venues.length, perSeries: perVenue}, [t0, t1]);

  // 100 ms flow: hourly chunks.
  const flow = await readArrowColumns(join(site, "flow-100ms.arrow"));
  const flowW = Number(flow.metadata.width_ms ?? 100);
  if (Number(flow.metadata.t0 ?? t0) !== t0) throw new RangeError(`${join(site, "flow-100ms.arrow")}: t0 ${flow.metadata.t0} is not the span's start ${t0}`);
  const flowSpecs = Object.keys(flow.columns).map((name) => specOf(name, flow.columns[name]));
  const flowFileInfo = writeChunks(join(out, "detail-flow-100ms.bin"), {specs: flowSpecs, columns: flow.columns, widthMs: flowW, layout: "wide", series: 1, perSeries: flow.length}, [t0, t1]);

  // Overview: the derived 10 s series, on a step that keeps the points per venue bounded.
  const ov = await readArrowColumns(join(site, "overview.arrow"));
  const ovPer = ov.length / venues.length;
  const stepMs = overviewStepMs(spanMs);
  const small = downsampleLast(ov.columns.t as Float64Array, ov.columns.price as Float64Array, venues.length, ovPer, stepMs / OVERVIEW_BASE_MS);
  writeArrow(
    join(out, "overview.arrow"),
    [{name: "venue", type: "dict", dictionary: ov.dictionaries.venue ?? venues}, {name: "t", type: "Float64"}, {name: "price", type: "Float64"}],
    small,
    small.t.length,
    {metadata: {step_ms: String(stepMs)}}
  );

  // Signs of the taker orders of the trades sample, venue by venue (each venue's rows in time order).
  const sample = await readArrowColumns(join(site, "trades-sample.arrow"), ["venue", "time", "side"]);
  const sv = sample.columns.venue as Int8Array;
  const orderVenue: number[] = [];
  const orderSide: number[] = [];
  for (const vi of [...new Set(sv)].sort((x, y) => x - y)) {
    const rows = sv.reduce<number[]>((acc, v, i) => (v === vi && acc.push(i), acc), []);
    const o = takerOrders(
      rows.map((i) => sample.columns.time[i]),
      rows.map((i) => sample.columns.side[i])
    );
    for (let i = 0; i < o.side.length; ++i) orderVenue.push(vi), orderSide.push(o.side[i]);
  }
  writeArrow(
    join(out, "sample-signs.arrow"),
    [{name: "venue", type: "dict", dictionary: sample.dictionaries.venue ?? venues}, {name: "side", type: "Int8"}],
    {venue: Int8Array.from(orderVenue), side: Int8Array.from(orderSide)},
    orderSide.length,
    {metadata: sample.metadata}
  );

  const index: DetailIndex = {
    span: [t0, t1],
    venues,
    chunkMs: CHUNK_MS,
    summaryBucketMs: bucketMs,
    overviewStepMs: stepMs,
    files: {"bins-1000ms": binFileInfo, "flow-100ms": flowFileInfo}
  };
  writeFileSync(join(out, "detail.json"), JSON.stringify(compactIndex(index)));
  return index;
}

/**
 * The folder of the page files of the derived folder `dir`, written on first use (into a
 * temporary folder renamed into place, so concurrent loaders never read a partial one). Keyed by
 * this module's code: the derived data's own key covers the rest.
 */
export async function pageData(dir: string): Promise<string> {
  const key = hashModuleGraph(["loaders/pages/detail.ts"]).slice(0, 16);
  const folder = join(dir, `pages-${key}`);
  if (existsSync(join(folder, "detail.json"))) return folder;
  const tmp = `${folder}.${process.pid}.tmp`;
  rmSync(tmp, {recursive: true, force: true});
  try {
    await writePageData(dir, tmp);
    if (!existsSync(join(folder, "detail.json"))) {
      rmSync(folder, {recursive: true, force: true});
      renameSync(tmp, folder);
    }
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
  return folder;
}

/**
 * A chapter's whole-span series as chunked files with their index, in the page folder of `dir`:
 * `<kind>.bin` for each table of `make()` (one Arrow IPC stream per hour, {@link writeChunks}) and
 * `<name>.json` (a {@link ChunkIndex} of the span, its venues and every kind's chunks), in a folder
 * named by `tag` (what the series depend on beyond the derived data: a venue, a chapter's result).
 * Written on first use, into a temporary folder renamed into place. Returns the folder.
 */
export async function chunkedSeries(dir: string, name: string, tag: string, make: () => Promise<{tables: Record<string, GridTable | JsonChunks>; metadata?: Record<string, string>}>): Promise<string> {
  const folder = join(await pageData(dir), `${name}-${createHash("sha256").update(tag).digest("hex").slice(0, 16)}`);
  if (existsSync(join(folder, `${name}.json`))) return folder;
  const tmp = `${folder}.${process.pid}.tmp`;
  rmSync(tmp, {recursive: true, force: true});
  mkdirSync(tmp, {recursive: true});
  try {
    const {span, venues} = readManifest(dir);
    const {tables, metadata} = await make();
    const files: Record<string, DetailFile> = {};
    for (const [kind, table] of Object.entries(tables)) files[kind] = table.layout === "json" ? writeJsonChunks(join(tmp, `${kind}.bin`), table, span) : writeChunks(join(tmp, `${kind}.bin`), table, span);
    const index: ChunkIndex = {span, venues, chunkMs: CHUNK_MS, files, ...(metadata ? {metadata} : {})};
    writeFileSync(join(tmp, `${name}.json`), JSON.stringify(compactIndex(index)));
    if (!existsSync(join(folder, `${name}.json`))) {
      rmSync(folder, {recursive: true, force: true});
      renameSync(tmp, folder);
    }
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
  return folder;
}

/**
 * What chapter 06's event coincidences read of the 1 s bins (`ch06-series`), in hour chunks with
 * index `ch06-series.json` (metadata: the reference venue): each venue's net signed trades per
 * second (column `<venue>`, Int16, n_buy − n_sell) and its trades per second (`<venue>_n`, Int16,
 * n_buy + n_sell: 0 tells a second without trades from a balanced one; a RangeError names a
 * second of more than 32,767 trades), and the reference venue's carried last price (`last`,
 * Float64). 24 bytes a second for four venues.
 */
export async function synthesisSeries(dir: string, reference: string): Promise<string> {
  return chunkedSeries(dir, "ch06-series", reference, async () => {
    const bins = await readArrowColumns(join(dir, "site", "bins-1000ms.arrow"), ["venue", "n_buy", "n_sell", "last"]);
    const venues = bins.dictionaries.venue ?? [];
    const r = venues.indexOf(reference);
    if (r < 0) throw new RangeError(`invalid venue: ${reference} (not in ${join(dir, "site", "bins-1000ms.arrow")})`);
    const per = bins.length / venues.length;
    const columns: Record<string, TypedColumn> = {};
    venues.forEach((v, k) => {
      const net = new Int16Array(per);
      const count = new Int16Array(per);
      for (let i = 0; i < per; ++i) {
        const n = bins.columns.n_buy[k * per + i] + bins.columns.n_sell[k * per + i];
        if (n > 32_767) throw new RangeError(`invalid 1 s bin: ${n} trades of ${v} in second ${i} (more than the Int16 column of ch06-series holds)`);
        net[i] = bins.columns.n_buy[k * per + i] - bins.columns.n_sell[k * per + i];
        count[i] = n;
      }
      columns[v] = net;
      columns[`${v}_n`] = count;
    });
    columns.last = (bins.columns.last as Float64Array).slice(r * per, (r + 1) * per);
    const specs: ColumnSpec[] = [...venues.flatMap((name) => [{name, type: "Int16" as const}, {name: `${name}_n`, type: "Int16" as const}]), {name: "last", type: "Float64"}];
    return {tables: {"ch06-series": {specs, columns, widthMs: 1000, layout: "wide", series: 1, perSeries: per}}, metadata: {reference}};
  });
}

/**
 * The derived `manifest.json` or `truth.json` of `dir` as the pages read them: the planted truth
 * without `bursts` (every planted informed burst: a list that grows with the span, about 29 kB a
 * simulated day, that no page reads; the derived files keep it), with `burstCount` in its place.
 * Written to `out` (stdout by default) through `writeSiteFile`, which also reports the quality.
 */
export async function writePageSiteFile(dir: string, name: "manifest.json" | "truth.json", out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const parts: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (b: Buffer) => parts.push(b));
  await writeSiteFile(name, dir, sink);
  const value = JSON.parse(Buffer.concat(parts).toString("utf8"));
  const strip = (truth: {bursts?: unknown[]} | null) => {
    if (!truth || !Array.isArray(truth.bursts)) return truth;
    const {bursts, ...rest} = truth;
    return {...rest, burstCount: bursts.length};
  };
  const page = name === "truth.json" ? strip(value) : {...value, truth: strip(value.truth ?? null)};
  if (!out.write(JSON.stringify(page))) await once(out, "drain");
}

/** Streams `file` to `out` (stdout by default): the body of a page file's loader in `src/data/`. */
export async function streamFile(file: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20}))
    if (!out.write(chunk)) await once(out, "drain");
}

/** Streams page file `name` of the derived folder `dir` to `out` (stdout by default): the body of its loader in `src/data/`. */
export async function writePageFile(dir: string, name: PageFile, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (!PAGE_FILES.includes(name)) throw new RangeError(`invalid page file: ${name}`);
  await streamFile(join(await pageData(dir), name), out);
}
