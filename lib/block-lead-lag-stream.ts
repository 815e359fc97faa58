/**
 * `blockLeadLagScan` (lib/hayashi-yoshida.ts) of several series pairs over one period, fed the
 * trades batch by batch in time order (a loader pushes one (venue, day) at a time), so that a
 * period of any length is scanned without holding its trades. The period [start, end) is cut into
 * `blocks` equal time blocks as `tickBlocks` cuts it (block k = [start + (end − start)·k/blocks,
 * start + (end − start)·(k + 1)/blocks), ticks relative to the block start); each series has one
 * {@link TickStream} per block and each pair one {@link HyBlockStream} per block (lib/hy-stream.ts),
 * which keeps only the ticks within max|θ| of the sweep. A series' block stream ends when a row
 * past the block arrives, so the sweep of a block completes without waiting for the period's end.
 *
 * The scan's grid depends on its own first results, so the trades are fed twice:
 *
 *   1. every pair's coarse grid (`blockLeadLagCoarse`): the per-block covariance of each shift;
 *   2. the refined shifts around each pair's best coarse shift (`blockLeadLagFine`) not already
 *      scanned.
 *
 * Then `blockLeadLagFrom` (pooled curve, lead, block bootstrap) on the same per-block
 * covariances and summed realised variances as the whole-series scan: each block's sums receive
 * the same terms in the same order (`HyBlockStream` equals `hyBlockSums` value for value however
 * the ticks are cut), so `result()` equals `blockLeadLagScan(tickBlocks(x…), tickBlocks(y…),
 * options)` of the concatenated trades value for value. Hayashi & Yoshida, Bernoulli 11 (2005)
 * 359; Hoffmann, Rosenbaum & Yoshida, Bernoulli 19 (2013) 426; Künsch, Ann. Statist. 17 (1989)
 * 1217.
 *
 * Pure: no I/O. Memory O(series · blocks + pairs · blocks · shifts + ticks within max|θ|).
 */
import {blockLeadLagCoarse, blockLeadLagFine, blockLeadLagFrom, type BlockLeadLag, type BlockLeadLagOptions} from "./hayashi-yoshida.js";
import {advanceSweeps, HyBlockStream, TickStream} from "./hy-stream.js";
import {bisectLeft} from "./bisect.js";

/** One pair of the scan: its series keys and `blockLeadLagScan` options (centre, grid, bootstrap, seed). */
export interface BlockLeadLagPair<V> {
  a: V;
  b: V;
  options: BlockLeadLagOptions;
}

export class BlockLeadLagStream<V> {
  /** The pass being fed: 1 (coarse grid), 2 (refinement), then 3 (done). */
  pass = 1;
  /** Block edges: block k is [edges[k], edges[k + 1]). */
  private readonly edges: number[];
  private readonly coarse: number[][];
  /** Per pair: shift → per-block covariance, in scan order. */
  private readonly curves: Map<number, Float64Array>[];
  private readonly variance = new Map<V, number>();
  // The current pass: per series its block streams and the block its rows reach; per pair its block sweeps and shifts.
  private ticks = new Map<V, TickStream[]>();
  private at = new Map<V, number>();
  private sweeps: HyBlockStream[][] = [];
  private shifts: number[][] = [];

  /** `series` the keys pushed; `pairs` the scans; [start, end) epoch ms cut into `blocks` time blocks. */
  constructor(
    readonly series: readonly V[],
    readonly pairs: readonly BlockLeadLagPair<V>[],
    readonly start: number,
    readonly end: number,
    readonly blocks: number
  ) {
    if (!(Number.isInteger(blocks) && blocks > 0)) throw new RangeError(`invalid count: ${blocks}`);
    if (!(end > start)) throw new RangeError(`invalid period: [${start}, ${end})`);
    for (const p of pairs) if (!series.includes(p.a) || !series.includes(p.b)) throw new RangeError(`invalid pair: ${String(p.a)}, ${String(p.b)} (not among the series)`);
    this.edges = Array.from({length: blocks + 1}, (_, k) => start + ((end - start) * k) / blocks);
    this.coarse = pairs.map((p) => blockLeadLagCoarse(p.options));
    this.curves = pairs.map(() => new Map());
    this.begin(this.coarse);
  }

