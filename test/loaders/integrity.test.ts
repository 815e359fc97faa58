/**
 * Data integrity: nothing is lost or accepted silently, errors name the data, and inputs or
 * settings that would exhaust memory, disk or time are refused up front with the reason.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import test from "node:test";
import {mulberry32} from "../../lib/random.ts";
import {ConfigError, loadConfig, MAX_SURROGATES, MIN_BIN_MS, type AnalysisConfig, type Venue} from "../../loaders/config.ts";
import {chapterBuild, MIN_VENUE_TRADES} from "../../loaders/chapters/build.ts";
import {computeChapter05} from "../../loaders/chapters/ch05.ts";
import {ensureDerived, readQuality, type SiteManifest} from "../../loaders/derived.ts";
import {openZipSink} from "../../loaders/formats/archive.ts";
import {BINANCE_HEADER, binanceCsvName, binanceFileName, bybitFileName, archiveFormat} from "../../loaders/formats/index.ts";
import {checkBalance, DataError} from "../../loaders/quality.ts";
import {FrameworkErrorFilter, loaderNodeOptions} from "../../scripts/framework.ts";
import {ROOT} from "../../loaders/fingerprint.ts";
import {dirError} from "../../loaders/writable.ts";
import {bannerNotes} from "../../src/components/banner.ts";
import {LineSplitter, LineTooLongError, MAX_LINE_BYTES} from "../../loaders/formats/bytes.ts";
import {readBinance} from "../../loaders/formats/binance.ts";
import {lineBlocks} from "../../loaders/formats/parallel.ts";
import {checkArchiveMarket} from "../../loaders/formats/symbol.ts";
import {priceLevelIssues} from "../../loaders/price-level.ts";
import {allocBatch, InputError, newQuarantine, type TradeBatch} from "../../loaders/trades.ts";
import {tempDir} from "./support/fixtures.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

test("a zip holding one line of 64 MiB fails at the line-length cap, naming the file and line", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "BTCUSDT-trades-2024-08-05.zip");
    const sink = await openZipSink(path, "BTCUSDT-trades-2024-08-05.csv");
    await sink.write("id,price,qty,quote_qty,time,is_buyer_maker\n");
    const block = "9".repeat(1 << 20);
    for (let i = 0; i < 64; ++i) await sink.write(block);
    await sink.close();
    let rows = 0;
    await assert.rejects(
      async () => {
        for await (const b of readBinance(path, newQuarantine())) rows += b.length;
      },
      (e: Error) => e instanceof InputError && e.line === 2 && e.file === path && /line longer than 1,048,576 bytes/.test(e.message)
    );
    assert.equal(rows, 0);
  } finally {
    cleanup();
  }
});

test("LineSplitter(maxLine) accepts a line of exactly maxLine bytes and refuses a longer one, in one chunk or across chunks", () => {
  const lines: number[] = [];
  const on = (_b: Uint8Array, s: number, e: number) => void lines.push(e - s);
  const ok = new LineSplitter(8);
  ok.push(bytes("12345678\r\n1234"), on);
  ok.push(bytes("5678\n"), on);
  assert.deepEqual(lines, [8, 8]);
  assert.throws(() => new LineSplitter(8).push(bytes("a\n123456789\n"), on), (e: Error) => e instanceof LineTooLongError && e.line === 2);
  const split = new LineSplitter(8);
  split.push(bytes("12345"), on);
  assert.throws(() => split.push(bytes("67890"), on), (e: Error) => e instanceof LineTooLongError && e.line === 1);
  assert.equal(MAX_LINE_BYTES, 1 << 20);
});

test("lineBlocks(chunks) refuses a line that runs maxLine bytes past the block size, naming the file", async () => {
  const chunks = [bytes("a,b\n"), bytes("x".repeat(600)), bytes("x".repeat(600))];
  await assert.rejects(
    async () => {
      for await (const _ of lineBlocks(chunks, 100, {maxLine: 1000, file: "f.zip"}));
    },
    (e: Error) => e instanceof InputError && e.file === "f.zip" && /block from byte 0 of the content is longer than 1,000 bytes/.test(e.message)
  );
});

test("CVE_SURROGATES has an upper bound and CVE_BINS_MS a lower bound, each with its reason", () => {
  assert.throws(() => loadConfig({CVE_SURROGATES: "1e7"}), (e: Error) => e instanceof ConfigError && /surrogates: at most 9,999 \(p-values resolve to 1\/\(S \+ 1\).*got 10000000/.test(e.message));
  assert.equal(loadConfig({CVE_SURROGATES: String(MAX_SURROGATES)}).surrogates, MAX_SURROGATES);
  assert.throws(
    () => loadConfig({CVE_BINS_MS: "1,100,1000"}),
    (e: Error) => e instanceof ConfigError && /bin width 1 ms is below the minimum of 50 ms \(a day of 1 ms bins is 86,400,000 rows per venue, about 27\.6 GB for 4 venue\(s\)\)/.test(e.message)
  );
  assert.deepEqual(loadConfig({CVE_BINS_MS: `${MIN_BIN_MS},100,1000`}).binWidthsMs, [MIN_BIN_MS, 100, 1000]);
});

// ---------------------------------------------------------------------------------------------
// Silent loss: each case is counted, on the banner (the site manifest's warnings), or fails the
// build with a message naming the file.

const scratch = mkdtempSync(join(tmpdir(), "cve-integrity-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

/** A real-source configuration of one hour on `venues`, its archives written by the test. */
function realConfig(name: string, venues: string, env: Record<string, string> = {}): AnalysisConfig {
  return loadConfig({CVE_HOURS: "1", CVE_SOURCE: "real", CVE_VENUES: venues, CVE_DATA_DIR: join(scratch, name), ...env});
}

