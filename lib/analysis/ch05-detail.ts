/**
 * Chapter 05's packed landscapes (lib/analysis/ch05-packed.ts) cut by time, so that they are
 * published as hour chunks (loaders/pages/chapters.ts) and page 05 reads the windows of the range
 * its reader selects instead of the whole span. A choice splits into its head — window length,
 * bandwidth, price grid and the dwell analysis, which are not per window — and one slice per
 * chunk holding the per-window parts of the windows whose last 1 s bin lies in the chunk: the
 * bandwidth, temperature and occupancy of each window, its levels (with their barriers, masses
 * and saddles) and its quantised shape. Joining the slices of the windows inside a range gives a
 * PackedLandscape of those windows, counted from the range's start: exactly the build's values
 * (the doubles and shape bytes are copied, not recomputed). A choice's dwell analysis (its stays,
 * one per visit of a level over the whole span) is not in the head either: it is published whole
 * beside the chunks, read only when a page's range is the whole span ({@link LandscapeHead}).
 *
 * The chapter's own per-window tables — `windows`, `levels`, `tracks` and the Kramers points —
 * are cut the same way ({@link sliceTables}: a window by its last 1 s bin, a level and a Kramers
 * point by their window, a track by its first window; lib/analysis/time-chunks.ts), `ch05.json`
 * keeping their counts and the median temperature ({@link tablesHead}); {@link joinTables} gives
 * the tables of consecutive chunks back, over the whole span the chapter's.
 */
import type {Chapter05} from "./ch05.js";
import type {PackedLandscape} from "./ch05-packed.js";
import {packFloat64, unpackFloat64} from "./packed.js";
import {joinColumns, sliceColumns, sliceRows, timeCuts} from "./time-chunks.js";

/** A choice without its per-window parts and its dwell analysis: what `ch05.json` keeps of it. */
export type LandscapeHead = Omit<PackedLandscape, "bandwidths" | "temperature" | "near" | "range" | "offsets" | "levels" | "shape" | "dwell">;

const LEVEL_FIELDS = ["x", "barrier", "mass", "leftSaddleX", "rightSaddleX"] as const;

