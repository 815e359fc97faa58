/**
 * Transfer entropy between discrete series: how much the past of a source X reduces the
 * uncertainty of the next value of a target Y beyond what Y's own past already tells.
 *
 * Definition (Schreiber 2000; the conventions of JIDT's TransferEntropyCalculatorDiscrete, with
 * embedding delays of 1): for target history length k ≥ 0, source history length l ≥ 1 and
 * source–target delay u ≥ 0,
 *
 *   TE(X→Y) = I(Y_t ; X_{t−u−l+1} … X_{t−u} | Y_{t−k} … Y_{t−1})
 *           = Σ p(y_t, y⁽ᵏ⁾, x⁽ˡ⁾) log2 [ p(y_t | y⁽ᵏ⁾, x⁽ˡ⁾) / p(y_t | y⁽ᵏ⁾) ]   (bits),
 *
 * estimated by plug-in (maximum-likelihood) probabilities over the samples
 * t = start … n−1, start = max(k, u + l − 1). The default k = l = u = 1 is Schreiber's
 * TE(X→Y) = I(Y_t ; X_{t−1} | Y_{t−1}), and PyInform's `transfer_entropy(source, target, k)`.
 *
 * Counting: each sample is one cell of an Int32Array table with b^(k+1) rows (the target state:
 * its past y⁽ᵏ⁾ read as a base-b number, times b, plus the next value y_t) and b^l columns (the
 * source past x⁽ˡ⁾); cell index row·b^l + column. The estimate depends on this table only:
 *
 *   TE = (1/N) [ Σ c(y_t, y⁽ᵏ⁾, x⁽ˡ⁾) log c + Σ c(y⁽ᵏ⁾) log c − Σ c(y⁽ᵏ⁾, x⁽ˡ⁾) log c − Σ c(y_t, y⁽ᵏ⁾) log c ].
 *
 * The plug-in estimate is biased upwards (by about (b−1)(b^l−1)b^k / (2N ln 2) bits for
 * independent series); {@link transferEntropyTest} subtracts the surrogate mean (effective TE,
 * Marschinski & Kantz 2002) and gives a p-value.
 *
 * References: T. Schreiber, "Measuring information transfer", PRL 85 (2000) 461–464;
 * J. T. Lizier, "JIDT: an information-theoretic toolkit for studying the dynamics of complex
 * systems", Frontiers in Robotics and AI 1:11 (2014); J. T. Lizier, M. Prokopenko and
 * A. Y. Zomaya, "Local information transfer as a spatiotemporal filter for complex systems",
 * PRE 77 (2008) 026110; R. Marschinski and H. Kantz, "Analysing the information flow between
 * financial time series", EPJ B 30 (2002) 275–281; D. G. Moore et al., "Inform: efficient
 * information-theoretic analysis of collective behaviors", Frontiers in Robotics and AI 5:60 (2018).
 */
import {alphabetSize, checkBase, checkSymbols, invalidSymbol, isIntegerArray, MAX_CELLS} from "./entropy.js";
import {benjaminiHochberg} from "./fdr.js";
import {deriveSeed, mulberry32} from "./random.js";
import {blockOrder, randomTable, surrogatePValue} from "./surrogates.js";

export interface TransferEntropyOptions {
  /** Target history length k ≥ 0 (Schreiber's k). Default 1. */
  k?: number;
  /** Source history length l ≥ 1 (Schreiber's l). Default 1. */
  l?: number;
  /** Source–target delay u ≥ 0: the newest source value used for Y_t is X_{t−u}. Default 1. */
  delay?: number;
  /**
   * Alphabet size b shared by source and target: symbols must lie in [0, b). Default: one more
   * than the largest symbol of either series (at least 2). The plug-in estimate does not depend
   * on b; b only sizes the tables (b^(k+l+1) cells, at most 2^24).
   */
  base?: number;
}

/** The resolved shape of a transfer-entropy estimation. */
export interface TransferEntropyShape {
  base: number;
  k: number;
  l: number;
  delay: number;
  /** First target time with a complete history: max(k, delay + l − 1). */
  start: number;
  /** Rows of the count table: b^(k+1) target states (past · b + next). */
  rows: number;
  /** Columns of the count table: b^l source states. */
  cols: number;
}

/**
 * Validates options and series and returns the table shape. Symbols are checked against the
 * base here (`checked: true`), except for integer typed arrays wider than a byte with an explicit
 * base, which the counting loop checks as it goes (so a given base costs no extra pass).
 */
