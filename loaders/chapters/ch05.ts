/**
 * Chapter 05 at build time: metastability of the price — its free-energy landscape over rolling
 * windows, the metastable levels and their barriers, dwell times at the levels, Kramers' escape
 * law, and traditional support and resistance tested out of sample against random levels.
 *
 * Input: the 1 s bins of one venue (Binance when present: the deepest book and, in calm hours, the
 * first to see the latent price), `last` price (carried forward over empty seconds), `vwap`,
 * `high`, `low` and traded volume. Every computation calls lib/ (landscape.ts, free-energy.ts,
 * dwell-times.ts, goodness-of-fit.ts, kramers.ts, rate-ratio.ts, support-resistance.ts,
 * level-reversion.ts); the page repeats the cheap ones in the browser with the same functions
 * and parameters (`params` below), and reads the surrogate tests from here.
 *
 * For the page's inputs, `choices` holds the landscape of every window choice at the default
 * bandwidth and of every bandwidth choice at the default window, with each window's occupancy of
 * its main level and the dwell-time fits (src/components/ch05-data.ts, the functions the page
 * uses, packed exactly except the heatmap's shape): a kernel density per window and a bootstrap
 * per fit are fixed by the data, so the page reads them instead of recomputing them.
 *
 * References: H. A. Kramers, Physica 7 (1940) 284; P. Hänggi, P. Talkner and M. Borkovec, Rev.
 * Mod. Phys. 62 (1990) 251; B. W. Silverman, Density Estimation (1986); C. L. Osler, FRBNY
 * Economic Policy Review 6(2) (2000) 53; H. W. Lilliefors, JASA 64 (1969) 387.
 */
import {stopwatch} from "./stopwatch.ts";
import {type AnalysisConfig, type Venue} from "../config.ts";
import {readBins} from "../derived.ts";
import {dwellTimesAt} from "../../lib/dwell-times.js";
import {binomialTest} from "../../lib/binomial-test.js";
import {trackLevels} from "../../lib/free-energy.js";
import {exponentialFit} from "../../lib/goodness-of-fit.js";
import {kramersFit, temperatureEffect} from "../../lib/kramers.js";
import {escapePoints, levelCatalogue, nearShare, rollingLandscape, type RollingLandscape} from "../../lib/landscape.js";
import {walkForwardReversion} from "../../lib/level-reversion.js";
import {deriveSeed} from "../../lib/random.js";
import {rateRatio} from "../../lib/rate-ratio.js";
import {logReturns} from "../../lib/realised-volatility.js";
import {levelOverlap, swingPivots, volumeProfilePeaks} from "../../lib/support-resistance.js";
import {
  BANDWIDTH_CHOICES,
  dwellAnalysis,
  finiteMedian,
  landscapeOptions,
  occupancy,
  packLandscape,
  windowChoices,
  type BandwidthChoice,
  type LandscapeParams,
  type PackedLandscape
} from "../../src/components/ch05-data.ts";
import {chapterBuild} from "./build.ts";

/** Width of the bins analysed, ms. */
export const BIN_MS = 1000;

/**
 * The analysis parameters, shared with the page (which reads them from `data/ch05.json`), so
 * that the browser recomputes exactly what the build computed at the default inputs.
 */
export interface Chapter05Params {
  /** Bin width, s (the sample interval of the price series). */
  binSec: number;
  /** Rolling-window length, s (config.windowsSec.landscape). */
  windowSec: number;
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
  /** Swing pivots on 1-minute bars: a pivot is the extreme of the 2·swingWindow + 1 bars around it. */
  swingBarSec: number;
  swingWindow: number;
}

