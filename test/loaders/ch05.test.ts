// Chapter 05 on a small simulated market (3 hours, a tenth of the default trade rates, 20-minute
// landscape windows): the recovered metastable levels against the planted wells, and the sign of
// Kramers' law against the planted escape rates.
import test from "node:test";
import assert from "node:assert/strict";
import {computeChapter05, metastabilityOnWorkers, paramsFrom, type Chapter05} from "../../loaders/chapters/ch05.ts";
import {readMarket} from "../../loaders/market.ts";
import {DEFAULTS} from "../../loaders/config.ts";
import {ensureDerived, readBins, readTruth} from "../../loaders/derived.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {median, pairs} from "d3";
import {levelCatalogue, rollingLandscape} from "../../lib/landscape.js";
import {dwellAnalysis, landscapeOptions, METASTABILITY_DEFAULTS, occupancy} from "../../lib/analysis/ch05.js";
import {shapeLevels, unpackLandscape, windowRows} from "../../lib/analysis/ch05-packed.js";
import {chapterConfig} from "./support/chapter-config.ts";

const config = chapterConfig("ch05", {hours: 3, rateScale: 0.1, windowsSec: {...DEFAULTS.windowsSec, landscape: 1200}});
const built = ensureDerived(config, {log: () => {}});
const chapter: Promise<{dir: string; c: Chapter05; truth: SimTruth}> = built.then(async (dir) => ({dir, c: await computeChapter05(dir, config), truth: readTruth(dir) as SimTruth}));

test("computeChapter05(dir, config) recovers the planted wells: most levels lie within the tolerance of one, more than random levels do", async () => {
  const {c, truth} = await chapter;
  assert.equal(c.source, "simulated");
  assert.equal(c.venue, "binance");
  assert.ok(c.planted);
  const p = c.planted!;
  // The tolerance is 5 bp of the price, a fifth of the planted spacing.
  assert.ok(Math.abs(c.toleranceUsd - 5e-4 * c.medianPrice) < 1e-3);
  assert.ok(c.toleranceUsd < truth.wells.spacingUsd / 4);
  // Recomputed here from the catalogue and the planted levels, independently of levelOverlap.
  const within = c.catalogue.x.filter((x) => truth.wells.levels.some((w) => Math.abs(w - x) <= c.toleranceUsd)).length;
  assert.equal(p.recoveredMatched, within);
  assert.ok(c.catalogue.x.length >= 2, `catalogue ${c.catalogue.x}`);
  assert.ok(within / c.catalogue.x.length > 0.5, `${within} of ${c.catalogue.x.length} catalogue levels near a planted well`);
  // Random levels: drawn where the price traded, or uniformly over the range.
  assert.ok(Math.abs(p.baselineUniform - (2 * c.toleranceUsd) / truth.wells.spacingUsd) < 1e-6);
  assert.ok(p.recoveredShare > p.baselineTime && p.recoveredShare > p.baselineUniform);
  assert.ok(p.windowLevelShare > p.baselineTime, `per-window share ${p.windowLevelShare} against ${p.baselineTime}`);
  // Every well the price occupied for a window length is found.
  assert.ok(p.occupied.length >= 1);
  assert.equal(p.occupiedMatched, p.occupied.length);
  // The per-window levels themselves: their distance to the nearest planted well is mostly small.
  const d = c.levels.x.map((x) => Math.min(...truth.wells.levels.map((w) => Math.abs(w - x))));
  const median = d.sort((a, b) => a - b)[d.length >> 1];
  assert.ok(median < c.toleranceUsd, `median distance ${median}`);
});