export function transferEntropyShape(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyOptions = {}
): TransferEntropyShape & {checked: boolean} {
  const {k = 1, l = 1, delay = 1} = options;
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`invalid k: ${k}`);
  if (!(Number.isInteger(l) && l >= 1)) throw new RangeError(`invalid l: ${l}`);
  if (!(Number.isInteger(delay) && delay >= 0)) throw new RangeError(`invalid delay: ${delay}`);
  if (source.length !== target.length) {
    throw new RangeError(`invalid source: length ${source.length} differs from target length ${target.length}`);
  }
  let base: number;
  let checked = true;
  if (options.base === undefined) {
    base = alphabetSize([source, target]);
  } else {
    base = checkBase(options.base);
    // Byte arrays are checked four symbols at a time; other integer arrays in the counting loop.
    if (isIntegerArray(source) && isIntegerArray(target) && !(isBytes(source) && isBytes(target) && base <= 128)) {
      checked = false;
    } else {
      checkSymbols(source, base);
      checkSymbols(target, base);
    }
  }
  if (base ** (k + l + 1) > MAX_CELLS) throw new RangeError(`invalid k: ${k} (a table of ${base}^${k + l + 1} cells is too large)`);
  return {base, k, l, delay, start: Math.max(k, delay + l - 1), rows: power(base, k + 1), cols: power(base, l), checked};
}

function isBytes(x: ArrayLike<number>): boolean {
  return x instanceof Uint8Array || x instanceof Int8Array;
}

/** b^e for small non-negative integers, as a small integer (V8 keeps it untagged, unlike `**`). */
function power(b: number, e: number): number {
  let p = 1;
  for (let i = 0; i < e; ++i) p *= b;
  return p;
}

/** Finds and reports the first symbol of `x` outside [0, base). */
function reportInvalid(x: ArrayLike<number>, y: ArrayLike<number>, base: number): never {
  checkSymbols(y, base);
  checkSymbols(x, base);
  invalidSymbol(NaN, -1);
}

/**
 * Adds the samples t in [from, to) (from ≥ shape.start) to the count table `joint`
 * (length rows·cols), in one pass with no per-sample allocation; the symbols are checked against
 * the base in the same loop.
 */
export function countTransferEntropy(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  shape: TransferEntropyShape & {checked?: boolean},
  joint: Int32Array,
  from = shape.start,
  to = target.length
): Int32Array {
  const {base: b, k, l, delay: u, cols} = shape;
  const x = source;
  const y = target;
  if (from < shape.start || to > y.length) throw new RangeError(`invalid range: [${from}, ${to})`);
  if (to <= from) return joint;
  const top = b - 1;
  let bad = 0;
  if (k === 1 && l === 1) {
    const cells = b * b * b;
    const tables = new Int32Array(4 * cells);
    bad = countHistory1(x, y, b, u, tables, from, to, shape.checked !== true);
    fold4(tables, cells);
    for (let i = 0; i < cells; ++i) joint[i] += tables[i];
  } else {
    // Histories of two or three target symbols and one source symbol: checked typed arrays are
    // counted by an unrolled loop first; the general loop below counts the rest.
    if (l === 1 && (k === 2 || k === 3) && shape.checked === true && ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) {
      const cells = shape.rows * cols;
      const tables = new Int32Array(4 * cells);
      from += countHistory23(x as Uint8Array, y as Uint8Array, b, k, u, tables, from, to);
      fold4(tables, cells);
      for (let i = 0; i < cells; ++i) joint[i] += tables[i];
      if (from >= to) return joint;
    }
    const Bk = power(b, k);
    const Bl1 = power(b, l - 1);
    let tc = 0;
    for (let i = from - k; i < from; ++i) {
      const v = y[i];
      bad |= v | (top - v);
      tc = tc * b + v;
    }
    let sc = 0;
    for (let i = from - u - l + 1; i < from - u; ++i) {
      const v = x[i];
      bad |= v | (top - v);
      sc = sc * b + v;
    }
    if (l === 1) {
      for (let t = from; t < to; ++t) {
        const yv = y[t];
        const xv = x[t - u];
        bad |= yv | (top - yv) | xv | (top - xv);
        const full = tc * b + yv;
        ++joint[full * cols + xv];
        tc = full - y[t - k] * Bk;
      }
    } else {
      for (let t = from; t < to; ++t) {
        const yv = y[t];
        const xv = x[t - u];
        bad |= yv | (top - yv) | xv | (top - xv);
        const full = tc * b + yv;
        const s = sc * b + xv;
        ++joint[full * cols + s];
        tc = full - y[t - k] * Bk;
        sc = s - x[t - u - l + 1] * Bl1;
      }
    }
  }
  if (bad < 0) reportInvalid(source, target, b);
  return joint;
}

