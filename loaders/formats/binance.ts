/**
 * Binance USD-M futures daily trade archives (data.binance.vision).
 *
 * - URL: `https://data.binance.vision/data/futures/um/daily/trades/<SYMBOL>/<SYMBOL>-trades-YYYY-MM-DD.zip`,
 *   checksum beside it at `<zip>.CHECKSUM` holding `<sha256>  <zip name>`.
 * - The zip holds one CSV, `<SYMBOL>-trades-YYYY-MM-DD.csv`, one row per trade of the UTC day:
 *   `id,price,qty,quote_qty,time,is_buyer_maker`, e.g. `3535188229,28155.1,0.001,28.1551,1680652804962,true`.
 *   Files of days before 2022-08-11 have no header row (the reader tells by the first field:
 *   `id` or a number); newer files start with exactly that header.
 * - `time` is epoch milliseconds (Binance's spot archives moved to microseconds in 2025; a file
 *   whose first row is in µs is read as µs, judged by magnitude). `qty` is in BTC, `price` in USDT.
 * - `is_buyer_maker` is `true`/`false`: the aggressor is the buyer when it is `false`, so
 *   side = +1 for `false`, −1 for `true`.
 * - Spot archives (`data/spot/daily/trades/…`) have the same first six columns, no header and a
 *   seventh, `is_best_match`, with Python-style booleans: e.g.
 *   `4120379837,97455.99000000,0.00024000,23.38943760,1735689600072542,True,True` (µs times from
 *   2025-01-01, ms before). A file with the header has the futures layout (6 columns); in one
 *   without, the reader takes the column count of the first data row (6 or 7) and holds every row
 *   to it; `is_best_match` must be a boolean and is otherwise ignored.
 *
 * Rows that cannot be used are quarantined with reasons `wrong column count`, `non-numeric <column>`,
 * `non-positive price`, `non-positive qty`, `invalid is_buyer_maker`, `invalid is_best_match`, `time out of range`,
 * `time unit mismatch`; a wrong header, an empty file or a damaged zip throws `InputError`.
 * Writing puts the header in files of days from 2022-08-11 on, writes integer ms times (a
 * fractional ms is truncated: Binance archives carry ms) and shortest round-trip numbers,
 * `quote_qty` = price·qty rounded to 8 decimals.
 */
import {join} from "node:path";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {openZipSink, zipEntryChunks} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {epochUnit, equalsAscii, equalsAsciiIgnoreCase, FIELD_DECIMAL, FIELD_TEXT, FIELD_UINT, isUnit, parseDecimal, parseUint, RowScanner, scaledLast, SHIFT_TO_MS, splitFields, text, UnitGuard, type FastLine} from "./bytes.ts";
import type {VenueFormat} from "./types.ts";
import {COMMA, dayNumber, writeByDay} from "./writer.ts";
import {checkDayAndSymbol} from "./names.ts";

export const BINANCE_HEADER = "id,price,qty,quote_qty,time,is_buyer_maker";
/** First UTC day whose archive starts with {@link BINANCE_HEADER}. */
export const BINANCE_HEADER_SINCE = "2022-08-11";

/** Archive name of a day: `BTCUSDT-trades-2024-08-05.zip`. */
export function binanceFileName(day: string, symbol: string): string {
  checkDayAndSymbol(day, symbol);
  return `${symbol}-trades-${day}.zip`;
}

/** Name of the CSV inside the archive: `BTCUSDT-trades-2024-08-05.csv`. */
export function binanceCsvName(day: string, symbol: string): string {
  checkDayAndSymbol(day, symbol);
  return `${symbol}-trades-${day}.csv`;
}

