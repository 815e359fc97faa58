/**
 * Data quality of one (venue, day): what was read, what was kept, and why the rest was not.
 *
 * The cleaner ({@link ./clean.ts}) counts; this module defines the record written to
 * `quality.json`, the streaming gap tracker, the one-sided-day flag and the summary the
 * manifest (and the banner on every page) shows. Nothing is dropped silently: every row read
 * is either kept, outside the day, a duplicate, out of order, invalid, a price outlier, or
 * quarantined by the format parser, and the counts add up ({@link checkBalance}).
 */
import type {Venue} from "./config.ts";
import type {Quarantine} from "./trades.ts";

/** Buy shares below this or above `1 − ONE_SIDED` flag a day as one-sided (likely a side-mapping bug). */
export const ONE_SIDED = 0.05;

/**
 * `true` when the buy share (buys / (buys + sells), by trade count) is below 5% or above 95%.
 * Real order flow is close to balanced over a day (Binance BTC perpetual: 45–55%), so a
 * one-sided day almost always means an inverted or constant side field. `null` (no signed
 * trades) is not flagged.
 */
export function isOneSided(buyShare: number | null): boolean {
  return buyShare !== null && (buyShare < ONE_SIDED || buyShare > 1 - ONE_SIDED);
}

/** Gaps between consecutive kept trades (and between the span edges and the first / last trade). */
export interface GapStats {
  /** Gaps are counted when strictly longer than this, seconds. */
  thresholdSec: number;
  count: number;
  /** Longest gap in the day, seconds (whether or not above the threshold). */
  longestSec: number;
  /** Start of the longest gap, epoch ms (the earlier trade or the span start). */
  longestStart: number;
}

/** A streaming gap tracker: feed time-sorted trade times with {@link addGap}, close with {@link finishGaps}. */
export interface GapTracker {
  thresholdMs: number;
  previous: number;
  count: number;
  longest: number;
  longestStart: number;
}

/** Starts a gap tracker at the span start `t0` (ms) with a threshold in seconds (default 60). */
export function gapTracker(t0: number, thresholdSec = 60): GapTracker {
  if (!(thresholdSec > 0)) throw new RangeError(`invalid gap threshold: ${thresholdSec}`);
  return {thresholdMs: thresholdSec * 1000, previous: t0, count: 0, longest: 0, longestStart: t0};
}

/** Records a trade at time `t` (ms, not before the previous one). */
export function addGap(g: GapTracker, t: number): void {
  const d = t - g.previous;
  if (d > g.thresholdMs) ++g.count;
  if (d > g.longest) (g.longest = d), (g.longestStart = g.previous);
  g.previous = t;
}

/** Closes the tracker at the span end `t1` (ms) and returns the statistics. */
export function finishGaps(g: GapTracker, t1: number): GapStats {
  addGap(g, t1);
  return {thresholdSec: g.thresholdMs / 1000, count: g.count, longestSec: g.longest / 1000, longestStart: g.longestStart};
}

/** One row of `quality.json`. Shares are `null` where their denominator is zero. */
export interface QualityRecord {
  venue: Venue;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** The part of the day analysed, epoch ms [t0, t1). */
  span: [number, number];
  /** Archive files read (names relative to the venue's folder). */
  files: string[];
  /** Rows read: rows the parsers returned plus rows they quarantined. */
  rowsRead: number;
  /** Rows the parsers set aside (bad lines), included in `quarantine.counts`. */
  parseErrors: number;
  /** Rows outside this day's span (expected where files cross day boundaries, e.g. OKX's UTC+8 files). */
  outsideSpan: number;
  /** Rows with a non-finite time, non-positive price or quantity, or a side outside {−1, 0, +1}. */
  invalid: number;
  /** Repeats of a trade already seen (same trade id at the same time). */
  duplicates: number;
  /** Rows arriving later than the reorder buffer's horizon (quarantined, not re-inserted). */
  outOfOrder: number;
  /** Rows whose price is too far from the rolling median of the preceding prices (quarantined). */
  priceOutliers: number;
  /** Rows kept: cleaned, de-duplicated, time-sorted trades. */
  kept: number;
  /** First and last kept trade times (ms), `null` when none. */
  first: number | null;
  last: number | null;
  gaps: GapStats;
  buys: number;
  sells: number;
  /** Kept trades with side still 0 after the tick rule (no price change yet in the day). */
  unsigned: number;
  /** buys / (buys + sells). */
  buyShare: number | null;
  /** Buy share below 5% or above 95%. */
  oneSided: boolean;
  /** Kept trades whose side came from the tick rule rather than the exchange. */
  tickClassified: number;
  tickClassifiedShare: number | null;
  /** Rows set aside, by reason, with the first few examples (file, line, reason, text). */
  quarantine: Quarantine;
}