/**
 * The k = l = 1 case of {@link countTransferEntropy}, the most common. Unrolled by four into four
 * interleaved sub-tables (`joint` has 4·b³ cells, folded into the first b³ at the end) so that
 * successive increments of the same cell do not wait on each other. Symbols are checked in the
 * loop only when `validate` (they have not been checked before).
 */
function countHistory1(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  b: number,
  u: number,
  joint: Int32Array,
  from: number,
  to: number,
  validate: boolean
): number {
  const top = b - 1;
  const C = b * b * b;
  let prev = y[from - 1];
  let bad = prev | (top - prev);
  let t = from;
  if (!validate) {
    t += countHistory1Trusted(x, y, b, u, joint, from, to);
    prev = y[t - 1];
  }
  for (; t + 3 < to; t += 4) {
    const y0 = y[t];
    const y1 = y[t + 1];
    const y2 = y[t + 2];
    const y3 = y[t + 3];
    const x0 = x[t - u];
    const x1 = x[t + 1 - u];
    const x2 = x[t + 2 - u];
    const x3 = x[t + 3 - u];
    bad |= y0 | y1 | y2 | y3 | x0 | x1 | x2 | x3;
    bad |= (top - y0) | (top - y1) | (top - y2) | (top - y3) | (top - x0) | (top - x1) | (top - x2) | (top - x3);
    ++joint[(prev * b + y0) * b + x0];
    ++joint[C + (y0 * b + y1) * b + x1];
    ++joint[2 * C + (y1 * b + y2) * b + x2];
    ++joint[3 * C + (y2 * b + y3) * b + x3];
    prev = y3;
  }
  for (; t < to; ++t) {
    const yv = y[t];
    const xv = x[t - u];
    bad |= yv | (top - yv) | xv | (top - xv);
    ++joint[(prev * b + yv) * b + xv];
    prev = yv;
  }
  return bad;
}

/**
 * The unchecked inner loop of {@link countHistory1} over whole groups of four samples of typed
 * arrays, viewed from `from` so that indices start at 0; returns the number of samples counted
 * (0 for other arrays, which the checked loop then counts).
 */
function countHistory1Trusted(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  b: number,
  u: number,
  joint: Int32Array,
  from: number,
  to: number
): number {
  if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y)) return 0;
  const m = (to - from) & ~3;
  const xs = (x as Uint8Array).subarray(from - u, from - u + m);
  const ys = (y as Uint8Array).subarray(from, from + m);
  return countGroups(xs, ys, y[from - 1], b, joint, m);
}

/** Counts m (a multiple of 4) samples (prev, ys[i], xs[i]) into four interleaved sub-tables. */
function countGroups(xs: ArrayLike<number>, ys: ArrayLike<number>, prev: number, b: number, joint: Int32Array, m: number): number {
  const C = b * b * b;
  const C2 = 2 * C;
  const C3 = 3 * C;
  for (let i = 0; i < m; i += 4) {
    const y0 = ys[i];
    const y1 = ys[i + 1];
    const y2 = ys[i + 2];
    const y3 = ys[i + 3];
    ++joint[(prev * b + y0) * b + xs[i]];
    ++joint[C + (y0 * b + y1) * b + xs[i + 1]];
    ++joint[C2 + (y1 * b + y2) * b + xs[i + 2]];
    ++joint[C3 + (y2 * b + y3) * b + xs[i + 3]];
    prev = y3;
  }
  return m;
}

/**
 * Unchecked counting for k = 2 or 3 target symbols and l = 1 over whole groups of four samples
 * into four interleaved sub-tables; the target past is rebuilt from the symbols held in registers
 * (no loop-carried code). Returns the number of samples counted.
 */
