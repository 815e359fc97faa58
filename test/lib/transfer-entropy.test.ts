import test from "node:test";
import assert from "node:assert/strict";
import {
  circularShiftTransferEntropy,
  effectiveTransferEntropy,
  localTransferEntropy,
  netTransferEntropy,
  transferEntropy,
  transferEntropyFromCounts,
  transferEntropyMatrix,
  transferEntropyStates,
  transferEntropyTest
} from "../../lib/transfer-entropy.js";
import {mutualInformation} from "../../lib/mutual-information.js";
import {activeInformationStorage} from "../../lib/entropy-rate.js";
import {entropy} from "../../lib/entropy.js";
import {mulberry32, shuffle} from "../../lib/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

/** i.i.d. uniform symbols over b letters. */
function iid(n: number, b: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({length: n}, () => Math.floor(random() * b));
}

/** Noisy delayed copy: y[t] = x[t − delay] with probability p, else a uniform symbol. */
function noisyCopy(x: Uint8Array, b: number, p: number, seed: number, delay = 1): Uint8Array {
  const random = mulberry32(seed);
  const y = new Uint8Array(x.length);
  for (let t = 0; t < x.length; ++t) y[t] = t >= delay && random() < p ? x[t - delay] : Math.floor(random() * b);
  return y;
}

/** Binary Markov chain keeping its symbol with probability `stay`. */
function markov(n: number, stay: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const x = new Uint8Array(n);
  for (let t = 1; t < n; ++t) x[t] = random() < stay ? x[t - 1] : 1 - x[t - 1];
  return x;
}

/** Closed form of the noisy copy: log2 b + q log2 q + (b − 1) r log2 r. */
function noisyCopyTE(b: number, p: number): number {
  const q = p + (1 - p) / b;
  const r = (1 - p) / b;
  return Math.log2(b) + q * Math.log2(q) + (b - 1) * r * Math.log2(r);
}

/**
 * Direct plug-in TE from string-keyed tuples, Σ p(n, yp, xp) log2 [p(n | yp, xp) / p(n | yp)], with the
 * JIDT conventions spelled out index by index (independent of the integer encoding).
 */
function referenceTE(x: ArrayLike<number>, y: ArrayLike<number>, k: number, l: number, u: number): number {
  const start = Math.max(k, u + l - 1);
  const c = {joint: new Map<string, number>(), ypx: new Map<string, number>(), ny: new Map<string, number>(), yp: new Map<string, number>()};
  const inc = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const rows: [string, string, string][] = [];
  for (let t = start; t < y.length; ++t) {
    const yp = Array.from({length: k}, (_, i) => y[t - k + i]).join(",");
    const xp = Array.from({length: l}, (_, i) => x[t - u - l + 1 + i]).join(",");
    const next = String(y[t]);
    rows.push([next, yp, xp]);
    inc(c.joint, `${next}|${yp}|${xp}`);
    inc(c.ypx, `${yp}|${xp}`);
    inc(c.ny, `${next}|${yp}`);
    inc(c.yp, yp);
  }
  let te = 0;
  for (const [next, yp, xp] of rows) {
    const pCond = c.joint.get(`${next}|${yp}|${xp}`)! / c.ypx.get(`${yp}|${xp}`)!;
    const pSelf = c.ny.get(`${next}|${yp}`)! / c.yp.get(yp)!;
    te += Math.log2(pCond / pSelf);
  }
  return te / rows.length;
}

// The public hand-computable case: y[t] = x[t − 1].
const X9 = [0, 0, 1, 1, 0, 1, 0, 1, 1];
const Y9 = [0, 0, 0, 1, 1, 0, 1, 0, 1];

test("transferEntropy(ys, xs, {k: 1}) reproduces PyInform's documented 0.8112781244591329 bits", () => {
  const xs = [0, 0, 1, 1, 1, 1, 0, 0, 0];
  const ys = [0, 1, 1, 1, 1, 0, 0, 0, 1];
  close(transferEntropy(ys, xs, {k: 1}), 0.8112781244591329, 1e-15);
});

