/** Chapter 06 charts of the event coincidences: a timeline of the three kinds of events on the price, and p-values against the tolerance. */
import * as Plot from "@observablehq/plot";
import {plotWidth} from "./width.js";

export interface Span {
  name: string;
  start: number;
  end: number;
}

export interface TimelineData {
  /** Price of the reference venue: time (ms) and price. */
  price: {t: number; price: number}[];
  /** Planted regimes (simulated data), shaded. */
  regimes: Span[];
  /** Event times (ms) by kind label. */
  events: {kind: string; t: number}[];
  /** Kinds in display order. */
  kinds: string[];
  /** Times (ms) of the triple coincidences. */
  coincident: number[];
  /** Planted event times (ms) with names (simulated data). */
  planted: {name: string; t: number}[];
}

/** Average width of a character of the planted-change labels (font size 10), px, and the room kept between two labels. */
const LABEL_CHAR_PX = 6.5;
const LABEL_GAP_PX = 6;
/** Line height of the labels, px. */
export const LABEL_ROW_PX = 12;

/**
 * Rows for labels drawn to the right of their x positions (`x`, px, any order) so that none
 * overlaps another: each label takes the first row whose previous label (in x order) ends at
 * least `gap` px before it starts; a label is `chars · charPx` px wide. Returns each label's
 * row, 0 the top one.
 */
export function labelRows(labels: {x: number; text: string}[], {charPx = LABEL_CHAR_PX, gap = LABEL_GAP_PX}: {charPx?: number; gap?: number} = {}): number[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a].x - labels[b].x);
  const ends: number[] = [];
  const rows = new Array<number>(labels.length).fill(0);
  for (const i of order) {
    const {x, text} = labels[i];
    let r = ends.findIndex((end) => end + gap <= x);
    if (r < 0) r = ends.length;
    ends[r] = x + text.length * charPx;
    rows[i] = r;
  }
  return rows;
}

/**
 * Price with shaded planted regimes above an event raster (one row per kind); planted changes
 * dashed, and the triple coincidences in red (`coincident`, or later with {@link markTimes}).
 */
export function eventTimeline(d: TimelineData, {width, height = 240}: {width: number; height?: number}): HTMLElement {
  const x = {type: "utc" as const, domain: [new Date(d.price[0]?.t ?? 0), new Date(d.price[d.price.length - 1]?.t ?? 1)]};
  const rules = [
    Plot.ruleX(d.planted, {x: (p: {t: number}) => new Date(p.t), stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.7}),
    Plot.ruleX(d.coincident, {x: (t: number) => new Date(t), stroke: "red", strokeWidth: 2, strokeOpacity: 0.6})
  ];
  // Planted-change labels staggered in rows so that close changes ("crash start", "crash end") do not overlap.
  const w = plotWidth(width);
  const [d0, d1] = x.domain.map(Number);
  const inner = w - 64 - 20;
  const rows = labelRows(d.planted.map((p) => ({x: ((p.t - d0) / Math.max(1, d1 - d0)) * inner, text: p.name})));
  const labelMarks = [...new Set(rows)].map((r) =>
    Plot.text(d.planted.filter((_, i) => rows[i] === r), {x: (p: {t: number}) => new Date(p.t), text: "name", frameAnchor: "top", dy: 4 + LABEL_ROW_PX * r, dx: 3, textAnchor: "start", fontSize: 10})
  );
  const top = Plot.plot({
    width: plotWidth(width),
    height,
    marginLeft: 64,
    marginRight: 20,
    x: {...x, label: null, axis: null},
    y: {label: "price", grid: true},
    color: {legend: true, domain: [...new Set(d.regimes.map((r) => r.name))]},
    marks: [
      Plot.rectX(d.regimes, {x1: (r: Span) => new Date(r.start), x2: (r: Span) => new Date(r.end), fill: "name", fillOpacity: 0.12}),
      ...rules,
      Plot.lineY(d.price, {x: (p: {t: number}) => new Date(p.t), y: "price", stroke: "steelblue", strokeWidth: 1.2}),
      ...labelMarks
    ]
  });
  const raster = Plot.plot({
    width: plotWidth(width),
    height: 40 + 30 * d.kinds.length,
    marginLeft: 160,
    x: {...x, label: "time (UTC)"},
    y: {domain: d.kinds, label: null},
    marks: [
      ...rules,
      Plot.tickX(d.events, {x: (e: {t: number}) => new Date(e.t), y: "kind", stroke: "kind", strokeWidth: 2, title: (e: {kind: string; t: number}) => `${e.kind} at ${new Date(e.t).toISOString().slice(11, 19)} UTC`})
    ]
  });
  const div = document.createElement("div");
  div.append(top, raster);
  return div;
}

