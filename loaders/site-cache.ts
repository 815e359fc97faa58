/**
 * Framework's loader cache (`src/.observablehq/cache/`) and the locks that keep one checkout's
 * builds and previews, and one data folder's builds and prunes, from mixing their outputs.
 *
 * Framework reruns a data loader only when its cached output is missing, so the cache is valid
 * only for the inputs it was made with. Those inputs have one key ({@link siteKey}): the
 * configuration, the code (`lib/`, `loaders/`, `src/data/`, `src/duckdb/`), the resolved
 * source — which source `auto` chose and the content hash of every real archive — and the stored
 * calibration (`loaders/calibration.ts` `calibrationStamp`: a new `npm run calibrate` or a change
 * to its code reruns the calibration page's loader). The key is
 * written beside the cache in `.inputs-key`:
 *
 * - `npm run build` and `npm run dev` clear the cache when its key file names other inputs
 *   ({@link invalidateStaleCache}) and then write their own key;
 * - every loader of `src/data/` checks the key file against its own key before it writes
 *   anything ({@link siteDerived}), so a preview or build running under another configuration
 *   fails with a message instead of filling the cache with its data;
 * - a build checks the key file again when Framework is done, and publishes nothing if it changed.
 *
 * Locks ({@link checkoutLock}, {@link dataLock}) are `withLock` folders naming their holder's
 * command: a build waits for another build of the same checkout or data folder, and fails at once
 * when a preview of the checkout holds it (a preview serves until it is stopped).
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {isAbsolute, join, relative, resolve} from "node:path";
import {loadConfig, type AnalysisConfig} from "./config.ts";
import {downloadMissing, ensureDerived} from "./derived.ts";
import {createHash} from "node:crypto";
import {calibrationStamp} from "./calibration.ts";
import {inputsKey, ROOT} from "./fingerprint.ts";
import {lockOwner, resolveSource, withLock, type LockOwner, type ResolvedSource} from "./source-resolve.ts";

/** Framework's loader cache of this checkout. */
export const CACHE_DIR = join(ROOT, "src/.observablehq/cache");

/** The key file beside the cache's outputs. */
export function keyFile(cacheDir = CACHE_DIR): string {
  return join(cacheDir, ".inputs-key");
}

/** Raised when Framework's cache was made for other inputs than the running process's. */
export class CacheKeyError extends Error {
  override name = "CacheKeyError";
}

/** Raised when a lock is held by a process that will not release it soon (a running preview). */
export class LockBusyError extends Error {
  override name = "LockBusyError";
}

/**
 * The key of every input of the site for `config` (see the module comment), with the resolved
 * source. Missing real archives are downloaded first when the configuration allows it, so that
 * the key covers them.
 */
export async function siteKey(config: AnalysisConfig, log: (line: string) => void = () => {}): Promise<{key: string; resolved: ResolvedSource}> {
  const resolved = await resolveSource(config, {download: downloadMissing, log});
  // The stored calibration (its files and the code that would make it) feeds the calibration page.
  const key = createHash("sha256").update(inputsKey(config, resolved)).update(calibrationStamp(config.dataDir)).digest("hex");
  return {key, resolved};
}

/** The key `cacheDir`'s outputs were made for, or undefined when it has none. */
export function cacheKey(cacheDir = CACHE_DIR): string | undefined {
  const file = keyFile(cacheDir);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/**
 * Removes Framework's cached loader outputs from `cacheDir` unless its key file names `key`
 * (bundled npm modules, names starting with `_`, are kept), then writes `key`. `cleared` is true
 * when outputs of other inputs were there.
 */
export function invalidateStaleCache(cacheDir: string, key: string): {key: string; cleared: boolean} {
  const previous = cacheKey(cacheDir);
  if (previous === key) return {key, cleared: false};
  let cleared = false;
  if (existsSync(cacheDir))
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith("_") || name === ".inputs-key") continue; // bundled node_modules imports, not loader outputs
      rmSync(join(cacheDir, name), {recursive: true, force: true});
      cleared = true;
    }
  mkdirSync(cacheDir, {recursive: true});
  writeFileSync(keyFile(cacheDir), key + "\n");
  return {key, cleared: cleared || previous !== undefined};
}

