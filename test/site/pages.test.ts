// Opens every built page in headless Chromium from a loopback server and fails on any console
// error, error cell, failed or off-host request, or missing plot. Screenshots go to
// test-output/screenshots/ (git-ignored).
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, test} from "node:test";
import type {Browser} from "playwright-core";
import {DIST, launch, screenshot, serveStatic, settle, watch} from "./browser.ts";

const pages = readdirSync(DIST)
  .filter((f) => f.endsWith(".html") && f !== "404.html")
  .map((f) => f.replace(/\.html$/, ""))
  .sort();
const manifest = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => /^manifest\.[0-9a-f]+\.json$/.test(f))!), "utf8"));

let browser: Browser;
let origin: string;
let close: () => void;
before(async () => {
  const s = await serveStatic(DIST);
  origin = s.origin;
  close = () => s.server.close();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  close?.();
});

test("the built site has a home page and every chapter listed in the navigation", () => {
  assert.ok(pages.includes("index"), `pages: ${pages.join(", ")}`);
  const home = readFileSync(join(DIST, "index.html"), "utf8");
  for (const p of pages.filter((p) => p !== "index")) assert.ok(home.includes(`./${p}`), `navigation lacks ${p}`);
});

for (const name of pages) {
  test(`page ${name} renders every cell with no error, no off-host request and its plots`, async () => {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    const report = watch(page, origin);
    await page.goto(`${origin}/${name === "index" ? "" : name}`);
    await settle(page, report);
    // A full-page screenshot resizes the viewport for a moment and Framework re-renders on resize:
    // judge the page as a reader sees it, before the screenshot.
    const seen = structuredClone(report);
    await screenshot(page, name);
    const banner = await page.$eval(".data-banner", (el) => ({source: (el as HTMLElement).dataset.source, text: el.textContent ?? ""}));
    await page.close();
    assert.deepEqual(seen.errorCells, [], "error cells");
    assert.deepEqual(seen.pageErrors, [], "page errors");
    assert.deepEqual(seen.consoleErrors, [], "console errors");
    assert.deepEqual(seen.failedRequests, [], "failed requests");
    assert.deepEqual(report.offHostRequests, [], "off-host requests");
    assert.ok(seen.plots > 0, "no plot rendered");
    assert.equal(banner.source, manifest.source, "the banner names the data source of this build");
    if (manifest.source === "simulated") assert.match(banner.text, /Simulated data/);
  });
}
