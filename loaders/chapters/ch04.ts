/**
 * Chapter 04 at build time: phase-transition signatures and regime classification.
 *
 * The market is read as a thermodynamic system, from the 1 s bins of docs/data.md:
 * - the order flow of all venues pooled (buys and sells per second), the "market";
 * - the price of the reference venue (the one with most trades), its temperature;
 * - the trade signs of every venue, in trade time, for the correlation length of order flow.
 *
 * Computed here, the parts that are fixed or too heavy for the browser:
 * - per-minute lag sums of each venue's trade signs (lib/block-acf.ts), from which the page gets
 *   the trade-sign correlation length of any window made of whole minutes without the trades;
 * - change points of the log realised volatility (one-minute blocks) and of the entropy of the
 *   pooled net flow (five-minute blocks): PELT candidates kept when the whole detector, rerun on
 *   phase-randomised surrogates of the series (same spectrum, long memory included, no change),
 *   rarely finds as large a change (family-wise p-values, lib/change-point-test.ts); each
 *   classified first-order-like (a jump) or second-order-like (continuous) (lib/change-point.ts),
 *   and matched with the known events — the planted crash start, crash end and recovery end, and
 *   the funding times 00:00/08:00/16:00 UTC;
 * - the same detector on the calm part before the crash alone (a span with no planted change), to
 *   show its false alarms;
 * - early-warning indicators (rolling variance and lag-1 autocorrelation of the detrended log
 *   price) before the crash, their Kendall trends against AR(1) and phase-randomised surrogates,
 *   and the same test on a calm control stretch;
 * - the page's observables, trade-sign correlation length and forward outcomes at the default
 *   window for every choice of its "order flow of" select (all venues pooled, each venue), exact
 *   (packed doubles), so that the select is a lookup and only another window is computed in the
 *   browser;
 * - the page's own early-warning test of each venue's price at the page's default stretch and
 *   window, with both nulls (the page's surrogate count and seed), so that the page looks it up
 *   when only the venue or the null changes instead of rerunning 2 × 199 surrogate series;
 * - at the default window, the lead-time test of correlation-length and susceptibility spikes
 *   against volatility change points, and the regime validation table.
 * The page recomputes the window-dependent parts in the browser with the same lib/ functions.
 *
 * References: Scheffer et al., Nature 461 (2009) 53 (critical transitions); Dakos et al.,
 * PLoS ONE 7 (2012) e41010 (early-warning methods); Killick, Fearnhead & Eckley, JASA 107 (2012)
 * 1590 (PELT); Plerou, Gopikrishnan & Stanley, Nature 421 (2003) 130 (two-phase order flow).
 */
import {join} from "node:path";
import {readArrowColumns} from "../arrow.ts";
import type {AnalysisConfig, Venue} from "../config.ts";
import {readBins} from "../market.ts";
import {chapterBuild} from "./build.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {addBlockLagSums, blockLagSums, rollingBlockCorrelationLength, type BlockLagSums} from "../../lib/block-acf.js";
import {classifyChanges} from "../../lib/change-point.js";
import {significantChanges} from "../../lib/change-point-test.js";
import {earlyWarning} from "../../lib/early-warning.js";
import {leadTest, spikeOnsets} from "../../lib/event-lead.js";
import {matchEvents} from "../../lib/event-match.js";
import {flowThresholds, phaseObservables, returnLagSums, type PhaseBins} from "../../lib/phase-observables.js";
import {deriveSeed} from "../../lib/random.js";
import {logReturns} from "../../lib/returns.js";
import {classifyRegimes, forwardOutcomes, regimeTable, type RegimeRow} from "../../lib/regime.js";
import {logPriceSamples, signSums as pageSignSums, type SignSumsJSON} from "../../src/components/ch04-data.ts";
import {packFloat64} from "../../lib/analysis/packed.js";

/** Block of the volatility change-point series and of the trade-sign lag sums, s. */
export const BLOCK_SEC = 60;
/**
 * Block of the entropy change-point series, s: five minutes, the middle entropy window of the
 * configuration's defaults. A one-minute entropy of 60 symbols is too skewed and noisy (one-sided
 * seconds of a long metaorder make deep dips) for a change in its mean to stand out.
 */
