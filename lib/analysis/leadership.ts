/**
 * Calibrated leadership: which venue's prices move first in one stationary period, named only
 * when a market without lead–lag could not produce the same evidence.
 *
 * ## The evidence
 *
 * **Hayashi–Yoshida lead (trade times).** For venues a and b with log trade prices X (times s_i)
 * and Y (times t_j) inside the period, the shifted Hayashi–Yoshida contrast
 *
 *   HY(θ) = Σ_i Σ_j ΔX_i ΔY_j · 1{(s_{i−1}, s_i] ∩ (t_{j−1} − θ, t_j − θ] ≠ ∅}
 *
 * is computed on a grid θ ∈ [−maxShift, maxShift] (default ±1000 ms in 10 ms steps). The lead
 * of a over b is θ̂ = argmax_θ HY(θ) (positive: a moves first, b follows θ̂ ms later; ties to the
 * smallest |θ|). It needs no binning or interpolation, so unequal trading rates and asynchronous
 * sampling do not bias it (Hayashi & Yoshida, Bernoulli 11 (2005) 359; consistency of the argmax:
 * Hoffmann, Rosenbaum & Yoshida, Bernoulli 19 (2013) 426). With independent trade clocks and both
 * venues seeing the same efficient price at the same time, E[HY(θ)] is symmetric in θ and peaks
 * at 0 (the expected sum over interval pairs only depends on each clock's stationary interval
 * law, which is invariant under t → −t), so a common driver without delay gives no lead.
 *
 * **Moving-block bootstrap.** Every contribution ΔX_i·(Y increment over the overlapping run) is
 * attributed to the 1 s sub-block holding s_i, giving a (sub-blocks × shifts) table of partial
 * sums (`hyBlockSums` of lib/hayashi-yoshida.ts: one O(n + m) sweep per shift). A resample
 * concatenates ⌈n/L⌉ runs of L consecutive sub-blocks (L = blockMs / 1 s, default 30 s) from
 * uniform starts (Künsch, Ann. Statist. 17 (1989) 1217) and sums their rows: a resampled contrast curve and its
 * argmax θ*. The blocks keep each venue's memory (volatility and trade clustering, bid–ask
 * bounce) and the cross-venue dependence of the common driver within 30 s. The lead interval is
 * the percentile interval of θ* at level 1 − α (Efron & Tibshirani 1993, §13.3), and the one-sided
 * p-values of the direction are
 *
 *   p(a → b) = (1 + #{θ* ≤ 0}) / (1 + B),   p(b → a) = (1 + #{θ* ≥ 0}) / (1 + B).
 *
 * `statistic: "asymmetry"` uses instead A = Σ_{θ>0} HY(θ) − Σ_{θ<0} HY(θ) (a smooth sum, zero in
 * expectation without a lead). Calibration (scripts/calibrate.ts) found its bootstrap p-values
 * anti-conservative (per pair 5.8 % at a nominal 5 %; about 2× at 10 % on 2-minute periods),
 * while the argmax test held its size (0.1 % per pair) with the same power; the argmax is the
 * default.
 *
 * **The rule (intersection–union over followers, Bonferroni over candidates).** With m venues,
 * venue L is named leader when it leads *every* other venue:
 *
 *   p_L = max_{V ≠ L} p(L → V) ≤ α / m.
 *
 * Each p_L is an intersection–union test (Berger, Technometrics 24 (1982) 295): it rejects only
 * when every component does, so its size is at most that of its weakest component. Two candidates
 * cannot both pass (L₁ must lead L₂ and L₂ lead L₁ on the same resamples), and by Bonferroni over
 * the m candidates the probability of naming any leader in a period without lead–lag is at most
 * α. The reported p is min(1, m·p_L). When no venue passes, the outcome is "no leader found" with
 * the candidate closest to passing, the pair that failed it and that pair's lead interval; a venue
 * with fewer than `minTrades` trades in the period also means no leader.
 *
 * **Price → price transfer entropy, time-reversal difference (the "significant link" claim;
 * reported beside the rule, not required by it).** Each venue's trade prices are interpolated
 * linearly in time to the ends of `binMs` bins ({@link interpolatedPrices}), turned into ternary
 * price-change symbols (lib/price-symbols.ts) and fed to the plug-in transfer entropy
 * (lib/transfer-entropy.ts, target history k = 1, source history l = `teHistory`, delay 1,
 * base 3). For a pair (a, b) the net flow NTE = TE(a→b) − TE(b→a) is computed on the series and
 * on the time-reversed series, and
 *
 *   D(a → b) = NTE − NTE_reversed.
 *
 * A delayed copy reverses its direction under time reversal, so D > 0; a common driver with
 * unequal noise gives the same net TE forwards and backwards and cancels (Haufe et al.,
 * NeuroImage 64 (2013) 120; Winkler et al., IEEE Trans. Signal Process. 64 (2016) 5072). The four
 * count tables are kept per sub-block and resampled with the same moving-block bootstrap:
 * p_TE(a → b) = (1 + #{D* ≤ 0}) / (1 + B); a link is significant when p_TE ≤ α. Why interpolated
 * prices: the last price carried forward of a quieter venue is stale by about half its
 * inter-trade time, a real delay of the binned series that also reverses under time reversal, so
 * on last prices D points from the busier venue to the quieter one without any planted lead
 * (calibration: 45 % of equal-delay links "significant" at 5 %); interpolation is symmetric in
 * time (5.8 % of 720 equal-delay links on two 20-market subsets, power 97.7 %). {@link corroborates} says whether the channel
 * agrees with the HY leader; requiring it only cost power in the calibration, so it is reported,
 * not required.
 *
 * Pure: no I/O, no DOM; deterministic given `seed` (lib/random.ts mulberry32).
 */