const T0 = Date.UTC(2024, 7, 5);
const HOUR = 3_600_000;
const quiet = {log: () => {}};

/** Sorted trades on exchange grids (0.1 USD ticks, 0.01 BTC lots, whole ms) over [t0, t1): a random walk from `price`, balanced sides, ids from `firstId`. */
function trades(venue: Venue, t0: number, t1: number, seed: number, {price = 60_000, firstId = 1000} = {}): TradeBatch {
  const random = mulberry32(seed);
  const n = Math.ceil((t1 - t0) / 400);
  const b = allocBatch(venue, n);
  let t = t0, p = price * 10;
  for (;;) {
    t += 1 + Math.floor(random() * 1000);
    if (t >= t1 || b.length === n) break;
    p += random() < 0.5 ? -1 : 1;
    const i = b.length++;
    b.time[i] = t;
    b.price[i] = p / 10;
    b.qty[i] = (1 + Math.floor(random() * 50)) / 100;
    b.side[i] = random() < 0.5 ? 1 : -1;
    b.id[i] = firstId + i;
  }
  return b;
}

/** Binance CSV rows of `b` (in its order). */
function binanceRows(b: TradeBatch): string {
  let s = "";
  for (let i = 0; i < b.length; ++i) s += `${b.id[i]},${b.price[i]},${b.qty[i]},${Math.round(b.price[i] * b.qty[i] * 1e8) / 1e8},${b.time[i]},${b.side[i] > 0 ? "false" : "true"}\n`;
  return s;
}

/** Writes a Binance archive of `day` for the configured symbol holding `csv` rows, in an entry named for `entrySymbol`; returns its file name. */
async function writeBinanceDay(c: AnalysisConfig, csv: string, {day = "2024-08-05", entrySymbol = c.symbol as string} = {}): Promise<string> {
  const dir = join(c.dataDir, "raw", "binance");
  mkdirSync(dir, {recursive: true});
  const name = binanceFileName(day, c.symbol);
  const sink = await openZipSink(join(dir, name), binanceCsvName(day, entrySymbol));
  await sink.write(`${BINANCE_HEADER}\n${csv}`);
  await sink.close();
  return name;
}

