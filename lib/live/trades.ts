/**
 * The newest trades of one market (time, price, id), kept in trade-time order for the leader rule
 * of the live page, which needs the trades themselves (the Hayashi–Yoshida lead works on trade
 * times, lib/analysis/leadership.ts).
 *
 * Order: by time, then by id — the order of the batch readers (a recording or an archive lists a
 * venue's trades by id, and ids rise with time), so that trades of equal time collapse to the same
 * last price in `tickSeries` (lib/hayashi-yoshida.ts). A trade older than the newest is inserted
 * at its place (binary search, then a shift of the few newer ones).
 *
 * Memory: trades older than `horizonMs` before the newest trade are dropped as new ones arrive,
 * so the buffer holds at most a horizon's worth of trades; its arrays double when full and are
 * compacted in place, so they stop growing once they hold the busiest horizon seen.
 */
export class TradeWindow {
  time: Float64Array;
  price: Float64Array;
  id: Float64Array;
  /** Index of the oldest kept trade and one past the newest. */
  private head = 0;
  private tail = 0;

  constructor(readonly horizonMs: number, capacity = 1024) {
    if (!(horizonMs > 0)) throw new RangeError(`invalid horizonMs: ${horizonMs}`);
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`invalid capacity: ${capacity}`);
    this.time = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.id = new Float64Array(capacity);
  }

  /** Trades kept. */
  get size(): number {
    return this.tail - this.head;
  }

  /** Length of the arrays (the most trades held without growing). */
  get capacity(): number {
    return this.time.length;
  }

  /** Index (absolute, in [head, tail]) of the first trade ordered at or after (t, id). */
  private lowerBound(t: number, id: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid] < t || (this.time[mid] === t && this.id[mid] < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds one trade in its (time, id) place, then drops the trades older than the horizon. */
  add(time: number, price: number, id: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`invalid time: ${time}`);
    if (this.tail === this.time.length) this.makeRoom();
    const at = this.tail > this.head && (this.time[this.tail - 1] > time || (this.time[this.tail - 1] === time && this.id[this.tail - 1] > id)) ? this.lowerBound(time, id) : this.tail;
    if (at < this.tail) {
      this.time.copyWithin(at + 1, at, this.tail);
      this.price.copyWithin(at + 1, at, this.tail);
      this.id.copyWithin(at + 1, at, this.tail);
    }
    this.time[at] = time;
    this.price[at] = price;
    this.id[at] = id;
    ++this.tail;
    const oldest = this.time[this.tail - 1] - this.horizonMs;
    while (this.head < this.tail && this.time[this.head] < oldest) ++this.head;
  }

  /** Moves the kept trades to the front, doubling the arrays when more than half full. */
  private makeRoom(): void {
    const n = this.size;
    if (2 * n > this.time.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(2 * a.length);
        b.set(a.subarray(this.head, this.tail));
        return b;
      };
      this.time = grow(this.time);
      this.price = grow(this.price);
      this.id = grow(this.id);
    } else {
      this.time.copyWithin(0, this.head, this.tail);
      this.price.copyWithin(0, this.head, this.tail);
      this.id.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = n;
  }

  /** The trades with start ≤ time < end, in (time, id) order, as new arrays. */
  slice(start: number, end: number): {time: Float64Array; price: Float64Array} {
    const i0 = this.lowerBound(start, -Infinity);
    const i1 = this.lowerBound(end, -Infinity);
    return {time: this.time.slice(i0, i1), price: this.price.slice(i0, i1)};
  }
}
