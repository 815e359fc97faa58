/**
 * Deciding where a build's trades come from — real exchange archives or the seeded simulated
 * market — and making sure those archives are on disk.
 *
 * - `auto`: real archives when every (venue, day) of the configuration is complete in
 *   `<dataDir>/raw/<venue>/`, otherwise the simulated market (the offline default);
 * - `real`: real archives only. Missing files are downloaded when `offline` is false; with
 *   `offline` true they are an error that names them and suggests `npm run fetch-data` or
 *   `CVE_SOURCE=simulated`;
 * - `simulated`: archives written by the simulator into
 *   `<dataDir>/raw/simulated/<simKey>/<venue>/` in the venues' own layouts, plus `truth.json`.
 *   `simKey` hashes the configuration fields the simulator reads and the source of the
 *   simulator, the archive formats and the modules they use, so an existing set is reused and a
 *   changed input gets a new set. The set is written into a temporary folder and renamed
 *   into place complete (with a `DONE` marker), under a lock so two builds never write it twice.
 */
import {makeDir} from "./writable.ts";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from "node:fs";
import {availableParallelism, hostname} from "node:os";
import {basename, join, relative} from "node:path";
import {archiveHashes} from "./archive-hash.ts";
import {setTimeout as sleep} from "node:timers/promises";
import {cacheRoot, dayPaths, hasDay, type CacheLocation} from "./cache.ts";
import {configDays, type AnalysisConfig, type Venue} from "./config.ts";
import {canonicalJSON, hashSources} from "./fingerprint.ts";
import {archiveFormat} from "./formats/index.ts";
import {inputMarkets, inputsSpan, resolveInputs, type ScannedInput} from "./inputs.ts";
import {planMarket, simulateVenue} from "./simulate/index.ts";
import {serveTask, TaskPool} from "./task-pool.ts";

export type ResolvedKind = "real" | "simulated";

/** Where one build's archives are. */
export interface ResolvedSource {
  source: ResolvedKind;
  /** The cache location to pass to `dayPaths` / `archivePath`. */
  location: CacheLocation;
  /** The simulated archive set's key (simulated builds only). */
  simKey?: string;
  /** Why this source was chosen, in a sentence (for the log and the manifest). */
  reason: string;
  /** Names, sizes and content hashes of the real archives (real builds only), part of the derived key. */
  archives?: {venue: Venue; file: string; bytes: number; sha256: string}[];
  /** The `CVE_INPUTS` files, placed and scanned (builds from inputs only). */
  inputs?: ScannedInput[];
  /**
   * The configuration the build runs on when it differs from the one given (builds from inputs:
   * the markets of the files, the days they cover and `from`/`to` set to the analysed span).
   */
  config?: AnalysisConfig;
}

/**
 * The configuration of a build from `CVE_INPUTS`: the markets of the files (in `VENUES` order),
 * the UTC days their span covers, `from`/`to` set to that span (the inputs' overlap narrowed to
 * the configured `from`/`to`), and source real.
 */
export function inputsConfig(config: AnalysisConfig, inputs: readonly ScannedInput[]): AnalysisConfig {
  const [t0, t1] = inputsSpan(inputs, config.from, config.to);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return {...config, venues: inputMarkets(inputs), source: "real", start: day(t0), end: day(t1 - 1), hours: 24, from: t0, to: t1};
}

/** Resolves a build from `CVE_INPUTS` (see {@link ResolvedSource.inputs}). */
async function resolveInputSource(config: AnalysisConfig): Promise<ResolvedSource> {
  const inputs = await resolveInputs(config.inputs);
  const effective = inputsConfig(config, inputs);
  return {
    source: "real",
    location: {root: config.dataDir},
    reason: `CVE_INPUTS: ${inputs.length} file(s) of ${effective.venues.join(", ")}`,
    archives: inputs.map((f) => ({venue: f.market, file: f.file, bytes: f.bytes, sha256: f.sha256})),
    inputs,
    config: effective
  };
}

/** A source that cannot be provided (missing real archives offline, a failed download). */
export class SourceError extends Error {
  override name = "SourceError";
}

/** The configuration fields the simulator reads. */
export function simulationInputs(config: AnalysisConfig) {
  return {
    venues: config.venues,
    symbol: config.symbol,
    start: config.start,
    end: config.end,
    hours: config.hours,
    seed: config.seed,
    simulation: config.simulation
  };
}

