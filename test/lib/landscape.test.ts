import test from "node:test";
import assert from "node:assert/strict";
import {escapePoints, landscapeWindow, levelCatalogue, nearShare, rollingLandscape} from "../../lib/landscape.js";
import {kde, kdeDirect} from "../../lib/kde.js";
import {doubleWell, langevin} from "../../lib/langevin.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

// A double well U = a(z² − 1)² around 100 with minima at 99 and 101, sampled every 0.1 time units.
const a = 3;
const T = 1;
const well = doubleWell({height: a, centre: 100, width: 1});
const path = langevin(well, {x0: 99, dt: 0.005, steps: 400_000, temperature: T, seed: 7, thin: 20});

test("rollingLandscape(price) of a double-well Langevin path finds both minima and the barrier a/T in nats", () => {
  const L = rollingLandscape(path, {window: path.length, step: path.length});
  assert.equal(L.end.length, 1);
  assert.equal(L.offsets[1], 2, `levels at ${Array.from(L.levels.x)}`);
  const [lo, hi] = L.levels.x;
  assert.ok(Math.abs(lo - 99) < 0.1 && Math.abs(hi - 101) < 0.1, `levels ${lo}, ${hi}`);
  // Both saddles are the barrier top at 100; ΔF/T = ln(P(min)/P(saddle)) = a/T in equilibrium.
  assert.ok(Math.abs(L.levels.rightSaddleX[0] - 100) < 0.15, `saddle ${L.levels.rightSaddleX[0]}`);
  for (const b of L.levels.barrier) assert.ok(Math.abs(b - a / T) < 0.4, `barrier ${b} nats, expected ${a / T}`);
  assert.equal(L.levels.left[0], Infinity);
  assert.equal(L.levels.right[1], Infinity);
  // The two basins hold all the mass, about half each.
  assert.ok(Math.abs(L.levels.mass[0] + L.levels.mass[1] - 1) < 0.02);
  assert.ok(L.levels.mass[0] > 0.35 && L.levels.mass[1] > 0.35);
  // The shape is −ln P shifted to a minimum of 0, and the density is the window's KDE on the grid.
  const row = L.density.subarray(0, L.size);
  const direct = kde(path, {bandwidth: L.bandwidth[0], extent: [L.x[0], L.x[L.size - 1]], size: L.size});
  let err = 0;
  for (let g = 0; g < L.size; ++g) err = Math.max(err, Math.abs(row[g] - direct.density[g]));
  assert.ok(err < 1e-3 * Math.max(...row), `density differs from kde by ${err}`);
  let min = Infinity;
  for (let g = 0; g < L.size; ++g) if (row[g] > 0) assert.ok(Math.abs(L.shape[g] + Math.log(row[g]) - (L.shape[L.levels.index[0]] + Math.log(row[L.levels.index[0]]))) < 1e-9);
  for (let g = 0; g < L.size; ++g) min = Math.min(min, L.shape[g]);
  assert.equal(min, 0);
});

test("escapePoints(price, landscape) gives mean well-to-well times near Kramers' time", () => {
  const L = rollingLandscape(path, {window: path.length, step: path.length});
  // Spacing 2: the core is ±0.5 around a level, the stay ends past the saddle, inside the other core.
  const E = escapePoints(path, L, {halfWidth: 0.5, exitHalfWidth: 1.5, interval: 0.1});
  assert.equal(E.x.length, 2);
  const kramers = well.kramersTime(T);
  for (let i = 0; i < 2; ++i) {
    assert.ok(E.events[i] > 50, `events ${E.events[i]}`);
    const ratio = E.meanTime[i] / kramers;
    assert.ok(ratio > 0.6 && ratio < 1.6, `mean escape time ${E.meanTime[i]} against Kramers' ${kramers}`);
    assert.equal(E.barrier[i], L.levels.barrier[i]);
    assert.equal(E.temperature[i], L.temperature[0]);
  }
  // A hotter path escapes faster.
  const hot = langevin(well, {x0: 99, dt: 0.005, steps: 400_000, temperature: 2, seed: 8, thin: 20});
  const Lh = rollingLandscape(hot, {window: hot.length, step: hot.length});
  const Eh = escapePoints(hot, Lh, {halfWidth: 0.5, exitHalfWidth: 1.5, interval: 0.1});
  assert.ok(Math.max(...Eh.meanTime) < Math.min(...E.meanTime));
  assert.ok(Math.max(...Lh.levels.barrier) < Math.min(...L.levels.barrier));
});

