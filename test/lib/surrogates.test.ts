import test from "node:test";
import assert from "node:assert/strict";
import {
  blockOrder,
  blockShuffle,
  circularShift,
  hypergeometric,
  INVERSION_MAX_SD,
  logFactorial,
  randomTable,
  signFlipPath,
  surrogatePValue
} from "../../lib/surrogates.js";
import {mulberry32} from "../../lib/random.js";

/** Exact hypergeometric probabilities by products of small binomials (independent of the sampler). */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; ++i) c = (c * (n - k + i)) / i;
  return c;
}
const pmf = (N: number, K: number, n: number, h: number) => (choose(K, h) * choose(N - K, n - h)) / choose(N, n);

/** Pearson's chi-square of observed counts against expected probabilities (cells with p > 0). */
function chiSquare(observed: Map<string | number, number>, expected: Map<string | number, number>, draws: number): {stat: number; df: number} {
  let stat = 0;
  let df = -1;
  for (const [key, p] of expected) {
    if (p <= 0) continue;
    const o = observed.get(key) ?? 0;
    stat += (o - draws * p) ** 2 / (draws * p);
    ++df;
  }
  for (const key of observed.keys()) assert.ok(expected.has(key), `impossible outcome ${key}`);
  return {stat, df};
}

/** Upper 0.1% point of chi-square with df degrees of freedom (Wilson–Hilferty). */
const chiSquareCritical = (df: number) => df * (1 - 2 / (9 * df) + 3.0902 * Math.sqrt(2 / (9 * df))) ** 3;

test("logFactorial(n) matches Σ ln i below and above the table boundary", () => {
  let s = 0;
  for (let i = 1; i <= 5000; ++i) {
    s += Math.log(i);
    if (i === 10 || i === 255 || i === 256 || i === 300 || i === 5000) {
      assert.ok(Math.abs(logFactorial(i) - s) <= 1e-12 * s, `n=${i}: ${logFactorial(i)} vs ${s}`);
    }
  }
  assert.equal(logFactorial(0), 0);
  assert.equal(logFactorial(1), 0);
});

test("hypergeometric(random, N, K, n) follows the exact distribution (chi-square, four regimes)", () => {
  const random = mulberry32(1);
  for (const [N, K, n] of [
    [20, 7, 9],
    [20, 15, 14],
    [50, 3, 40],
    [300, 120, 100]
  ]) {
    const draws = 20000;
    const observed = new Map<number, number>();
    for (let i = 0; i < draws; ++i) {
      const h = hypergeometric(random, N, K, n);
      observed.set(h, (observed.get(h) ?? 0) + 1);
    }
    const expected = new Map<number, number>();
    for (let h = Math.max(0, n + K - N); h <= Math.min(n, K); ++h) expected.set(h, pmf(N, K, n, h));
    const {stat, df} = chiSquare(observed, expected, draws);
    assert.ok(stat < chiSquareCritical(df), `N=${N} K=${K} n=${n}: chi-square ${stat.toFixed(1)} on ${df} df`);
  }
});

/**
 * Exact hypergeometric probabilities of every outcome by the ratio recurrence from the mode,
 * normalised by their sum (no factorials: independent of logFactorial and of the sampler).
 */
function pmfTable(N: number, K: number, n: number): Map<number, number> {
  const lo = Math.max(0, n + K - N);
  const hi = Math.min(n, K);
  const M = N - K;
  const mode = Math.floor(((n + 1) * (K + 1)) / (N + 2));
  const w = new Map<number, number>([[mode, 1]]);
  for (let h = mode, p = 1; h < hi && p > 1e-300; ++h) w.set(h + 1, (p *= ((K - h) * (n - h)) / ((h + 1) * (M - n + h + 1))));
  for (let h = mode, p = 1; h > lo && p > 1e-300; --h) w.set(h - 1, (p *= (h * (M - n + h)) / ((K - h + 1) * (n - h + 1))));
  let total = 0;
  for (const v of w.values()) total += v;
  for (const [h, v] of w) w.set(h, v / total);
  return w;
}

