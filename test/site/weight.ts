/**
 * A page's first load, as the weight tests measure it: the bytes of the responses to the page's
 * own requests, from navigation until every cell has rendered. DuckDB-wasm's worker and engine
 * (page 01) are left out: they load only when the reader starts DuckDB.
 */
import type {Browser, Page} from "playwright-core";
import {settle, watch} from "./browser.ts";

/** The first-load budget of one page, bytes (5 MB). */
export const FIRST_LOAD_LIMIT = 5_000_000;

/** Requests not counted in the first load: DuckDB-wasm's worker and WebAssembly engine. */
export const EXCLUDED = /\/duckdb\/duckdb-[^/]*\.(wasm|js)$/;

/**
 * Bytes received for `page`'s requests (bodies and headers, by the browser's own accounting), from
 * the moment this is called; `total()` sums them, `largest()` lists the largest for a message.
 */
export function countBytes(page: Page): {total: () => number; largest: () => string; files: () => Map<string, number>} {
  const sizes = new Map<string, number>();
  page.on("requestfinished", async (request) => {
    const url = request.url();
    if (EXCLUDED.test(new URL(url).pathname)) return;
    const {responseBodySize, responseHeadersSize} = await request.sizes();
    sizes.set(url, (sizes.get(url) ?? 0) + Math.max(0, responseBodySize) + Math.max(0, responseHeadersSize));
  });
  return {
    total: () => [...sizes.values()].reduce((a, b) => a + b, 0),
    /** Bytes per data file, named without its content hash (`/_file/data/ch04.json`). */
    files: () => new Map([...sizes].filter(([u]) => new URL(u).pathname.startsWith("/_file/data/")).map(([u, n]) => [new URL(u).pathname.replace(/\.[0-9a-f]{8}\./, "."), n])),
    largest: () =>
      [...sizes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([u, n]) => `${new URL(u).pathname} ${(n / 1e6).toFixed(2)} MB`)
        .join(", ")
  };
}

/** Page `name`'s first load on the site at `origin`: bytes, the largest requests, the time until it settled, its error cells. */
export async function firstLoad(browser: Browser, origin: string, name: string): Promise<{bytes: number; largest: string; files: Map<string, number>; settledMs: number; errorCells: string[]}> {
  const page = await browser.newPage({viewport: {width: 1280, height: 900}});
  try {
    const bytes = countBytes(page);
    const report = watch(page, origin);
    const started = Date.now();
    await page.goto(`${origin}/${name === "index" ? "" : name}`);
    await settle(page, report);
    return {bytes: bytes.total(), largest: bytes.largest(), files: bytes.files(), settledMs: Date.now() - started, errorCells: report.errorCells};
  } finally {
    await page.close();
  }
}
