/** Chapter 06 market-state dashboard: state cards for one moment, the day's state series with the moment marked, and the free-energy landscape at the moment. */
import * as Plot from "@observablehq/plot";
import type {MarketState} from "../lib/analysis/ch06.js";
import {venueLabel} from "../lib/analysis/venues.js";
import {plotWidth} from "./width.js";

const label = (v: string | null) => (v === null ? null : venueLabel(v));

const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits}));

function card(title: string, value: string, detail: string, key: string): HTMLElement {
  const el = document.createElement("div");
  el.className = "card ch06-card";
  el.dataset.state = key;
  el.style.cssText = "margin:0;padding:0.6rem 0.8rem;min-width:0;";
  const h = document.createElement("h3");
  h.textContent = title;
  h.style.cssText = "margin:0 0 0.3rem;font-size:0.85rem;font-weight:500;opacity:0.8;";
  const v = document.createElement("div");
  v.className = "ch06-value";
  v.textContent = value;
  v.style.cssText = "font-size:1.35rem;font-weight:600;line-height:1.2;";
  const d = document.createElement("div");
  d.textContent = detail;
  d.style.cssText = "font-size:0.8rem;opacity:0.8;margin-top:0.3rem;";
  el.append(h, v, d);
  return el;
}

/** A grid of cards describing the market at one moment; each value element carries `data-state`. */
export function stateCards(s: MarketState, {width}: {width: number}): HTMLElement {
  const grid = document.createElement("div");
  grid.className = "ch06-dashboard";
  grid.dataset.time = String(s.time);
  const cols = width > 900 ? 3 : width > 560 ? 2 : 1;
  grid.style.cssText = `display:grid;grid-template-columns:repeat(${cols}, minmax(0, 1fr));gap:0.8rem;margin:0.5rem 0 1rem;`;
  const ent = s.entropy.map((e) => `${venueLabel(e.venue)} ${fmt(e.h, 3)}${e.h < e.low ? " ↓" : ""}`).join(" · ");
  grid.append(
    card(`Flow entropy (${s.entropyWindowMin} min, normalised)`, ent, "↓: below the venue's 5th percentile of the day (an entropy drop)", "entropy"),
    card(`Temperature (${s.regimeWindowMin} min)`, `${fmt(100 * s.temperature, 0)} % a year`, `annualised realised volatility; return correlation length ${fmt(s.correlationLength, 1)} s`, "temperature"),
    card(
      "Regime (chapter 04's rule)",
      s.regime,
      `cold: ordered (low entropy, long correlations); hot: disordered; critical: correlations growing${s.plantedRegime === null ? "" : ` — planted: ${s.plantedRegime}`}`,
      "regime"
    ),
    card(`Largest net TE (${s.teWindowMin} min, descriptive)`, label(s.leader) ?? "n/a", `net outflow ${fmt(1000 * s.netFlow, 2)} millibits per 100 ms; chapter 03's rolling window: ${label(s.rollingLeader) ?? "n/a"}${s.plantedLeader === null ? "" : `; planted ${label(s.plantedLeader)}`}`, "leader"),
    card(
      `Nearest metastable level (${s.landscapeWindowMin} min)`,
      s.level === null ? "none" : `${fmt(s.level, 0)} USD`,
      `price ${fmt(s.price, 0)} USD; barrier ${s.barrier === null ? "n/a" : Number.isFinite(s.barrier) ? `${fmt(s.barrier, 2)} nats` : "∞ (lone level)"}; spacing ${fmt(s.spacing, 0)} USD${s.plantedWell === null ? "" : `; nearest planted well ${fmt(s.plantedWell, 0)} USD`}`,
      "level"
    )
  );
  return grid;
}

export interface StateSeries {
  /** Rows {t (ms), series, value}: the entropy of each venue and the temperature, sampled every minute or so. */
  entropy: {t: number; venue: string; h: number}[];
  temperature: {t: number; value: number}[];
  regimes: {start: number; end: number; regime: string}[];
}

/** The day's state: entropy per venue, temperature and the recovered regime band; mark the moment with `markTimes` (ch06-events.ts). */
export function stateStrip(d: StateSeries, {width}: {width: number}): HTMLElement {
  const x = {type: "utc" as const, label: null};
  const entropy = Plot.plot({
    width: plotWidth(width),
    height: 170,
    marginLeft: 64,
    x: {...x, axis: null},
    y: {label: "entropy", grid: true},
    color: {legend: true},
    marks: [Plot.lineY(d.entropy, {x: (r: {t: number}) => new Date(r.t), y: "h", stroke: "venue", strokeWidth: 1})]
  });
  const temperature = Plot.plot({
    width: plotWidth(width),
    height: 120,
    marginLeft: 64,
    x: {...x, axis: null},
    y: {label: "volatility (a year)", grid: true, tickFormat: "%"},
    marks: [Plot.lineY(d.temperature, {x: (r: {t: number}) => new Date(r.t), y: "value", stroke: "darkorange"})]
  });
  const band = Plot.plot({
    width: plotWidth(width),
    height: 70,
    marginLeft: 64,
    x: {...x, label: "time (UTC)"},
    y: {axis: null},
    color: {legend: true, domain: ["unlabelled", "cold", "critical", "hot"], range: ["#ddd", "#4e79a7", "#f28e2b", "#e15759"]},
    marks: [Plot.rectX(d.regimes, {x1: (r: {start: number}) => new Date(r.start), x2: (r: {end: number}) => new Date(r.end), fill: "regime", inset: 0})]
  });
  const div = document.createElement("div");
  div.className = "ch06-strip";
  div.append(entropy, temperature, band);
  return div;
}

/** The free-energy shape −ln P of the window ending at the moment, its metastable levels, the current price and the planted wells. */
export function landscapeChart(
  d: {x: ArrayLike<number>; shape: ArrayLike<number>; levels: {x: number; barrier: number}[]; price: number; wells: number[]},
  {width}: {width: number}
) {
  const rows: {x: number; f: number}[] = [];
  for (let i = 0; i < d.x.length; ++i) if (Number.isFinite(d.shape[i])) rows.push({x: d.x[i], f: d.shape[i]});
  const lo = rows.length ? rows[0].x : 0;
  const hi = rows.length ? rows[rows.length - 1].x : 1;
  return Plot.plot({
    width: plotWidth(width),
    height: 240,
    marginLeft: 56,
    x: {label: "price (USD)", domain: [lo, hi]},
    y: {label: "−ln P (nats)", grid: true},
    marks: [
      Plot.ruleX(d.wells.filter((w) => w >= lo && w <= hi), {stroke: "currentColor", strokeOpacity: 0.25, strokeDasharray: "2,3"}),
      Plot.lineY(rows, {x: "x", y: "f", stroke: "steelblue"}),
      Plot.dot(d.levels, {x: "x", y: 0, r: 5, fill: "seagreen", title: (l: {x: number; barrier: number}) => `level ${l.x.toFixed(0)} USD, barrier ${Number.isFinite(l.barrier) ? l.barrier.toFixed(2) : "∞"} nats`}),
      Plot.ruleX([d.price], {stroke: "red", strokeWidth: 1.5})
    ]
  });
}
