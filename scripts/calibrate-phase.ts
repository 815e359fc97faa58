/**
 * Calibration of the claims of chapters 04 (phase transitions) and 06 (synthesis) on small
 * simulated markets held in memory, run by `npm run calibrate -- --phase`:
 *
 *   npm run calibrate -- --phase [--seeds 10 --hours 4 --rate-scale 0.1 --surrogates 99
 *                                 --seed 40404 --out output/calibration-phase.json
 *                                 --record lib/analysis/phase-calibration-record.ts]
 *
 * Markets: `--seeds` seeds drawn from `--seed` (never the configuration's default seed), each
 * simulated twice — with today's plant (the default delays and flow shares, a crash from 50 % to
 * 62.5 % of the span and a recovery to 81.25 %) and with no crash at all (`crashMode: "none"`,
 * calm throughout). `--hours` hours from 00:00 UTC at `--rate-scale` of the realistic trade rates.
 *
 * Nulls: the no-crash market lacks every effect chapters 04 and 06 look for (no regime change,
 * no transition, no common cause); the planted crash has no build-up (its volatility steps up at
 * the crash start), so a significant early warning before it is a false positive too.
 *
 * Claims (per market):
 * - volatility / entropy change point: false alarm = any significant change (family-wise p ≤ α)
 *   on a no-crash market; power = a significant change within the tolerance of the crash start.
 * - early warning (Kendall τ of the rolling variance against AR(1) surrogates, p ≤ α): false
 *   positive on the planted crash (no build-up); not computed on no-crash markets (no target).
 * - regime label (thresholds from past windows only): "validated" = windows labelled hot are
 *   followed by higher volatility than cold ones over the next window, two-sided p ≤ α
 *   (regimeContrast); its rate on both kinds of market.
 * - entropy change point: tested on the normal scores of the flow entropy (lib/analysis/ch04.ts).
 * - coincidence (triple and each pair: regime + entropy, regime + breakdown, entropy + breakdown;
 *   p ≤ α): chapter 06 on the market with chapter 04's
 *   change points and the planted wells as the metastable levels; on a no-crash market any
 *   significant coincidence is a false positive (no common cause to share). "Within regimes":
 *   the same test also significant when conditioned on the common cause (reference times drawn
 *   within their own volatility regime, lib/coincidence.ts `strata`).
 * - entropy drop (page 03's event study at its defaults): the hit rate after drops of the first
 *   venue's 5-minute flow entropy below its 5th percentile beats randomly placed times
 *   (permutation p < 0.05); false positive on a no-crash market, replication on the plant.
 * - replication: the share of planted markets on which each claim of the default build holds.
 *
 * Writes JSON (every market's outcome), the record the findings read (`--record`, the rates
 * only; `--record -` leaves it alone) and a table on stdout; progress on stderr.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";
import {analysePhaseTransitions, PHASE_TRANSITION_DEFAULTS, type Chapter04} from "../lib/analysis/ch04.js";
import {analyseSynthesis, SYNTHESIS_DEFAULTS, type SynthesisInputs} from "../lib/analysis/ch06.js";
import {binSymbols, entropyDropStudy, rollingEntropyGrid} from "../lib/analysis/ch03.js";
import {marketBins, type Market} from "../lib/analysis/market.js";
import {crashEvents, type SimTruth} from "../lib/analysis/truth.js";
import {wilsonInterval} from "../lib/binomial-test.js";
import {deriveSeed} from "../lib/random.js";
import {DEFAULTS, validateConfig, type AnalysisConfig} from "../loaders/config.ts";
import {simulateMarket} from "../loaders/simulate/market.ts";

export interface PhaseArgs {
  seeds: number;
  hours: number;
  rateScale: number;
  surrogates: number;
  seed: number;
  alpha: number;
  out: string;
  /** The generated record the findings read (lib/analysis/phase-calibration-record.ts), or null to leave it alone. */
  record: string | null;
}

