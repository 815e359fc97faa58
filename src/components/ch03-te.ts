/** Chapter 03 charts of transfer entropy and mutual information between venues. */
import * as Plot from "@observablehq/plot";
import {plotWidth} from "./width.js";

export interface Span {
  name: string;
  start: number;
  end: number;
}

export interface MatrixView {
  venues: string[];
  /** m × m values, row = source, column = target; null on the diagonal. */
  values: (number | null)[];
  /** 1 where the link is significant (Benjamini–Hochberg), else 0. */
  significant?: number[];
  pValue?: (number | null)[];
  qValue?: (number | null)[];
}

/**
 * A source × target heatmap of a TE matrix in millibits, each cell labelled with its value and a
 * ★ when the link survives the false-discovery-rate control.
 */
export function teHeatmap(
  m: MatrixView,
  {width, label = "effective TE (millibits)", diverging = false, height}: {width: number; label?: string; diverging?: boolean; height?: number}
) {
  const n = m.venues.length;
  const cells = [];
  for (let i = 0; i < n; ++i)
    for (let j = 0; j < n; ++j) {
      const v = m.values[i * n + j];
      cells.push({
        source: m.venues[i],
        target: m.venues[j],
        value: v === null ? NaN : v * 1000,
        star: m.significant?.[i * n + j] === 1,
        p: m.pValue?.[i * n + j] ?? null,
        q: m.qValue?.[i * n + j] ?? null
      });
    }
  const max = Math.max(1e-6, ...cells.map((c) => (Number.isFinite(c.value) ? Math.abs(c.value) : 0)));
  return Plot.plot({
    width: plotWidth(Math.min(width, 120 + 110 * n)),
    height: height ?? 70 + 56 * n,
    marginLeft: 90,
    marginTop: 40,
    x: {axis: "top", label: "target →", domain: m.venues},
    y: {label: "source ↓", domain: m.venues},
    color: diverging
      ? {type: "linear", scheme: "rdbu", domain: [-max, max], legend: true, label}
      : {type: "linear", scheme: "blues", domain: [0, max], legend: true, label},
    marks: [
      Plot.cell(cells.filter((c) => Number.isFinite(c.value)), {x: "target", y: "source", fill: "value", inset: 1}),
      Plot.text(cells.filter((c) => Number.isFinite(c.value)), {
        x: "target",
        y: "source",
        text: (c: any) => `${c.value.toFixed(2)}${c.star ? " ★" : ""}`,
        fill: (c: any) => (Math.abs(c.value) > 0.6 * max ? "white" : "black"),
        title: (c: any) =>
          `${c.source} → ${c.target}\n${label}: ${c.value.toFixed(3)}${c.p === null ? "" : `\nsurrogate p = ${c.p}`}${c.q === null ? "" : `\nBH q = ${c.q}`}`
      })
    ]
  });
}

export interface RollingRow {
  pair: string;
  t0: number;
  t1: number;
  value: number;
  p?: number;
}

/**
 * Rolling TE over time, one row per ordered pair: colour = effective TE (millibits) of the
 * window ending at t1; the planted spans (crash) are outlined.
 */
export function rollingHeatmap(rows: RollingRow[], {width, spans = [], pairs}: {width: number; spans?: Span[]; pairs: string[]}) {
  const max = Math.max(1e-6, ...rows.map((r) => (Number.isFinite(r.value) ? Math.abs(r.value) : 0)));
  return Plot.plot({
    width: plotWidth(width),
    height: 50 + 24 * pairs.length,
    marginLeft: 150,
    x: {type: "utc", label: "window end (UTC)", labelOffset: 42},
    marginBottom: 46,
    y: {domain: pairs, label: null},
    color: {type: "linear", scheme: "rdbu", domain: [-max, max], legend: true, label: "effective TE (millibits)"},
    marks: [
      Plot.rectX(rows, {x1: (d: RollingRow) => new Date(d.t0), x2: (d: RollingRow) => new Date(d.t1), y: "pair", fill: "value", inset: 0, tip: true}),
      Plot.rectX(spans, {x1: (d: Span) => new Date(d.start), x2: (d: Span) => new Date(d.end), stroke: "black", strokeWidth: 1.5, fill: "none"}),
      Plot.text(spans, {x: (d: Span) => new Date((d.start + d.end) / 2), text: "name", frameAnchor: "top", dy: -14})
    ]
  });
}

