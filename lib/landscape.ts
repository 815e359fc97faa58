/**
 * The rolling free-energy landscape of a price series: a kernel density of price in each rolling
 * window, its free energy F = −T ln P with T the window's realised volatility, the metastable
 * levels (minima of F deep enough and holding enough of the window's time), a catalogue of the
 * levels that recur across windows, and the escape times out of each level that Kramers' law
 * relates to the barriers.
 *
 * Built from kde.ts (`kde`, `bandwidth`), free-energy.ts (`freeEnergy`, `metastableLevels`),
 * extrema.ts (`barriers`), realised-volatility.ts and dwell-times.ts.
 */
import {dwellTimes} from "./dwell-times.js";
import {median} from "./moments.js";
import {barriers} from "./extrema.js";
import {freeEnergy, metastableLevels} from "./free-energy.js";
import {bandwidth, kde, type BandwidthRule} from "./kde.js";
import {realisedVolatility} from "./realised-volatility.js";
import {logReturns} from "./returns.js";
import {windowEnds, windowOptions, type WindowOptions} from "./rolling.js";

/** Options of {@link rollingLandscape}. */
export interface LandscapeOptions extends WindowOptions {
  /**
   * The kernel bandwidth in units of price, or a rule of thumb applied to each window's samples
   * (`bandwidth` in kde.ts; default `"silverman"`).
   */
  bandwidth?: number | BandwidthRule;
  /**
   * With a rule: use one bandwidth for every window, the median of the rule's per-window values
   * (default true), so that all landscapes are smoothed alike and can be compared and tracked; a
   * window that spans several wells otherwise gets a much wider kernel than one inside a single
   * well. False applies the rule to each window separately.
   */
  common?: boolean;
  /** A lower bound on a rule-of-thumb bandwidth (≥ 0; default 0), e.g. the price tick. */
  minBandwidth?: number;
  /** Grid ends; default the finite price range widened by 3 reference bandwidths on each side. */
  extent?: [number, number];
  /** Grid points per reference bandwidth (> 0; default 3, i.e. spacing h/3). */
  resolution?: number;
  /** Largest number of grid points (an integer ≥ 16; default 4096). */
  maxSize?: number;
  /** Duration of one sample in seconds (> 0; default 1): T is then per √s. */
  interval?: number;
  /** Smallest prominence of a level, in nats of −ln P (≥ 0; default 1, a density ratio of e). */
  minProminence?: number;
  /** Smallest share of the window's density mass in the level's basin, between its saddles (in [0, 1); default 0.05). */
  minMass?: number;
}

/** The metastable levels of all windows, flattened (window j's are `[offsets[j], offsets[j + 1])`). */
export interface LandscapeLevels {
  /** Window of each level. */
  window: Int32Array;
  /** Grid index of each level. */
  index: Int32Array;
  /** The level (a price). */
  x: Float64Array;
  /** Topographic prominence, nats of −ln P (multiply by the window's T for units of F). */
  prominence: Float64Array;
  /** Barrier toward the next retained level below, ΔF/T in nats (Infinity if none). */
  left: Float64Array;
  /** Barrier toward the next retained level above, ΔF/T in nats (Infinity if none). */
  right: Float64Array;
  /** The escape barrier min(left, right), ΔF/T in nats (Infinity for a lone level). */
  barrier: Float64Array;
  /** Share of the window's density mass between the level's saddles (or the grid's ends). */
  mass: Float64Array;
  /** Price of the saddle below (NaN if none). */
  leftSaddleX: Float64Array;
  /** Price of the saddle above (NaN if none). */
  rightSaddleX: Float64Array;
}

