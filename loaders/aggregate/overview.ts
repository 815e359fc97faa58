/**
 * The overview series of `overview.arrow`: each venue's last price, downsampled to one value
 * every `stepMs` (10 s by default). Row t is the step start; its price is the last trade price
 * at or before the step's end (carried forward; NaN before the venue's first trade). Fed with
 * the venue's fixed bins chunk by chunk (the bin width must divide the step).
 */
import type {BinColumns} from "./bins.ts";

export interface OverviewOptions {
  /** Span start, epoch ms (step 0 starts here). */
  t0: number;
  /** Span end (exclusive), epoch ms. */
  t1: number;
  /** Step, ms (default 10 000). */
  stepMs?: number;
  /** Width of the bins fed in, ms (must divide `stepMs`). */
  widthMs: number;
}

/** Streaming downsampler of a venue's carried-forward last price. */
export class OverviewAccumulator {
  readonly t: Float64Array;
  readonly price: Float64Array;
  private readonly t0: number;
  private readonly step: number;

  constructor({t0, t1, stepMs = 10_000, widthMs}: OverviewOptions) {
    if (!(Number.isInteger(stepMs) && stepMs > 0)) throw new RangeError(`invalid stepMs: ${stepMs}`);
    if (!(Number.isInteger(widthMs) && widthMs > 0 && stepMs % widthMs === 0)) throw new RangeError(`invalid widthMs: ${widthMs}`);
    if (!(t1 > t0)) throw new RangeError(`invalid span: ${t0}..${t1}`);
    const n = Math.ceil((t1 - t0) / stepMs);
    this.t0 = t0;
    this.step = stepMs;
    this.t = new Float64Array(n);
    this.price = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; ++i) this.t[i] = t0 + i * stepMs;
  }

  /** Adds bins (any chunking, in time order). */
  add(chunk: Pick<BinColumns, "t" | "last" | "length">): void {
    const {t, last} = chunk;
    for (let i = 0; i < chunk.length; ++i) {
      const s = Math.floor((t[i] - this.t0) / this.step);
      if (s >= 0 && s < this.price.length) this.price[s] = last[i];
    }
  }
}
