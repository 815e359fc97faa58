/**
 * Chapter 06 at build time: the synthesis. Do the signals of the earlier chapters happen at the
 * same moments, more often than chance allows?
 *
 * Three kinds of events, each from one chapter's method:
 * - entropy drops (chapter 03): the five-minute Miller–Madow entropy of the reference venue's
 *   1 s net-flow symbols (normalised by log₂ 3) crossing below its 5th percentile, at most one
 *   event per ten minutes (lib/rolling-entropy.ts, lib/event-study.ts `thresholdCrossings`);
 * - regime transitions (chapter 04): its significant change points (family-wise α) of the
 *   one-minute flow entropy and log realised volatility, pooled, changes closer than five
 *   minutes counted once;
 * - metastability breakdowns (chapter 05): escapes from its metastable levels — a stay of at
 *   least five minutes in a level's core (chapter 05's dwell bands), left through the exit band —
 *   after which the price runs at least two level spacings away within five minutes, so it was
 *   not recaptured by the neighbouring well as in an ordinary Kramers hop (see
 *   {@link breakdownEvents}); escapes closer than ten minutes counted once.
 *
 * Coincidences (lib/coincidence.ts): for each pair, the events of the first kind with an event of
 * the second within ±tolerance; and the triple coincidence, regime transitions with an entropy
 * drop and a breakdown both within ±tolerance. Each count is tested against `config.surrogates`
 * seeded surrogates of the other kinds (uniform shuffles of their times; circular shifts as a
 * stricter check that keeps their clustering), with Benjamini–Hochberg q-values over the four
 * tests. A shuffled control (the reference events replaced by random times) is tested the same
 * way, and the false-positive rate of many such controls is measured. The coincident events are
 * compared with the planted crash and recovery times (simulated data).
 *
 * The page recomputes the coincidences (tolerance, null, entropy venue and percentile) and the
 * market-state dashboard in the browser with the same lib/ functions; `dashboard` holds the
 * settings it needs from chapters 03–05.
 *
 * References: J. F. Donges et al., Eur. Phys. J. Special Topics 225 (2016) 471 (event
 * coincidence analysis); H. A. Kramers, Physica 7 (1940) 284; R. Killick, P. Fearnhead and I. A.
 * Eckley, JASA 107 (2012) 1590; Y. Benjamini and Y. Hochberg, JRSS B 57 (1995) 289.
 */
import {stopwatch} from "./stopwatch.ts";
import {type AnalysisConfig, type Venue} from "../config.ts";
import {readBins, readManifest, readTruth, type Manifest} from "../market.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {periodLabel} from "../../lib/analysis/periods.js";
import {COINCIDENCE_FINDINGS, coincidenceValue, controlValue, formatFinding, formatNumber, type Finding, type FindingsSource} from "../../src/components/ch06-findings.ts";
import {computeChapter02, type Chapter02} from "./ch02.ts";
import {computeChapter03, type Chapter03} from "./ch03.ts";
import {computeChapter04, type Chapter04} from "./ch04.ts";
import {chapterVenue, computeChapter05, type Chapter05} from "./ch05.ts";
import {memoChapter} from "./memo.ts";
import {coincidenceTest, randomEvents, type CoincidenceNull} from "../../lib/coincidence.js";
import {dwellTimesAt} from "../../lib/dwell-times.js";
import {thresholdCrossings} from "../../lib/event-study.js";
import {benjaminiHochberg} from "../../lib/fdr.js";
import {quantile} from "../../lib/moments.js";
import {deriveSeed} from "../../lib/random.js";
import {rollingEntropy} from "../../lib/rolling-entropy.js";
import {flowSymbols} from "../../lib/symbolize.js";
import {chapterBuild} from "./build.ts";

/** Entropy drops: window of the rolling entropy, s. */
export const ENTROPY_WINDOW_SEC = 300;
/** Entropy drops: the threshold percentile of the rolling entropy. */
export const ENTROPY_PERCENTILE = 5;
/** Entropy drops, breakdowns: smallest gap between two events of one kind, s. */
export const EVENT_MIN_GAP_SEC = 600;
/** Regime transitions: change points closer than this count once, s. */
export const REGIME_MIN_GAP_SEC = 300;
/** Breakdowns: shortest stay in a level's core before the escape, s. */
export const BREAKDOWN_MIN_STAY_SEC = 300;
/** Breakdowns: the run after the escape, in level spacings from the level left. */
export const BREAKDOWN_RUN_SPACINGS = 2;
/** Breakdowns: the time the run may take, s. */
export const BREAKDOWN_RUN_SEC = 300;
/** Default coincidence tolerance, minutes. */
export const TOLERANCE_MIN = 10;
/** Tolerances of the sensitivity scan, minutes. */
export const TOLERANCES_MIN = [1, 2, 3, 5, 7, 10, 15, 20, 30] as const;
/** Random controls of the false-positive check, and surrogates per control. */
export const CONTROL_RUNS = 200;
export const CONTROL_SURROGATES = 199;
/** Significance level of the headline statements. */
export const ALPHA = 0.05;

