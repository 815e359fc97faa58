/**
 * A whole-span figure's series in a size that does not grow with the span: the points of a block
 * series {t, values} that an M4 line of `columns` pixel columns draws (lib/downsample.ts `m4`:
 * per column the first, last, smallest and largest value, and the ends of gaps), so at most about
 * 4·columns points whatever the span, and every point when the series has no more than that. The
 * kept points are the series' own (t and value copied), so the line covers the same pixels as the
 * full series; the full series stays available by the hour (loaders/pages/chapters.ts).
 */
import {m4} from "../downsample.js";

/** Pixel columns of a report figure's overview: a day of one-minute blocks (1,440) is kept whole. */
export const OVERVIEW_COLUMNS = 360;

/** A block series reduced to its M4 points (see the module comment), with the number of blocks it had. */
export function seriesOverview<S extends {t: readonly number[]; values: readonly number[]}>(series: S, columns = OVERVIEW_COLUMNS): Omit<S, "t" | "values"> & {t: number[]; values: number[]; blocks: number} {
  if (series.t.length !== series.values.length) throw new RangeError(`invalid series: ${series.t.length} times for ${series.values.length} values`);
  const keep = m4(series.values, columns);
  return {...series, t: Array.from(keep, (i) => series.t[i]), values: Array.from(keep, (i) => series.values[i]), blocks: series.t.length};
}
