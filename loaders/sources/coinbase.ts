/**
 * Coinbase Exchange BTC-USD trades from the public REST endpoint, one UTC day at a time.
 *
 * `GET <base>/products/BTC-USD/trades?after=<cursor>&limit=<n>` returns up to `n` (≤ 1000)
 * trades `{time, trade_id, price, size, side}` with `trade_id < cursor`, newest first; the
 * `CB-AFTER` response header is the cursor of the next (older) page. Public endpoints allow
 * about 10 requests per second; requests here are paced (one pacer per host for the whole
 * process) to at most `requestsPerSecond` (default 10) in any 1.1-second window, and a 429 is
 * retried after its `Retry-After` or with backoff.
 *
 * A day is fetched by walking back from its end to its start:
 * 1. the newest trade (`limit=1`) bounds the trade ids; a day that has not ended yet is refused;
 * 2. a search over trade ids with `limit=1` probes (interpolation on trade times alternating
 *    with bisection) finds the cursor `C` such that every trade with id < C happened before the
 *    day's end;
 * 3. pages of 1000 are read backwards from `C`, keeping trades inside [00:00, 24:00) UTC, until
 *    a page reaches before the day's start. Each page must go strictly backwards (bounded loop).
 * The day is then written atomically, in ascending trade id, as `BTC-USD-YYYY-MM-DD.csv.gz`
 * (layout: `loaders/formats/coinbase.ts`), so the fetch is resumable at the day level: a day
 * is either completely in the cache or not at all.
 */
import {stat} from "node:fs/promises";
import {archivePath, checkDay} from "../cache.ts";
import {openGzipSink} from "../formats/archive.ts";
import {utcDaySpan} from "../formats/batch.ts";
import {parseIsoMs} from "../formats/bytes.ts";
import {COINBASE_HEADER, coinbaseFileName, coinbaseLine, coinbaseProduct} from "../formats/coinbase.ts";
import type {FetchDayOptions, FetchDayResult} from "./fetch.ts";
import {baseUrl, DownloadError, fetchText} from "./http.ts";

/** One trade as the REST endpoint returns it. */
export interface CoinbaseRestTrade {
  time: string;
  trade_id: number;
  price: string;
  size: string;
  side: string;
}

export interface CoinbaseFetchOptions extends FetchDayOptions {
  /** Trades per page (≤ 1000, default 1000). */
  pageSize?: number;
  /** Request budget per rolling second (default 10). */
  requestsPerSecond?: number;
}

/** The trades URL with optional cursor and page size. */
export function coinbaseTradesUrl(product: string, base = baseUrl("coinbase"), params: {after?: number; limit?: number} = {}): string {
  const q = new URLSearchParams();
  if (params.after !== undefined) q.set("after", String(params.after));
  if (params.limit !== undefined) q.set("limit", String(params.limit));
  const s = q.toString();
  return `${base}/products/${product}/trades${s ? `?${s}` : ""}`;
}

/**
 * Paces calls so that at most `perSecond` start in any rolling window of 1000 ms plus a
 * `marginMs` (default 100) that absorbs network jitter between our clock and the server's.
 */
export class Pacer {
  private starts: number[] = [];
  constructor(readonly perSecond: number, readonly marginMs = 100) {
    if (!(perSecond >= 1)) throw new RangeError(`invalid requestsPerSecond: ${perSecond}`);
  }
  async wait(): Promise<void> {
    const n = Math.floor(this.perSecond);
    const window = 1000 + this.marginMs;
    for (;;) {
      const now = Date.now();
      while (this.starts.length && this.starts[0] <= now - window) this.starts.shift();
      if (this.starts.length < n) {
        this.starts.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, this.starts[0] + window + 1 - now));
    }
  }
}

const pacers = new Map<string, Pacer>();

/** One pacer per host and budget for the whole process, so successive days share the budget. */
function pacerFor(base: string, perSecond: number): Pacer {
  const key = `${base}|${perSecond}`;
  let p = pacers.get(key);
  if (!p) pacers.set(key, (p = new Pacer(perSecond)));
  return p;
}

interface Page {
  trades: CoinbaseRestTrade[];
  times: number[];
  next: number | undefined;
}

/**
 * Fetches UTC day `day` of Coinbase BTC-USD trades into the cache (unless present) and returns
 * the cache file; `DownloadError` on HTTP failures, a malformed response, or a day not yet over.
 */
/**
 * A trade id of the REST response as a number: the API has sent ids both as JSON numbers and as
 * digit strings (`"trade_id":"18502034"`); anything else (a sign, a fraction, beyond 2^53) is
 * undefined.
 */
export function tradeId(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === "string" && /^[0-9]{1,16}$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) ? id : undefined;
  }
  return undefined;
}