/** Writes `batch` as `venue`'s archives through the venue's own writer. */
async function writeArchive(c: AnalysisConfig, venue: Venue, batch: TradeBatch): Promise<string[]> {
  const dir = join(c.dataDir, "raw", venue);
  mkdirSync(dir, {recursive: true});
  return archiveFormat(venue).write([batch], dir, c.symbol);
}

/** The site manifest of a derived folder (what the banner reads). */
const siteManifest = (dir: string): SiteManifest => JSON.parse(readFileSync(join(dir, "site/manifest.json"), "utf8"));

/** Builds `c`, expecting the quality gate to stop it with a message matching every pattern; then builds it with `CVE_QUALITY=warn` and returns the folder. */
async function failsThenWarns(c: AnalysisConfig, ...patterns: (string | RegExp)[]): Promise<string> {
  await assert.rejects(ensureDerived(c, quiet), (e: Error) => {
    assert.ok(e instanceof DataError, String(e));
    for (const p of patterns) assert.ok(typeof p === "string" ? e.message.includes(p) : p.test(e.message), `${e.message}\n  lacks ${p}`);
    assert.match(e.message, /set CVE_QUALITY=warn to build anyway/);
    assert.equal(e.message.split("\n").length, 1, "one line");
    return true;
  });
  return ensureDerived({...c, quality: "warn"}, quiet);
}

test("rows of another day in a day's file are quarantined as 'outside file day', counted, and past 10% fail the build naming the file", async () => {
  const c = realConfig("wrong-day", "binance,bybit");
  const before = trades("binance", T0 - HOUR, T0, 2, {firstId: 1});
  const day = trades("binance", T0, T0 + 4 * HOUR, 1, {firstId: 100_000});
  const name = await writeBinanceDay(c, binanceRows(before) + binanceRows(day));
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 4 * HOUR, 3));
  const dir = await failsThenWarns(c, `binance 2024-08-05 (${name})`, /rows quarantined \(outside file day [\d,]+\), over the limit of 10%/);
  const q = readQuality(dir).find((r) => r.venue === "binance")!;
  assert.equal(q.wrongDay, before.length);
  assert.equal(q.quarantine.counts["outside file day"], before.length);
  assert.ok(q.outsideSpan > 0, "rows after the analysed hour are outside the span, as expected");
  assert.equal(checkBalance(q), 0);
  assert.ok(bannerNotes(siteManifest(dir)).some((l) => l.startsWith("Past the quality limit") && l.includes(name)));
});

test("a few rows of another day warn (on the banner) without failing", async () => {
  const c = realConfig("wrong-day-few", "binance,bybit");
  const before = trades("binance", T0 - 60_000, T0, 4, {firstId: 1});
  const day = trades("binance", T0, T0 + 4 * HOUR, 5, {firstId: 100_000});
  const name = await writeBinanceDay(c, binanceRows(before) + binanceRows(day));
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 4 * HOUR, 6));
  const dir = await ensureDerived(c, quiet);
  assert.ok(siteManifest(dir).quality.warnings.some((w) => w.includes(name) && w.includes("outside file day")));
  assert.ok(bannerNotes(siteManifest(dir)).some((l) => l.includes(name)));
  // A later site build reusing these derived data repeats the warning on stderr (from the manifest's loader).
  const env = {CVE_HOURS: "1", CVE_SOURCE: "real", CVE_VENUES: "binance,bybit", CVE_DATA_DIR: c.dataDir};
  const r = node(["--import", "tsx", "--input-type=module", "-e", `import {writeSiteFile} from "./loaders/derived.ts"; await writeSiteFile("manifest.json");`], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).key, siteManifest(dir).key);
  assert.match(r.stderr, new RegExp(`^quality warning: binance 2024-08-05 \\(${name}\\): [\\d.]+% of [\\d,]+ rows quarantined \\(outside file day \\d+\\)$`, "m"));
});

