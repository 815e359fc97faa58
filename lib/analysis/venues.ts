/**
 * The venues of the workbook and how they are named: one source for ids, labels, instruments and
 * the pairs the chapters compare, shared by the loaders, the analyses and the pages.
 */

/**
 * Market ids (a venue × instrument), in the order every table and matrix uses. The first four
 * are the original venue ids and keep their meaning: `binance` is Binance's USD-M perpetual
 * (the issue's `binance-usdm`), `bybit` Bybit's linear perpetual (`bybit-linear`), `okx` OKX's
 * swap (`okx-swap`), `coinbase` Coinbase's spot book (`coinbase-spot`). The others are markets
 * read from a user's own files (`CVE_INPUTS`): Binance spot and Binance's COIN-M perpetual.
 */
export const VENUES = ["binance", "bybit", "okx", "coinbase", "binance-spot", "binance-coinm"] as const;
export type Venue = (typeof VENUES)[number];

/** The markets with daily exchange archives and a simulated counterpart (the default build's venues). */
export const ARCHIVE_VENUES = ["binance", "bybit", "okx", "coinbase"] as const;
export type ArchiveVenue = (typeof ARCHIVE_VENUES)[number];

/** Planted delays per market, ms: every archive venue's, others optional (the simulator plants only those). */
export type Delays = Record<ArchiveVenue, number> & Partial<Record<Venue, number>>;

/** The planted delay of `b` minus that of `a`, ms, or null when either was not planted. */
export function delayDiff(delays: Delays, a: Venue, b: Venue): number | null {
  const da = delays[a];
  const db = delays[b];
  return da === undefined || db === undefined ? null : db - da;
}

/** The kind of instrument a market trades. */
export type MarketKind = "perpetual" | "spot";

/**
 * What each market trades: label, instrument, kind, and the size of one contract where the
 * exchange counts in contracts (`contractUsd`: COIN-M BTCUSD_PERP contracts are 100 USD each, so
 * a trade of q contracts at price p is 100·q/p BTC).
 */
export const VENUE_INFO: Record<Venue, {label: string; instrument: string; kind: MarketKind; contractUsd?: number}> = {
  binance: {label: "Binance", instrument: "BTCUSDT perpetual (USD-M)", kind: "perpetual"},
  bybit: {label: "Bybit", instrument: "BTCUSDT perpetual (linear)", kind: "perpetual"},
  okx: {label: "OKX", instrument: "BTC-USDT-SWAP perpetual", kind: "perpetual"},
  coinbase: {label: "Coinbase", instrument: "BTC-USD spot", kind: "spot"},
  "binance-spot": {label: "Binance spot", instrument: "BTCUSDT spot", kind: "spot"},
  "binance-coinm": {label: "Binance COIN-M", instrument: "BTCUSD_PERP perpetual (COIN-M, contract 100 USD)", kind: "perpetual", contractUsd: 100}
};

/** Whether `id` is a known market id. */
export function isVenue(id: string): id is Venue {
  return (VENUES as readonly string[]).includes(id);
}

/** The perpetual markets among `venues`, in their order (Analysis A compares these only). */
export function perpetuals<V extends Venue>(venues: readonly V[]): V[] {
  return venues.filter((v) => VENUE_INFO[v].kind === "perpetual");
}

/** The spot markets among `venues`, in their order. */
export function spots<V extends Venue>(venues: readonly V[]): V[] {
  return venues.filter((v) => VENUE_INFO[v].kind === "spot");
}

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

/**
 * Why the sections that compare markets (lead–lag, correlation, price discovery, transfer
 * entropy, leadership) are skipped: "one market only (Binance): …"; null with two or more.
 */
export function crossMarketSkipReason(venues: readonly string[]): string | null {
  if (venues.length >= 2) return null;
  const which = venues.length ? ` (${venues.map(venueLabel).join(", ")})` : "";
  return `one market only${which}: comparisons between markets (correlation, lead–lag, price discovery, transfer entropy, leadership) need two`;
}
