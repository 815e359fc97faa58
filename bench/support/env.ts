// Small helpers the benchmark files share.

/** The integer environment variable `name`, or `fallback` when unset or empty; a RangeError outside [min, max]. */
export function envInt(name: string, fallback: number, min: number, max: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max) throw new RangeError(`invalid ${name}: ${v} (an integer from ${min} to ${max})`);
  return x;
}

/** The upper median of `xs` (the element at index ⌊n/2⌋ once sorted). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