/** Streams the trades of a Binance daily trade zip (see the module comment for the layout and quarantine reasons). */
export async function* readBinance(path: string, q: Quarantine, options: ReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder("binance", path, q, options);
  const starts = new Int32Array(8);
  const ends = new Int32Array(8);
  const unit = new UnitGuard(["ms", "us"]);
  let first = true;
  // Columns of the file's rows: 6 (USD-M futures) or 7 (spot, with is_best_match), from its first data row.
  let columns = 0;
  // Fast path for a plain row in the file's time unit: one pass over its bytes, the same values
  // as the general path below, which takes every row this one declines.
  const futuresRow = new RowScanner(Uint8Array.of(FIELD_UINT, FIELD_DECIMAL, FIELD_DECIMAL, FIELD_DECIMAL, FIELD_UINT, FIELD_TEXT));
  const spotRow = new RowScanner(Uint8Array.of(FIELD_UINT, FIELD_DECIMAL, FIELD_DECIMAL, FIELD_DECIMAL, FIELD_UINT, FIELD_TEXT, FIELD_TEXT));
  const fast: FastLine = (buf, p, limit, line) => {
    const u = unit.unit;
    if (first || u === undefined) return -1;
    const row = columns === 7 ? spotRow : futuresRow;
    const value = row.value;
    const next = row.scan(buf, p, limit);
    if (next < 0) return -1;
    const price = value[1], qty = value[2], t = value[4];
    if (!(price > 0 && qty > 0) || epochUnit(t) !== u) return -1;
    const side = row.is(buf, 5, "false", true) ? 1 : row.is(buf, 5, "true", true) ? -1 : 0;
    if (side === 0) return -1;
    if (columns === 7 && !(row.is(buf, 6, "true", true) || row.is(buf, 6, "false", true))) return -1;
    builder.row();
    builder.push(u === "ms" ? t : t / 1000, price, qty, side, value[0], line, buf, p, row.rowEnd);
    return next;
  };
  const lines = readLines(options.chunks ?? binance.content(path), builder, (buf, s, e, line) => {
    const n = splitFields(buf, s, e, starts, ends);
    if (first) {
      first = false;
      if (equalsAscii(buf, starts[0], ends[0], "id")) {
        if (!equalsAscii(buf, s, e, BINANCE_HEADER))
          throw new InputError(path, line, `wrong header: expected "${BINANCE_HEADER}", got "${text(buf, s, Math.min(e, s + 200))}"`);
        columns = 6; // the header is the futures layout's; spot archives have none
        return;
      }
      if (Number.isNaN(parseUint(buf, starts[0], ends[0])))
        throw new InputError(path, line, `wrong header: expected "${BINANCE_HEADER}" or a data row, got "${text(buf, s, Math.min(e, s + 200))}"`);
    }
    builder.row();
    if (columns === 0 && (n === 6 || n === 7)) columns = n;
    if (n !== columns) return builder.reject(line, "wrong column count", text(buf, s, e));
    const id = parseUint(buf, starts[0], ends[0]);
    if (Number.isNaN(id)) return builder.reject(line, "non-numeric id", text(buf, s, e));
    const price = parseDecimal(buf, starts[1], ends[1]);
    if (Number.isNaN(price)) return builder.reject(line, "non-numeric price", text(buf, s, e));
    if (!(price > 0) || price === Infinity) return builder.reject(line, "non-positive price", text(buf, s, e));
    const qty = parseDecimal(buf, starts[2], ends[2]);
    if (Number.isNaN(qty)) return builder.reject(line, "non-numeric qty", text(buf, s, e));
    if (!(qty > 0) || qty === Infinity) return builder.reject(line, "non-positive qty", text(buf, s, e));
    if (Number.isNaN(parseDecimal(buf, starts[3], ends[3]))) return builder.reject(line, "non-numeric quote_qty", text(buf, s, e));
    const t = parseDecimal(buf, starts[4], ends[4]);
    if (Number.isNaN(t)) return builder.reject(line, "non-numeric time", text(buf, s, e));
    const u = unit.check(t);
    if (!isUnit(u)) return builder.reject(line, u, text(buf, s, e));
    const time = scaledLast(SHIFT_TO_MS[u]);
    let side: number;
    if (equalsAsciiIgnoreCase(buf, starts[5], ends[5], "false")) side = 1;
    else if (equalsAsciiIgnoreCase(buf, starts[5], ends[5], "true")) side = -1;
    else return builder.reject(line, "invalid is_buyer_maker", text(buf, s, e));
    if (columns === 7 && !equalsAsciiIgnoreCase(buf, starts[6], ends[6], "true") && !equalsAsciiIgnoreCase(buf, starts[6], ends[6], "false"))
      return builder.reject(line, "invalid is_best_match", text(buf, s, e));
    builder.push(time, price, qty, side, id, line, buf, s, e);
  }, fast);
  yield* lines;
  if (first) throw new InputError(path, undefined, "empty file (no rows)");
}

/** Writes time-sorted trades as Binance daily trade zips under `dir`, one per UTC day; returns the file names. */
export async function writeBinance(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]> {
  return writeByDay(trades, {
    venue: "binance",
    needsId: true,
    fileDay: dayNumber,
    async open(day) {
      const name = binanceFileName(day, symbol);
      const sink = await openZipSink(join(dir, name), binanceCsvName(day, symbol));
      if (day >= BINANCE_HEADER_SINCE) await sink.write(`${BINANCE_HEADER}\n`);
      return {
        sink,
        name,
        // id,price,qty,quote_qty,time,is_buyer_maker
        row(b, i, out) {
          const price = b.price[i];
          const qty = b.qty[i];
          out.int(b.id[i]);
          out.byte(COMMA);
          out.num(price);
          out.byte(COMMA);
          out.num(qty);
          out.byte(COMMA);
          out.num(Math.round(price * qty * 1e8) / 1e8);
          out.byte(COMMA);
          out.int(Math.floor(b.time[i]));
          out.text(b.side[i] > 0 ? ",false\n" : ",true\n");
        }
      };
    }
  });
}

export const binance: VenueFormat = {
  venue: "binance",
  filesForDay: (day, symbol) => [binanceFileName(day, symbol)],
  read: (path, q) => readBinance(path, q),
  content: (path) => zipEntryChunks(path),
  write: writeBinance
};
