/**
 * The plan of a simulated market: every planted parameter and event time, derived from the
 * configuration alone (seed, span, venues, `simulation`). Planning is pure and cheap; the
 * paths themselves are drawn later, day by day, by `latent.ts` and `venue.ts`.
 *
 * The plan's `truth` is the oracle the chapters are tested against: it is plain JSON (numbers,
 * strings, arrays), written beside the simulated archives as `truth.json`.
 */
import {deriveSeed, mulberry32, randomExponential} from "../../lib/random.js";
import {ARCHIVE_VENUES, configDaySpan, validateConfig, VENUE_INFO} from "../config.ts";
import type {AnalysisConfig, ArchiveVenue, Delays, SimulationConfig, Venue} from "../config.ts";
import {
  BURST_DURATION_MS,
  BURST_GAP_MS,
  BURST_INTENSITY,
  FILLS_PERPETUAL,
  FILLS_SPOT,
  GRID_MS,
  INTRADAY_PROFILE,
  meanFills,
  METAORDER,
  REGIME_PARAMS,
  SIGMA_CALM,
  SIM_VERSION,
  SIZE_TAIL,
  START_PRICE,
  TRANSITION_MS,
  VENUE_PARAMS,
  WELLS
} from "./params.ts";
import type {FillLaw} from "./params.ts";
import type {BurstTruth, FillTruth, LeaderTruth, RegimeName, RegimeParams, RegimeTruth, SimTruth, VenueTruth} from "../../lib/analysis/truth.js";

const iso = (t: number) => new Date(t).toISOString();
const HOUR = 3_600_000;

/** A planned market: the truth plus what the streams need to draw it. */
export interface SimPlan {
  truth: SimTruth;
  /** Analysed span [t0, t1), epoch ms. */
  span: [number, number];
  venues: Venue[];
  seed: number;
}

function regimeTruth(name: RegimeName, start: number, end: number, kappa: number, startPrice: number): RegimeTruth {
  const p = REGIME_PARAMS[name];
  const sigma = SIGMA_CALM * p.volMultiplier;
  const [a, b] = p.burstLogMove;
  const meanDurationSec = (BURST_DURATION_MS[0] + BURST_DURATION_MS[1]) / 2000;
  // Bursts are Poisson thinned by the minimum gap; E[move²] of a uniform on [a, b] is (a² + ab + b²)/3.
  const burstRate = p.burstsPerHour / 3600 / (1 + (p.burstsPerHour / 3600) * (meanDurationSec + BURST_GAP_MS / 1000));
  const barrier = barrierOverNoise(kappa, sigma, startPrice);
  return {
    name,
    start,
    end,
    startISO: iso(start),
    endISO: iso(end),
    ...structuredClone(p),
    sigmaPerSqrtSec: sigma,
    varianceRatePerSec: sigma * sigma + (burstRate * (a * a + a * b + b * b)) / 3,
    barrierOverNoise: barrier,
    escapeRatePerSec: (kappa / Math.PI) * Math.exp(-barrier)
  };
}

/** ΔV/D for the periodic potential: ΔV = 2κ (s / 2πp)², D = σ²/2. */
function barrierOverNoise(kappa: number, sigma: number, price: number): number {
  const w = WELLS.spacingUsd / (2 * Math.PI * price);
  return (4 * kappa * w * w) / (sigma * sigma);
}

/** Longest span over which the crash and the recovery last their fractions of it: one day. */
export const CRASH_SCALE_MS = 86_400_000;

/**
 * The planted crash start, crash end and recovery end of the span [t0, t1) (epoch ms). The crash
 * starts at `t0 + crash[0]·(t1 − t0)`; on a span of up to {@link CRASH_SCALE_MS} the crash ends
 * and the recovery ends at their fractions of the span, on a longer span they last as long as on
 * one day — (crash[1] − crash[0]) and (recoveryEnd − crash[1]) of a day — so that a crash is an
 * event of hours whatever the span (stretched over two weeks, the crash regime's drift would run
 * for 21 hours and take the price to a third of its level). Rounded to the ms.
 */
