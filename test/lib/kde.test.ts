import test from "node:test";
import assert from "node:assert/strict";
import {bandwidth, kde, kdeDirect, rollingKde} from "../../lib/kde.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

/** Direct O(n·G) Gaussian KDE, written out independently of lib/kde.ts. */
function directKde(x: ArrayLike<number>, grid: ArrayLike<number>, h: number, w?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.length);
  let W = 0;
  for (let i = 0; i < x.length; ++i) W += w ? w[i] : 1;
  for (let g = 0; g < grid.length; ++g) {
    let s = 0;
    for (let i = 0; i < x.length; ++i) s += (w ? w[i] : 1) * Math.exp(-(((grid[g] - x[i]) / h) ** 2) / 2);
    out[g] = s / (W * h * Math.sqrt(2 * Math.PI));
  }
  return out;
}

/** Type-7 quantile of an unsorted sample (linear interpolation between order statistics). */
function quantile7(x: number[], p: number): number {
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < s.length ? s[i] + (h - i) * (s[i + 1] - s[i]) : s[i];
}

function sd(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

function mixture(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({length: n}, () => (random() < 0.3 ? 5 + 0.5 * randomNormal(random) : randomNormal(random)));
}

test("bandwidth(x) is Silverman's 0.9·min(σ, IQR/1.34)·n^(−1/5) and Scott's (4/3)^(1/5)·σ·n^(−1/5)", () => {
  const x = Array.from({length: 10}, (_, i) => i + 1);
  // σ = √(55/6) = 3.0277 < IQR/1.34 = 4.5/1.34; 10^(−1/5) = 0.63096: R's bw.nrd0(1:10) = 1.719 and bw.nrd(1:10) = 2.021 (1.06 σ n^(−1/5)).
  assert.ok(Math.abs(bandwidth(x) - 0.9 * Math.sqrt(55 / 6) * Math.pow(10, -0.2)) < 1e-12);
  assert.ok(Math.abs(bandwidth(x) - 1.719) < 1e-3);
  assert.ok(Math.abs(bandwidth(x, "scott") - Math.pow(4 / 3, 0.2) * Math.sqrt(55 / 6) * Math.pow(10, -0.2)) < 1e-12);
  assert.ok(Math.abs(bandwidth(x, "scott") - 2.021) < 5e-3);
  // Outliers: the IQR branch wins.
  const random = mulberry32(3);
  const y = Array.from({length: 500}, () => (random() < 0.05 ? 30 : 0) + randomNormal(random));
  const expected = 0.9 * Math.min(sd(y), (quantile7(y, 0.75) - quantile7(y, 0.25)) / 1.34) * Math.pow(500, -0.2);
  assert.ok(Math.abs(bandwidth(y) - expected) < 1e-12);
  assert.ok((quantile7(y, 0.75) - quantile7(y, 0.25)) / 1.34 < sd(y));
  // The quartiles by selection agree with sorting, ties and small samples included.
  const r2 = mulberry32(5);
  for (let n = 2; n < 60; ++n) {
    const z = Array.from({length: n}, () => (n % 2 ? Math.floor(4 * r2()) : randomNormal(r2)));
    const q = (quantile7(z, 0.75) - quantile7(z, 0.25)) / 1.34;
    const spread = q > 0 ? Math.min(sd(z), q) : sd(z);
    assert.ok(Math.abs(bandwidth(z) - 0.9 * spread * Math.pow(n, -0.2)) < 1e-12, `n = ${n}`);
  }
  // Equal weights change nothing; NaN samples are skipped; constant → 0; one sample → NaN.
  assert.ok(Math.abs(bandwidth(y, "silverman", new Float64Array(500).fill(2.5)) - expected) < 1e-12);
  assert.equal(bandwidth([NaN, ...x]), bandwidth(x));
  assert.equal(bandwidth([2, 2, 2]), 0);
  assert.ok(Number.isNaN(bandwidth([2])));
  assert.throws(() => bandwidth(x, "nrd" as never), /invalid bandwidth rule: nrd/);
});

test("bandwidth(x, rule, weights) uses weighted moments, weighted quantiles and Kish's effective n", () => {
  // Weights 1, 2, 1 on 0, 1, 2: mean 1, weighted variance 0.5·nEff/(nEff − 1) with nEff = 16/6.
  const nEff = 16 / 6;
  const s = Math.sqrt(0.5 * (nEff / (nEff - 1)));
  assert.ok(Math.abs(bandwidth([0, 1, 2], "scott", [1, 2, 1]) - Math.pow(4 / 3, 0.2) * s * Math.pow(nEff, -0.2)) < 1e-12);
  // Weights 1, 3, 1, 1 on 0, 1, 2, 3: the samples sit at cumulative positions 0, 0.2, 0.8, 1, so
  // Q(0.25) = 1 + 1/12 and Q(0.75) = 1 + 11/12; IQR/1.34 = 0.622 < σ = √(4/3); nEff = 36/12 = 3.
  const iqr = 10 / 12;
  assert.ok(Math.abs(bandwidth([0, 1, 2, 3], "silverman", [1, 3, 1, 1]) - 0.9 * (iqr / 1.34) * Math.pow(3, -0.2)) < 1e-12);
  assert.ok(Math.abs(bandwidth([0, 1, 2, 3], "scott", [1, 3, 1, 1]) - Math.pow(4 / 3, 0.2) * Math.sqrt(4 / 3) * Math.pow(3, -0.2)) < 1e-12);
  assert.throws(() => bandwidth([0, 1], "scott", [1, -1]), /invalid weight: -1/);
});

test("kde(x) integrates to 1 and matches the direct O(n·G) KDE", () => {
  const x = mixture(3000, 1);
  const k = kde(x);
  assert.equal(k.x.length, 512);
  assert.equal(k.n, 3000);
  let integral = 0;
  for (let g = 1; g < k.x.length; ++g) integral += ((k.density[g] + k.density[g - 1]) / 2) * (k.x[g] - k.x[g - 1]);
  assert.ok(Math.abs(integral - 1) < 2e-3, `${integral}`);
  const direct = directKde(x, k.x, k.bandwidth);
  let peak = 0;
  let err = 0;
  for (let g = 0; g < direct.length; ++g) (peak = Math.max(peak, direct[g])), (err = Math.max(err, Math.abs(k.density[g] - direct[g])));
  // Linear binning error is O(Δ²/h²): here Δ/h ≈ 0.06, so well under 1 % of the peak.
  assert.ok(err < 2e-3 * peak, `${err / peak}`);
  // lib's own direct sum agrees with the independent one to rounding.
  const libDirect = kdeDirect(x, k.x, k.bandwidth);
  for (let g = 0; g < direct.length; ++g) assert.ok(Math.abs(libDirect[g] - direct[g]) < 1e-14);
});

test("kde(x, {weights}) with integer weights equals repeating the samples", () => {
  const x = [0.1, 0.7, 2.2, 2.4];
  const w = [3, 1, 2, 5];
  const repeated = x.flatMap((v, i) => Array(w[i]).fill(v));
  const a = kde(x, {weights: w, bandwidth: 0.3, extent: [-2, 4], size: 200});
  const b = kde(repeated, {bandwidth: 0.3, extent: [-2, 4], size: 200});
  assert.equal(a.weight, 11);
  for (let g = 0; g < 200; ++g) assert.ok(Math.abs(a.density[g] - b.density[g]) < 1e-14);
  const direct = directKde(x, a.x, 0.3, w);
  const peak = Math.max(...direct);
  for (let g = 0; g < 200; ++g) assert.ok(Math.abs(a.density[g] - direct[g]) < 0.01 * peak);
});

test("kde(x, {bandwidth, extent}) of a sample on a grid point is the Gaussian itself", () => {
  // Binning is exact at grid points, so the result is φ sampled on the grid.
  const k = kde([0], {bandwidth: 1, extent: [-5, 5], size: 101});
  for (let g = 0; g < 101; ++g) {
    const u = k.x[g];
    const phi = u * u > 25 + 1e-9 ? 0 : Math.exp(-u * u / 2) / Math.sqrt(2 * Math.PI);
    assert.ok(Math.abs(k.density[g] - phi) < 1e-15, `${g}`);
  }
  // Samples outside the extent are dropped but keep their weight in the normaliser.
  const half = kde([0, 100], {bandwidth: 1, extent: [-5, 5], size: 101});
  assert.ok(Math.abs(half.density[50] - 0.5 / Math.sqrt(2 * Math.PI)) < 1e-15);
});

test("kde(x, options) rejects bad arguments with the offending value", () => {
  assert.throws(() => kde([1, 2, 3], {bandwidth: 0}), /invalid bandwidth: 0/);
  assert.throws(() => kde([2, 2, 2]), /invalid bandwidth: 0/);
  assert.equal(kde([2, 2, 2], {minBandwidth: 0.5}).bandwidth, 0.5);
  assert.throws(() => kde([1, 2, 3], {size: 1}), /invalid size: 1/);
  assert.throws(() => kde([1, 2, 3], {extent: [3, 1]}), /invalid extent: \[3, 1\]/);
  assert.throws(() => kde([NaN]), /invalid x: no finite samples/);
  assert.throws(() => kde([1, 2], {weights: [1]}), /invalid weights length: 1/);
});

test("rollingKde(x, {window, step}) gives each window's kde on one common grid", () => {
  const x = mixture(1000, 2);
  const r = rollingKde(x, {window: 400, step: 300, size: 128});
  assert.deepEqual(Array.from(r.end), [399, 699, 999]);
  for (let j = 0; j < 3; ++j) {
    const w = x.subarray(r.end[j] - 399, r.end[j] + 1);
    assert.equal(r.bandwidth[j], bandwidth(w));
    const k = kde(w, {extent: [r.x[0], r.x[127]], size: 128});
    for (let g = 0; g < 128; ++g) assert.ok(Math.abs(r.density[j * 128 + g] - k.density[g]) < 1e-14);
  }
  // The default grid covers every sample with room for the widest kernel.
  assert.ok(r.x[0] < Math.min(...x) && r.x[127] > Math.max(...x));
  // A constant window is degenerate: a NaN row.
  const flat = Float64Array.from({length: 20}, (_, i) => (i < 10 ? 1 : i));
  const rf = rollingKde(flat, {window: 10, step: 10, size: 16});
  assert.ok(Number.isNaN(rf.bandwidth[0]) && rf.density.subarray(0, 16).every(Number.isNaN));
  assert.ok(rf.bandwidth[1] > 0);
});
