/**
 * Bybit linear perpetual daily trade files (public.bybit.com).
 *
 * - URL: `https://public.bybit.com/trading/<SYMBOL>/<SYMBOL>YYYY-MM-DD.csv.gz` (no separator
 *   between symbol and day), one gzip CSV per UTC day, no checksum file.
 * - Header: `timestamp,symbol,side,size,price,tickDirection,trdMatchID,grossValue,homeNotional,foreignNotional`;
 *   newer files append columns (e.g. `RPI`), so columns are found by header name and only
 *   `timestamp`, `side`, `size`, `price` and `trdMatchID` are required.
 * - `timestamp` is epoch seconds with a fraction (`1735689600.0974`, 0.1 ms resolution); a file
 *   whose first row is in ms is read as ms (judged by magnitude). `side` is the taker's
 *   (`Buy` → +1, `Sell` → −1); `size` is in BTC; `price` in USDT.
 * - `trdMatchID` is a UUID; it becomes a numeric id by {@link hash53} of its text (see there for
 *   the collision odds: de-duplicate on (id, time, price, qty), not on the id alone).
 *
 * Sources for the layout (public code, found by code search): downloaders and readers of these
 * files agree on the URL pattern, this exact header (one Go reader tests the header line as a
 * prefix, so files with extra trailing columns still match) and timestamps "in seconds with
 * fractional part (e.g. 1735689600.0974)"; recent test fixtures carry an extra trailing `RPI`
 * column. The reader assumes no row order (the cleaning stage sorts).
 *
 * Quarantine reasons: `wrong column count`, `non-numeric timestamp|size|price`, `non-positive
 * size|price`, `invalid side`, `missing trdMatchID`, `symbol mismatch`, `time out of range`,
 * `time unit mismatch`. Missing header columns, an empty file or a damaged gzip throw `InputError`.
 *
 * Writing: 4-decimal second timestamps (a trade time is rounded to 0.1 ms), `tickDirection`
 * from consecutive prices within the file (the first row of a file is `ZeroPlusTick`),
 * `trdMatchID` a deterministic UUID-shaped string derived from the trade id ({@link bybitMatchId}),
 * `grossValue` = round(price·size·1e8), `homeNotional` = size, `foreignNotional` = price·size.
 */
import {join} from "node:path";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {gunzipChunks, openGzipSink} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {epochUnit, equalsAscii, FIELD_DECIMAL, FIELD_TEXT, hash53Bytes, isUnit, parseDecimal, RowScanner, scaledLast, SHIFT_TO_MS, splitFields, text, UnitGuard, type FastLine} from "./bytes.ts";
import {checkDayAndSymbol} from "./names.ts";
import type {VenueFormat} from "./types.ts";
import {COMMA, dayNumber, writeByDay, type LineBuffer} from "./writer.ts";

export const BYBIT_HEADER = "timestamp,symbol,side,size,price,tickDirection,trdMatchID,grossValue,homeNotional,foreignNotional";
const REQUIRED = ["timestamp", "side", "size", "price", "trdMatchID"] as const;

/** File name of a day: `BTCUSDT2024-08-05.csv.gz`. */
export function bybitFileName(day: string, symbol: string): string {
  checkDayAndSymbol(day, symbol);
  return `${symbol}${day}.csv.gz`;
}

