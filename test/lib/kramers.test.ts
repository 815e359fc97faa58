import test from "node:test";
import assert from "node:assert/strict";
import {kramersCensoredFit, kramersFit, temperatureEffect} from "../../lib/kramers.js";
import {dwellTimes} from "../../lib/dwell-times.js";
import {exponentialRate} from "../../lib/goodness-of-fit.js";
import {freeEnergy, metastableLevels} from "../../lib/free-energy.js";
import {kde} from "../../lib/kde.js";
import {doubleWell, langevin} from "../../lib/langevin.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("kramersFit(τ, ΔF, T) recovers a planted Arrhenius law and skips unusable points", () => {
  const barrier = [1, 2, 1.5, 3, 0.5, Infinity, 1, 2];
  const T = [0.5, 0.5, 1, 1, 0.25, 1, 1, 1];
  const tau = barrier.map((b, i) => Math.exp(0.3 + 1.2 * (b / T[i])));
  tau[6] = 0; // not a time
  const fit = kramersFit(tau, barrier, T);
  assert.equal(fit.n, 6);
  assert.ok(Math.abs(fit.slope - 1.2) < 1e-12 && Math.abs(fit.intercept - 0.3) < 1e-12);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  assert.ok(fit.slopeLow <= 1.2 && fit.slopeHigh >= 1.2 && fit.slopeHigh - fit.slopeLow < 1e-9);
  // One temperature for all; counts below minCount are dropped.
  const single = kramersFit([Math.E, Math.E ** 2, Math.E ** 3, 1], [1, 2, 3, 4], 1, {counts: [5, 5, 5, 1], minCount: 2});
  assert.equal(single.n, 3);
  assert.ok(Math.abs(single.slope - 1) < 1e-12);
  assert.throws(() => kramersFit([1, 2], [1], 1), /invalid barrier length: 1/);
  assert.throws(() => kramersFit([1, 2, 3], [1, 2, 3], 1, {level: 1}), /invalid level: 1/);
});

test("temperatureEffect(τ, T) answers whether hotter markets escape faster", () => {
  const random = mulberry32(2);
  const T = Float64Array.from({length: 60}, () => 0.5 + random());
  const faster = Float64Array.from(T, (t) => Math.exp(3 - 2 * t + 0.2 * randomNormal(random)));
  const a = temperatureEffect(faster, T);
  assert.equal(a.answer, "faster");
  assert.ok(a.slopeLow < -2 && -2 < a.slopeHigh, `${a.slopeLow} ${a.slopeHigh}`);
  assert.ok(a.correlation < -0.8);
  const slower = temperatureEffect(Float64Array.from(T, (t) => Math.exp(t + 0.1 * randomNormal(random))), T);
  assert.equal(slower.answer, "slower");
  const none = temperatureEffect(Float64Array.from(T, () => Math.exp(randomNormal(random))), T);
  assert.equal(none.answer, "inconclusive");
  assert.ok(none.slopeLow < 0 && none.slopeHigh > 0);
});

test("kramersFit of Langevin escapes across temperatures has slope near 1 (τ ∝ exp(ΔF/T))", () => {
  // Planted truth: U = (x² − 1)², barrier 1, at five temperatures. Everything downstream is
  // estimated: the density (KDE), F = −T ln P, the levels and barriers, the dwells and their means.
  const well = doubleWell({height: 1});
  const dt = 0.005;
  const thin = 20;
  const tau: number[] = [];
  const barrier: number[] = [];
  const temperature: number[] = [];
  const counts: number[] = [];
  for (const [i, T] of [0.2, 0.25, 0.3, 0.35, 0.4].entries()) {
    const path = langevin(well, {x0: -1, dt, steps: Math.round((80 * well.kramersTime(T)) / dt), temperature: T, seed: 100 + i, thin});
    const k = kde(path);
    const levels = metastableLevels(freeEnergy(k.density, {temperature: T}), {x: k.x, minProminence: 0.2 * T});
    assert.equal(levels.x.length, 2);
    for (let j = 0; j < 2; ++j) {
      // Core set: half-way to the saddle to enter, as far beyond the saddle to leave.
      const toSaddle = Math.abs((j === 0 ? levels.rightSaddleX[j] : levels.leftSaddleX[j]) - levels.x[j]);
      const d = dwellTimes(path, levels.x[j], {halfWidth: toSaddle / 2, exitHalfWidth: 1.5 * toSaddle, interval: dt * thin});
      tau.push(1 / exponentialRate(d.duration));
      counts.push(d.duration.length);
      barrier.push(levels.barrier[j]);
      temperature.push(T);
    }
  }
  const fit = kramersFit(tau, barrier, temperature, {counts, minCount: 10});
  assert.equal(fit.n, 10);
  assert.ok(fit.slope > 0.8 && fit.slope < 1.25, `slope ${fit.slope}`);
  assert.ok(fit.slopeLow > 0.5, `interval ${fit.slopeLow} … ${fit.slopeHigh}`);
  // Kramers' prefactor for this well, π/(2√2) ≈ 1.11 (ln ≈ 0.10), within the intercept's noise.
  assert.ok(Math.abs(fit.intercept - Math.log(Math.PI / (2 * Math.SQRT2))) < 0.8, `intercept ${fit.intercept}`);
  // Hotter here means faster escape.
  assert.equal(temperatureEffect(tau, temperature).answer, "faster");
});

