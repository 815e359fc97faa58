/**
 * Checks that publishing chapter 04's change series, chapter 05's per-window tables and dwell
 * stays, and the report's volatility figure in span-independent parts changed no result: for the
 * build of the environment (CVE_DATA_DIR, CVE_SOURCE, CVE_START, …, as for `npm run build`; its
 * derived data and memoised chapters are read, never recomputed when cached), the page files as
 * they were published before (the memoised chapter result without the parts moved earlier:
 * `ch04.json` without `observables` and `signs`, `ch05.json` with each choice's head and dwell
 * analysis, `findings.json` as computed) against
 *
 * - `ch04.json` with its change series' blocks joined back from every chunk of `ch04-changes.bin`;
 * - `ch05.json` with its per-window tables joined back from `ch05-tables.bin` and each choice's
 *   dwell analysis from `ch05-dwells.json`;
 * - `findings.json`, whose volatility figure must be the previous one's points at the M4 indices
 *   (all of them when the series fits the overview), everything else equal;
 *
 * compared after a JSON round trip (what a page reads), value for value. Prints the sizes of the
 * files before and after; exits 1 on the first difference, naming it.
 *
 *   node --import tsx scripts/check-page-split.ts
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {loadConfig} from "../loaders/config.ts";
import {ensureDerived} from "../loaders/derived.ts";
import {memoChapter} from "../loaders/chapters/memo.ts";
import {computeChapter04} from "../loaders/chapters/ch04.ts";
import {computeChapter05} from "../loaders/chapters/ch05.ts";
import {buildFindings} from "../loaders/chapters/findings.ts";
import {chapter04Page, chapter04Series, chapter05Dwells, chapter05Page, chapter05Series, findingsPage} from "../loaders/pages/chapters.ts";
import {joinChanges, type ChangesSlice} from "../lib/analysis/ch04-detail.ts";
import {joinTables, type TablesSlice} from "../lib/analysis/ch05-detail.ts";
import {OVERVIEW_COLUMNS} from "../lib/analysis/figure-overview.ts";
import {m4} from "../lib/downsample.ts";
import {expandIndex, type ChunkIndexJSON} from "../lib/detail-index.ts";

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const kB = (x: unknown) => `${JSON.stringify(x).length.toLocaleString("en-US")} bytes`;

/** Every JSON chunk of `kind` in `folder` (index `name`.json), in time order. */
function chunks<T>(folder: string, name: string, kind: string): T[] {
  const index = expandIndex(JSON.parse(readFileSync(join(folder, `${name}.json`), "utf8")) as ChunkIndexJSON);
  const bytes = readFileSync(join(folder, `${kind}.bin`));
  const file = index.files[kind];
  console.log(`${kind}.bin: ${bytes.length.toLocaleString("en-US")} bytes in ${file.chunks.length} chunks (largest ${Math.max(...file.chunks.map((c) => c.length)).toLocaleString("en-US")})`);
  return file.chunks.map((c) => JSON.parse(bytes.subarray(c.offset, c.offset + c.length).toString("utf8")) as T);
}

const config = loadConfig();
const dir = await ensureDerived(config);

// Chapter 04.
{
  const {observables: _o, signs: _s, ...before} = await memoChapter(dir, "loaders/chapters/ch04.ts", () => computeChapter04(dir, config));
  const page = await chapter04Page(dir, config);
  const slices = chunks<ChangesSlice>(await chapter04Series(dir, config), "ch04-detail", "ch04-changes");
  assert.deepEqual(json({...page, changes: joinChanges(page.changes, slices)}), json(before), "ch04.json: the heads and the joined blocks differ from the previous file");
  console.log(`ch04.json: ${kB(before)} → ${kB(page)}; the joined blocks equal the previous file's (${before.changes.entropy.t.length} entropy, ${before.changes.volatility.t.length} volatility blocks)`);
}

// Chapter 05.
{
  const ch = await memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config));
  const before = {
    ...ch,
    choices: ch.choices.map(({bandwidths: _b, temperature: _t, near: _n, range: _r, offsets: _f, levels: _l, shape: _h, ...head}) => head)
  };
  const page = await chapter05Page(dir, config);
  const dwells = await chapter05Dwells(dir, config);
  const slices = chunks<TablesSlice>(await chapter05Series(dir, config), "ch05-detail", "ch05-tables");
  const joined = {...page, ...joinTables(page, slices), choices: page.choices.map((c, k) => ({...c, dwell: dwells[k]}))};
  assert.deepEqual(json(joined), json(before), "ch05.json: the heads, the joined tables and the dwells differ from the previous file");
  console.log(`ch05.json: ${kB(before)} → ${kB(page)}, ch05-dwells.json ${kB(dwells)}; joined, equal to the previous file (${ch.windows.end.length} windows, ${ch.levels.window.length} levels, ${ch.tracks.length} tracks, ${ch.kramers.points.length} Kramers points)`);
}

// Findings.
{
  const before = json(await buildFindings(dir, config));
  const page = json(await findingsPage(dir, config));
  const {volatility: v0, ...rest0} = before.figures;
  const {volatility: v1, ...rest1} = page.figures;
  assert.deepEqual({...page, figures: rest1}, {...before, figures: rest0}, "findings.json: outside the volatility figure, it differs from the previous file");
  const keep = Array.from(m4(v0.values.map((x) => (x === null ? NaN : x)), OVERVIEW_COLUMNS));
  assert.deepEqual(
    {...v1, blocks: undefined},
    {...v0, t: keep.map((i) => v0.t[i]), values: keep.map((i) => v0.values[i]), blocks: undefined},
    "findings.json: the volatility overview is not the previous figure's M4 points"
  );
  assert.equal(v1.blocks, v0.t.length);
  console.log(`findings.json: ${kB(before)} → ${kB(page)}; volatility figure ${v0.t.length} blocks → ${v1.t.length} points${v1.t.length === v0.t.length ? " (all: equal to the previous figure)" : " (M4 points of the previous figure)"}`);
}