export const PARAMS: Omit<Chapter05Params, "windowSec"> = {
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
  swingWindow: 5
};

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
  /** Recovered levels against the planted wells (simulated data), else null. */
  planted: null | {
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
  };
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
    points: {window: number; x: number; barrier: number | null; temperature: number; exposure: number; events: number; meanTime: number | null}[];
    fit: {slope: number | null; low: number | null; high: number | null; intercept: number | null; r2: number | null; n: number};
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
    regimes: null | {name: string; barrierOverNoise: number; plantedMeanTime: number; events: number; exposure: number; meanTime: number | null; low: number | null; high: number | null}[];
    /** The planted law ln τ = ln(π/κ) + ΔV/D (simulated data). */
    plantedLaw: null | {slope: number; intercept: number};
  };
  supportResistance: {
    touchUsd: number;
    reversalUsd: number;
    bucketUsd: number;
    /** Pooled over windows: share of the first set's levels with a level of the second within tolerance. */
    overlap: {metastableInProfile: number | null; profileInMetastable: number | null; metastableInSwings: number | null; swingsInMetastable: number | null};
    reversion: {set: string; levels: number; touches: number; reversals: number; rate: number | null; baseline: number | null; pValue: number | null}[];
  };
  /** The window choices and bandwidth choices of the page (src/components/ch05-data.ts). */
  windowChoices: number[];
  bandwidthChoices: BandwidthChoice[];
  /** The page's landscape per choice: every window at the first bandwidth, every bandwidth at the default window. */
  choices: PackedLandscape[];
}

const round = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);
const num = (x: number, digits = 6): number => round(x, digits) ?? NaN;

