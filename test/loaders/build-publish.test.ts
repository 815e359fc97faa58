// dist/ is replaced only by a complete build, and one checkout's builds, previews and cleans do
// not run over each other.
import assert from "node:assert/strict";
import {spawn, spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import {loadConfig} from "../../loaders/config.ts";
import {pruneData} from "../../loaders/prune.ts";
import {checkoutLock, dataLock, LockBusyError, withSiteLock} from "../../loaders/site-cache.ts";
import {PublishError, replaceDist, stampFileTimes, stampLastModified} from "../../scripts/build.ts";
import {clean, cleanTargets} from "../../scripts/clean.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-publish-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

/** A checkout-like folder with a published site `dist/` holding `index.html` = "previous". */
function siteFolder(name: string): string {
  const dist = join(scratch, name, "dist");
  mkdirSync(dist, {recursive: true});
  writeFileSync(join(dist, "index.html"), "previous");
  return dist;
}

/** A build that writes a complete site saying `text`. */
const complete = (text: string) => async (tmp: string) => {
  mkdirSync(tmp, {recursive: true});
  writeFileSync(join(tmp, "index.html"), text);
  return 0;
};

test("replaceDist swaps in a successful build and leaves nothing beside dist/", async () => {
  const dist = siteFolder("ok");
  assert.equal(await replaceDist(complete("new"), dist), 0);
  assert.equal(readFileSync(join(dist, "index.html"), "utf8"), "new");
  assert.deepEqual(readdirSync(join(dist, "..")), ["dist"]);
});

test("a failed build leaves the previous dist/ intact, whether it exits non-zero, throws or publishes nothing", async () => {
  const dist = siteFolder("failed");
  const partial = async (tmp: string) => {
    mkdirSync(tmp, {recursive: true});
    writeFileSync(join(tmp, "01-data.html"), "one page of eight");
    return 1;
  };
  assert.equal(await replaceDist(partial, dist), 1);
  await assert.rejects(replaceDist(async (tmp) => (await partial(tmp), Promise.reject(new Error("loader failed"))), dist), /loader failed/);
  await assert.rejects(replaceDist(async (tmp) => (await partial(tmp), 0), dist), (e: Error) => e instanceof PublishError && /no index\.html/.test(e.message));
  await assert.rejects(
    replaceDist(complete("mixed"), dist, () => {
      throw new PublishError("key changed during the build");
    }),
    /key changed/
  );
  assert.equal(readFileSync(join(dist, "index.html"), "utf8"), "previous");
  assert.deepEqual(readdirSync(join(dist, "..")), ["dist"], "no temporary folder left");
});

test("a build killed half-way leaves the previous dist/ intact; the next build removes its leftovers", async () => {
  const dist = siteFolder("killed");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support/killed-build.ts"), dist], {encoding: "utf8"});
  assert.equal(r.signal, "SIGKILL", r.stderr);
  assert.equal(readFileSync(join(dist, "index.html"), "utf8"), "previous");
  assert.ok(!existsSync(join(dist, "01-data.html")), "no page of the killed build is published");
  assert.equal(readdirSync(join(dist, "..")).filter((n) => n.startsWith(".dist-build-")).length, 1, "its temporary folder is left");
  assert.equal(await replaceDist(complete("new"), dist), 0);
  assert.deepEqual(readdirSync(join(dist, "..")), ["dist"]);
  assert.equal(readFileSync(join(dist, "index.html"), "utf8"), "new");
});

test("a build killed between its two renames gets the previous site back", async () => {
  const dist = siteFolder("between");
  rmSync(dist, {recursive: true});
  const old = join(scratch, "between", ".dist-old-999999");
  mkdirSync(old);
  writeFileSync(join(old, "index.html"), "previous");
  await assert.rejects(replaceDist(async () => Promise.reject(new Error("stop")), dist), /stop/);
  assert.equal(readFileSync(join(dist, "index.html"), "utf8"), "previous");
});

test("a build fails at once, naming the preview, while a preview holds the checkout's lock; another build is waited for", async () => {
  const lock = checkoutLock(join(scratch, "locks"));
  let stopPreview!: () => void;
  const preview = withSiteLock(lock, {command: "preview"}, () => new Promise<void>((r) => (stopPreview = r)));
  await new Promise((r) => setImmediate(r));
  await assert.rejects(withSiteLock(lock, {command: "build"}, async () => "built"), (e: Error) => {
    assert.ok(e instanceof LockBusyError);
    assert.match(e.message, /build\.lock: held by a preview, `npm run dev` \(pid \d+, since [\d:]+ UTC, in .+\); `npm run build` cannot run beside it: stop it first/);
    return true;
  });
  stopPreview();
  await preview;
  // Two builds: the second starts only when the first has finished (no interleaving of their writes).
  const order: string[] = [];
  let finishFirst!: () => void;
  const first = withSiteLock(lock, {command: "build", pollMs: 5}, async () => {
    order.push("first start");
    await new Promise<void>((r) => (finishFirst = r));
    order.push("first end");
  });
  await new Promise((r) => setImmediate(r));
  const lines: string[] = [];
  const second = withSiteLock(lock, {command: "build", pollMs: 5, log: (l) => lines.push(l)}, async () => void order.push("second start"));
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(order, ["first start"], "the second build waits");
  finishFirst();
  await Promise.all([first, second]);
  assert.deepEqual(order, ["first start", "first end", "second start"]);
  assert.match(lines.join("\n"), /held by `npm run build` \(pid \d+, since .*\); waiting for it to finish/);
  assert.ok(!existsSync(lock), "the lock is released");
});

test("two builds started at once in one checkout both succeed, one after the other, and publish one whole site", async () => {
  const root = join(scratch, "two-builds");
  mkdirSync(root, {recursive: true});
  const run = (label: string) =>
    new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support/locked-build.ts"), root, label]);
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({code, stderr}));
    });
  const results = await Promise.all([run("a"), run("b")]);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const dist = join(root, "dist");
  assert.deepEqual(readdirSync(root).sort(), ["dist", "src"], "no temporary or old folder left");
  const texts = new Set(readdirSync(dist).map((f) => readFileSync(join(dist, f), "utf8")));
  assert.equal(texts.size, 1, "every page from the same build");
  assert.equal(readdirSync(dist).length, 21);
});

