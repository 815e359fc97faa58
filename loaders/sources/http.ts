/**
 * Robust HTTP downloads for the raw cache.
 *
 * `download(url, dest, options)` streams a file into `dest.part` and renames it to `dest` only
 * once it is complete and verified, so the final name never holds a partial or corrupt file:
 * - resumable: a rerun (or a retry) continues `dest.part` with `Range: bytes=<size>-`; a server
 *   that ignores Range (200) or answers with another range restarts the file from byte 0; 416 restarts;
 * - retries (default 5) with exponential backoff and jitter drawn from a seeded generator
 *   (`min(maxMs, baseMs · 2^attempt) · U[0.5, 1)`), on 429 (honouring `Retry-After`, seconds
 *   or HTTP date), 5xx, connection errors and resets, idle timeouts, and bodies shorter than
 *   their `Content-Length` (truncation);
 * - verification before the rename: sha256 given directly or read from a checksum file
 *   (`<sha256>  <name>`, as Binance publishes), and an optional integrity hook (e.g. reading
 *   the whole archive); a mismatch discards the part and downloads once more from scratch,
 *   then fails;
 * - 404 is final — `DownloadError` "no archive for <label>: HTTP 404 (<url>)" — unless
 *   `notFoundRetries` allows a few retries for a CDN that answers 404 before a file has reached
 *   every edge (OKX's has answered 404 and then 200 for the same file seconds apart).
 * `fetchText` does the same retrying for small bodies (checksums, REST pages). `pool` runs
 * tasks with bounded concurrency. Progress goes to a callback; `progress: true` prints lines
 * (bytes, %, rate) to stderr at most once a second.
 *
 * Base URLs are overridable per venue (`baseUrl`): an option, else the environment variable
 * `CVE_BASE_URL_<VENUE>` (e.g. `CVE_BASE_URL_BINANCE=http://127.0.0.1:8080`), else the venue's host.
 */
import {createHash} from "node:crypto";
import {createReadStream, createWriteStream} from "node:fs";
import {mkdir, rm, stat} from "node:fs/promises";
import {request as httpRequest, type IncomingHttpHeaders, type IncomingMessage} from "node:http";
import {request as httpsRequest} from "node:https";
import {basename, dirname} from "node:path";
import {finished} from "node:stream";
import {deriveSeed, mulberry32} from "../../lib/random.js";
import {commitTemp} from "../formats/atomic.ts";
import type {Venue} from "../config.ts";

/** A download or request that failed for good; names the URL. `status` is the HTTP status when there was one. */
export class DownloadError extends Error {
  override name = "DownloadError";
  constructor(readonly url: string, readonly status: number | undefined, readonly reason: string) {
    super(`${reason} (${url})`);
  }
}

export interface BackoffOptions {
  /** First delay in ms before jitter (default 500). */
  baseMs?: number;
  /** Largest delay in ms (default 30000). */
  maxMs?: number;
  /** Seed of the jitter (default 0); combined with the URL so parallel downloads do not retry in lockstep. */
  seed?: number;
}

export interface RequestOptions {
  /** Retries after the first attempt (default 5). */
  retries?: number;
  backoff?: BackoffOptions;
  /** Idle timeout in ms: no bytes for this long aborts the attempt (default 30000). */
  timeoutMs?: number;
  /** Cap on an honoured `Retry-After`, ms (default 120000). */
  maxRetryAfterMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Where retry notices and progress lines go (default: stderr). */
  log?: (line: string) => void;
  /** Words naming what is fetched, for messages: e.g. `binance 2024-08-05`. */
  label?: string;
  /** Awaited before every request, retries included (a rate limiter). */
  beforeRequest?: () => Promise<void>;
  /** Retries of a 404/410 before it counts as "no such file", with the same backoff (default 0: final at once). */
  notFoundRetries?: number;
}

export interface Progress {
  url: string;
  label: string;
  /** Bytes of the file so far (including a resumed part). */
  received: number;
  /** Expected size in bytes, when the server said. */
  total: number | undefined;
  /** Bytes per second over this attempt. */
  rate: number;
  done: boolean;
}

export interface DownloadOptions extends RequestOptions {
  /** Expected sha256 (hex) of the whole file. */
  sha256?: string;
  /** URL of a checksum file `<sha256>  <name>` whose name must be the downloaded file's. */
  checksumUrl?: string;
  /** Integrity check of the complete part before the rename (throw to reject it). */
  verify?: (path: string) => Promise<void>;
  onProgress?: (p: Progress) => void;
  /** Print progress lines (bytes, %, rate) through `log`, at most once a second. */
  progress?: boolean;
}

