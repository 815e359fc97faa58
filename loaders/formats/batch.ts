/**
 * Building `TradeBatch`es row by row while a reader streams a file, and the options every
 * reader shares (a time span to keep, statistics to fill).
 */
import type {Venue} from "../config.ts";
import {allocBatch, InputError, quarantine, type Quarantine, type TradeBatch, type TradeColumns} from "../trades.ts";
import {LineSplitter, LineTooLongError, MAX_LINE_BYTES, text, type FastLine} from "./bytes.ts";

/** Rows per batch handed downstream. */
export const BATCH_ROWS = 65536;

/** What a reader counts while it streams a file. */
export interface ReadStats {
  /** Data rows (or trade records) seen, header excluded. */
  rows: number;
  /** Rows yielded in batches. */
  kept: number;
  /** Rows outside `span` dropped by the `skip` policy (expected, e.g. OKX's neighbouring UTC day). */
  skipped: number;
  /** Rows counted into the quarantine. */
  quarantined: number;
  /** Rows read by the reader's single-pass fast path (the others by its general path). */
  fast: number;
}

export function newReadStats(): ReadStats {
  return {rows: 0, kept: 0, skipped: 0, quarantined: 0, fast: 0};
}

/** Options every reader accepts. */
export interface ReadOptions {
  /** Keep only trades with `span[0] <= time < span[1]` (epoch ms). */
  span?: [number, number];
  /**
   * What happens to a row outside `span`: `quarantine` (default; reason `outside span`) when
   * such rows indicate a problem, `skip` when they are expected (OKX files cut at UTC+8
   * midnight hold rows of two UTC days), counted in `stats.skipped`.
   */
  outside?: "skip" | "quarantine";
  /** Filled with counts while the file is read. */
  stats?: ReadStats;
  /** Rows per yielded batch (default {@link BATCH_ROWS}). */
  batchRows?: number;
  /**
   * Whether plain rows may take the reader's single-pass fast path (default true). False sends
   * every row through the general path: the same trades and quarantine, more slowly (for
   * differential tests and benchmarks).
   */
  fastPath?: boolean;
  /**
   * Whether a yielded batch's arrays may be reused for a later batch once the next one is
   * requested (default false). For consumers that copy what they need from a batch before
   * asking for more, as the cleaner does: the reader then allocates a few batches, not one per
   * 65,536 rows.
   */
  reuseBatches?: boolean;
  /**
   * The file's decompressed bytes, when the caller has them already (block-parallel reading,
   * see `parallel.ts`); by default the reader opens `path`. `path` still names the file in
   * messages and quarantine rows.
   */
  chunks?: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /**
   * Lines at the start of `chunks` that replay the head of the file for the reader's state
   * (header, time unit, symbol) ahead of a block from its middle: they are parsed as usual, but
   * their rows are neither counted nor kept nor quarantined (see `parallel.ts`). Default 0.
   */
  prefixLines?: number;
  /**
   * A store of spare batches of `batchRows` rows, drawn from before allocating and (with
   * `reuseBatches`) refilled by recycled ones, for a caller that reads many inputs in turn.
   */
  spareBatches?: TradeBatch[];
  /** Filled while the file is read: where the reader is (see {@link ReadPosition}). */
  position?: ReadPosition;
}

/** Where a reader is in its input. */
export interface ReadPosition {
  /** Lines read, header, blank lines and replayed prefix lines included (set at the end of the input). */
  lines: number;
  /**
   * Line of the first row that passed the reader's checks (kept, or outside the span); 0 while
   * there is none. A reader's per-file state (header, time unit, symbol or instrument) is
   * settled by then: every later row is read the same whatever follows that line.
   */
  firstAccepted: number;
}

export function newReadPosition(): ReadPosition {
  return {lines: 0, firstAccepted: 0};
}

/**
 * Accumulates accepted rows into batches of a fixed capacity and queues the full ones; a reader
 * pushes rows while parsing a chunk and then yields `drain()`, so memory stays bounded by
 * the chunk size plus one batch. Applies the span policy and keeps the statistics.
 */