test("npm run clean removes the configured data folder's derived data (CVE_DATA_DIR), keeps its archives, and refuses while a build holds a lock", async () => {
  const root = join(scratch, "clean-checkout");
  const dataDir = join(scratch, "clean-data");
  const config = loadConfig({CVE_DATA_DIR: dataDir});
  const cache = join(root, "src/.observablehq/cache");
  for (const d of [join(root, "dist"), cache, join(dataDir, "derived", "k"), join(dataDir, "raw", "binance")]) mkdirSync(d, {recursive: true});
  assert.ok(cleanTargets(config, root, cache).includes(join(dataDir, "derived")));
  let release!: () => void;
  const build = withSiteLock(dataLock(dataDir), {command: "build"}, () => new Promise<void>((r) => (release = r)));
  await new Promise((r) => setImmediate(r));
  await assert.rejects(clean(config, root, cache), (e: Error) => e instanceof LockBusyError && /held by `npm run build`/.test(e.message));
  await assert.rejects(pruneData(config), (e: Error) => e instanceof LockBusyError && /`npm run prune` cannot run beside it/.test(e.message));
  assert.ok(existsSync(join(dataDir, "derived", "k")), "nothing removed under a running build");
  release();
  await build;
  await clean(config, root, cache);
  for (const gone of [join(root, "dist"), cache, join(dataDir, "derived")]) assert.ok(!existsSync(gone), gone);
  assert.ok(existsSync(join(dataDir, "raw", "binance")), "archives are kept");
});

test("stampFileTimes(dir, time) gives every registered file attachment the data's time, so the same inputs publish the same bytes", () => {
  // Framework registers attachments with the modification time of the loader's cached output.
  const page = (ms: number) => `<script>registerFile("./data/manifest.json", {"name":"./data/manifest.json","mimeType":"application/json","path":"./_file/data/manifest.af4beaba.json","lastModified":${ms},"size":53394});</script>`;
  assert.equal(stampLastModified(page(1796539104513), 1722902400000), page(1722902400000));
  const dir = mkdtempSync(join(tmpdir(), "cve-stamp-"));
  try {
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "index.html"), page(1796539104513));
    writeFileSync(join(dir, "sub", "a.html"), page(1796538233590) + page(1796538243574));
    writeFileSync(join(dir, "data.json"), `{"lastModified":5}`);
    stampFileTimes(dir, 1722902400000);
    assert.equal(readFileSync(join(dir, "index.html"), "utf8"), page(1722902400000));
    assert.equal(readFileSync(join(dir, "sub", "a.html"), "utf8"), page(1722902400000) + page(1722902400000));
    assert.equal(readFileSync(join(dir, "data.json"), "utf8"), `{"lastModified":5}`, "only pages");
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
