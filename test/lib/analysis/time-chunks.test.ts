// A whole-span table cut by time into hour chunks (lib/analysis/time-chunks.ts): each row lands in
// the chunk that holds its time, the chunks joined in order give the table back, and rows out of
// order or outside the span are refused, naming the row.
import assert from "node:assert/strict";
import {test} from "node:test";
import {joinColumns, sliceColumns, sliceRows, timeCuts} from "../../../lib/analysis/time-chunks.ts";

const H = 3_600_000;
const t0 = Date.UTC(2024, 7, 5);

test("each row goes to the chunk of its time; the last chunk may be partial; empty chunks stay", () => {
  const time = [t0, t0 + 10, t0 + H - 1, t0 + H, t0 + 3 * H + 5, t0 + 3 * H + 5, t0 + 3.5 * H];
  const cuts = timeCuts(time, [t0, t0 + 3.6 * H], H);
  assert.deepEqual(cuts, [0, 3, 4, 4, 7]);
  const columns = {t: time, v: time.map((_, i) => (i === 2 ? null : i * 1.5)), label: time.map((_, i) => `r${i}`)};
  const slices = sliceColumns(columns, cuts);
  assert.equal(slices.length, 4);
  assert.deepEqual(slices[2], {t: [], v: [], label: []});
  assert.deepEqual(slices[0].label, ["r0", "r1", "r2"]);
  assert.deepEqual(joinColumns(slices), columns);
  assert.deepEqual(joinColumns(slices.slice(1, 3)), {t: time.slice(3, 4), v: [4.5], label: ["r3"]}, "a range's chunks give its rows");
  const rows = time.map((t, i) => ({t, i}));
  assert.deepEqual(sliceRows(rows, cuts).flat(), rows);
  assert.deepEqual(sliceRows(rows, cuts)[3].map((r) => r.i), [4, 5, 6]);
});

test("rows out of order, before or after the span, and columns of another length are refused", () => {
  assert.throws(() => timeCuts([t0 + 5, t0 + 1], [t0, t0 + H], H), /row 1.*out of order/);
  assert.throws(() => timeCuts([t0 - 1], [t0, t0 + H], H), /row 0.*before the span's start/);
  assert.throws(() => timeCuts([t0, t0 + H], [t0, t0 + H], H), /row 1.*at or after the span's end/);
  assert.throws(() => sliceColumns({a: [1, 2], b: [1]}, [0, 2]), /column b: 1 values for 2 rows/);
  assert.throws(() => joinColumns([]), /none/);
});
