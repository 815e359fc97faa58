/**
 * Coinbase Exchange BTC-USD spot trades: the workbook's own daily cache layout for what the
 * public REST endpoint serves (Coinbase publishes no daily trade archive).
 *
 * Source: `GET https://api.exchange.coinbase.com/products/BTC-USD/trades` returns a JSON array
 * of `{time, trade_id, price, size, side}`, newest first, paginated backwards with `?after=<cursor>`
 * and the `CB-AFTER` response header (see `loaders/sources/coinbase.ts`). Coinbase's `side` is
 * the side of the MAKER order ("The trade side indicates the maker order side"), so the
 * aggressor is the opposite: `side: "sell"` is a buyer-initiated trade (+1), `"buy"` a
 * seller-initiated one (−1).
 *
 * Cache layout (our design): one gzip CSV per UTC day, `BTC-USD-YYYY-MM-DD.csv.gz`, header
 * `trade_id,time,price,size,side`, one row per trade in ascending `trade_id`, every field kept as
 * Coinbase sent it — `time` ISO-8601 UTC with up to µs (`2024-08-05T00:00:00.12345Z`), `price` in
 * USD, `size` in BTC, `side` the maker side `buy`/`sell` — so the file is the API's own data,
 * reordered and without JSON punctuation.
 *
 * Quarantine reasons: `wrong column count`, `non-numeric trade_id|price|size`, `non-positive
 * price|size`, `invalid time`, `invalid side`, `outside span`. A wrong header, an empty file or a
 * damaged gzip throws `InputError`. Writing from trade batches formats `time` with µs
 * ({@link isoMicros}) and the maker side opposite to the aggressor.
 */
import {join} from "node:path";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {gunzipChunks, openGzipSink} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {equalsAscii, FIELD_DECIMAL, FIELD_TEXT, FIELD_UINT, isoMicros, parseDecimal, parseIsoMs, parseUint, RowScanner, splitFields, text, type FastLine} from "./bytes.ts";
import {checkDayAndSymbol} from "./names.ts";
import type {VenueFormat} from "./types.ts";
import {COMMA, dayNumber, writeByDay} from "./writer.ts";

export const COINBASE_HEADER = "trade_id,time,price,size,side";

/** Coinbase product of a workbook symbol: `BTCUSDT` → `BTC-USD` (Coinbase's BTC book is quoted in USD); `BTC-USD` passes through. */
export function coinbaseProduct(symbol: string): string {
  if (symbol.includes("-")) return symbol;
  const m = /^([A-Z0-9]+?)(USDT|USDC|USD)$/.exec(symbol);
  if (!m) throw new RangeError(`invalid symbol: ${JSON.stringify(symbol)} (cannot map to a Coinbase product)`);
  return `${m[1]}-USD`;
}

/** Cache file name of a UTC day: `BTC-USD-2024-08-05.csv.gz`. */
export function coinbaseFileName(day: string, symbol: string): string {
  checkDayAndSymbol(day, symbol);
  return `${coinbaseProduct(symbol)}-${day}.csv.gz`;
}

/** One cache row from Coinbase's own field texts (`side` is the maker side, as Coinbase sends it). */
export function coinbaseLine(tradeId: number | string, time: string, price: string, size: string, side: string): string {
  return `${tradeId},${time},${price},${size},${side}\n`;
}

