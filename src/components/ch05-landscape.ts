/** Chapter 05 charts: temperature, one window's landscape, the time × price landscape, dwell times, Kramers' law, support and resistance. */
import * as Plot from "@observablehq/plot";
import {interpolateViridis, rgb} from "d3";
import {shapeLevels} from "../lib/analysis/ch05-packed.js";
import {plotWidth} from "./width.js";

export interface Span {
  name: string;
  start: number;
  end: number;
}

const shade = (regimes: Span[]) => [
  Plot.rectX(regimes, {x1: (d: Span) => new Date(d.start), x2: (d: Span) => new Date(d.end), fill: "name", fillOpacity: 0.1}),
  Plot.text(regimes, {x: (d: Span) => new Date((d.start + d.end) / 2), frameAnchor: "top", dy: 4, text: "name", fill: "currentColor", fontSize: 10})
];

/** The temperature of every window (realised volatility, bp per √s) with the hot threshold, and the planted σ per regime. */
export function temperaturePlot(
  rows: {t: number; T: number; hot: boolean}[],
  {width, threshold, regimes = [], planted = []}: {width: number; threshold: number; regimes?: Span[]; planted?: {start: number; end: number; sigma: number}[]}
) {
  return Plot.plot({
    width: plotWidth(width),
    height: 220,
    marginLeft: 60,
    x: {type: "utc", label: null},
    y: {label: "T = realised volatility (bp/√s)", grid: true, zero: true},
    color: {domain: ["calm", "crash", "recovery"], legend: regimes.length > 0},
    marks: [
      ...shade(regimes),
      Plot.ruleY([threshold * 1e4], {stroke: "red", strokeDasharray: "4,3"}),
      Plot.text([threshold * 1e4], {y: (d: number) => d, frameAnchor: "right", dy: -6, text: () => "hot threshold", fill: "red", fontSize: 10}),
      ...planted.map((p) => Plot.ruleY([p.sigma * 1e4], {x1: new Date(p.start), x2: new Date(p.end), stroke: "black", strokeDasharray: "2,2"})),
      Plot.line(rows, {x: (d: any) => new Date(d.t), y: (d: any) => d.T * 1e4, stroke: "steelblue"}),
      Plot.dot(rows.filter((d) => d.hot), {x: (d: any) => new Date(d.t), y: (d: any) => d.T * 1e4, r: 2, fill: "red", tip: true})
    ]
  });
}

/**
 * One window's landscape: the density P(x) above, and below the plain shape −ln P (nats) beside
 * F = −T ln P in units of the median temperature, with the window's levels and saddles.
 */
