/**
 * Cleaned trades stored as zstd-compressed Parquet, one hive partition per (venue, day):
 * `<derived>/trades/venue=<venue>/day=<YYYY-MM-DD>/part-<k>.parquet`, each part at most
 * {@link PART_ROWS} rows, in time order, with the trade columns and `seq` ({@link SEQ_COLUMN}):
 * the layout any engine that reads hive-partitioned Parquet (DuckDB, Spark, Trino, Polars, Arrow
 * datasets) takes as one table with `venue` and `day` columns (docs/data.md, docs/scale.md).
 *
 * Writer: DuckDB (`@duckdb/node-api`). Rows are appended as data chunks filled straight from the
 * typed-array columns (no per-value conversion) into an in-memory table, and every
 * {@link PART_ROWS} rows `COPY … (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2)` writes
 * one part (V2 data pages: byte-stream-split doubles and dictionary-encoded prices, quantities and
 * sides). The instance runs one thread, so the same rows give byte-identical files; each part
 * goes to a temporary name and is renamed into place (`formats/atomic.ts`), so no partial file
 * ever carries a final name. Memory is bounded by a part, not by the day.
 *
 * Readers: DuckDB's `read_parquet` over a venue's parts in (day, part) order, with insertion
 * order preserved, so rows come back in the order they were written; result chunks are copied
 * from the engine's vectors into typed arrays.
 */