test("computeChapter05(dir, config) finds Kramers' law with the planted sign: higher barriers hold longer, hotter windows escape faster", async () => {
  const {c, truth} = await chapter;
  const k = c.kramers;
  assert.ok(k.fit.n >= 3, `Kramers points ${k.fit.n}`);
  assert.ok(k.fit.slope! > 0, `slope of ln τ on ΔF/T: ${k.fit.slope}`);
  assert.ok(k.temperatureEffect.slope! < 0, `slope of ln τ on T: ${k.temperatureEffect.slope}`);
  // Escapes are many times more frequent in hot windows, as planted (crash and recovery against calm).
  const calm = truth.regimes.find((r) => r.name === "calm")!;
  const crash = truth.regimes.find((r) => r.name === "crash")!;
  assert.ok(crash.escapeRatePerSec > 5 * calm.escapeRatePerSec);
  assert.ok(k.classes.hot.events > 0 && k.classes.hot.exposure > 0);
  const hotRate = k.classes.hot.events / k.classes.hot.exposure;
  const coldRate = k.classes.cold.events / k.classes.cold.exposure;
  assert.ok(hotRate > 3 * coldRate, `hot ${hotRate}/s against cold ${coldRate}/s`);
  assert.ok(k.classes.pValue! < 0.01, `p = ${k.classes.pValue}`);
  // The crash's recovered mean escape time is within a factor of three of the planted one.
  const rc = k.regimes!.find((r) => r.name === "crash")!;
  assert.ok(rc.events > 0);
  assert.ok(rc.meanTime! > rc.plantedMeanTime / 3 && rc.meanTime! < rc.plantedMeanTime * 3, `crash τ ${rc.meanTime} s against planted ${rc.plantedMeanTime} s`);
  assert.equal(k.plantedLaw!.slope, 1);
  assert.ok(Math.abs(k.plantedLaw!.intercept - Math.log(Math.PI / truth.wells.kappaPerSec)) < 1e-4);
});

test("computeChapter05(dir, config) gives consistent windows, escape points and support/resistance tests", async () => {
  const {dir, c} = await chapter;
  const bins = await readBins(dir, "binance", 1000);
  const window = 1200;
  const stride = window / METASTABILITY_DEFAULTS.strideDivisor;
  assert.equal(c.strideSec, stride);
  assert.equal(c.windows.end.length, Math.floor((bins.length - window) / stride) + 1);
  assert.equal(c.windows.end[0], c.span[0] + window * 1000);
  // Hot windows are those at least 1.5 times the median temperature; the crash windows are among them.
  c.windows.temperature.forEach((T, j) => assert.equal(c.windows.hot[j], T! >= 1.5 * c.windows.medianTemperature ? 1 : 0));
  assert.ok(c.windows.regime.some((r, j) => r === "crash" && c.windows.hot[j] === 1));
  // Escape points: non-overlapping windows, exposure within the window, τ = exposure / events.
  const ws = [...new Set(c.kramers.points.map((p) => p.window))];
  for (let i = 1; i < ws.length; ++i) assert.ok((ws[i] - ws[i - 1]) * stride >= window);
  for (const p of c.kramers.points) {
    assert.ok(p.exposure <= window + 1e-9 && p.events >= 0);
    if (p.events > 0) assert.ok(Math.abs(p.meanTime! - p.exposure / p.events) < 1e-3 * p.meanTime!);
    else assert.equal(p.meanTime, null);
  }
  // Dwell fits: p-values in (0, 1], durations sorted, the pooled counts add up.
  for (const f of [c.dwells.cold, c.dwells.hot, ...c.dwells.perLevel]) if (f.pValue !== null) assert.ok(f.pValue > 0 && f.pValue <= 1);
  assert.equal(c.dwells.cold.n + c.dwells.hot.n, c.dwells.perLevel.reduce((s, f) => s + f.n, 0));
  assert.ok(Math.abs(c.dwells.halfWidth * 3 - c.dwells.exitHalfWidth) < 1e-3);
  // Support/resistance: four sets, rates in [0, 1], surrogate p-values on the (1 + k)/(S + 1) grid.
  assert.deepEqual(c.supportResistance.reversion.map((r) => r.set), ["metastable", "saddles", "profile", "swings"]);
  for (const r of c.supportResistance.reversion) {
    if (r.touches === 0) continue;
    assert.ok(Math.abs(r.rate! - r.reversals / r.touches) < 1e-6);
    const k = r.pValue! * (config.surrogates + 1);
    assert.ok(Math.abs(k - Math.round(k)) < 1e-3 && k >= 1, `p = ${r.pValue}`);
  }
  // The volume profile peaks sit on the density's minima of F far more often than swing pivots do.
  assert.ok(c.supportResistance.overlap.metastableInProfile! > c.supportResistance.overlap.metastableInSwings!);
  // JSON-serialisable and small.
  const text = JSON.stringify(c);
  assert.deepEqual(JSON.parse(text).params, c.params);
  assert.ok(text.length < 1_000_000);
});

