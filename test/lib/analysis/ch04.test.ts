// Chapter 04's analysis on a small simulated market held in memory (4 hours at a tenth of the
// realistic trade rates, the planted crash from 02:00 to 02:30 and the recovery until 03:15): the
// volatility change points date the planted crash, the calm part shows no false alarm, and the
// page's recomputation equals the build's series.
import test from "node:test";
import assert from "node:assert/strict";
import {
  analysePhaseTransitions,
  builtEarlyWarning,
  candidatesAt,
  detectChanges,
  earlyWarningTest,
  eventWindows,
  explainChanges,
  hotColdContrast,
  meanRatio,
  nearestChange,
  periodMean,
  knownEvents,
  PHASE_TRANSITION_DEFAULTS,
  plantedRegimeCounts,
  pooledSeries,
  regimeWindow,
  seriesSums,
  signLagSums,
  SignLagStream,
  venueSignSums,
  regimePeriods,
  regimeAdviceText,
  regimeContrast,
  regimeLabels,
  regimeValidation,
  unpackObservables,
  venueSeries,
  windowObservables,
  type PhaseTransitionParams
} from "../../../lib/analysis/ch04.js";
import {chapter04Findings, type Finding} from "../../../lib/analysis/findings.js";
import {formatP} from "../../../lib/analysis/format.js";
import {earlyWarningVerdict} from "../../../lib/analysis/phase-calibration.js";
import {UNLABELLED} from "../../../lib/regime.js";
import {mulberry32, randomNormal} from "../../../lib/random.js";
import {crashEvents, type SimTruth} from "../../../lib/analysis/truth.js";
import {blockAcf} from "../../../lib/block-acf.js";
import {takerOrders} from "../../../lib/analysis/ch02.js";
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
  ["crash start", crashEvents(truth)!.crashStart],
  ["crash end", crashEvents(truth)!.crashEnd],
  ["recovery end", crashEvents(truth)!.recoveryEnd]
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
  assert.equal(r.calmCheck!.end, crashEvents(truth)!.crashStart, "the calm part ends at the planted crash start (whole five-minute blocks)");
  const crash = r.plantedRegimes!.find((x) => x.name === "crash")!;
  assert.equal(crash.counts.reduce((a, b) => a + b, 0), (crashEvents(truth)!.crashEnd - crashEvents(truth)!.crashStart) / (params.stepSec * 1000), "one window per step ends inside the crash");
  // The early-warning test looks before the planted transition.
  assert.equal(r.earlyWarning.targetLabel, "planted crash start");
  assert.equal(r.earlyWarning.target, crashEvents(truth)!.crashStart);
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
  const calm = mean((t) => t - w * 1000 >= market.span[0] && t <= crashEvents(truth)!.crashStart);
  const crash = mean((t) => t - w * 1000 >= crashEvents(truth)!.crashStart && t <= crashEvents(truth)!.crashEnd);
  assert.ok(crash > 1.5 * calm, `temperature ${crash} in the crash vs ${calm} before`);
});

test("signLagSums(trades, span, blockMs, maxLag) gives each run of whole blocks the autocorrelation of its taker-order signs (fills of one order counted once)", () => {
  const venue = market.venues[0];
  const trades = market.trades[venue]!;
  const sums = signLagSums(trades, market.span, 60_000, 8);
  assert.equal(sums.blocks, (market.span[1] - market.span[0]) / 60_000);
  const a = market.span[0] + 30 * 60_000;
  const b = market.span[0] + 42 * 60_000;
  const orders = takerOrders(trades.time, trades.side);
  assert.ok(orders.side.length < 0.8 * trades.length, `the simulated prints group into fewer orders: ${orders.side.length} of ${trades.length}`);
  const signs: number[] = [];
  for (let i = 0; i < orders.side.length; ++i) if (orders.time[i] >= a && orders.time[i] < b) signs.push(orders.side[i]);
  const direct = acf(signs, 8);
  const fast = blockAcf(sums, 30, 42);
  for (let k = 0; k <= 8; ++k) assert.ok(Math.abs(fast[k] - direct[k]) < 1e-9, `lag ${k}: ${fast[k]} vs ${direct[k]}`);
  assert.throws(() => signLagSums(trades, market.span, 0, 8), /invalid blockMs: 0/);
});

