/**
 * False discovery rate control for many simultaneous tests (a TE matrix over venue pairs, a TE
 * per rolling window …).
 *
 * Reference: Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a practical
 * and powerful approach to multiple testing", JRSS B 57 (1995) 289–300; adjusted p-values as in
 * R's p.adjust(method = "BH") (Wright 1992, "Adjusted p-values for simultaneous inference",
 * Biometrics 48, 1005–1013).
 */

export interface BenjaminiHochbergOptions {
  /** Target false discovery rate in (0, 1). Default 0.05. */
  alpha?: number;
}

export interface BenjaminiHochbergResult {
  /** BH-adjusted p-values (q-values), min_{j ≥ i} min(1, m p₍j₎ / j) in the input order; NaN stays NaN. */
  adjusted: Float64Array;
  /** 1 for a rejected null hypothesis (a discovery), 0 otherwise (and for NaN). */
  rejected: Uint8Array;
  /** The largest p-value rejected, p₍r₎ (0 when nothing is rejected). */
  threshold: number;
  /** Number of tests m (non-NaN p-values). */
  tests: number;
  /** Number of rejections r. */
  discoveries: number;
}

/**
 * The Benjamini–Hochberg step-up procedure: with the m non-NaN p-values sorted ascending
 * p₍1₎ ≤ … ≤ p₍m₎, reject the r smallest where r = max{ i : p₍i₎ ≤ α i / m }. Controls the false
 * discovery rate at α for independent or positively dependent tests. Equivalently, reject when
 * the adjusted p-value q ≤ α. NaN p-values (e.g. the diagonal of a TE matrix) are ignored and do
 * not count towards m. Throws a RangeError for a p-value outside [0, 1] or α outside (0, 1).
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, options: BenjaminiHochbergOptions = {}): BenjaminiHochbergResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha}`);
  const n = pValues.length;
  let m = 0;
  for (let i = 0; i < n; ++i) {
    const p = pValues[i];
    if (p !== p) continue;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p-value: ${p} (index ${i})`);
    ++m;
  }
  const index = new Int32Array(m);
  for (let i = 0, j = 0; i < n; ++i) if (pValues[i] === pValues[i]) index[j++] = i;
  index.sort((a, b) => pValues[a] - pValues[b] || a - b);
  const adjusted = new Float64Array(n).fill(NaN);
  const rejected = new Uint8Array(n);
  let running = 1;
  let r = 0;
  for (let j = m - 1; j >= 0; --j) {
    const p = pValues[index[j]];
    const q = Math.min(1, Math.max(p, (p * m) / (j + 1))); // ≥ p also after rounding
    if (q < running) running = q;
    adjusted[index[j]] = running;
    if (r === 0 && p <= (alpha * (j + 1)) / m) r = j + 1;
  }
  for (let j = 0; j < r; ++j) rejected[index[j]] = 1;
  return {adjusted, rejected, threshold: r > 0 ? pValues[index[r - 1]] : 0, tests: m, discoveries: r};
}

/**
 * Holm's step-down adjusted p-values, which control the family-wise error rate (the chance of any
 * false claim among the m tests) under any dependence: with the m non-NaN p-values sorted
 * ascending, p̃₍i₎ = max_{j ≤ i} min(1, (m − j + 1) p₍j₎), returned in the input order; NaN stays
 * NaN and does not count towards m (S. Holm, Scand. J. Statist. 6 (1979) 65; R's
 * p.adjust(method = "holm")). Throws a RangeError for a p-value outside [0, 1].
 */
export function holmAdjust(pValues: ArrayLike<number>): Float64Array {
  const n = pValues.length;
  const out = new Float64Array(n).fill(NaN);
  const idx: number[] = [];
  for (let i = 0; i < n; ++i) {
    const p = +pValues[i];
    if (Number.isNaN(p)) continue;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p-value: ${p}`);
    idx.push(i);
  }
  idx.sort((a, b) => +pValues[a] - +pValues[b]);
  const m = idx.length;
  let running = 0;
  for (let j = 0; j < m; ++j) {
    running = Math.max(running, Math.min(1, (m - j) * +pValues[idx[j]]));
    out[idx[j]] = running;
  }
  return out;
}
