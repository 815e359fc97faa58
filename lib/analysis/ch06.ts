/**
 * Chapter 06, the synthesis: do the signals of the earlier chapters happen at the same moments,
 * more often than chance allows? A pure function of the market's 1 s bins and of the parts of the
 * results of chapters 03–05 it reads; the build's loader (loaders/chapters/ch06.ts) and the page
 * (src/06-synthesis.md) call the same functions.
 *
 * Three kinds of events, each from one chapter's method:
 * - entropy drops (chapter 03): the five-minute Miller–Madow entropy of the reference venue's
 *   1 s net-flow symbols (normalised by log₂ 3) crossing below its 5th percentile, at most one
 *   event per ten minutes ({@link flowEntropy}, {@link entropyDropsOf});
 * - regime transitions (chapter 04): its significant change points (family-wise α) of the
 *   five-minute flow entropy and one-minute log realised volatility, pooled, changes closer than five
 *   minutes counted once ({@link regimeTransitions});
 * - metastability breakdowns (chapter 05): escapes from its metastable levels — a stay of at
 *   least five minutes in a level's core (chapter 05's dwell bands), left through the exit band —
 *   after which the price runs at least two level spacings away within five minutes, so it was
 *   not recaptured by the neighbouring well as in an ordinary Kramers hop
 *   ({@link breakdownEvents}); escapes closer than ten minutes counted once
 *   ({@link declusterBreakdowns}).
 *
 * Coincidences (lib/coincidence.ts): for each pair, the events of the first kind with an event of
 * the second within ±tolerance; and the triple coincidence, regime transitions with an entropy
 * drop and a breakdown both within ±tolerance. Each count is tested against `surrogates` seeded
 * surrogates of the reference kind (uniform shuffles of its times; circular shifts as a stricter
 * check that keeps their clustering), with Benjamini–Hochberg q-values over the four tests
 * ({@link coincidenceTable}). A shuffled control (the reference events replaced by random times)
 * is tested the same way, and the false-positive rate of many such controls is measured
 * ({@link shuffledControl}, {@link controlRejections}). The coincident events are compared with
 * the planted crash and recovery times on simulated data ({@link plantedComparison}).
 *
 * References: J. F. Donges et al., Eur. Phys. J. Special Topics 225 (2016) 471 (event
 * coincidence analysis); H. A. Kramers, Physica 7 (1940) 284; R. Killick, P. Fearnhead and I. A.
 * Eckley, JASA 107 (2012) 1590; Y. Benjamini and Y. Hochberg, JRSS B 57 (1995) 289.
 */
import {coincidenceTest, randomEvents, type CoincidenceNull} from "../coincidence.js";
import {dwellTimesAt} from "../dwell-times.js";
import {thresholdCrossings} from "../event-study.js";
import {benjaminiHochberg} from "../fdr.js";
import {rollingLandscape} from "../landscape.js";
import {quantile} from "../moments.js";
import {phaseObservables, returnLagSums, type PhaseObservables} from "../phase-observables.js";
import {priceChangeSymbols} from "../price-symbols.js";
import {deriveSeed} from "../random.js";
import {REGIME_NAMES, type ThresholdMode} from "../regime.js";
import {binFlow, FLOW_BASE, flowSymbols} from "../symbolize.js";
import {activeFlowEntropy} from "../flow-entropy.js";
import {DEFAULT_FLOW, netFlow as definedNetFlow, type FlowDefinition} from "../net-flow.js";
import {transferEntropy} from "../transfer-entropy.js";
import {regimeLabels} from "./ch04.js";
import {marketBins, marketFlow, type Market} from "./market.js";
import {round, roundNumber} from "./round.js";
import {crashEvents, type SimTruth} from "./truth.js";
import type {Venue} from "./venues.js";

// ---------------------------------------------------------------------------------------------
// Parameters

/** The settings of the synthesis. */
export interface SynthesisParams {
  /** Seed of every surrogate and control draw (the tests' and the control's seeds derive from it). */
  seed: number;
  /** Surrogates per coincidence test. */
  surrogates: number;
  /** Entropy drops: window of the rolling entropy, s. */
  entropyWindowSec: number;
  /** Entropy drops: the threshold percentile of the rolling entropy (0–100). */
  entropyPercentile: number;
  /** Entropy drops, breakdowns: smallest gap between two events of one kind, s. */
  eventMinGapSec: number;
  /** Regime transitions: change points closer than this count once, s. */
  regimeMinGapSec: number;
  /** Breakdowns: shortest stay in a level's core before the escape, s. */
  breakdownMinStaySec: number;
  /** Breakdowns: the run after the escape, in level spacings from the level left. */
  breakdownRunSpacings: number;
  /** Breakdowns: the time the run may take, s. */
  breakdownRunSec: number;
  /** Coincidence tolerance, minutes. */
  toleranceMin: number;
  /** Tolerances of the sensitivity scan, minutes. */
  tolerancesMin: readonly number[];
  /** Random controls of the false-positive check, and surrogates per control. */
  controlRuns: number;
  controlSurrogates: number;
  /** Significance level of the headline statements and of the Benjamini–Hochberg q-values. */
  alpha: number;
}

/** The default settings (seed and surrogates as in the workbook's default configuration). */
export const SYNTHESIS_DEFAULTS: Readonly<SynthesisParams> = Object.freeze({
  seed: 20240805,
  surrogates: 999,
  entropyWindowSec: 300,
  entropyPercentile: 5,
  eventMinGapSec: 600,
  regimeMinGapSec: 300,
  breakdownMinStaySec: 300,
  breakdownRunSpacings: 2,
  breakdownRunSec: 300,
  toleranceMin: 10,
  tolerancesMin: Object.freeze([1, 2, 3, 5, 7, 10, 15, 20, 30]),
  controlRuns: 200,
  controlSurrogates: 199,
  alpha: 0.05
});

/** Bin width of the market bins the synthesis reads, ms. */
export const SYNTHESIS_BIN_MS = 1000;

// ---------------------------------------------------------------------------------------------
// Inputs: the market and the parts of the earlier chapters' results this module reads

/** The part of a market the synthesis reads: its span, source, venues, planted truth and 1 s bins of the reference venue. */
export type SynthesisMarket = Pick<Market, "source" | "venues" | "span" | "truth" | "bins">;

