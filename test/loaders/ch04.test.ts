// Chapter 04 on a small simulated market (8 hours, a tenth of the realistic trade rates, the
// planted crash from 04:00 to 04:30 and the recovery until 05:30): the change points recover the
// planted times, and the detector reports nothing where nothing was planted.
import test from "node:test";
import {takerOrders} from "../../lib/analysis/ch02.ts";
import assert from "node:assert/strict";
import {acf} from "../../lib/acf.js";
import {blockAcf} from "../../lib/block-acf.js";
import {phaseRandomize} from "../../lib/phase-randomize.js";
import {deriveSeed, mulberry32} from "../../lib/random.js";
import {rollingBlockCorrelationLength} from "../../lib/block-acf.js";
import {earlyWarning} from "../../lib/early-warning.js";
import {phaseObservables, returnLagSums} from "../../lib/phase-observables.js";
import {logReturns} from "../../lib/returns.js";
import {forwardOutcomes} from "../../lib/regime.js";
import {unpackFloat64} from "../../lib/analysis/packed.js";
import {
  ALPHA,
  blockSeries,
  BLOCK_SEC,
  changePoints,
  detectChanges,
  ENTROPY_BLOCK_SEC,
  ENTROPY_MIN_SEGMENT_BLOCKS,
  logPriceSamples,
  MIN_SEGMENT_BLOCKS,
  pooledSeries,
  signSums,
  TOLERANCE_MIN,
  type Chapter04
} from "../../lib/analysis/ch04.js";
import {computeChapter04, paramsFrom, partsOnWorkers, readVenueSigns} from "../../loaders/chapters/ch04.ts";
import {readManifest, readMarket} from "../../loaders/market.ts";
import {type Venue} from "../../loaders/config.ts";
import {ensureDerived, readBins, readTrades, readTruth} from "../../loaders/derived.ts";
import {crashEvents, type SimTruth} from "../../lib/analysis/truth.js";
import {chapterConfig} from "./support/chapter-config.ts";

const config = chapterConfig("ch04", {hours: 8, rateScale: 0.1, surrogates: 199});
const built = (async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  return {dir, result: await computeChapter04(dir, config), truth: readTruth(dir) as SimTruth};
})();

const minutes = (ms: number) => ms / 60_000;

test("computeChapter04 refuses a configuration whose span starts elsewhere than the build's", async () => {
  const {dir} = await built;
  await assert.rejects(computeChapter04(dir, {...config, start: "2024-08-06", end: "2024-08-06"}), (e: unknown) => e instanceof RangeError && /span starts at/.test(e.message));
});

test("computeChapter04(dir, config) recovers the planted crash start, crash end and recovery end from volatility change points", {timeout: 600_000}, async () => {
  const {result, truth} = await built;
  const v = result.changes.volatility;
  for (const name of ["crash start", "crash end", "recovery end"] as const) {
    const planted = name === "crash start" ? crashEvents(truth)!.crashStart : name === "crash end" ? crashEvents(truth)!.crashEnd : crashEvents(truth)!.recoveryEnd;
    const r = result.recovery.find((e) => e.name === name)!;
    assert.equal(r.time, planted, `${name} planted time`);
    assert.ok(r.volatility.found, `${name}: nearest volatility change ${r.volatility.errorMin} min away`);
    assert.ok(Math.abs(r.volatility.errorMin!) <= TOLERANCE_MIN, name);
    // The change that recovers it is significant at the family-wise level.
    const i = v.candidates.indexOf(r.volatility.time!);
    assert.ok(i >= 0 && v.p[i] <= ALPHA, `${name}: p = ${v.p[i]}`);
  }
  // Every significant volatility change is one of the planted ones: no false alarm.
  const significant = v.candidates.filter((_, i) => v.p[i] <= ALPHA);
  for (const t of significant)
    assert.ok([crashEvents(truth)!.crashStart, crashEvents(truth)!.crashEnd, crashEvents(truth)!.recoveryEnd].some((e) => Math.abs(minutes(t - e)) <= TOLERANCE_MIN), `unexplained change at ${new Date(t).toISOString()}`);
});