import {bisectLeft} from "../bisect.js";
import {percentileInterval} from "../block-bootstrap.js";
import {hyBlockSums, hySweepOf, tickSeries, type TickSeries} from "../hayashi-yoshida.js";
import {priceChangeSymbols} from "../price-symbols.js";
import {deriveSeed, mulberry32} from "../random.js";
import {transferEntropyFromCounts, transferEntropyShape, transferEntropyStates} from "../transfer-entropy.js";

/** Trades of one venue: times (epoch ms, ascending) and prices; `length` rows are used when given. */
export interface LeadershipTrades {
  time: ArrayLike<number>;
  price: ArrayLike<number>;
  length?: number;
}

/** Fixed bins of one venue: bin start (epoch ms) and the last trade price carried forward. */
export interface LeadershipBins {
  t: ArrayLike<number>;
  last: ArrayLike<number>;
  length?: number;
}

/** Options of {@link leadership} and {@link hyLeadBootstrap}. */
export interface LeadershipOptions {
  /** Family-wise level of the leader rule, level of each link test and 1 − coverage of the lead interval. Default 0.05. */
  alpha?: number;
  /** Bootstrap resamples B. Default 499; a leader can only be named when 1/(B + 1) ≤ α/m, i.e. B ≥ m/α − 1 (79 for four venues at 5 %). */
  resamples?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
  /** Largest |θ| scanned, ms. Default 1000. */
  maxShiftMs?: number;
  /** Grid step of θ, ms. Default 10. */
  stepMs?: number;
  /** Bootstrap block length, ms (a whole number of sub-blocks). Default 30 000. */
  blockMs?: number;
  /** Sub-block (attribution unit of the contributions), ms. Default 1000. */
  subBlockMs?: number;
  /**
   * Most sub-blocks per period (memory: sub-blocks × shifts doubles for HY, × 4·3^(l+2) for TE).
   * A longer period gets whole-second sub-blocks of ⌈duration / maxSubBlocks⌉ and blocks of at
   * least one sub-block. Default 4096 (68 minutes at 1 s).
   */
  maxSubBlocks?: number;
  /** Statistic of the HY direction test: the argmax lead θ̂ (default) or the lead asymmetry A (anti-conservative, see the module comment). */
  statistic?: "asymmetry" | "lead";
  /** Fewest trades a venue needs in the period to take part; fewer: no leader can be named. Default 50. */
  minTrades?: number;
  /** Source history l of the transfer-entropy channel, bins. Default 3. */
  teHistory?: number;
  /** Width of the bins of the transfer-entropy channel, ms (for the sub-block count). Default 100. */
  binMs?: number;
  /**
   * The venues' trade counts over a common span (e.g. the market's), used only to choose which
   * venue of a pair the HY sums sweep (`hySweepOf`, lib/hayashi-yoshida.ts): the one with fewer trades, so that a
   * shift costs the sparser venue's ticks. The sums are the same up to rounding either way
   * (`hyBlockSums`, lib/hayashi-yoshida.ts). Default none: the first venue of each pair.
   */
  tradeCounts?: Readonly<Partial<Record<string, number>>> | null;
}

/** {@link LeadershipOptions} with every default filled in. */
export interface Resolved {
  alpha: number;
  resamples: number;
  seed: number;
  maxShiftMs: number;
  stepMs: number;
  blockMs: number;
  subBlockMs: number;
  maxSubBlocks: number;
  statistic: "asymmetry" | "lead";
  minTrades: number;
  teHistory: number;
  binMs: number;
  tradeCounts: Readonly<Partial<Record<string, number>>> | null;
}

/** `options` with the defaults of {@link LeadershipOptions} filled in; RangeError for an invalid one. */
export function resolve(o: LeadershipOptions): Resolved {
  const r: Resolved = {
    alpha: o.alpha ?? 0.05,
    resamples: o.resamples ?? 499,
    seed: o.seed ?? 0,
    maxShiftMs: o.maxShiftMs ?? 1000,
    stepMs: o.stepMs ?? 10,
    blockMs: o.blockMs ?? 30_000,
    subBlockMs: o.subBlockMs ?? 1000,
    maxSubBlocks: o.maxSubBlocks ?? 4096,
    statistic: o.statistic ?? "lead",
    minTrades: o.minTrades ?? 50,
    teHistory: o.teHistory ?? 3,
    binMs: o.binMs ?? 100,
    tradeCounts: o.tradeCounts ?? null
  };
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`invalid alpha: ${r.alpha}`);
  if (!(Number.isInteger(r.resamples) && r.resamples >= 1)) throw new RangeError(`invalid resamples: ${r.resamples}`);
  if (!(r.stepMs > 0 && r.maxShiftMs >= r.stepMs)) throw new RangeError(`invalid grid: ±${r.maxShiftMs} step ${r.stepMs}`);
  if (!(r.subBlockMs > 0 && r.blockMs >= r.subBlockMs)) throw new RangeError(`invalid blockMs: ${r.blockMs} (sub-block ${r.subBlockMs})`);
  if (!(Number.isInteger(r.maxSubBlocks) && r.maxSubBlocks >= 1)) throw new RangeError(`invalid maxSubBlocks: ${r.maxSubBlocks}`);
  if (r.statistic !== "asymmetry" && r.statistic !== "lead") throw new RangeError(`invalid statistic: ${r.statistic}`);
  if (!(Number.isInteger(r.teHistory) && r.teHistory >= 1 && r.teHistory <= 6)) throw new RangeError(`invalid teHistory: ${r.teHistory}`);
  return r;
}