/** The parts of chapter 03's result this module reads: the rolling price → flow leader, for the dashboard. */
export interface InformationFlowInput {
  /** Width of the symbol bins, ms. */
  widthMs: number;
  rolling: {
    /** Window of the rolling transfer entropy, s. */
    windowSec: number;
    /** End of each window, epoch ms. */
    end: number[];
    channels: {"price-flow": {leader: (Venue | null)[]}};
  };
}

/** The parts of chapter 04's result this module reads: its change points and the regime rule's settings. */
export interface PhaseTransitionsInput {
  /** Venue whose price is the market's. */
  referenceVenue: Venue;
  settings: {alpha: number; windowSec: number; stepSec: number; returnMaxLag: number; regimeQuantiles: [number, number]; regimeVotes: number; regimeThresholds: ThresholdMode; regimeHistory: number};
  /** Candidate change times (epoch ms) of each series with their family-wise p-values. */
  changes: Record<"entropy" | "volatility", {candidates: number[]; p: number[]}>;
}

/** The parts of chapter 05's result this module reads: its venue, metastable levels, dwell bands and landscape settings. */
export interface MetastabilityInput {
  /** The venue whose price carries the levels: the synthesis's reference venue. */
  venue: Venue;
  params: {windowSec: number; minProminence: number; minMass: number};
  bandwidthUsd: number;
  /** The recurring metastable levels, USD. */
  catalogue: {x: number[]};
  /** Level spacing and the core and exit half-widths of the dwell bands, USD. */
  dwells: {spacing: number; halfWidth: number; exitHalfWidth: number};
}

/** The results of chapters 03–05 the synthesis builds on. */
export interface SynthesisInputs {
  ch03: InformationFlowInput;
  ch04: PhaseTransitionsInput;
  ch05: MetastabilityInput;
}

// ---------------------------------------------------------------------------------------------
// Result

export type EventKind = "regime" | "entropy" | "breakdown";
export const EVENT_KINDS: readonly EventKind[] = ["regime", "entropy", "breakdown"];
/** The words for each kind of event in prose. */
export const EVENT_LABELS: Record<EventKind, string> = {
  regime: "regime transition",
  entropy: "entropy drop",
  breakdown: "metastability breakdown"
};

/** One coincidence test: the reference kind, then the kinds that must coincide with it. */
export interface CoincidenceSpec {
  id: string;
  reference: EventKind;
  others: EventKind[];
}

/** The four coincidence tests. */
export const TESTS: readonly CoincidenceSpec[] = [
  {id: "regime+entropy", reference: "regime", others: ["entropy"]},
  {id: "regime+breakdown", reference: "regime", others: ["breakdown"]},
  {id: "entropy+breakdown", reference: "entropy", others: ["breakdown"]},
  {id: "triple", reference: "regime", others: ["entropy", "breakdown"]}
];

/** One coincidence test in JSON. */
export interface CoincidenceRow {
  id: string;
  reference: EventKind;
  others: EventKind[];
  events: number;
  count: number;
  rate: number | null;
  /** Coincidences expected by chance (mean over the surrogates of the main null). */
  nullMean: number;
  /** p-value of the main null (shuffles by default), its Benjamini–Hochberg q-value over the four tests, and the circular-shift p-value. */
  pValue: number;
  qValue: number;
  pCircular: number;
  nullMeanCircular: number;
  /**
   * The main null conditioned on the common cause: reference times drawn within the volatility
   * regime (the periods between regime transitions) of each event (lib/coincidence.ts `strata`),
   * so that kinds of events crowded into one regime (the crash) do not coincide by that alone; its
   * p-value and mean. Equal to the main null's when there is no regime transition.
   */
  pConditioned: number;
  nullMeanConditioned: number;
  /** Times (epoch ms) of the reference events that coincide. */
  coincident: number[];
}

/** A planted event with the nearest recovered event of each kind. */
export interface PlantedMatch {
  name: string;
  time: number;
  /** Signed offset (recovered − planted, minutes) of the nearest event of each kind, null when none. */
  nearest: Record<EventKind, number | null>;
  /** Whether events of all three kinds lie within the tolerance. */
  coincident: boolean;
}

/** A test of the planted times against events of `kinds` (all jointly), random times as the null. */
export interface PlantedTest {
  kinds: EventKind[];
  count: number;
  events: number;
  nullMean: number;
  pValue: number;
}

/** The breakdowns in JSON: one per burst of escapes. */
export interface BreakdownSeries {
  times: number[];
  level: number[];
  staySec: number[];
  runUsd: number[];
  spacingUsd: number;
  halfWidthUsd: number;
  exitHalfWidthUsd: number;
  /** Escapes after a long enough stay, breakdowns or not. */
  escapes: number;
}

/** The synthesis (data/ch06.json). */
export interface Chapter06 {
  source: "simulated" | "real";
  venues: Venue[];
  span: [number, number];
  seed: number;
  surrogates: number;
  /** The venue whose flow entropy and price give the entropy drops and breakdowns (chapter 05's venue). */
  referenceVenue: Venue;
  settings: {
    /** The definition of the net flow whose entropy gives the entropy drops (lib/net-flow.ts). */
    flow: FlowDefinition;
    entropyWindowSec: number;
    entropyPercentile: number;
    eventMinGapSec: number;
    regimeMinGapSec: number;
    breakdownMinStaySec: number;
    breakdownRunSpacings: number;
    breakdownRunSec: number;
    toleranceMin: number;
    tolerancesMin: number[];
    alpha: number;
    /** Seeds of the tests and of the control, so the page draws the same surrogates. */
    testSeed: number;
    controlSeed: number;
  };
  events: {
    regime: {times: number[]; series: ("entropy" | "volatility")[]};
    entropy: {times: number[]; threshold: number};
    breakdown: BreakdownSeries;
  };
  tests: CoincidenceRow[];
  /** The triple test with the regime transitions replaced by random times, and the rejection rate of many such controls. */
  control: {times: number[]; count: number; nullMean: number; pValue: number; runs: number; surrogates: number; rejected: number; share: number};
  /** p-value (shuffle null) of each test at each tolerance of `settings.tolerancesMin`. */
  sensitivity: {toleranceMin: number[]; p: Record<string, number[]>};
  /**
   * The planted crash and recovery against the recovered events (simulated data), else null:
   * nearest events, and tests of the planted times against each kind (and all three jointly)
   * with random times as the null.
   */
  planted: null | {events: PlantedMatch[]; tests: PlantedTest[]; regimes: {name: string; start: number; end: number}[]; leaders: {start: number; end: number; leader: Venue | null}[]; wells: number[]};
  /** Settings and series the dashboard needs from chapters 03–05. */
  dashboard: {
    te: {windowSec: number; widthMs: number; k: number; channel: "price-flow"; rollingEnd: number[]; rollingLeader: (Venue | null)[]};
    regime: {referenceVenue: Venue; windowSec: number; stepSec: number; maxLag: number; quantiles: [number, number]; votes: number; thresholds: ThresholdMode; history: number};
    landscape: {venue: Venue; windowSec: number; bandwidthUsd: number; minProminence: number; minMass: number; levels: number[]; spacingUsd: number};
  };
}

