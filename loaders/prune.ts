/**
 * `npm run prune`: reclaims the disk space of derived data and simulated archives that the
 * current configuration no longer uses.
 *
 * Every configuration, and every change to the pipeline's code, builds its own folder
 * `<dataDir>/derived/<key>/` (about 1.1 GB for the default day) and, for a change to the
 * simulator or the archive formats, its own simulated set `<dataDir>/raw/simulated/<simKey>/`
 * (about 0.4 GB); older ones are kept so that switching back is free. Pruning keeps the folders
 * of the configuration in the environment (`loadConfig()`) built by this checkout's code and
 * removes every other complete one. It never touches real archives (`raw/<venue>/`), lock files,
 * the temporary folders of a build in progress (names starting with a dot), or any folder not
 * named like a key. A folder still
 * read by a process running other code (another checkout's preview, say) would be removed under
 * it: prune when no such process runs. `--dry-run` lists what would go.
 *
 * Importable: `pruneData(config, options)` does the work and returns what it removed and kept;
 * the module prints only when run as the main script.
 */
import {readdirSync, rmSync, statSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {runMain} from "./errors.ts";
import {cacheRoot} from "./cache.ts";
import {loadConfig, type AnalysisConfig} from "./config.ts";
import {derivedKey, derivedRoot} from "./derived.ts";
import {dataLock, withSiteLock} from "./site-cache.ts";
import {resolveSource} from "./source-resolve.ts";

export interface PruneEntry {
  kind: "derived" | "simulated";
  path: string;
  bytes: number;
}

export interface PruneResult {
  removed: PruneEntry[];
  kept: PruneEntry[];
}

/** Total size in bytes of the files under `path`. */
function sizeOf(path: string): number {
  let total = 0;
  for (const d of readdirSync(path, {recursive: true, withFileTypes: true})) if (d.isFile()) total += statSync(join(d.parentPath ?? d.path, d.name)).size;
  return total;
}

/** Names of the folders a build writes: derived keys (64 hex digits), simulated keys (24). */
const KEY = {derived: /^[0-9a-f]{64}$/, simulated: /^[0-9a-f]{24}$/};

/** The complete folders of `root` named like a key of `kind` (others, and names starting with a dot, are not the builds'). */
function entries(root: string, kind: keyof typeof KEY): string[] {
  try {
    return readdirSync(root, {withFileTypes: true})
      .filter((d) => d.isDirectory() && KEY[kind].test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Removes the derived folders and simulated sets under `config.dataDir` other than those of
 * `config` with this code (see the module comment); with `dryRun`, removes nothing and reports
 * what would go. Resolving the source never downloads: a real build whose archives are missing
 * throws `SourceError` before anything is removed. Holds the data folder's lock, and fails at
 * once (`LockBusyError`, naming the holder) while a build or clean of that folder runs.
 */
export async function pruneData(config: AnalysisConfig, options: {dryRun?: boolean; log?: (line: string) => void} = {}): Promise<PruneResult> {
  return withSiteLock(dataLock(config.dataDir), {command: "prune", wait: false}, () => pruneUnlocked(config, options));
}

async function pruneUnlocked(config: AnalysisConfig, options: {dryRun?: boolean; log?: (line: string) => void}): Promise<PruneResult> {
  const log = options.log ?? (() => {});
  const resolved = await resolveSource({...config, offline: true});
  const keep = {derived: derivedKey(config, resolved), simulated: resolved.simKey};
  const result: PruneResult = {removed: [], kept: []};
  const roots = {derived: derivedRoot(config.dataDir), simulated: join(cacheRoot(config.dataDir), "simulated")};
  for (const kind of ["derived", "simulated"] as const)
    for (const name of entries(roots[kind], kind)) {
      const path = join(roots[kind], name);
      const entry = {kind, path, bytes: sizeOf(path)};
      if (name === keep[kind]) {
        result.kept.push(entry);
        continue;
      }
      log(`prune: ${options.dryRun ? "would remove" : "removing"} ${kind} ${path} (${(entry.bytes / 1e9).toFixed(2)} GB)`);
      if (!options.dryRun) rmSync(path, {recursive: true, force: true});
      result.removed.push(entry);
    }
  return result;
}

/** A one-paragraph summary of a prune. */
export function formatPrune(result: PruneResult, dryRun = false): string {
  const gb = (xs: PruneEntry[]) => (xs.reduce((s, e) => s + e.bytes, 0) / 1e9).toFixed(2);
  const count = (xs: PruneEntry[], kind: PruneEntry["kind"]) => xs.filter((e) => e.kind === kind).length;
  const verb = dryRun ? "would remove" : "removed";
  return (
    `prune: ${verb} ${count(result.removed, "derived")} derived folder(s) and ${count(result.removed, "simulated")} simulated set(s), ${gb(result.removed)} GB; ` +
    (result.kept.length > 0 ? `kept ${result.kept.map((e) => `${e.kind} ${e.path}`).join(", ")} (${gb(result.kept)} GB).` : "kept nothing: the current configuration has not been built yet.")
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A configuration or source error is one line on stderr (exit code 2), not a stack trace.
  await runMain(async () => {
    const dryRun = process.argv.includes("--dry-run");
    const result = await pruneData(loadConfig(), {dryRun, log: (line) => process.stderr.write(`${line}\n`)});
    console.log(formatPrune(result, dryRun));
  });
}
