// Chapter 03 on a small simulated market (3 hours at the realistic trade rates: with fills, a
// quarter of the rates holds a quarter as many price observations as before):
// transfer entropy, mutual information and entropy rates recover what the simulator planted.
import test from "node:test";
import assert from "node:assert/strict";
import {join} from "node:path";
import {chapterParts, computeChapter03, paramsFrom, type Chapter03} from "../../loaders/chapters/ch03.ts";
import {
  CHANNELS,
  flowMatrixSymbols,
  INFORMATION_FLOW_DEFAULTS,
  PAGE_BIN_MS,
  PAGE_MEMORY_MAX_K,
  PAGE_PAIR_K,
  pairTestKey,
  teMatrix,
  type TeMatrix
} from "../../lib/analysis/ch03.js";
import {readArrowColumns} from "../../loaders/arrow.ts";
import {type Venue} from "../../loaders/config.ts";
import {ensureDerived} from "../../loaders/derived.ts";
import {readFlow, readManifest, readTruth} from "../../loaders/market.ts";
import {entropyRate} from "../../lib/entropy-rate.js";
import {laggedMutualInformation} from "../../lib/mutual-information.js";
import {priceChangeSymbols} from "../../lib/price-symbols.js";
import {FLOW_BASE, flowSymbols} from "../../lib/symbolize.js";
import {transferEntropyTest} from "../../lib/transfer-entropy.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {chapterConfig} from "./support/chapter-config.ts";

const config = chapterConfig("ch03", {hours: 3, rateScale: 1});
const PAGE_SURROGATES = INFORMATION_FLOW_DEFAULTS.pageSurrogates;
/** The 100 ms symbols of the build's flow matrix, as Maps by venue. */
async function readFlowSymbols(dir: string, venues: Venue[]) {
  const s = flowMatrixSymbols(await readFlow(dir, venues), venues);
  return {flow: new Map(venues.map((v) => [v, s.flow[v]!])), price: new Map(venues.map((v) => [v, s.price[v]!]))};
}
const built = (async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  return {dir, result: await computeChapter03(dir, config), truth: readTruth(dir) as SimTruth};
})();

const at = (m: TeMatrix, source: Venue, target: Venue) => {
  const i = m.venues.indexOf(source);
  const j = m.venues.indexOf(target);
  return {effective: m.effective[i * m.venues.length + j]!, p: m.pValue[i * m.venues.length + j]!, te: m.te[i * m.venues.length + j]!};
};

/** Plug-in TE(x → y), k = l = 1, delay 1, from a direct count of (y_t, y_{t−1}, x_{t−1}) triples in a Map. */
function referenceTE(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const joint = new Map<string, number>();
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  for (let t = 1; t < y.length; ++t) add(joint, `${y[t]} ${y[t - 1]} ${x[t - 1]}`);
  const past = new Map<string, number>();
  const pastSource = new Map<string, number>();
  const pastNext = new Map<string, number>();
  for (const [key, c] of joint) {
    const [next, p, s] = key.split(" ");
    past.set(p, (past.get(p) ?? 0) + c);
    pastSource.set(`${p} ${s}`, (pastSource.get(`${p} ${s}`) ?? 0) + c);
    pastNext.set(`${next} ${p}`, (pastNext.get(`${next} ${p}`) ?? 0) + c);
  }
  const n = y.length - 1;
  let te = 0;
  for (const [key, c] of joint) {
    const [next, p, s] = key.split(" ");
    te += (c / n) * Math.log2((c * past.get(p)!) / (pastSource.get(`${p} ${s}`)! * pastNext.get(`${next} ${p}`)!));
  }
  return te;
}

test("computeChapter03(dir, config) recovers the planted calm leader from price-to-flow transfer entropy", {timeout: 600_000}, async () => {
  const {result, truth} = await built;
  const calm = result.periods.find((p) => p.id === "before-crash")!;
  const leader = truth.leadLag.schedule[0].leader;
  assert.equal(calm.planted!.leader, leader);
  assert.equal(leader, "binance");
  const m = calm.matrices["price-flow"];
  assert.equal(m.leader, leader, `scores ${JSON.stringify(m.score)}`);
  for (const other of result.venues.filter((v) => v !== leader)) {
    const out = at(m, leader, other);
    const back = at(m, other, leader);
    assert.ok(out.p < 0.05, `${leader} → ${other}: p = ${out.p}`);
    assert.ok(out.effective > back.effective, `${leader} → ${other} ${out.effective} vs back ${back.effective}`);
  }
});