test("computeChapter04(dir, config) finds the crash start as a first-order-like jump in the flow entropy", {timeout: 600_000}, async () => {
  const {result, truth} = await built;
  const e = result.changes.entropy;
  const r = result.recovery.find((x) => x.name === "crash start")!;
  assert.ok(r.entropy.found && Math.abs(r.entropy.errorMin!) <= TOLERANCE_MIN, `entropy change ${r.entropy.errorMin} min from the crash start`);
  const i = e.candidates.indexOf(r.entropy.time!);
  assert.ok(e.p[i] <= ALPHA, `p = ${e.p[i]}`);
  assert.equal(e.order[i], "first");
  // The entropy drops: the flow turns one-sided (the planted metaorder buy probability falls to 0.35).
  const at = (t: number) => e.values[e.t.findIndex((b) => b >= t)];
  const before = e.values.slice(0, e.t.findIndex((b) => b >= crashEvents(truth)!.crashStart));
  const mean = before.reduce((s, x) => s + x, 0) / before.length;
  assert.ok(at(crashEvents(truth)!.crashStart) < mean - 0.1, `entropy ${at(crashEvents(truth)!.crashStart)} in the first crash block vs ${mean} before`);
  assert.equal(e.blockSec, ENTROPY_BLOCK_SEC);
});

test("computeChapter04(dir, config) reports no volatility change in the calm part alone, and neither detector on change-free surrogates of it", {timeout: 600_000}, async () => {
  const {dir, result, truth} = await built;
  assert.ok(result.calmCheck, "calm check present for simulated data");
  assert.equal(result.calmCheck!.volatilityChanges, 0);
  // Change-free series with the calm part's spectrum: phase-randomised surrogates of its block series.
  const market = pooledSeries(await readMarket(dir, {binWidths: [1000]}), result.referenceVenue);
  const calmBins = Math.floor((crashEvents(truth)!.crashStart - result.span[0]) / 1000);
  const sl = (a: ArrayLike<number>) => (a as Float64Array).subarray(0, calmBins);
  const calm = {buy: sl(market.buy), sell: sl(market.sell), price: sl(market.price)};
  const vol = blockSeries(calm, BLOCK_SEC).logVolatility;
  const ent = blockSeries(calm, ENTROPY_BLOCK_SEC).entropy;
  const random = mulberry32(7);
  let alarms = 0;
  const trials = 10;
  for (let k = 0; k < trials; ++k) {
    const v = phaseRandomize(vol, random);
    const h = phaseRandomize(ent, random);
    const times = (m: number, sec: number) => Array.from({length: m}, (_, b) => result.span[0] + b * sec * 1000);
    if (detectChanges(v, times(v.length, BLOCK_SEC), BLOCK_SEC, {seed: k, surrogates: 49, minSize: MIN_SEGMENT_BLOCKS}).changes.length > 0) ++alarms;
    if (detectChanges(h, times(h.length, ENTROPY_BLOCK_SEC), ENTROPY_BLOCK_SEC, {seed: k, surrogates: 49, minSize: ENTROPY_MIN_SEGMENT_BLOCKS}).changes.length > 0) ++alarms;
  }
  // Expected about 1 of 20 at α = 0.05; P(X ≥ 4) for X ~ Binomial(20, 0.05) is 0.016.
  assert.ok(alarms <= 3, `${alarms} of ${2 * trials} change-free series reported a change`);
  // The same detector on the whole span does find the planted changes (the test can fail the other way).
  const full = changePoints(market, result.span[0], 1, 49);
  assert.ok(full.volatility.changes.length >= 2);
});

