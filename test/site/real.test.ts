// The real-data editions: builds the site from real files given in CVE_INPUTS — the Binance USD-M
// perpetual and spot websocket recordings of 2023-04-05, and the Tardis CSV of Binance USD-M
// alone (one market over 2.1 hours) — in ../shared/real-trades, each into its own
// test-output/dist-real*/ with its own data folder, so the default dist/ and data/ stay as they
// are; then opens every page in headless Chromium and checks that each renders without error, is
// labelled real with the input files and span on its banner and prints no NaN. The two-market
// edition's report states Analysis B (a leader or none), which findings.json `leaders` carries
// machine-checkably; the one-market edition says on page 03 why every section that compares
// markets is skipped. Skips with a message where ../shared is absent (`CVE_SHARED_DIR` names
// another location of the shared folder).
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {after, before, describe, test} from "node:test";
import {ROOT} from "./browser.ts";
import {edition, pageTests} from "./editions.ts";
import {writeCoinmRecording} from "../support/coinm.ts";

const SHARED = process.env.CVE_SHARED_DIR ?? join(ROOT, "../shared");
const absent = (files: string[]) => (files.every((f) => existsSync(f)) ? false : `${SHARED}/real-trades is absent: the real-data edition needs ${files.map((f) => relative(SHARED, f)).join(", ")}`);
describe("the perpetual and spot recordings of 2023-04-05", () => {
  const PERP = join(SHARED, "real-trades/binance-usdm-futures/btcusdt_20230405.dat.gz");
  const SPOT = join(SHARED, "real-trades/binance-spot/btcusdt_20230405.dat.gz");
  const e = edition([PERP, SPOT], "test-output/dist-real", {skip: absent([PERP, SPOT])});
  const {skip, inputs: INPUTS, dataFile} = e;

  test("CVE_INPUTS=<perp>,<spot> npm run build builds the real-data edition", {skip}, () => {
    e.built();
    const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
    assert.equal(m.source, "real");
    assert.deepEqual(m.venues, ["binance", "binance-spot"]);
    assert.deepEqual(m.inputs.map((f: {file: string}) => f.file), INPUTS);
    // The overlap of the two recordings: the perpetual's first trade to the spot's last (+1 ms).
    assert.deepEqual(m.span, [Date.parse("2023-04-05T00:00:04.962Z"), Date.parse("2023-04-05T00:06:54.257Z")]);
    assert.ok(!JSON.stringify(m).includes(e.state.dataDir), "the manifest names no folder of the building machine");
  });

  test("findings.json states Analysis B per bin width, machine-checkably", {skip}, () => {
    e.built();
    const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
    const f = dataFile(/^findings\.[0-9a-f]+\.json$/);
    const b = (f.leaders as {analysis: string; period: string; binMs: number; leader: string | null; p: number; markets: string[]}[]).filter((x) => x.analysis === "B");
    assert.deepEqual(b.map((x) => x.binMs).sort((x, y) => x - y), [...m.binWidthsMs].sort((x: number, y: number) => x - y), "one verdict per bin width");
    for (const x of b) {
      assert.equal(x.period, "full");
      assert.deepEqual(x.markets, ["binance", "binance-spot"]);
      assert.ok(x.leader === null || m.venues.includes(x.leader), `leader ${x.leader}`);
      assert.ok(x.p >= 0 && x.p <= 1, `p ${x.p}`);
    }
  });

  pageTests(e, /span 6\.8 min/, async (name, page, body) => {
    if (name === "03-information-flow") {
      // Every flow figure names its definition, and the flow check compares both.
      assert.ok((body.match(/flow: net signed trade count/g) ?? []).length >= 5, "flow captions name the definition");
      assert.match(await page.textContent("[data-testid=flow-check]") ?? "", /of 4 links fall on the same side of p = 0\.05 whether the flow is the net signed trade count or the net signed volume/);
    }
    if (name !== "report") return;
    const verdicts = await page.$$eval(".analysis-b__verdict", (els) => els.map((x) => ({leader: (x as HTMLElement).dataset.leader, text: x.textContent ?? ""})));
    assert.ok(verdicts.length >= 1, "the report states Analysis B");
    for (const v of verdicts) assert.match(v.text, v.leader === "none" ? /no market leads beyond chance/ : /leads \(calibrated leader rule/);
  });
});

describe("a Tardis CSV alone: one market over 2.1 hours", () => {
  const TARDIS = join(SHARED, "real-trades/binance-usdm-futures/tardis_trades.csv");
  const e = edition([TARDIS], "test-output/dist-real-tardis", {skip: absent([TARDIS])});
  const {skip, dataFile} = e;

  test("CVE_INPUTS=<tardis csv> npm run build builds one market, and chapter 03 records why it compares none", {skip}, () => {
    e.built();
    const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
    assert.equal(m.source, "real");
    assert.deepEqual(m.venues, ["binance"]);
    assert.deepEqual(m.inputs.map((f: {format: string; market: string}) => [f.format, f.market]), [["tardis", "binance"]]);
    // SOURCES.md: 2020-02-22 00:00:02.111 → 02:05:47.728 (+1 ms).
    assert.deepEqual(m.span, [Date.parse("2020-02-22T00:00:02.111Z"), Date.parse("2020-02-22T02:05:47.729Z")]);
    const ch03 = dataFile(/^ch03\.[0-9a-f]+\.json$/);
    assert.match(ch03.crossMarket, /^one market only \(Binance\): comparisons between markets \(.*transfer entropy.*\) need two$/);
    assert.deepEqual([ch03.matrices, ch03.periods, ch03.leaders, ch03.hook], [[], [], [], null]);
    assert.equal(ch03.entropyRate.length, 1, "the market's own entropy rates are computed");
    const f = dataFile(/^findings\.[0-9a-f]+\.json$/);
    assert.deepEqual(f.leaders, [], "no leader verdict without a second market");
    assert.equal(f.flow.definition, "count", "findings.json records the flow's definition");
    assert.equal(ch03.flow, "count");
    const why = new Map((f.notComputed as {id: string; reason: string}[]).map((n) => [n.id, n.reason]));
    assert.ok(why.has("analysis-b"), "Analysis B says why it is not computed");
  });

  // The sections that compare markets: page 02's Epps effect, lead–lag (cross-correlation and Hayashi–Yoshida), price
  // discovery and spread; page 03's TE matrix, its recomputation, Analysis A, rolling TE, lagged information, both
  // pair explorers and Analysis B.
  const SKIPPED: Record<string, number> = {"02-microstructure": 5, "03-information-flow": 9};
  pageTests(e, /span 2\.1 h/, async (name, page) => {
    if (!SKIPPED[name]) return;
    const skipped = await page.$$eval("main .skipped", (els) => els.map((x) => x.textContent ?? ""));
    assert.ok(skipped.length >= SKIPPED[name], `every section that compares markets says it is skipped: ${skipped.join(" | ")}`);
    for (const t of skipped) assert.match(t, /is skipped: one market only \(Binance\): comparisons between markets \(.*\) need two\.$/);
  });
});

describe("a COIN-M recording beside the USD-M one (2023-04-05)", () => {
  // No real COIN-M recording is at hand: test/support/coinm.ts writes one in the genuine layout from the USD-M recording, 250 ms later.
  const PERP = join(SHARED, "real-trades/binance-usdm-futures/btcusdt_20230405.dat.gz");
  const dir = mkdtempSync(join(tmpdir(), "cve-coinm-site-"));
  const COINM = join(dir, "btcusd_perp_20230405.dat.gz");
  const skipCoinm = absent([PERP]);
  before(async () => {
    if (!skipCoinm) await writeCoinmRecording(PERP, COINM);
  });
  after(() => rmSync(dir, {recursive: true, force: true}));
  const e = edition([PERP, COINM], "test-output/dist-real-coinm", {skip: skipCoinm});
  const {skip, dataFile} = e;

  test("CVE_INPUTS=<USD-M>,<COIN-M> npm run build: two perpetual markets, Analysis A compares them", {skip}, () => {
    e.built();
    const m = dataFile(/^manifest\.[0-9a-f]+\.json$/);
    assert.equal(m.source, "real");
    assert.deepEqual([...m.venues].sort(), ["binance", "binance-coinm"]);
    const f = dataFile(/^findings\.[0-9a-f]+\.json$/);
    const a = (f.leaders as {analysis: string; leader: string | null; p: number; markets: string[]}[]).filter((x) => x.analysis === "A");
    assert.ok(a.length >= 1, "Analysis A is stated");
    for (const x of a) {
      assert.deepEqual([...x.markets].sort(), ["binance", "binance-coinm"]);
      assert.ok(x.leader === null || x.markets.includes(x.leader), `leader ${x.leader}`);
      assert.ok(x.p >= 0 && x.p <= 1, `p ${x.p}`);
    }
  });

  pageTests(e, /span \d+(\.\d+)? min/);
});
