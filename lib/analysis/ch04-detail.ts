/**
 * Chapter 04's per-window and per-minute series on a time grid, so that they are published as
 * hour chunks (loaders/pages/detail.ts `chunkedSeries`) and page 04 reads those of the range its
 * reader selects instead of the whole span:
 *
 * - the page's observables at the default window (`Chapter04.observables`, one value per window and
 *   choice of the page's select) on a grid of `stepSec`: window j, ending at 1 s bin
 *   e_j = windowSec − 1 + j·stepSec, is row ⌊e_j / stepSec⌋, the row whose step holds its last
 *   second; rows without a window are NaN;
 * - the per-minute trade-sign lag sums (`Chapter04.signs`, lib/block-acf.ts): row b is block b,
 *   columns `<venue>.count`, `<venue>.sum` and `<venue>.<field>.<lag>` for lags 0…maxLag;
 * - the block series of the change-point detection (`Chapter04.changes`, entropy and volatility):
 *   `ch04.json` keeps each series' head (block length, candidates with their tests, noise: what
 *   the page's table and text use over the whole span, {@link changeHead}); its blocks `t`,
 *   `values` go to JSON hour chunks by the block's start ({@link sliceChanges}, lib/analysis/
 *   time-chunks.ts), and {@link joinChanges} gives the series of a range's blocks back.
 *
 * Both are exact: the columns hold the chapter's doubles, and reading a range back gives the
 * chapter's values of the windows (blocks) inside it.
 */
import type {ChangeSeries, PageObservables, SignSumsJSON, SignsJSON, WindowObservables} from "./ch04.js";
import {joinColumns, sliceColumns, timeCuts} from "./time-chunks.js";
import {unpackObservables} from "./ch04.js";
import {windowEnds} from "../rolling.js";

/** The fields of a window's observables, in their column order. */
export const OBSERVABLE_FIELDS = ["volatility", "imbalance", "susceptibility", "correlationLength", "entropy", "signXi", "forwardVolatility", "forwardReturn"] as const;
/** The per-lag fields of a block's sign sums. */
const LAG_FIELDS = ["products", "crossing", "head", "tail"] as const;

/** Rows of the observables grid for `bins` 1 s bins: one per started step. */
export const observableRows = (bins: number, stepSec: number) => Math.ceil(bins / stepSec);

/** The observables of every choice (`all`, each venue) as grid columns `<choice>.<field>` (see the module comment). */
export function observablesGrid(observables: Record<string, PageObservables>, bins: number, windowSec: number, stepSec: number): Record<string, Float64Array> {
  const rows = observableRows(bins, stepSec);
  const columns: Record<string, Float64Array> = {};
  for (const [choice, packed] of Object.entries(observables)) {
    const o = unpackObservables(packed, bins, windowSec, stepSec);
    for (const f of OBSERVABLE_FIELDS) {
      const column = new Float64Array(rows).fill(NaN);
      if (o[f].length !== o.end.length) throw new RangeError(`invalid observables of ${choice}: ${o[f].length} values of ${f} for ${o.end.length} windows`);
      for (let j = 0; j < o.end.length; ++j) column[Math.floor(o.end[j] / stepSec)] = o[f][j];
      columns[`${choice}.${f}`] = column;
    }
  }
  return columns;
}

/**
 * The observables of `choice` of the windows lying wholly inside the 1 s bins [from, to) of the
 * span (`bins` in all), read from grid columns whose first row is row `from / stepSec` (`column`
 * gives a column by name). `end` counts from the span's start, as in {@link unpackObservables}.
 */
export function observablesInRange(column: (name: string) => ArrayLike<number>, choice: string, [from, to]: readonly [number, number], bins: number, windowSec: number, stepSec: number): WindowObservables {
  if (from % stepSec !== 0) throw new RangeError(`invalid range start: bin ${from} (not a multiple of the step ${stepSec})`);
  const all = windowEnds(bins, {window: windowSec, step: stepSec});
  const keep: number[] = [];
  for (let j = 0; j < all.length; ++j) if (all[j] - windowSec + 1 >= from && all[j] < to) keep.push(j);
  const first = from / stepSec;
  const read = (f: string) => {
    const c = column(`${choice}.${f}`);
    return Float64Array.from(keep, (j) => c[Math.floor(all[j] / stepSec) - first]);
  };
  const o = Object.fromEntries(OBSERVABLE_FIELDS.map((f) => [f, read(f)])) as Omit<WindowObservables, "end">;
  return {end: Int32Array.from(keep, (j) => all[j]), ...o};
}

