import test from "node:test";
import assert from "node:assert/strict";
import {setFlagsFromString} from "node:v8";
import {runInNewContext} from "node:vm";
import {DEFAULTS, validateConfig} from "../../loaders/config.ts";
import type {AnalysisConfig} from "../../loaders/config.ts";
import {BATCH_ROWS, expectedTrades, planMarket, simulateVenue, venueTruth} from "../../loaders/simulate/index.ts";

setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;

test("simulateVenue(plan, venue) streams a 7-day span with bounded memory and a continuous path across midnights", (t) => {
  const c: AnalysisConfig = {...structuredClone(DEFAULTS), start: "2024-08-01", end: "2024-08-07", venues: ["binance"]};
  c.simulation = {...c.simulation, rateScale: 0.05};
  const plan = planMarket(validateConfig(c));
  const [t0, t1] = plan.span;
  const {firstId} = venueTruth(plan, "binance");
  const DAY = 86_400_000;
  let n = 0;
  let lastTime = -Infinity;
  let lastPrice = NaN;
  let nextMidnight = t0 + DAY;
  const heap: number[] = [];
  const jumps: number[] = [];
  const gaps: number[] = [];
  for (const b of simulateVenue(plan, "binance")) {
    assert.ok(b.length > 0 && b.length <= BATCH_ROWS);
    for (let i = 0; i < b.length; ++i) {
      const time = b.time[i];
      if (time < lastTime || time >= t1 || b.id[i] !== firstId + n + i) assert.fail(`row ${n + i}: time ${time}, id ${b.id[i]}`);
      if (time >= nextMidnight) {
        jumps.push(Math.abs(Math.log(b.price[i] / lastPrice)));
        gaps.push(time - lastTime);
        nextMidnight += DAY;
        gc();
        gc();
        const m = process.memoryUsage();
        heap.push(m.heapUsed + m.arrayBuffers);
      }
      lastTime = time;
      lastPrice = b.price[i];
    }
    n += b.length;
    // The batches are dropped here: a stream that held its trades would grow by ≈ 17 MB a day.
  }
  const expected = expectedTrades(plan, "binance");
  // Array buffers are released lazily, so a single sample may carry a transient; retention would
  // show as growth of every later sample.
  const growth = (Math.min(heap[4], heap[5]) - heap[0]) / 2 ** 20;
  t.diagnostic(`${n} trades over 7 days (expected ${expected.toFixed(0)}); heap + array buffers after GC at midnights 1–6: ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(", ")} MB; |log price jump| across midnights ≤ ${Math.max(...jumps).toExponential(2)}`);
  assert.ok(Math.abs(n / expected - 1) < 0.03, `${n} trades, expected ${expected}`);
  assert.equal(heap.length, 6);
  assert.ok(growth < 20, `memory grew by ${growth.toFixed(1)} MB from the first to the last midnights`);
  // Consecutive trades ≈ 0.2 s apart; the latent path continues across midnight (1-minute σ ≈ 6e-4).
  for (const g of gaps) assert.ok(g < 60_000, `gap ${g} ms across midnight`);
  for (const j of jumps) assert.ok(j < 2e-3, `price jump ${j} across midnight`);
});
