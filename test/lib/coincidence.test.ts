import test from "node:test";
import assert from "node:assert/strict";
import {coincidenceCount, coincidenceTest, coincidentEvents, declusterEvents, randomEvents} from "../../lib/coincidence.ts";
import {mulberry32} from "../../lib/random.ts";

/** Direct count: reference events with an event of every other series within the tolerance. */
function referenceCount(a: number[], others: number[][], h: number): number {
  return a.filter((t) => others.every((o) => o.some((b) => Math.abs(b - t) <= h))).length;
}

test("coincidentEvents(a, [b], h) flags the events of a with an event of b within ±h, edges included", () => {
  assert.deepEqual(Array.from(coincidentEvents([0, 10, 20], [[1, 25]], 2)), [1, 0, 0]);
  assert.deepEqual(Array.from(coincidentEvents([0, 10, 20], [[1, 25]], 5)), [1, 0, 1]);
  assert.deepEqual(Array.from(coincidentEvents([0, 10, 20], [[25, 1]], 0)), [0, 0, 0]);
  assert.deepEqual(Array.from(coincidentEvents([0, 10, 20], [[10]], 0)), [0, 1, 0]);
});

test("coincidentEvents(a, [b, c], h) needs an event of every series (a joint coincidence)", () => {
  assert.deepEqual(Array.from(coincidentEvents([0, 10, 20], [[1, 11], [9, 30]], 2)), [0, 1, 0]);
  assert.deepEqual(Array.from(coincidentEvents([0, 10], [], 2)), [1, 1]);
  assert.deepEqual(Array.from(coincidentEvents([0, 10], [[]], 2)), [0, 0]);
});

test("coincidenceCount(a, others, h) equals a direct count on random series", () => {
  const random = mulberry32(11);
  for (let trial = 0; trial < 50; ++trial) {
    const draw = (n: number) => Array.from({length: n}, () => Math.round(random() * 1000));
    const a = draw(1 + Math.floor(random() * 20));
    const others = Array.from({length: 1 + Math.floor(random() * 3)}, () => draw(Math.floor(random() * 30)));
    const h = Math.round(random() * 40);
    assert.equal(coincidenceCount(a, others, h), referenceCount(a, others, h), `trial ${trial}`);
  }
});

test("coincidenceTest(a, [b], options) with b a jittered copy of a is significant, and counts every event", () => {
  const span: [number, number] = [0, 86_400_000];
  const a = randomEvents(8, [600_000, 85_800_000], 3);
  const random = mulberry32(5);
  const b = Array.from(a, (t) => t + (random() - 0.5) * 120_000);
  for (const kind of ["shuffle", "circular"] as const) {
    const r = coincidenceTest(a, [b], {tolerance: 300_000, span, surrogates: 999, seed: 1, null: kind});
    assert.equal(r.count, 8);
    assert.equal(r.events, 8);
    assert.equal(r.rate, 1);
    // A circular shift keeps b's own spacing, so a shift can realign part of the pattern: a weaker null than uniform times.
    assert.ok(r.pValue <= (kind === "shuffle" ? 0.002 : 0.01), `${kind}: p = ${r.pValue}`);
    assert.ok(r.nullMean < 1, `${kind}: null mean ${r.nullMean}`);
  }
});

test("coincidenceTest(a, [b], {null: 'shuffle'}) has the analytic null mean |a|·c/L, c the span covered within ±h of b", () => {
  const span: [number, number] = [0, 1000];
  const a = [100, 600, 900];
  const b = [300, 500, 510, 990];
  const h = 20;
  // Covered: [280, 320], [480, 530], [970, 1000] → 40 + 50 + 30 = 120 of 1000.
  const r = coincidenceTest(a, [b], {tolerance: h, span, surrogates: 40_000, seed: 2});
  const expected = (a.length * 120) / 1000;
  assert.ok(Math.abs(r.nullMean - expected) < 0.01, `${r.nullMean} vs ${expected}`);
  assert.equal(r.count, 0);
  assert.equal(r.pValue, 1);
});

