import test from "node:test";
import assert from "node:assert/strict";
import {hitRateTest, thresholdCrossings} from "../../lib/event-study.js";
import {mulberry32} from "../../lib/random.js";

test("thresholdCrossings(x, threshold) finds downward and upward crossings", () => {
  const x = [5, 4, 2, 1, 3, 5, 1, NaN, 0, 6, 2];
  assert.deepEqual(Array.from(thresholdCrossings(x, 3)), [2, 6, 10]);
  assert.deepEqual(Array.from(thresholdCrossings(x, 3, {direction: "up"})), [5, 9]);
  // The first value is never a crossing; NaN does not break an excursion.
  assert.deepEqual(Array.from(thresholdCrossings([1, 1, 5, NaN, 1], 3)), [4]);
  assert.deepEqual(Array.from(thresholdCrossings([], 3)), []);
});

test("thresholdCrossings(x, threshold, {minGap}) ignores crossings within the refractory period", () => {
  const x = [5, 1, 5, 1, 5, 5, 5, 1];
  assert.deepEqual(Array.from(thresholdCrossings(x, 3)), [1, 3, 7]);
  assert.deepEqual(Array.from(thresholdCrossings(x, 3, {minGap: 3})), [1, 7]);
  assert.throws(() => thresholdCrossings(x, NaN), /invalid threshold: NaN/);
  assert.throws(() => thresholdCrossings(x, 3, {minGap: 0}), /invalid minGap: 0/);
  assert.throws(() => thresholdCrossings(x, 3, {direction: "sideways" as never}), /invalid direction: sideways/);
});

test("hitRateTest(events, direction, outcome) counts hits and skips unusable events", () => {
  const direction = [1, -1, 1, 0, 1, -1, 1, 1];
  const outcome = [0.1, -0.2, -0.1, 0.3, 0, 0.4, 0.2, NaN];
  // Usable: 0 (hit), 1 (hit), 2 (miss), 5 (miss), 6 (hit); 3 has no direction, 4 no move, 7 NaN.
  const r = hitRateTest([0, 1, 2, 3, 4, 5, 6, 7, 6, 99], direction, outcome, {permutations: 0});
  assert.equal(r.events, 5);
  assert.equal(r.hits, 3);
  assert.equal(r.hitRate, 0.6);
  assert.equal(r.pool, 5);
  assert.equal(r.baseline, 0.6);
  assert.equal(r.pBinomial, 1);
  assert.ok(Number.isNaN(r.pPermutation));
});

test("hitRateTest(events, direction, outcome) finds planted predictive events and not random ones", () => {
  const random = mulberry32(7);
  const n = 20_000;
  const direction = new Float64Array(n);
  const outcome = new Float64Array(n);
  for (let t = 0; t < n; ++t) {
    direction[t] = random() < 0.5 ? -1 : 1;
    outcome[t] = random() - 0.5;
  }
  // Planted: at 200 event times the outcome follows the direction with probability 0.8.
  const planted = Int32Array.from({length: 200}, (_, j) => j * 97 + 5);
  for (const i of planted) outcome[i] = (random() < 0.8 ? direction[i] : -direction[i]) * (0.1 + random());
  const r = hitRateTest(planted, direction, outcome, {permutations: 499, seed: 1});
  assert.equal(r.events, 200);
  assert.ok(r.hitRate > 0.7, `hit rate ${r.hitRate}`);
  assert.ok(r.pBinomial < 1e-6, `binomial p ${r.pBinomial}`);
  assert.equal(r.pPermutation, 1 / 500);
  assert.ok(Math.abs(r.nullMean - 0.5) < 0.02);
  // Random events: neither test rejects.
  const other = Int32Array.from({length: 200}, (_, j) => j * 97 + 50);
  const q = hitRateTest(other, direction, outcome, {permutations: 499, seed: 1});
  assert.ok(q.pBinomial > 0.05 && q.pPermutation > 0.05, `p ${q.pBinomial} ${q.pPermutation}`);
});

test("hitRateTest(events, direction, outcome) measures against the unconditional agreement, not a fair coin", () => {
  // Direction and outcome agree 70 % of the time everywhere: events at random times hit 70 %,
  // which the binomial test against 1/2 flags and the permutation test does not.
  const random = mulberry32(3);
  const n = 50_000;
  const direction = new Float64Array(n).fill(1);
  const outcome = Float64Array.from({length: n}, () => (random() < 0.7 ? 1 : -1));
  const events = Int32Array.from({length: 400}, (_, j) => j * 111 + 3);
  const r = hitRateTest(events, direction, outcome, {permutations: 499, seed: 2});
  assert.ok(Math.abs(r.baseline - 0.7) < 0.01);
  assert.ok(r.pBinomial < 1e-6);
  assert.ok(r.pPermutation > 0.05, `permutation p ${r.pPermutation}`);
  assert.throws(() => hitRateTest(events, direction, outcome.subarray(1)), /invalid outcome: length 49999/);
});

test("intervalShareTest(flag, start, end) finds flags planted in the interval and not clustered flags elsewhere", async () => {
  const {intervalShareTest} = await import("../../lib/event-study.js");
  const random = mulberry32(11);
  const n = 10_000;
  const flag = new Uint8Array(n);
  // Clusters of 50 flags at random places, plus a dense cluster in [6000, 6500).
  for (let c = 0; c < 20; ++c) {
    const a = Math.floor(random() * (n - 50));
    flag.fill(1, a, a + 50);
  }
  const base = intervalShareTest(flag, 6000, 6500, {seed: 1});
  flag.fill(1, 6000, 6400);
  const r = intervalShareTest(flag, 6000, 6500, {seed: 1});
  assert.equal(r.expected, 0.05);
  assert.equal(r.flagged, flag.reduce((s, v) => s + v, 0));
  let inside = 0;
  for (let i = 6000; i < 6500; ++i) inside += flag[i];
  assert.equal(r.share, inside / r.flagged);
  assert.ok(r.pValue < 0.01, `planted p ${r.pValue}`);
  // Without the planted cluster the share is unremarkable.
  assert.ok(base.pValue > 0.05, `unplanted p ${base.pValue}`);
  assert.ok(Math.abs(base.nullMean - base.expected) < 0.01, `null mean ${base.nullMean}`);
  assert.throws(() => intervalShareTest(flag, 10, 5), /invalid interval: \[10, 5\)/);
});
