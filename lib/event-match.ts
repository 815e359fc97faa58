/**
 * Matching detected times (change points, alarms) with known event times, within a tolerance.
 */

/** Result of {@link matchEvents}. */
export interface EventMatch {
  /** For each known event, the index of the nearest detected time (−1 when none was detected). */
  nearest: Int32Array;
  /** For each known event, nearest detected time − event time (NaN when none). */
  error: Float64Array;
  /** For each known event, 1 when its nearest detected time is within the tolerance. */
  found: Uint8Array;
  /** For each detected time, the index of the nearest known event (−1 when there is none). */
  nearestEvent: Int32Array;
  /** For each detected time, detected time − nearest event time (NaN when none). */
  detectedError: Float64Array;
  /** For each detected time, 1 when the nearest known event is within the tolerance. */
  explained: Uint8Array;
  /** Known events found / known events (NaN without events). */
  recall: number;
  /** Detected times explained / detected times (NaN without detections). */
  precision: number;
}

/**
 * Nearest-neighbour matching of `detected` times against `known` event times (same units, any
 * order): each known event is "found" when some detected time lies within `tolerance` of it, and
 * each detected time is "explained" when some known event does. Errors are signed, detected minus
 * known (positive: detected late). Ties go to the earlier index. This is the usual evaluation of
 * change-point detectors against annotated changes (Truong, Oudre & Vayatis 2020, Signal
 * Processing 167: 107299, §6: precision and recall with a margin). Throws a RangeError for a
 * tolerance that is negative or NaN, or a non-finite time.
 */
export function matchEvents(known: ArrayLike<number>, detected: ArrayLike<number>, tolerance: number): EventMatch {
  if (!(tolerance >= 0)) throw new RangeError(`invalid tolerance: ${tolerance}`);
  for (let i = 0; i < known.length; ++i) if (!Number.isFinite(+known[i])) throw new RangeError(`invalid known[${i}]: ${known[i]}`);
  for (let i = 0; i < detected.length; ++i) if (!Number.isFinite(+detected[i])) throw new RangeError(`invalid detected[${i}]: ${detected[i]}`);
  const nearestOf = (from: ArrayLike<number>, to: ArrayLike<number>) => {
    const index = new Int32Array(from.length).fill(-1);
    const error = new Float64Array(from.length).fill(NaN);
    const within = new Uint8Array(from.length);
    for (let i = 0; i < from.length; ++i) {
      let best = Infinity;
      for (let j = 0; j < to.length; ++j) {
        const d = Math.abs(+to[j] - +from[i]);
        if (d < best) (best = d), (index[i] = j);
      }
      if (index[i] >= 0) {
        error[i] = +to[index[i]] - +from[i];
        within[i] = best <= tolerance ? 1 : 0;
      }
    }
    return {index, error, within};
  };
  const k = nearestOf(known, detected);
  const d = nearestOf(detected, known);
  // For the detected side the error is detected − known.
  for (let i = 0; i < d.error.length; ++i) d.error[i] = -d.error[i];
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    nearest: k.index,
    error: k.error,
    found: k.within,
    nearestEvent: d.index,
    detectedError: d.error,
    explained: d.within,
    recall: known.length > 0 ? sum(k.within) / known.length : NaN,
    precision: detected.length > 0 ? sum(d.within) / detected.length : NaN
  };
}
