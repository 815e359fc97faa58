/**
 * Detail on demand: the 1 s bins and the 100 ms flow of the hours a reader selects, fetched by
 * HTTP range requests from the chunked detail files (`data/detail-*.bin`, one Arrow IPC stream
 * per hour; index `data/detail.json`, written by loaders/pages/detail.ts), and in the same way a
 * chapter's whole-span series (`data/ch04-observables.bin`, `data/ch06-series.bin`, …; each with
 * its own index). A page's first load fetches only the hours of its default range, so its weight
 * does not grow with the span.
 *
 * The table returned has the layout of the whole-span file it replaces: `bins-1000ms` long and
 * venue-major (every venue's rows of the range in turn), `flow-100ms` one row per 100 ms bin;
 * its first row is at the range's start (`t0`). No DOM here: progress goes to `onState`.
 */
import {tableFromArrays, tableFromIPC, tableToIPC, type Table} from "apache-arrow";
import {expandIndex, type ChunkIndex, type ChunkIndexJSON, type DetailChunk, type DetailFile, type DetailIndex} from "./lib/detail-index.js";

export type {ChunkIndex, ChunkIndexJSON, DetailChunk, DetailFile, DetailIndex};
export {expandIndex};

/** A file of an index: "bins-1000ms", "flow-100ms" of `detail.json`, or a chapter series ("ch06-series", …). */
export type DetailKind = string;

/** What a load is doing, for a visible loading state. */
export interface DetailState {
  phase: "loading" | "ready" | "error";
  kind: DetailKind;
  range: [number, number];
  /** Bytes fetched for this load (0 when every chunk was already cached). */
  bytes: number;
  error?: string;
}

/** A range of detail: the rows of [t0, t1), in the layout of the whole-span file. */
export interface Detail {
  table: Table;
  t0: number;
  t1: number;
  widthMs: number;
  /** Rows per venue (venue-major) or rows (wide). */
  rowsPerSeries: number;
}

/** `range` clamped to the span and aligned outwards to the file's bin width. */
export function clampRange(index: ChunkIndex, kind: DetailKind, range: readonly [number, number]): [number, number] {
  const {widthMs} = index.files[kind];
  const [s0, s1] = index.span;
  const a = Math.max(s0, Math.min(s1, range[0]));
  const b = Math.max(a, Math.min(s1, range[1]));
  return [s0 + Math.floor((a - s0) / widthMs) * widthMs, Math.min(s1, s0 + Math.ceil((b - s0) / widthMs) * widthMs)];
}

/** Indices [first, last] of the chunks of `kind` overlapping [a, b) (last < first when none). */
export function chunksFor(index: ChunkIndex, kind: DetailKind, [a, b]: readonly [number, number]): [number, number] {
  const chunks = index.files[kind].chunks;
  let first = chunks.findIndex((c) => c.t1 > a);
  if (first < 0) first = chunks.length;
  let last = first - 1;
  while (last + 1 < chunks.length && chunks[last + 1].t0 < b) ++last;
  return [first, last];
}

/** Decoded chunks, per file URL and chunk index: a range chosen again is not fetched again. */
const cache = new Map<string, unknown>();

/** Fetches the bytes [start, end) of `url` (a range request; a server that ignores it sends the whole file, which is cut). */
async function fetchRange(url: string, start: number, end: number): Promise<Uint8Array> {
  const response = await fetch(url, {headers: {Range: `bytes=${start}-${end - 1}`}});
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status === 206) {
    if (bytes.length !== end - start) throw new Error(`${url}: asked for bytes ${start}–${end - 1}, received ${bytes.length}`);
    return bytes;
  }
  return bytes.subarray(start, end);
}

/** A chunk's bytes decoded by its file's layout: an Arrow table, or the JSON value. */
const decodeChunk = (file: DetailFile, bytes: Uint8Array): unknown => (file.layout === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : tableFromIPC(bytes));