test("computeChapter03(dir, config) names the planted leaders by the calibrated rule from the trades it reads, in both analyses", {timeout: 600_000}, async () => {
  const {result} = await built;
  assert.ok(result.leaders.length >= 4, `leaders: ${result.leaders.length}`);
  for (const o of result.leaders) {
    assert.equal(o.leader, o.planted, `${o.analysis} ${o.period}: ${o.reason}`);
    if (o.analysis === "A") assert.deepEqual(o.venues, ["binance", "bybit", "okx"]);
  }
  assert.deepEqual(
    result.leaders.filter((o) => o.period !== "after-crash").map((o) => [o.analysis, o.period, o.leader]),
    [["A", "before-crash", "binance"], ["A", "crash", "bybit"], ["B", "before-crash", "binance"], ["B", "crash", "bybit"]]
  );
});

test("computeChapter03(dir, config) sees the planted crash leader take over during the crash", {timeout: 600_000}, async () => {
  const {result, truth} = await built;
  const crash = result.periods.find((p) => p.id === "crash")!;
  const planted = truth.leadLag.schedule.find((s) => s.start === truth.events.crashStart)!.leader;
  assert.equal(crash.planted!.leader, planted);
  assert.equal(planted, "bybit");
  const m = crash.matrices["price-flow"];
  assert.equal(m.leader, planted, `scores ${JSON.stringify(m.score)}`);
  const out = at(m, "bybit", "binance");
  const back = at(m, "binance", "bybit");
  assert.ok(out.p < 0.05, `bybit → binance in the crash: p = ${out.p}`);
  assert.ok(out.effective > back.effective);
  // The flip: Binance → Bybit dominates before the crash, Bybit → Binance during it.
  const calm = result.periods.find((p) => p.id === "before-crash")!.matrices["price-flow"];
  assert.ok(at(calm, "binance", "bybit").effective > at(calm, "bybit", "binance").effective);
});

test("teMatrix(sources, targets, venues) gives p-values that are not small for independent pairs", {timeout: 600_000}, async () => {
  const {dir, result} = await built;
  const {flow, price} = await readFlowSymbols(dir, result.venues);
  const calm = result.periods.find((p) => p.id === "before-crash")!;
  const n = Math.floor((calm.end - calm.start) / result.widthMs);
  const half = Math.floor(n / 2);
  // Sources from the first half of the calm period, targets from the second: no causal link.
  const p: number[] = [];
  for (const channel of CHANNELS) {
    const sources = result.venues.map((v) => (channel === "flow" ? flow : price).get(v)!.subarray(0, half));
    const targets = result.venues.map((v) => flow.get(v)!.subarray(half, 2 * half));
    const m = teMatrix(sources, targets, result.venues, {channel, k: 1, surrogates: 49, seed: 5});
    for (const x of m.pValue) if (x !== null) p.push(x);
    assert.equal(m.significant.reduce((s, x) => s + x, 0), 0, `${channel}: no link survives the FDR control`);
  }
  const mean = p.reduce((s, x) => s + x, 0) / p.length;
  assert.ok(p.filter((x) => x < 0.05).length <= 2, `small p-values: ${p.filter((x) => x < 0.05).join(", ")}`);
  assert.ok(mean > 0.25, `mean p-value ${mean}`);
});

test("computeChapter03(dir, config) reports the hook TE as the direct count of the flow symbols gives it", {timeout: 600_000}, async () => {
  const {dir, result} = await built;
  const {flow} = await readFlowSymbols(dir, result.venues);
  assert.ok(result.hook, "two venues: the hook is computed");
  assert.equal(result.crossMarket, null);
  assert.deepEqual([result.hook.source, result.hook.target, result.hook.k], ["binance", "bybit", 1]);
  const reference = referenceTE(flow.get("binance")!, flow.get("bybit")!);
  assert.ok(Math.abs(result.hook.te - reference) < 1e-12, `${result.hook.te} vs ${reference}`);
  const m = result.matrices.find((x) => x.channel === "flow" && x.k === 1)!;
  assert.ok(Math.abs(at(m, "binance", "bybit").te - reference) < 1e-9);
  // The JSON round trip keeps it.
  const back: Chapter03 = JSON.parse(JSON.stringify(result));
  assert.equal(back.hook!.te.toFixed(6), reference.toFixed(6));
});

