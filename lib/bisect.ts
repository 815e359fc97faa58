/**
 * Binary search in a sorted array.
 */

/**
 * The first index i in [lo, hi) with a[i] ≥ x, or hi if there is none: where `x` would be
 * inserted into the ascending `a` before any equal values (d3-array's `bisectLeft`). O(log n).
 * With times, [bisectLeft(t, start), bisectLeft(t, end)) is the index range of [start, end).
 * `a` must be sorted ascending with no NaN (unchecked: checking would cost O(n)).
 */
export function bisectLeft(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
