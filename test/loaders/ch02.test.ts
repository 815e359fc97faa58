// Chapter 02 on a small simulated market (2 hours at the default trade rates: a taker order prints
// 3.7 trades on average at a perpetual, so a quarter of the rates holds too few orders for the sign
// fit's time blocks at Coinbase and too few price observations for the lead times) run
// through ensureDerived: the build-time results must recover what the simulator planted — the
// leader and the lead times, the sign-autocorrelation exponent, the tail exponent of sizes, the
// arrival rates — and price discovery must favour the leader.
import test from "node:test";
import assert from "node:assert/strict";
import {join} from "node:path";
import {computeChapter02, paramsFrom, type Chapter02} from "../../loaders/chapters/ch02.ts";
import {analyseMicrostructure, microstructurePeriods} from "../../lib/analysis/ch02.js";
import {readMarket} from "../../loaders/market.ts";
import {VENUE_INFO, type Venue} from "../../loaders/config.ts";
import {ensureDerived, readTruth} from "../../loaders/derived.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {chapterConfig} from "./support/chapter-config.ts";

const config = chapterConfig("ch02", {hours: 2, rateScale: 1});
const built = (async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  const result = await computeChapter02(dir, config);
  return {dir, result, truth: readTruth(dir) as SimTruth};
})();

const CALM = "before-crash";
const perpetual = (v: Venue) => VENUE_INFO[v].kind === "perpetual";

test("computeChapter02(dir, config) returns JSON-serialisable results for every venue and pair", async () => {
  const {result} = await built;
  const copy: Chapter02 = JSON.parse(JSON.stringify(result));
  assert.equal(copy.source, "simulated");
  assert.deepEqual(copy.venues, config.venues);
  assert.equal(copy.arrivals.length, 4);
  assert.equal(copy.epps.pairs.length, 6);
  assert.deepEqual(copy.periods.map((p) => p.id), ["full", CALM, "crash", "after-crash"]);
  assert.equal(copy.hy.pairs.length, 12, "6 pairs × (calm, crash)");
  for (const s of copy.signs.venues) assert.equal(s.rho.length, 1001);
});

test("computeChapter02: the Hayashi–Yoshida lead of every pair matches the planted delay difference (±25 ms perpetuals, ±50 ms with spot)", async () => {
  const {result} = await built;
  for (const h of result.hy.pairs) {
    assert.notEqual(h.plantedMs, null);
    const tolerance = perpetual(h.a) && perpetual(h.b) ? 25 : 50;
    assert.ok(Math.abs(h.leadMs - h.plantedMs!) <= tolerance, `${h.period} ${h.a}→${h.b}: lead ${h.leadMs} ms, planted ${h.plantedMs} ms`);
    // The bootstrap interval brackets the estimate and the planted value lies within a grid step of it.
    assert.ok(h.interval[0] <= h.leadMs && h.leadMs <= h.interval[1], `${h.a}→${h.b} interval ${h.interval}`);
    assert.ok(h.plantedMs! >= h.interval[0] - tolerance && h.plantedMs! <= h.interval[1] + tolerance);
    if (h.plantedMs !== 0) assert.ok(h.pSign < 0.05, `${h.a}→${h.b}: p ${h.pSign}`);
  }
});

test("computeChapter02: the recovered leader and delays match the planted schedule in calm and in the crash", async () => {
  const {result, truth} = await built;
  assert.equal(result.hy.delays.length, 2);
  for (const [i, d] of result.hy.delays.entries()) {
    const planted = truth.leadLag.schedule[i];
    assert.equal(d.leader, planted.leader, `${d.period}`);
    const base = Math.min(...Object.values(planted.delaysMs));
    for (const v of config.venues) assert.ok(Math.abs(d.delaysMs[v]! - (planted.delaysMs[v]! - base)) <= 25, `${d.period} ${v}: ${d.delaysMs[v]!} vs ${planted.delaysMs[v]! - base}`);
  }
  // Calm: Binance leads; the crash hands the lead to Bybit.
  assert.equal(result.hy.delays[0].leader, "binance");
  assert.equal(result.hy.delays[1].leader, "bybit");
});

test("computeChapter02: the 100 ms cross-correlation peaks within one bin of the planted lag in calm", async () => {
  const {result} = await built;
  const calm = result.xcorr.pairs.filter((x) => x.period === CALM);
  assert.equal(calm.length, 6);
  for (const x of calm) {
    assert.ok(Math.abs(x.refinedLagMs - x.plantedMs!) <= 100, `${x.a}→${x.b}: ${x.refinedLagMs} vs ${x.plantedMs}`);
    assert.ok(x.peak > 5 * x.band, `${x.a}→${x.b}: peak ${x.peak}, band ${x.band}`);
  }
});

test("computeChapter02: the information share of the leader exceeds that of the laggard for every pair in calm", async () => {
  const {result} = await built;
  const pairs = result.discovery.models.filter((m) => m.period === CALM && m.venues.length === 2);
  assert.equal(pairs.length, 6);
  const calm = result.periods.find((p) => p.id === CALM)!.planted!.delaysMs;
  for (const m of pairs) {
    const [a, b] = m.venues;
    const lead = calm[a]! < calm[b]! ? 0 : 1;
    assert.ok(m.isMid[lead] > m.isMid[1 - lead], `${a}/${b}: IS ${m.isMid}`);
    assert.ok(m.isUpper[lead] > 0.99, `${a}/${b}: upper ${m.isUpper}`);
    assert.ok(m.gg[lead] > 0.8, `${a}/${b}: GG ${m.gg}`);
  }
  // In the crash Bybit leads Binance.
  const crash = result.discovery.models.find((m) => m.period === "crash" && m.venues.join() === "binance,bybit")!;
  assert.ok(crash.isMid[1] > crash.isMid[0], `crash IS ${crash.isMid}`);
});

