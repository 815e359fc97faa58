import test from "node:test";
import assert from "node:assert/strict";
import {alphaOrthogonal, componentShares, informationShares, longRunImpact} from "../../lib/information-share.js";
import {vecm} from "../../lib/vecm.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

const model = (alpha: number[], omega: number[], gamma: number[][] = []) => ({
  k: Math.round(Math.sqrt(omega.length)),
  alpha: Float64Array.from(alpha),
  omega: Float64Array.from(omega),
  gamma: gamma.map((g) => Float64Array.from(g))
});

test("informationShares(model) of a leader with correlated innovations is bounded by [1 − ρ², 1]", () => {
  // Venue 0 is the efficient price (α_0 = 0), venue 1 adjusts: ψ = (1, 0).
  for (const rho of [0, 0.3, 0.8]) {
    const is = informationShares(model([0, 0.4], [1, rho, rho, 1]));
    assert.ok(Math.abs(is.psi[0] - 1) < 1e-15 && Math.abs(is.psi[1]) < 1e-15);
    assert.ok(Math.abs(is.lower[0] - (1 - rho * rho)) < 1e-14);
    assert.ok(Math.abs(is.upper[0] - 1) < 1e-14);
    assert.ok(Math.abs(is.lower[1]) < 1e-14 && Math.abs(is.upper[1] - rho * rho) < 1e-14);
    assert.equal(is.orderings, 2);
  }
});

test("informationShares(model) and componentShares(model) of a constructed two-venue system", () => {
  // α = (−0.1, 0.3): α⊥ = (0.3, 0.1), GG = (0.75, 0.25); with Γ = 0 and Ω = I, ψ = GG and
  // IS_0 = 0.75²/(0.75² + 0.25²) = 0.9 under either ordering.
  const m = model([-0.1, 0.3], [1, 0, 0, 1]);
  assert.deepEqual(Array.from(alphaOrthogonal(m.alpha, 2)), [0.3, 0.1]);
  const gg = componentShares(m).shares;
  assert.ok(Math.abs(gg[0] - 0.75) < 1e-15 && Math.abs(gg[1] - 0.25) < 1e-15);
  const is = informationShares(m);
  assert.ok(Math.abs(is.lower[0] - 0.9) < 1e-14 && Math.abs(is.upper[0] - 0.9) < 1e-14);
  assert.ok(Math.abs(is.mid[1] - 0.1) < 1e-14);
});

test("longRunImpact(model) satisfies ψ·Γ(1)·ι = 1 and ψ·α = 0 with short-run dynamics", () => {
  const alpha = [-0.05, 0.1, 0.02, 0.2, -0.03, 0.04]; // k = 3, α is 3×2
  const gamma = [[0.1, 0.02, 0, -0.05, 0.2, 0.01, 0, 0.03, 0.1], [0.05, 0, 0, 0, 0.05, 0, 0, 0, 0.05]];
  const m = model(alpha, [1, 0, 0, 0, 1, 0, 0, 0, 1], gamma);
  const psi = longRunImpact(m);
  let s = 0;
  for (let r = 0; r < 3; ++r) {
    let row = 1;
    for (const g of gamma) for (let c = 0; c < 3; ++c) row -= g[r * 3 + c];
    s += psi[r] * row;
  }
  assert.ok(Math.abs(s - 1) < 1e-14);
  for (let a = 0; a < 2; ++a) assert.ok(Math.abs(psi[0] * alpha[a] + psi[1] * alpha[2 + a] + psi[2] * alpha[4 + a]) < 1e-15);
  // Diagonal Ω: no ordering effect, IS_j = ψ_j²Ω_jj/ΣψΩψ'.
  const is = informationShares(model(alpha, [1, 0, 0, 0, 2, 0, 0, 0, 0.5], gamma));
  const total = psi[0] ** 2 + 2 * psi[1] ** 2 + 0.5 * psi[2] ** 2;
  const w = [1, 2, 0.5];
  for (let j = 0; j < 3; ++j) {
    assert.ok(Math.abs(is.lower[j] - (psi[j] ** 2 * w[j]) / total) < 1e-14);
    assert.ok(Math.abs(is.upper[j] - is.lower[j]) < 1e-14);
  }
  assert.equal(is.orderings, 6);
});

/** Two prices: venue 0 follows α_0 z + u_0, venue 1 α_1 z + u_1, innovations with correlation ρ. */
function simulate(T: number, a0: number, a1: number, rho: number, seed: number): Float64Array[] {
  const random = mulberry32(seed);
  const p0 = new Float64Array(T);
  const p1 = new Float64Array(T);
  p0[0] = p1[0] = Math.log(30000);
  for (let t = 1; t < T; ++t) {
    const z = p0[t - 1] - p1[t - 1];
    const u = randomNormal(random);
    const v = rho * u + Math.sqrt(1 - rho * rho) * randomNormal(random);
    p0[t] = p0[t - 1] + a0 * z + 1e-4 * u;
    p1[t] = p1[t - 1] + a1 * z + 1e-4 * v;
  }
  return [p0, p1];
}

test("informationShares(vecm(prices)) recovers the leader's bounds from simulated prices", () => {
  const fit = vecm(simulate(50000, 0, 0.3, 0.5, 1), {lags: 2});
  const is = informationShares(fit);
  assert.ok(Math.abs(is.lower[0] - 0.75) < 0.03, `${is.lower[0]}`);
  assert.ok(is.upper[0] > 0.98);
  const gg = componentShares(fit);
  assert.ok(Math.abs(gg.shares[0] - 1) < 4 * gg.se[0], `${gg.shares[0]} ± ${gg.se[0]}`);
});

test("componentShares(vecm(prices)) recovers a planted Gonzalo–Granger share within its standard error", () => {
  const fit = vecm(simulate(50000, -0.1, 0.3, 0, 2), {lags: 1});
  const gg = componentShares(fit);
  assert.ok(Math.abs(gg.shares[0] - 0.75) < 4 * gg.se[0], `${gg.shares[0]} ± ${gg.se[0]}`);
  assert.ok(gg.se[0] > 0.001 && gg.se[0] < 0.05);
  const is = informationShares(fit);
  assert.ok(Math.abs(is.mid[0] - 0.9) < 0.03, `${is.mid[0]}`);
});

test("informationShares(vecm(prices)) of an efficient price and a delayed noisy copy gives the leader nearly all", () => {
  // p0 = m_t (random walk), p1 = m_{t−1} + noise: p1 carries no new information.
  const random = mulberry32(3);
  const T = 50000;
  const m = new Float64Array(T);
  const p0 = new Float64Array(T);
  const p1 = new Float64Array(T);
  m[0] = Math.log(30000);
  for (let t = 1; t < T; ++t) m[t] = m[t - 1] + 1e-4 * randomNormal(random);
  for (let t = 0; t < T; ++t) {
    p0[t] = m[t];
    p1[t] = (t > 0 ? m[t - 1] : m[0]) + 5e-5 * randomNormal(random);
  }
  const is = informationShares(vecm([p0, p1], {lags: 5}));
  assert.ok(is.lower[0] > 0.9, `[${is.lower[0]}, ${is.upper[0]}]`);
  assert.ok(is.upper[1] < 0.1);
});

test("informationShares(model) rejects a singular Ω", () => {
  assert.throws(() => informationShares(model([0, 0.1], [1, 1, 1, 1])), /invalid omega/);
});
