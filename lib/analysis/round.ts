/**
 * Rounding of the numbers a chapter result carries to the pages: to a number of significant
 * digits, which keeps the JSON small and its text stable across platforms.
 */

/** `x` to `digits` significant digits (default 6); null when `x` is not finite (as JSON would write NaN). */
export function round(x: number, digits = 6): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}

/** Every element of `a` rounded as by {@link round}. */
export function roundAll(a: ArrayLike<number>, digits = 6): (number | null)[] {
  return Array.from(a, (x) => round(x, digits));
}

/** `x` rounded as by {@link round}, NaN in place of null: for fields typed as numbers (JSON still writes null). */
export function roundNumber(x: number, digits = 6): number {
  return round(x, digits) ?? NaN;
}

/** Every element of `a` rounded as by {@link roundNumber}. */
export function roundNumbers(a: ArrayLike<number>, digits = 6): number[] {
  return Array.from(a, (x) => roundNumber(x, digits));
}