/** Source folders and files the simulated archives depend on (relative to the project root). */
export const SIMULATION_SOURCES = ["loaders/simulate", "loaders/formats", "loaders/trades.ts", "loaders/config.ts", "lib/random.ts"];

/** Key of the simulated archive set: sha256 of the simulator's inputs and sources (first 24 hex digits). */
export function simulationKey(config: AnalysisConfig): string {
  return hashSources(SIMULATION_SOURCES, canonicalJSON(simulationInputs(config))).slice(0, 24);
}

/** The (venue, day) pairs whose real archives are not all in the cache, with the missing paths. */
export async function missingRealArchives(config: AnalysisConfig): Promise<{venue: Venue; day: string; paths: string[]}[]> {
  const missing: {venue: Venue; day: string; paths: string[]}[] = [];
  const loc = {root: config.dataDir};
  for (const venue of config.venues)
    for (const day of configDays(config))
      if (!(await hasDay(venue, day, config.symbol, loc)))
        missing.push({venue, day, paths: dayPaths(venue, day, config.symbol, loc).filter((p) => !existsSync(p) || statSync(p).size === 0)});
  return missing;
}

/**
 * The real archives of `config`: name, size and content hash of each (hashes from the hash cache
 * of `archive-hash.ts`, so a replaced archive of the same name and size changes the keys).
 */
export function realArchives(config: AnalysisConfig): NonNullable<ResolvedSource["archives"]> {
  const found: {venue: Venue; path: string}[] = [];
  for (const venue of config.venues)
    for (const day of configDays(config))
      for (const path of dayPaths(venue, day, config.symbol, {root: config.dataDir}))
        if (!found.some((a) => a.path === path)) found.push({venue, path});
  const hashes = archiveHashes(config.dataDir, found.map((a) => a.path));
  return found.map((a, i) => ({venue: a.venue, file: basename(a.path), bytes: statSync(a.path).size, sha256: hashes[i]}));
}

/** The missing archives in a sentence; `root` given, paths are shown relative to it (for published text). */
function describe(missing: {venue: Venue; day: string; paths: string[]}[], root?: string): string {
  const show = (p: string) => (root === undefined ? p : relative(root, p));
  const list = missing.slice(0, 8).map((m) => `${m.venue} ${m.day} (${m.paths.map(show).join(", ")})`).join("; ");
  return missing.length > 8 ? `${list}; and ${missing.length - 8} more` : list;
}

export interface ResolveOptions {
  /** Downloads the missing real archives (for `source: "real"` with `offline: false`). */
  download?: (config: AnalysisConfig, missing: {venue: Venue; day: string; paths: string[]}[]) => Promise<void>;
  log?: (line: string) => void;
}

/**
 * Decides real or simulated for `config` (see the module comment). For real builds it
 * downloads what is missing when allowed; it does not generate simulated archives (see
 * {@link ensureSimulatedArchives}).
 */
export async function resolveSource(config: AnalysisConfig, options: ResolveOptions = {}): Promise<ResolvedSource> {
  const log = options.log ?? (() => {});
  if (config.inputs?.length) return resolveInputSource(config);
  if (config.source === "simulated")
    return {source: "simulated", location: {root: config.dataDir, simKey: simulationKey(config)}, simKey: simulationKey(config), reason: "source: simulated"};
  const missing = await missingRealArchives(config);
  if (config.source === "auto") {
    if (missing.length === 0)
      return {source: "real", location: {root: config.dataDir}, reason: "source: auto, and every real archive is in the cache", archives: realArchives(config)};
    const simKey = simulationKey(config);
    return {
      source: "simulated",
      location: {root: config.dataDir, simKey},
      simKey,
      reason: `source: auto, and ${missing.length} (venue, day) real archive set(s) are missing, e.g. ${describe(missing.slice(0, 1), cacheRoot(config.dataDir))}`
    };
  }
  if (missing.length > 0) {
    if (config.offline)
      throw new SourceError(
        `source "real" but real archives are missing from ${cacheRoot(config.dataDir)} and downloads are off (offline): ${describe(missing)}. ` +
          "Run `npm run fetch-data` (with CVE_OFFLINE=0) to download them, or set CVE_SOURCE=simulated to build on the simulated market."
      );
    if (!options.download)
      throw new SourceError(`source "real": no downloader available for the missing archives: ${describe(missing)}`);
    log(`source: downloading ${missing.length} missing (venue, day) archive set(s)`);
    await options.download(config, missing);
    const still = await missingRealArchives(config);
    if (still.length > 0) throw new SourceError(`source "real": archives still missing after download: ${describe(still)}`);
  }
  return {source: "real", location: {root: config.dataDir}, reason: "source: real", archives: realArchives(config)};
}

