/**
 * Arrow IPC **stream** files written in chunks and read back as typed-array columns.
 *
 * Writing goes through apache-arrow's `RecordBatchStreamWriter`, with its byte output sent
 * straight to a file descriptor through a 4 MiB buffer, so a file of tens of millions of rows
 * is written one record batch at a time without a whole table in memory. Output is
 * deterministic: the same columns in the same batches give the same bytes (dictionary ids
 * are fixed, no timestamps are written).
 */
import {closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, writeSync} from "node:fs";
import {
  DataType,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  makeData,
  Precision,
  RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
  type Data,
  type Vector
} from "apache-arrow";

/** Column types used by the derived files. `dict` is a Utf8 dictionary with Int8 indices. */
export type ColumnType = "Float64" | "Float32" | "Int32" | "Int16" | "Int8" | "dict";

export type TypedColumn = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array;

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** The dictionary's strings, for `dict` columns (whose values are Int8 indices into it). */
  dictionary?: readonly string[];
}

const CTORS = {
  Float64: Float64Array,
  Float32: Float32Array,
  Int32: Int32Array,
  Int16: Int16Array,
  Int8: Int8Array,
  dict: Int8Array
} as const;

function arrowType(spec: ColumnSpec, id: number): DataType {
  switch (spec.type) {
    case "Float64": return new Float64();
    case "Float32": return new Float32();
    case "Int32": return new Int32();
    case "Int16": return new Int16();
    case "Int8": return new Int8();
    case "dict":
      if (!spec.dictionary?.length) throw new RangeError(`invalid dictionary for column ${spec.name}: empty`);
      return new Dictionary(new Utf8(), new Int8(), id, false);
    default: throw new RangeError(`invalid column type: ${(spec as ColumnSpec).type}`);
  }
}