test("escapePoints(price, landscape) counts stays exactly on a path that alternates between two levels", () => {
  // 10 at 0-level 100, 20 at 110, 30 at 100, 40 at 110 …: stays of known length.
  const lengths = [10, 20, 30, 40, 50];
  const price: number[] = [];
  lengths.forEach((m, k) => {
    for (let i = 0; i < m; ++i) price.push(k % 2 ? 110 : 100);
  });
  const L = rollingLandscape(price, {window: price.length, step: price.length, bandwidth: 1, minMass: 0.05});
  assert.deepEqual(Array.from(L.levels.x, Math.round), [100, 110]);
  const E = escapePoints(price, L, {halfWidth: 2, exitHalfWidth: 5});
  // Level 100: the stays of 10 (cut by the start, ended), 30 and 50 (cut by the end: no escape).
  assert.deepEqual(Array.from(E.exposure), [90, 60]);
  assert.deepEqual(Array.from(E.events), [2, 2]);
  assert.deepEqual(Array.from(E.meanTime), [45, 30]);
  // Without levels nothing is measured; thinning keeps non-overlapping windows from the last.
  const R = rollingLandscape(price, {window: 50, step: 25, bandwidth: 1});
  assert.deepEqual(Array.from(R.end), [49, 74, 99, 124, 149]);
  const thin = escapePoints(price, R, {halfWidth: 2, exitHalfWidth: 5});
  assert.deepEqual([...new Set(thin.window)], [0, 2, 4]);
  const all = escapePoints(price, R, {halfWidth: 2, exitHalfWidth: 5, thin: false});
  assert.deepEqual([...new Set(all.window)], [0, 1, 2, 3, 4]);
  assert.throws(() => escapePoints(price.slice(0, 100), R, {halfWidth: 2, exitHalfWidth: 5}), /invalid price length: 100/);
  assert.throws(() => escapePoints(price, R, {halfWidth: 2, exitHalfWidth: 1}), /invalid exitHalfWidth: 1/);
});

test("rollingLandscape(price) measures the temperature as realised volatility per √s", () => {
  const random = mulberry32(3);
  const sigma = 1e-3;
  const n = 20_000;
  const price = new Float64Array(n);
  let lp = Math.log(100);
  for (let i = 0; i < n; ++i) price[i] = Math.exp((lp += sigma * randomNormal(random)));
  const L = rollingLandscape(price, {window: 5000, step: 5000, interval: 2});
  assert.equal(L.temperature.length, 4);
  for (const t of L.temperature) assert.ok(Math.abs(t / (sigma / Math.SQRT2) - 1) < 0.05, `T = ${t}`);
});

test("rollingLandscape(price, {minMass}) drops a minimum made by a few samples in the tail", () => {
  const random = mulberry32(5);
  const price: number[] = [];
  for (let i = 0; i < 2000; ++i) price.push(100 + randomNormal(random));
  for (let i = 0; i < 20; ++i) price.push(108 + 0.3 * randomNormal(random));
  const kept = rollingLandscape(price, {window: price.length, bandwidth: 0.4, minMass: 0});
  assert.equal(kept.levels.x.length, 2, `levels ${Array.from(kept.levels.x)}`);
  assert.ok(kept.levels.mass[1] < 0.02 && kept.levels.prominence[1] > 1);
  const dropped = rollingLandscape(price, {window: price.length, bandwidth: 0.4});
  assert.equal(dropped.levels.x.length, 1);
  assert.ok(Math.abs(dropped.levels.x[0] - 100) < 0.3);
  assert.equal(dropped.levels.barrier[0], Infinity);
  // Rules give each window its own bandwidth unless common.
  const twoWindows = [...price.slice(0, 1000), ...price.slice(0, 1000).map((x) => 100 + 3 * (x - 100))];
  const own = rollingLandscape(twoWindows, {window: 1000, step: 1000, common: false});
  assert.ok(Math.abs(own.bandwidth[1] / own.bandwidth[0] - 3) < 1e-9);
  const common = rollingLandscape(twoWindows, {window: 1000, step: 1000});
  assert.equal(common.bandwidth[0], common.bandwidth[1]);
  assert.ok(Math.abs(common.bandwidth[0] - (own.bandwidth[0] + own.bandwidth[1]) / 2) < 1e-9);
});

