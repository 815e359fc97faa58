/**
 * Metastability kernels: binned Gaussian KDE and the free energy −T ln P over a day of 1 s prices
 * (86 400 samples) and over 10^7 trade prices on a 512-point grid, in ns per sample, against the
 * direct O(n·G) KDE timed on a subsample in the same run (its cost per sample does not depend on
 * n); the rolling version over a day (1 h windows every 15 min); and the accuracy of the binned
 * estimate against the direct one. Prices are a seeded random walk rounded to a 0.1 tick.
 */
import type {BenchRow} from "./types.ts";
import {timeMs} from "./types.ts";
import {kde, kdeDirect, rollingKde} from "../lib/kde.ts";
import {freeEnergy, metastableLevels} from "../lib/free-energy.ts";
import {mulberry32, randomNormal} from "../lib/random.ts";

/** A random walk of log price from 60 000 with per-step volatility `sigma`, rounded to 0.1. */
function prices(n: number, sigma: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const p = new Float64Array(n);
  let lp = Math.log(60000);
  for (let i = 0; i < n; ++i) {
    lp += sigma * randomNormal(random);
    p[i] = Math.round(Math.exp(lp) * 10) / 10;
  }
  return p;
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const size = 512;

  // The direct sum on a subsample: ns per sample at G = 512.
  const sub = prices(4000, 3e-4, 3);
  const subGrid = kde(sub, {size}).x;
  const subH = kde(sub, {size}).bandwidth;
  const directMs = timeMs(() => kdeDirect(sub, subGrid, subH), 3);
  const direct = {name: "direct O(n·G) KDE, G = 512 (4000-sample subsample)", value: (directMs * 1e6) / sub.length};

  // Accuracy of binning against the direct sum, same samples, grid and bandwidth.
  {
    const fast = kde(sub, {size});
    const exact = kdeDirect(sub, fast.x, fast.bandwidth);
    let peak = 0;
    let err = 0;
    for (let g = 0; g < size; ++g) (peak = Math.max(peak, exact[g])), (err = Math.max(err, Math.abs(fast.density[g] - exact[g])));
    rows.push({name: "kde binned vs direct, max |error| / peak (4000 samples, G = 512)", value: err / peak, unit: "ratio", target: "< 1e-2", met: err / peak < 1e-2});
  }

  // A day of 1 s prices.
  {
    const day = prices(86_400, 3e-4, 1);
    for (let i = 0; i < 20; ++i) kde(day, {size}); // let the JIT settle before timing
    const ms = timeMs(() => kde(day, {size}), 7);
    rows.push({name: "kde Silverman, 86 400 1-s prices, G = 512", value: (ms * 1e6) / day.length, unit: "ns/sample", reference: direct});
    const h = kde(day, {size}).bandwidth;
    const fixed = timeMs(() => kde(day, {size, bandwidth: h}), 7);
    rows.push({name: "kde fixed bandwidth, 86 400 1-s prices, G = 512", value: (fixed * 1e6) / day.length, unit: "ns/sample", reference: direct});
    const all = timeMs(() => {
      const k = kde(day, {size});
      const F = freeEnergy(k.density, {temperature: 3e-4 * Math.sqrt(86_400)});
      return metastableLevels(F, {x: k.x, minProminence: 0.01});
    }, 7);
    rows.push({name: "kde + freeEnergy + metastableLevels, 86 400 1-s prices", value: (all * 1e6) / day.length, unit: "ns/sample", reference: direct});
    const rolling = timeMs(() => rollingKde(day, {window: 3600, step: 900, size}), 3);
    rows.push({name: "rollingKde 1 h windows every 15 min over a day (93 densities), G = 512", value: rolling, unit: "ms"});
  }

  // 10^7 trade prices.
  {
    const trades = prices(10_000_000, 3e-5, 2);
    const ms = timeMs(() => kde(trades, {size}), 3);
    rows.push({name: "kde Silverman, 1e7 trade prices, G = 512", value: (ms * 1e6) / trades.length, unit: "ns/sample", reference: direct});
    const k = kde(trades, {size});
    rows.push({name: "1e7 trade prices: Silverman bandwidth / grid step at G = 512", value: k.bandwidth / k.step, unit: "ratio", target: "≥ 4", met: k.bandwidth / k.step >= 4});
    const all = timeMs(() => freeEnergy(kde(trades, {size}).density, {temperature: 1}), 3);
    rows.push({name: "kde + freeEnergy, 1e7 trade prices, G = 512", value: (all * 1e6) / trades.length, unit: "ns/sample", reference: direct});
  }
  return rows;
}
