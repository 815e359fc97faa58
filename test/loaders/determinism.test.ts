import test from "node:test";
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {loadConfig, type AnalysisConfig} from "../../loaders/config.ts";
import {ensureDerived, readManifest} from "../../loaders/derived.ts";
import {simulatedRoot, simulationKey} from "../../loaders/source-resolve.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-determinism-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

function config(dataDir: string, env: Record<string, string> = {}): AnalysisConfig {
  return loadConfig({CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05", CVE_SOURCE: "simulated", CVE_DATA_DIR: join(scratch, dataDir), ...env});
}

function files(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)))
    .sort();
}

function build(c: AnalysisConfig, workers?: number) {
  const log: string[] = [];
  return ensureDerived(c, {log: (l) => log.push(l), workers}).then((dir) => ({dir, log}));
}

const first = build(config("a"));

test("ensureDerived(config) into two fresh data dirs gives byte-identical files", async () => {
  const a = await first;
  const b = await build(config("b"));
  assert.equal(relative(join(scratch, "a"), a.dir), relative(join(scratch, "b"), b.dir), "same key whatever the data dir");
  const names = files(a.dir);
  assert.deepEqual(files(b.dir), names);
  // Per venue the 1 s bins (the 100 ms bins are the flow matrix only), and the four site files.
  assert.ok(names.filter((f) => f.endsWith(".arrow")).length >= 4 * 1 + 4);
  assert.ok(names.filter((f) => /^trades\/venue=\w+\/day=\d{4}-\d{2}-\d{2}\/part-\d+\.parquet$/.test(f)).length >= 4);
  for (const f of names) assert.ok(readFileSync(join(a.dir, f)).equals(readFileSync(join(b.dir, f))), `${f} differs`);
});

test("ensureDerived(config, {workers: 2}) simulating and deriving venues in worker threads gives the same bytes", async () => {
  const a = await first;
  const w = await build(config("workers"), 2);
  assert.ok(w.log.some((l) => l.includes("2 venues at a time")), "the simulator's venues ran on two workers");
  assert.ok(w.log.some((l) => /^derived: 2 workers for \d+ \(venue, day\) tasks/.test(l)), "the (venue, day) cleanings ran on two workers");
  assert.ok(w.log.some((l) => /^derived: binance: [\d,]+ trades binned day by day as cleaned/.test(l)), "each venue's days were binned in their tasks and put together");
  assert.ok(!files(w.dir).some((f) => f.endsWith(".tmp")), "no temporary file is left behind");
  assert.ok(w.log.some((l) => l.startsWith("derived: binance 2024-08-05")), "worker progress reaches the log");
  // Data files byte for byte (the key-bearing DONE and manifests are compared without the keys).
  const names = files(a.dir);
  assert.deepEqual(files(w.dir), names);
  const keyless = (f: string) => f.endsWith("DONE") || f.endsWith("manifest.json");
  for (const f of names.filter((f) => !keyless(f))) assert.ok(readFileSync(join(a.dir, f)).equals(readFileSync(join(w.dir, f))), `${f} differs`);
  const unkeyed = (dir: string, f: string) => ({...JSON.parse(readFileSync(join(dir, f), "utf8")), key: null, simKey: null});
  for (const f of names.filter((f) => f.endsWith("manifest.json"))) assert.deepEqual(unkeyed(w.dir, f), unkeyed(a.dir, f));
  const simA = simulatedRoot(join(scratch, "a"), simulationKey(config("a")));
  const simW = simulatedRoot(join(scratch, "workers"), simulationKey(config("workers")));
  for (const f of files(simA).filter((f) => f !== "DONE")) assert.ok(readFileSync(join(simA, f)).equals(readFileSync(join(simW, f))), `archive ${f} differs`);
});

test("ensureDerived of a single (venue, day) with its archive read in blocks on two threads gives the same bytes", async () => {
  const one = config("one", {CVE_VENUES: "binance"});
  const a = await ensureDerived(one, {log: () => {}, blockReaders: 1});
  const log: string[] = [];
  const b = await ensureDerived(config("blocks", {CVE_VENUES: "binance"}), {log: (l) => log.push(l), blockReaders: 2, blockBytes: 4096});
  assert.ok(log.some((l) => l === "derived: 2 threads read the archive of binance 2024-08-05 in blocks"), log.join("\n"));
  const names = files(a);
  assert.deepEqual(files(b), names);
  assert.ok(names.includes("trades/venue=binance/day=2024-08-05/part-0.parquet") && names.includes("quality.json"));
  for (const f of names) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
});

test("ensureDerived(config) with another seed gives another key and other data", async () => {
  const a = await first;
  const c = await build(config("a", {CVE_SEED: "7"}));
  assert.notEqual(c.dir, a.dir);
  assert.equal(readManifest(c.dir).seed, 7);
  assert.notEqual(simulationKey(config("a", {CVE_SEED: "7"})), simulationKey(config("a")));
  assert.ok(!readFileSync(join(c.dir, "trades/venue=binance/day=2024-08-05/part-0.parquet")).equals(readFileSync(join(a.dir, "trades/venue=binance/day=2024-08-05/part-0.parquet"))));
  assert.notDeepEqual(readManifest(c.dir).perVenue, readManifest(a.dir).perVenue);
});

test("ensureDerived(config) with another bin width gives a new folder with the new bins, reusing the simulated archives", async () => {
  const a = await first;
  const base = config("a");
  const simDir = simulatedRoot(base.dataDir, simulationKey(base));
  const before = files(simDir).map((f) => [f, statSync(join(simDir, f)).mtimeMs]);
  const w = await build(config("a", {CVE_BINS_MS: "100,500,1000"}));
  assert.notEqual(w.dir, a.dir);
  assert.equal(simulationKey(config("a", {CVE_BINS_MS: "100,500,1000"})), simulationKey(base));
  assert.ok(!w.log.some((l) => l.startsWith("simulate:")), "simulated archives regenerated");
  assert.deepEqual(files(simDir).map((f) => [f, statSync(join(simDir, f)).mtimeMs]), before);
  const m = readManifest(w.dir);
  assert.deepEqual(m.binWidthsMs, [100, 500, 1000]);
  for (const v of m.venues) assert.ok(files(w.dir).includes(`bins-${v}-500ms.arrow`));
  assert.ok(!files(a.dir).some((f) => f.includes("500ms")));
  // Same trades, since only the bins changed.
  assert.ok(readFileSync(join(w.dir, "trades/venue=okx/day=2024-08-05/part-0.parquet")).equals(readFileSync(join(a.dir, "trades/venue=okx/day=2024-08-05/part-0.parquet"))));
});