export interface DownloadResult {
  url: string;
  dest: string;
  bytes: number;
  sha256: string;
  /** Requests made for the file (first try plus retries). */
  attempts: number;
  /** Whether some bytes came from an earlier, interrupted attempt. */
  resumed: boolean;
}

const DEFAULT_BASE: Partial<Record<Venue, string>> = {
  binance: "https://data.binance.vision",
  bybit: "https://public.bybit.com",
  okx: "https://static.okx.com",
  coinbase: "https://api.exchange.coinbase.com"
};

/** The base URL of `venue`: `override`, else `CVE_BASE_URL_<VENUE>`, else the venue's public host (no trailing slash). */
export function baseUrl(venue: Venue, override?: string, env: Record<string, string | undefined> = process.env): string {
  const v = override ?? env[`CVE_BASE_URL_${venue.toUpperCase()}`] ?? DEFAULT_BASE[venue];
  if (v === undefined) throw new RangeError(`invalid venue: ${venue} has no archive host to download from (give its files in CVE_INPUTS)`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new RangeError(`invalid base URL for ${venue}: ${JSON.stringify(v)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new RangeError(`invalid base URL for ${venue}: ${JSON.stringify(v)} (http or https)`);
  return v.replace(/\/+$/, "");
}

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Delay before retry `attempt` (0-based): min(maxMs, baseMs·2^attempt) scaled by a uniform draw in [0.5, 1). */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number): number {
  const base = backoff.baseMs ?? 500;
  const max = backoff.maxMs ?? 30_000;
  return Math.min(max, base * 2 ** attempt) * (0.5 + 0.5 * random());
}

/** ms to wait from a `Retry-After` header (delta seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const t = Date.parse(value);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

function send(url: string, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new DownloadError(url, undefined, "invalid URL"));
      return;
    }
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, {headers: {"user-agent": "crypto-venue-entropy", ...headers}});
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout: no data for ${timeoutMs} ms`)));
    req.on("error", reject);
    req.on("response", resolve);
    req.end();
  });
}

type Outcome = {ok: true} | {ok: false; reason: string; status?: number; retryAfterMs?: number; notFound?: boolean};

function fmtBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
}