// ---------------------------------------------------------------------------------------------
// Entropy drops

/**
 * The rolling entropy of the flow of 1 s bins (their net and trade counts, {@link netFlow}): the
 * flow symbols of lib/symbolize.ts (sell, balanced, buy, no trade) and their Miller–Madow entropy
 * over the bins with trades of each window of `windowSec` bins (lib/flow-entropy.ts: chapter 03's
 * and chapter 04's definition), normalised by log₂ 3 so that 1 is the entropy of equally likely
 * sell, balanced and buy bins. Element i is the window ending with bin i (NaN before the first
 * full window or with fewer than two bins with trades). Reference: G. A. Miller, "Note on the bias
 * of information estimates" (1955).
 */
export function flowEntropy(flow: {net: ArrayLike<number>; count: ArrayLike<number>}, windowSec: number): Float64Array {
  return activeFlowEntropy(flowSymbols(flow.net, flow.count), {window: windowSec, estimator: "miller-madow", normalize: true}).entropy;
}

/**
 * Entropy drops of a rolling entropy `h` of 1 s bins starting at `t0` (epoch ms): the times (end
 * of the window's last bin, epoch ms) at which `h` crosses below its `percentile`-th percentile,
 * at most one per `minGapSec`. Returns the times and the threshold (NaN, and no times, when `h`
 * has no finite value).
 */
export function entropyDropsOf(h: ArrayLike<number>, t0: number, options: {percentile: number; minGapSec: number}): {times: number[]; threshold: number} {
  const threshold = quantile(h, options.percentile / 100);
  const idx = Number.isFinite(threshold) ? thresholdCrossings(h, threshold, {direction: "down", minGap: options.minGapSec}) : new Int32Array(0);
  return {times: Array.from(idx, (i) => t0 + (i + 1) * 1000), threshold};
}

/**
 * Entropy drops of the flow of 1 s bins starting at `t0` ({@link netFlow}): {@link flowEntropy}
 * then {@link entropyDropsOf}. Defaults from {@link SYNTHESIS_DEFAULTS}.
 */
export function entropyDrops(
  flow: {net: ArrayLike<number>; count: ArrayLike<number>},
  t0: number,
  options: {windowSec?: number; percentile?: number; minGapSec?: number} = {}
): {times: number[]; threshold: number} {
  const {windowSec = SYNTHESIS_DEFAULTS.entropyWindowSec, percentile = SYNTHESIS_DEFAULTS.entropyPercentile, minGapSec = SYNTHESIS_DEFAULTS.eventMinGapSec} = options;
  return entropyDropsOf(flowEntropy(flow, windowSec), t0, {percentile, minGapSec});
}

/**
 * The net flow of each bin (lib/net-flow.ts; the synthesis uses the default definition, the net
 * signed trade count) and its trade count n_buy + n_sell (lib/symbolize.ts `binFlow`).
 */
export function netFlow(bins: {length: number; n_buy: ArrayLike<number>; n_sell: ArrayLike<number>}): {net: Float64Array; count: Float64Array} {
  return {net: definedNetFlow(bins, DEFAULT_FLOW), count: binFlow(bins.n_buy, bins.n_sell).count};
}

// ---------------------------------------------------------------------------------------------
// Regime transitions

/**
 * The significant change points of chapter 04 (p ≤ its α) of the chosen `series` pooled in time
 * order, a change closer than `minGapMs` to the previous kept one counted once (ties in time:
 * "entropy" first). Default: the volatility series alone — the entropy detector raised false
 * alarms on 3 of 10 markets without a crash (`npm run calibrate -- --phase`), and entropy change
 * points counted as regime transitions would make the regime–entropy coincidence partly circular.
 */
export function regimeTransitions(
  ch04: Pick<PhaseTransitionsInput, "changes" | "settings">,
  minGapMs = SYNTHESIS_DEFAULTS.regimeMinGapSec * 1000,
  seriesUsed: readonly ("entropy" | "volatility")[] = ["volatility"]
): {times: number[]; series: ("entropy" | "volatility")[]} {
  const all: [number, "entropy" | "volatility"][] = [];
  for (const series of seriesUsed) {
    const c = ch04.changes[series];
    c.candidates.forEach((t, i) => {
      if (c.p[i] <= ch04.settings.alpha) all.push([t, series]);
    });
  }
  all.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  const times: number[] = [];
  const series: ("entropy" | "volatility")[] = [];
  for (const [t, s] of all) {
    if (times.length && t - times[times.length - 1] < minGapMs) continue;
    times.push(t);
    series.push(s);
  }
  return {times, series};
}

// ---------------------------------------------------------------------------------------------
// Metastability breakdowns

/** Options of {@link breakdownEvents}. */
export interface BreakdownOptions {
  /** Core and exit half-widths of the dwell bands, units of price (lib/dwell-times.ts). */
  halfWidth: number;
  exitHalfWidth: number;
  /** Level spacing, units of price. */
  spacing: number;
  /** Shortest stay before the escape, samples. */
  minStay: number;
  /** The run: at least `runSpacings` spacings from the level within `runSamples` samples of the escape. */
  runSpacings: number;
  runSamples: number;
}

/** Escapes of {@link breakdownEvents}, one per breakdown (not declustered), in sample indices. */
export interface Breakdowns {
  /** Index of the first sample beyond the exit band. */
  index: Int32Array;
  /** The level left. */
  level: Float64Array;
  /** Duration of the stay before the escape, samples. */
  stay: Float64Array;
  /** Largest distance from the level within the run horizon, units of price. */
  run: Float64Array;
  /** Escapes after a long enough stay, breakdowns or not. */
  escapes: number;
}

