/**
 * data/findings.json at build time: reads the manifest, the planted truth and the memoised
 * results of chapters 02–06, and calls `computeFindings` of lib/analysis/findings.ts.
 */
import type {AnalysisConfig} from "../config.ts";
import {readManifest, readTruth} from "../market.ts";
import {computeFindings, findingsSource, type Findings} from "../../lib/analysis/findings.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {computeChapter02} from "./ch02.ts";
import {chapterInputs, computeChapter06} from "./ch06.ts";
import {memoChapter} from "./memo.ts";

/**
 * The headline findings of every chapter and the report's figure data, from the memoised chapter
 * results (the chapter loaders, the synthesis and the report share one computation per build).
 */
export async function buildFindings(dir: string, config: AnalysisConfig): Promise<Findings> {
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth | null;
  const ch02 = await memoChapter(dir, "loaders/chapters/ch02.ts", () => computeChapter02(dir, config));
  const {ch03, ch04, ch05} = await chapterInputs(dir, config);
  const ch06 = await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config));
  return computeFindings({manifest, truth, ch02, ch03, ch04, ch05, ch06}, findingsSource(manifest));
}
