// The live monitor's incremental kernels equal the batch kernels on the same window exactly:
// same counts, same floating-point reductions.
import assert from "node:assert/strict";
import test from "node:test";
import {entropy, normalizedEntropy} from "../../lib/entropy.js";
import {mulberry32} from "../../lib/random.js";
import {BALANCED, FLOW_BASE, flowSymbols, NO_TRADE} from "../../lib/symbolize.js";
import {transferEntropy} from "../../lib/transfer-entropy.js";
import {flowSymbol, OnlineBins} from "../../lib/live/bins.js";
import {pairMatrix, pairSurrogateTest} from "../../lib/live/net-flow.js";
import {RollingSymbolCounts, RollingTransferEntropyCounts} from "../../lib/live/rolling-counts.js";
import {MarketWindow} from "../../lib/live/window.js";

function symbols(n: number, b: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  return Uint8Array.from({length: n}, (_, i) => Math.min(b - 1, Math.floor(r() * r() * b * (1 + (i % 300) / 300))));
}

test("RollingSymbolCounts: entropy and normalised entropy equal the batch values on every window", () => {
  const x = symbols(2000, 3, 1);
  for (const w of [1, 2, 57, 600]) {
    const r = new RollingSymbolCounts(3, w);
    for (let t = 0; t < x.length; ++t) {
      r.push(x[t]);
      const win = x.subarray(Math.max(0, t + 1 - w), t + 1);
      assert.equal(r.entropy(), entropy(win, {base: 3}), `w ${w} t ${t}`);
      assert.equal(r.normalized(), normalizedEntropy(win, {base: 3}), `w ${w} t ${t}`);
    }
  }
});

test("RollingTransferEntropyCounts equals transferEntropy on every window (k, l, delay, partial windows)", () => {
  const x = symbols(1500, 3, 2);
  const y = new Uint8Array(x.length);
  const r0 = mulberry32(3);
  for (let t = 1; t < y.length; ++t) y[t] = r0() < 0.6 ? x[t - 1] : Math.floor(r0() * 3);
  for (const [k, l, delay, w] of [[1, 1, 1, 300], [2, 1, 1, 97], [1, 2, 2, 50], [3, 1, 0, 400], [0, 1, 1, 10], [1, 1, 1, 2]]) {
    const r = new RollingTransferEntropyCounts(w, {base: 3, k, l, delay});
    for (let t = 0; t < x.length; ++t) {
      r.push(x[t], y[t]);
      const a = Math.max(0, t + 1 - w);
      const batch = transferEntropy(x.subarray(a, t + 1), y.subarray(a, t + 1), {k, l, delay, base: 3});
      assert.equal(Object.is(r.value(), batch) || r.value() === batch, true, `k${k} l${l} u${delay} w${w} t${t}: ${r.value()} vs ${batch}`);
    }
  }
});

test("RollingTransferEntropyCounts keeps its table exact over a long stream", () => {
  const x = symbols(100_000, 3, 4);
  const y = symbols(100_000, 3, 5);
  const r = new RollingTransferEntropyCounts(3000, {base: 3});
  for (let t = 0; t < x.length; ++t) r.push(x[t], y[t]);
  assert.equal(r.value(), transferEntropy(x.subarray(97_000), y.subarray(97_000), {k: 1, base: 3}));
  assert.equal(r.samples, 2999);
});

interface T {
  market: number;
  time: number;
  price: number;
  qty: number;
  side: number;
  id: number;
}

test("OnlineBins: trades arriving out of order within the lateness give the batch bins; later ones are refused", () => {
  const r = mulberry32(6);
  const m = 3;
  const trades: T[] = [];
  let t = 1_680_652_800_000;
  for (let n = 0; n < 5000; ++n) {
    t += Math.floor(-Math.log(1 - r()) * 40);
    trades.push({market: Math.floor(r() * m), time: t, price: 28000 + Math.floor(r() * 100) / 10, qty: 0.001 * (1 + Math.floor(r() * 20)), side: r() < 0.5 ? 1 : -1, id: n});
  }
  // Arrival order: trade time plus a random delay of up to 900 ms.
  const arrivals = trades.map((x) => ({x, at: x.time + r() * 900})).sort((a, b) => a.at - b.at);
  for (const binMs of [100, 1000]) {
    const got: {index: number; buys: number[]; sells: number[]; last: number[]; volume: number[]}[] = [];
    const bins = new OnlineBins(m, binMs, (b) => got.push({index: b.index, buys: [...b.buys], sells: [...b.sells], last: [...b.last], volume: [...b.volume]}));
    let watermark = -Infinity;
    let refused = 0;
    for (const {x} of arrivals) {
      if (!bins.add(x.market, x.time, x.price, x.qty, x.side, x.id)) ++refused;
      watermark = Math.max(watermark, x.time);
      bins.closeUntil(watermark - 1000);
    }
    bins.closeUntil(watermark + 10 * binMs);
    assert.equal(refused, 0, `binMs ${binMs}`);
    // Batch: floor(time / binMs), last price of the latest trade, carried forward.
    const first = Math.floor(trades[0].time / binMs);
    assert.equal(got[0].index, first);
    const carried = new Array(m).fill(NaN);
    for (const [g, bin] of got.entries()) {
      assert.equal(bin.index, first + g);
      const inBin = trades.filter((x) => Math.floor(x.time / binMs) === bin.index);
      for (let i = 0; i < m; ++i) {
        const mine = inBin.filter((x) => x.market === i);
        if (mine.length) carried[i] = mine[mine.length - 1].price;
        assert.equal(bin.buys[i], mine.filter((x) => x.side > 0).length);
        assert.equal(bin.sells[i], mine.filter((x) => x.side < 0).length);
        // Volumes are summed in arrival order: equal up to the order of the additions.
        assert.ok(Math.abs(bin.volume[i] - mine.reduce((s, x) => s + x.qty, 0)) < 1e-12);
        assert.ok(Object.is(bin.last[i], carried[i]), `last of ${i} in bin ${bin.index}`);
      }
    }
    // A trade for a closed bin is refused and changes nothing.
    const n = got.length;
    assert.equal(bins.add(0, trades[10].time, 1, 1, 1), false);
    bins.closeUntil(watermark + 20 * binMs);
    assert.ok(got.slice(n).every((b) => b.buys.every((v) => v === 0) && b.sells.every((v) => v === 0)));
  }
});

