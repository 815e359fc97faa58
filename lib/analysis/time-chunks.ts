/**
 * A chapter's whole-span table cut by time into the hour chunks its page reads (loaders/pages/
 * chapters.ts, the mechanism of lib/analysis/ch03-detail.ts and ch05-detail.ts for tables of
 * plain rows): row i, at time τᵢ, goes to chunk ⌊(τᵢ − t0) / chunkMs⌋ of the span [t0, t1). The rows
 * must come in time order (τ non-decreasing), so that each chunk is one run of rows and joining
 * the chunks of a range in order gives the rows of that range — over the whole span, the table
 * itself, value for value (the values are copied, not recomputed).
 *
 * A table is either parallel columns (an object of equal-length arrays, {@link sliceColumns}) or
 * an array of rows ({@link sliceRows}).
 */

/** Parallel columns of one table: every array has one entry per row. */
export type Columns = Record<string, readonly unknown[]>;

/**
 * The first row of each chunk of `chunkMs` from `t0` up to `t1`, and the row count last: chunk k
 * holds rows [cuts[k], cuts[k + 1]). Throws a RangeError naming the row whose time is out of order
 * or outside the span.
 */
export function timeCuts(time: ArrayLike<number>, [t0, t1]: readonly [number, number], chunkMs: number): number[] {
  if (!(chunkMs > 0)) throw new RangeError(`invalid chunkMs: ${chunkMs}`);
  const chunks = Math.ceil((t1 - t0) / chunkMs);
  const cuts = [0];
  let i = 0;
  for (let k = 0; k < chunks; ++k) {
    const end = t0 + (k + 1) * chunkMs;
    while (i < time.length && time[i] < end) {
      if (!(time[i] >= t0)) throw new RangeError(`invalid row ${i}: time ${time[i]} is before the span's start ${t0}`);
      if (i > 0 && time[i] < time[i - 1]) throw new RangeError(`invalid row ${i}: time ${time[i]} is before row ${i - 1}'s ${time[i - 1]} (rows out of order)`);
      ++i;
    }
    cuts.push(i);
  }
  if (i < time.length) throw new RangeError(`invalid row ${i}: time ${time[i]} is at or after the span's end ${t1}`);
  return cuts;
}

/** `columns` cut at `cuts` ({@link timeCuts}): one table of the same columns per chunk. */
export function sliceColumns<T extends Columns>(columns: T, cuts: readonly number[]): T[] {
  const n = cuts[cuts.length - 1];
  for (const [name, c] of Object.entries(columns)) if (c.length !== n) throw new RangeError(`invalid column ${name}: ${c.length} values for ${n} rows`);
  return cuts.slice(1).map((b, k) => Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, c.slice(cuts[k], b)])) as unknown as T);
}

/** The tables of consecutive chunks (in time order) joined: each column concatenated. */
export function joinColumns<T extends Columns>(slices: readonly T[]): T {
  if (slices.length === 0) throw new RangeError("invalid slices: none");
  const names = Object.keys(slices[0]);
  return Object.fromEntries(names.map((name) => [name, slices.flatMap((s) => (s[name] as unknown[] | undefined) ?? [])])) as unknown as T;
}

/** `rows` cut at `cuts` ({@link timeCuts}): the rows of each chunk. */
export function sliceRows<R>(rows: readonly R[], cuts: readonly number[]): R[][] {
  if (rows.length !== cuts[cuts.length - 1]) throw new RangeError(`invalid rows: ${rows.length} for ${cuts[cuts.length - 1]} cut`);
  return cuts.slice(1).map((b, k) => rows.slice(cuts[k], b));
}
