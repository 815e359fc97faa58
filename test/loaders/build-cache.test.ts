// Framework's loader cache is keyed by every input — configuration, code, resolved source and the
// content of every real archive — and a loader running under other inputs than the cache's fails
// instead of writing into it.
import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import {archiveHashes, hashCachePath} from "../../loaders/archive-hash.ts";
import {dayPaths} from "../../loaders/cache.ts";
import {loadConfig, type AnalysisConfig} from "../../loaders/config.ts";
import {derivedKey} from "../../loaders/derived.ts";
import {CacheKeyError, invalidateStaleCache, keyFile, siteDerived, siteKey, verifyCacheKey} from "../../loaders/site-cache.ts";
import {resolveSource} from "../../loaders/source-resolve.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-build-cache-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

/** A one-venue configuration over its own data folder. */
function config(name: string, env: Record<string, string> = {}): AnalysisConfig {
  return loadConfig({CVE_VENUES: "binance", CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05", CVE_DATA_DIR: join(scratch, name), ...env});
}

/** Writes `bytes` as every real archive of `c` (the keys hash bytes; nothing here parses them). */
function writeArchives(c: AnalysisConfig, bytes: string): string[] {
  const paths = c.venues.flatMap((v) => dayPaths(v, c.start, c.symbol, {root: c.dataDir}));
  for (const p of paths) {
    mkdirSync(join(p, ".."), {recursive: true});
    writeFileSync(p, bytes);
  }
  return paths;
}

/** A cache folder holding one loader output and one bundled module. */
function fakeCache(name: string): {cache: string; output: string; bundled: string; fill: () => void} {
  const cache = join(scratch, name);
  const output = join(cache, "data/manifest.json");
  const bundled = join(cache, "_node/d3@7/index.js");
  const fill = () => {
    for (const f of [output, bundled]) {
      mkdirSync(join(f, ".."), {recursive: true});
      writeFileSync(f, "x");
    }
  };
  return {cache, output, bundled, fill};
}

test("invalidateStaleCache(cache, key) clears cached loader outputs when the key changes, and only then", async () => {
  const {cache, output, bundled, fill} = fakeCache("cache-config");
  const a = (await siteKey(config("keys"))).key;
  const b = (await siteKey(config("keys", {CVE_SEED: "42"}))).key;
  assert.notEqual(a, b);
  assert.equal(invalidateStaleCache(cache, a).cleared, false, "no cache yet");
  fill();
  assert.equal(invalidateStaleCache(cache, a).cleared, false, "same inputs: the cache is kept");
  assert.ok(existsSync(output));
  assert.equal(invalidateStaleCache(cache, b).cleared, true, "another seed: the outputs are cleared");
  assert.ok(!existsSync(output), "the stale loader output is gone");
  assert.ok(existsSync(bundled), "bundled npm modules are kept");
  assert.equal(readFileSync(keyFile(cache), "utf8").trim(), b, "the key file names the new inputs");
});

test("a bad configuration fails before any key is computed", () => {
  assert.throws(() => config("bad", {CVE_VENUES: "binance,nowhere"}), /unknown venue "nowhere"/);
});

test("npm run fetch-data then a build: archives arriving for `auto` change the key from the simulated market to the real archives", async () => {
  const c = config("fetched", {CVE_SOURCE: "auto"});
  const {cache, output, fill} = fakeCache("cache-fetched");
  const before = await siteKey(c);
  assert.equal(before.resolved.source, "simulated");
  invalidateStaleCache(cache, before.key);
  fill();
  writeArchives(c, "real archive bytes");
  const after = await siteKey(c);
  assert.equal(after.resolved.source, "real");
  assert.notEqual(after.key, before.key);
  assert.equal(invalidateStaleCache(cache, after.key).cleared, true, "the simulated site's outputs are not reused");
  assert.ok(!existsSync(output));
});

test("replacing an archive with other bytes of the same size, even with its old modification time, changes both keys", async () => {
  const c = config("replaced", {CVE_SOURCE: "real"});
  const [path] = writeArchives(c, "aaaaaaaaaaaaaaaa");
  const first = await siteKey(c);
  const firstDerived = derivedKey(c, await resolveSource(c));
  const {mtime} = statSync(path);
  writeFileSync(path, "bbbbbbbbbbbbbbbb");
  utimesSync(path, mtime, mtime); // same name, size and mtime: only the content (and ctime) differ
  const second = await siteKey(c);
  assert.equal(second.resolved.archives![0].bytes, first.resolved.archives![0].bytes);
  assert.notEqual(second.resolved.archives![0].sha256, first.resolved.archives![0].sha256);
  assert.notEqual(second.key, first.key, "Framework's cache key");
  assert.notEqual(derivedKey(c, await resolveSource(c)), firstDerived, "the derived folder's key");
  // Putting the first bytes back gives the first keys again: the key is the content, not the history.
  writeFileSync(path, "aaaaaaaaaaaaaaaa");
  assert.equal((await siteKey(c)).key, first.key);
});

test("archiveHashes(dataDir, paths) hashes each archive once, remembering it by path, size and times", () => {
  const c = config("hash-cache", {CVE_SOURCE: "real"});
  const paths = writeArchives(c, "some archive");
  const stats = {hashed: 0};
  const h1 = archiveHashes(c.dataDir, paths, stats);
  assert.equal(stats.hashed, 1);
  assert.match(h1[0], /^[0-9a-f]{64}$/);
  assert.deepEqual(archiveHashes(c.dataDir, paths, stats), h1);
  assert.equal(stats.hashed, 1, "the second call reads no archive");
  assert.ok(existsSync(hashCachePath(c.dataDir)), "the cache is a file in the data folder");
  const cached = JSON.parse(readFileSync(hashCachePath(c.dataDir), "utf8"));
  assert.deepEqual(Object.keys(cached), ["binance/BTCUSDT-trades-2024-08-05.zip"], "names relative to raw/");
  writeFileSync(paths[0], "other archive");
  assert.notDeepEqual(archiveHashes(c.dataDir, paths, stats), h1);
  assert.equal(stats.hashed, 2);
});

test("after a failed build and a fixed archive, no output of the failed build is reused", async () => {
  const c = config("fixed", {CVE_SOURCE: "real"});
  const {cache, output, fill} = fakeCache("cache-fixed");
  writeArchives(c, "truncated");
  invalidateStaleCache(cache, (await siteKey(c)).key);
  fill(); // the loaders that ran before the failure
  writeArchives(c, "the fixed archive");
  assert.equal(invalidateStaleCache(cache, (await siteKey(c)).key).cleared, true);
  assert.ok(!existsSync(output), "every page's data is made again from the fixed archive");
});

test("a loader whose inputs differ from the cache's key fails before writing anything (a preview under another configuration)", async () => {
  const build = config("preview", {CVE_SOURCE: "simulated", CVE_HOURS: "3"});
  const preview = config("preview", {CVE_SOURCE: "simulated", CVE_HOURS: "2"});
  const {cache} = fakeCache("cache-preview");
  const {key} = await siteKey(build);
  invalidateStaleCache(cache, key);
  verifyCacheKey(cache, key); // the build's own loaders pass
  await assert.rejects(siteDerived(preview, cache), (e: Error) => {
    assert.ok(e instanceof CacheKeyError);
    assert.match(e.message, /\.inputs-key: the loader cache was made for inputs [0-9a-f]{12}, this process's are [0-9a-f]{12}/);
    return true;
  });
  assert.ok(!existsSync(join(preview.dataDir, "derived")), "no derived data was built for the preview's configuration");
});
