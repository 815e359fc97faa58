/** Chapter 02 charts: arrival rates, size tails, sign autocorrelation, Epps curves, lead–lag, price discovery and the cross-venue spread. */
import * as Plot from "@observablehq/plot";
import {plotWidth} from "./width.js";

/** Venue colours shared by every chart of the chapter. */
export const VENUE_COLORS: Record<string, string> = {binance: "#e3a008", bybit: "#444444", okx: "#1f77b4", coinbase: "#2ca02c", "binance-spot": "#9c6b00", "binance-coinm": "#d62728"};

const colorOf = (venues: string[]) => ({domain: venues, range: venues.map((v) => VENUE_COLORS[v] ?? "gray"), legend: true});

export interface HourlyRate {
  venue: string;
  hour: number;
  rate: number;
  rateSE: number;
  planted: number | null;
}

/** Trades per second by UTC hour per venue (log scale), with the planted expected rate dashed when known. */
export function hourlyRateChart(rows: HourlyRate[], {width, venues}: {width: number; venues: string[]}) {
  const planted = rows.filter((d) => d.planted !== null && Number.isFinite(d.planted));
  return Plot.plot({
    width: plotWidth(width),
    height: 300,
    marginLeft: 55,
    x: {label: "hour of day (UTC)", domain: [0, 24], ticks: 12},
    y: {type: "log", label: "trades per second", grid: true, tickFormat: "~g"},
    color: colorOf(venues),
    marks: [
      Plot.line(planted, {x: (d: HourlyRate) => d.hour + 0.5, y: "planted", z: "venue", stroke: "venue", strokeDasharray: "4,3", strokeOpacity: 0.8}),
      Plot.ruleX(rows, {x: (d: HourlyRate) => d.hour + 0.5, y1: (d: HourlyRate) => d.rate - 2 * d.rateSE, y2: (d: HourlyRate) => d.rate + 2 * d.rateSE, stroke: "venue"}),
      Plot.dot(rows, {x: (d: HourlyRate) => d.hour + 0.5, y: "rate", fill: "venue", r: 3, tip: true, title: (d: HourlyRate) => `${d.venue} ${d.hour}:00 UTC\n${d.rate.toFixed(2)} trades/s${d.planted !== null ? `\nplanted ${d.planted.toFixed(2)}` : ""}`})
    ]
  });
}

export interface SizeTail {
  venue: string;
  ccdf: {x: number[]; p: number[]};
  hill: {alpha: number; threshold: number};
  planted: {tailAlpha: number; tailThresholdBtc: number} | null;
}

/** Complementary CDF of trade sizes on log–log axes, with each venue's Hill fit above its threshold (and the planted slope dotted). */
export function ccdfChart(rows: SizeTail[], {width, venues}: {width: number; venues: string[]}) {
  const points = rows.flatMap((r) => r.ccdf.x.map((x, i) => ({venue: r.venue, x, p: r.ccdf.p[i]}))).filter((d) => d.x > 0 && d.p > 0);
  const fits = rows.flatMap((r) => {
    const i = r.ccdf.x.findIndex((x) => x >= r.hill.threshold);
    if (i < 0 || !Number.isFinite(r.hill.alpha)) return [];
    const p0 = r.ccdf.p[i];
    const x0 = r.ccdf.x[i];
    const x1 = r.ccdf.x[r.ccdf.x.length - 1];
    const line = (alpha: number, kind: string) => [
      {venue: r.venue, kind, x: x0, p: p0},
      {venue: r.venue, kind, x: x1, p: p0 * Math.pow(x1 / x0, -alpha)}
    ];
    return [...line(r.hill.alpha, "Hill fit"), ...(r.planted ? line(r.planted.tailAlpha, "planted") : [])];
  });
  return Plot.plot({
    width: plotWidth(width),
    height: 340,
    marginLeft: 60,
    x: {type: "log", label: "trade size (BTC) →", tickFormat: "~g"},
    y: {type: "log", label: "↑ P(size ≥ x)", grid: true, tickFormat: ".0e"},
    color: colorOf(venues),
    marks: [
      Plot.line(points, {x: "x", y: "p", stroke: "venue", strokeWidth: 1.5}),
      Plot.line(fits.filter((d) => d.kind === "Hill fit"), {x: "x", y: "p", z: "venue", stroke: "black", strokeWidth: 1, strokeDasharray: "5,3"}),
      Plot.line(fits.filter((d) => d.kind === "planted"), {x: "x", y: "p", z: "venue", stroke: "red", strokeWidth: 1, strokeDasharray: "1,3"})
    ]
  });
}

