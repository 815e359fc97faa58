import test from "node:test";
import assert from "node:assert/strict";
import {hyBlockSums, tickSeries} from "../../lib/hayashi-yoshida.js";
import {HyBlockStream, TickStream} from "../../lib/hy-stream.js";
import {mulberry32, randomExponential, randomNormal} from "../../lib/random.js";

/** Trades on [t0, t0 + T) ms: integer times at `rate` per ms (with repeats, and a quiet gap), random-walk prices, some NaN. */
function trades(random: () => number, t0: number, T: number, rate: number, gap: [number, number] | null): {time: number[]; price: number[]} {
  const time: number[] = [];
  const price: number[] = [];
  let p = 100;
  for (let t = randomExponential(random, rate); t < T; t += randomExponential(random, rate)) {
    if (gap && t >= gap[0] && t < gap[1]) continue;
    const n = random() < 0.1 ? 2 : 1; // same-millisecond trades
    for (let r = 0; r < n; ++r) {
      if (random() < 0.7) p *= Math.exp(0.001 * randomNormal(random));
      time.push(t0 + Math.floor(t));
      price.push(random() < 0.01 ? NaN : p);
    }
  }
  return {time, price};
}

/** Cuts [0, n) into batches at random points (some empty). */
function cuts(random: () => number, n: number): number[] {
  const out = [0];
  while (out[out.length - 1] < n) out.push(Math.min(n, out[out.length - 1] + Math.floor(random() * (n / 3 + 2))));
  return out;
}

/** The bytes of a Float64Array, to compare value for value (signed zeros included). */
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

/**
 * The table of a {@link HyBlockStream} sweeping `by` fed both series in common time slices cut at
 * random (as a loader feeds days), releasing after each what the sweep no longer needs.
 */
function streamed(random: () => number, x: {time: number[]; price: number[]}, y: {time: number[]; price: number[]}, t0: number, T: number, shifts: Float64Array, blockMs: number, blocks: number, by: "x" | "y"): Float64Array {
  const xs = new TickStream(t0);
  const ys = new TickStream(t0);
  const hy = new HyBlockStream(xs, ys, shifts, blockMs, blocks, by);
  const edges = [t0, ...Array.from({length: 1 + Math.floor(random() * 8)}, () => t0 + Math.floor(random() * T)).sort((a, b) => a - b), t0 + T];
  let ix = 0;
  let iy = 0;
  for (let e = 1; e < edges.length; ++e) {
    const jx = x.time.findIndex((t) => t >= edges[e]);
    const jy = y.time.findIndex((t) => t >= edges[e]);
    const ex = jx < 0 ? x.time.length : jx;
    const ey = jy < 0 ? y.time.length : jy;
    xs.push(x.time, x.price, ix, ex);
    ys.push(y.time, y.price, iy, ey);
    (ix = ex), (iy = ey);
    hy.advance();
    xs.release(hy.needX);
    ys.release(hy.needY);
  }
  xs.end();
  ys.end();
  hy.advance();
  return hy.out;
}

test("TickStream equals tickSeries on any cut into batches, with releases", () => {
  const random = mulberry32(7);
  for (let trial = 0; trial < 30; ++trial) {
    const {time, price} = trades(random, 1_700_000_000_000, 20_000, 0.02 + random() * 0.2, null);
    const batch = tickSeries(time, price, {origin: 1_700_000_000_000});
    const stream = new TickStream(1_700_000_000_000);
    const c = cuts(random, time.length);
    for (let q = 1; q < c.length; ++q) stream.push(time, price, c[q - 1], c[q]);
    stream.end();
    const s = stream.series();
    assert.equal(bytes(s.time), bytes(batch.time));
    assert.equal(bytes(s.value), bytes(batch.value));
    assert.ok(Object.is(s.variance, batch.variance), `variance ${s.variance} vs ${batch.variance}`);
  }
});

test("TickStream: a decreasing time or a non-positive price is a RangeError naming the row", () => {
  const s = new TickStream(0);
  s.push([1, 2], [10, 11]);
  assert.throws(() => s.push([1], [10]), /invalid time\[2\]: 1 \(before 2\)/);
  const t = new TickStream(0);
  assert.throws(() => t.push([1, 2, 3], [10, 0, 1]), /invalid price\[1\]: 0/);
});

