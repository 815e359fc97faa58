// The simulator's trade-sign memory against real trades: the sign autocorrelation ρ at lags 1, 10
// and 100 trades of a small simulated market (one calm hour from 00:00 UTC, a quarter of the trade
// rates, default seed) against the same statistic of the Binance recordings in
// ../shared/real-trades (SOURCES.md section 1, read by the recording reader; signs demeaned over
// each file by `acf`). Perpetuals (Binance, Bybit, OKX) are held to the two USD-M recordings
// (2023-04-05 00:00–00:07 and 2024-07-19 00:00–00:05), Coinbase (spot) to the spot recording
// (2023-04-05). Tolerance: the simulated ρ(ℓ) must lie within the range of the real values widened
// by 3 standard errors, the largest over the recordings of a moving-block bootstrap (blocks of 500
// trades, 200 resamples) of ρ(ℓ) itself. The two USD-M recordings differ by 0.01, 0.05 and 0.19
// at the three lags: a recording of minutes holds lag 100 on only about a hundred independent
// stretches, so the band there is wide, and the bootstrap under-states it (0.19 is about 4 of the
// SEs). For the same reason the single spot recording (3,144 trades) bounds Coinbase at lags 1
// and 10 only. Skipped, with a message, where ../shared is absent.
import assert from "node:assert/strict";
import test from "node:test";
import {acf} from "../../lib/acf.js";
import {blockBootstrapIndices} from "../../lib/block-bootstrap.js";
import {mulberry32} from "../../lib/random.js";
import {DEFAULTS, validateConfig, type Venue} from "../../loaders/config.ts";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {simulateMarket} from "../../loaders/simulate/market.ts";
import {newQuarantine} from "../../loaders/trades.ts";
import {REAL_TRADES, realTradesSkip} from "../support/shared.ts";

const skip = realTradesSkip("the sign-memory calibration of the simulator");
const LAGS = [1, 10, 100] as const;
const USDM = ["binance-usdm-futures/btcusdt_20230405.dat.gz", "binance-usdm-futures/btcusdt_20240719.gz"];
const SPOT = ["binance-spot/btcusdt_20230405.dat.gz"];

/** The signs (+1 buy aggressor) of a recording's trades, in file order. */
async function recordingSigns(file: string): Promise<Float64Array> {
  const out: number[] = [];
  for await (const b of readBinanceWs(REAL_TRADES + file, newQuarantine(), {symbol: "BTCUSDT"})) for (let i = 0; i < b.length; ++i) out.push(b.side[i]);
  return Float64Array.from(out);
}

/** ρ at LAGS. */
function rhoAt(signs: ArrayLike<number>): number[] {
  const r = acf(signs, 100);
  return LAGS.map((l) => r[l]);
}

/** Moving-block bootstrap standard error of ρ at LAGS (blocks of 500 trades, 200 resamples). */
function rhoSE(signs: Float64Array): number[] {
  const random = mulberry32(500);
  const n = signs.length;
  const idx = new Int32Array(n);
  const x = new Float64Array(n);
  const sums = LAGS.map(() => [0, 0]);
  const B = 200;
  for (let b = 0; b < B; ++b) {
    blockBootstrapIndices(n, 500, random, idx);
    for (let i = 0; i < n; ++i) x[i] = signs[idx[i]];
    rhoAt(x).forEach((v, k) => ((sums[k][0] += v), (sums[k][1] += v * v)));
  }
  return sums.map(([s, s2]) => Math.sqrt((s2 - (s * s) / B) / (B - 1)));
}

/** The band [min − 3 SE, max + 3 SE] of each lag over `files`. */
async function band(files: string[]): Promise<{real: number[][]; lo: number[]; hi: number[]}> {
  const real: number[][] = [];
  const se: number[][] = [];
  for (const f of files) {
    const s = await recordingSigns(f);
    real.push(rhoAt(s));
    se.push(rhoSE(s));
  }
  const lo = LAGS.map((_, k) => Math.min(...real.map((r) => r[k])) - 3 * Math.max(...se.map((e) => e[k])));
  const hi = LAGS.map((_, k) => Math.max(...real.map((r) => r[k])) + 3 * Math.max(...se.map((e) => e[k])));
  return {real, lo, hi};
}

test("the simulated trade signs have the real sign memory: ρ(1), ρ(10), ρ(100) of every simulated venue within 3 SE of the range of the Binance recordings (perpetuals: USD-M; Coinbase: spot, lags 1 and 10)", {skip}, async (t) => {
  const usdm = await band(USDM);
  const spot = await band(SPOT);
  // The recordings as SOURCES.md describes them and docs/methodology.md quotes them.
  assert.deepEqual(
    usdm.real.map((r) => r.map((v) => v.toFixed(3))),
    [
      ["0.762", "0.509", "0.054"],
      ["0.753", "0.556", "0.241"]
    ]
  );
  assert.deepEqual(spot.real[0].map((v) => v.toFixed(3)), ["0.448", "0.226", "-0.076"]);
  const config = validateConfig({...DEFAULTS, hours: 1, simulation: {...DEFAULTS.simulation, rateScale: 0.25, crashMode: "none"}});
  const market = simulateMarket(config, {binWidths: [1000], flow: false});
  for (const v of market.venues as Venue[]) {
    const b = v === "coinbase" ? spot : usdm;
    const sim = rhoAt(market.trades[v]!.side);
    t.diagnostic(`${v} (${market.trades[v]!.length} trades): ρ ${sim.map((x) => x.toFixed(3)).join(" / ")}, band ${LAGS.map((l, k) => `ρ(${l}) [${b.lo[k].toFixed(3)}, ${b.hi[k].toFixed(3)}]`).join(", ")}`);
    // One spot recording of 3,144 trades does not bound lag 100 (header).
    LAGS.forEach((l, k) => (v === "coinbase" && l === 100) || assert.ok(sim[k] >= b.lo[k] && sim[k] <= b.hi[k], `${v}: ρ(${l}) = ${sim[k].toFixed(3)} outside [${b.lo[k].toFixed(3)}, ${b.hi[k].toFixed(3)}]`));
  }
});