test("hypergeometric(random, N, K, n) follows the exact distribution where it draws by ratio of uniforms (chi-square, σ from 9 to 230)", () => {
  const random = mulberry32(12);
  for (const [N, K, n] of [
    [2000, 700, 900],
    [3000, 2600, 1300],
    [100_000, 30_000, 40_000],
    [12_000_000, 4_000_000, 1_500_000]
  ]) {
    const sd = Math.sqrt(((((n * K) / N) * (N - K)) / N) * ((N - n) / (N - 1)));
    assert.ok(sd > INVERSION_MAX_SD, `σ ${sd} is in the ratio-of-uniforms regime`);
    const draws = 40_000;
    const p = pmfTable(N, K, n);
    // Outcomes grouped into consecutive runs of expected count ≥ 20 (the tails into the end groups).
    const keys = [...p.keys()].sort((x, y) => x - y);
    const groupOf = new Map<number, number>();
    const expected = new Map<number, number>();
    let g = 0;
    let acc = 0;
    for (const h of keys) {
      groupOf.set(h, g);
      acc += p.get(h)!;
      if (acc * draws >= 20) (expected.set(g, acc), ++g, (acc = 0));
    }
    if (acc > 0) expected.set(g - 1, expected.get(g - 1)! + acc), keys.filter((h) => groupOf.get(h) === g).forEach((h) => groupOf.set(h, g - 1));
    const observed = new Map<number, number>();
    const lo = Math.max(0, n + K - N);
    const hi = Math.min(n, K);
    for (let i = 0; i < draws; ++i) {
      const h = hypergeometric(random, N, K, n);
      assert.ok(Number.isInteger(h) && h >= lo && h <= hi, `draw ${h} outside [${lo}, ${hi}]`);
      const k = groupOf.get(h) ?? (h < keys[0] ? 0 : g - 1);
      observed.set(k, (observed.get(k) ?? 0) + 1);
    }
    const {stat, df} = chiSquare(observed, expected, draws);
    assert.ok(df > 10, `${df} df`);
    assert.ok(stat < chiSquareCritical(df), `N=${N} K=${K} n=${n}: chi-square ${stat.toFixed(1)} on ${df} df`);
  }
});

test("hypergeometric(random, N, K, n) has the right mean and variance at N = 10^6", () => {
  const random = mulberry32(2);
  const [N, K, n] = [1_000_000, 300_000, 400_000];
  const draws = 4000;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < draws; ++i) {
    const h = hypergeometric(random, N, K, n);
    sum += h;
    sum2 += h * h;
  }
  const mean = sum / draws;
  const variance = sum2 / draws - mean * mean;
  const mu = (n * K) / N;
  const v = ((n * K * (N - K)) / (N * N)) * ((N - n) / (N - 1));
  assert.ok(Math.abs(mean - mu) < 4 * Math.sqrt(v / draws), `mean ${mean} vs ${mu}`);
  assert.ok(Math.abs(variance / v - 1) < 0.1, `variance ${variance} vs ${v}`);
});

test("hypergeometric(random, N, K, n) handles degenerate cases and rejects invalid arguments", () => {
  const random = mulberry32(3);
  assert.equal(hypergeometric(random, 10, 0, 5), 0);
  assert.equal(hypergeometric(random, 10, 10, 5), 5);
  assert.equal(hypergeometric(random, 10, 4, 10), 4);
  assert.equal(hypergeometric(random, 10, 4, 0), 0);
  assert.equal(hypergeometric(random, 0, 0, 0), 0);
  assert.throws(() => hypergeometric(random, 10, 11, 2), /invalid marked: 11/);
  assert.throws(() => hypergeometric(random, 10, 2, -1), /invalid draws: -1/);
  assert.throws(() => hypergeometric(random, 2.5, 1, 1), /invalid population: 2.5/);
});