/** The HY lead of one pair with its block-bootstrap evidence. */
export interface PairLead<V extends string = string> {
  a: V;
  b: V;
  /** argmax_θ HY(θ), ms: positive when a leads b. NaN when a series has no price change. */
  lead: number;
  /** HY correlation at the lead (covariance over √(RV_a·RV_b)). */
  peak: number;
  /** Lead asymmetry A = Σ_{θ>0} HY(θ) − Σ_{θ<0} HY(θ), over √(RV_a·RV_b) (dimensionless). */
  asymmetry: number;
  /** Percentile interval of the bootstrap leads θ*, ms, at level 1 − α (two-sided); its resolution is the grid step (one value: the lead is resolved to the step). */
  interval: [number, number];
  /** One-sided bootstrap p-value that a leads b (of the rule's statistic). */
  pAB: number;
  /** One-sided bootstrap p-value that b leads a. */
  pBA: number;
  /** The one-sided p-values of both statistics: [p(a → b), p(b → a)] of the asymmetry A and of the lead θ̂. */
  pAsymmetry: [number, number];
  pLead: [number, number];
  /** Trades of a and b in the period. */
  trades: [number, number];
}

/** The transfer-entropy evidence of one pair. */
export interface PairTransfer<V extends string = string> {
  a: V;
  b: V;
  /** TE(a → b) and TE(b → a) on the series, bits per bin. */
  teAB: number;
  teBA: number;
  /** Net TE forwards and on the time-reversed series, bits per bin. */
  net: number;
  netReversed: number;
  /** D(a → b) = net − netReversed, bits per bin: positive when a leads b. */
  d: number;
  /** Percentile interval of D*, at level 1 − α. */
  interval: [number, number];
  /** One-sided bootstrap p-values of a → b (D > 0) and b → a (D < 0). */
  pAB: number;
  pBA: number;
  /** Bins used. */
  bins: number;
}

/** The outcome for one period. */
export interface LeadershipResult<V extends string = string> {
  /** The named leader, or null: no leader found. */
  leader: V | null;
  /** Adjusted p of the named leader (or of the best candidate): min(1, m · max_V p(L → V)). */
  p: number;
  /** The venue closest to passing (smallest p_L). */
  candidate: V | null;
  /** Why no leader was named (null when one was): the failing pair and its interval, or too few trades. */
  reason: string | null;
  /** The pair that decided: the candidate's weakest follower (largest p). */
  weakest: PairLead<V> | null;
  /** Every unordered pair's HY evidence, in venue order. */
  pairs: PairLead<V>[];
  /** Every unordered pair's transfer-entropy evidence (empty unless `transfer` was asked for). */
  transfer: PairTransfer<V>[];
  /** Whether the TE channel agrees with the named leader (D(L → V) > 0 for every V); null without a leader or without the channel. */
  corroborated: boolean | null;
  /** Number of venues m and the per-candidate level α/m. */
  venues: number;
  level: number;
  /** Statistic of the rule. */
  statistic: "asymmetry" | "lead";
}

/** The trades of [start, end) as a tick series with origin `start` (times relative to it). */
export function periodTicks(trades: LeadershipTrades, start: number, end: number): TickSeries {
  const n = trades.length ?? trades.time.length;
  const i0 = bisectLeft(trades.time, start, 0, n);
  const i1 = bisectLeft(trades.time, end, 0, n);
  const time = new Float64Array(i1 - i0);
  const price = new Float64Array(i1 - i0);
  for (let i = i0; i < i1; ++i) (time[i - i0] = trades.time[i]), (price[i - i0] = trades.price[i]);
  return tickSeries(time, price, {origin: start});
}

/** Sub-block length, number of sub-blocks and block length (in sub-blocks) of a period of `durationMs`. */
function blocking(durationMs: number, o: Resolved): {subMs: number; blocks: number; L: number} {
  let subMs = o.subBlockMs;
  if (Math.ceil(durationMs / subMs) > o.maxSubBlocks) subMs = Math.ceil(durationMs / o.maxSubBlocks / 1000) * 1000;
  const blocks = Math.max(1, Math.ceil(durationMs / subMs));
  return {subMs, blocks, L: Math.max(1, Math.round(o.blockMs / subMs))};
}

/**
 * Cumulative sums over the HY rows (real partial sums): P[(b + 1)·W + k] = Σ_{b' ≤ b} rows[b'·W + k],
 * P[0..W) = 0 (the TE counts use {@link packCounts} instead).
 */
