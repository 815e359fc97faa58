/**
 * One step of the ingest benchmark, run as a child process by `bench/ingest.bench.ts`:
 *
 *   node --import tsx bench/support/ingest-step.ts simulate '<config JSON>'
 *     makes sure the simulated archives of the configuration exist (generated when absent);
 *   node --import tsx bench/support/ingest-step.ts derive '<config JSON>'
 *     makes sure the archives exist and removes `<dataDir>/derived/` (neither timed), then times
 *     `ensureDerived(config)`: every archive parsed, cleaned and aggregated into the Arrow files
 *     of docs/data.md.
 *
 * Prints one JSON report on stdout (see `childReport` in `child.ts`); progress goes to stderr.
 */
import {rmSync} from "node:fs";
import {join} from "node:path";
import {validateConfig, type AnalysisConfig} from "../../loaders/config.ts";
import {ensureDerived, readManifest} from "../../loaders/derived.ts";
import {ensureSimulatedArchives, simulationKey} from "../../loaders/source-resolve.ts";
import {childReport} from "./child.ts";

const [mode, json] = process.argv.slice(2);
if ((mode !== "simulate" && mode !== "derive") || !json) {
  process.stderr.write("usage: ingest-step.ts simulate|derive '<config JSON>'\n");
  process.exit(2);
}
const config = validateConfig(JSON.parse(json) as AnalysisConfig);
/** Seconds spent per venue (sum over its days of the "derived: <venue> <day>: … in <s> s" log lines). */
const venueSeconds: Record<string, number> = {};
const log = (line: string) => {
  const m = /^derived: (\w+) \d{4}-\d{2}-\d{2}: .* in ([\d.]+) s/.exec(line);
  if (m) venueSeconds[m[1]] = (venueSeconds[m[1]] ?? 0) + Number(m[2]);
  process.stderr.write(`${line}\n`);
};

if (mode === "simulate") {
  await childReport(async () => {
    const {dir, generated} = await ensureSimulatedArchives(config, simulationKey(config), log);
    return {dir, generated};
  });
} else {
  // Not timed: the archives (regenerated here if the simulator's sources changed since the
  // simulate step), and the removal of earlier derived data.
  const t = performance.now();
  const sim = await ensureSimulatedArchives(config, simulationKey(config), log);
  const simSeconds = (performance.now() - t) / 1000;
  rmSync(join(config.dataDir, "derived"), {recursive: true, force: true});
  await childReport(async () => {
    const dir = await ensureDerived(config, {log});
    const m = readManifest(dir);
    const perVenue = Object.fromEntries(Object.entries(m.perVenue).map(([v, s]) => [v, {rowsRead: s!.rowsRead, trades: s!.trades}]));
    const rowsRead = Object.values(perVenue).reduce((s, v) => s + v.rowsRead, 0);
    const trades = Object.values(perVenue).reduce((s, v) => s + v.trades, 0);
    return {dir, rowsRead, trades, perVenue, venueSeconds, days: m.days.length, simDir: sim.dir, simGenerated: sim.generated, simSeconds};
  });
}
