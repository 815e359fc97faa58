/**
 * Taker orders from trade prints. An aggressive order that meets several resting orders prints
 * several trades with its side and one timestamp, so consecutive prints with the same known side
 * (±1) and the same time are one taker order: the grouping of Binance's aggregate trades, and how
 * Tóth, Palit, Lillo and Farmer separate the fills of one order from the splitting of metaorders
 * ("Why is equity order flow so persistent?", J. Econ. Dyn. Control 51 (2015) 218).
 *
 * {@link OrderRun} applies the rule one print at a time, so that a sequence fed in pieces (a day's
 * partition at a time) groups exactly as the whole sequence does.
 */
export class OrderRun {
  #time = NaN;
  #side = 0;

  /**
   * Whether a print of known side `side` (±1) at `time` starts a new taker order (true), or is one
   * more fill of the order before it (false): same side and same time as the last print given.
   */
  starts(time: number, side: number): boolean {
    if (side === this.#side && time === this.#time) return false;
    this.#time = time;
    this.#side = side;
    return true;
  }

  /** Forgets the last order: the next print starts one. */
  reset(): void {
    this.#time = NaN;
    this.#side = 0;
  }
}
