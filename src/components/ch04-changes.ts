/** Chapter 04 charts of change points against known events, of regimes on the price, and of indicator spikes before volatility changes. */
import * as Plot from "@observablehq/plot";
import type {Mark, Shade} from "./ch04-observables.js";

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
        width,
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

/** The price with the planted regimes shaded, and under it a strip of the windows' regime labels. */
export function regimeTimeline(
  price: {t: ArrayLike<number>; price: ArrayLike<number>},
  windows: {t: ArrayLike<number>; label: ArrayLike<number>; stepSec: number},
  {width, names, shades = [], marks = []}: {width: number; names: readonly string[]; shades?: Shade[]; marks?: Mark[]}
): HTMLElement {
  const line: {t: Date; p: number}[] = [];
  const every = Math.max(1, Math.floor(price.t.length / 3000));
  for (let i = 0; i < price.t.length; i += every) if (+price.price[i] > 0) line.push({t: new Date(+price.t[i]), p: +price.price[i]});
  const bands: {t1: Date; t2: Date; name: string}[] = [];
  for (let j = 0; j < windows.t.length; ++j) {
    const name = names[+windows.label[j]];
    if (name === "unlabelled") continue;
    bands.push({t1: new Date(+windows.t[j] - windows.stepSec * 1000), t2: new Date(+windows.t[j]), name});
  }
  const domain = line.length ? [line[0].t, line[line.length - 1].t] : undefined;
  const div = document.createElement("div");
  div.append(
    Plot.plot({
      width,
      height: 260,
      marginLeft: 70,
      marginBottom: 8,
      x: {type: "utc", domain, axis: null},
      y: {grid: true, label: "price"},
      marks: [
        Plot.rectX(shades, {x1: (d: Shade) => new Date(d.start), x2: (d: Shade) => new Date(d.end), fill: (d: Shade) => (d.name === "crash" ? "crimson" : "orange"), fillOpacity: 0.1}),
        Plot.text(shades, {x: (d: Shade) => new Date((d.start + d.end) / 2), text: "name", frameAnchor: "top", dy: 6, fontSize: 10}),
        Plot.ruleX(marks, {x: (d: Mark) => new Date(d.time), stroke: "currentColor", strokeOpacity: 0.3, strokeDasharray: "3,3"}),
        Plot.lineY(line, {x: "t", y: "p", stroke: "currentColor", strokeWidth: 1})
      ]
    }),
    Plot.plot({
      width,
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
  const rows: {t: Date; v: number}[] = [];
  for (let i = 0; i < series.t.length; ++i) if (Number.isFinite(+series.values[i])) rows.push({t: new Date(+series.t[i]), v: +series.values[i]});
  const spikes = Array.from(series.spikes, (j) => ({t: new Date(+series.t[j]), v: +series.values[j]}));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 60,
    x: {type: "utc", label: "time (UTC) — window end"},
    y: {grid: true, label},
    marks: [
      Plot.rectX(events, {x1: (e: number) => new Date(e - horizonMin * 60_000), x2: (e: number) => new Date(e), fill: "red", fillOpacity: 0.08}),
      Plot.ruleX(events, {x: (e: number) => new Date(e), stroke: "red"}),
      Plot.lineY(rows, {x: "t", y: "v", stroke: "steelblue", strokeWidth: 1}),
      Plot.dot(spikes, {x: "t", y: "v", fill: "black", r: 3})
    ]
  });
}
