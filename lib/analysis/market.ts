/**
 * The in-memory market every chapter analysis reads: per-venue columns of cleaned trades, fixed
 * time bins and the 100 ms flow matrix over one span, with the planted truth of a simulated
 * market. Types only; the build's loaders fill a market from the derived files
 * (`loaders/market.ts`), tests and the calibration from the simulator in memory
 * (`loaders/simulate/market.ts`). An analysis reads only the parts it names in its own
 * `…Market` type, so a loader reads from disk only what that chapter needs.
 */
import type {SimTruth} from "./truth.js";
import type {Venue} from "./venues.js";

/** Cleaned trades of one venue in time order, one element per trade. */
export interface TradeColumns {
  /** Number of valid rows (the arrays may be longer). */
  length: number;
  /** Exchange trade time, epoch ms (a fractional part carries µs where the source has it). */
  time: Float64Array;
  /** Price in quote currency (USDT or USD) per BTC. */
  price: Float64Array;
  /** Quantity in BTC. */
  qty: Float64Array;
  /** Aggressor side: +1 buy, −1 sell, 0 unknown. */
  side: Int8Array;
  /** Exchange trade id; NaN where the source has none. */
  id: Float64Array;
}

/** The columns of `bins-<venue>-<w>ms.arrow`, one element per bin. */
export interface BinColumns {
  length: number;
  /** Bin start, epoch ms. */
  t: Float64Array;
  n_buy: Int32Array;
  n_sell: Int32Array;
  v_buy: Float64Array;
  v_sell: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  vwap: Float64Array;
  last: Float64Array;
}

/**
 * The 100 ms flow matrix (`flow-100ms.arrow`): every venue on one grid (bin i starts at
 * span[0] + i·100 ms), the net signed trade count n_buy − n_sell clipped to ±32767, the trade
 * count n_buy + n_sell clipped to 32767 (so an empty bin is told from a balanced one) and the last
 * price carried forward (Float32, as the page loads it).
 */
export interface FlowColumns {
  /** Number of bins. */
  length: number;
  net: Partial<Record<Venue, Int16Array>>;
  /** Trades per bin (with a known side: n_buy + n_sell). */
  count: Partial<Record<Venue, Int16Array>>;
  last: Partial<Record<Venue, Float32Array>>;
}

/** A market over one span: what every chapter analysis is a function of. */
export interface Market {
  source: "simulated" | "real";
  /** The venues analysed, in table order. */
  venues: Venue[];
  /** [start, end) in epoch ms. */
  span: [number, number];
  /** What the simulator planted (simulated markets), else null. */
  truth: SimTruth | null;
  /** Cleaned trades per venue (only the venues and columns a chapter asked for). */
  trades: Partial<Record<Venue, TradeColumns>>;
  /** Fixed bins per bin width in ms, then per venue. */
  bins: Partial<Record<number, Partial<Record<Venue, BinColumns>>>>;
  /** The 100 ms flow matrix, when a chapter asked for it. */
  flow: FlowColumns | null;
}

/** The trades of `venue`, or a RangeError naming what the market lacks. */
export function marketTrades(market: Pick<Market, "trades">, venue: Venue): TradeColumns {
  const t = market.trades[venue];
  if (!t) throw new RangeError(`invalid market: no trades of ${venue}`);
  return t;
}

/** The bins of `venue` at `widthMs`, or a RangeError naming what the market lacks. */
export function marketBins(market: Pick<Market, "bins">, venue: Venue, widthMs: number): BinColumns {
  const b = market.bins[widthMs]?.[venue];
  if (!b) throw new RangeError(`invalid market: no ${widthMs} ms bins of ${venue}`);
  return b;
}

/** The 100 ms flow matrix, or a RangeError. */
export function marketFlow(market: Pick<Market, "flow">): FlowColumns {
  if (!market.flow) throw new RangeError("invalid market: no 100 ms flow matrix");
  return market.flow;
}
