/**
 * The streaming trade cleaner: one (venue, day) of parsed archive rows in, cleaned,
 * de-duplicated, time-sorted trades out, with every row accounted for.
 *
 * Per row, in arrival (file) order:
 * 1. rows outside the day's span `[t0, t1)` are set aside. When the file's own span is known
 *    ({@link TradeCleaner.beginFile}: the day the venue's file covers) a row outside it is
 *    quarantined (`outside file day`, counted in `wrongDay`): the file holds trades of another
 *    day. Other rows outside the span are counted (`outsideSpan`) and skipped — they belong to a
 *    neighbouring day the file is expected to hold (OKX files cut days at UTC+8 midnight) or to
 *    the hours of the last day not analysed;
 * 2. rows with a non-finite time, a non-positive or non-finite price or quantity, or a side
 *    outside {−1, 0, +1} are quarantined (`invalid value`);
 * 3. the **watermark** is W = (latest time accepted so far) − `reorderMs`. A row earlier than W
 *    arrived too late for the reorder buffer: if it repeats a trade still remembered (same id
 *    and time, time ≥ W − `historyMs`) it is a duplicate, otherwise it is quarantined
 *    (`out of order`). It is never re-inserted, so the output stays sorted;
 * 4. other rows enter a sorted buffer keyed by (time, id) — rows without an id (NaN) sort after
 *    those with one at the same time, in arrival order. A row whose (time, id) is already in
 *    the buffer is a duplicate and dropped (archives repeat whole rows; a trade id seen again
 *    at another time is not treated as a duplicate). Rows without an id are never duplicates.
 *
 * Rows leave the buffer in key order once they are earlier than W (at the end of each input
 * batch, and all of them at {@link TradeCleaner.finish}); then:
 * 5. **price outliers**: a price p with |ln(p / m)| > `outlierThreshold`, m the median of the
 *    previous `outlierWindow` prices of the day (outliers included, so a genuine level shift
 *    is accepted after half a window), is quarantined (`price outlier`). The test starts once
 *    `outlierMinCount` prices have been seen;
 * 6. **tick rule** for side 0: an uptick (p above the previous kept price) is a buy, a downtick
 *    a sell, a zero tick takes the direction of the last non-zero price change (Lee & Ready
 *    1991, "Inferring trade direction from intraday data", J. Finance 46(2)). Before the day's
 *    first price change the side stays 0 (`unsigned`);
 * 7. gaps between kept trades are tracked ({@link gapTracker});
 * 8. **trade-id reuse**: kept trades sharing a trade id with an earlier kept trade of the day (at
 *    another time), and repeats of a (time, id) whose price or quantity differ, are counted
 *    (`idReuse`): the first are kept, the second dropped as duplicates, and both reported.
 *
 * Memory is bounded by the trades inside `reorderMs + historyMs`, not by the day.
 */
import type {Venue} from "./config.ts";
import {finishGaps, gapTracker, isOneSided, type GapTracker, type QualityRecord} from "./quality.ts";
import {allocBatch, newQuarantine, quarantine, type Quarantine, type TradeBatch} from "./trades.ts";

export interface CleanOptions {
  /** The rows kept: `span[0] ≤ time < span[1]`, epoch ms. */
  span: [number, number];
  /** Reorder-buffer horizon in ms: local disorder up to this is sorted (default 5000). */
  reorderMs?: number;
  /** How long released trades are remembered to recognise late duplicates, ms (default `reorderMs`). */
  historyMs?: number;
  /** Outlier threshold on |ln(p / rolling median)| (default 0.05, about 5%); `Infinity` disables. */
  outlierThreshold?: number;
  /** Rolling-median window, in preceding prices (default 31). */
  outlierWindow?: number;
  /** Prices needed before the outlier test applies (default 5). */
  outlierMinCount?: number;
  /** Gaps longer than this are counted, seconds (default 60). */
  gapThresholdSec?: number;
  /** Rows per output batch (default 65536). */
  batchSize?: number;
}

/** Counts kept by the cleaner: the rows pushed, and the fields of {@link QualityRecord} of the same names. */
export type CleanStats = {rows: number} & Pick<
  QualityRecord,
  "outsideSpan" | "wrongDay" | "idReuse" | "invalid" | "duplicates" | "outOfOrder" | "priceOutliers" | "kept" | "buys" | "sells" | "unsigned" | "tickClassified" | "first" | "last"
