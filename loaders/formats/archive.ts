/**
 * Streaming containers: reading a file as decompressed chunks (plain, gzip, zip entry, zstd)
 * and writing gzip or single-entry zip files deterministically and atomically.
 *
 * Reading never holds a whole file: gzip goes through `zlib.createGunzip`, a zip entry is
 * located through the central directory (the archive is on disk, so random access is cheap) and
 * its bytes are streamed through `zlib.createInflateRaw` with the CRC-32 checked at the end,
 * zstd through fzstd's streaming `Decompress`. Container failures become
 * `InputError(file, undefined, reason)`.
 *
 * Writing is deterministic: gzip headers carry mtime 0 (Node's zlib), zip entries carry the
 * fixed DOS timestamp 1980-01-01 00:00:00, no extra fields and no data descriptor (sizes and
 * CRC are patched into the local header after streaming), so identical input gives identical
 * bytes with the same zlib. Zip layout per PKWARE APPNOTE.TXT §4.3 (local header, data,
 * central directory, end of central directory); ZIP64 is not needed for daily files (< 4 GiB)
 * and is rejected.
 */
import {once} from "node:events";
import {createReadStream, createWriteStream} from "node:fs";
import {mkdir, open, stat} from "node:fs/promises";
import {dirname} from "node:path";
import {finished} from "node:stream/promises";
import {crc32, createDeflateRaw, createGunzip, createGzip, createInflateRaw, type ZlibOptions} from "node:zlib";
import {Decompress} from "fzstd";
import {commitTemp, discardTemp, tempPath} from "./atomic.ts";
import {InputError} from "../trades.ts";

const READ_CHUNK = 1 << 20;

/**
 * Output chunk of the streaming inflaters (gzip, zip entries): each chunk is a round trip to
 * zlib's worker thread, so 1 MiB chunks against zlib's 64 KiB cut the CPU of inflating a 590 MB
 * Bybit day from 2.1 to 1.45 s; the bytes are the same.
 */
const INFLATE_CHUNK = 1 << 20;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Throws `InputError(path, undefined, "empty file")` for a zero-byte file; returns the size. */
export async function nonEmptySize(path: string): Promise<number> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InputError(path, undefined, `cannot read: ${message(error)}`);
  }
  if (size === 0) throw new InputError(path, undefined, "empty file");
  return size;
}

/** The raw bytes of `path[start, end)` (end exclusive; default the whole file) as chunks. */
export async function* fileChunks(path: string, start = 0, end?: number): AsyncGenerator<Uint8Array> {
  if (end !== undefined && end <= start) return;
  const s = createReadStream(path, {start, end: end === undefined ? undefined : end - 1, highWaterMark: READ_CHUNK});
  try {
    for await (const c of s) yield c as Uint8Array;
  } finally {
    s.destroy();
  }
}

