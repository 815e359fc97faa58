// The live page's leader: the trades of the window kept in batch order, and the calibrated rule of
// the chapters run pair by pair on them, equal to calibratedLeaders on the same trades and span.
import assert from "node:assert/strict";
import test from "node:test";
import {calibratedLeaders} from "../../lib/analysis/leaders.js";
import type {Venue} from "../../lib/analysis/venues.js";
import {leaderJob, leaderOutcomes, leaderStep} from "../../lib/live/leader.js";
import {selectMarkets} from "../../lib/live/markets.js";
import {TradeWindow} from "../../lib/live/trades.js";
import {mulberry32} from "../../lib/random.js";
import {simulate} from "../../scripts/replay.ts";

test("TradeWindow keeps the newest trades in (time, id) order whatever the arrival order, and drops those past the horizon", () => {
  const r = mulberry32(3);
  const all: {time: number; price: number; id: number}[] = [];
  for (let id = 1; id <= 5000; ++id) all.push({time: 1_000_000 + Math.floor(id / 3) * 7, price: 100 + r(), id});
  // Arrival: mostly in order, a tenth displaced by up to 20 places.
  const arrival = all.map((t, k) => ({t, key: k + (r() < 0.1 ? r() * 20 : 0)})).sort((a, b) => a.key - b.key).map((a) => a.t);
  const w = new TradeWindow(2000, 4);
  const capacities: number[] = [];
  for (const [k, t] of arrival.entries()) {
    w.add(t.time, t.price, t.id);
    if (k % 1000 === 999) capacities.push(w.capacity);
  }
  const newest = all.at(-1)!.time;
  const kept = all.filter((t) => t.time >= newest - 2000);
  const s = w.slice(-Infinity, Infinity);
  assert.deepEqual(Array.from(s.time), kept.map((t) => t.time));
  assert.deepEqual(Array.from(s.price), kept.map((t) => t.price));
  const mid = w.slice(newest - 1000, newest - 500);
  assert.deepEqual(Array.from(mid.time), kept.filter((t) => t.time >= newest - 1000 && t.time < newest - 500).map((t) => t.time));
  assert.ok(w.size <= 3 * (2000 / 7 + 2), `size ${w.size}`);
  assert.equal(capacities.at(-1), capacities[1], `the arrays stop growing: ${capacities}`);
  assert.throws(() => new TradeWindow(0), /invalid horizonMs/);
});

/** The trades of `minutes` of the replay server's simulated markets, as the live parsers read them. */
function simulatedTrades(ids: string[], minutes: number, start: number): {venues: Venue[]; trades: {time: Float64Array; price: Float64Array}[]} {
  const markets = selectMarkets(ids);
  const streams = simulate(start, minutes);
  return {
    venues: markets.map((m) => m.venue),
    trades: markets.map((m) => {
      const ts = streams[m.id].flatMap((e) => m.parse(e.text).trades).sort((a, b) => a.time - b.time || a.id - b.id);
      return {time: Float64Array.from(ts, (t) => t.time), price: Float64Array.from(ts, (t) => t.price)};
    })
  };
}

test("leaderJob run pair by pair equals calibratedLeaders on the same trades and span (analyses A and B), and names the planted leader", () => {
  const start = 1_796_000_000_000;
  const {venues, trades} = simulatedTrades(["binance-usdm", "binance-spot", "bybit-linear"], 4, start);
  const span: [number, number] = [start + 30_000, start + 210_000];
  const job = leaderJob(venues, trades, span[0], span[1], {seed: 7, resamples: 199});
  let steps = 1;
  while (leaderStep(job)) ++steps;
  assert.equal(steps, 3, "one step per pair");
  const live = leaderOutcomes(job);
  const batch = calibratedLeaders({venues, span, truth: null, trades: Object.fromEntries(venues.map((v, i) => [v, trades[i]]))}, {seed: 7, resamples: 199});
  assert.deepEqual(
    live.map((o) => [o.analysis, o.venues, o.leader, o.p, o.candidate, o.reason]),
    batch.map((o) => [o.analysis, o.venues, o.leader, o.p, o.candidate, o.reason])
  );
  assert.deepEqual(live.map((o) => [o.analysis, o.leader]), [["A", "binance"], ["B", "binance"]], "Binance USD-M leads: the others follow its price 100 ms later");
  assert.ok(live.every((o) => o.p <= 0.05));
});

test("leaderJob: too short a window or too few trades is no leader, with the reason; a lone perpetual has no analysis", () => {
  const start = 1_796_000_000_000;
  const {venues, trades} = simulatedTrades(["binance-usdm", "coinbase-spot"], 1, start);
  const job = leaderJob(venues, trades, start, start + 2000, {seed: 1, resamples: 99});
  while (leaderStep(job));
  const [b] = leaderOutcomes(job);
  assert.equal(b.analysis, "B");
  assert.equal(b.leader, null);
  assert.match(b.reason!, /too few trades in the period at .*coinbase/);
  assert.deepEqual(leaderJob(["binance"], [trades[0]], start, start + 60_000, {seed: 1}).analyses, []);
  assert.throws(() => leaderOutcomes(leaderJob(venues, trades, start, start + 60_000, {seed: 1})), /pairs left/);
});
