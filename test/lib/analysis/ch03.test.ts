// Chapter 03 on one simulated hour held in memory (a quarter of the realistic trade rates, no
// files): transfer entropy, lagged mutual information and entropy rates recover what the
// simulator planted.
import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {
  analyseInformationFlow,
  CHANNELS,
  INFORMATION_FLOW_DEFAULTS,
  leaderOf,
  leaderScores,
  PAGE_BIN_MS,
  PAGE_PAIR_K,
  type InformationFlowParams
} from "../../../lib/analysis/ch03.js";

const config = validateConfig({...DEFAULTS, hours: 1, simulation: {...DEFAULTS.simulation, rateScale: 0.25}});
const market = simulateMarket(config);
const truth = market.truth!;
const params: InformationFlowParams = {...INFORMATION_FLOW_DEFAULTS, seed: 7, surrogates: 49, rollingSurrogates: 19, teWindowSec: 600, teStepSec: 300, pageTests: false};
const result = analyseInformationFlow(market, params);

test("analyseInformationFlow(market, params) recovers the planted leader of every period of the schedule from price → flow TE", () => {
  const schedule = truth.leadLag.schedule;
  assert.deepEqual(
    result.periods.map((p) => p.id),
    ["before-crash", "crash", "after-crash"]
  );
  assert.equal(result.periods.length, schedule.length);
  result.periods.forEach((p, i) => {
    assert.equal(p.planted!.leader, schedule[i].leader);
    assert.equal(p.matrices["price-flow"].leader, schedule[i].leader, `${p.id}: scores ${JSON.stringify(p.matrices["price-flow"].score)}`);
  });
  // The planted leadership flips in the crash, and the recovered one with it.
  assert.notEqual(schedule[0].leader, schedule[1].leader);
  const calm = result.periods[0].matrices["price-flow"];
  const m = calm.venues.length;
  const i = calm.venues.indexOf(schedule[0].leader);
  for (let j = 0; j < m; ++j) if (j !== i) assert.ok(calm.pValue[i * m + j]! < 0.05, `${calm.venues[i]} → ${calm.venues[j]}: p = ${calm.pValue[i * m + j]}`);
});

test("analyseInformationFlow(market, params) finds the planted calm delays as lags of maximal shared information", () => {
  const delays = truth.leadLag.schedule[0].delaysMs;
  assert.equal(result.lagMI.pairs.length, 6);
  for (const pair of result.lagMI.pairs) {
    assert.equal(pair.plantedLagMs, delays[pair.y] - delays[pair.x]);
    assert.ok(Math.abs(pair.bestLagMs - pair.plantedLagMs!) <= 100, `${pair.x} → ${pair.y}: best ${pair.bestLagMs} ms, planted ${pair.plantedLagMs} ms`);
    assert.ok(pair.bestP < 0.05, `${pair.x} → ${pair.y}: p = ${pair.bestP}`);
  }
});

test("analyseInformationFlow(market, params) shows the planted order splitting as trade-sign memory", () => {
  for (const row of result.entropyRate) {
    const k = row.signRate.length - 1;
    assert.equal(row.trades, Array.from(market.trades[row.venue]!.side).filter((s) => s !== 0).length);
    assert.ok(row.signRate[k] < row.signRateShuffled[k] - 0.02, `${row.venue}: h_${k} = ${row.signRate[k]}, shuffled ${row.signRateShuffled[k]}`);
    assert.ok(row.signStorage > 0.02 && row.signStorageP < 0.05, `${row.venue}: storage ${row.signStorage}, p = ${row.signStorageP}`);
  }
});

test("analyseInformationFlow(market, params) rolls windows of params.teWindowSec every params.teStepSec, none on a shorter span", () => {
  const {end, channels} = result.rolling;
  assert.equal(end.length, Math.floor((3600 - 600) / 300) + 1);
  assert.equal(end[0], market.span[0] + 600_000);
  for (const c of CHANNELS) assert.equal(channels[c].pairs.length, 12);
  const long = analyseInformationFlow(market, {...params, teWindowSec: 7200});
  assert.deepEqual(long.rolling.end, []);
  assert.deepEqual(long.rolling.channels["price-flow"].leader, []);
});

test("analyseInformationFlow(market, params) computes the page's tests only when asked, with its surrogates", () => {
  assert.equal(result.page, null);
  const withPage = analyseInformationFlow(market, {...params, pageTests: true, pageSurrogates: 9, pageSeed: 3});
  assert.equal(withPage.page!.surrogates, 9);
  assert.equal(Object.keys(withPage.page!.pairs).length, 12 * CHANNELS.length * PAGE_PAIR_K.length * PAGE_BIN_MS.length);
  // The page tests change nothing else.
  assert.deepEqual({...withPage, page: null}, result);
});

test("analyseInformationFlow(market, params) is deterministic for a seed and changes with it", () => {
  assert.deepEqual(analyseInformationFlow(market, params), result);
  const other = analyseInformationFlow(market, {...params, seed: 8});
  assert.notDeepEqual(other.matrices[0].pValue, result.matrices[0].pValue);
});

test("analyseInformationFlow(market, params) rejects a market of one venue or without its flow matrix", () => {
  assert.throws(() => analyseInformationFlow({...market, venues: ["binance"]}, params), RangeError);
  assert.throws(() => analyseInformationFlow({...market, flow: null}, params), /no 100 ms flow matrix/);
  assert.throws(() => analyseInformationFlow({...market, bins: {}}, params), /no 1000 ms bins/);
});

test("leaderScores(effective, venues) nets outgoing against incoming effective TE and leaderOf takes the largest", () => {
  // a → b 0.3, b → a 0.1, a → c 0.2, c → a 0, b → c 0.05, c → b 0.15
  const e = [NaN, 0.3, 0.2, 0.1, NaN, 0.05, 0, 0.15, NaN];
  const s = leaderScores(e, ["binance", "bybit", "okx"]);
  assert.ok(Math.abs(s.binance - 0.4) < 1e-12 && Math.abs(s.bybit - -0.3) < 1e-12 && Math.abs(s.okx - -0.1) < 1e-12, JSON.stringify(s));
  assert.equal(leaderOf(s), "binance");
});