/** The sign sums of every venue as grid columns, one row per block (see the module comment). */
export function signsGrid(signs: SignsJSON): Record<string, Float64Array> {
  const columns: Record<string, Float64Array> = {};
  const lags = signs.maxLag + 1;
  for (const [venue, s] of Object.entries(signs.venues) as [string, SignSumsJSON][]) {
    const blocks = s.count.length;
    columns[`${venue}.count`] = Float64Array.from(s.count);
    columns[`${venue}.sum`] = Float64Array.from(s.sum);
    for (const f of LAG_FIELDS) {
      if (s[f].length !== blocks * lags) throw new RangeError(`invalid sign sums of ${venue}: ${s[f].length} values of ${f} for ${blocks} blocks of ${lags} lags`);
      for (let l = 0; l < lags; ++l) columns[`${venue}.${f}.${l}`] = Float64Array.from({length: blocks}, (_, b) => s[f][b * lags + l]);
    }
  }
  return columns;
}

/** The sign sums of `rows` blocks read back from grid columns ({@link signsGrid}): a SignsJSON of those blocks. */
export function signsFromGrid(column: (name: string) => ArrayLike<number>, venues: readonly string[], rows: number, {blockMs, maxLag}: Pick<SignsJSON, "blockMs" | "maxLag">): SignsJSON {
  const lags = maxLag + 1;
  const out: SignsJSON = {blockMs, maxLag, venues: {}};
  for (const venue of venues) {
    const s: SignSumsJSON = {count: Array.from(column(`${venue}.count`)).slice(0, rows), sum: Array.from(column(`${venue}.sum`)).slice(0, rows), products: [], crossing: [], head: [], tail: []};
    for (const f of LAG_FIELDS) {
      const cols = Array.from({length: lags}, (_, l) => column(`${venue}.${f}.${l}`));
      const values = new Array<number>(rows * lags);
      for (let b = 0; b < rows; ++b) for (let l = 0; l < lags; ++l) values[b * lags + l] = Number(cols[l][b]);
      s[f] = values;
    }
    (out.venues as Record<string, SignSumsJSON>)[venue] = s;
  }
  return out;
}

/** The change series of chapter 04, by kind. */
export const CHANGE_KINDS = ["entropy", "volatility"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What `ch04.json` keeps of a change series: all but its blocks, and their number. */
export type ChangeHead = Omit<ChangeSeries, "t" | "values"> & {blocks: number};

/** The blocks of both change series that start in one chunk. */
export type ChangesSlice = Record<ChangeKind, Pick<ChangeSeries, "t" | "values">>;

/** The head of a change series (see the module comment). */
export function changeHead(c: ChangeSeries): ChangeHead {
  const {t, values: _v, ...rest} = c;
  return {...rest, blocks: t.length};
}

/** Both change series' blocks cut into one slice per chunk of `chunkMs` of the span, each block by its start. */
export function sliceChanges(changes: Record<ChangeKind, ChangeSeries>, span: readonly [number, number], chunkMs: number): ChangesSlice[] {
  const parts = CHANGE_KINDS.map((kind) => sliceColumns({t: changes[kind].t, values: changes[kind].values}, timeCuts(changes[kind].t, span, chunkMs)));
  return parts[0].map((_, k) => Object.fromEntries(CHANGE_KINDS.map((kind, i) => [kind, parts[i][k]])) as ChangesSlice);
}

/** The change series of the blocks of `slices` (consecutive chunks, in time order) with the heads' tests: over the whole span, the chapter's. */
export function joinChanges(heads: Record<ChangeKind, ChangeHead>, slices: readonly ChangesSlice[]): Record<ChangeKind, ChangeSeries> {
  return Object.fromEntries(
    CHANGE_KINDS.map((kind) => {
      const {blocks: _b, ...head} = heads[kind];
      const {t, values} = slices.length ? joinColumns(slices.map((s) => s[kind])) : {t: [], values: []};
      return [kind, {...head, t, values}];
    })
  ) as Record<ChangeKind, ChangeSeries>;
}