export const ENTROPY_BLOCK_SEC = 300;
/** Step of the rolling windows, s. */
export const STEP_SEC = 60;
/** Largest lag of the trade-sign lag sums, trades. */
export const SIGN_MAX_LAG = 16;
/** Largest lag of the returns' autocorrelation for their correlation length, s. */
export const RETURN_MAX_LAG = 30;
/** Shortest segment of the volatility change-point detector, blocks: a regime lasts at least five minutes. */
export const MIN_SEGMENT_BLOCKS = 5;
/** Shortest segment of the entropy change-point detector, blocks (15 minutes). */
export const ENTROPY_MIN_SEGMENT_BLOCKS = 3;
/** Family-wise significance level of the change points and tests. */
export const ALPHA = 0.05;
/** Largest distance between a planted event and a change point that recovers it, minutes. */
export const TOLERANCE_MIN = 5;
/** Sampling of the early-warning series (log price), s. */
export const EW_SAMPLE_SEC = 10;
/** Step of the early-warning indicators' rolling windows, samples (one minute). */
export const EW_STEP = 6;
/** Longest stretch examined before the transition by the early-warning test, s (also the page's default). */
export const EW_LOOKBACK_SEC = 4 * 3600;
/** Surrogates of the early-warning test the page runs in the browser (fewer than the build's own test). */
export const PAGE_EW_SURROGATES = 199;
/** Default horizon of the lead-time test, minutes. */
export const LEAD_HORIZON_MIN = 30;
/** Default spike quantile of the lead-time test. */
export const SPIKE_QUANTILE = 0.9;
/** Default regime quantiles [low, high] of every observable. */
export const REGIME_QUANTILES: [number, number] = [1 / 3, 2 / 3];
/** Default conditions (of three) a regime needs. */
export const REGIME_VOTES = 2;
/** Placements of the lead-time null. */
export const LEAD_PLACEMENTS = 1000;
/** Funding times of the perpetuals, hours UTC. */
export const FUNDING_HOURS = [0, 8, 16];

/** A known event the change points are compared with. */
export interface KnownEvent {
  name: string;
  /** Epoch ms. */
  time: number;
  kind: "planted" | "funding";
}

/** Change points of one block series, with their tests and classification. */
export interface ChangeSeries {
  /** Block length, s. */
  blockSec: number;
  /** Shortest segment, blocks. */
  minSize: number;
  /** Start of each block, epoch ms. */
  t: number[];
  /** The series, one value per block. */
  values: number[];
  /** Candidate change times (epoch ms, start of the first block of the new segment). */
  candidates: number[];
  /** Their block indices. */
  candidateIndex: number[];
  /** Split gain of each candidate, units of the series squared. */
  gain: number[];
  /** Family-wise p-value of each candidate. */
  p: number[];
  /** First-order-like ("first": a jump), second-order-like ("second") or "none", per candidate. */
  order: ("first" | "second" | "none")[];
  /** Jump size in local noise SDs, per candidate. */
  jump: number[];
  /** Share of surrogates on which the detector found any candidate (null without candidates). */
  nullAlarmRate: number;
  /** SD and lag-1 autocorrelation of the series. */
  noise: {sd: number; phi: number};
}

/** Nearest significant change of each kind to one known event. */
export interface EventRecovery {
  name: string;
  kind: KnownEvent["kind"];
  time: number;
  entropy: {time: number | null; errorMin: number | null; found: boolean};
  volatility: {time: number | null; errorMin: number | null; found: boolean};
}

/** The early-warning test of one stretch (see {@link earlyWarningStretch}). */
export interface EarlyWarningResult {
  start: number;
  end: number;
  label: string;
  /** Kendall τ and one-sided p of the rolling variance and lag-1 autocorrelation, per null. */
  ar1: {variance: {tau: number; p: number}; autocorrelation: {tau: number; p: number}};
  phase: {variance: {tau: number; p: number}; autocorrelation: {tau: number; p: number}};
  /** Rolling indicators (AR(1) run): time of each window end, variance, lag-1 autocorrelation. */
  t: number[];
  variance: number[];
  autocorrelation: number[];
}

/** One lead-time test at the default settings. */
export interface LeadResult {
  indicator: "correlationLengthReturns" | "correlationLengthSigns" | "susceptibility";
  spikes: number;
  hits: number;
  hitRate: number;
  nullMean: number;
  p: number;
}

