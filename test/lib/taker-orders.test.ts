import test from "node:test";
import assert from "node:assert/strict";
import {OrderRun} from "../../lib/taker-orders.ts";
import {takerOrders} from "../../lib/analysis/ch02.ts";

test("OrderRun.starts(time, side): a print of the same side at the same time is one more fill; another side or time starts an order", () => {
  const run = new OrderRun();
  const prints: [number, number][] = [[1, 1], [1, 1], [1, -1], [1, -1], [2, -1], [2, 1], [2, 1], [3, 1]];
  assert.deepEqual(prints.map(([t, s]) => run.starts(t, s)), [true, false, true, false, true, true, false, true]);
  assert.equal(run.starts(3, 1), false);
  run.reset();
  assert.equal(run.starts(3, 1), true, "after reset the next print starts an order");
});

test("takerOrders(time, side) groups as OrderRun does, skipping unknown sides, and a sequence cut anywhere groups as a whole", () => {
  const time = [5, 5, 5, 6, 6, 6, 7, 7];
  const side = [1, 0, 1, 1, -1, -1, -1, 1];
  const o = takerOrders(time, side);
  assert.deepEqual([...o.time], [5, 6, 6, 7, 7]);
  assert.deepEqual([...o.side], [1, 1, -1, -1, 1]);
  for (let cut = 0; cut <= time.length; ++cut) {
    const run = new OrderRun();
    const kept: number[] = [];
    for (const piece of [[0, cut], [cut, time.length]])
      for (let i = piece[0]; i < piece[1]; ++i) if (side[i] !== 0 && run.starts(time[i], side[i])) kept.push(i);
    assert.deepEqual(kept, [0, 3, 4, 6, 7], `cut at ${cut}`);
  }
});