/** The Hill plot: the tail-exponent estimate α̂ against the number k of upper order statistics (log k), the chosen k marked, the planted α as a red rule. */
export function hillChart(
  rows: {venue: string; hillPlot: {k: number[]; alpha: number[]}; hill: {alpha: number; k: number}; planted: {tailAlpha: number} | null}[],
  {width, venues}: {width: number; venues: string[]}
) {
  const pts = rows.flatMap((r) => r.hillPlot.k.map((k, i) => ({venue: r.venue, k, alpha: r.hillPlot.alpha[i]}))).filter((d) => d.k >= 10 && Number.isFinite(d.alpha));
  const planted = [...new Set(rows.map((r) => r.planted?.tailAlpha).filter((a): a is number => Number.isFinite(a)))];
  return Plot.plot({
    width: plotWidth(width),
    height: 260,
    marginLeft: 55,
    x: {type: "log", label: "k, upper order statistics used →", tickFormat: "~s"},
    y: {label: "↑ Hill estimate α̂", grid: true, domain: [0, 4]},
    color: colorOf(venues),
    marks: [
      Plot.ruleY(planted, {stroke: "red", strokeDasharray: "4,3"}),
      Plot.line(pts, {x: "k", y: (d: {alpha: number}) => Math.min(4, d.alpha), stroke: "venue", clip: true}),
      Plot.dot(rows.filter((r) => Number.isFinite(r.hill.alpha)), {x: (r: {hill: {k: number}}) => r.hill.k, y: (r: {hill: {alpha: number}}) => r.hill.alpha, fill: "venue", stroke: "black", r: 5})
    ]
  });
}

export interface AcfLine {
  venue: string;
  rho: number[];
  fit: {range: [number, number]; exponent: number; amplitude: number};
}

/** Taker-order sign autocorrelation ρ(ℓ) on log–log axes per venue, the power-law fit dashed over its range; an optional sample curve in black. */
export function signAcfChart(lines: AcfLine[], {width, venues, sample}: {width: number; venues: string[]; sample?: {label: string; rho: ArrayLike<number>} | null}) {
  const pts = lines.flatMap((l) => l.rho.map((r, lag) => ({venue: l.venue, lag, r})).filter((d) => d.lag >= 1 && d.r > 0));
  const fits = lines.flatMap((l) =>
    Number.isFinite(l.fit.exponent)
      ? l.fit.range.map((lag) => ({venue: l.venue, lag, r: l.fit.amplitude * Math.pow(lag, -l.fit.exponent)}))
      : []
  );
  const samplePts = sample ? Array.from(sample.rho, (r, lag) => ({lag, r})).filter((d) => d.lag >= 1 && d.r > 0) : [];
  return Plot.plot({
    width: plotWidth(width),
    height: 340,
    marginLeft: 60,
    x: {type: "log", label: "lag ℓ (taker orders) →", tickFormat: "~g"},
    y: {type: "log", label: "↑ sign autocorrelation ρ(ℓ)", grid: true, tickFormat: "~g"},
    color: colorOf(venues),
    marks: [
      Plot.line(pts, {x: "lag", y: "r", stroke: "venue", strokeOpacity: 0.85}),
      Plot.line(fits, {x: "lag", y: "r", z: "venue", stroke: "venue", strokeWidth: 2.5, strokeDasharray: "6,3"}),
      ...(sample
        ? [
            Plot.dot(samplePts, {x: "lag", y: "r", r: 1.2, fill: "black", fillOpacity: 0.5}),
            Plot.text([sample.label], {frameAnchor: "top-right", dy: 4, dx: -4, text: (d: string) => `black dots: ${d}`})
          ]
        : [])
    ]
  });
}