/**
 * Checks that every row read is accounted for: rowsRead = kept + outsideSpan + invalid +
 * duplicates + outOfOrder + priceOutliers + parseErrors. Returns the difference (0 when
 * balanced).
 */
export function checkBalance(q: QualityRecord): number {
  return q.rowsRead - (q.kept + q.outsideSpan + q.invalid + q.duplicates + q.outOfOrder + q.priceOutliers + q.parseErrors);
}

/** Per-venue totals over the days of a build, for the manifest and the banner. */
export interface VenueQualitySummary {
  days: number;
  rowsRead: number;
  kept: number;
  duplicates: number;
  outOfOrder: number;
  priceOutliers: number;
  invalid: number;
  parseErrors: number;
  gaps: number;
  longestGapSec: number;
  buyShare: number | null;
  oneSidedDays: string[];
  tickClassifiedShare: number | null;
}

export interface QualitySummary {
  perVenue: Partial<Record<Venue, VenueQualitySummary>>;
  /** Rows quarantined (parse errors, out of order, outliers, invalid) over rows read, all venues. */
  quarantinedShare: number | null;
  /** Plain-language warnings (one-sided days, long gaps, heavy quarantine), empty when clean. */
  warnings: string[];
}

const share = (a: number, b: number) => (b > 0 ? a / b : null);

/** Sums quality records per venue and lists warnings worth a reader's attention. */
export function summarizeQuality(records: QualityRecord[]): QualitySummary {
  const perVenue: Partial<Record<Venue, VenueQualitySummary>> = {};
  const acc: Partial<Record<Venue, {buys: number; sells: number; tick: number}>> = {};
  const warnings: string[] = [];
  let read = 0;
  let quarantined = 0;
  for (const r of records) {
    const s = (perVenue[r.venue] ??= {
      days: 0, rowsRead: 0, kept: 0, duplicates: 0, outOfOrder: 0, priceOutliers: 0, invalid: 0, parseErrors: 0,
      gaps: 0, longestGapSec: 0, buyShare: null, oneSidedDays: [], tickClassifiedShare: null
    });
    const a = (acc[r.venue] ??= {buys: 0, sells: 0, tick: 0});
    s.days += 1;
    s.rowsRead += r.rowsRead;
    s.kept += r.kept;
    s.duplicates += r.duplicates;
    s.outOfOrder += r.outOfOrder;
    s.priceOutliers += r.priceOutliers;
    s.invalid += r.invalid;
    s.parseErrors += r.parseErrors;
    s.gaps += r.gaps.count;
    s.longestGapSec = Math.max(s.longestGapSec, r.gaps.longestSec);
    if (r.oneSided) s.oneSidedDays.push(r.day);
    a.buys += r.buys;
    a.sells += r.sells;
    a.tick += r.tickClassified;
    read += r.rowsRead;
    quarantined += r.parseErrors + r.outOfOrder + r.priceOutliers + r.invalid;
    if (r.oneSided) warnings.push(`${r.venue} ${r.day}: one-sided day (buy share ${(100 * r.buyShare!).toFixed(1)}%)`);
    if (r.kept === 0) warnings.push(`${r.venue} ${r.day}: no trades kept`);
    if (r.gaps.count > 0)
      warnings.push(`${r.venue} ${r.day}: ${r.gaps.count} gap(s) over ${r.gaps.thresholdSec} s, longest ${r.gaps.longestSec.toFixed(1)} s`);
    const q = r.parseErrors + r.outOfOrder + r.priceOutliers + r.invalid;
    if (r.rowsRead > 0 && q / r.rowsRead > 0.001)
      warnings.push(`${r.venue} ${r.day}: ${(100 * q / r.rowsRead).toFixed(2)}% of rows quarantined`);
  }
  for (const [venue, s] of Object.entries(perVenue) as [Venue, VenueQualitySummary][]) {
    const a = acc[venue]!;
    s.buyShare = share(a.buys, a.buys + a.sells);
    s.tickClassifiedShare = share(a.tick, s.kept);
  }
  return {perVenue, quarantinedShare: share(quarantined, read), warnings};
}
