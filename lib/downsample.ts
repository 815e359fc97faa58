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
  let out = new Int32Array(4 * columns + 16);
  let m = 0;
  const push = (i: number) => {
    if (m === out.length) {
      const grown = new Int32Array(2 * out.length);
      grown.set(out);
      out = grown;
    }
    out[m++] = i;
  };
  // Whether the sample before the current one, and the current one, are finite.
  let prev = false;
  let cur = Number.isFinite(+y[0]);
  for (let b = 0; b < columns; ++b) {
    const start = Math.ceil((b * n) / columns);
    const end = Math.ceil(((b + 1) * n) / columns);
    const from = m;
    let first = -1;
    let last = -1;
    let lo = -1;
    let hi = -1;
    let vlo = Infinity;
    let vhi = -Infinity;
    for (let i = start; i < end; ++i) {
      const next = i + 1 < n && Number.isFinite(+y[i + 1]);
      if (!cur) {
        if (prev) push(i); // a gap starts: the line breaks here
      } else {
        const v = +y[i];
        if (!prev || !next) push(i); // a run of finite samples starts or ends here
        if (first < 0) first = i;
        last = i;
        if (v < vlo) (vlo = v), (lo = i);
        if (v > vhi) (vhi = v), (hi = i);
      }
      prev = cur;
      cur = next;
    }
    if (first >= 0) push(first), push(lo), push(hi), push(last);
    // This column's indices in order, without repeats (a handful: insertion sort).
    for (let k = from + 1; k < m; ++k) {
      const v = out[k];
      let q = k - 1;
      while (q >= from && out[q] > v) (out[q + 1] = out[q]), --q;
      out[q + 1] = v;
    }
    let w = from;
    for (let k = from; k < m; ++k) if (k === from || out[k] !== out[w - 1]) out[w++] = out[k];
    m = w;
  }
  return out.slice(0, m);
}