test("an ETHUSDT archive under the BTCUSDT name is refused, naming the file and both symbols (Binance entry, Bybit and OKX rows)", async () => {
  const c = realConfig("eth", "binance,bybit");
  const name = await writeBinanceDay(c, binanceRows(trades("binance", T0, T0 + HOUR, 7, {price: 2_700})), {entrySymbol: "ETHUSDT"});
  await assert.rejects(checkArchiveMarket("binance", join(c.dataDir, "raw/binance", name), "BTCUSDT"), (e: Error) => e instanceof InputError && e.message.includes(name) && /holds "ETHUSDT-trades-2024-08-05.csv", not the configured BTCUSDT/.test(e.message));
  for (const venue of ["bybit", "okx"] as const) {
    const dir = join(c.dataDir, "raw", venue);
    mkdirSync(dir, {recursive: true});
    const eth = trades(venue, T0, T0 + HOUR, 8, {price: 2_700});
    for (const f of await archiveFormat(venue).write([eth], dir, "ETHUSDT" as AnalysisConfig["symbol"])) {
      const renamed = f.replace("ETH", "BTC");
      renameSync(join(dir, f), join(dir, renamed));
      const expected = venue === "okx" ? /holds "ETH-USDT-SWAP", not the configured BTC-USDT-SWAP/ : /:2: holds "ETHUSDT", not the configured BTCUSDT/;
      await assert.rejects(checkArchiveMarket(venue, join(dir, renamed), "BTCUSDT"), (e: Error) => e instanceof InputError && e.message.includes(renamed) && expected.test(e.message));
    }
  }
  // The build stops on the first such file, naming it.
  await assert.rejects(ensureDerived(c, quiet), (e: Error) => e instanceof InputError && /holds "ETH/.test(e.message));
  // The configured market passes.
  const ok = realConfig("btc", "bybit");
  const [f] = await writeArchive(ok, "bybit", trades("bybit", T0, T0 + HOUR, 9));
  assert.equal(await checkArchiveMarket("bybit", join(ok.dataDir, "raw/bybit", f), "BTCUSDT"), "BTCUSDT");
});

test("prices × 0.045 on one venue fail the price-level check against the other venues, naming the venue, day and file", async () => {
  const c = realConfig("unit", "binance,bybit,coinbase");
  const b = trades("binance", T0, T0 + 2 * HOUR, 10);
  for (let i = 0; i < b.length; ++i) b.price[i] = Math.round(b.price[i] * 0.045 * 100) / 100;
  const [name] = await writeArchive(c, "binance", b);
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 11));
  await writeArchive(c, "coinbase", trades("coinbase", T0, T0 + 2 * HOUR, 12));
  const dir = await failsThenWarns(c, `binance 2024-08-05 (${name}): price level 0.045× the venues' median`);
  const m = siteManifest(dir);
  assert.ok(!m.quality.failures.some((f) => f.startsWith("bybit") || f.startsWith("coinbase")), "only the wrong venue is flagged");
});

test("priceLevelIssues() flags a level shift within one venue against its own median, and none on venues that agree", () => {
  const n = 360;
  const good = Float64Array.from({length: n}, (_, k) => 60_000 * (1 + 0.1 * Math.sin(k / 50)));
  const shifted = good.map((p, k) => (k >= 300 ? p * 0.045 : p));
  assert.deepEqual(priceLevelIssues(["binance", "okx", "bybit"], [good, good.map((p) => p * 1.001), good], T0, 10_000, {warn: 0.05, fail: Math.log(1.5)}), []);
  const [issue] = priceLevelIssues(["binance"], [shifted], T0, 10_000, {warn: 0.05, fail: Math.log(1.5)});
  assert.equal(issue.against, "its own median");
  assert.equal(issue.steps, 60);
  assert.equal(issue.first, T0 + 300 * 10_000);
  assert.ok(issue.failed);
});