/** Streams the trades of a Coinbase daily cache file (see the module comment). */
export async function* readCoinbase(path: string, q: Quarantine, options: ReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder("coinbase", path, q, options);
  const starts = new Int32Array(8);
  const ends = new Int32Array(8);
  let header = false;
  // Fast path for a plain row, scanned in one pass; any other goes to the general path below.
  const row = new RowScanner(Uint8Array.of(FIELD_UINT, FIELD_TEXT, FIELD_DECIMAL, FIELD_DECIMAL, FIELD_TEXT));
  const fast: FastLine = (buf, p, limit, line) => {
    if (!header) return -1;
    const next = row.scan(buf, p, limit);
    if (next < 0) return -1;
    const price = row.value[2], qty = row.value[3];
    const time = parseIsoMs(buf, row.start[1], row.end[1]);
    const side = row.is(buf, 4, "sell") ? 1 : row.is(buf, 4, "buy") ? -1 : 0;
    if (!(price > 0 && qty > 0) || Number.isNaN(time) || side === 0) return -1;
    builder.row();
    builder.push(time, price, qty, side, row.value[0], line, buf, p, row.rowEnd);
    return next;
  };
  yield* readLines(options.chunks ?? coinbase.content(path), builder, (buf, s, e, line) => {
    if (!header) {
      if (!equalsAscii(buf, s, e, COINBASE_HEADER)) throw new InputError(path, line, `wrong header: expected "${COINBASE_HEADER}", got "${text(buf, s, Math.min(e, s + 200))}"`);
      header = true;
      return;
    }
    builder.row();
    const n = splitFields(buf, s, e, starts, ends);
    if (n !== 5) return builder.reject(line, "wrong column count", text(buf, s, e));
    const id = parseUint(buf, starts[0], ends[0]);
    if (Number.isNaN(id)) return builder.reject(line, "non-numeric trade_id", text(buf, s, e));
    const time = parseIsoMs(buf, starts[1], ends[1]);
    if (Number.isNaN(time)) return builder.reject(line, "invalid time", text(buf, s, e));
    const price = parseDecimal(buf, starts[2], ends[2]);
    if (Number.isNaN(price)) return builder.reject(line, "non-numeric price", text(buf, s, e));
    if (!(price > 0) || price === Infinity) return builder.reject(line, "non-positive price", text(buf, s, e));
    const qty = parseDecimal(buf, starts[3], ends[3]);
    if (Number.isNaN(qty)) return builder.reject(line, "non-numeric size", text(buf, s, e));
    if (!(qty > 0) || qty === Infinity) return builder.reject(line, "non-positive size", text(buf, s, e));
    let side: number;
    if (equalsAscii(buf, starts[4], ends[4], "sell")) side = 1;
    else if (equalsAscii(buf, starts[4], ends[4], "buy")) side = -1;
    else return builder.reject(line, "invalid side", text(buf, s, e));
    builder.push(time, price, qty, side, id, line, buf, s, e);
  }, fast);
  if (!header) throw new InputError(path, undefined, "empty file (no header)");
}

/** Writes time-sorted trades as Coinbase daily cache files under `dir`; returns the file names. */
export async function writeCoinbase(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]> {
  return writeByDay(trades, {
    venue: "coinbase",
    needsId: true,
    fileDay: (t) => dayNumber(Math.round(t * 1000) / 1000),
    async open(day) {
      const name = coinbaseFileName(day, symbol);
      const sink = await openGzipSink(join(dir, name));
      await sink.write(`${COINBASE_HEADER}\n`);
      // The ISO text of the current second, reused by the trades within it.
      let second = NaN;
      let iso = "";
      return {
        sink,
        name,
        // coinbaseLine(trade_id, isoMicros(time), price, size, side)
        row(b, i, out) {
          const us = Math.round(b.time[i] * 1000);
          const sec = Math.floor(us / 1e6);
          if (sec !== second) (second = sec), (iso = new Date(sec * 1000).toISOString().slice(0, 19));
          const frac = us - sec * 1e6;
          out.int(b.id[i]);
          out.byte(COMMA);
          out.text(iso);
          if (frac !== 0) {
            out.byte(0x2e);
            const start = out.pos;
            out.intPad(frac, 6);
            while (out.pos > start && out.last === 0x30) out.pos--;
          }
          out.byte(0x5a);
          out.byte(COMMA);
          out.num(b.price[i]);
          out.byte(COMMA);
          out.num(b.qty[i]);
          out.text(b.side[i] > 0 ? ",sell\n" : ",buy\n");
        }
      };
    }
  });
}

export const coinbase: VenueFormat = {
  venue: "coinbase",
  filesForDay: (day, symbol) => [coinbaseFileName(day, symbol)],
  read: (path, q) => readCoinbase(path, q),
  content: (path) => gunzipChunks(path),
  write: writeCoinbase
};
