/**
 * Data quality of one (venue, day): what was read, what was kept, and why the rest was not.
 *
 * The cleaner ({@link ./clean.ts}) counts; this module defines the record written to
 * `quality.json`, the streaming gap tracker, the one-sided-day flag and the summary the
 * manifest (and the banner on every page) shows. Nothing is dropped silently: every row read
 * is either kept, outside the analysed span (expected), outside its file's day (quarantined), a
 * duplicate, out of order, invalid, a price outlier, or quarantined by the format parser, and the
 * counts add up ({@link checkBalance}).
 *
 * Thresholds ({@link QUALITY_LIMITS}) turn the counts into warnings (shown on every page and on
 * stderr) and, past stated limits, failures: the build stops with a message naming the file and
 * the reason unless `CVE_QUALITY=warn` (see {@link qualityGate}).
 */
import type {Venue} from "./config.ts";
import type {Quarantine} from "./trades.ts";

/** Buy shares below this or above `1 − ONE_SIDED` flag a day as one-sided (likely a side-mapping bug). */
export const ONE_SIDED = 0.05;

/**
 * Where a (venue, day) earns a warning and where it fails the build.
 * - `warnQuarantined` / `failQuarantined`: share of the rows read that were quarantined
 *   (parse errors, invalid, out of order, price outliers, outside the file's day);
 * - `failOneSided`: a buy share below this or above 1 − this, with at least `minSigned` signed
 *   trades, fails (below {@link ONE_SIDED} it warns);
 * - `failIdReuse`: share of kept trades reusing a trade id with other content (any reuse warns);
 * - `warnPriceLevel` / `failPriceLevel`: |ln(price / reference)| of a venue's price against the
 *   median of the other venues at the same time, or against its own median (see `price-level.ts`).
 */
export const QUALITY_LIMITS = {
  warnQuarantined: 0.001,
  failQuarantined: 0.1,
  failOneSided: 0.01,
  minSigned: 100,
  failIdReuse: 0.01,
  warnPriceLevel: 0.05,
  failPriceLevel: Math.log(1.5)
} as const;

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
  /** Rows outside this day's span but inside their file's (expected where files cross day boundaries, e.g. OKX's UTC+8 files, and for the hours not analysed). */
  outsideSpan: number;
  /** Rows outside the day their file covers (a file holding another day's trades): quarantined as `outside file day`. */
  wrongDay: number;
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
  /** Trades reusing a trade id with other content: kept trades whose id an earlier one had at another time, plus repeats of a (time, id) with another price or quantity. */
  idReuse: number;
  /** Rows set aside, by reason, with the first few examples (file, line, reason, text). */
  quarantine: Quarantine;
}

/**
 * Checks that every row read is accounted for: rowsRead = kept + outsideSpan + wrongDay +
 * invalid + duplicates + outOfOrder + priceOutliers + parseErrors. Returns the difference (0
 * when balanced).
 */
export function checkBalance(q: QualityRecord): number {
  return q.rowsRead - (q.kept + q.outsideSpan + (q.wrongDay ?? 0) + q.invalid + q.duplicates + q.outOfOrder + q.priceOutliers + q.parseErrors);
}

/** Rows of a record set aside as unusable: parse errors, invalid, out of order, price outliers, outside the file's day. */
export function quarantined(r: QualityRecord): number {
  return r.parseErrors + r.outOfOrder + r.priceOutliers + r.invalid + (r.wrongDay ?? 0);
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
  wrongDay: number;
  idReuse: number;
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
  /** Plain-language warnings (one-sided days, long gaps, heavy quarantine, id reuse, price levels), empty when clean. */
  warnings: string[];
  /**
   * Problems past the failure limits of {@link QUALITY_LIMITS}, one line each naming venue, day,
   * file and reason: the build stops on them unless `CVE_QUALITY=warn` ({@link qualityGate}).
   */
  failures: string[];
}

const share = (a: number, b: number) => (b > 0 ? a / b : null);