test("a day with 67% of its rows quarantined fails the build, naming the file and the main reasons", async () => {
  const c = realConfig("quarantined", "binance,bybit");
  const rows = binanceRows(trades("binance", T0, T0 + 2 * HOUR, 13)).split("\n").filter(Boolean);
  const damaged = rows.map((r, i) => (i % 3 === 2 ? r : r.replace(/^(\d+),/, "$1,abc,"))).join("\n") + "\n";
  const name = await writeBinanceDay(c, damaged);
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 14));
  await failsThenWarns(c, `binance 2024-08-05 (${name}): 66.`, /rows quarantined \(wrong column count [\d,]+\), over the limit of 10%/);
});

test("a day with 0% buys fails the build as one-sided, naming the file", async () => {
  const c = realConfig("one-sided", "binance,bybit");
  const b = trades("binance", T0, T0 + 2 * HOUR, 15);
  b.side.fill(-1);
  const [name] = await writeArchive(c, "binance", b);
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 16));
  await failsThenWarns(c, `binance 2024-08-05 (${name}): one-sided day (buy share 0.0% of`, "is the side field inverted or constant?");
});

test("trade ids reused with other content are counted: a few warn, many fail the build naming the file", async () => {
  const c = realConfig("id-reuse", "binance,bybit");
  const b = trades("binance", T0, T0 + 2 * HOUR, 17);
  // Ids repeat from a quarter of the rows on: inside the analysed hour (half the rows), a quarter reuse an id.
  const period = Math.ceil(b.length / 4);
  for (let i = 0; i < b.length; ++i) b.id[i] = 1000 + (i % period);
  const name = await writeBinanceDay(c, binanceRows(b));
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 18));
  const dir = await failsThenWarns(c, `binance 2024-08-05 (${name}):`, /trade\(s\) reuse a trade id with other content \([\d.]+% of kept trades, over the limit of 1%\)/);
  const q = readQuality(dir).find((r) => r.venue === "binance")!;
  assert.equal(q.idReuse, q.kept - period);

  // Three reused ids (one a repeat of a (time, id) with another price): a warning, and a line on stderr.
  const c2 = realConfig("id-reuse-few", "binance,bybit");
  const b2 = trades("binance", T0, T0 + 2 * HOUR, 19);
  b2.id[10] = b2.id[5];
  b2.id[20] = b2.id[6];
  const rows = binanceRows(b2).split("\n");
  rows.splice(31, 0, rows[30].replace(/^(\d+),([\d.]+),/, (_, id, p) => `${id},${Number(p) + 0.1},`));
  const name2 = await writeBinanceDay(c2, rows.join("\n"));
  await writeArchive(c2, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 20));
  const logs: string[] = [];
  const dir2 = await ensureDerived(c2, {log: (l) => logs.push(l)});
  assert.equal(readQuality(dir2).find((r) => r.venue === "binance")!.idReuse, 3);
  assert.ok(siteManifest(dir2).quality.warnings.some((w) => w === `binance 2024-08-05 (${name2}): 3 trade(s) reuse a trade id with other content`));
  assert.ok(logs.includes(`quality warning: binance 2024-08-05 (${name2}): 3 trade(s) reuse a trade id with other content`), logs.join("\n"));
});

test("bannerNotes(manifest) lists failures first, then warnings, at most five lines", () => {
  assert.deepEqual(bannerNotes({}), []);
  assert.deepEqual(bannerNotes({quality: {warnings: ["w1"], failures: ["f1"]}}), ["Past the quality limit: f1", "w1"]);
  const many = bannerNotes({quality: {warnings: ["1", "2", "3", "4", "5", "6"], failures: []}});
  assert.deepEqual(many, ["1", "2", "3", "4", "… and 2 more (see the data page and quality.json)"]);
});

// ---------------------------------------------------------------------------------------------
// Errors that point at the data.

