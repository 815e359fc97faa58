/**
 * The normalised trade every venue message parser returns, and the shape of a parsed message.
 *
 * A trade: `time` the exchange's trade time (epoch ms), `price` (quote currency), `qty` (base
 * currency, e.g. BTC), `side` the aggressor (+1 the buyer took, −1 the seller took), `id` the
 * exchange's trade id as a number (a 53-bit hash for venues whose ids are not integers).
 * A rejected trade is a reason string, the quarantine reason the recording readers record.
 */
export interface Trade {
  time: number;
  price: number;
  qty: number;
  side: 1 | -1;
  id: number;
}

/** One trade element of a message: the trade, or the reason it was rejected. */
export type TradeOrReason = Trade | string;

/** Whether a parse result is a rejection reason. */
export const isRejection = (x: TradeOrReason): x is string => typeof x === "string";

/**
 * A whole websocket message, parsed: `kind` is `trades` for a trade message of the subscribed
 * instrument (its trades, in message order, and the reasons of those rejected), `malformed` for
 * a payload that is not JSON or not a valid trade message (`reason`), `other` for anything else
 * (subscription acknowledgements, pongs, heartbeats, other channels).
 */
export interface ParsedMessage {
  kind: "trades" | "malformed" | "other";
  trades: Trade[];
  rejected: string[];
  /** Ids of trades left out by rule, not for bad fields (Binance insurance-fund fills): they still take their place in the id sequence. */
  skippedIds?: number[];
  /**
   * The connection's message sequence number, for venues that number every message of a connection
   * consecutively (Coinbase `sequence_num`, over all its channels): a jump means messages were lost.
   */
  sequence?: number;
  reason?: string;
}

export const OTHER: ParsedMessage = Object.freeze({kind: "other", trades: [], rejected: []}) as ParsedMessage;

export function malformed(reason: string): ParsedMessage {
  return {kind: "malformed", trades: [], rejected: [reason], reason};
}

/** Collects parse results into a message. */
export function collectTrades(items: Iterable<TradeOrReason>): ParsedMessage {
  const out: ParsedMessage = {kind: "trades", trades: [], rejected: []};
  for (const x of items) {
    if (isRejection(x)) out.rejected.push(x);
    else out.trades.push(x);
  }
  return out;
}

/** JSON.parse, or undefined when `text` is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