export function crashTimes(t0: number, t1: number, sim: Pick<SimulationConfig, "crash" | "recoveryEnd">): {crashStart: number; crashEnd: number; recoveryEnd: number} {
  const span = t1 - t0;
  const at = (f: number) => t0 + Math.round(f * span);
  if (span <= CRASH_SCALE_MS) return {crashStart: at(sim.crash[0]), crashEnd: at(sim.crash[1]), recoveryEnd: at(sim.recoveryEnd)};
  const crashStart = at(sim.crash[0]);
  const crashEnd = crashStart + Math.round((sim.crash[1] - sim.crash[0]) * CRASH_SCALE_MS);
  return {crashStart, crashEnd, recoveryEnd: crashEnd + Math.round((sim.recoveryEnd - sim.crash[1]) * CRASH_SCALE_MS)};
}

/**
 * Plans a simulated market from a configuration: span, regimes at the configured fractions,
 * leader schedule, venue parameters, wells and informed-flow bursts.
 *
 * Pure and cheap (no path is drawn). Every random choice comes from `config.seed` through
 * `deriveSeed(seed, label)`, with labels that do not depend on `config.venues`, so a venue's
 * stream is the same whichever other venues are simulated beside it.
 *
 * Regimes: calm `[t0, crash start)`, crash `[crash start, crash end)`, recovery
 * `[crash end, recovery end)`, calm `[recovery end, t1)`, boundaries from {@link crashTimes} (at
 * their fractions of the span up to a day; on longer spans the crash and recovery last a day's). With `crashMode: "none"` one calm regime and one
 * leader interval (the calm delays) cover the span, and the truth's crash times are null.
 *
 * @throws ConfigError when the configuration is invalid.
 */
