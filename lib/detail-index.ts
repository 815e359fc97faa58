/**
 * The index of the pages' chunked files: a whole-span table (the 1 s bins, the 100 ms flow, a
 * chapter's per-window or per-second series) cut into one Arrow IPC stream per hour, back to back
 * in one file, so that a page fetches the hours a reader selects by HTTP byte range. `detail.json`
 * indexes the bins and the flow; a chapter's series have an index of their own (`<name>.json`
 * beside `<name>.bin`). Written by loaders/pages/detail.ts, read by src/detail.ts. Types only.
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
