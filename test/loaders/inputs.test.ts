// CVE_INPUTS: each file placed by name and content, the span of the inputs, and errors that name
// the file. Genuine recordings from ../shared/real-trades where present (skipped otherwise), and
// small files written here in the exact layouts (a COIN-M recording line, an unknown file).
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {test} from "node:test";
import {coinmQty, detectInput, expandPattern, inputMarkets, inputsSpan, readInput, resolveInputs, type ScannedInput} from "../../loaders/inputs.ts";
import {inputsConfig} from "../../loaders/source-resolve.ts";
import {configSpan, loadConfig} from "../../loaders/config.ts";
import {InputError, newQuarantine} from "../../loaders/trades.ts";

const SHARED = process.env.CVE_SHARED_DIR ?? join(import.meta.dirname, "../../../shared");
const REAL = join(SHARED, "real-trades");
const skip = existsSync(REAL) ? false : `${REAL} is absent: the detection of genuine recordings needs ../shared`;
const dir = mkdtempSync(join(tmpdir(), "cve-inputs-"));

test("genuine files: USD-M and spot recordings, the Tardis CSV and a cryptofeed capture are placed by content", {skip}, async () => {
  const files = await resolveInputs([
    {market: null, pattern: join(REAL, "binance-usdm-futures/btcusdt_20230405.dat.gz")},
    {market: null, pattern: join(REAL, "binance-spot/*.dat.gz")},
    {market: null, pattern: join(REAL, "binance-usdm-futures/tardis_trades.csv")},
    {market: null, pattern: join(REAL, "bybit/BYBIT.jsonl.zst")}
  ]);
  assert.deepEqual(files.map((f) => [f.format, f.market]), [["binance-ws", "binance"], ["binance-ws", "binance-spot"], ["tardis", "binance"], ["cryptofeed", "bybit"]]);
  // SOURCES.md: 3,144 spot trades (none of them an insurance-fund trade), first 2023-04-04 23:59:59.999.
  assert.equal(files[1].trades, 3144);
  assert.equal(files[1].first, Date.parse("2023-04-04T23:59:59.999Z"));
  // The overlap of the two Binance recordings (perpetual's first trade → spot's last + 1 ms).
  assert.deepEqual(inputsSpan(files.slice(0, 2)), [Date.parse("2023-04-05T00:00:04.962Z"), Date.parse("2023-04-05T00:06:54.257Z")]);
  // CVE_FROM/CVE_TO narrow it; the build's configuration takes the markets and the span.
  const c = inputsConfig(loadConfig({CVE_INPUTS: "x", CVE_FROM: "2023-04-05T00:01:00Z", CVE_TO: "2023-04-05T00:03:00.500Z"}), files.slice(0, 2));
  assert.deepEqual(c.venues, ["binance", "binance-spot"]);
  assert.deepEqual(configSpan(c), [Date.parse("2023-04-05T00:01:00Z"), Date.parse("2023-04-05T00:03:00.500Z")]);
  // The Tardis file (2020) does not overlap the recordings (2023): an error naming the markets.
  assert.throws(() => inputsSpan([files[0], {...files[2], market: "binance-spot"}]), (e: Error) => e instanceof InputError && /do not overlap/.test(e.message));
});

test("a COIN-M recording is placed as binance-coinm and its contracts of 100 USD become BTC", async () => {
  const line = (t: number, id: number) =>
    `${t * 1000} {"stream":"btcusd_perp@trade","data":{"e":"trade","E":${t},"T":${t},"s":"BTCUSD_PERP","t":${id},"p":"28000.0","q":"14","X":"MARKET","m":false}}`;
  const path = join(dir, "btcusd_perp_20230405.gz");
  writeFileSync(path, gzipSync([line(1680652805000, 1), line(1680652806000, 2)].join("\n") + "\n"));
  const f = await detectInput(path);
  assert.equal(f.market, "binance-coinm");
  const q = newQuarantine();
  const qty: number[] = [];
  for await (const b of readInput(f, q)) for (let i = 0; i < b.length; ++i) qty.push(b.qty[i]);
  assert.deepEqual(qty, [coinmQty(14, 28000), coinmQty(14, 28000)]);
  assert.equal(coinmQty(14, 28000), 0.05);
  assert.deepEqual(inputMarkets([{market: "binance-spot"}, {market: "binance-coinm"}, {market: "binance"}]), ["binance", "binance-spot", "binance-coinm"]);
});

test("a file that cannot be placed, and a pattern that matches nothing, are errors naming them", async () => {
  const path = join(dir, "notes.txt");
  writeFileSync(path, "hello\n");
  await assert.rejects(detectInput(path, null, dir), (e: Error) => e instanceof InputError && e.message.startsWith("notes.txt: cannot tell the format or market"));
  assert.throws(() => expandPattern(join(dir, "nothing-*.gz")), (e: Error) => e instanceof InputError && /matches no file/.test(e.message));
  assert.throws(() => expandPattern(join(dir, "absent.gz")), (e: Error) => e instanceof InputError && /no such file/.test(e.message));
  // market-id=path sets the market of a file whose content would say otherwise.
  const spot = join(dir, "rec.gz");
  writeFileSync(spot, gzipSync(`1680652805000000 {"e":"trade","E":1680652805000,"T":1680652805000,"s":"BTCUSDT","t":1,"p":"28000","q":"0.1","X":"MARKET","m":true}\n`));
  assert.equal((await detectInput(spot)).market, "binance");
  assert.equal((await detectInput(spot, "binance-spot")).market, "binance-spot");
  const none: ScannedInput = {path: spot, file: "rec.gz", format: "binance-ws", market: "binance", symbol: null, trades: 0, first: null, last: null, bytes: 1, sha256: ""};
  assert.throws(() => inputsSpan([none]), (e: Error) => e instanceof InputError && e.message.startsWith("rec.gz: no trade read"));
});
