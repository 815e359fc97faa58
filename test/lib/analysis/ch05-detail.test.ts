// Chapter 05's packed landscapes cut by time (lib/analysis/ch05-detail.ts): the slices of every
// chunk joined give back the whole landscape, and the windows inside a range give the landscape of
// those windows, counted from the range's start, with the build's values.
import assert from "node:assert/strict";
import {test} from "node:test";
import type {PackedLandscape} from "../../../lib/analysis/ch05-packed.ts";
import {joinLandscape, joinTables, landscapeHead, sliceLandscape, sliceTables, tablesHead, windowsInside} from "../../../lib/analysis/ch05-detail.ts";
import type {Chapter05} from "../../../lib/analysis/ch05.ts";
import {packFloat64, unpackFloat64} from "../../../lib/analysis/packed.ts";

/** A landscape of `count` windows with distinct values, some windows without levels or density. */
function landscape(count: number): PackedLandscape {
  const counts = Array.from({length: count}, (_, j) => (j * 7) % 4);
  const offsets = counts.reduce((o, c) => [...o, o[o.length - 1] + c], [0]);
  const levels = offsets[count];
  const start = Array.from({length: count}, (_, j) => (j % 9 === 4 ? -1 : j % 13));
  const length = start.map((s, j) => (s < 0 ? 0 : 1 + ((j * 5) % 11)));
  const bytes = Uint8Array.from({length: length.reduce((a, b) => a + b, 0)}, (_, i) => (i * 37) % 256);
  const d = (k: number, n: number) => packFloat64(Float64Array.from({length: n}, (_, i) => (i % 17 === 3 ? NaN : k + i / 3)));
  return {
    windowSec: 3600,
    bandwidth: "test",
    grid: {lo: 60_000, hi: 61_000, size: 400},
    bandwidths: d(1, count),
    temperature: d(2, count),
    near: d(3, count),
    range: d(4, count),
    offsets,
    levels: {x: d(5, levels), barrier: d(6, levels), mass: d(7, levels), leftSaddleX: d(8, levels), rightSaddleX: d(9, levels)},
    shape: {start, length, bytes: btoa(String.fromCharCode(...bytes))},
    dwell: {coldStays: [1, 2], hotStays: [3], cold: {n: 2, rate: 0.5, mean: 2, statistic: 0.1, pValue: 0.5, method: "bootstrap"} as never, hot: {n: 1, rate: null, mean: null, statistic: null, pValue: null, method: "bootstrap"} as never, levels: []}
  };
}

test("slices joined give back the whole landscape", () => {
  const P = landscape(61);
  const slices = sliceLandscape(P, [0, 5, 5, 17, 40, 60]);
  // The head leaves the dwell analysis (whole-span stays) to its own file; with it, the join is P.
  assert.equal("dwell" in landscapeHead(P), false);
  const head = {...landscapeHead(P), dwell: P.dwell};
  assert.deepEqual(joinLandscape(head, slices, [0, 61]), P);
  assert.deepEqual(joinLandscape(head, [...slices].reverse(), [0, 61]), P, "in any order");
  assert.throws(() => joinLandscape(landscapeHead(P), slices.filter((_, k) => k !== 3), [0, 61]), /missing/);
});

test("the windows of a range: exactly the build's values, window j0 first", () => {
  const P = landscape(61);
  const slices = sliceLandscape(P, [0, 10, 20, 30, 40, 50, 60]);
  const [j0, j1] = [14, 37];
  const R = joinLandscape({...landscapeHead(P), dwell: P.dwell}, slices.slice(1, 4), [j0, j1]);
  const f = (text: string) => Array.from(unpackFloat64(text));
  assert.deepEqual(f(R.temperature), f(P.temperature).slice(j0, j1));
  assert.deepEqual(f(R.near), f(P.near).slice(j0, j1));
  assert.deepEqual(R.offsets, P.offsets.slice(j0, j1 + 1).map((o) => o - P.offsets[j0]));
  assert.deepEqual(f(R.levels.barrier), f(P.levels.barrier).slice(P.offsets[j0], P.offsets[j1]));
  assert.deepEqual(R.shape.start, P.shape.start.slice(j0, j1));
  const bytes = (s: string) => Array.from(atob(s), (c) => c.charCodeAt(0));
  const skip = P.shape.length.slice(0, j0).reduce((a, b) => a + b, 0);
  assert.deepEqual(bytes(R.shape.bytes), bytes(P.shape.bytes).slice(skip, skip + R.shape.length.reduce((a, b) => a + b, 0)));
  assert.deepEqual(R.dwell, P.dwell);
});

