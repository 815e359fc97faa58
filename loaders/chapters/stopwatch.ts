/**
 * Timing of a chapter's build-time stages: `lap(name)` writes the seconds since the previous lap
 * (or the start) to the build log (`log`, stderr by default) as `<label>: <name> in <s> s`.
 * Timings never enter a chapter's results: those are published under content-hashed names, so
 * two builds of the same inputs must write the same bytes.
 */
export function stopwatch(label: string, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): {lap: (name: string) => void} {
  let clock = performance.now();
  return {
    lap(name: string) {
      const now = performance.now();
      log(`${label}: ${name} in ${((now - clock) / 1000).toFixed(3)} s`);
      clock = now;
    }
  };
}
