/**
 * Chapter 05's landscapes in the chapter's JSON and back. The build packs the page's landscape of
 * every window choice at the default bandwidth (and of every bandwidth at the default window)
 * exactly (lib/analysis/packed.ts), except the heatmap's shape, which it quantises to one byte per
 * grid point (see {@link packLandscape}). The page reads a choice instead of recomputing a kernel
 * density for every window and bootstrapping every dwell-time fit; for any other choice it calls
 * the same steps of lib/analysis/ch05.ts in the browser.
 */
import type {ExponentialFit} from "../goodness-of-fit.js";
import {landscapeWindow, type RollingLandscape} from "../landscape.js";
import {windowEnds} from "../rolling.js";
import {windowSamples, type DwellAnalysis, type LandscapeParams} from "./ch05.js";
import {packFloat64, unpackFloat64} from "./packed.js";

/** Largest shape drawn by the heatmaps, nats (their colour scale's top). */
export const SHAPE_CAP = 6;
/** Quantisation of the packed shape: min(shape, SHAPE_CAP) in SHAPE_LEVELS + 1 steps; 255 stands for +∞ (P = 0). */
const SHAPE_LEVELS = 250;
const SHAPE_INFINITE = 255;

/** A landscape (one choice of window and bandwidth) in the chapter's JSON: see {@link packLandscape}. */
export interface PackedLandscape {
  /** Window length, s. */
  windowSec: number;
  bandwidth: string;
  grid: {lo: number; hi: number; size: number};
  /** Packed doubles, one per window. */
  bandwidths: string;
  temperature: string;
  near: string;
  range: string;
  offsets: number[];
  /** Packed doubles, one per level. */
  levels: {x: string; barrier: string; mass: string; leftSaddleX: string; rightSaddleX: string};
  /** Each window's shape on its part of the grid, start (−1 for a window without density) and length, as bytes in base64. */
  shape: {start: number[]; length: number[]; bytes: string};
  dwell: {coldStays: number[]; hotStays: number[]; cold: PackedFit; hot: PackedFit; levels: PackedFit[]};
}

/** An ExponentialFit in JSON (NaN as null). */
export interface PackedFit {
  n: number;
  rate: number | null;
  mean: number | null;
  statistic: number | null;
  pValue: number | null;
  method: ExponentialFit["method"];
}

const fitToJSON = (f: ExponentialFit): PackedFit => ({n: f.n, rate: nullable(f.rate), mean: nullable(f.mean), statistic: nullable(f.statistic), pValue: nullable(f.pValue), method: f.method});
const fitFromJSON = (f: PackedFit): ExponentialFit => ({n: f.n, rate: f.rate ?? NaN, mean: f.mean ?? NaN, statistic: f.statistic ?? NaN, pValue: f.pValue ?? NaN, method: f.method});
const nullable = (x: number) => (Number.isNaN(x) ? null : x);

/**
 * `L` (of `price`, for the choice `bandwidth`) with its occupancy and dwell analysis, for the
 * chapter's JSON: every number the page reads packed exactly, except the shape −ln P of each
 * window, which only the heatmaps read: it is kept on the window's part of the grid (where P > 0
 * can be) as one byte per point, round(250·min(shape, SHAPE_CAP)/SHAPE_CAP) (a step of 0.024 nat
 * in a colour scale 6 nats long), 255 for +∞. The window's own density and shape, which the
 * profile plot draws exactly, are recomputed from its prices (lib/landscape.ts
 * `landscapeWindow`).
 */
