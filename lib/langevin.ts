/**
 * Overdamped Langevin diffusion in a one-dimensional potential, simulated by Euler–Maruyama from
 * a seed: the planted-truth process behind the metastability tests of chapter 05 (free energy,
 * dwell times, Kramers escape), and a building block for a simulated price with sticky levels.
 */
import {mulberry32, randomNormal} from "./random.js";

/** A potential U(x) with its derivative U′(x), as returned by {@link doubleWell}. */
export interface Potential {
  /** The potential U(x). */
  U: (x: number) => number;
  /** Its derivative U′(x) (the force is −U′). */
  dU: (x: number) => number;
}

/** Options of {@link langevin}. */
export interface LangevinOptions {
  /** Starting point x₀ (default 0). */
  x0?: number;
  /** Time step dt (> 0; default 0.01), in the time unit of the potential. */
  dt?: number;
  /** Number of Euler–Maruyama steps (an integer ≥ 0). */
  steps: number;
  /** Temperature T (≥ 0): the noise intensity, in the units of U. */
  temperature: number;
  /** Seed of the Gaussian increments (a 32-bit integer; default 0). */
  seed?: number;
  /**
   * Record every `thin`-th state (an integer ≥ 1; default 1), e.g. to sample a finely integrated
   * path once per second. The output has ⌊steps / thin⌋ + 1 samples.
   */
  thin?: number;
  /**
   * The derivative U′(x). When omitted it is taken from `potential` by a central difference
   * with step 10⁻⁵·max(1, |x|) (two extra evaluations per step).
   */
  gradient?: (x: number) => number;
}

/**
 * A path of the overdamped Langevin equation
 *
 *   dx = −U′(x) dt + √(2T) dW,
 *
 * integrated by Euler–Maruyama: x_{k+1} = x_k − U′(x_k)·dt + √(2T·dt)·ξ_k with ξ_k i.i.d.
 * standard normal drawn from `mulberry32(seed)`. Its stationary density is the Boltzmann
 * distribution P(x) ∝ exp(−U(x)/T), so the free energy −T ln P recovers U up to a constant, and
 * the mean time to escape a well over a barrier ΔU ≫ T follows Kramers' law
 * τ ≈ 2π / √(U″(min)·|U″(saddle)|) · exp(ΔU/T) (Kramers 1940, Physica 7: 284; Hänggi, Talkner &
 * Borkovec 1990, Rev. Mod. Phys. 62: 251, §IV, with unit friction).
 *
 * `potential` is U itself (a function of x); pass `gradient` (or use a {@link Potential} from
 * {@link doubleWell}, whose `dU` is picked up automatically) to avoid numerical differentiation.
 * The discretisation error of the stationary density is O(dt·U″); keep dt·max|U″| ≪ 1
 * (Kloeden & Platen 1992, ch. 10). T = 0 gives the deterministic gradient descent.
 *
 * Returns ⌊steps / thin⌋ + 1 samples, the first being x₀. Throws a RangeError naming the
 * offending option for a non-positive dt, a negative temperature, a non-integer `steps` or
 * `thin`, or a non-finite x₀. A path that leaves the finite numbers (a step too large for a
 * steep potential) throws a RangeError too.
 */
export function langevin(potential: ((x: number) => number) | Potential, options: LangevinOptions): Float64Array {
  const {x0 = 0, dt = 0.01, steps, temperature, seed = 0, thin = 1} = options;
  if (!(dt > 0 && dt < Infinity)) throw new RangeError(`invalid dt: ${dt}`);
  if (!(temperature >= 0 && temperature < Infinity)) throw new RangeError(`invalid temperature: ${temperature}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`invalid steps: ${steps}`);
  if (!Number.isInteger(thin) || thin < 1) throw new RangeError(`invalid thin: ${thin}`);
  if (!Number.isFinite(x0)) throw new RangeError(`invalid x0: ${x0}`);
  const U = typeof potential === "function" ? potential : potential.U;
  const gradient =
    options.gradient ??
    (typeof potential === "function"
      ? (x: number) => {
          const h = 1e-5 * Math.max(1, Math.abs(x));
          return (U(x + h) - U(x - h)) / (2 * h);
        }
      : potential.dU);
  const random = mulberry32(seed);
  const noise = Math.sqrt(2 * temperature * dt);
  const out = new Float64Array(Math.floor(steps / thin) + 1);
  let x = x0;
  out[0] = x;
  for (let k = 1, j = 1, c = 0; k <= steps; ++k) {
    x += -gradient(x) * dt + noise * randomNormal(random);
    if (++c === thin) {
      if (!Number.isFinite(x)) throw new RangeError(`invalid path: x = ${x} at step ${k} (dt too large?)`);
      out[j++] = x;
      c = 0;
    }
  }
  return out;
}

/** Options of {@link doubleWell}. */
export interface DoubleWellOptions {
  /** Barrier height a = U(centre) − U(minimum) (> 0; default 1), in the units of U. */
  height?: number;
  /** Position of the barrier top, midway between the wells (default 0). */
  centre?: number;
  /** Distance w from the centre to each minimum (> 0; default 1). */
  width?: number;
}

/** A symmetric double-well potential and its landmarks (see {@link doubleWell}). */
export interface DoubleWell extends Potential {
  /** Positions of the two minima, centre ∓ width. */
  minima: [number, number];
  /** Position of the barrier top (the saddle), the centre. */
  saddle: number;
  /** Barrier height ΔU = U(saddle) − U(minimum). */
  height: number;
  /** Curvature U″ at each minimum, 8a/w². */
  curvatureMin: number;
  /** Curvature U″ at the saddle, −4a/w² (negative). */
  curvatureSaddle: number;
  /** Kramers' mean transition time from one well to the other at temperature T (see {@link langevin}). */
  kramersTime: (temperature: number) => number;
}

/**
 * The quartic double well
 *
 *   U(x) = a·(z² − 1)²,  z = (x − c)/w,
 *
 * with minima U = 0 at x = c ± w, a barrier of height a at x = c, curvatures U″ = 8a/w² at the
 * minima and −4a/w² at the saddle. `kramersTime(T)` = 2π/√(U″min·|U″saddle|)·exp(a/T)
 * = π·w²/(2√2·a)·exp(a/T) is the mean time from one minimum to the other in the high-barrier
 * limit (Kramers 1940; Hänggi et al. 1990), with a relative error of order T/a.
 *
 * Throws a RangeError for a non-positive height or width or a non-finite centre.
 */
export function doubleWell(options: DoubleWellOptions = {}): DoubleWell {
  const {height: a = 1, centre: c = 0, width: w = 1} = options;
  if (!(a > 0 && a < Infinity)) throw new RangeError(`invalid height: ${a}`);
  if (!(w > 0 && w < Infinity)) throw new RangeError(`invalid width: ${w}`);
  if (!Number.isFinite(c)) throw new RangeError(`invalid centre: ${c}`);
  const curvatureMin = (8 * a) / (w * w);
  const curvatureSaddle = (-4 * a) / (w * w);
  const prefactor = (2 * Math.PI) / Math.sqrt(curvatureMin * -curvatureSaddle);
  return {
    U: (x) => {
      const z = (x - c) / w;
      const s = z * z - 1;
      return a * s * s;
    },
    dU: (x) => {
      const z = (x - c) / w;
      return (4 * a * z * (z * z - 1)) / w;
    },
    minima: [c - w, c + w],
    saddle: c,
    height: a,
    curvatureMin,
    curvatureSaddle,
    kramersTime: (temperature) => prefactor * Math.exp(a / temperature)
  };
}
