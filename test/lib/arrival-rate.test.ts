import test from "node:test";
import assert from "node:assert/strict";
import {arrivalRate, fanoFactor, hourlyArrivalRate} from "../../lib/arrival-rate.js";
import {mulberry32, randomExponential} from "../../lib/random.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

test("arrivalRate(time) of a Poisson process recovers its rate", () => {
  const random = mulberry32(1);
  const time: number[] = [];
  for (let t = T0; t < T0 + 3_600_000; t += randomExponential(random, 5 / 1000)) time.push(t);
  const r = arrivalRate(time);
  assert.ok(Math.abs(r.rate - 5) < 4 * r.rateSE, `${r.rate} ± ${r.rateSE}`);
  assert.equal(r.count, time.length - 1);
  const w = arrivalRate(time, {start: T0, end: T0 + 3_600_000});
  assert.equal(w.count, time.length);
  assert.equal(w.seconds, 3600);
});

test("arrivalRate(time) rejects unsorted times and handles tiny inputs", () => {
  assert.throws(() => arrivalRate([2, 1]), /invalid time\[1\]: 1/);
  assert.ok(Number.isNaN(arrivalRate([5]).rate));
  assert.throws(() => arrivalRate([1, 2], {start: 3, end: 3}), /invalid window/);
});

test("hourlyArrivalRate(time) recovers a planted intraday profile over partial days", () => {
  // Rate λ(h) = 1 + h/4 trades per second in hour h (UTC), over 2.5 days starting at 06:00.
  const random = mulberry32(2);
  const start = T0 + 6 * 3_600_000;
  const end = start + 2.5 * DAY;
  const time: number[] = [];
  for (let hStart = start; hStart < end; hStart += 3_600_000) {
    const h = new Date(hStart).getUTCHours();
    const rate = (1 + h / 4) / 1000;
    for (let t = hStart + randomExponential(random, rate); t < hStart + 3_600_000; t += randomExponential(random, rate)) time.push(t);
  }
  const r = hourlyArrivalRate(time, {start, end});
  let total = 0;
  for (let h = 0; h < 24; ++h) {
    total += r.seconds[h];
    // Hours 06..17 are covered three times, the others twice.
    assert.equal(r.seconds[h], h >= 6 && h < 18 ? 3 * 3600 : 2 * 3600);
    assert.ok(Math.abs(r.rate[h] - (1 + h / 4)) < 4 * r.rateSE[h], `h=${h}: ${r.rate[h]}`);
  }
  assert.equal(total, 2.5 * 86400);
  // A UTC offset rotates the profile.
  const shifted = hourlyArrivalRate(time, {start, end, utcOffsetHours: 2});
  assert.equal(shifted.count[5], r.count[3]);
});

test("fanoFactor(time, {start, end, windowMs}) is about 1 for Poisson arrivals and far above 1 for clustered ones", () => {
  const random = mulberry32(11);
  const end = T0 + 2 * 3_600_000;
  const poisson: number[] = [];
  for (let t = T0 + randomExponential(random, 5 / 1000); t < end; t += randomExponential(random, 5 / 1000)) poisson.push(t);
  const f = fanoFactor(poisson, {start: T0, end, windowMs: 10_000});
  assert.ok(Math.abs(f - 1) < 0.3, `Poisson F = ${f}`);
  // Bursts: every arrival brings 9 more within a millisecond, so counts have variance ≈ 10 × mean.
  const bursty = poisson.flatMap((t) => Array.from({length: 10}, (_, k) => t + k * 1e-4));
  const g = fanoFactor(bursty, {start: T0, end, windowMs: 10_000});
  assert.ok(g > 7 && g < 13, `clustered F = ${g}`);
});

test("fanoFactor(time, options) skips blocks with fewer than 10 windows and rejects bad windows", () => {
  const time = [T0 + 1, T0 + 2, T0 + 3];
  assert.ok(Number.isNaN(fanoFactor(time, {start: T0, end: T0 + 5_000, windowMs: 1000})), "5 windows: no block qualifies");
  // Counts 3, 0, 0, … over 10 windows: mean 0.3, variance 0.9, F = 3.
  assert.ok(Math.abs(fanoFactor(time, {start: T0, end: T0 + 10_000, windowMs: 1000}) - 3) < 1e-12);
  assert.throws(() => fanoFactor(time, {start: T0, end: T0 + 10_000, windowMs: 0}), RangeError);
  assert.throws(() => fanoFactor([T0 + 2, T0 + 1], {start: T0, end: T0 + 10_000, windowMs: 1000}), RangeError);
});
