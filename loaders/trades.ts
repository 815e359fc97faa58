/**
 * The one normalised trade record every source becomes.
 *
 * Trades travel in columnar batches (struct of typed arrays) so that a day of tens of
 * millions of trades streams through parsing, cleaning and aggregation without one
 * object per trade.
 */
import type {Venue} from "./config.ts";
import type {TradeColumns} from "../lib/analysis/market.js";

/** A batch of one venue's trades: the market's trade columns tagged with their venue. */
export interface TradeBatch extends TradeColumns {
  venue: Venue;
}

export type {TradeColumns};

export function allocBatch(venue: Venue, capacity: number): TradeBatch {
  return {
    venue,
    length: 0,
    time: new Float64Array(capacity),
    price: new Float64Array(capacity),
    qty: new Float64Array(capacity),
    side: new Int8Array(capacity),
    id: new Float64Array(capacity)
  };
}

export interface Trade {
  time: number;
  price: number;
  qty: number;
  side: number;
  id: number;
}

export function pushTrade(b: TradeBatch, t: Trade): void {
  if (b.length === b.time.length) throw new RangeError(`batch is full (${b.length} rows)`);
  const i = b.length++;
  b.time[i] = t.time;
  b.price[i] = t.price;
  b.qty[i] = t.qty;
  b.side[i] = t.side;
  b.id[i] = t.id;
}

export function tradeAt(b: TradeBatch, i: number): Trade {
  return {time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]};
}

/** A problem in an input file: where it is and why. */
export class InputError extends Error {
  override name = "InputError";
  constructor(readonly file: string, readonly line: number | undefined, readonly reason: string) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${reason}`);
  }
}

/** A counted, reported quarantine of rows that could not be used. */
export interface Quarantine {
  /** Rows set aside, by reason. */
  counts: Record<string, number>;
  /**
   * The first few examples, for the report: the file's name (never its folder: the quality table
   * is published), line, reason and a short escaped excerpt of the row ({@link rowExcerpt}).
   */
  examples: {file: string; line: number; reason: string; text: string}[];
}

export function newQuarantine(): Quarantine {
  return {counts: {}, examples: []};
}

/** Characters of a row kept in a quarantine example. */
export const EXCERPT_CHARS = 100;

/**
 * The start of a row, safe to publish and to show: characters outside printable ASCII escaped as
 * `\uXXXX` (a backslash as `\\`), at most {@link EXCERPT_CHARS} characters once escaped, and `…`
 * where the row was cut.
 */
export function rowExcerpt(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    const piece = c === 0x5c ? "\\\\" : c < 0x20 || c > 0x7e ? `\\u${c.toString(16).padStart(4, "0")}` : text[i];
    if (out.length + piece.length > EXCERPT_CHARS) return `${out}…`;
    out += piece;
  }
  return out;
}

/** The last component of a path (either separator), so a published example names no folder. */
function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** Counts a row set aside for `reason`; the first 20 are kept as examples (file name only, row excerpt). */
export function quarantine(q: Quarantine, file: string, line: number, reason: string, text: string): void {
  q.counts[reason] = (q.counts[reason] ?? 0) + 1;
  if (q.examples.length < 20) q.examples.push({file: fileName(file), line, reason, text: rowExcerpt(text)});
}