/** `path` relative to the checkout when inside it, else as given. */
function shown(path: string): string {
  const r = relative(ROOT, path);
  return r.startsWith("..") || isAbsolute(r) ? path : r;
}

/** Throws {@link CacheKeyError} when `cacheDir`'s key file names other inputs than `key` (no key file: nothing to check). */
export function verifyCacheKey(cacheDir: string, key: string): void {
  const found = cacheKey(cacheDir);
  if (found === undefined || found === key) return;
  throw new CacheKeyError(
    `${shown(keyFile(cacheDir))}: the loader cache was made for inputs ${found.slice(0, 12)}, this process's are ${key.slice(0, 12)}: ` +
      "a build or preview with another configuration, code or data uses this checkout; stop it and run `npm run build` or `npm run dev` again"
  );
}

/**
 * The body of every loader of `src/data/`: checks that Framework's cache belongs to this
 * process's inputs ({@link verifyCacheKey}), then returns the derived folder of `config`.
 */
export async function siteDerived(config: AnalysisConfig = loadConfig(), cacheDir = CACHE_DIR): Promise<string> {
  const {key} = await siteKey(config);
  verifyCacheKey(cacheDir, key);
  return ensureDerived(config);
}

/** The lock of a checkout's cache and `dist/`: `src/.observablehq/build.lock`. */
export function checkoutLock(root = ROOT): string {
  return join(root, "src/.observablehq/build.lock");
}

/** The lock of a data folder's builds and prunes: `<dataDir>/.build.lock`. */
export function dataLock(dataDir: string): string {
  return resolve(dataDir, ".build.lock");
}

/** What holds a lock, in words: "a preview, `npm run dev` (pid 12, since 05:40:03 UTC, in /home/me/cve)". */
export function describeOwner(owner: LockOwner): string {
  const what = owner.command === "preview" ? "a preview, `npm run dev`" : owner.command ? `\`npm run ${String(owner.command)}\`` : "another process";
  const details = [`pid ${owner.pid ?? "?"}`];
  if (typeof owner.started === "number") details.push(`since ${new Date(owner.started).toISOString().slice(11, 19)} UTC`);
  if (typeof owner.checkout === "string") details.push(`in ${owner.checkout}`);
  return `${what} (${details.join(", ")})`;
}

export interface SiteLockOptions {
  /** What the holder is doing: `build`, `preview`, `clean` or `prune` (shown to whoever waits). */
  command: "build" | "preview" | "clean" | "prune";
  /** Wait while another holder works (default); false: fail at once with {@link LockBusyError}. */
  wait?: boolean;
  log?: (line: string) => void;
  pollMs?: number;
}

/**
 * Runs `fn` holding the lock `lockDir` (one of {@link checkoutLock}, {@link dataLock}). A holder
 * that is a preview is never waited for: a preview serves until it is stopped, so this fails at
 * once with a {@link LockBusyError} that names it; other holders are waited for unless `wait` is false.
 */
export async function withSiteLock<T>(lockDir: string, options: SiteLockOptions, fn: () => Promise<T>): Promise<T> {
  const {command, wait = true, log = () => {}, pollMs} = options;
  mkdirSync(join(lockDir, ".."), {recursive: true});
  let told = false;
  // Long holders (a preview serves for hours) keep the lock fresh for waiters on other hosts.
  const fresh = (beat: () => void) => {
    const timer = setInterval(beat, 60_000).unref();
    return fn().finally(() => clearInterval(timer));
  };
  return withLock(lockDir, fresh, {
    pollMs,
    owner: {command, checkout: ROOT},
    busy: (owner) => {
      if (owner.command === "preview" || !wait)
        throw new LockBusyError(`${lockDir}: held by ${describeOwner(owner)}; \`npm run ${command}\` cannot run beside it: stop it first`);
      if (!told && owner.pid !== undefined) log(`lock: ${lockDir} is held by ${describeOwner(owner)}; waiting for it to finish`), (told = true);
    }
  });
}

export {lockOwner};