test("flowSymbol is flowSymbols of the bin's net and trade count: an empty bin is no trade, not balanced", () => {
  for (let b = 0; b < 4; ++b) for (let s = 0; s < 4; ++s) assert.equal(flowSymbol(b, s), flowSymbols([b - s], [b + s])[0]);
  assert.equal(flowSymbol(0, 0), NO_TRADE);
  assert.equal(flowSymbol(2, 2), BALANCED);
});

test("MarketWindow: TE matrix and entropies equal the batch kernels on the window, after a window change too", () => {
  const m = 3;
  const series = [symbols(3000, FLOW_BASE, 7), symbols(3000, FLOW_BASE, 8), symbols(3000, FLOW_BASE, 9)];
  const w = new MarketWindow(m, 2000, 600);
  const check = (end: number, size: number) => {
    const te = w.teMatrix();
    const h = w.normalizedEntropy();
    for (let i = 0; i < m; ++i) {
      // The entropy of the flow over the bins with trades (lib/flow-entropy.ts), plug-in, normalised by log2 3.
      const traded = series[i].subarray(end - size, end).filter((s) => s !== NO_TRADE);
      assert.ok(Math.abs(h[i] - normalizedEntropy(traded, {base: 3})) < 1e-12, `${h[i]} vs ${normalizedEntropy(traded, {base: 3})}`);
      for (let j = 0; j < m; ++j)
        if (i !== j) assert.equal(te[i * m + j], transferEntropy(series[i].subarray(end - size, end), series[j].subarray(end - size, end), {k: 1, base: FLOW_BASE}));
    }
    assert.deepEqual(w.symbols().map((x) => Array.from(x)), series.map((x) => Array.from(x.subarray(end - size, end))));
  };
  for (let t = 0; t < 3000; ++t) {
    w.push(1000 + t, [series[0][t], series[1][t], series[2][t]]);
    if (t % 97 === 0 || t === 2999) check(t + 1, Math.min(600, t + 1));
  }
  assert.equal(w.end, 4000);
  w.setWindow(1500);
  check(3000, 1500);
  w.setWindow(10);
  check(3000, 10);
  assert.throws(() => w.push(5000, [0, 0, 0]), /invalid bin/);
});

test("pairSurrogateTest: plug-in values are the batch TE; a copied flow is a significant net flow, independent flows are not", () => {
  const n = 3000;
  const x = symbols(n, 3, 10);
  const r = mulberry32(11);
  const y = new Uint8Array(n);
  for (let t = 1; t < n; ++t) y[t] = r() < 0.5 ? x[t - 1] : Math.floor(r() * 3);
  const p = pairSurrogateTest(x, y, {surrogates: 99, seed: 1});
  assert.equal(p.teXY, transferEntropy(x, y, {k: 1, base: FLOW_BASE}));
  assert.equal(p.teYX, transferEntropy(y, x, {k: 1, base: FLOW_BASE}));
  assert.ok(p.net > 0.05 && p.pXY === 0.01 && p.pYX === 1, JSON.stringify(p));
  assert.ok(p.effXY > 0.05, `effective ${p.effXY}`);
  const z = symbols(n, 3, 12);
  const q = pairMatrix([x, y, z], {surrogates: 99, seed: 2});
  assert.equal(q.net[1], p.net, "pair (0, 1) of the matrix is the pair test");
  assert.equal(q.net[3], -p.net);
  assert.equal(q.pNet[1], 0.01, "x → y significant");
  assert.ok(q.pNet[2] > 0.05 && q.pNet[6] > 0.05, `x and z independent: p ${q.pNet[2]}, ${q.pNet[6]}`);
  const indep = pairMatrix([symbols(n, 3, 13), symbols(n, 3, 14)], {surrogates: 99, seed: 3});
  assert.ok(indep.pNet[1] > 0.05 && indep.pNet[2] > 0.05, `independent flows: p ${indep.pNet[1]}, ${indep.pNet[2]}`);
});
