import test from "node:test";
import assert from "node:assert/strict";
import {leadTest, spikeOnsets} from "../../lib/event-lead.js";
import {mulberry32} from "../../lib/random.js";

function randomIndices(random: () => number, count: number, n: number): Int32Array {
  return Int32Array.from({length: count}, () => Math.floor(random() * n));
}

test("spikeOnsets(x, options) returns the starts of excursions above the quantile", () => {
  // Values 0..9 plus excursions; the 0.8 quantile of [0,0,5,6,0,7,0,0,0,9] is 6.2.
  const x = [0, 0, 5, 6, 0, 7, 0, 0, 0, 9];
  assert.deepEqual(Array.from(spikeOnsets(x, {quantile: 0.8})), [5, 9]);
  assert.deepEqual(Array.from(spikeOnsets([1, 5, 5, 1, 5, 1, 1, 5], {quantile: 0.5})), [1, 4, 7]);
  // minGap 2 joins excursions separated by a single low sample.
  assert.deepEqual(Array.from(spikeOnsets([1, 5, 5, 1, 5, 1, 1, 5], {quantile: 0.5, minGap: 2})), [1, 7]);
  assert.deepEqual(Array.from(spikeOnsets([NaN, NaN])), []);
  assert.throws(() => spikeOnsets([1], {quantile: 1.5}), /invalid quantile: 1.5/);
});

test("leadTest(spikes, events, options) counts hits as a direct search does", () => {
  const random = mulberry32(1);
  const n = 800;
  const events = randomIndices(random, 15, n);
  const spikes = randomIndices(random, 40, n);
  const horizon = 12;
  const result = leadTest(spikes, events, {n, horizon, minLead: 2, seed: 1, placements: 100});
  let hits = 0, count = 0;
  for (const s of spikes) {
    if (s > n - 1 - horizon) continue;
    ++count;
    if (Array.from(events).some((e) => e - s >= 2 && e - s <= horizon)) ++hits;
  }
  assert.equal(result.spikes, count);
  assert.equal(result.hits, hits);
  assert.equal(result.hitRate, hits / count);
  assert.equal(result.nullHitRates.length, 100);
});

test("leadTest(spikes, events, options) gives a small p-value when spikes are planted before events", () => {
  for (const model of ["uniform", "shift"] as const) {
    const random = mulberry32(2);
    const n = 5000;
    const events = randomIndices(random, 20, n - 100).map((e) => e + 50);
    // A spike 1–10 samples before each event, plus 5 false alarms.
    const spikes = Int32Array.from([...Array.from(events, (e) => e - 1 - Math.floor(random() * 10)), ...randomIndices(random, 5, n)]);
    const result = leadTest(spikes, events, {n, horizon: 20, seed: 3, null: model});
    assert.ok(result.hitRate >= 0.8);
    // Random times hit with probability ≈ 20·20/5000 = 8 %.
    assert.ok(result.nullMean < 0.15, `${model}: null mean ${result.nullMean}`);
    assert.ok(result.p < 0.005, `${model}: p = ${result.p}`);
  }
});

test("leadTest(spikes, events, options) is not significant for random spikes", () => {
  const random = mulberry32(4);
  let significant = 0;
  for (let trial = 0; trial < 20; ++trial) {
    const n = 5000;
    const result = leadTest(randomIndices(random, 25, n), randomIndices(random, 20, n), {n, horizon: 20, seed: trial, placements: 400});
    if (result.p <= 0.05) ++significant;
  }
  // Under the null P(p ≤ 0.05) ≤ 0.05 (discrete hit counts make it smaller): expect ≈ 1 of 20.
  assert.ok(significant <= 3, `${significant} of 20 random trials significant`);
});

test("leadTest(spikes, events, options) validates its input", () => {
  assert.throws(() => leadTest([5], [1], {n: 5, horizon: 2, seed: 1}), /invalid spike: 5/);
  assert.throws(() => leadTest([1], [1], {n: 5, horizon: 5, seed: 1}), /invalid horizon: 5/);
  const empty = leadTest([], [1], {n: 5, horizon: 2, seed: 1, placements: 10});
  assert.ok(Number.isNaN(empty.hitRate) && Number.isNaN(empty.p));
});
