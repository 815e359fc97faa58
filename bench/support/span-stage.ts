/**
 * One stage of a build, run in its own process as Observable Framework runs each data loader, so
 * that `bench/span.bench.ts` can measure its wall time, CPU time and peak resident memory:
 * `archives` (the simulated archives), `derived` (clean into Parquet partitions, bins, flow,
 * site files' sources), `site:<file>` (one of `SITE_FILES`, written to stdout), `ch02`…`ch06`,
 * `findings` (chapter results as the loaders compute them, memoised beside the derived data; JSON
 * to stdout). The configuration comes from the environment (`loadConfig`), as in a build.
 */
import {computeChapter02} from "../../loaders/chapters/ch02.ts";
import {computeChapter03} from "../../loaders/chapters/ch03.ts";
import {computeChapter04} from "../../loaders/chapters/ch04.ts";
import {computeChapter05} from "../../loaders/chapters/ch05.ts";
import {computeChapter06} from "../../loaders/chapters/ch06.ts";
import {buildFindings} from "../../loaders/chapters/findings.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig, type AnalysisConfig} from "../../loaders/config.ts";
import {ensureDerived, SITE_FILES, writeSiteFile, type SiteFile} from "../../loaders/derived.ts";
import {ensureSimulatedArchives, resolveSource} from "../../loaders/source-resolve.ts";

const CHAPTERS = {ch02: computeChapter02, ch03: computeChapter03, ch04: computeChapter04, ch05: computeChapter05, ch06: computeChapter06} as const;

const stage = process.argv[2] ?? "";
const config = loadConfig();
const log = (line: string) => process.stderr.write(`${line}\n`);
if (stage === "archives") {
  const resolved = await resolveSource(config, {log});
  if (resolved.source !== "simulated") throw new RangeError(`span-stage archives: the source resolved to ${resolved.source}, not simulated`);
  const {generated} = await ensureSimulatedArchives(config, resolved.simKey, log);
  process.stdout.write(JSON.stringify({generated}));
} else if (stage === "derived") {
  process.stdout.write(await ensureDerived(config, {log}));
} else if (stage.startsWith("site:")) {
  const name = stage.slice(5) as SiteFile;
  if (!SITE_FILES.includes(name)) throw new RangeError(`span-stage: no site file ${name} (one of ${SITE_FILES.join(", ")})`);
  await writeSiteFile(name, await ensureDerived(config), process.stdout, log);
} else if (stage in CHAPTERS) {
  const dir = await ensureDerived(config);
  const compute = CHAPTERS[stage as keyof typeof CHAPTERS] as (dir: string, config: AnalysisConfig) => Promise<unknown>;
  process.stdout.write(JSON.stringify(await memoChapter(dir, `loaders/chapters/${stage}.ts`, () => compute(dir, config))));
} else if (stage === "findings") {
  const dir = await ensureDerived(config);
  process.stdout.write(JSON.stringify(await buildFindings(dir, config)));
} else throw new RangeError(`span-stage: unknown stage "${stage}" (archives, derived, site:<file>, ch02…ch06, findings)`);