function median(values: ArrayLike<number>): number {
  const a = Array.from(values).filter(Number.isFinite).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** The venue whose price the chapter studies: Binance when built, else the first venue. */
export function chapterVenue(venues: readonly Venue[]): Venue {
  return venues.includes("binance") ? "binance" : venues[0];
}

/** The level sets of window j for the support/resistance comparison. */
export function windowLevelSets(
  landscape: RollingLandscape,
  bins: {vwap: Float64Array; volume: Float64Array; high: Float64Array; low: Float64Array},
  options: {bucketUsd: number; profileMinProminence: number; swingBarSec: number; swingWindow: number; binSec: number}
): {metastable: number[][]; saddles: number[][]; profile: number[][]; swings: number[][]} {
  const {end, window, offsets, levels} = landscape;
  const out = {metastable: [] as number[][], saddles: [] as number[][], profile: [] as number[][], swings: [] as number[][]};
  const barLen = Math.max(1, Math.round(options.swingBarSec / options.binSec));
  for (let j = 0; j < end.length; ++j) {
    const a = end[j] - window + 1;
    const b = end[j] + 1;
    out.metastable.push(Array.from(levels.x.subarray(offsets[j], offsets[j + 1])));
    const saddles = new Set<number>();
    for (let k = offsets[j]; k < offsets[j + 1]; ++k) {
      if (Number.isFinite(levels.leftSaddleX[k])) saddles.add(levels.leftSaddleX[k]);
      if (Number.isFinite(levels.rightSaddleX[k])) saddles.add(levels.rightSaddleX[k]);
    }
    out.saddles.push([...saddles].sort((x, y) => x - y));
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

/**
 * The page's landscape for one choice of window and bandwidth, packed (src/components/ch05-data.ts
 * `packLandscape`): `rollingLandscape` with the page's options, the occupancy of each window's
 * main level, and the dwell analysis at the catalogue levels with the page's bands (a quarter and
 * three quarters of the median gap between levels) and hot threshold — each computed as the page
 * computes it from the same inputs (the tolerance as the page reads it from the JSON).
 */
export function pageLandscape(price: Float64Array, windowSec: number, choice: BandwidthChoice, params: LandscapeParams, tolerance: number, seed: number): PackedLandscape {
  const L = rollingLandscape(price, landscapeOptions(windowSec, choice, params));
  const medianT = finiteMedian(L.temperature);
  const catalogue = levelCatalogue(L.levels.x, {tolerance, minCount: params.strideDivisor, window: L.levels.window});
  const gaps: number[] = [];
  for (let k = 1; k < catalogue.x.length; ++k) gaps.push(catalogue.x[k] - catalogue.x[k - 1]);
  const spacing = gaps.length ? finiteMedian(gaps) : 8 * finiteMedian(L.bandwidth);
  const dwell = dwellAnalysis(price, catalogue.x, {halfWidth: spacing / 4, exitHalfWidth: (3 * spacing) / 4, interval: params.binSec, hotThreshold: params.hotFactor * medianT, bootstrap: params.bootstrap, seed});
  return packLandscape(L, choice.label, occupancy(price, L, tolerance), dwell);
}

/** Pooled overlap of per-window level sets: share of a's levels with a level of b within tolerance. */
export function pooledOverlap(a: number[][], b: number[][], tolerance: number): number {
  let matched = 0;
  let total = 0;
  for (let j = 0; j < a.length; ++j) {
    if (a[j].length === 0) continue;
    total += a[j].length;
    if (b[j].length === 0) continue;
    matched += levelOverlap(a[j], b[j], tolerance).matchedA.reduce((s, v) => s + v, 0);
  }
  return total ? matched / total : NaN;
}

function fitOf(durations: ArrayLike<number>, bootstrap: number, seed: number): DwellFit {
  const f = exponentialFit(durations, {bootstrap, seed});
  return {n: f.n, mean: round(f.mean), statistic: round(f.statistic, 4), pValue: round(f.pValue, 4)};
}

/** Realised volatility over each stay, per √(sample interval): √(Σ r² / duration in samples). */
function stayTemperature(r: Float64Array, start: number, length: number, interval: number): number {
  let s = 0;
  let c = 0;
  for (let i = start + 1; i < start + length && i < r.length; ++i) if (Number.isFinite(r[i])) (s += r[i] * r[i]), ++c;
  return c > 0 ? Math.sqrt(s / (c * interval)) : NaN;
}

export async function computeChapter05(dir: string, config: AnalysisConfig): Promise<Chapter05> {
  const {lap} = stopwatch("ch05");
  const {manifest, truth, span} = chapterBuild(dir, config);
  const [t0] = span;
  const venue = chapterVenue(manifest.venues);
  const bins = await readBins(dir, venue, BIN_MS);
  const price = bins.last;
  const volume = Float64Array.from(bins.v_buy, (v, i) => v + bins.v_sell[i]);
  lap("read bins");

  const params: Chapter05Params = {...PARAMS, windowSec: config.windowsSec.landscape};
  const interval = params.binSec;
  const window = Math.round(params.windowSec / interval);
  const stride = Math.max(1, Math.round(window / params.strideDivisor));
  if (price.length < window) throw new RangeError(`invalid windowsSec.landscape: ${params.windowSec} (the span has ${price.length} bins)`);
  const medianPrice = median(price);
  const toleranceUsd = (params.toleranceBp * 1e-4 * medianPrice);

  // 1. Landscapes.
  const L = rollingLandscape(price, {window, step: stride, bandwidth: params.bandwidthRule, common: params.commonBandwidth, interval, minProminence: params.minProminence, minMass: params.minMass});
  const count = L.end.length;
  const endMs = Array.from(L.end, (e) => t0 + (e + 1) * BIN_MS);
  const medianT = median(L.temperature);
  const hot = Array.from(L.temperature, (T) => (T >= params.hotFactor * medianT ? 1 : 0));
  const regimeAtMs = (t: number) => (truth ? (truth.regimes.find((r) => t < r.end) ?? truth.regimes[truth.regimes.length - 1]).name : null);
  const regime = Array.from(L.end, (e) => regimeAtMs(t0 + (e + 1 - window / 2) * BIN_MS));
  lap("landscape");

  // 2. Levels: tracks, catalogue, planted wells.
  const positions = Array.from({length: count}, (_, j) => L.levels.x.subarray(L.offsets[j], L.offsets[j + 1]));
  const tracked = trackLevels(positions, {tolerance: toleranceUsd, maxGap: 1});
  const trackOf = new Int32Array(L.levels.x.length);
  for (let j = 0; j < count; ++j) for (let k = 0; k < tracked.label[j].length; ++k) trackOf[L.offsets[j] + k] = tracked.label[j][k];
  const catalogue = levelCatalogue(L.levels.x, {tolerance: toleranceUsd, minCount: params.catalogueMinWindows, window: L.levels.window});
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of price) if (Number.isFinite(p)) (lo = Math.min(lo, p)), (hi = Math.max(hi, p));
  const wells = truth ? truth.wells.levels.filter((w) => w >= lo && w <= hi) : [];
  const nearest = (x: number) => (wells.length ? wells.reduce((a, w) => (Math.abs(w - x) < Math.abs(a - x) ? w : a), wells[0]) : NaN);

  // Dwell bands from the catalogue's spacing.
  const gaps: number[] = [];
  for (let k = 1; k < catalogue.x.length; ++k) gaps.push(catalogue.x[k] - catalogue.x[k - 1]);
  const spacing = gaps.length ? median(gaps) : 8 * L.bandwidth.find((h) => h > 0)!;
  const halfWidth = spacing / 4;
  const exitHalfWidth = (3 * spacing) / 4;

  let planted: Chapter05["planted"] = null;
  if (truth) {
    const cat = levelOverlap(catalogue.x, wells, toleranceUsd);
    const perWindow = levelOverlap(L.levels.x, wells, toleranceUsd);
    const recoveredMatched = cat.matchedA.reduce((s, v) => s + v, 0);
    const plantedMatched = cat.matchedB.reduce((s, v) => s + v, 0);
    // Wells the price occupied for at least one window length (time within the core).
    const occupied = wells.filter((w) => {
      let c = 0;
      for (const p of price) if (Math.abs(p - w) <= halfWidth) ++c;
      return c >= window;
    });
    const occ = levelOverlap(occupied, catalogue.x, toleranceUsd);
    const baselineTime = nearShare(price, wells, toleranceUsd);
    const baselineUniform = Math.min(1, (2 * toleranceUsd) / truth.wells.spacingUsd);
    const n = catalogue.x.length;
    planted = {
      inRange: wells,
      recoveredMatched,
      recovered: n,
      recoveredShare: num(recoveredMatched / n),
      windowLevelShare: num(perWindow.shareA),
      plantedMatched,
      plantedShare: num(plantedMatched / wells.length),
      occupied,
      occupiedMatched: occ.matchedA.reduce((s, v) => s + v, 0),
      baselineTime: num(baselineTime),
      baselineUniform: num(baselineUniform),
      pTime: num(n ? binomialTest(recoveredMatched, n, {p: baselineTime, alternative: "greater"}) : NaN, 4),
      pUniform: num(n ? binomialTest(recoveredMatched, n, {p: baselineUniform, alternative: "greater"}) : NaN, 4)
    };
  }
  lap("levels");

  // 3. Dwell times at the catalogue levels over the whole span (completed stays).
  const r = logReturns(price);
  const stays = dwellTimesAt(price, catalogue.x, {halfWidth, exitHalfWidth, interval});
  const seed = config.seed;
  const perLevel = stays.map((d, k) => ({x: num(catalogue.x[k]), ...fitOf(d.duration, params.bootstrap, deriveSeed(seed, `ch05 dwell ${k}`))}));
  const coldD: number[] = [];
  const hotD: number[] = [];
  for (const d of stays)
    for (let i = 0; i < d.duration.length; ++i) {
      const T = stayTemperature(r, d.start[i], Math.round(d.duration[i] / interval), interval);
      (T >= params.hotFactor * medianT ? hotD : coldD).push(d.duration[i]);
    }
  const dwells: Chapter05["dwells"] = {
    spacing: num(spacing),
    halfWidth: num(halfWidth),
    exitHalfWidth: num(exitHalfWidth),
    perLevel,
    cold: {...fitOf(coldD, params.bootstrap, deriveSeed(seed, "ch05 dwell cold")), durations: coldD.sort((a, b) => a - b)},
    hot: {...fitOf(hotD, params.bootstrap, deriveSeed(seed, "ch05 dwell hot")), durations: hotD.sort((a, b) => a - b)}
  };
  lap("dwells");

  // 4. Kramers: escape times per (non-overlapping window, level).
  const E = escapePoints(price, L, {halfWidth, exitHalfWidth, interval});
  const barrierF = Float64Array.from(E.barrier, (b, i) => b * E.temperature[i]);
  const kf = kramersFit(E.meanTime, barrierF, E.temperature, {counts: E.events, minCount: 1});
  const te = temperatureEffect(E.meanTime, E.temperature, {counts: E.events, minCount: 1});
  const cls = {cold: {events: 0, exposure: 0}, hot: {events: 0, exposure: 0}};
  for (let i = 0; i < E.x.length; ++i) {
    const c = hot[E.window[i]] ? cls.hot : cls.cold;
    c.events += E.events[i];
    c.exposure += E.exposure[i];
  }
  const rr = rateRatio(cls.hot.events, cls.hot.exposure, cls.cold.events, cls.cold.exposure);
  let regimes: Chapter05["kramers"]["regimes"] = null;
  let plantedLaw: Chapter05["kramers"]["plantedLaw"] = null;
  if (truth) {
    const names = [...new Set(truth.regimes.map((x) => x.name))];
    regimes = names.map((name) => {
      const rt = truth.regimes.find((x) => x.name === name)!;
      let events = 0;
      let exposure = 0;
      for (let i = 0; i < E.x.length; ++i) if (regime[E.window[i]] === name) (events += E.events[i]), (exposure += E.exposure[i]);
      const z = 1.959963984540054;
      const tau = events > 0 ? exposure / events : NaN;
      return {
        name,
        barrierOverNoise: num(rt.barrierOverNoise),
        plantedMeanTime: num(1 / rt.escapeRatePerSec),
        events,
        exposure: num(exposure),
        meanTime: round(tau),
        low: round(tau * Math.exp(-z / Math.sqrt(events))),
        high: round(tau * Math.exp(z / Math.sqrt(events)))
      };
    });
    plantedLaw = {slope: 1, intercept: num(Math.log(Math.PI / truth.wells.kappaPerSec))};
  }
  const kramers: Chapter05["kramers"] = {
    points: Array.from(E.x, (x, i) => ({
      window: E.window[i],
      x: num(x),
      barrier: round(E.barrier[i]),
      temperature: num(E.temperature[i]),
      exposure: E.exposure[i],
      events: E.events[i],
      meanTime: round(E.meanTime[i])
    })),
    fit: {slope: round(kf.slope), low: round(kf.slopeLow), high: round(kf.slopeHigh), intercept: round(kf.intercept), r2: round(kf.r2), n: kf.n},
    temperatureEffect: {slope: round(te.slope), low: round(te.slopeLow), high: round(te.slopeHigh), correlation: round(te.correlation), answer: te.answer, n: te.n},
    classes: {
      cold: {...cls.cold, meanTime: round(cls.cold.exposure / cls.cold.events)},
      hot: {...cls.hot, meanTime: round(cls.hot.exposure / cls.hot.events)},
      ratio: round(rr.ratio),
      low: round(rr.low),
      high: round(rr.high),
      pValue: round(rr.pValue, 4)
    },
    regimes,
    plantedLaw
  };
  lap("kramers");

  // 5. Support and resistance beside the metastable levels, out of sample.
  const bp = 1e-4 * medianPrice;
  const bucketUsd = num(params.profileBucketBp * bp, 4);
  const sets = windowLevelSets(L, {vwap: bins.vwap, volume, high: bins.high, low: bins.low}, {bucketUsd, profileMinProminence: params.profileMinProminence, swingBarSec: params.swingBarSec, swingWindow: params.swingWindow, binSec: interval});
  const touchUsd = num(params.touchBp * bp, 4);
  const reversalUsd = num(params.reversalBp * bp, 4);
  const horizon = Math.round(params.horizonSec / interval);
  const reversion = (["metastable", "saddles", "profile", "swings"] as const).map((set) => {
    const w = walkForwardReversion(price, sets[set], {end: L.end, stride, window, tolerance: touchUsd, reversal: reversalUsd, horizon, surrogates: config.surrogates, seed: deriveSeed(seed, `ch05 reversion ${set}`)});
    return {set, levels: w.levels, touches: w.touches, reversals: w.reversals, rate: round(w.rate), baseline: round(w.baseline), pValue: round(w.pValue, 4)};
  });
  const supportResistance: Chapter05["supportResistance"] = {
    touchUsd,
    reversalUsd,
    bucketUsd,
    overlap: {
      metastableInProfile: round(pooledOverlap(sets.metastable, sets.profile, toleranceUsd)),
      profileInMetastable: round(pooledOverlap(sets.profile, sets.metastable, toleranceUsd)),
      metastableInSwings: round(pooledOverlap(sets.metastable, sets.swings, toleranceUsd)),
      swingsInMetastable: round(pooledOverlap(sets.swings, sets.metastable, toleranceUsd))
    },
    reversion
  };
  lap("support/resistance");

  // 6. The page's choices: every window at the default bandwidth, every bandwidth at the default window.
  const tolerancePage = num(toleranceUsd);
  const choiceList: [number, BandwidthChoice][] = [
    ...windowChoices(params.windowSec).map((w): [number, BandwidthChoice] => [w, BANDWIDTH_CHOICES[0]]),
    ...BANDWIDTH_CHOICES.slice(1).map((b): [number, BandwidthChoice] => [params.windowSec, b])
  ];
  const choices = choiceList.filter(([w]) => price.length >= w).map(([w, b]) => pageLandscape(price, w, b, params, tolerancePage, seed));
  lap("page choices");

  return {
    source: manifest.source,
    venue,
    span,
    seed,
    surrogates: config.surrogates,
    params,
    medianPrice: num(medianPrice),
    toleranceUsd: num(toleranceUsd),
    bandwidthUsd: num(median(L.bandwidth)),
    strideSec: stride * interval,
    windows: {end: endMs, temperature: Array.from(L.temperature, (T) => round(T)), hot, regime, medianTemperature: num(medianT)},
    levels: {
      window: Array.from(L.levels.window),
      x: Array.from(L.levels.x, (x) => num(x)),
      prominence: Array.from(L.levels.prominence, (x) => round(x, 4) ?? 1e9),
      barrier: Array.from(L.levels.barrier, (x) => round(x, 4)),
      mass: Array.from(L.levels.mass, (x) => num(x, 4)),
      track: Array.from(trackOf)
    },
    tracks: tracked.tracks.map((t, id) => ({id, windows: Array.from(t.windows), x: Array.from(t.x, (x) => num(x))})).filter((t) => t.windows.length >= 2),
    catalogue: {
      x: Array.from(catalogue.x, (x) => num(x)),
      count: Array.from(catalogue.count),
      first: Array.from(catalogue.first),
      last: Array.from(catalogue.last),
      nearestPlanted: Array.from(catalogue.x, (x) => round(nearest(x)))
    },
    planted,
    dwells,
    kramers,
    supportResistance,
    windowChoices: windowChoices(params.windowSec),
    bandwidthChoices: BANDWIDTH_CHOICES,
    choices
  };
}