export interface EppsLine {
  pair: string;
  scaleSec: number[];
  correlation: number[];
  lower: number[];
  upper: number[];
}

/** Correlation of two venues' returns against the sampling interval (the Epps effect), with 95 % intervals. */
export function eppsChart(lines: EppsLine[], {width, highlight}: {width: number; highlight?: string}) {
  const pts = lines.flatMap((l) => l.scaleSec.map((s, i) => ({pair: l.pair, s, r: l.correlation[i], lo: l.lower[i], hi: l.upper[i]})));
  return Plot.plot({
    width: plotWidth(width),
    height: 320,
    marginLeft: 55,
    x: {type: "log", label: "sampling interval (s) →", ticks: [1, 5, 10, 30, 60], tickFormat: (d: number) => `${d}`},
    y: {label: "↑ return correlation", grid: true},
    color: {legend: true, scheme: "tableau10"},
    marks: [
      Plot.ruleX(pts, {x: "s", y1: "lo", y2: "hi", stroke: "pair"}),
      Plot.line(pts, {x: "s", y: "r", stroke: "pair", strokeWidth: (d: {pair: string}) => (d.pair === highlight ? 3 : 1.2)}),
      Plot.dot(pts, {x: "s", y: "r", fill: "pair", r: 3, tip: true, title: (d: {pair: string; s: number; r: number; lo: number; hi: number}) => `${d.pair}, ${d.s} s\nρ = ${d.r.toFixed(3)} [${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}]`})
    ]
  });
}

