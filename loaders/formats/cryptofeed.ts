/**
 * cryptofeed "format 2" raw recordings (bmoscon/cryptofeed, `sample_data/*.jsonl.zst`):
 * zstd-compressed JSON lines, each an envelope
 * `{"t":"header"|"http"|"connect"|"send"|"recv","conn":…,"ts":<local epoch s>,"data":"<raw payload>"}`.
 * The first line (`"t":"header"`) names the exchange; `connect` lines give each connection's
 * websocket address; `recv` lines carry the exchange's payload unmodified, as a string.
 * Trades are read from three payload kinds, each normalised by the parser the live page uses
 * (lib/messages/bybit.ts, okx.ts, coinbase.ts):
 *
 * - Bybit v5 `publicTrade.<SYMBOL>`: `{"topic":…,"data":[{"T":ms,"s":…,"S":"Buy"|"Sell","v":size,"p":price,"i":uuid,…}]}`;
 *   `S` is the taker side; `v` is in BTC on both the linear and the spot connection, which are
 *   told apart by the connection address (`…/v5/public/linear` or `…/spot`, `options.category`,
 *   default `linear`, the perpetual). id = {@link hash53} of `i`.
 * - OKX v5 `trades` (and `trades-all`): `{"arg":{"channel":"trades","instId":…},"data":[{"instId","tradeId","px","sz","side","ts"}]}`;
 *   `side` is the taker side; `sz` is in contracts for swaps (× contract value, 0.01 BTC for
 *   BTC-USDT-SWAP) and in BTC for spot (`BTC-USDT`).
 * - Coinbase Advanced Trade `market_trades`: `{"channel":"market_trades","events":[{"type":"snapshot"|"update","trades":[{"trade_id","product_id","price","size","side","time"}]}]}`.
 *   `side` is the MAKER side, as on Coinbase Exchange: in the recorded BTC-USD capture, 25 of the
 *   28 trades printed at a higher price than the previous trade carry `SELL` and 32 of the 35
 *   printed lower carry `BUY` — the signature of maker-side labels — so the aggressor is the
 *   opposite. The snapshot repeats recent trades newest first; nothing is de-duplicated here.
 *
 * The instrument defaults to the workbook's book on each venue (`BTCUSDT`, `BTC-USDT-SWAP`,
 * `BTC-USD`); messages of other channels, instruments or connections are not trade rows of the
 * file and are ignored. Quarantine reasons: `malformed JSON` (envelope or payload),
 * `invalid trade fields`, `outside span`. A file without a header line throws `InputError`.
 */
import type {Venue} from "../config.ts";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {head, maybeGzipChunks, zstdChunks} from "./archive.ts";
import {BatchBuilder, readLines, type ReadOptions} from "./batch.ts";
import {text, utf8Text, MAX_RECORDING_LINE_BYTES} from "./bytes.ts";
import {bybitTrade, bybitTradeItems} from "../../lib/messages/bybit.ts";
import {coinbaseTrade, coinbaseTradeItems} from "../../lib/messages/coinbase.ts";
import {okxTrade, okxTradeItems} from "../../lib/messages/okx.ts";
import {isRejection} from "../../lib/messages/types.ts";
import type {RecordingStats} from "./binance-ws.ts";
import {OKX_CONTRACT_EXPONENT} from "./okx.ts";

/** cryptofeed exchange ids of the workbook's venues. */
export const CRYPTOFEED_EXCHANGES: Record<string, Venue> = {BYBIT: "bybit", OKX: "okx", COINBASE: "coinbase", BINANCE_FUTURES: "binance"};

const DEFAULT_INSTRUMENT: Partial<Record<Venue, string>> = {bybit: "BTCUSDT", okx: "BTC-USDT-SWAP", coinbase: "BTC-USD", binance: "BTCUSDT"};

export interface CryptofeedReadOptions extends ReadOptions {
  /** Instrument as the exchange names it (default: BTCUSDT, BTC-USDT-SWAP, BTC-USD). */
  instrument?: string;
  /** Bybit connection category (default `linear`). */
  category?: "linear" | "spot";
  /** OKX base currency per contract (default from the instrument: 0.01 for BTC-USDT-SWAP, 1 for spot). */
  contractValue?: number;
  /** Filled with line and trade counts. */
  recording?: RecordingStats;
}