>;

const REASON_INVALID = "invalid value";
const REASON_LATE = "out of order";
const REASON_OUTLIER = "price outlier";
const REASON_WRONG_DAY = "outside file day";

/** `[a, b)` as ISO times to the minute, for messages. */
function isoSpan(a: number, b: number): string {
  const iso = (t: number) => new Date(t).toISOString().slice(0, 16) + "Z";
  return `${iso(a)} to ${iso(b)}`;
}

function rowText(t: number, p: number, q: number, s: number, id: number): string {
  return `time=${t} price=${p} qty=${q} side=${s} id=${id}`;
}

/**
 * Streaming cleaner for one (venue, day). Call {@link beginFile} before each archive file,
 * {@link push} for each parsed batch (it returns the output batches completed so far), then
 * {@link finish} once; {@link record} gives the quality row.
 */
export class TradeCleaner {
  readonly venue: Venue;
  readonly quarantine: Quarantine;
  readonly stats: CleanStats = {
    rows: 0, outsideSpan: 0, wrongDay: 0, idReuse: 0, invalid: 0, duplicates: 0, outOfOrder: 0, priceOutliers: 0,
    kept: 0, buys: 0, sells: 0, unsigned: 0, tickClassified: 0, first: null, last: null
  };
  readonly files: string[] = [];

  private readonly t0: number;
  private readonly t1: number;
  private readonly reorderMs: number;
  private readonly historyMs: number;
  private readonly outLo: number;
  private readonly outHi: number;
  private readonly minCount: number;
  private readonly batchSize: number;
  private readonly gaps: GapTracker;

  // Sorted buffer (deque): [head, rel) released history, [rel, tail) pending.
  private cap = 4096;
  private dTime = new Float64Array(this.cap);
  private dPrice = new Float64Array(this.cap);
  private dQty = new Float64Array(this.cap);
  private dSide = new Int8Array(this.cap);
  private dId = new Float64Array(this.cap);
  private dRow = new Float64Array(this.cap);
  private dFile = new Int32Array(this.cap);
  private head = 0;
  private rel = 0;
  private tail = 0;
  private maxTime = -Infinity;
  private watermark = -Infinity;

  // Rolling median: ring of the last N prices in order, bounds on their smallest and largest,
  // and room to sort them on the rare rows where those bounds do not decide the outlier test.
  private readonly medRing: Float64Array;
  private readonly medSorted: Float64Array;
  private medCount = 0;
  private medPos = 0;
  private medMin = Infinity;
  private medMax = -Infinity;

  private lastPrice = NaN;
  private tickSign = 0;
  private row = 0;
  private out: TradeBatch;
  private done: TradeBatch[] = [];
  /** Output batches handed back by {@link recycle}. */
  private readonly spare: TradeBatch[] = [];
  private finished = false;
  private cleanerQuarantined = 0;
  /** The current file's own span (rows outside it are quarantined), or none. */
  private fileLo = -Infinity;
  private fileHi = Infinity;
  /** Ids of the kept trades, in output order, for the id-reuse count at {@link record}. */
  private keptIds = new Float64Array(1024);
  private nKeptIds = 0;