function prefixRows(rows: Float64Array, blocks: number, W: number): Float64Array {
  const P = new Float64Array((blocks + 1) * W);
  for (let b = 0; b < blocks; ++b) {
    const o = b * W;
    for (let k = 0; k < W; ++k) P[o + W + k] = P[o + k] + rows[o + k];
  }
  return P;
}

/**
 * One moving-block resample of the rows: ⌈n/L⌉ runs of L consecutive rows from uniform starts,
 * the last cut so that n rows are summed; `out` (length W) receives the sum.
 */
function resampleRows(P: Float64Array, blocks: number, W: number, L: number, random: () => number, out: Float64Array): Float64Array {
  out.fill(0);
  const len = Math.min(L, blocks);
  const starts = blocks - len + 1;
  for (let done = 0; done < blocks; ) {
    const s = Math.min(starts - 1, Math.floor(random() * starts));
    const take = Math.min(len, blocks - done);
    const a = s * W;
    const b = (s + take) * W;
    for (let k = 0; k < W; ++k) out[k] += P[b + k] - P[a + k];
    done += take;
  }
  return out;
}

/**
 * Prefix sums of integer count rows ({@link prefixRows}) with `g` adjacent cells packed into one
 * Float64: value = Σ_t c_t · 2^(t·bits), where every count a resample can reach is below 2^bits
 * and g·bits ≤ 53. Sums and differences of such values are exact integers below 2^53, and with
 * non-negative components they carry no digit from one cell into the next, so the packed sums
 * unpack to the same integer counts as summing each cell alone — in a third to a quarter of the
 * additions for the transfer-entropy tables.
 */
interface PackedCounts {
  P: Float64Array;
  /** Window sums of `len` rows from each start s: P[s + len] − P[s], the runs the resamples add whole. */
  WS: Float64Array;
  len: number;
  /** Cells per row and packed values per row. */
  W: number;
  Wp: number;
  g: number;
  bits: number;
}

function packCounts(rows: Int32Array, blocks: number, W: number, L: number, maxCount: number): PackedCounts {
  const bits = Math.max(1, Math.ceil(Math.log2(maxCount + 1)));
  const g = Math.max(1, Math.min(4, Math.floor(53 / bits)));
  const Wp = Math.ceil(W / g);
  const P = new Float64Array((blocks + 1) * Wp);
  for (let b = 0; b < blocks; ++b) {
    const o = b * W;
    const po = b * Wp;
    for (let c = 0; c < Wp; ++c) {
      let v = 0;
      let scale = 1;
      for (let t = 0, k = c * g; t < g && k < W; ++t, ++k, scale *= 2 ** bits) v += rows[o + k] * scale;
      P[po + Wp + c] = P[po + c] + v;
    }
  }
  const len = Math.min(L, blocks);
  const starts = blocks - len + 1;
  const WS = new Float64Array(starts * Wp);
  for (let st = 0; st < starts; ++st) for (let c = 0; c < Wp; ++c) WS[st * Wp + c] = P[(st + len) * Wp + c] - P[st * Wp + c];
  return {P, WS, len, W, Wp, g, bits};
}

/**
 * {@link resampleRows} on {@link packCounts}' sums: the same draws, the same counts in `out`
 * (length W); the whole runs add their window sums, each start once times the number of times it
 * was drawn (`times`, scratch of length blocks − len + 1), in start order; the last (cut) run a
 * difference of prefix sums. Every partial sum is an exact integer below 2^53, so the order of
 * the additions does not change the counts.
 */
function resamplePacked({P, WS, len, W, Wp, g, bits}: PackedCounts, blocks: number, random: () => number, out: Int32Array, acc: Float64Array, times: Int32Array): Int32Array {
  acc.fill(0);
  const starts = blocks - len + 1;
  times.fill(0, 0, starts);
  for (let done = 0; done < blocks; ) {
    const s = Math.min(starts - 1, Math.floor(random() * starts));
    const take = Math.min(len, blocks - done);
    if (take === len) ++times[s];
    else {
      const a = s * Wp;
      const b = (s + take) * Wp;
      for (let k = 0; k < Wp; ++k) acc[k] += P[b + k] - P[a + k];
    }
    done += take;
  }
  for (let st = 0; st < starts; ++st) {
    const c = times[st];
    if (c === 0) continue;
    const a = st * Wp;
    if (c === 1) for (let k = 0; k < Wp; ++k) acc[k] += WS[a + k];
    else for (let k = 0; k < Wp; ++k) acc[k] += c * WS[a + k];
  }
  const base = 2 ** bits;
  for (let c = 0, k = 0; c < Wp; ++c) {
    let v = acc[c];
    for (let t = 0; t < g && k < W; ++t, ++k) {
      const r = v % base;
      out[k] = r;
      v = (v - r) / base;
    }
  }
  return out;
}

/** argmax of a curve over the grid, ties to the smallest |θ|; NaN when no value is finite or all are 0. */
function argmaxShift(curve: ArrayLike<number>, shifts: ArrayLike<number>): number {
  let best = -Infinity;
  let lead = NaN;
  let any = false;
  for (let k = 0; k < shifts.length; ++k) {
    const c = curve[k];
    if (c !== 0) any = true;
    if (c > best || (c === best && Math.abs(shifts[k]) < Math.abs(lead))) (best = c), (lead = shifts[k]);
  }
  return any ? lead : NaN;
}