test("computeChapter03(dir, config) finds the planted delays as lags of maximal shared information", {timeout: 600_000}, async () => {
  const {result} = await built;
  for (const pair of result.lagMI.pairs) {
    assert.ok(pair.plantedLagMs !== null);
    if (pair.x === "binance") {
      assert.ok(Math.abs(pair.bestLagMs - pair.plantedLagMs!) <= 100, `${pair.x} → ${pair.y}: best ${pair.bestLagMs} ms, planted ${pair.plantedLagMs} ms`);
      assert.ok(pair.bestP < 0.05);
    }
  }
});

test("computeChapter03(dir, config) shows trade-sign memory: entropy rate below entropy, storage significant", {timeout: 600_000}, async () => {
  const {result} = await built;
  for (const row of result.entropyRate) {
    const h = row.signRate;
    // H1 is the binary entropy of the buy share (plus the Miller–Madow term 1/(2N ln 2)).
    const q = row.buyShare;
    const binary = -q * Math.log2(q) - (1 - q) * Math.log2(1 - q) + 1 / (2 * row.trades * Math.LN2);
    assert.ok(Math.abs(h[0] - binary) < 1e-4, `${row.venue}: H1 = ${h[0]}, binary entropy of the buy share ${binary}`);
    for (let k = 1; k < h.length; ++k) assert.ok(h[k] <= h[k - 1] + 1e-9, `${row.venue}: h_${k} = ${h[k]} > h_${k - 1}`);
    assert.ok(h[h.length - 1] < row.signRateShuffled[h.length - 1] - 0.02, `${row.venue}: memory`);
    assert.ok(row.signStorage > 0.02 && row.signStorageP < 0.05, `${row.venue}: storage ${row.signStorage} p ${row.signStorageP}`);
  }
});

test("computeChapter03(dir, config) rolls TE windows of the configured length and step", {timeout: 600_000}, async () => {
  const {result} = await built;
  const {end, windowSec, stepSec, channels} = result.rolling;
  assert.equal(windowSec, config.windowsSec.te);
  const span = result.span[1] - result.span[0];
  assert.equal(end.length, Math.floor((span - windowSec * 1000) / (stepSec * 1000)) + 1);
  assert.equal(end[0], result.span[0] + windowSec * 1000);
  for (let i = 1; i < end.length; ++i) assert.equal(end[i] - end[i - 1], stepSec * 1000);
  const m = result.venues.length;
  for (const c of CHANNELS) assert.equal(channels[c].pairs.length, m * (m - 1));
  // Every window that ends before the crash is led by the planted calm leader.
  const crashStart = result.periods.find((p) => p.id === "crash")!.start;
  const calmWindows = end.map((e, w) => [e, w]).filter(([e]) => e <= crashStart);
  assert.ok(calmWindows.length >= 2);
  for (const [, w] of calmWindows) assert.equal(channels["price-flow"].leader[w], "binance");
});

