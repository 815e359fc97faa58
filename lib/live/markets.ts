/**
 * The markets the live page watches and each exchange's documented public websocket protocol:
 * production address, subscribe messages, application-level ping, and the message parser
 * (lib/messages, shared with the recording readers). The replay server (scripts/replay.ts)
 * serves each market at `<replay address>/<market id>` and speaks the same protocol.
 *
 * - Binance USD-M / spot: combined-stream endpoint `/stream`, `{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}`
 *   (answered `{"result":null,"id":1}`); the server sends websocket ping frames, which the
 *   browser answers itself.
 * - Bybit v5 linear: `{"op":"subscribe","args":["publicTrade.BTCUSDT"]}`; `{"op":"ping"}` every 20 s.
 * - OKX v5 public: `{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT-SWAP"}]}`; the text `ping` every 25 s (answered `pong`).
 * - Coinbase Advanced Trade: subscribe to `market_trades` and `heartbeats` for BTC-USD (the
 *   heartbeats keep a quiet connection open). Trade ids are consecutive per product, and every
 *   message of a connection carries a consecutive `sequence_num`: both show a gap.
 */
import {parseBinanceMessage} from "../messages/binance.js";
import {parseBybitMessage} from "../messages/bybit.js";
import {parseCoinbaseMessage} from "../messages/coinbase.js";
import {OKX_SWAP_SCALE, parseOkxMessage} from "../messages/okx.js";
import type {ParsedMessage} from "../messages/types.js";
import type {Venue} from "../analysis/venues.js";

export interface LiveMarket {
  id: string;
  label: string;
  /** The market's id in the chapters and the leader rule (lib/analysis/venues.ts). */
  venue: Venue;
  /** Production websocket address. */
  url: string;
  /** Messages sent on open. */
  subscribe: string[];
  /** Application-level ping: the message and its period, ms. */
  ping?: {message: string; everyMs: number};
  /** Parses one received text message. */
  parse: (text: string) => ParsedMessage;
  /** Whether trade ids are consecutive integers, so that a jump is a gap (Binance, OKX, Coinbase; not Bybit's UUIDs). */
  sequentialIds: boolean;
}

const binance = (id: string, venue: Venue, label: string, url: string): LiveMarket => ({
  id,
  venue,
  label,
  url,
  subscribe: [JSON.stringify({method: "SUBSCRIBE", params: ["btcusdt@trade"], id: 1})],
  parse: (text) => parseBinanceMessage(text, "BTCUSDT"),
  sequentialIds: true
});

export const LIVE_MARKETS: readonly LiveMarket[] = [
  binance("binance-usdm", "binance", "Binance USD-M BTCUSDT", "wss://fstream.binance.com/stream"),
  binance("binance-spot", "binance-spot", "Binance spot BTCUSDT", "wss://stream.binance.com:9443/stream"),
  {
    id: "bybit-linear",
    venue: "bybit",
    label: "Bybit linear BTCUSDT",
    url: "wss://stream.bybit.com/v5/public/linear",
    subscribe: [JSON.stringify({op: "subscribe", args: ["publicTrade.BTCUSDT"]})],
    ping: {message: JSON.stringify({op: "ping"}), everyMs: 20_000},
    parse: (text) => parseBybitMessage(text, "BTCUSDT"),
    sequentialIds: false
  },
  {
    id: "okx-swap",
    venue: "okx",
    label: "OKX BTC-USDT-SWAP",
    url: "wss://ws.okx.com:8443/ws/v5/public",
    subscribe: [JSON.stringify({op: "subscribe", args: [{channel: "trades", instId: "BTC-USDT-SWAP"}]})],
    ping: {message: "ping", everyMs: 25_000},
    parse: (text) => parseOkxMessage(text, "BTC-USDT-SWAP", OKX_SWAP_SCALE),
    sequentialIds: true
  },
  {
    id: "coinbase-spot",
    venue: "coinbase",
    label: "Coinbase BTC-USD",
    url: "wss://advanced-trade-ws.coinbase.com",
    subscribe: [
      JSON.stringify({type: "subscribe", product_ids: ["BTC-USD"], channel: "market_trades"}),
      JSON.stringify({type: "subscribe", product_ids: ["BTC-USD"], channel: "heartbeats"})
    ],
    parse: (text) => parseCoinbaseMessage(text, "BTC-USD"),
    sequentialIds: true
  }
];

/** The markets named in `ids` (all when empty), in the canonical order; RangeError for an unknown id. */
export function selectMarkets(ids: readonly string[]): LiveMarket[] {
  for (const id of ids) if (!LIVE_MARKETS.some((m) => m.id === id)) throw new RangeError(`invalid market: ${id} (known: ${LIVE_MARKETS.map((m) => m.id).join(", ")})`);
  return ids.length === 0 ? [...LIVE_MARKETS] : LIVE_MARKETS.filter((m) => ids.includes(m.id));
}

/** The address of `market`: production, or `<replay>/<id>` for a replay server. */
export function marketUrl(market: LiveMarket, replay: string | null | undefined): string {
  return replay ? `${replay.replace(/\/+$/, "")}/${market.id}` : market.url;
}
