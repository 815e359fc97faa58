/**
 * Downloading real archives into the raw cache: `fetchDay(venue, day, options)` fetches what is
 * missing of one (venue, UTC day) — Binance, Bybit and OKX daily archives over HTTP, Coinbase
 * through its REST API — and returns what was cached or downloaded.
 */
import type {Venue} from "../config.ts";
import {fetchBinanceDay} from "./binance.ts";
import {fetchBybitDay} from "./bybit.ts";
import {fetchCoinbaseDay, type CoinbaseFetchOptions} from "./coinbase.ts";
import type {FetchDayResult} from "./fetch.ts";
import {fetchOkxDay} from "./okx.ts";

export type {FetchDayOptions, FetchDayResult, FetchedFile} from "./fetch.ts";
export {binanceUrl, binanceUrls, fetchBinanceDay} from "./binance.ts";
export {bybitUrl, bybitUrls, fetchBybitDay} from "./bybit.ts";
export {fetchOkxDay, okxUrl, okxUrls} from "./okx.ts";
export {coinbaseTradesUrl, fetchCoinbaseDay, Pacer, type CoinbaseFetchOptions, type CoinbaseRestTrade} from "./coinbase.ts";
export {baseUrl, download, DownloadError, fetchText, pool, progressPrinter, type DownloadOptions, type DownloadResult, type Progress} from "./http.ts";

/** Fetches the missing archives of (venue, UTC day) into `<options.root>/raw/<venue>/`. */
export function fetchDay(venue: Venue, day: string, options: CoinbaseFetchOptions): Promise<FetchDayResult> {
  switch (venue) {
    case "binance":
      return fetchBinanceDay(day, options);
    case "bybit":
      return fetchBybitDay(day, options);
    case "okx":
      return fetchOkxDay(day, options);
    case "coinbase":
      return fetchCoinbaseDay(day, options);
    default:
      throw new RangeError(`invalid venue: ${JSON.stringify(venue)}`);
  }
}
