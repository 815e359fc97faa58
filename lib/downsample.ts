/**
 * Downsampling a long, regularly sampled series for a line chart without changing what the chart
 * shows: the M4 aggregation of one pixel column per bucket.
 */

/**
 * The indices of `y` to draw, ascending, when its n samples are drawn as a line `columns` pixel
 * columns wide, sample i at x = i on an axis [0, n): column b holds the samples with
 * b·n/columns ≤ i < (b + 1)·n/columns, and each column keeps
 *
 *   the first and the last finite sample, and the smallest and the largest one
 *
 * (M4: Jugel, Jerzak, Hackenbroich & Markl, "M4: A Visualization-Oriented Time Series Data
 * Aggregation", PVLDB 7(10) (2014) 797). A column's vertical extent is then drawn in full, and the
 * segment from one column's last sample to the next column's first, which crosses the boundary,
 * is the original segment, so the line covers the same pixels as the full series in every column:
 * the envelope is kept, not thinned as by taking every k-th sample. Gaps are kept too: every
 * non-finite sample that follows a finite one (where a line breaks) and every finite sample next
 * to a non-finite one (where it ends or resumes) is kept.
 *
 * At most 4·columns indices plus the gap boundaries; all n when n ≤ 4·columns. O(n). Throws a
 * RangeError for a `columns` that is not a positive integer.
 */
export function m4(y: ArrayLike<number>, columns: number): Int32Array {
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`invalid columns: ${columns}`);
  const n = y.length;
  if (n <= 4 * columns) return Int32Array.from({length: n}, (_, i) => i);
  const out = new Int32Array(n); // upper bound; trimmed at the end
  let m = 0;
  const finite = (i: number) => i >= 0 && i < n && Number.isFinite(+y[i]);
  for (let b = 0; b < columns; ++b) {
    const start = Math.ceil((b * n) / columns);
    const end = Math.ceil(((b + 1) * n) / columns);
    let first = -1;
    let last = -1;
    let lo = -1;
    let hi = -1;
    const edges: number[] = [];
    for (let i = start; i < end; ++i) {
      const v = +y[i];
      if (!Number.isFinite(v)) {
        if (finite(i - 1)) edges.push(i);
        continue;
      }
      if (!finite(i - 1) || !finite(i + 1)) edges.push(i);
      if (first < 0) first = i;
      last = i;
      if (lo < 0 || v < +y[lo]) lo = i;
      if (hi < 0 || v > +y[hi]) hi = i;
    }
    const keep = first < 0 ? edges : [first, lo, hi, last, ...edges];
    keep.sort((a, c) => a - c);
    for (let k = 0; k < keep.length; ++k) if (k === 0 || keep[k] !== keep[k - 1]) out[m++] = keep[k];
  }
  return out.slice(0, m);
}