test("SignLagStream gives the sums of signLagSums whatever the pieces, and venueSignSums takes them in place of the trades", () => {
  const venue = market.venues[0];
  const trades = market.trades[venue]!;
  const whole = signLagSums(trades, market.span, 60_000, 8);
  const stream = new SignLagStream(market.span, 60_000, trades.length);
  // Uneven pieces, one of them empty, cut inside blocks, and one cut between two fills of one order.
  let fill = Math.floor(trades.length / 2);
  while (fill < trades.length && !(trades.time[fill] === trades.time[fill - 1] && trades.side[fill] === trades.side[fill - 1] && trades.side[fill] !== 0)) ++fill;
  assert.ok(fill < trades.length, "a print that continues an order");
  const cuts = [0, 1, 1, Math.floor(trades.length / 3), fill, trades.length - 7, trades.length];
  for (let k = 1; k < cuts.length; ++k) stream.add(trades.time.subarray(cuts[k - 1], cuts[k]), trades.side.subarray(cuts[k - 1], cuts[k]), cuts[k] - cuts[k - 1]);
  const pieces = stream.finish(8);
  for (const f of ["count", "sum", "products", "crossing", "head", "tail"] as const) assert.deepEqual(pieces[f], whole[f], f);
  assert.throws(() => stream.add(trades.time, trades.side, 1), /the stream is finished/);
  const late = new SignLagStream(market.span, 60_000, trades.length);
  late.add(trades.time.subarray(trades.length - 1), trades.side.subarray(trades.length - 1), 1);
  assert.throws(() => late.add(trades.time, trades.side, trades.length), /is before a trade already added/);
  assert.throws(() => new SignLagStream(market.span, 60_000, 1).add(trades.time, trades.side, trades.length), /invalid capacity: 1/);
  const p = {blockSec: 60, signMaxLag: 8};
  assert.equal(venueSignSums({span: market.span, signs: {[venue]: {trades: trades.length, sums: pieces}}}, venue, p), pieces);
  assert.deepEqual(venueSignSums(market, venue, p).products, whole.products);
  assert.throws(() => venueSignSums({span: market.span, signs: {[venue]: {trades: trades.length, sums: pieces}}}, venue, {blockSec: 60, signMaxLag: 4}), /the chapter's settings need \d+ to lag 4/);
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
  const counts = plantedRegimeCounts(truth, [crashEvents(truth)!.crashStart, crashEvents(truth)!.crashStart + 1, crashEvents(truth)!.crashEnd + 1, crashEvents(truth)!.recoveryEnd + 1], [1, 3, 2, 0]);
  assert.deepEqual(counts, [
    {name: "calm", counts: [1, 1, 0, 0]},
    {name: "crash", counts: [0, 0, 0, 1]},
    {name: "recovery", counts: [0, 0, 1, 0]}
  ]);
  assert.equal(plantedRegimeCounts(null, [0], [0]), null);
});

test("earlyWarningTest(series, options) is the page's test the build ships per venue, for either null", {timeout: 600_000}, () => {
  const r = result();
  const v = market.venues[2];
  const shipped = r.earlyWarning.page[v]!;
  assert.ok(shipped, `early warning of ${v}`);
  for (const nul of ["ar1", "phase"] as const) {
    const e = earlyWarningTest(venueSeries(market, v), {target: r.earlyWarning.target!, lookbackSec: params.ewLookbackSec, spanStart: market.span[0], windowSec: r.earlyWarning.windowSec, seed: params.seed, surrogates: params.pageEwSurrogates, null: nul, ewSampleSec: params.ewSampleSec, ewStep: params.ewStep})!;
    assert.deepEqual(shipped[nul], {variance: {tau: e.varianceTrend.tau, p: e.varianceTrend.p}, autocorrelation: {tau: e.autocorrelationTrend.tau, p: e.autocorrelationTrend.p}}, nul);
    assert.deepEqual(shipped.t, e.t);
  }
  // A stretch shorter than two windows gives no test.
  assert.equal(earlyWarningTest(venueSeries(market, v), {target: market.span[0] + 600_000, lookbackSec: 3600, spanStart: market.span[0], windowSec: 600, seed: 1, surrogates: 19, null: "ar1", ewSampleSec: 10, ewStep: 6}), null);
});

test("page 04's default early-warning selection shows the chapter's own result (series, test, p and verdict of the findings); another selection is labelled as recomputed", {timeout: 600_000}, () => {
  const r = result();
  const before = r.earlyWarning.before!;
  assert.ok(before, "a stretch before the planted crash");
  // The chapter's test is the page's function on the pooled series (one computation).
  const same = earlyWarningTest(pooledSeries(market, r.referenceVenue), {target: r.earlyWarning.target!, lookbackSec: params.ewLookbackSec, spanStart: market.span[0], windowSec: r.earlyWarning.windowSec, seed: params.seed, surrogates: params.surrogates, null: "ar1", ewSampleSec: params.ewSampleSec, ewStep: params.ewStep})!;
  assert.deepEqual(before.ar1.variance, {tau: same.varianceTrend.tau, p: same.varianceTrend.p});
  assert.deepEqual(before.t, same.t);
  const sel = {venue: "all", lookbackSec: params.ewLookbackSec, windowSec: r.earlyWarning.windowSec, null: "ar1" as const};
  for (const venue of ["all", r.referenceVenue]) {
    const shown = builtEarlyWarning(r, {...sel, venue})!;
    assert.equal(shown.source, "chapter", venue);
    assert.equal(shown.surrogates, params.surrogates);
    assert.deepEqual(shown.varianceTrend, before.ar1.variance, venue);
    assert.deepEqual(shown.autocorrelationTrend, before.ar1.autocorrelation, venue);
    assert.deepEqual(builtEarlyWarning(r, {...sel, venue, null: "phase"})!.varianceTrend, before.phase.variance);
  }
  // The page's verdict and p are the finding's: same p printed, same "early warning" or not.
  const shown = builtEarlyWarning(r, sel)!;
  const f = chapter04Findings(r).find((o) => o.id === "ch04-early-warning") as Finding;
  assert.equal(f.pValue, shown.varianceTrend.p);
  assert.ok(f.text.includes(formatP(shown.varianceTrend.p)), f.text);
  assert.equal(/: a significant early warning/.test(f.text), earlyWarningVerdict(shown.varianceTrend.p, r.settings.alpha).warning, f.text);
  // Another venue at the defaults: the build's run of the page's test on that venue's price; another stretch: nothing built, the page recomputes.
  const other = r.venues.find((v) => v !== r.referenceVenue)!;
  const built = builtEarlyWarning(r, {...sel, venue: other})!;
  assert.equal(built.source, "build");
  assert.equal(built.surrogates, params.pageEwSurrogates);
  assert.deepEqual(built.varianceTrend, r.earlyWarning.page[other]!.ar1.variance);
  assert.equal(builtEarlyWarning(r, {...sel, lookbackSec: sel.lookbackSec / 2}), null);
  assert.equal(builtEarlyWarning(r, {...sel, windowSec: sel.windowSec * 2}), null);
});

test("earlyWarningVerdict: significant at p ≤ α, an early warning only when the false-positive rate holds", () => {
  const record = (holds: boolean | null) => ({generated: "", command: "", settings: {seeds: 10, hours: 4, rateScale: 0.1, surrogates: 99, seed: 1, alpha: 0.05}, rates: [{claim: "early warning", measure: "false-positive rate" as const, population: "crash without build-up", count: 0, total: 10, rate: 0, low: 0, high: 0.28, holds}]});
  assert.deepEqual(earlyWarningVerdict(0.05, 0.05, record(true)).warning, true);
  assert.deepEqual(earlyWarningVerdict(0.051, 0.05, record(true)), {significant: false, warning: false, falsePositive: record(true).rates[0]});
  assert.equal(earlyWarningVerdict(0.01, 0.05, record(false)).warning, false);
  assert.equal(earlyWarningVerdict(0.01, 0.05, record(false)).significant, true);
  assert.equal(earlyWarningVerdict(0.01, 0.05, null).warning, false);
  assert.equal(earlyWarningVerdict(NaN, 0.05, record(true)).significant, false);
});

test("periodMean, meanRatio and hotColdContrast: means over whole windows, delta-method ratio interval, Welch-style contrast", () => {
  // Windows of 120 s every 60 s ending at 120, 180, …, 600 s: those inside [0, 300 s] end at 120…300 s.
  const ends = [120, 180, 240, 300, 360, 420, 480, 540, 600].map((s) => s * 1000);
  const values = [1, 2, 3, NaN, 5, 6, 7, 8, 9];
  const m = periodMean(values, ends, 120, 60, 0, 300_000);
  assert.equal(m.n, 3);
  assert.equal(m.mean, 2);
  assert.ok(Math.abs(m.se - (1 / Math.sqrt(3)) * Math.sqrt(2)) < 1e-15, `se ${m.se}`);
  assert.ok(Number.isNaN(periodMean(values, ends, 120, 60, 0, 100_000).mean));
  const r = meanRatio({mean: 4, se: 0.4, n: 10}, {mean: 2, se: 0.2, n: 10});
  assert.equal(r.ratio, 2);
  const half = 1.96 * Math.sqrt(0.02);
  assert.ok(Math.abs(r.low - 2 * Math.exp(-half)) < 1e-12 && Math.abs(r.high - 2 * Math.exp(half)) < 1e-12);
  const row = (name: string, mean: number, se: number, count: number) => ({name, count, volatility: {mean, se, count}, return: {mean: 0, se: 0, count}});
  const rows = [row("unlabelled", 0, 0, 0), row("cold", 1, 0.1, 100), row("critical", 0, 0, 0), row("hot", 2, 0.1, 50)] as unknown as Parameters<typeof hotColdContrast>[0];
  const c = hotColdContrast(rows, 600, 60);
  assert.equal(c.diff, 1);
  assert.equal(c.df, 4, "min(50, 100)/10 − 1");
  assert.ok(c.p < 0.01, `p ${c.p}`);
  assert.throws(() => hotColdContrast(rows.slice(0, 2), 600, 60), /no hot row/);
  assert.deepEqual(regimePeriods(null, [0, 10]), [{name: "whole span", start: 0, end: 10}]);
  assert.deepEqual(regimePeriods(truth, market.span).map((p) => p.name), ["calm (before)", "crash", "recovery", "calm (after)"]);
});

test("candidatesAt, explainChanges and nearestChange: significant changes at α, their nearest known events", () => {
  const c = {candidates: [60_000, 600_000, 1_200_000], p: [0.01, 0.2, 0.04], order: ["first", "none", "second"] as ("first" | "second" | "none")[], jump: [5, 1, 2]};
  const at = candidatesAt(c, 0.05);
  assert.deepEqual(at.map((x) => x.significant), [true, false, true]);
  const significant = at.filter((x) => x.significant);
  const events = [{name: "a", time: 0, kind: "planted" as const}, {name: "b", time: 1_500_000, kind: "funding" as const}];
  const explained = explainChanges(significant, events, 5);
  assert.deepEqual(explained.map((x) => [x.nearestEvent, x.errorMin, x.explained]), [[0, 1, true], [1, -5, true]]);
  assert.deepEqual(nearestChange(significant, 500_000), {time: 60_000, errorMin: -440_000 / 60_000});
  assert.deepEqual(nearestChange(significant, 700_000), {time: 1_200_000, errorMin: 500_000 / 60_000});
  assert.deepEqual(nearestChange([], 0), {time: null, errorMin: null});
});

test("analysePhaseTransitions on a market planted calm throughout (crashMode none, another seed): no planted event, no transition target, no early warning, calm check over the whole span; the findings say so", {timeout: 600_000}, () => {
  const calmConfig = validateConfig({...config, seed: 31337, simulation: {...config.simulation, crashMode: "none"}});
  const calmMarket = simulateMarket(calmConfig, {binWidths: [1000], flow: false});
  const calmTruth = calmMarket.truth as SimTruth;
  assert.equal(crashEvents(calmTruth), null);
  const r = analysePhaseTransitions(calmMarket, {...params, seed: calmConfig.seed});
  assert.deepEqual(r.knownEvents.filter((e) => e.kind === "planted"), []);
  assert.equal(r.earlyWarning.target, null);
  assert.equal(r.earlyWarning.before, null);
  assert.equal(r.calmCheck!.start, calmMarket.span[0]);
  assert.equal(r.calmCheck!.end, calmMarket.span[1], "the calm check covers the whole span (whole five-minute blocks)");
  assert.deepEqual(regimePeriods(calmTruth, calmMarket.span).map((p) => p.name), ["calm (no crash planted)"]);
  assert.ok(r.plantedRegimes!.every((p) => p.name === "calm" || p.counts.every((c) => c === 0)), "every window is in the planted calm");
  const significant = r.changes.volatility.candidates.filter((_, i) => r.changes.volatility.p[i] <= params.alpha);
  assert.deepEqual(significant, [], "the volatility detector raises no false alarm here");
  const f = chapter04Findings(r);
  const byId = new Map(f.map((x) => [x.id, x]));
  assert.match((byId.get("ch04-changes") as {reason: string}).reason, /no crash was planted/);
  assert.match((byId.get("ch04-early-warning") as {reason: string}).reason, /no crash was planted and no transition was found/);
  assert.match((byId.get("ch04-calm-alarms") as {text: string}).text, /whole span, planted calm throughout/);
  for (const x of f) assert.doesNotMatch(JSON.stringify(x), /NaN|significant early warning/);
});

test("analysePhaseTransitions labels regimes from past windows only and ships their out-of-sample validation, as the page recomputes it", {timeout: 600_000}, () => {
  const r = result();
  assert.equal(r.settings.regimeThresholds, "expanding");
  const w = r.settings.windowSec;
  const obs = unpackObservables(r.observables.all, (market.span[1] - market.span[0]) / 1000, w, params.stepSec);
  const cls = regimeLabels(obs, obs.signXi, r.settings.regimeQuantiles, r.settings.regimeVotes as 1 | 2 | 3);
  // Before an hour of windows there is no past to take thresholds from.
  assert.ok(cls.labels.subarray(0, r.settings.regimeHistory - 1).every((l) => l === UNLABELLED));
  // The labels of the first three hours do not change when the last hour is cut off: no look-ahead.
  const cut = Math.floor(obs.end.length * 0.75);
  const part = regimeLabels({entropy: obs.entropy.subarray(0, cut), volatility: obs.volatility.subarray(0, cut), susceptibility: obs.susceptibility.subarray(0, cut)}, obs.signXi.subarray(0, cut), r.settings.regimeQuantiles, r.settings.regimeVotes as 1 | 2 | 3);
  assert.deepEqual(part.labels, cls.labels.subarray(0, cut));
  const rows = regimeValidation(cls.labels, {volatility: obs.forwardVolatility, return: obs.forwardReturn}, w, params.stepSec);
  assert.deepEqual(rows, r.regimes);
  assert.deepEqual(regimeContrast(rows, w, params.stepSec, params.alpha), r.regimeContrast);
  assert.equal(r.regimeContrast.validated, r.regimeContrast.diff > 0 && r.regimeContrast.p <= params.alpha);
  // The finding states the outcome with its p-value and gives sizing advice only when validated.
  const f = chapter04Findings(r).find((x) => x.id === "ch04-regime") as {text: string; pValue: number};
  assert.equal(f.pValue, r.regimeContrast.p);
  if (!r.regimeContrast.validated) {
    assert.match(f.text, /fails its out-of-sample validation/);
    assert.match(f.text, /no basis for sizing positions/);
  }
  assert.doesNotMatch(f.text, /NaN/);
});

test("regimeAdviceText(contrast, α, annual, replication) gives sizing advice only for a label that passes and replicates", () => {
  const c = (hot: number, cold: number, p: number) => ({hot: {mean: hot, count: 40}, cold: {mean: cold, count: 50}, diff: hot - cold, p, validated: hot > cold && p <= 0.05});
  const failed = regimeAdviceText(c(0.0047, 0.0079, 0.009), 0.05, 100, {count: 9, total: 10});
  assert.match(failed, /^The label fails its out-of-sample validation: windows labelled hot .* 47 % against 79 % after cold ones \(difference −32 points, p = 0\.009\), the wrong way round, so it is no basis for sizing positions\.$/);
  const weak = regimeAdviceText(c(0.008, 0.006, 0.2), 0.05, 100, {count: 9, total: 10});
  assert.match(weak, /fails .*p = 0\.200\), not significant at α = 0\.05, so it is no basis for sizing positions/);
  const lone = regimeAdviceText(c(0.008, 0.004, 0.001), 0.05, 100, {count: 3, total: 10});
  assert.match(lone, /passes its out-of-sample validation here: .*but it does not replicate \(3 of 10 seeds of today's plant\), so it is no basis for sizing positions/);
  const unmeasured = regimeAdviceText(c(0.008, 0.004, 0.001), 0.05, 100, null);
  assert.match(unmeasured, /has not been measured .* no basis for sizing positions yet/);
  const good = regimeAdviceText(c(0.008, 0.004, 0.001), 0.05, 100, {count: 8, total: 10});
  assert.match(good, /replicates on 8 of 10 seeds of today's plant: a desk can size positions down after a hot label/);
  const none = regimeAdviceText({hot: {mean: NaN, count: 0}, cold: {mean: 0.004, count: 20}, diff: NaN, p: NaN, validated: false}, 0.05, 100, null);
  assert.match(none, /too few to compare \(0 hot, 20 cold/);
  for (const s of [failed, weak, lone, unmeasured, good, none]) assert.doesNotMatch(s, /NaN/);
  for (const s of [failed, weak, lone, unmeasured, none]) assert.doesNotMatch(s, /size positions down/);
});

test("detectChanges(values, …, {null: \"block\"}) holds its level on skewed series without a change, where the Gaussian phase null does not", () => {
  // 40 stationary series shaped like the flow entropy of five-minute blocks: near a ceiling with
  // occasional deep one-sided dips (a lognormal below 1.5), mildly autocorrelated, no change.
  const random = mulberry32(11);
  const n = 48;
  const t = Array.from({length: n}, (_, i) => i * 300_000);
  let phase = 0;
  let block = 0;
  for (let k = 0; k < 40; ++k) {
    const x = new Float64Array(n);
    let z = 0;
    for (let i = 0; i < n; ++i) (z = 0.3 * z + randomNormal(random)), (x[i] = 1.5 - 0.05 * Math.exp(1.2 * z));
    const options = {seed: k, surrogates: 99, minSize: 3};
    if (detectChanges(x, t, 300, options).changes.length) ++phase;
    if (detectChanges(x, t, 300, {...options, null: "block"}).changes.length) ++block;
  }
  // At α = 0.05, more than 5 of 40 would be a binomial tail of 1.4 %.
  assert.ok(block <= 5, `block null: false alarms on ${block} of 40`);
  assert.ok(phase >= 10, `phase null: false alarms on ${phase} of 40 (the skew alone beats the Gaussian null)`);
});