export class BatchBuilder {
  private batch: TradeBatch;
  private ready: TradeBatch[] = [];
  private readonly rows: number;
  private readonly t0: number;
  private readonly t1: number;
  private readonly skipOutside: boolean;
  readonly stats: ReadStats;
  /** See {@link ReadOptions.fastPath}. */
  readonly fastPath: boolean;
  private readonly reuse: boolean;
  /** Full-size batches handed back by {@link recycle} (or the caller's `spareBatches`), ready for reuse. */
  private readonly spare: TradeBatch[];
  /** See {@link ReadOptions.prefixLines}. */
  readonly prefixLines: number;
  readonly position: ReadPosition;

  constructor(public venue: Venue, readonly file: string, readonly q: Quarantine, options: ReadOptions = {}) {
    this.rows = options.batchRows ?? BATCH_ROWS;
    if (!(this.rows >= 1)) throw new RangeError(`invalid batchRows: ${options.batchRows}`);
    this.t0 = options.span ? options.span[0] : -Infinity;
    this.t1 = options.span ? options.span[1] : Infinity;
    this.skipOutside = options.outside === "skip";
    this.stats = options.stats ?? newReadStats();
    this.fastPath = options.fastPath ?? true;
    this.reuse = options.reuseBatches ?? false;
    this.spare = options.spareBatches ?? [];
    this.prefixLines = options.prefixLines ?? 0;
    if (!(Number.isInteger(this.prefixLines) && this.prefixLines >= 0)) throw new RangeError(`invalid prefixLines: ${options.prefixLines}`);
    this.position = options.position ?? newReadPosition();
    this.batch = this.alloc();
  }

  private alloc(): TradeBatch {
    const b = this.spare.pop();
    if (b && b.time.length === this.rows) {
      b.venue = this.venue;
      b.length = 0;
      return b;
    }
    return allocBatch(this.venue, this.rows);
  }

  /** Changes the venue tag of the batches (readers that learn the venue from the file's first row); only before any row is kept. */
  retag(venue: Venue): void {
    if (this.stats.kept > 0 && venue !== this.venue) throw new RangeError(`cannot retag a ${this.venue} batch as ${venue} after rows were kept`);
    this.venue = venue;
    this.batch.venue = venue;
  }

  /** Counts a data row seen (call once per row, before `push` or `reject`). */
  row(): void {
    ++this.stats.rows;
  }

  /** Sets a row aside with a reason (a row of the replayed prefix is forgotten, and uncounted). `text` is the row's text (for the first examples). */
  reject(line: number, reason: string, text: string): void {
    if (line <= this.prefixLines) return void --this.stats.rows;
    ++this.stats.quarantined;
    quarantine(this.q, this.file, line, reason, text);
  }

  /**
   * Adds a valid trade, unless it falls outside the span (then skipped or quarantined per the
   * policy; `line` and the row's bytes `buf[start, end)` serve the quarantine). Returns whether it was kept.
   * A row of the replayed prefix ({@link ReadOptions.prefixLines}) is forgotten, and uncounted.
   */
  push(time: number, price: number, qty: number, side: number, id: number, line: number, buf: Uint8Array, start: number, end: number): boolean {
    if (this.position.firstAccepted === 0) this.position.firstAccepted = line;
    if (line <= this.prefixLines) {
      --this.stats.rows;
      return false;
    }
    if (!(time >= this.t0 && time < this.t1)) {
      if (this.skipOutside) ++this.stats.skipped;
      else this.reject(line, "outside span", text(buf, start, end));
      return false;
    }
    const b = this.batch;
    const i = b.length++;
    b.time[i] = time;
    b.price[i] = price;
    b.qty[i] = qty;
    b.side[i] = side;
    b.id[i] = id;
    ++this.stats.kept;
    if (b.length === this.rows) {
      this.ready.push(b);
      this.batch = this.alloc();
    }
    return true;
  }

  /**
   * Adds rows `[0, n)` of columns another reader already checked (block-parallel reading puts
   * the blocks' rows back into batches of this builder's size): no span test, copied in bulk.
   */
  append(c: TradeColumns, n = c.length): void {
    for (let i = 0; i < n; ) {
      const b = this.batch;
      const k = Math.min(n - i, this.rows - b.length);
      b.time.set(c.time.subarray(i, i + k), b.length);
      b.price.set(c.price.subarray(i, i + k), b.length);
      b.qty.set(c.qty.subarray(i, i + k), b.length);
      b.side.set(c.side.subarray(i, i + k), b.length);
      b.id.set(c.id.subarray(i, i + k), b.length);
      b.length += k;
      this.stats.kept += k;
      i += k;
      if (b.length === this.rows) {
        this.ready.push(b);
        this.batch = this.alloc();
      }
    }
  }

