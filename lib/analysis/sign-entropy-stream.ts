/**
 * Chapter 03's trade-sign memory fed one piece of a venue's trade sides at a time (a (venue, day)
 * partition, in time order): the entropy rate of the sign sequence, of the same signs shuffled
 * once, and the active information storage of the signs, with the same values as on the
 * whole-span sequence however the trades are cut.
 *
 * The sign of a trade is 1 for a buy (side +1) and 0 for a sell (side −1); side 0 is dropped
 * (lib/symbolize.ts `tradeSigns`). Per piece the stream counts, for every block length
 * L = 1 … K + 1, the blocks of L consecutive signs ending at each sign (lib/entropy-rate.ts
 * `blockCounts`; the last K signs are carried across the cut in the rolling block code), so that
 *
 *   h_k = H(k + 1) − H(k)  from the (k + 1)-block counts (`entropyRateFromCounts`, Miller–Madow),
 *   A_K = I(x_{t−K} … x_{t−1} ; x_t)  from the (K + 1)-block counts, read as the table
 *         past (a base-2 number) × next, shuffle-corrected with random tables of its margins
 *         (`shuffleMutualInformation`, lib/mutual-information.ts; Lizier et al., Information
 *         Sciences 208 (2012) 39).
 *
 * The shuffled yardstick is a Fisher–Yates shuffle (lib/random.ts `shuffle`) of the whole
 * sequence, which needs every sign at once: the stream keeps them packed one bit a sign (an
 * eighth of the byte per trade of the side column), shuffles the bits with the same draws and
 * counts the blocks of the result. Memory: n/8 bytes for n signs of the venue plus 2^(K+2) counts.
 * Cover & Thomas, Elements of Information Theory (2006) ch. 4; Lillo & Farmer, SNDE 8 (2004) 1.
 */
import {entropyRateFromCounts} from "../entropy-rate.js";
import {mutualInformationFromCounts, shuffleMutualInformation} from "../mutual-information.js";
import {deriveSeed, mulberry32} from "../random.js";

/** What {@link SignEntropyStream.result} gives: counts, the two entropy-rate curves and the storage test. */
export interface SignEntropy {
  /** Signs (trades with a known side) and buys among them. */
  trades: number;
  buys: number;
  /** Miller–Madow entropy rate h_k, k = 0 … K, bits per trade (NaN where there are not more than k signs). */
  rate: number[];
  /** The same for the signs shuffled once. */
  rateShuffled: number[];
  /** Active information storage at k = K, shuffle-corrected, bits per trade, and its p-value (NaN with fewer than K + 2 signs). */
  storage: number;
  storageP: number;
}

/**
 * Block counts of lengths 1 … K + 1 of a 0/1 sequence, fed one sign at a time: for each length L
 * the blocks of L consecutive signs ending at each sign from the L-th on. From the (K + 1)-th
 * sign on, only the (K + 1)-block is counted; the shorter blocks ending there are its low bits,
 * so their counts are its counts summed over the older bits (`counts`, read once the signs are
 * in), plus the shorter blocks of the first K signs, counted one by one. The same integer
 * counts as counting every length at every sign, with one increment a sign instead of K + 1.
 */
class BlockTables {
  n = 0;
  private code = 0;
  /** Counts of the top-length blocks, and of each shorter length over the first top − 1 signs. */
  private readonly full: Int32Array;
  private readonly early: Int32Array[];
  private made: Int32Array[] | null = null;
  constructor(private readonly top: number) {
    this.full = new Int32Array(1 << top);
    this.early = Array.from({length: top}, (_, i) => new Int32Array(1 << (i + 1)));
  }
  add(s: number): void {
    this.code = ((this.code << 1) | s) & ((1 << this.top) - 1);
    const n = ++this.n;
    const code = this.code;
    this.made = null;
    if (n >= this.top) {
      ++this.full[code];
      return;
    }
    for (let L = 1; L <= n; ++L) ++this.early[L - 1][code & ((1 << L) - 1)];
  }
  /** The counts of every length L = 1 … top (index L − 1): 2^L cells each, the block's signs as a base-2 number, the latest sign lowest. */
  get counts(): Int32Array[] {
    if (this.made) return this.made;
    const full = this.full;
    this.made = this.early.map((e, i) => {
      const L = i + 1;
      const out = Int32Array.from(e);
      const mask = (1 << L) - 1;
      for (let c = 0; c < full.length; ++c) out[c & mask] += full[c];
      return out;
    });
    return this.made;
  }
}

