/**
 * OKX perpetual-swap daily trade archives from OKX's CDN: URL builders and the day fetcher.
 * OKX cuts its files at UTC+8 midnight, so a UTC day needs the files of that day and the next
 * (`FORMATS.okx.filesForDay`); a file is published the next morning (Beijing time), so the
 * second file of a recent day may not exist yet (404 → `DownloadError` naming the day and file).
 * The CDN has answered 404 and then 200 for the same file seconds apart, so a 404 is retried
 * twice with backoff before it is believed.
 * No checksum is published: a file is accepted when its length matches and the zip entry's
 * CRC-32 verifies. Layout of the archive: `loaders/formats/okx.ts`.
 */
import {nextDay} from "../formats/batch.ts";
import {okxFileName, okxInstrument} from "../formats/okx.ts";
import {fetchArchives, type ArchiveUrl, type FetchDayOptions, type FetchDayResult} from "./fetch.ts";
import {baseUrl} from "./http.ts";

/**
 * URL of OKX file day `fileDay` (a UTC+8 day):
 * `https://static.okx.com/cdn/okex/traderecords/trades/daily/20240805/BTC-USDT-SWAP-trades-2024-08-05.zip`.
 */
export function okxUrl(fileDay: string, symbol = "BTCUSDT", base = baseUrl("okx")): string {
  return `${base}/cdn/okex/traderecords/trades/daily/${fileDay.replaceAll("-", "")}/${okxFileName(fileDay, okxInstrument(symbol))}`;
}

/** The two archives covering UTC day `day`: file days `day` and the next. */
export function okxUrls(day: string, symbol = "BTCUSDT", base = baseUrl("okx")): ArchiveUrl[] {
  return [day, nextDay(day)].map((d) => ({file: okxFileName(d, okxInstrument(symbol)), url: okxUrl(d, symbol, base)}));
}

/** Retries of a 404 from OKX's CDN before the file counts as missing. */
export const OKX_NOT_FOUND_RETRIES = 2;

/** Downloads the OKX archives covering UTC day `day` into the cache unless present. */
export function fetchOkxDay(day: string, options: FetchDayOptions): Promise<FetchDayResult> {
  return fetchArchives("okx", day, okxUrls(day, options.symbol ?? "BTCUSDT", baseUrl("okx", options.baseUrl)), {notFoundRetries: OKX_NOT_FOUND_RETRIES, ...options});
}
