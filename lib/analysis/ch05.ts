/**
 * Chapter 05, metastability of the price: its free-energy landscape over rolling windows, the
 * metastable levels and their barriers, dwell times at the levels, Kramers' escape law, and
 * traditional support and resistance tested out of sample against random levels.
 *
 * Input: the bins of one venue (Binance when present: the deepest book and, in calm hours, the
 * first to see the latent price) at `binSec`, their `last` price (carried forward over empty
 * bins), `vwap`, `high`, `low` and traded volume. The entry point {@link analyseMetastability}
 * composes the named steps below; the build (loaders/chapters/ch05.ts) calls it on the derived
 * files, the page (src/05-metastability.md) calls the same steps for any other choice of window
 * and bandwidth, and the tests call it on a simulated market held in memory.
 *
 * References: H. A. Kramers, Physica 7 (1940) 284; P. Hänggi, P. Talkner and M. Borkovec, Rev.
 * Mod. Phys. 62 (1990) 251; B. W. Silverman, Density Estimation (1986); C. L. Osler, FRBNY
 * Economic Policy Review 6(2) (2000) 53; H. W. Lilliefors, JASA 64 (1969) 387.
 */
import {binomialTest} from "../binomial-test.js";
import {dwellTimesAt} from "../dwell-times.js";
import {holmAdjust} from "../fdr.js";
import {trackLevels, type LevelTracks} from "../free-energy.js";
import {exponentialFit, type ExponentialFit} from "../goodness-of-fit.js";
import {kramersCensoredFit, temperatureEffect, type KramersCensoredFit, type TemperatureEffect} from "../kramers.js";
import {escapePoints, levelCatalogue, nearShare, rollingLandscape, type EscapePoints, type LandscapeOptions, type LevelCatalogue, type RollingLandscape} from "../landscape.js";
import {walkForwardReversion} from "../level-reversion.js";
import {median} from "../moments.js";
import {deriveSeed, mulberry32} from "../random.js";
import {spanWords} from "./format.js";
import {signFlipPath} from "../surrogates.js";
import {rateRatio, type RateRatio} from "../rate-ratio.js";
import {logReturns} from "../returns.js";
import {levelOverlap, swingPivots, volumeProfilePeaks} from "../support-resistance.js";
import {packLandscape, type PackedLandscape} from "./ch05-packed.js";
import {marketBins, type Market} from "./market.js";
import {round, roundNumber} from "./round.js";
import type {SimTruth} from "./truth.js";
import type {Venue} from "./venues.js";

/** The analysis parameters as the chapter's JSON carries them, so that the page recomputes exactly what the build computed. */
export interface Chapter05Params {
  /** Bin width, s (the sample interval of the price series). */
  binSec: number;
  /** Windows per window length: the stride is windowSec / strideDivisor. */
  strideDivisor: number;
  /** The bandwidth rule and whether one common (median) bandwidth serves every window. */
  bandwidthRule: "silverman";
  commonBandwidth: boolean;
  /** Smallest prominence of a level, nats of −ln P. */
  minProminence: number;
  /** Smallest share of a window's density in a level's basin. */
  minMass: number;
  /** Matching tolerance between level sets (planted, catalogue, support/resistance), basis points of the median price. */
  toleranceBp: number;
  /** A level enters the catalogue when found in at least this many windows (= strideDivisor: one window length). */
  catalogueMinWindows: number;
  /** A window is hot when its temperature is at least this multiple of the median window temperature. */
  hotFactor: number;
  /** Parametric-bootstrap samples of the exponential goodness-of-fit tests. */
  bootstrap: number;
  /** Support/resistance: touch band and reversal in bp of the median price, horizon in s. */
  touchBp: number;
  reversalBp: number;
  horizonSec: number;
  /** Volume-profile bucket, bp of the median price, and the smallest peak prominence as a share of the window's largest bucket. */
  profileBucketBp: number;
  profileMinProminence: number;
  /** Swing pivots on bars of swingBarSec: a pivot is the extreme of the 2·swingWindow + 1 bars around it. */
  swingBarSec: number;
  swingWindow: number;
  /** Round-trip trading cost of a fade, bp of the price (two passive fills): the edge a level set must beat. With the edge defined as (rate − baseline) × reversalBp − fadeCostBp it is at most reversalBp − fadeCostBp. */
  fadeCostBp: number;
  /** Pure-diffusion paths (sign-flipped increments, same volatility path) for the Kramers and escape-rate nulls. */
  nullPaths: number;
  /** Rolling-window length, s (the configuration's windowsSec.landscape). */
  windowSec: number;
}

/** Everything {@link analyseMetastability} depends on besides the market. */
export interface MetastabilityParams extends Chapter05Params {
  /** Seed of every bootstrap and surrogate draw (each test derives its own with `deriveSeed`). */
  seed: number;
  /** Random level sets per out-of-sample reversion test. */
  surrogates: number;
}

/** The defaults: the build's parameters with the default configuration's window, seed and surrogate count. */
export const METASTABILITY_DEFAULTS: Readonly<MetastabilityParams> = Object.freeze({
  binSec: 1,
  strideDivisor: 6,
  bandwidthRule: "silverman",
  commonBandwidth: true,
  minProminence: 1,
  minMass: 0.05,
  toleranceBp: 5,
  catalogueMinWindows: 6,
  hotFactor: 1.5,
  bootstrap: 999,
  touchBp: 1,
  reversalBp: 5,
  horizonSec: 300,
  profileBucketBp: 2,
  profileMinProminence: 0.25,
  swingBarSec: 60,
  swingWindow: 5,
  fadeCostBp: 4,
  nullPaths: 39,
  windowSec: 3600,
  seed: 20240805,
  surrogates: 999
});

/** The fields of {@link Chapter05Params} in the JSON's order (the seed and surrogate count are written beside them). */
export function chapterParams(p: Chapter05Params): Chapter05Params {
  return {
    binSec: p.binSec,
    strideDivisor: p.strideDivisor,
    bandwidthRule: p.bandwidthRule,
    commonBandwidth: p.commonBandwidth,
    minProminence: p.minProminence,
    minMass: p.minMass,
    toleranceBp: p.toleranceBp,
    catalogueMinWindows: p.catalogueMinWindows,
    hotFactor: p.hotFactor,
    bootstrap: p.bootstrap,
    touchBp: p.touchBp,
    reversalBp: p.reversalBp,
    horizonSec: p.horizonSec,
    profileBucketBp: p.profileBucketBp,
    profileMinProminence: p.profileMinProminence,
    swingBarSec: p.swingBarSec,
    swingWindow: p.swingWindow,
    fadeCostBp: p.fadeCostBp,
    nullPaths: p.nullPaths,
    windowSec: p.windowSec
  };
}

/** An exponential fit of stay durations, in JSON. */
export interface DwellFit {
  n: number;
  /** Mean stay, s. */
  mean: number | null;
  /** Kolmogorov–Smirnov distance to the exponential with the fitted rate. */
  statistic: number | null;
  /** Lilliefors-type parametric-bootstrap p-value. */
  pValue: number | null;
}

/** Recovered mean escape time of one planted regime beside the planted one (see {@link regimeEscapes}); NaN without an escape. */
export interface RegimeEscape {
  name: string;
  /** Planted barrier over noise ΔV/D. */
  barrierOverNoise: number;
  /** Planted mean escape time, s. */
  plantedMeanTime: number;
  events: number;
  /** Time at the levels, s. */
  exposure: number;
  /** Recovered mean escape time and its 95 % interval, s. */
  meanTime: number;
  low: number;
  high: number;
}