test("a venue with too few trades is skipped by the chapters with a stated reason; too few venues is a DataError naming each", async () => {
  const c = realConfig("near-empty", "binance,bybit,coinbase");
  // The binance archive of the day holds its header and no trade.
  const few = {length: 0};
  await writeBinanceDay(c, "");
  await writeArchive(c, "bybit", trades("bybit", T0, T0 + 2 * HOUR, 22));
  await writeArchive(c, "coinbase", trades("coinbase", T0, T0 + 2 * HOUR, 23));
  const dir = await ensureDerived(c, quiet);
  const logs: string[] = [];
  const {manifest, skipped} = chapterBuild(dir, c, {log: (l) => logs.push(l)});
  assert.deepEqual(manifest.venues, ["bybit", "coinbase"]);
  const reason = `${few.length} trade(s) kept over the span, fewer than the ${MIN_VENUE_TRADES} the analyses need`;
  assert.deepEqual(skipped, [{venue: "binance", reason}]);
  assert.deepEqual(logs, [`chapters: skipping binance: ${reason}`]);
  assert.throws(() => chapterBuild(dir, c, {minVenues: 3, log: () => {}}), (e: Error) => e instanceof DataError && e.message === `too few venues to analyse (2 of 3, at least 3 needed): binance: ${reason}`);
  // A chapter runs on the analysable venues instead of failing inside an estimator.
  const ch05 = await computeChapter05(dir, c);
  assert.notEqual(ch05.venue, "binance");
});

/** Runs `node args` in the project root with `env` added; its exit code, stdout and stderr. */
function node(args: string[], env: Record<string, string> = {}): {status: number | null; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, args, {cwd: ROOT, env: {...process.env, ...env}, encoding: "utf8"});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

test("npm run prune and npm run fetch-data print one line, no stack trace, for a configuration error", () => {
  for (const script of ["loaders/prune.ts", "loaders/fetch-data.ts"]) {
    const r = node(["--import", "tsx", script], {CVE_HOURS: "99", CVE_DATA_DIR: join(scratch, "cli")});
    assert.equal(r.status, 2, script);
    assert.equal(r.stderr, "error: invalid configuration: hours: must be an integer from 1 to 24, got 99\n", script);
  }
});

test("a loader stopped by a data error ends with one line naming the input and reason; a bug keeps its stack trace", () => {
  const preload = `--import=${pathToFileURL(join(ROOT, "scripts/loader-preload.mjs")).href}`;
  const data = node([preload, "--input-type=module", "-e", `const e = new Error("binance 2024-08-05: /d/raw/binance/x.zip:12: wrong header\\nmore"); e.name = "InputError"; await Promise.resolve(); throw e;`]);
  assert.equal(data.status, 1);
  assert.equal(data.stderr, "error: binance 2024-08-05: /d/raw/binance/x.zip:12: wrong header\n");
  const bug = node([preload, "--input-type=module", "-e", `throw new TypeError("x is undefined");`]);
  assert.equal(bug.status, 1);
  assert.match(bug.stderr, /^TypeError: x is undefined\n\s+at /);
});

test("FrameworkErrorFilter leaves out Framework's bug-report closing after a data error, and only then", () => {
  const closing = ["", "Unexpected error: loader exited with code 1", "", "Tip: To see the full stack trace, run with the --debug flag.", "", "If you think this is a bug, please file an issue at", "↳ https://github.com/observablehq/framework/issues", ""];
  const run = (lines: string[]) => {
    const f = new FrameworkErrorFilter();
    return lines.filter((l) => f.keep(l));
  };
  assert.deepEqual(run(["inputs abc: current", "error: /d/raw/okx/f.zip: corrupt zip", ...closing]), ["inputs abc: current", "error: /d/raw/okx/f.zip: corrupt zip"]);
  assert.deepEqual(run(["inputs abc: current", ...closing]), ["inputs abc: current", ...closing]);
  assert.match(loaderNodeOptions("/p", "--max-old-space-size=4096"), /^--max-old-space-size=4096 --import=file:\/\/\/p\/scripts\/loader-preload\.mjs$/);
});

