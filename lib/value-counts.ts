/**
 * An exact, mergeable histogram of a sample: its distinct finite values in ascending order, each
 * with its count. Fed piece by piece (each piece sorted, run-length encoded and merged into the
 * table), it holds the sorted sample without holding the sample: memory is 16 bytes per distinct
 * value, which for trade sizes quoted on a lot grid is bounded by the grid, not by the number of
 * trades. Every order statistic of the sample is available (`at`), so type-7 quantiles
 * (Hyndman & Fan, Am. Stat. 50 (1996) 361) equal `quantiles` (lib/moments.ts) on the whole
 * sample value for value.
 */
import {quantileSorted} from "./moments.js";

export class ValueCounts {
  /** Distinct values ascending, and their counts. */
  private values = new Float64Array(0);
  private counts = new Float64Array(0);
  /** cumulative[i]: the number of values below values[i] (rebuilt lazily after a merge). */
  private cumulative: Float64Array | null = null;
  private total = 0;

  /** Number of finite values added. */
  get length(): number {
    return this.total;
  }

  /** Number of distinct finite values. */
  get distinct(): number {
    return this.values.length;
  }

  /**
   * The first `length` values of `x` (default all); non-finite values are skipped. The piece's
   * distinct values are counted in an open-addressing hash table (keyed by the value, −0 as 0),
   * then only those are sorted and merged: O(n + d log d) for n values with d distinct, where
   * sorting the piece would cost O(n log n).
   */
  add(x: ArrayLike<number>, length = x.length): void {
    let size = 1024;
    let keys = new Float64Array(size);
    let tally = new Float64Array(size);
    let d = 0;
    let m = 0;
    const insert = (v: number, c: number) => {
      for (let h = slot(v, size - 1); ; h = (h + 1) & (size - 1)) {
        if (tally[h] === 0) {
          keys[h] = v;
          tally[h] = c;
          return true;
        }
        if (keys[h] === v) {
          tally[h] += c;
          return false;
        }
      }
    };
    for (let i = 0; i < length; ++i) {
      const v = +x[i] + 0;
      if (!Number.isFinite(v)) continue;
      ++m;
      if (insert(v, 1) && ++d * 2 > size) {
        const [k0, t0] = [keys, tally];
        size *= 2;
        keys = new Float64Array(size);
        tally = new Float64Array(size);
        for (let h = 0; h < k0.length; ++h) if (t0[h] > 0) insert(k0[h], t0[h]);
      }
    }
    if (m === 0) return;
    const v2 = new Float64Array(d);
    for (let h = 0, j = 0; h < size; ++h) if (tally[h] > 0) v2[j++] = keys[h];
    v2.sort();
    const c2 = new Float64Array(d);
    for (let j = 0; j < d; ++j) for (let h = slot(v2[j], size - 1); ; h = (h + 1) & (size - 1)) if (keys[h] === v2[j]) {
      c2[j] = tally[h];
      break;
    }
    this.merge(v2, c2);
    this.total += m;
  }

  /** Merges a sorted distinct table into this one. */
  private merge(v2: Float64Array, c2: Float64Array): void {
    const v1 = this.values;
    const c1 = this.counts;
    const out = new Float64Array(v1.length + v2.length);
    const cnt = new Float64Array(v1.length + v2.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < v1.length || j < v2.length) {
      if (j >= v2.length || (i < v1.length && v1[i] < v2[j])) (out[k] = v1[i]), (cnt[k++] = c1[i++]);
      else if (i >= v1.length || v2[j] < v1[i]) (out[k] = v2[j]), (cnt[k++] = c2[j++]);
      else (out[k] = v1[i]), (cnt[k++] = c1[i++] + c2[j++]);
    }
    this.values = out.slice(0, k);
    this.counts = cnt.slice(0, k);
    this.cumulative = null;
  }

  /** The i-th smallest value (0-based) of the sample; RangeError outside [0, length). */
  at(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.total)) throw new RangeError(`invalid index: ${i} (length ${this.total})`);
    return this.values[this.runOf(i)];
  }

  /** The run (index into the distinct values) holding order statistic i. */
  private runOf(i: number): number {
    if (!this.cumulative) {
      const cum = new Float64Array(this.counts.length);
      for (let j = 1; j < cum.length; ++j) cum[j] = cum[j - 1] + this.counts[j - 1];
      this.cumulative = cum;
    }
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cum[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Type-7 quantiles at probabilities `p`, equal to `quantiles(sample, p)`; NaN for an empty sample. */
  quantiles(p: ArrayLike<number>): Float64Array {
    const out = new Float64Array(p.length);
    const sorted = new Proxy({length: this.total} as ArrayLike<number>, {get: (target, key) => (key === "length" ? this.total : this.at(Number(key)))});
    for (let i = 0; i < p.length; ++i) {
      if (!(p[i] >= 0 && p[i] <= 1)) throw new RangeError(`invalid p: ${p[i]}`);
      out[i] = quantileSorted(sorted, p[i], this.total);
    }
    return out;
  }

  /** The number of values below `v`. */
  countBelow(v: number): number {
    if (this.total === 0) return 0;
    this.runOf(0);
    const cum = this.cumulative!;
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo < cum.length ? cum[lo] : this.total;
  }

  /** The smallest value above 0 (NaN if none) and the largest value (NaN if empty). */
  extremes(): {smallestPositive: number; largest: number} {
    const v = this.values;
    let j = 0;
    while (j < v.length && !(v[j] > 0)) ++j;
    return {smallestPositive: j < v.length ? v[j] : NaN, largest: v.length ? v[v.length - 1] : NaN};
  }

  /** The distinct values descending with their counts: the input of a tail estimator's sweep from the largest value down. */
  *descending(): Generator<[value: number, count: number]> {
    for (let j = this.values.length - 1; j >= 0; --j) yield [this.values[j], this.counts[j]];
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** The hash slot of `v` in a table of mask + 1 slots: its IEEE 754 bits mixed (MurmurHash3's finaliser). */
function slot(v: number, mask: number): number {
  bits[0] = v;
  let h = words[0] ^ Math.imul(words[1], 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}
