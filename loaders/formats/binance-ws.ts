/**
 * hftbacktest recordings of Binance websocket streams (nkaz001/hftbacktest's collector).
 *
 * Gzip text, one line per received message: `<local_receive_ts><space><raw JSON>`, the receive
 * time in µs (2023 `.dat.gz` files) or ns (2024 `.gz` files), the JSON exactly as Binance sent
 * it — usually a combined-stream envelope `{"stream":"btcusdt@trade","data":{…}}`, sometimes a
 * bare payload or a REST depth snapshot. Only trade messages are read (`"e":"trade"`; the
 * bookTicker, depth and markPrice channels are other lines):
 * - USD-M futures: `{"e":"trade","E":event_ms,"T":trade_ms,"s":"BTCUSDT","t":id,"p":"price","q":"qty","X":"MARKET","m":is_buyer_maker}`
 * - spot: `{"e":"trade","E":…,"s":…,"t":…,"p":…,"q":…,"b":…,"a":…,"T":…,"m":…,"M":…}` (no `X`).
 * Trade ids are the ids of Binance's daily trade archives.
 *
 * Messages are normalised by the parser the live page uses (lib/messages/binance.ts):
 * time = `T` (exchange trade time, ms; the receive time is not used), id = `t`,
 * price = `p`, qty = `q` (BTC), side = +1 when `m` is false (the buyer was the taker), −1 when true.
 * Futures trades with `X` = `MARKET` (and spot trades, which have no `X`) are kept; `X` =
 * `INSURANCE_FUND` trades (liquidations filled by the insurance fund, not by an order on the
 * book) are counted separately under the quarantine reason `insurance-fund trade`, any other
 * `X` under `non-market trade`. Other reasons: `malformed line` (no space), `malformed JSON`,
 * `invalid trade fields`, `symbol mismatch` (with `options.symbol`), `outside span`.
 */
import type {Venue} from "../config.ts";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {maybeGzipChunks} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {indexOfBytes, text, utf8Text, MAX_RECORDING_LINE_BYTES} from "./bytes.ts";
import {binanceTrade} from "../../lib/messages/binance.ts";
import {isRejection} from "../../lib/messages/types.ts";

export interface RecordingStats {
  /** Lines in the file (all messages). */
  lines: number;
  /** Trade messages seen. */
  trades: number;
}

export interface BinanceWsReadOptions extends ReadOptions {
  /** Venue tag (default `binance`; spot recordings are tagged `binance` too unless told otherwise). */
  venue?: Venue;
  /** Keep only trades of this symbol (`s`), quarantining others as `symbol mismatch`. */
  symbol?: string;
  /** Filled with line and message counts. */
  recording?: RecordingStats;
}

const TRADE = new TextEncoder().encode('"e":"trade"');

/** Streams the trades of an hftbacktest Binance recording (see the module comment). */
export async function* readBinanceWs(path: string, q: Quarantine, options: BinanceWsReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder(options.venue ?? "binance", path, q, options);
  const rec = options.recording ?? {lines: 0, trades: 0};
  const lines = readLines(maybeGzipChunks(path), builder, (buf, s, e, line) => {
    if (indexOfBytes(buf, TRADE, s, e) < 0) return;
    ++rec.trades;
    builder.row();
    const space = buf.indexOf(32, s);
    if (space < 0 || space >= e) return builder.reject(line, "malformed line", text(buf, s, e));
    let msg: any;
    try {
      msg = JSON.parse(utf8Text(buf, space + 1, e));
    } catch {
      return builder.reject(line, "malformed JSON", text(buf, s, e));
    }
    const t = binanceTrade(msg, options.symbol);
    if (isRejection(t)) return builder.reject(line, t, text(buf, s, e));
    builder.push(t.time, t.price, t.qty, t.side, t.id, line, buf, s, e);
  }, undefined, MAX_RECORDING_LINE_BYTES);
  rec.lines = yield* lines;
}