function countHistory23(
  x: Uint8Array,
  y: Uint8Array,
  b: number,
  k: number,
  u: number,
  tables: Int32Array,
  from: number,
  to: number
): number {
  const m = (to - from) & ~3;
  const xs = x.subarray(from - u, from - u + m);
  const ys = y.subarray(from - k, from + m);
  const C = tables.length / 4;
  const C2 = 2 * C;
  const C3 = 3 * C;
  if (k === 2) {
    let a = ys[0];
    let c = ys[1];
    for (let i = 0; i < m; i += 4) {
      const y0 = ys[i + 2];
      const y1 = ys[i + 3];
      const y2 = ys[i + 4];
      const y3 = ys[i + 5];
      ++tables[((a * b + c) * b + y0) * b + xs[i]];
      ++tables[C + ((c * b + y0) * b + y1) * b + xs[i + 1]];
      ++tables[C2 + ((y0 * b + y1) * b + y2) * b + xs[i + 2]];
      ++tables[C3 + ((y1 * b + y2) * b + y3) * b + xs[i + 3]];
      a = y2;
      c = y3;
    }
  } else {
    let a = ys[0];
    let c = ys[1];
    let d = ys[2];
    for (let i = 0; i < m; i += 4) {
      const y0 = ys[i + 3];
      const y1 = ys[i + 4];
      const y2 = ys[i + 5];
      const y3 = ys[i + 6];
      ++tables[(((a * b + c) * b + d) * b + y0) * b + xs[i]];
      ++tables[C + (((c * b + d) * b + y0) * b + y1) * b + xs[i + 1]];
      ++tables[C2 + (((d * b + y0) * b + y1) * b + y2) * b + xs[i + 2]];
      ++tables[C3 + (((y0 * b + y1) * b + y2) * b + y3) * b + xs[i + 3]];
      a = y1;
      c = y2;
      d = y3;
    }
  }
  return m;
}

/** Folds four interleaved sub-tables of `cells` cells into the first one (which is returned). */
function fold4(tables: Int32Array, cells: number): Int32Array {
  for (let i = 0; i < cells; ++i) {
    tables[i] += tables[cells + i] + tables[2 * cells + i] + tables[3 * cells + i];
  }
  return tables.subarray(0, cells);
}

/**
 * Adds to four interleaved sub-tables (`tables`, 4·cells) the samples j in [from, to), pairing
 * target state `pre[j]` (row · cols) with source state `col[j + offset]`.
 */
function countPairs4(
  pre: Int32Array,
  col: Int32Array,
  offset: number,
  from: number,
  to: number,
  tables: Int32Array,
  cells: number
): void {
  let j = from;
  for (; j + 3 < to; j += 4) {
    ++tables[pre[j] + col[j + offset]];
    ++tables[cells + pre[j + 1] + col[j + 1 + offset]];
    ++tables[2 * cells + pre[j + 2] + col[j + 2 + offset]];
    ++tables[3 * cells + pre[j + 3] + col[j + 3 + offset]];
  }
  for (; j < to; ++j) ++tables[pre[j] + col[j + offset]];
}

/**
 * Plug-in TE (bits) of the samples re-paired by a circular shift d of the source states: target
 * state j with source state (j + d) mod N (0 ≤ d < N; d = 0 is the observed TE). `pre` holds the
 * target states premultiplied by the column count (row_j · cols), `col` the source states, both of
 * length N, from {@link transferEntropyStates}; `tables` (4 · rows · cols cells) and `scratch`
 * (cols) are work space. Counting runs in two passes without a modulo, into four interleaved
 * tables so that successive increments do not wait on each other. The surrogate of the circular
 * method of {@link transferEntropyTest} (Quian Quiroga et al. 2002, Phys. Rev. E 65, 041903).
 */
export function circularShiftTransferEntropy(
  pre: Int32Array,
  col: Int32Array,
  shape: {base: number; rows: number; cols: number},
  d: number,
  tables: Int32Array,
  scratch: Float64Array
): number {
  const N = pre.length;
  const cells = shape.rows * shape.cols;
  if (!(Number.isInteger(d) && d >= 0 && (d < N || N === 0))) throw new RangeError(`invalid shift: ${d} (N = ${N})`);
  tables.fill(0, 0, 4 * cells);
  countPairs4(pre, col, d, 0, N - d, tables, cells);
  countPairs4(pre, col, d - N, N - d, N, tables, cells);
  return transferEntropyFromCounts(fold4(tables, cells), shape, scratch);
}

/**
 * The per-sample states of a transfer-entropy estimation, for t = start … n−1 (index t − start):
 * `row` the target state (past · b + next, in [0, b^(k+1))) and `col` the source state (in
 * [0, b^l)). A sample's table cell is row·cols + col. Used by the local values, the circular and
 * block surrogates and the rolling estimator.
 */
