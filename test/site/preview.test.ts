// Live preview works offline: the preview server (`npm run dev`) serves the home page, whose
// cells render in headless Chromium with no request to any other host.
import assert from "node:assert/strict";
import {spawn} from "node:child_process";
import {createServer} from "node:net";
import {join} from "node:path";
import {test} from "node:test";
import {launch, ROOT, screenshot, settle, watch} from "./browser.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as {port: number}).port;
      s.close(() => resolve(port));
    });
  });
}

test("npm run dev serves the home page offline with every cell rendered", {timeout: 240_000}, async () => {
  const port = await freePort();
  const child = spawn(join(ROOT, "node_modules/.bin/observable"), ["preview", "--no-open", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    // Framework runs TypeScript loaders with the tsx on PATH, as under `npm run dev`.
    env: {...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`},
    stdio: ["ignore", "pipe", "pipe"]
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const browser = await launch();
  try {
    const origin = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !output.includes(`${port}`); ++i) await new Promise((r) => setTimeout(r, 200));
    assert.ok(output.includes(`${port}`), `preview server did not start:\n${output}`);
    const page = await browser.newPage();
    const report = watch(page, origin);
    await page.goto(origin + "/");
    await settle(page, report, 180_000);
    await screenshot(page, "preview-index");
    const banner = await page.textContent(".data-banner");
    assert.ok(banner && banner.length > 0, "the data banner is rendered");
    assert.deepEqual(report.errorCells, []);
    assert.deepEqual(report.pageErrors, []);
    assert.deepEqual(report.offHostRequests, []);
    assert.ok(report.plots > 0, "the overview plot is rendered");
  } finally {
    await browser.close();
    child.kill();
  }
});
