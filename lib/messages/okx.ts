/**
 * OKX v5 public trade messages, channel `trades` (or `trades-all`):
 * `{"arg":{"channel":"trades","instId":…},"data":[{"instId","tradeId","px","sz","side","ts"}]}`.
 * `side` is the taker side; `sz` is in contracts for swaps and futures (one BTC-USDT-SWAP
 * contract is 0.01 BTC: `shift` −2) and in base currency for spot. Quantities in contracts are
 * converted exactly on the decimal digits (`shift`, a power of ten) or by a `factor`. Trade ids
 * are integers, sequential per instrument. Reason for a rejected element: `invalid trade fields`.
 * Shared by the recording reader (loaders/formats/cryptofeed.ts) and the live page.
 */
import {parseDecimal, scaledLast} from "../bytes.js";
import {collectTrades, malformed, OTHER, parseJson, type ParsedMessage, type TradeOrReason} from "./types.js";

/** Base currency per contract: `sz · 10^shift` (exact), or `sz · factor` when factor ≠ 1. */
export interface OkxScale {
  shift: number;
  factor: number;
}

/** One BTC-USDT-SWAP contract is 0.01 BTC. */
export const OKX_SWAP_SCALE: OkxScale = {shift: -2, factor: 1};
export const OKX_SPOT_SCALE: OkxScale = {shift: 0, factor: 1};

const encoder = new TextEncoder();

/** Decimal string `s` times 10^k, exactly rounded (as the archive readers convert contracts). */
export function shifted(s: string, k: number): number {
  const b = encoder.encode(s);
  parseDecimal(b, 0, b.length);
  return scaledLast(k);
}

/** The trade elements of a parsed OKX `trades` message of `instrument`, or null for any other message. */
export function okxTradeItems(msg: any, instrument: string): unknown[] | null {
  const channel = msg?.arg?.channel;
  if ((channel !== "trades" && channel !== "trades-all") || msg.arg.instId !== instrument || !Array.isArray(msg.data)) return null;
  return msg.data;
}

/** One element of an OKX trade message's `data`, normalised, or the reason it is rejected. */
export function okxTrade(t: any, scale: OkxScale): TradeOrReason {
  const price = Number(t?.px);
  const size = Number(t?.sz);
  const time = Number(t?.ts);
  const id = Number(t?.tradeId);
  const side = t?.side === "buy" ? 1 : t?.side === "sell" ? -1 : 0;
  if (!(time > 1e11 && time < 1e14) || !(price > 0 && price < Infinity) || !(size > 0 && size < Infinity) || side === 0 || !Number.isSafeInteger(id)) return "invalid trade fields";
  const qty = scale.factor !== 1 ? size * scale.factor : scale.shift !== 0 ? shifted(t.sz, scale.shift) : size;
  return {time, price, qty, side, id};
}

/** A websocket message of OKX's public stream: `trades` of `instrument`, `other` (events, "pong"), `malformed`. */
export function parseOkxMessage(text: string, instrument: string, scale: OkxScale): ParsedMessage {
  if (text === "pong") return OTHER;
  const msg = parseJson(text);
  if (msg === undefined || msg === null || typeof msg !== "object") return malformed("malformed JSON");
  const items = okxTradeItems(msg, instrument);
  if (items === null) return OTHER;
  return collectTrades(items.map((t) => okxTrade(t, scale)));
}