test("coincidenceTest(a, [b], {null: 'circular'}) keeps the spacing of a: a pair 50 apart realigns with a pair 50 apart in 2 % of shifts", () => {
  const span: [number, number] = [0, 100];
  const a = [0, 50];
  const b = [0, 50];
  const circular = coincidenceTest(a, [b], {tolerance: 1, span, surrogates: 9999, seed: 4, null: "circular"});
  assert.equal(circular.count, 2);
  // Both coincide for shifts in [0, 1] (no wrap) and [50, 51] (the second event wraps to [0, 1]); time is not
  // circular, so shifts just below 0 or 50 leave one event at 99.x, far from 0: probability 2/100.
  assert.ok(circular.pValue > 0.015 && circular.pValue < 0.025, `circular p = ${circular.pValue}`);
  const shuffled = coincidenceTest(a, [b], {tolerance: 1, span, surrogates: 9999, seed: 4, null: "shuffle"});
  // Independent uniform times: each coincides with probability 3/100 (the covered [0, 1] ∪ [49, 51]), both with 0.0009.
  assert.ok(shuffled.pValue < 0.004, `shuffle p = ${shuffled.pValue}`);
});

test("coincidenceTest(a, others, options) counts every surrogate as coinciding when the others cover the span", () => {
  const span: [number, number] = [0, 100];
  const grid = Array.from({length: 11}, (_, i) => i * 10);
  for (const kind of ["shuffle", "circular"] as const) {
    const r = coincidenceTest([3, 37, 61, 97], [grid], {tolerance: 5, span, surrogates: 199, seed: 4, null: kind});
    assert.equal(r.count, 4);
    assert.equal(r.nullMean, 4);
    assert.equal(r.pValue, 1);
  }
});

test("coincidenceTest(a, [b, c], options) keeps b and c fixed: random reference times are rejected in at most about 5 % of draws even when b and c coincide with each other", () => {
  const span: [number, number] = [0, 1440];
  // b and c are strongly associated (c is a copy of b, jittered): a null that shuffled them independently would reject far too often.
  const b = randomEvents(12, span, 77);
  const c = Array.from(b, (t, i) => Math.min(1440, t + ((i % 3) - 1) * 2));
  let rejected = 0;
  const runs = 300;
  for (let s = 0; s < runs; ++s) {
    const a = randomEvents(3, span, 1000 + s);
    const r = coincidenceTest(a, [b, c], {tolerance: 10, span, surrogates: 99, seed: s});
    if (r.pValue <= 0.05) ++rejected;
  }
  // Binomial(300, ≤ 0.05): mean ≤ 15, sd 3.8.
  assert.ok(rejected <= 26, `rejected ${rejected} of ${runs}`);
});

test("coincidenceTest(a, others, options) on independent uniform events rejects at 5 % in at most about 5 % of seeds", () => {
  const span: [number, number] = [0, 1440];
  let rejected = 0;
  const runs = 200;
  for (let s = 0; s < runs; ++s) {
    const a = randomEvents(6, span, 1000 + s);
    const b = randomEvents(10, span, 5000 + s);
    const c = randomEvents(8, span, 9000 + s);
    const r = coincidenceTest(a, [b, c], {tolerance: 15, span, surrogates: 99, seed: s});
    if (r.pValue <= 0.05) ++rejected;
  }
  // Binomial(200, 0.05): mean 10, sd 3.1; the discrete statistic makes the test conservative.
  assert.ok(rejected <= 20, `rejected ${rejected} of ${runs}`);
});

test("coincidenceTest(a, others, options) is deterministic in its seed", () => {
  const span: [number, number] = [0, 1000];
  const a = randomEvents(5, span, 1);
  const b = randomEvents(20, span, 2);
  const r1 = coincidenceTest(a, [b], {tolerance: 20, span, surrogates: 99, seed: 7});
  const r2 = coincidenceTest(a, [b], {tolerance: 20, span, surrogates: 99, seed: 7});
  assert.deepEqual(Array.from(r1.nullCounts), Array.from(r2.nullCounts));
  assert.equal(r1.pValue, r2.pValue);
});