export const PHASE_ARGS: PhaseArgs = {seeds: 10, hours: 4, rateScale: 0.1, surrogates: 99, seed: 40404, alpha: 0.05, out: "output/calibration-phase.json", record: "lib/analysis/phase-calibration-record.ts"};

/** The source of lib/analysis/phase-calibration-record.ts for a run's settings and rates. */
export function recordSource(generated: string, args: Omit<PhaseArgs, "out" | "record">, rates: readonly PhaseRate[]): string {
  const record = {
    generated,
    command: `npm run calibrate -- --phase --seeds ${args.seeds} --hours ${args.hours} --rate-scale ${args.rateScale} --surrogates ${args.surrogates} --seed ${args.seed} --alpha ${args.alpha}`,
    settings: {seeds: args.seeds, hours: args.hours, rateScale: args.rateScale, surrogates: args.surrogates, seed: args.seed, alpha: args.alpha},
    rates: rates.map((r) => ({...r, rate: Number.isFinite(r.rate) ? r.rate : null, low: Number.isFinite(r.low) ? r.low : null, high: Number.isFinite(r.high) ? r.high : null}))
  };
  return `// Generated by \`npm run calibrate -- --phase\` (scripts/calibrate-phase.ts); do not edit by hand.\nimport type {PhaseCalibrationRecord} from "./phase-calibration.js";\n\nexport const PHASE_CALIBRATION_RECORD: PhaseCalibrationRecord | null = ${JSON.stringify(record, null, 1)};\n`;
}

/** What one market gave, per claim. */
export interface PhaseOutcome {
  seed: number;
  crash: "planted" | "none";
  volatilityChanges: number;
  entropyChanges: number;
  volatilityAtCrash: boolean | null;
  entropyAtCrash: boolean | null;
  earlyWarningP: number | null;
  regimeP: number;
  regimeHotHigher: boolean;
  transitions: number;
  tripleP: number;
  tripleCount: number;
  pairP: number;
  pairCount: number;
  /** The same tests conditioned on the common cause (reference times within their volatility regime). */
  tripleConditionedP: number;
  pairConditionedP: number;
  /** The other two pairwise coincidences (regime + breakdown, entropy + breakdown): p, conditioned p, count. */
  regimeBreakdownP: number;
  regimeBreakdownConditionedP: number;
  regimeBreakdownCount: number;
  entropyBreakdownP: number;
  entropyBreakdownConditionedP: number;
  entropyBreakdownCount: number;
  /** Page 03's entropy-drop study at its defaults (first venue, 1 s bins, 5-minute window, 5th percentile): permutation p against random times, or null without events. */
  entropyDropP: number | null;
  seconds: number;
}

/** The configuration of one calibration market. */
export function phaseConfig(seed: number, crash: "planted" | "none", args: Pick<PhaseArgs, "hours" | "rateScale" | "surrogates">): AnalysisConfig {
  return validateConfig({
    ...DEFAULTS,
    seed,
    hours: args.hours,
    surrogates: args.surrogates,
    simulation: {...DEFAULTS.simulation, crashMode: crash, rateScale: args.rateScale, crash: [0.5, 0.625], recoveryEnd: 0.8125}
  });
}

/** Chapter 06's inputs with chapter 04's own result and the planted wells as the metastable levels. */
export function synthesisInputs(ch04: Chapter04, truth: SimTruth, venue: Chapter04["referenceVenue"]): SynthesisInputs {
  const spacing = truth.wells.spacingUsd;
  return {
    ch03: {widthMs: 100, rolling: {windowSec: 1800, end: [], channels: {"price-flow": {leader: []}}}},
    ch04,
    ch05: {venue, params: {windowSec: 3600, minProminence: 1, minMass: 0.02}, bandwidthUsd: 5, catalogue: {x: truth.wells.levels}, dwells: {spacing, halfWidth: spacing / 4, exitHalfWidth: (3 * spacing) / 4}}
  } as unknown as SynthesisInputs;
}

