// `npm run prune` keeps the derived folder and simulated set of the current configuration and
// removes the other builds' — never real archives, locks, builds in progress or other folders.
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {fileURLToPath} from "node:url";
import {loadConfig} from "../../loaders/config.ts";
import {derivedKey} from "../../loaders/derived.ts";
import {formatPrune, pruneData} from "../../loaders/prune.ts";
import {resolveSource, SourceError} from "../../loaders/source-resolve.ts";
import {tempDir} from "./support/fixtures.ts";

function put(path: string, bytes: number): void {
  mkdirSync(join(path, ".."), {recursive: true});
  writeFileSync(path, new Uint8Array(bytes));
}

test("pruneData removes other derived folders and simulated sets, keeps the current ones and everything else", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const config = loadConfig({CVE_DATA_DIR: dir, CVE_SOURCE: "simulated", CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05"});
    const resolved = await resolveSource(config);
    const key = derivedKey(config, resolved);
    const current = {derived: join(dir, "derived", key), simulated: join(dir, "raw", "simulated", resolved.simKey!)};
    const old = {derived: join(dir, "derived", "a".repeat(64)), simulated: join(dir, "raw", "simulated", "b".repeat(24))};
    put(join(current.derived, "trades-binance.arrow"), 1000);
    put(join(current.simulated, "binance", "BTCUSDT-trades-2024-08-05.zip"), 2000);
    put(join(old.derived, "trades-binance.arrow"), 3000);
    put(join(old.derived, "chapters", "ch03-x.json"), 500);
    put(join(old.simulated, "okx", "BTC-USDT-SWAP-trades-2024-08-05.zip"), 4000);
    const untouched = [
      join(dir, "raw", "binance", "BTCUSDT-trades-2024-08-05.zip"), // a real archive
      join(dir, "derived", `.tmp-${"c".repeat(16)}-1-x`, "trades-binance.arrow"), // a build in progress
      join(dir, "derived", `.${"c".repeat(64)}.lock`, "owner"),
      join(dir, "raw", "simulated", `.tmp-${"d".repeat(24)}-1-x`, "truth.json"),
      join(dir, "derived", "notes", "readme.txt") // not a build's folder
    ];
    for (const f of untouched) put(f, 10);

    const lines: string[] = [];
    const dry = await pruneData(config, {dryRun: true, log: (l) => lines.push(l)});
    assert.deepEqual(dry.removed.map((e) => [e.kind, e.path, e.bytes]), [["derived", old.derived, 3500], ["simulated", old.simulated, 4000]]);
    assert.ok(existsSync(old.derived) && existsSync(old.simulated), "a dry run removes nothing");
    assert.equal(lines.length, 2);
    assert.match(formatPrune(dry, true), /^prune: would remove 1 derived folder\(s\) and 1 simulated set\(s\), 0\.00 GB; kept derived /);

    const done = await pruneData(config);
    assert.deepEqual(done.removed, dry.removed);
    assert.deepEqual(done.kept.map((e) => [e.kind, e.path, e.bytes]), [["derived", current.derived, 1000], ["simulated", current.simulated, 2000]]);
    assert.ok(!existsSync(old.derived) && !existsSync(old.simulated));
    assert.ok(existsSync(join(current.derived, "trades-binance.arrow")) && existsSync(join(current.simulated, "binance")));
    for (const f of untouched) assert.ok(existsSync(f), `${f} kept`);
    assert.deepEqual((await pruneData(config)).removed, [], "nothing left to remove");
  } finally {
    cleanup();
  }
});

test("pruneData refuses, removing nothing, when the current source cannot be resolved", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const config = loadConfig({CVE_DATA_DIR: dir, CVE_SOURCE: "real", CVE_OFFLINE: "0"});
    const other = join(dir, "derived", "e".repeat(64));
    put(join(other, "DONE"), 10);
    await assert.rejects(pruneData(config), (e: unknown) => e instanceof SourceError && /archives are missing/.test(e.message));
    assert.ok(existsSync(other));
  } finally {
    cleanup();
  }
});

test("`npm run prune -- --dry-run` (loaders/prune.ts as the main script) lists what would go and removes nothing", () => {
  const {dir, cleanup} = tempDir();
  try {
    const old = join(dir, "derived", "f".repeat(64));
    put(join(old, "DONE"), 10);
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", "loaders/prune.ts", "--dry-run"], {
      cwd: root,
      encoding: "utf8",
      env: {...process.env, CVE_SOURCE: "simulated", CVE_DATA_DIR: dir},
      timeout: 60_000
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`prune: would remove derived ${old}`));
    assert.match(r.stdout, /^prune: would remove 1 derived folder\(s\) and 0 simulated set\(s\), 0\.00 GB; kept nothing: the current configuration has not been built yet\.$/m);
    assert.ok(existsSync(old));
  } finally {
    cleanup();
  }
});