/**
 * The page's early-warning test of one venue's price at its default inputs (EW_LOOKBACK_SEC before
 * the transition, the default indicator window, PAGE_EW_SURROGATES surrogates, both nulls): what
 * the page would compute, so that choosing the venue or the null is a lookup.
 */
export interface PageEarlyWarning {
  /** Time of each window's last sample (epoch ms). */
  t: number[];
  variance: number[];
  autocorrelation: number[];
  ar1: {variance: {tau: number; p: number}; autocorrelation: {tau: number; p: number}};
  phase: {variance: {tau: number; p: number}; autocorrelation: {tau: number; p: number}};
}

/**
 * The page's series at the default window for one choice of its "order flow of" select, each a
 * Float64Array packed by src/components/packed.ts (exact doubles, NaN kept), one value per window
 * (window j ends at bin STEP_SEC·j + windowSec − 1): the observables of lib/phase-observables.ts,
 * the trade-sign correlation length, and the forward volatility and return of lib/regime.ts.
 */
export interface PageObservables {
  volatility: string;
  imbalance: string;
  susceptibility: string;
  correlationLength: string;
  entropy: string;
  signXi: string;
  forwardVolatility: string;
  forwardReturn: string;
}

/** Per-minute trade-sign lag sums of one venue, as JSON arrays (see lib/block-acf.ts); the page reads them back with `signSums` of the same module. */
export type SignSums = SignSumsJSON;

export interface Chapter04 {
  source: "simulated" | "real";
  span: [number, number];
  venues: Venue[];
  /** Venue whose price is the market's (most trades). */
  referenceVenue: Venue;
  settings: {
    blockSec: number;
    entropyBlockSec: number;
    stepSec: number;
    windowSec: number;
    minSegmentBlocks: number;
    alpha: number;
    toleranceMin: number;
    surrogates: number;
    seed: number;
    signMaxLag: number;
    returnMaxLag: number;
    ewSampleSec: number;
    ewStep: number;
    ewLookbackSec: number;
    pageEwSurrogates: number;
    leadHorizonMin: number;
    spikeQuantile: number;
    regimeQuantiles: [number, number];
    regimeVotes: number;
    fundingHours: number[];
  };
  knownEvents: KnownEvent[];
  changes: {entropy: ChangeSeries; volatility: ChangeSeries};
  /** For each known event, the nearest significant change of each series. */
  recovery: EventRecovery[];
  /** The detector on the calm part before the crash alone (null for real data). */
  calmCheck: {start: number; end: number; entropyChanges: number; volatilityChanges: number; entropyCandidates: number; volatilityCandidates: number} | null;
  /** Early warning before the transition (planted crash start; the largest volatility change for real data). */
  earlyWarning: {
    target: number | null;
    targetLabel: string;
    windowSec: number;
    before: EarlyWarningResult | null;
    control: EarlyWarningResult | null;
    /** The page's test per venue's price at the page's defaults (none without a transition or with too short a stretch). */
    page: Partial<Record<Venue, PageEarlyWarning>>;
  };
  /** Lead-time tests at the default window. */
  lead: LeadResult[];
  /** Regime validation at the default window. */
  regimes: RegimeRow[];
  /** Windows of each planted regime by label (unlabelled, cold, critical, hot), simulated data only. */
  plantedRegimes: {name: "calm" | "crash" | "recovery"; counts: number[]}[] | null;
  /** Per-minute trade-sign lag sums per venue. */
  signs: {blockMs: number; maxLag: number; venues: Partial<Record<Venue, SignSums>>};
  /** The page's series at the default window per choice of its select ("all" and each venue). */
  observables: Record<string, PageObservables>;
}

/** The pooled order flow of all venues and the reference venue's price, 1 s bins. */
export async function readMarketBins(dir: string, venues: Venue[], reference: Venue): Promise<PhaseBins & {t: Float64Array}> {
  const all = await Promise.all(venues.map((v) => readBins(dir, v, 1000)));
  const n = all[0].length;
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (const b of all) {
    if (b.length !== n) throw new RangeError(`invalid bins: ${b.length} (expected ${n})`);
    for (let i = 0; i < n; ++i) (buy[i] += b.n_buy[i]), (sell[i] += b.n_sell[i]);
  }
  const ref = all[venues.indexOf(reference)];
  return {t: ref.t, buy, sell, price: ref.last};
}

