/**
 * Binance trade messages (USD-M futures and spot `<symbol>@trade` streams), as received on the
 * websocket — usually inside a combined-stream envelope `{"stream":"btcusdt@trade","data":{…}}`:
 * - USD-M futures: `{"e":"trade","E":event_ms,"T":trade_ms,"s":"BTCUSDT","t":id,"p":"price","q":"qty","X":"MARKET","m":is_buyer_maker}`
 * - spot: `{"e":"trade","E":…,"s":…,"t":…,"p":…,"q":…,"b":…,"a":…,"T":…,"m":…,"M":…}` (no `X`).
 *
 * Normalised: time = `T`, id = `t`, price = `p`, qty = `q`, side = +1 when `m` is false (the
 * buyer was the taker), −1 when true. Futures trades with `X` = `MARKET` (and spot trades, which
 * have no `X`) are kept; `X` = `INSURANCE_FUND` is rejected as `insurance-fund trade`, any other
 * `X` as `non-market trade`. Other reasons: `malformed JSON` (not a trade payload),
 * `invalid trade fields`, `symbol mismatch` (with `symbol`). Shared by the recording reader
 * (loaders/formats/binance-ws.ts) and the live page.
 */
import {collectTrades, malformed, OTHER, parseJson, type ParsedMessage, type TradeOrReason} from "./types.js";

function finiteString(x: unknown): number {
  return typeof x === "string" && x !== "" ? Number(x) : NaN;
}

/** The trade payload of a message: `data` of a combined-stream envelope, else the message. */
export function binancePayload(msg: any): any {
  return msg && typeof msg === "object" && msg.data && typeof msg.data === "object" ? msg.data : msg;
}

/** The trade of one parsed Binance message (envelope or bare payload), or the reason it is rejected. */
export function binanceTrade(msg: unknown, symbol?: string): TradeOrReason {
  const d = binancePayload(msg);
  if (!d || d.e !== "trade") return "malformed JSON";
  const time = d.T;
  const id = d.t;
  const price = finiteString(d.p);
  const qty = finiteString(d.q);
  if (!(typeof time === "number" && time > 1e11 && time < 1e14) || !Number.isSafeInteger(id) || !(price > 0) || !(qty > 0) || typeof d.m !== "boolean" || price === Infinity || qty === Infinity)
    return "invalid trade fields";
  if (symbol !== undefined && d.s !== symbol) return "symbol mismatch";
  if (d.X !== undefined && d.X !== "MARKET") return d.X === "INSURANCE_FUND" ? "insurance-fund trade" : "non-market trade";
  return {time, price, qty, side: d.m ? -1 : 1, id};
}

/**
 * A websocket message of a Binance trade stream: `trades` for a trade payload (of `symbol` when
 * given), `other` for subscription answers (`{"result":null,"id":1}`) and other channels,
 * `malformed` for text that is not JSON or a trade-looking payload that is not an object.
 */
export function parseBinanceMessage(text: string, symbol?: string): ParsedMessage {
  const msg = parseJson(text);
  if (msg === undefined || msg === null || typeof msg !== "object") return malformed("malformed JSON");
  const d = binancePayload(msg);
  if (d?.e !== "trade") return OTHER;
  const out = collectTrades([binanceTrade(msg, symbol)]);
  if (out.rejected[0] === "insurance-fund trade" || out.rejected[0] === "non-market trade") out.skippedIds = [d.t];
  return out;
}
