/**
 * Fetching one (venue, UTC day) of daily archives into the raw cache: shared by the per-venue
 * modules. A day is "in the cache" when every file of `FORMATS[venue].filesForDay` is present
 * (`hasDay`); missing files are downloaded with `download` (resumable, retried, checksum- and
 * integrity-verified, renamed atomically), existing ones are left alone.
 */
import type {Venue} from "../config.ts";
import {archivePath, checkDay, checkSymbol} from "../cache.ts";
import {verifyArchive} from "../formats/archive.ts";
import {stat} from "node:fs/promises";
import {download, type Progress, type RequestOptions} from "./http.ts";

export interface FetchDayOptions extends RequestOptions {
  /** The data directory (`config.dataDir`); archives go to `<root>/raw/<venue>/`. */
  root: string;
  /** Workbook symbol (default `BTCUSDT`). */
  symbol?: string;
  /** Base URL of the venue's host (default: `CVE_BASE_URL_<VENUE>` or the public host). */
  baseUrl?: string;
  /** Read every downloaded archive once before accepting it (default true). */
  verify?: boolean;
  /** Print progress lines to stderr (through `log`). */
  progress?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface FetchedFile {
  file: string;
  path: string;
  status: "cached" | "downloaded";
  bytes: number;
}

export interface FetchDayResult {
  venue: Venue;
  day: string;
  files: FetchedFile[];
}

/** One archive to fetch: its cache file name, URL and optional checksum URL. */
export interface ArchiveUrl {
  file: string;
  url: string;
  checksumUrl?: string;
}

/** Downloads the missing archives of (venue, day) into the cache; returns what was cached or downloaded. */
export async function fetchArchives(venue: Venue, day: string, archives: ArchiveUrl[], options: FetchDayOptions): Promise<FetchDayResult> {
  checkDay(day);
  if (options.symbol !== undefined) checkSymbol(options.symbol);
  const files: FetchedFile[] = [];
  for (const a of archives) {
    const path = archivePath(venue, a.file, {root: options.root});
    const existing = await stat(path).catch(() => undefined);
    if (existing && existing.isFile() && existing.size > 0) {
      files.push({file: a.file, path, status: "cached", bytes: existing.size});
      continue;
    }
    const r = await download(a.url, path, {
      ...options,
      label: `${venue} ${day}${archives.length > 1 ? ` (${a.file})` : ""}`,
      checksumUrl: a.checksumUrl,
      verify: options.verify === false ? undefined : verifyArchive
    });
    files.push({file: a.file, path, status: "downloaded", bytes: r.bytes});
  }
  return {venue, day, files};
}
