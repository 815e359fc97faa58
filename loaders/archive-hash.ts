/**
 * Content hashes of real archives, for the keys of the derived data and of Framework's loader
 * cache: a replaced archive — even one of the same size and name — gives new keys.
 *
 * Hashing a day's archives takes seconds, and every loader process resolves the source, so each
 * hash is computed once and remembered in `<dataDir>/raw/.hashes.json`, keyed by the archive's
 * path (relative to `raw/`), size, modification time and status-change time. Any write to a file
 * changes its times, so a changed archive is hashed again. The cache file is written atomically;
 * when it cannot be written (a read-only data folder) the hashes are simply recomputed next time.
 */
import {createHash} from "node:crypto";
import {closeSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {cacheRoot} from "./cache.ts";

/** One remembered hash: the file's identity when it was hashed, and its sha256 (hex). */
export interface HashEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256: string;
}

/** `<dataDir>/raw/.hashes.json`. */
export function hashCachePath(dataDir: string): string {
  return join(cacheRoot(dataDir), ".hashes.json");
}

/** sha256 (hex) of the bytes of `path`, read in 4 MiB chunks. */
export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(path, "r");
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

function readCache(file: string): Record<string, HashEntry> {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {}; // absent or unreadable: every hash is recomputed
  }
}

function writeCache(file: string, entries: Record<string, HashEntry>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entries, null, 1) + "\n");
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, {force: true}); // read-only data folder: the hashes are recomputed next time
  }
}

/**
 * The sha256 of each archive in `paths` (absolute paths under `<dataDir>/raw/`), in the same
 * order: taken from the hash cache when the file's size and times are those it was hashed with,
 * otherwise computed and remembered. `stats.hashed` counts the files read.
 */
export function archiveHashes(dataDir: string, paths: readonly string[], stats: {hashed: number} = {hashed: 0}): string[] {
  const file = hashCachePath(dataDir);
  const root = cacheRoot(dataDir);
  const cache = readCache(file);
  let changed = false;
  const hashes = paths.map((p) => {
    const s = statSync(p);
    const name = relative(root, p);
    const e = cache[name];
    if (e && e.size === s.size && e.mtimeMs === s.mtimeMs && e.ctimeMs === s.ctimeMs && typeof e.sha256 === "string") return e.sha256;
    const sha256 = sha256File(p);
    ++stats.hashed;
    cache[name] = {size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, sha256};
    changed = true;
    return sha256;
  });
  if (changed) writeCache(file, cache);
  return hashes;
}