test("HyBlockStream equals hyBlockSums value for value, however both series are cut into batches", () => {
  const random = mulberry32(11);
  const shifts = Float64Array.from({length: 41}, (_, i) => (i - 20) * 50);
  for (let trial = 0; trial < 40; ++trial) {
    const t0 = 1_700_000_000_000;
    const T = 30_000;
    const x = trades(random, t0, T, 0.01 + random() * 0.1, trial % 3 === 0 ? [5000, 12_000] : null);
    const y = trades(random, t0, T, 0.005 + random() * 0.1, trial % 4 === 1 ? [10_000, 20_000] : null);
    // Some series with times in fractions of a ms (still ascending), one or both.
    const fraction = (s: {time: number[]}) => s.time.forEach((t, i) => (s.time[i] = t + (0.999 * i) / s.time.length));
    if (trial % 5 === 2 || trial % 5 === 3) fraction(x);
    if (trial % 5 === 3 || trial % 5 === 4) fraction(y);
    const blocks = 1 + Math.floor(random() * 40);
    const blockMs = Math.ceil(T / blocks);
    const expected = hyBlockSums(tickSeries(x.time, x.price, {origin: t0}), tickSeries(y.time, y.price, {origin: t0}), shifts, blockMs, blocks);
    assert.equal(bytes(streamed(random, x, y, t0, T, shifts, blockMs, blocks, "x")), bytes(expected), `trial ${trial}`);
  }
});

test("HyBlockStream: series with fewer than two ticks give zeros, as hyBlockSums", () => {
  const xs = new TickStream(0);
  const ys = new TickStream(0);
  const hy = new HyBlockStream(xs, ys, [-10, 0, 10]);
  xs.push([5], [100]);
  ys.push([1, 2, 9], [100, 101, 102]);
  xs.end();
  ys.end();
  hy.advance();
  assert.deepEqual([...hy.out], [0, 0, 0]);
});

test("HyBlockStream by Y equals hyBlockSums by Y value for value, however both series are cut into batches, and hyBlockSums by X up to rounding", () => {
  const random = mulberry32(23);
  const shifts = Float64Array.from({length: 41}, (_, i) => (i - 20) * 50);
  for (let trial = 0; trial < 40; ++trial) {
    const t0 = 1_700_000_000_000;
    const T = 30_000;
    const x = trades(random, t0, T, 0.01 + random() * 0.3, trial % 3 === 0 ? [5000, 12_000] : null);
    const y = trades(random, t0, T, 0.002 + random() * 0.05, trial % 4 === 1 ? [10_000, 20_000] : null);
    const fraction = (s: {time: number[]}) => s.time.forEach((t, i) => (s.time[i] = t + (0.999 * i) / s.time.length));
    if (trial % 5 === 2 || trial % 5 === 3) fraction(x);
    if (trial % 5 === 3 || trial % 5 === 4) fraction(y);
    const blocks = 1 + Math.floor(random() * 40);
    const blockMs = Math.ceil(T / blocks);
    const xt = tickSeries(x.time, x.price, {origin: t0});
    const yt = tickSeries(y.time, y.price, {origin: t0});
    const expected = hyBlockSums(xt, yt, shifts, blockMs, blocks, "y");
    // The same sums as the sweep over X, grouped differently.
    const overX = hyBlockSums(xt, yt, shifts, blockMs, blocks);
    const scale = Math.max(...overX.map(Math.abs));
    overX.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-12 * scale, `trial ${trial} cell ${i}: ${expected[i]} vs ${v}`));
    assert.equal(bytes(streamed(random, x, y, t0, T, shifts, blockMs, blocks, "y")), bytes(expected), `trial ${trial}`);
  }
});

test("HyBlockStream by Y equals hyBlockSums by Y when X's times are on a tenth-of-a-ms grid (as Bybit's) and Y's whole ms", () => {
  const random = mulberry32(31);
  const shifts = Float64Array.from({length: 41}, (_, i) => (i - 20) * 50);
  for (let trial = 0; trial < 12; ++trial) {
    const t0 = 1_722_816_000_000;
    const T = 40_000;
    const x = trades(random, t0, T, 0.05 + random() * 0.2, trial % 3 === 0 ? [5000, 12_000] : null);
    // Epoch times with tenths of a ms (stored to the nearest double), ascending; some whole ms.
    x.time.forEach((t, i) => (x.time[i] = t + (t % 2 ? 0.4 : 0) + (i > 0 && Math.floor(x.time[i - 1]) === t ? 0.1 : 0)));
    const y = trades(random, t0, T, 0.15 + random() * 0.2, trial % 4 === 1 ? [10_000, 20_000] : null);
    const blocks = 1 + Math.floor(random() * 40);
    const blockMs = Math.ceil(T / blocks);
    const expected = hyBlockSums(tickSeries(x.time, x.price, {origin: t0}), tickSeries(y.time, y.price, {origin: t0}), shifts, blockMs, blocks, "y");
    assert.ok(x.time.some((t) => !Number.isInteger(t)) && x.time.some((t) => Number.isInteger(t)));
    assert.equal(bytes(streamed(random, x, y, t0, T, shifts, blockMs, blocks, "y")), bytes(expected), `trial ${trial}`);
  }
});