/** The chapter's result: `data/ch05.json`. */
export interface Chapter05 {
  source: "simulated" | "real";
  venue: Venue;
  span: [number, number];
  seed: number;
  surrogates: number;
  params: Chapter05Params;
  /** Median price over the span, and the derived tolerances in USD. */
  medianPrice: number;
  toleranceUsd: number;
  /** The common bandwidth, USD (Silverman's rule, median over windows). */
  bandwidthUsd: number;
  strideSec: number;
  windows: {
    /** End of each window (exclusive), epoch ms. */
    end: number[];
    /** Realised volatility of each window, per √s. */
    temperature: (number | null)[];
    /** 1 for a hot window (T ≥ hotFactor × median T). */
    hot: number[];
    /** The planted regime at the window's midpoint (simulated data), else null. */
    regime: (string | null)[];
    medianTemperature: number;
  };
  levels: {window: number[]; x: number[]; prominence: number[]; barrier: (number | null)[]; mass: number[]; track: number[]};
  /** Tracks of levels through consecutive windows (at least two windows long). */
  tracks: {id: number; windows: number[]; x: number[]}[];
  catalogue: {x: number[]; count: number[]; first: number[]; last: number[]; nearestPlanted: (number | null)[]};
  /** Recovered levels against the planted wells (simulated data), else null; `wellBarrier` the planted calm ΔV/D (0: no wells, the grid only). */
  planted: null | (PlantedRecovery & {wellBarrier: number});
  dwells: {
    /** Median gap between neighbouring catalogue levels, USD; the core is ± spacing/4, the exit ± 3·spacing/4. */
    spacing: number;
    halfWidth: number;
    exitHalfWidth: number;
    perLevel: (DwellFit & {x: number})[];
    cold: DwellFit & {durations: number[]};
    hot: DwellFit & {durations: number[]};
  };
  kramers: {
    points: {window: number; escapeWindow: number; x: number; barrier: number | null; temperature: number; exposure: number; events: number; meanTime: number | null}[];
    /** Censored maximum likelihood over every point with exposure: n points, `censored` of them without an escape. */
    fit: {slope: number | null; low: number | null; high: number | null; intercept: number | null; n: number; censored: number; events: number};
    /** The slope and the hot/cold ratio against pure-diffusion paths with the same volatility path ({@link diffusionNull}). */
    null: {paths: number; slopePaths: number; ratioPaths: number; slopeMedian: number | null; slopeP: number | null; ratioMedian: number | null; ratioP: number | null};
    temperatureEffect: {slope: number | null; low: number | null; high: number | null; correlation: number | null; answer: string; n: number};
    classes: {
      cold: {events: number; exposure: number; meanTime: number | null};
      hot: {events: number; exposure: number; meanTime: number | null};
      /** Escape-rate ratio hot / cold with 95 % interval and exact p-value. */
      ratio: number | null;
      low: number | null;
      high: number | null;
      pValue: number | null;
    };
    /** Recovered mean escape time per planted regime beside the planted one (simulated data). */
    regimes: null | (Omit<RegimeEscape, "meanTime" | "low" | "high"> & {meanTime: number | null; low: number | null; high: number | null})[];
    /** The planted law ln τ = ln(π/κ) + ΔV/D (simulated data). */
    plantedLaw: null | {slope: number; intercept: number};
  };
  supportResistance: SupportResistance;
  /**
   * What was adapted to a short span, in sentences for the page (empty when nothing was): e.g.
   * "The span of 6.8 min is shorter than 4 landscape windows of 60 min; the window is 100 s."
   */
  adapted: string[];
  /** The window choices and bandwidth choices of the page. */
  windowChoices: number[];
  bandwidthChoices: BandwidthChoice[];
  /** The page's landscape per choice: every window at the first bandwidth, every bandwidth at the default window. */
  choices: PackedLandscape[];
}

// ---------------------------------------------------------------------------------------------
// The venue, the windows and the page's choices.

/** The venue whose price the chapter studies: Binance when present, else the first venue. */
export function chapterVenue(venues: readonly Venue[]): Venue {
  if (venues.length === 0) throw new RangeError("invalid venues: none");
  return venues.includes("binance") ? "binance" : venues[0];
}

/** Width of the analysed bins, ms (binSec × 1000). */
export function binMs(p: Pick<Chapter05Params, "binSec">): number {
  return Math.round(p.binSec * 1000);
}

/** One choice of the page's bandwidth select. */
export interface BandwidthChoice {
  label: string;
  value: "silverman" | "scott" | number;
  common: boolean;
}

/** The page's bandwidth choices; the first is the default (the build's). */
export const BANDWIDTH_CHOICES: BandwidthChoice[] = [
  {label: "Silverman's rule, median over windows", value: "silverman", common: true},
  {label: "Silverman's rule, each window its own", value: "silverman", common: false},
  {label: "Scott's rule, median over windows", value: "scott", common: true},
  {label: "5 USD", value: 5, common: true},
  {label: "10 USD", value: 10, common: true},
  {label: "20 USD", value: 20, common: true},
  {label: "40 USD", value: 40, common: true}
];

/** The page's window choices, s: 15, 30, 60 and 120 minutes and the build's default. */
export function windowChoices(defaultSec: number, spanSec = Infinity): number[] {
  return [...new Set([900, 1800, 3600, 7200, defaultSec])].filter((w) => w === defaultSec || w * MIN_WINDOWS_PER_SPAN <= spanSec).sort((a, b) => a - b);
}

/** Fewest landscape windows a span must hold: a shorter span gets a shorter window ({@link adaptWindowSec}). */
export const MIN_WINDOWS_PER_SPAN = 4;

export {spanWords};

/**
 * The landscape window for a span of `spanSec` seconds: `windowSec` when the span holds
 * {@link MIN_WINDOWS_PER_SPAN} of them, else span / MIN_WINDOWS_PER_SPAN rounded down to whole
 * 10 s (at least 10 binSec), with the sentence that says so; null window when the span is too
 * short for even that.
 */
export function adaptWindowSec(spanSec: number, windowSec: number, binSec: number): {windowSec: number | null; note: string | null} {
  if (windowSec * MIN_WINDOWS_PER_SPAN <= spanSec) return {windowSec, note: null};
  const w = Math.floor(spanSec / MIN_WINDOWS_PER_SPAN / 10) * 10;
  const words = spanWords(spanSec * 1000);
  const was = windowSec >= 60 ? `${windowSec / 60} min` : `${windowSec} s`;
  if (w < 10 * binSec) return {windowSec: null, note: `The span of ${words} is too short for ${MIN_WINDOWS_PER_SPAN} landscape windows of at least ${10 * binSec} s; the landscape analysis is skipped.`};
  return {windowSec: w, note: `The span of ${words} is shorter than ${MIN_WINDOWS_PER_SPAN} landscape windows of ${was}; the window is ${w} s.`};
}

/** The parameters a landscape and its dwell analysis depend on. */
export type LandscapeParams = Pick<Chapter05Params, "binSec" | "strideDivisor" | "minProminence" | "minMass" | "catalogueMinWindows" | "hotFactor" | "bootstrap">;

/**
 * The window of `windowSec` and its stride in samples: window = round(windowSec / binSec),
 * stride = max(1, round(window / strideDivisor)). RangeError for a window under two samples.
 */
export function windowSamples(windowSec: number, p: Pick<Chapter05Params, "binSec" | "strideDivisor">): {window: number; stride: number} {
  const window = Math.round(windowSec / p.binSec);
  if (!(window >= 2)) throw new RangeError(`invalid windowSec: ${windowSec} (${window} samples of ${p.binSec} s)`);
  return {window, stride: Math.max(1, Math.round(window / p.strideDivisor))};
}

/** The options of `rollingLandscape` (lib/landscape.ts) for a window length, s, and a bandwidth choice. */
export function landscapeOptions(windowSec: number, choice: Pick<BandwidthChoice, "value" | "common">, p: LandscapeParams): LandscapeOptions {
  const {window, stride} = windowSamples(windowSec, p);
  return {window, step: stride, bandwidth: choice.value, common: choice.common, minProminence: p.minProminence, minMass: p.minMass, interval: p.binSec};
}

