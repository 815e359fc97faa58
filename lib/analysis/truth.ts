/**
 * The planted truth of a simulated market, as the simulator records it in `truth.json` and the
 * analyses read it: types only. Times in epoch ms with ISO strings beside them, rates per second,
 * delays in ms, volatilities of the log price per √s, prices in USD(T).
 */
import type {Delays, Venue} from "./venues.js";

/** The planted market regimes: calm, a volatility crash with a liquidation cascade, and recovery. */
export type RegimeName = "calm" | "crash" | "recovery";

/** Parameters of one market regime. */
export interface RegimeParams {
  /** Multiplier on the calm diffusion volatility of the latent log price. */
  volMultiplier: number;
  /** Drift of the latent log price, per second. */
  driftPerSec: number;
  /** Multiplier on every venue's trade intensity. */
  intensityMultiplier: number;
  /** Probability that a new metaorder buys. */
  metaorderBuyProb: number;
  /** Multiplier on the quoted spread (in ticks, rounded, at least one tick). */
  spreadMultiplier: number;
  /** Multiplier on trade sizes. */
  sizeMultiplier: number;
  /** Poisson rate of informed-flow bursts, per hour. */
  burstsPerHour: number;
  /** Probability that a burst buys. */
  burstBuyProb: number;
  /** Range of a burst's absolute move of the latent log price (uniform). */
  burstLogMove: [number, number];
}

/** One planted regime interval. */
export interface RegimeTruth extends RegimeParams {
  name: RegimeName;
  /** [start, end) in epoch ms, and as ISO strings. */
  start: number;
  end: number;
  startISO: string;
  endISO: string;
  /** Diffusion volatility of the latent log price, per √s (= calm σ × volMultiplier). */
  sigmaPerSqrtSec: number;
  /** Expected variance rate of the latent log price, per s: σ² plus the bursts' contribution (rate × E[move²]). */
  varianceRatePerSec: number;
  /** Well barrier height over noise intensity ΔV/D at the start price (metastable when ≫ 1). */
  barrierOverNoise: number;
  /** Kramers escape rate out of a well, both directions, per s (an approximation valid when ΔV/D ≳ 2). */
  escapeRatePerSec: number;
}

/** The planted crash window and recovery end, epoch ms, with ISO strings. */
export interface CrashEvents {
  crash: "planted";
  crashStart: number;
  crashEnd: number;
  recoveryEnd: number;
  crashStartISO: string;
  crashEndISO: string;
  recoveryEndISO: string;
}

/** A market planted calm throughout: no crash, no recovery, no leadership flip. */
export interface NoCrashEvents {
  crash: "none";
  crashStart: null;
  crashEnd: null;
  recoveryEnd: null;
  crashStartISO: null;
  crashEndISO: null;
  recoveryEndISO: null;
}

/**
 * The planted crash of a simulated market's truth, or null when there is none (real data, or a
 * market simulated with `CVE_SIM_CRASH=none`). Truth files written before the crash mode
 * existed have numeric times and no `crash` field: they count as planted.
 */
export function crashEvents(truth: Pick<SimTruth, "events"> | null | undefined): CrashEvents | null {
  const e = truth?.events as {crash?: string; crashStart?: unknown} | undefined;
  if (!e || e.crash === "none" || typeof e.crashStart !== "number") return null;
  return e as CrashEvents;
}

/** One interval of the leader schedule. */
export interface LeaderTruth {
  start: number;
  end: number;
  startISO: string;
  endISO: string;
  /** The venue that observes the latent price first (smallest delay among all four venues); null when several tie: no planted leader. */
  leader: Venue | null;
  /** Every venue's observation delay of the latent price in this interval, ms. */
  delaysMs: Delays;
}

/** One informed-flow burst. */
export interface BurstTruth {
  start: number;
  end: number;
  startISO: string;
  /** The venue where the informed flow trades (the leader of the schedule interval holding the burst's start). */
  venue: Venue;
  /** +1 buying, −1 selling. */
  direction: 1 | -1;
  /** Signed move of the latent log price over the burst (linear drift from start to end). */
  logMove: number;
  regime: RegimeName;
}