export function packLandscape(L: RollingLandscape, windowSec: number, bandwidth: string, occ: {near: Float64Array; range: Float64Array}, dwell: DwellAnalysis): PackedLandscape {
  const G = L.size;
  const start: number[] = [];
  const length: number[] = [];
  const bytes: number[] = [];
  for (let j = 0; j < L.end.length; ++j) {
    const row = L.shape.subarray(j * G, (j + 1) * G);
    if (Number.isNaN(row[0])) {
      start.push(-1), length.push(0);
      continue;
    }
    let a = 0;
    let b = G - 1;
    while (a < G && row[a] === Infinity) ++a;
    while (b > a && row[b] === Infinity) --b;
    start.push(a), length.push(b - a + 1);
    for (let g = a; g <= b; ++g) bytes.push(row[g] === Infinity ? SHAPE_INFINITE : Math.round((SHAPE_LEVELS * Math.min(row[g], SHAPE_CAP)) / SHAPE_CAP));
  }
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.slice(i, i + 0x8000));
  return {
    windowSec,
    bandwidth,
    grid: {lo: L.x[0], hi: L.x[G - 1], size: G},
    bandwidths: packFloat64(L.bandwidth),
    temperature: packFloat64(L.temperature),
    near: packFloat64(occ.near),
    range: packFloat64(occ.range),
    offsets: Array.from(L.offsets),
    levels: {x: packFloat64(L.levels.x), barrier: packFloat64(L.levels.barrier), mass: packFloat64(L.levels.mass), leftSaddleX: packFloat64(L.levels.leftSaddleX), rightSaddleX: packFloat64(L.levels.rightSaddleX)},
    shape: {start, length, bytes: btoa(text)},
    dwell: {coldStays: dwell.coldStays, hotStays: dwell.hotStays, cold: fitToJSON(dwell.cold), hot: fitToJSON(dwell.hot), levels: dwell.levels.map(fitToJSON)}
  };
}

/** A landscape read back from {@link PackedLandscape}: what the page uses of a RollingLandscape, with the occupancy, the dwell analysis and the quantised shape. */
export interface UnpackedLandscape extends Pick<RollingLandscape, "x" | "size" | "step" | "window" | "stride" | "end" | "bandwidth" | "temperature" | "offsets"> {
  levels: Pick<RollingLandscape["levels"], "window" | "x" | "barrier" | "mass" | "leftSaddleX" | "rightSaddleX">;
  occupancy: {near: Float64Array; range: Float64Array};
  /** The dwell analysis, when the packed landscape carries it (a range's windows without it: undefined). */
  dwell: DwellAnalysis | undefined;
  /** The quantised shape: start and length of each window's part of the grid, and its bytes from `offset`. */
  packedShape: {start: Int32Array; length: Int32Array; offset: Int32Array; bytes: Uint8Array};
}

/** Reads a {@link PackedLandscape} of a price series of `n` samples, with the window and stride of `p` (lib/analysis/ch05.ts `windowSamples`). */
export function unpackLandscape(P: Omit<PackedLandscape, "dwell"> & Partial<Pick<PackedLandscape, "dwell">>, n: number, p: LandscapeParams): UnpackedLandscape {
  const {lo, hi, size: G} = P.grid;
  // The grid exactly as rollingLandscape builds it.
  const dx = (hi - lo) / (G - 1);
  const x = new Float64Array(G);
  for (let g = 0; g < G; ++g) x[g] = lo + g * dx;
  x[G - 1] = hi;
  const {window: windowLength, stride} = windowSamples(P.windowSec, p);
  const offsets = Int32Array.from(P.offsets);
  const count = offsets.length - 1;
  const window = new Int32Array(offsets[count]);
  for (let j = 0; j < count; ++j) window.fill(j, offsets[j], offsets[j + 1]);
  const binary = atob(P.shape.bytes);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  const offset = new Int32Array(count);
  for (let j = 1; j < count; ++j) offset[j] = offset[j - 1] + P.shape.length[j - 1];
  return {
    x,
    size: G,
    step: dx,
    window: windowLength,
    stride,
    end: windowEnds(n, {window: windowLength, step: stride}),
    bandwidth: unpackFloat64(P.bandwidths),
    temperature: unpackFloat64(P.temperature),
    levels: {window, x: unpackFloat64(P.levels.x), barrier: unpackFloat64(P.levels.barrier), mass: unpackFloat64(P.levels.mass), leftSaddleX: unpackFloat64(P.levels.leftSaddleX), rightSaddleX: unpackFloat64(P.levels.rightSaddleX)},
    offsets,
    occupancy: {near: unpackFloat64(P.near), range: unpackFloat64(P.range)},
    dwell: P.dwell ? {coldStays: P.dwell.coldStays, hotStays: P.dwell.hotStays, cold: fitFromJSON(P.dwell.cold), hot: fitFromJSON(P.dwell.hot), levels: P.dwell.levels.map(fitFromJSON)} : undefined,
    packedShape: {start: Int32Array.from(P.shape.start), length: Int32Array.from(P.shape.length), offset, bytes}
  };
}