function asymmetryOf(curve: ArrayLike<number>, shifts: ArrayLike<number>): number {
  let a = 0;
  for (let k = 0; k < shifts.length; ++k) a += shifts[k] > 0 ? curve[k] : shifts[k] < 0 ? -curve[k] : 0;
  return a;
}

/**
 * The shift grid and the blocking of the HY evidence of a period of `durationMs`: shifts
 * θ_k = (k − K)·step for k = 0…2K (K = maxShift / step), sub-blocks of `subMs` (the attribution
 * unit of `hyBlockSums`), `blocks` of them, and bootstrap blocks of L sub-blocks.
 */
export function hyLeadGrid(durationMs: number, options: LeadershipOptions = {}): {shifts: Float64Array; subMs: number; blocks: number; L: number} {
  const o = resolve(options);
  const K = Math.round(o.maxShiftMs / o.stepMs);
  return {shifts: Float64Array.from({length: 2 * K + 1}, (_, i) => (i - K) * o.stepMs), ...blocking(durationMs, o)};
}

/**
 * The HY lead of a over b in one period with its moving-block bootstrap (see the module
 * comment): `x` and `y` from {@link periodTicks} with the period start as origin, `durationMs`
 * the period length.
 */
export function hyLeadBootstrap<V extends string>(
  a: V,
  b: V,
  x: TickSeries,
  y: TickSeries,
  durationMs: number,
  options: LeadershipOptions = {}
): PairLead<V> {
  const {shifts, subMs, blocks} = hyLeadGrid(durationMs, options);
  const rows = hyBlockSums(x, y, shifts, subMs, blocks, hySweepOf(a, b, resolve(options).tradeCounts));
  return hyLeadFromRows(a, b, rows, {varianceX: x.variance, varianceY: y.variance, trades: [x.time.length, y.time.length]}, durationMs, options);
}

/** Each venue's trade count (`length`, else the times' length): the `tradeCounts` of {@link LeadershipOptions} from whole columns. */
export function tradeCountsOf(trades: Readonly<Partial<Record<string, LeadershipTrades>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [v, t] of Object.entries(trades)) if (t) out[v] = t.length ?? t.time.length;
  return out;
}

/**
 * {@link hyLeadBootstrap} from the pair's (sub-blocks × shifts) table of `hyBlockSums` on the grid
 * of {@link hyLeadGrid} (e.g. accumulated day by day, lib/hy-stream.ts), the realised variances
 * of both tick series and their tick counts: the same result for the same table.
 */
export function hyLeadFromRows<V extends string>(
  a: V,
  b: V,
  rows: Float64Array,
  {varianceX, varianceY, trades}: {varianceX: number; varianceY: number; trades: [number, number]},
  durationMs: number,
  options: LeadershipOptions = {}
): PairLead<V> {
  const o = resolve(options);
  const {shifts, blocks, L} = hyLeadGrid(durationMs, o);
  const S = shifts.length;
  if (rows.length !== blocks * S) throw new RangeError(`invalid rows: ${rows.length} values (${blocks} sub-blocks × ${S} shifts expected)`);
  const total = new Float64Array(S);
  for (let r = 0; r < blocks; ++r) for (let k = 0; k < S; ++k) total[k] += rows[r * S + k];
  const norm = Math.sqrt(varianceX * varianceY);
  const lead = argmaxShift(total, shifts);
  const peak = lead === lead && norm > 0 ? total[Math.round((lead + o.maxShiftMs) / o.stepMs)] / norm : NaN;
  const asymmetry = norm > 0 ? asymmetryOf(total, shifts) / norm : NaN;
  if (!(lead === lead) || !(norm > 0)) return {a, b, lead: NaN, peak, asymmetry, interval: [NaN, NaN], pAB: 1, pBA: 1, pAsymmetry: [1, 1], pLead: [1, 1], trades};
  const P = prefixRows(rows, blocks, S);
  const random = mulberry32(deriveSeed(o.seed, `hy-lead ${a} ${b}`));
  const curve = new Float64Array(S);
  const leads = new Float64Array(o.resamples);
  // Counts of resamples with statistic ≤ 0 and ≥ 0, for the asymmetry and for the lead.
  let aLe = 0;
  let aGe = 0;
  let lLe = 0;
  let lGe = 0;
  for (let r = 0; r < o.resamples; ++r) {
    resampleRows(P, blocks, S, L, random, curve);
    const l = argmaxShift(curve, shifts);
    leads[r] = l;
    const A = asymmetryOf(curve, shifts);
    if (!(A > 0)) ++aLe;
    if (!(A < 0)) ++aGe;
    if (!(l > 0)) ++lLe;
    if (!(l < 0)) ++lGe;
  }
  const B = o.resamples;
  const pAsymmetry: [number, number] = [(1 + aLe) / (1 + B), (1 + aGe) / (1 + B)];
  const pLead: [number, number] = [(1 + lLe) / (1 + B), (1 + lGe) / (1 + B)];
  const [pAB, pBA] = o.statistic === "lead" ? pLead : pAsymmetry;
  return {a, b, lead, peak, asymmetry, interval: percentileInterval(leads, 1 - o.alpha), pAB, pBA, pAsymmetry, pLead, trades};
}