/**
 * Metastability breakdowns of `price` (one sample per interval, NaN-free after the first trade)
 * at the metastable `levels`: the completed stays at each level (`dwellTimesAt`, core ±halfWidth,
 * exit ±exitHalfWidth) that lasted at least `minStay` samples, whose escape is followed within
 * `runSamples` by a price at least `runSpacings`·`spacing` from the level. An ordinary escape over
 * a barrier lands in the neighbouring well, one spacing away (Kramers 1940; Hänggi, Talkner &
 * Borkovec 1990); running past it means the barriers no longer trap the price. Sorted by time.
 * RangeError for a non-positive spacing, minStay, runSpacings or runSamples.
 */
export function breakdownEvents(price: ArrayLike<number>, levels: ArrayLike<number>, options: BreakdownOptions): Breakdowns {
  const {halfWidth, exitHalfWidth, spacing, minStay, runSpacings, runSamples} = options;
  if (!(spacing > 0 && spacing < Infinity)) throw new RangeError(`invalid spacing: ${spacing}`);
  if (!(minStay > 0)) throw new RangeError(`invalid minStay: ${minStay}`);
  if (!(runSpacings > 0)) throw new RangeError(`invalid runSpacings: ${runSpacings}`);
  if (!(Number.isInteger(runSamples) && runSamples >= 1)) throw new RangeError(`invalid runSamples: ${runSamples}`);
  const stays = dwellTimesAt(price, levels, {halfWidth, exitHalfWidth});
  const rows: [number, number, number, number][] = [];
  let escapes = 0;
  stays.forEach((d, k) => {
    const x = +levels[k];
    for (let i = 0; i < d.start.length; ++i) {
      if (d.duration[i] < minStay) continue;
      ++escapes;
      const e = d.start[i] + d.duration[i];
      let far = 0;
      for (let j = e, end = Math.min(price.length, e + runSamples); j < end; ++j) {
        const v = Math.abs(+price[j] - x);
        if (v > far) far = v;
      }
      if (far >= runSpacings * spacing) rows.push([e, x, d.duration[i], far]);
    }
  });
  rows.sort((a, b) => a[0] - b[0]);
  return {
    index: Int32Array.from(rows, (r) => r[0]),
    level: Float64Array.from(rows, (r) => r[1]),
    stay: Float64Array.from(rows, (r) => r[2]),
    run: Float64Array.from(rows, (r) => r[3]),
    escapes
  };
}

/**
 * The breakdowns of 1 s bins starting at `t0`, one per burst: the first breakdown, then each one
 * at least `minGapSec` after the last kept one. Times are epoch ms of the escape sample; levels
 * and runs rounded for JSON; the dwell bands of `dwells` carried along.
 */
export function declusterBreakdowns(raw: Breakdowns, t0: number, minGapSec: number, dwells: MetastabilityInput["dwells"]): BreakdownSeries {
  const keep: number[] = [];
  for (let i = 0; i < raw.index.length; ++i) if (keep.length === 0 || raw.index[i] - raw.index[keep[keep.length - 1]] >= minGapSec) keep.push(i);
  return {
    times: keep.map((i) => t0 + raw.index[i] * 1000),
    level: keep.map((i) => roundNumber(raw.level[i])),
    staySec: keep.map((i) => raw.stay[i]),
    runUsd: keep.map((i) => roundNumber(raw.run[i], 5)),
    spacingUsd: dwells.spacing,
    halfWidthUsd: dwells.halfWidth,
    exitHalfWidthUsd: dwells.exitHalfWidth,
    escapes: raw.escapes
  };
}

// ---------------------------------------------------------------------------------------------
// Coincidence tests

/** Options of {@link coincidenceTable}. */
export interface CoincidenceTableOptions {
  toleranceMs: number;
  span: [number, number];
  surrogates: number;
  /** The tests' seed: test i draws with `deriveSeed(seed, "test i")`. */
  seed: number;
  /** The main null (default "shuffle"): its p-values give the q-values. */
  null?: CoincidenceNull;
  /** Also run the circular-shift check (default true); false leaves `pCircular` and `nullMeanCircular` NaN. */
  circular?: boolean;
  /** Level of the Benjamini–Hochberg step (default {@link SYNTHESIS_DEFAULTS}.alpha; the q-values do not depend on it). */
  alpha?: number;
  /** Boundaries of the periods the conditioned null keeps each reference time in (default: the regime transitions, `events.regime`). */
  strata?: ArrayLike<number>;
}

/**
 * The four coincidence tests of {@link TESTS} at one tolerance, with Benjamini–Hochberg q-values
 * over them (Donges et al. 2016; Benjamini & Hochberg 1995), the circular-shift check, and each
 * test conditioned on the common cause: the reference times drawn within their own volatility
 * regime (`strata`, by default the regime transitions).
 */
export function coincidenceTable(events: Record<EventKind, ArrayLike<number>>, options: CoincidenceTableOptions): CoincidenceRow[] {
  const main = options.null ?? "shuffle";
  const run = (kind: CoincidenceNull) =>
    TESTS.map((t, i) =>
      coincidenceTest(events[t.reference], t.others.map((o) => events[o]), {tolerance: options.toleranceMs, span: options.span, surrogates: options.surrogates, seed: deriveSeed(options.seed, `test ${i}`), null: kind})
    );
  const first = run(main);
  const circular = options.circular === false ? null : run("circular");
  const [t0, t1] = options.span;
  const strata = Array.from(options.strata ?? events.regime, Number).filter((t) => t > t0 && t < t1);
  const conditioned = TESTS.map((t, i) =>
    coincidenceTest(events[t.reference], t.others.map((o) => events[o]), {tolerance: options.toleranceMs, span: options.span, surrogates: options.surrogates, seed: deriveSeed(options.seed, `test ${i} conditioned`), null: main, strata})
  );
  const q = benjaminiHochberg(first.map((r) => r.pValue), {alpha: options.alpha ?? SYNTHESIS_DEFAULTS.alpha}).adjusted;
  return TESTS.map((t, i) => {
    const r = first[i];
    const ref = events[t.reference];
    return {
      id: t.id,
      reference: t.reference,
      others: [...t.others],
      events: r.events,
      count: r.count,
      rate: round(r.rate),
      nullMean: round(r.nullMean) ?? 0,
      pValue: r.pValue,
      qValue: round(q[i]) ?? 1,
      pCircular: circular ? circular[i].pValue : NaN,
      nullMeanCircular: circular ? (round(circular[i].nullMean) ?? 0) : NaN,
      pConditioned: conditioned[i].pValue,
      nullMeanConditioned: round(conditioned[i].nullMean) ?? 0,
      coincident: Array.from(ref).filter((_, j) => r.coincident[j] === 1)
    };
  });
}

