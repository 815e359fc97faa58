/**
 * Unpacking a daily zip into its plain CSV and into a "stored" zip (compression method 0) that
 * holds the same CSV bytes uncompressed.
 *
 * The Binance reader takes a zip path only; through a stored zip it streams the CSV bytes with no
 * inflation (its CRC-32 check remains), so it can be timed on exactly the bytes DuckDB's
 * `read_csv` reads from the plain file. Layout per PKWARE APPNOTE.TXT §4.3: local file header,
 * data, central directory header, end of central directory record; sizes below 4 GiB (no ZIP64).
 */
import {once} from "node:events";
import {createReadStream, createWriteStream, type WriteStream} from "node:fs";
import {crc32} from "node:zlib";
import {zipEntryChunks} from "../../loaders/formats/archive.ts";

async function put(out: WriteStream, bytes: Uint8Array): Promise<void> {
  if (!out.write(bytes)) await once(out, "drain");
}

async function close(out: WriteStream): Promise<void> {
  out.end();
  await once(out, "close");
}

function u16(b: Uint8Array, i: number, x: number) {
  b[i] = x & 0xff;
  b[i + 1] = (x >>> 8) & 0xff;
}

function u32(b: Uint8Array, i: number, x: number) {
  u16(b, i, x & 0xffff);
  u16(b, i + 2, (x >>> 16) & 0xffff);
}

/** Local file header (30 bytes + name) of a stored entry, DOS time 1980-01-01 00:00:00. */
function localHeader(name: Uint8Array, crc: number, size: number): Uint8Array {
  const h = new Uint8Array(30 + name.length);
  u32(h, 0, 0x04034b50);
  u16(h, 4, 20); // version needed
  u16(h, 6, 0); // flags
  u16(h, 8, 0); // method: stored
  u16(h, 10, 0); // time
  u16(h, 12, 0x21); // date 1980-01-01
  u32(h, 14, crc);
  u32(h, 18, size); // compressed size
  u32(h, 22, size); // uncompressed size
  u16(h, 26, name.length);
  u16(h, 28, 0);
  h.set(name, 30);
  return h;
}

/** Central directory header of the single entry, then the end of central directory record. */
function directory(name: Uint8Array, crc: number, size: number, offset: number): Uint8Array {
  const cd = new Uint8Array(46 + name.length + 22);
  u32(cd, 0, 0x02014b50);
  u16(cd, 4, 20); // version made by
  u16(cd, 6, 20); // version needed
  u16(cd, 8, 0);
  u16(cd, 10, 0);
  u16(cd, 12, 0);
  u16(cd, 14, 0x21);
  u32(cd, 16, crc);
  u32(cd, 20, size);
  u32(cd, 24, size);
  u16(cd, 28, name.length);
  // extra, comment, disk, internal and external attributes: 0
  u32(cd, 42, 0); // local header offset
  cd.set(name, 46);
  const e = 46 + name.length;
  u32(cd, e, 0x06054b50);
  u16(cd, e + 8, 1); // entries on this disk
  u16(cd, e + 10, 1); // entries
  u32(cd, e + 12, 46 + name.length); // central directory size
  u32(cd, e + 16, offset); // central directory offset
  return cd;
}

/**
 * Writes the CSV entry of the zip at `zipPath` to `csvPath`, and the same bytes as the single
 * entry `entryName` of a stored zip at `storedPath`. Returns the CSV's size in bytes.
 */
export async function unpackZip(zipPath: string, csvPath: string, storedPath: string, entryName: string): Promise<number> {
  const csv = createWriteStream(csvPath);
  let crc = 0;
  let size = 0;
  for await (const chunk of zipEntryChunks(zipPath)) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    await put(csv, chunk);
  }
  await close(csv);
  if (size >= 2 ** 32 - 1) throw new RangeError(`invalid size: ${size} (a stored zip without ZIP64 holds under 4 GiB)`);
  const name = new TextEncoder().encode(entryName);
  const out = createWriteStream(storedPath);
  const header = localHeader(name, crc >>> 0, size);
  await put(out, header);
  for await (const chunk of createReadStream(csvPath, {highWaterMark: 1 << 20})) await put(out, chunk as Uint8Array);
  await put(out, directory(name, crc >>> 0, size, header.length + size));
  await close(out);
  return size;
}
