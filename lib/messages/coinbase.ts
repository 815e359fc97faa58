/**
 * Coinbase Advanced Trade `market_trades` messages:
 * `{"channel":"market_trades","events":[{"type":"snapshot"|"update","trades":[{"trade_id","product_id","price","size","side","time"}]}]}`.
 * `side` is the MAKER side (see loaders/formats/cryptofeed.ts for the evidence), so the aggressor
 * is the opposite: `SELL` → +1, `BUY` → −1. `time` is ISO-8601 (µs kept). Trade ids are
 * consecutive integers per product (the BTC-USD capture of ../shared/real-trades: 147 trades,
 * no id skipped). A snapshot repeats recent trades newest first; nothing is de-duplicated here.
 * Reason for a rejected element: `invalid trade fields`. Shared by the recording reader
 * (loaders/formats/cryptofeed.ts) and the live page.
 */
import {parseIsoMs} from "../bytes.js";
import {collectTrades, malformed, OTHER, parseJson, type ParsedMessage, type TradeOrReason} from "./types.js";

const encoder = new TextEncoder();

/** The trades of `instrument` in a parsed `market_trades` message (all events, in order), or null for any other message. */
export function coinbaseTradeItems(msg: any, instrument: string): unknown[] | null {
  if (msg?.channel !== "market_trades" || !Array.isArray(msg.events)) return null;
  const out: unknown[] = [];
  for (const ev of msg.events) {
    if (!Array.isArray(ev?.trades)) continue;
    for (const t of ev.trades) if (t?.product_id === instrument) out.push(t);
  }
  return out;
}

/** One Coinbase trade, normalised, or the reason it is rejected. */
export function coinbaseTrade(t: any): TradeOrReason {
  const price = Number(t.price);
  const qty = Number(t.size);
  const id = Number(t.trade_id);
  const side = t.side === "SELL" ? 1 : t.side === "BUY" ? -1 : 0;
  const tb = typeof t.time === "string" ? encoder.encode(t.time) : undefined;
  const time = tb ? parseIsoMs(tb, 0, tb.length) : NaN;
  if (!(time > 0) || !(price > 0 && price < Infinity) || !(qty > 0 && qty < Infinity) || side === 0 || !Number.isSafeInteger(id)) return "invalid trade fields";
  return {time, price, qty, side, id};
}

/**
 * A websocket message of Coinbase's Advanced Trade stream: `trades` of `instrument`, `other`
 * (subscriptions, heartbeats), `malformed`; with `sequence`, the message's `sequence_num` (every
 * message of a connection, on any channel, is numbered consecutively from 0, so a jump means
 * messages were lost).
 */
export function parseCoinbaseMessage(text: string, instrument: string): ParsedMessage {
  const msg = parseJson(text);
  if (msg === undefined || msg === null || typeof msg !== "object") return malformed("malformed JSON");
  const seq = (msg as any).sequence_num;
  const sequence = Number.isSafeInteger(seq) && seq >= 0 ? (seq as number) : undefined;
  const items = coinbaseTradeItems(msg, instrument);
  const out = items === null ? {...OTHER, trades: [], rejected: []} : collectTrades(items.map(coinbaseTrade));
  if (sequence !== undefined) out.sequence = sequence;
  return sequence === undefined && items === null ? OTHER : out;
}
