/**
 * The circular-shift surrogate test of transfer entropy from grouped count tables: the same
 * result as `transferEntropyTest(source, target, {method: "circular"})` (lib/transfer-entropy.ts:
 * the same shifts from the same seed, identical count tables and hence identical surrogate values
 * and p-value), at a third of the table increments per surrogate.
 *
 * Method. A circular shift by d pairs the target state (row) of sample j with the source state
 * (column) of sample (j + d) mod N; the surrogate TE needs the count table
 * C_d[r][c] = #{j : row_j = r, col_{(j+d) mod N} = c}. Samples are taken g at a time: the g
 * target states of samples gm … gm + g − 1 are encoded once as one group row (base `rows`), the
 * g consecutive source states from every position i as one group column (base `cols`, over the
 * doubled sequence so that the wrap needs no branch), and one increment of the group table
 * (rows·cols)^g counts g pairs. Decoding the group table into C_d costs (rows·cols)^g · g, which
 * is independent of N. g is the largest of 1 … 4 with (rows·cols)^g ≤ 2^16 cells, so the group
 * table stays in the processor's second-level cache (g = 3 for ternary symbols, k = l = 1).
 *
 * Cost: O(N + S·(N/g + (rows·cols)^g·g)) time, O(N) memory (a group column per sample, 2 bytes).
 * The surrogates split into ranges ({@link circularSurrogates}) that separate threads can
 * compute and a caller concatenates (loaders/parallel-surrogates.ts runs them on a worker pool).
 * References: circular-shift surrogates, Quian Quiroga et al. 2002, Phys. Rev. E 65, 041903;
 * plug-in TE, Schreiber 2000, Phys. Rev. Lett. 85, 461.
 */
import {deriveSeed, mulberry32} from "./random.js";
import {surrogateTest, transferEntropyFromCounts, transferEntropyStates, type TransferEntropyTest, type TransferEntropyTestOptions} from "./transfer-entropy.js";

/** Largest group size g ∈ [1, 4] with cells^g ≤ 2^16. */
export function groupSize(cells: number): number {
  if (!(Number.isInteger(cells) && cells >= 1)) throw new RangeError(`invalid cells: ${cells}`);
  let g = 1;
  while (g < 4 && cells ** (g + 1) <= 65536) ++g;
  return g;
}

/**
 * Adds to two interleaved group tables (`table`, 2·G cells) every group m of `preG`, paired with
 * the group column at position g·m + d.
 */
function countGroups(preG: Int32Array, colG: Uint16Array, g: number, d: number, table: Int32Array, G: number): void {
  table.fill(0);
  const M = preG.length;
  let m = 0;
  let i = d;
  for (; m + 1 < M; m += 2, i += 2 * g) {
    ++table[preG[m] + colG[i]];
    ++table[G + preG[m + 1] + colG[i + g]];
  }
  for (; m < M; ++m, i += g) ++table[preG[m] + colG[i]];
}

/** Sets `joint` to the pair counts of the group tables (`comp`: the g component cells of each group cell). */
function decodeGroups(table: Int32Array, comp: Int32Array, g: number, G: number, joint: Int32Array): void {
  joint.fill(0);
  for (let cell = 0; cell < G; ++cell) {
    const v = table[cell] + table[G + cell];
    if (v !== 0) for (let q = 0, o = cell * g; q < g; ++q) joint[comp[o + q]] += v;
  }
}

/** The observed TE and the surrogate TEs of one range of surrogate indices (see {@link circularSurrogates}). */
export interface CircularSurrogates {
  /** TE(source → target), bits. */
  te: number;
  /** Surrogate TEs of indices from … to − 1, bits. */
  surrogates: Float64Array;
  /** Samples N of the estimate. */
  samples: number;
}

/**
 * TE(source → target) in bits and the circular-shift surrogate TEs of surrogate indices
 * [`from`, `to`) of the S = `options.surrogates` (default 200) of {@link circularTransferEntropyTest}:
 * surrogate s shifts the source states by the s-th draw of the seeded generator, so the ranges
 * [0, a), [a, b), …, [z, S) computed apart and concatenated are exactly the full test's
 * surrogates (the split of one test over several threads; merge with `surrogateTest` of
 * lib/transfer-entropy.ts). Default range: all S. RangeError for an invalid range, surrogate
 * count, method, seed or minShift, or for symbols outside [0, base).
 */
