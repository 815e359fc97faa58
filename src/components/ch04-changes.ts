/** Chapter 04 charts of change points against known events, of regimes on the price, and of indicator spikes before volatility changes. */
import * as Plot from "@observablehq/plot";
import {m4} from "../lib/downsample.js";
import type {Mark, Shade} from "./ch04-observables.js";
import {plotWidth} from "./width.js";

/** A block series with its change-point candidates. */
export interface ChangeView {
  label: string;
  t: ArrayLike<number>;
  values: ArrayLike<number>;
  blockSec: number;
  candidates: {time: number; p: number; order: string; significant: boolean}[];
}

/**
 * Block series as steps (one plot each, its own y scale), candidates as vertical ticks coloured by
 * their order (first-order-like jump, second-order-like, none), thick when significant, and known
 * events as labelled rules.
 */
export function changePlot(views: ChangeView[], {width, events = [], shades = []}: {width: number; events?: (Mark & {kind: string})[]; shades?: Shade[]}): HTMLElement {
  const div = document.createElement("div");
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const v of views) if (v.t.length) (t0 = Math.min(t0, +v.t[0])), (t1 = Math.max(t1, +v.t[v.t.length - 1] + v.blockSec * 1000));
  views.forEach((v, k) => {
    const rows = Array.from(v.values, (x, i) => ({t: new Date(+v.t[i]), t2: new Date(+v.t[i] + v.blockSec * 1000), v: +x}));
    const cands = v.candidates.map((c) => ({...c, date: new Date(c.time)}));
    const first = k === 0;
    div.append(
      Plot.plot({
        width: plotWidth(width),
        height: first ? 230 : 190,
        marginLeft: 60,
        marginTop: first ? 20 : 10,
        x: {type: "utc", domain: [new Date(t0), new Date(t1)], label: "time (UTC)"},
        y: {grid: true, label: v.label, nice: true},
        color: {domain: ["first", "second", "none"], range: ["crimson", "darkorange", "gray"], legend: first, label: "order of the change"},
        marks: [
          Plot.rectX(shades, {x1: (d: Shade) => new Date(d.start), x2: (d: Shade) => new Date(d.end), fill: (d: Shade) => (d.name === "crash" ? "crimson" : "orange"), fillOpacity: 0.08}),
          Plot.ruleX(events, {x: (d: Mark) => new Date(d.time), stroke: (d: {kind: string}) => (d.kind === "planted" ? "black" : "purple"), strokeOpacity: 0.5, strokeDasharray: "2,3"}),
          Plot.lineY(rows.flatMap((r) => [{t: r.t, v: r.v}, {t: r.t2, v: r.v}]), {x: "t", y: "v", stroke: "steelblue", strokeWidth: 1}),
          Plot.tickX(cands, {x: "date", stroke: "order", strokeWidth: (d: {significant: boolean}) => (d.significant ? 3 : 1), strokeOpacity: (d: {significant: boolean}) => (d.significant ? 1 : 0.45)}),
          Plot.tip(cands, Plot.pointerX({x: "date", title: (d: {date: Date; p: number; order: string; significant: boolean}) => `${d.date.toISOString().slice(11, 16)} UTC\np = ${d.p.toFixed(3)}${d.significant ? " (significant)" : ""}\n${d.order}-order-like`}))
        ]
      })
    );
  });
  return div;
}

/**
 * The price with the planted regimes shaded, and under it a strip of the windows' regime labels.
 * The price is drawn at full resolution reduced to the plot's pixel columns by M4
 * (lib/downsample.ts: per column the first, last, lowest and highest price), which keeps its
 * envelope; the strip draws one bar per run of windows with the same label (the same cover as a
 * bar per window, with far fewer elements).
 */
