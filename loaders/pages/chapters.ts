/**
 * The chapters' page files, in sizes that do not grow with the span: what a chapter's page loads
 * on first view keeps only bounded summaries, and the chapter's whole-span series (one value per
 * window, minute or second) are published as hour chunks (loaders/pages/detail.ts
 * `chunkedSeries`, the mechanism of the bins and flow detail), fetched by the page for the range
 * its reader selects. The chapters' computed results are the memoised ones, unchanged: only where
 * they are published changes.
 *
 * - Chapter 02: `ch02.json` is the chapter's result without each spread pair's per-window `rv` and
 *   `spread` (one value a minute of the span): page 02 draws the spread against volatility of the
 *   hours its reader chooses, recomputed from their 1 s bins (`spreadPair`), and reads of the
 *   build's pairs only their whole-span summaries (slope, intervals, decile means).
 * - Chapter 03: `ch03.json` keeps of the rolling transfer entropy only its head (settings, window
 *   count and the crash leadership of every window, lib/analysis/ch03-detail.ts); the windows go to
 *   `ch03-rolling.bin` (one JSON chunk per hour), index `ch03-detail.json`.
 * - Chapter 04: `ch04.json` is the chapter's result without `observables` and `signs`, which go to
 *   `ch04-observables.bin` (the page's observables at the default window, on a grid of the window
 *   step) and `ch04-signs.bin` (the per-minute trade-sign lag sums), and with only the heads of its
 *   change series, whose blocks go to `ch04-changes.bin` (one JSON chunk per hour); index
 *   `ch04-detail.json` (lib/analysis/ch04-detail.ts gives the grid and reads a range back).
 * - Chapter 05: `ch05.json` keeps of each of the page's landscape choices only its head (window,
 *   bandwidth, grid); the per-window parts go to `ch05-landscapes.bin` (one JSON chunk per hour:
 *   every choice's windows ending in it, lib/analysis/ch05-detail.ts), the analysed venue's 1 s
 *   price to `ch05-price.bin`, and the chapter's per-window tables (`windows`, `levels`, `tracks`,
 *   the Kramers points; `ch05.json` keeps their counts) to `ch05-tables.bin`; index
 *   `ch05-detail.json`. Each choice's dwell analysis (its stays over the whole span) is
 *   `ch05-dwells.json`, which page 05 reads only when its range is the whole span.
 * - Chapter 06: each venue's 1 s net flow and trade count and the reference price,
 *   `ch06-series.bin`, index `ch06-series.json`.
 * - The findings: `findings.json` is lib/analysis/findings.ts `computeFindings`' result with the
 *   report's volatility figure as its M4 overview of fixed size (lib/analysis/figure-overview.ts;
 *   a day of one-minute blocks whole); the full series is chapter 04's, `ch04-changes.bin`.
 */
import {join} from "node:path";
import type {AnalysisConfig} from "../config.ts";
import type {ColumnSpec, TypedColumn} from "../arrow.ts";
import {computeChapter02, type Chapter02} from "../chapters/ch02.ts";
import {computeChapter03, type Chapter03} from "../chapters/ch03.ts";
import {computeChapter04, type Chapter04} from "../chapters/ch04.ts";
import {computeChapter05, type Chapter05} from "../chapters/ch05.ts";
import {computeChapter06} from "../chapters/ch06.ts";
import {memoChapter} from "../chapters/memo.ts";
import {readManifest, readTruth} from "../market.ts";
import {readArrowColumns} from "../arrow.ts";
import {CHUNK_MS, chunkedSeries, synthesisSeries} from "./detail.ts";
import {changeHead, observableRows, observablesGrid, signsGrid, sliceChanges, type ChangeHead, type ChangeKind} from "../../lib/analysis/ch04-detail.js";
import {landscapeHead, sliceLandscape, sliceTables, tablesHead, type LandscapeHead, type TablesHead} from "../../lib/analysis/ch05-detail.js";
import {windowSamples} from "../../lib/analysis/ch05.js";
import {rollingHead, sliceRolling, type RollingHead} from "../../lib/analysis/ch03-detail.js";
import {plantedCrash} from "../../lib/analysis/ch03.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {seriesOverview} from "../../lib/analysis/figure-overview.js";
import {buildFindings} from "../chapters/findings.ts";

/** Chapter 02's memoised result. */
const chapter02 = (dir: string, config: AnalysisConfig) => memoChapter(dir, "loaders/chapters/ch02.ts", () => computeChapter02(dir, config));