test("a data folder that cannot be written is a clear permission error, not ENOENT mkdir", () => {
  const missing = join(scratch, "ro", "data", "derived");
  const enoent = Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${missing}'`), {code: "ENOENT"});
  const e = dirError(missing, enoent, () => false) as Error;
  assert.ok(e instanceof DataError);
  assert.equal(e.message, `permission denied: cannot create ${missing}: ${scratch} is not writable (ENOENT); make it writable or set CVE_DATA_DIR to a writable folder`);
  const erofs = dirError(missing, Object.assign(new Error("EROFS"), {code: "EROFS"}), () => true) as Error;
  assert.match(erofs.message, /is not writable \(EROFS, a read-only file system\)/);
  // A missing folder under a writable one is not a permission problem.
  assert.equal(dirError(missing, enoent, () => true), enoent);
});

test("a failing (venue, day) task is the error reported, not a task it cancelled", async () => {
  const c = realConfig("task-failure", "binance,bybit,coinbase");
  await writeArchive(c, "binance", trades("binance", T0, T0 + 2 * HOUR, 24));
  await writeArchive(c, "coinbase", trades("coinbase", T0, T0 + 2 * HOUR, 25));
  const dir = join(c.dataDir, "raw", "bybit");
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, bybitFileName("2024-08-05", c.symbol)), "not a gzip file at all");
  await assert.rejects(ensureDerived(c, {...quiet, workers: 2}), (e: Error) => e.name === "InputError" && e.message.startsWith("bybit 2024-08-05: ") && /not a gzip|gzip/.test(e.message));
});

test("startHeartbeat() reports on stderr while the thread is busy with synchronous work, and stops when told", () => {
  const script = `
    import {startHeartbeat} from "./loaders/chapters/heartbeat.ts";
    const stop = startHeartbeat("chapter ch03", {everyMs: 100, note: " (9,999 surrogates per test)"});
    await new Promise((r) => setTimeout(r, 300)); // the worker starts
    const t = Date.now();
    while (Date.now() - t < 700);                  // a synchronous surrogate loop
    await stop();
    process.stderr.write("stopped\\n");
    const t2 = Date.now();
    while (Date.now() - t2 < 300);                 // after stop: silence
    await new Promise((r) => setTimeout(r, 300));
  `;
  const r = node(["--import", "tsx", "--input-type=module", "-e", script]);
  assert.equal(r.status, 0, r.stderr);
  // No count of lines per second (a loaded machine schedules the reporting thread late): at least
  // one report while the loop ran, each in the stated form, and none after stop().
  const [during, after] = r.stderr.split("stopped\n");
  const lines = during.trim().split("\n");
  assert.ok(during.trim().length > 0, r.stderr);
  for (const l of lines) assert.match(l, /^chapter ch03: still computing, \d+\.\d min so far \(9,999 surrogates per test\)$/);
  assert.equal(after, "", "nothing after stop()");
});

test("a loader on a data folder it may not write stops with one permission line naming the folder and CVE_DATA_DIR", (t) => {
  // As root every folder is writable: run the loader as an unprivileged user (needs root and runuser).
  if (process.getuid?.() !== 0 || !existsSync("/usr/sbin/runuser")) return t.skip("needs root and runuser to run as an unprivileged user");
  const parent = mkdtempSync(join(tmpdir(), "cve-readonly-"));
  try {
    chmodSync(parent, 0o755); // owned by root: others may read, not write
    const r = spawnSync(
      "/usr/sbin/runuser",
      // The loaders' body (a src/data loader also checks Framework's cache key, which a test run does not share).
      ["-u", "nobody", "--", "env", "HOME=/tmp", `CVE_DATA_DIR=${join(parent, "data")}`, "CVE_HOURS=1", "CVE_SOURCE=simulated", process.execPath, "--import", "tsx", "--import", "./scripts/loader-preload.mjs", "--input-type=module", "-e", `const {writeSiteFile} = await import("./loaders/derived.ts"); await writeSiteFile("manifest.json");`],
      {cwd: ROOT, encoding: "utf8"}
    );
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `error: permission denied: cannot create ${join(parent, "data", "derived")}: ${parent} is not writable (EACCES); make it writable or set CVE_DATA_DIR to a writable folder\n`);
  } finally {
    rmSync(parent, {recursive: true, force: true});
  }
});
