/**
 * Atomic file writes (re-exported by `loaders/cache.ts`): content goes to a temporary name in
 * the destination folder (`.<name>.<pid>.<random><n>.tmp`), is fsynced, then renamed over the
 * final name — a rename within one folder is atomic on POSIX file systems — and the folder is
 * fsynced; on failure the temporary file is removed. A reader sees no file or a complete one.
 * (This module imports nothing from the formats, so every format module can use it.)
 */
import {randomBytes} from "node:crypto";
import {mkdirSync} from "node:fs";
import {mkdir, open, rename, rm, writeFile} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

let counter = 0;
const token = randomBytes(3).toString("hex");

/** A fresh temporary name beside `path` (same folder, so the final rename is atomic). */
export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${token}${++counter}.tmp`);
}

/** Creates the folder of `path` (and parents). */
export function ensureDirFor(path: string): void {
  mkdirSync(dirname(path), {recursive: true});
}

async function fsyncPath(path: string, flags = "r"): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Fsyncs `tmp`, renames it to `path` and fsyncs the folder (best effort on platforms that refuse). */
export async function commitTemp(tmp: string, path: string): Promise<void> {
  await fsyncPath(tmp, "r+");
  await rename(tmp, path);
  try {
    await fsyncPath(dirname(path));
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  }
}

/** Removes a temporary file, ignoring a missing one. */
export async function discardTemp(tmp: string): Promise<void> {
  await rm(tmp, {force: true});
}

/**
 * Runs `write(tmp)` to produce the content under a temporary name beside `path`, then commits
 * it atomically; on failure removes the temporary file and rethrows. Returns `write`'s result.
 */
export async function atomicWriteWith<T>(path: string, write: (tmp: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(path), {recursive: true});
  const tmp = tempPath(path);
  try {
    const result = await write(tmp);
    await commitTemp(tmp, path);
    return result;
  } catch (error) {
    await discardTemp(tmp);
    throw error;
  }
}

/** Writes `data` to `path` atomically (temporary file, fsync, rename). */
export async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  await atomicWriteWith(path, (tmp) => writeFile(tmp, data));
}