/**
 * Trade prices linearly interpolated in time to the ends of the bins of [start, end):
 * p(g) = p_prev + (p_next − p_prev)·(g − t_prev)/(t_next − t_prev) between the last trade at or
 * before g and the first one after it, using the period's trades only (before its first trade and
 * after its last one the price is held at that trade's). Unlike the last price
 * carried forward, whose staleness (about half the inter-trade time) is a real delay that makes the
 * busier venue look like a leader, interpolation is symmetric in time and adds no lag. NaN where
 * the venue has no trade in the period.
 */
export function interpolatedPrices(trades: LeadershipTrades, start: number, end: number, binMs: number): Float64Array {
  const n = trades.length ?? trades.time.length;
  const i0 = bisectLeft(trades.time, start, 0, n);
  const i1 = bisectLeft(trades.time, end, 0, n);
  const bins = Math.max(0, Math.ceil((end - start) / binMs));
  const out = new Float64Array(bins).fill(NaN);
  if (i1 <= i0) return out;
  let j = i0; // first trade with time > g
  for (let k = 0; k < bins; ++k) {
    const g = start + (k + 1) * binMs;
    while (j < i1 && trades.time[j] <= g) ++j;
    if (j === i0) out[k] = trades.price[i0];
    else if (j === i1) out[k] = trades.price[i1 - 1];
    else {
      const ta = trades.time[j - 1];
      const tb = trades.time[j];
      const pa = trades.price[j - 1];
      const pb = trades.price[j];
      out[k] = tb > ta ? pa + ((pb - pa) * (g - ta)) / (tb - ta) : pb;
    }
  }
  return out;
}

/** The 100 ms last prices of [start, end) (bins whose start lies in the period). */
function periodLast(bins: LeadershipBins, start: number, end: number): Float64Array {
  const n = bins.length ?? bins.t.length;
  const i0 = bisectLeft(bins.t, start, 0, n);
  const i1 = bisectLeft(bins.t, end, 0, n);
  const out = new Float64Array(i1 - i0);
  for (let i = i0; i < i1; ++i) out[i - i0] = bins.last[i];
  return out;
}

/**
 * The time-reversal difference of net price → price transfer entropy of a pair with its
 * moving-block bootstrap (see the module comment). `pa`, `pb`: last prices of the same bins;
 * {@link transferReversalSymbols} of their `priceChangeSymbols`.
 */
export function transferReversal<V extends string>(a: V, b: V, pa: ArrayLike<number>, pb: ArrayLike<number>, options: LeadershipOptions = {}): PairTransfer<V> {
  if (pb.length !== pa.length) throw new RangeError(`invalid prices: lengths ${pa.length} and ${pb.length}`);
  return transferReversalSymbols(a, b, priceChangeSymbols(pa), priceChangeSymbols(pb), options);
}

/**
 * {@link transferReversal} of the price-change symbols `sa`, `sb` (lib/price-symbols.ts, 0 down,
 * 1 unchanged, 2 up) of the same bins. The four tables (forward a→b, b→a, reversed a→b, b→a)
 * are counted one after another, so that only one direction's per-bin states (8 bytes a bin) are
 * held at a time.
 */
export function transferReversalSymbols<V extends string>(a: V, b: V, sa: Uint8Array, sb: Uint8Array, options: LeadershipOptions = {}): PairTransfer<V> {
  const o = resolve(options);
  const n = sa.length;
  if (sb.length !== n) throw new RangeError(`invalid symbols: lengths ${n} and ${sb.length}`);
  const te = {k: 1, l: o.teHistory, delay: 1, base: 3};
  const {subMs, L} = blocking(n * o.binMs, o);
  const binsPerSub = Math.max(1, Math.round(subMs / o.binMs));
  const blocks = Math.max(1, Math.ceil(n / binsPerSub));
  const shape = transferEntropyShape(sa, sb, te);
  const cells = shape.rows * shape.cols;
  const W = 4 * cells;
  // Counts are integers: kept in Int32, their sums are exact in any order.
  const rows = new Int32Array(blocks * W);
  const ra = sa.slice().reverse();
  const rb = sb.slice().reverse();
  const parts = [
    [sa, sb],
    [sb, sa],
    [ra, rb],
    [rb, ra]
  ] as const;
  for (let q = 0; q < 4; ++q) {
    const back = q >= 2;
    const st = transferEntropyStates(parts[q][0], parts[q][1], te);
    for (let i = 0; i < st.row.length; ++i) {
      const t = st.start + i; // index in the (possibly reversed) series
      const time = back ? n - 1 - t : t;
      const blk = Math.min(blocks - 1, Math.floor(time / binsPerSub));
      ++rows[blk * W + q * cells + st.row[i] * st.cols + st.col[i]];
    }
  }
  const scratch = new Float64Array(shape.cols);
  const te4 = new Float64Array(4);
  const stat = (sum: Int32Array) => {
    for (let q = 0; q < 4; ++q) te4[q] = transferEntropyFromCounts(sum.subarray(q * cells, (q + 1) * cells), shape, scratch);
    return {teAB: te4[0], teBA: te4[1], net: te4[0] - te4[1], netReversed: te4[2] - te4[3]};
  };
  const total = new Int32Array(W);
  for (let r = 0; r < blocks; ++r) for (let k = 0; k < W; ++k) total[k] += rows[r * W + k];
  const obs = stat(total);
  const d = obs.net - obs.netReversed;
  const B = o.resamples;
  const ds = new Float64Array(B);
  let le = 0;
  let ge = 0;
  if (d === d && n > 2) {
    // Every resampled cell counts at most `blocks` sub-blocks of binsPerSub samples.
    const packed = packCounts(rows, blocks, W, L, blocks * binsPerSub);
    const random = mulberry32(deriveSeed(o.seed, `te-reversal ${a} ${b}`));
    const sum = new Int32Array(W);
    const acc = new Float64Array(packed.Wp);
    const times = new Int32Array(blocks);
    for (let r = 0; r < B; ++r) {
      resamplePacked(packed, blocks, random, sum, acc, times);
      const s = stat(sum);
      const v = s.net - s.netReversed;
      ds[r] = v;
      if (!(v > 0)) ++le;
      if (!(v < 0)) ++ge;
    }
  } else (le = B), (ge = B);
  return {a, b, ...obs, d, interval: percentileInterval(ds, 1 - o.alpha), pAB: (1 + le) / (1 + B), pBA: (1 + ge) / (1 + B), bins: n};
}