/** The p-value of each test of {@link TESTS} at each tolerance (minutes), main null only. */
export function toleranceScan(
  events: Record<EventKind, ArrayLike<number>>,
  tolerancesMin: readonly number[],
  options: Omit<CoincidenceTableOptions, "toleranceMs" | "circular">
): {toleranceMin: number[]; p: Record<string, number[]>} {
  const out = {toleranceMin: [...tolerancesMin], p: Object.fromEntries(TESTS.map((t) => [t.id, [] as number[]]))};
  for (const tol of tolerancesMin) {
    const rows = coincidenceTable(events, {...options, toleranceMs: tol * 60_000, circular: false});
    for (const r of rows) out.p[r.id].push(r.pValue);
  }
  return out;
}

/** The seeds of the tests and of the control, derived from the synthesis seed. */
export function synthesisSeeds(seed: number): {testSeed: number; controlSeed: number} {
  return {testSeed: deriveSeed(seed, "ch06 coincidence"), controlSeed: deriveSeed(seed, "ch06 control")};
}

/**
 * The shuffled control: the triple test with the regime transitions replaced by as many uniform
 * random times over `span` (drawn with `controlSeed`), its surrogates drawn as the triple test's
 * own (`deriveSeed(testSeed, "test 3")`). A draw from the null: significant in a share α of draws.
 */
export function shuffledControl(
  events: Record<EventKind, ArrayLike<number>>,
  options: {toleranceMs: number; span: [number, number]; surrogates: number; testSeed: number; controlSeed: number; null?: CoincidenceNull}
): {times: Float64Array; count: number; nullMean: number; pValue: number} {
  const triple = TESTS.findIndex((t) => t.id === "triple");
  const others = TESTS[triple].others.map((o) => events[o]);
  const times = randomEvents(events.regime.length, options.span, options.controlSeed);
  const r = coincidenceTest(times, others, {tolerance: options.toleranceMs, span: options.span, surrogates: options.surrogates, seed: deriveSeed(options.testSeed, `test ${triple}`), null: options.null ?? "shuffle"});
  return {times, count: r.count, nullMean: r.nullMean, pValue: r.pValue};
}

/**
 * How many of `runs` shuffled controls (random reference times drawn with
 * `deriveSeed(controlSeed, "run r")`, `surrogates` shuffles each) come out significant at
 * `alpha` in the triple test: the measured false-positive rate is this over `runs`.
 */
export function controlRejections(
  events: Record<EventKind, ArrayLike<number>>,
  options: {toleranceMs: number; span: [number, number]; runs: number; surrogates: number; controlSeed: number; alpha: number}
): number {
  const triple = TESTS.findIndex((t) => t.id === "triple");
  const others = TESTS[triple].others.map((o) => events[o]);
  let rejected = 0;
  for (let r = 0; r < options.runs; ++r) {
    const times = randomEvents(events.regime.length, options.span, deriveSeed(options.controlSeed, `run ${r}`));
    const c = coincidenceTest(times, others, {tolerance: options.toleranceMs, span: options.span, surrogates: options.surrogates, seed: deriveSeed(options.controlSeed, `surrogates ${r}`)});
    if (c.pValue <= options.alpha) ++rejected;
  }
  return rejected;
}

// ---------------------------------------------------------------------------------------------
// Planted events (simulated data)

/** The planted changes in time order: crash start, crash end, recovery end; none for a market planted without a crash. */
export function plantedChanges(truth: Pick<SimTruth, "events">): {name: string; time: number}[] {
  const crash = crashEvents(truth);
  if (!crash) return [];
  return [
    {name: "crash start", time: crash.crashStart},
    {name: "crash end", time: crash.crashEnd},
    {name: "recovery end", time: crash.recoveryEnd}
  ];
}

/** Nearest event of each kind to each planted change, signed (recovered − planted), minutes to 4 significant digits. */
export function plantedMatches(truth: Pick<SimTruth, "events">, events: Record<EventKind, ArrayLike<number>>, toleranceMs: number): PlantedMatch[] {
  return plantedChanges(truth).map(({name, time}) => {
    const nearest = {} as Record<EventKind, number | null>;
    let all = true;
    for (const kind of EVENT_KINDS) {
      let best: number | null = null;
      for (const t of Array.from(events[kind])) if (best === null || Math.abs(t - time) < Math.abs(best - time)) best = t;
      nearest[kind] = best === null ? null : round((best - time) / 60_000, 4);
      if (best === null || Math.abs(best - time) > toleranceMs) all = false;
    }
    return {name, time, nearest, coincident: all};
  });
}

/** The kinds the planted times are tested against: each alone, then all three jointly. */
export const PLANTED_TESTS: readonly EventKind[][] = [["regime"], ["entropy"], ["breakdown"], ["regime", "entropy", "breakdown"]];

/**
 * The planted changes inside `span` tested against the events of each entry of
 * {@link PLANTED_TESTS} (test i draws with `deriveSeed(testSeed, "planted i")`), random times as
 * the null.
 */
export function plantedTests(
  truth: Pick<SimTruth, "events">,
  events: Record<EventKind, ArrayLike<number>>,
  options: {toleranceMs: number; span: [number, number]; surrogates: number; testSeed: number; null?: CoincidenceNull}
): PlantedTest[] {
  const {span} = options;
  const times = plantedChanges(truth)
    .map((c) => c.time)
    .filter((t) => t >= span[0] && t <= span[1]);
  return PLANTED_TESTS.map((kinds, i) => {
    const r = coincidenceTest(times, kinds.map((k) => events[k]), {tolerance: options.toleranceMs, span, surrogates: options.surrogates, seed: deriveSeed(options.testSeed, `planted ${i}`), null: options.null ?? "shuffle"});
    return {kinds: [...kinds], count: r.count, events: r.events, nullMean: round(r.nullMean) ?? 0, pValue: r.pValue};
  });
}

