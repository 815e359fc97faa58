import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, test} from "node:test";
import {fileURLToPath} from "node:url";
import {hasDay} from "../../loaders/cache.ts";
import {loadConfig} from "../../loaders/config.ts";
import {fetchData, formatSummary} from "../../loaders/fetch-data.ts";
import {readDay, utcDaySpan, writeBinance, writeBybit, writeCoinbase, writeOkx} from "../../loaders/formats/index.ts";
import {binanceUrl, bybitUrl, DownloadError, fetchDay, okxUrl} from "../../loaders/sources/index.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {batchesOf, collect, randomTrades, tempDir} from "./support/fixtures.ts";
import {VenueServer} from "./support/server.ts";

const DAY = "2024-08-05";
const [T0, T1] = utcDaySpan(DAY);
const quick = {retries: 3, backoff: {baseMs: 5, maxMs: 20}, timeoutMs: 3000, log: () => {}};
const rows = randomTrades(3000, T0 - 9 * 3_600_000, {seed: 4, step: (34 * 3_600_000) / 3000});
const inDay = rows.filter((r) => r.time >= T0 && r.time < T1);

let server: VenueServer;
let src: {dir: string; cleanup: () => void};
const bytes: Record<string, Uint8Array> = {};

before(async () => {
  server = await VenueServer.start();
  src = tempDir();
  // The venues' files, written by the project's writers into a source folder, then served.
  for (const [venue, write] of [
    ["binance", writeBinance],
    ["bybit", writeBybit],
    ["okx", writeOkx],
    ["coinbase", writeCoinbase]
  ] as const) {
    const dir = join(src.dir, venue);
    for (const name of await write(batchesOf(venue, rows, 800), dir, "BTCUSDT")) bytes[`${venue}/${name}`] = readFileSync(join(dir, name));
  }
  for (const k of Object.keys(bytes)) {
    const [venue, name] = k.split("/");
    if (venue === "binance") server.serveBinance(name.slice(15, 25), bytes[k]);
    if (venue === "bybit") server.serveBybit(name.slice(7, 17), bytes[k]);
    if (venue === "okx") server.serveOkx(name.slice(21, 31), bytes[k]);
  }
});
after(async () => {
  await server.close();
  src.cleanup();
  assert.equal(server.overflow, false);
});

test("binanceUrl, bybitUrl and okxUrl build the venues' documented URLs", () => {
  assert.equal(binanceUrl(DAY, "BTCUSDT", "https://data.binance.vision"), "https://data.binance.vision/data/futures/um/daily/trades/BTCUSDT/BTCUSDT-trades-2024-08-05.zip");
  assert.equal(bybitUrl(DAY, "BTCUSDT", "https://public.bybit.com"), "https://public.bybit.com/trading/BTCUSDT/BTCUSDT2024-08-05.csv.gz");
  assert.equal(okxUrl(DAY, "BTCUSDT", "https://static.okx.com"), "https://static.okx.com/cdn/okex/traderecords/trades/daily/20240805/BTC-USDT-SWAP-trades-2024-08-05.zip");
});

test("fetchDay(venue, day) downloads Binance (checksum-verified), Bybit and both OKX files into the cache, then reads back the day", async () => {
  const {dir, cleanup} = tempDir();
  try {
    for (const venue of ["binance", "bybit", "okx"] as const) {
      const r = await fetchDay(venue, DAY, {...quick, root: dir, baseUrl: server.url});
      assert.equal(r.files.length, venue === "okx" ? 2 : 1);
      assert.ok(r.files.every((f) => f.status === "downloaded"));
      for (const f of r.files) assert.deepEqual(readFileSync(f.path), Buffer.from(bytes[`${venue}/${f.file}`]));
      assert.equal(await hasDay(venue, DAY, "BTCUSDT", dir), true);
      const q = newQuarantine();
      const {trades} = await collect(readDay(venue, join(dir, "raw", venue), DAY, "BTCUSDT", q));
      assert.equal(trades.length, inDay.length, venue);
      assert.deepEqual(q.counts, {});
      // A second fetch finds the day in the cache and makes no request.
      const before = server.requests.length;
      const again = await fetchDay(venue, DAY, {...quick, root: dir, baseUrl: server.url});
      assert.ok(again.files.every((f) => f.status === "cached"));
      assert.equal(server.requests.length, before);
    }
    assert.ok(server.hits(".CHECKSUM").length >= 1);
  } finally {
    cleanup();
  }
});

test("fetchDay(venue, day) reports a missing archive as `no archive for <venue> <day>` with the URL", async () => {
  const {dir, cleanup} = tempDir();
  try {
    await assert.rejects(fetchDay("binance", "2024-08-09", {...quick, root: dir, baseUrl: server.url}), (e: unknown) => e instanceof DownloadError && e.status === 404 && e.message.startsWith("no archive for binance 2024-08-09: HTTP 404 (http://127.0.0.1:"));
    // OKX: the second file of the day (published the next morning in UTC+8) is missing.
    await assert.rejects(fetchDay("okx", "2024-08-06", {...quick, root: dir, baseUrl: server.url}), /no archive for okx 2024-08-06 \(BTC-USDT-SWAP-trades-2024-08-07\.zip\): HTTP 404/);
    assert.equal(await hasDay("okx", "2024-08-06", "BTCUSDT", dir), false);
    assert.deepEqual(readdirSync(join(dir, "raw", "okx")), ["BTC-USDT-SWAP-trades-2024-08-06.zip"]);
  } finally {
    cleanup();
  }
});

