/**
 * How numbers read in prose: one formatter for values, p-values and intervals, used by every
 * page, the findings, the report and the README so that a number reads the same wherever it
 * appears. Plain functions, no DOM.
 */

/** `x` with fixed decimals and thousands separators, without its sign. */
function magnitude(x: number, digits: number): string {
  return Math.abs(x).toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

/** Whether a formatted magnitude is zero ("0", "0.000"): a sign on it would claim a direction the number does not have. */
const isZero = (s: string) => /^[0.,]+$/.test(s);

/** A number with fixed decimals and thousands separators; "n/a" when missing or not finite; a value that rounds to zero prints "0", never "-0". */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  const m = magnitude(x, digits);
  return x < 0 && !isZero(m) ? `-${m}` : m;
}

/**
 * A number with an explicit sign and fixed decimals ("+1.25", "−0.40", with the typographic
 * minus); a value that rounds to zero prints unsigned ("0.00"), never "−0" or "+0"; "n/a" when
 * missing or not finite.
 */
export function formatSigned(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  const m = magnitude(x, digits);
  return isZero(m) ? m : `${x > 0 ? "+" : "−"}${m}`;
}

/** "p = 0.012", "p < 0.001" or "p n/a" (another `label`, e.g. "q", in place of "p"). */
export function formatP(p: number | null | undefined, label = "p"): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return `${label} n/a`;
  return p < 0.001 ? `${label} < 0.001` : `${label} = ${p.toFixed(3)}`;
}

/** A p-value alone, for a table cell headed "p": "0.012", "< 0.001", or "–" when missing. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** "[lo, hi]" with fixed decimals; "" when there is no interval. */
export function formatInterval(interval: readonly [number, number] | null | undefined, digits = 2): string {
  if (!interval) return "";
  return `[${formatNumber(interval[0], digits)}, ${formatNumber(interval[1], digits)}]`;
}

/** A value as shown in a headline: value and unit, then the interval in brackets and the p-value in parentheses when present. */
export interface ShownValue {
  value: number;
  /** Unit or counted noun after the value ("bits", "ms", "of 3 regime transitions"); "" for none. */
  unit: string;
  /** Decimals shown. */
  digits: number;
  /** 95 % interval in the value's units, or null. */
  interval: [number, number] | null;
  /** p-value of the headline test, or null. */
  pValue: number | null;
}

/** E.g. "2 of 3 regime transitions (p = 0.003)" or "148 ms [132, 161]". */
export function formatValue(f: ShownValue): string {
  let s = formatNumber(f.value, f.digits);
  if (f.unit) s += ` ${f.unit}`;
  if (f.interval) s += ` ${formatInterval(f.interval, f.digits)}`;
  if (f.pValue !== null && f.pValue !== undefined) s += ` (${formatP(f.pValue)})`;
  return s;
}

/** A span's length in words: "6.8 min", "2.1 h", "3.0 days". */
export function spanWords(ms: number): string {
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} days`;
}

/** Why a rolling analysis has no window: "the span of 6.8 min is shorter than the 30-minute window". */
export function shortSpanWords(spanMs: number, windowSec: number, what = "window"): string {
  const w = windowSec >= 60 && windowSec % 60 === 0 ? `${windowSec / 60}-minute` : `${windowSec}-second`;
  return `the span of ${spanWords(spanMs)} is shorter than the ${w} ${what}`;
}
