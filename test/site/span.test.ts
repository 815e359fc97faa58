// CVE_FROM / CVE_TO select a sub-span of any source, end to end: a 2-hour span inside a 4-hour
// simulated market (at 0.05 of the trade rates, so the build is quick) and a 3-minute span inside
// the 2023-04-05 Binance perpetual and spot recordings (skipped where ../shared is absent). Each
// builds into its own test-output folder and data folder; the derived data cover exactly the span
// (the manifest's span, every venue's first and last 1 s bin, the hour chunks, the trades sample's window), and every page
// renders with the span on its banner.
import assert from "node:assert/strict";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, test} from "node:test";
import {tableFromIPC} from "apache-arrow";
import {ROOT} from "./browser.ts";
import {expandIndex, type ChunkIndexJSON, type DetailIndex} from "../../src/detail.ts";
import {edition, pageTests} from "./editions.ts";

/**
 * What the site publishes of the span: every venue's 1 s bin start times (the hour chunks of
 * `detail-bins-1000ms.bin`, read through `detail.json`), the hour chunks' bounds, and the trades
 * sample's window (`sample-signs.arrow` schema metadata).
 */
function published(dist: string): {venues: string[]; t: Map<string, number[]>; chunks: [number, number][]; sample: [number, number]} {
  const dir = join(ROOT, dist, "_file/data");
  const file = (re: RegExp) => join(dir, readdirSync(dir).find((f) => re.test(f))!);
  const index = expandIndex(JSON.parse(readFileSync(file(/^detail\.[0-9a-f]+\.json$/), "utf8")) as ChunkIndexJSON<DetailIndex>);
  const bytes = readFileSync(file(/^detail-bins-1000ms\.[0-9a-f]+\.bin$/));
  const t = new Map<string, number[]>();
  for (const c of index.files["bins-1000ms"].chunks) {
    const table = tableFromIPC(bytes.subarray(c.offset, c.offset + c.length));
    const venue = table.getChild("venue")!.toArray() as ArrayLike<string>;
    const time = table.getChild("t")!.toArray() as ArrayLike<number>;
    for (let i = 0; i < table.numRows; ++i) {
      const v = String(venue[i]);
      if (!t.has(v)) t.set(v, []);
      t.get(v)!.push(Number(time[i]));
    }
  }
  const meta = tableFromIPC(readFileSync(file(/^sample-signs\.[0-9a-f]+\.arrow$/))).schema.metadata;
  return {venues: [...t.keys()], t, chunks: index.files["bins-1000ms"].chunks.map((c) => [c.t0, c.t1]), sample: [Number(meta.get("start")), Number(meta.get("end"))]};
}

/** The derived data of `e` cover exactly [from, to): the manifest's span, each venue's 1 s bins from `from` to the last second before `to`, the hour chunks and the trades sample inside. */
function coversExactly(e: ReturnType<typeof edition>, dist: string, from: number, to: number) {
  e.built();
  const m = e.dataFile(/^manifest\.[0-9a-f]+\.json$/);
  assert.deepEqual(m.span, [from, to]);
  const p = published(dist);
  const perVenue = Math.ceil((to - from) / 1000);
  assert.deepEqual([...p.venues].sort(), [...m.venues].sort(), "every venue's bins are published");
  for (const v of p.venues) {
    const t = p.t.get(v)!;
    assert.equal(t.length, perVenue, `one 1 s bin per second of the span (${v})`);
    assert.equal(t[0], from, "the first bin starts at CVE_FROM");
    assert.equal(t[t.length - 1], from + (perVenue - 1) * 1000, "the last bin is the last second before CVE_TO");
  }
  for (const [a, b] of p.chunks) assert.ok(a >= from && b <= to, `chunk [${a}, ${b}) outside the span`);
  assert.ok(p.sample[0] >= from && p.sample[1] <= to && p.sample[0] < p.sample[1], `trades sample [${p.sample}] outside the span`);
}

describe("a 2-hour sub-span of a simulated market", () => {
  const FROM = "2024-08-05T01:00:00.000Z";
  const TO = "2024-08-05T03:00:00.000Z";
  const dist = "test-output/dist-span-simulated";
  const e = edition([], dist, {
    env: {CVE_SOURCE: "simulated", CVE_START: "2024-08-05", CVE_HOURS: "4", CVE_SIM_RATE_SCALE: "0.05", CVE_FROM: FROM, CVE_TO: TO}
  });

  test("CVE_FROM/CVE_TO on a simulated market: the derived data cover exactly the span", () => {
    coversExactly(e, dist, Date.parse(FROM), Date.parse(TO));
    assert.equal(e.dataFile(/^manifest\.[0-9a-f]+\.json$/).source, "simulated");
  });

  pageTests(e, /2024-08-05 01:00 UTC → 2024-08-05 03:00 UTC \(span 2\.0 h\)/, async () => {}, "simulated");
});

describe("a 3-minute sub-span of the 2023-04-05 recordings", () => {
  const SHARED = process.env.CVE_SHARED_DIR ?? join(ROOT, "../shared");
  const files = ["binance-usdm-futures/btcusdt_20230405.dat.gz", "binance-spot/btcusdt_20230405.dat.gz"].map((f) => join(SHARED, "real-trades", f));
  const skip = files.every((f) => existsSync(f)) ? false : `${SHARED}/real-trades is absent: the real sub-span needs ${files.map((f) => relative(SHARED, f)).join(", ")}`;
  const FROM = "2023-04-05T00:01:00.000Z";
  const TO = "2023-04-05T00:04:00.500Z";
  const dist = "test-output/dist-span-real";
  const e = edition(files, dist, {skip, env: {CVE_FROM: FROM, CVE_TO: TO}});

  test("CVE_FROM/CVE_TO on real recordings: the derived data cover exactly the span", {skip}, () => {
    coversExactly(e, dist, Date.parse(FROM), Date.parse(TO));
  });

  pageTests(e, /2023-04-05 00:01:00\.000 UTC → 2023-04-05 00:04:00\.500 UTC/);
});
