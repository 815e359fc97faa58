/**
 * Online binning of trade streams on a shared grid: bin i of width w covers [i·w, (i+1)·w) ms of
 * exchange trade time (epoch-aligned, so a 1 s bin is ten 100 ms bins). Trades of every market
 * are added as they arrive, in any order; a bin is closed — emitted once, for all markets
 * together, empty bins included — when the watermark (the newest trade time seen, less an
 * allowed lateness) has passed its end. A trade for a bin already closed is refused (`late`) and
 * counted by the caller; it never changes an emitted bin.
 *
 * Per bin and market: buys, sells (aggressor counts), volume, and the last price carried forward
 * (the price of the latest trade by time, then id; NaN before the market's first trade).
 */
import {BALANCED, BUY, NO_TRADE, SELL} from "../symbolize.js";

/** One closed bin of every market. Arrays are reused between calls: copy what you keep. */
export interface ClosedBin {
  index: number;
  buys: Int32Array;
  sells: Int32Array;
  volume: Float64Array;
  last: Float64Array;
}

interface OpenBin {
  buys: Int32Array;
  sells: Int32Array;
  volume: Float64Array;
  /** Latest trade (time, then id) and its price per market (time −Infinity when none). */
  lastTime: Float64Array;
  lastId: Float64Array;
  lastPrice: Float64Array;
}

/** The flow symbol of a bin: 0 sell (buys < sells), 1 balanced, 2 buy, 3 no trade — `flowSymbols` of lib/symbolize.ts with threshold 0. */
export function flowSymbol(buys: number, sells: number): number {
  if (buys + sells === 0) return NO_TRADE;
  const net = buys - sells;
  return net > 0 ? BUY : net < 0 ? SELL : BALANCED;
}

export class OnlineBins {
  /** Next bin to close: every bin below it has been emitted. NaN before the first trade. */
  next = NaN;
  /** Whether a bin has been closed (before that, an earlier trade moves the grid's first bin back). */
  started = false;
  private readonly open = new Map<number, OpenBin>();
  private readonly out: ClosedBin;
  private readonly carried: Float64Array;
  private readonly carriedTime: Float64Array;
  private readonly pool: OpenBin[] = [];

  constructor(readonly markets: number, readonly binMs: number, readonly onClose: (bin: ClosedBin) => void) {
    if (!(Number.isInteger(binMs) && binMs > 0)) throw new RangeError(`invalid binMs: ${binMs}`);
    this.out = {index: 0, buys: new Int32Array(markets), sells: new Int32Array(markets), volume: new Float64Array(markets), last: new Float64Array(markets)};
    this.carried = new Float64Array(markets).fill(NaN);
    this.carriedTime = new Float64Array(markets).fill(-Infinity);
  }

  private bin(): OpenBin {
    const m = this.markets;
    return this.pool.pop() ?? {buys: new Int32Array(m), sells: new Int32Array(m), volume: new Float64Array(m), lastTime: new Float64Array(m), lastId: new Float64Array(m), lastPrice: new Float64Array(m)};
  }

  /**
   * Adds one trade of market `i`; false (nothing changed) when its bin is already closed. The
   * bin's last price is that of its latest trade by time, then by `id` (trades of equal time
   * arrive in any order).
   */
  add(i: number, time: number, price: number, qty: number, side: number, id = 0): boolean {
    const index = Math.floor(time / this.binMs);
    if (Number.isNaN(this.next) || (!this.started && index < this.next)) this.next = index;
    if (index < this.next) return false;
    let b = this.open.get(index);
    if (!b) {
      b = this.bin();
      b.buys.fill(0);
      b.sells.fill(0);
      b.volume.fill(0);
      b.lastTime.fill(-Infinity);
      this.open.set(index, b);
    }
    if (side > 0) ++b.buys[i];
    else ++b.sells[i];
    b.volume[i] += qty;
    if (time > b.lastTime[i] || (time === b.lastTime[i] && id >= b.lastId[i])) {
      b.lastTime[i] = time;
      b.lastId[i] = id;
      b.lastPrice[i] = price;
    }
    return true;
  }

  /** Closes, in order, every bin that ends at or before `until` ms; returns how many were closed. */
  closeUntil(until: number): number {
    if (Number.isNaN(this.next)) return 0;
    const end = Math.floor(until / this.binMs); // bins < end have ended by `until`
    let closed = 0;
    const o = this.out;
    if (this.next < end) this.started = true;
    for (; this.next < end; ++this.next, ++closed) {
      const b = this.open.get(this.next);
      o.index = this.next;
      if (b) {
        this.open.delete(this.next);
        o.buys.set(b.buys);
        o.sells.set(b.sells);
        o.volume.set(b.volume);
        for (let i = 0; i < this.markets; ++i) {
          if (b.lastTime[i] > -Infinity) {
            this.carried[i] = b.lastPrice[i];
            this.carriedTime[i] = b.lastTime[i];
          }
        }
        this.pool.push(b);
      } else {
        o.buys.fill(0);
        o.sells.fill(0);
        o.volume.fill(0);
      }
      o.last.set(this.carried);
      this.onClose(o);
    }
    return closed;
  }

  /** Bins open (not yet closed). */
  get pending(): number {
    return this.open.size;
  }
}