/** The folder of a simulated archive set. */
export function simulatedRoot(dataDir: string, simKey: string): string {
  return join(cacheRoot(dataDir), "simulated", simKey);
}

/** Writes the simulated archives of one venue into `dir`; returns the rows and files written. */
export async function simulateVenueArchives(
  config: AnalysisConfig,
  venue: Venue,
  dir: string,
  beat: () => void = () => {},
  log: (line: string) => void = () => {}
): Promise<{rows: number; files: string[]; seconds: number}> {
  const t = performance.now();
  mkdirSync(dir, {recursive: true});
  const plan = planMarket(config);
  let rows = 0;
  const counted = (function* () {
    for (const b of simulateVenue(plan, venue)) {
      rows += b.length;
      beat();
      yield b;
    }
  })();
  const files = await archiveFormat(venue).write(counted, dir, config.symbol);
  const seconds = (performance.now() - t) / 1000;
  log(`simulate: ${venue}: ${rows.toLocaleString("en-US")} trades into ${files.length} archive(s) in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en-US")} trades/s)`);
  return {rows, files, seconds};
}

/** Expected trades from which a build uses worker threads (below, starting them costs more than they save). */
export const PARALLEL_MIN_WORK = 2e6;

/**
 * How many of `tasks` independent tasks (venues to simulate, (venue, day) pairs to clean) to run
 * at once: `requested` when given, else one per available core (at most one per task) when the
 * work is large (over `minWork` trades), else 1 (in-process). At most `tasks` either way.
 */
export function venueConcurrency(tasks: number, work: number, requested?: number, minWork = PARALLEL_MIN_WORK): number {
  if (requested !== undefined) {
    if (!(Number.isInteger(requested) && requested >= 1)) throw new RangeError(`invalid workers: ${requested}`);
    return Math.min(requested, tasks);
  }
  return work >= minWork ? Math.max(1, Math.min(availableParallelism(), tasks)) : 1;
}

/**
 * Makes sure the simulated archives of `config` exist, generating them when absent: the
 * simulator's trades of each venue go through that venue's archive writer into a temporary
 * folder, with the planted truth in `truth.json`; the folder is renamed into place with a
 * `DONE` marker. Venues are simulated in worker threads when the market is large (see
 * {@link venueConcurrency}; `workers` overrides). Returns the set's folder and whether it was
 * generated now.
 */