import {existsSync, mkdirSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {DOUBLE, DuckDBConnection, DuckDBDataChunk, DuckDBInstance, INTEGER, TINYINT, type DuckDBType} from "@duckdb/node-api";
import type {TypedColumn} from "./arrow.ts";
import {commitTemp, tempPath} from "./formats/atomic.ts";
import type {TradeColumns} from "./trades.ts";

/** A trade column: its name and the typed array it reads back into. */
export type TradeColumnName = keyof Omit<TradeColumns, "length">;

/** Columns of the trade partitions, in file order, with their Parquet (DuckDB) types. */
export const TRADE_PARQUET_COLUMNS: readonly {name: TradeColumnName; sql: "DOUBLE" | "TINYINT"}[] = [
  {name: "time", sql: "DOUBLE"},
  {name: "price", sql: "DOUBLE"},
  {name: "qty", sql: "DOUBLE"},
  {name: "side", sql: "TINYINT"},
  {name: "id", sql: "DOUBLE"}
];

/**
 * The column after the trade columns: `seq` INTEGER, the row's position in its (venue, day) —
 * 0, 1, 2, … over the day's parts, in the order the cleaner wrote the trades (time order, ties
 * as the archive had them). Engines without a row number (Spark, Trino) order a day's trades by
 * it exactly as the build does (docs/scale.md); the readers here do not read it.
 */
export const SEQ_COLUMN = "seq";

/** Rows per part file (and the bound on a writer's in-memory table). */
export const PART_ROWS = 1 << 22;

/** Rows of one DuckDB data chunk (its standard vector size). */
const CHUNK_ROWS = 2048;

const CTOR = {DOUBLE: Float64Array, TINYINT: Int8Array} as const;

const DUCK_TYPES: Record<"DOUBLE" | "TINYINT", DuckDBType> = {DOUBLE, TINYINT};

/** Position of `seq` in a data chunk. */
const SEQ_INDEX = TRADE_PARQUET_COLUMNS.length;

/**
 * `COPY` options of every part. zstd at level 1 rather than DuckDB's default 3: on a day of each
 * venue the COPY took 3–28 % less CPU for parts 4–5 % larger (Bybit 42.1 → 42.9 MB, Binance 9.8 →
 * 10.3 MB for 4,194,304 rows).
 */
const COPY_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2";

/** The folder of the trade partitions under a derived folder. */
export function tradesRoot(dir: string): string {
  return join(dir, "trades");
}

/** The partition folder of one (venue, day). */
export function tradePartition(dir: string, venue: string, day: string): string {
  return join(tradesRoot(dir), `venue=${venue}`, `day=${day}`);
}

const partNumber = (name: string) => Number(/^part-(\d+)\.parquet$/.exec(name)?.[1] ?? NaN);

/** The part files of one partition folder, in part order (none when the folder is absent). */
export function partitionFiles(partition: string): string[] {
  if (!existsSync(partition)) return [];
  return readdirSync(partition)
    .filter((n) => Number.isInteger(partNumber(n)))
    .sort((a, b) => partNumber(a) - partNumber(b))
    .map((n) => join(partition, n));
}

/** Every part file of `venue` under the derived folder `dir`, in (day, part) order. */
export function venueTradeFiles(dir: string, venue: string): string[] {
  const root = join(tradesRoot(dir), `venue=${venue}`);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => /^day=\d{4}-\d{2}-\d{2}$/.test(n))
    .sort()
    .flatMap((n) => partitionFiles(join(root, n)));
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A DuckDB instance and connection for one job: one thread (deterministic output), spilling to `spill` if given. */
async function openDuck(options: {threads?: number; memoryLimit?: string; spill?: string} = {}): Promise<{instance: DuckDBInstance; con: DuckDBConnection}> {
  const config: Record<string, string> = {threads: String(options.threads ?? 1), memory_limit: options.memoryLimit ?? "512MB"};
  if (options.spill) config.temp_directory = options.spill;
  const instance = await DuckDBInstance.create(":memory:", config);
  return {instance, con: await instance.connect()};
}

/**
 * Writes one (venue, day) partition: `write` the cleaned trades batch by batch (time order), then
 * `close`, which returns the part files written. `abort` drops everything not yet committed.
 * A day with no trades still gets `part-0.parquet` (a valid file with the schema and no rows).
 */
export class ParquetTradeWriter {
  /** Rows written so far (over all parts). */
  rows = 0;
  private pending = 0;
  private parts: string[] = [];
  private readonly chunk: DuckDBDataChunk;
  private closed = false;
  private constructor(
    readonly partition: string,
    private readonly duck: {instance: DuckDBInstance; con: DuckDBConnection},
    private appender: Awaited<ReturnType<DuckDBConnection["createAppender"]>>,
    private readonly partRows: number
  ) {
    this.chunk = DuckDBDataChunk.create([...TRADE_PARQUET_COLUMNS.map((c) => DUCK_TYPES[c.sql]), INTEGER]);
  }

  /**
   * Opens a writer of the partition folder `partition` (created; any parts already in it are
   * replaced), with `partRows` rows per part (default {@link PART_ROWS}).
   */
  static async open(partition: string, {partRows = PART_ROWS}: {partRows?: number} = {}): Promise<ParquetTradeWriter> {
    if (!(Number.isInteger(partRows) && partRows >= 1)) throw new RangeError(`invalid partRows: ${partRows}`);
    mkdirSync(partition, {recursive: true});
    for (const f of partitionFiles(partition)) rmSync(f);
    const duck = await openDuck();
    await duck.con.run(`CREATE TABLE t (${TRADE_PARQUET_COLUMNS.map((c) => `${c.name} ${c.sql}`).join(", ")}, ${SEQ_COLUMN} INTEGER)`);
    return new ParquetTradeWriter(partition, duck, await duck.con.createAppender("t"), partRows);
  }

  /** Appends rows [0, length) of the columns; writes a part whenever a part's rows are pending. */
  async write(columns: Record<TradeColumnName, TypedColumn>, length: number): Promise<void> {
    if (this.closed) throw new Error("ParquetTradeWriter: write after close");
    if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`invalid length: ${length}`);
    if (this.rows + length > 2 ** 31 - 1) throw new RangeError(`invalid length: ${length} (a (venue, day) holds at most 2^31 − 1 trades)`);
    for (let o = 0; o < length; ) {
      const n = Math.min(CHUNK_ROWS, length - o, this.partRows - this.pending);
      this.chunk.reset();
      this.chunk.rowCount = n;
      TRADE_PARQUET_COLUMNS.forEach((c, k) => {
        const values = columns[c.name];
        if (!values) throw new RangeError(`invalid columns: missing ${c.name}`);
        if (!(values instanceof CTOR[c.sql])) throw new RangeError(`invalid column ${c.name}: expected ${CTOR[c.sql].name}`);
        if (values.length < length) throw new RangeError(`invalid column ${c.name}: ${values.length} rows, need ${length}`);
        const vector = this.chunk.getColumnVector(k) as unknown as {items: TypedColumn; flush(): void};
        vector.items.set(values.subarray(o, o + n) as never);
        vector.flush();
      });
      const seq = this.chunk.getColumnVector(SEQ_INDEX) as unknown as {items: Int32Array; flush(): void};
      for (let i = 0; i < n; ++i) seq.items[i] = this.rows + i;
      seq.flush();
      this.appender.appendDataChunk(this.chunk);
      o += n;
      this.pending += n;
      this.rows += n;
      if (this.pending === this.partRows) await this.flushPart();
    }
  }

  /** Copies the pending rows to the next part file (temporary name, then renamed) and empties the table. */
  private async flushPart(): Promise<void> {
    this.appender.flushSync();
    this.appender.closeSync();
    const path = join(this.partition, `part-${this.parts.length}.parquet`);
    const tmp = tempPath(path);
    try {
      await this.duck.con.run(`COPY t TO ${sqlString(tmp)} (${COPY_OPTIONS})`);
      await commitTemp(tmp, path);
    } catch (error) {
      rmSync(tmp, {force: true});
      throw error;
    }
    this.parts.push(path);
    this.pending = 0;
    await this.duck.con.run("DELETE FROM t");
    this.appender = await this.duck.con.createAppender("t");
  }

  /** Writes the last part and releases the engine; returns the part files in order. */
  async close(): Promise<string[]> {
    if (this.closed) return this.parts;
    try {
      if (this.pending > 0 || this.parts.length === 0) await this.flushPart();
      this.appender.closeSync();
    } finally {
      this.release();
    }
    return this.parts;
  }

  /** Releases the engine without writing the pending rows (parts already written stay). */
  abort(): void {
    if (!this.closed) this.release();
  }

  private release(): void {
    this.closed = true;
    this.duck.con.closeSync();
    this.duck.instance.closeSync();
  }
}

