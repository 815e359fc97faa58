// The synthesis on a small simulated market held in memory (six hours, two venues, a quarter of
// the realistic trade rates; no files written). Chapters 03–05 are not run here: the parts of
// their results the synthesis reads are the planted truth (regime transitions at the planted
// changes, metastable levels at the planted wells), so the test checks what chapter 06 itself
// recovers from the market — entropy drops and breakdowns at the planted crash — and that its
// coincidence tests tell the planted changes from random times.
import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig, type AnalysisConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {analyseSynthesis, coincidenceTable, dashboardSeries, declusterBreakdowns, marketStateAt, movesAfter, SYNTHESIS_DEFAULTS, TESTS, type SynthesisInputs} from "../../../lib/analysis/ch06.ts";
import {coincidenceTest} from "../../../lib/coincidence.ts";
import {deriveSeed} from "../../../lib/random.ts";
import {computeFindings, findingsSource, isFinding, notComputed} from "../../../lib/analysis/findings.ts";
import {crashEvents, type SimTruth} from "../../../lib/analysis/truth.ts";

const config: AnalysisConfig = validateConfig({...DEFAULTS, hours: 6, venues: ["binance", "bybit"], simulation: {...DEFAULTS.simulation, rateScale: 0.25}});
const market = simulateMarket(config, {binWidths: [1000], flow: false});
const truth = market.truth as SimTruth;
const planted = [crashEvents(truth)!.crashStart, crashEvents(truth)!.crashEnd, crashEvents(truth)!.recoveryEnd];

/** Chapters 03–05 as the planted truth would have them: the oracle inputs of the synthesis. */
function plantedInputs(): SynthesisInputs {
  const spacing = truth.wells.spacingUsd;
  return {
    ch03: {widthMs: 100, rolling: {windowSec: 1800, end: [], channels: {"price-flow": {leader: []}}}},
    ch04: {
      referenceVenue: "binance",
      settings: {alpha: 0.05, windowSec: 600, stepSec: 60, returnMaxLag: 10, regimeQuantiles: [0.25, 0.75], regimeVotes: 2, regimeThresholds: "expanding", regimeHistory: 60},
      changes: {entropy: {candidates: [], p: []}, volatility: {candidates: planted, p: [0.001, 0.001, 0.001]}}
    },
    ch05: {venue: "binance", params: {windowSec: 3600, minProminence: 1, minMass: 0.02}, bandwidthUsd: 5, catalogue: {x: truth.wells.levels}, dwells: {spacing, halfWidth: spacing / 4, exitHalfWidth: (3 * spacing) / 4}}
  };
}

const params = {...SYNTHESIS_DEFAULTS, seed: config.seed, surrogates: 499, controlRuns: 40, controlSurrogates: 99};
const result = analyseSynthesis(market, plantedInputs(), params);

test("analyseSynthesis(market, inputs, params) finds an entropy drop and a metastability breakdown at the planted crash start", () => {
  const start = result.planted!.events.find((e) => e.name === "crash start")!;
  assert.equal(start.time, crashEvents(truth)!.crashStart);
  assert.equal(start.nearest.regime, 0);
  assert.ok(start.nearest.entropy !== null && Math.abs(start.nearest.entropy) <= params.toleranceMin, `entropy drop ${start.nearest.entropy} min from the crash start`);
  assert.ok(start.nearest.breakdown !== null && Math.abs(start.nearest.breakdown) <= 5, `breakdown ${start.nearest.breakdown} min from the crash start`);
  assert.equal(start.coincident, true);
});

test("analyseSynthesis(market, inputs, params) finds two of the three planted changes met by an entropy drop, several times what chance gives", () => {
  // Three reference events cannot reach p < 0.05 with two hits when the drops cover a sixth of
  // the span (p ≈ 0.07): the count against its null mean is the claim a span this short supports.
  const pair = result.tests.find((t) => t.id === "regime+entropy")!;
  assert.equal(pair.events, 3);
  assert.ok(pair.count >= 2, `${pair.count} of 3 planted changes met by an entropy drop`);
  assert.ok(pair.count >= 3 * pair.nullMean, `${pair.count} against ${pair.nullMean} by chance`);
  assert.ok(pair.coincident.includes(crashEvents(truth)!.crashStart));
  for (const t of result.tests) assert.ok(t.qValue >= t.pValue && t.qValue <= 1, `${t.id}: q ${t.qValue}, p ${t.pValue}`);
});