test("transferEntropy(x, y) of the hand-computable case gives the published values both ways", () => {
  close(transferEntropy(X9, Y9), 0.9512050593046, 1e-12, "TE(x→y)");
  close(transferEntropy(Y9, X9), 0.31127812445913, 1e-12, "TE(y→x)");
  close(entropy(Y9), 0.99107605983822, 1e-12, "H(y)");
  close(activeInformationStorage(Y9, {k: 1}), 0.0487949406954, 1e-12, "AIS(y)");
  close(mutualInformation(X9, Y9), 0.00721461847452, 1e-12, "MI(x_t; y_t)");
  // Over the same 8 samples, H(y_t) = AIS + H(y_t | y_{t−1}) = AIS + TE + H(y_t | y_{t−1}, x_{t−1}) and y_t
  // is a function of x_{t−1}: TE(x→y) = H(y_1..8) − AIS.
  close(transferEntropy(X9, Y9), entropy(Y9.slice(1)) - activeInformationStorage(Y9, {k: 1}), 1e-14, "chain rule");
});

test("transferEntropy(x, y) of a delayed copy tends to 1 bit, the reverse to 0", () => {
  const x = iid(100000, 2, 1);
  const y = new Uint8Array(x.length);
  for (let t = 1; t < x.length; ++t) y[t] = x[t - 1];
  close(transferEntropy(x, y), 1, 1e-3, "TE(x→y)");
  assert.ok(transferEntropy(y, x) < 1e-3, `TE(y→x) = ${transferEntropy(y, x)}`);
});

test("transferEntropy(x, y) of a binary noisy copy (p = 0.5) is 0.18872187554086717 bits for any k", () => {
  close(noisyCopyTE(2, 0.5), 0.18872187554086717, 1e-15, "closed form");
  const x = iid(1_000_000, 2, 2);
  const y = noisyCopy(x, 2, 0.5, 3);
  // Standard error ≈ 7e-4 bits at N = 10^6: tolerance 3e-3 is over four standard errors.
  for (const k of [1, 2, 3]) close(transferEntropy(x, y, {k}), 0.18872187554086717, 3e-3, `k=${k}`);
});

test("transferEntropy(x, y) of a ternary noisy copy (p = 0.5) is 1/3 bit", () => {
  close(noisyCopyTE(3, 0.5), 1 / 3, 1e-15, "closed form");
  const x = iid(1_000_000, 3, 4);
  const y = noisyCopy(x, 3, 0.5, 5);
  for (const k of [1, 2]) close(transferEntropy(x, y, {k, base: 3}), 1 / 3, 4e-3, `k=${k}`);
});

test("transferEntropy(x, y, {k, l, delay}) equals a direct tuple count for every history and delay", () => {
  const x = iid(600, 3, 6);
  const y = noisyCopy(x, 3, 0.6, 7, 2);
  for (const [k, l, u] of [
    [1, 1, 1],
    [2, 1, 1],
    [1, 2, 1],
    [2, 2, 2],
    [3, 1, 0],
    [0, 1, 1],
    [1, 3, 4]
  ]) {
    close(transferEntropy(x, y, {k, l, delay: u}), referenceTE(x, y, k, l, u), 1e-12, `k=${k} l=${l} u=${u}`);
    close(transferEntropy(Array.from(y), Array.from(x), {k, l, delay: u}), referenceTE(y, x, k, l, u), 1e-12, `reverse k=${k} l=${l} u=${u}`);
  }
});

test("transferEntropy(x, y, {delay}) finds a copy at its true delay only", () => {
  const x = iid(50000, 2, 8);
  const y = noisyCopy(x, 2, 0.8, 9, 3);
  close(transferEntropy(x, y, {delay: 3}), noisyCopyTE(2, 0.8), 0.02, "delay 3");
  assert.ok(transferEntropy(x, y, {delay: 1}) < 1e-3);
});

test("transferEntropy(x, y, {l: 2}) sees an XOR of two source lags that l = 1 misses", () => {
  const x = iid(50000, 2, 10);
  const y = new Uint8Array(x.length);
  for (let t = 2; t < x.length; ++t) y[t] = x[t - 1] ^ x[t - 2];
  assert.ok(transferEntropy(x, y, {l: 1}) < 1e-3, "l = 1");
  close(transferEntropy(x, y, {l: 2}), 1, 1e-3, "l = 2");
});

