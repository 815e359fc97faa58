/**
 * Runs Framework's `observable build` for `npm run build`, its output passed through, with errors
 * caused by the data reported as such: every data loader is preloaded with `loader-preload.mjs`
 * (one line, `error: <input>: <reason>`, instead of a stack trace), and when the build
 * fails after such a line, Framework's generic closing — "Unexpected error: loader exited with
 * code 1", the `--debug` tip and the prompt to file a bug report — is left out, so the data's
 * line ends the output. A failure without one (a bug) keeps Framework's output unchanged.
 */
import {spawn} from "node:child_process";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {pathToFileURL} from "node:url";
import {DATA_ERROR_PREFIX} from "../loaders/errors.ts";

/** Lines of Framework's closing after a failure, matched without colour codes. */
const CLOSING = [/^Unexpected error: loader exited with code \d+/, /^Tip: To see the full stack trace/, /^If you think this is a bug, please file an issue at/, /observablehq\/framework\/issues/];

const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "").trim();

/**
 * Decides line by line which of Framework's stderr lines to print: all of them, except the
 * closing block (and blank lines) once such an `error:` line has been seen.
 */
export class FrameworkErrorFilter {
  private data = false;

  keep(line: string): boolean {
    const p = plain(line);
    if (p.startsWith(DATA_ERROR_PREFIX)) return (this.data = true);
    return !(this.data && (p === "" || CLOSING.some((r) => r.test(p))));
  }
}

/** `NODE_OPTIONS` of the loaders: the given ones plus the preload of `root`'s `scripts/loader-preload.mjs`. */
export function loaderNodeOptions(root: string, current = ""): string {
  return `${current} --import=${pathToFileURL(join(root, "scripts/loader-preload.mjs")).href}`.trim();
}

/**
 * Runs `bin args` in `cwd` with `env` (the preload added), stdout inherited, stderr filtered;
 * SIGINT and SIGTERM to this process reach it. Resolves with the exit code (128 when a signal
 * ended it).
 */
export async function runFramework(root: string, bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(bin, args, {cwd: root, env: {...env, NODE_OPTIONS: loaderNodeOptions(root, env.NODE_OPTIONS)}, stdio: ["inherit", "inherit", "pipe"]});
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward).on("SIGTERM", forward);
  const filter = new FrameworkErrorFilter();
  const lines = createInterface({input: child.stderr!});
  lines.on("line", (line) => {
    if (filter.keep(line)) process.stderr.write(`${line}\n`);
  });
  const [code] = (await Promise.all([new Promise<number>((resolve) => child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)))), new Promise((r) => lines.on("close", r))])) as [number, unknown];
  process.off("SIGINT", forward).off("SIGTERM", forward);
  return code;
}