test("windows inside a range of samples", () => {
  // 3,600-sample windows every 600 samples over a day of 86,400.
  assert.deepEqual(windowsInside([0, 86_400], 86_400, 3600, 600), [0, 139]);
  assert.deepEqual(windowsInside([3600, 7200], 86_400, 3600, 600), [6, 7]);
  assert.deepEqual(windowsInside([3600, 86_400], 86_400, 3600, 600), [6, 139]);
  assert.deepEqual(windowsInside([0, 1800], 86_400, 3600, 600), [0, 0]);
  assert.deepEqual(windowsInside([0, 100], 50, 3600, 600), [0, 0]);
});

/** Chapter 05's per-window tables over `hours` hours from t0: windows every 10 min ending from the first hour on, levels per window, tracks and Kramers points. */
function tables(t0: number, hours: number): Pick<Chapter05, "windows" | "levels" | "tracks" | "kramers"> {
  const end = Array.from({length: (hours - 1) * 6 + 1}, (_, j) => t0 + 3_600_000 + j * 600_000);
  const window = end.flatMap((_, j) => Array.from({length: j % 3}, () => j));
  return {
    windows: {end, temperature: end.map((_, j) => (j % 7 === 2 ? null : 1e-4 * (1 + j / 10))), hot: end.map((_, j) => Number(j % 5 === 0)), regime: end.map((_, j) => (j < 20 ? "calm" : "crash")), medianTemperature: 1.3e-4},
    levels: {window, x: window.map((j, i) => 60_000 + j + i / 4), prominence: window.map((_, i) => i / 3), barrier: window.map((_, i) => (i % 4 ? i / 5 : null)), mass: window.map(() => 0.5), track: window.map((_, i) => i % 3)},
    tracks: [0, 4, 4, 17, 30].map((w, id) => ({id, windows: [w, w + 1, w + 2], x: [1, 2, 3]})),
    kramers: {
      points: [1, 2, 2, 9, 25, 30].map((w) => ({window: w, escapeWindow: w + 1, x: 60_000 + w, barrier: null, temperature: 1e-4, exposure: 600, events: 1, meanTime: 300})),
      fit: {slope: 1, low: 0.5, high: 1.5, intercept: 2, n: 6, censored: 0, events: 6}
    } as unknown as Chapter05["kramers"]
  };
}

test("per-window tables by the hour: the heads keep the counts, every chunk joined gives the tables, rows in the chunk of their window's last second", () => {
  const t0 = Date.UTC(2024, 7, 5);
  const span: [number, number] = [t0, t0 + 6 * 3_600_000];
  const T = tables(t0, 6);
  const head = tablesHead(T);
  assert.deepEqual(head.windows, {count: 31, medianTemperature: 1.3e-4});
  assert.equal(head.kramers.points, 6);
  assert.deepEqual(head.kramers.fit, T.kramers.fit);
  const slices = sliceTables(T, span, 3_600_000);
  assert.equal(slices.length, 6);
  // Window 0 ends at the first hour's end: its last second lies in chunk 0.
  assert.deepEqual(slices.map((s) => s.windows.end.length), [1, 6, 6, 6, 6, 6]);
  assert.deepEqual(slices.map((s) => s.tracks.map((r) => r.id)), [[0], [1, 2], [], [3], [], [4]]);
  const back = joinTables(head, JSON.parse(JSON.stringify(slices)));
  assert.deepEqual(JSON.parse(JSON.stringify(back)), JSON.parse(JSON.stringify(T)));
  const part = joinTables(head, slices.slice(1, 3));
  assert.deepEqual(part.windows.end, T.windows.end.slice(1, 13));
  assert.deepEqual(part.levels.window, T.levels.window.filter((j) => j >= 1 && j < 13));
  assert.throws(() => sliceTables({...T, levels: {...T.levels, window: [...T.levels.window].reverse()}}, span, 3_600_000), /out of order/);
  assert.throws(() => sliceTables({...T, tracks: [{id: 0, windows: [99], x: [1]}]}, span, 3_600_000), /invalid window index: 99/);
});