/** The per-window parts of windows [j0, j0 + count) of a choice. */
export interface LandscapeSlice {
  /** Index of the slice's first window in the whole span's landscape. */
  j0: number;
  bandwidths: string;
  temperature: string;
  near: string;
  range: string;
  /** Levels of each window. */
  counts: number[];
  levels: PackedLandscape["levels"];
  shape: PackedLandscape["shape"];
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
function base64Of(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** `P` without its per-window parts and its dwell analysis. */
export function landscapeHead(P: PackedLandscape): LandscapeHead {
  const {bandwidths: _b, temperature: _t, near: _n, range: _r, offsets: _o, levels: _l, shape: _s, dwell: _d, ...head} = P;
  return head;
}

/**
 * `P` cut into one slice per range of windows: `cuts` are the first window of each slice (ascending,
 * the first 0), the last slice running to the last window.
 */
export function sliceLandscape(P: PackedLandscape, cuts: readonly number[]): LandscapeSlice[] {
  const count = P.offsets.length - 1;
  const perWindow = {bandwidths: unpackFloat64(P.bandwidths), temperature: unpackFloat64(P.temperature), near: unpackFloat64(P.near), range: unpackFloat64(P.range)};
  for (const [k, v] of Object.entries(perWindow)) if (v.length !== count) throw new RangeError(`invalid landscape: ${v.length} values of ${k} for ${count} windows`);
  const levels = Object.fromEntries(LEVEL_FIELDS.map((f) => [f, unpackFloat64(P.levels[f])])) as Record<(typeof LEVEL_FIELDS)[number], Float64Array>;
  const shape = bytesOf(P.shape.bytes);
  const shapeOffset = new Int32Array(count + 1);
  for (let j = 0; j < count; ++j) shapeOffset[j + 1] = shapeOffset[j] + P.shape.length[j];
  return cuts.map((j0, k) => {
    const j1 = Math.min(count, k + 1 < cuts.length ? cuts[k + 1] : count);
    const a = Math.min(j0, j1);
    const [l0, l1] = [P.offsets[a], P.offsets[j1]];
    return {
      j0: a,
      bandwidths: packFloat64(perWindow.bandwidths.subarray(a, j1)),
      temperature: packFloat64(perWindow.temperature.subarray(a, j1)),
      near: packFloat64(perWindow.near.subarray(a, j1)),
      range: packFloat64(perWindow.range.subarray(a, j1)),
      counts: Array.from({length: j1 - a}, (_, i) => P.offsets[a + i + 1] - P.offsets[a + i]),
      levels: Object.fromEntries(LEVEL_FIELDS.map((f) => [f, packFloat64(levels[f].subarray(l0, l1))])) as PackedLandscape["levels"],
      shape: {start: P.shape.start.slice(a, j1), length: P.shape.length.slice(a, j1), bytes: base64Of(shape.subarray(shapeOffset[a], shapeOffset[j1]))}
    };
  });
}

/**
 * The PackedLandscape of windows [j0, j1) of the whole span's landscape from its head and the
 * slices that hold them (any order; slices outside are ignored): window j0 becomes window 0.
 */
export function joinLandscape<H extends LandscapeHead>(head: H, slices: readonly LandscapeSlice[], [j0, j1]: readonly [number, number]): H & Omit<PackedLandscape, keyof LandscapeHead | "dwell"> {
  const parts = [...slices].sort((a, b) => a.j0 - b.j0);
  const per = {bandwidths: [] as number[], temperature: [] as number[], near: [] as number[], range: [] as number[]};
  const levels = Object.fromEntries(LEVEL_FIELDS.map((f) => [f, [] as number[]])) as Record<(typeof LEVEL_FIELDS)[number], number[]>;
  const offsets = [0];
  const start: number[] = [];
  const length: number[] = [];
  const shape: Uint8Array[] = [];
  let next = j0;
  for (const s of parts) {
    const n = s.counts.length;
    if (n === 0 || s.j0 + n <= next || s.j0 >= j1) continue;
    if (s.j0 > next) throw new RangeError(`invalid slices: window ${next} is missing (a slice starts at ${s.j0})`);
    const from = next - s.j0;
    const to = Math.min(n, j1 - s.j0);
    const values = {bandwidths: unpackFloat64(s.bandwidths), temperature: unpackFloat64(s.temperature), near: unpackFloat64(s.near), range: unpackFloat64(s.range)};
    for (const k of Object.keys(per) as (keyof typeof per)[]) per[k].push(...values[k].subarray(from, to));
    const levelStart = s.counts.slice(0, from).reduce((a, b) => a + b, 0);
    const levelEnd = levelStart + s.counts.slice(from, to).reduce((a, b) => a + b, 0);
    for (const f of LEVEL_FIELDS) levels[f].push(...unpackFloat64(s.levels[f]).subarray(levelStart, levelEnd));
    for (let i = from; i < to; ++i) offsets.push(offsets[offsets.length - 1] + s.counts[i]);
    const bytes = bytesOf(s.shape.bytes);
    const byteStart = s.shape.length.slice(0, from).reduce((a, b) => a + b, 0);
    const byteEnd = byteStart + s.shape.length.slice(from, to).reduce((a, b) => a + b, 0);
    start.push(...s.shape.start.slice(from, to));
    length.push(...s.shape.length.slice(from, to));
    shape.push(bytes.subarray(byteStart, byteEnd));
    next = s.j0 + to;
  }
  if (next < j1) throw new RangeError(`invalid slices: windows ${next}…${j1 - 1} are missing`);
  const all = new Uint8Array(shape.reduce((a, b) => a + b.length, 0));
  shape.reduce((o, b) => (all.set(b, o), o + b.length), 0);
  return {
    ...head,
    bandwidths: packFloat64(per.bandwidths),
    temperature: packFloat64(per.temperature),
    near: packFloat64(per.near),
    range: packFloat64(per.range),
    offsets,
    levels: Object.fromEntries(LEVEL_FIELDS.map((f) => [f, packFloat64(levels[f])])) as PackedLandscape["levels"],
    shape: {start, length, bytes: base64Of(all)}
  };
}

/**
 * The windows of a landscape of `window` samples every `stride` lying wholly inside the samples
 * [from, to) of a span of `n` samples: [j0, j1), window j covering samples j·stride … j·stride + window − 1.
 */
export function windowsInside([from, to]: readonly [number, number], n: number, window: number, stride: number): [number, number] {
  const count = n < window ? 0 : Math.floor((n - window) / stride) + 1;
  const j0 = Math.min(count, Math.ceil(from / stride));
  const j1 = Math.max(j0, Math.min(count, Math.floor((Math.min(n, to) - window) / stride) + 1));
  return [j0, j1];
}

/** What `ch05.json` keeps of the chapter's per-window tables: their row counts and the median temperature. */
export interface TablesHead {
  windows: {count: number; medianTemperature: number};
  levels: {count: number};
  tracks: {count: number};
  kramers: Omit<Chapter05["kramers"], "points"> & {points: number};
}

/** The rows of the per-window tables that fall in one chunk (see the module comment). */
export interface TablesSlice {
  windows: Omit<Chapter05["windows"], "medianTemperature">;
  levels: Chapter05["levels"];
  tracks: Chapter05["tracks"];
  kramersPoints: Chapter05["kramers"]["points"];
}

/** The heads of `ch`'s per-window tables. */
export function tablesHead(ch: Pick<Chapter05, "windows" | "levels" | "tracks" | "kramers">): TablesHead {
  const {points, ...kramers} = ch.kramers;
  return {windows: {count: ch.windows.end.length, medianTemperature: ch.windows.medianTemperature}, levels: {count: ch.levels.window.length}, tracks: {count: ch.tracks.length}, kramers: {...kramers, points: points.length}};
}

/** `ch`'s per-window tables cut into one slice per chunk of `chunkMs` of `span`; window j at its last 1 s bin, end[j] − 1 ms. */
export function sliceTables(ch: Pick<Chapter05, "windows" | "levels" | "tracks" | "kramers">, span: readonly [number, number], chunkMs: number): TablesSlice[] {
  const {medianTemperature: _m, ...windows} = ch.windows;
  const at = (j: number) => {
    if (!(j >= 0 && j < windows.end.length)) throw new RangeError(`invalid window index: ${j} (${windows.end.length} windows)`);
    return windows.end[j] - 1;
  };
  const w = sliceColumns(windows, timeCuts(windows.end.map((e) => e - 1), span, chunkMs));
  const l = sliceColumns(ch.levels, timeCuts(ch.levels.window.map(at), span, chunkMs));
  const t = sliceRows(ch.tracks, timeCuts(ch.tracks.map((r) => at(r.windows[0])), span, chunkMs));
  const k = sliceRows(ch.kramers.points, timeCuts(ch.kramers.points.map((p) => at(p.window)), span, chunkMs));
  return w.map((windows, i) => ({windows, levels: l[i], tracks: t[i], kramersPoints: k[i]}));
}

/** The per-window tables of consecutive chunks (in time order) under their heads: over the whole span, the chapter's. */
export function joinTables(head: TablesHead, slices: readonly TablesSlice[]): Pick<Chapter05, "windows" | "levels" | "tracks" | "kramers"> {
  if (slices.length === 0) throw new RangeError("invalid slices: none");
  const {points: _p, ...kramers} = head.kramers;
  return {
    windows: {...joinColumns(slices.map((s) => s.windows)), medianTemperature: head.windows.medianTemperature},
    levels: joinColumns(slices.map((s) => s.levels)),
    tracks: slices.flatMap((s) => s.tracks),
    kramers: {points: slices.flatMap((s) => s.kramersPoints), ...kramers}
  };
}
