/**
 * Fixed parameters of the simulated market: the venues' microstructure and the regimes'
 * dynamics. Everything random (start price, burst times, the paths) is drawn from the
 * configuration's seed in `plan.ts`; everything here is a constant that the truth reports.
 */
import type {ArchiveVenue} from "../config.ts";
import type {RegimeName, RegimeParams} from "../../lib/analysis/truth.js";

/**
 * Child fills of one taker order: an aggressive order that meets several resting orders prints one
 * trade per resting order, all with its sign and its timestamp. Fill count law:
 * P(L = 1) = 1 − multiProb; for 2 ≤ k ≤ maxFills, P(L ≥ k) = multiProb·(2/k)^alpha
 * (given L ≥ 2, L = min(maxFills, floor(2·U^(−1/alpha))), U uniform); after each fill the price
 * walks one tick deeper into the book with probability walkProb.
 */
export interface FillLaw {
  /** P(L ≥ 2): the share of taker orders printed as several trades. */
  multiProb: number;
  /** Tail exponent of the fill count given L ≥ 2. */
  alpha: number;
  /** Most fills of one order. */
  maxFills: number;
  /** Probability that the next fill is one tick deeper. */
  walkProb: number;
}

/**
 * The perpetuals' fill law, measured on the Binance USD-M recordings of ../shared/real-trades
 * (2023-04-05 and 2024-07-19; prints of one sign in one ms counted as one order): P(L ≥ 2) =
 * 0.32, P(L ≥ 4) = 0.17–0.18, P(L ≥ 10) = 0.06, P(L ≥ 20) = 0.02–0.03 (α ≈ 1), longest 111–149,
 * the price moving within an order on 14–28 % of fills.
 */
export const FILLS_PERPETUAL: FillLaw = {multiProb: 0.32, alpha: 1.0, maxFills: 100, walkProb: 0.2};

/**
 * The spot fill law, measured the same way on the Binance spot recording (2023-04-05): P(L ≥ 2) =
 * 0.13, P(L ≥ 4) = 0.04, P(L ≥ 10) = 0.01, P(L ≥ 20) = 0.003 (α ≈ 1.6).
 */
export const FILLS_SPOT: FillLaw = {multiProb: 0.13, alpha: 1.6, maxFills: 100, walkProb: 0.2};

/** Parameters of one venue's trade stream. */
export interface VenueParams {
  /** Mean trade rate in calm hours, trades per second, averaged over the hour-of-day profile (before `rateScale`). */
  ratePerSec: number;
  /** 1 / price tick (10 → 0.1 USDT, 100 → 0.01 USD). */
  tickInv: number;
  /** 1 / quantity lot in BTC. */
  lotInv: number;
  /** Resolution of the archive's timestamps, ms (1, or 0.1 for Bybit's seconds with 4 decimals). */
  timeResolutionMs: number;
  /** Hawkes branching ratio n = α/β of the exponential kernel. */
  branching: number;
  /** Decay time 1/β of the Hawkes kernel, ms. */
  kernelDecayMs: number;
  /** Quoted spread in calm hours, in ticks. */
  spreadTicks: number;
  /** Relative premium of the venue's price over the latent (perpetual) price. */
  basis: number;
  /** Median trade size, BTC (log-normal body). */
  sizeMedianBtc: number;
  /** Standard deviation of log size in the body. */
  sizeSigmaLog: number;
  /** Trade id of the first simulated trade. */
  firstId: number;
  /** Fills per taker order ({@link FILLS_PERPETUAL} or {@link FILLS_SPOT}). */
  fills: FillLaw;
}

/**
 * Each venue's parameters. Rates follow the venues' typical BTC trade counts in 2024; ticks, lots
 * and timestamp resolutions are those of the venues' public archives (OKX lot 0.01 contract of
 * 0.01 BTC). The planted delays (who leads) and the shares of informed and arbitrage flow are
 * configuration (`simulation` in loaders/config.ts), so that calibration can plant other leaders
 * or none.
 */
export const VENUE_PARAMS: Record<ArchiveVenue, VenueParams> = {
  binance: {ratePerSec: 115, tickInv: 10, lotInv: 1000, timeResolutionMs: 1, branching: 0.65, kernelDecayMs: 200, spreadTicks: 1, basis: 0, sizeMedianBtc: 0.004, sizeSigmaLog: 1.1, firstId: 5_100_000_000, fills: FILLS_PERPETUAL},
  bybit: {ratePerSec: 58, tickInv: 10, lotInv: 1000, timeResolutionMs: 0.1, branching: 0.6, kernelDecayMs: 250, spreadTicks: 1, basis: 0, sizeMedianBtc: 0.005, sizeSigmaLog: 1.1, firstId: 180_000_000, fills: FILLS_PERPETUAL},
  okx: {ratePerSec: 40, tickInv: 10, lotInv: 10000, timeResolutionMs: 1, branching: 0.6, kernelDecayMs: 300, spreadTicks: 1, basis: 0, sizeMedianBtc: 0.006, sizeSigmaLog: 1.2, firstId: 530_000_000, fills: FILLS_PERPETUAL},
  coinbase: {ratePerSec: 10, tickInv: 100, lotInv: 1e8, timeResolutionMs: 1, branching: 0.5, kernelDecayMs: 500, spreadTicks: 10, basis: -1.5e-4, sizeMedianBtc: 0.002, sizeSigmaLog: 1.3, firstId: 690_000_000, fills: FILLS_SPOT}
};

