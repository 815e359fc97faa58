/** Chapter 03 charts of order-flow entropy: rolling entropy over price, entropy rate, event returns. */
import * as Plot from "@observablehq/plot";
import {m4} from "../lib/downsample.js";
import type {Episode, RateRow} from "../lib/analysis/ch03.js";
import type {Span} from "./ch03-te.js";
import {plotWidth} from "./width.js";

/** A regular series drawn as a line: sample i at t0 + i·dtMs, non-finite samples are gaps. */
export interface EntropyLine {
  window: string;
  values: ArrayLike<number>;
}

/**
 * The points of a regular series to draw, as columns: the M4 reduction to `columns` pixel
 * columns (lib/downsample.ts: per column the first, last, lowest and highest sample, and the ends
 * of gaps), so that the line covers the same pixels as the full series.
 */
function reduced(values: ArrayLike<number>, t0: number, dtMs: number, columns: number): {t: Float64Array; y: Float64Array} {
  const idx = m4(values, columns);
  const t = new Float64Array(idx.length);
  const y = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; ++k) (t[k] = t0 + idx[k] * dtMs), (y[k] = +values[idx[k]]);
  return {t, y};
}

/**
 * Two stacked panels sharing the time axis: the venue's price with low- and high-entropy
 * episodes shaded, and the normalised rolling entropy for each window with the episode
 * thresholds as rules. Planted spans (crash) are outlined in both. The price and the entropies
 * are regular series (sample i at t0 + i·dtMs), each drawn at full resolution reduced to
 * `columns` pixel columns by M4 (the envelope kept).
 */
export function entropyPanel(
  {
    t0,
    dtMs,
    price,
    lines,
    columns,
    marked,
    spans = [],
    thresholds
  }: {t0: number; dtMs: number; price: ArrayLike<number>; lines: EntropyLine[]; columns: number; marked: Episode[]; spans?: Span[]; thresholds: {low: number; high: number; window: string}},
  {width}: {width: number}
) {
  const div = document.createElement("div");
  // Times in epoch ms: the utc scale reads numbers as ms.
  const x = {type: "utc" as const, label: null, domain: [t0, t0 + Math.max(0, price.length - 1) * dtMs]};
  const p = reduced(price, t0, dtMs, columns);
  const parts = lines.map((l) => ({window: l.window, ...reduced(l.values, t0, dtMs, columns)}));
  const n = parts.reduce((s, q) => s + q.t.length, 0);
  const lt = new Float64Array(n);
  const ly = new Float64Array(n);
  const lz: string[] = new Array(n);
  for (let o = 0, k = 0; k < parts.length; o += parts[k].t.length, ++k) {
    lt.set(parts[k].t, o);
    ly.set(parts[k].y, o);
    lz.fill(parts[k].window, o, o + parts[k].t.length);
  }
  const spanMarks = [
    Plot.rectX(spans, {x1: "start", x2: "end", stroke: "black", strokeDasharray: "3,2", fill: "none"}),
    Plot.text(spans, {x: (d: Span) => (d.start + d.end) / 2, text: "name", frameAnchor: "top", dy: 3})
  ];
  div.append(
    Plot.plot({
      width: plotWidth(width),
      height: 220,
      marginLeft: 60,
      x,
      y: {label: "price", grid: true},
      color: {domain: ["low", "high"], range: ["crimson", "steelblue"], legend: true, tickFormat: (d: string) => `${d} entropy episode`},
      marks: [
        Plot.rectX(marked, {x1: "start", x2: (d: Episode) => Math.max(d.end, d.start + 20_000), fill: "kind", fillOpacity: 0.35}),
        ...spanMarks,
        Plot.lineY(p.y, {x: p.t, y: p.y, strokeWidth: 1})
      ]
    }),
    Plot.plot({
      width: plotWidth(width),
      height: 200,
      marginLeft: 60,
      x: {...x, label: "time (UTC)", labelOffset: 42},
      marginBottom: 46,
      y: {label: "normalised entropy", grid: true},
      color: {legend: true, scheme: "viridis", type: "ordinal"},
      marks: [
        ...spanMarks,
        Plot.ruleY([thresholds.low], {stroke: "crimson", strokeDasharray: "4,3"}),
        Plot.ruleY([thresholds.high], {stroke: "steelblue", strokeDasharray: "4,3"}),
        Plot.lineY(lz, {x: lt, y: ly, z: lz, stroke: lz, strokeWidth: 1})
      ]
    })
  );
  return div;
}

/** Entropy rate h_k against history length k per venue (k = 0 is the plain entropy). */
export function rateChart(rows: RateRow[], {width, yLabel = "bits per symbol"}: {width: number; yLabel?: string}) {
  return Plot.plot({
    width: plotWidth(width),
    height: 260,
    marginLeft: 60,
    x: {label: "history length k", ticks: 10},
    y: {label: yLabel, grid: true},
    fx: {label: null},
    color: {legend: true},
    marks: [
      Plot.lineY(rows, {x: "k", y: "h", stroke: "series", fx: "venue", marker: "circle"}),
      Plot.tip(rows, Plot.pointerX({x: "k", y: "h", fx: "venue", title: (d: RateRow) => `${d.venue} · ${d.series}\nk = ${d.k}: ${d.h.toFixed(4)}`}))
    ]
  });
}

/**
 * Distribution of the forward return after events against the unconditional one: densities of
 * two-minute log returns in basis points over common bins.
 */
export function returnDensity(groups: {name: string; values: ArrayLike<number>}[], {width, bins = 40}: {width: number; bins?: number}) {
  const all: number[] = [];
  for (const g of groups) for (let i = 0; i < g.values.length; ++i) if (Number.isFinite(g.values[i])) all.push(g.values[i] * 1e4);
  all.sort((a, b) => a - b);
  const lo = all.length ? all[Math.floor(0.005 * (all.length - 1))] : -1;
  const hi = all.length ? all[Math.ceil(0.995 * (all.length - 1))] : 1;
  const w = (hi - lo) / bins || 1;
  const rows: {name: string; x0: number; x1: number; density: number}[] = [];
  for (const g of groups) {
    const counts = new Float64Array(bins);
    let n = 0;
    for (let i = 0; i < g.values.length; ++i) {
      const v = g.values[i] * 1e4;
      if (!Number.isFinite(v)) continue;
      ++n;
      const b = Math.floor((v - lo) / w);
      if (b >= 0 && b < bins) ++counts[b];
    }
    for (let b = 0; b < bins; ++b) rows.push({name: g.name, x0: lo + b * w, x1: lo + (b + 1) * w, density: n ? counts[b] / (n * w) : 0});
  }
  return Plot.plot({
    width: plotWidth(width),
    height: 240,
    marginLeft: 60,
    x: {label: "signed two-minute log return (bp), in the direction of the flow imbalance →"},
    y: {label: "density", grid: true},
    color: {legend: true},
    marks: [
      Plot.rectY(rows, {x1: "x0", x2: "x1", y: "density", fill: "name", fillOpacity: 0.35, mixBlendMode: "multiply"}),
      Plot.ruleX([0], {stroke: "currentColor"})
    ]
  });
}