/**
 * The free-energy landscapes of `price` over rolling windows of `windowSec` with the bandwidth
 * `choice`: a Gaussian kernel density P per window on one grid, F = −T ln P, the metastable
 * levels (minima of at least `minProminence` nats holding at least `minMass` of the window's
 * time) and their barriers ΔF/T (lib/landscape.ts `rollingLandscape`).
 */
export function landscapeOf(price: ArrayLike<number>, windowSec: number, choice: Pick<BandwidthChoice, "value" | "common">, p: LandscapeParams): RollingLandscape {
  return rollingLandscape(price, landscapeOptions(windowSec, choice, p));
}

/** What the steps below read of a landscape: a full `RollingLandscape` or one read back from the chapter's JSON. */
export type LandscapeLike = Pick<RollingLandscape, "window" | "stride" | "end" | "bandwidth" | "temperature" | "offsets"> & {
  levels: Pick<RollingLandscape["levels"], "window" | "x" | "barrier" | "mass">;
};

// ---------------------------------------------------------------------------------------------
// Temperature, catalogue and dwell bands.

/** Hot and calm windows (see {@link windowHeat}). */
export interface WindowHeat {
  /** Median of the windows' finite temperatures T̃, per √s. */
  medianTemperature: number;
  /** hotFactor · T̃. */
  threshold: number;
  /** 1 for a window with T ≥ threshold, else 0. */
  hot: Uint8Array;
}

/** Windows whose temperature (realised volatility, per √s) is at least `hotFactor` times the median window's are hot. */
export function windowHeat(temperature: ArrayLike<number>, hotFactor: number): WindowHeat {
  if (!(hotFactor > 0)) throw new RangeError(`invalid hotFactor: ${hotFactor}`);
  const medianTemperature = median(temperature);
  const threshold = hotFactor * medianTemperature;
  return {medianTemperature, threshold, hot: Uint8Array.from(temperature as ArrayLike<number>, (T) => (T >= threshold ? 1 : 0))};
}

/** The levels found in at least `catalogueMinWindows` windows, merged within ± `tolerance` USD (lib/landscape.ts `levelCatalogue`). */
export function catalogueOf(L: Pick<LandscapeLike, "levels">, tolerance: number, p: Pick<Chapter05Params, "catalogueMinWindows">): LevelCatalogue {
  return levelCatalogue(L.levels.x, {tolerance, minCount: p.catalogueMinWindows, window: L.levels.window});
}

/** The bands of a stay at a level (see {@link dwellBands}), USD. */
export interface DwellBands {
  spacing: number;
  halfWidth: number;
  exitHalfWidth: number;
}

/**
 * The core and exit bands of a stay at the catalogue levels: spacing s = the median gap between
 * neighbouring levels (`levels` ascending), core ± s/4, exit beyond ± 3s/4 (half-way into the
 * neighbouring level's core). With fewer than two levels there is no gap, and s = 8 × the median
 * of the windows' positive bandwidths: the median, because it is the bandwidth the chapter reports
 * and the page shows, and the same whether the bandwidth is common or each window's own. NaN when
 * no bandwidth is positive.
 */
export function dwellBands(levels: ArrayLike<number>, bandwidth: ArrayLike<number>): DwellBands {
  const gaps = new Float64Array(Math.max(0, levels.length - 1));
  for (let k = 1; k < levels.length; ++k) gaps[k - 1] = levels[k] - levels[k - 1];
  const spacing = gaps.length ? median(gaps) : 8 * median(Array.from(bandwidth).filter((h) => h > 0));
  return {spacing, halfWidth: spacing / 4, exitHalfWidth: (3 * spacing) / 4};
}

/** The cheap, fixed summary of one landscape that every later step reads (see {@link landscapeSummary}). */
export interface LandscapeSummary {
  heat: WindowHeat;
  catalogue: LevelCatalogue;
  bands: DwellBands;
}

/** The hot windows ({@link windowHeat}), the level catalogue ({@link catalogueOf}) and the dwell bands ({@link dwellBands}) of a landscape. */
export function landscapeSummary(L: LandscapeLike, tolerance: number, p: Pick<Chapter05Params, "catalogueMinWindows" | "hotFactor">): LandscapeSummary {
  const heat = windowHeat(L.temperature, p.hotFactor);
  const catalogue = catalogueOf(L, tolerance, p);
  return {heat, catalogue, bands: dwellBands(catalogue.x, L.bandwidth)};
}

// ---------------------------------------------------------------------------------------------
// Occupancy and dwell times.

/**
 * Per window: the share of its time within ± `tolerance` of its main level (the level whose
 * basin holds the most of its density; NaN without a level), and the 5–95 % price range read off
 * its density (the first grid points where the cumulative density reaches 5 % and 95 %).
 */
export function occupancy(price: Float64Array, L: Pick<RollingLandscape, "end" | "window" | "offsets" | "levels" | "density" | "size" | "x">, tolerance: number): {near: Float64Array; range: Float64Array} {
  const count = L.end.length;
  const near = new Float64Array(count);
  const range = new Float64Array(count);
  for (let w = 0; w < count; ++w) {
    let main = NaN;
    let best = -Infinity;
    for (let k = L.offsets[w]; k < L.offsets[w + 1]; ++k) if (L.levels.mass[k] > best) (best = L.levels.mass[k]), (main = L.levels.x[k]);
    near[w] = Number.isFinite(main) ? nearShare(price.subarray(L.end[w] - L.window + 1, L.end[w] + 1), [main], tolerance) : NaN;
    const row = L.density.subarray(w * L.size, (w + 1) * L.size);
    let total = 0;
    for (let g = 0; g < L.size; ++g) total += row[g];
    let c = 0;
    let q05 = NaN;
    let q95 = NaN;
    for (let g = 0; g < L.size; ++g) {
      c += row[g];
      if (Number.isNaN(q05) && c >= 0.05 * total) q05 = L.x[g];
      if (Number.isNaN(q95) && c >= 0.95 * total) q95 = L.x[g];
    }
    range[w] = q95 - q05;
  }
  return {near, range};
}

/** The dwell-time analysis (see {@link dwellAnalysis}). */
export interface DwellAnalysis {
  /** Completed stays, s, ascending, split by the realised volatility over the stay. */
  coldStays: number[];
  hotStays: number[];
  cold: ExponentialFit;
  hot: ExponentialFit;
  /** The fit of each catalogue level's stays, in the catalogue's order. */
  levels: ExponentialFit[];
}

/** Options of {@link dwellAnalysis}. */
export interface DwellAnalysisOptions {
  halfWidth: number;
  exitHalfWidth: number;
  /** Sample interval, s. */
  interval: number;
  /** A stay is hot when its realised volatility is at least this, per √s. */
  hotThreshold: number;
  bootstrap: number;
  seed: number;
}

/** Realised volatility over a stay, per √s: √(Σ r² / (count · interval)) over its finite log returns after the first sample; NaN if none. */
export function stayTemperature(r: Float64Array, start: number, length: number, interval: number): number {
  let s = 0;
  let c = 0;
  for (let i = start + 1; i < start + length && i < r.length; ++i) if (Number.isFinite(r[i])) (s += r[i] * r[i]), ++c;
  return c > 0 ? Math.sqrt(s / (c * interval)) : NaN;
}

/**
 * Stays at `levels` (lib/dwell-times.ts `dwellTimesAt`, core ± halfWidth, exit beyond
 * ± exitHalfWidth; completed stays only), split into calm and hot by the realised volatility over
 * each stay ({@link stayTemperature}) against `hotThreshold`, and the exponential fits
 * (lib/goodness-of-fit.ts `exponentialFit`, Lilliefors bootstrap of `bootstrap` samples) of the
 * calm and hot stays and of each level's, seeded by `deriveSeed(seed, "ch05 dwell cold" | "ch05
 * dwell hot" | "ch05 dwell k")`.
 */
