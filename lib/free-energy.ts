/**
 * The free-energy landscape of price, F(x) = −T ln P(x), its metastable levels (the minima,
 * with prominence and escape barriers) and the tracking of those levels from window to window.
 */
import {barriers, findPeaks} from "./extrema.js";

/** Options of {@link freeEnergy}. */
export interface FreeEnergyOptions {
  /**
   * The temperature T (> 0; default 1), e.g. the window's realised volatility. T = 1 gives the
   * plain shape −ln P in nats.
   */
  temperature?: number;
  /**
   * A floor on the density (≥ 0; default 0). Where P ≤ floor, F = −T ln(floor): with the default
   * 0 an empty grid point (P = 0, or a negative rounding residue) gets F = +Infinity.
   */
  floor?: number;
  /** Subtract the minimum so that min F = 0 (default false): F is defined only up to a constant. */
  relative?: boolean;
}

/**
 * The free energy of a density on a grid (Boltzmann's relation inverted):
 *
 *   F(x) = −T · ln P(x),
 *
 * in nats times the units of T (natural logarithm, as in statistical mechanics: P ∝ exp(−F/T)).
 * With T the realised volatility of the window, F is the "energy landscape" of the price and
 * differences ΔF/T = ln(P(a)/P(b)) do not depend on T. Because P is a density per unit of x,
 * F carries an additive constant (T ln of the unit); only differences matter, and `relative`
 * removes the constant by setting min F = 0.
 *
 * P = 0 (or below `floor`): see `floor`. NaN densities give NaN. Throws a RangeError for a
 * temperature that is not positive and finite or a negative floor.
 *
 * Reference: for overdamped diffusion dx = −U′ dt + √(2T) dW the stationary density is
 * P ∝ exp(−U/T) (Risken 1989, The Fokker–Planck Equation, §5.2), so −T ln P recovers the
 * potential up to a constant; for prices it is an effective potential, not a mechanism.
 */
export function freeEnergy(density: ArrayLike<number>, options: FreeEnergyOptions = {}): Float64Array {
  const {temperature = 1, floor = 0, relative = false} = options;
  if (!(temperature > 0 && temperature < Infinity)) throw new RangeError(`invalid temperature: ${temperature}`);
  if (!(floor >= 0 && floor < Infinity)) throw new RangeError(`invalid floor: ${floor}`);
  const n = density.length;
  const F = new Float64Array(n);
  let min = Infinity;
  for (let i = 0; i < n; ++i) {
    const p = +density[i];
    const v = Number.isNaN(p) ? NaN : p > floor ? -temperature * Math.log(p) : floor > 0 ? -temperature * Math.log(floor) : Infinity;
    F[i] = v;
    if (v < min) min = v;
  }
  if (relative && min < Infinity) for (let i = 0; i < n; ++i) F[i] -= min;
  return F;
}

/**
 * {@link freeEnergy} of each row of a row-major matrix of densities (`size` columns, e.g. the
 * `density` of `rollingKde` in kde.ts), row j at temperature `temperature[j]` (or one
 * temperature for all). A row whose temperature is not positive and finite (e.g. a window with
 * no volatility estimate) gives NaN. Throws a RangeError if the matrix is not a whole number of
 * rows or the temperatures do not match the rows.
 */
export function rollingFreeEnergy(
  density: ArrayLike<number>,
  size: number,
  temperature: ArrayLike<number> | number,
  options: Omit<FreeEnergyOptions, "temperature"> = {}
): Float64Array {
  if (!Number.isInteger(size) || size < 1 || density.length % size !== 0) throw new RangeError(`invalid size: ${size}`);
  const rows = density.length / size;
  if (typeof temperature !== "number" && temperature.length !== rows) {
    throw new RangeError(`invalid temperature length: ${temperature.length} (${rows} rows)`);
  }
  const out = new Float64Array(density.length);
  const d = density instanceof Float64Array ? density : Float64Array.from(density);
  for (let j = 0; j < rows; ++j) {
    const T = typeof temperature === "number" ? temperature : +temperature[j];
    if (!(T > 0 && T < Infinity)) {
      out.fill(NaN, j * size, (j + 1) * size);
      continue;
    }
    out.set(freeEnergy(d.subarray(j * size, (j + 1) * size), {...options, temperature: T}), j * size);
  }
  return out;
}