test("analyseSynthesis(market, inputs, params) finds the shuffled control not significant", () => {
  assert.equal(result.control.times.length, 3);
  assert.ok(result.control.pValue >= 0.05, `control p = ${result.control.pValue}`);
  assert.ok(result.control.share <= 0.15, `controls rejected: ${result.control.share}`);
});

test("analyseSynthesis(market, inputs, params) is deterministic and plain JSON", () => {
  assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  assert.deepEqual(analyseSynthesis(market, plantedInputs(), params).tests, result.tests);
});

test("analyseSynthesis(market, inputs) throws a RangeError naming the missing bins", () => {
  const inputs = plantedInputs();
  inputs.ch05.venue = "okx";
  assert.throws(() => analyseSynthesis(market, inputs, params), /no 1000 ms bins of okx/);
});

test("coincidenceTable(events, {null: \"circular\"}) uses circular shifts as the main null and leaves the check out when asked", () => {
  const events = {regime: result.events.regime.times, entropy: result.events.entropy.times, breakdown: result.events.breakdown.times};
  const common = {toleranceMs: 600_000, span: market.span, surrogates: 99, seed: 7};
  const both = coincidenceTable(events, common);
  const circular = coincidenceTable(events, {...common, null: "circular", circular: false});
  assert.deepEqual(circular.map((r) => r.pValue), both.map((r) => r.pCircular));
  assert.ok(circular.every((r) => Number.isNaN(r.pCircular)));
});

test("declusterBreakdowns(raw, t0, minGapSec, dwells) keeps the first escape of each burst", () => {
  const raw = {index: Int32Array.of(10, 200, 700, 800, 1400), level: Float64Array.of(1, 2, 3, 4, 5), stay: new Float64Array(5), run: new Float64Array(5), escapes: 7};
  const d = declusterBreakdowns(raw, 1_000_000, 600, {spacing: 10, halfWidth: 2.5, exitHalfWidth: 7.5});
  assert.deepEqual(d.times, [1_000_000 + 10_000, 1_000_000 + 700_000, 1_000_000 + 1_400_000]);
  assert.deepEqual(d.level, [1, 3, 5]);
  assert.equal(d.escapes, 7);
});

test("computeFindings(results, source) lists a finding without its input as not computed, with the reason", () => {
  const manifest = {source: "real" as const, seed: 1, symbol: "BTCUSDT", venues: market.venues, span: market.span, key: "k", perVenue: {binance: {trades: 10}, bybit: {trades: 5}}, quality: {quarantinedShare: null}};
  const ch05 = {toleranceUsd: 5, planted: null, kramers: {fit: {slope: null, low: null, high: null, n: 1}, classes: {cold: {events: 0}, hot: {events: 0}, ratio: null, low: null, high: null, pValue: null}, regimes: null, plantedLaw: null}};
  const ch04 = {settings: {alpha: 0.05, surrogates: 99, toleranceMin: 10, windowSec: 600}, changes: {volatility: {blockSec: 60, t: [], values: [], candidates: [], p: []}}, recovery: [], calmCheck: null, earlyWarning: {targetLabel: "", before: null}};
  const ch03 = {surrogates: 9, periods: [], lagMI: {surrogates: 9, pairs: []}, entropyRate: [], leaders: []};
  const ch02 = {hy: {pairs: []}, signs: {venues: []}, sizes: []};
  const f = computeFindings({manifest, truth: null, ch02, ch03, ch04, ch05, ch06: {...result, planted: null}}, findingsSource(manifest));
  assert.deepEqual(f.findings.map((x) => x.id), ["ch01-trades", "ch06-triple", "ch06-regime-entropy", "ch06-regime-breakdown", "ch06-entropy-breakdown", "ch06-control"]);
  assert.ok(f.findings.every(isFinding));
  assert.deepEqual(f.notComputed.find((x) => x.id === "ch06-planted"), notComputed("ch06-planted", "06", "Planted changes where all three kinds of events coincide", "the data are real: nothing was planted"));
  assert.match(f.notComputed.find((x) => x.id === "ch05-escape-ratio")!.reason, /^not computed because chapter 05 has no rate ratio \(0 escapes in hot windows, 0 in cold ones\)$/);
  assert.equal(f.notComputed.length, 16);
  assert.match(f.notComputed.find((x) => x.id === "ch04-regime")!.reason, /no regime validation/);
  assert.match(f.notComputed.find((x) => x.id === "ch03-links")!.reason, /tested no link/);
  assert.match(f.data.label, /^real exchange archives, BTCUSDT, .* UTC, venues Binance, Bybit$/);
});