test("computeChapter05(dir, config) ships the page's landscape of each choice, equal to the page's own computation", async () => {
  const {dir, c} = await chapter;
  const price = Float64Array.from((await readBins(dir, "binance", 1000)).last);
  const P = c.params;
  assert.deepEqual(c.windowChoices, [900, 1200, 1800, 3600, 7200]);
  assert.equal(c.choices.length, c.windowChoices.length + c.bandwidthChoices.length - 1);
  for (const [windowSec, choice] of [[900, c.bandwidthChoices[0]], [P.windowSec, c.bandwidthChoices[4]]] as const) {
    const packed = c.choices.find((x) => x.windowSec === windowSec && x.bandwidth === choice.label)!;
    assert.ok(packed, `${windowSec} s, ${choice.label}`);
    const U = unpackLandscape(JSON.parse(JSON.stringify(packed)), price.length, P);
    // The page's own computation of this choice.
    const L = rollingLandscape(price, landscapeOptions(windowSec, choice, P));
    assert.deepEqual(Array.from(U.end), Array.from(L.end));
    assert.deepEqual(Array.from(U.x), Array.from(L.x), "the grid");
    for (const k of ["bandwidth", "temperature", "offsets"] as const) assert.deepEqual(Array.from(U[k]), Array.from(L[k]), k);
    for (const k of ["window", "x", "barrier", "mass", "leftSaddleX", "rightSaddleX"] as const) assert.deepEqual(Array.from(U.levels[k]), Array.from(L.levels[k]), `levels.${k}`);
    const occ = occupancy(price, L, c.toleranceUsd);
    assert.deepEqual(Array.from(U.occupancy.near), Array.from(occ.near));
    assert.deepEqual(Array.from(U.occupancy.range), Array.from(occ.range));
    // The dwell analysis, with medians (d3.median) of the temperatures and of the gaps between catalogue levels computed here.
    const catalogue = levelCatalogue(L.levels.x, {tolerance: c.toleranceUsd, minCount: P.catalogueMinWindows, window: L.levels.window});
    const gaps = pairs(Array.from(catalogue.x)).map(([a, b]) => b - a);
    const spacing = gaps.length ? median(gaps)! : 8 * median(Array.from(L.bandwidth).filter((h) => h > 0))!;
    const medianT = median(Array.from(L.temperature).filter(Number.isFinite))!;
    const dwell = dwellAnalysis(price, catalogue.x, {halfWidth: spacing / 4, exitHalfWidth: (3 * spacing) / 4, interval: P.binSec, hotThreshold: P.hotFactor * medianT, bootstrap: P.bootstrap, seed: c.seed});
    assert.deepEqual(U.dwell, dwell);
    assert.equal(dwell.levels.length, catalogue.x.length);
    assert.ok(dwell.coldStays.length + dwell.hotStays.length > 0, "stays at the levels");
    // One window's rows, recomputed from its prices, and the heatmaps' colour steps from the quantised shape.
    for (const j of [0, Math.floor(L.end.length / 2), L.end.length - 1]) assert.deepEqual(windowRows(U, price, j), windowRows(L, price, j), `window ${j}`);
    const grid = Int32Array.from({length: L.size}, (_, g) => g);
    const a = shapeLevels(U, grid, 6);
    const b = shapeLevels(L, grid, 6);
    let off = 0;
    for (let i = 0; i < a.length; ++i) {
      assert.equal(a[i] === 255, b[i] === 255, `pixel ${i}: drawn in one and not the other`);
      if (Math.abs(a[i] - b[i]) > 1) ++off;
    }
    assert.equal(off, 0, "colour steps within one of the exact shape's");
  }
});

test("metastabilityOnWorkers: the swing levels' reversion, the other sets', the page choices and the rest of the chapter on two worker threads give the one-thread chapter, byte for byte", {timeout: 600_000}, async () => {
  const {dir, c} = await chapter;
  const market = await readMarket(dir, {venues: [c.venue], binWidths: [1000]});
  const params = paramsFrom(config);
  const one = await metastabilityOnWorkers(market, params, {workers: 1});
  const two = await metastabilityOnWorkers(market, params, {workers: 2});
  assert.equal(JSON.stringify(two), JSON.stringify(one));
  assert.equal(JSON.stringify(one), JSON.stringify(c));
  assert.ok(one.supportResistance, "the chapter has its support and resistance");
  assert.deepEqual(one.supportResistance.reversion.map((r) => r.set), ["metastable", "saddles", "profile", "swings"]);
  assert.ok(one.choices.length > 0, "the page's choices are there");
});