/** Per-minute (block) lag sums of a venue's known trade signs (±1; unknown sides dropped). */
export async function signLagSums(dir: string, venue: Venue, span: [number, number], blockMs = BLOCK_SEC * 1000, maxLag = SIGN_MAX_LAG): Promise<BlockLagSums> {
  const {length, columns} = await readArrowColumns(join(dir, `trades-${venue}.arrow`), ["time", "side"]);
  const time = columns.time as Float64Array;
  const side = columns.side as Int8Array;
  const B = Math.ceil((span[1] - span[0]) / blockMs);
  const x = new Float64Array(length);
  const bounds = new Int32Array(B + 1);
  let m = 0;
  let b = 0;
  for (let i = 0; i < length; ++i) {
    const s = side[i];
    if (s !== 1 && s !== -1) continue;
    const blk = Math.min(B, Math.floor((time[i] - span[0]) / blockMs));
    if (blk < 0 || blk >= B) continue;
    while (b < blk) bounds[++b] = m;
    x[m++] = s;
  }
  while (b < B) bounds[++b] = m;
  return blockLagSums(x.subarray(0, m), bounds, maxLag);
}

/** The known events inside the span: planted crash start, crash end, recovery end; funding times. */
export function knownEvents(span: [number, number], truth: SimTruth | null): KnownEvent[] {
  const events: KnownEvent[] = [];
  if (truth) {
    events.push({name: "crash start", time: truth.events.crashStart, kind: "planted"});
    events.push({name: "crash end", time: truth.events.crashEnd, kind: "planted"});
    events.push({name: "recovery end", time: truth.events.recoveryEnd, kind: "planted"});
  }
  for (let d = Math.floor(span[0] / 86_400_000) * 86_400_000; d < span[1]; d += 86_400_000)
    for (const h of FUNDING_HOURS) {
      const t = d + h * 3_600_000;
      if (t > span[0] && t < span[1]) events.push({name: `funding ${String(h).padStart(2, "0")}:00`, time: t, kind: "funding"});
    }
  return events.sort((a, b) => a.time - b.time);
}

/** Options of the change-point detector on a block series. */
export interface DetectorOptions {
  seed: number;
  surrogates: number;
  minSize: number;
}

/**
 * Significant change points of a block series (PELT candidates tested against phase-randomised
 * surrogates of the whole series, lib/change-point-test.ts), each classified first- or
 * second-order-like (lib/change-point.ts). `t` holds the start of each block (epoch ms).
 */
export function detectChanges(values: Float64Array, t: ArrayLike<number>, blockSec: number, options: DetectorOptions): ChangeSeries & {changes: number[]} {
  const {seed, surrogates, minSize} = options;
  const test = significantChanges(values, {seed, surrogates, minSize, alpha: ALPHA, null: "phase", fit: "series"});
  const cls = classifyChanges(values, test.candidates, {context: Math.max(2, Math.min(30, Math.floor(values.length / 4)))});
  const idx = Array.from(test.candidates);
  return {
    blockSec,
    minSize,
    t: Array.from(t),
    values: Array.from(values),
    candidates: idx.map((i) => t[i]),
    candidateIndex: idx,
    gain: Array.from(test.gain),
    p: Array.from(test.p),
    order: cls.order,
    jump: Array.from(cls.jump),
    nullAlarmRate: test.nullAlarmRate,
    noise: test.noise,
    changes: Array.from(test.changes, (i) => t[i])
  };
}

/**
 * Both change-point analyses of a market: the log realised volatility per BLOCK_SEC block and the
 * flow entropy per ENTROPY_BLOCK_SEC block (1 s bins from t0), each through {@link detectChanges}.
 */
export function changePoints(market: PhaseBins, t0: number, seed: number, surrogates: number): {entropy: ChangeSeries & {changes: number[]}; volatility: ChangeSeries & {changes: number[]}} {
  const times = (m: number, sec: number) => Array.from({length: m}, (_, b) => t0 + b * sec * 1000);
  const vb = blockSeries(market, BLOCK_SEC);
  const eb = blockSeries(market, ENTROPY_BLOCK_SEC);
  return {
    volatility: detectChanges(vb.logVolatility, times(vb.logVolatility.length, BLOCK_SEC), BLOCK_SEC, {seed: deriveSeed(seed, "ch04:volatility"), surrogates, minSize: MIN_SEGMENT_BLOCKS}),
    entropy: detectChanges(eb.entropy, times(eb.entropy.length, ENTROPY_BLOCK_SEC), ENTROPY_BLOCK_SEC, {seed: deriveSeed(seed, "ch04:entropy"), surrogates, minSize: ENTROPY_MIN_SEGMENT_BLOCKS})
  };
}

