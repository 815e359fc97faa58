/**
 * `npm run build`: builds the static site into dist/ with Observable Framework, making sure no
 * stale or foreign loader output can be served and that dist/ is only ever a complete site.
 *
 * 1. It takes the checkout's lock and the data folder's lock (`loaders/site-cache.ts`): another
 *    build is waited for; a running preview (`npm run dev`) makes it fail at once, naming it.
 * 2. It resolves the source (downloading missing real archives when allowed) and keys Framework's
 *    loader cache by every input — configuration, code, resolved source, archive contents —
 *    clearing the cache when it was made for other inputs.
 * 3. Framework builds into a temporary folder `.dist-build-<pid>/`; only when it succeeds, and the
 *    cache's key is still this build's, is that folder swapped in as dist/. A failed or killed
 *    build leaves the previous dist/ as it was (the next build removes the leftovers).
 *
 * `--check-only` does steps 1–2 and stops. `--preview` (used by `npm run dev`) does them, then runs
 * `observable preview` holding the checkout's lock until it exits; other arguments go to Framework.
 * Timings of the build-time chapters go to this log (stderr), never into the site.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {configSpan, loadConfig} from "../loaders/config.ts";
import {ROOT} from "../loaders/fingerprint.ts";
import {cacheKey, CACHE_DIR, checkoutLock, dataLock, invalidateStaleCache, siteKey, withSiteLock} from "../loaders/site-cache.ts";
import {runFramework as runObservable} from "./framework.ts";

export {invalidateStaleCache} from "../loaders/site-cache.ts";

/**
 * The published site: `dist/`, or the folder `CVE_DIST` names (relative to the checkout), so that
 * a build of other inputs — a real-data edition from `CVE_INPUTS`, say — does not replace the
 * default site. Framework still writes into a temporary folder beside it first.
 */
export const DIST = process.env.CVE_DIST ? resolve(ROOT, process.env.CVE_DIST) : join(ROOT, "dist");

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Raised when a build's outputs cannot be published; names the reason. */
export class PublishError extends Error {
  override name = "PublishError";
}

/**
 * Removes what killed builds left beside `dist` (call holding the checkout's lock): temporary
 * build folders `.dist-build-*`, and a previous site `.dist-old-*` — put back as `dist` when a
 * build died between its two renames and `dist` is missing.
 */
export function recoverDist(dist = DIST): void {
  const parent = join(dist, "..");
  mkdirSync(parent, {recursive: true});
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (name.startsWith(".dist-build-")) rmSync(path, {recursive: true, force: true});
    else if (name.startsWith(".dist-old-")) {
      if (!existsSync(dist)) renameSync(path, dist);
      else rmSync(path, {recursive: true, force: true});
    }
  }
}

/**
 * Runs `build(tmp)` — which writes a complete site into the folder `tmp` (beside `dist`) and
 * resolves to an exit status — and swaps `tmp` in as `dist` only when it returns 0 and `check()`
 * (run after the build) does not throw. On failure `tmp` is removed and `dist` is untouched.
 * Returns the build's exit status.
 */
export async function replaceDist(build: (tmp: string) => Promise<number>, dist = DIST, check: () => void = () => {}): Promise<number> {
  recoverDist(dist);
  const parent = join(dist, "..");
  const tmp = join(parent, `.dist-build-${process.pid}`);
  let status: number;
  try {
    status = await build(tmp);
    if (status === 0) {
      if (!existsSync(join(tmp, "index.html"))) throw new PublishError(`${tmp}: the build exited 0 but wrote no index.html; dist/ left as it was`);
      check();
    }
  } catch (error) {
    rmSync(tmp, {recursive: true, force: true});
    throw error;
  }
  if (status !== 0) {
    rmSync(tmp, {recursive: true, force: true});
    return status;
  }
  const old = join(parent, `.dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(tmp, dist);
  rmSync(old, {recursive: true, force: true});
  return 0;
}

/**
 * `"lastModified":<ms>` of every file attachment registered in a page's HTML, set to `time`.
 * Framework stamps each attachment with the modification time of its cached loader output, which
 * is the moment the loader ran: two builds of the same inputs would publish different pages. The
 * build stamps them with the end of the analysed span instead (the data's own time), so that the
 * same inputs give a byte-identical dist/. Pure text edit; returns the new HTML.
 */
export function stampLastModified(html: string, time: number): string {
  return html.replace(/"lastModified":\d+/g, `"lastModified":${Math.round(time)}`);
}

/** Applies {@link stampLastModified} to every `.html` file under `dir`. */
export function stampFileTimes(dir: string, time: number): void {
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const html = readFileSync(path, "utf8");
    const stamped = stampLastModified(html, time);
    if (stamped !== html) writeFileSync(path, stamped);
  }
}

/**
 * Runs `node_modules/.bin/observable <args>` in the root with the loaders' preload and Framework's
 * stderr filtered (scripts/framework.ts: a data error ends the output with its one line); resolves
 * to its exit status.
 */
function runFramework(args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  // Framework runs TypeScript loaders with the `tsx` on PATH: make it the project's own.
  const env = {...process.env, ...extraEnv, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`};
  return runObservable(ROOT, join(ROOT, "node_modules/.bin/observable"), args, env);
}

/** `npm run build` / `npm run dev` (see the module comment); resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const preview = argv.includes("--preview");
  const checkOnly = argv.includes("--check-only");
  const command = preview ? "preview" : "build";
  const keyCache = async () => {
    const {key, resolved} = await siteKey(config, log);
    const {cleared} = invalidateStaleCache(CACHE_DIR, key);
    log(`inputs ${key.slice(0, 12)} (${resolved.source}): ${cleared ? "changed, cached loader outputs cleared" : "cached loader outputs are current (or none yet)"}`);
    return key;
  };
  return withSiteLock(checkoutLock(), {command, log}, async () => {
    if (preview) {
      await keyCache();
      return runFramework(["preview", ...argv.filter((a) => a !== "--preview")]);
    }
    return withSiteLock(dataLock(config.dataDir), {command, log}, async () => {
      const key = await keyCache();
      if (checkOnly) return 0;
      const check = () => {
        if (cacheKey(CACHE_DIR) !== key) throw new PublishError(`${CACHE_DIR}: its key changed during the build (another process used this checkout's cache); dist/ left as it was`);
      };
      const stamp = configSpan(config)[1];
      const build = async (tmp: string) => {
        const status = await runFramework(["build"], {CVE_BUILD_OUTPUT: tmp});
        if (status === 0) stampFileTimes(tmp, stamp);
        return status;
      };
      const status = await replaceDist(build, DIST, check);
      if (status !== 0) log(`build failed (exit ${status}); dist/ left as it was`);
      return status;
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(String((error as Error).message ?? error));
    process.exitCode = 2;
  }
}