export function dwellAnalysis(price: Float64Array, levels: ArrayLike<number>, {halfWidth, exitHalfWidth, interval, hotThreshold, bootstrap, seed}: DwellAnalysisOptions): DwellAnalysis {
  const returns = logReturns(price, {align: "end"});
  const stays = dwellTimesAt(price, levels, {halfWidth, exitHalfWidth, interval});
  const coldStays: number[] = [];
  const hotStays: number[] = [];
  for (const d of stays)
    for (let i = 0; i < d.duration.length; ++i) {
      const T = stayTemperature(returns, d.start[i], Math.round(d.duration[i] / interval), interval);
      (T >= hotThreshold ? hotStays : coldStays).push(d.duration[i]);
    }
  coldStays.sort((a, b) => a - b);
  hotStays.sort((a, b) => a - b);
  return {
    coldStays,
    hotStays,
    cold: exponentialFit(coldStays, {bootstrap, seed: deriveSeed(seed, "ch05 dwell cold")}),
    hot: exponentialFit(hotStays, {bootstrap, seed: deriveSeed(seed, "ch05 dwell hot")}),
    levels: stays.map((d, k) => exponentialFit(d.duration, {bootstrap, seed: deriveSeed(seed, `ch05 dwell ${k}`)}))
  };
}

/** {@link dwellAnalysis} at a landscape's catalogue levels with its bands and hot threshold. */
export function landscapeDwells(price: Float64Array, summary: LandscapeSummary, p: Pick<Chapter05Params, "binSec" | "bootstrap">, seed: number): DwellAnalysis {
  const {halfWidth, exitHalfWidth} = summary.bands;
  return dwellAnalysis(price, summary.catalogue.x, {halfWidth, exitHalfWidth, interval: p.binSec, hotThreshold: summary.heat.threshold, bootstrap: p.bootstrap, seed});
}

/**
 * The page's landscape for one choice of window and bandwidth, packed for the chapter's JSON
 * (`packLandscape` in ch05-packed.ts): the landscape, each window's occupancy of its main level
 * and the dwell analysis at its catalogue levels, computed by the steps the page calls for a
 * choice the build did not pack (with `tolerance` as the page reads it from the JSON).
 */
export function pageLandscape(price: Float64Array, windowSec: number, choice: BandwidthChoice, p: LandscapeParams, tolerance: number, seed: number): PackedLandscape {
  const L = landscapeOf(price, windowSec, choice, p);
  const summary = landscapeSummary(L, tolerance, p);
  return packLandscape(L, windowSec, choice.label, occupancy(price, L, tolerance), landscapeDwells(price, summary, p, seed));
}

// ---------------------------------------------------------------------------------------------
// Levels against the planted wells.

/** The level tracks through consecutive windows (lib/free-energy.ts `trackLevels`, a gap of one window allowed) and the track of every level. */
export function levelTracks(L: Pick<LandscapeLike, "end" | "offsets" | "levels">, tolerance: number): {tracked: LevelTracks; track: Int32Array} {
  const count = L.end.length;
  const positions = Array.from({length: count}, (_, j) => L.levels.x.subarray(L.offsets[j], L.offsets[j + 1]));
  const tracked = trackLevels(positions, {tolerance, maxGap: 1});
  const track = new Int32Array(L.levels.x.length);
  for (let j = 0; j < count; ++j) for (let k = 0; k < tracked.label[j].length; ++k) track[L.offsets[j] + k] = tracked.label[j][k];
  return {tracked, track};
}

/** The lowest and highest finite price, [Infinity, −Infinity] when none. */
export function tradedRange(price: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < price.length; ++i) {
    const p = price[i];
    if (Number.isFinite(p)) (lo = Math.min(lo, p)), (hi = Math.max(hi, p));
  }
  return [lo, hi];
}

/** The planted wells inside the traded range (none for real data). */
export function wellsInRange(truth: SimTruth | null, price: ArrayLike<number>): number[] {
  if (!truth) return [];
  const [lo, hi] = tradedRange(price);
  return truth.wells.levels.filter((w) => w >= lo && w <= hi);
}

/** The element of `levels` nearest to `x` (the first on a tie); NaN when there is none. */
export function nearestLevel(x: number, levels: readonly number[]): number {
  return levels.length ? levels.reduce((a, w) => (Math.abs(w - x) < Math.abs(a - x) ? w : a), levels[0]) : NaN;
}

/** Recovered levels against the planted wells (see {@link plantedRecovery}). */
export interface PlantedRecovery {
  /** Planted wells inside the traded range. */
  inRange: number[];
  /** Catalogue levels within tolerance of a planted well, of all catalogue levels. */
  recoveredMatched: number;
  recovered: number;
  recoveredShare: number;
  /** Per-window levels within tolerance of a planted well (overlapping windows: descriptive). */
  windowLevelShare: number;
  /** Planted wells in range with a catalogue level within tolerance. */
  plantedMatched: number;
  plantedShare: number;
  /** Planted wells where the price spent at least one window length within the core: the wells the data could reveal. */
  occupied: number[];
  occupiedMatched: number;
  /** Share of random levels within tolerance of a planted well: drawn where the price traded (time-weighted), and uniform over the traded range. */
  baselineTime: number;
  baselineUniform: number;
  /** One-sided binomial p-values of the recovered share against each baseline. */
  pTime: number;
  pUniform: number;
}

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; ++i) s += a[i];
  return s;
};

/**
 * The catalogue (`catalogue`) and per-window levels (`levels`) against the planted wells in the
 * traded range (`wells`), matched within ± `tolerance` USD (lib/support-resistance.ts
 * `levelOverlap`). Baselines: the share of random levels within tolerance of a well when drawn
 * where the price traded (time-weighted, lib/landscape.ts `nearShare`) or uniformly over a
 * planted spacing, min(1, 2·tolerance/spacingUsd); the p-values are one-sided binomial tests of
 * the matched catalogue levels against each. Unrounded.
 */
export function plantedRecovery(
  price: ArrayLike<number>,
  levels: ArrayLike<number>,
  catalogue: ArrayLike<number>,
  wells: number[],
  {tolerance, halfWidth, window, spacingUsd}: {tolerance: number; halfWidth: number; window: number; spacingUsd: number}
): PlantedRecovery {
  const cat = levelOverlap(catalogue, wells, tolerance);
  const perWindow = levelOverlap(levels, wells, tolerance);
  const recoveredMatched = sum(cat.matchedA);
  const plantedMatched = sum(cat.matchedB);
  // Wells the price occupied for at least one window length (time within the core).
  const occupied = wells.filter((w) => {
    let c = 0;
    for (let i = 0; i < price.length; ++i) if (Math.abs(price[i] - w) <= halfWidth) ++c;
    return c >= window;
  });
  const occ = levelOverlap(occupied, catalogue, tolerance);
  const baselineTime = nearShare(price, wells, tolerance);
  const baselineUniform = Math.min(1, (2 * tolerance) / spacingUsd);
  const n = catalogue.length;
  return {
    inRange: wells,
    recoveredMatched,
    recovered: n,
    recoveredShare: recoveredMatched / n,
    windowLevelShare: perWindow.shareA,
    plantedMatched,
    plantedShare: plantedMatched / wells.length,
    occupied,
    occupiedMatched: sum(occ.matchedA),
    baselineTime,
    baselineUniform,
    pTime: n ? binomialTest(recoveredMatched, n, {p: baselineTime, alternative: "greater"}) : NaN,
    pUniform: n ? binomialTest(recoveredMatched, n, {p: baselineUniform, alternative: "greater"}) : NaN
  };
}

// ---------------------------------------------------------------------------------------------
// Kramers' law.

