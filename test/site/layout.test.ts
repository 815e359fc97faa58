// Chart layout in the built site: no chart is drawn at a non-positive width, even in a full-page
// capture taken right after load, and page 06's planted-change labels do not overlap.
import assert from "node:assert/strict";
import {test} from "node:test";
import {builtSession, settle, watch} from "./browser.ts";

const site = builtSession("06-synthesis.html");

for (const name of ["03-information-flow", "04-phase-transitions"]) {
  test(`page ${name}: a full-page capture right after load draws no <rect> of negative width`, async (t) => {
    if (!site.built) return t.skip(site.missing);
    const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    try {
      await page.goto(`${site.origin}/${name}`, {waitUntil: "domcontentloaded"});
      // Captures while the page is still rendering resize the viewport under the charts.
      for (let i = 0; i < 3; ++i) await page.screenshot({fullPage: true});
      await settle(page, watch(page, site.origin));
      await page.screenshot({fullPage: true});
      const negative = errors.filter((e) => /negative value is not valid/.test(e));
      assert.deepEqual(negative.slice(0, 3), [], `${negative.length} negative-size errors`);
    } finally {
      await page.close();
    }
  });
}

test("page 06: the planted-change labels over the event timeline do not overlap", async (t) => {
  if (!site.built) return t.skip(site.missing);
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  try {
    await page.goto(`${site.origin}/06-synthesis`);
    await settle(page, watch(page, site.origin));
    const boxes = await page.$$eval("svg text", (els) =>
      els
        .filter((e) => ["crash start", "crash end", "recovery end"].includes(e.textContent?.trim() ?? ""))
        .map((e) => {
          const r = e.getBoundingClientRect();
          return {text: e.textContent!.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom};
        })
    );
    if (boxes.length === 0) return t.skip("real-data build: no planted changes");
    assert.equal(boxes.length, 3, JSON.stringify(boxes));
    for (const a of boxes)
      for (const b of boxes)
        if (a !== b) assert.ok(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, `${a.text} overlaps ${b.text}: ${JSON.stringify([a, b])}`);
  } finally {
    await page.close();
  }
});