/** Planted parameters of one simulated venue. */
/** One fill-count law: P(L = 1) = 1 − multiProb, P(L ≥ k) = multiProb·(2/k)^alpha for 2 ≤ k ≤ maxFills. */
export interface FillTruth {
  multiProb: number;
  alpha: number;
  maxFills: number;
  /** Probability that the next fill of an order is one tick deeper. */
  walkProb: number;
  /** Mean fills per taker order. */
  meanFills: number;
}

export interface VenueTruth {
  venue: Venue;
  instrument: string;
  /** Mean trade rate in calm hours over the hour-of-day profile, per s (rateScale applied). */
  meanRatePerSec: number;
  /** Expected number of trades over the span (integral of the expected intensity). */
  expectedTrades: number;
  hawkes: {kernel: string; branchingRatio: number; decayPerSec: number; jumpPerSec2: number; meanBaselinePerSec: number};
  tick: number;
  lot: number;
  timeResolutionMs: number;
  /** Quoted spread in calm hours, ticks; half of it (in quote currency) is the bid–ask bounce. */
  spreadTicks: number;
  halfSpread: number;
  /** Price premium over the latent perpetual price, relative (Coinbase spot USD vs USDT perpetuals). */
  basis: number;
  firstId: number;
  size: {body: string; medianBtc: number; sigmaLog: number; tailThresholdBtc: number; tailProbability: number; tailAlpha: number};
}

/**
 * Everything the simulator planted, as plain JSON: times in epoch ms with ISO strings beside them,
 * rates per second, delays in ms, volatilities of the log price per √s, prices in USD(T).
 */
export interface SimTruth {
  truthKey: {seed: number; version: string};
  source: "simulated";
  span: {start: number; end: number; startISO: string; endISO: string; days: number};
  venues: Venue[];
  latent: {startPrice: number; gridMs: number; sigmaCalmPerSqrtSec: number; annualisedVolCalm: number; model: string};
  regimes: RegimeTruth[];
  /**
   * Crash window and recovery end, epoch ms; `crash: "none"` (a market planted calm throughout,
   * `CVE_SIM_CRASH=none`) has every time null. Narrow with {@link crashEvents}.
   */
  events: CrashEvents | NoCrashEvents;
  leadLag: {transitionMs: number; schedule: LeaderTruth[]; note: string};
  arrivals: {intradayProfile: number[]; burstIntensityMultiplier: number};
  orderFlow: {
    metaorderLengthLaw: string;
    metaorderAlpha: number;
    metaorderMinLength: number;
    concurrentMetaorders: number;
    /**
     * Sign autocorrelation C(ℓ) ∝ ℓ^−γ of the ordinary (metaorder) flow in taker orders (the prints
     * of one order merged), γ = α − 1, reached beyond lags of a few times concurrent·ℓmin orders.
     * In trades it is reached only beyond the longest fill run (`fills.maxFills`): below that the
     * fills of single orders add a steeper, shorter-lived part.
     */
    signAcfExponent: number;
    /** Fills per taker order (each fill a trade with the order's sign and time), per venue kind. */
    fills: {law: string; perpetual: FillTruth; spot: FillTruth};
    note: string;
    arbitrageShare: number;
    informedShare: number;
  };
  sizes: {tailAlpha: number; law: string};
  wells: {
    spacingUsd: number;
    offsetUsd: number;
    /** Well levels (USD, latent/perpetual price) within ±25 % of the start price. */
    levels: number[];
    potential: string;
    kappaPerSec: number;
    relaxationTimeSec: number | null;
    barrierOverNoiseCalm: number;
    /** Standard deviation of the price around a well bottom in calm hours (Ornstein–Uhlenbeck approximation), USD. */
    calmWellSdUsd: number;
    escapeRateLaw: string;
  };
  bursts: BurstTruth[];
  /** Planted parameters of each simulated venue. */
  venueParams: Partial<Record<Venue, VenueTruth>>;
}
