/**
 * Reading one archive file on several threads: the same batches, statistics and quarantine as
 * the venue's reader on one thread, in less wall time.
 *
 * This thread decompresses the file (a zip's CSV entry, CRC-32 checked; a gzip) and cuts its
 * bytes into blocks of about `blockBytes` that end at a line break ({@link lineBlocks}). It reads
 * the first block itself, with the venue's reader: that settles the file's state — its header,
 * time unit, symbol or instrument — by the first row that passes the reader's checks (line L,
 * {@link ReadPosition.firstAccepted}). Every later block goes to a worker of a {@link TaskPool},
 * which reads the file's first L lines (the *prefix*) followed by the block with the same
 * reader: the prefix puts the reader in the state it would have reached on one thread, and its
 * rows are then forgotten (`ReadOptions.prefixLines`). Results come back in file order; their
 * rows are put back into batches of the reader's size, their quarantine rows get the file's
 * line numbers, and their counts are added. When the first block holds no accepted row at all
 * (nothing settled yet), the whole file is read on this thread instead.
 *
 * Readers that qualify keep no state that changes after their first accepted row: the four
 * archive formats of `FORMATS` (their tests compare both ways of reading on damaged files).
 * Memory is bounded by the blocks in flight: at most two per worker.
 */
import type {Venue} from "../config.ts";
import {serveTask, TaskPool} from "../task-pool.ts";
import {allocBatch, newQuarantine, type Quarantine, type TradeBatch, type TradeColumns} from "../trades.ts";
import {BatchBuilder, newReadPosition, newReadStats, type ReadOptions, type ReadStats} from "./batch.ts";
import {InputError} from "../trades.ts";
import {LF, MAX_LINE_BYTES} from "./bytes.ts";
import {archiveFormat, readArchive} from "./index.ts";

/** Default block size, bytes of decompressed text. */
export const BLOCK_BYTES = 4 << 20;

const READ_BLOCK = "read-block";

/**
 * The bytes of `chunks` regrouped into blocks that end just after the first `\n` at or past
 * `size` bytes (a block is longer than `size` by the rest of its last line); the last block
 * holds the rest and may not end with one. Each block has a buffer of its own, which may be
 * transferred; the chunks are only read. A block that runs `maxLine` bytes past `size` without a
 * line break throws `InputError` naming `file` and the byte where the block starts, before more
 * of the line is buffered.
 */
export async function* lineBlocks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  size: number,
  {maxLine = MAX_LINE_BYTES, file = "input"}: {maxLine?: number; file?: string} = {}
): AsyncGenerator<Uint8Array> {
  if (!(size >= 1)) throw new RangeError(`invalid block size: ${size}`);
  let parts: Uint8Array[] = [];
  let total = 0;
  let offset = 0;
  const take = () => {
    const block = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      block.set(p, o);
      o += p.length;
    }
    parts = [];
    total = 0;
    return block;
  };
  for await (const c of chunks) {
    let off = 0;
    while (off < c.length) {
      // The block's line break: the first at or after its size-th byte.
      const nl = c.indexOf(LF, off + Math.max(size - total, 1) - 1);
      const end = nl < 0 ? c.length : nl + 1;
      parts.push(c.subarray(off, end));
      total += end - off;
      off = end;
      if (nl < 0 && total > size + maxLine)
        throw new InputError(file, undefined, `a line in the block from byte ${offset} of the content is longer than ${maxLine.toLocaleString("en-US")} bytes (the readers' maximum line length): a damaged or wrong file`);
      if (nl >= 0) {
        offset += total;
        yield take();
      }
    }
  }
  if (total > 0) yield take();
}

/** Byte offset just after the end of line `line` (1-based) of `block`; −1 if the block has fewer lines. */
function lineEnd(block: Uint8Array, line: number): number {
  let p = 0;
  for (let k = 0; k < line; ++k) {
    const nl = block.indexOf(LF, p);
    if (nl < 0) return -1;
    p = nl + 1;
  }
  return p;
}

/** What the reader of one block sends back. */
interface BlockResult {
  columns: TradeColumns;
  stats: ReadStats;
  /** Its example rows numbered from the block's first line (as line 1). */
  quarantine: Quarantine;
  /** Lines of the block (the prefix's not included). */
  lines: number;
  /** Line of the first accepted row, counted from the prefix's first line (0: none). */
  firstAccepted: number;
}

interface BlockTask {
  venue: Venue;
  path: string;
  options: ReadOptions;
  prefix: Uint8Array;
  prefixLines: number;
  block: Uint8Array;
  /** Rows expected in the block, to size the result (grown if short). */
  rows: number;
}

/** Rows per batch of a block's reader; its batches are kept for the next block. */
const BLOCK_BATCH_ROWS = 1 << 16;
const spareBatches: TradeBatch[] = [];
/** Fewer bytes per line than any venue's rows have: sizes the first block's result. */
const MIN_LINE_BYTES = 32;

/** Reads the prefix and then one block with the venue's reader; the block's rows in one set of columns. */
async function readBlock(t: BlockTask): Promise<BlockResult> {
  const quarantine = newQuarantine();
  const stats = newReadStats();
  const position = newReadPosition();
  let c = allocBatch(t.venue, Math.max(1024, t.rows));
  const options: ReadOptions = {...t.options, chunks: [t.prefix, t.block], prefixLines: t.prefixLines, stats, position, batchRows: BLOCK_BATCH_ROWS, reuseBatches: true, spareBatches};
  for await (const b of readArchive(t.venue, t.path, quarantine, options)) {
    if (c.length + b.length > c.time.length) {
      const grown = allocBatch(t.venue, Math.max(2 * c.time.length, c.length + b.length));
      for (const f of COLUMNS) grown[f].set(c[f].subarray(0, c.length));
      grown.length = c.length;
      c = grown;
    }
    for (const f of COLUMNS) c[f].set(b[f].subarray(0, b.length), c.length);
    c.length += b.length;
  }
  for (const e of quarantine.examples) e.line -= t.prefixLines;
  const n = c.length;
  const columns = {length: n, time: c.time.subarray(0, n), price: c.price.subarray(0, n), qty: c.qty.subarray(0, n), side: c.side.subarray(0, n), id: c.id.subarray(0, n)};
  return {columns, stats, quarantine, lines: position.lines - t.prefixLines, firstAccepted: position.firstAccepted};
}