/**
 * The decoded chunks [first, last] of `kind` of the file at `url`: those not yet cached are
 * fetched, one range request per run of consecutive chunks, with `onState` told before (bytes
 * to fetch) and after.
 */
async function chunksOf(url: string, index: ChunkIndex, kind: DetailKind, [a, b]: [number, number], onState: (s: DetailState) => void): Promise<{values: unknown[]; first: number; last: number; state: DetailState}> {
  const file = index.files[kind];
  if (!file) throw new RangeError(`invalid kind: ${kind} (the index has ${Object.keys(index.files).join(", ")})`);
  const [first, last] = chunksFor(index, kind, [a, b]);
  const state: DetailState = {phase: "loading", kind, range: [a, b], bytes: 0};
  const key = (i: number) => `${url}#${i}`;
  const missing: number[] = [];
  for (let i = first; i <= last; ++i) if (!cache.has(key(i))) missing.push(i);
  state.bytes = missing.reduce((s, i) => s + file.chunks[i].length, 0);
  onState({...state});
  try {
    for (let k = 0; k < missing.length; ) {
      let j = k;
      while (j + 1 < missing.length && missing[j + 1] === missing[j] + 1) ++j;
      const c0 = file.chunks[missing[k]];
      const c1 = file.chunks[missing[j]];
      const bytes = await fetchRange(url, c0.offset, c1.offset + c1.length);
      for (let i = missing[k]; i <= missing[j]; ++i) {
        const c = file.chunks[i];
        cache.set(key(i), decodeChunk(file, bytes.subarray(c.offset - c0.offset, c.offset - c0.offset + c.length)));
      }
      k = j + 1;
    }
  } catch (error) {
    onState({...state, phase: "error", error: String((error as Error)?.message ?? error)});
    throw error;
  }
  const values: unknown[] = [];
  for (let i = first; i <= last; ++i) values.push(cache.get(key(i)));
  return {values, first, last, state};
}

/**
 * The detail `kind` of [range[0], range[1]) from the chunked file at `url` (a FileAttachment
 * href) described by `index`. Contiguous chunks not yet cached are fetched in one range request.
 */
export async function loadDetail(url: string, index: ChunkIndex, kind: DetailKind, range: readonly [number, number], onState: (s: DetailState) => void = () => {}): Promise<Detail> {
  const file = index.files[kind];
  if (!file) throw new RangeError(`invalid kind: ${kind} (the index has ${Object.keys(index.files).join(", ")})`);
  if (file.layout === "json") throw new RangeError(`invalid kind: ${kind} (JSON chunks: use loadChunks)`);
  const [a, b] = clampRange(index, kind, range);
  const {values, first, state} = await chunksOf(url, index, kind, [a, b], onState);
  try {
    const w = file.widthMs;
    // The span's last bin may be partial (a span that is not a whole number of bins): ceil, as the files do.
    const rows = Math.ceil((b - a) / w - 1e-9);
    const pieces: Table[] = [];
    const series = file.layout === "venue-major" ? index.venues.length : 1;
    for (let v = 0; v < series; ++v)
      values.forEach((value, k) => {
        const c = file.chunks[first + k];
        const t = value as Table;
        const per = t.numRows / series;
        const from = Math.max(0, Math.round((a - c.t0) / w));
        const to = Math.min(per, Math.ceil((b - c.t0) / w - 1e-9));
        if (to > from) pieces.push(t.slice(v * per + from, v * per + to));
      });
    if (pieces.length === 0) throw new Error(`${kind}: no rows in the range`);
    const table = pieces[0].concat(...pieces.slice(1));
    if (table.numRows !== rows * series) throw new Error(`${kind}: ${table.numRows} rows for ${series} × ${rows} bins of the range`);
    onState({...state, phase: "ready"});
    return {table, t0: a, t1: b, widthMs: w, rowsPerSeries: rows};
  } catch (error) {
    onState({...state, phase: "error", error: String((error as Error)?.message ?? error)});
    throw error;
  }
}

