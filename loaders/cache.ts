/**
 * The raw-archive cache and atomic file writes.
 *
 * Layout (see docs/data.md):
 * - real archives: `<dataDir>/raw/<venue>/<exchange file name>`, exactly as the venue serves them;
 * - simulated archives: `<dataDir>/raw/simulated/<simKey>/<venue>/<same file names>`.
 *
 * Every path is built from validated components only — venue from `VENUES`, day `YYYY-MM-DD`
 * (a real calendar date), symbol `/^[A-Z0-9-]{1,20}$/`, simulation key `/^[A-Za-z0-9_-]{1,64}$/`,
 * file names of letters, digits, `.`, `_`, `-` without separators or `..` — and is checked to
 * resolve inside the cache root, so no date, symbol or file-name string can make a write land
 * outside it.
 *
 * Writes are atomic: content goes to a temporary name in the destination folder
 * (`.<name>.<pid>.<n>.tmp`), is fsynced, then renamed over the final name (rename within one
 * folder is atomic on POSIX file systems), and the folder is fsynced; on any failure the
 * temporary file is removed. A reader therefore sees either no file or a complete one.
 */
import {stat} from "node:fs/promises";
import {dirname, isAbsolute, join, relative, resolve, sep} from "node:path";
import {VENUES, type Venue} from "./config.ts";
import {dayStart} from "./formats/batch.ts";
import {archiveFormat} from "./formats/index.ts";

/** Raised when a cache path component is invalid; names the component and value. */
export class CachePathError extends RangeError {
  override name = "CachePathError";
}

const SYMBOL = /^[A-Z0-9-]{1,20}$/;
const SIM_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const FILE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Returns `venue` if it is one of `VENUES`; else throws {@link CachePathError}. */
export function checkVenue(venue: string): Venue {
  if (!(VENUES as readonly string[]).includes(venue)) throw new CachePathError(`invalid venue: ${JSON.stringify(venue)} (known: ${VENUES.join(", ")})`);
  return venue as Venue;
}

/** Returns `day` if it is a real `YYYY-MM-DD` date; else throws {@link CachePathError}. */
export function checkDay(day: string): string {
  try {
    dayStart(day);
  } catch {
    throw new CachePathError(`invalid day: ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
  }
  return day;
}

/** Returns `symbol` if it matches `/^[A-Z0-9-]{1,20}$/`; else throws {@link CachePathError}. */
export function checkSymbol(symbol: string): string {
  if (typeof symbol !== "string" || !SYMBOL.test(symbol)) throw new CachePathError(`invalid symbol: ${JSON.stringify(symbol)}`);
  return symbol;
}

/** Returns `name` if it is a plain file name (no separator, no `..`, no leading dot); else throws. */
export function checkFileName(name: string): string {
  if (typeof name !== "string" || !FILE.test(name) || name.includes("..")) throw new CachePathError(`invalid file name: ${JSON.stringify(name)}`);
  return name;
}

/** Returns `key` if it is a valid simulation key; else throws {@link CachePathError}. */
export function checkSimKey(key: string): string {
  if (typeof key !== "string" || !SIM_KEY.test(key)) throw new CachePathError(`invalid simulation key: ${JSON.stringify(key)}`);
  return key;
}

/** Where a cache lives: the data root, and a simulation key for simulated archives. */
export interface CacheLocation {
  /** The data directory (`config.dataDir`); the cache is `<root>/raw/`. */
  root: string;
  /** Simulation key: archives under `raw/simulated/<simKey>/` instead of the real `raw/`. */
  simKey?: string;
}

function inside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === "" || (r.split(sep)[0] !== ".." && !isAbsolute(r));
}

/** The cache root `<root>/raw`, resolved. */
export function cacheRoot(root: string): string {
  if (typeof root !== "string" || root === "") throw new CachePathError(`invalid data directory: ${JSON.stringify(root)}`);
  return resolve(root, "raw");
}

/** The folder of a venue's archives: `<root>/raw/<venue>` or `<root>/raw/simulated/<simKey>/<venue>`. */
export function venueDir(venue: string, loc: CacheLocation): string {
  const base = cacheRoot(loc.root);
  const dir = loc.simKey === undefined ? join(base, checkVenue(venue)) : join(base, "simulated", checkSimKey(loc.simKey), checkVenue(venue));
  if (!inside(base, dir)) throw new CachePathError(`path escapes the cache: ${dir}`);
  return dir;
}

/** The path of one archive file in a venue's folder. */
export function archivePath(venue: string, file: string, loc: CacheLocation): string {
  const dir = venueDir(venue, loc);
  const p = join(dir, checkFileName(file));
  if (dirname(p) !== dir || !inside(cacheRoot(loc.root), p)) throw new CachePathError(`path escapes the cache: ${p}`);
  return p;
}

/** The archive files (absolute paths) whose union covers UTC day `day` for `venue`. */
export function dayPaths(venue: string, day: string, symbol: string, loc: CacheLocation): string[] {
  const v = checkVenue(venue);
  return archiveFormat(v).filesForDay(checkDay(day), checkSymbol(symbol)).map((f) => archivePath(v, f, loc));
}

/** Whether every archive file of (venue, day) is present and non-empty in the cache. */
export async function hasDay(venue: string, day: string, symbol: string, root: string | CacheLocation): Promise<boolean> {
  const loc = typeof root === "string" ? {root} : root;
  for (const p of dayPaths(venue, day, symbol, loc)) {
    try {
      const s = await stat(p);
      if (!s.isFile() || s.size === 0) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export {atomicWrite, atomicWriteWith, commitTemp, discardTemp, ensureDirFor, tempPath} from "./formats/atomic.ts";