/** Streams the trades of a Bybit daily trade file (see the module comment). */
export async function* readBybit(path: string, q: Quarantine, options: ReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder("bybit", path, q, options);
  let starts = new Int32Array(32);
  let ends = new Int32Array(32);
  const unit = new UnitGuard(["s", "ms"]);
  let columns = -1;
  let iTime = -1, iSymbol = -1, iSide = -1, iSize = -1, iPrice = -1, iMatch = -1;
  let symbol: string | undefined;
  // Fast path: the columns found from the header, scanned in one pass; any row that is not plain
  // goes to the general path below.
  let row: RowScanner | undefined;
  const fast: FastLine = (buf, p, limit, line) => {
    const u = unit.unit;
    if (row === undefined || u === undefined || (iSymbol >= 0 && symbol === undefined)) return -1;
    const next = row.scan(buf, p, limit);
    if (next < 0) return -1;
    const t = row.value[iTime], qty = row.value[iSize], price = row.value[iPrice];
    if (!(qty > 0 && price > 0) || epochUnit(t) !== u || row.end[iMatch] === row.start[iMatch]) return -1;
    const side = row.is(buf, iSide, "Buy") ? 1 : row.is(buf, iSide, "Sell") ? -1 : 0;
    if (side === 0 || (iSymbol >= 0 && !row.is(buf, iSymbol, symbol!))) return -1;
    builder.row();
    builder.push(row.scaled(iTime, SHIFT_TO_MS[u]), price, qty, side, hash53Bytes(buf, row.start[iMatch], row.end[iMatch]), line, buf, p, row.rowEnd);
    return next;
  };
  yield* readLines(options.chunks ?? bybit.content(path), builder, (buf, s, e, line) => {
    if (columns < 0) {
      const names = text(buf, s, e).split(",");
      const index = (name: string) => names.indexOf(name);
      const missing = REQUIRED.filter((c) => index(c) < 0);
      if (missing.length) throw new InputError(path, line, `wrong header: missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} in "${names.join(",").slice(0, 200)}" (expected "${BYBIT_HEADER}")`);
      columns = names.length;
      if (columns > starts.length) {
        starts = new Int32Array(columns + 1);
        ends = new Int32Array(columns + 1);
      }
      [iTime, iSymbol, iSide, iSize, iPrice, iMatch] = ["timestamp", "symbol", "side", "size", "price", "trdMatchID"].map(index);
      const kinds = new Uint8Array(columns).fill(FIELD_TEXT);
      for (const i of [iTime, iSize, iPrice]) kinds[i] = FIELD_DECIMAL;
      row = new RowScanner(kinds);
      return;
    }
    builder.row();
    const n = splitFields(buf, s, e, starts, ends);
    if (n !== columns) return builder.reject(line, "wrong column count", text(buf, s, e));
    const t = parseDecimal(buf, starts[iTime], ends[iTime]);
    if (Number.isNaN(t)) return builder.reject(line, "non-numeric timestamp", text(buf, s, e));
    const u = unit.check(t);
    if (!isUnit(u)) return builder.reject(line, u, text(buf, s, e));
    const time = scaledLast(SHIFT_TO_MS[u]);
    const qty = parseDecimal(buf, starts[iSize], ends[iSize]);
    if (Number.isNaN(qty)) return builder.reject(line, "non-numeric size", text(buf, s, e));
    if (!(qty > 0) || qty === Infinity) return builder.reject(line, "non-positive size", text(buf, s, e));
    const price = parseDecimal(buf, starts[iPrice], ends[iPrice]);
    if (Number.isNaN(price)) return builder.reject(line, "non-numeric price", text(buf, s, e));
    if (!(price > 0) || price === Infinity) return builder.reject(line, "non-positive price", text(buf, s, e));
    let side: number;
    if (equalsAscii(buf, starts[iSide], ends[iSide], "Buy")) side = 1;
    else if (equalsAscii(buf, starts[iSide], ends[iSide], "Sell")) side = -1;
    else return builder.reject(line, "invalid side", text(buf, s, e));
    if (ends[iMatch] <= starts[iMatch]) return builder.reject(line, "missing trdMatchID", text(buf, s, e));
    if (iSymbol >= 0) {
      if (symbol === undefined) symbol = text(buf, starts[iSymbol], ends[iSymbol]);
      else if (!equalsAscii(buf, starts[iSymbol], ends[iSymbol], symbol)) return builder.reject(line, "symbol mismatch", text(buf, s, e));
    }
    builder.push(time, price, qty, side, hash53Bytes(buf, starts[iMatch], ends[iMatch]), line, buf, s, e);
  }, fast);
  if (columns < 0) throw new InputError(path, undefined, "empty file (no header)");
}