export interface LeaderRow {
  row: string;
  t0: number;
  t1: number;
  leader: string;
}

/** Who leads when: the TE leader of each rolling window beside the planted leader schedule. */
export function leaderTimeline(rows: LeaderRow[], {width, venues}: {width: number; venues: string[]}) {
  return Plot.plot({
    width: plotWidth(width),
    height: 130,
    marginLeft: 150,
    x: {type: "utc", label: "time (UTC)", labelOffset: 42},
    marginBottom: 46,
    y: {label: null},
    color: {domain: venues, scheme: "tableau10", legend: true},
    marks: [Plot.rectX(rows, {x1: (d: LeaderRow) => new Date(d.t0), x2: (d: LeaderRow) => new Date(d.t1), y: "row", fill: "leader", inset: 0.5, tip: true})]
  });
}

export interface LagRow {
  pair: string;
  lagMs: number;
  mi: number;
  significant: boolean;
}

/**
 * Mutual information against lag (positive: the first venue of the pair leads), one panel per
 * pair, with the lag of maximal shared information marked and the planted delay difference as
 * a dashed rule.
 */
export function lagChart(rows: LagRow[], {width, best, planted = []}: {width: number; best: {pair: string; lagMs: number; mi: number}[]; planted?: {pair: string; lagMs: number}[]}) {
  const pairs = [...new Set(rows.map((r) => r.pair))];
  return Plot.plot({
    width: plotWidth(width),
    height: 40 + 110 * pairs.length,
    marginLeft: 60,
    marginRight: 150,
    x: {label: "lag (ms) → first venue leads"},
    y: {label: "MI (millibits)", grid: true},
    fy: {domain: pairs, label: null},
    marks: [
      Plot.ruleX(planted, {x: "lagMs", fy: "pair", stroke: "orange", strokeDasharray: "4,3", strokeWidth: 2}),
      Plot.ruleY([0], {stroke: "currentColor", strokeOpacity: 0.3}),
      Plot.lineY(rows, {x: "lagMs", y: (d: LagRow) => d.mi * 1000, fy: "pair", stroke: "steelblue"}),
      Plot.dot(rows, {x: "lagMs", y: (d: LagRow) => d.mi * 1000, fy: "pair", r: 2, fill: (d: LagRow) => (d.significant ? "steelblue" : "white"), stroke: "steelblue", tip: true}),
      Plot.dot(best, {x: "lagMs", y: (d: {mi: number}) => d.mi * 1000, fy: "pair", r: 5, stroke: "red", strokeWidth: 2})
    ]
  });
}

export interface PairRollingRow {
  t: number;
  direction: string;
  te: number;
}

/** Rolling TE of one pair in both directions (browser-computed), with planted spans shaded. */
export function pairRollingChart(rows: PairRollingRow[], {width, spans = []}: {width: number; spans?: Span[]}) {
  return Plot.plot({
    width: plotWidth(width),
    height: 240,
    marginLeft: 60,
    x: {type: "utc", label: "window end (UTC)", labelOffset: 42},
    marginBottom: 46,
    y: {label: "TE (millibits)", grid: true},
    color: {legend: true},
    marks: [
      Plot.rectX(spans, {x1: (d: Span) => new Date(d.start), x2: (d: Span) => new Date(d.end), fill: "orange", fillOpacity: 0.15}),
      Plot.lineY(rows, {x: (d: PairRollingRow) => new Date(d.t), y: (d: PairRollingRow) => d.te * 1000, stroke: "direction", tip: true})
    ]
  });
}

/** Two charts side by side, wrapping below each other on a narrow page. */
export function sideBySide(a: Element, b: Element): HTMLDivElement {
  const div = document.createElement("div");
  div.style.cssText = "display:flex;flex-wrap:wrap;gap:20px;";
  div.append(a, b);
  return div;
}