test("transferEntropy(x, y, {k: 0}) is the lagged mutual information I(X_{t−u}; Y_t)", () => {
  const x = iid(2000, 3, 11);
  const y = noisyCopy(x, 3, 0.3, 12, 2);
  close(transferEntropy(x, y, {k: 0, delay: 2}), mutualInformation(x, y, {lag: 2}), 1e-13);
});

test("transferEntropy(x, y) is the same for every array type, with or without a base", () => {
  const x = iid(5000, 3, 13);
  const y = noisyCopy(x, 3, 0.4, 14);
  const te = transferEntropy(x, y);
  for (const T of [Int8Array, Int32Array, Float64Array, Array]) {
    const a = (T === Array ? Array.from(x) : (T as typeof Int8Array).from(x)) as ArrayLike<number>;
    const b = (T === Array ? Array.from(y) : (T as typeof Int8Array).from(y)) as ArrayLike<number>;
    assert.equal(transferEntropy(a, b), te, T.name);
    assert.equal(transferEntropy(a, b, {base: 5}), te, `${T.name} base 5`);
  }
  assert.equal(transferEntropy(x, y, {base: 3, k: 2}), transferEntropy(x, y, {k: 2}));
});

test("transferEntropy(x, y) is NaN without a complete history and rejects bad input", () => {
  assert.ok(Number.isNaN(transferEntropy([0], [1])));
  assert.ok(Number.isNaN(transferEntropy([0, 1], [1, 0], {k: 2})));
  assert.throws(() => transferEntropy([0, 1], [0]), /invalid source: length 2 differs from target length 1/);
  assert.throws(() => transferEntropy(Uint8Array.of(0, 1, 3, 1), Uint8Array.of(0, 1, 2, 1), {base: 3}), /invalid symbol: 3 \(index 2\)/);
  assert.throws(() => transferEntropy(Int8Array.of(0, 1, 0, 1), Int8Array.of(0, -1, 0, 1), {base: 2}), /invalid symbol: -1 \(index 1\)/);
  assert.throws(() => transferEntropy([0, 1, 0.5], [0, 1, 0], {base: 2}), /invalid symbol: 0.5 \(index 2\)/);
  // 32-bit arrays with a base are checked inside the counting loops (k = 1 unrolled, general).
  const a = Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1, 0);
  const bad = Int32Array.of(0, 1, 0, 1, 0, 1, 5, 1, 0);
  for (const k of [1, 2]) {
    assert.throws(() => transferEntropy(a, bad, {base: 3, k}), /invalid symbol: 5 \(index 6\)/);
    assert.throws(() => transferEntropy(bad, a, {base: 3, k}), /invalid symbol: 5 \(index 6\)/);
    assert.throws(() => transferEntropy(a, Int32Array.of(0, -2, 0, 1, 0, 1, 0, 1, 0), {base: 3, k}), /invalid symbol: -2 \(index 1\)/);
  }
  assert.throws(() => transferEntropy([0, -1], [0, 1]), /invalid symbol: -1 \(index 1\)/);
  assert.throws(() => transferEntropy([0, 1], [0, 1], {k: -1}), /invalid k: -1/);
  assert.throws(() => transferEntropy([0, 1], [0, 1], {l: 0}), /invalid l: 0/);
  assert.throws(() => transferEntropy([0, 1], [0, 1], {delay: 1.5}), /invalid delay: 1.5/);
  assert.throws(() => transferEntropy([0, 1], [0, 1], {base: 3, k: 14}), /invalid k: 14/);
});

test("transferEntropyStates(x, y) encodes target past·b + next and source past as base-b numbers", () => {
  const x = [2, 0, 1, 2, 1];
  const y = [1, 2, 0, 0, 2];
  const s = transferEntropyStates(x, y, {k: 2, l: 2, delay: 1});
  assert.equal(s.start, 2);
  assert.equal(s.rows, 27);
  assert.equal(s.cols, 9);
  // t = 2: past (1, 2), next 0 → (1·3 + 2)·3 + 0 = 15; source (x0, x1) = (2, 0) → 6.
  // t = 3: past (2, 0), next 0 → 18; source (0, 1) → 1. t = 4: past (0, 0), next 2 → 2; source (1, 2) → 5.
  assert.deepEqual(Array.from(s.row), [15, 18, 2]);
  assert.deepEqual(Array.from(s.col), [6, 1, 5]);
});

