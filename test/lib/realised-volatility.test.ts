import test from "node:test";
import assert from "node:assert/strict";
import {realisedVolatility, SECONDS_PER_YEAR} from "../../lib/realised-volatility.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

test("realisedVolatility(r, options) is √Σr² per window and scales per second and per year", () => {
  const r = [0.01, -0.02, 0.02, 0.01];
  const rv = realisedVolatility(r, {window: 2, step: 2});
  assert.ok(Math.abs(rv[0] - Math.sqrt(0.0005)) < 1e-15);
  assert.ok(Math.abs(rv[1] - Math.sqrt(0.0005)) < 1e-15);
  const perSecond = realisedVolatility(r, {window: 4, scale: "second", interval: 0.5});
  assert.ok(Math.abs(perSecond[0] - Math.sqrt(0.001 / 2)) < 1e-15);
  const perYear = realisedVolatility(r, {window: 4, scale: "year", interval: 60});
  assert.ok(Math.abs(perYear[0] - Math.sqrt(0.001 * SECONDS_PER_YEAR / 240)) < 1e-12);
  assert.throws(() => realisedVolatility(r, {window: 2, scale: "year"}), /invalid interval: undefined/);
});

test("realisedVolatility(r, options) recovers a planted volatility and rescales around gaps", () => {
  const random = mulberry32(4);
  const sigma = 0.001; // per 1-s return
  const r = Float64Array.from({length: 36000}, () => sigma * randomNormal(random));
  const rv = realisedVolatility(r, {window: 3600, step: 3600, scale: "second", interval: 1});
  // RV² of 3600 normals has relative SD √(2/3600) ≈ 2.4 %, so RV within ≈ 1.2 % (1 SD).
  for (const v of rv) assert.ok(Math.abs(v / sigma - 1) < 0.05, `${v}`);
  const gappy = Float64Array.from(r);
  for (let i = 0; i < gappy.length; i += 3) gappy[i] = NaN;
  const rvGappy = realisedVolatility(gappy, {window: 3600, step: 3600, scale: "second", interval: 1});
  for (const v of rvGappy) assert.ok(Math.abs(v / sigma - 1) < 0.06, `${v}`);
  const sparse = Float64Array.from(r);
  for (let i = 0; i < 3600; ++i) if (i % 4) sparse[i] = NaN;
  assert.ok(Number.isNaN(realisedVolatility(sparse, {window: 3600, step: 3600})[0]));
});