/** Page 03's entropy-drop study at the page's defaults on `market` (lib/analysis/ch03.ts `entropyDropStudy`): its permutation p, or null with no event. */
export function entropyDropP(market: Pick<Market, "venues" | "bins">, seed: number): number | null {
  const venue = market.venues[0];
  const s1 = binSymbols(Object.fromEntries(market.venues.map((v) => [v, marketBins(market, v, 1000)])), market.venues, 1000);
  const h = rollingEntropyGrid(s1, venue, [ENTROPY_DROP_DEFAULTS.windowMin]).get(ENTROPY_DROP_DEFAULTS.windowMin)!;
  const d = entropyDropStudy(s1, venue, h, {windowMin: ENTROPY_DROP_DEFAULTS.windowMin, percentile: ENTROPY_DROP_DEFAULTS.percentile, seed});
  return d.hits.events > 0 && Number.isFinite(d.hits.pPermutation) ? d.hits.pPermutation : null;
}

/** Page 03's default entropy-drop study: the 5-minute window, the 5th percentile. */
export const ENTROPY_DROP_DEFAULTS = {windowMin: 5, percentile: 5} as const;

/** Chapters 04 and 06 on one market. */
export function phaseOutcome(seed: number, crash: "planted" | "none", args: PhaseArgs): PhaseOutcome {
  const started = performance.now();
  const config = phaseConfig(seed, crash, args);
  const market = simulateMarket(config, {binWidths: [1000], flow: false});
  const truth = market.truth as SimTruth;
  const p = {...PHASE_TRANSITION_DEFAULTS, seed, surrogates: args.surrogates, windowSec: config.windowsSec.regime, alpha: args.alpha};
  const ch04 = analysePhaseTransitions(market, p);
  const sig = (c: {candidates: number[]; p: number[]}) => c.candidates.filter((_, i) => c.p[i] <= args.alpha);
  const events = crashEvents(truth);
  const tol = p.toleranceMin * 60_000;
  const near = (times: number[]) => (events ? times.some((t) => Math.abs(t - events.crashStart) <= tol) : null);
  const vol = sig(ch04.changes.volatility);
  const ent = sig(ch04.changes.entropy);
  const contrast = ch04.regimeContrast;
  const ch06 = analyseSynthesis(market, synthesisInputs(ch04, truth, ch04.referenceVenue), {...SYNTHESIS_DEFAULTS, seed, surrogates: 499, controlRuns: 0, controlSurrogates: 19});
  const row = (id: string) => ch06.tests.find((t) => t.id === id)!;
  return {
    seed,
    crash,
    volatilityChanges: vol.length,
    entropyChanges: ent.length,
    volatilityAtCrash: near(vol),
    entropyAtCrash: near(ent),
    earlyWarningP: ch04.earlyWarning.before ? ch04.earlyWarning.before.ar1.variance.p : null,
    regimeP: contrast.p,
    regimeHotHigher: contrast.diff > 0,
    transitions: ch06.events.regime.times.length,
    tripleP: row("triple").pValue,
    tripleCount: row("triple").count,
    pairP: row("regime+entropy").pValue,
    pairCount: row("regime+entropy").count,
    tripleConditionedP: row("triple").pConditioned,
    pairConditionedP: row("regime+entropy").pConditioned,
    regimeBreakdownP: row("regime+breakdown").pValue,
    regimeBreakdownConditionedP: row("regime+breakdown").pConditioned,
    regimeBreakdownCount: row("regime+breakdown").count,
    entropyBreakdownP: row("entropy+breakdown").pValue,
    entropyBreakdownConditionedP: row("entropy+breakdown").pConditioned,
    entropyBreakdownCount: row("entropy+breakdown").count,
    entropyDropP: entropyDropP(market, seed),
    seconds: (performance.now() - started) / 1000
  };
}