test("transferEntropyFromCounts(table, shape) reads the table layout row·cols + column", () => {
  // Binary, k = l = 1: perfect copy y_t = x_{t−1} with uniform pasts → 1 bit.
  const table = new Int32Array(8);
  for (const [past, x] of [[0, 0], [0, 1], [1, 0], [1, 1]]) table[(past * 2 + x) * 2 + x] = 5;
  close(transferEntropyFromCounts(table, {base: 2, rows: 4, cols: 2}), 1, 1e-14);
  assert.ok(Number.isNaN(transferEntropyFromCounts(new Int32Array(8), {base: 2, rows: 4, cols: 2})));
});

test("localTransferEntropy(x, y) averages to transferEntropy and matches the pointwise formula", () => {
  const x = iid(3000, 3, 15);
  const y = noisyCopy(x, 3, 0.5, 16);
  for (const o of [{}, {k: 2, l: 2, delay: 2}]) {
    const local = localTransferEntropy(x, y, o);
    const start = transferEntropyStates(x, y, o).start;
    for (let t = 0; t < start; ++t) assert.ok(Number.isNaN(local[t]));
    let sum = 0;
    for (let t = start; t < local.length; ++t) sum += local[t];
    close(sum / (local.length - start), transferEntropy(x, y, o), 1e-12, JSON.stringify(o));
  }
  // Hand case: at t = 1 (y_1 = 0, y_0 = 0, x_0 = 0): p(0 | 0, 0) = 1, p(0 | y_{t−1} = 0) = 2/5.
  close(localTransferEntropy(X9, Y9)[1], Math.log2(5 / 2), 1e-15);
});

test("netTransferEntropy(x, y) is TE(x→y) − TE(y→x), antisymmetric, ≈ +1 bit for a delayed copy", () => {
  const x = iid(20000, 2, 17);
  const y = new Uint8Array(x.length);
  for (let t = 1; t < x.length; ++t) y[t] = x[t - 1];
  const net = netTransferEntropy(x, y);
  close(net, transferEntropy(x, y) - transferEntropy(y, x), 1e-15);
  assert.equal(netTransferEntropy(y, x), -net);
  close(net, 1, 0.01);
});

test("transferEntropyTest(x, y) is deterministic given the seed and reports consistent statistics", () => {
  const x = iid(2000, 3, 18);
  const y = noisyCopy(x, 3, 0.1, 19);
  for (const method of ["shuffle", "circular", "block"] as const) {
    const a = transferEntropyTest(x, y, {method, surrogates: 50, seed: 1});
    const b = transferEntropyTest(x, y, {method, surrogates: 50, seed: 1});
    assert.deepEqual(a, b);
    assert.notDeepEqual(Array.from(transferEntropyTest(x, y, {method, surrogates: 50, seed: 2}).surrogates), Array.from(a.surrogates));
    assert.equal(a.te, transferEntropy(x, y));
    assert.equal(a.samples, 1999);
    const mean = a.surrogates.reduce((s, v) => s + v, 0) / 50;
    close(a.mean, mean, 1e-15, method);
    close(a.effective, a.te - mean, 1e-15, method);
    assert.equal(a.pValue, (1 + a.surrogates.filter((v) => v >= a.te).length) / 51);
  }
});

test("transferEntropyTest(x, y) detects a planted coupling with every surrogate method", () => {
  const x = iid(2000, 2, 20);
  const y = noisyCopy(x, 2, 0.3, 21);
  for (const method of ["shuffle", "circular", "block"] as const) {
    const r = transferEntropyTest(x, y, {method, surrogates: 200, seed: 3});
    assert.equal(r.pValue, 1 / 201, method);
    assert.ok(r.effective > 0.03, `${method}: effective ${r.effective}`);
  }
});

