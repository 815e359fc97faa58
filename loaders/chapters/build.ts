/**
 * The derived build a chapter reads: its manifest, the planted truth and the analysed span,
 * checked against the configuration the chapter was asked to compute for, and the venues with
 * enough trades to analyse (the others are skipped with a stated reason).
 */
import {configSpan, type AnalysisConfig, type Venue} from "../config.ts";
import {readManifest, readTruth, type Manifest} from "../market.ts";
import {DataError} from "../quality.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";

/** Fewest trades over the span for a venue to enter the chapters' analyses (estimators need a series, not a handful of points). */
export const MIN_VENUE_TRADES = 100;

/** A venue left out of the analyses, and why. */
export interface SkippedVenue {
  venue: Venue;
  reason: string;
}

/** The venues of `manifest` with at least {@link MIN_VENUE_TRADES} trades, and the others with the reason they are skipped. */
export function analysableVenues(manifest: Pick<Manifest, "venues" | "perVenue">): {venues: Venue[]; skipped: SkippedVenue[]} {
  const venues: Venue[] = [];
  const skipped: SkippedVenue[] = [];
  for (const v of manifest.venues) {
    const n = manifest.perVenue[v]?.trades ?? 0;
    if (n >= MIN_VENUE_TRADES) venues.push(v);
    else skipped.push({venue: v, reason: `${n.toLocaleString("en-US")} trade(s) kept over the span, fewer than the ${MIN_VENUE_TRADES} the analyses need`});
  }
  return {venues, skipped};
}

/**
 * The manifest of the derived folder `dir` — with `venues` narrowed to the analysable ones (see
 * {@link analysableVenues}), the others in `skipped` and reported on `log` — its planted truth
 * (null for real data) and its span [t0, t1) in epoch ms. Throws a RangeError when `config`'s
 * span starts elsewhere (the chapter would read one build while its settings describe another),
 * and a `DataError` naming every venue and its reason when fewer than `minVenues` remain.
 */
export function chapterBuild(
  dir: string,
  config: AnalysisConfig,
  {minVenues = 1, log = (line: string) => process.stderr.write(`${line}\n`)}: {minVenues?: number; log?: (line: string) => void} = {}
): {manifest: Manifest; truth: SimTruth | null; span: [number, number]; skipped: SkippedVenue[]} {
  const full = readManifest(dir);
  const span = full.span as [number, number];
  // A build from CVE_INPUTS takes its span from the files (keyed by their contents), not from the days.
  const start = config.inputs?.length ? span[0] : configSpan(config)[0];
  if (start !== span[0]) throw new RangeError(`invalid config: its span starts at ${start}, the build's at ${span[0]}`);
  const {venues, skipped} = analysableVenues(full);
  for (const s of skipped) log(`chapters: skipping ${s.venue}: ${s.reason}`);
  if (venues.length < minVenues)
    throw new DataError(`too few venues to analyse (${venues.length} of ${full.venues.length}, at least ${minVenues} needed): ${skipped.map((s) => `${s.venue}: ${s.reason}`).join("; ")}`);
  return {manifest: {...full, venues}, truth: readTruth(dir) as SimTruth | null, span, skipped};
}
