import test from "node:test";
import assert from "node:assert/strict";
import {ISING_CRITICAL_TEMPERATURE, isingMetropolis, isingSpontaneousMagnetisation} from "../../lib/ising.js";
import {fluctuationSusceptibility} from "../../lib/susceptibility.js";

test("ISING_CRITICAL_TEMPERATURE is Onsager's 2/ln(1 + √2)", () => {
  assert.ok(Math.abs(ISING_CRITICAL_TEMPERATURE - 2.269185314213022) < 1e-12);
  assert.equal(isingSpontaneousMagnetisation(3), 0);
  assert.ok(Math.abs(isingSpontaneousMagnetisation(2) - 0.9113194) < 1e-6);
});

test("isingMetropolis(options) keeps energy and magnetisation consistent with the final lattice", () => {
  const L = 8;
  const run = isingMetropolis({size: L, temperature: 2.5, sweeps: 50, burnIn: 10, seed: 1, start: "random"});
  let M = 0, E = 0;
  for (let r = 0; r < L; ++r) {
    for (let c = 0; c < L; ++c) {
      const v = run.spins[r * L + c];
      M += v;
      E -= v * (run.spins[r * L + ((c + 1) % L)] + run.spins[((r + 1) % L) * L + c]);
    }
  }
  assert.equal(run.magnetisation[49], M / (L * L));
  assert.equal(run.energy[49], E / (L * L));
  const again = isingMetropolis({size: L, temperature: 2.5, sweeps: 50, burnIn: 10, seed: 1, start: "random"});
  assert.deepEqual(again.magnetisation, run.magnetisation);
  assert.throws(() => isingMetropolis({size: 1, temperature: 2, sweeps: 1, seed: 1}), /invalid size: 1/);
});

test("isingMetropolis(options) orders below T_c, disorders above, and its susceptibility peaks near T_c", () => {
  const L = 16;
  const N = L * L;
  const temperatures = [1.6, 2.0, 2.2, 2.35, 2.5, 2.8, 3.4];
  const rows = temperatures.map((T, i) => {
    const {magnetisation} = isingMetropolis({size: L, temperature: T, sweeps: 4000, burnIn: 500, seed: 100 + i});
    let absM = 0;
    for (const m of magnetisation) absM += Math.abs(m);
    return {T, absM: absM / magnetisation.length, chi: fluctuationSusceptibility(magnetisation, {size: N, temperature: T})};
  });
  const at = (T: number) => rows.find((r) => r.T === T)!;
  // Below T_c: close to the Onsager–Yang value (finite-size excess of a few per cent at L = 16).
  assert.ok(Math.abs(at(1.6).absM - isingSpontaneousMagnetisation(1.6)) < 0.02, `|m|(1.6) = ${at(1.6).absM}`);
  assert.ok(Math.abs(at(2.0).absM - isingSpontaneousMagnetisation(2.0)) < 0.03, `|m|(2.0) = ${at(2.0).absM}`);
  // Above T_c: |m| falls towards O(1/L).
  assert.ok(at(3.4).absM < 0.15, `|m|(3.4) = ${at(3.4).absM}`);
  assert.ok(at(2.0).absM > 3 * at(3.4).absM);
  // χ peaks within the critical region (finite-size peak at T_c(L) ≈ T_c(1 + 1/L) ≈ 2.4 for L = 16).
  const peak = rows.reduce((a, b) => (b.chi > a.chi ? b : a));
  assert.ok(peak.T >= 2.2 && peak.T <= 2.5, `χ peaks at T = ${peak.T}: ${rows.map((r) => `${r.T}:${r.chi.toFixed(2)}`).join(" ")}`);
  assert.ok(peak.chi > 5 * at(1.6).chi && peak.chi > 5 * at(3.4).chi);
});
