/**
 * `npm run fetch-data`: fills the raw cache with the real archives of the configured span.
 *
 * For every configured venue and UTC day (`loadConfig()`: CVE_VENUES, CVE_START, CVE_END, …)
 * it checks the cache (`<dataDir>/raw/<venue>/`) and downloads what is missing — Binance,
 * Bybit and OKX daily archives two at a time, Coinbase days one after another (they share
 * Coinbase's request budget) — with progress lines on stderr, then prints a summary table.
 * Downloads need `CVE_OFFLINE=0`; with the default `CVE_OFFLINE=1` it only reports what is
 * missing. Exit status: 0 when every day is in the cache, 1 when a download failed, 2 when
 * days are missing because the network is not allowed.
 *
 * Importable: `fetchData(config, options)` does the work and returns the summary; the module
 * prints only when run as the main script.
 */
import {pathToFileURL} from "node:url";
import {runMain} from "./errors.ts";
import {hasDay} from "./cache.ts";
import {configDays, loadConfig, type AnalysisConfig, type Venue} from "./config.ts";
import {fetchDay, pool, type FetchDayResult} from "./sources/index.ts";
import type {BackoffOptions} from "./sources/http.ts";

export interface FetchDataOptions {
  /** Base URL per venue (else `CVE_BASE_URL_<VENUE>`, else the venue's host). */
  baseUrls?: Partial<Record<Venue, string>>;
  /** Archive downloads at once (default 2). */
  concurrency?: number;
  /** Progress lines while downloading (default true). */
  progress?: boolean;
  /** Where progress and retry lines go (default stderr). */
  log?: (line: string) => void;
  retries?: number;
  backoff?: BackoffOptions;
  timeoutMs?: number;
  /** Coinbase request budget per second (default 10). */
  requestsPerSecond?: number;
}

export interface FetchDataRow {
  venue: Venue;
  day: string;
  status: "cached" | "downloaded" | "failed" | "missing";
  files: number;
  bytes: number;
  error?: string;
}

export interface FetchDataSummary {
  rows: FetchDataRow[];
  /** 0 all present, 1 a failure, 2 missing while offline. */
  exitCode: number;
}

function rowOf(r: FetchDayResult): FetchDataRow {
  return {
    venue: r.venue,
    day: r.day,
    status: r.files.some((f) => f.status === "downloaded") ? "downloaded" : "cached",
    files: r.files.length,
    bytes: r.files.reduce((s, f) => s + f.bytes, 0)
  };
}

/** Fetches every missing (venue, day) of the configuration's span into the raw cache; see the module comment. */
export async function fetchData(config: AnalysisConfig, options: FetchDataOptions = {}): Promise<FetchDataSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const days = configDays(config);
  const rows: FetchDataRow[] = [];
  const one = async (venue: Venue, day: string): Promise<FetchDataRow> => {
    if (await hasDay(venue, day, config.symbol, config.dataDir)) return {venue, day, status: "cached", files: 0, bytes: 0};
    if (config.offline) return {venue, day, status: "missing", files: 0, bytes: 0};
    try {
      return rowOf(
        await fetchDay(venue, day, {
          root: config.dataDir,
          symbol: config.symbol,
          baseUrl: options.baseUrls?.[venue],
          progress: options.progress ?? true,
          log,
          retries: options.retries,
          backoff: options.backoff ?? {seed: config.seed},
          timeoutMs: options.timeoutMs,
          requestsPerSecond: options.requestsPerSecond
        })
      );
    } catch (error) {
      return {venue, day, status: "failed", files: 0, bytes: 0, error: (error as Error).message};
    }
  };
  const archiveTasks = config.venues.filter((v) => v !== "coinbase").flatMap((venue) => days.map((day) => () => one(venue, day).then((r) => [r])));
  const coinbaseTask = config.venues.includes("coinbase")
    ? [
        async () => {
          const out: FetchDataRow[] = [];
          for (const day of days) out.push(await one("coinbase", day));
          return out;
        }
      ]
    : [];
  for (const group of await pool([...archiveTasks, ...coinbaseTask], options.concurrency ?? 2)) rows.push(...group);
  const order = new Map(config.venues.map((v, i) => [v, i]));
  rows.sort((a, b) => order.get(a.venue)! - order.get(b.venue)! || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const exitCode = rows.some((r) => r.status === "failed") ? 1 : rows.some((r) => r.status === "missing") ? 2 : 0;
  return {rows, exitCode};
}

/** The summary as a text table. */
export function formatSummary(summary: FetchDataSummary, config: Pick<AnalysisConfig, "dataDir" | "offline">): string {
  const lines = ["venue    | day        | status     | files | MB", "---------|------------|------------|-------|------"];
  for (const r of summary.rows)
    lines.push(`${r.venue.padEnd(8)} | ${r.day} | ${r.status.padEnd(10)} | ${String(r.files).padStart(5)} | ${(r.bytes / 1e6).toFixed(1).padStart(5)}${r.error ? `\n    ${r.error}` : ""}`);
  const missing = summary.rows.filter((r) => r.status === "missing").length;
  if (missing) lines.push(`${missing} (venue, day) pair(s) missing from ${config.dataDir}/raw and downloads are off (CVE_OFFLINE=1); run with CVE_OFFLINE=0 to fetch them.`);
  const failed = summary.rows.filter((r) => r.status === "failed").length;
  if (failed) lines.push(`${failed} (venue, day) pair(s) failed; rerun to resume (partial downloads are kept as .part files).`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A configuration error is one line on stderr (exit code 2), not a stack trace.
  await runMain(async () => {
    const config = loadConfig();
    const summary = await fetchData(config);
    console.log(formatSummary(summary, config));
    process.exitCode = summary.exitCode;
  });
}