  /** Fresh block streams for a pass scanning `shifts[pair]`. */
  private begin(shifts: number[][]): void {
    this.ticks = new Map(this.series.map((v) => [v, this.edges.slice(0, -1).map((a) => new TickStream(a))]));
    this.at = new Map(this.series.map((v) => [v, 0]));
    this.shifts = shifts;
    this.sweeps = this.pairs.map((p, i) => {
      const x = this.ticks.get(p.a)!;
      const y = this.ticks.get(p.b)!;
      return x.map((_, k) => new HyBlockStream(x[k], y[k], shifts[i], Infinity, 1, p.options.by ?? "x"));
    });
  }

  /** Whether the period meets [from, to) (ms). */
  overlaps(from: number, to: number): boolean {
    return from < this.end && to > this.start;
  }

  /** A batch of `series`' trades (times ascending, after every earlier batch of the series in this pass); rows outside the period are ignored. */
  push(series: V, time: ArrayLike<number>, price: ArrayLike<number>, length = time.length): void {
    if (this.pass > 2) throw new Error("push after the second pass");
    const streams = this.ticks.get(series);
    if (!streams) throw new RangeError(`invalid series: ${String(series)}`);
    // The rows of [edges[0], edges[blocks]), the blocks' union (the period up to rounding), as `tickBlocks` takes them.
    let i = bisectLeft(time, this.edges[0], 0, length);
    const i1 = bisectLeft(time, this.edges[this.blocks], i, length);
    let k = this.at.get(series)!;
    while (i < i1) {
      const j = bisectLeft(time, this.edges[k + 1], i, i1);
      if (j > i) streams[k].push(time, price, i, j);
      if (j === i1) break;
      // A row past block k: its ticks are complete.
      streams[k].end();
      i = j;
      ++k;
    }
    this.at.set(series, k);
  }

  /** Sweeps what the pushed trades allow and drops the ticks no pair needs any more; call after each round of pushes (e.g. a day of every series). */
  advance(): void {
    for (let k = 0; k < this.blocks; ++k)
      advanceSweeps(
        this.pairs.map((p, i) => ({a: p.a, b: p.b, hy: this.sweeps[i][k]})),
        (v) => this.ticks.get(v)![k]
      );
  }

  /** Ends the current pass (every trade of the period pushed): the next pass feeds the same trades again from the start. */
  next(): void {
    if (this.pass > 2) throw new Error("next after the second pass");
    for (const streams of this.ticks.values()) for (const t of streams) t.end();
    this.pairs.forEach((_, i) => {
      const per = this.shifts[i].map(() => new Float64Array(this.blocks));
      this.sweeps[i].forEach((hy, k) => {
        hy.advance();
        for (let s = 0; s < per.length; ++s) per[s][k] = hy.out[s];
      });
      this.shifts[i].forEach((s, j) => this.curves[i].set(s, per[j]));
    });
    if (this.pass === 1) {
      for (const [v, streams] of this.ticks) {
        let sum = 0;
        for (const t of streams) sum += t.variance;
        this.variance.set(v, sum);
      }
      this.begin(this.pairs.map((p, i) => blockLeadLagFine(this.coarse[i], this.curves[i], p.options).filter((s) => !this.curves[i].has(s))));
    } else {
      this.ticks = new Map();
      this.sweeps = [];
    }
    ++this.pass;
  }

  /** After the second pass: each pair's `blockLeadLagScan` result, in the order of `pairs`. */
  result(): BlockLeadLag[] {
    if (this.pass !== 3) throw new Error(`result before the end of the second pass (pass ${this.pass})`);
    return this.pairs.map((p, i) => blockLeadLagFrom(this.curves[i], this.variance.get(p.a)!, this.variance.get(p.b)!, p.options));
  }
}