/** One row of the phase calibration: a claim's count over its markets, with a 95 % Wilson interval. */
export interface PhaseRate {
  claim: string;
  measure: "false-positive rate" | "power" | "replication";
  population: string;
  count: number;
  total: number;
  rate: number;
  low: number;
  high: number;
  /** For false-positive rates: whether rate ≤ α + 2 SE (SE = √(α(1 − α)/n)), the issue's bound; else null. */
  holds: boolean | null;
}

function rate(claim: string, measure: PhaseRate["measure"], population: string, count: number, total: number, alpha: number): PhaseRate {
  const [low, high] = total > 0 ? wilsonInterval(count, total) : [NaN, NaN];
  const holds = measure === "false-positive rate" && total > 0 ? count / total <= alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / total) : null;
  return {claim, measure, population, count, total, rate: total > 0 ? count / total : NaN, low, high, holds};
}

/** The rows of the phase calibration from the markets' outcomes. */
export function summarisePhase(rows: readonly PhaseOutcome[], alpha: number): PhaseRate[] {
  const none = rows.filter((r) => r.crash === "none");
  const planted = rows.filter((r) => r.crash === "planted");
  const count = (xs: readonly PhaseOutcome[], f: (r: PhaseOutcome) => boolean) => xs.filter(f).length;
  const ew = planted.filter((r) => r.earlyWarningP !== null);
  return [
    rate("volatility change point", "false-positive rate", "no-crash markets (any significant change)", count(none, (r) => r.volatilityChanges > 0), none.length, alpha),
    rate("volatility change point", "power", "planted crash (a change within tolerance of the start)", count(planted, (r) => r.volatilityAtCrash === true), planted.length, alpha),
    rate("entropy change point", "false-positive rate", "no-crash markets (any significant change)", count(none, (r) => r.entropyChanges > 0), none.length, alpha),
    rate("entropy change point", "power", "planted crash (a change within tolerance of the start)", count(planted, (r) => r.entropyAtCrash === true), planted.length, alpha),
    rate("early warning", "false-positive rate", "planted crash without build-up (variance τ, p ≤ α)", count(ew, (r) => r.earlyWarningP! <= alpha), ew.length, alpha),
    rate("regime label validated", "replication", "planted markets (labels from past windows; hot followed by higher volatility, p ≤ α)", count(planted, (r) => r.regimeHotHigher && r.regimeP <= alpha), planted.length, alpha),
    rate("regime label validated", "replication", "no-crash markets (labels from past windows; hot followed by higher volatility, p ≤ α)", count(none, (r) => r.regimeHotHigher && r.regimeP <= alpha), none.length, alpha),
    rate("regime transition", "false-positive rate", "no-crash markets (any transition)", count(none, (r) => r.transitions > 0), none.length, alpha),
    rate("coincidence: triple", "false-positive rate", "no-crash markets (p ≤ α)", count(none, (r) => r.tripleP <= alpha), none.length, alpha),
    rate("coincidence: regime + entropy", "false-positive rate", "no-crash markets (p ≤ α)", count(none, (r) => r.pairP <= alpha), none.length, alpha),
    rate("coincidence: triple, within regimes", "false-positive rate", "no-crash markets (p ≤ α and conditioned p ≤ α)", count(none, (r) => r.tripleP <= alpha && r.tripleConditionedP <= alpha), none.length, alpha),
    rate("coincidence: regime + entropy, within regimes", "false-positive rate", "no-crash markets (p ≤ α and conditioned p ≤ α)", count(none, (r) => r.pairP <= alpha && r.pairConditionedP <= alpha), none.length, alpha),
    rate("coincidence: triple", "replication", "planted markets (p ≤ α)", count(planted, (r) => r.tripleP <= alpha), planted.length, alpha),
    rate("coincidence: triple, within regimes", "replication", "planted markets (p ≤ α and conditioned p ≤ α)", count(planted, (r) => r.tripleP <= alpha && r.tripleConditionedP <= alpha), planted.length, alpha),
    rate("coincidence: regime + entropy", "replication", "planted markets (p ≤ α)", count(planted, (r) => r.pairP <= alpha), planted.length, alpha),
    rate("crash start found by volatility", "replication", "planted markets", count(planted, (r) => r.volatilityAtCrash === true), planted.length, alpha),
    rate("entropy drop adds directional accuracy", "false-positive rate", "no-crash markets (permutation p < 0.05)", count(none, (r) => r.entropyDropP !== null && r.entropyDropP < 0.05), none.length, alpha),
    rate("entropy drop adds directional accuracy", "replication", "planted markets (permutation p < 0.05)", count(planted, (r) => r.entropyDropP !== null && r.entropyDropP < 0.05), planted.length, alpha),
    ...(
      [
        ["regime + breakdown", (r: PhaseOutcome) => [r.regimeBreakdownP, r.regimeBreakdownConditionedP]],
        ["entropy + breakdown", (r: PhaseOutcome) => [r.entropyBreakdownP, r.entropyBreakdownConditionedP]]
      ] as const
    ).flatMap(([name, ps]) => {
      const sig = (r: PhaseOutcome) => ps(r)[0] <= alpha;
      const within = (r: PhaseOutcome) => sig(r) && ps(r)[1] <= alpha;
      return [
        rate(`coincidence: ${name}`, "false-positive rate", "no-crash markets (p ≤ α)", count(none, sig), none.length, alpha),
        rate(`coincidence: ${name}, within regimes`, "false-positive rate", "no-crash markets (p ≤ α and conditioned p ≤ α)", count(none, within), none.length, alpha),
        rate(`coincidence: ${name}`, "replication", "planted markets (p ≤ α)", count(planted, sig), planted.length, alpha),
        rate(`coincidence: ${name}, within regimes`, "replication", "planted markets (p ≤ α and conditioned p ≤ α)", count(planted, within), planted.length, alpha)
      ];
    })
  ];
}

