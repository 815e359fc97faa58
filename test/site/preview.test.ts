// Live preview works offline: the preview server (`npm run dev`) serves the home page, whose
// cells render in headless Chromium with no request to any other host.
import assert from "node:assert/strict";
import {test} from "node:test";
import {launch, screenshot, settle, startPreview, watch} from "./browser.ts";

test("npm run dev serves the home page offline with every cell rendered", {timeout: 240_000}, async () => {
  const {origin, stop} = await startPreview();
  const browser = await launch();
  try {
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
    stop();
  }
});