/** The JSON chunks of `kind` (layout "json") overlapping [range[0], range[1]), in time order, from the file at `url`. */
export async function loadChunks<T = unknown>(url: string, index: ChunkIndex, kind: DetailKind, range: readonly [number, number], onState: (s: DetailState) => void = () => {}): Promise<T[]> {
  const file = index.files[kind];
  if (file?.layout !== "json") throw new RangeError(`invalid kind: ${kind} (not a file of JSON chunks)`);
  const [s0, s1] = index.span;
  const a = Math.max(s0, Math.min(s1, range[0]));
  const b = Math.max(a, Math.min(s1, range[1]));
  const {values, state} = await chunksOf(url, index, kind, [a, b], onState);
  onState({...state, phase: "ready"});
  return values as T[];
}

/**
 * A detail range as one self-contained Arrow IPC stream (the venue column with a single
 * dictionary; the decoded chunks each carry their own), for engines such as DuckDB-wasm.
 */
export function detailIPC(detail: Detail, index: ChunkIndex, kind: DetailKind): Uint8Array {
  const file = index.files[kind];
  const columns: Record<string, unknown> = {};
  for (const name of file.columns) {
    if (name === "venue" && file.layout === "venue-major") columns.venue = Array.from({length: detail.table.numRows}, (_, i) => index.venues[Math.floor(i / detail.rowsPerSeries)]);
    else columns[name] = detail.table.getChild(name)!.toArray();
  }
  return tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]) as Table, "stream");
}

/**
 * The chunk-aligned range of at most `hours` hours that ends where `period` ends (its last hours),
 * within the span: the default detail of a page that studies a period.
 */
export function periodRange(index: ChunkIndex, period: {start: number; end: number}, hours: number): [number, number] {
  const [s0, s1] = index.span;
  const c = index.chunkMs;
  const last = Math.max(1, Math.ceil((Math.min(s1, period.end) - s0) / c));
  const first = Math.max(0, Math.floor((Math.max(s0, period.start) - s0) / c), last - hours);
  return [s0 + Math.min(first, last - 1) * c, Math.min(s1, s0 + last * c)];
}

/** The overlap of `period` with the loaded detail (start ≥ end when they do not overlap). */
export function withinDetail(detail: Pick<Detail, "t0" | "t1">, period: {start: number; end: number}): {start: number; end: number} {
  return {start: Math.max(period.start, detail.t0), end: Math.min(period.end, detail.t1)};
}

/** A column of a loaded detail as numbers (Int16, Int32 or Float64 as stored). */
export function detailColumn(detail: Detail, name: string): ArrayLike<number> {
  const column = detail.table.getChild(name);
  if (!column) throw new RangeError(`invalid column: ${name} (not in the detail)`);
  return column.toArray() as ArrayLike<number>;
}

/**
 * The range a page opens on: the whole span when it is at most `hours` long, else the
 * chunk-aligned `hours` that hold the time `around` near their middle (the span's start when
 * `around` is null). Its size, and so a page's first load, does not grow with the span.
 */
export function defaultRange(index: ChunkIndex, around: number | null, hours = 24): [number, number] {
  const [s0, s1] = index.span;
  const c = index.chunkMs;
  const n = Math.ceil((s1 - s0) / c);
  if (n <= hours) return [s0, s1];
  const centre = around === null ? s0 : Math.max(s0, Math.min(s1, around));
  const first = Math.max(0, Math.min(n - hours, Math.round((centre - s0) / c - hours / 2)));
  return [s0 + first * c, Math.min(s1, s0 + (first + hours) * c)];
}

/** The lengths a range picker offers over `index`'s span, in chunks: 1, 2, 3, 6, 12 and 24 hours and the whole span, those no longer than it. */
export function rangeLengths(index: ChunkIndex): number[] {
  const n = Math.ceil((index.span[1] - index.span[0]) / index.chunkMs);
  return [...new Set([1, 2, 3, 6, 12, 24, n])].filter((k) => k <= n).sort((a, b) => a - b);
}