/** The planted changes, regimes, leader schedule and wells beside the recovered events (see {@link Chapter06} `planted`). */
export function plantedComparison(
  truth: SimTruth,
  events: Record<EventKind, ArrayLike<number>>,
  options: {toleranceMs: number; span: [number, number]; surrogates: number; testSeed: number}
): NonNullable<Chapter06["planted"]> {
  return {
    events: plantedMatches(truth, events, options.toleranceMs),
    tests: plantedTests(truth, events, options),
    regimes: truth.regimes.map((r) => ({name: r.name, start: r.start, end: r.end})),
    leaders: truth.leadLag.schedule.map((s) => ({start: s.start, end: s.end, leader: s.leader})),
    wells: truth.wells.levels
  };
}

// ---------------------------------------------------------------------------------------------
// Price moves after coincidences (the page's trading implication)

/** What {@link movesAfter} returns: relative moves, their mean size and how rare that size is. */
export interface MovesAfter {
  /** Each time with the relative price move (p[t + h] − p[t]) / p[t] over the horizon. */
  moves: {t: number; move: number}[];
  /** Mean |move| after the given times; NaN without times. */
  meanAbsMove: number;
  /** Mean |move| over the horizon from every `stepSec`-th second of the span (finite ones). */
  typicalMove: number;
  /** Mean over the given times of the share of those span-wide moves at least as large; NaN without times. */
  shareBeyond: number;
}

const finiteMean = (a: ArrayLike<number>): number => {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; ++i) if (Number.isFinite(a[i])) (s += a[i]), ++n;
  return n ? s / n : NaN;
};

/**
 * The relative price moves over `horizonSec` after each of `times` (epoch ms), from 1 s prices
 * `price` whose bin i starts at `t0` + i s (the move from the bin holding the time, capped at the
 * last bin), against the moves over the same horizon from every `stepSec`-th second of the span:
 * their mean size and the share of span-wide moves at least as large as each one (an empirical
 * tail probability). Non-finite moves are left out of the means.
 */
export function movesAfter(price: ArrayLike<number>, t0: number, times: readonly number[], {horizonSec, stepSec = 60}: {horizonSec: number; stepSec?: number}): MovesAfter {
  if (!(Number.isInteger(horizonSec) && horizonSec >= 1)) throw new RangeError(`invalid horizonSec: ${horizonSec}`);
  if (!(Number.isInteger(stepSec) && stepSec >= 1)) throw new RangeError(`invalid stepSec: ${stepSec}`);
  const moves = times.map((t) => {
    const i = Math.floor((t - t0) / 1000);
    const j = Math.min(price.length - 1, i + horizonSec);
    return {t, move: (price[j] - price[i]) / price[i]};
  });
  const all: number[] = [];
  for (let i = 0; i < price.length - horizonSec; i += stepSec) {
    const x = Math.abs((price[i + horizonSec] - price[i]) / price[i]);
    if (Number.isFinite(x)) all.push(x);
  }
  const size = moves.map((m) => Math.abs(m.move));
  return {
    moves,
    meanAbsMove: moves.length ? finiteMean(size) : NaN,
    typicalMove: finiteMean(all),
    shareBeyond: moves.length ? finiteMean(size.map((m) => finiteMean(all.map((x) => (x >= m ? 1 : 0))))) : NaN
  };
}

// ---------------------------------------------------------------------------------------------
// Dashboard settings

