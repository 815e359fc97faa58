/**
 * Binance USD-M futures daily trade archives from data.binance.vision: URL builders and the
 * day fetcher. Each zip has a `.CHECKSUM` file beside it (`<sha256>  <zip name>`), verified
 * before the archive is accepted. Layout of the archive: `loaders/formats/binance.ts`.
 */
import {binanceFileName} from "../formats/binance.ts";
import {fetchArchives, type ArchiveUrl, type FetchDayOptions, type FetchDayResult} from "./fetch.ts";
import {baseUrl} from "./http.ts";

/** `https://data.binance.vision/data/futures/um/daily/trades/BTCUSDT/BTCUSDT-trades-2024-08-05.zip` (base overridable). */
export function binanceUrl(day: string, symbol = "BTCUSDT", base = baseUrl("binance")): string {
  return `${base}/data/futures/um/daily/trades/${symbol}/${binanceFileName(day, symbol)}`;
}

/** The archive of a UTC day and its checksum file. */
export function binanceUrls(day: string, symbol = "BTCUSDT", base = baseUrl("binance")): ArchiveUrl[] {
  const url = binanceUrl(day, symbol, base);
  return [{file: binanceFileName(day, symbol), url, checksumUrl: `${url}.CHECKSUM`}];
}

/** Downloads the Binance archive of `day` into the cache unless present. */
export function fetchBinanceDay(day: string, options: FetchDayOptions): Promise<FetchDayResult> {
  return fetchArchives("binance", day, binanceUrls(day, options.symbol ?? "BTCUSDT", baseUrl("binance", options.baseUrl)), options);
}