/** Rolling landscapes on one grid (see {@link rollingLandscape}). */
export interface RollingLandscape {
  /** Grid of prices, G points evenly spaced. */
  x: Float64Array;
  /** Number of grid points G. */
  size: number;
  /** Grid spacing, units of price. */
  step: number;
  /** Window length and stride, in samples. */
  window: number;
  stride: number;
  /** Index of each window's last sample. */
  end: Int32Array;
  /** Bandwidth of each window (NaN for a window without enough finite samples). */
  bandwidth: Float64Array;
  /** Realised volatility of each window: the temperature T, per √(second) with `interval` in seconds. */
  temperature: Float64Array;
  /** Finite samples used in each window. */
  n: Int32Array;
  /** Window j's density P at grid point g is `density[j·G + g]`, per unit of price. */
  density: Float64Array;
  /**
   * The plain shape −ln P of each window, shifted so that its minimum is 0, in nats
   * (`shape[j·G + g]`; +Infinity where P = 0, NaN rows for degenerate windows). F = T·shape.
   */
  shape: Float64Array;
  /** Every window's metastable levels. */
  levels: LandscapeLevels;
  /** Window j's levels are indices `offsets[j]` to `offsets[j + 1] − 1` of `levels`. */
  offsets: Int32Array;
}

/**
 * Free-energy landscapes of `price` over rolling windows of `window` samples advancing by `step`
 * (see `WindowOptions` in rolling.ts), all on one grid:
 *
 *   P_j = Gaussian KDE of the window's prices (`kde`, kernel cut at ±5 bandwidths),
 *   F_j(x) = −T_j · ln P_j(x) (`freeEnergy`), T_j = √(Σ r²) / √(window·interval),
 *
 * with r the log returns of consecutive samples (`realisedVolatility`, per √s). The levels of
 * window j are the minima of F_j whose prominence is at least `minProminence`·T_j (that is,
 * `minProminence` nats of −ln P) and whose basin — the grid between the saddles to the
 * neighbouring retained minima, or the grid's ends — holds at least `minMass` of the window's
 * density; barriers are then re-measured between the retained levels (`barriers` in
 * extrema.ts) and reported over T, ΔF/T = ln(P(level)/P(saddle)) nats, the Arrhenius exponent of
 * Kramers' escape time τ ∝ exp(ΔF/T) (Kramers 1940, Physica 7: 284; Hänggi, Talkner &
 * Borkovec 1990, Rev. Mod. Phys. 62: 251). The mass filter drops the minima that the logarithm
 * creates out of a few samples in a density's tails.
 *
 * The grid spans `extent` (default: the finite prices widened by 3 reference bandwidths, the
 * common bandwidth or the median per-window one) with spacing h/`resolution`, at most `maxSize`
 * points. Each window's density is computed only on the part of the grid its prices and kernel
 * reach (P = 0 and −ln P = +Infinity elsewhere), so the cost is O(count·(w + G_j·K)) for count
 * windows of w samples spanning G_j grid points and a kernel K grid steps wide, not O(count·G·K).
 *
 * A window whose bandwidth is undefined (fewer than two finite samples, or a constant price
 * without `minBandwidth`) has NaN density and shape rows and no levels; its temperature is NaN
 * when fewer than half its returns are finite. Throws a RangeError for invalid windows, a
 * bandwidth that is not positive, or invalid `extent`, `resolution`, `maxSize`, `interval`,
 * `minProminence` or `minMass`.
 */
