/**
 * Where the shared test material lives: `../shared` beside the project root, or the folder named
 * by CVE_SHARED_DIR (for a checkout that does not sit beside it). Tests that use it skip, with a
 * message, when it is absent.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

export const SHARED_DIR = process.env.CVE_SHARED_DIR ?? fileURLToPath(new URL("../../../shared/", import.meta.url));
export const REAL_TRADES = join(SHARED_DIR, "real-trades/");

/** false when the real-trades folder exists, else the skip message naming `what` needs it. */
export function realTradesSkip(what: string): false | string {
  return existsSync(REAL_TRADES) ? false : `${REAL_TRADES} not found (../shared, or set CVE_SHARED_DIR): ${what} needs the shared recordings`;
}