/** A spread pair as page 02 loads it: without its per-window series. */
export type SpreadPairPage = Omit<Chapter02["spread"]["pairs"][number], "rv" | "spread">;
/** What page 02 loads on first view: chapter 02's result without the spread pairs' per-window series. */
export type Chapter02Page = Omit<Chapter02, "spread"> & {spread: Omit<Chapter02["spread"], "pairs"> & {pairs: SpreadPairPage[]}};

/** `ch02.json`: see the module comment. */
export async function chapter02Page(dir: string, config: AnalysisConfig): Promise<Chapter02Page> {
  const ch = await chapter02(dir, config);
  return {...ch, spread: {...ch.spread, pairs: ch.spread.pairs.map(({rv: _r, spread: _s, ...rest}) => rest)}};
}

/** Chapter 03's memoised result. */
const chapter03 = (dir: string, config: AnalysisConfig) => memoChapter(dir, "loaders/chapters/ch03.ts", () => computeChapter03(dir, config));

/** What page 03 loads on first view: chapter 03's result with the head of its rolling TE. */
export type Chapter03Page = Omit<Chapter03, "rolling"> & {rolling: RollingHead};

/** `ch03.json`: see the module comment. */
export async function chapter03Page(dir: string, config: AnalysisConfig): Promise<Chapter03Page> {
  const ch = await chapter03(dir, config);
  return {...ch, rolling: rollingHead(ch.rolling, plantedCrash(readTruth(dir) as SimTruth | null))};
}

/** The folder of chapter 03's chunked rolling TE (`ch03-rolling.bin`, index `ch03-detail.json`). */
export async function chapter03Series(dir: string, config: AnalysisConfig): Promise<string> {
  const {rolling} = await chapter03(dir, config);
  return chunkedSeries(dir, "ch03-detail", JSON.stringify(rolling), async () => {
    const slices = sliceRolling(rolling, readManifest(dir).span, CHUNK_MS);
    const t0 = readManifest(dir).span[0];
    return {
      tables: {"ch03-rolling": {layout: "json", chunk: (a) => slices[Math.round((a - t0) / CHUNK_MS)]}},
      metadata: {windowSec: String(rolling.windowSec), stepSec: String(rolling.stepSec)}
    };
  });
}

/** Chapter 04's memoised result. */
const chapter04 = (dir: string, config: AnalysisConfig) => memoChapter(dir, "loaders/chapters/ch04.ts", () => computeChapter04(dir, config));

/** What page 04 loads on first view: chapter 04's result without its whole-span series (`observables`, `signs`, the change series' blocks). */
export type Chapter04Page = Omit<Chapter04, "observables" | "signs" | "changes"> & {changes: Record<ChangeKind, ChangeHead>};

/** `ch04.json`: see the module comment. */
export async function chapter04Page(dir: string, config: AnalysisConfig): Promise<Chapter04Page> {
  const {observables: _o, signs: _s, changes, ...rest} = await chapter04(dir, config);
  return {...rest, changes: {entropy: changeHead(changes.entropy), volatility: changeHead(changes.volatility)}};
}

/** A column as Int32 when every value is an integer that fits, else as it is (the sign sums are counts and sums of ±1 products). */
function compact(name: string, values: Float64Array): {spec: ColumnSpec; column: TypedColumn} {
  const whole = values.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31);
  return whole ? {spec: {name, type: "Int32"}, column: Int32Array.from(values)} : {spec: {name, type: "Float64"}, column: values};
}

/** The folder of chapter 04's chunked series (`ch04-observables.bin`, `ch04-signs.bin`, index `ch04-detail.json`). */
export async function chapter04Series(dir: string, config: AnalysisConfig): Promise<string> {
  const ch = await chapter04(dir, config);
  const {span} = readManifest(dir);
  const tag = JSON.stringify({observables: ch.observables, signs: ch.signs, settings: ch.settings, changes: ch.changes});
  return chunkedSeries(dir, "ch04-detail", tag, async () => {
    const bins = Math.ceil((span[1] - span[0]) / 1000);
    const {windowSec, stepSec} = ch.settings;
    const obs = observablesGrid(ch.observables, bins, windowSec, stepSec);
    const signs = Object.entries(signsGrid(ch.signs)).map(([name, values]) => compact(name, values));
    const blocks = Math.ceil((span[1] - span[0]) / ch.signs.blockMs);
    const changes = sliceChanges(ch.changes, span, CHUNK_MS);
    return {
      tables: {
        "ch04-observables": {specs: Object.keys(obs).map((name) => ({name, type: "Float64" as const})), columns: obs, widthMs: stepSec * 1000, layout: "wide", series: 1, perSeries: observableRows(bins, stepSec)},
        "ch04-signs": {specs: signs.map((s) => s.spec), columns: Object.fromEntries(signs.map((s) => [s.spec.name, s.column])), widthMs: ch.signs.blockMs, layout: "wide", series: 1, perSeries: blocks},
        "ch04-changes": {layout: "json", chunk: (a) => changes[Math.round((a - span[0]) / CHUNK_MS)]}
      },
      metadata: {windowSec: String(windowSec), stepSec: String(stepSec), blockMs: String(ch.signs.blockMs), maxLag: String(ch.signs.maxLag), choices: Object.keys(ch.observables).join(","), signVenues: Object.keys(ch.signs.venues).join(",")}
    };
  });
}

