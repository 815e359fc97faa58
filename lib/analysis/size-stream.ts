/**
 * Chapter 02's trade-size statistics fed one piece of a venue's trades at a time (a (venue, day)
 * partition), in one pass with memory bounded by the number of distinct sizes, not by the number
 * of trades: the moments carried across pieces (`MomentsStream`, lib/moments.ts: Pébay's one-pass
 * updates in trade order) and an exact mergeable histogram of the sizes (`ValueCounts`,
 * lib/value-counts.ts), from which the type-7 quantiles, the Hill estimate and plot (`hillOf`,
 * `hillAtRuns`, lib/hill.ts; Hill, Ann. Statist. 3 (1975) 1163) and the log-spaced CCDF
 * (`logCcdf`, lib/ccdf.ts) are the same values as on the whole-span column. Sizes quoted on a lot
 * grid repeat, so the histogram stays small (on the default day about 1,300 distinct sizes for
 * 12 million Binance trades; a venue quoting sizes to 10⁻⁸ BTC repeats fewer).
 */
import {MomentsStream} from "../moments.js";
import {ValueCounts} from "../value-counts.js";

export class SizeStream {
  /** Rows pushed (finite or not). */
  rows = 0;
  readonly moments = new MomentsStream();
  readonly counts = new ValueCounts();

  /** The next piece of sizes, the first `length` entries (default all). */
  push(qty: ArrayLike<number>, length = qty.length): void {
    this.rows += length;
    this.moments.push(qty, length);
    this.counts.add(qty, length);
  }
}