export function transferEntropyStates(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyOptions = {}
): TransferEntropyShape & {row: Int32Array; col: Int32Array} {
  const shape = transferEntropyShape(source, target, options);
  const {base: b, k, l, delay: u, start, cols} = shape;
  const n = Math.max(0, target.length - start);
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  if (!shape.checked) {
    checkSymbols(source, b);
    checkSymbols(target, b);
  }
  if (n > 0) {
    const Bk = power(b, k);
    const Bl1 = power(b, l - 1);
    let tc = 0;
    for (let i = start - k; i < start; ++i) tc = tc * b + target[i];
    let sc = 0;
    for (let i = start - u - l + 1; i < start - u; ++i) sc = sc * b + source[i];
    for (let t = start, i = 0; t < target.length; ++t, ++i) {
      const full = tc * b + target[t];
      const s = sc * b + source[t - u];
      row[i] = full;
      col[i] = s;
      tc = full - target[t - k] * Bk;
      sc = s - source[t - u - l + 1] * Bl1;
    }
  }
  return {base: b, k, l, delay: u, start, rows: shape.rows, cols, row, col};
}

/** Scratch space for {@link transferEntropyFromCounts}. */
function scratchFor(cols: number): Float64Array {
  return new Float64Array(cols);
}

/**
 * Plug-in transfer entropy in bits from a count table laid out as described in the module
 * comment (rows = b^(k+1) target states past·b + next, cols = b^l source states). NaN when the
 * table is empty; clamped at 0 against rounding (the plug-in value is a conditional mutual
 * information and never negative).
 */
export function transferEntropyFromCounts(
  joint: ArrayLike<number>,
  shape: {base: number; rows: number; cols: number},
  scratch: Float64Array = scratchFor(shape.cols)
): number {
  const {base: b, rows, cols} = shape;
  const pasts = rows / b;
  let sJoint = 0;
  let sRow = 0;
  let sPast = 0;
  let sPastSource = 0;
  let total = 0;
  for (let p = 0; p < pasts; ++p) {
    let cPast = 0;
    scratch.fill(0, 0, cols);
    for (let next = 0; next < b; ++next) {
      const o = (p * b + next) * cols;
      let cRow = 0;
      for (let s = 0; s < cols; ++s) {
        const c = joint[o + s];
        if (c > 0) {
          sJoint += c * Math.log2(c);
          cRow += c;
          scratch[s] += c;
        }
      }
      if (cRow > 0) sRow += cRow * Math.log2(cRow);
      cPast += cRow;
    }
    if (cPast === 0) continue;
    for (let s = 0; s < cols; ++s) {
      const c = scratch[s];
      if (c > 0) sPastSource += c * Math.log2(c);
    }
    sPast += cPast * Math.log2(cPast);
    total += cPast;
  }
  if (total === 0) return NaN;
  return Math.max(0, (sJoint + sPast - sPastSource - sRow) / total);
}

/**
 * Transfer entropy TE(source → target) in bits, plug-in, as defined in the module comment, with
 * target history `k`, source history `l` and delay `delay` (defaults 1, 1, 1). Counting runs in
 * one pass over the series with joint states encoded as integers in an Int32Array table (no
 * per-sample allocation). NaN when no sample has a complete history (n ≤ start). Throws a
 * RangeError for a symbol outside [0, base), series of different lengths, or a table larger
 * than 2^24 cells.
 */
export function transferEntropy(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyOptions = {}
): number {
  const shape = transferEntropyShape(source, target, options);
  if (target.length <= shape.start) return NaN;
  const joint = countTransferEntropy(source, target, shape, new Int32Array(shape.rows * shape.cols));
  return transferEntropyFromCounts(joint, shape);
}

/**
 * Local transfer entropy (Lizier, Prokopenko & Zomaya 2008): for each target time t,
 * te(t) = log2 [ p(y_t | y⁽ᵏ⁾, x⁽ˡ⁾) / p(y_t | y⁽ᵏ⁾) ] in bits with plug-in probabilities from the
 * whole series. A Float64Array of the series' length aligned to t; NaN for t < start. Local
 * values can be negative (the source misinforms); their mean is {@link transferEntropy}.
 */
