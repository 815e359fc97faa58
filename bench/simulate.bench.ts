/**
 * The simulator at full scale: one default day (2024-08-05, four venues, rateScale 1) streamed
 * venue after venue with every batch dropped, as the archive writers consume it.
 */
import {resourceUsage} from "node:process";
import {DEFAULTS, validateConfig} from "../loaders/config.ts";
import {latentDays, planMarket, simulateVenue} from "../loaders/simulate/index.ts";
import type {BenchRow} from "./types.ts";

export default async function (): Promise<BenchRow[]> {
  const plan = planMarket(validateConfig(structuredClone(DEFAULTS)));
  const rss0 = resourceUsage().maxRSS / 1024;

  // Reference: the latent path alone, recomputed once per venue (the fixed cost of streaming venues independently).
  let t = performance.now();
  for (let i = 0; i < plan.venues.length; ++i) for (const day of latentDays(plan)) if (day.length === 0) throw new Error("empty day");
  const latentSec = (performance.now() - t) / 1000;

  const counts: Record<string, number> = {};
  t = performance.now();
  for (const v of plan.venues) {
    let n = 0;
    for (const b of simulateVenue(plan, v)) n += b.length;
    counts[v] = n;
  }
  const sec = (performance.now() - t) / 1000;
  const trades = Object.values(counts).reduce((a, b) => a + b, 0);
  const rss = resourceUsage().maxRSS / 1024;
  const perVenue = plan.venues.map((v) => `${v} ${(counts[v] / 1e6).toFixed(2)}M`).join(", ");
  return [
    {name: `simulate one full day, 4 venues (${(trades / 1e6).toFixed(1)}M trades: ${perVenue})`, value: sec, unit: "s", reference: {name: "latent path only, 4 × 1 day", value: latentSec}, target: "< 60 s", met: sec < 60},
    {name: "simulate throughput", value: trades / sec, unit: "trades/s", reference: {name: "19M trades in 60 s", value: 19e6 / 60}, target: "> 317k trades/s", met: trades / sec > 19e6 / 60},
    {name: "peak RSS streaming one full day", value: rss, unit: "MB", reference: {name: "RSS before simulating", value: rss0}, target: "< 512 MB", met: rss < 512}
  ];
}
