// Serves DuckDB-wasm's WebAssembly binary from the site itself (no CDN at run time).
import {createReadStream} from "node:fs";
import {createRequire} from "node:module";
const require = createRequire(import.meta.url);
createReadStream(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm")).pipe(process.stdout);
