/**
 * Browser-test support: serve a folder on 127.0.0.1 and drive Debian's Chromium with
 * playwright-core. Every page is checked for console errors, cells rendered as errors,
 * failed or off-host requests, and plots that did not render; a screenshot is saved.
 */
import {createReadStream, existsSync, mkdirSync, statSync} from "node:fs";
import {spawn} from "node:child_process";
import {createServer, type Server} from "node:http";
import {createServer as createNetServer} from "node:net";
import {extname, join, normalize} from "node:path";
import {after, before} from "node:test";
import {chromium, type Browser, type Page} from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const DIST = join(ROOT, "dist");
export const SCREENSHOTS = join(ROOT, "test-output/screenshots");

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

/** A static file server for `dir` on 127.0.0.1 (clean URLs map to .html), on a free port. */
export async function serveStatic(dir: string): Promise<{server: Server; origin: string}> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(dir)) return void res.writeHead(403).end();
    const candidates = [path, `${path}.html`, join(path, "index.html")];
    path = candidates.find((p) => existsSync(p) && statSync(p).isFile()) ?? "";
    if (!path) return void res.writeHead(404).end("not found");
    res.writeHead(200, {"content-type": TYPES[extname(path)] ?? "application/octet-stream"});
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
const capturing = new WeakSet<Page>();

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

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, {recursive: true});
  const path = join(SCREENSHOTS, `${name}.png`);
  capturing.add(page);
  try {
    await page.screenshot({path, fullPage: true});
    await page.waitForTimeout(500); // let the re-render for the restored viewport finish
  } finally {
    capturing.delete(page);
  }
  return path;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as {port: number}).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts Framework's live preview (`npm run dev`) on a free loopback port; resolves once it listens. */
export async function startPreview(): Promise<{origin: string; stop: () => void; output: () => string}> {
  const port = await freePort();
  // Framework runs TypeScript loaders with the tsx on PATH, as under `npm run dev`.
  const env = {...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`};
  const child = spawn(join(ROOT, "node_modules/.bin/observable"), ["preview", "--no-open", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"]
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  for (let i = 0; i < 150 && !output.includes(`${port}`); ++i) await new Promise((r) => setTimeout(r, 200));
  if (!output.includes(`${port}`)) {
    child.kill();
    throw new Error(`preview server did not start:\n${output}`);
  }
  return {origin: `http://127.0.0.1:${port}`, stop: () => child.kill(), output: () => output};
}

/**
 * Where to open `page` (a built page name such as "03-information-flow"): the server named by
 * CVE_SITE_ORIGIN when set, else dist/ served on loopback when it has the page, else a live preview.
 */
export async function siteFor(page: string): Promise<{origin: string; stop: () => void}> {
  const named = process.env.CVE_SITE_ORIGIN;
  if (named) return {origin: named.replace(/\/$/, ""), stop: () => {}};
  if (existsSync(join(DIST, `${page}.html`))) {
    const s = await serveStatic(DIST);
    return {origin: s.origin, stop: () => s.server.close()};
  }
  return startPreview();
}

/**
 * Registers `before`/`after` hooks that open `page`'s site ({@link siteFor}) and a browser, and
 * close both; the returned session is filled in once the `before` hook has run.
 */
export function siteSession(page: string): {browser: Browser; origin: string} {
  const session = {} as {browser: Browser; origin: string};
  let stop = () => {};
  before(async () => {
    const site = await siteFor(page);
    session.origin = site.origin;
    stop = site.stop;
    session.browser = await launch();
  });
  after(async () => {
    await session.browser?.close();
    stop();
  });
  return session;
}

/**
 * The built site for a test file: before its tests, dist/ is served from loopback and a browser
 * launched — only when dist/ has `file` (`built`), so that each test can fail with `missing`
 * rather than start a preview — and both are stopped after them.
 */
export function builtSession(file: string): {browser: Browser | undefined; origin: string; built: boolean; missing: string} {
  const path = join(DIST, file);
  const session = {browser: undefined as Browser | undefined, origin: "", built: existsSync(path), missing: `${path} does not exist: build the site first (npm run build)`};
  let stop = () => {};
  before(async () => {
    if (!session.built) return;
    const s = await serveStatic(DIST);
    session.origin = s.origin;
    stop = () => s.server.close();
    session.browser = await launch();
  });
  after(async () => {
    await session.browser?.close();
    stop();
  });
  return session;
}

/**
 * The page `name` of a session's site, opened, settled and screenshotted (as `shot`) on the first
 * call and shared by the file's later calls.
 */
export function sharedPage(site: {browser?: Browser; origin: string}, name: string, shot: string): () => Promise<{page: Page; report: PageReport}> {
  let opened: Promise<{page: Page; report: PageReport}> | undefined;
  return () =>
    (opened ??= (async () => {
      const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
      const report = watch(page, site.origin);
      await page.goto(`${site.origin}/${name}`, {timeout: 900_000});
      await settle(page, report, 900_000);
      await screenshot(page, shot);
      return {page, report};
    })());
}
