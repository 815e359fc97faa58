/** Price of every venue over the span, with planted regimes shaded when the data is simulated. */
import * as Plot from "@observablehq/plot";
import {plotWidth} from "./width.js";

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
    width: plotWidth(width),
    height,
    marginLeft: 60,
    x: {type: "utc", label: "time (UTC)"},
    y: {label: "price", grid: true},
    color: {legend: true, domain: [...new Set(rows.map((d) => d.venue))]},
    marks: [
      // Regimes in grey, darker the more turbulent, so the colour scale stays the venues'.
      ...[["crash", 0.16], ["recovery", 0.07]].map(([name, opacity]) =>
        Plot.rectX(
          regimes.filter((d) => d.name === name),
          {x1: (d: Regime) => new Date(d.start), x2: (d: Regime) => new Date(d.end), fill: "currentColor", fillOpacity: opacity as number}
        )
      ),
      Plot.text(regimes, {x: (d: Regime) => new Date((d.start + d.end) / 2), frameAnchor: "top", dy: 4, text: "name", fill: "currentColor"}),
      Plot.lineY(rows, {x: (d: OverviewRow) => new Date(d.t), y: "price", stroke: "venue", strokeWidth: 1.2, tip: true})
    ]
  });
}
