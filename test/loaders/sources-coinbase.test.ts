import assert from "node:assert/strict";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, test} from "node:test";
import {mulberry32} from "../../lib/random.js";
import {COINBASE_HEADER, readCoinbase, utcDaySpan} from "../../loaders/formats/index.ts";
import {coinbaseTradesUrl, DownloadError, fetchCoinbaseDay, Pacer} from "../../loaders/sources/index.ts";
import {tradeId} from "../../loaders/sources/coinbase.ts";
import {loadConfig} from "../../loaders/config.ts";
import {fetchData} from "../../loaders/fetch-data.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {collect, gunzipText, tempDir} from "./support/fixtures.ts";
import {VenueServer, type RestTrade} from "./support/server.ts";

const DAY = "2024-08-05";
const [T0, T1] = utcDaySpan(DAY);

/** ISO text with µs, as Coinbase writes trade times (written here independently of the project's formatter). */
function iso(t: number): string {
  const us = Math.round(t * 1000);
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, "0")}Z`;
}

/**
 * Trades from 2024-08-04 22:00 to 2024-08-06 02:00 UTC, one every ~15 s, plus one exactly at
 * each midnight; ids increase with time and skip now and then, as Coinbase's do.
 */
function history(): RestTrade[] {
  const r = mulberry32(8);
  const times = [T0, T1];
  for (let t = T0 - 2 * 3_600_000; t < T1 + 2 * 3_600_000; t += Math.floor(r() * 30_000) + 1 + Math.floor(r() * 1000) / 1000) times.push(t);
  times.sort((a, b) => a - b);
  let id = 5_000_000;
  return times.map((t) => {
    id += r() < 0.05 ? 2 + Math.floor(r() * 5) : 1;
    return {time: iso(t), trade_id: id, price: (60000 + Math.round(r() * 100000) / 100).toFixed(2), size: (Math.ceil(r() * 1e6) / 1e8).toFixed(8), side: r() < 0.5 ? "buy" : "sell"};
  });
}

const TRADES = history();
const DAY_TRADES = TRADES.filter((t) => {
  const ms = Date.parse(t.time);
  return ms >= T0 && ms < T1;
});

let server: VenueServer;
before(async () => {
  server = await VenueServer.start({maxRequests: 1000});
  server.coinbase.set("BTC-USD", TRADES);
});
after(async () => {
  await server.close();
  assert.equal(server.overflow, false);
});

const quick = {retries: 4, backoff: {baseMs: 5, maxMs: 40}, timeoutMs: 3000, log: () => {}};

test("coinbaseTradesUrl(product, base, {after, limit}) builds the REST pagination URL", () => {
  assert.equal(coinbaseTradesUrl("BTC-USD", "https://api.exchange.coinbase.com", {after: 123, limit: 1000}), "https://api.exchange.coinbase.com/products/BTC-USD/trades?after=123&limit=1000");
  assert.equal(coinbaseTradesUrl("BTC-USD", "https://api.exchange.coinbase.com"), "https://api.exchange.coinbase.com/products/BTC-USD/trades");
});

test("fetchCoinbaseDay(day) walks back from the day's end to its start and writes every trade of the day exactly once, in order", async () => {
  const {dir, cleanup} = tempDir();
  try {
    assert.ok(DAY_TRADES.length > 2500);
    const before = server.requests.length;
    const r = await fetchCoinbaseDay(DAY, {...quick, root: dir, baseUrl: server.url});
    const used = server.requests.slice(before);
    assert.deepEqual(
      r.files.map((f) => [f.file, f.status]),
      [["BTC-USD-2024-08-05.csv.gz", "downloaded"]]
    );
    const expected = `${COINBASE_HEADER}\n${DAY_TRADES.map((t) => `${t.trade_id},${t.time},${t.price},${t.size},${t.side}\n`).join("")}`;
    assert.equal(gunzipText(readFileSync(r.files[0].path)), expected);
    // The trade stamped exactly at midnight belongs to the day that starts there.
    assert.equal(DAY_TRADES[0].time, iso(T0));
    assert.ok(!DAY_TRADES.some((t) => Date.parse(t.time) === T1));
    // Bounded: ≈ log2(ids) probes plus pages of 1000; never rate-limited (≤ 10 requests/s).
    assert.ok(used.length <= 2 * 23 + Math.ceil(DAY_TRADES.length / 1000) + 2, `${used.length} requests`);
    assert.equal(server.coinbaseLimited, 0);
    const perSecond = Math.max(...used.map((u) => used.filter((v) => v.time > u.time - 1000 && v.time <= u.time).length));
    assert.ok(perSecond <= 10, `${perSecond} requests in one second`);
    // The cache file reads back through the format with aggressor sides opposite to Coinbase's maker sides.
    const q = newQuarantine();
    const {trades} = await collect(readCoinbase(r.files[0].path, q));
    assert.equal(trades.length, DAY_TRADES.length);
    assert.deepEqual(
      trades.slice(0, 3).map((t) => t.side),
      DAY_TRADES.slice(0, 3).map((t) => (t.side === "sell" ? 1 : -1))
    );
    // A rerun finds the day and makes no request, directly or through fetchData.
    const n = server.requests.length;
    assert.equal((await fetchCoinbaseDay(DAY, {...quick, root: dir, baseUrl: server.url})).files[0].status, "cached");
    const summary = await fetchData(loadConfig({CVE_VENUES: "coinbase", CVE_START: DAY, CVE_DATA_DIR: dir, CVE_OFFLINE: "0"}), {...quick, baseUrls: {coinbase: server.url}});
    assert.deepEqual(
      summary.rows.map((row) => [row.venue, row.day, row.status]),
      [["coinbase", DAY, "cached"]]
    );
    assert.equal(server.requests.length, n);
  } finally {
    cleanup();
  }
});

test("fetchCoinbaseDay(day) accepts trade ids sent as digit strings and writes the same day", async () => {
  const {dir, cleanup} = tempDir();
  server.coinbaseStringIds = true;
  try {
    const r = await fetchCoinbaseDay(DAY, {...quick, root: dir, baseUrl: server.url});
    const expected = `${COINBASE_HEADER}\n${DAY_TRADES.map((t) => `${t.trade_id},${t.time},${t.price},${t.size},${t.side}\n`).join("")}`;
    assert.equal(gunzipText(readFileSync(r.files[0].path)), expected);
  } finally {
    server.coinbaseStringIds = false;
    cleanup();
  }
});

test("tradeId(value) reads a REST trade id given as a number or a digit string, and nothing else", () => {
  // A recorded response of /products/BTC-USD/trades: {"trade_id":"18502034", …}.
  const recorded = JSON.parse('{"time":"2021-06-18T19:30:42.291Z","trade_id":"18502034","price":"37910.19","size":"0.00101","side":"buy"}');
  assert.equal(tradeId(recorded.trade_id), 18502034);
  assert.equal(tradeId(18502034), 18502034);
  for (const bad of ["-1", "1.5", "1e6", "", "12345678901234567", 2 ** 53, -3, 1.5, null, undefined, {}]) assert.equal(tradeId(bad), undefined, String(bad));
});

test("fetchCoinbaseDay(day) rides out 429 with Retry-After, 5xx and a reset page, with the same result", async () => {
  const {dir, cleanup} = tempDir();
  try {
    server.faults = [];
    server.coinbasePerSecond = 60;
    server.fault({path: "/products/BTC-USD/trades", kind: "status", status: 429, retryAfter: "0"});
    server.fault({path: "/products/BTC-USD/trades", kind: "status", status: 503});
    // A page of 1000 (not a probe of 1) is cut mid-body.
    server.fault({path: /limit=1000/, kind: "reset", bytes: 500});
    const r = await fetchCoinbaseDay(DAY, {...quick, root: dir, baseUrl: server.url, requestsPerSecond: 50});
    const expected = `${COINBASE_HEADER}\n${DAY_TRADES.map((t) => `${t.trade_id},${t.time},${t.price},${t.size},${t.side}\n`).join("")}`;
    assert.equal(gunzipText(readFileSync(r.files[0].path)), expected);
    for (const f of ["status 429", "status 503", "reset"]) assert.ok(server.requests.some((q) => q.fault === f), f);
  } finally {
    server.faults = [];
    server.coinbasePerSecond = 10;
    server.resetRateWindow();
    cleanup();
  }
});

test("fetchCoinbaseDay(day) refuses a day that is not over and leaves nothing in the cache", async () => {
  const {dir, cleanup} = tempDir();
  try {
    await assert.rejects(fetchCoinbaseDay("2024-08-06", {...quick, root: dir, baseUrl: server.url}), (e: unknown) => e instanceof DownloadError && /coinbase 2024-08-06 is not over yet/.test(e.message));
    assert.equal(existsSync(join(dir, "raw", "coinbase")) && readdirSync(join(dir, "raw", "coinbase")).length > 0, false);
  } finally {
    cleanup();
  }
});

test("Pacer(perSecond) lets at most perSecond calls start in any rolling second", async () => {
  const p = new Pacer(5);
  const starts: number[] = [];
  const t0 = Date.now();
  for (let i = 0; i < 8; ++i) {
    await p.wait();
    starts.push(Date.now() - t0);
  }
  for (let i = 5; i < starts.length; ++i) assert.ok(starts[i] - starts[i - 5] >= 1000, `calls ${i - 5} and ${i} at ${starts[i - 5]} and ${starts[i]} ms`);
  assert.throws(() => new Pacer(0), /invalid requestsPerSecond: 0/);
});
