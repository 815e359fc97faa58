/**
 * One venue's simulated trades: Hawkes arrivals, long-memory and informed signs, heavy-tailed
 * sizes, prices from the delayed latent price with bid–ask bounce, in the venue's ticks, lots
 * and timestamp resolution.
 */
import {deriveSeed, mulberry32, normalSource} from "../../lib/random.js";
import {ARCHIVE_VENUES as VENUES} from "../config.ts";
import type {ArchiveVenue, Venue} from "../config.ts";
import {allocBatch} from "../trades.ts";
import type {TradeBatch} from "../trades.ts";
import {latentDays} from "./latent.ts";
import type {LatentDay} from "./latent.ts";
import {meanFills, METAORDER, SIZE_TAIL, VENUE_PARAMS} from "./params.ts";
import {plantedDelay, rateSegments, venueTruth} from "./plan.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";
import type {SimPlan} from "./plan.ts";

/** Rows per batch at most. */
export const BATCH_ROWS = 65_536;

/** A piecewise-linear function of time evaluated at non-decreasing times with a moving pointer. */
class Track {
  private i = 0;
  constructor(private readonly times: number[], private readonly values: number[]) {}
  at(t: number): number {
    const {times, values} = this;
    while (this.i < times.length - 2 && t >= times[this.i + 1]) ++this.i;
    const i = this.i;
    const a = times[i];
    const b = times[i + 1];
    if (t <= a) return values[i];
    if (t >= b) return values[i + 1];
    return values[i] + ((values[i + 1] - values[i]) * (t - a)) / (b - a);
  }
}

function delayTrack(truth: SimTruth, venue: Venue): Track {
  const s = truth.leadLag.schedule;
  const R = truth.leadLag.transitionMs;
  const times: number[] = [s[0].start];
  const values: number[] = [plantedDelay(s[0].delaysMs, venue)];
  for (let i = 1; i < s.length; ++i) {
    times.push(s[i].start, s[i].start + R);
    values.push(plantedDelay(s[i - 1].delaysMs, venue), plantedDelay(s[i].delaysMs, venue));
  }
  times.push(Infinity);
  values.push(plantedDelay(s[s.length - 1].delaysMs, venue));
  return new Track(times, values);
}

/** The state of one venue's stream between batches. */
class VenueRun {
  readonly venue: Venue;
  private readonly rArr: () => number;
  private readonly rMark: () => number;
  private readonly rFill: () => number;
  /** Normal draws from the marks stream, keeping the second of each polar pair across batches. */
  private readonly normal: () => number;
  private readonly beta: number;
  private readonly jump: number;
  private readonly oneMinusN: number;
  private readonly delay: Track;
  private readonly others: Track[];
  private readonly plan: SimPlan;
  private readonly truth: SimTruth;
  // Hawkes state: time (ms) and excitation above the baseline (per ms).
  private t: number;
  private E = 0;
  private nextId: number;
  // The taker order being printed: fills still to print, its sign, archive time and price (ticks).
  private left = 0;
  private oSign = 0;
  private oTime = 0;
  private oTicks = 0;
  // Metaorders: remaining taker orders and sign of each live metaorder.
  private readonly remaining = new Float64Array(METAORDER.concurrent);
  private readonly signs = new Int8Array(METAORDER.concurrent);
  // Bursts at this venue, regimes.
  private readonly bStart: Float64Array;
  private readonly bEnd: Float64Array;
  private readonly bDir: Int8Array;
  private bi = 0;
  private ri = 0;
  // Current day.
  private day: LatentDay | undefined;
  private segTimes: Float64Array = new Float64Array(0);
  private segMu: Float64Array = new Float64Array(0);
  private seg = 0;

  constructor(plan: SimPlan, venue: Venue) {
    this.venue = venue;
    this.plan = plan;
    this.truth = plan.truth;
    const p = VENUE_PARAMS[venue as ArchiveVenue];
    venueTruth(plan, venue);
    this.rArr = mulberry32(deriveSeed(plan.seed, `arrivals:${venue}`));
    this.rMark = mulberry32(deriveSeed(plan.seed, `marks:${venue}`));
    this.rFill = mulberry32(deriveSeed(plan.seed, `fills:${venue}`));
    this.normal = normalSource(this.rMark);
    this.beta = 1 / p.kernelDecayMs;
    this.jump = p.branching * this.beta;
    this.oneMinusN = 1 - p.branching;
    this.delay = delayTrack(plan.truth, venue);
    this.others = VENUES.map((v) => delayTrack(plan.truth, v));
    this.t = plan.span[0];
    this.nextId = p.firstId;
    const bursts = plan.truth.bursts.filter((b) => b.venue === venue);
    this.bStart = Float64Array.from(bursts, (b) => b.start);
    this.bEnd = Float64Array.from(bursts, (b) => b.end);
    this.bDir = Int8Array.from(bursts, (b) => b.direction);
    const buy = plan.truth.regimes[0].metaorderBuyProb;
    for (let j = 0; j < this.remaining.length; ++j) this.newMetaorder(j, buy);
  }

