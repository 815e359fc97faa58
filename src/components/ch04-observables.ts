/** Chapter 04 charts over time: the phase-transition observables, and the early-warning indicators. */
import * as Plot from "@observablehq/plot";
import {plotWidth} from "./width.js";

/** A marked interval (planted crash, recovery). */
export interface Shade {
  name: string;
  start: number;
  end: number;
}

/** A marked instant (planted event, funding time, change point). */
export interface Mark {
  name: string;
  time: number;
}

/** One observable over the windows: `t` is each window's end (epoch ms). */
export interface Panel {
  key: string;
  label: string;
  t: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Planted reference level(s) of this observable, drawn as a dashed step line. */
  planted?: {start: number; end: number; value: number}[];
  /** Logarithmic y axis. */
  log?: boolean;
}

/**
 * Stacked panels, one per observable, each with its own y scale on a shared time axis, with the
 * planted crash and recovery shaded, events drawn as vertical rules and planted levels as a dashed
 * step line.
 */
export function observablesPlot(panels: Panel[], {width, shades = [], marks = [], height = 120}: {width: number; shades?: Shade[]; marks?: Mark[]; height?: number}): HTMLElement {
  const div = document.createElement("div");
  div.className = "ch04-panels";
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const p of panels) if (p.t.length) (t0 = Math.min(t0, +p.t[0])), (t1 = Math.max(t1, +p.t[p.t.length - 1]));
  const hhmm = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;
  panels.forEach((p, k) => {
    // Columns, not row objects: the finite values, times in epoch ms (the utc scale reads numbers as ms).
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < p.t.length; ++i) {
      const v = +p.values[i];
      if (Number.isFinite(v)) ts.push(+p.t[i]), vs.push(v);
    }
    const planted = (p.planted ?? []).flatMap((s, i) => [{t: new Date(s.start), v: s.value, z: i}, {t: new Date(s.end), v: s.value, z: i}]);
    const last = k === panels.length - 1;
    div.append(
      Plot.plot({
        width: plotWidth(width),
        height: last ? height + 30 : height,
        marginLeft: 60,
        marginBottom: last ? 35 : 8,
        x: {type: "utc", domain: [new Date(t0), new Date(t1)], axis: last ? "bottom" : null, label: "time (UTC) — window end"},
        y: {grid: true, label: p.label, type: p.log ? "log" : "linear", nice: true},
        marks: [
          Plot.rectX(shades, {x1: (d: Shade) => new Date(d.start), x2: (d: Shade) => new Date(d.end), fill: (d: Shade) => (d.name === "crash" ? "crimson" : "orange"), fillOpacity: 0.1}),
          Plot.ruleX(marks, {x: (d: Mark) => new Date(d.time), stroke: "currentColor", strokeOpacity: 0.35, strokeDasharray: "3,3"}),
          Plot.lineY(vs, {x: ts, y: vs, stroke: "steelblue", strokeWidth: 1.2}),
          Plot.lineY(planted, {x: "t", y: "v", z: "z", stroke: "orange", strokeDasharray: "5,3", strokeWidth: 1.8}),
          // The tip formats the one value under the pointer (a title channel would format every window on each redraw).
          Plot.tip(vs, Plot.pointerX({x: ts, y: vs, format: {x: hhmm, y: (v: number) => v.toPrecision(3)}}))
        ]
      })
    );
  });
  return div;
}

/** Rolling early-warning indicators before the transition (one panel each, with a least-squares trend), the transition as a red rule. */
export function earlyWarningPlot(
  data: {t: ArrayLike<number>; variance: ArrayLike<number>; autocorrelation: ArrayLike<number>},
  {width, target}: {width: number; target: number | null}
): HTMLElement {
  const div = document.createElement("div");
  const panels = [
    {label: "variance of detrended log price (×10⁸)", values: data.variance, scale: 1e8},
    {label: "lag-1 autocorrelation", values: data.autocorrelation, scale: 1}
  ];
  panels.forEach((p, k) => {
    // Columns of the finite values, times in epoch ms (the utc scale reads numbers as ms).
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < data.t.length; ++i) if (Number.isFinite(+p.values[i])) ts.push(+data.t[i]), vs.push(+p.values[i] * p.scale);
    const last = k === panels.length - 1;
    div.append(
      Plot.plot({
        width: plotWidth(width),
        height: last ? 170 : 140,
        marginLeft: 60,
        marginBottom: last ? 35 : 8,
        x: {type: "utc", axis: last ? "bottom" : null, label: "time (UTC) — window end"},
        y: {grid: true, label: p.label, nice: true},
        marks: [
          Plot.lineY(vs, {x: ts, y: vs, stroke: "steelblue"}),
          Plot.linearRegressionY(vs, {x: ts, y: vs, stroke: "orange", ci: 0}),
          target === null ? null : Plot.ruleX([target], {stroke: "red", strokeDasharray: "4,3"})
        ]
      })
    );
  });
  return div;
}

/** A one-line readout of labelled values, each in an element with `data-ch04="<key>"`, and a trailing note. */
export function readout(items: {key: string; label: string; value: string}[], note = ""): HTMLElement {
  const p = document.createElement("p");
  p.className = "ch04-readout";
  items.forEach((item, i) => {
    if (i > 0) p.append(" · ");
    p.append(`${item.label} `);
    const b = document.createElement("b");
    b.dataset.ch04 = item.key;
    b.textContent = item.value;
    p.append(b);
  });
  if (note) p.append(` · ${note}`);
  return p;
}

/** A paragraph of plain text, in italics. */
export function textBlock(text: string): HTMLElement {
  const p = document.createElement("p");
  const em = document.createElement("em");
  em.textContent = text;
  p.append(em);
  return p;
}
