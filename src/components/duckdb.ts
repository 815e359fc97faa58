/**
 * DuckDB-wasm served from the site's own files: SQL over the Arrow aggregates in the browser
 * with no network. Tables are registered from Arrow IPC stream bytes.
 */
import * as duckdb from "@duckdb/duckdb-wasm";

export interface DuckDBAssets {
  /** URL of duckdb-browser-eh.worker.js (a FileAttachment href). */
  worker: string;
  /** URL of duckdb-eh.wasm (a FileAttachment href). */
  wasm: string;
}

/** Starts DuckDB-wasm and loads each named Arrow IPC stream as a table. */
export async function openDuckDB(assets: DuckDBAssets, tables: Record<string, Uint8Array>): Promise<duckdb.AsyncDuckDBConnection> {
  const worker = new Worker(new URL(assets.worker, location.href).href);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL(assets.wasm, location.href).href);
  const conn = await db.connect();
  for (const [name, bytes] of Object.entries(tables)) await conn.insertArrowFromIPCStream(bytes, {name});
  return conn;
}

/** Runs a query and returns plain row objects (BigInts converted to numbers). */
export async function query(conn: duckdb.AsyncDuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const table = await conn.query(sql);
  return table.toArray().map((row: any) => {
    const o: Record<string, unknown> = {};
    for (const f of table.schema.fields) {
      const v = row[f.name];
      o[f.name] = typeof v === "bigint" ? Number(v) : v;
    }
    return o;
  });
}