/** Sends the writer's bytes to a file descriptor through a buffer instead of an in-memory queue. */
class FdStreamWriter extends RecordBatchStreamWriter {
  private buf = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  constructor(private readonly fd: number) {
    super({autoDestroy: false});
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override _write(chunk: any): this {
    if (!this._started) return this;
    const view = chunk as ArrayBufferView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (bytes.byteLength === 0) return this;
    if (this.used + bytes.byteLength > this.buf.length) this.drain();
    if (bytes.byteLength >= this.buf.length) writeAll(this.fd, bytes);
    else (this.buf.set(bytes, this.used), (this.used += bytes.byteLength));
    this._position += bytes.byteLength;
    return this;
  }
  drain() {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array) {
  let o = 0;
  while (o < bytes.byteLength) o += writeSync(fd, bytes, o, bytes.byteLength - o);
}

/**
 * An Arrow IPC stream being written batch by batch. Open with a path or a file descriptor
 * (e.g. 1 for stdout); `write` a batch of typed-array columns; `close` writes the
 * end-of-stream marker. A stream with no batch written still holds its schema (a valid
 * empty table).
 */
export class ArrowStreamWriter {
  readonly specs: readonly ColumnSpec[];
  readonly schema: Schema;
  /** Rows written so far. */
  rows = 0;
  private readonly writer: FdStreamWriter;
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly dictionaries = new Map<string, Vector>();
  private closed = false;

  constructor(target: string | number, specs: readonly ColumnSpec[], metadata: Record<string, string> = {}) {
    if (specs.length === 0) throw new RangeError("invalid columns: none");
    this.specs = specs;
    const fields = specs.map((s, i) => new Field(s.name, arrowType(s, i), false));
    this.schema = new Schema(fields, new Map(Object.entries(metadata)));
    for (const s of specs) if (s.type === "dict") this.dictionaries.set(s.name, vectorFromArray([...s.dictionary!], new Utf8()));
    this.ownsFd = typeof target === "string";
    this.fd = typeof target === "string" ? openSync(target, "w") : target;
    this.writer = new FdStreamWriter(this.fd);
    this.writer.reset(undefined, this.schema);
  }

  /** Writes rows [0, length) of the columns (typed arrays of the declared types, longer ones are cut). */
  write(columns: Record<string, TypedColumn>, length: number): void {
    if (this.closed) throw new Error("ArrowStreamWriter: write after close");
    if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`invalid length: ${length}`);
    if (length === 0) return;
    const children: Data[] = this.specs.map((s) => {
      const values = columns[s.name];
      if (!values) throw new RangeError(`invalid columns: missing ${s.name}`);
      if (!(values instanceof CTORS[s.type])) throw new RangeError(`invalid column ${s.name}: expected ${CTORS[s.type].name}`);
      if (values.length < length) throw new RangeError(`invalid column ${s.name}: ${values.length} rows, need ${length}`);
      const type = this.schema.fields[this.specs.indexOf(s)].type;
      const data = values.length === length ? values : values.subarray(0, length);
      return s.type === "dict"
        ? makeData({type, length, nullCount: 0, data, dictionary: this.dictionaries.get(s.name)} as never)
        : makeData({type, length, nullCount: 0, data} as never);
    });
    const struct = makeData({type: new Struct(this.schema.fields), length, nullCount: 0, children});
    this.writer.write(new RecordBatch(this.schema, struct));
    this.rows += length;
  }

  /** Writes the end-of-stream marker and closes the file (not a descriptor passed in). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    this.writer.drain();
    if (this.ownsFd) closeSync(this.fd);
  }
}

/** Writes whole columns as one Arrow IPC stream, in batches of `batchRows`. */
export function writeArrow(
  target: string | number,
  specs: readonly ColumnSpec[],
  columns: Record<string, TypedColumn>,
  length: number,
  {batchRows = 1 << 20, metadata = {}}: {batchRows?: number; metadata?: Record<string, string>} = {}
): void {
  const w = new ArrowStreamWriter(target, specs, metadata);
  try {
    for (let o = 0; o < length; o += batchRows) {
      const n = Math.min(batchRows, length - o);
      const slice: Record<string, TypedColumn> = {};
      for (const s of specs) slice[s.name] = columns[s.name].subarray(o, o + n);
      w.write(slice, n);
    }
  } finally {
    w.close();
  }
}

/** Bytes of the end-of-stream marker: continuation 0xFFFFFFFF, then a zero metadata length. */
const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Joins Arrow IPC stream files written with the same schema (and no dictionaries) into one
 * stream at `out`, byte for byte: the first file's schema message, every file's record batch
 * messages in order, one end-of-stream marker. The result is what one {@link ArrowStreamWriter}
 * fed the same batches would have written. A stream's first message is its schema: the
 * continuation marker 0xFFFFFFFF, a little-endian int32 metadata length L, L bytes of metadata
 * (padded to 8) and no body (Arrow columnar format, "Encapsulated message format"). Throws on
 * a file that does not start with the same schema bytes or does not end with the marker.
 */
export function concatArrowStreams(paths: readonly string[], out: string): void {
  if (paths.length === 0) throw new RangeError("concatArrowStreams: no input");
  const buf = Buffer.allocUnsafe(1 << 22);
  const fd = openSync(out, "w");
  try {
    let schema: Buffer | undefined;
    for (const path of paths) {
      const src = openSync(path, "r");
      try {
        const size = fstatSync(src).size;
        const read = (position: number, n: number) => {
          let o = 0;
          while (o < n) {
            const k = readSync(src, buf, o, n - o, position + o);
            if (k === 0) throw new RangeError(`concatArrowStreams: ${path} ended early`);
            o += k;
          }
          return buf.subarray(0, n);
        };
        const prefix = size >= 8 ? read(0, 8) : undefined;
        const length = prefix && prefix.readUInt32LE(0) === 0xffffffff ? prefix.readInt32LE(4) : -1;
        const head = 8 + length;
        if (length <= 0 || length > buf.length - 8 || size < head + EOS.length || !read(size - EOS.length, EOS.length).equals(EOS))
          throw new RangeError(`concatArrowStreams: ${path} is not a complete Arrow IPC stream`);
        const h = read(0, head);
        if (schema === undefined) {
          schema = Buffer.from(h);
          writeAll(fd, schema);
        } else if (!h.equals(schema)) throw new RangeError(`concatArrowStreams: ${path} has another schema than ${paths[0]}`);
        for (let o = head, end = size - EOS.length; o < end; ) {
          const n = Math.min(buf.length, end - o);
          writeAll(fd, read(o, n));
          o += n;
        }
      } finally {
        closeSync(src);
      }
    }
    writeAll(fd, EOS);
  } finally {
    closeSync(fd);
  }
}

/** One record batch read back: its row count and typed-array columns (copies, owned by the caller). */
export interface ArrowBatch {
  length: number;
  columns: Record<string, TypedColumn>;
}

/** The typed-array columns of a whole file, with the schema metadata and dictionaries. */
export interface ArrowColumns extends ArrowBatch {
  metadata: Record<string, string>;
  /** Dictionary strings of `dict` columns (their values are Int8 indices). */
  dictionaries: Record<string, string[]>;
}

/** The typed-array constructor of a primitive Arrow type (dictionary columns give their index type). */
function columnCtor(type: DataType): new (n: number) => TypedColumn {
  const t = DataType.isDictionary(type) ? type.indices : type;
  if (DataType.isFloat(t)) return t.precision === Precision.DOUBLE ? Float64Array : Float32Array;
  if (DataType.isInt(t) && t.isSigned) {
    if (t.bitWidth === 32) return Int32Array;
    if (t.bitWidth === 16) return Int16Array;
    if (t.bitWidth === 8) return Int8Array;
  }
  throw new RangeError(`invalid column type: ${type}`);
}

function batchColumns(batch: RecordBatch, names?: readonly string[]): ArrowBatch {
  const columns: Record<string, TypedColumn> = {};
  for (const f of batch.schema.fields) {
    if (names && !names.includes(f.name)) continue;
    const child = batch.getChild(f.name)!;
    const chunks = child.data;
    const first = chunks[0]?.values as TypedColumn | undefined;
    if (!first || typeof (first as {slice?: unknown}).slice !== "function") throw new RangeError(`invalid column ${f.name}: not a primitive column`);
    const out = new (first.constructor as new (n: number) => TypedColumn)(batch.numRows);
    let o = 0;
    for (const d of chunks) {
      out.set((d.values as TypedColumn).subarray(d.offset, d.offset + d.length) as never, o);
      o += d.length;
    }
    columns[f.name] = out;
  }
  return {length: batch.numRows, columns};
}

/** Streams the record batches of an Arrow IPC stream file as typed-array columns. */
export async function* readArrowBatches(path: string, names?: readonly string[]): AsyncGenerator<ArrowBatch> {
  const reader = await RecordBatchReader.from(createReadStream(path, {highWaterMark: 1 << 22}));
  for await (const batch of reader) if (batch.numRows > 0) yield batchColumns(batch, names);
}

function concatColumns(parts: ArrowBatch[], schemaFields: readonly string[]): ArrowBatch {
  const length = parts.reduce((s, p) => s + p.length, 0);
  const columns: Record<string, TypedColumn> = {};
  for (const name of schemaFields) {
    const first = parts.find((p) => p.columns[name])?.columns[name];
    if (!first) continue;
    const out = new (first.constructor as new (n: number) => TypedColumn)(length);
    let o = 0;
    for (const p of parts) (out.set(p.columns[name] as never, o), (o += p.length));
    columns[name] = out;
  }
  return {length, columns};
}

/**
 * Reads a whole Arrow IPC stream file into typed-array columns (all, or only `names`).
 * With `rows` (the file's row count, e.g. from the manifest) each column is allocated once
 * and filled batch by batch; without it, batches are gathered and concatenated. Empty files
 * with a schema give zero-length columns of the right types.
 */
export async function readArrowColumns(path: string, names?: readonly string[], {rows}: {rows?: number} = {}): Promise<ArrowColumns> {
  const reader = await RecordBatchReader.from(createReadStream(path, {highWaterMark: 1 << 22}));
  await reader.open();
  const schema = reader.schema;
  const fields = schema.fields.filter((f) => !names || names.includes(f.name));
  const dictionaries: Record<string, string[]> = {};
  const noteDictionaries = (batch: RecordBatch) => {
    for (const f of fields)
      if (DataType.isDictionary(f.type) && !dictionaries[f.name]) dictionaries[f.name] = [...(batch.getChild(f.name)!.data[0].dictionary as Vector)].map(String);
  };
  if (rows !== undefined) {
    if (!(Number.isInteger(rows) && rows >= 0)) throw new RangeError(`invalid rows: ${rows}`);
    const columns: Record<string, TypedColumn> = {};
    for (const f of fields) columns[f.name] = new (columnCtor(f.type))(rows);
    let o = 0;
    for await (const batch of reader) {
      if (batch.numRows === 0) continue;
      if (o + batch.numRows > rows) throw new RangeError(`invalid rows: ${rows} (${path} has more)`);
      for (const f of fields) {
        let at = o;
        for (const d of batch.getChild(f.name)!.data) {
          columns[f.name].set((d.values as TypedColumn).subarray(d.offset, d.offset + d.length) as never, at);
          at += d.length;
        }
      }
      noteDictionaries(batch);
      o += batch.numRows;
    }
    if (o !== rows) throw new RangeError(`invalid rows: ${rows} (${path} has ${o})`);
    return {length: rows, columns, metadata: Object.fromEntries(schema.metadata), dictionaries};
  }
  const parts: ArrowBatch[] = [];
  for await (const batch of reader) {
    if (batch.numRows === 0) continue;
    parts.push(batchColumns(batch, names));
    noteDictionaries(batch);
  }
  const {length, columns} = concatColumns(parts, fields.map((f) => f.name));
  for (const f of fields) columns[f.name] ??= new (columnCtor(f.type))(0);
  return {length, columns, metadata: Object.fromEntries(schema.metadata), dictionaries};
}

/** Reads a small Arrow IPC file synchronously (the whole file in memory). */
export function readArrowSync(path: string): ArrowColumns {
  const bytes = readFileSync(path);
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  const schema = reader.schema;
  const parts: ArrowBatch[] = [];
  const dictionaries: Record<string, string[]> = {};
  for (const batch of reader) {
    if (batch.numRows === 0) continue;
    parts.push(batchColumns(batch));
    for (const f of batch.schema.fields)
      if (f.type instanceof Dictionary && !dictionaries[f.name]) dictionaries[f.name] = [...(batch.getChild(f.name)!.data[0].dictionary as Vector)].map(String);
  }
  const {length, columns} = concatColumns(parts, schema.fields.map((f) => f.name));
  for (const f of schema.fields) columns[f.name] ??= new (columnCtor(f.type))(0);
  return {length, columns, metadata: Object.fromEntries(schema.metadata), dictionaries};
}
