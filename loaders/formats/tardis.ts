/**
 * Tardis.dev normalised trades CSV (any venue), plain or gzip-compressed (judged by magic bytes).
 *
 * Header, exactly: `exchange,symbol,timestamp,local_timestamp,id,side,price,amount`
 * (docs.tardis.dev, "downloadable CSV files", data type `trades`). `timestamp` is the exchange
 * time and `local_timestamp` Tardis's receive time, both in µs since the epoch; `side` is the
 * aggressor (`buy` → +1, `sell` → −1, `unknown` → 0); `amount` is the trade amount as the
 * exchange reports it: BTC for Binance futures, Bybit linear and Coinbase, contracts for OKX
 * swaps (converted with the contract value, 0.01 BTC for BTC-USDT-SWAP); `id` is the exchange
 * trade id — numeric ids are kept, other strings (UUIDs) become {@link hash53} of their text,
 * an empty id is NaN.
 *
 * The venue comes from the `exchange` column (`binance-futures` → binance, `bybit` → bybit,
 * `okex-swap` → okx, `coinbase` → coinbase) or from `options.venue`; one file holds one
 * exchange and symbol (the first data row's): other rows are quarantined (`exchange mismatch`,
 * `symbol mismatch`). Other reasons: `wrong column count`, `non-numeric timestamp|price|amount`,
 * `non-positive price|amount`, `invalid side`, `time out of range`, `time unit mismatch`
 * (Tardis times are µs: a row in ms or ns is rejected), `outside span`.
 */
import type {Venue} from "../config.ts";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {maybeGzipChunks} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {equalsAscii, hash53Bytes, isUnit, parseDecimal, parseUint, scaledLast, SHIFT_TO_MS, splitFields, text, UnitGuard} from "./bytes.ts";
import {OKX_CONTRACT_EXPONENT} from "./okx.ts";

export const TARDIS_HEADER = "exchange,symbol,timestamp,local_timestamp,id,side,price,amount";

/** Tardis exchange ids of the workbook's venues. */
export const TARDIS_EXCHANGES: Record<string, Venue> = {"binance-futures": "binance", bybit: "bybit", "okex-swap": "okx", coinbase: "coinbase"};

export interface TardisReadOptions extends ReadOptions {
  /** Venue tag of the batches, overriding the `exchange` column's mapping. */
  venue?: Venue;
  /** Base currency per contract for `amount` (default: 0.01 for okex-swap BTC-USDT-SWAP, else 1). */
  contractValue?: number;
}

/** Streams the trades of a Tardis trades CSV (see the module comment). */
export async function* readTardis(path: string, q: Quarantine, options: TardisReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder(options.venue ?? "binance", path, q, options);
  const starts = new Int32Array(10);
  const ends = new Int32Array(10);
  const unit = new UnitGuard(["us"]);
  let header = false;
  let exchange: string | undefined;
  let symbol: string | undefined;
  let shift = 0;
  let factor = 1;
  yield* readLines(maybeGzipChunks(path), builder, (buf, s, e, line) => {
    if (!header) {
      if (!equalsAscii(buf, s, e, TARDIS_HEADER)) throw new InputError(path, line, `wrong header: expected "${TARDIS_HEADER}", got "${text(buf, s, Math.min(e, s + 200))}"`);
      header = true;
      return;
    }
    builder.row();
    const n = splitFields(buf, s, e, starts, ends);
    if (n !== 8) return builder.reject(line, "wrong column count", text(buf, s, e));
    if (exchange === undefined) {
      exchange = text(buf, starts[0], ends[0]);
      symbol = text(buf, starts[1], ends[1]);
      const venue = options.venue ?? TARDIS_EXCHANGES[exchange];
      if (venue === undefined) throw new InputError(path, line, `unknown Tardis exchange "${exchange}" (known: ${Object.keys(TARDIS_EXCHANGES).join(", ")}; or pass venue)`);
      builder.retag(venue);
      if (options.contractValue !== undefined) {
        if (!(options.contractValue > 0)) throw new RangeError(`invalid contractValue: ${options.contractValue}`);
        factor = options.contractValue;
      } else if (exchange === "okex-swap") {
        const e10 = OKX_CONTRACT_EXPONENT[symbol];
        if (e10 === undefined) throw new InputError(path, line, `unknown contract value for okex-swap ${symbol} (pass contractValue)`);
        shift = e10;
      }
    } else {
      if (!equalsAscii(buf, starts[0], ends[0], exchange)) return builder.reject(line, "exchange mismatch", text(buf, s, e));
      if (!equalsAscii(buf, starts[1], ends[1], symbol!)) return builder.reject(line, "symbol mismatch", text(buf, s, e));
    }
    const t = parseDecimal(buf, starts[2], ends[2]);
    if (Number.isNaN(t)) return builder.reject(line, "non-numeric timestamp", text(buf, s, e));
    const u = unit.check(t);
    if (!isUnit(u)) return builder.reject(line, u, text(buf, s, e));
    const time = scaledLast(SHIFT_TO_MS[u]);
    let id = parseUint(buf, starts[4], ends[4]);
    if (Number.isNaN(id) && ends[4] > starts[4]) id = hash53Bytes(buf, starts[4], ends[4]);
    let side: number;
    if (equalsAscii(buf, starts[5], ends[5], "buy")) side = 1;
    else if (equalsAscii(buf, starts[5], ends[5], "sell")) side = -1;
    else if (equalsAscii(buf, starts[5], ends[5], "unknown")) side = 0;
    else return builder.reject(line, "invalid side", text(buf, s, e));
    const price = parseDecimal(buf, starts[6], ends[6]);
    if (Number.isNaN(price)) return builder.reject(line, "non-numeric price", text(buf, s, e));
    if (!(price > 0) || price === Infinity) return builder.reject(line, "non-positive price", text(buf, s, e));
    const amount = parseDecimal(buf, starts[7], ends[7]);
    if (Number.isNaN(amount)) return builder.reject(line, "non-numeric amount", text(buf, s, e));
    if (!(amount > 0) || amount === Infinity) return builder.reject(line, "non-positive amount", text(buf, s, e));
    const qty = factor !== 1 ? amount * factor : shift !== 0 ? scaledLast(shift) : amount;
    builder.push(time, price, qty, side, id, line, buf, s, e);
  });
  if (!header) throw new InputError(path, undefined, "empty file (no header)");
}