function fmix32(h: number): number {
  // MurmurHash3's 32-bit finaliser (Austin Appleby, public domain).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (x: number) => x.toString(16).padStart(8, "0");

/**
 * A deterministic UUID-shaped match id (version nibble 5, RFC 4122 variant) for trade id `id`
 * (an integer below 2^53), as written by {@link writeBybit}: four 32-bit words, each MurmurHash3's
 * finaliser of the id's two halves mixed with a word index. The reader maps it to a number
 * with {@link hash53}.
 */
export function bybitMatchId(id: number): string {
  const lo = id >>> 0;
  const hi = Math.floor(id / 4294967296) >>> 0;
  const w = [1, 2, 3, 4].map((k) => fmix32(fmix32(lo ^ Math.imul(k, 0x9e3779b9)) ^ (hi + k)));
  const h = hex8(w[0]) + hex8(w[1]) + hex8(w[2]) + hex8(w[3]);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const HEX = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const matchWords = new Uint32Array(4);

/** Nibble j of the 32 hex digits of {@link matchWords} (most significant first within each word). */
function nib(j: number): number {
  return (matchWords[j >> 3] >>> (28 - 4 * (j & 7))) & 15;
}

/** Writes {@link bybitMatchId}`(id)` into `out`, byte for byte, without building its string. */
export function writeMatchId(id: number, out: LineBuffer): void {
  const lo = id >>> 0;
  const hi = Math.floor(id / 4294967296) >>> 0;
  for (let k = 1; k <= 4; ++k) matchWords[k - 1] = fmix32(fmix32(lo ^ Math.imul(k, 0x9e3779b9)) ^ (hi + k));
  for (let j = 0; j < 8; ++j) out.byte(HEX[nib(j)]);
  out.byte(0x2d);
  for (let j = 8; j < 12; ++j) out.byte(HEX[nib(j)]);
  out.byte(0x2d);
  out.byte(0x35);
  for (let j = 13; j < 16; ++j) out.byte(HEX[nib(j)]);
  out.byte(0x2d);
  out.byte(HEX[(nib(16) & 0x3) | 0x8]);
  for (let j = 17; j < 20; ++j) out.byte(HEX[nib(j)]);
  out.byte(0x2d);
  for (let j = 20; j < 32; ++j) out.byte(HEX[nib(j)]);
}

/** Seconds with 4 decimals for epoch ms `t` (rounded to 0.1 ms). */
export function bybitTimestamp(t: number): string {
  const k = Math.round(t * 10);
  const sec = Math.floor(k / 10000);
  return `${sec}.${String(k - sec * 10000).padStart(4, "0")}`;
}

/** Writes time-sorted trades as Bybit daily csv.gz files under `dir`; returns the file names. */
export async function writeBybit(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]> {
  return writeByDay(trades, {
    venue: "bybit",
    needsId: true,
    fileDay: (t) => dayNumber(Math.round(t * 10) / 10),
    async open(day) {
      const name = bybitFileName(day, symbol);
      const sink = await openGzipSink(join(dir, name));
      await sink.write(`${BYBIT_HEADER}\n`);
      let previous = NaN;
      let direction = "ZeroPlusTick";
      const buy = `,${symbol},Buy,`, sell = `,${symbol},Sell,`;
      return {
        sink,
        name,
        // timestamp,symbol,side,size,price,tickDirection,trdMatchID,grossValue,homeNotional,foreignNotional
        row(b, i, out) {
          const price = b.price[i];
          const qty = b.qty[i];
          if (price > previous) direction = "PlusTick";
          else if (price < previous) direction = "MinusTick";
          else direction = direction === "PlusTick" || direction === "ZeroPlusTick" ? "ZeroPlusTick" : "ZeroMinusTick";
          previous = price;
          // bybitTimestamp: seconds with 4 decimals (0.1 ms).
          const k = Math.round(b.time[i] * 10);
          const sec = Math.floor(k / 10000);
          out.int(sec);
          out.byte(0x2e);
          out.intPad(k - sec * 10000, 4);
          out.text(b.side[i] > 0 ? buy : sell);
          out.num(qty);
          out.byte(COMMA);
          out.num(price);
          out.byte(COMMA);
          out.text(direction);
          out.byte(COMMA);
          writeMatchId(b.id[i], out);
          out.byte(COMMA);
          out.num(Math.round(price * qty * 1e8));
          out.byte(COMMA);
          out.num(qty);
          out.byte(COMMA);
          out.num(Math.round(price * qty * 1e8) / 1e8);
          out.byte(0x0a);
        }
      };
    }
  });
}

export const bybit: VenueFormat = {
  venue: "bybit",
  filesForDay: (day, symbol) => [bybitFileName(day, symbol)],
  read: (path, q) => readBybit(path, q),
  content: (path) => gunzipChunks(path),
  write: writeBybit
};