test("HyBlockStream by Y: X times a hair (2^-11 ms) past whole ms are not taken for grid points", () => {
  // Every X time rounds to a whole ms but is not one: the sweep's whole-ms path must not take them.
  const t0 = 1_722_816_000_000;
  const x = {time: [] as number[], price: [] as number[]};
  const y = {time: [] as number[], price: [] as number[]};
  for (let t = 0, p = 100; t < 40_000; t += 3) x.time.push(t0 + t + 2 ** -11), x.price.push((p *= Math.sin(t) > 0 ? 1.0001 : 0.9999));
  for (let t = 1, p = 100; t < 40_000; t += 2) y.time.push(t0 + t), y.price.push((p *= Math.cos(t) > 0 ? 1.0001 : 0.9999));
  const shifts = Float64Array.from({length: 41}, (_, i) => (i - 20) * 50);
  const expected = hyBlockSums(tickSeries(x.time, x.price, {origin: t0}), tickSeries(y.time, y.price, {origin: t0}), shifts, 1000, 40, "y");
  assert.equal(bytes(streamed(mulberry32(1), x, y, t0, 40_000, shifts, 1000, 40, "y")), bytes(expected));
});

test("HyBlockStream by Y: Y times just below a power of two, where t − δ rounds to a whole ms, sweep as the batch", () => {
  // With origin 0, t = 2^15 − 2^-38 is exact but t + 50 rounds up to 32818: the sweep must compare
  // the rounded t − δ as the batch does, not ⌊t⌋ − δ.
  const x = {time: [] as number[], price: [] as number[]};
  const y = {time: [] as number[], price: [] as number[]};
  for (let t = 1000, p = 100; t < 70_000; t += 1) x.time.push(t), x.price.push((p *= Math.sin(t) > 0 ? 1.0001 : 0.9999));
  let p = 100;
  for (let t = 1000; t < 70_000; t += 7) {
    const near = [2 ** 14, 2 ** 15, 2 ** 16].find((e) => t < e && e - t < 7);
    y.time.push(near ? near - 2 ** -38 : t + 0.5);
    y.price.push((p *= Math.cos(t) > 0 ? 1.0001 : 0.9999));
  }
  const shifts = Float64Array.from({length: 41}, (_, i) => (i - 20) * 50);
  const expected = hyBlockSums(tickSeries(x.time, x.price, {origin: 0}), tickSeries(y.time, y.price, {origin: 0}), shifts, 1000, 70, "y");
  assert.equal(bytes(streamed(mulberry32(1), x, y, 0, 70_000, shifts, 1000, 70, "y")), bytes(expected));
});

test("HyBlockStream by Y with a few uneven shifts (ranks read from cells of several ms) equals hyBlockSums by Y, X times on the cells' edges or not", () => {
  const random = mulberry32(47);
  const shifts = Float64Array.from([-15, -10, -5, 5, 10, 15]);
  for (let trial = 0; trial < 16; ++trial) {
    const t0 = 1_722_816_000_000;
    const T = 200_000;
    const x = trades(random, t0, T, 0.02 + random() * 0.1, trial % 3 === 0 ? [5000, 60_000] : null);
    // Even ms (edges of two- and four-ms cells), or tenths of a ms.
    if (trial % 2 === 0) x.time.forEach((t, i) => (x.time[i] = t - (t % 2)));
    else x.time.forEach((t, i) => (x.time[i] = t + 0.1 * (i % 10 === 9 ? 0 : (t % 7) / 2)));
    for (let i = 1; i < x.time.length; ++i) x.time[i] = Math.max(x.time[i], x.time[i - 1]);
    const y = trades(random, t0, T, 0.0005 + random() * 0.004, trial % 4 === 1 ? [10_000, 90_000] : null);
    const blocks = 1 + Math.floor(random() * 12);
    const blockMs = Math.ceil(T / blocks);
    const expected = hyBlockSums(tickSeries(x.time, x.price, {origin: t0}), tickSeries(y.time, y.price, {origin: t0}), shifts, blockMs, blocks, "y");
    assert.ok(expected.some((v) => v !== 0), `trial ${trial}`);
    assert.equal(bytes(streamed(random, x, y, t0, T, shifts, blockMs, blocks, "y")), bytes(expected), `trial ${trial}`);
  }
});