/** The settings and series of chapters 03–05 the page's market-state dashboard recomputes with. */
export function dashboardSettings({ch03, ch04, ch05}: SynthesisInputs): Chapter06["dashboard"] {
  return {
    te: {windowSec: ch03.rolling.windowSec, widthMs: ch03.widthMs, k: 1, channel: "price-flow", rollingEnd: ch03.rolling.end, rollingLeader: ch03.rolling.channels["price-flow"].leader},
    regime: {
      referenceVenue: ch04.referenceVenue,
      windowSec: ch04.settings.windowSec,
      stepSec: ch04.settings.stepSec,
      maxLag: ch04.settings.returnMaxLag,
      quantiles: ch04.settings.regimeQuantiles,
      votes: ch04.settings.regimeVotes,
      thresholds: ch04.settings.regimeThresholds,
      history: ch04.settings.regimeHistory
    },
    landscape: {
      venue: ch05.venue,
      windowSec: ch05.params.windowSec,
      bandwidthUsd: ch05.bandwidthUsd,
      minProminence: ch05.params.minProminence,
      minMass: ch05.params.minMass,
      levels: ch05.catalogue.x,
      spacingUsd: ch05.dwells.spacing
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Market state at a moment (the page's dashboard)

/** The part of a market the dashboard reads: the 1 s bins of every venue and the 100 ms flow matrix. */
export type DashboardMarket = Pick<Market, "venues" | "span" | "bins" | "flow">;

/** The day's series the dashboard reads at any moment (they do not depend on the moment). */
export interface DashboardSeries {
  /** Rolling normalised flow entropy of each venue's 1 s bins ({@link flowEntropy}), and its entropy-drop threshold. */
  entropy: Partial<Record<Venue, Float64Array>>;
  entropyLow: Partial<Record<Venue, number>>;
  /** Chapter 04's observables over its windows (pooled order flow of every venue, the reference venue's price) and each window's regime code (an index of REGIME_NAMES). */
  observables: PhaseObservables;
  regimes: Int8Array;
  /** 100 ms price-change and flow symbols of each venue (lib/price-symbols.ts, lib/symbolize.ts). */
  price100: Partial<Record<Venue, Uint8Array>>;
  flow100: Partial<Record<Venue, Uint8Array>>;
}

/**
 * The dashboard's day series: {@link flowEntropy} of each venue and its `entropyPercentile`-th
 * percentile; chapter 04's phase observables and regime rule at its settings (lib/phase-
 * observables.ts, lib/regime.ts); the 100 ms symbols of chapter 03.
 */
export function dashboardSeries(market: DashboardMarket, dashboard: Chapter06["dashboard"], settings: Pick<Chapter06["settings"], "entropyWindowSec" | "entropyPercentile">): DashboardSeries {
  const entropy: DashboardSeries["entropy"] = {};
  const entropyLow: DashboardSeries["entropyLow"] = {};
  const R = dashboard.regime;
  const reference = marketBins(market, R.referenceVenue, SYNTHESIS_BIN_MS);
  const n = reference.length;
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (const v of market.venues) {
    const b = marketBins(market, v, SYNTHESIS_BIN_MS);
    if (b.length !== n) throw new RangeError(`invalid market: ${b.length} bins of ${v} (expected ${n})`);
    const h = flowEntropy(netFlow(b), settings.entropyWindowSec);
    entropy[v] = h;
    entropyLow[v] = quantile(h, settings.entropyPercentile / 100);
    for (let t = 0; t < n; ++t) (buy[t] += b.n_buy[t]), (sell[t] += b.n_sell[t]);
  }
  const price = reference.last.subarray(0, n);
  const sums = returnLagSums(price, {block: R.stepSec, maxLag: R.maxLag});
  const observables = phaseObservables({buy, sell, price}, {window: R.windowSec, step: R.stepSec, maxLag: R.maxLag, returnSums: {block: R.stepSec, sums}});
  const regimes = regimeLabels(observables, observables.correlationLength, R.quantiles, R.votes as 1 | 2 | 3, R.history, R.thresholds).labels;
  const flow = marketFlow(market);
  const price100: DashboardSeries["price100"] = {};
  const flow100: DashboardSeries["flow100"] = {};
  for (const v of market.venues) {
    const last = flow.last[v];
    const net = flow.net[v];
    const count = flow.count[v];
    if (!last || !net || !count) throw new RangeError(`invalid market: no 100 ms flow of ${v}`);
    price100[v] = priceChangeSymbols(last);
    flow100[v] = flowSymbols(net, count);
  }
  return {entropy, entropyLow, observables, regimes, price100, flow100};
}

/** The market at one moment, as the dashboard's cards show it. */
export interface MarketState {
  /** The moment, epoch ms. */
  time: number;
  /** Normalised flow entropy per venue over the window ending at the moment (0 … 1), and the venue's entropy-drop threshold. */
  entropy: {venue: Venue; h: number; low: number}[];
  entropyWindowMin: number;
  /** Annualised realised volatility (the temperature) and the return correlation length, s, of chapter 04's last window before the moment. */
  temperature: number;
  correlationLength: number;
  regimeWindowMin: number;
  /** Recovered regime name ("n/a" before the first window), and the planted regime (simulated data) or null. */
  regime: string;
  plantedRegime: string | null;
  /** Leader by net transfer entropy (price → flow) over the window ending at the moment (null for a window of 10 bins or fewer), its net outflow (bits per bin), chapter 03's rolling leader and the planted leader. */
  leader: Venue | null;
  netFlow: number;
  teWindowMin: number;
  rollingLeader: Venue | null;
  plantedLeader: Venue | null;
  /** Price, the nearest metastable level of the window's landscape, its barrier (nats) and the nearest planted well (NaN when the price is missing). */
  price: number;
  level: number | null;
  barrier: number | null;
  spacing: number;
  plantedWell: number | null;
  landscapeWindowMin: number;
}

/** The element of `values` nearest to `x` (the first of ties), or null when no distance is a number. */
function nearestOf<T>(values: readonly T[], x: number, at: (v: T) => number): T | null {
  let best: T | null = null;
  let d = Infinity;
  for (const v of values) {
    const e = Math.abs(at(v) - x);
    if (e < d || (best === null && e === Infinity)) (best = v), (d = e);
  }
  return best;
}

/**
 * Net transfer-entropy leader of price changes → order flow over 100 ms symbols [a, b): TE(i → k)
 * of every ordered pair (plug-in, history `k`, the four flow symbols; lib/transfer-entropy.ts), each venue's score
 * Σ_k TE(i → k) − TE(k → i) (the plug-in bias nearly cancels in the difference), the venue of
 * largest score (the first of ties; −1 when no score is a number) and the scores.
 */
export function netTransferLeader(series: Pick<DashboardSeries, "price100" | "flow100">, venues: readonly Venue[], a: number, b: number, k: number): {leader: number; score: number[]} {
  const m = venues.length;
  const te = new Float64Array(m * m);
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < m; ++j) if (i !== j) te[i * m + j] = transferEntropy(series.price100[venues[i]]!.subarray(a, b), series.flow100[venues[j]]!.subarray(a, b), {k, base: FLOW_BASE});
  const score = venues.map((_, i) => {
    let s = 0;
    for (let j = 0; j < m; ++j) {
      const x = j === i ? 0 : te[i * m + j] - te[j * m + i];
      if (!Number.isNaN(x)) s += x;
    }
    return s;
  });
  let leader = -1;
  score.forEach((s, i) => {
    if (!Number.isNaN(s) && (leader < 0 || s > score[leader])) leader = i;
  });
  return {leader, score};
}

/** The market state at `minute` minutes after the span's start, with the landscape the chart draws. */
export interface MarketMoment {
  state: MarketState;
  /** Index of chapter 04's last window ending at or before the moment, −1 for none. */
  window: number;
  /** The free-energy shape −ln P of the landscape price over the landscape window before the moment (nats, on grid `x`), and its metastable levels. */
  landscape: {x: Float64Array; shape: Float64Array; levels: {x: number; barrier: number}[]; windowSec: number};
}

/**
 * The market state at `minute` minutes after the start of the span: each venue's flow entropy,
 * the temperature, correlation length and regime of chapter 04's last window before the moment,
 * the net transfer-entropy leader over the last TE window of 100 ms bins ({@link netTransferLeader})
 * beside chapter 03's rolling leader, and the metastable level nearest to the price in the
 * landscape of the last landscape window of 1 s prices (lib/landscape.ts); with the planted
 * regime, leader and well at the moment (simulated data).
 */
export function marketStateAt(
  market: DashboardMarket,
  series: DashboardSeries,
  ch06: Pick<Chapter06, "dashboard" | "settings">,
  truth: Pick<SimTruth, "regimes" | "leadLag" | "wells"> | null,
  minute: number
): MarketMoment {
  const [t0] = market.span;
  const {venues} = market;
  const {te, regime: R, landscape: L} = ch06.dashboard;
  const moment = t0 + minute * 60_000;
  const sec = minute * 60; // bins [0, sec) are before the moment
  const obs = series.observables;
  let j = -1;
  for (let w = 0; w < obs.end.length; ++w) if (obs.end[w] + 1 <= sec) j = w;
  const b = Math.round((moment - t0) / te.widthMs);
  const a = Math.max(0, b - Math.round((te.windowSec * 1000) / te.widthMs));
  const {leader, score} = netTransferLeader(series, venues, a, b, te.k);
  let rollingIndex = -1;
  while (rollingIndex + 1 < te.rollingEnd.length && te.rollingEnd[rollingIndex + 1] <= moment) ++rollingIndex;
  const landscapePrice = marketBins(market, L.venue, SYNTHESIS_BIN_MS).last;
  const lw = Math.min(sec, L.windowSec);
  const land = rollingLandscape(landscapePrice.subarray(sec - lw, sec), {window: lw, step: lw, bandwidth: L.bandwidthUsd, minProminence: L.minProminence, minMass: L.minMass});
  const priceNow = landscapePrice[sec - 1];
  const levels = Array.from(land.levels.x, (x, k) => ({x, barrier: land.levels.barrier[k]}));
  const level = nearestOf(levels, priceNow, (l) => l.x);
  const during = <T extends {end: number}>(list: readonly T[]) => list.find((r) => moment < r.end) ?? list[list.length - 1];
  return {
    state: {
      time: moment,
      entropy: venues.map((v) => ({venue: v, h: series.entropy[v]![sec - 1], low: series.entropyLow[v]!})),
      entropyWindowMin: ch06.settings.entropyWindowSec / 60,
      temperature: j >= 0 ? obs.volatility[j] : NaN,
      correlationLength: j >= 0 ? obs.correlationLength[j] : NaN,
      regimeWindowMin: R.windowSec / 60,
      regime: j >= 0 ? REGIME_NAMES[series.regimes[j]] : "n/a",
      plantedRegime: truth ? during(truth.regimes).name : null,
      leader: b - a > 10 && leader >= 0 ? venues[leader] : null,
      netFlow: leader >= 0 ? score[leader] : NaN,
      teWindowMin: te.windowSec / 60,
      rollingLeader: rollingIndex >= 0 ? te.rollingLeader[rollingIndex] : null,
      plantedLeader: truth ? during(truth.leadLag.schedule).leader : null,
      price: priceNow,
      level: level ? level.x : null,
      barrier: level ? level.barrier : null,
      spacing: L.spacingUsd,
      plantedWell: truth ? (nearestOf(truth.wells.levels, priceNow, (w) => w) ?? NaN) : null,
      landscapeWindowMin: lw / 60
    },
    window: j,
    landscape: {x: land.x, shape: land.shape.subarray(0, land.size), levels, windowSec: lw}
  };
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** The three event series of the synthesis (see the module comment). */
export function synthesisEvents(market: SynthesisMarket, inputs: Pick<SynthesisInputs, "ch04" | "ch05">, params: SynthesisParams): Chapter06["events"] {
  const [t0] = market.span;
  const {ch04, ch05} = inputs;
  const bins = marketBins(market, ch05.venue, SYNTHESIS_BIN_MS);
  const entropy = entropyDrops(netFlow(bins), t0, {windowSec: params.entropyWindowSec, percentile: params.entropyPercentile, minGapSec: params.eventMinGapSec});
  const regime = regimeTransitions(ch04, params.regimeMinGapSec * 1000);
  const raw = breakdownEvents(bins.last.subarray(0, bins.length), ch05.catalogue.x, {
    halfWidth: ch05.dwells.halfWidth,
    exitHalfWidth: ch05.dwells.exitHalfWidth,
    spacing: ch05.dwells.spacing,
    minStay: params.breakdownMinStaySec,
    runSpacings: params.breakdownRunSpacings,
    runSamples: params.breakdownRunSec
  });
  const breakdown = declusterBreakdowns(raw, t0, params.eventMinGapSec, ch05.dwells);
  return {regime, entropy: {times: entropy.times, threshold: roundNumber(entropy.threshold)}, breakdown};
}

/**
 * Chapter 06: the three kinds of events, their coincidence tests, the shuffled control and its
 * false-positive rate, the tolerance scan, the comparison with the planted changes (simulated
 * data) and the dashboard's settings, from the market's 1 s bins of chapter 05's venue and the
 * parts of chapters 03–05 it reads. Deterministic given `params.seed`; JSON-serialisable.
 */
export function analyseSynthesis(market: SynthesisMarket, inputs: SynthesisInputs, params: SynthesisParams = SYNTHESIS_DEFAULTS): Chapter06 {
  const {span, truth} = market;
  const events = synthesisEvents(market, inputs, params);
  const times: Record<EventKind, number[]> = {regime: events.regime.times, entropy: events.entropy.times, breakdown: events.breakdown.times};
  const S = params.surrogates;
  const {testSeed, controlSeed} = synthesisSeeds(params.seed);
  const toleranceMs = params.toleranceMin * 60_000;
  const tests = coincidenceTable(times, {toleranceMs, span, surrogates: S, seed: testSeed, alpha: params.alpha});
  const control = shuffledControl(times, {toleranceMs, span, surrogates: S, testSeed, controlSeed});
  const rejected = controlRejections(times, {toleranceMs, span, runs: params.controlRuns, surrogates: params.controlSurrogates, controlSeed, alpha: params.alpha});
  return {
    source: market.source,
    venues: market.venues,
    span,
    seed: params.seed,
    surrogates: S,
    referenceVenue: inputs.ch05.venue,
    settings: {
      flow: DEFAULT_FLOW,
      entropyWindowSec: params.entropyWindowSec,
      entropyPercentile: params.entropyPercentile,
      eventMinGapSec: params.eventMinGapSec,
      regimeMinGapSec: params.regimeMinGapSec,
      breakdownMinStaySec: params.breakdownMinStaySec,
      breakdownRunSpacings: params.breakdownRunSpacings,
      breakdownRunSec: params.breakdownRunSec,
      toleranceMin: params.toleranceMin,
      tolerancesMin: [...params.tolerancesMin],
      alpha: params.alpha,
      testSeed,
      controlSeed
    },
    events,
    tests,
    control: {
      times: Array.from(control.times),
      count: control.count,
      nullMean: round(control.nullMean) ?? 0,
      pValue: control.pValue,
      runs: params.controlRuns,
      surrogates: params.controlSurrogates,
      rejected,
      share: rejected / params.controlRuns
    },
    sensitivity: toleranceScan(times, params.tolerancesMin, {span, surrogates: S, seed: testSeed, alpha: params.alpha}),
    planted: truth ? plantedComparison(truth, times, {toleranceMs, span, surrogates: S, testSeed}) : null,
    dashboard: dashboardSettings(inputs)
  };
}