  private newMetaorder(j: number, buyProb: number): void {
    const r = this.rMark;
    this.remaining[j] = Math.min(METAORDER.maxLength, Math.floor(METAORDER.minLength * Math.pow(1 - r(), -1 / METAORDER.alpha)));
    this.signs[j] = r() < buyProb ? 1 : -1;
  }

  startDay(day: LatentDay): void {
    this.day = day;
    const {times, rates} = rateSegments(this.plan, this.venue, day.start, day.end);
    this.segTimes = times;
    // Taker orders arrive at the trade rate over the mean fills per order.
    const mean = meanFills(VENUE_PARAMS[this.venue as ArchiveVenue].fills);
    this.segMu = rates.map((r) => (r * this.oneMinusN) / mean);
    this.seg = 0;
    this.t = day.start;
  }

  /** Appends trades of the current day to `batch`; returns true when the day is exhausted. */
  fill(batch: TradeBatch): boolean {
    const day = this.day!;
    const p = VENUE_PARAMS[this.venue as ArchiveVenue];
    const {offsets, ref, gridStart} = day;
    const invGrid = 1 / day.gridMs;
    const rArr = this.rArr;
    const rMark = this.rMark;
    const rFill = this.rFill;
    const {multiProb, alpha: fillAlpha, maxFills, walkProb} = p.fills;
    const fillExp = -1 / fillAlpha;
    const {informedShare, arbitrageShare} = this.truth.orderFlow;
    const beta = this.beta;
    const jump = this.jump;
    const segTimes = this.segTimes;
    const segMu = this.segMu;
    const nSeg = segMu.length;
    const regimes = this.truth.regimes;
    const {bStart, bEnd, bDir, remaining, signs, delay, others} = this;
    const nb = bStart.length;
    const K = remaining.length;
    const tickInv = p.tickInv;
    const lotInv = p.lotInv;
    const basis1 = 1 + p.basis;
    const resInv = 1 / p.timeResolutionMs;
    const res = p.timeResolutionMs;
    const medianLog = Math.log(p.sizeMedianBtc);
    const sigmaLog = p.sizeSigmaLog;
    const tailX = p.sizeMedianBtc * Math.exp(SIZE_TAIL.z * sigmaLog);
    const tailExp = -1 / SIZE_TAIL.alpha;
    const {time, price, qty, side, id} = batch;
    const cap = time.length;
    let n = batch.length;
    let t = this.t;
    let E = this.E;
    let seg = this.seg;
    let ri = this.ri;
    let bi = this.bi;
    const normal = this.normal;
    let nextId = this.nextId;
    let left = this.left;
    let oSign = this.oSign;
    let oTime = this.oTime;
    let oTicks = this.oTicks;
    let regime = regimes[ri];
    let spreadW = Math.max(1, Math.round(p.spreadTicks * regime.spreadMultiplier));
    let sizeMul = regime.sizeMultiplier;
    let buyProb = regime.metaorderBuyProb;
    let done = false;

    while (n < cap) {
      if (left > 0) {
        // One fill of the current taker order. Size: log-normal body spliced with a Pareto tail above the body's 90th percentile.
        const z = normal();
        let size = z > SIZE_TAIL.z ? tailX * Math.pow(1 - rMark(), tailExp) : Math.exp(medianLog + sigmaLog * z);
        size *= sizeMul;
        let lots = Math.round(size * lotInv);
        if (lots < 1) lots = 1;
        time[n] = oTime;
        price[n] = oTicks / tickInv;
        qty[n] = lots / lotInv;
        side[n] = oSign;
        id[n] = nextId++;
        ++n;
        if (--left > 0 && rFill() < walkProb) oTicks += oSign;
        continue;
      }
      if (seg >= nSeg) {
        done = true;
        break;
      }
      const segEnd = segTimes[seg + 1];
      const mu = segMu[seg];
      // Dassios & Zhao (2013): the next event is the earlier of a baseline arrival and an excitation arrival.
      let w = mu > 0 ? -Math.log(1 - rArr()) / mu : Infinity;
      if (E > 1e-300) {
        const D = 1 + (beta * Math.log(1 - rArr())) / E;
        if (D > 0) {
          const w1 = -Math.log(D) / beta;
          if (w1 < w) w = w1;
        }
      }
      if (t + w >= segEnd) {
        E *= Math.exp(-beta * (segEnd - t));
        t = segEnd;
        ++seg;
        continue;
      }
      t += w;
      E = E * Math.exp(-beta * w) + jump;

      // Marks of the trade at time t.
      while (ri < regimes.length - 1 && t >= regime.end) {
        regime = regimes[++ri];
        spreadW = Math.max(1, Math.round(p.spreadTicks * regime.spreadMultiplier));
        sizeMul = regime.sizeMultiplier;
        buyProb = regime.metaorderBuyProb;
      }
      const d = delay.at(t);
      const k = ((t - d - gridStart) * invGrid) | 0;
      const x = ref + offsets[k];
      const mid = Math.exp(x) * basis1;

      let s = 0;
      while (bi < nb && bEnd[bi] <= t) ++bi;
      if (bi < nb && bStart[bi] <= t && rMark() < informedShare) s = bDir[bi];
      if (s === 0 && rMark() < arbitrageShare) {
        let lead = d;
        for (let v = 0; v < others.length; ++v) {
          const dv = others[v].at(t);
          if (dv < lead) lead = dv;
        }
        if (lead < d) {
          const kl = ((t - lead - gridStart) * invGrid) | 0;
          const gap = (offsets[kl] - offsets[k]) * mid;
          if (gap * tickInv > spreadW) s = 1;
          else if (-gap * tickInv > spreadW) s = -1;
        }
      }
      if (s === 0) {
        const j = (rMark() * K) | 0;
        s = signs[j];
        if (--remaining[j] <= 0) {
          remaining[j] = Math.min(METAORDER.maxLength, Math.floor(METAORDER.minLength * Math.pow(1 - rMark(), -1 / METAORDER.alpha)));
          signs[j] = rMark() < buyProb ? 1 : -1;
        }
      }

      // The order: its fill count, its time, and the bid or ask of a spreadW-tick quote around the venue's mid.
      left = rFill() < multiProb ? Math.min(maxFills, Math.floor(2 * Math.pow(1 - rFill(), fillExp))) : 1;
      const bid = Math.floor(mid * tickInv - (spreadW - 1) / 2);
      oSign = s;
      oTime = res === 1 ? Math.floor(t) : Math.floor(t * resInv) / resInv;
      oTicks = s > 0 ? bid + spreadW : bid;
    }
    batch.length = n;
    this.t = t;
    this.E = E;
    this.seg = seg;
    this.ri = ri;
    this.bi = bi;
    this.nextId = nextId;
    this.left = left;
    this.oSign = oSign;
    this.oTime = oTime;
    this.oTicks = oTicks;
    return done;
  }
}

