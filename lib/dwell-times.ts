/**
 * Dwell times: how long a price stays near a level before leaving it — the residence times whose
 * distribution (exponential for a memoryless escape) and mean (Kramers' law) chapter 05 studies.
 */

/** Options of {@link dwellTimes}. */
export interface DwellTimeOptions {
  /** Half-width of the entry band: a dwell starts when |price − level| ≤ halfWidth (> 0). */
  halfWidth: number;
  /**
   * Half-width of the exit band (≥ halfWidth; default halfWidth): once inside, the dwell lasts
   * until |price − level| > exitHalfWidth. A wider exit band is spatial hysteresis: a price
   * flickering across the edge of the entry band does not end a dwell. An entry band around a
   * well's bottom and an exit band reaching past its saddle give the core-set (milestoning)
   * definition of an escape (Buchete & Hummer 2008, J. Phys. Chem. B 112: 6057).
   */
  exitHalfWidth?: number;
  /**
   * Temporal hysteresis: an excursion beyond the exit band ends the dwell only once it has lasted
   * `minExit` consecutive samples (an integer ≥ 1; default 1, any excursion). Shorter excursions
   * are absorbed into the dwell.
   */
  minExit?: number;
  /** Duration of one sample (> 0; default 1), e.g. seconds per bin: durations are in its unit. */
  interval?: number;
  /**
   * Keep dwells cut by the ends of the series (default false): one already under way at the
   * first sample (left-censored) or not finished at the last (right-censored, duration measured
   * to the end). Kept dwells are flagged in `censored`.
   */
  censored?: boolean;
}

/** Dwells at one level (see {@link dwellTimes}). */
export interface Dwells {
  /** Index of each dwell's first sample inside the entry band. */
  start: Int32Array;
  /** Each dwell's duration: samples from entry to the first sample of the exit, times `interval`. */
  duration: Float64Array;
  /** 1 for a dwell cut by the start or end of the series (only with `censored: true`), else 0. */
  censored: Uint8Array;
}

/**
 * The dwells of `price` at `level`: maximal stretches from an entry into the band
 * level ± halfWidth until the price has been beyond level ± exitHalfWidth for `minExit`
 * consecutive samples. Duration = (index of the first sample of that excursion − index of the
 * entry) × interval, so with the defaults a dwell is a run of consecutive samples inside the band
 * and its duration is the run length. For a memoryless escape over a barrier the durations are
 * exponential with mean τ (Kramers 1940, Physica 7: 284; Hänggi, Talkner & Borkovec 1990,
 * Rev. Mod. Phys. 62: 251); test that with `exponentialFit` in goodness-of-fit.ts.
 *
 * A NaN price counts as outside the bands (a gap ends a dwell like an excursion). Durations are
 * whole numbers of samples: compare them with a continuous law only when they span many
 * samples. Throws a RangeError for a non-finite level, a half-width that is not positive, an exit
 * half-width below it, a bad `minExit` or a bad `interval`.
 */
export function dwellTimes(price: ArrayLike<number>, level: number, options: DwellTimeOptions): Dwells {
  const {halfWidth, exitHalfWidth = halfWidth, minExit = 1, interval = 1, censored = false} = options;
  if (!Number.isFinite(level)) throw new RangeError(`invalid level: ${level}`);
  if (!(halfWidth > 0 && halfWidth < Infinity)) throw new RangeError(`invalid halfWidth: ${halfWidth}`);
  if (!(exitHalfWidth >= halfWidth && exitHalfWidth < Infinity)) throw new RangeError(`invalid exitHalfWidth: ${exitHalfWidth}`);
  if (!Number.isInteger(minExit) || minExit < 1) throw new RangeError(`invalid minExit: ${minExit}`);
  if (!(interval > 0 && interval < Infinity)) throw new RangeError(`invalid interval: ${interval}`);
  const n = price.length;
  const starts: number[] = [];
  const durations: number[] = [];
  const flags: number[] = [];
  let inside = false;
  let start = 0;
  let excursion = -1; // first sample of the current excursion beyond the exit band, or −1
  for (let i = 0; i < n; ++i) {
    const d = Math.abs(+price[i] - level);
    if (!inside) {
      if (d <= halfWidth) (inside = true), (start = i), (excursion = -1);
      continue;
    }
    if (d <= exitHalfWidth) {
      excursion = -1;
      continue;
    }
    if (excursion < 0) excursion = i;
    if (i - excursion + 1 >= minExit) {
      const leftCensored = start === 0;
      if (!leftCensored || censored) {
        starts.push(start);
        durations.push((excursion - start) * interval);
        flags.push(leftCensored ? 1 : 0);
      }
      inside = false;
      excursion = -1;
    }
  }
  if (inside && censored) {
    starts.push(start);
    durations.push((n - start) * interval);
    flags.push(1);
  }
  return {start: Int32Array.from(starts), duration: Float64Array.from(durations), censored: Uint8Array.from(flags)};
}

/**
 * {@link dwellTimes} at each of several levels, e.g. the metastable levels of a free-energy
 * landscape; `halfWidth` and `exitHalfWidth` may be one number or one per level. Returns one
 * {@link Dwells} per level. Throws like {@link dwellTimes}, and for per-level arrays of the wrong
 * length.
 */
export function dwellTimesAt(
  price: ArrayLike<number>,
  levels: ArrayLike<number>,
  options: Omit<DwellTimeOptions, "halfWidth" | "exitHalfWidth"> & {
    halfWidth: number | ArrayLike<number>;
    exitHalfWidth?: number | ArrayLike<number>;
  }
): Dwells[] {
  const m = levels.length;
  const pick = (v: number | ArrayLike<number> | undefined, name: string, k: number) => {
    if (v === undefined || typeof v === "number") return v;
    if (v.length !== m) throw new RangeError(`invalid ${name} length: ${v.length} (${m} levels)`);
    return +v[k];
  };
  const out: Dwells[] = [];
  for (let k = 0; k < m; ++k) {
    out.push(
      dwellTimes(price, +levels[k], {
        ...options,
        halfWidth: pick(options.halfWidth, "halfWidth", k)!,
        exitHalfWidth: pick(options.exitHalfWidth, "exitHalfWidth", k)
      })
    );
  }
  return out;
}