/**
 * The leader of one stationary period [start, end) (epoch ms) among `venues`, by the rule of the
 * module comment: HY lead evidence from `trades` for every pair, the intersection–union test per
 * candidate at α/m, and, with `transfer`, the time-reversal TE channel for every pair on
 * `binMs` prices ("interpolated": trade prices interpolated to the bin ends, calibrated; "last":
 * the last price of `bins`, biased towards the busier venue) and whether it corroborates the
 * leader (reported, not required). Deterministic given `seed`.
 */
export function leadership<V extends string>(
  venues: readonly V[],
  trades: Record<V, LeadershipTrades>,
  start: number,
  end: number,
  options: LeadershipOptions & {bins?: Record<V, LeadershipBins>; transfer?: "interpolated" | "last" | false} = {}
): LeadershipResult<V> {
  const o = resolve(options);
  if (!(end > start)) throw new RangeError(`invalid period: [${start}, ${end})`);
  const m = venues.length;
  if (m < 2) throw new RangeError(`invalid venues: ${venues.length} (need at least 2)`);
  const ticks = new Map<V, TickSeries>();
  for (const v of venues) ticks.set(v, periodTicks(trades[v], start, end));
  const pairs: PairLead<V>[] = [];
  for (let i = 0; i < m; ++i)
    for (let j = i + 1; j < m; ++j) {
      const a = venues[i];
      const b = venues[j];
      pairs.push(leadershipPair(a, b, ticks.get(a)!, ticks.get(b)!, end - start, o));
    }
  const sampling = options.transfer ?? false;
  if (sampling === "last" && !options.bins) throw new RangeError("invalid options: transfer \"last\" needs bins");
  let prices: Map<V, Float64Array> | null = null;
  if (sampling) {
    prices = new Map<V, Float64Array>();
    for (const v of venues) prices.set(v, sampling === "last" ? periodLast(options.bins![v], start, end) : interpolatedPrices(trades[v], start, end, o.binMs));
  }
  return leadershipFrom(venues, pairs, prices, o);
}

/**
 * The rest of {@link leadership} once the pairs' HY evidence is known: with `prices` (each venue's
 * bin prices of the period), the time-reversal TE channel of every pair; the decision; whether the
 * channel corroborates it. Shared by the batch and the day-by-day form
 * (lib/analysis/leadership-stream.ts).
 */
export function leadershipFrom<V extends string>(
  venues: readonly V[],
  pairs: PairLead<V>[],
  prices: ReadonlyMap<V, Float64Array> | null,
  options: LeadershipOptions = {}
): LeadershipResult<V> {
  const o = resolve(options);
  const m = venues.length;
  const transfer: PairTransfer<V>[] = [];
  if (prices) {
    const symbols = new Map(venues.map((v) => [v, priceChangeSymbols(prices.get(v)!)]));
    for (let i = 0; i < m; ++i)
      for (let j = i + 1; j < m; ++j) {
        const a = venues[i];
        const b = venues[j];
        transfer.push(leadershipTransfer(a, b, symbols.get(a)!, symbols.get(b)!, o));
      }
  }
  return leadershipDecide(venues, pairs, transfer, o);
}

/**
 * The TE evidence of the pair (a, b) as {@link leadershipFrom} computes it from the venues'
 * price-change symbols `sa`, `sb` (`priceChangeSymbols` of their bin prices):
 * {@link transferReversalSymbols} with the pair's seed derived from `options.seed`. Exported, like
 * {@link leadershipPair}, so that the pairs of a period can be spread over several tasks with the
 * same result.
 */
export function leadershipTransfer<V extends string>(a: V, b: V, sa: Uint8Array, sb: Uint8Array, options: LeadershipOptions = {}): PairTransfer<V> {
  const o = resolve(options);
  return transferReversalSymbols(a, b, sa, sb, {...o, seed: deriveSeed(o.seed, `te ${a} ${b}`)});
}

/**
 * The end of {@link leadershipFrom} once every pair's evidence is known: the decision on the HY
 * `pairs` and whether the TE `transfer` evidence (every pair in venue order, or none)
 * corroborates it.
 */
