import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig, type AnalysisConfig} from "../../loaders/config.ts";
import {simulateMarket} from "../../loaders/simulate/market.ts";
import {expectedTrades, planMarket} from "../../loaders/simulate/plan.ts";

const config: AnalysisConfig = validateConfig({...DEFAULTS, hours: 1, simulation: {...DEFAULTS.simulation, rateScale: 0.25}});

test("simulateMarket(config) holds the plan's trades, bins and flow matrix in memory", () => {
  const market = simulateMarket(config);
  const plan = planMarket(config);
  assert.deepEqual(market.venues, config.venues);
  assert.equal(market.source, "simulated");
  assert.deepEqual(market.truth, plan.truth);
  const [t0, t1] = market.span;
  assert.equal(t1 - t0, 3_600_000);
  for (const v of market.venues) {
    const t = market.trades[v]!;
    const expected = expectedTrades(plan, v, t0, t1);
    assert.ok(Math.abs(t.length - expected) < 0.1 * expected, `${v}: ${t.length} trades, ${expected} expected`);
    for (let i = 1; i < t.length; ++i) assert.ok(t.time[i] >= t.time[i - 1] && t.time[i] < t1, `${v}: trade ${i} out of order or span`);
    for (const w of [100, 1000]) {
      const b = market.bins[w]![v]!;
      assert.equal(b.length, (t1 - t0) / w);
      let n = 0;
      for (let i = 0; i < b.length; ++i) n += b.n_buy[i] + b.n_sell[i];
      let signed = 0;
      for (let i = 0; i < t.length; ++i) signed += t.side[i] !== 0 ? 1 : 0;
      assert.equal(n, signed);
    }
    const b100 = market.bins[100]![v]!;
    for (let i = 0; i < b100.length; i += 997) {
      assert.equal(market.flow!.net[v]![i], b100.n_buy[i] - b100.n_sell[i]);
      assert.equal(market.flow!.last[v]![i], Math.fround(b100.last[i]));
    }
  }
});

test("simulateMarket(config) is deterministic for a seed", () => {
  const a = simulateMarket(config, {binWidths: [1000], flow: false});
  const b = simulateMarket(config, {binWidths: [1000], flow: false});
  for (const v of a.venues) assert.deepEqual(a.trades[v]!.price, b.trades[v]!.price);
  assert.equal(a.flow, null);
});