  constructor(venue: Venue, options: CleanOptions, q: Quarantine = newQuarantine()) {
    const {
      span, reorderMs = 5000, historyMs = reorderMs, outlierThreshold = 0.05, outlierWindow = 31,
      outlierMinCount = 5, gapThresholdSec = 60, batchSize = 65536
    } = options;
    if (!Array.isArray(span) || !(span[0] < span[1])) throw new RangeError(`invalid span: ${span}`);
    if (!(reorderMs >= 0) || !Number.isFinite(reorderMs)) throw new RangeError(`invalid reorderMs: ${reorderMs}`);
    if (!(historyMs >= 0) || !Number.isFinite(historyMs)) throw new RangeError(`invalid historyMs: ${historyMs}`);
    if (!(outlierThreshold > 0)) throw new RangeError(`invalid outlierThreshold: ${outlierThreshold}`);
    if (!Number.isInteger(outlierWindow) || outlierWindow < 1) throw new RangeError(`invalid outlierWindow: ${outlierWindow}`);
    if (!Number.isInteger(outlierMinCount) || outlierMinCount < 1 || outlierMinCount > outlierWindow)
      throw new RangeError(`invalid outlierMinCount: ${outlierMinCount}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`invalid batchSize: ${batchSize}`);
    this.venue = venue;
    this.quarantine = q;
    [this.t0, this.t1] = span;
    this.reorderMs = reorderMs;
    this.historyMs = historyMs;
    this.outLo = Math.exp(-outlierThreshold);
    this.outHi = Math.exp(outlierThreshold);
    this.minCount = outlierMinCount;
    this.medRing = new Float64Array(outlierWindow);
    this.medSorted = new Float64Array(outlierWindow);
    this.batchSize = batchSize;
    this.gaps = gapTracker(this.t0, gapThresholdSec);
    this.out = allocBatch(venue, batchSize);
  }

  /**
   * Starts a new archive file: quarantine examples name it, and row numbers restart at 1.
   * `fileSpan` is the time range the file covers by its venue's layout (a UTC day; OKX's UTC+8
   * day): rows outside it are quarantined as `outside file day` instead of skipped.
   */
  beginFile(name: string, fileSpan?: [number, number]): void {
    this.files.push(name);
    this.row = 0;
    [this.fileLo, this.fileHi] = fileSpan ?? [-Infinity, Infinity];
  }

  private get fileName(): string {
    return this.files.length ? this.files[this.files.length - 1] : "";
  }

  private reject(reason: string, file: string, row: number, t: number, p: number, q: number, s: number, id: number, note = "") {
    ++this.cleanerQuarantined;
    quarantine(this.quarantine, file, row, reason, rowText(t, p, q, s, id) + note);
  }

  /** Feeds one parsed batch (rows in file order); returns the cleaned batches completed so far. */
  push(batch: TradeBatch): TradeBatch[] {
    if (this.finished) throw new Error("TradeCleaner: push after finish");
    const n = batch.length;
    const {time, price, qty, side, id} = batch;
    const st = this.stats;
    const t0 = this.t0, t1 = this.t1, reorderMs = this.reorderMs;
    const fileIx = this.files.length - 1;
    let row = this.row;
    for (let i = 0; i < n; ++i) {
      ++row;
      const t = time[i], p = price[i], q = qty[i], s = side[i], k = id[i];
      if (!(t >= t0 && t < t1)) {
        if (t !== t) ++st.invalid, this.reject(REASON_INVALID, this.fileName, row, t, p, q, s, k);
        else if (t < this.fileLo || t >= this.fileHi) ++st.wrongDay, this.reject(REASON_WRONG_DAY, this.fileName, row, t, p, q, s, k, ` (the file covers ${isoSpan(this.fileLo, this.fileHi)})`);
        else ++st.outsideSpan;
        continue;
      }
      if (!(p > 0 && p < Infinity && q > 0 && q < Infinity && (s === 1 || s === -1 || s === 0))) {
        ++st.invalid;
        this.reject(REASON_INVALID, this.fileName, row, t, p, q, s, k);
        continue;
      }
      if (t < this.watermark) {
        if (k === k && t >= this.watermark - this.historyMs && this.contains(t, k)) ++st.duplicates;
        else ++st.outOfOrder, this.reject(REASON_LATE, this.fileName, row, t, p, q, s, k, ` (watermark ${this.watermark})`);
        continue;
      }
      // Insert at the upper bound of (t, k) among pending rows.
      if (this.tail === this.cap) this.makeRoom();
      let pos = this.tail;
      if (pos > this.rel) {
        const lt = this.dTime[pos - 1];
        if (t < lt || (t === lt && k === k && !(k >= this.dId[pos - 1]))) pos = this.upperBound(t, k);
        // A duplicate sits just before the insertion point (same time, same finite id).
        const prev = pos - 1;
        if (k === k && prev >= this.rel && this.dTime[prev] === t && this.dId[prev] === k) {
          ++st.duplicates;
          if (this.dPrice[prev] !== p || this.dQty[prev] !== q) ++st.idReuse;
          continue;
        }
      }
      this.insertAt(pos, t, p, q, s, k, row, fileIx);
      if (t > this.maxTime) (this.maxTime = t), (this.watermark = t - reorderMs);
    }
    st.rows += n;
    this.row = row;
    this.release(this.watermark);
    const ready = this.done;
    this.done = [];
    return ready;
  }

  /** Releases every remaining row and closes the day; returns the last cleaned batches. */
  finish(): TradeBatch[] {
    if (!this.finished) {
      this.release(Infinity);
      this.finished = true;
      if (this.out.length > 0) this.done.push(this.out);
      this.out = allocBatch(this.venue, 0);
    }
    const ready = this.done;
    this.done = [];
    return ready;
  }

  /**
   * Hands back an output batch whose rows the caller has consumed (e.g. written out): its
   * arrays are reused for a later output batch instead of allocating new ones.
   */
  recycle(batch: TradeBatch): void {
    if (batch.time.length === this.batchSize && batch.venue === this.venue && this.spare.length < 4 && !this.finished) this.spare.push(batch);
  }

  /** Kept trades whose id an earlier kept trade of the day already had. */
  private reusedIds(): number {
    const n = repeatedValues(this.keptIds.subarray(0, this.nKeptIds));
    this.keptIds = new Float64Array(0);
    this.nKeptIds = 0;
    return n;
  }

  /** The quality row of this (venue, day); call after {@link finish}. */
  record(day: string): QualityRecord {
    if (!this.finished) throw new Error("TradeCleaner: record before finish");
    const st = this.stats;
    if (this.nKeptIds > 0) st.idReuse += this.reusedIds();
    let total = 0;
    for (const c of Object.values(this.quarantine.counts)) total += c;
    const parseErrors = total - this.cleanerQuarantined;
    const signed = st.buys + st.sells;
    const buyShare = signed > 0 ? st.buys / signed : null;
    return {
      venue: this.venue,
      day,
      span: [this.t0, this.t1],
      files: [...this.files],
      rowsRead: st.rows + parseErrors,
      parseErrors,
      outsideSpan: st.outsideSpan,
      wrongDay: st.wrongDay,
      invalid: st.invalid,
      duplicates: st.duplicates,
      outOfOrder: st.outOfOrder,
      priceOutliers: st.priceOutliers,
      kept: st.kept,
      first: st.first,
      last: st.last,
      gaps: finishGaps({...this.gaps}, this.t1),
      buys: st.buys,
      sells: st.sells,
      unsigned: st.unsigned,
      buyShare,
      oneSided: isOneSided(buyShare),
      tickClassified: st.tickClassified,
      tickClassifiedShare: st.kept > 0 ? st.tickClassified / st.kept : null,
      idReuse: st.idReuse,
      quarantine: this.quarantine
    };
  }

  /** Whether the buffer holds a row with exactly (t, k) (k finite). */
  private contains(t: number, k: number): boolean {
    let lo = this.head, hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mt = this.dTime[mid];
      if (mt < t || (mt === t && this.dId[mid] < k)) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < this.tail && this.dTime[j] === t; ++j) if (this.dId[j] === k) return true;
    return false;
  }

  /** First pending index whose key is greater than (t, k); NaN ids rank after all finite ids. */
  private upperBound(t: number, k: number): number {
    let lo = this.rel, hi = this.tail;
    const kk = k === k ? k : Infinity;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mt = this.dTime[mid];
      const mk = this.dId[mid];
      if (mt < t || (mt === t && (mk === mk ? mk : Infinity) <= kk)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertAt(pos: number, t: number, p: number, q: number, s: number, k: number, row: number, file: number) {
    const {dTime, dPrice, dQty, dSide, dId, dRow, dFile} = this;
    if (pos < this.tail) {
      const m = this.tail - pos;
      if (m > 16) {
        dTime.copyWithin(pos + 1, pos, this.tail);
        dPrice.copyWithin(pos + 1, pos, this.tail);
        dQty.copyWithin(pos + 1, pos, this.tail);
        dSide.copyWithin(pos + 1, pos, this.tail);
        dId.copyWithin(pos + 1, pos, this.tail);
        dRow.copyWithin(pos + 1, pos, this.tail);
        dFile.copyWithin(pos + 1, pos, this.tail);
      } else {
        for (let j = this.tail; j > pos; --j) {
          dTime[j] = dTime[j - 1];
          dPrice[j] = dPrice[j - 1];
          dQty[j] = dQty[j - 1];
          dSide[j] = dSide[j - 1];
          dId[j] = dId[j - 1];
          dRow[j] = dRow[j - 1];
          dFile[j] = dFile[j - 1];
        }
      }
    }
    dTime[pos] = t;
    dPrice[pos] = p;
    dQty[pos] = q;
    dSide[pos] = s;
    dId[pos] = k;
    dRow[pos] = row;
    dFile[pos] = file;
    ++this.tail;
  }

  /** Compacts the buffer to index 0, growing it when more than half full. */
  private makeRoom() {
    const live = this.tail - this.head;
    const h = this.head;
    if (live * 2 > this.cap) {
      this.cap *= 2;
      const grow = <T extends Float64Array | Int8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(this.cap);
        b.set(a.subarray(h, this.tail));
        return b;
      };
      this.dTime = grow(this.dTime, (n) => new Float64Array(n));
      this.dPrice = grow(this.dPrice, (n) => new Float64Array(n));
      this.dQty = grow(this.dQty, (n) => new Float64Array(n));
      this.dSide = grow(this.dSide, (n) => new Int8Array(n));
      this.dId = grow(this.dId, (n) => new Float64Array(n));
      this.dRow = grow(this.dRow, (n) => new Float64Array(n));
      this.dFile = grow(this.dFile, (n) => new Int32Array(n));
    } else {
      this.dTime.copyWithin(0, h, this.tail);
      this.dPrice.copyWithin(0, h, this.tail);
      this.dQty.copyWithin(0, h, this.tail);
      this.dSide.copyWithin(0, h, this.tail);
      this.dId.copyWithin(0, h, this.tail);
      this.dRow.copyWithin(0, h, this.tail);
      this.dFile.copyWithin(0, h, this.tail);
    }
    this.head = 0;
    this.rel -= h;
    this.tail -= h;
  }

  /** Emits pending rows earlier than `w` in key order, then forgets history older than w − historyMs. */
  private release(w: number) {
    const {dTime, dPrice, dQty, dSide, dId, dRow, dFile} = this;
    const st = this.stats;
    const lo = this.outLo, hi = this.outHi, minCount = this.minCount;
    const ring = this.medRing, sorted = this.medSorted, N = ring.length;
    const gaps = this.gaps, gapMs = gaps.thresholdMs;
    let rel = this.rel;
    const tail = this.tail;
    if (rel < tail && dTime[rel] < w) {
      let out = this.out, o = out.length;
      let oTime = out.time, oPrice = out.price, oQty = out.qty, oSide = out.side, oId = out.id;
      const batchSize = this.batchSize;
      let lastPrice = this.lastPrice, tickSign = this.tickSign;
      let medCount = this.medCount, medPos = this.medPos, medMin = this.medMin, medMax = this.medMax;
      let kept = 0, buys = 0, sells = 0, tickClassified = 0, unsigned = 0;
      let gPrev = gaps.previous, gCount = gaps.count, gLongest = gaps.longest, gLongestStart = gaps.longestStart;
      let first = st.first ?? NaN;
      let t = NaN;
      // Room for every pending row's id, so the loop below stores them without a check.
      if (this.nKeptIds + (tail - rel) > this.keptIds.length) {
        const grown = new Float64Array(Math.max(1024, 2 * this.keptIds.length, this.nKeptIds + (tail - rel)));
        grown.set(this.keptIds.subarray(0, this.nKeptIds));
        this.keptIds = grown;
      }
      const keptIds = this.keptIds;
      let nKeptIds = this.nKeptIds;
      while (rel < tail && dTime[rel] < w) {
        const j = rel++;
        const p = dPrice[j];
        t = dTime[j];
        // Outlier test against the median m of the previous prices, then update the window.
        // medMin ≤ every price of the window ≤ medMax (bounds that only widen, made exact whenever
        // the window is sorted), and m lies between them: p ≤ medMin·e^θ and p ≥ medMax·e^−θ
        // pass the test without m (IEEE products keep the order); otherwise m is found by sorting.
        let outlier = false;
        let median = NaN;
        if (medCount >= minCount && !(p <= medMin * hi && p >= medMax * lo)) {
          const n = medCount < N ? medCount : N;
          for (let i = 0; i < n; ++i) {
            const v = ring[i];
            let k = i;
            while (k > 0 && sorted[k - 1] > v) (sorted[k] = sorted[k - 1]), --k;
            sorted[k] = v;
          }
          median = sorted[n >> 1];
          medMin = sorted[0];
          medMax = sorted[n - 1];
          outlier = p > median * hi || p < median * lo;
        }
        ring[medPos] = p;
        medPos = medPos + 1 === N ? 0 : medPos + 1;
        if (medCount < N) ++medCount;
        if (p < medMin) medMin = p;
        if (p > medMax) medMax = p;
        if (outlier) {
          ++st.priceOutliers;
          this.reject(REASON_OUTLIER, this.files[dFile[j]] ?? "", dRow[j], t, p, dQty[j], dSide[j], dId[j], ` (rolling median ${median})`);
          continue;
        }
        let s = dSide[j];
        if (p > lastPrice) tickSign = 1;
        else if (p < lastPrice) tickSign = -1;
        lastPrice = p;
        if (s === 0) {
          s = tickSign;
          if (s !== 0) ++tickClassified;
          else ++unsigned;
        }
        if (s > 0) ++buys;
        else if (s < 0) ++sells;
        if (first !== first) first = t;
        ++kept;
        const id = dId[j];
        if (id === id) keptIds[nKeptIds++] = id;
        const d = t - gPrev;
        if (d > gapMs) ++gCount;
        if (d > gLongest) (gLongest = d), (gLongestStart = gPrev);
        gPrev = t;
        oTime[o] = t;
        oPrice[o] = p;
        oQty[o] = dQty[j];
        oSide[o] = s;
        oId[o] = dId[j];
        if (++o === batchSize) {
          out.length = o;
          this.done.push(out);
          out = this.spare.pop() ?? allocBatch(this.venue, batchSize);
          out.length = 0;
          (o = 0), (oTime = out.time), (oPrice = out.price), (oQty = out.qty), (oSide = out.side), (oId = out.id);
        }
      }
      out.length = o;
      this.out = out;
      this.lastPrice = lastPrice;
      this.tickSign = tickSign;
      this.medCount = medCount;
      this.medPos = medPos;
      this.medMin = medMin;
      this.medMax = medMax;
      this.nKeptIds = nKeptIds;
      st.kept += kept;
      st.buys += buys;
      st.sells += sells;
      st.tickClassified += tickClassified;
      st.unsigned += unsigned;
      if (kept > 0) (st.first = first), (st.last = gPrev);
      (gaps.previous = gPrev), (gaps.count = gCount), (gaps.longest = gLongest), (gaps.longestStart = gLongestStart);
      this.rel = rel;
    }
    const forget = w - this.historyMs;
    let head = this.head;
    while (head < rel && dTime[head] < forget) ++head;
    this.head = head;
  }
}

/**
 * How many of `values` (finite) equal an earlier one. Ascending values (sequential trade ids)
 * are compared with their neighbour; otherwise (hashed ids) they are spread over about n/4
 * buckets by a monotone map of their range — equal values share a bucket — and each bucket is
 * sorted on its own: O(n) for values spread over their range, where sorting all of them took
 * O(n log n).
 */
export function repeatedValues(values: Float64Array): number {
  const n = values.length;
  let ascending = true;
  for (let i = 1; i < n && ascending; ++i) ascending = values[i] > values[i - 1];
  if (ascending) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const buckets = Math.max(1, n >> 2);
  const scale = hi > lo ? (buckets - 1) / (hi - lo) : 0;
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; ++i) ++start[Math.floor((values[i] - lo) * scale) + 1];
  for (let b = 0; b < buckets; ++b) start[b + 1] += start[b];
  const at = start.slice(0, buckets);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; ++i) spread[at[Math.floor((values[i] - lo) * scale)]++] = values[i];
  let repeats = 0;
  for (let b = 0; b < buckets; ++b) {
    const a = start[b];
    const e = start[b + 1];
    if (e - a < 2) continue;
    if (e - a > 32) spread.subarray(a, e).sort();
    else
      for (let i = a + 1; i < e; ++i) {
        const v = spread[i];
        let j = i;
        while (j > a && spread[j - 1] > v) (spread[j] = spread[j - 1]), --j;
        spread[j] = v;
      }
    for (let i = a + 1; i < e; ++i) if (spread[i] === spread[i - 1]) ++repeats;
  }
  return repeats;
}

/**
 * Cleans a stream of parsed batches of one (venue, day) — the convenience form of
 * {@link TradeCleaner} for inputs from a single file. Yields cleaned, time-sorted batches;
 * the cleaner (with its stats and quarantine) is passed in so the caller can read the
 * quality record afterwards.
 */
export async function* cleanTrades(
  batches: AsyncIterable<TradeBatch> | Iterable<TradeBatch>,
  cleaner: TradeCleaner,
  file = "input"
): AsyncGenerator<TradeBatch> {
  cleaner.beginFile(file);
  for await (const b of batches) yield* cleaner.push(b);
  yield* cleaner.finish();
}