test("rollingLandscape(price) gives NaN rows for windows without prices and rejects bad options", () => {
  const price = [NaN, NaN, NaN, NaN, 1, 2, 3, 2];
  const L = rollingLandscape(price, {window: 4, step: 4, bandwidth: 0.5});
  assert.ok(Number.isNaN(L.bandwidth[0]) && Number.isNaN(L.density[0]) && Number.isNaN(L.shape[0]));
  assert.equal(L.offsets[1], 0);
  assert.ok(L.offsets[2] >= 1);
  assert.throws(() => rollingLandscape(price, {window: 0}), /invalid window: 0/);
  assert.throws(() => rollingLandscape(price, {window: 4, bandwidth: -1}), /invalid bandwidth: -1/);
  assert.throws(() => rollingLandscape(price, {window: 4, minMass: 1}), /invalid minMass: 1/);
  assert.throws(() => rollingLandscape(price, {window: 4, minProminence: -1}), /invalid minProminence: -1/);
  assert.throws(() => rollingLandscape(price, {window: 4, resolution: 0}), /invalid resolution: 0/);
  assert.throws(() => rollingLandscape(price, {window: 4, maxSize: 8}), /invalid maxSize: 8/);
  assert.throws(() => rollingLandscape(price, {window: 4, extent: [2, 1]}), /invalid extent: \[2, 1\]/);
});

test("levelCatalogue(positions, {tolerance}) merges positions closer than the tolerance and counts windows", () => {
  const x = [5.02, 1, 1.05, 9, 5, 1.1, 1.08];
  const window = [3, 0, 1, 2, 3, 2, 2];
  const all = levelCatalogue(x, {tolerance: 0.1});
  assert.deepEqual(Array.from(all.x), [1.065, 5.01, 9]);
  assert.deepEqual(Array.from(all.count), [4, 2, 1]);
  const byWindow = levelCatalogue(x, {tolerance: 0.1, window, minCount: 2});
  assert.deepEqual(Array.from(byWindow.x), [1.065]);
  assert.deepEqual(Array.from(byWindow.count), [3]);
  assert.deepEqual([byWindow.first[0], byWindow.last[0]], [0, 2]);
  assert.deepEqual([byWindow.low[0], byWindow.high[0]], [1, 1.1]);
  // A chain of small steps is one level.
  assert.equal(levelCatalogue([0, 0.09, 0.18, 0.27, NaN], {tolerance: 0.1}).x.length, 1);
  assert.throws(() => levelCatalogue(x, {tolerance: 0}), /invalid tolerance: 0/);
  assert.throws(() => levelCatalogue(x, {tolerance: 1, minCount: 0}), /invalid minCount: 0/);
  assert.throws(() => levelCatalogue(x, {tolerance: 1, window: [1]}), /invalid window length: 1/);
});

test("nearShare(price, levels, tolerance) is the share of samples within the tolerance of a level", () => {
  assert.equal(nearShare([0, 1, 2, 3, 4, 5, 6, 7, 8, NaN], [2, 7], 1), 6 / 9);
  assert.equal(nearShare([0, 1, 2], [], 1), 0);
  assert.ok(Number.isNaN(nearShare([NaN], [1], 1)));
  // Uniform prices: 2·tol/spacing of them lie near a grid of levels.
  const u = Float64Array.from({length: 100_000}, (_, i) => (i / 100_000) * 1000);
  const grid = Array.from({length: 41}, (_, k) => k * 25);
  assert.ok(Math.abs(nearShare(u, grid, 2.5) - 0.2) < 1e-3);
  assert.throws(() => nearShare([1], [1], -1), /invalid tolerance: -1/);
});