/** The first bytes of a file (fewer if it is shorter). */
export async function head(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(n);
    const {bytesRead} = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Whether the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompressed chunks of a gzip file (concatenated members included). A truncated file
 * (`unexpected end of file`) or corrupt data throws `InputError`.
 */
export async function* gunzipChunks(path: string): AsyncGenerator<Uint8Array> {
  await nonEmptySize(path);
  const src = createReadStream(path, {highWaterMark: READ_CHUNK});
  const gz = createGunzip({chunkSize: INFLATE_CHUNK});
  src.on("error", (e) => gz.destroy(e));
  src.pipe(gz);
  try {
    for await (const c of gz) yield c as Uint8Array;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const m = message(error);
    throw new InputError(path, undefined, /unexpected end of file/i.test(m) ? "truncated gzip (unexpected end of file)" : `corrupt gzip: ${m}`);
  } finally {
    src.destroy();
    gz.destroy();
  }
}

/** Chunks of a file that may be gzip-compressed (judged by its magic bytes, not its name). */
export async function* maybeGzipChunks(path: string): AsyncGenerator<Uint8Array> {
  await nonEmptySize(path);
  if (isGzip(await head(path, 2))) yield* gunzipChunks(path);
  else yield* fileChunks(path);
}

/** Decompressed chunks of a zstd file (fzstd streaming decoder); truncation or corruption throws `InputError`. */
export async function* zstdChunks(path: string): AsyncGenerator<Uint8Array> {
  await nonEmptySize(path);
  const out: Uint8Array[] = [];
  const d = new Decompress((chunk) => {
    out.push(chunk.slice());
  });
  try {
    for await (const c of fileChunks(path)) {
      d.push(c);
      while (out.length) yield out.shift()!;
    }
    d.push(new Uint8Array(0), true);
  } catch (error) {
    throw new InputError(path, undefined, `corrupt zstd: ${message(error)}`);
  }
  while (out.length) yield out.shift()!;
}

/** One entry of a zip central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  offset: number;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000;

/** Reads a zip's central directory; a missing or inconsistent one (truncated file, not a zip, ZIP64) throws `InputError`. */
export async function listZip(path: string): Promise<ZipEntry[]> {
  const size = await nonEmptySize(path);
  const fh = await open(path, "r");
  try {
    const tailLength = Math.min(size, 22 + 65535);
    const tail = new Uint8Array(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; --i)
      if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
        eocd = i;
        break;
      }
    if (eocd < 0) throw new InputError(path, undefined, "corrupt zip: end of central directory not found (truncated or not a zip archive)");
    const count = u16(tail, eocd + 10);
    const cdSize = u32(tail, eocd + 12);
    const cdOffset = u32(tail, eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) throw new InputError(path, undefined, "unsupported zip: ZIP64 archive");
    const eocdPos = size - tailLength + eocd;
    if (cdOffset + cdSize > eocdPos) throw new InputError(path, undefined, "corrupt zip: central directory beyond the end of the file (truncated archive)");
    const cd = new Uint8Array(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; ++k) {
      if (p + 46 > cdSize || u32(cd, p) !== 0x02014b50) throw new InputError(path, undefined, "corrupt zip: bad central directory entry");
      const nameLength = u16(cd, p + 28);
      const extraLength = u16(cd, p + 30);
      const commentLength = u16(cd, p + 32);
      entries.push({
        flags: u16(cd, p + 8),
        method: u16(cd, p + 10),
        crc: u32(cd, p + 16),
        compressedSize: u32(cd, p + 20),
        size: u32(cd, p + 24),
        offset: u32(cd, p + 42),
        name: new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLength))
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/**
 * Decompressed chunks of one zip entry: the only entry, or the one `pick` selects among several
 * (default: the single `.csv` entry). The CRC-32 and size recorded in the archive are checked
 * at the end; a mismatch, bad local header, encryption or unknown method throws `InputError`.
 */
export async function* zipEntryChunks(path: string, pick?: (name: string) => boolean): AsyncGenerator<Uint8Array> {
  const entries = (await listZip(path)).filter((e) => !e.name.endsWith("/"));
  const chosen = pick ? entries.filter((e) => pick(e.name)) : entries.length === 1 ? entries : entries.filter((e) => e.name.toLowerCase().endsWith(".csv"));
  if (chosen.length === 0) throw new InputError(path, undefined, `corrupt zip: no matching entry (entries: ${entries.map((e) => e.name).join(", ") || "none"})`);
  if (chosen.length > 1) throw new InputError(path, undefined, `unexpected zip layout: ${chosen.length} candidate entries (${chosen.map((e) => e.name).join(", ")})`);
  const e = chosen[0];
  if (e.flags & 1) throw new InputError(path, undefined, `unsupported zip: entry ${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new InputError(path, undefined, `unsupported zip: compression method ${e.method} in ${e.name}`);
  const lh = await head(path, e.offset + 30).then((b) => b.subarray(e.offset));
  if (lh.length < 30 || u32(lh, 0) !== 0x04034b50) throw new InputError(path, undefined, `corrupt zip: bad local header for ${e.name}`);
  const start = e.offset + 30 + u16(lh, 26) + u16(lh, 28);
  const end = start + e.compressedSize;
  let crc = 0;
  let size = 0;
  if (e.method === 0) {
    for await (const c of fileChunks(path, start, end)) {
      crc = crc32(c, crc);
      size += c.length;
      yield c;
    }
  } else {
    const src = createReadStream(path, {start, end: end - 1, highWaterMark: READ_CHUNK});
    const inflate = createInflateRaw({chunkSize: INFLATE_CHUNK});
    src.on("error", (err) => inflate.destroy(err));
    src.pipe(inflate);
    try {
      for await (const c of inflate) {
        const b = c as Uint8Array;
        crc = crc32(b, crc);
        size += b.length;
        yield b;
      }
    } catch (error) {
      throw new InputError(path, undefined, `corrupt zip: ${message(error)} in ${e.name}`);
    } finally {
      src.destroy();
      inflate.destroy();
    }
  }
  if (size !== e.size || crc >>> 0 !== e.crc) throw new InputError(path, undefined, `corrupt zip: CRC or size mismatch in ${e.name} (truncated or damaged data)`);
}

/** Reads a whole gzip or zip archive once (every zip entry) to check its integrity; throws `InputError` on damage. */
export async function verifyArchive(path: string): Promise<void> {
  if (isGzip(await head(path, 2))) {
    for await (const _ of gunzipChunks(path));
    return;
  }
  for (const e of await listZip(path)) if (!e.name.endsWith("/")) for await (const _ of zipEntryChunks(path, (n) => n === e.name));
}

/** A text sink writing one archive file atomically; `close` commits, `abort` discards. */
export interface TextSink {
  /** Latin-1 text, as a string or as bytes (which the sink may keep: do not reuse them). */
  write(text: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Destroys a file stream and waits until its descriptor is closed. A stream destroyed before its
 * file was opened still opens (creates) it first: removing the temporary file before then would
 * leave it behind.
 */
async function destroyAndWait(out: ReturnType<typeof createWriteStream>): Promise<void> {
  if (out.closed) return;
  const closed = once(out, "close");
  out.destroy();
  await closed;
}

/**
 * Compression level of written archives: zlib's fastest, 1. Writing simulated archives is
 * dominated by compression; level 1 deflates CSV text several times faster than zlib's default 6
 * for files about a quarter larger (docs/performance.md). Readers do not depend on the level.
 */
export const ARCHIVE_LEVEL = 1;

/**
 * Deflate window of written archives, log2 bytes: 13 (8 KiB). At level 1 a smaller window than
 * zlib's 32 KiB deflates the simulated CSV text both faster and a few per cent smaller (repeated
 * matches are near); every inflater reads it (a deflate stream names no window, and distances
 * stay within any inflater's 32 KiB).
 */
export const ARCHIVE_WINDOW_BITS = 13;

/** Deflate settings of a written archive (default {@link ARCHIVE_LEVEL}, {@link ARCHIVE_WINDOW_BITS}). */
export interface DeflateSettings {
  level?: number;
  windowBits?: number;
}

/** Opens a gzip file for writing under a temporary name; `close()` renames it to `path`. */
export async function openGzipSink(path: string, {level = ARCHIVE_LEVEL, windowBits = ARCHIVE_WINDOW_BITS}: DeflateSettings = {}): Promise<TextSink> {
  await mkdir(dirname(path), {recursive: true});
  const tmp = tempPath(path);
  const out = createWriteStream(tmp);
  const gz = createGzip({level, windowBits, writableHighWaterMark: 8 << 20} as ZlibOptions);
  let failure: unknown;
  gz.on("error", (e) => (failure ??= e));
  out.on("error", (e) => (failure ??= e));
  gz.pipe(out);
  return {
    async write(text) {
      if (failure) throw failure;
      if (!(typeof text === "string" ? gz.write(text, "latin1") : gz.write(text))) await once(gz, "drain");
    },
    async close() {
      try {
        gz.end();
        await finished(out);
        if (failure) throw failure;
        await commitTemp(tmp, path);
      } catch (error) {
        await discardTemp(tmp);
        throw error;
      }
    },
    async abort() {
      gz.destroy();
      await destroyAndWait(out);
      await discardTemp(tmp);
    }
  };
}

function dosHeader(name: Uint8Array, crc: number, compressedSize: number, size: number): Uint8Array {
  const h = new Uint8Array(30 + name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true); // version needed: 2.0 (deflate)
  v.setUint16(6, 0, true); // flags
  v.setUint16(8, 8, true); // deflate
  v.setUint16(10, 0, true); // time 00:00:00
  v.setUint16(12, 0x21, true); // date 1980-01-01
  v.setUint32(14, crc >>> 0, true);
  v.setUint32(18, compressedSize, true);
  v.setUint32(22, size, true);
  v.setUint16(26, name.length, true);
  v.setUint16(28, 0, true);
  h.set(name, 30);
  return h;
}

function centralDirectory(name: Uint8Array, crc: number, compressedSize: number, size: number, cdOffset: number): Uint8Array {
  const c = new Uint8Array(46 + name.length + 22);
  const v = new DataView(c.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
  v.setUint16(6, 20, true);
  v.setUint16(8, 0, true);
  v.setUint16(10, 8, true);
  v.setUint16(12, 0, true);
  v.setUint16(14, 0x21, true);
  v.setUint32(16, crc >>> 0, true);
  v.setUint32(20, compressedSize, true);
  v.setUint32(24, size, true);
  v.setUint16(28, name.length, true);
  // extra, comment, disk, internal and external attributes, local header offset: all 0
  c.set(name, 46);
  const e = 46 + name.length;
  v.setUint32(e, 0x06054b50, true);
  v.setUint16(e + 8, 1, true);
  v.setUint16(e + 10, 1, true);
  v.setUint32(e + 12, 46 + name.length, true);
  v.setUint32(e + 16, cdOffset, true);
  return c;
}

/**
 * Opens a single-entry zip (deflate) for writing under a temporary name; `close()` patches the
 * CRC and sizes into the local header, appends the central directory and renames to `path`.
 */
export async function openZipSink(path: string, entryName: string, {level = ARCHIVE_LEVEL, windowBits = ARCHIVE_WINDOW_BITS}: DeflateSettings = {}): Promise<TextSink> {
  await mkdir(dirname(path), {recursive: true});
  const tmp = tempPath(path);
  const name = new TextEncoder().encode(entryName);
  const header = dosHeader(name, 0, 0, 0);
  // The local header is written first with zero CRC and sizes, patched on close.
  const out = createWriteStream(tmp);
  out.write(header);
  const deflate = createDeflateRaw({level, windowBits, writableHighWaterMark: 8 << 20} as ZlibOptions);
  let failure: unknown;
  deflate.on("error", (e) => (failure ??= e));
  out.on("error", (e) => (failure ??= e));
  deflate.pipe(out);
  let crc = 0;
  let size = 0;
  return {
    async write(text) {
      if (failure) throw failure;
      const b = typeof text === "string" ? Buffer.from(text, "latin1") : text;
      crc = crc32(b, crc);
      size += b.length;
      if (!deflate.write(b)) await once(deflate, "drain");
    },
    async close() {
      try {
        deflate.end();
        await finished(out);
        if (failure) throw failure;
        const fh = await open(tmp, "r+");
        try {
          const compressedSize = (await fh.stat()).size - header.length;
          if (size >= 0xffffffff || compressedSize >= 0xffffffff) throw new RangeError(`zip entry too large for a non-ZIP64 archive: ${size} bytes`);
          const patched = dosHeader(name, crc, compressedSize, size);
          await fh.write(patched, 0, patched.length, 0);
          const cd = centralDirectory(name, crc, compressedSize, size, header.length + compressedSize);
          await fh.write(cd, 0, cd.length, header.length + compressedSize);
        } finally {
          await fh.close();
        }
        await commitTemp(tmp, path);
      } catch (error) {
        await discardTemp(tmp);
        throw error;
      }
    },
    async abort() {
      deflate.destroy();
      await destroyAndWait(out);
      await discardTemp(tmp);
    }
  };
}
