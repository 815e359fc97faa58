import test from "node:test";
import assert from "node:assert/strict";
import {BinAccumulator, BIN_FIELDS, binCount, binTrades, concatBins, type BinColumns} from "../../loaders/aggregate/bins.ts";
import {FlowMatrix, netFlow, tradeCount} from "../../loaders/aggregate/flow.ts";
import {OverviewAccumulator} from "../../loaders/aggregate/overview.ts";
import {allocBatch, type TradeBatch} from "../../loaders/trades.ts";
import {mulberry32, randomExponential} from "../../lib/random.ts";

const T0 = Date.UTC(2024, 7, 5);

/** Random sorted trades over [t0, t1) with quiet stretches (empty bins) and some unsigned trades. */
function trades(n: number, t0: number, t1: number, seed: number): TradeBatch {
  const random = mulberry32(seed);
  const b = allocBatch("binance", n);
  let t = t0 + random() * 500;
  let p = 60_000;
  let i = 0;
  while (i < n && t < t1) {
    b.time[i] = t;
    p += (random() - 0.5) * 10;
    b.price[i] = p;
    b.qty[i] = 0.001 + random() * 0.5;
    const u = random();
    b.side[i] = u < 0.45 ? 1 : u < 0.9 ? -1 : 0;
    b.id[i] = i;
    ++i;
    t += random() < 0.01 ? 5000 * random() : randomExponential(random, 1 / 40);
  }
  b.length = i;
  return b;
}

function slices(b: TradeBatch, size: number): TradeBatch[] {
  const out: TradeBatch[] = [];
  for (let o = 0; o < b.length; o += size) {
    const n = Math.min(size, b.length - o);
    out.push({venue: b.venue, length: n, time: b.time.subarray(o, o + n), price: b.price.subarray(o, o + n), qty: b.qty.subarray(o, o + n), side: b.side.subarray(o, o + n), id: b.id.subarray(o, o + n)});
  }
  return out;
}

/** Direct computation: group trade indices per bin, then each field from its definition. */
function directBins(b: TradeBatch, t0: number, t1: number, w: number, carried = NaN) {
  const n = Math.ceil((t1 - t0) / w);
  const groups: number[][] = Array.from({length: n}, () => []);
  for (let i = 0; i < b.length; ++i) if (b.time[i] >= t0 && b.time[i] < t1) groups[Math.floor((b.time[i] - t0) / w)].push(i);
  let last = carried;
  return groups.map((g, k) => {
    const prices = g.map((i) => b.price[i]);
    const buys = g.filter((i) => b.side[i] === 1);
    const sells = g.filter((i) => b.side[i] === -1);
    const vol = g.reduce((s, i) => s + b.qty[i], 0);
    if (g.length) last = prices[prices.length - 1];
    return {
      t: t0 + k * w,
      n_buy: buys.length,
      n_sell: sells.length,
      v_buy: buys.reduce((s, i) => s + b.qty[i], 0),
      v_sell: sells.reduce((s, i) => s + b.qty[i], 0),
      open: g.length ? prices[0] : NaN,
      high: g.length ? Math.max(...prices) : NaN,
      low: g.length ? Math.min(...prices) : NaN,
      close: g.length ? prices[prices.length - 1] : NaN,
      vwap: vol > 0 ? g.reduce((s, i) => s + b.price[i] * b.qty[i], 0) / vol : NaN,
      last
    };
  });
}

function assertBinsEqual(actual: BinColumns, expected: ReturnType<typeof directBins>) {
  assert.equal(actual.length, expected.length);
  for (const f of BIN_FIELDS)
    for (let i = 0; i < expected.length; ++i) {
      const a = actual[f][i], e = expected[i][f];
      if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${f}[${i}] = ${a}, expected NaN`);
      else assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${f}[${i}] = ${a}, expected ${e}`);
    }
}

test("BinAccumulator.add(batch) matches a direct computation of every field, for any batching and chunking", () => {
  const t0 = T0, t1 = T0 + 600_000;
  const b = trades(20_000, t0, t1, 1);
  assert.ok(b.length > 5000);
  for (const [w, chunkBins, batch] of [[100, 7, 333], [1000, 65536, 5000], [700, 50, 1]] as const) {
    const chunks: BinColumns[] = [];
    const acc = new BinAccumulator({t0, t1, widthMs: w, chunkBins}, (c) => chunks.push(c));
    for (const s of slices(b, batch)) acc.add(s);
    acc.finish();
    assert.ok(chunks.every((c, i) => i === chunks.length - 1 || c.length === chunkBins));
    const bins = concatBins(chunks);
    const direct = directBins(b, t0, t1, w);
    assert.ok(direct.some((d) => d.n_buy + d.n_sell === 0), "some empty bins");
    assertBinsEqual(bins, direct);
    assert.equal(acc.last, b.price[b.length - 1]);
  }
});

