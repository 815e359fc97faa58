import test from "node:test";
import assert from "node:assert/strict";
import {doubleWell, langevin} from "../../lib/langevin.js";

test("langevin(U, options) is reproducible from its seed and differentiates U numerically", () => {
  const well = doubleWell({height: 1});
  const a = langevin(well, {steps: 1000, temperature: 0.3, seed: 5, x0: -1});
  const b = langevin(well, {steps: 1000, temperature: 0.3, seed: 5, x0: -1});
  const c = langevin(well.U, {steps: 1000, temperature: 0.3, seed: 5, x0: -1});
  const d = langevin(well, {steps: 1000, temperature: 0.3, seed: 6, x0: -1});
  assert.equal(a.length, 1001);
  assert.equal(a[0], -1);
  assert.deepEqual(a, b);
  for (let i = 0; i < a.length; ++i) assert.ok(Math.abs(a[i] - c[i]) < 1e-6, `${i}`);
  assert.notDeepEqual(a, d);
  const thinned = langevin(well, {steps: 1000, temperature: 0.3, seed: 5, x0: -1, thin: 10});
  assert.equal(thinned.length, 101);
  for (let j = 0; j < thinned.length; ++j) assert.equal(thinned[j], a[10 * j]);
});

test("langevin(U, options) of a harmonic well has the Ornstein–Uhlenbeck variance T/k", () => {
  // U = k x²/2: Euler–Maruyama is an AR(1) x' = (1 − k dt) x + √(2T dt) ξ whose exact stationary
  // variance is T / (k (1 − k dt / 2)).
  const k = 2;
  const T = 0.5;
  const dt = 0.01;
  const x = langevin((x) => (k * x * x) / 2, {steps: 400000, dt, temperature: T, seed: 11, gradient: (x) => k * x});
  let s = 0, s2 = 0;
  for (const v of x) (s += v), (s2 += v * v);
  const mean = s / x.length;
  const variance = s2 / x.length - mean * mean;
  const expected = T / (k * (1 - (k * dt) / 2));
  // Correlation time 1/k = 50 steps: about 4000 independent samples, variance within ≈ 2·2.2 %.
  assert.ok(Math.abs(variance / expected - 1) < 0.05, `${variance} vs ${expected}`);
  assert.ok(Math.abs(mean) < 0.05, `${mean}`);
});

test("langevin(U, {temperature: 0}) descends the gradient to the nearest minimum", () => {
  const well = doubleWell({height: 2, centre: 100, width: 5});
  const x = langevin(well, {steps: 2000, dt: 0.05, temperature: 0, x0: 101});
  assert.ok(Math.abs(x[x.length - 1] - 105) < 1e-9);
  for (let i = 1; i < x.length; ++i) assert.ok(well.U(x[i]) <= well.U(x[i - 1]) + 1e-15);
});

test("doubleWell(options) has minima at centre ± width, barrier height a and Kramers' time", () => {
  const well = doubleWell({height: 3, centre: 50, width: 2});
  assert.deepEqual(well.minima, [48, 52]);
  assert.equal(well.U(48), 0);
  assert.equal(well.U(52), 0);
  assert.equal(well.U(50), 3);
  for (const x of [47.3, 49, 50.5, 53.1]) {
    const h = 1e-6;
    assert.ok(Math.abs(well.dU(x) - (well.U(x + h) - well.U(x - h)) / (2 * h)) < 1e-6);
  }
  const h = 1e-4;
  const curvature = (x: number) => (well.U(x + h) - 2 * well.U(x) + well.U(x - h)) / (h * h);
  assert.ok(Math.abs(curvature(52) - well.curvatureMin) < 1e-5);
  assert.ok(Math.abs(curvature(50) - well.curvatureSaddle) < 1e-5);
  // τ = 2π/√(U″min·|U″saddle|)·exp(a/T) = π w²/(2√2 a)·exp(a/T).
  assert.ok(Math.abs(well.kramersTime(0.5) - ((Math.PI * 4) / (2 * Math.SQRT2 * 3)) * Math.exp(6)) < 1e-9);
});

test("langevin(U, options) rejects bad options with the offending value", () => {
  const well = doubleWell();
  assert.throws(() => langevin(well, {steps: 10, temperature: 1, dt: 0}), /invalid dt: 0/);
  assert.throws(() => langevin(well, {steps: 10, temperature: -1}), /invalid temperature: -1/);
  assert.throws(() => langevin(well, {steps: 1.5, temperature: 1}), /invalid steps: 1.5/);
  assert.throws(() => langevin(well, {steps: 10, temperature: 1, thin: 0}), /invalid thin: 0/);
  assert.throws(() => langevin(well, {steps: 10, temperature: 1, x0: 10, dt: 1}), /invalid path/);
  assert.throws(() => doubleWell({width: 0}), /invalid width: 0/);
});