export function windowProfile(
  d: {x: ArrayLike<number>; density: ArrayLike<number>; shape: ArrayLike<number>; T: number; medianT: number; levels: number[]; saddles: number[]; wells?: number[]},
  {width}: {width: number}
) {
  const rows: {x: number; P: number; shape: number; F: number}[] = [];
  for (let g = 0; g < d.x.length; ++g) {
    if (!(d.density[g] > 0) || !Number.isFinite(d.shape[g])) continue;
    rows.push({x: d.x[g], P: d.density[g], shape: d.shape[g], F: (d.T / d.medianT) * d.shape[g]});
  }
  const lo = rows.length ? rows[0].x : 0;
  const hi = rows.length ? rows[rows.length - 1].x : 1;
  const cap = Math.min(12, Math.max(...rows.map((r) => r.F), 1));
  const wells = (d.wells ?? []).filter((w) => w >= lo && w <= hi);
  const density = Plot.plot({
    width: plotWidth(width),
    height: 160,
    marginLeft: 60,
    x: {domain: [lo, hi], label: null, tickFormat: "~f"},
    y: {label: "P(x) per USD", grid: true},
    marks: [
      Plot.areaY(rows, {x: "x", y: "P", fill: "steelblue", fillOpacity: 0.3}),
      Plot.lineY(rows, {x: "x", y: "P", stroke: "steelblue"}),
      Plot.ruleX(wells, {stroke: "orange", strokeDasharray: "4,3"}),
      Plot.ruleX(d.levels, {stroke: "black"})
    ]
  });
  const long = rows.flatMap((r) => [
    {x: r.x, y: Math.min(r.shape, cap), curve: "−ln P (nats)"},
    {x: r.x, y: Math.min(r.F, cap), curve: "F = −T ln P (units of median T)"}
  ]);
  const energy = Plot.plot({
    width: plotWidth(width),
    height: 240,
    marginLeft: 60,
    x: {domain: [lo, hi], label: "price (USD)", tickFormat: "~f"},
    y: {label: "relative to the minimum", grid: true, domain: [0, cap]},
    color: {legend: true, domain: ["−ln P (nats)", "F = −T ln P (units of median T)"], range: ["#888", "firebrick"]},
    marks: [
      Plot.ruleX(wells, {stroke: "orange", strokeDasharray: "4,3"}),
      Plot.ruleX(d.saddles, {stroke: "#aaa", strokeDasharray: "1,3"}),
      Plot.lineY(long.filter((r) => r.curve.startsWith("F")), {x: "x", y: "y", stroke: "curve"}),
      Plot.lineY(long.filter((r) => !r.curve.startsWith("F")), {x: "x", y: "y", stroke: "curve", strokeDasharray: "4,3", strokeWidth: 1.5}),
      Plot.dot(d.levels, {x: (x: number) => x, y: 0, fill: "black", r: 4, symbol: "triangle"}),
      Plot.tip(d.levels.map((x) => ({x})), Plot.pointerX({x: "x", y: 0, title: (r: any) => `level ${r.x.toFixed(1)}`}))
    ]
  });
  const el = document.createElement("div");
  el.append(density, energy);
  return el;
}

/**
 * The landscape over time: each column a window, coloured by −ln P relative to the window's
 * minimum (the shape of F; white where the window never traded), with the tracked levels and the
 * planted wells. The shape is read from a full landscape or from one packed at build time
 * (lib/analysis/ch05-packed.ts, quantised to 0.024 nat, far below what the colour scale shows).
 */