export function leadershipDecide<V extends string>(venues: readonly V[], pairs: PairLead<V>[], transfer: PairTransfer<V>[], options: LeadershipOptions = {}): LeadershipResult<V> {
  const o = resolve(options);
  const decision = decideLeader(venues, pairs, o);
  const corroborated = decision.leader && transfer.length ? corroborates(decision.leader, venues, transfer) : null;
  return {...decision, transfer, corroborated};
}

/**
 * The HY evidence of the pair (a, b) in a period as {@link leadership} computes it: the
 * moving-block bootstrap of {@link hyLeadBootstrap} with the pair's seed derived from
 * `options.seed`. `x` and `y` from {@link periodTicks} of the period. Exported so that a caller
 * can spread the pairs of one period over several tasks (the live page) and reach the same
 * result.
 */
export function leadershipPair<V extends string>(a: V, b: V, x: TickSeries, y: TickSeries, durationMs: number, options: LeadershipOptions = {}): PairLead<V> {
  return hyLeadBootstrap(a, b, x, y, durationMs, {...options, seed: deriveSeed(options.seed ?? 0, `pair ${a} ${b}`)});
}

/**
 * The leader rule on the pairs' evidence, the one decision of the chapters, the calibration and
 * the live page: {@link nameLeader} (intersection–union at α/m), except that a venue with fewer
 * than `minTrades` trades in the period (default 50; counted from the pairs) means no leader,
 * with that as the reason.
 */
export function decideLeader<V extends string>(
  venues: readonly V[],
  pairs: PairLead<V>[],
  {alpha = 0.05, statistic = "lead", minTrades = 50}: {alpha?: number; statistic?: "asymmetry" | "lead"; minTrades?: number} = {}
): LeaderDecision<V> {
  const counts = new Map<V, number>();
  for (const q of pairs) counts.set(q.a, q.trades[0]).set(q.b, q.trades[1]);
  const few = venues.filter((v) => (counts.get(v) ?? 0) < minTrades);
  const named = nameLeader(venues, pairs, {alpha, statistic});
  if (!few.length) return named;
  return {...named, leader: null, reason: `too few trades in the period at ${few.join(", ")} (fewer than ${minTrades})`};
}

/** The decision of {@link nameLeader}. */
export interface LeaderDecision<V extends string = string> {
  leader: V | null;
  p: number;
  candidate: V | null;
  reason: string | null;
  weakest: PairLead<V> | null;
  pairs: PairLead<V>[];
  venues: number;
  level: number;
  statistic: "asymmetry" | "lead";
}

/**
 * The intersection–union leader rule on the pairs' HY evidence (module comment): L is named when
 * max_{V ≠ L} p(L → V) ≤ α/m, p of `statistic` ("lead" by default, or "asymmetry"). Otherwise no
 * leader, with the best candidate, its weakest follower and that pair's lead interval as the reason.
 */
export function nameLeader<V extends string>(
  venues: readonly V[],
  pairs: PairLead<V>[],
  {alpha = 0.05, statistic = "lead"}: {alpha?: number; statistic?: "asymmetry" | "lead"} = {}
): LeaderDecision<V> {
  const m = venues.length;
  const level = alpha / m;
  const pOf = (L: V, V: V): {p: number; pair: PairLead<V>} => {
    const pair = pairs.find((q) => (q.a === L && q.b === V) || (q.a === V && q.b === L));
    if (!pair) throw new RangeError(`invalid pairs: no pair ${L}–${V}`);
    const [pab, pba] = statistic === "lead" ? pair.pLead : pair.pAsymmetry;
    return {p: pair.a === L ? pab : pba, pair};
  };
  let best: {venue: V; p: number; weakest: PairLead<V>} | null = null;
  for (const L of venues) {
    let worst = -Infinity;
    let weakest: PairLead<V> | null = null;
    for (const V of venues) {
      if (V === L) continue;
      const {p, pair} = pOf(L, V);
      if (p > worst) (worst = p), (weakest = pair);
    }
    if (weakest && (!best || worst < best.p)) best = {venue: L, p: worst, weakest};
  }
  const leader = best !== null && best.p <= level ? best.venue : null;
  let reason: string | null = null;
  if (!leader && best) {
    const w = best.weakest;
    const follower = w.a === best.venue ? w.b : w.a;
    const sign = w.a === best.venue ? 1 : -1;
    const lo = Math.round(sign > 0 ? w.interval[0] : -w.interval[1]);
    const hi = Math.round(sign > 0 ? w.interval[1] : -w.interval[0]);
    reason = `${best.venue} does not lead ${follower} beyond chance: lead ${sign * w.lead} ms, interval [${lo}, ${hi}] ms, p = ${Math.min(1, m * best.p).toPrecision(2)} > α = ${Number(alpha.toPrecision(3))}`;
  }
  return {leader, p: best ? Math.min(1, m * best.p) : 1, candidate: best?.venue ?? null, reason, weakest: best?.weakest ?? null, pairs, venues: m, level, statistic};
}

/** Whether the TE channel agrees with `leader`: D(leader → V) > 0 for every other venue. */
export function corroborates<V extends string>(leader: V, venues: readonly V[], transfer: PairTransfer<V>[]): boolean {
  return venues.every((V) => {
    if (V === leader) return true;
    const t = transfer.find((q) => (q.a === leader && q.b === V) || (q.a === V && q.b === leader));
    if (!t) return false;
    return t.a === leader ? t.d > 0 : t.d < 0;
  });
}