/** Options of {@link metastableLevels}. */
export interface MetastableLevelOptions {
  /** The grid positions of F's samples (e.g. `kde(...).x`); default the indices 0, 1, … */
  x?: ArrayLike<number>;
  /** Keep only minima whose prominence is at least this (in units of F, ≥ 0; default 0). */
  minProminence?: number;
}

/** The metastable levels of a landscape, one entry per level in ascending position. */
export interface MetastableLevels {
  /** Grid index of each minimum. */
  index: Int32Array;
  /** Position x of each minimum (the level, e.g. a price). */
  x: Float64Array;
  /** F at each minimum. */
  F: Float64Array;
  /** Topographic prominence (depth) of each minimum, in units of F (see `prominences` in extrema.ts). */
  prominence: Float64Array;
  /** ΔF_left: height of the saddle toward the next level on the left (Infinity if none). */
  left: Float64Array;
  /** ΔF_right: height of the saddle toward the next level on the right (Infinity if none). */
  right: Float64Array;
  /** The escape barrier min(ΔF_left, ΔF_right). */
  barrier: Float64Array;
  /** Grid index of the left saddle (−1 if none). */
  leftSaddle: Int32Array;
  /** Grid index of the right saddle (−1 if none). */
  rightSaddle: Int32Array;
  /** Position of the left saddle (NaN if none). */
  leftSaddleX: Float64Array;
  /** Position of the right saddle (NaN if none). */
  rightSaddleX: Float64Array;
}

/**
 * The metastable levels of a free-energy landscape F on a grid: its local minima whose
 * topographic prominence is at least `minProminence`, each with the barrier heights to the
 * saddles toward the neighbouring retained levels on either side (ΔF_left, ΔF_right) and the
 * escape barrier min(ΔF_left, ΔF_right) — see `localMinima`, `prominences` and `barriers` in
 * extrema.ts. A lone level has an infinite escape barrier (there is nowhere to escape to within
 * the grid). Barriers and prominences are in units of F: divide by the window's temperature for
 * the Arrhenius exponent ΔF/T of Kramers' law τ ∝ exp(ΔF/T) (Kramers 1940, Physica 7: 284).
 *
 * Throws a RangeError for a negative `minProminence` or an `x` of another length.
 */
export function metastableLevels(F: ArrayLike<number>, options: MetastableLevelOptions = {}): MetastableLevels {
  const {x, minProminence = 0} = options;
  if (x && x.length !== F.length) throw new RangeError(`invalid x length: ${x.length} (F has ${F.length})`);
  const peaks = findPeaks(F, {kind: "min", minProminence});
  const b = barriers(F, peaks.index);
  const m = peaks.index.length;
  const at = (i: number) => (i < 0 ? NaN : x ? +x[i] : i);
  const xs = new Float64Array(m);
  const Fs = new Float64Array(m);
  const leftSaddleX = new Float64Array(m);
  const rightSaddleX = new Float64Array(m);
  for (let k = 0; k < m; ++k) {
    xs[k] = at(peaks.index[k]);
    Fs[k] = F[peaks.index[k]];
    leftSaddleX[k] = at(b.leftSaddle[k]);
    rightSaddleX[k] = at(b.rightSaddle[k]);
  }
  return {
    index: peaks.index,
    x: xs,
    F: Fs,
    prominence: peaks.prominence,
    left: b.left,
    right: b.right,
    barrier: b.barrier,
    leftSaddle: b.leftSaddle,
    rightSaddle: b.rightSaddle,
    leftSaddleX,
    rightSaddleX
  };
}

