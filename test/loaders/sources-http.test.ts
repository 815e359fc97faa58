import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {after, before, test} from "node:test";
import {mulberry32} from "../../lib/random.js";
import {backoffDelay, baseUrl, download, DownloadError, fetchText, parseRetryAfter, pool} from "../../loaders/sources/http.ts";
import {VenueServer} from "./support/server.ts";
import {tempDir} from "./support/fixtures.ts";

function randomBytes(n: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; ++i) b[i] = Math.floor(r() * 256);
  return b;
}

const BODY = randomBytes(300_000, 1);
const SHA = createHash("sha256").update(BODY).digest("hex");
const quick = {retries: 4, backoff: {baseMs: 5, maxMs: 40, seed: 1}, timeoutMs: 2000};

let server: VenueServer;
let tmp: {dir: string; cleanup: () => void};
const lines: string[] = [];
const log = (l: string) => void lines.push(l);

before(async () => {
  server = await VenueServer.start({maxRequests: 500});
  server.serve("/file.bin", BODY);
  server.serve("/small.txt", new TextEncoder().encode("hello"));
  tmp = tempDir();
});
after(async () => {
  await server.close();
  tmp.cleanup();
  assert.equal(server.overflow, false);
});

let n = 0;
function fresh(): {dest: string; url: string} {
  server.faults = [];
  lines.length = 0;
  return {dest: join(tmp.dir, `case${++n}`, "file.bin"), url: `${server.url}/file.bin`};
}

function noPart(dest: string): void {
  assert.equal(existsSync(`${dest}.part`), false, "no .part file left");
}

test("download(url, dest) fetches the file, verifies its sha256 and renames it into place", async () => {
  const {dest, url} = fresh();
  const r = await download(url, dest, {...quick, sha256: SHA, log});
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  assert.deepEqual({bytes: r.bytes, sha256: r.sha256, attempts: r.attempts, resumed: r.resumed}, {bytes: BODY.length, sha256: SHA, attempts: 1, resumed: false});
  noPart(dest);
});

test("download(url) resumes with a Range request after a connection reset mid-body", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "reset", bytes: 120_000});
  const before = server.requests.length;
  const r = await download(url, dest, {...quick, log});
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  const reqs = server.requests.slice(before);
  assert.equal(reqs.length, 2);
  assert.equal(reqs[0].fault, "reset");
  assert.match(reqs[1].range ?? "", /^bytes=\d+-$/);
  assert.ok(Number(/\d+/.exec(reqs[1].range!)![0]) > 0, "resumed past byte 0");
  assert.equal(reqs[1].status, 206);
  assert.equal(r.attempts, 2);
  assert.match(lines.join("\n"), /connection lost after \d+ bytes.*retry 1\/4/);
  noPart(dest);
});

test("download(url) retries a truncated body (connection closed before Content-Length) and completes", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "truncate", bytes: 50_000, times: 2});
  const r = await download(url, dest, {...quick, log});
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  assert.equal(r.attempts, 3);
  noPart(dest);
});

test("download(url) honours Retry-After on 429", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "status", status: 429, retryAfter: "1"});
  const t0 = Date.now();
  await download(url, dest, {...quick, log});
  assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
  assert.match(lines[0], /HTTP 429 \(rate limited\); retry 1\/4 in 1000 ms/);
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
});

test("download(url) retries 500 and 503 with backoff, then succeeds", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "status", status: 500});
  server.fault({path: "/file.bin", kind: "status", status: 503});
  const r = await download(url, dest, {...quick, log});
  assert.equal(r.attempts, 3);
  assert.match(lines.join("\n"), /HTTP 500.*retry 1\/4[\s\S]*HTTP 503.*retry 2\/4/);
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
});

test("download(url) times out a slow response and retries", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "slow", delayMs: 1500});
  const t0 = Date.now();
  const r = await download(url, dest, {...quick, timeoutMs: 250, log});
  assert.ok(Date.now() - t0 < 1400, "did not wait for the slow answer");
  assert.equal(r.attempts, 2);
  assert.match(lines[0], /timeout/);
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
});