/**
 * Each regime's parameters. The crash multiplies volatility by 4, drifts down (≈ −3 % over the default
 * 90 minutes, plus ≈ −6 % from sell-dominated liquidation bursts), raises intensity 2.5× and widens
 * spreads; the recovery drifts back up at twice the calm volatility.
 */
export const REGIME_PARAMS: Record<RegimeName, RegimeParams> = {
  calm: {volMultiplier: 1, driftPerSec: 0, intensityMultiplier: 1, metaorderBuyProb: 0.5, spreadMultiplier: 1, sizeMultiplier: 1, burstsPerHour: 4, burstBuyProb: 0.5, burstLogMove: [0.0003, 0.0008]},
  crash: {volMultiplier: 4, driftPerSec: -5.6e-6, intensityMultiplier: 2.5, metaorderBuyProb: 0.35, spreadMultiplier: 3, sizeMultiplier: 1.5, burstsPerHour: 60, burstBuyProb: 0.15, burstLogMove: [0.0005, 0.0015]},
  recovery: {volMultiplier: 2, driftPerSec: 3e-6, intensityMultiplier: 1.5, metaorderBuyProb: 0.55, spreadMultiplier: 1.5, sizeMultiplier: 1.2, burstsPerHour: 10, burstBuyProb: 0.6, burstLogMove: [0.0004, 0.001]}
};

/** Hour-of-day (UTC) activity profile before normalisation to mean 1: quiet Asian night, European morning, peak at the US open. */
const RAW_PROFILE = [0.85, 0.8, 0.75, 0.7, 0.65, 0.65, 0.7, 0.8, 0.9, 0.95, 0.95, 0.95, 1.0, 1.15, 1.45, 1.6, 1.45, 1.25, 1.1, 1.0, 0.95, 0.9, 0.9, 0.85];
const rawMean = RAW_PROFILE.reduce((a, b) => a + b, 0) / 24;
/** Hour-of-day intensity multipliers (UTC hours 0–23), mean 1. */
export const INTRADAY_PROFILE: number[] = RAW_PROFILE.map((x) => Math.round((x / rawMean) * 1e6) / 1e6);

/** Calm diffusion volatility of the latent log price, per √s (≈ 45 % annualised). */
export const SIGMA_CALM = 8e-5;
/** Step of the latent price grid, ms. */
export const GRID_MS = 10;
/** Duration of a leadership change (delays move linearly from the old to the new values), ms. */
export const TRANSITION_MS = 5000;
/** Burst duration range, ms (uniform). */
export const BURST_DURATION_MS: [number, number] = [2000, 10000];
/** Minimum quiet time between two bursts, ms (candidates closer than this to the previous burst's end are dropped). */
export const BURST_GAP_MS = 1000;
/** Intensity multiplier at the burst's venue while the burst lasts. */
export const BURST_INTENSITY = 2;
/** Metaorder length law P(L ≥ ℓ) = (ℓmin/ℓ)^α, ℓ counted in taker orders (each printed as several trades, {@link FillLaw}); `concurrent` metaorders are live at a time. */
export const METAORDER = {alpha: 1.6, minLength: 4, maxLength: 1e7, concurrent: 4};
/**
 * Mean fills per taker order of `law`: (1 − q) + q·(1 + Σ_{k=2}^{maxFills} (2/k)^α). A venue's
 * taker orders arrive at its trade rate over this mean, so trade counts stay those of `ratePerSec`.
 */
export function meanFills(law: FillLaw): number {
  let tail = 1;
  for (let k = 2; k <= law.maxFills; ++k) tail += Math.pow(2 / k, law.alpha);
  return 1 - law.multiProb + law.multiProb * tail;
}

/** Size tail: above the body's 90th percentile, sizes are Pareto with this exponent. */
export const SIZE_TAIL = {alpha: 2, probability: 0.1, z: 1.2815515655446004};
/** Potential wells: spacing and offset of the well levels (USD), and the calm barrier height over noise ΔV/D. */
export const WELLS = {spacingUsd: 250, offsetUsd: 0, barrierOverNoiseCalm: 3};
/** Start price range, USD (uniform, from the seed). */
export const START_PRICE: [number, number] = [57000, 59000];
/** Simulator version; part of the truth key (changes whenever the model changes). */
export const SIM_VERSION = "sim-2";