test("coincidenceTest(a, others, options) rejects bad arguments with a RangeError naming the value", () => {
  const span: [number, number] = [0, 100];
  assert.throws(() => coincidenceTest([1], [[2]], {tolerance: -1, span}), /invalid tolerance: -1/);
  assert.throws(() => coincidenceTest([1], [[2]], {tolerance: 1, span: [5, 5]}), /invalid span/);
  assert.throws(() => coincidenceTest([1], [[200]], {tolerance: 1, span}), /invalid others\[0\]\[0\]: 200/);
  assert.throws(() => coincidenceTest([NaN], [[2]], {tolerance: 1, span}), /invalid a\[0\]: NaN/);
  assert.throws(() => coincidenceTest([1], [[2]], {tolerance: 1, span, surrogates: 0}), /invalid surrogates: 0/);
  assert.throws(() => coincidenceTest([1], [[2]], {tolerance: 1, span, null: "poisson" as "shuffle"}), /invalid null: poisson/);
  assert.throws(() => coincidentEvents([1], [2] as unknown as number[][], 1), /invalid others\[0\]/);
});

test("declusterEvents(times, minGap) keeps the first event of every burst", () => {
  assert.deepEqual(Array.from(declusterEvents([13, 0, 1, 5, 12, 30], 10)), [0, 12, 30]);
  assert.deepEqual(Array.from(declusterEvents([3, 3, 3], 0)), [3, 3, 3]);
  assert.deepEqual(Array.from(declusterEvents([], 5)), []);
  assert.throws(() => declusterEvents([1], -1), /invalid minGap: -1/);
});

test("randomEvents(n, span, seed) draws n sorted times inside the span, the same for the same seed", () => {
  const x = randomEvents(50, [10, 20], 9);
  assert.equal(x.length, 50);
  for (let i = 0; i < x.length; ++i) {
    assert.ok(x[i] >= 10 && x[i] < 20);
    if (i) assert.ok(x[i] >= x[i - 1]);
  }
  assert.deepEqual(Array.from(randomEvents(50, [10, 20], 9)), Array.from(x));
  assert.throws(() => randomEvents(-1, [0, 1], 1), /invalid n: -1/);
});

test("coincidenceTest(a, others, {strata}) conditions on a common cause: events crowded into one period coincide by chance there", () => {
  // Both kinds fire often inside a "crash" [4000, 5000) of a span [0, 10000) and rarely outside,
  // independently of each other within each period.
  const random = mulberry32(21);
  const draw = (inside: number, outside: number) => [
    ...Array.from({length: inside}, () => 4000 + 1000 * random()),
    ...Array.from({length: outside}, () => (random() < 0.4 ? 4000 * random() : 5000 + 5000 * random()))
  ];
  let plain = 0;
  let conditioned = 0;
  for (let r = 0; r < 40; ++r) {
    const a = draw(8, 4);
    const b = draw(12, 4);
    const options = {tolerance: 30, span: [0, 10000] as [number, number], surrogates: 199, seed: r};
    if (coincidenceTest(a, [b], options).pValue <= 0.05) ++plain;
    if (coincidenceTest(a, [b], {...options, strata: [4000, 5000]}).pValue <= 0.05) ++conditioned;
  }
  // Unconditioned, the shared crash alone makes the test reject nearly always; conditioned on the
  // periods it holds its level (more than 5 of 40 would be a binomial tail of 1.4 % at α = 0.05).
  assert.ok(plain >= 30, `unconditioned: ${plain} of 40 rejected`);
  assert.ok(conditioned <= 5, `conditioned: ${conditioned} of 40 rejected`);
  // A real coupling inside the crash (b follows a within 3) is still found, with either null.
  const a = draw(8, 4);
  const b = [...draw(4, 4), ...a.filter((t) => t >= 4000 && t < 5000).map((t) => Math.min(4999, t + 3 * random()))];
  for (const kind of ["shuffle", "circular"] as const) {
    const t = coincidenceTest(a, [b], {tolerance: 5, span: [0, 10000], surrogates: 199, seed: 5, null: kind, strata: [5000, 4000]});
    assert.ok(t.pValue <= 0.05, `${kind}: p ${t.pValue}`);
  }
  // Without strata the draws are those of the one-period test.
  const x = coincidenceTest(a, [b], {tolerance: 30, span: [0, 10000], surrogates: 99, seed: 3});
  const y = coincidenceTest(a, [b], {tolerance: 30, span: [0, 10000], surrogates: 99, seed: 3, strata: []});
  assert.deepEqual(x.nullCounts, y.nullCounts);
  assert.throws(() => coincidenceTest(a, [b], {tolerance: 30, span: [0, 10000], strata: [10000]}), /invalid strata\[0\]: 10000/);
});