export async function fetchCoinbaseDay(day: string, options: CoinbaseFetchOptions): Promise<FetchDayResult> {
  checkDay(day);
  const symbol = options.symbol ?? "BTCUSDT";
  const product = coinbaseProduct(symbol);
  const file = coinbaseFileName(day, symbol);
  const path = archivePath("coinbase", file, {root: options.root});
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.isFile() && existing.size > 0) return {venue: "coinbase", day, files: [{file, path, status: "cached", bytes: existing.size}]};
  const base = baseUrl("coinbase", options.baseUrl);
  const pageSize = options.pageSize ?? 1000;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) throw new RangeError(`invalid pageSize: ${pageSize}`);
  const pacer = pacerFor(base, options.requestsPerSecond ?? 10);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const label = `coinbase ${day}`;
  let requests = 0;

  const page = async (after: number | undefined, limit: number): Promise<Page> => {
    const url = coinbaseTradesUrl(product, base, {after, limit});
    const res = await fetchText(url, {
      ...options,
      label,
      beforeRequest: async () => {
        await pacer.wait();
        ++requests;
      }
    });
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      throw new DownloadError(url, res.status, `malformed JSON response: ${JSON.stringify(res.body.slice(0, 120))}`);
    }
    if (!Array.isArray(body)) throw new DownloadError(url, res.status, `expected a JSON array of trades, got ${JSON.stringify(res.body.slice(0, 120))}`);
    const trades: CoinbaseRestTrade[] = [];
    const times: number[] = [];
    const enc = new TextEncoder();
    for (const t of body) {
      const tb = typeof t?.time === "string" ? enc.encode(t.time) : undefined;
      const time = tb ? parseIsoMs(tb, 0, tb.length) : NaN;
      const id = tradeId(t?.trade_id);
      if (id === undefined || Number.isNaN(time) || typeof t.price !== "string" || typeof t.size !== "string" || typeof t.side !== "string")
        throw new DownloadError(url, res.status, `malformed trade in response: ${JSON.stringify(t).slice(0, 200)}`);
      trades.push({...t, trade_id: id});
      times.push(time);
    }
    const header = res.headers["cb-after"];
    const next = header === undefined ? (trades.length ? trades[trades.length - 1].trade_id : undefined) : Number(header);
    return {trades, times, next: Number.isSafeInteger(next) ? next : undefined};
  };

  const [t0, t1] = utcDaySpan(day);
  const newest = await page(undefined, 1);
  if (newest.trades.length === 0) throw new DownloadError(coinbaseTradesUrl(product, base), undefined, `no trades for ${product}`);
  if (newest.times[0] < t1) throw new DownloadError(coinbaseTradesUrl(product, base), undefined, `${label} is not over yet (newest trade at ${newest.trades[0].time})`);

  // Largest cursor X such that every trade with id < X is before the day's end: a search over
  // ids that alternates interpolation on trade times (ids grow about linearly in time) with
  // bisection, so it needs a handful of probes and never more than about 2·log2(ids).
  let lo = 1;
  let tLo = -Infinity;
  let hi = newest.trades[0].trade_id + 1;
  let tHi = newest.times[0];
  for (let step = 0; hi - lo > 1; ++step) {
    let mid = Math.floor((lo + hi) / 2);
    if (step % 2 === 1 && Number.isFinite(tLo) && tHi > tLo) mid = Math.min(hi - 1, Math.max(lo + 1, lo + Math.round(((t1 - tLo) / (tHi - tLo)) * (hi - lo))));
    const p = await page(mid, 1);
    if (p.trades.length === 0 || p.times[0] < t1) {
      lo = mid;
      tLo = p.trades.length ? p.times[0] : -Infinity;
    } else {
      hi = mid;
      tHi = p.times[0];
    }
  }

  const ids: number[] = [];
  const rows: string[] = [];
  let after = lo;
  let pages = 0;
  for (;;) {
    const p = await page(after, pageSize);
    if (p.trades.length === 0) break;
    ++pages;
    let oldest = Infinity;
    for (let i = 0; i < p.trades.length; ++i) {
      const t = p.trades[i];
      if (t.trade_id >= after) throw new DownloadError(coinbaseTradesUrl(product, base, {after, limit: pageSize}), undefined, `pagination did not go backwards: trade ${t.trade_id} in the page after ${after}`);
      if (ids.length && t.trade_id >= ids[ids.length - 1]) continue; // already have it
      oldest = Math.min(oldest, p.times[i]);
      if (p.times[i] >= t0 && p.times[i] < t1) {
        ids.push(t.trade_id);
        rows.push(coinbaseLine(t.trade_id, t.time, t.price, t.size, t.side));
      }
    }
    if (p.next === undefined || p.next >= after) throw new DownloadError(coinbaseTradesUrl(product, base, {after, limit: pageSize}), undefined, `pagination cursor did not go backwards (CB-AFTER ${p.next} after ${after})`);
    after = p.next;
    if (options.progress && pages % 50 === 0) log(`${label}: ${rows.length} trades, back to ${new Date(oldest).toISOString()}`);
    if (oldest < t0) break;
  }

  const sink = await openGzipSink(path);
  try {
    let chunk = `${COINBASE_HEADER}\n`;
    for (let i = rows.length - 1; i >= 0; --i) {
      chunk += rows[i];
      if (chunk.length >= 1 << 20) {
        await sink.write(chunk);
        chunk = "";
      }
    }
    await sink.write(chunk);
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  if (options.progress) log(`${label}: ${rows.length} trades in ${requests} requests`);
  const bytes = (await stat(path)).size;
  return {venue: "coinbase", day, files: [{file, path, status: "downloaded", bytes}]};
}
