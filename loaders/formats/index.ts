/**
 * The venue archive formats and the readers of non-archive inputs.
 *
 * `FORMATS[venue]` knows a venue's daily files: which cover a UTC day, how to stream their
 * trades as `TradeBatch`es and how to write trades in the venue's exact layout (the simulator
 * uses the writers, so simulated and real data go through the same parsers). `readDay` reads
 * one UTC day of a venue from its cache folder. The recording readers (`readTardis`,
 * `readBinanceWs`, `readCryptofeed`) parse real captures in other layouts.
 *
 * Every reader streams (memory bounded by a chunk plus one batch), counts unusable rows into
 * the `Quarantine` with file, line and reason, and throws `InputError` for a file that cannot
 * be read at all.
 */
import {join} from "node:path";
import type {ArchiveVenue, Venue} from "../config.ts";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {utcDaySpan, type ReadOptions} from "./batch.ts";
import {binance, readBinance} from "./binance.ts";
import {bybit, readBybit} from "./bybit.ts";
import {coinbase, readCoinbase} from "./coinbase.ts";
import {okx, okxFileSpan, readOkx} from "./okx.ts";
import type {VenueFormat} from "./types.ts";

export type {VenueFormat} from "./types.ts";
export {BATCH_ROWS, dayStart, newReadStats, nextDay, utcDay, utcDaySpan, type ReadOptions, type ReadStats} from "./batch.ts";
export {BINANCE_HEADER, BINANCE_HEADER_SINCE, binanceCsvName, binanceFileName, readBinance, writeBinance} from "./binance.ts";
export {BYBIT_HEADER, bybitFileName, bybitMatchId, bybitTimestamp, readBybit, writeBybit} from "./bybit.ts";
export {OKX_CONTRACT_EXPONENT, OKX_DAY_OFFSET_MS, OKX_HEADER, okxFileDay, okxFileName, okxFileSpan, okxInstrument, readOkx, writeOkx, type OkxReadOptions} from "./okx.ts";
export {COINBASE_HEADER, coinbaseFileName, coinbaseLine, coinbaseProduct, readCoinbase, writeCoinbase} from "./coinbase.ts";
export {readTardis, TARDIS_EXCHANGES, TARDIS_HEADER, type TardisReadOptions} from "./tardis.ts";
export {readBinanceWs, type BinanceWsReadOptions, type RecordingStats} from "./binance-ws.ts";
export {CRYPTOFEED_EXCHANGES, readCryptofeed, type CryptofeedReadOptions} from "./cryptofeed.ts";
export {hash53, hash53Bytes} from "./bytes.ts";
export {verifyArchive} from "./archive.ts";

/** The archive format of each venue. */
export const FORMATS: Record<ArchiveVenue, VenueFormat> = {binance, bybit, okx, coinbase};

/** The daily-archive format of `venue`; RangeError for a market without daily archives (its files are given in `CVE_INPUTS`). */
export function archiveFormat(venue: Venue): VenueFormat {
  const f = (FORMATS as Partial<Record<Venue, VenueFormat>>)[venue];
  if (!f) throw new RangeError(`invalid venue: ${venue} has no daily exchange archives here (give its files in CVE_INPUTS)`);
  return f;
}

/**
 * The time span [t0, t1) (epoch ms) that a daily archive of `venue` named `name` covers by the
 * venue's layout: the UTC day in its name, or for OKX the UTC+8 day; undefined when the name
 * carries no day.
 */
export function archiveFileSpan(venue: Venue, name: string): [number, number] | undefined {
  const day = /(\d{4}-\d{2}-\d{2})(?:\.[a-z]+)+$/.exec(name)?.[1];
  if (day === undefined) return undefined;
  return venue === "okx" ? okxFileSpan(day) : utcDaySpan(day);
}

/** Reads one archive file of `venue` with reader options (span, statistics, batch size). */
export function readArchive(venue: Venue, path: string, q: Quarantine, options: ReadOptions = {}): AsyncGenerator<TradeBatch> {
  switch (venue) {
    case "binance":
      return readBinance(path, q, options);
    case "bybit":
      return readBybit(path, q, options);
    case "okx":
      return readOkx(path, q, options);
    case "coinbase":
      return readCoinbase(path, q, options);
    default:
      throw new RangeError(`invalid venue: ${JSON.stringify(venue)}`);
  }
}

/**
 * Streams the trades of UTC day `day` for `venue` from the archives in `dir` (the venue's cache
 * folder), file by file in `filesForDay` order, keeping only trades inside [day 00:00, next day 00:00) UTC.
 * For OKX, whose two files each hold part of a neighbouring UTC day, rows outside the day are
 * expected and skipped (counted in `stats.skipped`); for the other venues, whose files are UTC
 * days, a row outside the day is a problem and goes to the quarantine as `outside span`.
 */
export async function* readDay(
  venue: Venue,
  dir: string,
  day: string,
  symbol: string,
  q: Quarantine,
  options: Omit<ReadOptions, "span" | "outside"> = {}
): AsyncGenerator<TradeBatch> {
  const span = utcDaySpan(day);
  for (const f of archiveFormat(venue).filesForDay(day, symbol)) yield* readArchive(venue, join(dir, f), q, {...options, span, outside: venue === "okx" ? "skip" : "quarantine"});
}