/** Options of {@link trackLevels}. */
export interface TrackLevelsOptions {
  /** Largest move of a level between matched windows, in units of position (> 0). */
  tolerance: number;
  /**
   * How many consecutive windows a track may miss and still be continued (an integer ≥ 0;
   * default 0: a track ends at the first window without a match).
   */
  maxGap?: number;
}

/** One tracked level across windows. */
export interface LevelTrack {
  /** The windows in which the level was found, ascending. */
  windows: Int32Array;
  /** The level's index within each of those windows' level lists. */
  levels: Int32Array;
  /** Its position in each of those windows. */
  x: Float64Array;
}

/** Levels tracked through successive windows (see {@link trackLevels}). */
export interface LevelTracks {
  /** For window j, the track id of each of its levels (`label[j][k]` for level k). */
  label: Int32Array[];
  /** The tracks, by id, in order of first appearance. */
  tracks: LevelTrack[];
}

/**
 * Links the levels found in successive windows into tracks: the levels of window j are matched
 * one to one to the tracks alive at j (last seen within `maxGap` + 1 windows) whose last position
 * is within `tolerance`, closest pairs first (a greedy minimum-distance assignment, the usual
 * nearest-neighbour linking of particle tracking: Crocker & Grier 1996, J. Colloid Interface Sci.
 * 179: 298); unmatched levels start new tracks. A level that persists gives one long track; a
 * level that appears, drifts more than `tolerance` per window, or vanishes ends its track.
 *
 * `positions[j]` lists the positions of window j's levels (e.g. `metastableLevels(F).x`);
 * non-finite positions are left unmatched and labelled −1. Throws a RangeError for a tolerance
 * that is not positive or a negative or fractional `maxGap`.
 */
export function trackLevels(positions: ArrayLike<ArrayLike<number>>, options: TrackLevelsOptions): LevelTracks {
  const {tolerance, maxGap = 0} = options;
  if (!(tolerance > 0)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  if (!Number.isInteger(maxGap) || maxGap < 0) throw new RangeError(`invalid maxGap: ${maxGap}`);
  const windows: number[][] = [];
  const levels: number[][] = [];
  const xs: number[][] = [];
  const lastX: number[] = [];
  const lastWindow: number[] = [];
  const label: Int32Array[] = [];
  for (let j = 0; j < positions.length; ++j) {
    const p = positions[j];
    const lab = new Int32Array(p.length).fill(-1);
    // Candidate pairs (track, level) within tolerance.
    const pairs: [number, number, number][] = [];
    for (let t = 0; t < lastX.length; ++t) {
      if (j - lastWindow[t] > maxGap + 1) continue;
      for (let k = 0; k < p.length; ++k) {
        const d = Math.abs(+p[k] - lastX[t]);
        if (d <= tolerance) pairs.push([d, t, k]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const used = new Set<number>();
    for (const [, t, k] of pairs) {
      if (lab[k] >= 0 || used.has(t)) continue;
      lab[k] = t;
      used.add(t);
    }
    for (let k = 0; k < p.length; ++k) {
      const v = +p[k];
      if (!Number.isFinite(v)) continue;
      let t = lab[k];
      if (t < 0) {
        t = lastX.length;
        lastX.push(v);
        lastWindow.push(j);
        windows.push([]);
        levels.push([]);
        xs.push([]);
        lab[k] = t;
      }
      lastX[t] = v;
      lastWindow[t] = j;
      windows[t].push(j);
      levels[t].push(k);
      xs[t].push(v);
    }
    label.push(lab);
  }
  const tracks = windows.map((w, t) => ({windows: Int32Array.from(w), levels: Int32Array.from(levels[t]), x: Float64Array.from(xs[t])}));
  return {label, tracks};
}
