/**
 * Transfer entropy over sliding windows, in O(n) total.
 *
 * The plug-in TE of a window depends only on its count table through four sums
 * S_A = Σ c log2 c over the joint cells and three marginals (see lib/transfer-entropy.ts):
 *
 *   TE = (S_joint + S_past − S_past,source − S_past,next) / N.
 *
 * Sliding the window by one sample adds one sample and removes one, changing one cell of each
 * table (the add / rem shape of arquero's aggregates) instead of recounting the window. When
 * windows are evaluated often (small steps) the four sums are slid too, so a window costs O(1),
 * and they are recomputed exactly from the tables at regular intervals so that rounding does not
 * accumulate; when windows are stepped (step ≥ twice the table size) only the joint counts are
 * slid and each evaluated window reads its TE from its table.
 *
 * References: T. Schreiber, PRL 85 (2000) 461; J. T. Lizier, JIDT, Frontiers in Robotics and AI
 * 1:11 (2014); R. Marschinski and H. Kantz, EPJ B 30 (2002) 275 (effective TE);
 * W. M. Patefield, Applied Statistics 30 (1981) 91 (random tables for the shuffle surrogates).
 */
import {deriveSeed, mulberry32} from "./random.js";
import {randomTable, surrogatePValue} from "./surrogates.js";
import {
  tableMargins,
  transferEntropyFromCounts,
  transferEntropyStates,
  type TransferEntropyOptions
} from "./transfer-entropy.js";

export interface RollingTransferEntropyOptions extends TransferEntropyOptions {
  /** Window length in samples of the input series (> start = max(k, delay + l − 1)). Required. */
  window: number;
  /** Distance between successive window ends, in samples (≥ 1). Default 1. */
  step?: number;
  /**
   * Shuffle surrogates per window for the effective TE and a p-value (0 = none, the default).
   * Each surrogate is a random table with the window's margins (lib/surrogates.ts randomTable),
   * i.e. a random permutation of the source states within the window.
   */
  surrogates?: number;
  /** Seed of the surrogate draws. Default 0. */
  seed?: number;
}

export interface RollingTransferEntropy {
  /** Index of the last sample of each window (window j ends at window − 1 + j·step). */
  end: Int32Array;
  /** Plug-in TE of each window, bits. */
  te: Float64Array;
  /** Samples per window: window − start (target times with a complete history inside the window). */
  samples: number;
  /** Effective TE (TE − mean shuffle-surrogate TE), bits; only with `surrogates` > 0. */
  effective?: Float64Array;
  /** Shuffle-surrogate p-values; only with `surrogates` > 0. */
  pValue?: Float64Array;
}

/**
 * Transfer entropy TE(source → target) in bits for every window of `window` consecutive samples
 * ending at window − 1 + j·step. Window j equals {@link transferEntropy} (lib/transfer-entropy.ts)
 * on source.subarray(e − window + 1, e + 1) and target.subarray(same) with e = end[j]: its samples
 * are the target times t ∈ [e − window + 1 + start, e], whose histories lie inside the window.
 * The windows are compact (one entry per window, not per sample) because TE windows are long and
 * stepped (e.g. 30-minute windows every 5 minutes).
 *
 * Each sample enters and leaves the count tables once, so the cost is O(n) plus at most O(table)
 * per window evaluated, whatever the window length; with `surrogates` = S, O(S · table) more per
 * window. Alphabet and options as in lib/transfer-entropy.ts (one alphabet for the whole series,
 * which does not change the plug-in values).
 */