/**
 * Draws vertical lines at `values` (x-scale values: dates for a time axis) on every plot in
 * `container` (a plot, or an element whose children are plots), replacing the lines drawn before
 * under the same `name`: marks that follow an input without redrawing the chart.
 */
export function markTimes(container: Element, values: unknown[], {name, stroke = "red", strokeWidth = 2, opacity = 0.6}: {name: string; stroke?: string; strokeWidth?: number; opacity?: number}): void {
  const plots = (container as HTMLElement & {scale?: unknown}).scale ? [container] : [...container.children];
  for (const node of plots) {
    const plot = node as Element & {scale?: (name: string) => {apply: (v: unknown) => number; range?: number[]} | undefined};
    const svg = (node.tagName.toLowerCase() === "svg" ? node : node.querySelector(":scope > svg")) as SVGSVGElement | null;
    const scale = plot.scale?.("x");
    if (!svg || !scale) continue;
    for (const old of svg.querySelectorAll(`line.${name}`)) old.remove();
    // The frame's vertical extent: the y scale's range, else the whole plot.
    const yRange = plot.scale?.("y")?.range;
    const [y1, y2] = yRange && yRange.length >= 2 ? [Math.min(...yRange), Math.max(...yRange)] : [0, Number(svg.getAttribute("height") ?? 100)];
    for (const v of values) {
      const x = scale.apply(v);
      if (!Number.isFinite(x)) continue;
      const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", name);
      line.setAttribute("stroke", stroke);
      line.setAttribute("stroke-width", String(strokeWidth));
      line.setAttribute("stroke-opacity", String(opacity));
      line.setAttribute("x1", String(x));
      line.setAttribute("x2", String(x));
      line.setAttribute("y1", String(y1));
      line.setAttribute("y2", String(y2));
      svg.append(line);
    }
  }
}

/** p-value (log scale) of each coincidence test against the tolerance, with the 5 % line and the chosen tolerance (or mark it later with {@link markTimes}). */
export function pValueCurve(rows: {test: string; toleranceMin: number; p: number}[], {width, alpha = 0.05, tolerance}: {width: number; alpha?: number; tolerance?: number}) {
  return Plot.plot({
    width: plotWidth(width),
    height: 260,
    marginLeft: 60,
    x: {label: "tolerance ± (minutes)", type: "log", ticks: [1, 2, 5, 10, 20, 30], tickFormat: (v: number) => `${v}`},
    y: {label: "p-value", type: "log", domain: [0.0005, 1], grid: true, ticks: [0.001, 0.01, 0.05, 0.1, 1], tickFormat: (v: number) => `${v}`},
    color: {legend: true},
    marks: [
      Plot.ruleY([alpha], {stroke: "red", strokeDasharray: "4,3"}),
      Plot.ruleX(tolerance === undefined ? [] : [tolerance], {stroke: "currentColor", strokeOpacity: 0.4}),
      Plot.line(rows, {x: "toleranceMin", y: "p", stroke: "test", marker: "circle"}),
      Plot.tip(rows, Plot.pointer({x: "toleranceMin", y: "p", title: (r: {test: string; toleranceMin: number; p: number}) => `${r.test}\n±${r.toleranceMin} min: p = ${r.p.toFixed(3)}`}))
    ]
  });
}

/** A plain HTML table of a few rows (cheaper to redraw than Inputs.table on every input change). */
export function smallTable<T extends Record<string, unknown>>(
  rows: T[],
  {columns, header = {}, format = {}, align = {}}: {columns: (keyof T & string)[]; header?: Partial<Record<keyof T & string, string>>; format?: Partial<Record<keyof T & string, (v: any) => string>>; align?: Partial<Record<keyof T & string, "left" | "right">>}
): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "ch06-table";
  table.style.cssText = "max-width:100%;font-size:0.85rem;";
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = header[c] ?? c;
    th.style.textAlign = align[c] ?? "left";
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const c of columns) {
      const td = tr.insertCell();
      const f = format[c];
      td.textContent = f ? f(r[c]) : String(r[c] ?? "");
      td.style.textAlign = align[c] ?? (typeof r[c] === "number" ? "right" : "left");
    }
  }
  return table;
}