/**
 * The heatmaps' pixels: for each row r and window j (row-major, `grid.length` rows × windows), the
 * colour step 0 … 254 of min(shape, cap)/cap of window j at grid point grid[r] (the relative shape
 * −ln P in nats), and 255 where there is none to draw (P = 0, a window without density, or a
 * grid point −1 off the grid). From a full landscape, or from one packed at build time (its bytes
 * mapped through a 256-entry table, no per-pixel arithmetic).
 */
export function shapeLevels(
  L: {size: number; end: ArrayLike<number>; shape?: Float64Array; packedShape?: UnpackedLandscape["packedShape"]},
  grid: Int32Array,
  cap: number
): Uint8Array {
  const count = L.end.length;
  const G = L.size;
  const out = new Uint8Array(grid.length * count).fill(255);
  const level = (v: number) => Math.round((254 * Math.min(v, cap)) / cap);
  if (L.shape) {
    const shape = L.shape;
    for (let r = 0; r < grid.length; ++r) {
      const g = grid[r];
      if (g < 0 || g >= G) continue;
      for (let j = 0, o = r * count; j < count; ++j, ++o) {
        const v = shape[j * G + g];
        if (Number.isFinite(v)) out[o] = level(v);
      }
    }
    return out;
  }
  const {start, length, offset, bytes} = L.packedShape!;
  const table = new Uint8Array(256).fill(255);
  for (let q = 0; q <= SHAPE_LEVELS; ++q) table[q] = level((q * SHAPE_CAP) / SHAPE_LEVELS);
  for (let r = 0; r < grid.length; ++r) {
    const g = grid[r];
    if (g < 0 || g >= G) continue;
    for (let j = 0, o = r * count; j < count; ++j, ++o) {
      const k = g - start[j];
      if (start[j] >= 0 && k >= 0 && k < length[j]) out[o] = table[bytes[offset[j] + k]];
    }
  }
  return out;
}

/**
 * Window j's density P and shape −ln P on the whole grid (P = 0 and +∞ outside its part): from a
 * full landscape, or recomputed exactly from the window's prices with its bandwidth
 * (lib/landscape.ts `landscapeWindow`, as `rollingLandscape` computes every row).
 */
export function windowRows(L: {x: Float64Array; size: number; end: ArrayLike<number>; window: number; bandwidth: ArrayLike<number>; density?: Float64Array; shape?: Float64Array}, price: Float64Array, j: number): {density: Float64Array; shape: Float64Array} {
  const G = L.size;
  if (L.density && L.shape) return {density: L.density.subarray(j * G, (j + 1) * G), shape: L.shape.subarray(j * G, (j + 1) * G)};
  const density = new Float64Array(G);
  const shape = new Float64Array(G).fill(Infinity);
  const w = landscapeWindow(price.subarray(L.end[j] - L.window + 1, L.end[j] + 1), L.x, L.bandwidth[j]);
  if (!w) return {density: density.fill(NaN), shape: shape.fill(NaN)};
  density.set(w.density, w.start);
  shape.set(w.shape, w.start);
  return {density, shape};
}