export function planMarket(config: AnalysisConfig): SimPlan {
  validateConfig(config);
  const [t0, t1] = configDaySpan(config);
  const seed = config.seed;
  const sim = config.simulation;
  const planted = sim.crashMode === "planted";
  const {crashStart, crashEnd, recoveryEnd} = crashTimes(t0, t1, sim);

  const random = mulberry32(deriveSeed(seed, "plan"));
  const startPrice = Math.round((START_PRICE[0] + (START_PRICE[1] - START_PRICE[0]) * random()) * 100) / 100;
  const w = WELLS.spacingUsd / (2 * Math.PI * startPrice);
  const kappa = (sim.wellBarrier * SIGMA_CALM * SIGMA_CALM) / (4 * w * w);

  const regimes: RegimeTruth[] = planted
    ? [
        regimeTruth("calm", t0, crashStart, kappa, startPrice),
        regimeTruth("crash", crashStart, crashEnd, kappa, startPrice),
        regimeTruth("recovery", crashEnd, recoveryEnd, kappa, startPrice),
        regimeTruth("calm", recoveryEnd, t1, kappa, startPrice)
      ]
    : [regimeTruth("calm", t0, t1, kappa, startPrice)];

  const calm = {...sim.leadsCalmMs};
  const crash = {...sim.leadsCrashMs};
  const intervals: [number, number, Delays][] = planted
    ? [
        [t0, crashStart, calm],
        [crashStart, crashEnd, crash],
        [crashEnd, t1, {...calm}]
      ]
    : [[t0, t1, calm]];
  const schedule: LeaderTruth[] = intervals.map(([start, end, d]) => ({start, end, startISO: iso(start), endISO: iso(end), leader: plantedLeader(d), delaysMs: d}));
  // Burst venue where no single venue leads: one of the first observers, drawn from its own stream.
  const rv = mulberry32(deriveSeed(seed, "burst-venue"));

  // Informed-flow bursts: a Poisson process per regime, without overlaps.
  const rb = mulberry32(deriveSeed(seed, "bursts"));
  const bursts: BurstTruth[] = [];
  let lastEnd = -Infinity;
  for (const r of regimes) {
    if (!(r.burstsPerHour > 0) || r.end <= r.start) continue;
    for (let t = r.start; ; ) {
      t += randomExponential(rb, r.burstsPerHour / HOUR);
      const duration = BURST_DURATION_MS[0] + (BURST_DURATION_MS[1] - BURST_DURATION_MS[0]) * rb();
      const direction: 1 | -1 = rb() < r.burstBuyProb ? 1 : -1;
      const size = r.burstLogMove[0] + (r.burstLogMove[1] - r.burstLogMove[0]) * rb();
      if (t >= r.end) break;
      const start = Math.round(t);
      if (start < lastEnd + BURST_GAP_MS) continue;
      const end = Math.min(t1, Math.round(t + duration));
      if (end <= start) continue;
      const interval = schedule.find((s) => s.start <= start && start < s.end)!;
      const venue = interval.leader ?? firstObservers(interval.delaysMs)[Math.floor(rv() * firstObservers(interval.delaysMs).length)];
      bursts.push({start, end, startISO: iso(start), venue, direction, logMove: direction * size * ((end - start) / Math.round(duration)), regime: r.name});
      lastEnd = end;
    }
  }

  const lo = startPrice * 0.75;
  const hi = startPrice * 1.25;
  const levels: number[] = [];
  for (let j = Math.ceil((lo - WELLS.offsetUsd) / WELLS.spacingUsd); WELLS.offsetUsd + j * WELLS.spacingUsd <= hi; ++j) levels.push(WELLS.offsetUsd + j * WELLS.spacingUsd);

  const truth: SimTruth = {
    truthKey: {seed, version: SIM_VERSION},
    source: "simulated",
    span: {start: t0, end: t1, startISO: iso(t0), endISO: iso(t1), days: Math.ceil((t1 - t0) / 86_400_000)},
    venues: [...config.venues],
    latent: {
      startPrice,
      gridMs: GRID_MS,
      sigmaCalmPerSqrtSec: SIGMA_CALM,
      annualisedVolCalm: SIGMA_CALM * Math.sqrt(365 * 86400),
      model:
        "dX = [μ_regime + μ_burst(t) + f(X)] dt + σ·volMultiplier dW on the log price X (Euler, gridMs steps); f(X) = −κ (s/2π) sin(2π(e^X − offset)/s) / e^X pulls the price into wells every s USD; venue v trades at time t see X(t − delay_v(t))"
    },
    regimes,
    events: planted
      ? {crash: "planted", crashStart, crashEnd, recoveryEnd, crashStartISO: iso(crashStart), crashEndISO: iso(crashEnd), recoveryEndISO: iso(recoveryEnd)}
      : {crash: "none", crashStart: null, crashEnd: null, recoveryEnd: null, crashStartISO: null, crashEndISO: null, recoveryEndISO: null},
    leadLag: {
      transitionMs: TRANSITION_MS,
      schedule,
      note: "delays move linearly from the previous interval's values to the new ones over the first transitionMs of an interval"
    },
    arrivals: {intradayProfile: [...INTRADAY_PROFILE], burstIntensityMultiplier: BURST_INTENSITY},
    orderFlow: {
      metaorderLengthLaw: "P(L ≥ ℓ) = (ℓmin/ℓ)^α, L = floor(ℓmin U^(−1/α)) taker orders; each ordinary taker order takes the sign of one of `concurrent` live metaorders chosen at random",
      metaorderAlpha: METAORDER.alpha,
      metaorderMinLength: METAORDER.minLength,
      concurrentMetaorders: METAORDER.concurrent,
      signAcfExponent: Math.round((METAORDER.alpha - 1) * 1e9) / 1e9,
      arbitrageShare: sim.arbitrageShare,
      informedShare: sim.informedShare,
      fills: {
        law: "each taker order prints L trades with its sign at its timestamp: P(L = 1) = 1 − multiProb, P(L ≥ k) = multiProb·(2/k)^alpha for 2 ≤ k ≤ maxFills; each next fill one tick deeper with probability walkProb; order arrival rates are the trade rates over meanFills",
        perpetual: fillTruth(FILLS_PERPETUAL),
        spot: fillTruth(FILLS_SPOT)
      },
      note: "informed bursts (burst venue) and arbitrage orders (lagging venues) add shorter-lived sign correlation on top of the metaorder power law; the fills of one order make the trade-level sign autocorrelation high at lags up to maxFills (planted on taker orders, the exponent is that of orders); crash and recovery shift the metaorder buy probability, so sign means are non-zero there"
    },
    sizes: {tailAlpha: SIZE_TAIL.alpha, law: "log-normal body; above its 90th percentile x_m, P(Q > q) = 0.1 (x_m/q)^α; times the regime's sizeMultiplier; rounded to the lot (at least one lot)"},
    wells: {
      spacingUsd: WELLS.spacingUsd,
      offsetUsd: WELLS.offsetUsd,
      levels,
      potential: "V(X) = ∫ κ (s/2π) sin(2π(e^X − offset)/s) e^−X dX ≈ κ (s/2πp)² (1 − cos(2π(p − offset)/s)), wells at offset + j·s",
      kappaPerSec: kappa,
      relaxationTimeSec: kappa > 0 ? 1 / kappa : null,
      barrierOverNoiseCalm: sim.wellBarrier,
      calmWellSdUsd: startPrice * Math.sqrt((SIGMA_CALM * SIGMA_CALM) / (2 * kappa)),
      escapeRateLaw: "Kramers: r = (κ/π) exp(−ΔV/D), ΔV = 2κ (s/2πp)², D = σ²/2 (σ = calm σ × volMultiplier): escapes speed up as volatility rises"
    },
    bursts,
    venueParams: {}
  };
  const plan: SimPlan = {truth, span: [t0, t1], venues: [...config.venues], seed};
  for (const v of config.venues) truth.venueParams[v] = makeVenueTruth(plan, v, config.simulation.rateScale);
  return plan;
}