export class SignEntropyStream {
  private readonly blocks: BlockTables;
  private bits: Uint8Array;
  private buys = 0;

  /**
   * @param maxK the largest history K (1 ≤ K ≤ 20);
   * @param capacity the expected number of trades (the packed signs grow past it if needed).
   */
  constructor(
    readonly maxK: number,
    capacity = 0
  ) {
    if (!(Number.isInteger(maxK) && maxK >= 1 && maxK <= 20)) throw new RangeError(`invalid maxK: ${maxK}`);
    this.blocks = new BlockTables(maxK + 1);
    this.bits = new Uint8Array(Math.max(8, Math.ceil(capacity / 8)));
  }

  /** Signs so far. */
  get trades(): number {
    return this.blocks.n;
  }

  /** The next piece of trade sides (±1, 0 unknown and dropped), the first `length` entries; RangeError naming the index of another value. */
  push(side: ArrayLike<number>, length = side.length): void {
    for (let i = 0; i < length; ++i) {
      const v = side[i];
      let s: number;
      if (v === 1) s = 1;
      else if (v === -1) s = 0;
      else if (v === 0) continue;
      else throw new RangeError(`invalid side: ${v} (index ${i} of the piece)`);
      const n = this.blocks.n;
      if (n >> 3 >= this.bits.length) {
        const grown = new Uint8Array(this.bits.length * 2);
        grown.set(this.bits);
        this.bits = grown;
      }
      if (s) {
        this.bits[n >> 3] |= 1 << (n & 7);
        ++this.buys;
      }
      this.blocks.add(s);
    }
  }

  /**
   * The curves and the storage test: the shuffle drawn from `mulberry32(shuffleSeed)`, the
   * storage test's `surrogates` random tables from `mulberry32(deriveSeed(storageSeed,
   * "lagged-mutual-information"))`, as `laggedMutualInformation` at lag 0 draws them. Shuffles the
   * packed signs in place: call once, after the last piece.
   */
  result({shuffleSeed, storageSeed, surrogates}: {shuffleSeed: number; storageSeed: number; surrogates: number}): SignEntropy {
    const K = this.maxK;
    const n = this.blocks.n;
    const curve = (t: BlockTables) => Array.from({length: K + 1}, (_, k) => (n > k ? entropyRateFromCounts(t.counts[k], k, 2, "miller-madow") : NaN));
    const rate = curve(this.blocks);
    let storage = NaN;
    let storageP = NaN;
    if (n - K >= 2) {
      if (!(Number.isInteger(surrogates) && surrogates >= 1)) throw new RangeError(`invalid surrogates: ${surrogates}`);
      // The (K + 1)-block counts as the table past × next (2 columns), cut after the largest past seen.
      const top = this.blocks.counts[K];
      let last = 0;
      for (let c = 0; c < top.length; ++c) if (top[c] > 0) last = c >> 1;
      const bx = Math.max(2, last + 1);
      const joint = top.subarray(0, 2 * bx);
      const plug = mutualInformationFromCounts(joint, bx, 2, "plug-in");
      const t = shuffleMutualInformation(joint, bx, 2, plug, surrogates, mulberry32(deriveSeed(storageSeed, "lagged-mutual-information")));
      storage = t.corrected;
      storageP = t.pValue;
    }
    // Fisher–Yates over the packed signs, the draws of lib/random.ts `shuffle`.
    const bits = this.bits;
    const random = mulberry32(shuffleSeed);
    for (let i = n - 1; i > 0; --i) {
      const j = Math.floor(random() * (i + 1));
      const a = (bits[i >> 3] >> (i & 7)) & 1;
      const b = (bits[j >> 3] >> (j & 7)) & 1;
      if (a !== b) {
        bits[i >> 3] ^= 1 << (i & 7);
        bits[j >> 3] ^= 1 << (j & 7);
      }
    }
    const shuffled = new BlockTables(K + 1);
    for (let i = 0; i < n; ++i) shuffled.add((bits[i >> 3] >> (i & 7)) & 1);
    return {trades: n, buys: this.buys, rate, rateShuffled: curve(shuffled), storage, storageP};
  }
}
