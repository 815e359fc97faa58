/**
 * The index of the pages' detail files (`detail.json`): the 1 s bins and the 100 ms flow cut into
 * one Arrow IPC stream per hour, back to back in one file each, so that a page fetches the hours
 * a reader selects by HTTP byte range. Written by loaders/pages/detail.ts, read by src/detail.ts.
 * Types only.
 */

/** One chunk of a detail file: rows of [t0, t1), at bytes [offset, offset + length) of the file. */
export interface DetailChunk {
  t0: number;
  t1: number;
  offset: number;
  length: number;
}

/** A detail file's description in `detail.json`. */
export interface DetailFile {
  /** Bin width, ms. */
  widthMs: number;
  /** "venue-major": each chunk holds every venue's rows of the chunk in turn (with a `venue` column); "wide": one row per bin. */
  layout: "venue-major" | "wide";
  columns: string[];
  /** Size of the file, bytes. */
  bytes: number;
  chunks: DetailChunk[];
}

/** `detail.json`. */
export interface DetailIndex {
  span: [number, number];
  venues: string[];
  chunkMs: number;
  /** Bucket of `summary.arrow`, ms. */
  summaryBucketMs: number;
  /** Step of `overview.arrow`, ms. */
  overviewStepMs: number;
  files: {"bins-1000ms": DetailFile; "flow-100ms": DetailFile};
}
