// Leader claims as the reader sees them, in headless Chromium on the built site: every sentence of
// pages 02, 03, 06 and the report that names a leader, a lead direction, a flip or a reference
// venue must agree with findings.json's calibrated `leaders`. On a build whose rule names no
// leader (e.g. a market without lead–lag) no rendered sentence may name one; on a build that
// names leaders, page 03 states each of them.
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import {builtSession, DIST, settle, watch} from "./browser.ts";
import {NAMES_LEADER, sentences} from "../support/claims.ts";

const site = builtSession("03-information-flow.html");

function findings(): {leaders: {analysis: string; period: string; binMs: number; leader: string | null; p: number; markets?: string[]}[]} {
  const dir = join(DIST, "_file/data");
  const file = readdirSync(dir).find((f) => /^findings\.[0-9a-f]+\.json$/.test(f));
  assert.ok(file, `no findings.json under ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

/** The rendered sentences of a page: its main text split at sentence ends. */
async function sentencesOf(name: string): Promise<string[]> {
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/${name}`, {timeout: 900_000});
  await settle(page, report, 900_000);
  const text = await page.$eval("#observablehq-main", (el) => (el as HTMLElement).innerText);
  await page.close();
  return sentences(text);
}

test("findings.json carries one calibrated leader entry per analysis, period, bin width and (Analysis B) market pair", {skip: !site.built && site.missing}, () => {
  const f = findings();
  assert.ok(Array.isArray(f.leaders) && f.leaders.length > 0, "leaders array");
  const keys = new Set(f.leaders.map((l) => `${l.analysis} ${l.period} ${l.binMs} ${l.markets?.join("-") ?? ""}`));
  assert.equal(keys.size, f.leaders.length, "one entry per key");
  for (const l of f.leaders) {
    assert.ok(l.analysis === "A" || l.analysis === "B");
    assert.ok(l.leader === null || typeof l.leader === "string");
    assert.ok(l.p >= 0 && l.p <= 1);
    if (l.analysis === "A") assert.notEqual(l.leader, "coinbase", "a spot market never enters A's leader");
  }
});

for (const name of ["02-microstructure", "03-information-flow", "06-synthesis", "report"])
  test(`page ${name}: every rendered leader sentence agrees with the calibrated leaders`, {skip: !site.built && site.missing, timeout: 1_000_000}, async () => {
    const leaders = findings().leaders;
    const named = leaders.filter((l) => l.leader !== null);
    const sentences = await sentencesOf(name);
    assert.ok(sentences.length > 20, `${name}: ${sentences.length} sentences`);
    if (!named.length) {
      const offending = sentences.filter((s) => NAMES_LEADER.test(s));
      assert.deepEqual(offending, [], `${name} names a leader though the rule names none`);
      if (name === "03-information-flow") assert.ok(sentences.some((s) => /no leader found/.test(s)), "page 03 says no leader found");
    } else if (name === "03-information-flow") {
      // Page 03 states chapter 03's leaders among the perpetuals (Analysis A); Analysis B, each perpetual against each spot market, is the report's.
      const label: Record<string, string> = {binance: "Binance", bybit: "Bybit", okx: "OKX", coinbase: "Coinbase"};
      for (const l of named.filter((x) => x.analysis === "A")) assert.ok(sentences.some((s) => s.includes(`${label[l.leader!]} leads`)), `page 03 states ${l.leader} (${l.analysis}, ${l.period})`);
    }
  });
