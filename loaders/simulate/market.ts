/**
 * A simulated market held in memory: the same plan and trade streams as the simulated archives,
 * handed straight to the chapter analyses without writing or reading a file. Tests and the
 * calibration run the analyses over many such markets; the build goes through the archives.
 *
 * The trades are the simulator's own (already signed, in time order, inside the span); the bins
 * and the 100 ms flow matrix are computed with the build's aggregation code, so a chapter sees
 * the same kind of columns as from a build.
 */
import type {FlowColumns, Market, TradeColumns} from "../../lib/analysis/market.js";
import {configSpan, type AnalysisConfig, type Venue} from "../config.ts";
import {binTrades} from "../aggregate/bins.ts";
import {FlowMatrix} from "../aggregate/flow.ts";
import type {TradeBatch} from "../trades.ts";
import {planMarket} from "./plan.ts";
import {simulateVenue} from "./venue.ts";

/** Options of {@link simulateMarket}. */
export interface SimulatedMarketOptions {
  /** Bin widths to aggregate, ms; default the configuration's `binWidthsMs`. */
  binWidths?: readonly number[];
  /** Build the 100 ms flow matrix (needs 100 among the bin widths); default true. */
  flow?: boolean;
}

/** Concatenates a venue's trade batches into one set of columns, keeping the trades inside [t0, t1). */
export function concatTrades(batches: readonly TradeBatch[], t0: number, t1: number): TradeColumns {
  let n = 0;
  for (const b of batches) for (let i = 0; i < b.length; ++i) if (b.time[i] >= t0 && b.time[i] < t1) ++n;
  const out: TradeColumns = {length: n, time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), side: new Int8Array(n), id: new Float64Array(n)};
  let o = 0;
  for (const b of batches)
    for (let i = 0; i < b.length; ++i) {
      const t = b.time[i];
      if (!(t >= t0 && t < t1)) continue;
      out.time[o] = t;
      out.price[o] = b.price[i];
      out.qty[o] = b.qty[i];
      out.side[o] = b.side[i];
      out.id[o] = b.id[i];
      ++o;
    }
  return out;
}

/**
 * The simulated market of `config` (seed, span, venues, simulation settings) in memory: trades,
 * bins at `binWidths` and the 100 ms flow matrix of every venue, with the planted truth. Memory
 * grows with the span (about 50 bytes per trade): keep spans short (an hour or a few).
 */
export function simulateMarket(config: AnalysisConfig, {binWidths = config.binWidthsMs, flow = true}: SimulatedMarketOptions = {}): Market {
  const plan = planMarket(config);
  const span = configSpan(config);
  const [t0, t1] = span;
  const venues = [...config.venues] as Venue[];
  const market: Market = {source: "simulated", venues, span: [t0, t1], truth: plan.truth, trades: {}, bins: {}, flow: null};
  for (const w of binWidths) market.bins[w] = {};
  for (const v of venues) {
    const batches = [...simulateVenue(plan, v)];
    const trades = concatTrades(batches, t0, t1);
    market.trades[v] = trades;
    const batch: TradeBatch = {venue: v, ...trades};
    for (const w of binWidths) market.bins[w]![v] = binTrades(batch, {t0, t1, widthMs: w});
  }
  if (flow) market.flow = flowColumns(market, venues);
  return market;
}

/** The 100 ms flow matrix of the market's 100 ms bins (as `flow-100ms.arrow` holds it). */
export function flowColumns(market: Pick<Market, "bins">, venues: readonly Venue[]): FlowColumns {
  const bins = market.bins[100];
  if (!bins) throw new RangeError("invalid market: no 100 ms bins for the flow matrix");
  const length = bins[venues[0]]!.length;
  const m = new FlowMatrix(venues, length);
  for (const v of venues) m.add(v, 0, bins[v]!);
  return {length, net: m.net, count: m.count, last: m.last};
}
