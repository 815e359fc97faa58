/**
 * Bybit v5 public trade messages, topic `publicTrade.<SYMBOL>`:
 * `{"topic":…,"type":"snapshot","ts":…,"data":[{"T":ms,"s":…,"S":"Buy"|"Sell","v":size,"p":price,"i":uuid,"BT":false,…}]}`.
 * `S` is the taker side; `v` is in base currency (BTC) on the linear and spot connections.
 * Trade ids are UUIDs: id = {@link hash53} of `i` (not sequential, so no gap can be read from
 * them). Reason for a rejected element: `invalid trade fields`. Shared by the recording reader
 * (loaders/formats/cryptofeed.ts) and the live page.
 */
import {hash53} from "../bytes.js";
import {collectTrades, malformed, OTHER, parseJson, type ParsedMessage, type TradeOrReason} from "./types.js";

/** The trade elements of a parsed `publicTrade.<instrument>` message, or null for any other message. */
export function bybitTradeItems(msg: any, instrument: string): unknown[] | null {
  if (msg?.topic !== `publicTrade.${instrument}` || !Array.isArray(msg.data)) return null;
  return msg.data;
}

/** One element of a Bybit trade message's `data`, normalised, or the reason it is rejected. */
export function bybitTrade(t: any): TradeOrReason {
  const price = Number(t?.p);
  const qty = Number(t?.v);
  const side = t?.S === "Buy" ? 1 : t?.S === "Sell" ? -1 : 0;
  if (!(typeof t?.T === "number" && t.T > 1e11) || !(price > 0 && price < Infinity) || !(qty > 0 && qty < Infinity) || side === 0 || typeof t.i !== "string" || t.i === "")
    return "invalid trade fields";
  return {time: t.T, price, qty, side, id: hash53(t.i)};
}

/** A websocket message of Bybit's public stream: `trades` of `publicTrade.<instrument>`, `other` (pongs, acknowledgements), `malformed`. */
export function parseBybitMessage(text: string, instrument: string): ParsedMessage {
  const msg = parseJson(text);
  if (msg === undefined || msg === null || typeof msg !== "object") return malformed("malformed JSON");
  const items = bybitTradeItems(msg, instrument);
  if (items === null) return (msg as any).topic === `publicTrade.${instrument}` ? malformed("invalid trade fields") : OTHER;
  return collectTrades(items.map(bybitTrade));
}
