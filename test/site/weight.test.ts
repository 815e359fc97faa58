// Every built page's first load stays small whatever the span: the bytes of the responses to the
// page's own requests, from navigation until every cell has rendered, are at most FIRST_LOAD_LIMIT.
// DuckDB-wasm's worker and engine (page 01) are left out: they load only when the reader starts
// DuckDB. Detail (100 ms flow, 1 s bins, trade samples) is fetched when the reader asks for it.
// The time to interactive is recorded here (test diagnostics) and checked by `npm run bench`.
import assert from "node:assert/strict";
import {readdirSync} from "node:fs";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {builtSession, DIST, settle, watch} from "./browser.ts";

/** The first-load budget of one page, bytes (5 MB). */
export const FIRST_LOAD_LIMIT = 5_000_000;

/** Requests not counted in the first load: DuckDB-wasm's worker and WebAssembly engine. */
export const EXCLUDED = /\/duckdb\/duckdb-[^/]*\.(wasm|js)$/;

/**
 * Bytes received for `page`'s requests (bodies, by the browser's own accounting), from the moment
 * this is called; `total()` sums them, `urls()` lists the largest for a failure message.
 */
export function countBytes(page: Page): {total: () => number; largest: () => string} {
  const sizes = new Map<string, number>();
  page.on("requestfinished", async (request) => {
    const url = request.url();
    if (EXCLUDED.test(new URL(url).pathname)) return;
    const {responseBodySize, responseHeadersSize} = await request.sizes();
    sizes.set(url, (sizes.get(url) ?? 0) + Math.max(0, responseBodySize) + Math.max(0, responseHeadersSize));
  });
  return {
    total: () => [...sizes.values()].reduce((a, b) => a + b, 0),
    largest: () =>
      [...sizes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([u, n]) => `${new URL(u).pathname} ${(n / 1e6).toFixed(2)} MB`)
        .join(", ")
  };
}

const pages = readdirSync(DIST)
  .filter((f) => f.endsWith(".html") && f !== "404.html")
  .map((f) => f.replace(/\.html$/, ""))
  .sort();

const site = builtSession("index.html");

for (const name of pages) {
  test(`page ${name}'s first load transfers at most 5 MB`, async (t) => {
    const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
    const bytes = countBytes(page);
    const report = watch(page, site.origin);
    const started = Date.now();
    await page.goto(`${site.origin}/${name === "index" ? "" : name}`);
    await settle(page, report);
    const settledMs = Date.now() - started;
    await page.close();
    t.diagnostic(`${name}: ${(bytes.total() / 1e6).toFixed(2)} MB on first load, settled after ${settledMs} ms (${bytes.largest()})`);
    assert.deepEqual(report.errorCells, [], "error cells");
    assert.ok(bytes.total() > 0, "no request counted");
    assert.ok(bytes.total() <= FIRST_LOAD_LIMIT, `${name} transfers ${(bytes.total() / 1e6).toFixed(2)} MB on first load (limit 5 MB); largest: ${bytes.largest()}`);
  });
}
