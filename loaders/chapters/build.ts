/**
 * The derived build a chapter reads: its manifest, the planted truth and the analysed span,
 * checked against the configuration the chapter was asked to compute for.
 */
import {configSpan, type AnalysisConfig} from "../config.ts";
import {readManifest, readTruth, type Manifest} from "../market.ts";
import type {SimTruth} from "../../lib/analysis/truth.js";

/**
 * The manifest of the derived folder `dir`, its planted truth (null for real data) and its span
 * [t0, t1) in epoch ms. Throws a RangeError when `config`'s span starts elsewhere: the chapter
 * would read one build while its settings describe another.
 */
export function chapterBuild(dir: string, config: AnalysisConfig): {manifest: Manifest; truth: SimTruth | null; span: [number, number]} {
  const manifest = readManifest(dir);
  const span = manifest.span as [number, number];
  const start = configSpan(config)[0];
  if (start !== span[0]) throw new RangeError(`invalid config: its span starts at ${start}, the build's at ${span[0]}`);
  return {manifest, truth: readTruth(dir) as SimTruth | null, span};
}
