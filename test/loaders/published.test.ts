// The published data files name no folder of the machine that built them and carry no raw row
// text beyond a short escaped excerpt.
import assert from "node:assert/strict";
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import {loadConfig} from "../../loaders/config.ts";
import {ensureDerived, readQuality} from "../../loaders/derived.ts";
import {ROOT} from "../../loaders/fingerprint.ts";
import {FORMATS} from "../../loaders/formats/index.ts";
import {planMarket, simulateVenue} from "../../loaders/simulate/index.ts";
import {EXCERPT_CHARS, newQuarantine, quarantine, rowExcerpt} from "../../loaders/trades.ts";
import {gunzipText, gzipOf} from "./support/fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-published-"));
test.after(() => rmSync(scratch, {recursive: true, force: true}));

/** Every JSON file of a derived folder (its own and the site's). */
function jsonFiles(dir: string): string[] {
  return [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(join(dir, "site")).map((f) => join(dir, "site", f))].filter((f) => f.endsWith(".json"));
}

/** Asserts that no published JSON of `dir` contains any of `folders`. */
function assertNoFolders(dir: string, folders: string[]): void {
  for (const f of jsonFiles(dir)) {
    const text = readFileSync(f, "utf8");
    for (const folder of folders) assert.ok(!text.includes(folder), `${f} contains ${folder}`);
  }
}

test("quarantine() keeps the file's name only and a short escaped excerpt of the row", () => {
  const q = newQuarantine();
  const row = `1,"${"x".repeat(500)}",\u0000\u001b[31m,\u2028é\\`;
  quarantine(q, "/home/someone/data/raw/coinbase/BTC-USD-2024-08-05.csv.gz", 7, "wrong column count", row);
  const [e] = q.examples;
  assert.equal(e.file, "BTC-USD-2024-08-05.csv.gz");
  assert.ok(e.text.length <= EXCERPT_CHARS + 1, `${e.text.length} characters`);
  assert.match(e.text, /…$/);
  assert.equal(rowExcerpt("a\u0000b\u001bc\\d\u2028"), "a\\u0000b\\u001bc\\\\d\\u2028");
  assert.match(rowExcerpt("é"), /^\\u00e9$/);
});

test("a build on real archives with a bad row publishes its example without the data folder's path and as an excerpt", async () => {
  const c = loadConfig({CVE_VENUES: "coinbase", CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05", CVE_SOURCE: "real", CVE_DATA_DIR: join(scratch, "real")});
  const dir = join(c.dataDir, "raw", "coinbase");
  mkdirSync(dir, {recursive: true});
  const [file] = await FORMATS.coinbase.write(simulateVenue(planMarket(c), "coinbase"), dir, c.symbol);
  const path = join(dir, file.replace(/^.*\//, ""));
  const bad = `oops,${"\u0007secret row text ".repeat(40)}`;
  writeFileSync(path, gzipOf(gunzipText(readFileSync(path)).replace(/\n/, `\n${bad}\n`)));
  const derived = await ensureDerived(c, {log: () => {}});
  const [record] = readQuality(derived);
  assert.ok(record.parseErrors >= 1, "the bad row is quarantined");
  const example = record.quarantine.examples[0];
  assert.equal(example.file, "BTC-USD-2024-08-05.csv.gz");
  assert.ok(example.text.length <= EXCERPT_CHARS + 1);
  assert.ok(!example.text.includes("\u0007"), "control characters are escaped");
  const site = readFileSync(join(derived, "site", "quality.json"), "utf8");
  assert.ok(!site.includes("secret row text secret row text secret row text"), "no more of the row than the excerpt");
  assertNoFolders(derived, [c.dataDir, scratch, ROOT.replace(/\/$/, "")]);
});

test("a simulated build chosen because archives are missing names them relative to raw/ in its published reason", async () => {
  const c = loadConfig({CVE_VENUES: "binance", CVE_HOURS: "1", CVE_SIM_RATE_SCALE: "0.05", CVE_SOURCE: "auto", CVE_DATA_DIR: join(scratch, "auto")});
  const derived = await ensureDerived(c, {log: () => {}});
  const manifest = JSON.parse(readFileSync(join(derived, "site", "manifest.json"), "utf8"));
  assert.match(manifest.reason, /missing, e\.g\. binance 2024-08-05 \(binance\/BTCUSDT-trades-2024-08-05\.zip\)/);
  assertNoFolders(derived, [c.dataDir, scratch, ROOT.replace(/\/$/, "")]);
});