test("movesAfter(price, t0, times, {horizonSec}) measures the move after each time against the moves from every minute", () => {
  const price = Float64Array.from({length: 600}, (_, i) => (i < 300 ? 100 : 110));
  const r = movesAfter(price, 0, [250_000], {horizonSec: 60, stepSec: 60});
  assert.deepEqual(r.moves, [{t: 250_000, move: 0.1}]);
  assert.ok(Math.abs(r.meanAbsMove - 0.1) < 1e-12);
  // Moves from seconds 0, 60, …, 480: one of the nine (from 240) crosses the step.
  assert.ok(Math.abs(r.typicalMove - 0.1 / 9) < 1e-12);
  assert.ok(Math.abs(r.shareBeyond - 1 / 9) < 1e-12);
  assert.throws(() => movesAfter(price, 0, [], {horizonSec: 0}), /invalid horizonSec: 0/);
});

test("marketStateAt(market, series, ch06, truth, minute) reads a hotter market and the planted regime and leader during the crash", () => {
  const small = simulateMarket(validateConfig({...config, hours: 4}), {binWidths: [100, 1000]});
  const t = small.truth as SimTruth;
  const ch06 = {...result, dashboard: {...result.dashboard, regime: {...result.dashboard.regime, windowSec: 600, stepSec: 60}, landscape: {...result.dashboard.landscape, windowSec: 1800, bandwidthUsd: 5}, te: {...result.dashboard.te, windowSec: 600}}};
  const series = dashboardSeries(small, ch06.dashboard, ch06.settings);
  const minuteOf = (time: number) => Math.round((time - small.span[0]) / 60_000);
  const crash = marketStateAt(small, series, ch06, t, minuteOf(crashEvents(t)!.crashEnd) - 1);
  const calm = marketStateAt(small, series, ch06, t, minuteOf(crashEvents(t)!.crashStart) - 1);
  assert.equal(crash.state.plantedRegime, "crash");
  assert.equal(calm.state.plantedRegime, "calm");
  assert.equal(calm.state.plantedLeader, t.leadLag.schedule[0].leader);
  assert.ok(crash.state.temperature > 2 * calm.state.temperature, `temperature ${crash.state.temperature} in the crash, ${calm.state.temperature} before`);
  assert.ok(small.venues.includes(calm.state.leader!));
  for (const e of calm.state.entropy) assert.ok(e.h > 0 && e.h <= 1, `${e.venue}: ${e.h}`);
  assert.equal(calm.landscape.shape.length, calm.landscape.x.length);
});

test("coincidenceTable(events, options) conditions each test on the volatility regimes: reference times drawn within the periods between regime transitions", () => {
  const span: [number, number] = [0, 24 * 3_600_000];
  const h = 3_600_000;
  // Every kind crowds into a "crash" between two transitions at 12 h and 15 h.
  const events = {regime: [12 * h, 15 * h], entropy: [12 * h + 60_000, 12.5 * h, 13 * h, 14 * h, 2 * h], breakdown: [12 * h + 120_000, 12.6 * h, 13.5 * h, 20 * h]};
  const options = {toleranceMs: 10 * 60_000, span, surrogates: 199, seed: 3};
  const rows = coincidenceTable(events, options);
  TESTS.forEach((t, i) => {
    const want = coincidenceTest(events[t.reference], t.others.map((o) => events[o]), {tolerance: options.toleranceMs, span, surrogates: 199, seed: deriveSeed(3, `test ${i} conditioned`), strata: [12 * h, 15 * h]});
    assert.equal(rows[i].pConditioned, want.pValue, t.id);
  });
  // The entropy drops coincide with breakdowns against uniform times, but not against times of the same regime.
  const eb = rows.find((r) => r.id === "entropy+breakdown")!;
  assert.ok(eb.pValue <= 0.05, `unconditioned p ${eb.pValue}`);
  assert.ok(eb.pConditioned > eb.pValue, `conditioned p ${eb.pConditioned}`);
});
