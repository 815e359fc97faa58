/**
 * A seeded 2-D Ising model (Metropolis dynamics): a system with a known continuous phase
 * transition, used to check the phase-transition observables of chapter 04.
 */
import {mulberry32} from "./random.js";

/** Onsager's critical temperature of the square-lattice Ising model, T_c = 2 / ln(1 + √2) ≈ 2.269 (J = k_B = 1). */
export const ISING_CRITICAL_TEMPERATURE = 2 / Math.log(1 + Math.SQRT2);

/**
 * Onsager–Yang spontaneous magnetisation of the infinite square lattice,
 * m(T) = (1 − sinh⁻⁴(2/T))^{1/8} below T_c and 0 above (Yang 1952, Phys. Rev. 85: 808).
 */
export function isingSpontaneousMagnetisation(temperature: number): number {
  if (!(temperature > 0)) throw new RangeError(`invalid temperature: ${temperature}`);
  if (temperature >= ISING_CRITICAL_TEMPERATURE) return 0;
  return Math.pow(1 - Math.pow(Math.sinh(2 / temperature), -4), 1 / 8);
}

/** Options of {@link isingMetropolis}. */
export interface IsingOptions {
  /** Lattice side L (an integer ≥ 2); N = L² spins with periodic boundaries. */
  size: number;
  /** Temperature T in units of J/k_B (> 0). */
  temperature: number;
  /** Recorded sweeps (one sweep = N attempted flips), an integer ≥ 1. */
  sweeps: number;
  /** Sweeps discarded before recording (default 200). */
  burnIn?: number;
  /** Seed of the generator (32-bit integer). */
  seed: number;
  /** Initial state: all spins up (`"ordered"`, default) or independent ±1 (`"random"`). */
  start?: "ordered" | "random";
}

/** A recorded Ising run: one entry per sweep, and the final lattice. */
export interface IsingRun {
  /** Magnetisation per spin m = (1/N) Σ sᵢ ∈ [−1, 1] after each sweep. */
  magnetisation: Float64Array;
  /** Energy per spin e = −(1/N) Σ_⟨ij⟩ sᵢ sⱼ ∈ [−2, 2] after each sweep. */
  energy: Float64Array;
  /** Final spins (±1), row-major L × L. */
  spins: Int8Array;
}

/**
 * Metropolis simulation of the ferromagnetic Ising model H = −Σ_⟨ij⟩ sᵢ sⱼ (J = 1, no field) on
 * an L × L periodic square lattice: each step picks a random site and flips it with probability
 * min(1, e^{−ΔE/T}), ΔE = 2 sᵢ Σ_{j∼i} sⱼ ∈ {−8, −4, 0, 4, 8} (Metropolis et al. 1953; Newman &
 * Barkema 1999, §3.1). Deterministic for a given seed (mulberry32).
 *
 * Below T_c ≈ 2.269 ⟨|m|⟩ approaches the Onsager–Yang value; above it, it falls towards
 * O(1/L); the susceptibility N(⟨m²⟩ − ⟨|m|⟩²)/T peaks near T_c, shifted up by O(1/L) on a
 * finite lattice. Near T_c the dynamics slow down (critical slowing down): successive sweeps
 * are strongly correlated, so use many sweeps. Cost: N·(burnIn + sweeps) updates.
 */
export function isingMetropolis(options: IsingOptions): IsingRun {
  const {size: L, temperature: T, sweeps, burnIn = 200, seed, start = "ordered"} = options;
  if (!Number.isInteger(L) || L < 2) throw new RangeError(`invalid size: ${L}`);
  if (!(T > 0 && T < Infinity)) throw new RangeError(`invalid temperature: ${T}`);
  if (!Number.isInteger(sweeps) || sweeps < 1) throw new RangeError(`invalid sweeps: ${sweeps}`);
  if (!Number.isInteger(burnIn) || burnIn < 0) throw new RangeError(`invalid burnIn: ${burnIn}`);
  if (start !== "ordered" && start !== "random") throw new RangeError(`invalid start: ${start}`);
  const random = mulberry32(seed);
  const N = L * L;
  const s = new Int8Array(N);
  for (let i = 0; i < N; ++i) s[i] = start === "ordered" ? 1 : random() < 0.5 ? 1 : -1;
  // Acceptance probabilities indexed by ΔE/4 (1 or 2).
  const accept = [1, Math.exp(-4 / T), Math.exp(-8 / T)];
  let M = 0;
  let E = 0;
  for (let i = 0; i < N; ++i) {
    const r = (i / L) | 0;
    const c = i - r * L;
    M += s[i];
    E -= s[i] * (s[r * L + ((c + 1) % L)] + s[((r + 1) % L) * L + c]);
  }
  const magnetisation = new Float64Array(sweeps);
  const energy = new Float64Array(sweeps);
  for (let sweep = 0; sweep < burnIn + sweeps; ++sweep) {
    for (let step = 0; step < N; ++step) {
      const i = Math.floor(random() * N);
      const r = (i / L) | 0;
      const c = i - r * L;
      const h =
        s[r * L + (c + 1 === L ? 0 : c + 1)] +
        s[r * L + (c === 0 ? L - 1 : c - 1)] +
        s[(r + 1 === L ? 0 : r + 1) * L + c] +
        s[(r === 0 ? L - 1 : r - 1) * L + c];
      const dE = 2 * s[i] * h;
      if (dE <= 0 || random() < accept[dE >> 2]) {
        s[i] = -s[i];
        M += 2 * s[i];
        E += dE;
      }
    }
    if (sweep >= burnIn) {
      magnetisation[sweep - burnIn] = M / N;
      energy[sweep - burnIn] = E / N;
    }
  }
  return {magnetisation, energy, spins: s};
}
