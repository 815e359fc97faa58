/**
 * The site in a browser: serve a folder on 127.0.0.1 and drive Debian's Chromium with
 * playwright-core, watching a page for console errors, cells rendered as errors, failed or
 * off-host requests, and plots. Used by the report's printer, the browser benchmark and the
 * browser tests.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {extname, join, normalize} from "node:path";
import {chromium, type Browser, type Page} from "playwright-core";

export const ROOT = new URL("../", import.meta.url).pathname;
export const DIST = join(ROOT, "dist");

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run"
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv"
};

/** A static file server for `dir` on 127.0.0.1 (clean URLs map to .html, single byte ranges answered with 206), on a free port. */
export async function serveStatic(dir: string): Promise<{server: Server; origin: string}> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(dir)) return void res.writeHead(403).end();
    const candidates = [path, `${path}.html`, join(path, "index.html")];
    path = candidates.find((p) => existsSync(p) && statSync(p).isFile()) ?? "";
    if (!path) return void res.writeHead(404).end("not found");
    const type = TYPES[extname(path)] ?? "application/octet-stream";
    // Byte ranges (one "bytes=a-b" range), as static hosts serve them: pages fetch detail chunks so.
    const size = statSync(path).size;
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (range && (range[1] !== "" || range[2] !== "")) {
      const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
      const end = range[1] === "" || range[2] === "" ? size - 1 : Math.min(size - 1, Number(range[2]));
      if (start > end || start >= size) return void res.writeHead(416, {"content-range": `bytes */${size}`}).end();
      res.writeHead(206, {"content-type": type, "content-range": `bytes ${start}-${end}/${size}`, "content-length": end - start + 1, "accept-ranges": "bytes"});
      return void createReadStream(path, {start, end}).pipe(res);
    }
    res.writeHead(200, {"content-type": type, "content-length": size, "accept-ranges": "bytes"});
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return {server, origin: `http://127.0.0.1:${address.port}`};
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package "chromium" (apt-get install chromium)`);
  // playwright gives every launch a fresh, empty profile directory of its own.
  return chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true});
}

export interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  offHostRequests: string[];
  errorCells: string[];
  plots: number;
}

/**
 * Pages being captured by {@link screenshot}: a full-page screenshot resizes the viewport for a
 * moment, Framework re-renders every chart for the transient width, and what that prints is an
 * artefact of the capture, not of the page a reader sees.
 */
export const capturing = new WeakSet<Page>();

/** Watches a page for errors and off-host traffic; call before navigation. */
export function watch(page: Page, origin: string): PageReport {
  const report: PageReport = {consoleErrors: [], pageErrors: [], failedRequests: [], offHostRequests: [], errorCells: [], plots: 0};
  page.on("console", (m) => {
    if (m.type() === "error" && !capturing.has(page)) report.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (!capturing.has(page)) report.pageErrors.push(String(e));
  });
  page.on("requestfailed", (r) => report.failedRequests.push(`${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) report.failedRequests.push(`${r.url()} (HTTP ${r.status()})`);
  });
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) report.offHostRequests.push(url);
  });
  return report;
}

/** Waits until Framework has no cell left loading, then counts error cells and plots. */
export async function settle(page: Page, report: PageReport, timeoutMs = 60_000): Promise<void> {
  await page.waitForLoadState("networkidle", {timeout: timeoutMs});
  await page.waitForFunction(() => document.querySelectorAll(".observablehq--loading, .observablehq--pending").length === 0, null, {
    timeout: timeoutMs
  });
  await page.waitForTimeout(300);
  report.errorCells = await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent ?? ""));
  report.plots = await page.$$eval("svg[class^='plot'], figure svg, .plot svg", (els) => els.length);
}