test("download(url) restarts from byte 0 when the server ignores Range", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "reset", bytes: 100_000});
  server.fault({path: "/file.bin", kind: "ignore-range"});
  const before = server.requests.length;
  await download(url, dest, {...quick, log});
  const reqs = server.requests.slice(before);
  assert.equal(reqs[1].status, 200);
  assert.ok(reqs[1].range, "asked for a range");
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  noPart(dest);
});

test("download(url) rejects a checksum mismatch after one fresh retry, leaving no file under the final name", async () => {
  const {dest, url} = fresh();
  const before = server.requests.length;
  await assert.rejects(download(url, dest, {...quick, sha256: "0".repeat(64), log}), (e: unknown) => e instanceof DownloadError && /checksum mismatch: expected sha256 0{64}, got [0-9a-f]{64}/.test(e.message) && e.message.includes(url));
  assert.equal(server.requests.length - before, 2);
  assert.equal(existsSync(dest), false);
  noPart(dest);
});

test("download(url) gives a clear DownloadError naming the URL on 404, without retrying", async () => {
  const {dest} = fresh();
  const url = `${server.url}/data/futures/um/daily/trades/BTCUSDT/BTCUSDT-trades-2024-08-05.zip`;
  const before = server.requests.length;
  await assert.rejects(download(url, dest, {...quick, label: "binance 2024-08-05", log}), (e: unknown) => e instanceof DownloadError && e.status === 404 && e.message === `no archive for binance 2024-08-05: HTTP 404 (${url})`);
  assert.equal(server.requests.length - before, 1);
  assert.equal(existsSync(dest), false);
  noPart(dest);
});

test("download(url) gives up after `retries` retries with the last reason, and a rerun resumes the kept part", async () => {
  const {dest, url} = fresh();
  server.fault({path: "/file.bin", kind: "reset", bytes: 90_000, times: 3});
  const before = server.requests.length;
  await assert.rejects(download(url, dest, {...quick, retries: 2, log}), (e: unknown) => e instanceof DownloadError && /gave up after 3 attempts: connection lost/.test(e.message));
  assert.equal(server.requests.length - before, 3);
  assert.equal(existsSync(dest), false);
  const kept = statSync(`${dest}.part`).size;
  assert.ok(kept > 0 && kept < BODY.length);
  const r = await download(url, dest, {...quick, log});
  assert.equal(server.requests[server.requests.length - 1].range, `bytes=${kept}-`);
  assert.equal(r.resumed, true);
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  noPart(dest);
});

test("download(url) accepts a complete part from an earlier run when the server answers 416 for its size", async () => {
  const {dest, url} = fresh();
  // An earlier run stopped after receiving the whole body (e.g. killed during verification).
  server.fault({path: "/file.bin", kind: "truncate", bytes: BODY.length - 1});
  await assert.rejects(download(url, dest, {...quick, retries: 0, log}), /gave up after 1 attempts/);
  const kept = statSync(`${dest}.part`).size;
  assert.equal(kept, BODY.length - 1);
  // Append the last byte by hand: the part is now complete, and the next request gets 416.
  const {appendFileSync} = await import("node:fs");
  appendFileSync(`${dest}.part`, BODY.subarray(BODY.length - 1));
  const before = server.requests.length;
  const r = await download(url, dest, {...quick, sha256: SHA, log});
  assert.deepEqual(
    server.requests.slice(before).map((q) => q.status),
    [416]
  );
  assert.equal(r.bytes, BODY.length);
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  noPart(dest);
});

test("download(url, {verify}) discards a file that fails its integrity check", async () => {
  const {dest, url} = fresh();
  await assert.rejects(
    download(url, dest, {
      ...quick,
      log,
      verify: async () => {
        throw new Error("not an archive");
      }
    }),
    /corrupt download: not an archive/
  );
  assert.equal(existsSync(dest), false);
  noPart(dest);
  assert.deepEqual(readdirSync(join(dest, "..")), []);
});