test("landscapeWindow(part, grid, h) is one row of rollingLandscape, and the direct KDE of the window with its shape", () => {
  const random = mulberry32(11);
  const price = Float64Array.from({length: 3000}, (_, i) => 100 + 5 * Math.sin(i / 150) + random());
  price[1500] = NaN;
  const L = rollingLandscape(price, {window: 600, step: 200});
  for (let j = 0; j < L.end.length; ++j) {
    const part = price.subarray(L.end[j] - 599, L.end[j] + 1);
    const w = landscapeWindow(part, L.x, L.bandwidth[j])!;
    // Against the direct O(n·G) Gaussian KDE on the window's part of the grid (linear binning at h/3 spacing: within 1 % of the peak).
    const xs = L.x.subarray(w.start, w.start + w.density.length);
    const direct = kdeDirect(part, xs, L.bandwidth[j]);
    const peak = Math.max(...direct);
    for (let g = 0; g < xs.length; ++g) assert.ok(Math.abs(w.density[g] - direct[g]) < 1e-2 * peak, `window ${j} at ${xs[g]}: ${w.density[g]} vs ${direct[g]}`);
    const top = Math.max(...w.density);
    for (let g = 0; g < xs.length; ++g) if (w.density[g] > 1e-6 * top) assert.ok(Math.abs(w.shape[g] - Math.log(top / w.density[g])) < 1e-9, `shape at ${xs[g]}`);
    const G = L.size;
    for (let g = 0; g < G; ++g) {
      const inside = g >= w.start && g < w.start + w.density.length;
      assert.equal(inside ? w.density[g - w.start] : 0, L.density[j * G + g], `window ${j}, grid point ${g}: density`);
      assert.equal(inside ? w.shape[g - w.start] : Infinity, L.shape[j * G + g], `window ${j}, grid point ${g}: shape`);
    }
  }
  assert.equal(landscapeWindow(price.subarray(0, 600), L.x, NaN), undefined);
  assert.equal(landscapeWindow([NaN, NaN], L.x, 1), undefined);
});

test("escapePoints(price, landscape, {ahead}) counts the stays at a window's levels in the segment after it, never inside it", () => {
  // Window 0 (samples 0–99) rests at 100 then 110; the segment after it (100–199) alternates 100 / 110 every 25 samples.
  const price: number[] = [];
  for (let i = 0; i < 100; ++i) price.push(i < 60 ? 100 : 110);
  for (let i = 0; i < 100; ++i) price.push(Math.floor(i / 25) % 2 ? 110 : 100);
  const L = rollingLandscape(price, {window: 100, step: 100, bandwidth: 1, minMass: 0.05});
  assert.deepEqual(Array.from(L.end), [99, 199]);
  const E = escapePoints(price, L, {halfWidth: 2, exitHalfWidth: 5, ahead: true});
  // Only window 0 has a following segment; its levels' stays are counted in 100–199.
  assert.deepEqual([...new Set(E.window)], [0]);
  assert.deepEqual([...new Set(E.escapeWindow)], [1]);
  const at100 = Array.from(E.x).findIndex((x) => Math.round(x) === 100);
  const at110 = Array.from(E.x).findIndex((x) => Math.round(x) === 110);
  // Level 100: stays 100–124 (escape) and 150–174 (escape); level 110: 125–149 (escape), 175–199 (cut: censored).
  assert.deepEqual([E.exposure[at100], E.events[at100]], [50, 2]);
  assert.deepEqual([E.exposure[at110], E.events[at110]], [50, 1]);
  // In sample, the same window's stays would have been counted instead: 60 at 100 (escape), 40 at 110 (cut).
  const inSample = escapePoints(price, L, {halfWidth: 2, exitHalfWidth: 5});
  assert.deepEqual(Array.from(inSample.escapeWindow), Array.from(inSample.window));
});
