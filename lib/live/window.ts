/**
 * The live monitor's rolling state at one bin width: for m markets, the flow symbol of every
 * closed bin (a ring of the newest `capacity` bins), and over the newest `window` bins the symbol
 * counts of each market (normalised entropy of the flow over the bins with trades, as every
 * chapter's entropy of the flow, lib/flow-entropy.ts) and the transfer-entropy count table of
 * every ordered pair (TE(i → j) of the flow symbols — sell, balanced, buy, no trade — k = 1,
 * l = 1, delay one bin: chapter 03's `flow` channel). Changing the window refills the tables from
 * the ring.
 */
import {entropyFromCounts} from "../entropy.js";
import {FLOW_BASE, NO_TRADE} from "../symbolize.js";
import {RollingSymbolCounts, RollingTransferEntropyCounts, SymbolRing} from "./rolling-counts.js";

export {FLOW_BASE};

export class MarketWindow {
  readonly history: SymbolRing[];
  entropy: RollingSymbolCounts[] = [];
  /** te[i * m + j]: TE(i → j) counts; null on the diagonal. */
  te: (RollingTransferEntropyCounts | null)[] = [];
  /** Absolute index (on the bin grid) of the first bin pushed; NaN before any. */
  firstBin = NaN;
  window: number;

  constructor(readonly markets: number, readonly capacity: number, window: number, readonly k = 1) {
    this.history = Array.from({length: markets}, () => new SymbolRing(capacity));
    this.window = this.checkWindow(window);
    this.reset();
  }

  private checkWindow(window: number): number {
    if (!(Number.isInteger(window) && window > this.k && window <= this.capacity)) throw new RangeError(`invalid window: ${window} (capacity ${this.capacity})`);
    return window;
  }

  private reset(): void {
    const m = this.markets;
    this.entropy = Array.from({length: m}, () => new RollingSymbolCounts(FLOW_BASE, this.window));
    this.te = Array.from({length: m * m}, (_, c) => (Math.floor(c / m) === c % m ? null : new RollingTransferEntropyCounts(this.window, {base: FLOW_BASE, k: this.k})));
  }

  /** Bins pushed so far. */
  get bins(): number {
    return this.history[0].pushed;
  }

  /** Grid index one past the newest bin (the window is [end − size, end)). */
  get end(): number {
    return this.firstBin + this.bins;
  }

  /** Bins in the current window. */
  get size(): number {
    return Math.min(this.bins, this.window);
  }

  /** Appends the symbols of one closed bin (grid index `index`; bins must be consecutive). */
  push(index: number, symbols: ArrayLike<number>): void {
    if (Number.isNaN(this.firstBin)) this.firstBin = index;
    else if (index !== this.end) throw new RangeError(`invalid bin: ${index} (expected ${this.end})`);
    this.append(symbols);
  }

  private append(symbols: ArrayLike<number>): void {
    const m = this.markets;
    for (let i = 0; i < m; ++i) {
      this.history[i].push(symbols[i]);
      this.entropy[i].push(symbols[i]);
    }
    for (let i = 0; i < m; ++i) for (let j = 0; j < m; ++j) if (i !== j) this.te[i * m + j]!.push(symbols[i], symbols[j]);
  }

  /** Sets the window (in bins) and refills the tables from the newest bins of the ring. */
  setWindow(window: number): void {
    this.window = this.checkWindow(window);
    this.reset();
    const n = this.size;
    const m = this.markets;
    const recent = this.history.map((h) => h.last(n));
    for (let t = 0; t < n; ++t) {
      for (let i = 0; i < m; ++i) this.entropy[i].push(recent[i][t]);
      for (let i = 0; i < m; ++i) for (let j = 0; j < m; ++j) if (i !== j) this.te[i * m + j]!.push(recent[i][t], recent[j][t]);
    }
  }

  /** The window's flow symbols of every market, oldest first (new arrays). */
  symbols(): Uint8Array[] {
    const n = this.size;
    return this.history.map((h) => h.last(n));
  }

  /** Plug-in TE matrix (bits), m × m row-major, NaN on the diagonal. */
  teMatrix(): Float64Array {
    const m = this.markets;
    const out = new Float64Array(m * m).fill(NaN);
    for (let c = 0; c < m * m; ++c) {
      const t = this.te[c];
      if (t) out[c] = t.value();
    }
    return out;
  }

  /**
   * Normalised plug-in entropy of each market's flow over the window's bins with trades: the
   * counts of sell, balanced and buy (no trade left out) divided by log2 3; NaN without a trade.
   */
  normalizedEntropy(): Float64Array {
    return Float64Array.from(this.entropy, (e) => entropyFromCounts(e.counts.subarray(0, NO_TRADE)) / Math.log2(NO_TRADE));
  }
}