export function circularSurrogates(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {},
  from = 0,
  to = options.surrogates ?? 200
): CircularSurrogates {
  const S = options.surrogates ?? 200;
  if (!(Number.isInteger(S) && S >= 1)) throw new RangeError(`invalid surrogates: ${S}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= S)) throw new RangeError(`invalid range: [${from}, ${to}) of ${S} surrogates`);
  if (options.method !== undefined && options.method !== "circular") throw new RangeError(`invalid method: ${options.method} (only "circular")`);
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`invalid seed: ${seed}`);
  const random = mulberry32(deriveSeed(seed, "transfer-entropy circular"));
  const st = transferEntropyStates(source, target, options);
  const {rows: R, cols: C, row, col} = st;
  const N = row.length;
  const cells = R * C;
  const joint = new Int32Array(cells);
  for (let i = 0; i < N; ++i) ++joint[row[i] * C + col[i]];
  const scratch = new Float64Array(C);
  const te = transferEntropyFromCounts(joint, st, scratch);
  const surrogates = new Float64Array(to - from);
  const minShift = options.minShift ?? Math.max(1, Math.floor(N / 20));
  if (!(Number.isInteger(minShift) && minShift >= 1 && 2 * minShift <= N)) {
    if (N > 1 || options.minShift !== undefined) throw new RangeError(`invalid minShift: ${minShift}`);
  }
  if (N < 2) surrogates.fill(NaN);
  else if (to > from) {
    const g = groupSize(cells);
    const Cg = C ** g;
    const G = cells ** g;
    const M = Math.floor(N / g);
    // Group rows, premultiplied by the group-column count.
    const preG = new Int32Array(M);
    for (let m = 0; m < M; ++m) {
      let r = 0;
      for (let q = 0; q < g; ++q) r = r * R + row[m * g + q];
      preG[m] = r * Cg;
    }
    // Group columns from every position of the doubled source-state sequence (Cg ≤ G ≤ 2^16).
    const colG = new Uint16Array(2 * N);
    {
      let c = 0;
      const top = C ** (g - 1);
      for (let q = 0; q < g - 1; ++q) c = c * C + col[q % N];
      for (let i = 0; i < 2 * N; ++i) {
        c = c * C + col[(i + g - 1) % N];
        colG[i] = c;
        c -= col[i % N] * top;
      }
    }
    // The g component cells of every group cell.
    const comp = new Int32Array(G * g);
    for (let cell = 0; cell < G; ++cell) {
      let r = Math.floor(cell / Cg);
      let c = cell % Cg;
      for (let q = g - 1; q >= 0; --q) {
        comp[cell * g + q] = (r % R) * C + (c % C);
        r = Math.floor(r / R);
        c = Math.floor(c / C);
      }
    }
    const table = new Int32Array(2 * G);
    const span = N - 2 * minShift + 1;
    for (let s = 0; s < from; ++s) random();
    for (let s = from; s < to; ++s) {
      const d = minShift + Math.floor(random() * span);
      countGroups(preG, colG, g, d, table, G);
      decodeGroups(table, comp, g, G, joint);
      for (let j = M * g; j < N; ++j) ++joint[row[j] * C + col[(j + d) % N]];
      surrogates[s - from] = transferEntropyFromCounts(joint, st, scratch);
    }
  }
  return {te, surrogates, samples: N};
}

/**
 * Transfer entropy TE(source → target) in bits with S circular-shift surrogates of the source
 * states (shift uniform in [minShift, N − minShift], default minShift = max(1, ⌊N/20⌋)), the
 * surrogate mean and standard deviation, the effective TE and the p-value
 * (1 + #{surrogate ≥ TE}) / (1 + S). Options as {@link TransferEntropyTestOptions} (`method`
 * must be absent or `"circular"`); deterministic given `seed` and equal to
 * `transferEntropyTest(..., {method: "circular"})` for the same options. Throws a RangeError for
 * an invalid surrogate count, seed or minShift, or for symbols outside [0, base).
 */
export function circularTransferEntropyTest(
  source: ArrayLike<number>,
  target: ArrayLike<number>,
  options: TransferEntropyTestOptions = {}
): TransferEntropyTest {
  const {te, surrogates, samples} = circularSurrogates(source, target, options);
  return surrogateTest(te, surrogates, samples, "circular");
}
