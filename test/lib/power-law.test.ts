import test from "node:test";
import assert from "node:assert/strict";
import {acf} from "../../lib/acf.js";
import {fft} from "../../lib/fft.js";
import {acfPowerLaw, powerLawFit} from "../../lib/power-law.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("powerLawFit(x, y) of an exact power law returns its exponent and amplitude", () => {
  const x = Array.from({length: 50}, (_, i) => i + 1);
  const y = x.map((v) => 3 * v ** -0.4);
  const f = powerLawFit(x, y, {min: 2, max: 40});
  assert.equal(f.n, 39);
  assert.ok(Math.abs(f.exponent - 0.4) < 1e-12);
  assert.ok(Math.abs(f.amplitude - 3) < 1e-11);
  assert.ok(f.exponentSE < 1e-12);
});

test("powerLawFit(x, y) skips and counts non-positive values", () => {
  const f = powerLawFit([1, 2, 3, 4, 5], [1, 2 ** -1, -0.1, 0, 5 ** -1]);
  assert.equal(f.n, 3);
  assert.equal(f.skipped, 2);
  assert.ok(Math.abs(f.exponent - 1) < 1e-12);
  assert.ok(Number.isNaN(powerLawFit([1, 2], [1, 0.5]).exponent));
  assert.throws(() => powerLawFit([1], [1, 2]), /invalid y length: 2/);
});

/** Fractional Gaussian noise by circulant embedding (Davies & Harte, Biometrika 74 (1987) 95). */
function fgn(n: number, hurst: number, seed: number): Float64Array {
  const m = 2 * n;
  const g = (k: number) => 0.5 * ((k + 1) ** (2 * hurst) - 2 * k ** (2 * hurst) + Math.abs(k - 1) ** (2 * hurst));
  const lre = new Float64Array(m);
  const lim = new Float64Array(m);
  for (let j = 0; j <= n; ++j) {
    lre[j] = g(j);
    if (j > 0 && j < n) lre[m - j] = g(j);
  }
  fft(lre, lim);
  const random = mulberry32(seed);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let k = 0; k < m; ++k) {
    const s = Math.sqrt(Math.max(lre[k], 0) / m);
    re[k] = s * randomNormal(random);
    im[k] = s * randomNormal(random);
  }
  fft(re, im);
  return re.subarray(0, n);
}

test("acfPowerLaw(acf(signs)) of a long-memory sign process recovers its exponent", () => {
  // Signs of fractional Gaussian noise with H = 0.75: ρ(k) = (2/π)·arcsin(γ_H(k)) ~ k^{−(2 − 2H)},
  // exponent 0.5. Sample ACFs of long-memory processes converge slowly (the sample mean has
  // variance ~ n^{2H−2}): over eight seeds at this size the fitted exponent over lags 5..200 has
  // a spread of about 0.045 and a small upward bias, hence the tolerance.
  const hurst = 0.75;
  const n = 1 << 19;
  const x = fgn(n, hurst, 1);
  const signs = Int8Array.from(x, (v) => (v > 0 ? 1 : -1));
  const rho = acf(signs, 1000);
  const g = (k: number) => 0.5 * ((k + 1) ** 1.5 - 2 * k ** 1.5 + Math.abs(k - 1) ** 1.5);
  const truth = Float64Array.from({length: 1001}, (_, k) => (2 / Math.PI) * Math.asin(g(k)));
  for (let k = 1; k <= 10; ++k) assert.ok(Math.abs(rho[k] - truth[k]) < 0.015, `k=${k}: ${rho[k]} vs ${truth[k]}`);
  const expected = acfPowerLaw(truth, {minLag: 5, maxLag: 200}).exponent;
  assert.ok(Math.abs(expected - 0.5) < 0.01);
  const fit = acfPowerLaw(rho, {minLag: 5, maxLag: 200});
  assert.ok(Math.abs(fit.exponent - expected) < 0.12, `${fit.exponent} ± ${fit.exponentSE}`);
  assert.deepEqual(fit.range, [5, 200]);
  assert.equal(fit.skipped, 0);
  assert.ok(fit.n > 25 && fit.n <= 34);
});

test("acfPowerLaw(rho) rejects invalid lag ranges", () => {
  assert.throws(() => acfPowerLaw([1, 0.5, 0.3], {minLag: 0}), /invalid minLag: 0/);
  assert.throws(() => acfPowerLaw([1, 0.5, 0.3], {minLag: 1, maxLag: 3}), /invalid maxLag: 3/);
});