export function localTransferEntropy(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyOptions = {}
): Float64Array {
  const st = transferEntropyStates(source, target, options);
  const {base: b, rows, cols, row, col, start} = st;
  const out = new Float64Array(target.length).fill(NaN);
  const joint = new Int32Array(rows * cols);
  for (let i = 0; i < row.length; ++i) ++joint[row[i] * cols + col[i]];
  // Marginals: c(row), c(past), c(past, source).
  const cRow = new Float64Array(rows);
  const cPast = new Float64Array(rows / b);
  const cPastSource = new Float64Array((rows / b) * cols);
  for (let r = 0; r < rows; ++r) {
    const p = Math.floor(r / b);
    for (let s = 0; s < cols; ++s) {
      const c = joint[r * cols + s];
      cRow[r] += c;
      cPast[p] += c;
      cPastSource[p * cols + s] += c;
    }
  }
  const local = new Float64Array(rows * cols);
  for (let r = 0; r < rows; ++r) {
    const p = Math.floor(r / b);
    for (let s = 0; s < cols; ++s) {
      const c = joint[r * cols + s];
      if (c > 0) local[r * cols + s] = Math.log2((c * cPast[p]) / (cPastSource[p * cols + s] * cRow[r]));
    }
  }
  for (let i = 0; i < row.length; ++i) out[start + i] = local[row[i] * cols + col[i]];
  return out;
}

/**
 * Net information flow NTE = TE(x → y) − TE(y → x) in bits, both plug-in with the same options
 * and a shared alphabet. Positive when x drives y more than the reverse. Both terms carry
 * similar upward bias when the alphabets and histories match, so the difference is roughly
 * bias-free; for a significance statement use {@link transferEntropyTest} on each direction.
 */
export function netTransferEntropy(x: ArrayLike<number>, y: ArrayLike<number>, options: TransferEntropyOptions = {}): number {
  const base = options.base ?? alphabetSize([x, y]);
  const o = {...options, base};
  return transferEntropy(x, y, o) - transferEntropy(y, x, o);
}

/** How surrogate sources are made. */
export type SurrogateMethod = "shuffle" | "circular" | "block";

export interface TransferEntropyTestOptions extends TransferEntropyOptions {
  /** Number of surrogates S ≥ 1. Default 200. */
  surrogates?: number;
  /**
   * - `"shuffle"` (default; JIDT's computeSignificance): the source states x⁽ˡ⁾ are randomly
   *   permuted across samples, destroying every relation to the target while keeping the
   *   source-state frequencies. The permuted count table is drawn directly as a random table with
   *   the observed margins ({@link randomTable}), so a surrogate costs O(table) rather than O(n).
   *   Exact for an i.i.d. source; also holds its size when the target's history k captures the
   *   target's memory (its innovations are then exchangeable). It can be anti-conservative when the
   *   target has memory beyond k and the source has memory of its own: prefer `"circular"` or
   *   `"block"` there.
   * - `"circular"`: the source-state sequence is circularly shifted by a random offset in
   *   [minShift, N − minShift], keeping the source's own memory (one seam).
   * - `"block"`: the source-state sequence is cut into blocks of `blockLength` samples that are
   *   randomly reordered, keeping its memory within blocks.
   */
  method?: SurrogateMethod;
  /** Block length for `"block"`, in samples. Default ⌈√N⌉. */
  blockLength?: number;
  /** Smallest circular shift for `"circular"`, in samples. Default max(1, ⌊N/20⌋). */
  minShift?: number;
  /** Seed of the surrogate draws (lib/random.ts mulberry32). Default 0. */
  seed?: number;
}

export interface TransferEntropyTest {
  /** Plug-in TE in bits. */
  te: number;
  /** Effective TE: te − mean of the surrogate TEs (bits); can be negative. */
  effective: number;
  /** Monte Carlo p-value (1 + #{surrogate ≥ te}) / (1 + S). */
  pValue: number;
  /** Mean and standard deviation of the surrogate TEs (bits). */
  mean: number;
  sd: number;
  /** The surrogate TEs, in draw order. */
  surrogates: Float64Array;
  /** Number of samples N (target times with a complete history). */
  samples: number;
  method: SurrogateMethod;
}

function checkTestOptions(options: TransferEntropyTestOptions): {S: number; method: SurrogateMethod; seed: number} {
  const S = options.surrogates ?? 200;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const method = options.method ?? "shuffle";
  if (method !== "shuffle" && method !== "circular" && method !== "block") throw new RangeError(`invalid method: ${method}`);
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`invalid seed: ${seed}`);
  return {S, method, seed};
}

/** Row and column totals of a rows × cols table. */
export function tableMargins(joint: ArrayLike<number>, rows: number, cols: number, rowTotals: Int32Array, colTotals: Int32Array): number {
  rowTotals.fill(0);
  colTotals.fill(0);
  let total = 0;
  for (let r = 0, o = 0; r < rows; ++r, o += cols) {
    let sum = 0;
    for (let s = 0; s < cols; ++s) {
      const c = joint[o + s];
      sum += c;
      colTotals[s] += c;
    }
    rowTotals[r] = sum;
    total += sum;
  }
  return total;
}