test("computeChapter02: the trade-sign ACF exponent of the busiest venue is within 0.15 of the planted one, inside its block interval", async () => {
  const {result, truth} = await built;
  const s = result.signs.venues.find((r) => r.venue === "binance")!;
  assert.equal(s.planted, truth.orderFlow.signAcfExponent);
  assert.ok(Math.abs(s.fit.exponent - s.planted!) <= 0.15, `exponent ${s.fit.exponent} vs ${s.planted}`);
  assert.ok(s.fit.interval[0] <= s.planted! && s.planted! <= s.fit.interval[1], `interval ${s.fit.interval}`);
  for (const r of result.signs.venues) {
    const mid = r.rho.slice(20, 101).reduce((x, y) => x + y, 0) / 81;
    assert.ok(r.rho[1] > 0.1 && mid > 0.005, `${r.venue}: ρ(1) ${r.rho[1]}, mean ρ(20…100) ${mid}`);
    assert.ok(r.eFold > 0 && r.eFold < r.below5pct, `${r.venue}: ${r.eFold}, ${r.below5pct}`);
  }
});

test("computeChapter02: arrival rates and size tails match the planted venue parameters, the implied branching ratio bounds the planted one", async () => {
  const {result} = await built;
  for (const a of result.arrivals) {
    assert.ok(Math.abs(a.rate / a.planted!.rate - 1) < 0.05, `${a.venue}: ${a.rate} vs ${a.planted!.rate}`);
    assert.ok(a.rateSEClustered >= a.rateSE);
    // Bursts and regime changes add variance to the counts, so the implied branching ratio is an upper bound.
    assert.ok(a.branchingImplied > a.planted!.branchingRatio - 0.05 && a.branchingImplied < 0.95, `${a.venue}: n ${a.branchingImplied} vs ${a.planted!.branchingRatio}`);
    const busy = a.hourly.filter((h) => h.planted !== null);
    assert.equal(busy.length, 2);
    for (const h of busy) assert.ok(Math.abs(h.rate / h.planted! - 1) < 0.1, `${a.venue} hour ${h.hour}: ${h.rate} vs ${h.planted}`);
  }
  for (const s of result.sizes) {
    assert.ok(Math.abs(s.hill.alpha - s.planted!.tailAlpha) < 0.2, `${s.venue}: α ${s.hill.alpha}`);
    assert.ok(s.hill.threshold >= s.planted!.tailThresholdBtc * 0.9, `${s.venue}: threshold ${s.hill.threshold}`);
    assert.ok(Math.abs(s.median / s.planted!.medianBtc - 1) < 0.3, `${s.venue}: median ${s.median}`);
  }
});

test("computeChapter02: every pair shows the Epps effect and a spread proxy that widens with volatility", async () => {
  const {result} = await built;
  for (const e of result.epps.pairs) {
    assert.deepEqual(e.scaleSec, [1, 5, 10, 30, 60]);
    assert.ok(e.correlation[4] > e.correlation[0], `${e.a}/${e.b}: ${e.correlation}`);
    assert.ok(e.lower[4] > 0.8, `${e.a}/${e.b}: 60 s lower bound ${e.lower[4]}`);
  }
  for (const s of result.spread.pairs) {
    assert.ok(s.slope > 0 && s.slopeInterval[0] > 0, `${s.a}/${s.b}: slope ${s.slope} ${s.slopeInterval}`);
    assert.ok(s.binned.at(-1)!.spread > s.binned[0].spread);
  }
});

test("microstructurePeriods(truth, span) gives the full span alone for real data and the schedule without its transitions otherwise", async () => {
  assert.deepEqual(microstructurePeriods(null, [0, 10]), [{id: "full", start: 0, end: 10, planted: null, hy: true}]);
  const {truth} = await built;
  const p = microstructurePeriods(truth, [truth.span.start, truth.span.end]);
  assert.equal(p[2].start, truth.leadLag.schedule[1].start + truth.leadLag.transitionMs);
  assert.deepEqual(p.map((x) => x.hy), [false, true, true, false]);
});

test("computeChapter02 (trades read one venue at a time) equals analyseMicrostructure on every venue's trade columns at once", async () => {
  const {dir, result, truth} = await built;
  const market = await readMarket(dir, {venues: config.venues, trades: ["time", "price", "qty", "side"], flow: true});
  assert.equal(JSON.stringify(analyseMicrostructure(market, paramsFrom(config, truth))), JSON.stringify(result));
});

test("computeChapter02 with the venues' streams on two worker threads gives the one-thread result, value for value", async () => {
  const {dir, result} = await built;
  const pooled = await computeChapter02(dir, config, {workers: 2});
  assert.equal(JSON.stringify(pooled), JSON.stringify(await computeChapter02(dir, config, {workers: 1})));
  assert.equal(JSON.stringify(pooled), JSON.stringify(result));
});