export type EventKind = "regime" | "entropy" | "breakdown";
export const EVENT_KINDS: readonly EventKind[] = ["regime", "entropy", "breakdown"];
export const EVENT_LABELS: Record<EventKind, string> = {
  regime: "regime transition",
  entropy: "entropy drop",
  breakdown: "metastability breakdown"
};

/** The four coincidence tests: reference kind, then the kinds that must coincide with it. */
export const TESTS: readonly {id: string; reference: EventKind; others: EventKind[]}[] = [
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
  /** Coincidences expected by chance (mean over the shuffle surrogates). */
  nullMean: number;
  /** Shuffle-null p-value, its Benjamini–Hochberg q-value over the four tests, and the circular-shift p-value. */
  pValue: number;
  qValue: number;
  pCircular: number;
  nullMeanCircular: number;
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

export interface Chapter06 {
  source: "simulated" | "real";
  venues: Venue[];
  span: [number, number];
  seed: number;
  surrogates: number;
  /** The venue whose flow entropy and price give the entropy drops and breakdowns. */
  referenceVenue: Venue;
  settings: {
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
    breakdown: {times: number[]; level: number[]; staySec: number[]; runUsd: number[]; spacingUsd: number; halfWidthUsd: number; exitHalfWidthUsd: number; escapes: number};
  };
  tests: CoincidenceRow[];
  /** The triple test with the regime transitions replaced by random times, and the rejection rate of many such controls. */
  control: {times: number[]; count: number; nullMean: number; pValue: number; runs: number; surrogates: number; rejected: number; share: number};
  /** p-value (shuffle null) of each test at each tolerance of TOLERANCES_MIN. */
  sensitivity: {toleranceMin: number[]; p: Record<string, number[]>};
  /**
   * The planted crash and recovery against the recovered events (simulated data), else null:
   * nearest events, and tests of the planted times against each kind (and all three jointly)
   * with random times as the null.
   */
  planted: null | {events: PlantedMatch[]; tests: {kinds: EventKind[]; count: number; events: number; nullMean: number; pValue: number}[]; regimes: {name: string; start: number; end: number}[]; leaders: {start: number; end: number; leader: Venue}[]; wells: number[]};
  /** Settings and series the dashboard needs from chapters 03–05. */
  dashboard: {
    te: {windowSec: number; widthMs: number; k: number; channel: "price-flow"; rollingEnd: number[]; rollingLeader: (Venue | null)[]};
    regime: {referenceVenue: Venue; windowSec: number; stepSec: number; maxLag: number; quantiles: [number, number]; votes: number};
    landscape: {venue: Venue; windowSec: number; bandwidthUsd: number; minProminence: number; minMass: number; levels: number[]; spacingUsd: number};
  };
  timing: Record<string, number>;
}

const round = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

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
 * Entropy drops of a 1 s net-flow series: the times (end of the window's last bin, epoch ms) at
 * which the rolling normalised Miller–Madow entropy of its ternary symbols crosses below its
 * `percentile`-th percentile, at most one per `minGapSec`. Returns the times and the threshold.
 */
export function entropyDrops(net: ArrayLike<number>, t0: number, options: {windowSec?: number; percentile?: number; minGapSec?: number} = {}): {times: number[]; threshold: number} {
  const {windowSec = ENTROPY_WINDOW_SEC, percentile = ENTROPY_PERCENTILE, minGapSec = EVENT_MIN_GAP_SEC} = options;
  const h = rollingEntropy(flowSymbols(net), {window: windowSec, base: 3, estimator: "miller-madow", normalize: true});
  const threshold = quantile(h, percentile / 100);
  const idx = Number.isFinite(threshold) ? thresholdCrossings(h, threshold, {direction: "down", minGap: minGapSec}) : new Int32Array(0);
  return {times: Array.from(idx, (i) => t0 + (i + 1) * 1000), threshold};
}

/** The significant change points of chapter 04 (entropy and volatility), pooled and declustered. */
export function regimeTransitions(ch04: Pick<Chapter04, "changes" | "settings">, minGapMs = REGIME_MIN_GAP_SEC * 1000): {times: number[]; series: ("entropy" | "volatility")[]} {
  const all: [number, "entropy" | "volatility"][] = [];
  for (const series of ["entropy", "volatility"] as const) {
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

/** The four coincidence tests of {@link TESTS} at one tolerance, with BH q-values over them. */
export function coincidenceTable(
  events: Record<EventKind, ArrayLike<number>>,
  options: {toleranceMs: number; span: [number, number]; surrogates: number; seed: number; circular?: boolean}
): CoincidenceRow[] {
  const run = (kind: CoincidenceNull) =>
    TESTS.map((t, i) =>
      coincidenceTest(events[t.reference], t.others.map((o) => events[o]), {tolerance: options.toleranceMs, span: options.span, surrogates: options.surrogates, seed: deriveSeed(options.seed, `test ${i}`), null: kind})
    );
  const shuffle = run("shuffle");
  const circular = options.circular === false ? null : run("circular");
  const q = benjaminiHochberg(shuffle.map((r) => r.pValue), {alpha: ALPHA}).adjusted;
  return TESTS.map((t, i) => {
    const r = shuffle[i];
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
      nullMeanCircular: circular ? round(circular[i].nullMean) ?? 0 : NaN,
      coincident: Array.from(ref).filter((_, j) => r.coincident[j] === 1)
    };
  });
}

/** Nearest event of each kind to each planted event, signed, minutes. */
export function plantedMatches(truth: SimTruth, events: Record<EventKind, ArrayLike<number>>, toleranceMs: number): PlantedMatch[] {
  const named = [
    {name: "crash start", time: truth.events.crashStart},
    {name: "crash end", time: truth.events.crashEnd},
    {name: "recovery end", time: truth.events.recoveryEnd}
  ];
  return named.map(({name, time}) => {
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

/** The chapter results chapter 06 builds on, each computed once per build (loaders/chapters/memo.ts). */
export async function chapterInputs(dir: string, config: AnalysisConfig): Promise<{ch03: Chapter03; ch04: Chapter04; ch05: Chapter05}> {
  const ch04 = await memoChapter(dir, "loaders/chapters/ch04.ts", () => computeChapter04(dir, config));
  const ch05 = await memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config));
  const ch03 = await memoChapter(dir, "loaders/chapters/ch03.ts", () => computeChapter03(dir, config));
  return {ch03, ch04, ch05};
}

/**
 * Everything chapter 06 computes at build time, from the derived folder `dir` of `config` and the
 * memoised results of chapters 03–05 (see the module comment). JSON-serialisable; deterministic
 * given `config.seed`.
 */
export async function computeChapter06(dir: string, config: AnalysisConfig): Promise<Chapter06> {
  const {timing, lap} = stopwatch();
  const {manifest, truth, span} = chapterBuild(dir, config);
  const [t0] = span;
  const {ch03, ch04, ch05} = await chapterInputs(dir, config);
  lap("chapters 03-05");

  const venue = chapterVenue(manifest.venues);
  if (ch05.venue !== venue) throw new RangeError(`invalid chapter 05 venue: ${ch05.venue} (expected ${venue})`);
  const bins = await readBins(dir, venue, 1000);
  const net = new Float64Array(bins.length);
  for (let i = 0; i < bins.length; ++i) net[i] = bins.n_buy[i] - bins.n_sell[i];
  const entropy = entropyDrops(net, t0);
  const regime = regimeTransitions(ch04);
  const {spacing, halfWidth, exitHalfWidth} = ch05.dwells;
  const raw = breakdownEvents(bins.last, ch05.catalogue.x, {
    halfWidth,
    exitHalfWidth,
    spacing,
    minStay: BREAKDOWN_MIN_STAY_SEC,
    runSpacings: BREAKDOWN_RUN_SPACINGS,
    runSamples: BREAKDOWN_RUN_SEC
  });
  // Decluster: keep the first escape of every burst.
  const keep: number[] = [];
  for (let i = 0; i < raw.index.length; ++i) if (keep.length === 0 || raw.index[i] - raw.index[keep[keep.length - 1]] >= EVENT_MIN_GAP_SEC) keep.push(i);
  const breakdown = {
    times: keep.map((i) => t0 + raw.index[i] * 1000),
    level: keep.map((i) => round(raw.level[i]) ?? NaN),
    staySec: keep.map((i) => raw.stay[i]),
    runUsd: keep.map((i) => round(raw.run[i], 5) ?? NaN),
    spacingUsd: spacing,
    halfWidthUsd: halfWidth,
    exitHalfWidthUsd: exitHalfWidth,
    escapes: raw.escapes
  };
  lap("events");

  const events: Record<EventKind, number[]> = {regime: regime.times, entropy: entropy.times, breakdown: breakdown.times};
  const S = config.surrogates;
  const testSeed = deriveSeed(config.seed, "ch06 coincidence");
  const controlSeed = deriveSeed(config.seed, "ch06 control");
  const toleranceMs = TOLERANCE_MIN * 60_000;
  const tests = coincidenceTable(events, {toleranceMs, span, surrogates: S, seed: testSeed});
  lap("tests");

  // The shuffled control: regime transitions replaced by random times, tested like the triple.
  const triple = TESTS.findIndex((t) => t.id === "triple");
  const others = TESTS[triple].others.map((o) => events[o]);
  const controlTimes = randomEvents(events.regime.length, span, controlSeed);
  const control = coincidenceTest(controlTimes, others, {tolerance: toleranceMs, span, surrogates: S, seed: deriveSeed(testSeed, `test ${triple}`)});
  let rejected = 0;
  for (let r = 0; r < CONTROL_RUNS; ++r) {
    const times = randomEvents(events.regime.length, span, deriveSeed(controlSeed, `run ${r}`));
    const c = coincidenceTest(times, others, {tolerance: toleranceMs, span, surrogates: CONTROL_SURROGATES, seed: deriveSeed(controlSeed, `surrogates ${r}`)});
    if (c.pValue <= ALPHA) ++rejected;
  }
  lap("control");

  const sensitivity: Chapter06["sensitivity"] = {toleranceMin: [...TOLERANCES_MIN], p: Object.fromEntries(TESTS.map((t) => [t.id, [] as number[]]))};
  for (const tol of TOLERANCES_MIN) {
    const rows = coincidenceTable(events, {toleranceMs: tol * 60_000, span, surrogates: S, seed: testSeed, circular: false});
    for (const r of rows) sensitivity.p[r.id].push(r.pValue);
  }
  lap("sensitivity");

  const planted: Chapter06["planted"] = truth
    ? {
        events: plantedMatches(truth, events, toleranceMs),
        tests: [["regime"], ["entropy"], ["breakdown"], ["regime", "entropy", "breakdown"]].map((kinds, i) => {
          const times = [truth.events.crashStart, truth.events.crashEnd, truth.events.recoveryEnd].filter((t) => t >= span[0] && t <= span[1]);
          const r = coincidenceTest(times, kinds.map((k) => events[k as EventKind]), {tolerance: toleranceMs, span, surrogates: S, seed: deriveSeed(testSeed, `planted ${i}`)});
          return {kinds: kinds as EventKind[], count: r.count, events: r.events, nullMean: round(r.nullMean) ?? 0, pValue: r.pValue};
        }),
        regimes: truth.regimes.map((r) => ({name: r.name, start: r.start, end: r.end})),
        leaders: truth.leadLag.schedule.map((s) => ({start: s.start, end: s.end, leader: s.leader})),
        wells: truth.wells.levels
      }
    : null;

  const pf = ch03.rolling.channels["price-flow"];
  return {
    source: manifest.source,
    venues: manifest.venues,
    span,
    seed: config.seed,
    surrogates: S,
    referenceVenue: venue,
    settings: {
      entropyWindowSec: ENTROPY_WINDOW_SEC,
      entropyPercentile: ENTROPY_PERCENTILE,
      eventMinGapSec: EVENT_MIN_GAP_SEC,
      regimeMinGapSec: REGIME_MIN_GAP_SEC,
      breakdownMinStaySec: BREAKDOWN_MIN_STAY_SEC,
      breakdownRunSpacings: BREAKDOWN_RUN_SPACINGS,
      breakdownRunSec: BREAKDOWN_RUN_SEC,
      toleranceMin: TOLERANCE_MIN,
      tolerancesMin: [...TOLERANCES_MIN],
      alpha: ALPHA,
      testSeed,
      controlSeed
    },
    events: {regime, entropy: {times: entropy.times, threshold: round(entropy.threshold) ?? NaN}, breakdown},
    tests,
    control: {
      times: Array.from(controlTimes),
      count: control.count,
      nullMean: round(control.nullMean) ?? 0,
      pValue: control.pValue,
      runs: CONTROL_RUNS,
      surrogates: CONTROL_SURROGATES,
      rejected,
      share: rejected / CONTROL_RUNS
    },
    sensitivity,
    planted,
    dashboard: {
      te: {windowSec: config.windowsSec.te, widthMs: ch03.widthMs, k: 1, channel: "price-flow", rollingEnd: ch03.rolling.end, rollingLeader: pf.leader},
      regime: {
        referenceVenue: ch04.referenceVenue,
        windowSec: ch04.settings.windowSec,
        stepSec: ch04.settings.stepSec,
        maxLag: ch04.settings.returnMaxLag,
        quantiles: ch04.settings.regimeQuantiles,
        votes: ch04.settings.regimeVotes
      },
      landscape: {
        venue: ch05.venue,
        windowSec: ch05.params.windowSec,
        bandwidthUsd: ch05.bandwidthUsd,
        minProminence: ch05.params.minProminence,
        minMass: ch05.params.minMass,
        levels: ch05.catalogue.x,
        spacingUsd: spacing
      }
    },
    timing
  };
}

// ---------------------------------------------------------------------------------------------
// Headline findings of every chapter (data/findings.json)

/** data/findings.json: what the findings come from, the findings, and the report's figure data. */
export interface Findings {
  data: FindingsSource;
  findings: Finding[];
  figures: {
    /** Chapter 03: net outgoing effective TE (price → flow, k = 1) of each venue per period, bits; the planted leader. */
    leaders: {period: string; venue: Venue; score: number; planted: Venue | null}[];
    /** Chapter 04: log realised volatility per block, the significant changes, the planted events. */
    volatility: {blockSec: number; t: number[]; values: number[]; changes: number[]; planted: number[]};
    /** Chapter 05: mean escape time per planted regime (recovered with 95 % interval, and planted), s. */
    escapes: {name: string; meanTime: number | null; low: number | null; high: number | null; planted: number}[] | null;
    /** Chapter 06: the events of each kind and the triple-coincident transitions. */
    events: {regime: number[]; entropy: number[]; breakdown: number[]; coincident: number[]; toleranceMin: number};
  };
}

const VENUE_LABEL: Record<string, string> = {binance: "Binance", bybit: "Bybit", okx: "OKX", coinbase: "Coinbase"};
const label = (v: string) => VENUE_LABEL[v] ?? v;
const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");

/** The data a build's findings describe, in words. */
export function findingsSource(manifest: Manifest): FindingsSource {
  const span = manifest.span as [number, number];
  const what = manifest.source === "simulated" ? `simulated market, seed ${manifest.seed}` : "real exchange archives";
  return {
    source: manifest.source,
    seed: manifest.seed,
    venues: manifest.venues,
    span,
    label: `${what}, ${manifest.symbol}, ${utc(span[0])} → ${utc(span[1])} UTC, venues ${manifest.venues.map(label).join(", ")}`,
    key: manifest.key
  };
}

type Draft = Omit<Finding, "text" | "chapter" | "method" | "planted" | "title"> & Partial<Pick<Finding, "planted" | "method">>;

/** A finding whose sentence is written by `sentence` from the displayed value. */
function finding(chapter: string, title: string, method: string, d: Draft, sentence: (shown: string) => string): Finding {
  const f: Finding = {chapter, title, method, planted: null, text: "", ...d};
  f.text = sentence(formatFinding(f));
  return f;
}

/** Runs `make`, returning its findings, or none when the chapter's result lacks what it needs (e.g. real data). */
function safely(make: () => Finding[]): Finding[] {
  try {
    return make().filter((f) => Number.isFinite(f.value));
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return [];
    throw error;
  }
}

const plantedText = (f: Pick<Finding, "planted" | "unit" | "digits">) =>
  f.planted === null ? "" : `; the simulator planted ${formatNumber(f.planted, f.digits)}${f.unit && !f.unit.startsWith("of ") ? ` ${f.unit}` : ""}`;

export function chapter01Findings(manifest: Manifest): Finding[] {
  const trades = manifest.venues.reduce((s, v) => s + (manifest.perVenue[v]?.trades ?? 0), 0);
  const seconds = (manifest.span[1] - manifest.span[0]) / 1000;
  const q = manifest.quality.quarantinedShare;
  return [
    finding("01", "Cleaned trades analysed", "exact count", {id: "ch01-trades", value: trades, unit: "trades", digits: 0, interval: null, pValue: null}, (shown) =>
      `The build analyses ${shown} over ${formatNumber(seconds / 3600, 0)} hours on ${manifest.venues.length} venues (${formatNumber(trades / seconds, 1)} trades per second)` +
      (q === null ? "." : `, after quarantining ${formatNumber(100 * q, 3)} % of the rows read.`)
    )
  ];
}

export function chapter02Findings(ch02: Chapter02): Finding[] {
  const out: Finding[] = [];
  const calm = ch02.hy.pairs.find((p) => p.a === "binance" && p.b === "bybit" && p.period === "before-crash") ?? ch02.hy.pairs[0];
  if (calm)
    out.push(
      finding("02", `Hayashi–Yoshida lead of ${label(calm.a)} over ${label(calm.b)}, ${periodLabel(calm.period)}`, "block bootstrap, 95 % percentile interval; sign p-value", {id: "ch02-hy-lead", value: calm.leadMs, unit: "ms", digits: 0, interval: calm.interval, pValue: calm.pSign, planted: calm.plantedMs}, (shown) =>
        `${label(calm.a)}'s trades lead ${label(calm.b)}'s by ${shown} on trade times (Hayashi–Yoshida, ${periodLabel(calm.period)})${plantedText({planted: calm.plantedMs, unit: "ms", digits: 0})}.`
      )
    );
  const crash = ch02.hy.pairs.find((p) => p.a === "binance" && p.b === "bybit" && p.period === "crash");
  if (crash)
    out.push(
      finding("02", `Hayashi–Yoshida lead of ${label(crash.a)} over ${label(crash.b)}, crash`, "block bootstrap, 95 % percentile interval; sign p-value", {id: "ch02-hy-lead-crash", value: crash.leadMs, unit: "ms", digits: 0, interval: crash.interval, pValue: crash.pSign, planted: crash.plantedMs}, (shown) =>
        `During the crash the lead of ${label(crash.a)} over ${label(crash.b)} is ${shown}: a negative lead means ${label(crash.b)} moves first${plantedText({planted: crash.plantedMs, unit: "ms", digits: 0})}.`
      )
    );
  const sign = ch02.signs.venues.find((s) => s.venue === "binance") ?? ch02.signs.venues[0];
  if (sign)
    out.push(
      finding("02", `Trade-sign autocorrelation exponent (${label(sign.venue)})`, "block standard error, 95 % interval", {id: "ch02-sign-exponent", value: sign.fit.exponent, unit: "", digits: 2, interval: sign.fit.interval, pValue: null, planted: sign.planted}, (shown) =>
        `The autocorrelation of ${label(sign.venue)}'s trade signs decays as a power law of the lag with exponent ${shown}${plantedText({planted: sign.planted, unit: "", digits: 2})}: order splitting makes the flow long-memory.`
      )
    );
  const size = ch02.sizes.find((s) => s.venue === "binance") ?? ch02.sizes[0];
  if (size)
    out.push(
      finding("02", `Trade-size tail exponent (${label(size.venue)})`, "Hill estimator, 95 % interval", {id: "ch02-size-tail", value: size.hill.alpha, unit: "", digits: 2, interval: size.hill.interval, pValue: null, planted: size.planted?.tailAlpha ?? null}, (shown) =>
        `${label(size.venue)}'s trade sizes have a Pareto tail with exponent ${shown}${plantedText({planted: size.planted?.tailAlpha ?? null, unit: "", digits: 2})}: the variance of trade size barely exists.`
      )
    );
  return out;
}

export function chapter03Findings(ch03: Chapter03): Finding[] {
  const out: Finding[] = [];
  const periods = ch03.periods.filter((p) => p.name !== "after the crash");
  for (const p of periods) {
    const m = p.matrices["price-flow"];
    const n = m.venues.length;
    const i = m.venues.indexOf(m.leader);
    let best = -1;
    for (let j = 0; j < n; ++j) if (j !== i && (best < 0 || (m.effective[i * n + j] ?? -Infinity) > (m.effective[i * n + best] ?? -Infinity))) best = j;
    if (best < 0) continue;
    const id = p.name === "crash" ? "ch03-leader-crash" : p.name === "before the crash" ? "ch03-leader-calm" : "ch03-leader";
    const planted = p.planted?.leader ?? null;
    out.push(
      finding("03", `Transfer-entropy leader, price → flow, ${p.name}`, `${m.surrogates} shuffle surrogates per link (p); Benjamini–Hochberg over the links in the text`, {id, value: 1000 * (m.effective[i * n + best] ?? NaN), unit: "millibits", digits: 2, interval: null, pValue: m.pValue[i * n + best]}, (shown) =>
        `${p.name === "full span" ? "Over the full span" : `In the period "${p.name}"`}, ${label(m.leader)} leads: its price changes carry ${shown} of effective transfer entropy per 100 ms bin to ${label(m.venues[best])}'s order flow, the strongest link (Benjamini–Hochberg q = ${formatNumber(m.qValue[i * n + best], 3)}` +
          (planted ? `; planted leader: ${label(planted)}, ${planted === m.leader ? "recovered" : "not recovered"}).` : ").")
      )
    );
  }
  const mi = ch03.lagMI.pairs.find((x) => x.x === "binance" && x.y === "bybit") ?? ch03.lagMI.pairs[0];
  if (mi)
    out.push(
      finding("03", `Lag of largest shared information, ${label(mi.x)} → ${label(mi.y)}`, `${ch03.lagMI.surrogates} shuffle surrogates`, {id: "ch03-mi-lag", value: mi.bestLagMs, unit: "ms", digits: 0, interval: null, pValue: mi.bestP, planted: mi.plantedLagMs}, (shown) =>
        `${label(mi.x)}'s 100 ms price changes share the most information with ${label(mi.y)}'s ${shown} later${plantedText({planted: mi.plantedLagMs, unit: "ms", digits: 0})} (the lag is resolved to one 100 ms bin).`
      )
    );
  const er = ch03.entropyRate.find((r) => r.venue === "binance") ?? ch03.entropyRate[0];
  if (er)
    out.push(
      finding("03", `Information stored in the past of ${label(er.venue)}'s trade signs`, `${ch03.surrogates} permutations`, {id: "ch03-sign-storage", value: er.signStorage, unit: "bits per trade", digits: 3, interval: null, pValue: er.signStorageP}, (shown) =>
        `The last ten trade signs of ${label(er.venue)} predict the next with ${shown} of active information storage: memory in the flow, which is not information about the price.`
      )
    );
  return out;
}

export function chapter04Findings(ch04: Chapter04): Finding[] {
  const out: Finding[] = [];
  const planted = ch04.recovery.filter((r) => r.kind === "planted");
  if (planted.length) {
    const found = planted.filter((r) => r.volatility.found);
    const v = ch04.changes.volatility;
    const ps = found.map((r) => v.p[v.candidates.indexOf(r.volatility.time!)]).filter((p) => Number.isFinite(p));
    const worst = ps.length ? Math.max(...ps) : null;
    out.push(
      finding("04", "Planted regime changes found by volatility change points", `family-wise p-value from ${ch04.settings.surrogates} block-bootstrap surrogates (the largest of the matched changes)`, {id: "ch04-changes", value: found.length, unit: `of ${planted.length} planted changes`, digits: 0, interval: null, pValue: worst}, (shown) =>
        `Change points of the one-minute log realised volatility find ${shown} within ±${ch04.settings.toleranceMin} min (${planted.map((r) => `${r.name} ${r.volatility.errorMin === null ? "missed" : `${formatNumber(r.volatility.errorMin, 0)} min`}`).join(", ")}).`
      )
    );
  }
  if (ch04.calmCheck)
    out.push(
      finding("04", "False alarms of the volatility change-point detector in the calm part", "detector rerun on the calm stretch alone", {id: "ch04-calm-alarms", value: ch04.calmCheck.volatilityChanges, unit: "significant changes", digits: 0, interval: null, pValue: null, planted: 0}, (shown) =>
        `Run on the calm hours before the crash alone, where nothing was planted, the volatility detector reports ${shown} (entropy detector: ${ch04.calmCheck!.entropyChanges}).`
      )
    );
  const ew = ch04.earlyWarning.before;
  if (ew)
    out.push(
      finding("04", "Early warning: trend of the rolling variance before the transition", "Kendall τ against AR(1) surrogates", {id: "ch04-early-warning", value: ew.ar1.variance.tau, unit: "Kendall τ", digits: 3, interval: null, pValue: ew.ar1.variance.p}, (shown) =>
        `Before the ${ch04.earlyWarning.targetLabel} the rolling variance of the detrended price trends by ${shown}` +
          (ew.ar1.variance.p < 0.05 ? ": a significant early warning." : ": no critical slowing down is detectable, a null result.")
      )
    );
  return out;
}

export function chapter05Findings(ch05: Chapter05): Finding[] {
  const out: Finding[] = [];
  if (ch05.planted)
    out.push(
      finding("05", "Metastable levels that match a planted well", "one-sided binomial test against levels placed where the price traded", {id: "ch05-levels", value: 100 * ch05.planted.recoveredShare, unit: "%", digits: 0, interval: null, pValue: ch05.planted.pTime}, (shown) =>
        `${shown} of the ${ch05.planted!.recovered} recurring metastable levels lie within ${formatNumber(ch05.toleranceUsd, 0)} USD of a planted well, against ${formatNumber(100 * ch05.planted!.baselineTime, 0)} % for random levels where the price traded.`
      )
    );
  const c = ch05.kramers.classes;
  if (c.ratio !== null)
    out.push(
      finding("05", "Escape-rate ratio, hot windows over cold ones", "exact Poisson rate-ratio test, 95 % interval", {id: "ch05-escape-ratio", value: c.ratio, unit: "×", digits: 1, interval: c.low !== null && c.high !== null ? [c.low, c.high] : null, pValue: c.pValue}, (shown) =>
        `Prices escape metastable levels ${shown} as often per unit time in hot (high-volatility) windows as in cold ones (${c.hot.events} and ${c.cold.events} escapes): heat melts the levels, as Kramers' law says.`
      )
    );
  const k = ch05.kramers.fit;
  if (k.slope !== null)
    out.push(
      finding("05", "Kramers slope of ln escape time on barrier over temperature", "least squares, Student t 95 % interval", {id: "ch05-kramers-slope", value: k.slope, unit: "", digits: 2, interval: k.low !== null && k.high !== null ? [k.low, k.high] : null, pValue: null, planted: ch05.kramers.plantedLaw?.slope ?? null}, (shown) =>
        `The logarithm of the mean escape time rises with the barrier over temperature with slope ${shown}${plantedText({planted: ch05.kramers.plantedLaw?.slope ?? null, unit: "", digits: 2})} (n = ${k.n} level-windows).`
      )
    );
  return out;
}

export function chapter06Findings(ch06: Chapter06): Finding[] {
  const tol = ch06.settings.toleranceMin;
  const out: Finding[] = COINCIDENCE_FINDINGS.map((c) => {
    const row = ch06.tests.find((t) => t.id === c.test)!;
    const others = row.others.map((o) => `${/^[aeiou]/.test(EVENT_LABELS[o]) ? "an" : "a"} ${EVENT_LABELS[o]}`).join(" and ");
    return finding("06", c.title, `${ch06.surrogates} shuffles of the ${EVENT_LABELS[row.reference]} times; Benjamini–Hochberg over four tests`, coincidenceValue(c.id, c.noun, row), (shown) =>
      `Within ±${tol} min, ${shown} met ${others}, against ${formatNumber(row.nullMean, 2)} expected by chance (Benjamini–Hochberg q = ${formatNumber(row.qValue, 3)}).`
    );
  });
  const c = ch06.control;
  out.push(
    finding("06", "Shuffled control: random times met by an entropy drop and a breakdown", `${ch06.surrogates} shuffles; ${c.runs} controls`, controlValue({count: c.count, events: c.times.length, pValue: c.pValue}), (shown) =>
      `With the regime transitions replaced by random times, the triple coincidence finds ${shown}; of ${c.runs} such controls ${formatNumber(100 * c.share, 1)} % come out significant at 5 %, as a calibrated test should.`
    )
  );
  const all = ch06.planted?.tests.find((t) => t.kinds.length === 3);
  if (all && ch06.planted)
    out.push(
      finding("06", "Planted changes where all three kinds of events coincide", `${ch06.surrogates} random placements of the planted times`, {id: "ch06-planted", value: all.count, unit: `of ${all.events} planted changes`, digits: 0, interval: null, pValue: all.pValue}, (shown) =>
        `At ${shown} a regime transition, an entropy drop and a metastability breakdown all lie within ±${tol} min of the planted time: ${ch06.planted!.events.filter((e) => e.coincident).map((e) => e.name).join(", ") || "none"}.`
      )
    );
  return out;
}

/**
 * The headline findings of every chapter and the report's figure data, from the memoised chapter
 * results (the chapter loaders, the synthesis and the report share one computation per build).
 */
export async function computeFindings(dir: string, config: AnalysisConfig): Promise<Findings> {
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth | null;
  const ch02 = await memoChapter(dir, "loaders/chapters/ch02.ts", () => computeChapter02(dir, config));
  const {ch03, ch04, ch05} = await chapterInputs(dir, config);
  const ch06 = await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config));
  const findings = [
    ...safely(() => chapter01Findings(manifest)),
    ...safely(() => chapter02Findings(ch02)),
    ...safely(() => chapter03Findings(ch03)),
    ...safely(() => chapter04Findings(ch04)),
    ...safely(() => chapter05Findings(ch05)),
    ...safely(() => chapter06Findings(ch06))
  ];
  const v = ch04.changes.volatility;
  const triple = ch06.tests.find((t) => t.id === "triple")!;
  return {
    data: findingsSource(manifest),
    findings,
    figures: {
      leaders: ch03.periods.flatMap((p) =>
        Object.entries(p.matrices["price-flow"].score).map(([venue, score]) => ({period: p.name, venue: venue as Venue, score, planted: p.planted?.leader ?? null}))
      ),
      volatility: {
        blockSec: v.blockSec,
        t: v.t,
        values: v.values.map((x) => round(x, 5) ?? NaN),
        changes: v.candidates.filter((_, i) => v.p[i] <= ch04.settings.alpha),
        planted: truth ? [truth.events.crashStart, truth.events.crashEnd, truth.events.recoveryEnd] : []
      },
      escapes: ch05.kramers.regimes?.map((r) => ({name: r.name, meanTime: r.meanTime, low: r.low, high: r.high, planted: r.plantedMeanTime})) ?? null,
      events: {regime: ch06.events.regime.times, entropy: ch06.events.entropy.times, breakdown: ch06.events.breakdown.times, coincident: triple.coincident, toleranceMin: ch06.settings.toleranceMin}
    }
  };
}