test("binTrades(batches, {last}) carries a previous price into the bins before the first trade", () => {
  const b = allocBatch("okx", 2);
  b.length = 2;
  b.time.set([T0 + 2500, T0 + 2600]);
  b.price.set([10, 12]);
  b.qty.set([1, 3]);
  b.side.set([1, -1]);
  const bins = binTrades(b, {t0: T0, t1: T0 + 5000, widthMs: 1000, last: 9});
  assert.deepEqual([...bins.last], [9, 9, 12, 12, 12]);
  assert.deepEqual([...bins.vwap].map((x) => (Number.isNaN(x) ? null : x)), [null, null, 11.5, null, null]);
  assert.deepEqual([...bins.t], [0, 1, 2, 3, 4].map((i) => T0 + i * 1000));
  assertBinsEqual(bins, directBins(b, T0, T0 + 5000, 1000, 9));
});

test("BinAccumulator.add(batch) ignores trades outside the span and rejects unsorted input", () => {
  const b = allocBatch("okx", 3);
  b.length = 3;
  b.time.set([T0 - 1, T0 + 10, T0 + 1000]);
  b.price.set([1, 2, 3]);
  b.qty.set([1, 1, 1]);
  const acc = new BinAccumulator({t0: T0, t1: T0 + 1000, widthMs: 100, chunkBins: 2}, () => {});
  acc.add(b);
  assert.equal(acc.ignored, 2);
  const late = allocBatch("okx", 1);
  late.length = 1;
  late.time[0] = T0 + 500;
  late.price[0] = late.qty[0] = 1;
  acc.add(late);
  const early = allocBatch("okx", 1);
  early.length = 1;
  early.time[0] = T0 + 20;
  early.price[0] = early.qty[0] = 1;
  assert.throws(() => acc.add(early), /not time-sorted/);
});

test("binCount(t0, t1, w) covers the span with a last bin cut by t1, and rejects bad widths", () => {
  assert.equal(binCount(0, 86_400_000, 100), 864_000);
  assert.equal(binCount(0, 1050, 100), 11);
  assert.throws(() => binCount(0, 1000, 0), /invalid widthMs: 0/);
  assert.throws(() => binCount(0, 1000, 1.5), /invalid widthMs: 1.5/);
});

test("netFlow(nBuy, nSell, out) is buys minus sells, clipped to Int16", () => {
  const out = new Int16Array(4);
  const clipped = netFlow([5, 0, 40000, 2], [2, 7, 0, 40002], out);
  assert.deepEqual([...out], [3, -7, 32767, -32767]);
  assert.equal(clipped, 2);
  assert.throws(() => netFlow([1], [1, 2], out), /invalid nSell length: 2/);
});

test("tradeCount(nBuy, nSell, out) is buys plus sells, clipped to Int16", () => {
  const out = new Int16Array(3);
  const clipped = tradeCount([5, 0, 20000], [2, 0, 20000], out);
  assert.deepEqual([...out], [7, 0, 32767]);
  assert.equal(clipped, 1);
  assert.throws(() => tradeCount([1], [1, 2], out), /invalid nSell length: 2/);
});

test("FlowMatrix.add(venue, offset, chunk) places each venue's chunks on the common grid", () => {
  const t0 = T0, t1 = T0 + 60_000;
  const a = trades(3000, t0, t1, 2), b = trades(3000, t0, t1, 3);
  const n = binCount(t0, t1, 100);
  const m = new FlowMatrix(["binance", "okx"], n);
  for (const [venue, tr] of [["binance", a], ["okx", b]] as const) {
    let offset = 0;
    const acc = new BinAccumulator({t0, t1, widthMs: 100, chunkBins: 64}, (c) => (m.add(venue, offset, c), (offset += c.length)));
    acc.add(tr);
    acc.finish();
  }
  for (const [venue, tr] of [["binance", a], ["okx", b]] as const) {
    const d = directBins(tr, t0, t1, 100);
    assert.deepEqual([...m.net[venue]!], d.map((x) => x.n_buy - x.n_sell));
    assert.deepEqual([...m.count[venue]!], d.map((x) => x.n_buy + x.n_sell));
    assert.deepEqual([...m.last[venue]!], d.map((x) => Math.fround(x.last)));
  }
  assert.equal(m.clipped.binance, 0);
});

test("OverviewAccumulator.add(bins) keeps the last price at the end of each 10 s step", () => {
  const t0 = T0, t1 = T0 + 95_000;
  const tr = trades(2000, t0 + 12_000, t1, 4);
  const acc = new OverviewAccumulator({t0, t1, widthMs: 1000});
  const bins = new BinAccumulator({t0, t1, widthMs: 1000, chunkBins: 7}, (c) => acc.add(c));
  bins.add(tr);
  bins.finish();
  assert.equal(acc.t.length, 10);
  for (let s = 0; s < 10; ++s) {
    const end = Math.min(t0 + (s + 1) * 10_000, t1);
    let expected = NaN;
    for (let i = 0; i < tr.length && tr.time[i] < end; ++i) expected = tr.price[i];
    assert.equal(acc.t[s], t0 + s * 10_000);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(acc.price[s]));
    else assert.equal(acc.price[s], expected);
  }
  assert.ok(Number.isNaN(acc.price[0]));
  assert.throws(() => new OverviewAccumulator({t0, t1, widthMs: 3000}), /invalid widthMs: 3000/);
});
