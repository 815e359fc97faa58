/** One line of the benchmark table. */
export interface BenchRow {
  /** What was measured, e.g. "transferEntropy k=1, 1e6 ternary". */
  name: string;
  /** The figure, in `unit`. */
  value: number;
  unit: string;
  /** A reference measured in the same run (another implementation, a baseline or a target), in the same unit. */
  reference?: {name: string; value: number};
  /** The target this figure should meet, as text (e.g. "< 50 ms"), and whether it did. */
  target?: string;
  met?: boolean;
}

/** Times `f` over `repeats` runs after one warm-up and returns the median in milliseconds. */
export function timeMs(f: () => unknown, repeats = 5): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < repeats; ++i) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}