export function regimeTimeline(
  price: {t: ArrayLike<number>; price: ArrayLike<number>},
  windows: {t: ArrayLike<number>; label: ArrayLike<number>; stepSec: number},
  {width, names, shades = [], marks = []}: {width: number; names: readonly string[]; shades?: Shade[]; marks?: Mark[]}
): HTMLElement {
  const positive = new Float64Array(price.price.length);
  for (let i = 0; i < positive.length; ++i) positive[i] = +price.price[i] > 0 ? +price.price[i] : NaN;
  const idx = m4(positive, Math.max(1, Math.round(width - 90)));
  const lt = new Float64Array(idx.length);
  const lp = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; ++k) (lt[k] = +price.t[idx[k]]), (lp[k] = positive[idx[k]]);
  const bands: {t1: number; t2: number; name: string}[] = [];
  for (let j = 0; j < windows.t.length; ) {
    let k = j;
    while (k + 1 < windows.t.length && +windows.label[k + 1] === +windows.label[j]) ++k;
    const name = names[+windows.label[j]];
    if (name !== "unlabelled") bands.push({t1: +windows.t[j] - windows.stepSec * 1000, t2: +windows.t[k], name});
    j = k + 1;
  }
  let first = 0;
  let last = idx.length - 1;
  while (first < idx.length && !(lp[first] > 0)) ++first;
  while (last >= 0 && !(lp[last] > 0)) --last;
  const domain = first <= last ? [lt[first], lt[last]] : undefined;
  const div = document.createElement("div");
  div.append(
    Plot.plot({
      width: plotWidth(width),
      height: 260,
      marginLeft: 70,
      marginBottom: 8,
      x: {type: "utc", domain, axis: null},
      y: {grid: true, label: "price"},
      marks: [
        Plot.rectX(shades, {x1: (d: Shade) => new Date(d.start), x2: (d: Shade) => new Date(d.end), fill: (d: Shade) => (d.name === "crash" ? "crimson" : "orange"), fillOpacity: 0.1}),
        Plot.text(shades, {x: (d: Shade) => new Date((d.start + d.end) / 2), text: "name", frameAnchor: "top", dy: 6, fontSize: 10}),
        Plot.ruleX(marks, {x: (d: Mark) => new Date(d.time), stroke: "currentColor", strokeOpacity: 0.3, strokeDasharray: "3,3"}),
        Plot.lineY(lp, {x: lt, y: lp, stroke: "currentColor", strokeWidth: 1})
      ]
    }),
    Plot.plot({
      width: plotWidth(width),
      height: 95,
      marginLeft: 70,
      x: {type: "utc", domain, label: "time (UTC) — window end"},
      y: {domain: ["cold", "critical", "hot"], label: null},
      color: {domain: ["cold", "critical", "hot"], range: ["#4a90d9", "#e8a33d", "#d9534f"], legend: true, label: "regime"},
      marks: [Plot.rectX(bands, {x1: "t1", x2: "t2", y: "name", fill: "name"})]
    })
  );
  return div;
}

/** An indicator over the windows, its spike onsets as dots, volatility changes as red rules. */
export function leadPlot(
  series: {t: ArrayLike<number>; values: ArrayLike<number>; spikes: ArrayLike<number>},
  {width, events, label, horizonMin}: {width: number; events: number[]; label: string; horizonMin: number}
) {
  // Columns of the finite values, times in epoch ms (the utc scale reads numbers as ms).
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < series.t.length; ++i) if (Number.isFinite(+series.values[i])) ts.push(+series.t[i]), vs.push(+series.values[i]);
  const st = Array.from(series.spikes, (j) => +series.t[j]);
  const sv = Array.from(series.spikes, (j) => +series.values[j]);
  return Plot.plot({
    width: plotWidth(width),
    height: 220,
    marginLeft: 60,
    x: {type: "utc", label: "time (UTC) — window end"},
    y: {grid: true, label},
    marks: [
      Plot.rectX(events, {x1: (e: number) => e - horizonMin * 60_000, x2: (e: number) => e, fill: "red", fillOpacity: 0.08}),
      Plot.ruleX(events, {stroke: "red"}),
      Plot.lineY(vs, {x: ts, y: vs, stroke: "steelblue", strokeWidth: 1}),
      Plot.dot(sv, {x: st, y: sv, fill: "black", r: 3})
    ]
  });
}
