// A Binance COIN-M perpetual beside the USD-M one, through CVE_INPUTS, end to end at loader level
// (ensureDerived, then chapters 03 and the findings' `leaders`; a full site build of the same
// inputs is what test/site/real.test.ts does for USD-M and spot). There is no real COIN-M
// recording at hand, so this test writes one in the genuine hftbacktest layout
// (`<receive µs> {"stream":"btcusd_perp@trade","data":{…"s":"BTCUSD_PERP"…}}`, gzip), quantities
// in contracts of 100 USD: every third trade of the 2023-04-05 USD-M recording of
// ../shared/real-trades, 250 ms later, at a price 0.03 % higher (USD against USDT). Beside the
// USD-M and spot recordings, Analysis A compares the two perpetuals only — the spot market never
// enters it — and names USD-M, which the written file follows by 250 ms; Analysis B pairs each
// perpetual with the spot market.
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, test} from "node:test";
import {computeChapter03} from "../../loaders/chapters/ch03.ts";
import {analysisBLeaders} from "../../loaders/chapters/findings.ts";
import {loadConfig} from "../../loaders/config.ts";
import {ensureDerived, readManifest, readTrades} from "../../loaders/derived.ts";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {coinmQty} from "../../loaders/inputs.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {leaderEntries} from "../../lib/analysis/findings.js";
import {writeCoinmRecording} from "../support/coinm.ts";

const SHARED = process.env.CVE_SHARED_DIR ?? join(import.meta.dirname, "../../../shared");
const PERP = join(SHARED, "real-trades/binance-usdm-futures/btcusdt_20230405.dat.gz");
const SPOT = join(SHARED, "real-trades/binance-spot/btcusdt_20230405.dat.gz");
const skip = existsSync(PERP) && existsSync(SPOT) ? false : `${SHARED}/real-trades is absent: the COIN-M check needs the 2023-04-05 Binance recordings`;
const dir = mkdtempSync(join(tmpdir(), "cve-coinm-"));
after(() => rmSync(dir, {recursive: true, force: true}));

const DELAY_MS = 250;
const PREMIUM = 1.0003;

/** Writes the COIN-M recording (see the file comment) and returns its path and its trades' contracts and prices. */
const writeCoinm = () => writeCoinmRecording(PERP, join(dir, "btcusd_perp_20230405.dat.gz"), {delayMs: DELAY_MS, premium: PREMIUM});

test("a COIN-M recording beside the USD-M and spot ones: Analysis A compares the two perpetuals, B each with spot", {skip, timeout: 600_000}, async () => {
  const coinm = await writeCoinm();
  const config = loadConfig({CVE_INPUTS: [PERP, coinm.path, SPOT].join(","), CVE_DATA_DIR: join(dir, "data"), CVE_SURROGATES: "99"});
  const derived = await ensureDerived(config, {log: () => {}});
  const m = readManifest(derived);
  assert.equal(m.source, "real");
  assert.deepEqual(m.venues, ["binance", "binance-spot", "binance-coinm"]);
  assert.deepEqual(m.inputs!.map((f) => [f.format, f.market]), [["binance-ws", "binance"], ["binance-ws", "binance-coinm"], ["binance-ws", "binance-spot"]]);
  // Contracts of 100 USD became BTC as the file was read: 100·q/p.
  const t = await readTrades(derived, "binance-coinm");
  assert.ok(t.length > 1000, `${t.length} COIN-M trades in the span`);
  const k = coinm.prices.indexOf(t.price[0]);
  assert.ok(k >= 0);
  assert.ok(Math.abs(t.qty[0] - coinmQty(coinm.contracts[k], coinm.prices[k])) < 1e-12, `${t.qty[0]} BTC`);

  const ch = await computeChapter03(derived, config);
  assert.equal(ch.crossMarket, null);
  const A = ch.leaders.filter((o) => o.analysis === "A");
  const B = ch.leaders.filter((o) => o.analysis === "B");
  assert.equal(A.length, 1, "one period: the whole span");
  assert.deepEqual(A[0].venues, ["binance", "binance-coinm"], "Analysis A: the perpetuals only, never the spot market");
  assert.ok(A[0].pairs.every((q) => q.a !== "binance-spot" && q.b !== "binance-spot"));
  assert.equal(A[0].leader, "binance", `USD-M leads the COIN-M copy written ${DELAY_MS} ms later (${A[0].reason ?? ""}, rule p = ${A[0].p})`);
  const lead = A[0].pairs[0];
  assert.ok(Math.abs(Math.abs(lead.leadMs) - DELAY_MS) <= 50, `Hayashi–Yoshida lead ${lead.leadMs} ms`);
  // findings.json `leaders`: Analysis A names its markets, the perpetuals; Analysis B pairs each perpetual with spot.
  const entries = leaderEntries(ch.leaders);
  assert.ok(entries.some((e) => e.analysis === "A" && e.leader === "binance" && e.markets?.join() === "binance,binance-coinm"));
  const b = analysisBLeaders(ch, config);
  assert.equal(b.skipped, null);
  assert.deepEqual([...new Set(b.entries.map((e) => e.markets!.join()))], ["binance,binance-spot", "binance-coinm,binance-spot"]);
  for (const e of b.entries) assert.ok(e.leader === null || e.markets!.includes(e.leader), `B leader ${e.leader}`);
});