/**
 * Significance and bias of TE(source → target) against S surrogate sources
 * (`options.method`, see {@link TransferEntropyTestOptions}): the plug-in TE, the surrogate
 * mean and standard deviation, the effective TE = TE − surrogate mean (Marschinski & Kantz
 * 2002) and the p-value (1 + #{surrogate ≥ TE}) / (1 + S) (North et al. 2002). Deterministic
 * given `seed`. The target states are encoded once; each surrogate only re-pairs source states
 * (or, for `"shuffle"`, draws the permuted table directly), so 1000 shuffle surrogates cost
 * O(n + 1000·table), and circular or block surrogates O(1000·n) integer increments.
 */
export function transferEntropyTest(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): TransferEntropyTest {
  const {S, method, seed} = checkTestOptions(options);
  const random = mulberry32(deriveSeed(seed, `transfer-entropy ${method}`));
  const surrogates = new Float64Array(S);
  let te: number;
  let N: number;
  if (method === "shuffle") {
    const shape = transferEntropyShape(source, target, options);
    const {rows, cols} = shape;
    const joint = new Int32Array(rows * cols);
    if (target.length > shape.start) countTransferEntropy(source, target, shape, joint);
    const scratch = new Float64Array(cols);
    te = transferEntropyFromCounts(joint, shape, scratch);
    const rowTotals = new Int32Array(rows);
    const colTotals = new Int32Array(cols);
    N = tableMargins(joint, rows, cols, rowTotals, colTotals);
    const table = new Int32Array(rows * cols);
    const left = new Int32Array(cols);
    for (let i = 0; i < S; ++i) {
      surrogates[i] = N > 0 ? transferEntropyFromCounts(randomTable(rowTotals, colTotals, random, table, left), shape, scratch) : NaN;
    }
  } else {
    const st = transferEntropyStates(source, target, options);
    const {rows, cols, row, col} = st;
    N = row.length;
    const pre = new Int32Array(N);
    for (let i = 0; i < N; ++i) pre[i] = row[i] * cols;
    const joint = new Int32Array(rows * cols);
    for (let i = 0; i < N; ++i) ++joint[pre[i] + col[i]];
    const scratch = new Float64Array(cols);
    te = transferEntropyFromCounts(joint, st, scratch);
    const cells = rows * cols;
    const tables = new Int32Array(4 * cells);
    if (method === "circular") {
      const minShift = options.minShift ?? Math.max(1, Math.floor(N / 20));
      if (!(Number.isInteger(minShift) && minShift >= 1 && 2 * minShift <= N)) {
        if (N > 1 || options.minShift !== undefined) throw new RangeError(`invalid minShift: ${minShift}`);
      }
      const span = N - 2 * minShift + 1;
      for (let i = 0; i < S; ++i) {
        if (N < 2) {
          surrogates[i] = NaN;
          continue;
        }
        const d = minShift + Math.floor(random() * span);
        surrogates[i] = circularShiftTransferEntropy(pre, col, st, d, tables, scratch);
      }
    } else {
      const L = options.blockLength ?? Math.max(1, Math.ceil(Math.sqrt(N)));
      if (!(Number.isInteger(L) && L >= 1)) throw new RangeError(`invalid blockLength: ${L}`);
      const m = Math.ceil(N / L);
      const order = new Int32Array(m);
      for (let i = 0; i < S; ++i) {
        if (N === 0) {
          surrogates[i] = NaN;
          continue;
        }
        blockOrder(N, L, random, order);
        tables.fill(0);
        // Block bk of the surrogate (samples j … j + len − 1) is source block order[bk].
        for (let bk = 0, j = 0; bk < m; ++bk) {
          const from = order[bk] * L;
          const len = Math.min(N, from + L) - from;
          countPairs4(pre, col, from - j, j, j + len, tables, cells);
          j += len;
        }
        surrogates[i] = transferEntropyFromCounts(fold4(tables, cells), st, scratch);
      }
    }
  }
  return surrogateTest(te, surrogates, N, method);
}

/**
 * The result of a surrogate test of transfer entropy `te` from its `surrogates` (NaN entries, for
 * surrogates that could not be computed, are skipped): their mean μ and sample standard deviation,
 * the effective TE = te − μ, and the Monte-Carlo p-value (1 + #{surrogate ≥ te}) / (1 + S)
 * (`surrogatePValue`, lib/surrogates.ts); NaN p-value when te is NaN or no surrogate is finite.
 */
