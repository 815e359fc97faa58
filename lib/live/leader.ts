/**
 * Significance of the net transfer entropy between two markets against circular-shift
 * surrogates, and the live monitor's leader rule.
 *
 * For a pair (x, y) of symbol series over the window, the target and source states of both
 * directions are encoded once (lib/transfer-entropy.ts `transferEntropyStates`); surrogate s
 * shifts x's state sequence circularly by d_s ∈ [minShift, N − minShift] against y's (one seam,
 * each series keeps its own memory), and gives TE_s(x → y), TE_s(y → x) and the net
 * TE_s(x → y) − TE_s(y → x). Effective TE = TE − surrogate mean (Marschinski & Kantz 2002); the
 * one-sided p-values of the net flow in each direction are (1 + #{net_s ≥ net}) / (1 + S) and
 * (1 + #{net_s ≤ net}) / (1 + S).
 *
 * The leader rule ({@link conservativeLeader}) is isolated so that the calibrated rule of the
 * leadership analysis can replace it: a market leads only when its net TE to every other market
 * is positive and significant at α / (m − 1) (Bonferroni over its m − 1 links); otherwise there
 * is no leader.
 */
import {deriveSeed, mulberry32} from "../random.js";
import {transferEntropyFromCounts, transferEntropyStates} from "../transfer-entropy.js";

export interface PairTestOptions {
  /** Circular-shift surrogates S ≥ 1. */
  surrogates: number;
  seed: number;
  /** Target history. Default 1. */
  k?: number;
  /** Alphabet size. Default 3 (flow symbols). */
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
  const {surrogates: S, seed, k = 1, base = 3} = options;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  const o = {k, l: 1, delay: 1, base};
  const a = transferEntropyStates(x, y, o); // target y, source x
  const b = transferEntropyStates(y, x, o); // target x, source y
  const N = a.row.length;
  const cols = a.cols;
  const cells = a.rows * cols;
  const joint = new Int32Array(cells);
  const scratch = new Float64Array(cols);
  const preA = a.row.map((r) => r * cols);
  const preB = b.row.map((r) => r * cols);
  const te = (pre: Int32Array, col: Int32Array, shape: typeof a, d: number): number => {
    joint.fill(0);
    // Sample j pairs target state j with source state (j + d) mod N: two runs, no modulo.
    const split = N - d;
    for (let j = 0; j < split; ++j) ++joint[pre[j] + col[j + d]];
    for (let j = split; j < N; ++j) ++joint[pre[j] + col[j - split]];
    return transferEntropyFromCounts(joint, shape, scratch);
  };
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

/** {@link pairSurrogateTest} for every unordered pair of `series` (seed derived per pair), as matrices. */
export function pairMatrix(series: Uint8Array[], options: PairTestOptions): PairMatrix {
  const m = series.length;
  const te = new Float64Array(m * m).fill(NaN);
  const effective = new Float64Array(m * m).fill(NaN);
  const net = new Float64Array(m * m).fill(NaN);
  const pNet = new Float64Array(m * m).fill(NaN);
  for (let i = 0; i < m; ++i)
    for (let j = i + 1; j < m; ++j) {
      const r = pairSurrogateTest(series[i], series[j], {...options, seed: deriveSeed(options.seed, `pair ${i} ${j}`)});
      te[i * m + j] = r.teXY;
      te[j * m + i] = r.teYX;
      effective[i * m + j] = r.effXY;
      effective[j * m + i] = r.effYX;
      net[i * m + j] = r.net;
      net[j * m + i] = -r.net;
      pNet[i * m + j] = r.pXY;
      pNet[j * m + i] = r.pYX;
    }
  return {m, te, effective, net, pNet};
}

export interface LeaderVerdict {
  /** Index of the leading market, or null: no leader. */
  leader: number | null;
  /** Per market: how many of its m − 1 links pass (net > 0 and p ≤ α/(m − 1)). */
  passes: number[];
  alpha: number;
}

/**
 * The leader rule of the live page (to be replaced by the calibrated rule of the leadership
 * analysis): market i leads when, for every other market j, net TE(i → j) > 0 and its
 * circular-shift p-value ≤ α / (m − 1). At most one market can pass; none is "no leader".
 */
export function conservativeLeader(pairs: Pick<PairMatrix, "m" | "net" | "pNet">, alpha = 0.05): LeaderVerdict {
  const {m, net, pNet} = pairs;
  const level = alpha / Math.max(1, m - 1);
  const passes: number[] = [];
  let leader: number | null = null;
  for (let i = 0; i < m; ++i) {
    let p = 0;
    for (let j = 0; j < m; ++j) if (j !== i && net[i * m + j] > 0 && pNet[i * m + j] <= level) ++p;
    passes.push(p);
    if (m > 1 && p === m - 1) leader = i;
  }
  return {leader, passes, alpha};
}
