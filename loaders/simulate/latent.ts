/**
 * The latent efficient log price, drawn day by day on a fixed grid.
 *
 * Each venue's stream recomputes the same path from the same seed, so venues can be
 * simulated one at a time, in any order, with memory bounded by one day of the grid.
 */
import {deriveSeed, mulberry32, normalSource} from "../../lib/random.js";
import {GRID_MS} from "./params.ts";
import type {SimPlan} from "./plan.ts";

/** Grid cells kept before each day's start (for delayed observations across midnight), ms. */
export const MARGIN_MS = 2000;

/** One day of the latent log price. The buffer is reused: read it before asking for the next day. */
export interface LatentDay {
  /** Day start and end (exclusive), epoch ms; the last day may end before midnight. */
  start: number;
  end: number;
  /** Time of cell 0, ms (`start − MARGIN_MS`); cell k holds X at `gridStart + k·gridMs`. */
  gridStart: number;
  gridMs: number;
  /** Valid cells. */
  length: number;
  /** Reference log price; the path is `ref + offsets[k]`. */
  ref: number;
  /** Offsets of the log price from `ref` (Float32 keeps a day within 0.001 USD at BTC prices). */
  offsets: Float32Array;
}

/**
 * Streams the latent log price X of a plan day by day, with its state carried across days.
 *
 * Euler scheme on a `gridMs` grid (Δt in s): X_{k+1} = X_k + (μ_r + μ_b + f(X_k)) Δt + σ_r √Δt Z_k
 * with μ_r, σ_r the regime's drift and volatility, μ_b = logMove/duration during an informed burst,
 * f(X) = −κ (s/2π) sin(2π(e^X − offset)/s) e^−X the force of the periodic potential with wells
 * every s USD, re-evaluated every 8 cells (80 ms ≪ 1/κ ≈ 100 s, so the error is negligible) (Kramers 1940; Gardiner, Stochastic Methods, §9), and Z standard normal (Marsaglia's
 * polar method, both draws used). The first day's margin holds the start price.
 */
export function* latentDays(plan: SimPlan): Generator<LatentDay> {
  const {truth} = plan;
  const [t0, t1] = plan.span;
  const margin = MARGIN_MS / GRID_MS;
  const cellsPerDay = 86_400_000 / GRID_MS;
  const offsets = new Float32Array(margin + Math.min(cellsPerDay, Math.ceil((t1 - t0) / GRID_MS)));
  const random = mulberry32(deriveSeed(plan.seed, "latent"));
  const dt = GRID_MS / 1000;
  const sqrtDt = Math.sqrt(dt);
  const {kappaPerSec: kappa, spacingUsd: s, offsetUsd: off} = truth.wells;
  const forceScale = kappa * (s / (2 * Math.PI)) * dt;
  const phase = (2 * Math.PI) / s;

  // Change points of the drift and volatility: regime and burst boundaries.
  const regimes = truth.regimes;
  const bursts = truth.bursts;
  let ri = 0;
  let bi = 0;
  let X = Math.log(truth.latent.startPrice);
  let ref = X;
  const normal = normalSource(random);
  let force = 0;
  let prevLength = 0;
  let prevRef = ref;
  offsets.fill(0, 0, margin);

  for (let start = t0; start < t1; start += 86_400_000) {
    const end = Math.min(t1, start + 86_400_000);
    const n = (end - start) / GRID_MS;
    const gridStart = start - MARGIN_MS;
    ref = X;
    if (prevLength > 0) {
      // Carry the previous day's last `margin` cells (times start − MARGIN_MS … start − gridMs).
      const shift = prevRef - ref;
      for (let k = 0; k < margin; ++k) offsets[k] = offsets[prevLength - margin + k] + shift;
    }
    let k = margin;
    const length = margin + n;
    while (k < length) {
      // Parameters in force at the time of cell k − 1 (the step's start) until the next change point.
      const t = gridStart + (k - 1) * GRID_MS;
      while (ri < regimes.length - 1 && t >= regimes[ri].end) ++ri;
      while (bi < bursts.length && t >= bursts[bi].end) ++bi;
      const r = regimes[ri];
      let next = r.end;
      let drift = r.driftPerSec * dt;
      if (bi < bursts.length) {
        const b = bursts[bi];
        if (t >= b.start) {
          drift += (b.logMove / ((b.end - b.start) / 1000)) * dt;
          next = Math.min(next, b.end);
        } else next = Math.min(next, b.start);
      }
      const sig = r.sigmaPerSqrtSec * sqrtDt;
      // Steps whose start time is before `next`: cells k … kEnd − 1.
      const kEnd = Math.min(length, Math.max(k + 1, Math.ceil((next - gridStart) / GRID_MS) + 1));
      for (; k < kEnd; ++k) {
        const z = normal();
        if ((k & 7) === 0) {
          const p = Math.exp(X);
          force = -(forceScale * Math.sin(phase * (p - off))) / p;
        }
        X += drift + force + sig * z;
        offsets[k] = X - ref;
      }
    }
    yield {start, end, gridStart, gridMs: GRID_MS, length, ref, offsets};
    prevLength = length;
    prevRef = ref;
  }
}
