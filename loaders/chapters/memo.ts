/**
 * Memoised chapter results. A chapter's build-time computation is a pure function of the derived
 * data (its folder is keyed by configuration and pipeline sources) and of the chapter module's own
 * import graph; its JSON result is stored beside the derived data under that key, so the chapter's
 * loader, the synthesis and the report share one computation per build.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {DEFAULTS, loadConfig} from "../config.ts";
import {canonicalJSON, hashModuleGraph} from "../fingerprint.ts";
import {startHeartbeat} from "./heartbeat.ts";

/** The analysis configuration of the environment, without `quality` (which does not change a chapter's results). */
function analysisConfig(): string {
  const {quality: _q, ...config} = loadConfig();
  return canonicalJSON(config);
}

/**
 * Returns the stored result of `compute` for (`dir`, `module`, `extra`), computing and storing it
 * atomically on first use. `module` is the chapter module's path relative to the project root
 * (e.g. "loaders/chapters/ch03.ts"), or several whose import graphs together hold every source the
 * computation runs (the result is named after the first); `extra` is whatever else the result depends on, by default
 * the analysis configuration of the environment (windows and surrogates do not enter the derived
 * data's key, but they do change a chapter's results). While it computes, a line on stderr every
 * minute says so (with the surrogates per test when above the default).
 */
export async function memoChapter<T>(dir: string, module: string | readonly string[], compute: () => T | Promise<T>, extra = analysisConfig()): Promise<T> {
  const modules = typeof module === "string" ? [module] : [...module];
  const key = hashModuleGraph(modules, extra).slice(0, 16);
  const name = modules[0].replace(/^.*\//, "").replace(/\.ts$/, "");
  const folder = join(dir, "chapters");
  const file = join(folder, `${name}-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as T;
  const surrogates = loadConfig().surrogates;
  const stop = startHeartbeat(`chapter ${name}`, {note: surrogates > DEFAULTS.surrogates ? ` (${surrogates.toLocaleString("en-US")} surrogates per test, ${(surrogates / DEFAULTS.surrogates).toFixed(1)}× the default ${DEFAULTS.surrogates})` : ""});
  let result: T;
  try {
    result = await compute();
  } finally {
    await stop();
  }
  mkdirSync(folder, {recursive: true});
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, file);
  return result;
}