export function surrogateTest(te: number, surrogates: Float64Array, samples: number, method: SurrogateMethod): TransferEntropyTest {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < surrogates.length; ++i) {
    const v = surrogates[i];
    if (v === v) {
      sum += v;
      ++count;
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  let ss = 0;
  for (let i = 0; i < surrogates.length; ++i) {
    const v = surrogates[i];
    if (v === v) ss += (v - mean) ** 2;
  }
  const sd = count > 1 ? Math.sqrt(ss / (count - 1)) : NaN;
  return {
    te,
    effective: te - mean,
    pValue: te === te && count > 0 ? surrogatePValue(te, surrogates) : NaN,
    mean,
    sd,
    surrogates,
    samples,
    method
  };
}

/**
 * Effective transfer entropy TE − mean surrogate TE in bits (Marschinski & Kantz 2002): the
 * plug-in estimate with its finite-sample bias under the null removed. See
 * {@link transferEntropyTest} for the options and the p-value.
 */
export function effectiveTransferEntropy(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): number {
  return transferEntropyTest(source, target, options).effective;
}

export interface TransferEntropyMatrixOptions extends TransferEntropyTestOptions {
  /** False discovery rate controlled by the Benjamini–Hochberg procedure. Default 0.05. */
  alpha?: number;
}

/** Pairwise transfer entropies among m series; every array is m × m, row = source, column = target. */
export interface TransferEntropyMatrix {
  /** Number of series m. */
  size: number;
  /** Plug-in TE(i → j) at index i·m + j, bits; NaN on the diagonal. */
  te: Float64Array;
  /** Effective TE (TE − surrogate mean), bits. */
  effective: Float64Array;
  /** Surrogate p-values. */
  pValue: Float64Array;
  /** Benjamini–Hochberg adjusted p-values (q-values) over the m(m − 1) ordered pairs. */
  qValue: Float64Array;
  /** 1 where the link is significant at false discovery rate alpha, else 0. */
  significant: Uint8Array;
  /** Net flow TE(i → j) − TE(j → i), bits (antisymmetric). */
  net: Float64Array;
  alpha: number;
}

/**
 * Transfer entropy between every ordered pair of the given series (equal lengths, one shared
 * alphabet), each tested against surrogates ({@link transferEntropyTest}; the seed of pair
 * (i, j) is derived from `seed`, i and j), with Benjamini–Hochberg control of the false discovery
 * rate over the m(m − 1) tests (lib/fdr.ts) and the net flow matrix. Mind the resolution: with S
 * surrogates no p-value is below 1/(S + 1), so no q-value is below m(m − 1)/(S + 1); a link can
 * only be significant at FDR α when S ≥ m(m − 1)/α − 1 (e.g. S ≥ 239 for four venues at 0.05).
 */
export function transferEntropyMatrix(
  series: ArrayLike<number>[],
  options: TransferEntropyMatrixOptions = {}
): TransferEntropyMatrix {
  const m = series.length;
  if (m < 2) throw new RangeError(`invalid series: ${m} series (at least 2 needed)`);
  for (const s of series) {
    if (s.length !== series[0].length) throw new RangeError(`invalid series: lengths ${series[0].length} and ${s.length} differ`);
  }
  const alpha = options.alpha ?? 0.05;
  const base = options.base ?? alphabetSize(series);
  const seed = options.seed ?? 0;
  const te = new Float64Array(m * m).fill(NaN);
  const effective = new Float64Array(m * m).fill(NaN);
  const pValue = new Float64Array(m * m).fill(NaN);
  const net = new Float64Array(m * m).fill(NaN);
  for (let i = 0; i < m; ++i) {
    for (let j = 0; j < m; ++j) {
      if (i === j) continue;
      const r = transferEntropyTest(series[i], series[j], {...options, base, seed: deriveSeed(seed, `pair ${i} ${j}`)});
      te[i * m + j] = r.te;
      effective[i * m + j] = r.effective;
      pValue[i * m + j] = r.pValue;
    }
  }
  for (let i = 0; i < m; ++i) for (let j = 0; j < m; ++j) if (i !== j) net[i * m + j] = te[i * m + j] - te[j * m + i];
  const fdr = benjaminiHochberg(pValue, {alpha});
  return {size: m, te, effective, pValue, qValue: fdr.adjusted, significant: fdr.rejected, net, alpha};
}
