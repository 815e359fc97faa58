/**
 * Significance of the net transfer entropy between two markets against circular-shift
 * surrogates: the effective TE and net-flow p-values the live page shows beside the leader (the
 * leader itself is decided by the calibrated rule of lib/analysis/leadership.ts, see
 * lib/live/leader.ts).
 *
 * For a pair (x, y) of symbol series over the window, the target and source states of both
 * directions are encoded once (lib/transfer-entropy.ts `transferEntropyStates`); surrogate s
 * shifts x's state sequence circularly by d_s ∈ [minShift, N − minShift] against y's (one seam,
 * each series keeps its own memory) and gives TE_s(x → y), TE_s(y → x)
 * (`circularShiftTransferEntropy`, the circular surrogate of lib/transfer-entropy.ts) and the net
 * TE_s(x → y) − TE_s(y → x). Effective TE = TE − surrogate mean (Marschinski & Kantz 2002); the
 * one-sided p-values of the net flow in each direction are (1 + #{net_s ≥ net}) / (1 + S) and
 * (1 + #{net_s ≤ net}) / (1 + S) (North et al. 2002).
 */
import {deriveSeed, mulberry32} from "../random.js";
import {FLOW_BASE} from "../symbolize.js";
import {circularShiftTransferEntropy, transferEntropyStates} from "../transfer-entropy.js";

export interface PairTestOptions {
  /** Circular-shift surrogates S ≥ 1. */
  surrogates: number;
  seed: number;
  /** Target history. Default 1. */
  k?: number;
  /** Alphabet size. Default FLOW_BASE (the four flow symbols of lib/symbolize.ts). */
  base?: number;
}

export interface PairTest {
  /** Plug-in TE(x → y) and TE(y → x), bits. */
  teXY: number;
  teYX: number;
  /** Effective TE (TE − surrogate mean), bits. */
  effXY: number;
  effYX: number;
  /** Net TE(x → y) − TE(y → x), bits. */
  net: number;
  /** One-sided surrogate p-values of the net flow x → y and y → x. */
  pXY: number;
  pYX: number;
  samples: number;
}

/** Circular-shift surrogate test of the net TE between `x` and `y` (equal lengths); see the module comment. */
export function pairSurrogateTest(x: Uint8Array, y: Uint8Array, options: PairTestOptions): PairTest {
  const {surrogates: S, seed, k = 1, base = FLOW_BASE} = options;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const o = {k, l: 1, delay: 1, base};
  const a = transferEntropyStates(x, y, o); // target y, source x
  const b = transferEntropyStates(y, x, o); // target x, source y
  const N = a.row.length;
  const tables = new Int32Array(4 * a.rows * a.cols);
  const scratch = new Float64Array(a.cols);
  const preA = a.row.map((r) => r * a.cols);
  const preB = b.row.map((r) => r * b.cols);
  const te = (pre: Int32Array, col: Int32Array, shape: typeof a, d: number): number => circularShiftTransferEntropy(pre, col, shape, d, tables, scratch);
  const teXY = te(preA, a.col, a, 0);
  const teYX = te(preB, b.col, b, 0);
  const net = teXY - teYX;
  const empty = {teXY, teYX, effXY: NaN, effYX: NaN, net, pXY: NaN, pYX: NaN, samples: N};
  const minShift = Math.max(1, Math.floor(N / 20));
  if (N < 2 * minShift + 1 || !Number.isFinite(net)) return empty;
  const random = mulberry32(deriveSeed(seed, "live pair circular"));
  const span = N - 2 * minShift + 1;
  let sumXY = 0;
  let sumYX = 0;
  let geXY = 0;
  let geYX = 0;
  for (let s = 0; s < S; ++s) {
    const d = minShift + Math.floor(random() * span);
    // x shifted by d: x's states move against y's in both directions.
    const sXY = te(preA, a.col, a, d);
    const sYX = te(preB, b.col, b, N - d);
    sumXY += sXY;
    sumYX += sYX;
    const ns = sXY - sYX;
    if (ns >= net) ++geXY;
    if (ns <= net) ++geYX;
  }
  return {teXY, teYX, effXY: teXY - sumXY / S, effYX: teYX - sumYX / S, net, pXY: (1 + geXY) / (1 + S), pYX: (1 + geYX) / (1 + S), samples: N};
}

export interface PairMatrix {
  m: number;
  /** Row-major m × m: te[i·m + j] = TE(i → j); NaN on the diagonal. */
  te: Float64Array;
  effective: Float64Array;
  /** net[i·m + j] = TE(i → j) − TE(j → i). */
  net: Float64Array;
  /** pNet[i·m + j]: one-sided p-value of the net flow i → j. */
  pNet: Float64Array;
}

/** An m × m pair matrix filled with NaN. */
export function emptyPairMatrix(m: number): PairMatrix {
  const nan = () => new Float64Array(m * m).fill(NaN);
  return {m, te: nan(), effective: nan(), net: nan(), pNet: nan()};
}

/** Tests the pair (i, j), i < j, of `series` (seed derived from the pair) and writes both directions into `out`. */
export function testPairInto(out: PairMatrix, series: Uint8Array[], i: number, j: number, options: PairTestOptions): void {
  const m = out.m;
  const r = pairSurrogateTest(series[i], series[j], {...options, seed: deriveSeed(options.seed, `pair ${i} ${j}`)});
  out.te[i * m + j] = r.teXY;
  out.te[j * m + i] = r.teYX;
  out.effective[i * m + j] = r.effXY;
  out.effective[j * m + i] = r.effYX;
  out.net[i * m + j] = r.net;
  out.net[j * m + i] = -r.net;
  out.pNet[i * m + j] = r.pXY;
  out.pNet[j * m + i] = r.pYX;
}

/** The unordered pairs (i, j), i < j, of m markets, in the order {@link pairMatrix} tests them. */
export function pairList(m: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < m; ++i) for (let j = i + 1; j < m; ++j) out.push([i, j]);
  return out;
}

/** {@link pairSurrogateTest} for every unordered pair of `series` (seed derived per pair), as matrices. */
export function pairMatrix(series: Uint8Array[], options: PairTestOptions): PairMatrix {
  const out = emptyPairMatrix(series.length);
  for (const [i, j] of pairList(series.length)) testPairInto(out, series, i, j, options);
  return out;
}
