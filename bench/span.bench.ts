/**
 * A simulated span built stage by stage, each stage in its own process as Observable Framework
 * runs the data loaders (`bench/support/span-stage.ts`): the archives (generated once, then
 * cached and not part of the build), the derived data (clean → Parquet partitions, bins, flow),
 * the site files, chapters 02–06 and the findings. Reported against issue 21's targets for a
 * two-week span with its archives cached — build ≤ 10 min wall on 2 cores, peak RSS ≤ 2 GiB,
 * derived data ≤ 300 MB per day — as figures, not assertions: each row says whether it met the
 * target, and the table's last line counts the misses.
 *
 * BENCH_SPAN_DAYS whole days from 2024-08-05 (default 14) at BENCH_SPAN_RATE times the default
 * rates (default 1), `source: simulated`, data folder BENCH_SPAN_DATA (default
 * `<tmpdir>/cve-bench-span`, the benchmark's own: it removes the derived folder of its
 * configuration before the build so that the build is timed from the cached archives).
 * Per stage: wall, user + system CPU and peak RSS from `/usr/bin/time` (GNU time, `%M`);
 * the build's wall and CPU are the stages' sums (run one after another; Framework may overlap
 * loaders, which lowers the wall, not the peak of any one process).
 *
 * BENCH_SPAN_STAGES (comma-separated stage names of `SPAN_STAGES`, e.g. `ch02,ch03`) measures only
 * those stages: unless `derived` is named, the derived folder is kept (made first, untimed, when missing) and only the named
 * chapters' memoised results are removed, so each named stage computes in full; the build's sums
 * and the targets are then those of the named stages, and no target is judged.
 *
 * BENCH_SPAN_LOG (a file) receives every stage's stderr — the loaders' progress and the
 * chapters' step timings — under a line naming the stage and its cost, so that a long run can be
 * followed and its time broken down afterwards.
 */
import {execFileSync, spawnSync} from "node:child_process";
import {appendFileSync, existsSync, readFileSync, rmSync, statSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadConfig} from "../loaders/config.ts";
import {derivedKey, derivedRoot} from "../loaders/derived.ts";
import {ROOT} from "../loaders/fingerprint.ts";
import {resolveSource} from "../loaders/source-resolve.ts";
import {envInt} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

/** The stages of a build, in the order their loaders need them. */
export const SPAN_STAGES = [
  "derived",
  "site:bins-1000ms.arrow",
  "site:flow-100ms.arrow",
  "site:overview.arrow",
  "site:trades-sample.arrow",
  "ch02",
  "ch03",
  "ch04",
  "ch05",
  "ch06",
  "findings"
] as const;

/** One stage's measured cost. */
export interface StageCost {
  stage: string;
  wallS: number;
  cpuS: number;
  maxRssMiB: number;
}