test("fetchDay(okx, day) believes a 404 only when it repeats: the CDN has answered 404, then 200, for the same file", async () => {
  const {dir, cleanup} = tempDir();
  try {
    server.fault({path: "BTC-USDT-SWAP-trades-2024-08-05.zip", kind: "status", status: 404});
    const before = server.hits("BTC-USDT-SWAP-trades-2024-08-05.zip").length;
    const r = await fetchDay("okx", "2024-08-05", {...quick, root: dir, baseUrl: server.url});
    assert.equal(server.hits("BTC-USDT-SWAP-trades-2024-08-05.zip").length - before, 2, "one 404, then the file");
    assert.deepEqual(r.files.map((f) => f.status), ["downloaded", "downloaded"]);
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", dir), true);
    // Binance publishes with a checksum and no such CDN lag: a 404 stays final at once.
    server.fault({path: "BTCUSDT-trades-2024-08-05.zip", kind: "status", status: 404});
    await assert.rejects(fetchDay("binance", "2024-08-05", {...quick, root: dir, baseUrl: server.url}), /no archive for binance 2024-08-05: HTTP 404/);
  } finally {
    cleanup();
  }
});

test("fetchDay(venue, day) rejects a corrupt archive served whole (valid length) and keeps nothing under its name", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const good = bytes[`bybit/BTCUSDT${DAY}.csv.gz`];
    const bad = Uint8Array.from(good);
    bad[Math.floor(bad.length / 2)] ^= 0xff;
    server.serveBybit("2024-08-20", bad);
    await assert.rejects(fetchDay("bybit", "2024-08-20", {...quick, root: dir, baseUrl: server.url}), (e: unknown) => e instanceof DownloadError && /corrupt download: .*gzip/.test(e.message));
    assert.equal(existsSync(join(dir, "raw", "bybit", "BTCUSDT2024-08-20.csv.gz")), false);
    assert.deepEqual(readdirSync(join(dir, "raw", "bybit")), []);
    // A Binance archive whose checksum file disagrees is refused the same way.
    server.serveBinance("2024-08-21", bytes[`binance/BTCUSDT-trades-${DAY}.zip`], {sha256: "f".repeat(64)});
    await assert.rejects(fetchDay("binance", "2024-08-21", {...quick, root: dir, baseUrl: server.url}), /checksum mismatch/);
    assert.deepEqual(readdirSync(join(dir, "raw", "binance")), []);
  } finally {
    cleanup();
  }
});

test("fetchData(config) fetches every missing (venue, day), skips cached ones, and only reports when offline", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const env = {CVE_VENUES: "binance,bybit,okx", CVE_START: DAY, CVE_DATA_DIR: dir, CVE_OFFLINE: "1"};
    const baseUrls = {binance: server.url, bybit: server.url, okx: server.url};
    const offline = await fetchData(loadConfig(env), {...quick, baseUrls});
    assert.equal(offline.exitCode, 2);
    assert.deepEqual(
      offline.rows.map((r) => r.status),
      ["missing", "missing", "missing"]
    );
    assert.match(formatSummary(offline, loadConfig(env)), /CVE_OFFLINE=0/);
    assert.equal(existsSync(join(dir, "raw")), false);

    const online = loadConfig({...env, CVE_OFFLINE: "0"});
    const first = await fetchData(online, {...quick, baseUrls, progress: false});
    assert.equal(first.exitCode, 0);
    assert.deepEqual(
      first.rows.map((r) => [r.venue, r.day, r.status, r.files]),
      [
        ["binance", DAY, "downloaded", 1],
        ["bybit", DAY, "downloaded", 1],
        ["okx", DAY, "downloaded", 2]
      ]
    );
    const second = await fetchData(online, {...quick, baseUrls});
    assert.deepEqual(
      second.rows.map((r) => r.status),
      ["cached", "cached", "cached"]
    );

    // Two days, the second not published anywhere (and OKX's needs the unpublished 2024-08-08 file).
    const twoDays = loadConfig({...env, CVE_OFFLINE: "0", CVE_START: "2024-08-06", CVE_END: "2024-08-07"});
    const partial = await fetchData(twoDays, {...quick, baseUrls, progress: false});
    assert.equal(partial.exitCode, 1);
    assert.deepEqual(
      partial.rows.map((r) => `${r.venue} ${r.day} ${r.status}`),
      ["binance 2024-08-06 downloaded", "binance 2024-08-07 failed", "bybit 2024-08-06 downloaded", "bybit 2024-08-07 failed", "okx 2024-08-06 failed", "okx 2024-08-07 failed"]
    );
    assert.match(partial.rows[1].error!, /^no archive for binance 2024-08-07: HTTP 404 \(http:\/\/127\.0\.0\.1:\d+\/data\/futures\/um\/daily\/trades\/BTCUSDT\/BTCUSDT-trades-2024-08-07\.zip\)$/);
    assert.match(formatSummary(partial, twoDays), /2 \(venue, day\) pair\(s\) failed|4 \(venue, day\) pair\(s\) failed/);
  } finally {
    cleanup();
  }
});

test("`npm run fetch-data` (loaders/fetch-data.ts as the main script) prints the summary and exits 2 when days are missing offline", () => {
  const {dir, cleanup} = tempDir();
  try {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", "loaders/fetch-data.ts"], {
      cwd: root,
      encoding: "utf8",
      env: {...process.env, CVE_VENUES: "binance,okx", CVE_START: DAY, CVE_DATA_DIR: dir, CVE_OFFLINE: "1"},
      timeout: 60_000
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /binance  \| 2024-08-05 \| missing/);
    assert.match(r.stdout, /okx      \| 2024-08-05 \| missing/);
    assert.match(r.stdout, /run with CVE_OFFLINE=0 to fetch them/);
    assert.equal(existsSync(join(dir, "raw")), false);
  } finally {
    cleanup();
  }
});