/** Escape times and Kramers' law (see {@link escapeAnalysis}). */
export interface EscapeAnalysis {
  points: EscapePoints;
  /** ln τ = a + b·ΔF/T by censored maximum likelihood over every (window, level) with exposure. */
  fit: KramersCensoredFit;
  temperatureEffect: TemperatureEffect;
  /** Escapes and time at the levels, by the heat of the segment the escapes were counted in. */
  classes: {cold: {events: number; exposure: number}; hot: {events: number; exposure: number}};
  /** Escape-rate ratio hot / cold (lib/rate-ratio.ts). */
  ratio: RateRatio;
}

/**
 * Escape times out of sample (lib/landscape.ts `escapePoints` with `ahead`): the levels and
 * barriers ΔF/T of every non-overlapping window, the stays at those levels counted in the segment
 * that follows it, so that no sample serves both a barrier and an escape; each point's escapes
 * d and exposure E (a stay still under way at the segment's end is censored: its time counts, no
 * escape). Kramers' law ln τ = a + b · ΔF/T by censored maximum likelihood (lib/kramers.ts
 * `kramersCensoredFit`, which keeps the points with no escape); ln τ̂ against T alone over points
 * with an escape (`temperatureEffect`); and the escape-rate ratio of hot segments over calm ones
 * (events / total exposure per class, exact conditional test, lib/rate-ratio.ts), a segment being
 * hot when the window that ends with it is (`hot`, indexed by window).
 */
export function escapeAnalysis(price: ArrayLike<number>, L: LandscapeLike, hot: ArrayLike<number>, bands: Pick<DwellBands, "halfWidth" | "exitHalfWidth">, interval: number): EscapeAnalysis {
  // escapePoints reads only the windows, temperatures and levels (x, barrier) of a landscape: one read back from the JSON serves.
  const E = escapePoints(price, L as RollingLandscape, {halfWidth: bands.halfWidth, exitHalfWidth: bands.exitHalfWidth, interval, ahead: true});
  const fit = kramersCensoredFit(E.events, E.exposure, E.barrier);
  const te = temperatureEffect(E.meanTime, E.temperature, {counts: E.events, minCount: 1});
  const classes = {cold: {events: 0, exposure: 0}, hot: {events: 0, exposure: 0}};
  for (let i = 0; i < E.x.length; ++i) {
    const c = hot[E.escapeWindow[i]] ? classes.hot : classes.cold;
    c.events += E.events[i];
    c.exposure += E.exposure[i];
  }
  return {points: E, fit, temperatureEffect: te, classes, ratio: rateRatio(classes.hot.events, classes.hot.exposure, classes.cold.events, classes.cold.exposure)};
}

/** The Kramers slope and escape-rate ratio of a market against pure-diffusion paths (see {@link diffusionNull}). */
export interface DiffusionNull {
  /** Paths drawn, and those on which the slope / the ratio could be computed. */
  paths: number;
  slopePaths: number;
  ratioPaths: number;
  /** Median over the paths, and the one-sided Monte Carlo p of the observed value: (1 + #{null ≥ observed}) / (1 + finite paths). */
  slopeMedian: number;
  slopeP: number;
  ratioMedian: number;
  ratioP: number;
}

/**
 * The pure-diffusion null of chapter 05's escape claims: `paths` random walks with the price's own
 * increments under random signs (lib/surrogates.ts `signFlipPath`: the same volatility path,
 * window by window, and no well), each run through the same landscape, catalogue, dwell bands
 * and {@link escapeAnalysis}. Any random walk leaves a fixed band faster when its steps are
 * larger, and a KDE minimum of a walk's own window is where that walk happened to linger, so
 * both a positive Kramers slope and a hot/cold escape-rate ratio above 1 arise without any well:
 * the market's values mean something only where they exceed the walks'. One-sided p-values
 * (Davison & Hinkley 1997, Bootstrap Methods, §4.2); NaN fields with no finite null value.
 */
export function diffusionNull(
  price: Float64Array,
  observed: {slope: number; ratio: number},
  p: LandscapeParams & Pick<Chapter05Params, "windowSec" | "bandwidthRule" | "commonBandwidth">,
  {tolerance, paths, seed}: {tolerance: number; paths: number; seed: number}
): DiffusionNull {
  if (!(Number.isInteger(paths) && paths >= 0)) throw new RangeError(`invalid paths: ${paths}`);
  const random = mulberry32(deriveSeed(seed, "ch05 diffusion null"));
  const slopes: number[] = [];
  const ratios: number[] = [];
  for (let k = 0; k < paths; ++k) {
    const walk = signFlipPath(price, random);
    const L = landscapeOf(walk, p.windowSec, {value: p.bandwidthRule, common: p.commonBandwidth}, p);
    const S = landscapeSummary(L, tolerance, p);
    if (!(S.bands.halfWidth > 0)) continue;
    const E = escapeAnalysis(walk, L, S.heat.hot, S.bands, p.binSec);
    if (Number.isFinite(E.fit.slope)) slopes.push(E.fit.slope);
    if (!Number.isNaN(E.ratio.ratio)) ratios.push(E.ratio.ratio);
  }
  const pOf = (x: number, xs: number[]) => (Number.isFinite(x) || x === Infinity) && xs.length ? (1 + xs.filter((v) => v >= x).length) / (1 + xs.length) : NaN;
  return {
    paths,
    slopePaths: slopes.length,
    ratioPaths: ratios.length,
    slopeMedian: slopes.length ? median(Float64Array.from(slopes)) : NaN,
    slopeP: pOf(observed.slope, slopes),
    ratioMedian: ratios.length ? median(Float64Array.from(ratios.filter(Number.isFinite))) : NaN,
    ratioP: pOf(observed.ratio, ratios)
  };
}

/** The planted regime at each window's midpoint (epoch ms t0 + (end + 1 − window/2) · binMs), or null for real data. */
export function windowRegimes(L: Pick<RollingLandscape, "end" | "window">, truth: SimTruth | null, t0: number, widthMs: number): (string | null)[] {
  return Array.from(L.end, (e) => {
    if (!truth) return null;
    const t = t0 + (e + 1 - L.window / 2) * widthMs;
    return (truth.regimes.find((r) => t < r.end) ?? truth.regimes[truth.regimes.length - 1]).name;
  });
}

/** Two-sided 95 % standard normal quantile. */
const Z95 = 1.959963984540054;

/**
 * Per planted regime: the escapes and time at the levels of the windows whose midpoint lies in
 * it, the recovered mean escape time τ̂ = exposure / escapes with the 95 % interval
 * τ̂ · exp(∓1.96/√escapes) (the log-normal approximation of a Poisson count), beside the planted
 * τ = 1/escape rate. Unrounded; an empty list without truth.
 */