/**
 * Streams one venue's simulated trades over the plan's span: time-sorted, in freshly allocated
 * batches of at most {@link BATCH_ROWS} rows (a consumer may keep them), with memory bounded by
 * one day of the latent grid (≈ 35 MB), never by the number of trades.
 *
 * Arrivals: taker orders follow a Hawkes process with exponential kernel,
 * λ(t) = μ(t) + Σ_{t_i<t} α e^{−β(t−t_i)}, branching ratio n = α/β, baseline
 * μ(t) = rate(t)·(1 − n) / meanFills piecewise constant (hour of day, regime, bursts), so that
 * the trades (fills) arrive at rate(t) on average; simulated exactly in O(n) by the decomposition of Dassios & Zhao (2013,
 * "Exact simulation of Hawkes process with exponentially decaying intensity", ECP 18(62)).
 *
 * Fills: each taker order prints L trades at its timestamp with its sign (the venue's
 * `FillLaw` in params.ts: P(L ≥ k) = multiProb·(2/k)^α for 2 ≤ k ≤ maxFills), each next fill one tick
 * deeper with probability walkProb, each with its own size.
 *
 * Signs of taker orders (+1 buy aggressor): during an informed burst at this venue, the burst's direction with
 * probability `informedShare`; otherwise, at a venue lagging the market's leader, with
 * probability `arbitrageShare` the sign of the leader's price minus this venue's price when the
 * gap exceeds the spread; otherwise the sign of one of `concurrent` live metaorders with
 * power-law lengths P(L ≥ ℓ) = (ℓmin/ℓ)^α orders, giving an order-sign autocorrelation
 * ∝ ℓ^−(α−1) (Lillo, Mike & Farmer 2005, Phys. Rev. E 71, 066122).
 *
 * Prices: mid = exp(X(t − delay(t)))·(1 + basis); a buy pays the ask and a sell hits the bid of a
 * quote `spreadTicks·spreadMultiplier` ticks wide around the mid (bid–ask bounce, Roll 1984).
 * Quantities: rounded to the lot, at least one lot. Times: floored to the archive's resolution.
 * Ids: consecutive from the venue's `firstId`.
 *
 * @throws RangeError when the plan does not simulate `venue`.
 */
export function simulateVenue(plan: SimPlan, venue: Venue): Generator<TradeBatch> {
  return stream(new VenueRun(plan, venue), plan, venue);
}

function* stream(run: VenueRun, plan: SimPlan, venue: Venue): Generator<TradeBatch> {
  let batch = allocBatch(venue, BATCH_ROWS);
  for (const day of latentDays(plan)) {
    run.startDay(day);
    for (;;) {
      const done = run.fill(batch);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = allocBatch(venue, BATCH_ROWS);
      }
      if (done) break;
    }
  }
  if (batch.length > 0) yield batch;
}