/** A progress callback printing `label: received / total (pct) rate` through `log` at most once per `everyMs`, and at the end. */
export function progressPrinter(log: (line: string) => void = stderrLog, everyMs = 1000): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (!p.done && now - last < everyMs) return;
    last = now;
    const pct = p.total ? ` (${((100 * p.received) / p.total).toFixed(0)}%)` : "";
    log(`${p.label}: ${fmtBytes(p.received)}${p.total ? ` / ${fmtBytes(p.total)}` : ""}${pct} ${fmtBytes(p.rate)}/s${p.done ? " done" : ""}`);
  };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const c of createReadStream(path, {highWaterMark: 1 << 20})) h.update(c as Buffer);
  return h.digest("hex");
}

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const v = headers["content-length"];
  const n = v === undefined ? NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function attempt(url: string, part: string, options: DownloadOptions, label: string, report: (p: Progress) => void): Promise<Outcome> {
  const offset = await sizeOf(part);
  const headers: Record<string, string> = {...options.headers};
  if (offset > 0) headers.range = `bytes=${offset}-`;
  let res: IncomingMessage;
  try {
    await options.beforeRequest?.();
    res = await send(url, headers, options.timeoutMs ?? 30_000);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    return {ok: false, reason: `connection error: ${(error as Error).message}`};
  }
  const status = res.statusCode ?? 0;
  if (status === 404 || status === 410) {
    res.resume();
    return {ok: false, notFound: true, reason: `${options.label ? `no archive for ${options.label}` : "not found"}: HTTP ${status}`, status};
  }
  if (status === 429 || status >= 500) {
    res.resume();
    return {ok: false, reason: `HTTP ${status}${status === 429 ? " (rate limited)" : ""}`, status, retryAfterMs: parseRetryAfter(res.headers["retry-after"])};
  }
  if (status === 416) {
    res.resume();
    // `bytes */<size>` equal to what we have: the part is already complete (an earlier run
    // stopped after the body, e.g. at verification); otherwise start again.
    const size = /^bytes \*\/(\d+)$/.exec(String(res.headers["content-range"] ?? ""));
    if (size && Number(size[1]) === offset && offset > 0) return {ok: true};
    await rm(part, {force: true});
    return {ok: false, reason: "HTTP 416 (range not satisfiable): restarting from byte 0", status, retryAfterMs: 0};
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new DownloadError(url, status, `HTTP ${status}`);
  }
  let start = 0;
  let total: number | undefined;
  const length = contentLength(res.headers);
  if (status === 206) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers["content-range"] ?? ""));
    if (!m || Number(m[1]) !== offset) {
      res.resume();
      await rm(part, {force: true});
      return {ok: false, reason: `unexpected Content-Range ${JSON.stringify(res.headers["content-range"])} for offset ${offset}: restarting`, status, retryAfterMs: 0};
    }
    start = offset;
    total = m[3] === "*" ? undefined : Number(m[3]);
  } else total = length;
  let received = 0;
  const t0 = Date.now();
  res.on("data", (chunk: Buffer) => {
    received += chunk.length;
    const dt = (Date.now() - t0) / 1000;
    report({url, label, received: start + received, total, rate: dt > 0 ? received / dt : 0, done: false});
  });
  // Every byte received is kept: when the connection fails mid-body the file stream is ended
  // (not destroyed), so the part holds the longest prefix and the next attempt resumes after it.
  const out = createWriteStream(part, {flags: start > 0 ? "a" : "w"});
  let lost: Error | undefined;
  let failedWrite: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    out.on("close", resolve);
    out.on("error", (e) => {
      failedWrite ??= e;
      res.destroy();
    });
  });
  res.pipe(out);
  finished(res, (error) => {
    if (!error) return;
    lost = error;
    res.unpipe(out);
    if (!out.writableEnded) out.end();
  });
  await closed;
  if (failedWrite) throw failedWrite;
  if (lost) return {ok: false, reason: `connection lost after ${start + received} bytes: ${lost.message}`};
  if (length !== undefined && received !== length) return {ok: false, reason: `truncated body: ${received} of ${length} bytes`};
  const dt = (Date.now() - t0) / 1000;
  report({url, label, received: start + received, total, rate: dt > 0 ? received / dt : 0, done: true});
  return {ok: true};
}

