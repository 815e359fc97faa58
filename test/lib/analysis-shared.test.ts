import test from "node:test";
import assert from "node:assert/strict";
import {formatInterval, formatNumber, formatP, formatValue} from "../../lib/analysis/format.js";
import {fullPeriod, periodLabel, schedulePeriods} from "../../lib/analysis/periods.js";
import {round, roundAll, roundNumber} from "../../lib/analysis/round.js";
import {orderedPairs, venueLabel, venuePairs} from "../../lib/analysis/venues.js";
import type {SimTruth} from "../../lib/analysis/truth.js";

test("formatP(p) writes p = 0.012, p < 0.001 or p n/a", () => {
  assert.equal(formatP(0.0123), "p = 0.012");
  assert.equal(formatP(0.0004), "p < 0.001");
  assert.equal(formatP(NaN), "p n/a");
  assert.equal(formatP(null, "q"), "q n/a");
  assert.equal(formatNumber(12345.678, 1), "12,345.7");
  assert.equal(formatInterval([1, 2.5], 1), "[1.0, 2.5]");
  assert.equal(formatInterval(null), "");
  assert.equal(formatValue({value: 2, unit: "of 3 regime transitions", digits: 0, interval: null, pValue: 0.003}), "2 of 3 regime transitions (p = 0.003)");
  assert.equal(formatValue({value: 148, unit: "ms", digits: 0, interval: [132, 161], pValue: null}), "148 ms [132, 161]");
});

test("round(x, digits) keeps significant digits and maps non-finite values to null", () => {
  assert.equal(round(1234.5678, 3), 1230);
  assert.equal(round(NaN), null);
  assert.ok(Number.isNaN(roundNumber(Infinity)));
  assert.deepEqual(roundAll([0.123456789, NaN], 4), [0.1235, null]);
});

test("venuePairs(venues) and orderedPairs(venues) list the unordered and ordered pairs", () => {
  assert.deepEqual(venuePairs(["a", "b", "c"]), [["a", "b"], ["a", "c"], ["b", "c"]]);
  assert.deepEqual(orderedPairs(["a", "b"]), [["a", "b"], ["b", "a"]]);
  assert.equal(venueLabel("okx"), "OKX");
  assert.equal(venueLabel("elsewhere"), "elsewhere");
});

test("schedulePeriods(truth, span) names the planted intervals against the crash", () => {
  const delays = {binance: 0, bybit: 150, okx: 300, coinbase: 500};
  const truth = {
    events: {crashStart: 100_000, crashEnd: 200_000},
    leadLag: {
      transitionMs: 5000,
      schedule: [
        {start: 0, end: 100_000, leader: "binance", delaysMs: delays},
        {start: 100_000, end: 200_000, leader: "bybit", delaysMs: delays},
        {start: 200_000, end: 230_000, leader: "binance", delaysMs: delays}
      ]
    }
  } as unknown as SimTruth;
  const p = schedulePeriods(truth, [0, 230_000]);
  assert.deepEqual(p.map((x) => x.id), ["before-crash", "crash", "after-crash"]);
  assert.equal(p[1].planted!.leader, "bybit");
  const trimmed = schedulePeriods(truth, [0, 230_000], {trimMs: 5000, minMs: 60_000});
  assert.deepEqual(trimmed.map((x) => [x.id, x.start]), [["before-crash", 0], ["crash", 105_000]]);
  assert.deepEqual(schedulePeriods(null, [0, 10]), [fullPeriod([0, 10])]);
  assert.equal(periodLabel("before-crash"), "before the crash");
});
