/**
 * Browser-test support: the site's browser helpers (scripts/browser.ts) plus what only tests
 * need — screenshots, a live preview, sessions shared by the tests of one file.
 */
import {existsSync, mkdirSync} from "node:fs";
import {spawn} from "node:child_process";
import {createServer as createNetServer} from "node:net";
import {join} from "node:path";
import {after, before} from "node:test";
import type {Browser, Page} from "playwright-core";
import {capturing, DIST, launch, ROOT, serveStatic, settle, watch, type PageReport} from "../../scripts/browser.ts";

export {CHROMIUM, CHROMIUM_ARGS, DIST, launch, ROOT, serveStatic, settle, watch, type PageReport} from "../../scripts/browser.ts";
export const SCREENSHOTS = join(ROOT, "test-output/screenshots");

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