test("transferEntropyTest(x, y) p-values are uniform under independence (shuffle, 200 null simulations)", () => {
  // At α = 0.05 the number of rejections among 200 independent nulls is Binomial(200, 0.05):
  // mean 10, P(X ≤ 2) ≈ 0.0023, P(X ≥ 20) ≈ 0.0036.
  const p: number[] = [];
  for (let i = 0; i < 200; ++i) {
    const x = iid(300, 2, 1000 + i);
    const y = iid(300, 2, 5000 + i);
    p.push(transferEntropyTest(x, y, {surrogates: 199, seed: i}).pValue);
  }
  const rejections = p.filter((v) => v <= 0.05).length;
  assert.ok(rejections >= 3 && rejections <= 19, `${rejections} of 200 rejected at 0.05`);
  // Kolmogorov–Smirnov distance to the uniform (critical value at 0.1%: 1.95/√200 ≈ 0.138).
  p.sort((a, b) => a - b);
  let d = 0;
  for (let i = 0; i < p.length; ++i) d = Math.max(d, Math.abs(p[i] - (i + 1) / p.length), Math.abs(p[i] - i / p.length));
  assert.ok(d < 0.138, `KS distance ${d}`);
});

test("transferEntropyTest(x, y, {method: \"circular\"}) keeps its size for autocorrelated independent series", () => {
  const p: number[] = [];
  for (let i = 0; i < 200; ++i) {
    const x = markov(400, 0.8, 2000 + i);
    const y = markov(400, 0.8, 6000 + i);
    p.push(transferEntropyTest(x, y, {method: "circular", surrogates: 99, seed: i}).pValue);
  }
  const rejections = p.filter((v) => v <= 0.05).length;
  assert.ok(rejections >= 3 && rejections <= 19, `${rejections} of 200 rejected at 0.05`);
});

