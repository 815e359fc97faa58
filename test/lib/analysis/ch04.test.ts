// Chapter 04's analysis on a small simulated market held in memory (4 hours at a tenth of the
// realistic trade rates, the planted crash from 02:00 to 02:30 and the recovery until 03:15): the
// volatility change points date the planted crash, the calm part shows no false alarm, and the
// page's recomputation equals the build's series.
import test from "node:test";
import assert from "node:assert/strict";
import {
  analysePhaseTransitions,
  eventWindows,
  knownEvents,
  PHASE_TRANSITION_DEFAULTS,
  plantedRegimeCounts,
  pooledSeries,
  regimeWindow,
  seriesSums,
  signLagSums,
  unpackObservables,
  venueSeries,
  windowObservables,
  type PhaseTransitionParams
} from "../../../lib/analysis/ch04.js";
import type {SimTruth} from "../../../lib/analysis/truth.js";
import {blockAcf} from "../../../lib/block-acf.js";
import {acf} from "../../../lib/acf.js";
import {DEFAULTS, validateConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";

const config = validateConfig({...DEFAULTS, hours: 4, surrogates: 99, simulation: {...DEFAULTS.simulation, rateScale: 0.1, crash: [0.5, 0.625], recoveryEnd: 0.8125}});
const params: PhaseTransitionParams = {...PHASE_TRANSITION_DEFAULTS, seed: config.seed, surrogates: config.surrogates, windowSec: config.windowsSec.regime};
const market = simulateMarket(config, {binWidths: [1000], flow: false});
const truth = market.truth as SimTruth;
let memo: ReturnType<typeof analysePhaseTransitions> | undefined;
const result = () => (memo ??= analysePhaseTransitions(market, params));
const planted = () => [
  ["crash start", truth.events.crashStart],
  ["crash end", truth.events.crashEnd],
  ["recovery end", truth.events.recoveryEnd]
] as const;

test("analysePhaseTransitions(market, params) dates the planted crash start and end by significant volatility change points", {timeout: 600_000}, () => {
  const r = result();
  const v = r.changes.volatility;
  for (const [name, time] of planted().slice(0, 2)) {
    const e = r.recovery.find((x) => x.name === name)!;
    assert.equal(e.time, time, `${name}: planted time`);
    assert.ok(e.volatility.found && Math.abs(e.volatility.errorMin!) <= params.toleranceMin, `${name}: nearest volatility change ${e.volatility.errorMin} min away`);
    const i = v.candidates.indexOf(e.volatility.time!);
    assert.ok(i >= 0 && v.p[i] <= params.alpha, `${name}: p = ${v.p[i]}`);
  }
  // Every significant volatility change lies at a planted event: no false alarm elsewhere.
  for (let i = 0; i < v.candidates.length; ++i)
    if (v.p[i] <= params.alpha)
      assert.ok(planted().some(([, t]) => Math.abs(v.candidates[i] - t) <= params.toleranceMin * 60_000), `unexplained change at ${new Date(v.candidates[i]).toISOString()}`);
});

test("analysePhaseTransitions(market, params) reports no volatility change on the calm part alone and labels every crash window", {timeout: 600_000}, () => {
  const r = result();
  assert.ok(r.calmCheck, "calm check of a simulated market");
  assert.equal(r.calmCheck!.volatilityChanges, 0);
  assert.equal(r.calmCheck!.end, truth.events.crashStart, "the calm part ends at the planted crash start (whole five-minute blocks)");
  const crash = r.plantedRegimes!.find((x) => x.name === "crash")!;
  assert.equal(crash.counts.reduce((a, b) => a + b, 0), (truth.events.crashEnd - truth.events.crashStart) / (params.stepSec * 1000), "one window per step ends inside the crash");
  // The early-warning test looks before the planted transition.
  assert.equal(r.earlyWarning.targetLabel, "planted crash start");
  assert.equal(r.earlyWarning.target, truth.events.crashStart);
});

test("analysePhaseTransitions(market, params) ships the page's series, equal to windowObservables on the page's own series", {timeout: 600_000}, () => {
  const r = result();
  const w = r.settings.windowSec;
  for (const v of ["all", market.venues[1]] as const) {
    const series = v === "all" ? pooledSeries(market, r.referenceVenue) : venueSeries(market, v);
    const own = windowObservables(series, seriesSums(series, r.signs, v, params), w, params);
    const built = unpackObservables(r.observables[v], series.t.length, w, params.stepSec);
    assert.deepEqual(built.end, own.end, `${v}: window ends`);
    for (const k of ["volatility", "imbalance", "susceptibility", "correlationLength", "entropy", "signXi", "forwardVolatility", "forwardReturn"] as const) {
      assert.equal(built[k].length, own[k].length, `${v} ${k} length`);
      for (let j = 0; j < own[k].length; ++j) assert.ok(Object.is(built[k][j], own[k][j]), `${v} ${k}[${j}]: ${built[k][j]} vs ${own[k][j]}`);
    }
  }
  // The crash runs hotter than the calm hours before it (planted: a volatility multiplier above 1).
  const all = unpackObservables(r.observables.all, (market.span[1] - market.span[0]) / 1000, w, params.stepSec);
  const tEnd = (j: number) => market.span[0] + (all.end[j] + 1) * 1000;
  const mean = (pick: (t: number) => boolean) => {
    let s = 0;
    let n = 0;
    for (let j = 0; j < all.end.length; ++j) if (pick(tEnd(j)) && Number.isFinite(all.volatility[j])) (s += all.volatility[j]), ++n;
    return s / n;
  };
  const calm = mean((t) => t - w * 1000 >= market.span[0] && t <= truth.events.crashStart);
  const crash = mean((t) => t - w * 1000 >= truth.events.crashStart && t <= truth.events.crashEnd);
  assert.ok(crash > 1.5 * calm, `temperature ${crash} in the crash vs ${calm} before`);
});

test("signLagSums(trades, span, blockMs, maxLag) gives each run of whole blocks the autocorrelation of its trade signs", () => {
  const venue = market.venues[0];
  const trades = market.trades[venue]!;
  const sums = signLagSums(trades, market.span, 60_000, 8);
  assert.equal(sums.blocks, (market.span[1] - market.span[0]) / 60_000);
  const a = market.span[0] + 30 * 60_000;
  const b = market.span[0] + 42 * 60_000;
  const signs: number[] = [];
  for (let i = 0; i < trades.length; ++i) if (trades.time[i] >= a && trades.time[i] < b && (trades.side[i] === 1 || trades.side[i] === -1)) signs.push(trades.side[i]);
  const direct = acf(signs, 8);
  const fast = blockAcf(sums, 30, 42);
  for (let k = 0; k <= 8; ++k) assert.ok(Math.abs(fast[k] - direct[k]) < 1e-9, `lag ${k}: ${fast[k]} vs ${direct[k]}`);
  assert.throws(() => signLagSums(trades, market.span, 0, 8), /invalid blockMs: 0/);
});

test("knownEvents(span, truth) lists the planted events and the funding times inside the span, in time order", () => {
  const day = Date.UTC(2024, 7, 5);
  const events = knownEvents([day - 3_600_000, day + 9 * 3_600_000], null);
  assert.deepEqual(events.map((e) => e.name), ["funding 00:00", "funding 08:00"]);
  const withTruth = knownEvents(market.span, truth);
  assert.deepEqual(withTruth.filter((e) => e.kind === "planted").map((e) => e.time), planted().map(([, t]) => t));
  for (let i = 1; i < withTruth.length; ++i) assert.ok(withTruth[i].time >= withTruth[i - 1].time);
});

test("regimeWindow, eventWindows and plantedRegimeCounts: whole blocks, first window ending at or after an event, windows by planted regime", () => {
  assert.equal(regimeWindow(600, 60), 600);
  assert.equal(regimeWindow(610, 60), 600);
  assert.equal(regimeWindow(30, 60), 120, "at least two blocks");
  assert.throws(() => regimeWindow(0, 60), /invalid windowSec: 0/);
  // Windows ending at bins 59, 119, 179 from t0 = 0 end at 60 s, 120 s, 180 s.
  assert.deepEqual(eventWindows([60_000, 60_001, 200_000], 0, [59, 119, 179]), [0, 1]);
  const counts = plantedRegimeCounts(truth, [truth.events.crashStart, truth.events.crashStart + 1, truth.events.crashEnd + 1, truth.events.recoveryEnd + 1], [1, 3, 2, 0]);
  assert.deepEqual(counts, [
    {name: "calm", counts: [1, 1, 0, 0]},
    {name: "crash", counts: [0, 0, 0, 1]},
    {name: "recovery", counts: [0, 0, 1, 0]}
  ]);
  assert.equal(plantedRegimeCounts(null, [0], [0]), null);
});