test("computeChapter04(dir, config) ships per-minute order-sign lag sums that give each window's exact autocorrelation of taker-order signs", {timeout: 600_000}, async () => {
  const {dir, result} = await built;
  const venue = result.referenceVenue;
  const s = result.signs.venues[venue]!;
  const K = result.signs.maxLag;
  const sums = {blocks: s.count.length, maxLag: K, count: Float64Array.from(s.count), sum: Float64Array.from(s.sum), products: Float64Array.from(s.products), crossing: Float64Array.from(s.crossing), head: Float64Array.from(s.head), tail: Float64Array.from(s.tail)};
  assert.equal(sums.blocks, Math.ceil((result.span[1] - result.span[0]) / result.signs.blockMs));
  const trades = await readTrades(dir, venue);
  // Minutes 100 to 110 (10 minutes), directly from the trades.
  const a = result.span[0] + 100 * 60_000;
  const b = result.span[0] + 110 * 60_000;
  // The prints of one side at one timestamp are one taker order (chapter 02's takerOrders).
  const orders = takerOrders(trades.time, trades.side);
  const signs: number[] = [];
  for (let i = 0; i < orders.side.length; ++i) if (orders.time[i] >= a && orders.time[i] < b) signs.push(orders.side[i]);
  assert.equal(s.count.slice(100, 110).reduce((x, y) => x + y, 0), signs.length);
  const direct = acf(signs, K);
  const fast = blockAcf(sums, 100, 110);
  for (let k = 0; k <= K; ++k) assert.ok(Math.abs(fast[k] - direct[k]) < 1e-9, `lag ${k}: ${fast[k]} vs ${direct[k]}`);
});

test("computeChapter04(dir, config) shows planted regimes beside labels, early warning with both nulls, and lead tests with p-values", {timeout: 600_000}, async () => {
  const {result} = await built;
  const r: Chapter04 = result;
  assert.equal(r.source, "simulated");
  assert.ok(r.plantedRegimes && r.plantedRegimes.length === 3);
  const crash = r.plantedRegimes!.find((x) => x.name === "crash")!;
  assert.equal(crash.counts.reduce((x, y) => x + y, 0), 30, "30 one-minute steps of windows end inside the 30-minute crash");
  const ew = r.earlyWarning;
  assert.equal(ew.targetLabel, "planted crash start");
  assert.ok(ew.before);
  for (const nul of ["ar1", "phase"] as const)
    for (const ind of ["variance", "autocorrelation"] as const) {
      const x = ew.before![nul][ind];
      assert.ok(x.tau >= -1 && x.tau <= 1 && x.p > 0 && x.p <= 1, `${nul} ${ind}`);
    }
  assert.equal(r.lead.length, 3);
  for (const l of r.lead) assert.ok(l.p > 0 && l.p <= 1 && l.hits <= l.spikes, l.indicator);
  const total = r.regimes.reduce((s, x) => s + x.count, 0);
  assert.equal(total, Math.floor(((r.span[1] - r.span[0]) / 1000 - r.settings.windowSec) / r.settings.stepSec) + 1);
  assert.deepEqual(JSON.parse(JSON.stringify(r.recovery)), r.recovery, "JSON-serialisable");
});

