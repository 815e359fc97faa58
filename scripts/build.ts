/**
 * `npm run build`: builds the static site into dist/ with Observable Framework, first making
 * sure no stale loader output can be served.
 *
 * Framework reruns a data loader only when its cached output is missing. The cache is keyed
 * here by the fingerprint of every input (configuration from the environment, lib/, loaders/,
 * src/data/): when it changed since the cached outputs were made, they are removed so the
 * loaders run again. `--check-only` does just that (used before `npm run dev`).
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {loadConfig} from "../loaders/config.ts";
import {inputsKey, ROOT} from "../loaders/fingerprint.ts";
import {runFramework} from "./framework.ts";

export const CACHE_DIR = join(ROOT, "src/.observablehq/cache");

/**
 * Removes Framework's cached loader outputs from `cacheDir` when the fingerprint of the inputs
 * (configuration read from `env`, kernels, loaders) differs from the one they were made with.
 */
export function invalidateStaleCache(cacheDir = CACHE_DIR, env: Record<string, string | undefined> = process.env): {key: string; cleared: boolean} {
  const keyFile = join(cacheDir, ".inputs-key");
  const key = inputsKey(loadConfig(env));
  const previous = existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : undefined;
  let cleared = previous !== key && previous !== undefined;
  if (previous !== key) {
    if (existsSync(cacheDir))
      for (const name of readdirSync(cacheDir)) {
        if (name.startsWith("_")) continue; // bundled node_modules imports, not loader outputs
        rmSync(join(cacheDir, name), {recursive: true, force: true});
      }
    mkdirSync(cacheDir, {recursive: true});
    writeFileSync(keyFile, key + "\n");
  }
  return {key, cleared};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let result;
  try {
    result = invalidateStaleCache();
  } catch (error) {
    console.error(String((error as Error).message ?? error));
    process.exit(2);
  }
  console.error(`inputs ${result.key.slice(0, 12)}: ${result.cleared ? "changed, cached loader outputs cleared" : "cached loader outputs are current (or none yet)"}`);
  if (!process.argv.includes("--check-only")) {
    const bin = join(ROOT, "node_modules/.bin/observable");
    // Framework runs TypeScript loaders with the `tsx` on PATH: make it the project's own.
    const env = {...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`};
    process.exit(await runFramework(ROOT, bin, ["build"], env));
  }
}
