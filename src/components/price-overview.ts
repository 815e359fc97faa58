/** Price of every venue over the span, with planted regimes shaded when the data is simulated. */
import * as Plot from "@observablehq/plot";

export interface OverviewRow {
  venue: string;
  t: number;
  price: number;
}

export interface Regime {
  name: string;
  start: number;
  end: number;
}

export function priceOverview(rows: OverviewRow[], {width, regimes = [], height = 320}: {width: number; regimes?: Regime[]; height?: number}) {
  return Plot.plot({
    width,
    height,
    marginLeft: 60,
    x: {type: "utc", label: "time (UTC)"},
    y: {label: "price", grid: true},
    color: {legend: true},
    marks: [
      Plot.rectX(regimes, {x1: (d: Regime) => new Date(d.start), x2: (d: Regime) => new Date(d.end), fill: "name", fillOpacity: 0.12}),
      Plot.text(regimes, {x: (d: Regime) => new Date((d.start + d.end) / 2), frameAnchor: "top", dy: 4, text: "name", fill: "currentColor"}),
      Plot.lineY(rows, {x: (d: OverviewRow) => new Date(d.t), y: "price", stroke: "venue", strokeWidth: 1.2, tip: true})
    ]
  });
}
