/**
 * The seeded multi-venue market simulator: a plan with the planted truth, and each venue's
 * stream of normalised trades driven by one latent price.
 */
export {planMarket, expectedTrades, rateSegments, delayAt, regimeAt, venueTruth} from "./plan.ts";
export type {SimPlan} from "./plan.ts";
export type {SimTruth, RegimeTruth, LeaderTruth, BurstTruth, VenueTruth} from "../../lib/analysis/truth.js";
export {simulateVenue, BATCH_ROWS} from "./venue.ts";
export {latentDays, MARGIN_MS} from "./latent.ts";
export type {LatentDay} from "./latent.ts";
export {SIM_VERSION, VENUE_PARAMS, REGIME_PARAMS} from "./params.ts";
export type {VenueParams} from "./params.ts";
export type {RegimeName, RegimeParams} from "../../lib/analysis/truth.js";