/** Exponential stays of mean τ in a segment of `length`: escapes and exposure (the last stay is cut at the end). */
function staysIn(tau: number, length: number, random: () => number): {events: number; exposure: number} {
  let t = 0;
  let events = 0;
  for (;;) {
    const s = -tau * Math.log(1 - random());
    if (t + s > length) return {events, exposure: length};
    t += s;
    ++events;
  }
}

test("kramersCensoredFit(d, E, x) recovers the planted slope where least squares over escaped points is biased low", () => {
  const random = mulberry32(41);
  const d: number[] = [];
  const E: number[] = [];
  const x: number[] = [];
  // Segments of 150 time units; deep levels (τ up to e^6.2 ≈ 490) often see no escape at all.
  for (let i = 0; i < 300; ++i) {
    const xi = 6 * random();
    const s = staysIn(Math.exp(0.2 + xi), 150, random);
    d.push(s.events);
    E.push(s.exposure);
    x.push(xi);
  }
  const f = kramersCensoredFit(d, E, x);
  assert.equal(f.n, 300);
  assert.ok(f.censored > 20, `${f.censored} censored points`);
  assert.ok(f.slopeLow < 1 && 1 < f.slopeHigh, `interval ${f.slopeLow} … ${f.slopeHigh}`);
  assert.ok(Math.abs(f.intercept - 0.2) < 0.3, `intercept ${f.intercept}`);
  assert.equal(f.events, d.reduce((a, b) => a + b, 0));
  // The old estimator: ln(E/d) on the points with an escape only, by least squares.
  const tau = d.map((di, i) => (di > 0 ? E[i] / di : NaN));
  const ols = kramersFit(tau, x, 1, {counts: d, minCount: 1});
  assert.ok(ols.slope < f.slope - 0.1 && ols.slopeHigh < 1, `least squares ${ols.slope} [${ols.slopeLow}, ${ols.slopeHigh}] against ${f.slope}`);
});

test("kramersCensoredFit(d, E, x) is the events / exposure estimator on two groups, and NaN without a maximum", () => {
  // Two predictor values: the MLE fits each group's rate exactly, τ = E/d.
  const f = kramersCensoredFit([3, 0, 2, 5], [30, 10, 200, 300], [0, 0, 1, 1]);
  assert.ok(Math.abs(f.intercept - Math.log(40 / 3)) < 1e-7, `intercept ${f.intercept}`);
  assert.ok(Math.abs(f.slope - (Math.log(500 / 7) - Math.log(40 / 3))) < 1e-7, `slope ${f.slope}`);
  assert.equal(f.censored, 1);
  // All escapes at one end: the likelihood rises for ever, no fit.
  assert.ok(Number.isNaN(kramersCensoredFit([2, 3, 0, 0], [10, 10, 10, 10], [0, 0, 1, 1]).slope));
  // No escape, a constant predictor, too few points; unusable points skipped.
  assert.ok(Number.isNaN(kramersCensoredFit([0, 0, 0], [1, 1, 1], [0, 1, 2]).slope));
  assert.ok(Number.isNaN(kramersCensoredFit([1, 2, 3], [1, 1, 1], [2, 2, 2]).slope));
  assert.equal(kramersCensoredFit([1, 2, 3, 4], [1, 0, 1, Infinity], [0, 1, NaN, 2]).n, 1);
  assert.throws(() => kramersCensoredFit([1, 2], [1], [0, 1]), /invalid exposure length: 1/);
  assert.throws(() => kramersCensoredFit([1], [1], [0, 1]), /invalid predictor length: 2/);
  assert.throws(() => kramersCensoredFit([1], [1], [0], {level: 1}), /invalid level: 1/);
});
