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
import {spotPerpEntries, type LeaderEntry, type SpotPerpResult} from "../../lib/analysis/spot-perp.js";

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
  // ---- Analysis B (each perpetual against each spot market), decided in chapter 03's leader step: appended to `leaders` here, after Analysis A's entries. ----
  const analysisB = analysisBLeaders(ch03, config);
  // Chapter 03 reports its own four-venue analysis as "B"; the findings' Analysis B is the pairwise one above.
  const leaders = [...findings.leaders.filter((e) => e.analysis === "A"), ...analysisB.entries];
  const notComputed = analysisB.skipped ? [...findings.notComputed, {id: "analysis-b", chapter: "03", title: "Analysis B: perpetual against spot leadership", reason: `not computed because ${analysisB.skipped}`}] : findings.notComputed;
  return {...findings, notComputed, leaders};
}

/**
 * Analysis B's entries of findings.json `leaders` (lib/analysis/spot-perp.ts): chapter 03's
 * verdicts per (perpetual, spot) pair and period, once per configured bin width; `skipped` says
 * why there is no pair.
 */
export function analysisBLeaders(ch03: {spotPerp: SpotPerpResult}, config: Pick<AnalysisConfig, "binWidthsMs">): {entries: LeaderEntry[]; skipped: string | null} {
  return {entries: spotPerpEntries(ch03.spotPerp.verdicts, {binWidths: config.binWidthsMs}), skipped: ch03.spotPerp.skipped};
}