export function regimeEscapes(E: Pick<EscapePoints, "window" | "events" | "exposure"> & Partial<Pick<EscapePoints, "escapeWindow">>, regimes: readonly (string | null)[], truth: SimTruth | null): RegimeEscape[] {
  if (!truth) return [];
  // The escapes were counted in the segment that ends with escapeWindow (out of sample), else in the window itself.
  const at = E.escapeWindow ?? E.window;
  const names = [...new Set(truth.regimes.map((x) => x.name))];
  return names.map((name) => {
    const rt = truth.regimes.find((x) => x.name === name)!;
    let events = 0;
    let exposure = 0;
    for (let i = 0; i < at.length; ++i) if (regimes[at[i]] === name) (events += E.events[i]), (exposure += E.exposure[i]);
    const tau = events > 0 ? exposure / events : NaN;
    return {
      name,
      barrierOverNoise: rt.barrierOverNoise,
      plantedMeanTime: rt.escapeRatePerSec > 0 ? 1 / rt.escapeRatePerSec : NaN,
      events,
      exposure,
      meanTime: tau,
      low: tau * Math.exp(-Z95 / Math.sqrt(events)),
      high: tau * Math.exp(Z95 / Math.sqrt(events))
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Support and resistance.

/** Window j's metastable levels, in the landscape's order (ascending). */
export function windowLevels(L: Pick<LandscapeLike, "offsets" | "levels">, j: number): number[] {
  return Array.from(L.levels.x.subarray(L.offsets[j], L.offsets[j + 1]));
}

/** Window j's saddles (the barrier tops beside its levels), each once, ascending. */
export function windowSaddles(L: Pick<LandscapeLike, "offsets"> & {levels: Pick<RollingLandscape["levels"], "leftSaddleX" | "rightSaddleX">}, j: number): number[] {
  const saddles = new Set<number>();
  for (let k = L.offsets[j]; k < L.offsets[j + 1]; ++k) {
    if (Number.isFinite(L.levels.leftSaddleX[k])) saddles.add(L.levels.leftSaddleX[k]);
    if (Number.isFinite(L.levels.rightSaddleX[k])) saddles.add(L.levels.rightSaddleX[k]);
  }
  return [...saddles].sort((x, y) => x - y);
}

/** The columns of the bins the support/resistance sets read. */
export interface LevelSetBins {
  vwap: Float64Array;
  volume: Float64Array;
  high: Float64Array;
  low: Float64Array;
}

/**
 * Per window j: its metastable levels, the saddles between them, its volume-profile peaks
 * (`volumeProfilePeaks` over buckets of `bucketUsd`, kept when their prominence is at least
 * `profileMinProminence` of the largest bucket) and its swing pivots (`swingPivots` on bars of
 * `swingBarSec`), each ascending.
 */
export function windowLevelSets(
  landscape: Pick<RollingLandscape, "end" | "window" | "offsets" | "levels">,
  bins: LevelSetBins,
  options: {bucketUsd: number; profileMinProminence: number; swingBarSec: number; swingWindow: number; binSec: number}
): {metastable: number[][]; saddles: number[][]; profile: number[][]; swings: number[][]} {
  const {end, window, offsets, levels} = landscape;
  const out = {metastable: [] as number[][], saddles: [] as number[][], profile: [] as number[][], swings: [] as number[][]};
  const barLen = Math.max(1, Math.round(options.swingBarSec / options.binSec));
  for (let j = 0; j < end.length; ++j) {
    const a = end[j] - window + 1;
    const b = end[j] + 1;
    out.metastable.push(windowLevels(landscape, j));
    out.saddles.push(windowSaddles(landscape, j));
    const peaks = volumeProfilePeaks(bins.vwap.subarray(a, b), bins.volume.subarray(a, b), {bucket: options.bucketUsd});
    let top = 0;
    for (const v of peaks.profile.volume) if (v > top) top = v;
    out.profile.push(Array.from(peaks.price).filter((_, k) => peaks.prominence[k] >= options.profileMinProminence * top));
    const nb = Math.floor(window / barLen);
    const hi = new Float64Array(nb).fill(NaN);
    const lo = new Float64Array(nb).fill(NaN);
    for (let m = 0; m < nb; ++m) {
      let H = -Infinity;
      let L = Infinity;
      for (let i = a + m * barLen; i < a + (m + 1) * barLen; ++i) {
        if (bins.high[i] > H) H = bins.high[i];
        if (bins.low[i] < L) L = bins.low[i];
      }
      if (H > -Infinity) (hi[m] = H), (lo[m] = L);
    }
    const pivots = swingPivots(hi, lo, {window: options.swingWindow});
    out.swings.push([...Array.from(pivots.highs, (i) => hi[i]), ...Array.from(pivots.lows, (i) => lo[i])].sort((x, y) => x - y));
  }
  return out;
}

/** Pooled overlap of per-window level sets: share of a's levels with a level of b within tolerance (NaN when a has none). */
export function pooledOverlap(a: number[][], b: number[][], tolerance: number): number {
  let matched = 0;
  let total = 0;
  for (let j = 0; j < a.length; ++j) {
    if (a[j].length === 0) continue;
    total += a[j].length;
    if (b[j].length === 0) continue;
    matched += sum(levelOverlap(a[j], b[j], tolerance).matchedA);
  }
  return total ? matched / total : NaN;
}

/** Support and resistance beside the metastable levels, in JSON (see {@link supportResistance}). */
export interface SupportResistance {
  touchUsd: number;
  reversalUsd: number;
  bucketUsd: number;
  /** Pooled over windows: share of the first set's levels with a level of the second within tolerance. */
  overlap: {metastableInProfile: number | null; profileInMetastable: number | null; metastableInSwings: number | null; swingsInMetastable: number | null};
  /** Round-trip cost of a fade, USD (fadeCostBp of the median price). */
  costUsd: number;
  /**
   * Per level set: touches, reversals, reversal rate against random levels, the one-sided
   * Monte Carlo p, Holm's adjusted p over the four sets, and the edge per touch in bp of the
   * median price, (rate − baseline) × reversalBp − fadeCostBp: the extra reversals over fading at
   * a random level, paid at the reversal distance, less the round-trip cost. `fade` is true only
   * when the adjusted p is below 0.05 and the edge is positive.
   */
  reversion: {set: string; levels: number; touches: number; reversals: number; rate: number | null; baseline: number | null; pValue: number | null; pHolm: number | null; edgeBp: number | null; fade: boolean}[];
}

/**
 * The four level sets of each window ({@link windowLevelSets}) tested out of sample
 * (lib/level-reversion.ts `walkForwardReversion`): a window's levels are touched (within
 * ± touchBp) in the stride after its end and revert when the price moves reversalBp back within
 * horizonSec, against `surrogates` random level sets drawn from the window's own prices; and
 * their pooled overlaps within ± `tolerance`. Band widths are in bp of `medianPrice`, rounded to
 * 4 significant digits before use (the values the JSON reports).
 */
export function supportResistance(
  price: Float64Array,
  bins: LevelSetBins,
  L: RollingLandscape,
  p: Chapter05Params,
  options: {medianPrice: number; tolerance: number; surrogates: number; seed: number}
): SupportResistance {
  return supportResistanceFrom(supportResistancePart(price, bins, L, p, options, REVERSION_SETS), p);
}

/** The four level sets of {@link supportResistance}, in the order of its `reversion` rows. */
export const REVERSION_SETS = ["metastable", "saddles", "profile", "swings"] as const;

/** One of {@link REVERSION_SETS}. */
export type ReversionSet = (typeof REVERSION_SETS)[number];

/** One set's walk-forward reversion before rounding and Holm's adjustment over the sets. */
export interface ReversionRow {
  set: ReversionSet;
  levels: number;
  touches: number;
  reversals: number;
  rate: number;
  baseline: number;
  pValue: number;
}

/** A part of {@link supportResistance}: its band widths and overlaps, and the walk-forward rows of some sets (each set's draws have their own seed). */
export interface SupportResistancePart {
  head: Omit<SupportResistance, "reversion">;
  rows: ReversionRow[];
}

/** {@link supportResistance}'s band widths, overlaps and the rows of the sets `which` only (in its order), so that the sets can be computed apart. */
export function supportResistancePart(
  price: Float64Array,
  bins: LevelSetBins,
  L: RollingLandscape,
  p: Chapter05Params,
  {medianPrice, tolerance, surrogates, seed}: {medianPrice: number; tolerance: number; surrogates: number; seed: number},
  which: readonly ReversionSet[]
): SupportResistancePart {
  const interval = p.binSec;
  const bp = 1e-4 * medianPrice;
  const bucketUsd = roundNumber(p.profileBucketBp * bp, 4);
  const sets = windowLevelSets(L, bins, {bucketUsd, profileMinProminence: p.profileMinProminence, swingBarSec: p.swingBarSec, swingWindow: p.swingWindow, binSec: interval});
  const touchUsd = roundNumber(p.touchBp * bp, 4);
  const reversalUsd = roundNumber(p.reversalBp * bp, 4);
  const horizon = Math.round(p.horizonSec / interval);
  const rows = REVERSION_SETS.filter((set) => which.includes(set)).map((set): ReversionRow => {
    const w = walkForwardReversion(price, sets[set], {end: L.end, stride: L.stride, window: L.window, tolerance: touchUsd, reversal: reversalUsd, horizon, surrogates, seed: deriveSeed(seed, `ch05 reversion ${set}`)});
    return {set, levels: w.levels, touches: w.touches, reversals: w.reversals, rate: w.rate, baseline: w.baseline, pValue: w.pValue};
  });
  return {
    head: {
      touchUsd,
      reversalUsd,
      bucketUsd,
      overlap: {
        metastableInProfile: round(pooledOverlap(sets.metastable, sets.profile, tolerance)),
        profileInMetastable: round(pooledOverlap(sets.profile, sets.metastable, tolerance)),
        metastableInSwings: round(pooledOverlap(sets.metastable, sets.swings, tolerance)),
        swingsInMetastable: round(pooledOverlap(sets.swings, sets.metastable, tolerance))
      },
      costUsd: roundNumber(p.fadeCostBp * bp, 4)
    },
    rows
  };
}

/**
 * {@link supportResistance} from its parts (the head of any of them, the rows of every set once):
 * Holm's adjustment over the four sets, the edge per touch and the fade verdict, rounded.
 */
export function supportResistanceFrom(part: SupportResistancePart, p: Chapter05Params, more: readonly SupportResistancePart[] = []): SupportResistance {
  const all = [part, ...more].flatMap((q) => q.rows);
  const reversion = REVERSION_SETS.map((set) => {
    const found = all.filter((r) => r.set === set);
    if (found.length !== 1) throw new RangeError(`invalid parts: ${found.length} rows of the ${set} set`);
    return found[0];
  });
  const holm = holmAdjust(reversion.map((r) => r.pValue));
  const rows = reversion.map((r, i) => {
    const edgeBp = (r.rate - r.baseline) * p.reversalBp - p.fadeCostBp;
    const fade = holm[i] < 0.05 && edgeBp > 0;
    return {...r, rate: round(r.rate), baseline: round(r.baseline), pValue: round(r.pValue, 4), pHolm: round(holm[i], 4), edgeBp: round(edgeBp, 4), fade};
  });
  return {...part.head, reversion: rows};
}

// ---------------------------------------------------------------------------------------------
// The entry point.

/** The columns of the chapter venue's bins the chapter reads (the price for everything, the rest for support and resistance). */
export const METASTABILITY_BIN_COLUMNS = ["last", "v_buy", "v_sell", "vwap", "high", "low"] as const;

/** The parts of a market the chapter reads: the chapter venue's bins at binSec ({@link METASTABILITY_BIN_COLUMNS} of them). */
export type MetastabilityMarket = Pick<Market, "source" | "venues" | "span" | "truth" | "bins">;

function fitOf(f: ExponentialFit): DwellFit {
  return {n: f.n, mean: round(f.mean), statistic: round(f.statistic, 4), pValue: round(f.pValue, 4)};
}

/** What every part of chapter 05 starts from: the chapter venue's price at binSec, the window fitted to the span, and the landscapes at the default window and bandwidth. */
export interface MetastabilityBasis {
  venue: Venue;
  bins: ReturnType<typeof marketBins>;
  price: Float64Array;
  /** The parameters with the window fitted to the span. */
  params: MetastabilityParams;
  /** Notes on settings adapted to the span. */
  adapted: string[];
  /** The span in s when the window was shortened to fit it, else Infinity (for the page's window choices). */
  spanSec: number;
  window: number;
  stride: number;
  medianPrice: number;
  toleranceUsd: number;
  L: ReturnType<typeof landscapeOf>;
}

/** The {@link MetastabilityBasis} of `market`; RangeError when it lacks the chapter venue's bins or the span is shorter than a window. */
export function metastabilityBasis(market: MetastabilityMarket, params: MetastabilityParams = METASTABILITY_DEFAULTS): MetastabilityBasis {
  const widthMs = binMs(params);
  const venue = chapterVenue(market.venues);
  const bins = marketBins(market, venue, widthMs);
  const price = bins.last.length === bins.length ? bins.last : bins.last.subarray(0, bins.length);
  const interval = params.binSec;
  const adapted: string[] = [];
  const fit = adaptWindowSec(price.length * interval, params.windowSec, interval);
  if (fit.note) adapted.push(fit.note);
  if (fit.windowSec === null) throw new RangeError(`invalid span: ${fit.note}`);
  params = {...params, windowSec: fit.windowSec};
  const {window, stride} = windowSamples(params.windowSec, params);
  if (price.length < window) throw new RangeError(`invalid windowSec: ${params.windowSec} (the span has ${price.length} bins)`);
  const medianPrice = median(price);
  const toleranceUsd = params.toleranceBp * 1e-4 * medianPrice;
  const L = landscapeOf(price, params.windowSec, {value: params.bandwidthRule, common: params.commonBandwidth}, params);
  return {venue, bins, price, params, adapted, spanSec: fit.note ? price.length * interval : Infinity, window, stride, medianPrice, toleranceUsd, L};
}

/** Support and resistance of chapter 05 ({@link supportResistance}) on its basis: the chapter's `supportResistance`. */
export function metastabilitySupportResistance(basis: MetastabilityBasis): SupportResistance {
  return supportResistanceFrom(metastabilitySupportResistancePart(basis, REVERSION_SETS), basis.params);
}

/** {@link supportResistancePart} on chapter 05's basis: the rows of the sets `which` (join the parts with {@link supportResistanceFrom}). */
export function metastabilitySupportResistancePart(basis: MetastabilityBasis, which: readonly ReversionSet[]): SupportResistancePart {
  const {bins, price, params, L, medianPrice, toleranceUsd} = basis;
  const volume = Float64Array.from(bins.v_buy.subarray(0, price.length), (v, i) => v + bins.v_sell[i]);
  return supportResistancePart(price, {vwap: bins.vwap, volume, high: bins.high, low: bins.low}, L, params, {medianPrice, tolerance: toleranceUsd, surrogates: params.surrogates, seed: params.seed}, which);
}

/**
 * Chapter 05 on `market`: the landscapes of the default window and bandwidth
 * ({@link landscapeOf}); the hot windows, tracks, catalogue and planted recovery
 * ({@link landscapeSummary}, {@link levelTracks}, {@link plantedRecovery}); the dwell times at the
 * catalogue levels ({@link dwellAnalysis}); Kramers' law ({@link escapeAnalysis},
 * {@link regimeEscapes}); support and resistance ({@link supportResistance}); and the page's
 * landscape of every window at the default bandwidth and of every bandwidth at the default window
 * ({@link pageLandscape}). Numbers are rounded for the JSON (lib/analysis/round.ts). Throws a
 * RangeError when the market lacks the chapter venue's bins or the span is shorter than a window.
 *
 * The same as {@link chapter05} of {@link metastabilityCore} and
 * {@link metastabilitySupportResistance} on one {@link metastabilityBasis}: the build computes
 * them as four parts on its pool (the swing levels' reversion, the other sets', the page's
 * choices and the rest; loaders/chapters/ch05.ts).
 */
export function analyseMetastability(market: MetastabilityMarket, params: MetastabilityParams = METASTABILITY_DEFAULTS, {onStep = () => {}}: {onStep?: (name: string) => void} = {}): Chapter05 {
  const basis = metastabilityBasis(market, params);
  onStep("landscapes");
  const sr = metastabilitySupportResistance(basis);
  onStep("support and resistance");
  return chapter05(metastabilityCore(market, basis, {onStep}), sr);
}

/** Chapter 05 without its support and resistance (see {@link analyseMetastability}). */
export type Chapter05Core = Omit<Chapter05, "supportResistance">;

/** Chapter 05 from its parts, with the keys in the order of its JSON. */
export function chapter05(core: Chapter05Core, supportResistance: SupportResistance): Chapter05 {
  const {adapted, windowChoices, bandwidthChoices, choices, ...head} = core;
  return {...head, supportResistance, adapted, windowChoices, bandwidthChoices, choices};
}

/**
 * The page's landscapes on `basis`: every window at the default bandwidth, then every bandwidth at
 * the default window ({@link pageLandscape}), those the span holds.
 */
export function metastabilityChoices(basis: MetastabilityBasis): PackedLandscape[] {
  const {price, params, toleranceUsd} = basis;
  const tolerancePage = roundNumber(toleranceUsd);
  const choiceList: [number, BandwidthChoice][] = [
    ...windowChoices(params.windowSec, basis.spanSec).map((w): [number, BandwidthChoice] => [w, BANDWIDTH_CHOICES[0]]),
    ...BANDWIDTH_CHOICES.slice(1).map((b): [number, BandwidthChoice] => [params.windowSec, b])
  ];
  return choiceList.filter(([w]) => price.length >= Math.round(w / params.binSec)).map(([w, b]) => pageLandscape(price, w, b, params, tolerancePage, params.seed));
}

/** Everything of chapter 05 but its support and resistance, on `basis` (see {@link analyseMetastability}); `choices` when given stand for {@link metastabilityChoices}. */
export function metastabilityCore(
  market: MetastabilityMarket,
  basis: MetastabilityBasis,
  {onStep = () => {}, choices: choicesGiven}: {onStep?: (name: string) => void; choices?: PackedLandscape[]} = {}
): Chapter05Core {
  const {truth, span} = market;
  const [t0] = span;
  const {venue, price, params, adapted, window, stride, medianPrice, toleranceUsd, L} = basis;
  const widthMs = binMs(params);
  const interval = params.binSec;
  const seed = params.seed;

  // 1. Hot windows, catalogue and dwell bands of the landscapes.
  const {heat, catalogue, bands} = landscapeSummary(L, toleranceUsd, params);
  const regime = windowRegimes(L, truth, t0, widthMs);

  // 2. Levels: tracks and the planted wells.
  const {tracked, track} = levelTracks(L, toleranceUsd);
  const wells = wellsInRange(truth, price);
  onStep("level tracks");
  const planted = truth ? plantedRecovery(price, L.levels.x, catalogue.x, wells, {tolerance: toleranceUsd, halfWidth: bands.halfWidth, window, spacingUsd: truth.wells.spacingUsd}) : null;

  // 3. Dwell times at the catalogue levels over the whole span (completed stays).
  onStep("planted recovery");
  const dwell = landscapeDwells(price, {heat, catalogue, bands}, params, seed);
  onStep("dwells");

  // 4. Kramers: escape times per (non-overlapping window, level).
  const esc = escapeAnalysis(price, L, heat.hot, bands, interval);
  const {fit: kf, temperatureEffect: te, classes: cls, ratio: rr, points: E} = esc;
  onStep("escapes");
  const dn = diffusionNull(price, {slope: kf.slope, ratio: rr.ratio}, params, {tolerance: toleranceUsd, paths: params.nullPaths, seed});
  onStep("diffusion null");

  // 5. Support and resistance: metastabilitySupportResistance.

  // 6. The page's choices (computed elsewhere when given).
  const choices = choicesGiven ?? metastabilityChoices(basis);
  onStep("page choices");

  const num = roundNumber;
  return {
    source: market.source,
    venue,
    span,
    seed,
    surrogates: params.surrogates,
    params: chapterParams(params),
    medianPrice: num(medianPrice),
    toleranceUsd: num(toleranceUsd),
    bandwidthUsd: num(median(L.bandwidth)),
    strideSec: stride * interval,
    windows: {
      end: Array.from(L.end, (e) => t0 + (e + 1) * widthMs),
      temperature: Array.from(L.temperature, (T) => round(T)),
      hot: Array.from(heat.hot),
      regime,
      medianTemperature: num(heat.medianTemperature)
    },
    levels: {
      window: Array.from(L.levels.window),
      x: Array.from(L.levels.x, (x) => num(x)),
      prominence: Array.from(L.levels.prominence, (x) => round(x, 4) ?? 1e9),
      barrier: Array.from(L.levels.barrier, (x) => round(x, 4)),
      mass: Array.from(L.levels.mass, (x) => num(x, 4)),
      track: Array.from(track)
    },
    tracks: tracked.tracks.map((t, id) => ({id, windows: Array.from(t.windows), x: Array.from(t.x, (x) => num(x))})).filter((t) => t.windows.length >= 2),
    catalogue: {
      x: Array.from(catalogue.x, (x) => num(x)),
      count: Array.from(catalogue.count),
      first: Array.from(catalogue.first),
      last: Array.from(catalogue.last),
      nearestPlanted: Array.from(catalogue.x, (x) => round(nearestLevel(x, wells)))
    },
    planted: planted && {
      ...planted,
      wellBarrier: truth!.wells.barrierOverNoiseCalm,
      recoveredShare: num(planted.recoveredShare),
      windowLevelShare: num(planted.windowLevelShare),
      plantedShare: num(planted.plantedShare),
      baselineTime: num(planted.baselineTime),
      baselineUniform: num(planted.baselineUniform),
      pTime: num(planted.pTime, 4),
      pUniform: num(planted.pUniform, 4)
    },
    dwells: {
      spacing: num(bands.spacing),
      halfWidth: num(bands.halfWidth),
      exitHalfWidth: num(bands.exitHalfWidth),
      perLevel: dwell.levels.map((f, k) => ({x: num(catalogue.x[k]), ...fitOf(f)})),
      cold: {...fitOf(dwell.cold), durations: dwell.coldStays},
      hot: {...fitOf(dwell.hot), durations: dwell.hotStays}
    },
    kramers: {
      points: Array.from(E.x, (x, i) => ({
        window: E.window[i],
        escapeWindow: E.escapeWindow[i],
        x: num(x),
        barrier: round(E.barrier[i]),
        temperature: num(E.temperature[i]),
        exposure: E.exposure[i],
        events: E.events[i],
        meanTime: round(E.meanTime[i])
      })),
      fit: {slope: round(kf.slope), low: round(kf.slopeLow), high: round(kf.slopeHigh), intercept: round(kf.intercept), n: kf.n, censored: kf.censored, events: kf.events},
      null: {paths: dn.paths, slopePaths: dn.slopePaths, ratioPaths: dn.ratioPaths, slopeMedian: round(dn.slopeMedian), slopeP: round(dn.slopeP, 4), ratioMedian: round(dn.ratioMedian), ratioP: round(dn.ratioP, 4)},
      temperatureEffect: {slope: round(te.slope), low: round(te.slopeLow), high: round(te.slopeHigh), correlation: round(te.correlation), answer: te.answer, n: te.n},
      classes: {
        cold: {...cls.cold, meanTime: round(cls.cold.exposure / cls.cold.events)},
        hot: {...cls.hot, meanTime: round(cls.hot.exposure / cls.hot.events)},
        ratio: round(rr.ratio),
        low: round(rr.low),
        high: round(rr.high),
        pValue: round(rr.pValue, 4)
      },
      regimes: truth
        ? regimeEscapes(E, regime, truth).map((r) => ({
            ...r,
            barrierOverNoise: num(r.barrierOverNoise),
            plantedMeanTime: num(r.plantedMeanTime),
            exposure: num(r.exposure),
            meanTime: round(r.meanTime),
            low: round(r.low),
            high: round(r.high)
          }))
        : null,
      plantedLaw: truth && truth.wells.kappaPerSec > 0 ? {slope: 1, intercept: num(Math.log(Math.PI / truth.wells.kappaPerSec))} : null
    },
    adapted,
    windowChoices: windowChoices(params.windowSec, basis.spanSec),
    bandwidthChoices: BANDWIDTH_CHOICES,
    choices
  };
}
