import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import {invalidateStaleCache} from "../../scripts/build.ts";

test("invalidateStaleCache() clears cached loader outputs when the configuration changes, and only then", () => {
  const cache = mkdtempSync(join(tmpdir(), "cve-cache-"));
  const output = join(cache, "data/manifest.json");
  const bundled = join(cache, "_node/d3@7/index.js");
  const fill = () => {
    for (const f of [output, bundled]) {
      mkdirSync(join(f, ".."), {recursive: true});
      writeFileSync(f, "x");
    }
  };
  assert.equal(invalidateStaleCache(cache, {}).cleared, false);
  fill();
  assert.equal(invalidateStaleCache(cache, {}).cleared, false, "same inputs: the cache is kept");
  assert.ok(existsSync(output));
  const changed = invalidateStaleCache(cache, {CVE_SEED: "42"});
  assert.equal(changed.cleared, true, "another seed: the outputs are cleared");
  assert.ok(!existsSync(output), "the stale loader output is gone");
  assert.ok(existsSync(bundled), "bundled npm modules are kept");
  fill();
  assert.equal(invalidateStaleCache(cache, {CVE_SEED: "42"}).cleared, false);
  assert.equal(invalidateStaleCache(cache, {CVE_BINS_MS: "100,1000,250"}).cleared, true, "another bin width: cleared");
});

test("invalidateStaleCache() rejects a bad configuration before any work", () => {
  const cache = mkdtempSync(join(tmpdir(), "cve-cache-"));
  assert.throws(() => invalidateStaleCache(cache, {CVE_VENUES: "binance,nowhere"}), /unknown venue "nowhere"/);
});