/** Lagged cross-correlation r(ℓ) against the lag in seconds, with the ±1.96/√n band, the peak and the planted lag. */
export function xcorrChart(
  {lagSec, r, band, peakSec, plantedSec, title}: {lagSec: ArrayLike<number>; r: ArrayLike<number>; band: number; peakSec: number; plantedSec: number | null; title: string},
  {width}: {width: number}
) {
  const pts = Array.from(r, (v, i) => ({lag: lagSec[i], r: v}));
  return Plot.plot({
    className: "plot-ch02-xcorr",
    width: plotWidth(width),
    height: 300,
    marginLeft: 55,
    x: {label: "lag (s) → positive: first venue leads", grid: true},
    y: {label: "↑ correlation", grid: true},
    marks: [
      Plot.areaY(pts, {x: "lag", y1: -band, y2: band, fill: "gray", fillOpacity: 0.2}),
      Plot.ruleY([0]),
      ...(plantedSec !== null ? [Plot.ruleX([plantedSec], {stroke: "red", strokeDasharray: "4,3"}), Plot.text([plantedSec], {x: (d: number) => d, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start", fill: "red", text: () => "planted"})] : []),
      Plot.lineY(pts, {x: "lag", y: "r", stroke: "steelblue", curve: "step"}),
      Plot.dot([{lag: peakSec, r: pts.reduce((m, d) => (d.lag === peakSec ? d.r : m), NaN)}], {x: "lag", y: "r", r: 5, fill: "crimson"}),
      Plot.text([title], {frameAnchor: "top-left", dx: 6, dy: 4})
    ]
  });
}

/** The Hayashi–Yoshida correlation against the shift (ms), with the estimated lead, its bootstrap interval and the planted lead. */
export function hyChart(
  {shiftMs, correlation, leadMs, interval, plantedMs, title}: {shiftMs: number[]; correlation: number[]; leadMs: number; interval: [number, number]; plantedMs: number | null; title: string},
  {width}: {width: number}
) {
  const pts = shiftMs.map((s, i) => ({s, r: correlation[i]}));
  return Plot.plot({
    className: "plot-ch02-hy",
    width: plotWidth(width),
    height: 260,
    marginLeft: 55,
    x: {label: "shift θ (ms) → positive: first venue leads", grid: true},
    y: {label: "↑ HY correlation", grid: true},
    marks: [
      Plot.rectX([interval], {x1: (d: [number, number]) => d[0] - 2.5, x2: (d: [number, number]) => d[1] + 2.5, fill: "crimson", fillOpacity: 0.15}),
      ...(plantedMs !== null ? [Plot.ruleX([plantedMs], {stroke: "red", strokeDasharray: "4,3"})] : []),
      Plot.line(pts, {x: "s", y: "r", stroke: "steelblue"}),
      Plot.dot(pts, {x: "s", y: "r", r: 2, fill: "steelblue"}),
      Plot.ruleX([leadMs], {stroke: "crimson"}),
      Plot.text([title], {frameAnchor: "top-left", dx: 6, dy: 4})
    ]
  });
}

export interface ShareRange {
  pair: string;
  venue: string;
  lower: number;
  upper: number;
  mid: number;
  gg: number;
}

/** Hasbrouck information-share bounds (bar from lower to upper, tick at the midpoint) and Gonzalo–Granger shares (diamond) per venue and pair. */
export function shareChart(rows: ShareRange[], {width, venues}: {width: number; venues: string[]}) {
  return Plot.plot({
    width: plotWidth(width),
    height: 40 + 34 * new Set(rows.map((d) => d.pair)).size * 2,
    marginLeft: 170,
    x: {domain: [0, 1], label: "share of price discovery →", grid: true},
    y: {label: null, domain: rows.map((d) => `${d.pair} · ${d.venue}`)},
    color: colorOf(venues),
    marks: [
      Plot.barX(rows, {x1: "lower", x2: "upper", y: (d: ShareRange) => `${d.pair} · ${d.venue}`, fill: "venue", fillOpacity: 0.45, inset: 4}),
      Plot.tickX(rows, {x: "mid", y: (d: ShareRange) => `${d.pair} · ${d.venue}`, stroke: "black", strokeWidth: 2}),
      Plot.dot(rows.filter((d) => Number.isFinite(d.gg)), {x: (d: ShareRange) => Math.max(0, Math.min(1, d.gg)), y: (d: ShareRange) => `${d.pair} · ${d.venue}`, symbol: "diamond", fill: "black", r: 4, tip: true, title: (d: ShareRange) => `${d.venue}: IS [${d.lower.toFixed(3)}, ${d.upper.toFixed(3)}], mid ${d.mid.toFixed(3)}; GG ${d.gg.toFixed(3)}`})
    ]
  });
}

/** Per-window spread proxy against realised volatility: the windows as dots, binned means (`spreadPair(...).binned`) with intervals, the fitted line. */
export function spreadChart(
  {rv, spread, binned, slope, intercept, title}: {rv: ArrayLike<number>; spread: ArrayLike<number>; binned: {rv: number; spread: number; lower: number; upper: number}[]; slope: number; intercept: number; title: string},
  {width}: {width: number}
) {
  const pts: {rv: number; s: number}[] = [];
  for (let i = 0; i < rv.length; ++i) if (Number.isFinite(rv[i]) && Number.isFinite(spread[i])) pts.push({rv: rv[i], s: spread[i]});
  const xMax = pts.reduce((m, d) => Math.max(m, d.rv), 0);
  return Plot.plot({
    width: plotWidth(width),
    height: 320,
    marginLeft: 55,
    x: {label: "realised volatility over the minute (bp) →", grid: true},
    y: {label: "↑ mean |p_A − p_B − basis| (USD)", grid: true},
    marks: [
      Plot.dot(pts, {x: "rv", y: "s", r: 1.5, fill: "gray", fillOpacity: 0.35}),
      Plot.ruleX(binned, {x: "rv", y1: "lower", y2: "upper", stroke: "crimson", strokeWidth: 2}),
      Plot.dot(binned, {x: "rv", y: "spread", fill: "crimson", r: 4}),
      Plot.line([{x: 0, y: intercept}, {x: xMax, y: intercept + slope * xMax}], {x: "x", y: "y", stroke: "black", strokeDasharray: "5,3"}),
      Plot.text([title], {frameAnchor: "top-left", dx: 6, dy: 4})
    ]
  });
}