function makeVenueTruth(plan: SimPlan, v: Venue, rateScale: number): VenueTruth {
  const p = VENUE_PARAMS[v as ArchiveVenue];
  const rate = p.ratePerSec * rateScale;
  const threshold = p.sizeMedianBtc * Math.exp(SIZE_TAIL.z * p.sizeSigmaLog);
  return {
    venue: v,
    instrument: VENUE_INFO[v].instrument,
    meanRatePerSec: rate,
    expectedTrades: expectedTradesIn(plan, v, rateScale, plan.span[0], plan.span[1]),
    hawkes: {
      kernel: "taker-order intensity λ(t) = μ(t) + Σ α e^(−β(t − t_i)), μ(t) = (meanRate / meanFills)·(1 − n)·profile(hour)·intensityMultiplier·(burst venue ? burstIntensityMultiplier : 1); each order prints meanFills trades on average",
      branchingRatio: p.branching,
      decayPerSec: 1000 / p.kernelDecayMs,
      jumpPerSec2: (p.branching * 1000) / p.kernelDecayMs,
      meanBaselinePerSec: (rate * (1 - p.branching)) / meanFills(p.fills)
    },
    tick: 1 / p.tickInv,
    lot: 1 / p.lotInv,
    timeResolutionMs: p.timeResolutionMs,
    spreadTicks: p.spreadTicks,
    halfSpread: p.spreadTicks / p.tickInv / 2,
    basis: p.basis,
    firstId: p.firstId,
    size: {body: "log-normal", medianBtc: p.sizeMedianBtc, sigmaLog: p.sizeSigmaLog, tailThresholdBtc: threshold, tailProbability: SIZE_TAIL.probability, tailAlpha: SIZE_TAIL.alpha}
  };
}

function fillTruth(law: FillLaw): FillTruth {
  return {...law, meanFills: Math.round(meanFills(law) * 1e9) / 1e9};
}

/** The planted delay of `venue`, ms; RangeError for a market the simulator does not plant. */
export function plantedDelay(delays: Delays, venue: Venue): number {
  const d = delays[venue];
  if (d === undefined) throw new RangeError(`invalid venue: ${venue} (the simulator plants no delay for it)`);
  return d;
}

/** The venues of smallest delay in `delays` (all of them when every delay is equal). */
export function firstObservers(delays: Delays): Venue[] {
  const least = Math.min(...ARCHIVE_VENUES.map((v) => delays[v]));
  return ARCHIVE_VENUES.filter((v) => delays[v] === least);
}

/** The planted leader of an interval: the one venue that observes the latent price first, or null when several tie (no lead–lag among them). */
export function plantedLeader(delays: Delays): Venue | null {
  const first = firstObservers(delays);
  return first.length === 1 ? first[0] : null;
}

/** The planted parameters of a simulated venue; RangeError when the plan does not simulate it. */
export function venueTruth(plan: SimPlan, venue: Venue): VenueTruth {
  const vt = plan.truth.venueParams[venue];
  if (!vt) throw new RangeError(`invalid venue: ${venue} (simulated: ${plan.venues.join(", ")})`);
  return vt;
}

/** Regime in force at time `t` (ms); the last one at or after the span's end. */
export function regimeAt(truth: SimTruth, t: number): RegimeTruth {
  const r = truth.regimes;
  for (let i = 0; i < r.length; ++i) if (t < r[i].end) return r[i];
  return r[r.length - 1];
}

