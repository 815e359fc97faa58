/**
 * The index of the pages' chunked files: a whole-span table (the 1 s bins, the 100 ms flow, a
 * chapter's per-window or per-second series) cut into one Arrow IPC stream per hour, back to back
 * in one file, so that a page fetches the hours a reader selects by HTTP byte range. `detail.json`
 * indexes the bins and the flow; a chapter's series have an index of their own (`<name>.json`
 * beside `<name>.bin`). Written by loaders/pages/detail.ts, read by src/detail.ts.
 *
 * The JSON file holds each file's chunk lengths only ({@link compactIndex}): the chunks are the
 * hours of the span, so their times and byte offsets follow from the span, `chunkMs` and the
 * lengths ({@link expandIndex}), and an index grows by a few bytes per hour of span, not by a
 * whole chunk description.
 */

/** One chunk of a detail file: rows of [t0, t1), at bytes [offset, offset + length) of the file. */
export interface DetailChunk {
  t0: number;
  t1: number;
  offset: number;
  length: number;
}

/** A detail file's description in its index. */
export interface DetailFile {
  /** Bin width, ms: row i of a chunk (of each venue, venue-major) starts at the chunk's t0 + i · widthMs. */
  widthMs: number;
  /**
   * "venue-major": each chunk holds every venue's rows of the chunk in turn (with a `venue` column);
   * "wide": one row per bin; "json": each chunk is UTF-8 JSON text (what it holds is the writer's;
   * `widthMs` and `columns` do not apply).
   */
  layout: "venue-major" | "wide" | "json";
  columns: string[];
  /** Size of the file, bytes. */
  bytes: number;
  chunks: DetailChunk[];
}

/** The index of one or more chunked files over a span. */
export interface ChunkIndex<Files extends Record<string, DetailFile> = Record<string, DetailFile>> {
  span: [number, number];
  venues: string[];
  /** Length of a chunk, ms. */
  chunkMs: number;
  files: Files;
  /** What else the writer states of the series (the chapter's choice, its reference venue…). */
  metadata?: Record<string, string>;
}

/** `detail.json`. */
export interface DetailIndex extends ChunkIndex<{"bins-1000ms": DetailFile; "flow-100ms": DetailFile}> {
  /** Bucket of `summary.arrow`, ms. */
  summaryBucketMs: number;
  /** Step of `overview.arrow`, ms. */
  overviewStepMs: number;
}

/** A detail file's description as the index's JSON holds it: the chunks' byte lengths, in time order. */
export type DetailFileJSON = Omit<DetailFile, "chunks"> & {lengths: number[]};

/** A chunk index as its JSON file holds it ({@link compactIndex}). */
export type ChunkIndexJSON<I extends ChunkIndex = ChunkIndex> = Omit<I, "files"> & {files: {[K in keyof I["files"]]: DetailFileJSON}};

/** The chunks of the span [t0, t1) cut every `chunkMs` (the last may be shorter), of the given byte lengths, back to back from offset 0. */
function regularChunks([t0, t1]: readonly [number, number], chunkMs: number, lengths: readonly number[]): DetailChunk[] {
  const out: DetailChunk[] = [];
  let offset = 0;
  for (let k = 0, a = t0; a < t1; ++k, a += chunkMs) {
    const length = lengths[k];
    out.push({t0: a, t1: Math.min(t1, a + chunkMs), offset, length});
    offset += length;
  }
  return out;
}

/**
 * The JSON form of `index`: each file's chunks as their lengths. RangeError naming the file when
 * its chunks are not the span's consecutive `chunkMs` pieces laid back to back (which is what the
 * lengths alone describe).
 */
export function compactIndex<I extends ChunkIndex>(index: I): ChunkIndexJSON<I> {
  const files: Record<string, DetailFileJSON> = {};
  for (const [kind, {chunks, ...file}] of Object.entries(index.files)) {
    const lengths = chunks.map((c) => c.length);
    const regular = regularChunks(index.span, index.chunkMs, lengths);
    if (regular.length !== chunks.length || regular.some((c, k) => c.t0 !== chunks[k].t0 || c.t1 !== chunks[k].t1 || c.offset !== chunks[k].offset)) {
      throw new RangeError(`invalid index: the chunks of ${kind} are not the span's ${index.chunkMs} ms pieces back to back`);
    }
    files[kind] = {...file, lengths};
  }
  return {...index, files} as unknown as ChunkIndexJSON<I>;
}

/**
 * The index of {@link compactIndex}'s JSON, with every file's chunks (times and offsets) back.
 * RangeError naming the file when its lengths are not one per chunk of the span, or do not add
 * up to its size.
 */
export function expandIndex<I extends ChunkIndex>(json: ChunkIndexJSON<I>): I {
  const files: Record<string, DetailFile> = {};
  const count = Math.ceil((json.span[1] - json.span[0]) / json.chunkMs);
  for (const [kind, {lengths, ...file}] of Object.entries(json.files as Record<string, DetailFileJSON>)) {
    if (!Array.isArray(lengths) || lengths.length !== count) throw new RangeError(`invalid index: ${kind} has ${Array.isArray(lengths) ? lengths.length : "no"} chunk lengths for the span's ${count} chunks`);
    const total = lengths.reduce((s, n) => s + n, 0);
    if (total !== file.bytes) throw new RangeError(`invalid index: the chunks of ${kind} add up to ${total} bytes, the file has ${file.bytes}`);
    files[kind] = {...file, chunks: regularChunks(json.span, json.chunkMs, lengths)};
  }
  return {...json, files} as unknown as I;
}
