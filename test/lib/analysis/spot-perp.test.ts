// Analysis B (lib/analysis/spot-perp.ts): each perpetual against each spot market, decided on the
// pair's evidence of the leader step's runs over every venue — the verdict of the calibrated rule
// run on those two markets alone at α / pairs, without a sweep of its own.
import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {leaderRunOptions, leaderRuns} from "../../../lib/analysis/leaders.js";
import {leadership, tradeCountsOf, type LeadershipTrades, type PairLead} from "../../../lib/analysis/leadership.js";
import {marketTrades} from "../../../lib/analysis/market.js";
import {spotPerpEntries, spotPerpPairs, spotPerpSkipReason, spotPerpVerdicts} from "../../../lib/analysis/spot-perp.js";
import type {Venue} from "../../../lib/analysis/venues.js";

function market(seed: number, simulation: Partial<typeof DEFAULTS.simulation> = {}) {
  const m = simulateMarket(validateConfig({...DEFAULTS, hours: 2, seed, simulation: {...DEFAULTS.simulation, rateScale: 0.25, ...simulation}}));
  return {...m, trades: Object.fromEntries(m.venues.map((v) => [v, marketTrades(m, v)])) as unknown as Record<Venue, LeadershipTrades>};
}

test("spotPerpVerdicts: each (perpetual, spot) pair's verdict is the rule's on those two markets alone at α / pairs", () => {
  const m = market(2718);
  const options = {seed: 5, resamples: 199};
  const {plan, results} = leaderRuns(m, options);
  const {verdicts, skipped} = spotPerpVerdicts(m.venues, plan, results);
  const pairs = spotPerpPairs(m.venues);
  assert.equal(skipped, null);
  assert.deepEqual(pairs, [["binance", "coinbase"], ["bybit", "coinbase"], ["okx", "coinbase"]]);
  assert.equal(verdicts.length, pairs.length * plan.periods.length);
  const counted = {...options, tradeCounts: tradeCountsOf(m.trades)};
  let named = 0;
  for (const v of verdicts) {
    const period = plan.periods.find((p) => p.id === v.period)!;
    const alone = leadership([v.perp, v.spot], m.trades, period.start, period.end, {...leaderRunOptions(period, counted), alpha: 0.05 / pairs.length});
    assert.equal(v.leader, alone.leader, `${v.perp}–${v.spot} ${v.period}`);
    assert.equal(v.p, alone.p);
    assert.equal(v.level, 0.05 / pairs.length / 2);
    if (v.leader) {
      ++named;
      // The plant: the market of the smaller delay leads.
      const d = period.planted!.delaysMs as Record<string, number>;
      assert.equal(v.leader, d[v.perp] < d[v.spot] ? v.perp : v.spot, JSON.stringify(v));
      assert.equal(v.reason, null);
    } else assert.ok(v.reason && v.reason.length > 0);
  }
  assert.ok(named >= 1, "the plant's spot delays are found");
  const entries = spotPerpEntries(verdicts, {binWidths: [100, 1000]});
  assert.equal(entries.length, 2 * verdicts.length);
  assert.deepEqual(entries[0], {analysis: "B", period: verdicts[0].period, binMs: 100, leader: verdicts[0].leader, p: verdicts[0].p, markets: [verdicts[0].perp, verdicts[0].spot], reason: verdicts[0].reason});
});

test("spotPerpVerdicts on a market without lead–lag names no market", () => {
  const zero = {binance: 0, bybit: 0, okx: 0, coinbase: 0};
  const m = market(3141, {leadsCalmMs: zero, leadsCrashMs: zero, informedShare: 0});
  const {plan, results} = leaderRuns(m, {seed: 8, resamples: 199});
  const {verdicts} = spotPerpVerdicts(m.venues, plan, results);
  assert.ok(verdicts.length >= 3);
  for (const v of verdicts) assert.equal(v.leader, null, JSON.stringify(v));
});

test("spotPerpVerdicts holds each market to α / (2 · pairs), orients the stored pair, and needs the rule's fewest trades", () => {
  const pair = (a: Venue, b: Venue, pAB: number, pBA: number, trades: [number, number] = [1000, 1000]): PairLead<Venue> => ({
    a, b, lead: 10, peak: 0.5, asymmetry: 1, interval: [0, 20], pAB, pBA, pAsymmetry: [pAB, pBA], pLead: [pAB, pBA], trades
  });
  const venues: Venue[] = ["binance", "bybit", "coinbase"];
  const plan = {periods: [{id: "full" as const, start: 0, end: 3_600_000, planted: null}]};
  const level = 0.05 / 2 / 2;
  // The run stores (bybit, coinbase) with coinbase first: p(coinbase → bybit) is its pAB.
  const results = [{pairs: [pair("binance", "bybit", 0.001, 1), pair("binance", "coinbase", level, 1), pair("coinbase", "bybit", 0.002, 1)]}];
  const {verdicts} = spotPerpVerdicts(venues, plan, results);
  assert.deepEqual(verdicts.map((v) => [v.perp, v.spot, v.leader, v.p]), [["binance", "coinbase", "binance", 2 * level], ["bybit", "coinbase", "coinbase", 0.004]]);
  const above = spotPerpVerdicts(venues, plan, [{pairs: [pair("binance", "coinbase", level * 1.01, 1), pair("coinbase", "bybit", 0.002, 1, [1000, 49])]}]).verdicts;
  assert.equal(above[0].leader, null);
  assert.match(above[0].reason!, /does not lead coinbase beyond chance/);
  assert.equal(above[1].leader, null);
  assert.match(above[1].reason!, /too few trades in the period at bybit/);
  assert.deepEqual(spotPerpVerdicts(["binance", "bybit"], plan, []), {verdicts: [], skipped: spotPerpSkipReason(["binance", "bybit"])});
  assert.match(spotPerpSkipReason(["binance", "bybit"])!, /no spot market among binance, bybit/);
  assert.throws(() => spotPerpVerdicts(venues, plan, []), /invalid results: 0 for 1 periods/);
  assert.throws(() => spotPerpVerdicts(venues, plan, [{pairs: [pair("binance", "bybit", 0.5, 0.5)]}]), /no pair binance–coinbase/);
});
