/**
 * Timing of a chapter's build-time stages: `lap(name)` adds the seconds since the previous lap
 * (or the start) into `timing`, which the chapter reports beside its results.
 */
export function stopwatch(): {timing: Record<string, number>; lap: (name: string) => void} {
  const timing: Record<string, number> = {};
  let clock = performance.now();
  return {
    timing,
    lap(name: string) {
      const now = performance.now();
      timing[name] = (timing[name] ?? 0) + Math.round(now - clock) / 1000;
      clock = now;
    }
  };
}