export function landscapeHeatmap(
  L: {x: ArrayLike<number>; window: number} & Parameters<typeof shapeLevels>[0],
  {
    width,
    t0,
    binMs = 1000,
    tracks = [],
    wells = [],
    range,
    regimes = [],
    height = 420,
    cap = 6,
    mark
  }: {width: number; t0: number; binMs?: number; tracks?: {x: number; t: number; id: number}[]; wells?: number[]; range: [number, number]; regimes?: Span[]; height?: number; cap?: number; mark?: number}
) {
  const count = L.end.length;
  const G = L.size;
  const step = (L.x[G - 1] - L.x[0]) / (G - 1);
  const [lo, hi] = range;
  const rowsOut = Math.max(50, Math.min(240, Math.round((hi - lo) / step)));
  // The raster drawn directly into a canvas through a 255-colour viridis table: the same picture
  // as Plot.raster with a linear viridis scale over [0, cap] (white where the window never traded),
  // without a colour string made and parsed per pixel.
  const grid = new Int32Array(rowsOut);
  for (let r = 0; r < rowsOut; ++r) grid[r] = Math.round((hi - ((r + 0.5) * (hi - lo)) / rowsOut - L.x[0]) / step);
  const levels = shapeLevels(L, grid, cap);
  const canvas = document.createElement("canvas");
  canvas.width = count;
  canvas.height = rowsOut;
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(count, rowsOut);
  const rgba = new Uint32Array(image.data.buffer);
  for (let p = 0; p < levels.length; ++p) rgba[p] = VIRIDIS[levels[p]];
  context.putImageData(image, 0, 0);
  const href = canvas.toDataURL();
  const start = (j: number) => t0 + (L.end[j] + 1) * binMs;
  const x1 = start(0) - ((L.end[1] ?? L.end[0] + 1) - L.end[0]) * binMs;
  const x2 = start(count - 1);
  const visibleWells = wells.filter((w) => w >= lo && w <= hi);
  const visibleTracks = tracks.filter((d) => d.x >= lo && d.x <= hi);
  const label = "−ln P − min (nats, capped): the shape of F";
  const div = document.createElement("div");
  div.append(
    Plot.legend({color: {type: "linear", scheme: "viridis", domain: [0, cap], label}}) as Element,
    Plot.plot({
      width: plotWidth(width),
      height,
      marginLeft: 60,
      // Times in epoch ms: the utc scale reads numbers as ms.
      x: {type: "utc", label: null, domain: [x1, x2]},
      y: {label: "price (USD)", domain: [lo, hi], grid: false},
      marks: [
        // The raster image over [x1, x2] × [lo, hi].
        (_index: number[], scales: any) => {
          const el = document.createElementNS("http://www.w3.org/2000/svg", "image");
          const [ax, bx] = [scales.x(x1), scales.x(x2)];
          const [ay, by] = [scales.y(hi), scales.y(lo)];
          el.setAttribute("x", String(Math.min(ax, bx)));
          el.setAttribute("y", String(Math.min(ay, by)));
          el.setAttribute("width", String(Math.abs(bx - ax)));
          el.setAttribute("height", String(Math.abs(by - ay)));
          el.setAttribute("preserveAspectRatio", "none");
          el.setAttribute("image-rendering", "pixelated");
          el.setAttribute("href", href);
          return el;
        },
        Plot.ruleY(visibleWells, {stroke: "orange", strokeOpacity: 0.8, strokeDasharray: "4,4"}),
        Plot.line(visibleTracks, {x: "t", y: "x", z: "id", stroke: "white", strokeWidth: 1.5, tip: {format: {x: (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`, y: (x: number) => `level ${x.toFixed(1)}`, z: false}}}),
        // Each window's level as a white dot of radius 1.5 on its track: all dots in one path, not one element each.
        (_index: number[], scales: any) => {
          let d = "";
          for (const p of visibleTracks) {
            const cx = scales.x(p.t);
            const cy = scales.y(p.x);
            d += `M${(cx - 1.5).toFixed(2)},${cy.toFixed(2)}a1.5,1.5 0 1,0 3,0a1.5,1.5 0 1,0 -3,0`;
          }
          const el = document.createElementNS("http://www.w3.org/2000/svg", "path");
          el.setAttribute("d", d);
          el.setAttribute("fill", "white");
          return el;
        },
        ...regimes.map((r) => Plot.ruleX([r.start], {stroke: "orange", strokeOpacity: 0.6})),
        mark === undefined ? null : Plot.ruleX([mark], {stroke: "red", strokeWidth: 1.5})
      ]
    })
  );
  return div;
}

/** Viridis at 255 evenly spaced points of [0, 1] as RGBA pixels (the platform's byte order), and a transparent 256th. */
const VIRIDIS = (() => {
  const bytes = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 255; ++i) {
    const c = rgb(interpolateViridis(i / 254));
    bytes.set([c.r, c.g, c.b, 255], 4 * i);
  }
  return new Uint32Array(bytes.buffer);
})();

/** Survival curves of stays (log scale) in calm and hot markets against the fitted exponentials. */
export function dwellPlot(groups: {name: string; durations: number[]; mean: number}[], {width}: {width: number}) {
  const rows = groups.flatMap((g) => g.durations.map((t, i) => ({group: g.name, t, S: 1 - i / g.durations.length})));
  const tMax = Math.max(1, ...rows.map((r) => r.t));
  const fit = groups.flatMap((g) =>
    Number.isFinite(g.mean) && g.mean > 0 ? Array.from({length: 60}, (_, i) => ({group: g.name, t: (tMax * i) / 59, S: Math.exp((-tMax * i) / 59 / g.mean)})) : []
  );
  const yMin = Math.max(1e-3, 0.5 / Math.max(1, ...groups.map((g) => g.durations.length)));
  return Plot.plot({
    width: plotWidth(width),
    height: 280,
    marginLeft: 60,
    x: {label: "stay at a level (s)", domain: [0, tMax]},
    y: {type: "log", label: "share of stays longer", domain: [yMin, 1], grid: true, tickFormat: "~%"},
    color: {legend: true, domain: groups.map((g) => g.name), range: ["steelblue", "firebrick"]},
    marks: [
      Plot.line(fit.filter((r) => r.S >= yMin), {x: "t", y: "S", stroke: "group", strokeDasharray: "4,3"}),
      Plot.dot(rows, {x: "t", y: "S", stroke: "group", r: 2.5, tip: true})
    ]
  });
}

/**
 * Kramers' law: mean escape time (log) against the barrier ΔF/T per (window, level), coloured by
 * temperature, with the fitted line, and the planted law with the planted regimes when known.
 */
export function kramersPlot(
  points: {barrier: number; meanTime: number; T: number; events: number}[],
  {
    width,
    fit,
    planted
  }: {width: number; fit: {slope: number; intercept: number}; planted?: {slope: number; intercept: number; regimes: {name: string; x: number; tau: number}[]} | null}
) {
  const xs = points.map((p) => p.barrier);
  const xMax = Math.max(1, ...xs, ...(planted?.regimes.map((r) => r.x) ?? [])) * 1.05;
  const line = (a: number, b: number) => Array.from({length: 40}, (_, i) => ({x: (xMax * i) / 39, y: Math.exp(a + b * ((xMax * i) / 39))}));
  const ys = [...points.map((p) => p.meanTime), ...(planted?.regimes.map((r) => r.tau) ?? [])];
  const yDomain: [number, number] = [Math.max(1, Math.min(...ys) / 2), Math.max(...ys) * 2];
  const clip = (rows: {x: number; y: number}[]) => rows.filter((r) => r.y >= yDomain[0] && r.y <= yDomain[1]);
  return Plot.plot({
    width: plotWidth(width),
    height: 340,
    marginLeft: 60,
    x: {label: "barrier ΔF/T (nats)", domain: [0, xMax]},
    y: {type: "log", label: "mean escape time τ (s)", domain: yDomain, grid: true},
    color: {type: "linear", scheme: "spectral", reverse: true, label: "T (bp/√s)", legend: true},
    marks: [
      Number.isFinite(fit.slope) ? Plot.line(clip(line(fit.intercept, fit.slope)), {x: "x", y: "y", stroke: "black"}) : null,
      planted ? Plot.line(clip(line(planted.intercept, planted.slope)), {x: "x", y: "y", stroke: "orange", strokeDasharray: "5,3"}) : null,
      planted ? Plot.dot(planted.regimes, {x: "x", y: "tau", symbol: "star", r: 7, stroke: "orange", strokeWidth: 2}) : null,
      planted ? Plot.text(planted.regimes, {x: "x", y: "tau", text: (r: any) => `planted ${r.name}`, dx: 8, textAnchor: "start", fill: "orange", fontSize: 10}) : null,
      Plot.dot(points, {x: "barrier", y: "meanTime", fill: (p: any) => p.T * 1e4, r: (p: any) => 2 + Math.sqrt(p.events), stroke: "black", strokeWidth: 0.5, tip: true})
    ]
  });
}

/** Reversion rate at each level set against random levels drawn from the same windows. */
export function reversionPlot(rows: {set: string; rate: number; baseline: number; pValue: number; touches: number}[], {width}: {width: number}) {
  return Plot.plot({
    width: plotWidth(Math.min(width, 640)),
    height: 60 + 40 * rows.length,
    marginLeft: 190,
    x: {label: "share of touches that reverse", domain: [0.3, 0.8], grid: true, percent: false},
    y: {label: null, domain: rows.map((r) => r.set)},
    marks: [
      Plot.ruleY(rows, {y: "set", x1: "baseline", x2: "rate", stroke: "#999"}),
      Plot.dot(rows, {y: "set", x: "baseline", stroke: "#999", r: 5}),
      Plot.dot(rows, {y: "set", x: "rate", fill: (r: any) => (r.pValue < 0.05 ? "firebrick" : "steelblue"), r: 6, tip: true, title: (r: any) => `${r.set}: ${(r.rate * 100).toFixed(1)} % of ${r.touches} touches reverse, random levels ${(r.baseline * 100).toFixed(1)} %, p = ${r.pValue}`}),
      Plot.text(rows, {y: "set", x: "rate", text: (r: any) => `p = ${r.pValue}`, dy: -10, fontSize: 10})
    ]
  });
}
