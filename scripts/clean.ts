/**
 * `npm run clean`: removes what builds produce — `dist/`, Framework's loader cache, the derived
 * data of the configured data folder (`CVE_DATA_DIR`, default `data/`), `output/` and
 * `test-output/`. Real and simulated archives (`<dataDir>/raw/`) are kept.
 *
 * It holds the checkout's and the data folder's locks while it works and fails at once, naming the
 * holder, when a build, preview or prune holds either.
 */
import {rmSync} from "node:fs";
import {join} from "node:path";
import {loadConfig, type AnalysisConfig} from "../loaders/config.ts";
import {derivedRoot} from "../loaders/derived.ts";
import {ROOT} from "../loaders/fingerprint.ts";
import {CACHE_DIR, checkoutLock, dataLock, withSiteLock} from "../loaders/site-cache.ts";

/** The folders `npm run clean` removes for `config` in the checkout `root`. */
export function cleanTargets(config: AnalysisConfig, root = ROOT, cacheDir = CACHE_DIR): string[] {
  return [join(root, "dist"), cacheDir, derivedRoot(config.dataDir), join(root, "output"), join(root, "test-output")];
}

/** Removes {@link cleanTargets} holding both locks (no waiting); returns the folders removed. */
export async function clean(config: AnalysisConfig, root = ROOT, cacheDir = CACHE_DIR): Promise<string[]> {
  const options = {command: "clean" as const, wait: false};
  return withSiteLock(checkoutLock(root), options, () =>
    withSiteLock(dataLock(config.dataDir), options, async () => {
      const targets = cleanTargets(config, root, cacheDir);
      for (const t of targets) rmSync(t, {recursive: true, force: true});
      return targets;
    })
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const t of await clean(loadConfig())) process.stderr.write(`clean: removed ${t}\n`);
  } catch (error) {
    console.error(String((error as Error).message ?? error));
    process.exitCode = 2;
  }
}
