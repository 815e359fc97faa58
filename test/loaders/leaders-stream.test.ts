// The calibrated leader rule fed one (venue, day) of trades at a time (loaders/chapters/leaders.ts)
// gives the same outcomes, value for value, as the rule on the whole-span trade columns, on a
// simulated span of two partition days.
import test from "node:test";
import assert from "node:assert/strict";
import {calibratedLeaders} from "../../lib/analysis/leaders.js";
import {fullPeriod, schedulePeriods} from "../../lib/analysis/periods.js";
import {spotPerpLeaders} from "../../lib/analysis/spot-perp.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {streamedLeaders, streamedSpotPerp} from "../../loaders/chapters/leaders.ts";
import {ensureDerived} from "../../loaders/derived.ts";
import {readManifest, readMarket, readTruth} from "../../loaders/market.ts";
import {chapterConfig} from "./support/chapter-config.ts";
import {ANALYSIS_B_MODULES} from "../../loaders/chapters/findings.ts";
import {moduleGraph} from "../../loaders/fingerprint.ts";

const config = chapterConfig("leaders-stream", {hours: 3, rateScale: 0.01, start: "2024-08-05", end: "2024-08-06"});

test("streamed leaders and Analysis B equal the rule on whole-span columns over two days", async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth;
  const span = manifest.span as [number, number];
  assert.ok(span[1] - span[0] > 86_400_000, "the span covers more than one partition day");
  const market = await readMarket(dir, {venues: manifest.venues, trades: ["time", "price"]});
  const options = {seed: 4, resamples: 49};

  const streamed = await streamedLeaders(dir, {venues: manifest.venues, span, truth}, options);
  const batch = calibratedLeaders({venues: manifest.venues, span, truth, trades: market.trades}, options);
  assert.ok(batch.length > 0 && batch.some((o) => o.pairs.length > 0 && o.links.length > 0));
  assert.equal(JSON.stringify(streamed), JSON.stringify(batch));

  const periods = schedulePeriods(truth, span);
  const midnight = span[0] + 86_400_000;
  assert.ok(periods.some((p) => p.start < midnight && p.end > midnight), "a period crosses midnight");
  const b = await streamedSpotPerp(dir, manifest.venues, periods, {seed: 6, resamples: 49});
  const trades = Object.fromEntries(manifest.venues.map((v) => [v, market.trades[v]!]));
  const expected = spotPerpLeaders(manifest.venues, trades, periods, {seed: 6, resamples: 49});
  assert.ok(expected.length > 0);
  assert.equal(JSON.stringify(b), JSON.stringify(expected));
  // The full span as one period (real data's case) crosses the day boundary too.
  const whole = [fullPeriod(span)];
  assert.equal(JSON.stringify(await streamedSpotPerp(dir, manifest.venues, whole, {seed: 1, resamples: 49})), JSON.stringify(spotPerpLeaders(manifest.venues, trades, whole, {seed: 1, resamples: 49})));
});

test("the leader evidence spread over two worker threads gives the single-thread results, value for value", async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth;
  const span = manifest.span as [number, number];
  const options = {seed: 9, resamples: 49};
  const single = await streamedLeaders(dir, {venues: manifest.venues, span, truth}, options, {workers: 1});
  const pooled = await streamedLeaders(dir, {venues: manifest.venues, span, truth}, options, {workers: 2});
  assert.ok(single.some((o) => o.pairs.length > 0 && o.links.length > 0));
  assert.equal(JSON.stringify(pooled), JSON.stringify(single));
  const periods = schedulePeriods(truth, span);
  const b1 = await streamedSpotPerp(dir, manifest.venues, periods, {seed: 3, resamples: 49}, {workers: 1});
  const b2 = await streamedSpotPerp(dir, manifest.venues, periods, {seed: 3, resamples: 49}, {workers: 2});
  assert.ok(b1.length > 0);
  assert.equal(JSON.stringify(b2), JSON.stringify(b1));
});

test("Analysis B's stored result is keyed by every source the day-by-day rule runs: its sweeps and streams as well as the analysis", () => {
  const graph = moduleGraph([...ANALYSIS_B_MODULES]);
  for (const f of ["lib/analysis/spot-perp.ts", "loaders/chapters/leaders.ts", "lib/analysis/leadership-stream.ts", "lib/hy-stream.ts", "lib/hayashi-yoshida.ts", "lib/analysis/leadership.ts"]) assert.ok(graph.includes(f), `${f} in Analysis B's key`);
});