/** Chapter 05's memoised result. */
const chapter05 = (dir: string, config: AnalysisConfig) => memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config));

/** What page 05 loads on first view: chapter 05's result with only the heads of the page's landscape choices and of its per-window tables. */
export type Chapter05Page = Omit<Chapter05, "choices" | keyof TablesHead> & TablesHead & {choices: LandscapeHead[]};

/** `ch05.json`: see the module comment. */
export async function chapter05Page(dir: string, config: AnalysisConfig): Promise<Chapter05Page> {
  const ch = await chapter05(dir, config);
  return {...ch, ...tablesHead(ch), choices: ch.choices.map(landscapeHead)};
}

/** `ch05-dwells.json`: the dwell analysis of each of page 05's landscape choices (in the order of `ch05.json` `choices`), over the whole span. */
export async function chapter05Dwells(dir: string, config: AnalysisConfig): Promise<Chapter05["choices"][number]["dwell"][]> {
  const ch = await chapter05(dir, config);
  return ch.choices.map((c) => c.dwell);
}

/** The folder of chapter 05's chunked series (`ch05-price.bin`, `ch05-landscapes.bin`, index `ch05-detail.json`). */
export async function chapter05Series(dir: string, config: AnalysisConfig): Promise<string> {
  const ch = await chapter05(dir, config);
  const {venue} = ch;
  return chunkedSeries(dir, "ch05-detail", JSON.stringify({venue, choices: ch.choices, params: ch.params, tables: [ch.windows, ch.levels, ch.tracks, ch.kramers.points]}), async () => {
    const bins = await readArrowColumns(join(dir, "site", "bins-1000ms.arrow"), ["venue", "last"]);
    const v = (bins.dictionaries.venue ?? []).indexOf(venue);
    if (v < 0) throw new RangeError(`invalid venue: ${venue} (not in ${join(dir, "site", "bins-1000ms.arrow")})`);
    const per = bins.length / bins.dictionaries.venue.length;
    const last = (bins.columns.last as Float64Array).slice(v * per, (v + 1) * per);
    if (ch.params.binSec !== 1) throw new RangeError(`invalid binSec: ${ch.params.binSec} (the published price is the 1 s bins)`);
    // Each choice's windows cut at the chunks: a chunk holds the windows whose last 1 s bin lies in it.
    const t0 = ch.span[0];
    const slices = ch.choices.map((c) => {
      const {window, stride} = windowSamples(c.windowSec, ch.params);
      const cuts: number[] = [];
      for (let a = t0; a < ch.span[1]; a += CHUNK_MS) cuts.push(Math.max(0, Math.ceil(((a - t0) / 1000 - window + 1) / stride)));
      return sliceLandscape(c, cuts);
    });
    const tables = sliceTables(ch, ch.span, CHUNK_MS);
    return {
      tables: {
        "ch05-price": {specs: [{name: "last", type: "Float64"}], columns: {last}, widthMs: 1000, layout: "wide", series: 1, perSeries: per},
        "ch05-landscapes": {layout: "json", chunk: (a) => ({choices: slices.map((s) => s[Math.round((a - t0) / CHUNK_MS)])})},
        "ch05-tables": {layout: "json", chunk: (a) => tables[Math.round((a - t0) / CHUNK_MS)]}
      },
      metadata: {venue}
    };
  });
}

/** The folder of chapter 06's chunked series (`ch06-series.bin`, index `ch06-series.json`). */
export async function chapter06Series(dir: string, config: AnalysisConfig): Promise<string> {
  const {referenceVenue} = await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config));
  return synthesisSeries(dir, referenceVenue);
}


/** `findings.json`: see the module comment. */
export async function findingsPage(dir: string, config: AnalysisConfig) {
  const findings = await buildFindings(dir, config);
  return {...findings, figures: {...findings.figures, volatility: seriesOverview(findings.figures.volatility)}};
}
