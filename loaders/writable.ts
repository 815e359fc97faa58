/**
 * Creating the folders a build writes, with an error that says what is wrong when it cannot:
 * Node's recursive `mkdir` under a read-only folder can report `ENOENT` (the missing folder, not
 * the read-only one); this names the folder that cannot be written and what to do.
 */
import {accessSync, constants, existsSync, mkdirSync} from "node:fs";
import {dirname, resolve} from "node:path";
import {DataError} from "./quality.ts";

/** The nearest existing folder at or above `dir`. */
export function nearestExisting(dir: string): string {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Whether the current process may create entries in `dir`. */
function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The error for a folder `dir` that could not be created (`error` from `mkdir`): a `DataError`
 * naming the read-only folder and the `CVE_DATA_DIR` way out when permissions are the cause
 * (`EACCES`, `EPERM`, `EROFS`, or `ENOENT` under a folder that is not writable); else `error`.
 */
export function dirError(dir: string, error: unknown, isWritable: (d: string) => boolean = writable): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const base = nearestExisting(dir);
  const denied = code === "EACCES" || code === "EPERM" || code === "EROFS" || (code === "ENOENT" && !isWritable(base));
  if (!denied) return error;
  return new DataError(`permission denied: cannot create ${dir}: ${base} is not writable (${code}${code === "EROFS" ? ", a read-only file system" : ""}); make it writable or set CVE_DATA_DIR to a writable folder`);
}

/** `mkdir -p dir`, throwing {@link dirError}'s message when permissions forbid it. */
export function makeDir(dir: string): void {
  try {
    mkdirSync(dir, {recursive: true});
  } catch (error) {
    throw dirError(dir, error);
  }
}
