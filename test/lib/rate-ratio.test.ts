import test from "node:test";
import assert from "node:assert/strict";
import {rateRatio} from "../../lib/rate-ratio.js";
import {mulberry32, randomExponential} from "../../lib/random.js";

test("rateRatio(dA, EA, dB, EB) of 10 events in 100 s against 5 in 100 s is 2 with the exact binomial p-value", () => {
  const r = rateRatio(10, 100, 5, 100);
  assert.equal(r.rateA, 0.1);
  assert.equal(r.rateB, 0.05);
  assert.equal(r.ratio, 2);
  const se = Math.sqrt(1 / 10 + 1 / 5);
  assert.ok(Math.abs(r.low - 2 * Math.exp(-1.959963984540054 * se)) < 1e-9);
  assert.ok(Math.abs(r.high - 2 * Math.exp(1.959963984540054 * se)) < 1e-9);
  // Given 15 events in equal exposures, 10 or more (or 5 or fewer) in A: 2·(3003 + 1365 + 455 + 105 + 15 + 1)/2^15.
  assert.ok(Math.abs(r.pValue - (2 * 4944) / 32768) < 1e-12, `p = ${r.pValue}`);
  // Unequal exposures shift the null: 10 events in 50 s against 10 in 100 s.
  const u = rateRatio(10, 50, 10, 100, {level: 0.9});
  assert.equal(u.ratio, 2);
  assert.ok(Math.abs(u.high / u.low - Math.exp(2 * 1.6448536269514722 * Math.sqrt(0.2))) < 1e-9);
});

test("rateRatio(dA, EA, dB, EB) covers the true ratio of seeded exponential stays about 95 % of the time", () => {
  const random = mulberry32(11);
  let covered = 0;
  let rejected = 0;
  const runs = 400;
  for (let run = 0; run < runs; ++run) {
    // 30 stays at rate 2 and 40 at rate 1, the last few cut short (censored, no event).
    const stays = (rate: number, n: number) => {
      let events = 0;
      let exposure = 0;
      for (let i = 0; i < n; ++i) {
        const t = randomExponential(random, rate);
        const cut = i >= n - 3 ? t * random() : t;
        exposure += cut;
        if (cut === t) ++events;
      }
      return {events, exposure};
    };
    const a = stays(2, 30);
    const b = stays(1, 40);
    const r = rateRatio(a.events, a.exposure, b.events, b.exposure);
    if (r.low <= 2 && 2 <= r.high) ++covered;
    const same = stays(1, 30);
    if (rateRatio(same.events, same.exposure, b.events, b.exposure).pValue < 0.05) ++rejected;
  }
  assert.ok(covered / runs > 0.91 && covered / runs < 0.99, `coverage ${covered / runs}`);
  assert.ok(rejected / runs < 0.08, `size ${rejected / runs}`);
});

test("rateRatio(dA, EA, dB, EB) handles groups without events and rejects bad counts", () => {
  const r = rateRatio(7, 100, 0, 300);
  assert.equal(r.ratio, Infinity);
  assert.ok(Number.isNaN(r.low) && Number.isNaN(r.high));
  // All 7 events in A when A holds a quarter of the exposure: p = 0.25^7 one way, doubled region two-sided.
  assert.ok(r.pValue > 0 && r.pValue < 1e-3);
  assert.ok(Number.isNaN(rateRatio(0, 10, 0, 10).pValue));
  assert.ok(Number.isNaN(rateRatio(1, 0, 1, 10).rateA));
  assert.throws(() => rateRatio(1.5, 1, 1, 1), /invalid eventsA: 1.5/);
  assert.throws(() => rateRatio(1, 1, -1, 1), /invalid eventsB: -1/);
  assert.throws(() => rateRatio(1, -1, 1, 1), /invalid exposureA: -1/);
  assert.throws(() => rateRatio(1, 1, 1, Infinity), /invalid exposureB: Infinity/);
  assert.throws(() => rateRatio(1, 1, 1, 1, {level: 1}), /invalid level: 1/);
});
