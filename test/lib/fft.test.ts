import test from "node:test";
import assert from "node:assert/strict";
import {fft, isPowerOfTwo, lagProducts, lagProductsTwoSided, nextPowerOfTwo} from "../../lib/fft.js";
import {mulberry32} from "../../lib/random.js";

test("fft(re, im) matches the direct DFT", () => {
  const random = mulberry32(1);
  for (const n of [1, 2, 4, 8, 64, 512]) {
    const re = Float64Array.from({length: n}, () => random() - 0.5);
    const im = Float64Array.from({length: n}, () => random() - 0.5);
    const r = re.slice();
    const i = im.slice();
    fft(r, i);
    for (let k = 0; k < n; ++k) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; ++t) {
        const a = (-2 * Math.PI * ((k * t) % n)) / n;
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
      assert.ok(Math.abs(r[k] - sr) < 1e-12 && Math.abs(i[k] - si) < 1e-12, `n=${n} k=${k}`);
    }
  }
});

test("fft(re, im, true) inverts the forward transform", () => {
  const random = mulberry32(2);
  const n = 4096;
  const re = Float64Array.from({length: n}, () => random());
  const im = Float64Array.from({length: n}, () => random());
  const r = re.slice();
  const i = im.slice();
  fft(r, i);
  fft(r, i, true);
  for (let t = 0; t < n; ++t) assert.ok(Math.abs(r[t] - re[t]) < 1e-13 && Math.abs(i[t] - im[t]) < 1e-13);
});

test("fft(re, im) of a pure tone is a single spike", () => {
  const n = 256;
  const re = Float64Array.from({length: n}, (_, t) => Math.cos((2 * Math.PI * 5 * t) / n));
  const im = Float64Array.from({length: n}, (_, t) => Math.sin((2 * Math.PI * 5 * t) / n));
  fft(re, im);
  for (let k = 0; k < n; ++k) assert.ok(Math.abs(re[k] - (k === 5 ? n : 0)) < 1e-10 && Math.abs(im[k]) < 1e-10);
});

test("fft(re, im) rejects lengths that are not powers of two", () => {
  assert.throws(() => fft(new Float64Array(6), new Float64Array(6)), /invalid length: 6/);
  assert.throws(() => fft(new Float64Array(4), new Float64Array(2)), /invalid im length: 2/);
  assert.equal(nextPowerOfTwo(1000), 1024);
  assert.equal(nextPowerOfTwo(1024), 1024);
  assert.ok(isPowerOfTwo(1) && !isPowerOfTwo(0) && !isPowerOfTwo(12));
});

test("lagProducts(a, b, maxLag, shiftA, shiftB) matches the direct lagged sums for unequal lengths", () => {
  const random = mulberry32(3);
  for (const [na, nb, L] of [[10, 10, 9], [3000, 2500, 40], [2500, 3000, 700], [9000, 9000, 100], [5, 50, 60]]) {
    const a = Float64Array.from({length: na}, () => random());
    const b = Float64Array.from({length: nb}, () => random());
    const s = lagProducts(a, b, L, 0.3, 0.6);
    for (let k = 0; k <= L; ++k) {
      let d = 0;
      for (let t = 0; t < na && t + k < nb; ++t) d += (a[t] - 0.3) * (b[t + k] - 0.6);
      assert.ok(Math.abs(s[k] - d) < 1e-10, `na=${na} nb=${nb} k=${k}: ${s[k]} vs ${d}`);
    }
  }
  assert.throws(() => lagProducts([1], [1], -1), /invalid maxLag: -1/);
});

test("lagProductsTwoSided(a, b, maxLag, shiftA, shiftB) matches the direct lagged sums at every lag of both signs", () => {
  const random = mulberry32(4);
  for (const [na, nb, L] of [[10, 10, 9], [3000, 2500, 40], [2500, 3000, 700], [20000, 20000, 300], [5, 50, 60], [50, 5, 60]]) {
    const a = Float64Array.from({length: na}, () => random());
    const b = Float64Array.from({length: nb}, () => random());
    const s = lagProductsTwoSided(a, b, L, 0.3, 0.6);
    assert.equal(s.length, 2 * L + 1);
    for (let l = -L; l <= L; ++l) {
      let d = 0;
      for (let t = Math.max(0, -l); t < na && t + l < nb; ++t) d += (a[t] - 0.3) * (b[t + l] - 0.6);
      assert.ok(Math.abs(s[l + L] - d) < 1e-9, `na=${na} nb=${nb} lag=${l}: ${s[l + L]} vs ${d}`);
    }
  }
  assert.deepEqual(Array.from(lagProductsTwoSided([], [1, 2], 2)), [0, 0, 0, 0, 0]);
  assert.throws(() => lagProductsTwoSided([1], [1], -1), /invalid maxLag: -1/);
});