/** Reads a checksum file body `<sha256>  <name>` and returns the hash; throws DownloadError when malformed or naming another file. */
export function parseChecksum(body: string, name: string, url: string): string {
  const m = /^\s*([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(body.split("\n").find((l) => l.trim() !== "") ?? "");
  if (!m) throw new DownloadError(url, undefined, `malformed checksum file: ${JSON.stringify(body.slice(0, 120))}`);
  if (basename(m[2]) !== name) throw new DownloadError(url, undefined, `checksum file names ${m[2]}, expected ${name}`);
  return m[1].toLowerCase();
}

/**
 * Downloads `url` to `dest` (see the module comment): resumable through `dest.part`, retried,
 * verified, then renamed atomically. Throws `DownloadError` naming the URL when it gives up.
 */
export async function download(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = options.retries ?? 5;
  if (!(Number.isInteger(retries) && retries >= 0)) throw new RangeError(`invalid retries: ${retries}`);
  const log = options.log ?? stderrLog;
  const label = options.label ?? basename(dest);
  const random = mulberry32(deriveSeed(options.backoff?.seed ?? 0, url));
  const printer = options.progress ? progressPrinter(log) : undefined;
  const report = (p: Progress) => {
    options.onProgress?.(p);
    printer?.(p);
  };
  await mkdir(dirname(dest), {recursive: true});
  let expected = options.sha256?.toLowerCase();
  let checksumRead = false;
  const part = `${dest}.part`;
  const resumed = (await sizeOf(part)) > 0;
  let attempts = 0;
  let fresh = 0;
  let notFound = 0;
  for (let failures = 0; ; ) {
    ++attempts;
    const outcome = await attempt(url, part, options, label, report);
    if (!outcome.ok && outcome.notFound && notFound++ >= (options.notFoundRetries ?? 0)) throw new DownloadError(url, outcome.status, outcome.reason);
    if (outcome.ok) {
      if (options.checksumUrl && !checksumRead) {
        // Read after the data, so that a missing archive is reported as such (not as a missing checksum).
        let body: string;
        try {
          body = (await fetchText(options.checksumUrl, {...options, label: `${label} checksum`})).body;
        } catch (error) {
          if (error instanceof DownloadError && error.status === 404) throw new DownloadError(options.checksumUrl, 404, `no checksum file for ${label}: HTTP 404`);
          throw error;
        }
        expected = parseChecksum(body, basename(new URL(url).pathname), options.checksumUrl);
        checksumRead = true;
      }
      const digest = await sha256File(part);
      let problem: string | undefined;
      if (expected && digest !== expected) problem = `checksum mismatch: expected sha256 ${expected}, got ${digest}`;
      else if (options.verify) {
        try {
          await options.verify(part);
        } catch (error) {
          problem = `corrupt download: ${(error as Error).message}`;
        }
      }
      if (problem === undefined) {
        const bytes = await sizeOf(part);
        await commitTemp(part, dest);
        return {url, dest, bytes, sha256: digest, attempts, resumed};
      }
      await rm(part, {force: true});
      if (fresh++ >= 1) throw new DownloadError(url, undefined, problem);
      log(`${label}: ${problem}; downloading again from scratch`);
      continue;
    }
    if (failures >= retries) throw new DownloadError(url, outcome.status, `gave up after ${attempts} attempts: ${outcome.reason}`);
    const wait =
      outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, options.maxRetryAfterMs ?? 120_000) : backoffDelay(failures, options.backoff ?? {}, random);
    ++failures;
    log(`${label}: ${outcome.reason}; retry ${failures}/${retries} in ${Math.round(wait)} ms (${url})`);
    await sleep(wait);
  }
}

export interface TextResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * GETs a small text body (≤ `maxBytes`, default 64 MiB) with the same retries as `download`
 * (429 with Retry-After, 5xx, resets, timeouts, truncated bodies); 404 and other 4xx throw
 * `DownloadError` at once.
 */
export async function fetchText(url: string, options: RequestOptions & {maxBytes?: number} = {}): Promise<TextResponse> {
  const retries = options.retries ?? 5;
  const log = options.log ?? stderrLog;
  const random = mulberry32(deriveSeed(options.backoff?.seed ?? 0, url));
  const maxBytes = options.maxBytes ?? 64 << 20;
  for (let failures = 0; ; ) {
    let reason: string;
    let status: number | undefined;
    let retryAfterMs: number | undefined;
    try {
      await options.beforeRequest?.();
      const res = await send(url, {...options.headers}, options.timeoutMs ?? 30_000);
      status = res.statusCode ?? 0;
      if (status === 404 || status === 410) {
        res.resume();
        throw new DownloadError(url, status, `${options.label ? `not found: ${options.label}` : "not found"}: HTTP ${status}`);
      }
      if (status === 429 || status >= 500) {
        res.resume();
        reason = `HTTP ${status}${status === 429 ? " (rate limited)" : ""}`;
        retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
      } else if (status < 200 || status >= 300) {
        res.resume();
        throw new DownloadError(url, status, `HTTP ${status}`);
      } else {
        const chunks: Buffer[] = [];
        let n = 0;
        for await (const c of res) {
          n += (c as Buffer).length;
          if (n > maxBytes) throw new DownloadError(url, status, `response larger than ${maxBytes} bytes`);
          chunks.push(c as Buffer);
        }
        const length = contentLength(res.headers);
        if (length !== undefined && n !== length) reason = `truncated body: ${n} of ${length} bytes`;
        else return {status, headers: res.headers, body: Buffer.concat(chunks).toString("utf8")};
      }
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      reason = `connection error: ${(error as Error).message}`;
    }
    if (failures >= retries) throw new DownloadError(url, status, `gave up after ${failures + 1} attempts: ${reason}`);
    const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, options.maxRetryAfterMs ?? 120_000) : backoffDelay(failures, options.backoff ?? {}, random);
    ++failures;
    log(`${options.label ?? url}: ${reason}; retry ${failures}/${retries} in ${Math.round(wait)} ms`);
    await sleep(wait);
  }
}

/**
 * Runs `tasks` with at most `concurrency` at a time and returns their results in order. After
 * a failure no new task starts; the running ones finish, then the first error is thrown.
 */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], concurrency = 2): Promise<T[]> {
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`invalid concurrency: ${concurrency}`);
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failed = false;
  let first: unknown;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]();
      } catch (error) {
        if (!failed) {
          failed = true;
          first = error;
        }
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, tasks.length)}, worker));
  if (failed) throw first;
  return results;
}