test("randomTable(rows, cols, random) has the distribution of a random permutation's table", () => {
  // Rows: labels of series A; columns: labels of series B. Enumerate all 6! pairings exactly.
  const a = [0, 0, 0, 1, 1, 2];
  const b = [0, 0, 1, 1, 2, 2];
  const expected = new Map<string, number>();
  const perm = [0, 1, 2, 3, 4, 5];
  const visit = (k: number) => {
    if (k === perm.length) {
      const t = new Array(9).fill(0);
      for (let i = 0; i < 6; ++i) ++t[a[i] * 3 + b[perm[i]]];
      expected.set(t.join(""), (expected.get(t.join("")) ?? 0) + 1 / 720);
      return;
    }
    for (let i = k; i < perm.length; ++i) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  visit(0);
  const random = mulberry32(4);
  const draws = 30000;
  const observed = new Map<string, number>();
  const out = new Int32Array(9);
  for (let i = 0; i < draws; ++i) {
    const key = randomTable([3, 2, 1], [2, 2, 2], random, out).join("");
    observed.set(key, (observed.get(key) ?? 0) + 1);
  }
  const {stat, df} = chiSquare(observed, expected, draws);
  assert.ok(df >= 10, `${df + 1} distinct tables`);
  assert.ok(stat < chiSquareCritical(df), `chi-square ${stat.toFixed(1)} on ${df} df`);
});

test("randomTable(rows, cols, random) keeps the margins and has mean r_i c_j / N", () => {
  const random = mulberry32(5);
  const rows = [120, 0, 37, 5000, 843];
  const cols = [2000, 1, 3999, 0];
  const N = 6000;
  const mean = new Float64Array(20);
  const draws = 3000;
  for (let d = 0; d < draws; ++d) {
    const t = randomTable(rows, cols, random);
    for (let i = 0; i < 5; ++i) assert.equal(t.subarray(i * 4, i * 4 + 4).reduce((s, v) => s + v, 0), rows[i]);
    for (let j = 0; j < 4; ++j) assert.equal([0, 1, 2, 3, 4].reduce((s, i) => s + t[i * 4 + j], 0), cols[j]);
    for (let c = 0; c < 20; ++c) {
      assert.ok(t[c] >= 0);
      mean[c] += t[c] / draws;
    }
  }
  for (let i = 0; i < 5; ++i) {
    for (let j = 0; j < 4; ++j) {
      const mu = (rows[i] * cols[j]) / N;
      const sd = Math.sqrt(mu * (1 - rows[i] / N) * (1 - cols[j] / N)) + 1e-9;
      assert.ok(Math.abs(mean[i * 4 + j] - mu) < 5 * sd / Math.sqrt(draws) + 1e-12, `cell ${i},${j}: ${mean[i * 4 + j]} vs ${mu}`);
    }
  }
  assert.throws(() => randomTable([1, 2], [4], random), /invalid totals: rows sum to 3, columns to 4/);
  assert.throws(() => randomTable([-1], [-1], random), /invalid row total: -1/);
});

test("circularShift(x, d) rotates the series left by d", () => {
  const x = Int32Array.of(0, 1, 2, 3, 4);
  assert.deepEqual(Array.from(circularShift(x, 2)), [2, 3, 4, 0, 1]);
  assert.deepEqual(Array.from(circularShift(x, -1)), [4, 0, 1, 2, 3]);
  assert.deepEqual(Array.from(circularShift(x, 7)), [2, 3, 4, 0, 1]);
  assert.ok(circularShift(Uint8Array.of(1), 3) instanceof Uint8Array);
  assert.throws(() => circularShift(x, 0.5), /invalid shift: 0.5/);
});

test("blockShuffle(x, L, random) reorders whole blocks and keeps every sample once", () => {
  const x = Int32Array.from({length: 23}, (_, i) => i);
  const y = blockShuffle(x, 5, mulberry32(6));
  assert.deepEqual(Array.from(y).sort((a, b) => a - b), Array.from(x));
  // Within each output run the values are consecutive, and runs start at multiples of 5.
  let runs = 0;
  for (let i = 0; i < y.length; ++i) {
    if (i === 0 || y[i] !== y[i - 1] + 1 || y[i] % 5 === 0) {
      assert.equal(y[i] % 5, 0, `run starts at ${y[i]}`);
      ++runs;
    }
  }
  assert.equal(runs, 5);
  assert.notDeepEqual(Array.from(y), Array.from(x));
  assert.throws(() => blockShuffle(x, 0, mulberry32(1)), /invalid blockLength: 0/);
});

test("blockOrder(n, L, random) is a uniform permutation of the blocks", () => {
  const random = mulberry32(7);
  const first = new Array(4).fill(0);
  for (let i = 0; i < 8000; ++i) {
    const o = blockOrder(10, 3, random);
    assert.deepEqual(Array.from(o).sort(), [0, 1, 2, 3]);
    ++first[o[0]];
  }
  for (const c of first) assert.ok(Math.abs(c - 2000) < 4 * Math.sqrt(8000 * 0.25 * 0.75), `${first}`);
});

test("surrogatePValue(observed, surrogates) is (1 + #{s ≥ observed}) / (1 + S), ties counted", () => {
  assert.equal(surrogatePValue(0.5, [0.1, 0.2, 0.6, 0.5]), 3 / 5);
  assert.equal(surrogatePValue(1, [0.1, 0.2]), 1 / 3);
  assert.equal(surrogatePValue(0.3, [0.3 + 1e-15, 0.1 + 0.2]), 1);
  assert.equal(surrogatePValue(0.5, [NaN, 0.6]), 1);
});

test("signFlipPath(price, random) keeps every increment's size, randomises its sign and carries over NaN", () => {
  const price = [100, 101, 99.5, NaN, 100.5, 100.5, 103];
  const w = signFlipPath(price, mulberry32(3));
  assert.equal(w[0], 100);
  assert.ok(Number.isNaN(w[3]));
  // |Δ| between consecutive finite samples: 1, 1.5, (across the gap) 1, 0, 2.5.
  const finite = [0, 1, 2, 4, 5, 6];
  const sizes = finite.slice(1).map((t, i) => Math.abs(w[t] - w[finite[i]]));
  assert.deepEqual(sizes.map((x) => Math.round(x * 1e9) / 1e9), [1, 1.5, 1, 0, 2.5]);
  // Signs are fair: over a long walk about half the steps go up.
  const long = Float64Array.from({length: 20001}, (_, i) => i);
  const lw = signFlipPath(long, mulberry32(9));
  let up = 0;
  for (let i = 1; i < lw.length; ++i) if (lw[i] > lw[i - 1]) ++up;
  assert.ok(Math.abs(up / 20000 - 0.5) < 0.02, `${up} up steps`);
});