/** The block series of the change-point analysis: entropy of the net flow and log realised volatility per block. */
export function blockSeries(bins: PhaseBins, blockBins: number, thresholds?: ArrayLike<number>): {entropy: Float64Array; logVolatility: Float64Array; end: Int32Array} {
  const o = phaseObservables(bins, {window: blockBins, step: blockBins, skipCorrelationLength: true, thresholds});
  const logVolatility = o.volatility.map((v) => (v > 0 ? Math.log(v) : NaN));
  // A block without any price move (no trade at all) has no log volatility: carry the previous one.
  for (let i = 0; i < logVolatility.length; ++i) if (!Number.isFinite(logVolatility[i])) logVolatility[i] = i > 0 ? logVolatility[i - 1] : NaN;
  const first = logVolatility.findIndex(Number.isFinite);
  if (first < 0) logVolatility.fill(0); // no price move at all: a flat series, no change
  for (let i = 0; i < first; ++i) logVolatility[i] = logVolatility[first];
  const entropy = o.entropy.map((v) => (Number.isFinite(v) ? v : 0));
  return {entropy, logVolatility, end: o.end};
}

/**
 * Early-warning test on the detrended log price of [start, end), sampled every EW_SAMPLE_SEC:
 * rolling variance and lag-1 autocorrelation over `windowSec`, a window every EW_STEP samples,
 * Gaussian detrending with a bandwidth of one window, Kendall trends against AR(1) and
 * phase-randomised surrogates.
 */
export function earlyWarningStretch(t: Float64Array, price: ArrayLike<number>, start: number, end: number, windowSec: number, seed: number, surrogates: number, label: string): EarlyWarningResult | null {
  const step = EW_SAMPLE_SEC;
  const i0 = Math.max(0, Math.ceil((start - t[0]) / 1000));
  const i1 = Math.min(t.length, Math.floor((end - t[0]) / 1000));
  const x: number[] = [];
  const tx: number[] = [];
  for (let i = i0 + step - 1; i < i1; i += step) {
    const p = +price[i];
    if (p > 0) x.push(Math.log(p)), tx.push(t[i] + 1000);
  }
  const w = Math.round(windowSec / step);
  if (x.length < 2 * w || w < 3) return null;
  const series = Float64Array.from(x);
  const options = {window: w, step: EW_STEP, seed, surrogates, bandwidth: w};
  const ar1 = earlyWarning(series, {...options, null: "ar1"});
  const phase = earlyWarning(series, {...options, null: "phase"});
  const pick = (e: typeof ar1) => ({
    variance: {tau: e.varianceTrend.tau, p: e.varianceTrend.p},
    autocorrelation: {tau: e.autocorrelationTrend.tau, p: e.autocorrelationTrend.p}
  });
  return {
    start: tx[0] - step * 1000,
    end: tx[tx.length - 1],
    label,
    ar1: pick(ar1),
    phase: pick(phase),
    t: Array.from(ar1.end, (j) => tx[j]),
    variance: Array.from(ar1.variance),
    autocorrelation: Array.from(ar1.autocorrelation)
  };
}

/**
 * The early-warning test the page runs on `series` (a venue's 1 s prices) at its defaults: the
 * log price every EW_SAMPLE_SEC over the EW_LOOKBACK_SEC before `target` (logPriceSamples, the
 * page's own sampling), windows of `windowSec`, PAGE_EW_SURROGATES surrogates, both nulls, with
 * the page's seed. Null when the stretch is shorter than two windows.
 */