/** Sums quality records per venue and lists warnings worth a reader's attention. */
export function summarizeQuality(records: QualityRecord[]): QualitySummary {
  const perVenue: Partial<Record<Venue, VenueQualitySummary>> = {};
  const acc: Partial<Record<Venue, {buys: number; sells: number; tick: number}>> = {};
  const warnings: string[] = [];
  const failures: string[] = [];
  const L = QUALITY_LIMITS;
  let read = 0;
  let quarantinedRows = 0;
  for (const r of records) {
    const s = (perVenue[r.venue] ??= {
      days: 0, rowsRead: 0, kept: 0, duplicates: 0, outOfOrder: 0, priceOutliers: 0, invalid: 0, parseErrors: 0,
      wrongDay: 0, idReuse: 0, gaps: 0, longestGapSec: 0, buyShare: null, oneSidedDays: [], tickClassifiedShare: null
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
    s.wrongDay += r.wrongDay ?? 0;
    s.idReuse += r.idReuse ?? 0;
    s.gaps += r.gaps.count;
    s.longestGapSec = Math.max(s.longestGapSec, r.gaps.longestSec);
    if (r.oneSided) s.oneSidedDays.push(r.day);
    a.buys += r.buys;
    a.sells += r.sells;
    a.tick += r.tickClassified;
    read += r.rowsRead;
    const q = quarantined(r);
    quarantinedRows += q;
    const where = `${r.venue} ${r.day} (${r.files.join(", ") || "no file"})`;
    const signed = r.buys + r.sells;
    if (r.oneSided) {
      const line = `${where}: one-sided day (buy share ${(100 * r.buyShare!).toFixed(1)}% of ${signed.toLocaleString("en-US")} signed trades)`;
      if (signed >= L.minSigned && (r.buyShare! < L.failOneSided || r.buyShare! > 1 - L.failOneSided))
        failures.push(`${line}, beyond the limit of ${100 * L.failOneSided}–${100 * (1 - L.failOneSided)}%: is the side field inverted or constant?`);
      else warnings.push(line);
    }
    if (r.kept === 0) warnings.push(`${where}: no trades kept`);
    if (r.gaps.count > 0)
      warnings.push(`${r.venue} ${r.day}: ${r.gaps.count} gap(s) over ${r.gaps.thresholdSec} s, longest ${r.gaps.longestSec.toFixed(1)} s`);
    if (r.rowsRead > 0 && q / r.rowsRead > L.warnQuarantined) {
      const reasons = Object.entries(r.quarantine.counts).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ");
      const line = `${where}: ${(100 * q / r.rowsRead).toFixed(2)}% of ${r.rowsRead.toLocaleString("en-US")} rows quarantined (${reasons})`;
      if (q / r.rowsRead > L.failQuarantined) failures.push(`${line}, over the limit of ${100 * L.failQuarantined}%`);
      else warnings.push(line);
    }
    const reuse = r.idReuse ?? 0;
    if (reuse > 0) {
      const line = `${where}: ${reuse.toLocaleString("en-US")} trade(s) reuse a trade id with other content`;
      if (r.kept > 0 && reuse / r.kept > L.failIdReuse) failures.push(`${line} (${(100 * reuse / r.kept).toFixed(2)}% of kept trades, over the limit of ${100 * L.failIdReuse}%)`);
      else warnings.push(line);
    }
  }
  for (const [venue, s] of Object.entries(perVenue) as [Venue, VenueQualitySummary][]) {
    const a = acc[venue]!;
    s.buyShare = share(a.buys, a.buys + a.sells);
    s.tickClassifiedShare = share(a.tick, s.kept);
  }
  return {perVenue, quarantinedShare: share(quarantinedRows, read), warnings, failures};
}

/** A build stopped by the data, not by the code: one line naming the input and the reason. */
export class DataError extends Error {
  override name = "DataError";
}

/** The environment variable that lets a build publish past the failure limits. */
export const QUALITY_ENV = "CVE_QUALITY";

/**
 * Applies the quality gate of a build: with `mode` `"fail"` (the default) and any failure,
 * throws {@link DataError} naming the first failure (file and reason), how many more there are
 * and how to override; with `"warn"` the failures are returned as warnings for the banner.
 */
export function qualityGate(summary: Pick<QualitySummary, "failures">, mode: "fail" | "warn"): string[] {
  const failures = summary.failures ?? [];
  if (failures.length === 0 || mode === "warn") return failures;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more problem(s): see quality.json)` : "";
  throw new DataError(`data quality: ${failures[0]}${more}; set ${QUALITY_ENV}=warn to build anyway`);
}