export async function ensureSimulatedArchives(
  config: AnalysisConfig,
  simKey = simulationKey(config),
  log: (line: string) => void = () => {},
  workers?: number
): Promise<{dir: string; generated: boolean}> {
  const dir = simulatedRoot(config.dataDir, simKey);
  if (existsSync(join(dir, "DONE"))) return {dir, generated: false};
  const parent = join(cacheRoot(config.dataDir), "simulated");
  makeDir(parent);
  return withLock(join(parent, `.${simKey}.lock`), async (beat) => {
    if (existsSync(join(dir, "DONE"))) return {dir, generated: false};
    // Leftovers of a holder of this lock that died mid-way.
    for (const name of readdirSync(parent)) if (name.startsWith(`.tmp-${simKey}-`)) rmSync(join(parent, name), {recursive: true, force: true});
    const tmp = join(parent, `.tmp-${simKey}-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(tmp, {recursive: true});
    try {
      const started = performance.now();
      const plan = planMarket(config);
      const work = config.venues.reduce((s, v) => s + (plan.truth.venueParams[v]?.expectedTrades ?? 0), 0);
      const concurrency = venueConcurrency(config.venues.length, work, workers);
      const pool = new TaskPool(concurrency, import.meta.url, log, beat);
      try {
        await Promise.all(
          config.venues.map((venue) =>
            pool.run(`simulate ${venue}`, {task: SIMULATE_TASK, config, venue, dir: join(tmp, venue)}, () => simulateVenueArchives(config, venue, join(tmp, venue), beat, log))
          )
        );
      } finally {
        await pool.close();
      }
      writeFileSync(join(tmp, "truth.json"), JSON.stringify(plan.truth, null, 1) + "\n");
      writeFileSync(join(tmp, "DONE"), `${simKey}\n`);
      rmSync(dir, {recursive: true, force: true});
      renameSync(tmp, dir);
      log(`simulate: archive set ${simKey} written in ${((performance.now() - started) / 1000).toFixed(1)} s${concurrency > 1 ? ` (${concurrency} venues at a time)` : ""}`);
      return {dir, generated: true};
    } catch (error) {
      rmSync(tmp, {recursive: true, force: true});
      throw error;
    }
  }, {log});
}

const SIMULATE_TASK = "cve:simulate-venue";

serveTask(SIMULATE_TASK, (d: {config: AnalysisConfig; venue: Venue; dir: string}, log) => simulateVenueArchives(d.config, d.venue, d.dir, () => {}, log));

/**
 * The archive paths of (venue, day) for a resolved source. For simulated sets, files the
 * simulator did not write (no trade fell in that file's period, e.g. the second OKX file of a
 * day when only its first hours are analysed) are left out; real archives must all exist.
 */
export function archivePathsForDay(resolved: ResolvedSource, venue: Venue, day: string, symbol: string): string[] {
  if (resolved.inputs) return resolved.inputs.filter((f) => f.market === venue).map((f) => f.path);
  const paths = dayPaths(venue, day, symbol, resolved.location);
  if (resolved.source === "real") return paths;
  return paths.filter((p) => existsSync(p));
}

export interface LockOptions {
  /** A lock whose holder has not shown a sign of life for this long is stale (ms, default 10 min). */
  staleMs?: number;
  /** Polling interval while waiting (ms, default 250). */
  pollMs?: number;
  log?: (line: string) => void;
  /** More about the holder, stored in `owner.json` beside pid, host and start (e.g. what command holds it). */
  owner?: Record<string, unknown>;
  /**
   * Called with the holder's `owner.json` (empty while it is being written) each time the lock is
   * found held by a live holder, before waiting; throwing stops the wait with that error.
   */
  busy?: (owner: LockOwner) => void;
}

/** The contents of a lock's `owner.json`. */
export interface LockOwner {
  pid?: number;
  host?: string;
  started?: number;
  [field: string]: unknown;
}

/** The holder of the lock `lockDir` as its `owner.json` names it (empty when unreadable). */
export function lockOwner(lockDir: string): LockOwner {
  try {
    return JSON.parse(readFileSync(join(lockDir, "owner.json"), "utf8"));
  } catch {
    return {};
  }
}

function lockIsStale(lockDir: string, staleMs: number): boolean {
  // Unreadable while being written, or its holder died before writing it: judged by age below.
  const owner = lockOwner(lockDir);
  if (owner.host === hostname() && typeof owner.pid === "number") {
    // On this host the holder's process is the authority: alive means busy, however long it takes.
    if (owner.pid === process.pid) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
  try {
    return Date.now() - statSync(lockDir).mtimeMs > staleMs;
  } catch {
    return false; // gone: the next attempt takes it
  }
}

/**
 * Runs `fn` holding an exclusive lock: a directory created atomically with `mkdir`, holding
 * `owner.json` (pid, host, start). Others wait, polling, until it disappears. A lock is stale —
 * and is broken — when its holder is a process of this host that no longer exists, or, for a
 * holder on another host (a shared data folder) or one that died before naming itself, when the
 * directory has not been touched for `staleMs` (holders call the `beat` passed to `fn` now and
 * then). The lock is removed when `fn` settles.
 */
export async function withLock<T>(lockDir: string, fn: (beat: () => void) => Promise<T>, options: LockOptions = {}): Promise<T> {
  const {staleMs = 600_000, pollMs = 250, log = () => {}} = options;
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "owner.json"), JSON.stringify({...options.owner, pid: process.pid, host: hostname(), started: Date.now()}));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (lockIsStale(lockDir, staleMs)) {
      log(`lock: breaking stale lock ${lockDir}`);
      const trash = `${lockDir}.stale-${process.pid}-${Date.now().toString(36)}`;
      try {
        renameSync(lockDir, trash);
        rmSync(trash, {recursive: true, force: true});
      } catch {
        // Another waiter broke it first.
      }
      continue;
    }
    options.busy?.(lockOwner(lockDir));
    if (!waited) log(`lock: another build holds ${lockDir}; waiting`), (waited = true);
    await sleep(pollMs);
  }
  let lastBeat = Date.now();
  const beat = () => {
    const now = Date.now();
    if (now - lastBeat < 5000) return;
    lastBeat = now;
    try {
      utimesSync(lockDir, now / 1000, now / 1000);
    } catch {
      // The lock was broken by someone who judged it stale; finishing is still safe (atomic renames).
    }
  };
  try {
    return await fn(beat);
  } finally {
    rmSync(lockDir, {recursive: true, force: true});
  }
}
