import assert from "node:assert/strict";
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import {join, relative, resolve, sep} from "node:path";
import test from "node:test";
import fc from "fast-check";
import {archivePath, atomicWrite, atomicWriteWith, CachePathError, cacheRoot, dayPaths, hasDay, venueDir} from "../../loaders/cache.ts";
import {tempDir} from "./support/fixtures.ts";

const inside = (root: string, p: string) => {
  const r = relative(root, p);
  return r !== "" && r.split(sep)[0] !== ".." && !r.startsWith(sep);
};

test("venueDir(venue, loc) puts real archives under raw/<venue> and simulated ones under raw/simulated/<key>/<venue>", () => {
  assert.equal(venueDir("binance", {root: "/data"}), "/data/raw/binance");
  assert.equal(venueDir("okx", {root: "/data", simKey: "abc123"}), "/data/raw/simulated/abc123/okx");
  assert.equal(archivePath("bybit", "BTCUSDT2024-08-05.csv.gz", {root: "data"}), resolve("data/raw/bybit/BTCUSDT2024-08-05.csv.gz"));
  assert.deepEqual(dayPaths("okx", "2024-08-05", "BTCUSDT", {root: "/d"}), [
    "/d/raw/okx/BTC-USDT-SWAP-trades-2024-08-05.zip",
    "/d/raw/okx/BTC-USDT-SWAP-trades-2024-08-06.zip"
  ]);
});

test("archivePath(…) and dayPaths(…) reject every path-like component with CachePathError naming it", () => {
  const loc = {root: "/data"};
  for (const v of ["../binance", "BINANCE", "binance/..", "", "kraken"]) assert.throws(() => venueDir(v, loc), (e: unknown) => e instanceof CachePathError && e.message.includes(JSON.stringify(v)));
  for (const f of ["../x.zip", "a/b.zip", ".hidden", "..", "", "x\u0000.zip", "x\\y.zip", "..zip"]) assert.throws(() => archivePath("binance", f, loc), CachePathError, f);
  for (const d of ["2024-08-05/../../etc", "../2024-08-05", "2024-02-30", "20240805", "2024-08-05 "]) assert.throws(() => dayPaths("binance", d, "BTCUSDT", loc), /invalid day/, d);
  for (const s of ["../BTC", "BTC/USDT", "btcusdt", "", "A".repeat(21), "BTC USDT"]) assert.throws(() => dayPaths("binance", "2024-08-05", s, loc), /invalid symbol/, s);
  for (const k of ["../k", "a/b", "", "k".repeat(65)]) assert.throws(() => venueDir("binance", {root: "/data", simKey: k}), /invalid simulation key/, k);
});

test("dayPaths(…) never leaves the cache root, whatever strings are given (property test)", () => {
  const root = "/srv/data";
  const base = cacheRoot(root);
  const venue = fc.constantFrom("binance", "bybit", "okx", "coinbase", "../x", "okx/..", "");
  const messy = fc.oneof(fc.string({maxLength: 30}), fc.constantFrom("..", "../..", "/etc/passwd", "2024-08-05/../../x", "BTC-USDT/../../", "%2e%2e"), fc.date({noInvalidDate: true}).map((d) => d.toISOString().slice(0, 10)));
  fc.assert(
    fc.property(venue, messy, messy, fc.option(messy, {nil: undefined}), (v, day, symbol, simKey) => {
      let paths: string[];
      try {
        paths = dayPaths(v, day, symbol, {root, simKey});
      } catch (e) {
        return e instanceof RangeError;
      }
      return paths.every((p) => inside(base, p));
    }),
    {seed: 20240805, numRuns: 3000}
  );
});

test("hasDay(venue, day, symbol, root) is true only when every file of the day is present and non-empty", async () => {
  const {dir, cleanup} = tempDir();
  try {
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", dir), false);
    const [a, b] = dayPaths("okx", "2024-08-05", "BTCUSDT", {root: dir});
    mkdirSync(join(dir, "raw", "okx"), {recursive: true});
    writeFileSync(a, "x");
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", dir), false);
    writeFileSync(b, "");
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", dir), false);
    writeFileSync(b, "y");
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", dir), true);
    // Simulated archives live elsewhere and never count as real ones (and vice versa).
    assert.equal(await hasDay("okx", "2024-08-05", "BTCUSDT", {root: dir, simKey: "k1"}), false);
    assert.equal(await hasDay("binance", "2024-08-05", "BTCUSDT", dir), false);
  } finally {
    cleanup();
  }
});

test("atomicWrite(path, data) writes through a temporary file and leaves nothing else behind", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const p = join(dir, "sub", "f.txt");
    await atomicWrite(p, "one");
    await atomicWrite(p, new TextEncoder().encode("two"));
    assert.equal(readFileSync(p, "utf8"), "two");
    assert.deepEqual(readdirSync(join(dir, "sub")), ["f.txt"]);
  } finally {
    cleanup();
  }
});

test("atomicWriteWith(path, write) keeps the old file and removes the temporary one when writing fails", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const p = join(dir, "f.txt");
    writeFileSync(p, "old");
    let seenTemp = "";
    await assert.rejects(
      atomicWriteWith(p, async (tmp) => {
        seenTemp = tmp;
        await writeFile(tmp, "half of the new");
        assert.equal(readFileSync(p, "utf8"), "old");
        throw new Error("disk full");
      }),
      /disk full/
    );
    assert.ok(seenTemp.startsWith(join(dir, ".f.txt.")) && seenTemp.endsWith(".tmp"));
    assert.equal(readFileSync(p, "utf8"), "old");
    assert.deepEqual(readdirSync(dir), ["f.txt"]);
    assert.equal(await atomicWriteWith(p, async (tmp) => (await writeFile(tmp, "new"), 42)), 42);
    assert.equal(readFileSync(p, "utf8"), "new");
  } finally {
    cleanup();
  }
});
