/**
 * Local extrema of a sampled curve, their topographic prominence, and the barriers between
 * neighbouring minima: the shape analysis behind metastable levels (minima of a free energy) and
 * volume-profile peaks.
 */

/**
 * Indices of the strict local maxima of y: points higher than both neighbours. A flat run of
 * equal values counts once, at its middle (⌊(first + last)/2⌋), when the values on both sides of
 * the run are lower — as SciPy's `find_peaks` does. The first and last points are never maxima
 * (one neighbour is missing), and a point next to a NaN is never one. ±Infinity compare as
 * numbers. Returns ascending indices.
 */
export function localMaxima(y: ArrayLike<number>): Int32Array {
  return extrema(y, 1);
}

/**
 * Indices of the strict local minima of y: points lower than both neighbours, with the same
 * plateau, edge and NaN rules as {@link localMaxima}. Returns ascending indices.
 */
export function localMinima(y: ArrayLike<number>): Int32Array {
  return extrema(y, -1);
}

/** Prominences and bases of extrema (see {@link prominences}). */
export interface Prominences {
  /** The prominence of each extremum, in units of y (≥ 0; Infinity if unbounded on both sides). */
  prominence: Float64Array;
  /** Index of the base on the left: the lowest point (for a maximum) before a higher one or the edge. */
  leftBase: Int32Array;
  /** Index of the base on the right. */
  rightBase: Int32Array;
}

/**
 * Topographic prominence of the extrema at `indices` of y (`kind` "max" for peaks, "min" for
 * valleys, measured on −y). For a peak at i: walk left from i while y ≤ y[i] (to the first
 * strictly higher point or the edge) and take the lowest value met, the left base; the same to the
 * right; the prominence is
 *
 *   prominence = y[i] − max(left base value, right base value),
 *
 * the height a peak stands above the higher of the two lowest points separating it from higher
 * ground (SciPy's `peak_prominences`; Llobera 2001; Kirmse & de Ferranti 2017, Prog. Phys. Geogr.
 * 41: 788). For a valley it is the depth below the lower of the two highest points separating it
 * from lower ground — the barrier out of the valley toward deeper ground. For the deepest valley
 * it is measured against the edges of the curve; an infinite edge (e.g. a free energy where the
 * density is 0) makes it Infinity when both sides are walled. Only strictly higher ground stops
 * a walk, so two equally high peaks (equally deep valleys) are each measured against the edges.
 *
 * NaN values stop the walk like a higher point. Throws a RangeError for an index out of range
 * or an unknown kind.
 */
export function prominences(y: ArrayLike<number>, indices: ArrayLike<number>, kind: "max" | "min" = "max"): Prominences {
  if (kind !== "max" && kind !== "min") throw new RangeError(`invalid kind: ${kind}`);
  const s = kind === "max" ? 1 : -1;
  const n = y.length;
  const m = indices.length;
  const prominence = new Float64Array(m);
  const leftBase = new Int32Array(m);
  const rightBase = new Int32Array(m);
  for (let k = 0; k < m; ++k) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`invalid index: ${i}`);
    const top = s * y[i];
    let leftMin = top, li = i;
    for (let j = i - 1; j >= 0; --j) {
      const v = s * y[j];
      if (!(v <= top)) break;
      if (v < leftMin) (leftMin = v), (li = j);
    }
    let rightMin = top, ri = i;
    for (let j = i + 1; j < n; ++j) {
      const v = s * y[j];
      if (!(v <= top)) break;
      if (v < rightMin) (rightMin = v), (ri = j);
    }
    const base = Math.max(leftMin, rightMin);
    prominence[k] = top === base ? 0 : top - base;
    leftBase[k] = li;
    rightBase[k] = ri;
  }
  return {prominence, leftBase, rightBase};
}

/** Options of {@link findPeaks}. */
export interface FindPeaksOptions {
  /** "max" (default) for peaks, "min" for valleys. */
  kind?: "max" | "min";
  /** Keep only extrema with at least this prominence (≥ 0; default 0, all). */
  minProminence?: number;
}

/**
 * The local extrema of y ({@link localMaxima} or {@link localMinima}) whose prominence
 * ({@link prominences}) is at least `minProminence`, in ascending index order, with their
 * prominences and bases. Throws a RangeError for a negative or NaN `minProminence`.
 */
