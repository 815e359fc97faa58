/**
 * data/findings.json at build time: reads the manifest, the planted truth, the memoised
 * results of chapters 02–06 and the stored calibration of this code (loaders/chapters/calibration.ts),
 * and calls `computeFindings` of lib/analysis/findings.ts.
 */
import type {AnalysisConfig} from "../config.ts";
import {readManifest, readTruth} from "../market.ts";
import {computeFindings, findingsSource, type Findings} from "../../lib/analysis/findings.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {calibrationPage} from "./calibration.ts";
import {computeChapter02} from "./ch02.ts";
import {chapterInputs, computeChapter06} from "./ch06.ts";
import {memoChapter} from "./memo.ts";
import {chapterBuild} from "./build.ts";
import {fullPeriod, schedulePeriods} from "../../lib/analysis/periods.js";
import {spotPerpSkipReason, type LeaderEntry} from "../../lib/analysis/spot-perp.js";
import {streamedSpotPerp} from "./leaders.ts";

/**
 * The headline findings of every chapter and the report's figure data, from the memoised chapter
 * results (the chapter loaders, the synthesis and the report share one computation per build).
 */
export async function buildFindings(dir: string, config: AnalysisConfig): Promise<Findings & {leaders: LeaderEntry[]}> {
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth | null;
  const ch02 = await memoChapter(dir, "loaders/chapters/ch02.ts", () => computeChapter02(dir, config));
  const {ch03, ch04, ch05} = await chapterInputs(dir, config);
  const ch06 = await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config));
  // The stored calibration of this code words the claims it measures (chapter 02's HY leads, chapter 03's MI lag).
  const calibration = calibrationPage(config.dataDir);
  const findings = computeFindings({manifest, truth, ch02, ch03, ch04, ch05, ch06, calibration}, findingsSource(manifest));
  // ---- Analysis B (each perpetual against each spot market): appended to `leaders` here, after Analysis A's entries. ----
  const analysisB = await memoChapter(dir, ANALYSIS_B_MODULES, () => analysisBLeaders(dir, config));
  // Chapter 03 reports its own four-venue analysis as "B"; the findings' Analysis B is the pairwise one above.
  const leaders = [...findings.leaders.filter((e) => e.analysis === "A"), ...analysisB.entries];
  const notComputed = analysisB.skipped ? [...findings.notComputed, {id: "analysis-b", chapter: "03", title: "Analysis B: perpetual against spot leadership", reason: `not computed because ${analysisB.skipped}`}] : findings.notComputed;
  return {...findings, notComputed, leaders};
}

/** What Analysis B's stored result is keyed by: the analysis and the day-by-day rule that computes it (loaders/chapters/leaders.ts, with the streams and sweeps of lib/ it runs). */
export const ANALYSIS_B_MODULES = ["lib/analysis/spot-perp.ts", "loaders/chapters/leaders.ts"] as const;

/**
 * Analysis B of the build in `dir` (lib/analysis/spot-perp.ts): the analysable markets' trades
 * (read one (venue, day) at a time), the periods (the planted ones on simulated data, else the full span), the
 * calibrated rule per (perpetual, spot) pair; `skipped` says why there is no pair.
 */
export async function analysisBLeaders(dir: string, config: AnalysisConfig): Promise<{entries: LeaderEntry[]; skipped: string | null}> {
  const {manifest, truth, span} = chapterBuild(dir, config, {log: () => {}});
  const skipped = spotPerpSkipReason(manifest.venues);
  if (skipped) return {entries: [], skipped};
  const periods = truth ? schedulePeriods(truth, span) : [fullPeriod(span)];
  // The rule reads the trades one (venue, day) at a time (loaders/chapters/leaders.ts): the same entries as spotPerpLeaders on whole-span columns.
  return {entries: await streamedSpotPerp(dir, manifest.venues, periods, {seed: config.seed, binWidths: config.binWidthsMs}), skipped: null};
}