export function pageEarlyWarning(series: {t: Float64Array; price: Float64Array}, span: [number, number], target: number, windowSec: number, seed: number): PageEarlyWarning | null {
  const samples = logPriceSamples(series, Math.max(span[0], target - EW_LOOKBACK_SEC * 1000), target, EW_SAMPLE_SEC);
  const w = Math.round(windowSec / EW_SAMPLE_SEC);
  if (samples.x.length < 2 * w) return null;
  const options = {window: w, step: EW_STEP, seed: deriveSeed(seed, "ch04:early-warning"), surrogates: PAGE_EW_SURROGATES, bandwidth: w};
  const ar1 = earlyWarning(samples.x, {...options, null: "ar1"});
  const phase = earlyWarning(samples.x, {...options, null: "phase"});
  const pick = (e: typeof ar1) => ({
    variance: {tau: e.varianceTrend.tau, p: e.varianceTrend.p},
    autocorrelation: {tau: e.autocorrelationTrend.tau, p: e.autocorrelationTrend.p}
  });
  return {t: Array.from(ar1.end, (j) => samples.t[j]), variance: Array.from(ar1.variance), autocorrelation: Array.from(ar1.autocorrelation), ar1: pick(ar1), phase: pick(phase)};
}

/**
 * The page's series for one choice of its select at `windowSec` (see {@link PageObservables}),
 * computed as the page computes them: the flow's entropy cut points and the returns' per-minute lag
 * sums of the series, `phaseObservables`, the correlation length of the trade signs from the
 * shipped per-minute sums (`signSums` of src/components/ch04-data.ts, as the page reads them), and
 * `forwardOutcomes` over the window's length.
 */
export function pageObservables(series: PhaseBins, signs: Chapter04["signs"], venue: string, windowSec: number): PageObservables {
  const thresholds = flowThresholds(series);
  const sums = returnLagSums(series.price, {block: STEP_SEC, maxLag: RETURN_MAX_LAG});
  const obs = phaseObservables(series, {window: windowSec, step: STEP_SEC, maxLag: RETURN_MAX_LAG, thresholds, returnSums: {block: STEP_SEC, sums}});
  const signXi = rollingBlockCorrelationLength(pageSignSums(signs, venue), {window: windowSec / BLOCK_SEC, step: STEP_SEC / BLOCK_SEC, interpolation: "linear"}).slice(0, obs.end.length);
  const outcomes = forwardOutcomes(logReturns(series.price, {align: "end"}), obs.end, {horizon: windowSec});
  return {
    volatility: packFloat64(obs.volatility),
    imbalance: packFloat64(obs.imbalance),
    susceptibility: packFloat64(obs.susceptibility),
    correlationLength: packFloat64(obs.correlationLength),
    entropy: packFloat64(obs.entropy),
    signXi: packFloat64(signXi),
    forwardVolatility: packFloat64(outcomes.volatility),
    forwardReturn: packFloat64(outcomes.return)
  };
}

/** Window index of each event time: the first window (ends at `end[j]`, 1 s bins from t0) that ends at or after it. */
export function eventWindows(times: number[], t0: number, end: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (const time of times) {
    let j = 0;
    while (j < end.length && t0 + (end[j] + 1) * 1000 < time) ++j;
    if (j < end.length) out.push(j);
  }
  return out;
}

const plain = (s: BlockLagSums): SignSums => ({
  count: Array.from(s.count),
  sum: Array.from(s.sum),
  products: Array.from(s.products),
  crossing: Array.from(s.crossing),
  head: Array.from(s.head),
  tail: Array.from(s.tail)
});