/**
 * Observation delay (ms) of `venue` at time `t` (ms): the schedule interval's delay, moving
 * linearly from the previous interval's delay over its first `transitionMs`.
 */
export function delayAt(truth: SimTruth, venue: Venue, t: number): number {
  const s = truth.leadLag.schedule;
  let i = 0;
  while (i < s.length - 1 && t >= s[i].end) ++i;
  const d = plantedDelay(s[i].delaysMs, venue);
  const R = truth.leadLag.transitionMs;
  if (i > 0 && t < s[i].start + R) {
    const prev = plantedDelay(s[i - 1].delaysMs, venue);
    return prev + ((d - prev) * Math.max(0, t - s[i].start)) / R;
  }
  return d;
}

/**
 * The expected trade intensity of `venue` as a step function over [a, b): breakpoints
 * `times` (length n + 1, ms) and `rates` (length n, trades per ms). The intensity is
 * meanRate · rateScale · profile(UTC hour) · intensityMultiplier(regime), doubled
 * (`burstIntensityMultiplier`) during bursts at the venue. A stationary Hawkes process
 * with baseline μ = rate·(1 − n) has this mean rate (Hawkes 1971).
 */
export function rateSegments(plan: SimPlan, venue: Venue, a: number, b: number): {times: Float64Array; rates: Float64Array} {
  if (!(a <= b)) throw new RangeError(`invalid interval: [${a}, ${b})`);
  return segments(plan, venue, a, b, rateScaleOf(plan, venue));
}

function segments(plan: SimPlan, venue: Venue, a: number, b: number, rateScale: number): {times: Float64Array; rates: Float64Array} {
  const truth = plan.truth;
  const points: number[] = [a, b];
  for (let h = Math.ceil(a / HOUR) * HOUR; h < b; h += HOUR) points.push(h);
  for (const r of truth.regimes) if (a < r.start && r.start < b) points.push(r.start);
  const bursts = truth.bursts.filter((x) => x.venue === venue && x.end > a && x.start < b);
  for (const x of bursts) {
    if (x.start > a) points.push(x.start);
    if (x.end < b) points.push(x.end);
  }
  points.sort((x, y) => x - y);
  const times: number[] = [];
  for (const p of points) if (times.length === 0 || p > times[times.length - 1]) times.push(p);
  const n = times.length - 1;
  const rates = new Float64Array(n);
  const base = (VENUE_PARAMS[venue as ArchiveVenue].ratePerSec * rateScale) / 1000;
  let j = 0;
  for (let i = 0; i < n; ++i) {
    const mid = (times[i] + times[i + 1]) / 2;
    const hour = Math.floor((((mid % 86_400_000) + 86_400_000) % 86_400_000) / HOUR);
    while (j < bursts.length && bursts[j].end <= mid) ++j;
    const inBurst = j < bursts.length && bursts[j].start <= mid;
    rates[i] = base * truth.arrivals.intradayProfile[hour] * regimeAt(truth, mid).intensityMultiplier * (inBurst ? truth.arrivals.burstIntensityMultiplier : 1);
  }
  return {times: Float64Array.from(times), rates};
}

function rateScaleOf(plan: SimPlan, venue: Venue): number {
  return venueTruth(plan, venue).meanRatePerSec / VENUE_PARAMS[venue as ArchiveVenue].ratePerSec;
}

function expectedTradesIn(plan: SimPlan, venue: Venue, rateScale: number, a: number, b: number): number {
  const {times, rates} = segments(plan, venue, a, b, rateScale);
  let s = 0;
  for (let i = 0; i < rates.length; ++i) s += rates[i] * (times[i + 1] - times[i]);
  return s;
}

/**
 * Expected number of trades of `venue` in [a, b) (ms; default the whole span): the integral
 * of {@link rateSegments}. Hawkes counts fluctuate around it with variance ≈ E[N]/(1 − n)².
 */
export function expectedTrades(plan: SimPlan, venue: Venue, a = plan.span[0], b = plan.span[1]): number {
  if (!(a <= b)) throw new RangeError(`invalid interval: [${a}, ${b})`);
  return expectedTradesIn(plan, venue, rateScaleOf(plan, venue), a, b);
}
