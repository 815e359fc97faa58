import test from "node:test";
import assert from "node:assert/strict";
import {dwellTimes, dwellTimesAt} from "../../lib/dwell-times.js";
import {exponentialFit} from "../../lib/goodness-of-fit.js";
import {doubleWell, langevin} from "../../lib/langevin.js";

test("dwellTimes(price, level, {halfWidth}) gives the run lengths inside the band", () => {
  //           0    1    2    3    4    5    6    7    8    9   10   11
  const p = [100, 100, 103, 100, 101, 99, 104, 104, 100, 96, 100, 100];
  const d = dwellTimes(p, 100, {halfWidth: 1});
  // Runs inside [99, 101]: 0–1 (left-censored, dropped), 3–5 (3), 8 (1), 10–11 (right-censored).
  assert.deepEqual(Array.from(d.start), [3, 8]);
  assert.deepEqual(Array.from(d.duration), [3, 1]);
  const all = dwellTimes(p, 100, {halfWidth: 1, censored: true, interval: 2});
  assert.deepEqual(Array.from(all.start), [0, 3, 8, 10]);
  assert.deepEqual(Array.from(all.duration), [4, 6, 2, 4]);
  assert.deepEqual(Array.from(all.censored), [1, 0, 0, 1]);
});

test("dwellTimes(price, level, {minExit}) absorbs short excursions", () => {
  const p = [90, 100, 103, 100, 101, 99, 104, 104, 100, 96, 100, 90, 90, 90];
  // minExit 2: the one-sample excursions (2, 9) are flicker; 6–7 ends the first dwell (1 → 6) and
  // 11–12 the second (8 → 11). minExit 3: only 11–13 is long enough, one dwell 1 → 11.
  assert.deepEqual(Array.from(dwellTimes(p, 100, {halfWidth: 1, minExit: 2}).duration), [5, 3]);
  assert.deepEqual(Array.from(dwellTimes(p, 100, {halfWidth: 1, minExit: 3}).duration), [10]);
  assert.deepEqual(Array.from(dwellTimes(p, 100, {halfWidth: 1, minExit: 3}).start), [1]);
});

test("dwellTimes(price, level, {exitHalfWidth}) uses a wider band to leave than to enter", () => {
  const p = [90, 102, 101, 103, 102.5, 98, 106, 102, 100, NaN, 100];
  // Enter at 101 (index 2); stay within ±3 until 106 (index 6); re-enter at 100 (8); NaN ends it.
  const d = dwellTimes(p, 100, {halfWidth: 1, exitHalfWidth: 3});
  assert.deepEqual(Array.from(d.start), [2, 8]);
  assert.deepEqual(Array.from(d.duration), [4, 1]);
  assert.throws(() => dwellTimes(p, 100, {halfWidth: 1, exitHalfWidth: 0.5}), /invalid exitHalfWidth: 0.5/);
  assert.throws(() => dwellTimes(p, 100, {halfWidth: 0}), /invalid halfWidth: 0/);
  assert.throws(() => dwellTimes(p, 100, {halfWidth: 1, minExit: 0}), /invalid minExit: 0/);
});

test("dwellTimesAt(price, levels, options) takes one band per level", () => {
  const p = [0, 10, 10, 0, 20, 10, 0];
  const [a, b] = dwellTimesAt(p, [10, 20], {halfWidth: [1, 2]});
  assert.deepEqual(Array.from(a.duration), [2, 1]);
  assert.deepEqual(Array.from(b.duration), [1]);
  assert.throws(() => dwellTimesAt(p, [10, 20], {halfWidth: [1]}), /invalid halfWidth length: 1/);
});

test("dwellTimes of a Langevin path in a double well are exponential with Kramers' mean", () => {
  // Core sets: enter within 0.5 of a minimum, leave past the other side of the saddle (|x ∓ 1| > 1.5).
  const well = doubleWell({height: 1});
  const T = 0.25;
  const dt = 0.005;
  const thin = 10;
  const tauK = well.kramersTime(T);
  const path = langevin(well, {x0: -1, dt, steps: Math.round((150 * tauK) / dt), temperature: T, seed: 3, thin});
  const d = dwellTimesAt(path, well.minima, {halfWidth: 0.5, exitHalfWidth: 1.5, interval: dt * thin});
  const durations = Float64Array.from([...d[0].duration, ...d[1].duration]);
  assert.ok(durations.length > 100, `${durations.length}`);
  const fit = exponentialFit(durations, {seed: 1});
  assert.ok(fit.pValue > 0.05, `p = ${fit.pValue}`);
  // Kramers' law holds to O(T/ΔU) = 25 % here; the mean of ~140 dwells is within ±17 % (2 SE).
  assert.ok(fit.mean > 0.7 * tauK && fit.mean < 1.5 * tauK, `${fit.mean} vs ${tauK}`);
  // Without hysteresis a narrow band flickers: thousands of short runs inside one well, whose
  // mean says nothing about escape.
  const flicker = dwellTimes(path, -1, {halfWidth: 0.2, interval: dt * thin});
  assert.ok(flicker.duration.length > 50 * d[0].duration.length, `${flicker.duration.length}`);
  assert.ok(flicker.duration.reduce((a, b) => a + b, 0) / flicker.duration.length < 0.02 * tauK);
});
