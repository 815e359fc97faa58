/**
 * Bybit linear perpetual daily trade files from public.bybit.com: URL builders and the day
 * fetcher. Bybit publishes no checksum: a file is accepted when its length matches the
 * `Content-Length` and the whole gzip stream decompresses with a valid CRC.
 * Layout of the file: `loaders/formats/bybit.ts`.
 */
import {bybitFileName} from "../formats/bybit.ts";
import {fetchArchives, type ArchiveUrl, type FetchDayOptions, type FetchDayResult} from "./fetch.ts";
import {baseUrl} from "./http.ts";

/** `https://public.bybit.com/trading/BTCUSDT/BTCUSDT2024-08-05.csv.gz` (base overridable). */
export function bybitUrl(day: string, symbol = "BTCUSDT", base = baseUrl("bybit")): string {
  return `${base}/trading/${symbol}/${bybitFileName(day, symbol)}`;
}

export function bybitUrls(day: string, symbol = "BTCUSDT", base = baseUrl("bybit")): ArchiveUrl[] {
  return [{file: bybitFileName(day, symbol), url: bybitUrl(day, symbol, base)}];
}

/** Downloads the Bybit file of `day` into the cache unless present. */
export function fetchBybitDay(day: string, options: FetchDayOptions): Promise<FetchDayResult> {
  return fetchArchives("bybit", day, bybitUrls(day, options.symbol ?? "BTCUSDT", baseUrl("bybit", options.baseUrl)), options);
}
