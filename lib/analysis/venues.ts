/**
 * The venues of the workbook and how they are named: one source for ids, labels, instruments and
 * the pairs the chapters compare, shared by the loaders, the analyses and the pages.
 */

/** Venue ids, in the order every table and matrix uses. */
export const VENUES = ["binance", "bybit", "okx", "coinbase"] as const;
export type Venue = (typeof VENUES)[number];

/** What each venue trades in this workbook: three USDT-margined perpetuals and one spot book. */
export const VENUE_INFO: Record<Venue, {label: string; instrument: string; kind: "perpetual" | "spot"}> = {
  binance: {label: "Binance", instrument: "BTCUSDT perpetual (USD-M)", kind: "perpetual"},
  bybit: {label: "Bybit", instrument: "BTCUSDT perpetual (linear)", kind: "perpetual"},
  okx: {label: "OKX", instrument: "BTC-USDT-SWAP perpetual", kind: "perpetual"},
  coinbase: {label: "Coinbase", instrument: "BTC-USD spot", kind: "spot"}
};

/** The display name of a venue id ("okx" → "OKX"); an unknown id is returned as it is. */
export function venueLabel(venue: string): string {
  return (VENUE_INFO as Record<string, {label: string}>)[venue]?.label ?? venue;
}

/** The unordered venue pairs [a, b] with a before b in `venues`' order. */
export function venuePairs<V extends string>(venues: readonly V[]): [V, V][] {
  const out: [V, V][] = [];
  for (let i = 0; i < venues.length; ++i) for (let j = i + 1; j < venues.length; ++j) out.push([venues[i], venues[j]]);
  return out;
}

/** The ordered pairs (source, target), source ≠ target, row-major in `venues`' order (the links of an m × m matrix). */
export function orderedPairs<V extends string>(venues: readonly V[]): [V, V][] {
  const out: [V, V][] = [];
  for (const a of venues) for (const b of venues) if (a !== b) out.push([a, b]);
  return out;
}
