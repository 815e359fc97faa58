/** Chapter 04's page data: the 1 s bins of one venue (or all pooled) as typed columns, and the shipped trade-sign lag sums. */
import type {BlockLagSums} from "../lib/block-acf.js";
import {addBlockLagSums} from "../lib/block-acf.js";

/** One market series of 1 s bins: order flow, price and bin start times. */
export interface MarketSeries {
  t: Float64Array;
  buy: Float64Array;
  sell: Float64Array;
  price: Float64Array;
}

/** An Arrow table of `bins-1000ms.arrow` (long format, venue by venue), as the page loads it. */
export interface BinsTable {
  numRows: number;
  getChild(name: string): {get(i: number): unknown; toArray(): ArrayLike<number>} | null;
}

/**
 * Splits the long-format bins into one series per venue and adds the pooled market: the flow of
 * every venue summed, with the price of `reference`. Rows are written venue by venue in the
 * manifest's order, each venue with the same bins (docs/data.md); a venue whose rows are not
 * where expected throws.
 */
export function marketSeries(bins: BinsTable, venues: string[], reference: string): Record<string, MarketSeries> {
  const n = bins.numRows / venues.length;
  if (!Number.isInteger(n)) throw new RangeError(`invalid bins: ${bins.numRows} rows for ${venues.length} venues`);
  const col = (name: string) => Float64Array.from(bins.getChild(name)!.toArray());
  const t = col("t");
  const nb = col("n_buy");
  const ns = col("n_sell");
  const last = col("last");
  const venue = bins.getChild("venue")!;
  const out: Record<string, MarketSeries> = {};
  const all: MarketSeries = {t: t.slice(0, n), buy: new Float64Array(n), sell: new Float64Array(n), price: new Float64Array(n)};
  venues.forEach((v, k) => {
    if (venue.get(k * n) !== v || venue.get(k * n + n - 1) !== v) throw new RangeError(`invalid bins: rows of ${v} not at ${k * n}`);
    const s: MarketSeries = {t: t.slice(k * n, k * n + n), buy: nb.slice(k * n, k * n + n), sell: ns.slice(k * n, k * n + n), price: last.slice(k * n, k * n + n)};
    for (let i = 0; i < n; ++i) (all.buy[i] += s.buy[i]), (all.sell[i] += s.sell[i]);
    out[v] = s;
  });
  all.price = out[reference].price;
  out.all = all;
  return out;
}

/** The per-minute trade-sign lag sums of chapter 04's JSON (plain arrays) as BlockLagSums. */
export interface SignSumsJSON {
  count: number[];
  sum: number[];
  products: number[];
  crossing: number[];
  head: number[];
  tail: number[];
}

/** BlockLagSums of one venue, or of all venues pooled (`"all"`). */
export function signSums(signs: {maxLag: number; venues: Record<string, SignSumsJSON>}, venue: string): BlockLagSums {
  const one = (s: SignSumsJSON): BlockLagSums => ({
    blocks: s.count.length,
    maxLag: signs.maxLag,
    count: Float64Array.from(s.count),
    sum: Float64Array.from(s.sum),
    products: Float64Array.from(s.products),
    crossing: Float64Array.from(s.crossing),
    head: Float64Array.from(s.head),
    tail: Float64Array.from(s.tail)
  });
  if (venue !== "all") return one(signs.venues[venue]);
  return addBlockLagSums(Object.values(signs.venues).map(one));
}

/** Log price sampled every `stepSec` seconds over [start, end) (epoch ms), from a 1 s series; times are the sample ends. */
export function logPriceSamples(series: Pick<MarketSeries, "t" | "price">, start: number, end: number, stepSec: number): {t: Float64Array; x: Float64Array} {
  const t0 = series.t[0];
  const i0 = Math.max(0, Math.ceil((start - t0) / 1000));
  const i1 = Math.min(series.t.length, Math.floor((end - t0) / 1000));
  const t: number[] = [];
  const x: number[] = [];
  for (let i = i0 + stepSec - 1; i < i1; i += stepSec) {
    const p = series.price[i];
    if (p > 0) t.push(series.t[i] + 1000), x.push(Math.log(p));
  }
  return {t: Float64Array.from(t), x: Float64Array.from(x)};
}
