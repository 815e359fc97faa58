// Serves DuckDB-wasm's web worker from the site itself (no CDN at run time).
import {createReadStream} from "node:fs";
import {createRequire} from "node:module";
const require = createRequire(import.meta.url);
createReadStream(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js")).pipe(process.stdout);