  /** Hands back a batch yielded earlier whose rows the consumer no longer needs (kept only with `reuseBatches`). */
  recycle(batch: TradeBatch): void {
    if (this.reuse && batch.time.length === this.rows && this.spare.length < 4) this.spare.push(batch);
  }

  /** Full batches since the last call. */
  drain(): TradeBatch[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  /** Full batches plus the last partial one (trimmed views), at the end of the file. */
  finish(): TradeBatch[] {
    const r = this.drain();
    const b = this.batch;
    if (b.length > 0) {
      const n = b.length;
      r.push({venue: b.venue, length: n, time: b.time.subarray(0, n), price: b.price.subarray(0, n), qty: b.qty.subarray(0, n), side: b.side.subarray(0, n), id: b.id.subarray(0, n)});
      this.batch = this.alloc();
    }
    return r;
  }
}

/** The UTC day `YYYY-MM-DD` as the span [00:00, 24:00) in epoch ms; RangeError on a malformed day. */
export function utcDaySpan(day: string): [number, number] {
  const t = dayStart(day);
  return [t, t + 86_400_000];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch ms of 00:00 UTC of `day`; RangeError unless it is a real `YYYY-MM-DD` date. */
export function dayStart(day: string): number {
  const t = DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== day) throw new RangeError(`invalid day: ${JSON.stringify(day)}`);
  return t;
}

/** The UTC day `YYYY-MM-DD` containing epoch ms `t`. */
export function utcDay(t: number): string {
  return new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
}

/** The day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  return utcDay(dayStart(day) + 86_400_000);
}

/** A {@link LineTooLongError} as an `InputError` naming `file` and the line; other errors unchanged. */
export function lineError(file: string, error: unknown): unknown {
  if (!(error instanceof LineTooLongError)) return error;
  return new InputError(file, error.line, `line longer than ${error.limit.toLocaleString("en-US")} bytes (the readers' maximum line length): a damaged or wrong file`);
}

/**
 * Drives a line-oriented reader: splits `chunks` into lines, calls `onLine` for each (which
 * validates and pushes rows into `builder`), and yields the batches as they fill, then the last.
 * Blank lines are ignored. A `fast` handler (see {@link FastLine}) gets the first try at every
 * line and must give the same result as `onLine` for the lines it accepts. Returns the number
 * of lines seen. A line longer than `maxLine` (default `MAX_LINE_BYTES`, bytes.ts) throws
 * `InputError` naming the file and line, before more of it is buffered.
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  builder: BatchBuilder,
  onLine: (buf: Uint8Array, start: number, end: number, line: number) => void,
  fast?: FastLine,
  maxLine = MAX_LINE_BYTES
): AsyncGenerator<TradeBatch, number> {
  const splitter = new LineSplitter(maxLine);
  const visit = (buf: Uint8Array, start: number, end: number, line: number) => {
    if (end > start) onLine(buf, start, end, line);
  };
  const stats = builder.stats;
  // Replayed prefix lines go by the general path, so that `stats.fast` counts the block's rows only.
  const skip = builder.prefixLines;
  const handler = !builder.fastPath || fast === undefined ? undefined : skip === 0 ? fast : (buf: Uint8Array, p: number, limit: number, line: number) => (line <= skip ? -1 : fast(buf, p, limit, line));
  for await (const c of chunks) {
    const before = splitter.fastLines;
    try {
      splitter.push(c, visit, handler);
    } catch (error) {
      throw lineError(builder.file, error);
    }
    stats.fast += splitter.fastLines - before;
    for (const b of builder.drain()) {
      yield b;
      builder.recycle(b);
    }
  }
  try {
    splitter.end(visit);
  } catch (error) {
    throw lineError(builder.file, error);
  }
  builder.position.lines = splitter.line;
  for (const b of builder.finish()) yield b;
  return splitter.line;
}