/** One batch read back: row count and typed-array columns (copies, owned by the caller). */
export interface ParquetBatch {
  length: number;
  columns: Partial<Record<TradeColumnName, TypedColumn>>;
}

function columnSpecs(names: readonly TradeColumnName[]) {
  return names.map((name) => {
    const c = TRADE_PARQUET_COLUMNS.find((s) => s.name === name);
    if (!c) throw new RangeError(`invalid trade column: ${name}`);
    return c;
  });
}

type ColumnSpec = (typeof TRADE_PARQUET_COLUMNS)[number];

/**
 * Rows of a part read by one query of {@link readTradeBatches} and {@link readTradeColumns}: the
 * engine materialises them (at most 491,520 × 8 bytes a column) and they are copied out chunk by
 * chunk without a round trip to the engine's thread per 2,048-row chunk, which took about half the
 * reading time. Four of the writer's row groups (DuckDB's 122,880 rows), so ranges end on row-group
 * boundaries and no row group is scanned by two queries; against 2¹⁸ rows, about 5% less CPU.
 */
export const READ_RANGE_ROWS = 4 * 122_880;

/** Rows of a part, from its footer (`parquet_file_metadata`). */
async function partRows(con: DuckDBConnection, file: string): Promise<number> {
  const counted = await con.run(`SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
  return Number(counted.getChunk(0).getColumnVector(0).getItem(0));
}

/** One engine data chunk: its row count and its columns' values (`rows` each, the binding's copies of its vectors). */
interface EngineChunk {
  rows: number;
  items: TypedColumn[];
}

/**
 * The rows of `files` (in the order given) as the engine's data chunks, columns `specs`, only
 * rows with `where` if given, each part read in ranges of `rangeRows` row numbers
 * (`file_row_number`, which the reader uses to skip the row groups outside the range), in order;
 * `counts` are the parts' rows if known (else read from each part's footer). The chunk yielded
 * is the same object each time, refilled at the next step.
 */
async function* engineChunks(
  con: DuckDBConnection,
  files: readonly string[],
  specs: readonly ColumnSpec[],
  {where = [], rangeRows, counts}: {where?: readonly string[]; rangeRows: number; counts?: readonly number[]}
): AsyncGenerator<EngineChunk> {
  const select = `SELECT ${specs.map((c) => c.name).join(", ")} FROM read_parquet(`;
  const chunk: EngineChunk = {rows: 0, items: new Array(specs.length)};
  for (let f = 0; f < files.length; ++f) {
    const rows = counts ? counts[f] : await partRows(con, files[f]);
    for (let r0 = 0; r0 < rows; r0 += rangeRows) {
      const range = [`file_row_number >= ${r0}`, `file_row_number < ${r0 + rangeRows}`, ...where];
      const result = await con.run(`${select}${sqlString(files[f])}, file_row_number = true) WHERE ${range.join(" AND ")}`);
      for (let ci = 0, nc = result.chunkCount; ci < nc; ++ci) {
        const c = result.getChunk(ci);
        chunk.rows = c.rowCount;
        for (let k = 0; k < specs.length; ++k) chunk.items[k] = (c.getColumnVector(k) as unknown as {items: TypedColumn}).items;
        yield chunk;
      }
    }
  }
}

/**
 * Streams the rows of `files` (trade parts, read in the order given) in batches of `batchRows`
 * (the last one shorter), columns `names`, optionally only rows with `from ≤ time < to`. Each
 * part is read in ranges of `rangeRows` (default {@link READ_RANGE_ROWS}) of its row numbers
 * (`file_row_number`, which the reader uses to skip the row groups outside the range), in order.
 */
export async function* readTradeBatches(
  files: readonly string[],
  names: readonly TradeColumnName[] = TRADE_PARQUET_COLUMNS.map((c) => c.name),
  {batchRows = 65_536, from, to, rangeRows = READ_RANGE_ROWS}: {batchRows?: number; from?: number; to?: number; rangeRows?: number} = {}
): AsyncGenerator<ParquetBatch> {
  if (files.length === 0 || names.length === 0) return;
  if (!(Number.isInteger(batchRows) && batchRows >= 1)) throw new RangeError(`invalid batchRows: ${batchRows}`);
  if (!(Number.isInteger(rangeRows) && rangeRows >= 1)) throw new RangeError(`invalid rangeRows: ${rangeRows}`);
  const specs = columnSpecs(names);
  const duck = await openDuck({threads: 1});
  try {
    const where = [from !== undefined ? `time >= ${Number(from)}` : "", to !== undefined ? `time < ${Number(to)}` : ""].filter(Boolean);
    let batch: TypedColumn[] | undefined;
    let used = 0;
    const emit = (): ParquetBatch => {
      const out: ParquetBatch = {length: used, columns: {}};
      specs.forEach((c, k) => (out.columns[c.name] = used === batchRows ? batch![k] : batch![k].slice(0, used)));
      batch = undefined;
      used = 0;
      return out;
    };
    for await (const {rows: n, items} of engineChunks(duck.con, files, specs, {where, rangeRows})) {
      for (let o = 0; o < n; ) {
        batch ??= specs.map((c) => new CTOR[c.sql](batchRows) as TypedColumn);
        const m = Math.min(n - o, batchRows - used);
        for (let k = 0; k < items.length; ++k) batch[k].set(items[k].subarray(o, o + m) as never, used);
        used += m;
        o += m;
        if (used === batchRows) yield emit();
      }
    }
    if (used > 0) yield emit();
  } finally {
    duck.con.closeSync();
    duck.instance.closeSync();
  }
}

/**
 * Reads whole columns of `files` into typed arrays, each allocated once, at its length: `rows`
 * (the count the manifest gives; a different count throws, naming the files) or else the sum of
 * the parts' `num_rows` (their footers); the engine's chunks are copied straight into them.
 */
export async function readTradeColumns(
  files: readonly string[],
  names: readonly TradeColumnName[],
  {rows}: {rows?: number} = {}
): Promise<{length: number; columns: Partial<Record<TradeColumnName, TypedColumn>>}> {
  const specs = columnSpecs(names);
  if (rows !== undefined && !(Number.isInteger(rows) && rows >= 0)) throw new RangeError(`invalid rows: ${rows}`);
  const where = () => (files.length === 1 ? files[0] : `${files[0]} … (${files.length} files)`);
  const read = files.length > 0 && specs.length > 0;
  const duck = read ? await openDuck({threads: 1}) : undefined;
  try {
    let counts: number[] | undefined;
    if (duck && rows === undefined) {
      counts = [];
      for (const f of files) counts.push(await partRows(duck.con, f));
    }
    const length = rows ?? counts?.reduce((s, n) => s + n, 0) ?? 0;
    const out = specs.map((c) => new CTOR[c.sql](length) as TypedColumn);
    let o = 0;
    if (duck)
      for await (const {rows: n, items} of engineChunks(duck.con, files, specs, {rangeRows: READ_RANGE_ROWS, counts})) {
        if (o + n > length) throw new RangeError(`invalid rows: ${length} (${where()} has more)`);
        for (let k = 0; k < items.length; ++k) out[k].set(items[k] as never, o);
        o += n;
      }
    if (o !== length) throw new RangeError(`invalid rows: ${length} (${where()} has ${o})`);
    const columns: Partial<Record<TradeColumnName, TypedColumn>> = {};
    specs.forEach((c, k) => (columns[c.name] = out[k]));
    return {length, columns};
  } finally {
    duck?.con.closeSync();
    duck?.instance.closeSync();
  }
}