const COLUMNS = ["time", "price", "qty", "side", "id"] as const;

serveTask(READ_BLOCK, readBlock, (r: BlockResult) => {
  const c = r.columns;
  return [...new Set([c.time.buffer, c.price.buffer, c.qty.buffer, c.side.buffer, c.id.buffer])] as ArrayBuffer[];
});

/** A pool of `workers` threads that read blocks for {@link readArchiveParallel}; `close()` it when done. */
export function blockReaderPool(workers: number, log?: (line: string) => void): TaskPool {
  return new TaskPool(workers, import.meta.url, log);
}

export interface ParallelReadOptions extends ReadOptions {
  /** Workers that read the blocks (from {@link blockReaderPool}; one with a single slot reads on this thread). */
  pool: TaskPool;
  /** Block size in bytes of decompressed text (default {@link BLOCK_BYTES}). */
  blockBytes?: number;
}

function addStats(into: ReadStats, s: ReadStats): void {
  into.rows += s.rows;
  into.kept += s.kept;
  into.skipped += s.skipped;
  into.quarantined += s.quarantined;
  into.fast += s.fast;
}

/** Adds a block's quarantine to `q`, its example rows renumbered to follow the file's line `lineOffset`. */
function addQuarantine(q: Quarantine, from: Quarantine, lineOffset: number): void {
  for (const [reason, n] of Object.entries(from.counts)) q.counts[reason] = (q.counts[reason] ?? 0) + n;
  for (const e of from.examples) {
    if (q.examples.length >= 20) break;
    q.examples.push({...e, line: e.line + lineOffset});
  }
}

/**
 * The trades of one archive of `venue`, read as the venue's reader reads them
 * (`readArchive(venue, path, q, options)`: the same batches, `stats`, `position` and quarantine
 * rows) with blocks of the file read on the workers of `options.pool` (see the module comment).
 */
export async function* readArchiveParallel(venue: Venue, path: string, q: Quarantine, options: ParallelReadOptions): AsyncGenerator<TradeBatch> {
  const {pool, blockBytes = BLOCK_BYTES, stats = newReadStats(), position = newReadPosition(), ...rest} = options;
  const base: ReadOptions = {...rest, chunks: undefined, prefixLines: undefined, stats: undefined, position: undefined, reuseBatches: undefined, spareBatches: undefined};
  const sequential = {...rest, stats, position};
  if (pool.concurrency < 2) return yield* readArchive(venue, path, q, sequential);
  const blocks = lineBlocks(options.chunks ?? archiveFormat(venue).content(path), blockBytes, {file: path});
  const first = await blocks.next();
  if (first.done) return yield* readArchive(venue, path, q, {...sequential, chunks: []});
  const head = first.value;

  // The first block, on this thread: its first accepted row settles the reader's state.
  const h = await readBlock({venue, path, options: base, prefix: new Uint8Array(0), prefixLines: 0, block: head, rows: Math.ceil(head.length / MIN_LINE_BYTES)});
  if (h.firstAccepted === 0) {
    // Nothing settled the reader's state in the first block: read the whole file here.
    async function* again(): AsyncGenerator<Uint8Array> {
      yield head;
      yield* blocks;
    }
    return yield* readArchive(venue, path, q, {...sequential, chunks: again()});
  }

  const out = new BatchBuilder(venue, path, newQuarantine(), {batchRows: rest.batchRows, reuseBatches: rest.reuseBatches});
  const prefixLines = h.firstAccepted;
  const prefix = head.slice(0, lineEnd(head, prefixLines));
  const linesPerByte = h.lines / head.length;
  const inFlight: Promise<BlockResult>[] = [];
  const depth = 2 * pool.concurrency;
  let lines = 0;
  /** Emits block results in file order until at most `n` are in flight. */
  async function* settle(n: number): AsyncGenerator<TradeBatch> {
    while (inFlight.length > n) {
      const r = await inFlight.shift()!;
      addQuarantine(q, r.quarantine, lines);
      addStats(stats, r.stats);
      out.append(r.columns);
      lines += r.lines;
      for (const b of out.drain()) {
        yield b;
        out.recycle(b);
      }
    }
  }
  inFlight.push(Promise.resolve(h));
  let offset = head.length;
  for await (const block of blocks) {
    const task: BlockTask = {venue, path, options: base, prefix, prefixLines, block, rows: Math.ceil(block.length * linesPerByte * 1.05)};
    const label = `${path}: block at byte ${offset} of the content`;
    offset += block.length;
    const p = pool.run<BlockResult>(label, {task: READ_BLOCK, ...task}, () => readBlock(task), [block.buffer as ArrayBuffer]);
    p.catch(() => {}); // awaited in `settle`, in order; this keeps an abandoned one from being unhandled
    inFlight.push(p);
    yield* settle(depth - 1);
  }
  yield* settle(0);
  for (const b of out.finish()) yield b;
  position.lines = lines;
  position.firstAccepted = h.firstAccepted;
}
