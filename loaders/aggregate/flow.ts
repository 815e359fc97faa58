/**
 * The 100 ms flow matrix of `flow-100ms.arrow`: for every venue, the net signed trade count
 * (buys − sells) per bin as Int16, the trade count (buys + sells) as Int16 and the last price as
 * Float32, all venues on one time grid (bin i starts at span[0] + i·w). Filled chunk by chunk
 * from the venues' bins.
 */
import type {Venue} from "../config.ts";
import type {BinColumns} from "./bins.ts";

const INT16_MAX = 32767;
/**
 * Trade count n_buy + n_sell of each bin, clipped to 32767 like the net count (more trades in one 100 ms
 * bin: never seen). Writes into `out` from `offset` and returns how many bins were clipped.
 */
export function tradeCount(nBuy: ArrayLike<number>, nSell: ArrayLike<number>, out: Int16Array, offset = 0): number {
  const n = nBuy.length;
  if (nSell.length !== n) throw new RangeError(`invalid nSell length: ${nSell.length} (n_buy has ${n})`);
  if (!(offset >= 0 && offset + n <= out.length)) throw new RangeError(`invalid offset: ${offset}`);
  let clipped = 0;
  for (let i = 0; i < n; ++i) {
    let c = nBuy[i] + nSell[i];
    if (c > INT16_MAX) (c = INT16_MAX), ++clipped;
    out[offset + i] = c;
  }
  return clipped;
}

/**
 * Net signed count n_buy − n_sell of each bin, clipped to the Int16 range ±32767 (a clipped
 * bin would need more than 32767 net trades in one bin: never seen at 100 ms). Writes into
 * `out` from `offset` and returns how many bins were clipped.
 */
export function netFlow(nBuy: ArrayLike<number>, nSell: ArrayLike<number>, out: Int16Array, offset = 0): number {
  const n = nBuy.length;
  if (nSell.length !== n) throw new RangeError(`invalid nSell length: ${nSell.length} (n_buy has ${n})`);
  if (!(offset >= 0 && offset + n <= out.length)) throw new RangeError(`invalid offset: ${offset}`);
  let clipped = 0;
  for (let i = 0; i < n; ++i) {
    let d = nBuy[i] - nSell[i];
    if (d > INT16_MAX) (d = INT16_MAX), ++clipped;
    else if (d < -INT16_MAX) (d = -INT16_MAX), ++clipped;
    out[offset + i] = d;
  }
  return clipped;
}

/** Wide flow columns for several venues over `nBins` bins. */
export class FlowMatrix {
  readonly nBins: number;
  readonly net: Partial<Record<Venue, Int16Array>> = {};
  readonly count: Partial<Record<Venue, Int16Array>> = {};
  readonly last: Partial<Record<Venue, Float32Array>> = {};
  /** Bins clipped to the Int16 range, per venue. */
  readonly clipped: Partial<Record<Venue, number>> = {};

  constructor(venues: readonly Venue[], nBins: number) {
    if (!(Number.isInteger(nBins) && nBins > 0)) throw new RangeError(`invalid nBins: ${nBins}`);
    this.nBins = nBins;
    for (const v of venues) {
      this.net[v] = new Int16Array(nBins);
      this.count[v] = new Int16Array(nBins);
      this.last[v] = new Float32Array(nBins).fill(NaN);
      this.clipped[v] = 0;
    }
  }

  /** Copies one chunk of a venue's bins, starting at bin `offset`. */
  add(venue: Venue, offset: number, chunk: BinColumns): void {
    const net = this.net[venue], count = this.count[venue], last = this.last[venue];
    if (!net || !count || !last) throw new RangeError(`invalid venue: ${venue}`);
    this.clipped[venue]! += netFlow(chunk.n_buy, chunk.n_sell, net, offset);
    this.clipped[venue]! += tradeCount(chunk.n_buy, chunk.n_sell, count, offset);
    last.set(chunk.last, offset);
  }
}
