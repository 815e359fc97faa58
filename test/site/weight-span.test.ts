// A page's first load does not grow with the span: a simulated market (same seed; a low rate, so
// that the builds take minutes) built for one day and for two, each into its own test-output
// folder and data folder (kept under test-output/, so that a later run reuses the archives and
// chapters). Every page's first-load bytes on the two-day build are within SPAN_TOLERANCE of its
// bytes on the one-day build, and at most 5 MB: overviews come from summaries of bounded size,
// detail and a chapter's series from the hours of the range the page opens on (at most a day),
// whatever the span.
import assert from "node:assert/strict";
import {join} from "node:path";
import {describe, test} from "node:test";
import {ROOT} from "./browser.ts";
import {edition, PAGES} from "./editions.ts";
import {FIRST_LOAD_LIMIT, firstLoad} from "./weight.ts";

/** The simulated trade rates of both builds, as a multiple of the defaults. */
const RATE = "0.02";
/**
 * How much larger a two-day first load may be than the one-day load: a fraction, and bytes. The two
 * builds are different markets (the simulator plants its schedule over the span), so the same
 * range of detail differs in content by a few per cent; a file that grows with the span doubles.
 */
export const SPAN_TOLERANCE = {relative: 0.1, bytes: 50_000};
/**
 * The same for each data file a first load reads (its bytes on two days against one): a chapter
 * JSON that carried a day of a whole-span series — page 03's rolling TE (+237 kB a day at this
 * rate), page 02's spread points (+105 kB) — fails it; the bounded summaries and a range's hour
 * chunks pass.
 */
export const FILE_TOLERANCE = {relative: 0.1, bytes: 60_000};

const env = (end: string) => ({CVE_SOURCE: "simulated", CVE_START: "2024-08-05", CVE_END: end, CVE_SIM_RATE_SCALE: RATE});

describe("first-load bytes of one simulated day and of two", () => {
  const one = edition([], "test-output/dist-weight-1d", {env: env("2024-08-05"), dataDir: join(ROOT, "test-output/data-weight-1d")});
  const two = edition([], "test-output/dist-weight-2d", {env: env("2024-08-06"), dataDir: join(ROOT, "test-output/data-weight-2d")});
  for (const name of [...PAGES, "calibration", "live"])
    test(`page ${name}: the two-day build's first load is within the tolerance of the one-day build's, and at most 5 MB`, {timeout: 600_000}, async (t) => {
      one.built();
      two.built();
      const a = await firstLoad(one.state.browser!, one.state.origin, name);
      const b = await firstLoad(two.state.browser!, two.state.origin, name);
      t.diagnostic(`${name}: ${(a.bytes / 1e6).toFixed(3)} MB (1 day), ${(b.bytes / 1e6).toFixed(3)} MB (2 days), ratio ${(b.bytes / a.bytes).toFixed(3)}; 2 days: ${b.largest}`);
      // Each data file's bytes on one day and two, for the record (docs/scale.md lists those that grow).
      t.diagnostic(`${name} data files (1 day → 2 days, kB): ${[...b.files].map(([f, n]) => `${f.replace("/_file/data/", "")} ${((a.files.get(f) ?? 0) / 1e3).toFixed(0)} → ${(n / 1e3).toFixed(0)}`).join(", ")}`);
      assert.deepEqual([a.errorCells, b.errorCells], [[], []], "error cells");
      assert.ok(a.bytes > 0 && b.bytes > 0, "no request counted");
      const limit = a.bytes * (1 + SPAN_TOLERANCE.relative) + SPAN_TOLERANCE.bytes;
      assert.ok(b.bytes <= limit, `${name}: ${(b.bytes / 1e6).toFixed(3)} MB on two days against ${(a.bytes / 1e6).toFixed(3)} MB on one (limit ${(limit / 1e6).toFixed(3)} MB); largest: ${b.largest}`);
      const grown = [...b.files].filter(([f, n]) => n > (a.files.get(f) ?? 0) * (1 + FILE_TOLERANCE.relative) + FILE_TOLERANCE.bytes);
      assert.deepEqual(grown.map(([f]) => f), [], `${name}: data files that grow with the span: ${grown.map(([f, n]) => `${f} ${((a.files.get(f) ?? 0) / 1e3).toFixed(0)} → ${(n / 1e3).toFixed(0)} kB`).join(", ")}`);
      assert.ok(b.bytes <= FIRST_LOAD_LIMIT, `${name} transfers ${(b.bytes / 1e6).toFixed(2)} MB on first load (limit 5 MB)`);
    });
});