/** Runs `stage` of span-stage.ts under GNU time with `env`; its cost, or an error with the stage's stderr tail. */
export function runStage(stage: string, env: NodeJS.ProcessEnv): StageCost {
  const timing = join(tmpdir(), `cve-span-time-${process.pid}`);
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %U %S %M", "-o", timing, process.execPath, "--import", "tsx", join(ROOT, "bench/support/span-stage.ts"), stage],
    {cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 28}
  );
  try {
    if (r.status !== 0) throw new Error(`span: stage ${stage} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
    const [wall, user, sys, rssKb] = readFileSync(timing, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    const cost = {stage, wallS: wall, cpuS: user + sys, maxRssMiB: rssKb / 1024};
    const log = env.BENCH_SPAN_LOG;
    if (log) appendFileSync(log, `== ${stage}: ${wall} s wall, ${cost.cpuS.toFixed(1)} s CPU, peak RSS ${cost.maxRssMiB.toFixed(0)} MiB (${new Date().toISOString()})\n${String(r.stderr)}`);
    return cost;
  } finally {
    rmSync(timing, {force: true});
  }
}

/** The stages named in `list` (comma-separated), in build order; undefined when `list` is empty or unset. */
export function stagesOf(list: string | undefined): (typeof SPAN_STAGES)[number][] | undefined {
  const names = (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (!names.length) return undefined;
  for (const n of names) if (!(SPAN_STAGES as readonly string[]).includes(n)) throw new RangeError(`invalid BENCH_SPAN_STAGES: no stage "${n}" (stages: ${SPAN_STAGES.join(", ")})`);
  return SPAN_STAGES.filter((s) => names.includes(s));
}

/**
 * Removes the memoised results of the chapter stages in `stages` from the derived folder `dir`
 * (`<dir>/chapters/<name>-<key>.json`), so that those stages compute again. Other stages' files
 * are left.
 */
function forgetStages(dir: string, stages: readonly string[]): void {
  const folder = join(dir, "chapters");
  if (!existsSync(folder)) return;
  const prefixes = stages.flatMap((s) => (s === "findings" ? ["findings-"] : /^ch0\d$/.test(s) ? [`${s}-`] : []));
  for (const f of readdirSync(folder)) if (prefixes.some((p) => f.startsWith(p))) rmSync(join(folder, f), {force: true});
}

/** Bytes under `dir` (files only, recursively). */
export function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, {recursive: true, withFileTypes: true})) if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
  return n;
}

export default async function (): Promise<BenchRow[]> {
  if (!existsSync("/usr/bin/time")) throw new Error("span: needs GNU time at /usr/bin/time for each stage's peak RSS");
  const days = envInt("BENCH_SPAN_DAYS", 14, 1, 62);
  const rate = Number(process.env.BENCH_SPAN_RATE ?? "1");
  if (!(rate > 0)) throw new RangeError(`invalid BENCH_SPAN_RATE: ${process.env.BENCH_SPAN_RATE} (a positive number)`);
  const end = new Date(Date.parse("2024-08-05T00:00:00Z") + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const vars = {
    CVE_START: "2024-08-05",
    CVE_END: end,
    CVE_SOURCE: "simulated",
    CVE_SIM_RATE_SCALE: String(rate),
    CVE_DATA_DIR: process.env.BENCH_SPAN_DATA ?? join(tmpdir(), "cve-bench-span"),
    // The quality gate of a reader's build (`fail`) unless BENCH_SPAN_QUALITY says otherwise.
    CVE_QUALITY: process.env.BENCH_SPAN_QUALITY ?? "fail"
  };
  const env = {...process.env, ...vars};
  const config = loadConfig(vars);
  const dir = join(derivedRoot(config.dataDir), derivedKey(config, await resolveSource(config)));
  const only = stagesOf(process.env.BENCH_SPAN_STAGES);
  const archives = runStage("archives", env);
  if (only && !only.includes("derived")) {
    if (!existsSync(join(dir, "manifest.json"))) runStage("derived", env);
    forgetStages(dir, only);
  } else rmSync(dir, {recursive: true, force: true});
  const costs = (only ?? SPAN_STAGES).map((s) => runStage(s, env));
  const wall = costs.reduce((s, c) => s + c.wallS, 0);
  const cpu = costs.reduce((s, c) => s + c.cpuS, 0);
  const peak = costs.reduce((a, c) => (c.maxRssMiB > a.maxRssMiB ? c : a));
  const perDay = folderBytes(dir) / days / 1e6;
  const trades = folderBytes(join(dir, "trades")) / days / 1e6;
  const what = `${days} d from 2024-08-05 at ${rate} × the default rates`;
  const load = execFileSync("cat", ["/proc/loadavg"]).toString().split(" ").slice(0, 3).join(" ");
  const twoWeeks = days === 14 && rate === 1 && !only;
  const target = (t: string) => (twoWeeks ? t : `${t} (for 14 d at rate 1; this run: ${what})`);
  return [
    {name: `span ${what}: archives (cached unless this run generated them)`, value: archives.wallS, unit: "s", reference: {name: "CPU s", value: archives.cpuS}},
    ...costs.map((c) => ({name: `span: ${c.stage} (peak RSS ${c.maxRssMiB.toFixed(0)} MiB)`, value: c.wallS, unit: "s", reference: {name: "CPU s", value: c.cpuS}})),
    {name: `span ${what}: ${only ? `stages ${only.join(", ")} only` : "build from cached archives, stages in sequence"} (load ${load})`, value: wall / 60, unit: "min", reference: {name: "CPU min", value: cpu / 60}, target: target("≤ 10 min"), met: twoWeeks ? wall <= 600 : undefined},
    {name: `span: peak RSS of any stage (${peak.stage})`, value: peak.maxRssMiB / 1024, unit: "GiB", target: target("≤ 2 GiB"), met: twoWeeks ? peak.maxRssMiB <= 2048 : undefined},
    {name: `span: derived data per day (${trades.toFixed(1)} MB of it trade partitions)`, value: perDay, unit: "MB/day", target: target("≤ 300 MB"), met: twoWeeks ? perDay <= 300 : undefined}
  ];
}
