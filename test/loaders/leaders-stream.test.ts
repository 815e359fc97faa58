// The calibrated leader rule fed one (venue, day) of trades at a time (loaders/chapters/leaders.ts)
// gives the same outcomes, value for value, as the rule on the whole-span trade columns, on a
// simulated span of two partition days.
import test from "node:test";
import assert from "node:assert/strict";
import {calibratedLeaders, leaderRuns} from "../../lib/analysis/leaders.js";
import {spotPerpVerdicts} from "../../lib/analysis/spot-perp.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {streamedLeaderRuns, streamedLeaders} from "../../loaders/chapters/leaders.ts";
import {ensureDerived} from "../../loaders/derived.ts";
import {readManifest, readMarket, readTruth} from "../../loaders/market.ts";
import {chapterConfig} from "./support/chapter-config.ts";
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

  const runs = await streamedLeaderRuns(dir, {venues: manifest.venues, span, truth}, options);
  const midnight = span[0] + 86_400_000;
  assert.ok(runs.plan.periods.some((p) => p.start < midnight && p.end > midnight), "a period crosses midnight");
  const b = spotPerpVerdicts(manifest.venues, runs.plan, runs.results);
  const whole = leaderRuns({venues: manifest.venues, span, truth, trades: market.trades}, options);
  assert.ok(b.verdicts.length > 0 && b.skipped === null);
  assert.equal(JSON.stringify(b), JSON.stringify(spotPerpVerdicts(manifest.venues, whole.plan, whole.results)));
  // The full span as one period (real data's case) crosses the day boundary too.
  const real = await streamedLeaderRuns(dir, {venues: manifest.venues, span, truth: null}, {seed: 1, resamples: 49});
  assert.equal(real.plan.periods.length, 1);
  assert.equal(JSON.stringify(real.results), JSON.stringify(leaderRuns({venues: manifest.venues, span, truth: null, trades: market.trades}, {seed: 1, resamples: 49}).results));
});

test("the leader evidence spread over two worker threads gives the single-thread results, value for value", async () => {
  const dir = await ensureDerived(config, {log: () => {}});
  const manifest = readManifest(dir);
  const truth = readTruth(dir) as SimTruth;
  const span = manifest.span as [number, number];
  const options = {seed: 9, resamples: 49};
  const single = await streamedLeaderRuns(dir, {venues: manifest.venues, span, truth}, options, {workers: 1});
  const pooled = await streamedLeaderRuns(dir, {venues: manifest.venues, span, truth}, options, {workers: 2});
  assert.ok(single.results.some((r) => r.pairs.length > 0 && r.transfer.length > 0));
  assert.equal(JSON.stringify(pooled), JSON.stringify(single));
});

test("chapter 03's stored result, which holds Analysis B, is keyed by every source the day-by-day rule runs", () => {
  const graph = moduleGraph(["loaders/chapters/ch03.ts"]);
  for (const f of ["lib/analysis/spot-perp.ts", "loaders/chapters/leaders.ts", "lib/analysis/leadership-stream.ts", "lib/hy-stream.ts", "lib/hayashi-yoshida.ts", "lib/analysis/leadership.ts"]) assert.ok(graph.includes(f), `${f} in chapter 03's key`);
});