/** Chapter 04's build-time results for the derived folder `dir` of `config`. */
export async function computeChapter04(dir: string, config: AnalysisConfig): Promise<Chapter04> {
  const {manifest, truth, span} = chapterBuild(dir, config);
  const venues = manifest.venues;
  const reference = venues.reduce((a, v) => ((manifest.perVenue[v]?.trades ?? 0) > (manifest.perVenue[a]?.trades ?? 0) ? v : a), venues[0]);
  const seed = config.seed;
  const S = config.surrogates;
  // Windows are whole minutes (the trade-sign sums are per minute).
  const windowSec = Math.max(2, Math.round(config.windowsSec.regime / BLOCK_SEC)) * BLOCK_SEC;
  const market = await readMarketBins(dir, venues, reference);

  // Trade-sign lag sums per minute.
  const signSums: Partial<Record<Venue, BlockLagSums>> = {};
  for (const v of venues) signSums[v] = await signLagSums(dir, v, span);

  // Change points: log volatility on one-minute blocks, flow entropy on five-minute blocks.
  const {entropy, volatility} = changePoints(market, span[0], seed, S);
  const events = knownEvents(span, truth);
  const tol = TOLERANCE_MIN * 60_000;
  const me = matchEvents(events.map((e) => e.time), entropy.changes, tol);
  const mv = matchEvents(events.map((e) => e.time), volatility.changes, tol);
  const recovery: EventRecovery[] = events.map((e, i) => ({
    name: e.name,
    kind: e.kind,
    time: e.time,
    entropy: {time: me.nearest[i] >= 0 ? entropy.changes[me.nearest[i]] : null, errorMin: me.nearest[i] >= 0 ? me.error[i] / 60_000 : null, found: me.found[i] === 1},
    volatility: {time: mv.nearest[i] >= 0 ? volatility.changes[mv.nearest[i]] : null, errorMin: mv.nearest[i] >= 0 ? mv.error[i] / 60_000 : null, found: mv.found[i] === 1}
  }));

  // The detector on the calm part alone: no planted change there.
  let calmCheck: Chapter04["calmCheck"] = null;
  if (truth) {
    const calmBins = Math.floor((truth.events.crashStart - span[0]) / (ENTROPY_BLOCK_SEC * 1000)) * ENTROPY_BLOCK_SEC;
    if (calmBins >= 4 * ENTROPY_MIN_SEGMENT_BLOCKS * ENTROPY_BLOCK_SEC) {
      const sl = (a: ArrayLike<number>) => (a as Float64Array).subarray(0, calmBins);
      const calm = changePoints({buy: sl(market.buy), sell: sl(market.sell), price: sl(market.price)}, span[0], deriveSeed(seed, "ch04:calm"), S);
      calmCheck = {
        start: span[0],
        end: span[0] + calmBins * 1000,
        entropyChanges: calm.entropy.changes.length,
        volatilityChanges: calm.volatility.changes.length,
        entropyCandidates: calm.entropy.candidates.length,
        volatilityCandidates: calm.volatility.candidates.length
      };
    }
  }

  // Early warning before the transition, and on a control stretch without one.
  let target: number | null = null;
  let targetLabel = "none";
  if (truth) (target = truth.events.crashStart), (targetLabel = "planted crash start");
  else if (volatility.changes.length > 0) {
    let best = -1;
    for (let i = 0; i < volatility.candidates.length; ++i)
      if (volatility.p[i] <= ALPHA && (best < 0 || volatility.gain[i] > volatility.gain[best])) best = i;
    if (best >= 0) (target = volatility.candidates[best]), (targetLabel = "largest volatility change point");
  }
  const ewSeed = deriveSeed(seed, "ch04:early-warning");
  const before = target === null ? null : earlyWarningStretch(market.t, market.price, Math.max(span[0], target - EW_LOOKBACK_SEC * 1000), target, windowSec, ewSeed, S, "before the transition");
  let control: EarlyWarningResult | null = null;
  if (before) {
    const length = before.end - before.start;
    const after = truth ? truth.events.recoveryEnd : target!;
    if (span[1] - length >= after) control = earlyWarningStretch(market.t, market.price, span[1] - length, span[1], windowSec, ewSeed, S, "calm control (end of the span)");
    else if (!truth && span[0] + length <= before.start) control = earlyWarningStretch(market.t, market.price, span[0], span[0] + length, windowSec, ewSeed, S, "control (start of the span)");
  }
  // The page's own test per venue at its defaults ("all venues pooled" uses the reference venue's price).
  const pageEw: Chapter04["earlyWarning"]["page"] = {};
  if (target !== null)
    for (const v of venues) {
      const b = await readBins(dir, v, 1000);
      const e = pageEarlyWarning({t: b.t, price: b.last}, span, target, windowSec, seed);
      if (e) pageEw[v] = e;
    }

  // Observables at the default window: lead-time tests and regimes.
  const w = windowSec;
  const returnSums = returnLagSums(market.price, {block: STEP_SEC, maxLag: RETURN_MAX_LAG});
  const obs = phaseObservables(market, {window: w, step: STEP_SEC, maxLag: RETURN_MAX_LAG, returnSums: {block: STEP_SEC, sums: returnSums}});
  const pooledSigns = addBlockLagSums(venues.map((v) => signSums[v]!));
  const signXi = rollingBlockCorrelationLength(pooledSigns, {window: w / BLOCK_SEC, step: STEP_SEC / BLOCK_SEC, interpolation: "linear"}).slice(0, obs.end.length);
  const events04 = eventWindows(volatility.changes, span[0], obs.end);
  const m = obs.end.length;
  const horizon = Math.min(m - 1, Math.round((LEAD_HORIZON_MIN * 60) / STEP_SEC));
  const lead: LeadResult[] = [];
  for (const [indicator, series] of [
    ["correlationLengthReturns", obs.correlationLength],
    ["correlationLengthSigns", signXi],
    ["susceptibility", obs.susceptibility]
  ] as const) {
    const spikes = spikeOnsets(series, {quantile: SPIKE_QUANTILE, minGap: Math.max(1, Math.round(w / STEP_SEC))});
    const r = horizon >= 1 ? leadTest(spikes, events04, {n: m, horizon, seed: deriveSeed(seed, `ch04:lead:${indicator}`), placements: LEAD_PLACEMENTS, null: "shift"}) : null;
    lead.push({indicator, spikes: r?.spikes ?? 0, hits: r?.hits ?? 0, hitRate: r?.hitRate ?? NaN, nullMean: r?.nullMean ?? NaN, p: r?.p ?? NaN});
  }
  const q = REGIME_QUANTILES;
  const cls = classifyRegimes(
    {entropy: obs.entropy, volatility: obs.volatility, correlationLength: signXi, susceptibility: obs.susceptibility},
    {quantiles: {entropy: q, volatility: q, correlationLength: q, susceptibility: q}, minVotes: REGIME_VOTES}
  );
  // Planted regime of each window (by its end) against its label: counts[planted][label].
  const plantedRegimes: Chapter04["plantedRegimes"] = truth
    ? (["calm", "crash", "recovery"] as const).map((name) => ({name, counts: [0, 0, 0, 0]}))
    : null;
  if (plantedRegimes && truth)
    for (let j = 0; j < obs.end.length; ++j) {
      const t = span[0] + (obs.end[j] + 1) * 1000;
      const name = t <= truth.events.crashStart || t > truth.events.recoveryEnd ? "calm" : t <= truth.events.crashEnd ? "crash" : "recovery";
      plantedRegimes.find((r) => r.name === name)!.counts[cls.labels[j]]++;
    }
  const r = logReturns(market.price, {align: "end"});
  const outcomes = forwardOutcomes(r, obs.end, {horizon: w});
  const regimes = regimeTable(cls.labels, outcomes, {overlap: w / STEP_SEC});

  // The page's series at the default window for every choice of its select.
  const signs: Chapter04["signs"] = {blockMs: BLOCK_SEC * 1000, maxLag: SIGN_MAX_LAG, venues: Object.fromEntries(venues.map((v) => [v, plain(signSums[v]!)]))};
  const observables: Record<string, PageObservables> = {all: pageObservables(market, signs, "all", w)};
  for (const v of venues) {
    const b = await readBins(dir, v, 1000);
    observables[v] = pageObservables({buy: b.n_buy, sell: b.n_sell, price: b.last}, signs, v, w);
  }

  return {
    source: manifest.source,
    span,
    venues,
    referenceVenue: reference,
    settings: {
      blockSec: BLOCK_SEC,
      entropyBlockSec: ENTROPY_BLOCK_SEC,
      stepSec: STEP_SEC,
      windowSec,
      minSegmentBlocks: MIN_SEGMENT_BLOCKS,
      alpha: ALPHA,
      toleranceMin: TOLERANCE_MIN,
      surrogates: S,
      seed,
      signMaxLag: SIGN_MAX_LAG,
      returnMaxLag: RETURN_MAX_LAG,
      ewSampleSec: EW_SAMPLE_SEC,
      ewStep: EW_STEP,
      ewLookbackSec: EW_LOOKBACK_SEC,
      pageEwSurrogates: PAGE_EW_SURROGATES,
      leadHorizonMin: LEAD_HORIZON_MIN,
      spikeQuantile: SPIKE_QUANTILE,
      regimeQuantiles: q,
      regimeVotes: REGIME_VOTES,
      fundingHours: FUNDING_HOURS
    },
    knownEvents: events,
    changes: {entropy: stripChanges(entropy), volatility: stripChanges(volatility)},
    recovery,
    calmCheck,
    earlyWarning: {target, targetLabel, windowSec, before, control, page: pageEw},
    lead,
    regimes,
    plantedRegimes,
    signs,
    observables
  };
}

/** The change series without the derived `changes` list (the page derives it from p and α). */
function stripChanges(c: ChangeSeries & {changes: number[]}): ChangeSeries {
  const {changes: _changes, ...rest} = c;
  return rest;
}