/** Streams the trades of a cryptofeed format-2 recording (see the module comment). */
export async function* readCryptofeed(path: string, q: Quarantine, options: CryptofeedReadOptions = {}): AsyncGenerator<TradeBatch> {
  const magic = await head(path, 4);
  const zstd = magic.length === 4 && magic[0] === 0x28 && magic[1] === 0xb5 && magic[2] === 0x2f && magic[3] === 0xfd;
  const builder = new BatchBuilder("bybit", path, q, options);
  const rec = options.recording ?? {lines: 0, trades: 0};
  const category = options.category ?? "linear";
  let venue: Venue | undefined;
  let instrument = options.instrument;
  const okxScale = {shift: 0, factor: 1};
  const connCategory = new Map<string, string>();

  const bad = (line: number, buf: Uint8Array, s: number, e: number) => builder.reject(line, "invalid trade fields", text(buf, s, e));

  const lines = readLines(zstd ? zstdChunks(path) : maybeGzipChunks(path), builder, (buf, s, e, line) => {
    let env: any;
    try {
      env = JSON.parse(utf8Text(buf, s, e));
    } catch {
      builder.row();
      return builder.reject(line, "malformed JSON", text(buf, s, e));
    }
    if (venue === undefined) {
      if (env?.t !== "header") throw new InputError(path, line, `not a cryptofeed format-2 recording: the first line is not a header`);
      venue = CRYPTOFEED_EXCHANGES[env.exchange];
      if (venue === undefined) throw new InputError(path, line, `unsupported cryptofeed exchange "${env.exchange}" (known: ${Object.keys(CRYPTOFEED_EXCHANGES).join(", ")})`);
      builder.retag(venue);
      instrument ??= DEFAULT_INSTRUMENT[venue];
      if (venue === "okx") {
        if (options.contractValue !== undefined) okxScale.factor = options.contractValue;
        else {
          const e10 = instrument === undefined ? undefined : OKX_CONTRACT_EXPONENT[instrument];
          if (e10 === undefined && /-SWAP$|-\d{6}$/.test(instrument ?? "")) throw new InputError(path, undefined, `unknown contract value for ${instrument} (pass contractValue)`);
          okxScale.shift = e10 ?? 0;
        }
      }
      return;
    }
    if (env?.t === "connect" && typeof env.addr === "string") {
      connCategory.set(env.conn, /\/spot\b/.test(env.addr) ? "spot" : /\/linear\b/.test(env.addr) ? "linear" : /\/inverse\b/.test(env.addr) ? "inverse" : "option");
      return;
    }
    if (env?.t !== "recv" || typeof env.data !== "string") return;
    const raw: string = env.data;
    let msg: any;
    if (venue === "bybit") {
      if (!raw.includes(`"publicTrade.${instrument}"`)) return;
      if ((connCategory.get(env.conn) ?? "linear") !== category) return;
      try {
        msg = JSON.parse(raw);
      } catch {
        builder.row();
        return builder.reject(line, "malformed JSON", text(buf, s, e));
      }
      const items = bybitTradeItems(msg, instrument!);
      if (items === null) return;
      for (const item of items) {
        ++rec.trades;
        builder.row();
        const t = bybitTrade(item);
        if (isRejection(t)) bad(line, buf, s, e);
        else builder.push(t.time, t.price, t.qty, t.side, t.id, line, buf, s, e);
      }
    } else if (venue === "okx") {
      if (!raw.includes('"trades') || !raw.includes(`"${instrument}"`)) return;
      try {
        msg = JSON.parse(raw);
      } catch {
        builder.row();
        return builder.reject(line, "malformed JSON", text(buf, s, e));
      }
      const items = okxTradeItems(msg, instrument!);
      if (items === null) return;
      for (const item of items) {
        ++rec.trades;
        builder.row();
        const t = okxTrade(item, okxScale);
        if (isRejection(t)) bad(line, buf, s, e);
        else builder.push(t.time, t.price, t.qty, t.side, t.id, line, buf, s, e);
      }
    } else if (venue === "coinbase") {
      if (!raw.includes('"market_trades"') || !raw.includes(`"${instrument}"`)) return;
      try {
        msg = JSON.parse(raw);
      } catch {
        builder.row();
        return builder.reject(line, "malformed JSON", text(buf, s, e));
      }
      const items = coinbaseTradeItems(msg, instrument!);
      if (items === null) return;
      for (const item of items) {
        ++rec.trades;
        builder.row();
        const t = coinbaseTrade(item);
        if (isRejection(t)) bad(line, buf, s, e);
        else builder.push(t.time, t.price, t.qty, t.side, t.id, line, buf, s, e);
      }
    }
  }, undefined, MAX_RECORDING_LINE_BYTES);
  rec.lines = yield* lines;
  if (venue === undefined) throw new InputError(path, undefined, "empty file (no cryptofeed header)");
}
