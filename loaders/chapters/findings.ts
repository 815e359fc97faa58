/**
 * data/findings.json at build time: reads the manifest, the planted truth and the memoised
 * results of chapters 02–06, and calls `computeFindings` of lib/analysis/findings.ts.
 */
import type {AnalysisConfig} from "../config.ts";
import {readManifest, readTruth} from "../market.ts";
import {computeFindings, findingsSource, type Chapter02Input, type Chapter03Input, type Findings} from "../../lib/analysis/findings.js";
import type {PeriodId} from "../../lib/analysis/periods.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {computeChapter02, type Chapter02} from "./ch02.ts";
import type {Chapter03} from "./ch03.ts";
import {chapterInputs, computeChapter06} from "./ch06.ts";
import {memoChapter} from "./memo.ts";

/**
 * The period id of a period name in the results of chapters 02 and 03, which still name their
 * periods in words ("calm (before the crash)" in chapter 02, "before the crash" in chapter 03).
 * RangeError for a name that is not one of them.
 */
export function periodIdOfName(name: string): PeriodId {
  const id = PERIOD_NAMES[name];
  if (!id) throw new RangeError(`invalid period name: ${name}`);
  return id;
}

const PERIOD_NAMES: Record<string, PeriodId> = {
  "full span": "full",
  "calm (before the crash)": "before-crash",
  "before the crash": "before-crash",
  crash: "crash",
  "after the crash": "after-crash"
};

/** Chapter 02's result with its period names as typed ids. */
export function chapter02Input(ch02: Chapter02): Chapter02Input {
  return {...ch02, hy: {...ch02.hy, pairs: ch02.hy.pairs.map((p) => ({...p, period: periodIdOfName(p.period)}))}};
}

/** Chapter 03's result with its period names as typed ids. */
export function chapter03Input(ch03: Chapter03): Chapter03Input {
  return {...ch03, periods: ch03.periods.map((p) => ({...p, id: periodIdOfName(p.name)}))};
}

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
  return computeFindings({manifest, truth, ch02: chapter02Input(ch02), ch03: chapter03Input(ch03), ch04, ch05, ch06}, findingsSource(manifest));
}
