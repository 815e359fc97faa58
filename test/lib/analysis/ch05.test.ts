// Chapter 05's analysis on a small simulated market held in memory (3 hours at a tenth of the
// default trade rates, 20-minute landscape windows, no files written): the recovered metastable
// levels against the planted wells and the planted escape rates; and its steps on analytic cases.
import test from "node:test";
import assert from "node:assert/strict";
import {DEFAULTS, validateConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {
  analyseMetastability,
  chapterVenue,
  dwellBands,
  METASTABILITY_DEFAULTS,
  nearestLevel,
  regimeEscapes,
  stayTemperature,
  windowHeat,
  windowSamples,
  type MetastabilityParams
} from "../../../lib/analysis/ch05.js";
import type {SimTruth} from "../../../lib/analysis/truth.js";
import {chapter05Findings, isFinding} from "../../../lib/analysis/findings.js";

const config = validateConfig({...DEFAULTS, hours: 3, source: "simulated", simulation: {...DEFAULTS.simulation, rateScale: 0.1}});
const market = simulateMarket(config, {binWidths: [1000], flow: false});
const params: MetastabilityParams = {...METASTABILITY_DEFAULTS, windowSec: 1200, seed: config.seed, surrogates: 19, bootstrap: 99};
const result = analyseMetastability(market, params);
const truth = market.truth as SimTruth;

test("analyseMetastability(market, params) recovers the planted wells: most catalogue levels lie within the tolerance of one, more than random levels do", () => {
  assert.equal(result.source, "simulated");
  assert.equal(result.venue, "binance");
  const p = result.planted!;
  assert.ok(p, "planted recovery on a simulated market");
  // Recomputed here from the planted wells, independently of levelOverlap.
  const within = result.catalogue.x.filter((x) => truth.wells.levels.some((w) => Math.abs(w - x) <= result.toleranceUsd)).length;
  assert.equal(p.recoveredMatched, within);
  assert.ok(result.catalogue.x.length >= 2, `catalogue ${result.catalogue.x}`);
  assert.ok(within / result.catalogue.x.length > 0.5, `${within} of ${result.catalogue.x.length} catalogue levels near a planted well`);
  assert.ok(p.recoveredShare > p.baselineTime && p.recoveredShare > p.baselineUniform, `share ${p.recoveredShare} against ${p.baselineTime}, ${p.baselineUniform}`);
  assert.ok(p.windowLevelShare > p.baselineTime, `per-window share ${p.windowLevelShare} against ${p.baselineTime}`);
  // The per-window levels themselves: their median distance to the nearest planted well is within the tolerance.
  const d = result.levels.x.map((x) => Math.min(...truth.wells.levels.map((w) => Math.abs(w - x)))).sort((a, b) => a - b);
  assert.ok(d[d.length >> 1] < result.toleranceUsd, `median distance ${d[d.length >> 1]}`);
  assert.ok(p.occupied.length >= 1 && p.occupiedMatched === p.occupied.length, `${p.occupiedMatched} of ${p.occupied.length} occupied wells found`);
});

test("analyseMetastability(market, params) finds the planted escape law: hot windows escape faster, the crash's escape time near the planted one", () => {
  const k = result.kramers;
  assert.ok(k.fit.n >= 3, `Kramers points ${k.fit.n}`);
  assert.ok(k.fit.slope! > 0, `slope of ln τ on ΔF/T: ${k.fit.slope}`);
  const hotRate = k.classes.hot.events / k.classes.hot.exposure;
  const coldRate = k.classes.cold.events / k.classes.cold.exposure;
  assert.ok(hotRate > 3 * coldRate, `hot ${hotRate}/s against cold ${coldRate}/s`);
  assert.ok(k.classes.pValue! < 0.01, `p = ${k.classes.pValue}`);
  const crash = k.regimes!.find((r) => r.name === "crash")!;
  assert.ok(crash.events > 0);
  assert.ok(crash.meanTime! > crash.plantedMeanTime / 3 && crash.meanTime! < crash.plantedMeanTime * 3, `crash τ ${crash.meanTime} s against planted ${crash.plantedMeanTime} s`);
  assert.ok(Math.abs(k.plantedLaw!.intercept - Math.log(Math.PI / truth.wells.kappaPerSec)) < 1e-4);
});

test("analyseMetastability(market, params) is deterministic and carries its parameters in the JSON's order", () => {
  const again = analyseMetastability(market, params);
  assert.equal(JSON.stringify(again), JSON.stringify(result));
  assert.deepEqual(Object.keys(result.params), [...Object.keys(METASTABILITY_DEFAULTS).filter((k) => k !== "seed" && k !== "surrogates")]);
  assert.equal(result.seed, config.seed);
  assert.equal(result.surrogates, 19);
  assert.ok(!("timing" in result));
  // The dwell bands come from the catalogue's gaps; every pooled stay is at a catalogue level.
  assert.ok(Math.abs(result.dwells.exitHalfWidth - 3 * result.dwells.halfWidth) < 1e-3);
  assert.equal(result.dwells.cold.n + result.dwells.hot.n, result.dwells.perLevel.reduce((s, f) => s + f.n, 0));
});

test("analyseMetastability(market) throws a RangeError naming what the market lacks", () => {
  assert.throws(() => analyseMetastability({...market, bins: {}}, params), /invalid market: no 1000 ms bins of binance/);
});

test("analyseMetastability(market) on a span shorter than four windows shrinks the window to a quarter of the span and says so", () => {
  const spanSec = (market.span[1] - market.span[0]) / 1000;
  const r = analyseMetastability(market, {...params, windowSec: spanSec});
  const w = Math.floor(spanSec / 4 / 10) * 10;
  assert.equal(r.params.windowSec, w);
  assert.equal(r.adapted.length, 1);
  assert.match(r.adapted[0], new RegExp(`shorter than 4 landscape windows of .*; the window is ${w} s\\.`));
  assert.ok(r.windowChoices.every((x) => x === w || x * 4 <= spanSec), `choices ${r.windowChoices}`);
  assert.deepEqual(analyseMetastability(market, params).adapted, []);
});

test("dwellBands(levels, bandwidth) takes the median gap, else 8 × the median positive bandwidth", () => {
  assert.deepEqual(dwellBands([100, 110, 130, 170], [5]), {spacing: 20, halfWidth: 5, exitHalfWidth: 15});
  // One level: no gap. The median of the positive bandwidths (4, 6, 10 → 6), not the first one (4).
  assert.deepEqual(dwellBands([100], [NaN, 0, 4, 10, 6]), {spacing: 48, halfWidth: 12, exitHalfWidth: 36});
  assert.ok(Number.isNaN(dwellBands([], [0, NaN]).spacing));
});

test("windowHeat(temperature, hotFactor) marks windows at least hotFactor × the median temperature", () => {
  const h = windowHeat([1, 2, NaN, 3, 4.5], 1.5);
  assert.equal(h.medianTemperature, 2.5);
  assert.deepEqual(Array.from(h.hot), [0, 0, 0, 0, 1]);
  assert.throws(() => windowHeat([1], 0), /invalid hotFactor: 0/);
});

test("windowSamples(windowSec, params) converts seconds to samples and a stride of one window / strideDivisor", () => {
  assert.deepEqual(windowSamples(3600, {binSec: 1, strideDivisor: 6}), {window: 3600, stride: 600});
  assert.deepEqual(windowSamples(3600, {binSec: 2, strideDivisor: 6}), {window: 1800, stride: 300});
  assert.throws(() => windowSamples(1, {binSec: 1, strideDivisor: 6}), /invalid windowSec: 1/);
});

test("stayTemperature(r, start, length, interval) is √(Σr²/(count·interval)) over the returns after the first sample", () => {
  const r = Float64Array.from([NaN, 0.01, -0.02, NaN, 0.02]);
  assert.ok(Math.abs(stayTemperature(r, 0, 5, 1) - Math.sqrt((1e-4 + 4e-4 + 4e-4) / 3)) < 1e-15);
  assert.ok(Math.abs(stayTemperature(r, 0, 5, 4) - Math.sqrt((1e-4 + 4e-4 + 4e-4) / 12)) < 1e-15);
  assert.ok(Number.isNaN(stayTemperature(r, 2, 2, 1)));
});

test("regimeEscapes(points, regimes, truth) pools escapes by planted regime with τ̂ = exposure / escapes", () => {
  const E = {window: Int32Array.from([0, 1, 2]), events: Int32Array.from([2, 0, 4]), exposure: Float64Array.from([100, 50, 40])};
  const rows = regimeEscapes(E, ["calm", "calm", "crash"], truth);
  const calm = rows.find((r) => r.name === "calm")!;
  assert.equal(calm.events, 2);
  assert.equal(calm.exposure, 150);
  assert.equal(calm.meanTime, 75);
  assert.ok(calm.low < 75 && calm.high > 75);
  assert.deepEqual(regimeEscapes(E, [null, null, null], null), []);
});

test("chapterVenue(venues) and nearestLevel(x, levels)", () => {
  assert.equal(chapterVenue(["okx", "binance"]), "binance");
  assert.equal(chapterVenue(["okx", "bybit"]), "okx");
  assert.throws(() => chapterVenue([]), /invalid venues/);
  assert.equal(nearestLevel(104, [100, 110]), 100);
  assert.ok(Number.isNaN(nearestLevel(1, [])));
});

test("chapter05Findings(ch05) picks each sentence by its test, on a market with wells and one without (other seeds)", () => {
  for (const [seed, wellBarrier] of [[7, 3], [8, 0]]) {
    const cfg = validateConfig({...DEFAULTS, seed, hours: 3, source: "simulated", simulation: {...DEFAULTS.simulation, rateScale: 0.1, wellBarrier}});
    const m = simulateMarket(cfg, {binWidths: [1000], flow: false});
    const t = m.truth as SimTruth;
    assert.equal(t.wells.barrierOverNoiseCalm, wellBarrier);
    const r = analyseMetastability(m, {...params, seed, nullPaths: 19});
    assert.equal(r.kramers.null.paths, 19);
    assert.equal(r.planted!.wellBarrier, wellBarrier);
    if (wellBarrier === 0) assert.equal(r.kramers.plantedLaw, null);
    // Every point's escapes were counted after its window, never inside it.
    for (const q of r.kramers.points) assert.ok(q.escapeWindow > q.window, `point of window ${q.window} counted in ${q.escapeWindow}`);
    const out = chapter05Findings(r);
    assert.equal(out.length, 3);
    for (const o of out) {
      if (!isFinding(o)) continue;
      assert.ok(!/NaN|undefined/.test(o.text), o.text);
      const significant = o.pValue !== null && o.pValue < 0.05;
      if (o.id === "ch05-levels") {
        assert.equal(o.pValue, r.planted!.pTime);
        assert.equal(o.text.startsWith("Not significant"), !significant, o.text);
        assert.equal(/planted no wells/.test(o.text), wellBarrier === 0, o.text);
      } else {
        // The escape claims: tested against the pure-diffusion paths, not against equal rates.
        assert.equal(o.pValue, o.id === "ch05-escape-ratio" ? r.kramers.null.ratioP : r.kramers.null.slopeP);
        assert.equal(o.text.startsWith("Not significant against pure diffusion"), !significant, o.text);
        assert.ok(!/as Kramers' law says/.test(o.text), o.text);
      }
      if (o.id === "ch05-kramers-slope" && o.planted !== null && o.interval)
        assert.equal(/covers the planted slope/.test(o.text), o.interval[0] <= o.planted && o.planted <= o.interval[1], o.text);
    }
    // A fade is advised only with a Holm-adjusted p below 0.05 and a positive edge after costs.
    for (const row of r.supportResistance.reversion) assert.equal(row.fade, row.pHolm! < 0.05 && row.edgeBp! > 0);
  }
});
