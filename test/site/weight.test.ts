// Every built page's first load stays small whatever the span: the bytes of the responses to the
// page's own requests, from navigation until every cell has rendered, are at most FIRST_LOAD_LIMIT
// (test/site/weight.ts). Detail (100 ms flow, 1 s bins, a chapter's series, trade samples) is
// fetched for the range the reader selects. The time to interactive is recorded here (test
// diagnostics) and checked by `npm run bench`. test/site/weight-span.test.ts checks that the
// bytes do not grow with the span.
import assert from "node:assert/strict";
import {readdirSync} from "node:fs";
import {test} from "node:test";
import {builtSession, DIST} from "./browser.ts";
import {FIRST_LOAD_LIMIT, firstLoad} from "./weight.ts";


const pages = readdirSync(DIST)
  .filter((f) => f.endsWith(".html") && f !== "404.html")
  .map((f) => f.replace(/\.html$/, ""))
  .sort();

const site = builtSession("index.html");

for (const name of pages) {
  test(`page ${name}'s first load transfers at most 5 MB`, async (t) => {
    const load = await firstLoad(site.browser!, site.origin, name);
    t.diagnostic(`${name}: ${(load.bytes / 1e6).toFixed(2)} MB on first load, settled after ${load.settledMs} ms (${load.largest})`);
    assert.deepEqual(load.errorCells, [], "error cells");
    assert.ok(load.bytes > 0, "no request counted");
    assert.ok(load.bytes <= FIRST_LOAD_LIMIT, `${name} transfers ${(load.bytes / 1e6).toFixed(2)} MB on first load (limit 5 MB); largest: ${load.largest}`);
  });
}