/** The markets' seeds, drawn from the master seed. */
export function phaseSeeds(master: number, n: number): number[] {
  return Array.from({length: n}, (_, i) => deriveSeed(master, `phase ${i}`) % 1_000_000_007);
}

/** Runs the phase calibration; returns the JSON written to `args.out` and the table. */
export function runPhaseCalibration(args: PhaseArgs): {rates: PhaseRate[]; table: string} {
  const started = performance.now();
  const rows: PhaseOutcome[] = [];
  for (const seed of phaseSeeds(args.seed, args.seeds))
    for (const crash of ["planted", "none"] as const) {
      const r = phaseOutcome(seed, crash, args);
      rows.push(r);
      process.stderr.write(`[${rows.length}/${2 * args.seeds}] ${crash} seed ${seed}: vol ${r.volatilityChanges}, entropy ${r.entropyChanges}, ew p ${r.earlyWarningP ?? "—"}, transitions ${r.transitions}, triple ${r.tripleCount} p ${r.tripleP} — ${r.seconds.toFixed(1)} s\n`);
    }
  const rates = summarisePhase(rows, args.alpha);
  const table = rates
    .map((r) => `${r.claim.padEnd(34)} ${r.measure.padEnd(20)} ${`${r.count}/${r.total}`.padStart(6)} ${(100 * r.rate).toFixed(0).padStart(4)} % [${(100 * r.low).toFixed(0)}, ${(100 * r.high).toFixed(0)}]${r.holds === null ? "" : r.holds ? "  holds" : "  FAILS"}  ${r.population}`)
    .join("\n");
  const out = {generated: new Date().toISOString(), settings: args, seconds: (performance.now() - started) / 1000, rates, markets: rows};
  mkdirSync(dirname(args.out), {recursive: true});
  writeFileSync(args.out, JSON.stringify(out, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1));
  if (args.record) writeFileSync(args.record, recordSource(out.generated, args, rates));
  return {rates, table};
}