test("download(url, {checksumUrl}) reads `<sha256>  <name>` and refuses a checksum file naming another file", async () => {
  const {dest} = fresh();
  server.serveBinance("2024-08-05", BODY);
  const url = `${server.url}/data/futures/um/daily/trades/BTCUSDT/BTCUSDT-trades-2024-08-05.zip`;
  await download(url, dest, {...quick, checksumUrl: `${url}.CHECKSUM`, log});
  assert.deepEqual(readFileSync(dest), Buffer.from(BODY));
  server.serve("/other.CHECKSUM", new TextEncoder().encode(`${SHA}  something-else.zip\n`));
  await assert.rejects(download(url, `${dest}2`, {...quick, checksumUrl: `${server.url}/other.CHECKSUM`, log}), /checksum file names something-else.zip/);
});

test("download(url, {progress}) prints byte counts, percentage and rate", async () => {
  const {dest, url} = fresh();
  const seen: number[] = [];
  await download(url, dest, {...quick, progress: true, label: "binance 2024-08-05", log, onProgress: (p) => seen.push(p.received)});
  assert.match(lines[lines.length - 1], /^binance 2024-08-05: 300\.0 kB \/ 300\.0 kB \(100%\) .*\/s done$/);
  assert.equal(seen[seen.length - 1], BODY.length);
  assert.ok(seen.every((x, i) => i === 0 || x >= seen[i - 1]));
});

test("fetchText(url) retries resets and 5xx and returns the body", async () => {
  fresh();
  server.fault({path: "/small.txt", kind: "status", status: 502});
  server.fault({path: "/small.txt", kind: "reset", bytes: 2});
  const r = await fetchText(`${server.url}/small.txt`, {...quick, log});
  assert.equal(r.body, "hello");
  assert.equal(lines.length, 2);
  await assert.rejects(fetchText(`${server.url}/missing`, {...quick, log}), (e: unknown) => e instanceof DownloadError && e.status === 404);
});

test("pool(tasks, 2) runs at most two at a time, keeps order and stops starting tasks after a failure", async () => {
  let running = 0;
  let peak = 0;
  const task = (v: number, fail = false) => async () => {
    ++running;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 10 + (v % 3) * 5));
    --running;
    if (fail) throw new Error(`task ${v} failed`);
    return v;
  };
  assert.deepEqual(await pool([0, 1, 2, 3, 4, 5].map((v) => task(v))), [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
  const started: number[] = [];
  const tasks = [0, 1, 2, 3, 4, 5].map((v) => async () => (started.push(v), task(v, v === 1)()));
  await assert.rejects(pool(tasks, 2), /task 1 failed/);
  assert.ok(started.length < 6, `started ${started.join(",")}`);
  await assert.rejects(pool([], 0), /invalid concurrency: 0/);
});

test("backoffDelay(attempt) grows exponentially within [0.5, 1) of the cap; parseRetryAfter reads seconds and dates", () => {
  const r = mulberry32(3);
  for (let a = 0; a < 8; ++a) {
    const d = backoffDelay(a, {baseMs: 100, maxMs: 2000}, r);
    const cap = Math.min(2000, 100 * 2 ** a);
    assert.ok(d >= cap / 2 && d < cap, `${a}: ${d}`);
  }
  const x = backoffDelay(2, {seed: 1}, mulberry32(7));
  assert.equal(backoffDelay(2, {seed: 1}, mulberry32(7)), x);
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 5000);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
});

test("baseUrl(venue) takes an option, else CVE_BASE_URL_<VENUE>, else the venue's host", () => {
  assert.equal(baseUrl("binance", undefined, {}), "https://data.binance.vision");
  assert.equal(baseUrl("okx", undefined, {}), "https://static.okx.com");
  assert.equal(baseUrl("binance", undefined, {CVE_BASE_URL_BINANCE: "http://127.0.0.1:9/"}), "http://127.0.0.1:9");
  assert.equal(baseUrl("bybit", "http://localhost:1", {CVE_BASE_URL_BYBIT: "http://127.0.0.1:9"}), "http://localhost:1");
  assert.throws(() => baseUrl("coinbase", "ftp://x", {}), /invalid base URL for coinbase/);
});