export function rollingLandscape(price: ArrayLike<number>, options: LandscapeOptions): RollingLandscape {
  const {window, step: stride} = windowOptions(options);
  const {bandwidth: bw = "silverman", common = true, minBandwidth = 0, resolution = 3, maxSize = 4096, interval = 1, minProminence = 1, minMass = 0.05} = options;
  if (!(resolution > 0 && resolution < Infinity)) throw new RangeError(`invalid resolution: ${resolution}`);
  if (!Number.isInteger(maxSize) || maxSize < 16) throw new RangeError(`invalid maxSize: ${maxSize}`);
  if (!(interval > 0 && interval < Infinity)) throw new RangeError(`invalid interval: ${interval}`);
  if (!(minProminence >= 0 && minProminence < Infinity)) throw new RangeError(`invalid minProminence: ${minProminence}`);
  if (!(minMass >= 0 && minMass < 1)) throw new RangeError(`invalid minMass: ${minMass}`);
  if (typeof bw === "number" && !(bw > 0 && bw < Infinity)) throw new RangeError(`invalid bandwidth: ${bw}`);

  const end = windowEnds(price.length, {window, step: stride});
  const count = end.length;
  const slice = (a: number, b: number) => subarray(price, a, b);

  // Each window's rule-of-thumb bandwidth, and the reference: the fixed one or their median.
  const hs = new Float64Array(count);
  for (let j = 0; j < count; ++j) {
    if (typeof bw === "number") hs[j] = bw;
    else {
      const v = bandwidth(slice(end[j] - window + 1, end[j] + 1), bw);
      hs[j] = v >= 0 ? Math.max(v, minBandwidth) : NaN;
      if (!(hs[j] > 0 && hs[j] < Infinity)) hs[j] = NaN;
    }
  }
  const hRef = typeof bw === "number" ? bw : median(hs);
  if (typeof bw !== "number" && common) for (let j = 0; j < count; ++j) if (hs[j] > 0) hs[j] = hRef;
  let lo = Infinity;
  let hi = -Infinity;
  if (options.extent) {
    [lo, hi] = options.extent;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new RangeError(`invalid extent: [${lo}, ${hi}]`);
  } else {
    for (let i = 0; i < price.length; ++i) {
      const v = +price[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const pad = hRef > 0 ? 3 * hRef : 1;
    if (!(lo <= hi)) (lo = 0), (hi = 1);
    lo -= pad;
    hi += pad;
  }
  const G = Math.max(16, Math.min(maxSize, hRef > 0 ? Math.ceil(((hi - lo) * resolution) / hRef) + 1 : 512));
  const dx = (hi - lo) / (G - 1);
  const grid = new Float64Array(G);
  for (let g = 0; g < G; ++g) grid[g] = lo + g * dx;
  grid[G - 1] = hi;
  const temperature = realisedVolatility(logReturns(price, {align: "end"}), {window, step: stride, scale: "second", interval});

  const density = new Float64Array(count * G);
  const shape = new Float64Array(count * G).fill(Infinity);
  const ns = new Int32Array(count);
  const offsets = new Int32Array(count + 1);
  const out = {window: [] as number[], index: [] as number[], x: [] as number[], prominence: [] as number[], left: [] as number[], right: [] as number[], barrier: [] as number[], mass: [] as number[], leftSaddleX: [] as number[], rightSaddleX: [] as number[]};
  for (let j = 0; j < count; ++j) {
    offsets[j] = out.x.length;
    const part = slice(end[j] - window + 1, end[j] + 1);
    let n = 0;
    for (let i = 0; i < part.length; ++i) if (Number.isFinite(+part[i])) ++n;
    ns[j] = n;
    const w = n >= 2 ? landscapeWindow(part, grid, hs[j]) : undefined;
    if (!w) {
      density.fill(NaN, j * G, (j + 1) * G);
      shape.fill(NaN, j * G, (j + 1) * G);
      hs[j] = NaN;
      continue;
    }
    const {start: ga, density: row, shape: s} = w;
    density.set(row, j * G + ga);
    shape.set(s, j * G + ga);
    const lv = metastableLevels(s, {minProminence});
    const keep: number[] = [];
    const prom: number[] = [];
    const basinMass = (a: number, b: number) => {
      let m = 0;
      for (let g = a < 0 ? 0 : a, last = b < 0 ? row.length - 1 : b; g <= last; ++g) m += row[g];
      return m * dx;
    };
    for (let q = 0; q < lv.index.length; ++q) {
      if (basinMass(lv.leftSaddle[q], lv.rightSaddle[q]) >= minMass) keep.push(lv.index[q]), prom.push(lv.prominence[q]);
    }
    const b = barriers(s, keep);
    for (let q = 0; q < keep.length; ++q) {
      out.window.push(j);
      out.index.push(ga + keep[q]);
      out.x.push(grid[ga + keep[q]]);
      out.prominence.push(prom[q]);
      out.left.push(b.left[q]);
      out.right.push(b.right[q]);
      out.barrier.push(b.barrier[q]);
      out.mass.push(basinMass(b.leftSaddle[q], b.rightSaddle[q]));
      out.leftSaddleX.push(b.leftSaddle[q] < 0 ? NaN : grid[ga + b.leftSaddle[q]]);
      out.rightSaddleX.push(b.rightSaddle[q] < 0 ? NaN : grid[ga + b.rightSaddle[q]]);
    }
  }
  offsets[count] = out.x.length;
  const levels: LandscapeLevels = {
    window: Int32Array.from(out.window),
    index: Int32Array.from(out.index),
    x: Float64Array.from(out.x),
    prominence: Float64Array.from(out.prominence),
    left: Float64Array.from(out.left),
    right: Float64Array.from(out.right),
    barrier: Float64Array.from(out.barrier),
    mass: Float64Array.from(out.mass),
    leftSaddleX: Float64Array.from(out.leftSaddleX),
    rightSaddleX: Float64Array.from(out.rightSaddleX)
  };
  return {x: grid, size: G, step: dx, window, stride, end, bandwidth: hs, temperature, n: ns, density, shape, levels, offsets};
}

/**
 * One window's landscape on the common grid of {@link rollingLandscape} (evenly spaced `grid`):
 * the Gaussian KDE of the window's finite prices with bandwidth `h` (`kde`, kernel cut at ±5
 * bandwidths) and its shape −ln P relative to its minimum (`freeEnergy`, relative), computed only
 * on the part of the grid the prices and the kernel reach, grid points `start` … `start` +
 * length − 1 (elsewhere P = 0). This is row j of `rollingLandscape`'s `density` and `shape` when
 * `part` is window j and `h` its bandwidth, so a page can recompute one window without the others.
 * Undefined when `h` is not positive and finite, or when no finite price falls inside the grid's
 * reach.
 */
export function landscapeWindow(part: ArrayLike<number>, grid: ArrayLike<number>, h: number): {start: number; density: Float64Array; shape: Float64Array} | undefined {
  const G = grid.length;
  const lo = +grid[0];
  const dx = (+grid[G - 1] - lo) / (G - 1);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < part.length; ++i) {
    const v = +part[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // The window's part of the grid: its prices widened by the kernel's reach.
  const ga = Math.max(0, Math.floor((min - TRUNCATE * h - lo) / dx));
  const gb = Math.min(G - 1, Math.ceil((max + TRUNCATE * h - lo) / dx));
  if (!(h > 0 && h < Infinity) || !(gb > ga)) return undefined;
  const k = kde(part, {bandwidth: h, extent: [+grid[ga], +grid[gb]], size: gb - ga + 1, truncate: TRUNCATE});
  return {start: ga, density: k.density, shape: freeEnergy(k.density, {relative: true})};
}

/** Options of {@link levelCatalogue}. */
export interface LevelCatalogueOptions {
  /** Largest gap between neighbouring positions of one level (> 0), units of price. */
  tolerance: number;
  /** Smallest number of windows a level must be found in (an integer ≥ 1; default 1). */
  minCount?: number;
  /** The window of each position (e.g. `levels.window`): counts then are distinct windows. */
  window?: ArrayLike<number>;
}

/** Distinct levels found across windows (see {@link levelCatalogue}), ascending. */
export interface LevelCatalogue {
  /** The median position of each level's members. */
  x: Float64Array;
  /** Number of windows (or positions, without `window`) in which the level was found. */
  count: Int32Array;
  /** Lowest and highest member. */
  low: Float64Array;
  high: Float64Array;
  /** First and last window of the level's members (−1 without `window`). */
  first: Int32Array;
  last: Int32Array;
}

/**
 * The distinct levels among the positions found in many windows: the positions sorted and split
 * wherever two neighbours are more than `tolerance` apart (single-linkage clustering in one
 * dimension), each cluster found in at least `minCount` windows reported at its median. A level
 * that recurs after vanishing for a while is one entry here, unlike the tracks of
 * `trackLevels` (free-energy.ts), which follow levels in time. Two levels closer than
 * `tolerance` merge; a slow drift longer than `tolerance` per neighbour does not split a level.
 *
 * Non-finite positions are skipped. Throws a RangeError for a tolerance that is not positive, a
 * bad `minCount`, or a `window` of another length.
 */
export function levelCatalogue(positions: ArrayLike<number>, options: LevelCatalogueOptions): LevelCatalogue {
  const {tolerance, minCount = 1, window} = options;
  if (!(tolerance > 0 && tolerance < Infinity)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError(`invalid minCount: ${minCount}`);
  if (window && window.length !== positions.length) throw new RangeError(`invalid window length: ${window.length} (${positions.length} positions)`);
  const order: number[] = [];
  for (let i = 0; i < positions.length; ++i) if (Number.isFinite(+positions[i])) order.push(i);
  order.sort((a, b) => +positions[a] - +positions[b]);
  const out = {x: [] as number[], count: [] as number[], low: [] as number[], high: [] as number[], first: [] as number[], last: [] as number[]};
  for (let a = 0; a < order.length; ) {
    let b = a + 1;
    while (b < order.length && +positions[order[b]] - +positions[order[b - 1]] <= tolerance) ++b;
    const members = order.slice(a, b);
    const xs = Float64Array.from(members, (i) => +positions[i]);
    let c = members.length;
    let first = -1;
    let last = -1;
    if (window) {
      const ws = new Set(members.map((i) => +window[i]));
      c = ws.size;
      first = Math.min(...ws);
      last = Math.max(...ws);
    }
    if (c >= minCount) {
      out.x.push(median(xs));
      out.count.push(c);
      out.low.push(xs[0]);
      out.high.push(xs[xs.length - 1]);
      out.first.push(first);
      out.last.push(last);
    }
    a = b;
  }
  return {
    x: Float64Array.from(out.x),
    count: Int32Array.from(out.count),
    low: Float64Array.from(out.low),
    high: Float64Array.from(out.high),
    first: Int32Array.from(out.first),
    last: Int32Array.from(out.last)
  };
}

/** Options of {@link escapePoints}. */
export interface EscapeOptions {
  /** Half-width of a level's core: a stay starts when |price − level| ≤ halfWidth (> 0). */
  halfWidth: number;
  /** A stay ends when |price − level| > exitHalfWidth (≥ halfWidth): the price has left the basin. */
  exitHalfWidth: number;
  /** Duration of one sample (> 0; default 1): times are in its unit. */
  interval?: number;
  /**
   * Use only windows that do not overlap (default true): every ⌈window/stride⌉-th window,
   * counted back from the last, so that no stay is counted twice.
   */
  thin?: boolean;
  /**
   * Measure the escapes out of sample (default false): the stays at window j's levels are taken
   * in the segment that follows the window, (end[j], end[j + r]] with r = ⌈window/stride⌉, so
   * that a level's barrier and its escape times never share a sample (a level that held the price
   * in its own window would otherwise be credited with both a deep well and a long stay). Windows
   * without a following segment (the last r) are left out.
   */
  ahead?: boolean;
}

/** Escape times per (window, level) (see {@link escapePoints}). */
export interface EscapePoints {
  /** The window of each point. */
  window: Int32Array;
  /** Index of the point's level in the landscape's `levels`. */
  level: Int32Array;
  /** The level (a price). */
  x: Float64Array;
  /** Its escape barrier ΔF/T in the window, nats (Infinity for a lone level). */
  barrier: Float64Array;
  /** The window's temperature T. */
  temperature: Float64Array;
  /** Total time spent in stays at the level within the window (completed or cut by the window's end). */
  exposure: Float64Array;
  /** Stays that ended with an escape inside the window. */
  events: Int32Array;
  /** Mean escape time τ̂ = exposure / events (NaN without an escape). */
  meanTime: Float64Array;
  /** The window whose end closes the segment the stays were measured in (`window` itself unless `ahead`). */
  escapeWindow: Int32Array;
}

/**
 * The mean escape time out of every level of every window, for Kramers' law: within window j,
 * the stays of the price at level x (`dwellTimes` with core `halfWidth` and exit band
 * `exitHalfWidth`: a stay starts on entering the core and ends on leaving the basin, the core-set
 * definition of a transition, Buchete & Hummer 2008, J. Phys. Chem. B 112: 6057) give the
 * maximum-likelihood escape time of an exponential law under censoring,
 *
 *   τ̂ = (Σ stay durations) / (number of stays that ended in an escape),
 *
 * where a stay still under way at the window's end contributes its time but no escape, and a stay
 * already under way at its start counts from the start (the law is memoryless) (Lawless 2003,
 * Statistical Models and Methods for Lifetime Data, §2.2). A point carries the level's barrier
 * ΔF/T and the window's temperature: pass `meanTime`, `barrier × temperature` and `temperature`
 * to `kramersFit` (kramers.ts), with `events` as counts, and `meanTime` against `temperature` to
 * `temperatureEffect`.
 *
 * Throws like `dwellTimes` and for a landscape whose windows do not fit `price`.
 */
export function escapePoints(price: ArrayLike<number>, landscape: RollingLandscape, options: EscapeOptions): EscapePoints {
  const {halfWidth, exitHalfWidth, interval = 1, thin = true, ahead = false} = options;
  const {end, window, stride, levels, offsets, temperature} = landscape;
  const count = end.length;
  if (count > 0 && end[count - 1] >= price.length) throw new RangeError(`invalid price length: ${price.length} (the landscape's last window ends at ${end[count - 1]})`);
  const r = thin ? Math.ceil(window / stride) : 1;
  const out = {window: [] as number[], level: [] as number[], x: [] as number[], barrier: [] as number[], temperature: [] as number[], exposure: [] as number[], events: [] as number[], meanTime: [] as number[], escapeWindow: [] as number[]};
  const step = Math.ceil(window / stride);
  const slice = (a: number, b: number) => subarray(price, a, b);
  for (let j = 0; j < count; ++j) {
    const next = ahead ? j + step : j;
    if (ahead ? (count - 1 - next) % r !== 0 || next >= count : (count - 1 - j) % r !== 0) continue;
    const start = ahead ? end[j] + 1 : end[j] - window + 1;
    const part = slice(start, end[next] + 1);
    for (let k = offsets[j]; k < offsets[j + 1]; ++k) {
      const d = dwellTimes(part, levels.x[k], {halfWidth, exitHalfWidth, interval, censored: true});
      let exposure = 0;
      let events = 0;
      for (let i = 0; i < d.duration.length; ++i) {
        exposure += d.duration[i];
        // A flagged stay is cut by the window's start or end; one cut only at the start still ended in an escape.
        const ended = d.start[i] + Math.round(d.duration[i] / interval) < part.length;
        if (ended) ++events;
      }
      out.window.push(j);
      out.level.push(k);
      out.x.push(levels.x[k]);
      out.barrier.push(levels.barrier[k]);
      out.temperature.push(temperature[j]);
      out.exposure.push(exposure);
      out.events.push(events);
      out.meanTime.push(events > 0 ? exposure / events : NaN);
      out.escapeWindow.push(next);
    }
  }
  return {
    window: Int32Array.from(out.window),
    level: Int32Array.from(out.level),
    x: Float64Array.from(out.x),
    barrier: Float64Array.from(out.barrier),
    temperature: Float64Array.from(out.temperature),
    exposure: Float64Array.from(out.exposure),
    events: Int32Array.from(out.events),
    meanTime: Float64Array.from(out.meanTime),
    escapeWindow: Int32Array.from(out.escapeWindow)
  };
}

/**
 * The share of the finite samples of `price` that lie within `tolerance` of some level:
 *
 *   q = #{i : min_k |price_i − level_k| ≤ tolerance} / #{i : price_i finite},
 *
 * the chance that a level drawn at a random sample of the series (where the price traded, in
 * proportion to the time spent there — the "artificial levels" of Osler 2000, FRBNY Economic
 * Policy Review 6(2): 53) falls within `tolerance` of one of `levels`: the baseline against which
 * to judge how many recovered levels match a reference set. O(n log m) by binary search.
 *
 * NaN for a series with no finite sample; 0 with no finite level. Throws a RangeError for a
 * negative or non-finite tolerance.
 */
export function nearShare(price: ArrayLike<number>, levels: ArrayLike<number>, tolerance: number): number {
  if (!(tolerance >= 0 && tolerance < Infinity)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  const sorted = Float64Array.from(Array.from(levels, Number).filter(Number.isFinite)).sort();
  let near = 0;
  let finite = 0;
  for (let i = 0; i < price.length; ++i) {
    const v = +price[i];
    if (!Number.isFinite(v)) continue;
    ++finite;
    let a = 0;
    let b = sorted.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (sorted[m] < v - tolerance) a = m + 1;
      else b = m;
    }
    if (a < sorted.length && sorted[a] <= v + tolerance) ++near;
  }
  return finite ? near / finite : NaN;
}

/** The kernel is cut at ± this many bandwidths (kde.ts's default). */
const TRUNCATE = 5;

function subarray(a: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  const s = a as unknown as {subarray?: (a: number, b: number) => ArrayLike<number>};
  return typeof s.subarray === "function" ? s.subarray(start, end) : Array.prototype.slice.call(a, start, end);
}

