/**
 * Preloaded (`NODE_OPTIONS=--import`) into the data loaders Framework runs for `npm run build`:
 * a loader stopped by an error that points at the data or the configuration ends with one line
 * on stderr, `error: <input>: <reason>`, and exit code 1, instead of a stack trace. Any
 * other error (a bug) keeps its stack trace. Plain JavaScript, so that it loads before tsx; the
 * rule is `loaders/errors.ts`'s (same names, same prefix).
 */
const DATA_ERROR_NAMES = ["ConfigError", "InputError", "SourceError", "DataError"];

process.on("uncaughtException", (error) => {
  const data = error instanceof Error && DATA_ERROR_NAMES.includes(error.name);
  const line = data ? `error: ${String(error.message).split("\n")[0]}` : error instanceof Error && error.stack ? error.stack : String(error);
  process.stderr.write(`${line}\n`);
  process.exit(1);
});