test("computeChapter03(dir, config) ships the page's pair tests and memory table as the page computes them", {timeout: 600_000}, async () => {
  const {dir, result} = await built;
  const r: Chapter03 = result;
  const page = r.page!;
  const venues = r.venues;
  const seed = readManifest(dir).seed;
  assert.equal(page.surrogates, PAGE_SURROGATES);
  assert.equal(Object.keys(page.pairs).length, venues.length * (venues.length - 1) * CHANNELS.length * PAGE_PAIR_K.length * PAGE_BIN_MS.length);
  // The page's symbols: 100 ms from flow-100ms.arrow, 1 s from the long-format bins-1000ms.arrow it loads.
  const s100 = await readFlowSymbols(dir, venues);
  const site = await readArrowColumns(join(dir, "site", "bins-1000ms.arrow"), ["n_buy", "n_sell", "last"]);
  const n1 = site.length / venues.length;
  const flow1 = new Map<Venue, Uint8Array>();
  const price1 = new Map<Venue, Uint8Array>();
  venues.forEach((v, i) => {
    const net = new Int32Array(n1);
    const count = new Int32Array(n1);
    for (let t = 0; t < n1; ++t) {
      const nb = (site.columns.n_buy as ArrayLike<number>)[i * n1 + t];
      const ns = (site.columns.n_sell as ArrayLike<number>)[i * n1 + t];
      (net[t] = nb - ns), (count[t] = nb + ns);
    }
    flow1.set(v, flowSymbols(net, count));
    price1.set(v, priceChangeSymbols((site.columns.last as Float64Array).subarray(i * n1, (i + 1) * n1)));
  });
  const symbols = {100: {flow: s100.flow, price: s100.price}, 1000: {flow: flow1, price: price1}};
  for (const [a, b, channel, k, binMs] of [[venues[0], venues[1], "price-flow", 1, 100], [venues[2], venues[0], "flow", 3, 1000]] as const) {
    const s = symbols[binMs];
    const t = transferEntropyTest((channel === "flow" ? s.flow : s.price).get(a)!, s.flow.get(b)!, {k, base: FLOW_BASE, surrogates: PAGE_SURROGATES, seed});
    assert.deepEqual(page.pairs[pairTestKey(a, b, channel, k, binMs)], {effective: t.effective, pValue: t.pValue}, `${a} → ${b} ${channel} k = ${k} ${binMs} ms`);
  }
  for (const binMs of PAGE_BIN_MS) {
    const v = venues[1];
    const x = symbols[binMs].flow.get(v)!;
    const mi = laggedMutualInformation(x, symbols[binMs].price.get(v)!, {minLag: 1, maxLag: 1, base: FLOW_BASE, correction: "shuffle", surrogates: PAGE_SURROGATES, seed});
    const row = page.memory.byBin[binMs][v];
    assert.deepEqual(row.rate, Array.from({length: PAGE_MEMORY_MAX_K + 1}, (_, k) => entropyRate(x, {k, base: FLOW_BASE, estimator: "miller-madow"})), `${binMs} ms entropy rates`);
    assert.equal(row.miNext, mi.corrected[0]);
    assert.equal(row.p, mi.pValue![0]);
    // Memory: the flow's entropy rate falls with history.
    assert.ok(row.rate[PAGE_MEMORY_MAX_K] < row.rate[0], `${binMs} ms: h_${PAGE_MEMORY_MAX_K} = ${row.rate[PAGE_MEMORY_MAX_K]} vs H_1 = ${row.rate[0]}`);
  }
});

test("chapterParts: the sign entropy rates, per-bin analyses and page tests on two worker threads (shared symbols) equal the one-thread parts and the chapter's own, value for value", {timeout: 600_000}, async () => {
  const {dir} = await built;
  const manifest = readManifest(dir);
  const params = paramsFrom(config, manifest.seed);
  const market = {venues: manifest.venues, span: manifest.span as [number, number], truth: readTruth(dir) as SimTruth | null};
  const one = await chapterParts(dir, manifest, market, params, {workers: 1});
  const two = await chapterParts(dir, manifest, market, params, {workers: 2});
  const comparable = (p: typeof one) => JSON.stringify({signs: p.signs, perBin: p.perBin, page: p.page});
  assert.equal(comparable(two), comparable(one));
  assert.deepEqual(Object.keys(two.signs), manifest.venues);
  for (const v of manifest.venues) assert.ok(one.signs[v]!.trades > 1000, `${v}: ${one.signs[v]!.trades} signs`);
  assert.ok(one.perBin.matrices.length > 0 && one.perBin.lagMI.pairs.length > 0 && one.perBin.periods.length > 0 && one.page !== null, "every part has rows");
  const chapter = (await built).result;
  assert.equal(
    JSON.stringify({matrices: chapter.matrices, rolling: chapter.rolling, lagMI: chapter.lagMI, periods: chapter.periods, page: chapter.page}),
    JSON.stringify({...one.perBin, page: one.page})
  );
});
