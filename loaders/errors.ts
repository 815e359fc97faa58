/**
 * Errors caused by the data or the configuration, as opposed to bugs, and their one-line form.
 *
 * Recognised by name, which survives worker threads (`task-pool.ts` keeps it): `ConfigError` (a
 * setting), `InputError` (a file: path, line, reason), `SourceError` (archives missing or not
 * downloadable), `DataError` (quality limits, too few venues, a folder that cannot be written).
 * `scripts/loader-preload.mjs` applies the same rule inside the loaders Framework runs.
 */

/** Names of the errors that point at the data or the configuration. */
export const DATA_ERROR_NAMES: readonly string[] = ["ConfigError", "InputError", "SourceError", "DataError"];

/** What the one line starts with. */
export const DATA_ERROR_PREFIX = "error: ";

/** Whether `error` points at the data or the configuration. */
export function isDataError(error: unknown): error is Error {
  return error instanceof Error && DATA_ERROR_NAMES.includes(error.name);
}

/** `error: <first line of the message>` for a data or configuration error; undefined for any other. */
export function dataErrorLine(error: unknown): string | undefined {
  if (!isDataError(error)) return undefined;
  return DATA_ERROR_PREFIX + String(error.message).split("\n")[0];
}

/**
 * Runs `main` (a command's body); a data or configuration error ends the process with its one
 * line on stderr and exit code `code`, no stack trace; any other error is rethrown.
 */
export async function runMain(main: () => Promise<void> | void, code = 2): Promise<void> {
  try {
    await main();
  } catch (error) {
    const line = dataErrorLine(error);
    if (line === undefined) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(code);
  }
}
