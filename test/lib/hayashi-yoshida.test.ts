import test from "node:test";
import assert from "node:assert/strict";
import {blockLeadLagScan, hayashiYoshida, hyBlockSums, leadLagScan, tickBlocks, tickSeries} from "../../lib/hayashi-yoshida.js";
import {mulberry32, randomExponential, randomNormal} from "../../lib/random.js";

/** Direct O(n·m) Hayashi–Yoshida double sum over overlapping interval pairs (open-closed). */
function hyDirect(s: number[], x: number[], t: number[], y: number[], shift: number): number {
  let sum = 0;
  for (let i = 1; i < s.length; ++i)
    for (let j = 1; j < t.length; ++j) {
      const a0 = s[i - 1], a1 = s[i], b0 = t[j - 1] - shift, b1 = t[j] - shift;
      if (a0 < b1 && b0 < a1) sum += (x[i] - x[i - 1]) * (y[j] - y[j - 1]);
    }
  return sum;
}

/** Poisson observation times on [0, T) ms at `rate` per ms, strictly increasing integers. */
function poissonTimes(random: () => number, rate: number, T: number): number[] {
  const out: number[] = [];
  for (let t = randomExponential(random, rate); t < T; t += randomExponential(random, rate)) {
    const v = Math.floor(t);
    if (!out.length || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

test("hayashiYoshida(x, y, {shift}) matches the direct double sum", () => {
  const random = mulberry32(1);
  for (let trial = 0; trial < 20; ++trial) {
    const s = poissonTimes(random, 0.05, 2000);
    const t = poissonTimes(random, 0.03, 2000);
    const x = s.map(() => randomNormal(random));
    const y = t.map(() => randomNormal(random));
    for (const shift of [0, 7, -13.5, 150, -400, 3000]) {
      const got = hayashiYoshida({time: s, price: x.map(Math.exp)}, {time: t, price: y.map(Math.exp)}, {shift});
      const ref = hyDirect(s, x, t, y, shift);
      assert.ok(Math.abs(got.covariance - ref) < 1e-10, `trial ${trial} shift ${shift}: ${got.covariance} vs ${ref}`);
    }
  }
});

test("hyBlockSums(x, y, shifts, blockMs, blocks) gives per block the direct double sum over the X intervals ending in that block", () => {
  const random = mulberry32(5);
  for (let trial = 0; trial < 10; ++trial) {
    const s = poissonTimes(random, 0.05, 3000);
    const t = poissonTimes(random, 0.02, 3000);
    const x = s.map(() => randomNormal(random));
    const y = t.map(() => randomNormal(random));
    // Different origins: block edges are measured from X's origin, shifts compare absolute times.
    const xs = tickSeries(s, x.map(Math.exp), {origin: 100});
    const ys = tickSeries(t, y.map(Math.exp), {origin: 0});
    const shifts = [0, 9, -21.5, 250, -700];
    const blockMs = 400;
    const blocks = 6;
    const rows = hyBlockSums(xs, ys, shifts, blockMs, blocks);
    assert.equal(rows.length, blocks * shifts.length);
    for (let b = 0; b < blocks; ++b) {
      // X intervals (s_{i−1}, s_i] whose end, relative to the origin, falls in block b (the first and last blocks take what lies beyond).
      const inBlock = (i: number) => Math.min(blocks - 1, Math.max(0, Math.floor((s[i] - 100) / blockMs))) === b;
      shifts.forEach((shift, k) => {
        let ref = 0;
        for (let i = 1; i < s.length; ++i) if (inBlock(i)) ref += hyDirect([s[i - 1], s[i]], [x[i - 1], x[i]], t, y, shift);
        assert.ok(Math.abs(rows[b * shifts.length + k] - ref) < 1e-10, `trial ${trial} block ${b} shift ${shift}: ${rows[b * shifts.length + k]} vs ${ref}`);
      });
    }
  }
  assert.throws(() => hyBlockSums(tickSeries([0, 1], [1, 2]), tickSeries([0, 1], [1, 2]), [0], 0, 2), /invalid blockMs/);
  assert.throws(() => hyBlockSums(tickSeries([0, 1], [1, 2]), tickSeries([0, 1], [1, 2]), [0], 10, 1.5), /invalid blocks/);
});

test("hyBlockSums summed over its blocks is the lead–lag scan's covariance", () => {
  const random = mulberry32(11);
  const s = poissonTimes(random, 0.02, 60_000);
  const t = poissonTimes(random, 0.005, 60_000);
  const path = new Float64Array(61_000);
  for (let i = 1; i < path.length; ++i) path[i] = path[i - 1] + 3e-6 * randomNormal(random);
  const xs = tickSeries(s, s.map((ms) => Math.exp(10 + path[ms + 500])), {origin: 0});
  const ys = tickSeries(t, t.map((ms) => Math.exp(10 + path[ms + 350])), {origin: 0});
  const shifts = Float64Array.from({length: 81}, (_, i) => (i - 40) * 10);
  const rows = hyBlockSums(xs, ys, shifts, 1000, 60);
  const scan = leadLagScan(xs, ys, {shifts});
  for (let k = 0; k < shifts.length; ++k) {
    let sum = 0;
    for (let r = 0; r < 60; ++r) sum += rows[r * shifts.length + k];
    assert.ok(Math.abs(sum - scan.covariance[k]) <= 1e-12 * Math.abs(scan.covariance[k]) + 1e-18, `shift ${shifts[k]}`);
  }
  assert.ok(Math.abs(scan.lead - 150) <= 50, `lead ${scan.lead}`);
});

test("hayashiYoshida(x, y) is unbiased for correlated Brownian motions observed asynchronously", () => {
  // Two Brownian motions with correlation 0.6, observed at independent Poisson times (1/s and
  // 0.5/s); previous-tick sampling on a 1 s grid would show a strong Epps drop, HY does not.
  const random = mulberry32(2);
  const T = 4 * 3_600_000;
  const s = poissonTimes(random, 1 / 1000, T);
  const t = poissonTimes(random, 0.5 / 1000, T);
  // Merge the two clocks and simulate the pair exactly on the union of times.
  const all = [...s.map((v) => [v, 0]), ...t.map((v) => [v, 1])].sort((a, b) => a[0] - b[0]);
  const xs: number[] = [];
  const ys: number[] = [];
  let w1 = 0, w2 = 0, last = 0;
  const sigma = 1e-4; // per √second
  for (const [time, who] of all) {
    const dt = (time - last) / 1000;
    const z1 = randomNormal(random);
    const z2 = 0.6 * z1 + 0.8 * randomNormal(random);
    w1 += sigma * Math.sqrt(dt) * z1;
    w2 += sigma * Math.sqrt(dt) * z2;
    last = time;
    if (who === 0) xs.push(100 * Math.exp(w1));
    else ys.push(100 * Math.exp(w2));
  }
  const hy = hayashiYoshida({time: s, price: xs}, {time: t, price: ys});
  // Integrated covariance = 0.6 σ² T.
  const expected = 0.6 * sigma * sigma * (T / 1000);
  assert.ok(Math.abs(hy.covariance / expected - 1) < 0.1, `${hy.covariance} vs ${expected}`);
  assert.ok(Math.abs(hy.correlation - 0.6) < 0.06, `${hy.correlation}`);
});

test("leadLagScan(x, y) finds a 200 ms delay of a common Brownian path", () => {
  // X observes W at its own Poisson times; Y observes W delayed by 200 ms: X leads Y by 200 ms.
  const random = mulberry32(3);
  const T = 30 * 60_000;
  const delay = 200;
  const s = poissonTimes(random, 20 / 1000, T);
  const t = poissonTimes(random, 15 / 1000, T).filter((v) => v >= delay);
  const all = [...s.map((v, i) => [v, 0, i]), ...t.map((v, j) => [v - delay, 1, j])].sort((a, b) => a[0] - b[0]);
  const xs = new Float64Array(s.length);
  const ys = new Float64Array(t.length);
  let w = Math.log(30000), last = 0;
  for (const [time, who, k] of all) {
    w += 1e-4 * Math.sqrt(Math.max(0, time - last) / 1000) * randomNormal(random);
    last = time;
    if (who === 0) xs[k] = Math.exp(w);
    else ys[k] = Math.exp(w);
  }
  const epoch = 1_700_000_000_000; // real epoch times keep their precision
  const x = tickSeries(s.map((v) => v + epoch), xs);
  const y = tickSeries(t.map((v) => v + epoch), ys);
  const scan = leadLagScan(x, y);
  assert.equal(scan.shift.length, 401);
  assert.equal(scan.shift[0], -2000);
  assert.equal(scan.shift[400], 2000);
  assert.ok(Math.abs(scan.lead - delay) <= 10, `lead ${scan.lead}`);
  assert.ok(scan.peak > 0.95, `peak ${scan.peak}`);
  assert.ok(scan.leadLagRatio > 1);
  // Swapping the roles flips the sign.
  const back = leadLagScan(y, x, {shifts: [-400, -200, -100, 0, 100, 200, 400]});
  assert.equal(back.lead, -200);
  assert.ok(back.leadLagRatio < 1);
});

test("tickSeries(time, price) merges equal times, drops NaN prices and validates", () => {
  const ts = tickSeries([10, 10, 20, 30, 30], [1, 2, NaN, 4, 8], {log: false});
  assert.deepEqual(Array.from(ts.time), [0, 20]);
  assert.deepEqual(Array.from(ts.value), [2, 8]);
  assert.equal(ts.variance, 36);
  assert.throws(() => tickSeries([2, 1], [1, 1]), /invalid time\[1\]: 1/);
  assert.throws(() => tickSeries([1, 2], [1, -1]), /invalid price\[1\]: -1/);
  assert.ok(Number.isNaN(hayashiYoshida({time: [1], price: [1]}, {time: [1, 2], price: [1, 2]}).covariance));
  assert.throws(() => leadLagScan(ts, ts, {step: 0}), /invalid grid/);
});

/** A common Brownian log path observed by X at Poisson times and by Y `delay` ms late (epoch ms). */
function delayedPair(seed: number, delay: number, T: number): {s: Float64Array; xs: Float64Array; t: Float64Array; ys: Float64Array} {
  const random = mulberry32(seed);
  const s = poissonTimes(random, 20 / 1000, T);
  const t = poissonTimes(random, 15 / 1000, T).filter((v) => v >= delay);
  const all = [...s.map((v, i) => [v, 0, i]), ...t.map((v, j) => [v - delay, 1, j])].sort((a, b) => a[0] - b[0]);
  const xs = new Float64Array(s.length);
  const ys = new Float64Array(t.length);
  let w = Math.log(30000), last = 0;
  for (const [time, who, k] of all) {
    w += 1e-4 * Math.sqrt(Math.max(0, time - last) / 1000) * randomNormal(random);
    last = time;
    if (who === 0) xs[k] = Math.exp(w);
    else ys[k] = Math.exp(w);
  }
  const epoch = 1_700_000_000_000;
  return {s: Float64Array.from(s, (v) => v + epoch), xs, t: Float64Array.from(t, (v) => v + epoch), ys};
}

test("tickBlocks(time, price, start, end, count) cuts [start, end) into equal blocks timed from each block's start", () => {
  const time = Float64Array.from([0, 10, 20, 30, 40, 50, 60, 70]);
  const price = Float64Array.from(time, (t) => 100 + t);
  const blocks = tickBlocks(time, price, 0, 80, 4);
  assert.equal(blocks.length, 4);
  assert.deepEqual(blocks.map((b) => b.origin), [0, 20, 40, 60]);
  assert.deepEqual(Array.from(blocks[1].time), [0, 10]);
  assert.ok(Math.abs(blocks[1].value[0] - Math.log(120)) < 1e-12);
  assert.throws(() => tickBlocks(time, price, 0, 80, 0), RangeError);
});

test("blockLeadLagScan(x, y) finds a 60 ms delay within its bootstrap interval and flips sign when the roles swap", () => {
  const T = 20 * 60_000;
  const {s, xs, t, ys} = delayedPair(5, 60, T);
  const t0 = s[0];
  const x = tickBlocks(s, xs, t0, t0 + T, 8);
  const y = tickBlocks(t, ys, t0, t0 + T, 8);
  const r = blockLeadLagScan(x, y, {centre: 40, resamples: 199, seed: 1});
  assert.ok(Math.abs(r.lead - 60) <= 5, `lead ${r.lead}`);
  assert.ok(r.interval[0] <= r.lead && r.lead <= r.interval[1], `interval ${r.interval}`);
  assert.ok(r.pSign < 0.05, `p ${r.pSign}`);
  assert.ok(r.peak > r.zeroLag, `peak ${r.peak}, at 0 ${r.zeroLag}`);
  assert.deepEqual(r.shift, [...r.shift].sort((a, b) => a - b));
  assert.ok(r.shift.includes(0), "shift 0 is always scanned");
  const back = blockLeadLagScan(y, x, {centre: -40, resamples: 199, seed: 1});
  assert.ok(Math.abs(back.lead + 60) <= 5, `reverse lead ${back.lead}`);
  assert.throws(() => blockLeadLagScan(x, y.slice(1)), RangeError);
  assert.throws(() => blockLeadLagScan(x, y, {step: 0}), RangeError);
});
