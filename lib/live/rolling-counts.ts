/**
 * Incremental (add / remove one observation, the shape of arquero's aggregates) count tables for
 * the live monitor: symbol counts for Shannon entropy and the joint count table of transfer
 * entropy, kept over a sliding window of the newest symbols.
 *
 * Only integer counts are slid; every value is read from the counts by the batch reductions
 * (`entropyFromCounts`, `transferEntropyFromCounts`), so a window's value equals the batch
 * kernel's on the same symbols exactly — same counts, same floating-point reduction — however
 * long the stream has run (nothing accumulates in floating point).
 */
import {entropyFromCounts} from "../entropy.js";
import {transferEntropyFromCounts, type TransferEntropyShape} from "../transfer-entropy.js";

/** A fixed-capacity ring of symbols: the newest `capacity` values pushed. */
export class SymbolRing {
  readonly data: Uint8Array;
  /** Number of values ever pushed. */
  pushed = 0;
  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`invalid capacity: ${capacity}`);
    this.data = new Uint8Array(capacity);
  }
  get size(): number {
    return Math.min(this.pushed, this.capacity);
  }
  push(v: number): void {
    this.data[this.pushed % this.capacity] = v;
    ++this.pushed;
  }
  /** The value of absolute index i (pushed − size ≤ i < pushed). */
  at(i: number): number {
    return this.data[i % this.capacity];
  }
  /** The newest `n` values (n ≤ size), oldest first, as a new array. */
  last(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let j = 0, i = this.pushed - n; j < n; ++j, ++i) out[j] = this.data[i % this.capacity];
    return out;
  }
}

/**
 * Symbol counts over the newest `window` symbols: `push` adds one and, once the window is full,
 * removes the oldest. `entropy()` equals `entropy(window symbols, {base})` (lib/entropy.ts) and
 * `normalized()` equals `normalizedEntropy(window symbols, {base})` exactly.
 */
export class RollingSymbolCounts {
  readonly counts: Int32Array;
  private readonly ring: SymbolRing;
  constructor(readonly base: number, readonly window: number) {
    if (!(Number.isInteger(base) && base >= 1 && base <= 256)) throw new RangeError(`invalid base: ${base}`);
    this.counts = new Int32Array(base);
    this.ring = new SymbolRing(window);
  }
  get size(): number {
    return this.ring.size;
  }
  push(s: number): void {
    if (!(s >= 0 && s < this.base && s === (s | 0))) throw new RangeError(`invalid symbol: ${s}`);
    if (this.ring.pushed >= this.window) --this.counts[this.ring.at(this.ring.pushed - this.window)];
    this.ring.push(s);
    ++this.counts[s];
  }
  /** Plug-in Shannon entropy of the window in bits (NaN when empty). */
  entropy(): number {
    return entropyFromCounts(this.counts);
  }
  /** Entropy / log2(base) (NaN when empty or base < 2). */
  normalized(): number {
    return this.base < 2 ? NaN : entropyFromCounts(this.counts) / Math.log2(this.base);
  }
}

/** Options of {@link RollingTransferEntropyCounts}: as lib/transfer-entropy.ts (target history k, source history l, delay), with an explicit base. */
export interface RollingTeOptions {
  base: number;
  k?: number;
  l?: number;
  delay?: number;
}

/**
 * The transfer-entropy count table TE(source → target) over the newest `window` time steps of a
 * pair of symbol streams. A window [a, b) holds the samples t ∈ [a + start, b) whose histories
 * lie inside it (start = max(k, delay + l − 1)), exactly the samples of the batch
 * `transferEntropy(source.subarray(a, b), target.subarray(a, b), options)`; `push` adds the sample
 * of the new step and removes the one whose history leaves the window. `value()` equals the batch
 * value exactly. The table layout is the batch one (row = target past · b + next, column = source
 * past), so `joint` can be handed to any lib function that takes a count table.
 */
export class RollingTransferEntropyCounts {
  readonly shape: TransferEntropyShape;
  readonly joint: Int32Array;
  private readonly x: SymbolRing;
  private readonly y: SymbolRing;
  private readonly scratch: Float64Array;
  /** Samples in the table. */
  samples = 0;
  constructor(readonly window: number, options: RollingTeOptions) {
    const {base: b, k = 1, l = 1, delay = 1} = options;
    if (!(Number.isInteger(b) && b >= 1 && b <= 256)) throw new RangeError(`invalid base: ${b}`);
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`invalid k: ${k}`);
    if (!(Number.isInteger(l) && l >= 1)) throw new RangeError(`invalid l: ${l}`);
    if (!(Number.isInteger(delay) && delay >= 0)) throw new RangeError(`invalid delay: ${delay}`);
    const start = Math.max(k, delay + l - 1);
    if (!(Number.isInteger(window) && window > start)) throw new RangeError(`invalid window: ${window}`);
    const rows = b ** (k + 1);
    const cols = b ** l;
    if (rows * cols > 1 << 24) throw new RangeError(`invalid k: ${k} (table too large)`);
    this.shape = {base: b, k, l, delay, start, rows, cols};
    this.joint = new Int32Array(rows * cols);
    this.scratch = new Float64Array(cols);
    // One more slot than the window: the sample leaving is read before the new step overwrites it.
    this.x = new SymbolRing(window + 1);
    this.y = new SymbolRing(window + 1);
  }

  /** Table cell of the sample at absolute step t (its history must be in the rings). */
  private cell(t: number): number {
    const {base: b, k, l, delay: u, cols} = this.shape;
    let full = 0;
    for (let i = t - k; i <= t; ++i) full = full * b + this.y.at(i);
    let s = 0;
    for (let i = t - u - l + 1; i <= t - u; ++i) s = s * b + this.x.at(i);
    return full * cols + s;
  }

  /** Appends one time step (source symbol, target symbol), sliding the window. */
  push(xv: number, yv: number): void {
    const b = this.shape.base;
    if (!(xv >= 0 && xv < b && xv === (xv | 0))) throw new RangeError(`invalid symbol: ${xv}`);
    if (!(yv >= 0 && yv < b && yv === (yv | 0))) throw new RangeError(`invalid symbol: ${yv}`);
    const {start} = this.shape;
    const n = this.x.pushed;
    // The window after this step is [n + 1 − window, n + 1): the sample at a + start leaves.
    const leaving = n - this.window + start;
    if (n >= this.window && leaving >= start) {
      --this.joint[this.cell(leaving)];
      --this.samples;
    }
    this.x.push(xv);
    this.y.push(yv);
    const first = Math.max(0, n + 1 - this.window);
    if (n - first >= start) {
      ++this.joint[this.cell(n)];
      ++this.samples;
    }
  }

  /** Plug-in TE of the window in bits (NaN with no sample). */
  value(): number {
    return transferEntropyFromCounts(this.joint, this.shape, this.scratch);
  }
}
