/**
 * Price changes as ternary symbols: did the price of a bin go down, stay, or go up?
 *
 * The companion of `flowSymbols` (lib/symbolize.ts) for prices sampled on a regular grid (the
 * last trade price of each bin): symbol 0 (down) when ln(p_t / p_{t−1}) < −threshold, 2 (up) when
 * it is > threshold, 1 (unchanged) otherwise. A carried-forward last price makes a bin without
 * trades "unchanged". Lead–lag between venues shows in these symbols: the venue that sees news
 * first moves first (Hasbrouck 1995; de Jong and Nijman 1997).
 *
 * References: J. Hasbrouck, "One security, many markets: intermarket price discovery", Journal
 * of Finance 50 (1995) 1175–1199; F. de Jong and T. Nijman, "High frequency analysis of lead–lag
 * relationships between financial markets", Journal of Empirical Finance 4 (1997) 259–277;
 * M. Staniek and K. Lehnertz, PRL 100 (2008) 158101 (symbolic transfer entropy).
 */

/** The symbols of {@link priceChangeSymbols}. */
export const DOWN = 0;
export const UNCHANGED = 1;
export const UP = 2;

export interface PriceChangeOptions {
  /** Dead band on the log change: |ln(p_t/p_{t−1})| ≤ threshold is "unchanged". Default 0. */
  threshold?: number;
}

/**
 * Ternary symbols of the step-to-step log change of `price` (a Uint8Array of the same length):
 * {@link DOWN} (0), {@link UNCHANGED} (1) or {@link UP} (2) per the dead band `threshold`
 * (dimensionless log units, default 0: any change counts). The first entry, and any step that
 * touches a missing (NaN) or non-positive price, is UNCHANGED: no observed move. RangeError for
 * a negative or non-finite threshold.
 */
export function priceChangeSymbols(price: ArrayLike<number>, options: PriceChangeOptions = {}): Uint8Array {
  const threshold = options.threshold ?? 0;
  if (!(threshold >= 0 && threshold < Infinity)) throw new RangeError(`invalid threshold: ${threshold}`);
  const n = price.length;
  const out = new Uint8Array(n).fill(UNCHANGED);
  let previous = n > 0 ? +price[0] : NaN;
  for (let t = 1; t < n; ++t) {
    const p = +price[t];
    out[t] = priceChange(previous, p, threshold);
    previous = p;
  }
  return out;
}

/**
 * The symbol of one step of {@link priceChangeSymbols}, from `previous` to `p` with dead band
 * `threshold` (not checked here): UNCHANGED when either price is missing, non-positive or infinite.
 */
export function priceChange(previous: number, p: number, threshold = 0): number {
  if (!(p > 0 && previous > 0 && p < Infinity && previous < Infinity)) return UNCHANGED;
  if (threshold === 0) return p > previous ? UP : p < previous ? DOWN : UNCHANGED;
  const r = Math.log(p / previous);
  return r > threshold ? UP : r < -threshold ? DOWN : UNCHANGED;
}
