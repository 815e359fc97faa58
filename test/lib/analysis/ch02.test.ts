// Chapter 02's analysis on a small simulated market held in memory (one hour at the default trade
// rates: each taker order prints 3.7 trades on average at a perpetual, at one quote, and the sign
// exponent is fitted on orders, so a quarter of the rates now holds a quarter as many price
// observations and signs as it did before fills; no files written): the leader and lead times it recovers, and the rates beside them, are checked
// against what the simulator planted.
import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig, type AnalysisConfig} from "../../../loaders/config.ts";
import type {Delays} from "../../../lib/analysis/venues.js";
import {plantedTrades} from "../../../loaders/chapters/ch02.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {
  analyseMicrostructure,
  delaysFromLeads,
  laggedCorrelation,
  MICROSTRUCTURE_DEFAULTS,
  microstructurePeriods,
  periodReturns,
  secondPrices,
  signAcf,
  signsByVenue
} from "../../../lib/analysis/ch02.js";
import {VENUE_INFO, venuePairs, type Venue} from "../../../lib/analysis/venues.js";

const config: AnalysisConfig = validateConfig({...DEFAULTS, hours: 1, simulation: {...DEFAULTS.simulation, rateScale: 1}});
const market = simulateMarket(config, {binWidths: [100], flow: true});
const truth = market.truth!;
const result = analyseMicrostructure(market, {...MICROSTRUCTURE_DEFAULTS, seed: config.seed, expectedTrades: plantedTrades(truth)});
const perpetual = (v: Venue) => VENUE_INFO[v].kind === "perpetual";

test("analyseMicrostructure(market, params) recovers the planted leader and every venue's delay before the crash and in the crash", () => {
  assert.deepEqual(
    result.hy.delays.map((d) => d.period),
    ["before-crash", "crash"]
  );
  for (const d of result.hy.delays) {
    const planted = d.planted!;
    assert.equal(d.leader, planted.leader, `${d.period}: recovered ${d.leader}, planted ${planted.leader}`);
    const base = Math.min(...Object.values(planted.delaysMs));
    for (const v of market.venues) assert.ok(Math.abs(d.delaysMs[v]! - (planted.delaysMs[v]! - base)) <= 30, `${d.period} ${v}: ${d.delaysMs[v]!} vs ${planted.delaysMs[v]! - base}`);
  }
  // The planted schedule hands the lead to another venue in the crash.
  assert.notEqual(result.hy.delays[0].planted!.leader, result.hy.delays[1].planted!.leader);
});

test("analyseMicrostructure: the Hayashi–Yoshida lead of every perpetual pair is within 30 ms of the planted delay difference, inside its interval ± a grid step", () => {
  const perps = result.hy.pairs.filter((h) => perpetual(h.a) && perpetual(h.b));
  assert.equal(perps.length, 2 * 3);
  for (const h of perps) {
    assert.ok(Math.abs(h.leadMs - h.plantedMs!) <= 30, `${h.period} ${h.a}→${h.b}: lead ${h.leadMs} ms, planted ${h.plantedMs} ms`);
    assert.ok(h.interval[0] - result.hy.stepMs <= h.plantedMs! && h.plantedMs! <= h.interval[1] + result.hy.stepMs, `${h.period} ${h.a}→${h.b}: interval ${h.interval}, planted ${h.plantedMs}`);
  }
});

test("analyseMicrostructure: arrival rates are within 10 % of the planted ones and the sign-ACF exponent near the planted one", () => {
  for (const a of result.arrivals) {
    assert.ok(a.planted, `${a.venue}: planted rate missing`);
    assert.ok(Math.abs(a.rate / a.planted.rate - 1) < 0.1, `${a.venue}: ${a.rate} vs ${a.planted.rate}`);
    assert.ok(a.rateSEClustered >= a.rateSE);
  }
  const busiest = result.signs.venues.find((s) => s.venue === "binance")!;
  assert.equal(busiest.planted, truth.orderFlow.signAcfExponent);
  assert.ok(Math.abs(busiest.fit.exponent - busiest.planted!) < 0.3, `exponent ${busiest.fit.exponent} vs ${busiest.planted}`);
});

test("analyseMicrostructure: without the planted intensity the rates carry no planted value; without the flow matrix it throws a RangeError", () => {
  const plain = analyseMicrostructure({...market, truth: null}, {...MICROSTRUCTURE_DEFAULTS, hyBootstrap: 19, spreadBootstrap: 19});
  assert.deepEqual(plain.periods.map((p) => p.id), ["full"]);
  assert.ok(plain.arrivals.every((a) => a.planted === null));
  assert.equal(plain.hy.pairs.length, venuePairs(market.venues).length, "the HY scan runs on the full span of real data");
  assert.throws(() => analyseMicrostructure({...market, flow: null}), RangeError);
});

test("laggedCorrelation(ra, rb, binMs, maxLag) peaks at the planted lag of the leading pair before the crash, at 100 ms and at 200 ms bins", () => {
  const calm = microstructurePeriods(truth, market.span).find((p) => p.id === "before-crash")!;
  const [a, b] = ["binance", "coinbase"] as const;
  const planted = calm.planted!.delaysMs[b] - calm.planted!.delaysMs[a];
  const ra = periodReturns(market.flow!.last[a]!, market.span[0], calm);
  const rb = periodReturns(market.flow!.last[b]!, market.span[0], calm);
  for (const binMs of [100, 200]) {
    const xc = laggedCorrelation(ra, rb, binMs, Math.round(3000 / binMs));
    assert.ok(Math.abs(xc.leadMs - planted) <= binMs, `${binMs} ms: peak ${xc.leadMs} ms, planted ${planted} ms`);
    assert.ok(xc.peak > xc.band);
  }
  assert.throws(() => laggedCorrelation(ra, rb, 150, 10), RangeError);
});

test("delaysFromLeads(venues, leads) recovers delays from exact pairwise leads and names the fastest venue", () => {
  const venues: Venue[] = ["binance", "bybit", "okx", "coinbase"];
  const d: Delays = {binance: 200, bybit: 0, okx: 300, coinbase: 500};
  const r = delaysFromLeads(venues, venuePairs(venues).map(([a, b]) => ({a, b, leadMs: d[b]! - d[a]!})));
  assert.equal(r.leader, "bybit");
  for (const v of venues) assert.ok(Math.abs(r.delaysMs[v]! - d[v]!) < 1e-9);
});

test("secondPrices(last100) takes the last 100 ms bin of every second", () => {
  assert.deepEqual(Array.from(secondPrices(Float32Array.from({length: 25}, (_, i) => i))), [9, 19]);
});

test("signsByVenue(venues, venue, side) keeps known signs per venue in order; signAcf(signs, lag, from) of alternating signs is (−1)^ℓ", () => {
  const venue = ["binance", "okx", "binance", "binance", "okx"];
  const s = signsByVenue(["binance", "okx"], {get: (i) => venue[i], length: venue.length}, [1, -1, 0, -1, 1]);
  assert.deepEqual(Array.from(s.get("binance")!), [1, -1]);
  assert.deepEqual(Array.from(s.get("okx")!), [-1, 1]);
  const alt = Float64Array.from({length: 200}, (_, i) => (i % 2 ? -1 : 1));
  const r = signAcf(alt, 10, 20);
  assert.equal(r.lag, 10);
  assert.ok(Math.abs(r.rho[1] + 1) < 0.02 && Math.abs(r.rho[2] - 1) < 0.02, `ρ ${r.rho.slice(0, 3)}`);
  assert.equal(r.fit, null, "no power law below 40 lags");
});