test("transferEntropyTest(x, y) shuffle surrogates drawn as tables match explicit permutations of the source", () => {
  const x = iid(200, 2, 22);
  const y = noisyCopy(x, 2, 0.2, 23);
  const table = transferEntropyTest(x, y, {surrogates: 3000, seed: 4}).surrogates;
  // Explicit: permute the source states (JIDT's computeSignificance) and recount.
  const st = transferEntropyStates(x, y);
  const random = mulberry32(5);
  const col = Int32Array.from(st.col);
  const explicit = new Float64Array(3000);
  const joint = new Int32Array(st.rows * st.cols);
  for (let s = 0; s < explicit.length; ++s) {
    shuffle(col, random);
    joint.fill(0);
    for (let i = 0; i < col.length; ++i) ++joint[st.row[i] * st.cols + col[i]];
    explicit[s] = transferEntropyFromCounts(joint, st);
  }
  // Two-sample Kolmogorov–Smirnov at the 0.1% level: 1.95·√(2/3000) ≈ 0.0504.
  const a = Array.from(table).sort((u, v) => u - v);
  const b = Array.from(explicit).sort((u, v) => u - v);
  let d = 0;
  for (const v of [...a, ...b]) {
    const fa = upper(a, v) / a.length;
    const fb = upper(b, v) / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  assert.ok(d < 0.0504, `KS distance ${d}`);
  const mean = (v: number[]) => v.reduce((s, w) => s + w, 0) / v.length;
  close(mean(a), mean(b), 0.1 * mean(b), "means");
});

/** Number of sorted values ≤ v. */
function upper(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

test("effectiveTransferEntropy(x, y) removes most of the plug-in bias of short samples", () => {
  // Ternary noisy copy, N = 500: the plug-in overestimates 1/3 bit by about 12/(2N ln 2) ≈ 0.017.
  let plug = 0;
  let effective = 0;
  const reps = 100;
  for (let r = 0; r < reps; ++r) {
    const x = iid(500, 3, 300 + r);
    const y = noisyCopy(x, 3, 0.5, 700 + r);
    const t = transferEntropyTest(x, y, {base: 3, surrogates: 100, seed: r});
    plug += t.te / reps;
    effective += t.effective / reps;
  }
  assert.ok(plug - 1 / 3 > 0.01, `plug-in bias ${plug - 1 / 3}`);
  assert.ok(Math.abs(effective - 1 / 3) < (plug - 1 / 3) / 2, `effective bias ${effective - 1 / 3} vs plug-in ${plug - 1 / 3}`);
  const x = iid(3000, 2, 24);
  const y = iid(3000, 2, 25);
  assert.ok(Math.abs(effectiveTransferEntropy(x, y, {surrogates: 200})) < 2e-3, "independent series");
});

test("transferEntropyTest(x, y) rejects invalid options", () => {
  const x = iid(100, 2, 26);
  assert.throws(() => transferEntropyTest(x, x, {surrogates: 0}), /invalid surrogates: 0/);
  assert.throws(() => transferEntropyTest(x, x, {method: "iaaft" as never}), /invalid method: iaaft/);
  assert.throws(() => transferEntropyTest(x, x, {method: "circular", minShift: 60}), /invalid minShift: 60/);
  assert.throws(() => transferEntropyTest(x, x, {method: "block", blockLength: 0}), /invalid blockLength: 0/);
});

test("transferEntropyMatrix(series) finds the one planted link among three series under FDR control", () => {
  const a = iid(3000, 3, 27);
  const b = noisyCopy(a, 3, 0.4, 28);
  const c = iid(3000, 3, 29);
  // With S = 200 the smallest p-value is 1/201 and the smallest q-value 6/201 ≈ 0.03 (six tests).
  const m = transferEntropyMatrix([a, b, c], {surrogates: 200, seed: 7, alpha: 0.05});
  assert.equal(m.size, 3);
  for (let i = 0; i < 3; ++i) {
    assert.ok(Number.isNaN(m.te[i * 4]) && Number.isNaN(m.pValue[i * 4]) && Number.isNaN(m.qValue[i * 4]));
    for (let j = 0; j < 3; ++j) if (i !== j) assert.equal(m.net[i * 3 + j], -m.net[j * 3 + i]);
  }
  assert.deepEqual(Array.from(m.significant), [0, 1, 0, 0, 0, 0, 0, 0, 0]);
  close(m.te[1], transferEntropy(a, b), 0);
  close(m.te[1], noisyCopyTE(3, 0.4), 0.03, "a → b");
  close(m.qValue[1], 6 / 201, 1e-15, "q = m·p/1");
  assert.equal(m.pValue[1], 1 / 201);
  assert.throws(() => transferEntropyMatrix([a]), /invalid series: 1 series/);
  assert.throws(() => transferEntropyMatrix([a, a.subarray(1)]), /invalid series: lengths 3000 and 2999 differ/);
});

test("circularShiftTransferEntropy(pre, col, shape, d) is the plug-in TE of target state j paired with source state (j + d) mod N", () => {
  const r = mulberry32(41);
  const n = 503;
  const x = Uint8Array.from({length: n}, () => Math.floor(r() * 3));
  const y = Uint8Array.from({length: n}, (_, t) => (t > 0 && r() < 0.6 ? x[t - 1] : Math.floor(r() * 3)));
  for (const o of [{k: 1, l: 1, base: 3}, {k: 2, l: 2, base: 3, delay: 2}]) {
    const st = transferEntropyStates(x, y, o);
    const N = st.row.length;
    const pre = st.row.map((v) => v * st.cols);
    const tables = new Int32Array(4 * st.rows * st.cols);
    const scratch = new Float64Array(st.cols);
    assert.equal(circularShiftTransferEntropy(pre, st.col, st, 0, tables, scratch), transferEntropy(x, y, o), "d = 0 is the observed TE");
    for (const d of [1, 7, Math.floor(N / 2), N - 1]) {
      const joint = new Int32Array(st.rows * st.cols);
      for (let j = 0; j < N; ++j) ++joint[st.row[j] * st.cols + st.col[(j + d) % N]];
      assert.equal(circularShiftTransferEntropy(pre, st.col, st, d, tables, scratch), transferEntropyFromCounts(joint, st), `d = ${d}`);
    }
    assert.throws(() => circularShiftTransferEntropy(pre, st.col, st, N, tables, scratch), /invalid shift/);
  }
});