export function rollingTransferEntropy(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: RollingTransferEntropyOptions
): RollingTransferEntropy {
  const {window, step = 1, surrogates: S = 0, seed = 0} = options ?? ({} as RollingTransferEntropyOptions);
  if (!(Number.isInteger(step) && step >= 1)) throw new RangeError(`invalid step: ${step}`);
  if (!(Number.isInteger(S) && S >= 0)) throw new RangeError(`invalid surrogates: ${S}`);
  const st = transferEntropyStates(source, target, options);
  const {base: b, rows, cols, row, col, start} = st;
  if (!(Number.isInteger(window) && window > start)) throw new RangeError(`invalid window: ${window}`);
  const n = target.length;
  const W = window - start; // samples per window
  const windows = n >= window ? Math.floor((n - window) / step) + 1 : 0;
  const end = new Int32Array(windows);
  const te = new Float64Array(windows);
  const effective = S > 0 ? new Float64Array(windows) : undefined;
  const pValue = S > 0 ? new Float64Array(windows) : undefined;
  const result: RollingTransferEntropy = {end, te, samples: W, effective, pValue};
  if (windows === 0) return result;

  const pasts = rows / b;
  const cells = rows * cols;
  // cell[i]: the table cell of sample i (target time start + i).
  const cell = new Int32Array(row.length);
  for (let i = 0; i < row.length; ++i) cell[i] = row[i] * cols + col[i];
  const joint = new Int32Array(cells);
  // Sample i belongs to the window ending at e when e − W + 1 ≤ start + i ≤ e.
  for (let i = 0; i < W; ++i) ++joint[cell[i]];

  // Two ways to the same values: when windows are evaluated rarely (step ≥ 2·cells) only the joint
  // counts are slid and each window's TE is read from its table in O(table); otherwise the four
  // sums Σ c log2 c are slid too, so that each window costs O(1).
  const incremental = step < 2 * cells;
  const cRow = new Int32Array(incremental ? rows : 0);
  const cPast = new Int32Array(incremental ? pasts : 0);
  const cPastSource = new Int32Array(incremental ? pasts * cols : 0);
  const cellRow = new Int32Array(incremental ? cells : 0);
  const cellPast = new Int32Array(incremental ? cells : 0);
  const cellPastSource = new Int32Array(incremental ? cells : 0);
  // A marginal cell shared by the sample entering and the one leaving briefly holds W + 1.
  const clog = new Float64Array(incremental ? W + 2 : 0);
  let sJoint = 0;
  let sRow = 0;
  let sPast = 0;
  let sPastSource = 0;
  if (incremental) {
    for (let r = 0; r < rows; ++r) {
      const p = Math.floor(r / b);
      for (let s = 0; s < cols; ++s) {
        cellRow[r * cols + s] = r;
        cellPast[r * cols + s] = p;
        cellPastSource[r * cols + s] = p * cols + s;
      }
    }
    for (let c = 2; c <= W + 1; ++c) clog[c] = c * Math.log2(c);
    for (let c = 0; c < cells; ++c) {
      const n = joint[c];
      cRow[cellRow[c]] += n;
      cPast[cellPast[c]] += n;
      cPastSource[cellPastSource[c]] += n;
    }
    sJoint = sumClog(joint, clog);
    sRow = sumClog(cRow, clog);
    sPast = sumClog(cPast, clog);
    sPastSource = sumClog(cPastSource, clog);
  }
  const resync = Math.max(W, 4 * (cells + rows + pasts * (cols + 1)));
  let updates = 0;

  const random = S > 0 ? mulberry32(deriveSeed(seed, "rolling-transfer-entropy")) : undefined;
  const scratch = new Float64Array(cols);
  const rowTotals = new Int32Array(rows);
  const colTotals = new Int32Array(cols);
  const table = new Int32Array(cells);
  const left = new Int32Array(cols);
  const values = new Float64Array(S);

  let i = W - 1; // newest sample in the window
  for (let j = 0; j < windows; ++j) {
    const e = window - 1 + j * step;
    const newest = e - start;
    let value: number;
    if (!incremental) {
      for (; i < newest; ) {
        ++i;
        const a = cell[i];
        const r = cell[i - W];
        ++joint[a];
        --joint[r];
      }
      value = transferEntropyFromCounts(joint, st, scratch);
    } else {
      while (i < newest) {
        ++i;
        const a = cell[i];
        const r = cell[i - W];
        if (a === r) continue;
        let c = joint[a]++;
        sJoint += clog[c + 1] - clog[c];
        c = joint[r]--;
        sJoint += clog[c - 1] - clog[c];
        c = cRow[cellRow[a]]++;
        sRow += clog[c + 1] - clog[c];
        c = cRow[cellRow[r]]--;
        sRow += clog[c - 1] - clog[c];
        c = cPast[cellPast[a]]++;
        sPast += clog[c + 1] - clog[c];
        c = cPast[cellPast[r]]--;
        sPast += clog[c - 1] - clog[c];
        c = cPastSource[cellPastSource[a]]++;
        sPastSource += clog[c + 1] - clog[c];
        c = cPastSource[cellPastSource[r]]--;
        sPastSource += clog[c - 1] - clog[c];
        ++updates;
      }
      if (updates >= resync) {
        sJoint = sumClog(joint, clog);
        sRow = sumClog(cRow, clog);
        sPast = sumClog(cPast, clog);
        sPastSource = sumClog(cPastSource, clog);
        updates = 0;
      }
      value = Math.max(0, (sJoint + sPast - sPastSource - sRow) / W);
    }
    end[j] = e;
    te[j] = value;
    if (random && effective && pValue) {
      tableMargins(joint, rows, cols, rowTotals, colTotals);
      let sum = 0;
      for (let s = 0; s < S; ++s) {
        const v = transferEntropyFromCounts(randomTable(rowTotals, colTotals, random, table, left), st, scratch);
        values[s] = v;
        sum += v;
      }
      effective[j] = value - sum / S;
      // Compare like with like: the observed table through the same summation as the surrogates.
      pValue[j] = surrogatePValue(incremental ? transferEntropyFromCounts(joint, st, scratch) : value, values);
    }
  }
  return result;
}

/** Σ clog[c] over a count table (Σ c log2 c with c log2 c tabulated). */
function sumClog(counts: Int32Array, clog: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < counts.length; ++i) sum += clog[counts[i]];
  return sum;
}
