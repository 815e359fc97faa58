import test from "node:test";
import assert from "node:assert/strict";
import {acf} from "../../../lib/acf.js";
import {bisectLeft} from "../../../lib/bisect.js";
import {signRow, signStream, signRowFrom, takerOrders, MICROSTRUCTURE_DEFAULTS} from "../../../lib/analysis/ch02.js";
import {mulberry32} from "../../../lib/random.js";

const HOUR = 3_600_000;

/** A venue's trade prints over `hours`: persistent taker orders printing as 1–3 fills at one timestamp, some prints of unknown side, a buy share drifting by hour. */
function tape(hours: number, perHour: number, seed: number): {time: Float64Array; side: Int8Array; span: [number, number]} {
  const random = mulberry32(seed);
  const t0 = Date.UTC(2024, 7, 5);
  const time: number[] = [];
  const side: number[] = [];
  let s = 1;
  let t = t0 + 17;
  const end = t0 + hours * HOUR;
  while (t < end) {
    const h = Math.floor((t - t0) / HOUR);
    if (random() < 0.08 + 0.04 * (h % 3)) s = -s;
    const fills = 1 + Math.floor(random() * 3);
    for (let f = 0; f < fills; ++f) {
      time.push(t);
      side.push(random() < 0.03 ? 0 : s);
    }
    t += 1 + Math.floor(random() * ((2 * HOUR) / perHour));
  }
  return {time: Float64Array.from(time), side: Int8Array.from(side), span: [t0, end]};
}

/** The sign row computed the batch way: every order in memory, demeaned per window, `acf` per block, pooled. */
function batchBlocks(time: Float64Array, side: Int8Array, span: [number, number], L: number, demeanMs: number, blocks: number) {
  const o = takerOrders(time, side);
  const s = Float64Array.from(o.side);
  for (let a = 0; a < s.length; ) {
    const w = Math.floor((o.time[a] - span[0]) / demeanMs);
    let b = a;
    let sum = 0;
    while (b < s.length && Math.floor((o.time[b] - span[0]) / demeanMs) === w) sum += s[b++];
    for (let i = a; i < b; ++i) s[i] -= sum / (b - a);
    a = b;
  }
  const out: {rho: number[]; c0: number; n: number}[] = [];
  for (let k = 0; k < blocks; ++k) {
    const a = bisectLeft(o.time, span[0] + ((span[1] - span[0]) * k) / blocks);
    const b = bisectLeft(o.time, span[0] + ((span[1] - span[0]) * (k + 1)) / blocks);
    if (b - a <= 4 * L) continue;
    const x = s.subarray(a, b);
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let c0 = 0;
    for (const v of x) c0 += (v - m) ** 2;
    out.push({rho: Array.from(acf(x, L)), c0, n: x.length});
  }
  return {orders: o.side.length, blocks: out};
}

/** Cut points: arbitrary, including cuts inside one timestamp's fills and empty pieces. */
function cuts(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const c = [0];
  while (c[c.length - 1] < n) c.push(Math.min(n, c[c.length - 1] + Math.floor(random() * random() * n * 0.3)));
  return c;
}

for (const [hours, L, blocks] of [
  [30, 1000, 6],
  [7, 200, 4],
  [5, 20, 3]
] as const) {
  test(`OrderSignStream on arbitrary cuts equals the batch blocks value for value (${hours} h, ${L} lags, ${blocks} blocks)`, () => {
    const {time, side, span} = tape(hours, 4000, hours * 7 + L);
    const params = {...MICROSTRUCTURE_DEFAULTS, signMaxLag: L, signFitRange: [Math.min(20, L - 1), L] as [number, number], signBlocks: blocks};
    const stream = signStream(span, params);
    const c = cuts(time.length, L);
    for (let pass = 0; pass < 3; ++pass) {
      for (let j = 0; j + 1 < c.length; ++j) stream.push(time.subarray(c[j], c[j + 1]), side.subarray(c[j], c[j + 1]));
      stream.next();
    }
    const sums = stream.result();
    const want = batchBlocks(time, side, span, L, params.signDemeanMs, blocks);
    assert.ok(want.blocks.length >= 2, "the test tape has at least two blocks above 4·maxLag orders");
    assert.equal(sums.orders, want.orders);
    assert.equal(sums.prints, Array.from(side).filter((s) => s !== 0).length);
    assert.deepEqual(
      sums.blocks.map((b) => ({rho: Array.from(b.rho), c0: b.c0, n: b.n})),
      want.blocks
    );
    assert.deepEqual(signRowFrom("binance", sums, null, params), signRow("binance", time, side, span, null, params));
  });
}

for (const [hours, L, blocks] of [
  [30, 1000, 6],
  [5, 20, 3]
] as const) {
  test(`OrderSignStream.replay() after the first pass equals the three passes fed value for value (${hours} h, ${L} lags, ${blocks} blocks)`, () => {
    const {time, side, span} = tape(hours, 4000, hours * 11 + L);
    const params = {...MICROSTRUCTURE_DEFAULTS, signMaxLag: L, signFitRange: [Math.min(20, L - 1), L] as [number, number], signBlocks: blocks};
    const c = cuts(time.length, L + 1);
    const fed = signStream(span, params);
    const replayed = signStream(span, params);
    for (let pass = 0; pass < 3; ++pass) {
      for (let j = 0; j + 1 < c.length; ++j) fed.push(time.subarray(c[j], c[j + 1]), side.subarray(c[j], c[j + 1]));
      fed.next();
    }
    for (let j = 0; j + 1 < c.length; ++j) replayed.push(time.subarray(c[j], c[j + 1]), side.subarray(c[j], c[j + 1]));
    replayed.next();
    replayed.replay();
    const a = fed.result();
    const b = replayed.result();
    assert.ok(a.blocks.length >= 2, "the test tape has at least two blocks above 4·maxLag orders");
    assert.equal(b.orders, a.orders);
    assert.equal(b.prints, a.prints);
    assert.equal(b.buys, a.buys);
    assert.deepEqual(b.blocks.map((x) => ({rho: Array.from(x.rho), c0: x.c0, n: x.n})), a.blocks.map((x) => ({rho: Array.from(x.rho), c0: x.c0, n: x.n})));
    assert.throws(() => replayed.replay(), /replay after pass 1 only/);
  });
}

test("OrderSignStream: one taker order split across two pieces is one order; misuse is refused", () => {
  const span: [number, number] = [0, 10 * HOUR];
  const s = signStream(span, {...MICROSTRUCTURE_DEFAULTS, signMaxLag: 2, signBlocks: 1});
  for (let pass = 0; pass < 3; ++pass) {
    s.push([5, 5], [1, 1]);
    s.push([5, 6], [1, -1]);
    s.next();
  }
  const r = s.result();
  assert.equal(r.orders, 2);
  assert.equal(r.prints, 4);
  assert.throws(() => s.push([7], [1]), /after the third pass/);
  assert.throws(() => signStream(span).result(), /before the end of the third pass/);
});
