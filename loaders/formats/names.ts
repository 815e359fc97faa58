/**
 * Validation of the strings that go into archive file names, so that a malformed day or symbol
 * can never produce a path with separators or `..` in it.
 */
import {dayStart} from "./batch.ts";

/** Symbols as venues spell them: `BTCUSDT`, `BTC-USDT-SWAP`, `BTC-USD`. */
export const SYMBOL_PATTERN = /^[A-Z0-9-]{1,20}$/;

/** Throws RangeError unless `day` is a real `YYYY-MM-DD` date and `symbol` matches {@link SYMBOL_PATTERN}. */
export function checkDayAndSymbol(day: string, symbol: string): void {
  dayStart(day);
  if (typeof symbol !== "string" || !SYMBOL_PATTERN.test(symbol)) throw new RangeError(`invalid symbol: ${JSON.stringify(symbol)}`);
}