export function findPeaks(y: ArrayLike<number>, options: FindPeaksOptions = {}): Prominences & {index: Int32Array} {
  const {kind = "max", minProminence = 0} = options;
  if (!(minProminence >= 0)) throw new RangeError(`invalid minProminence: ${minProminence}`);
  const candidates = kind === "min" ? localMinima(y) : localMaxima(y);
  const p = prominences(y, candidates, kind);
  let count = 0;
  for (let k = 0; k < candidates.length; ++k) if (p.prominence[k] >= minProminence) ++count;
  const index = new Int32Array(count);
  const prominence = new Float64Array(count);
  const leftBase = new Int32Array(count);
  const rightBase = new Int32Array(count);
  for (let k = 0, c = 0; k < candidates.length; ++k) {
    if (!(p.prominence[k] >= minProminence)) continue;
    index[c] = candidates[k];
    prominence[c] = p.prominence[k];
    leftBase[c] = p.leftBase[k];
    rightBase[c++] = p.rightBase[k];
  }
  return {index, prominence, leftBase, rightBase};
}

/** Barriers around a set of minima (see {@link barriers}). */
export interface Barriers {
  /** Index of the highest point between each minimum and its left neighbour (−1 if none). */
  leftSaddle: Int32Array;
  /** Index of the highest point between each minimum and its right neighbour (−1 if none). */
  rightSaddle: Int32Array;
  /** ΔF_left = y[leftSaddle] − y[minimum] (Infinity without a left neighbour). */
  left: Float64Array;
  /** ΔF_right = y[rightSaddle] − y[minimum] (Infinity without a right neighbour). */
  right: Float64Array;
  /** The escape barrier min(ΔF_left, ΔF_right): the lower way out. */
  barrier: Float64Array;
}

/**
 * Barrier heights around the minima of y at `minima` (ascending indices, e.g. from
 * {@link findPeaks} with kind "min"): between consecutive minima m_k < m_{k+1} the saddle is the
 * highest point of y on (m_k, m_{k+1}) (the first one if several), and
 *
 *   ΔF_right(k) = y[saddle] − y[m_k],  ΔF_left(k+1) = y[saddle] − y[m_{k+1}],
 *
 * the heights to climb to reach the neighbouring minimum on each side; the escape barrier is the
 * smaller of the two (the activation energy of Kramers' escape, Hänggi, Talkner & Borkovec 1990,
 * Rev. Mod. Phys. 62: 251). The outermost minima have no neighbour on their outer side: that side's
 * barrier is Infinity and its saddle −1, so a lone minimum has an infinite escape barrier (no
 * other level to escape to). Dropping shallow minima first (a prominence filter) makes the
 * barriers those between the retained levels.
 *
 * NaN values are ignored when looking for a saddle. Throws a RangeError if `minima` are not
 * strictly ascending valid indices.
 */
export function barriers(y: ArrayLike<number>, minima: ArrayLike<number>): Barriers {
  const m = minima.length;
  const n = y.length;
  for (let k = 0; k < m; ++k) {
    const i = minima[k];
    if (!Number.isInteger(i) || i < 0 || i >= n || (k > 0 && i <= minima[k - 1])) throw new RangeError(`invalid minimum index: ${i}`);
  }
  const leftSaddle = new Int32Array(m).fill(-1);
  const rightSaddle = new Int32Array(m).fill(-1);
  const left = new Float64Array(m).fill(Infinity);
  const right = new Float64Array(m).fill(Infinity);
  const barrier = new Float64Array(m);
  for (let k = 0; k + 1 < m; ++k) {
    const a = minima[k];
    const b = minima[k + 1];
    let top = -Infinity;
    let at = -1;
    for (let j = a + 1; j < b; ++j) if (y[j] > top) (top = y[j]), (at = j);
    if (at < 0) continue; // adjacent minima (impossible for strict minima) or all NaN between
    rightSaddle[k] = at;
    leftSaddle[k + 1] = at;
    right[k] = top - y[a];
    left[k + 1] = top - y[b];
  }
  for (let k = 0; k < m; ++k) barrier[k] = Math.min(left[k], right[k]);
  return {leftSaddle, rightSaddle, left, right, barrier};
}

function extrema(y: ArrayLike<number>, s: 1 | -1): Int32Array {
  const n = y.length;
  const out: number[] = [];
  let i = 1;
  while (i < n - 1) {
    const v = s * y[i];
    const prev = s * y[i - 1];
    if (!(prev < v)) {
      ++i;
      continue;
    }
    // Extend over a plateau of equal values.
    let j = i;
    while (j + 1 < n - 1 && s * y[j + 1] === v) ++j;
    const next = s * y[j + 1];
    if (next < v) out.push((i + j) >> 1);
    i = j + 1;
  }
  return Int32Array.from(out);
}
