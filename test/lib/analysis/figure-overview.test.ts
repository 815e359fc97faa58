// A whole-span figure's series reduced to a fixed size (lib/analysis/figure-overview.ts): a series
// that fits is kept whole; a longer one keeps at most about 4 points per column, its own points,
// including each column's extremes, so the line's envelope is the full series'.
import assert from "node:assert/strict";
import {test} from "node:test";
import {OVERVIEW_COLUMNS, seriesOverview} from "../../../lib/analysis/figure-overview.ts";

const series = (n: number) => {
  const t = Array.from({length: n}, (_, i) => 1_722_816_000_000 + i * 60_000);
  return {blockSec: 60, t, values: t.map((_, i) => Math.sin(i / 50) + (i === 7777 ? 9 : 0)), changes: [t[3]], planted: []};
};

test("a day of one-minute blocks is kept whole", () => {
  const s = series(1440);
  assert.deepEqual(seriesOverview(s), {...s, blocks: 1440});
});

test("two weeks of one-minute blocks: bounded, the series' own points, extremes kept", () => {
  const s = series(14 * 1440);
  const o = seriesOverview(s);
  assert.equal(o.blocks, s.t.length);
  assert.ok(o.t.length <= 4 * OVERVIEW_COLUMNS + 16 && o.t.length >= 2 * OVERVIEW_COLUMNS, `${o.t.length} points`);
  assert.deepEqual(o.changes, s.changes);
  for (let k = 0; k < o.t.length; ++k) {
    const i = (o.t[k] - s.t[0]) / 60_000;
    assert.equal(o.values[k], s.values[i], `point ${k} is the series' block ${i}`);
  }
  assert.equal(Math.max(...o.values), Math.max(...s.values));
  assert.equal(Math.min(...o.values), Math.min(...s.values));
  assert.ok(seriesOverview(series(28 * 1440)).t.length <= 4 * OVERVIEW_COLUMNS + 16, "does not grow with the span");
});

test("times and values of different lengths are refused", () => {
  assert.throws(() => seriesOverview({t: [1, 2], values: [1]}), /2 times for 1 values/);
});
