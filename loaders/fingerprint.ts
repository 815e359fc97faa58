/**
 * Fingerprints of what produced the data: the analysis configuration and the source code of
 * the kernels and loaders. A loader output is valid only for the fingerprint it was made with,
 * so editing `lib/`, `loaders/`, a loader entry point or the configuration never serves stale data.
 */
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {fileURLToPath} from "node:url";
import type {AnalysisConfig} from "./config.ts";
import type {ResolvedSource} from "./source-resolve.ts";

/** The project root (the folder that holds `lib/` and `loaders/`). */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, {withFileTypes: true});
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...listFiles(p));
    else if (e.isFile()) files.push(p);
  }
  return files;
}

/**
 * sha256 over the relative path and bytes of every file below `dirs` (relative to the root),
 * in sorted order, followed by `extra`. Hex string.
 */
export function hashSources(dirs: string[], extra = "", root = ROOT): string {
  const hash = createHash("sha256");
  const files = dirs.flatMap((d) => listFiles(join(root, d))).sort();
  for (const f of files) {
    hash.update(relative(root, f));
    hash.update("\0");
    hash.update(readFileSync(f));
    hash.update("\0");
  }
  hash.update(extra);
  return hash.digest("hex");
}

/** The configuration as canonical JSON (keys sorted), for hashing. */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v
  );
}

/**
 * The fingerprint of every input of the site's data: configuration, kernels, loaders, loader
 * entry points, and the resolved source — which source `auto` chose, the simulated set's key or
 * the real archives' names, sizes and content hashes.
 */
export function inputsKey(config: AnalysisConfig, resolved: Pick<ResolvedSource, "source" | "simKey" | "archives">): string {
  const source = {source: resolved.source, simKey: resolved.simKey ?? null, archives: resolved.archives ?? null};
  return hashSources(["lib", "loaders", "src/data", "src/duckdb"], canonicalJSON({config, source}));
}

/** Newest modification time among files below `dirs` (ms), for diagnostics. */
export function newestMtime(dirs: string[], root = ROOT): number {
  return Math.max(0, ...dirs.flatMap((d) => listFiles(join(root, d))).map((f) => statSync(f).mtimeMs));
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/**
 * The project files that `entries` import, transitively (relative specifiers only; `.js`
 * specifiers resolve to the `.ts` source), sorted. Packages in node_modules are not followed:
 * their versions are pinned by the lock file.
 */
export function moduleGraph(entries: string[], root = ROOT): string[] {
  const seen = new Set<string>();
  const stack = entries.map((e) => join(root, e));
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith(".")) continue;
      const base = join(file, "..", spec);
      const candidates = [base, base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")];
      const found = candidates.find((c) => {
        try {
          return statSync(c).isFile();
        } catch {
          return false;
        }
      });
      if (found) stack.push(found);
    }
  }
  return [...seen].map((f) => relative(root, f)).sort();
}

/** sha256 over the path and bytes of every file in the import graph of `entries`, then `extra`. */
export function hashModuleGraph(entries: string[], extra = "", root = ROOT): string {
  const hash = createHash("sha256");
  for (const f of moduleGraph(entries, root)) {
    hash.update(f);
    hash.update("\0");
    hash.update(readFileSync(join(root, f)));
    hash.update("\0");
  }
  hash.update(extra);
  return hash.digest("hex");
}