test("computeChapter04(dir, config) ships the page's series and early-warning test per venue, equal to the page's own computation", {timeout: 600_000}, async () => {
  const {dir, result} = await built;
  const r: Chapter04 = result;
  const w = r.settings.windowSec;
  const step = r.settings.stepSec;
  assert.deepEqual(Object.keys(r.observables), ["all", ...r.venues]);
  for (const v of ["all", r.venues[1]]) {
    // The page's slow path: its own series of the venue (pooled flow for "all"), recomputed here.
    const market = pooledSeries(await readMarket(dir, {binWidths: [1000]}), r.referenceVenue);
    const b = v === "all" ? null : await readBins(dir, v as Venue, 1000);
    const series = b ? {buy: b.n_buy, sell: b.n_sell, price: b.last} : market;
    const obs = phaseObservables(series, {window: w, step, maxLag: r.settings.returnMaxLag, returnSums: {block: step, sums: returnLagSums(series.price, {block: step, maxLag: r.settings.returnMaxLag})}});
    const signXi = rollingBlockCorrelationLength(signSums(r.signs, v), {window: w / 60, step: step / 60, interpolation: "linear"}).slice(0, obs.end.length);
    const out = forwardOutcomes(logReturns(series.price, {align: "end"}), obs.end, {horizon: w});
    const shipped = r.observables[v];
    const same = (name: string, a: ArrayLike<number>, packed: string) => {
      const u = unpackFloat64(packed);
      assert.equal(u.length, a.length, `${v} ${name} length`);
      for (let j = 0; j < a.length; ++j) assert.ok(Object.is(u[j], a[j]), `${v} ${name}[${j}]: ${u[j]} vs ${a[j]}`);
    };
    for (const k of ["volatility", "imbalance", "susceptibility", "correlationLength", "entropy"] as const) same(k, obs[k], shipped[k]);
    same("signXi", signXi, shipped.signXi);
    same("forward volatility", out.volatility, shipped.forwardVolatility);
    same("forward return", out.return, shipped.forwardReturn);
    assert.ok(unpackFloat64(shipped.volatility).some(Number.isFinite), `${v}: finite temperatures`);
  }
  // The early-warning test the page runs on one venue's price at its defaults, both nulls.
  const v = r.venues[1];
  const page = r.earlyWarning.page[v]!;
  assert.ok(page, `early warning of ${v}`);
  const b = await readBins(dir, v, 1000);
  const samples = logPriceSamples({t: b.t, price: b.last}, Math.max(r.span[0], r.earlyWarning.target! - r.settings.ewLookbackSec * 1000), r.earlyWarning.target!, r.settings.ewSampleSec);
  const win = Math.round(r.earlyWarning.windowSec / r.settings.ewSampleSec);
  for (const nul of ["ar1", "phase"] as const) {
    const e = earlyWarning(samples.x, {window: win, step: r.settings.ewStep, seed: deriveSeed(r.settings.seed, "ch04:early-warning"), surrogates: r.settings.pageEwSurrogates, null: nul, bandwidth: win});
    assert.deepEqual(page[nul], {variance: {tau: e.varianceTrend.tau, p: e.varianceTrend.p}, autocorrelation: {tau: e.autocorrelationTrend.tau, p: e.autocorrelationTrend.p}}, nul);
    assert.deepEqual(page.variance, Array.from(e.variance));
    assert.deepEqual(page.t, Array.from(e.end, (j) => samples.t[j]));
  }
  // Another venue's price gives another test: the lookup is per venue.
  assert.notDeepEqual(r.earlyWarning.page[r.venues[0]]!.variance, page.variance);
});

test("partsOnWorkers: the change points, the calm-part check and the trade signs on two worker threads equal the one-thread parts and the chapter's own, while the callback runs", {timeout: 600_000}, async () => {
  const {dir, result, truth} = await built;
  const market = await readMarket(dir, {binWidths: [1000]});
  const params = paramsFrom(config);
  const input = {pooled: pooledSeries(market, result.referenceVenue), span: market.span, truth, params};
  const manifest = readManifest(dir);
  const signs = market.venues.map((venue) => ({dir, venue, span: market.span, trades: manifest.perVenue[venue]!.trades, params: {blockSec: params.blockSec, signMaxLag: params.signMaxLag}}));
  const one = await partsOnWorkers(input, async () => "meanwhile", {workers: 1, signs});
  const two = await partsOnWorkers(input, async () => "meanwhile", {workers: 2, signs});
  assert.equal(two.meanwhile, "meanwhile");
  assert.equal(JSON.stringify(two.parts), JSON.stringify(one.parts));
  // The signs in venue order, each the one-thread reading's, with every trade of the manifest.
  assert.equal(two.signs.length, market.venues.length);
  for (const [i, v] of market.venues.entries()) {
    const own = await readVenueSigns(dir, v, market.span, manifest.perVenue[v]!.trades, params);
    assert.equal(two.signs[i].trades, manifest.perVenue[v]!.trades);
    assert.deepEqual(two.signs[i], own);
    assert.deepEqual(one.signs[i], own);
  }
  assert.ok(one.parts.calmCheck, "a simulated market has a calm part");
  assert.deepEqual(JSON.parse(JSON.stringify({entropy: one.parts.changes.entropy.candidates, volatility: one.parts.changes.volatility.candidates, calm: one.parts.calmCheck})), {
    entropy: result.changes.entropy.candidates,
    volatility: result.changes.volatility.candidates,
    calm: result.calmCheck
  });
});
