/** Figures of the written report (src/report.md), drawn from data/findings.json. */
import * as Plot from "@observablehq/plot";
import {venueLabel as label} from "../lib/analysis/venues.js";
import {plotWidth} from "./width.js";

/** Net outgoing transfer entropy (price → flow) of each venue per period, in millibits; the planted leader outlined. */
export function leaderBars(rows: {period: string; venue: string; score: number; planted: string | null}[], {width}: {width: number}) {
  const data = rows.map((r) => ({...r, venue: label(r.venue), mb: 1000 * r.score, isPlanted: r.planted === r.venue}));
  return Plot.plot({
    width: plotWidth(width),
    height: 230,
    marginLeft: 70,
    marginBottom: 40,
    fx: {label: null, domain: [...new Set(rows.map((r) => r.period))]},
    x: {axis: null, domain: [...new Set(data.map((r) => r.venue))]},
    y: {label: "net outgoing TE (millibits per 100 ms)", grid: true},
    color: {legend: true, domain: [...new Set(data.map((r) => r.venue))]},
    marks: [
      Plot.ruleY([0]),
      Plot.barY(data, {fx: "period", x: "venue", y: "mb", fill: "venue", stroke: (d: {isPlanted: boolean}) => (d.isPlanted ? "black" : "none"), strokeWidth: 2}),
      Plot.text(data.filter((d) => d.isPlanted), {fx: "period", x: "venue", y: "mb", text: () => "planted", dy: -8, fontSize: 9})
    ]
  });
}

/** The one-minute log realised volatility with its significant change points (solid) and the planted changes (dashed). */
export function volatilityChanges(d: {t: number[]; values: number[]; changes: number[]; planted: number[]}, {width}: {width: number}) {
  const rows = d.t.map((t, i) => ({t: new Date(t), v: d.values[i]})).filter((r) => Number.isFinite(r.v));
  return Plot.plot({
    width: plotWidth(width),
    height: 200,
    marginLeft: 60,
    x: {type: "utc", label: "time (UTC)"},
    y: {label: "log realised volatility", grid: true},
    marks: [
      Plot.ruleX(d.planted, {x: (t: number) => new Date(t), stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.7}),
      Plot.ruleX(d.changes, {x: (t: number) => new Date(t), stroke: "red", strokeOpacity: 0.7}),
      Plot.lineY(rows, {x: "t", y: "v", stroke: "steelblue", strokeWidth: 1})
    ]
  });
}

/** Mean escape time from metastable levels per planted regime: recovered with its 95 % interval, and planted (open circle). */
export function escapeTimes(rows: {name: string; meanTime: number | null; low: number | null; high: number | null; planted: number}[], {width}: {width: number}) {
  const ok = rows.filter((r) => r.meanTime !== null && r.meanTime > 0);
  return Plot.plot({
    width: plotWidth(width),
    height: 160,
    marginLeft: 80,
    x: {type: "log", label: "mean escape time (s)", grid: true},
    y: {label: null, domain: rows.map((r) => r.name)},
    marks: [
      Plot.ruleY(ok.filter((r) => r.low !== null && r.high !== null), {y: "name", x1: "low", x2: "high", stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(ok, {y: "name", x: "meanTime", fill: "steelblue", r: 4}),
      Plot.dot(rows, {y: "name", x: "planted", stroke: "black", r: 5, symbol: "circle"})
    ]
  });
}
