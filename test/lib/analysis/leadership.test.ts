import test from "node:test";
import assert from "node:assert/strict";
import {hyLeadBootstrap, interpolatedPrices, leadership, nameLeader, periodTicks, transferReversal, type PairLead} from "../../../lib/analysis/leadership.js";
import {schedulePeriods} from "../../../lib/analysis/periods.js";
import {binomialTest} from "../../../lib/binomial-test.js";
import {leadLagScan, tickSeries} from "../../../lib/hayashi-yoshida.js";
import {deriveSeed, mulberry32, randomExponential, randomNormal} from "../../../lib/random.js";
import {percentileInterval} from "../../../lib/block-bootstrap.js";
import {priceChangeSymbols} from "../../../lib/price-symbols.js";
import {transferEntropyFromCounts, transferEntropyStates} from "../../../lib/transfer-entropy.js";
import {DEFAULTS, validateConfig, ARCHIVE_VENUES as VENUES, type Venue} from "../../../loaders/config.ts";
import type {Delays} from "../../../lib/analysis/venues.js";
import {simulateMarket} from "../../../loaders/simulate/market.ts";

/** A Brownian log price on a 1 ms grid over [0, T) ms, σ per √ms. */
function brownian(random: () => number, T: number, sigma = 3e-6): Float64Array {
  const x = new Float64Array(T + 2000);
  for (let i = 1; i < x.length; ++i) x[i] = x[i - 1] + sigma * randomNormal(random);
  return x;
}

/** Poisson trades at `rate` per ms on [0, T) seeing the path `delay` ms late, with independent bid–ask noise. */
function trades(random: () => number, path: Float64Array, rate: number, T: number, delay: number, noise = 2e-6): {time: number[]; price: number[]} {
  const time: number[] = [];
  const price: number[] = [];
  for (let t = randomExponential(random, rate); t < T; t += randomExponential(random, rate)) {
    const ms = Math.floor(t);
    time.push(ms);
    price.push(Math.exp(10 + path[1000 + ms - delay] + noise * (random() < 0.5 ? -1 : 1)));
  }
  return {time, price};
}

test("hyLeadBootstrap finds a planted 150 ms lead in both orders, and no lead without one", () => {
  const random = mulberry32(12);
  const T = 600_000;
  const path = brownian(random, T);
  const a = periodTicks(trades(random, path, 0.02, T, 0), 0, T);
  const b = periodTicks(trades(random, path, 0.004, T, 150), 0, T);
  const ab = hyLeadBootstrap("a", "b", a, b, T, {resamples: 199, seed: 1});
  assert.ok(Math.abs(ab.lead - 150) <= 30, `lead ${ab.lead}`);
  assert.ok(ab.pAB <= 0.01 && ab.pBA > 0.5, `p ${ab.pAB} ${ab.pBA}`);
  assert.ok(ab.interval[0] > 0 && ab.interval[0] <= 150 && ab.interval[1] >= 150, `${ab.interval}`);
  const ba = hyLeadBootstrap("b", "a", b, a, T, {resamples: 199, seed: 1});
  assert.equal(ba.lead, -ab.lead);
  assert.ok(ba.pBA <= 0.01, `p ${ba.pBA}`);
  // A long period held in few sub-blocks (12 s each) gives the same lead.
  const coarse = hyLeadBootstrap("a", "b", a, b, T, {resamples: 199, seed: 1, maxSubBlocks: 50});
  assert.equal(coarse.lead, ab.lead);
  assert.ok(coarse.pAB <= 0.01, `p ${coarse.pAB}`);
  // No lead: the same path seen at the same time.
  const c = periodTicks(trades(random, path, 0.004, T, 0), 0, T);
  const ac = hyLeadBootstrap("a", "c", a, c, T, {resamples: 199, seed: 1});
  assert.ok(Math.abs(ac.lead) <= 20, `lead ${ac.lead}`);
  assert.ok(ac.interval[0] <= 0 && ac.interval[1] >= 0, `${ac.interval}`);
});

test("hyLeadBootstrap p-values are calibrated on pairs without a lead (binomial bound)", () => {
  // 40 independent pairs seeing one path at the same time with unequal trade rates (no lead):
  // the one-sided p(a → b) of the rule's statistic (the argmax lead) is ≤ 0.1 with probability at
  // most 0.1 when the bootstrap holds its size. ≥ 10 of 40 then has probability 0.0051
  // (binomial), the false-failure probability of this test for a calibrated statistic; the
  // asymmetry statistic, anti-conservative by about 2× on such short periods, fails it.
  let rejections = 0;
  for (let i = 0; i < 40; ++i) {
    const random = mulberry32(deriveSeed(100, `pair ${i}`));
    const T = 120_000;
    const path = brownian(random, T);
    const a = periodTicks(trades(random, path, 0.01, T, 0), 0, T);
    const b = periodTicks(trades(random, path, 0.003, T, 0), 0, T);
    const r = hyLeadBootstrap("a", "b", a, b, T, {resamples: 99, seed: i, blockMs: 10_000});
    if (r.pAB <= 0.1) ++rejections;
  }
  assert.ok(binomialTest(10, 40, {p: 0.1, alternative: "greater"}) < 0.01);
  assert.ok(rejections < 10, `${rejections} of 40 rejections at 0.1`);
});

function pair(a: string, b: string, pAB: number, pBA: number): PairLead {
  return {a, b, lead: pAB < pBA ? 100 : -100, peak: 0.5, asymmetry: 0, interval: [-10, 10], pAB, pBA, pAsymmetry: [pAB, pBA], pLead: [pAB, pBA], trades: [100, 100]};
}

test("nameLeader names a venue only when it leads every other venue at α/m (intersection–union)", () => {
  const venues = ["a", "b", "c", "d"];
  const strong = [pair("a", "b", 0.002, 0.998), pair("a", "c", 0.004, 0.996), pair("a", "d", 0.01, 0.99), pair("b", "c", 0.5, 0.5), pair("b", "d", 0.5, 0.5), pair("c", "d", 0.5, 0.5)];
  const named = nameLeader(venues, strong, {alpha: 0.05});
  assert.equal(named.leader, "a");
  assert.equal(named.level, 0.0125);
  assert.ok(Math.abs(named.p - 0.04) < 1e-12);
  assert.equal(named.reason, null);
  // One follower not beaten at α/m = 0.0125: no leader, and the reason names that pair.
  const weak = strong.map((q) => (q.b === "d" && q.a === "a" ? pair("a", "d", 0.02, 0.98) : q));
  const none = nameLeader(venues, weak, {alpha: 0.05});
  assert.equal(none.leader, null);
  assert.equal(none.candidate, "a");
  assert.match(none.reason!, /a does not lead d/);
  // The follower's side: d is the leader when every pair points to d.
  const reversed = strong.map((q) => pair(q.b === "a" ? q.a : q.a, q.b, q.a === "a" ? q.pBA : q.pAB, q.a === "a" ? q.pAB : q.pBA));
  assert.notEqual(nameLeader(venues, reversed).leader, "a");
});

test("transferReversal gives D > 0 from a leader to a delayed copy with the same sampling", () => {
  const random = mulberry32(13);
  const n = 20_000;
  const price = new Float64Array(n + 3);
  price[0] = 100;
  for (let i = 1; i < price.length; ++i) price[i] = price[i - 1] * Math.exp(random() < 0.3 ? 1e-4 * randomNormal(random) : 0);
  const lead = price.subarray(3, n + 3);
  const lag = price.subarray(0, n);
  const r = transferReversal("lead", "lag", lead, lag, {resamples: 99, seed: 1, teHistory: 3});
  assert.ok(r.d > 0 && r.pAB <= 0.02, `D ${r.d} p ${r.pAB}`);
  const s = transferReversal("lag", "lead", lag, lead, {resamples: 99, seed: 1, teHistory: 3});
  assert.ok(s.d < 0 && s.pBA <= 0.02, `D ${s.d} p ${s.pBA}`);
});

/**
 * Reference of transferReversal's bootstrap written out plainly: per sub-block Int32 counts of
 * the four tables, each resample summing its runs' rows cell by cell, the same draws.
 */
function transferReversalReference(pa: Float64Array, pb: Float64Array, o: {resamples: number; seed: number; binMs: number; subBlockMs: number; blockMs: number; alpha: number}) {
  const n = pa.length;
  const sa = priceChangeSymbols(pa);
  const sb = priceChangeSymbols(pb);
  const parts = [
    [sa, sb, false],
    [sb, sa, false],
    [sa.slice().reverse(), sb.slice().reverse(), true],
    [sb.slice().reverse(), sa.slice().reverse(), true]
  ] as const;
  const states = parts.map(([src, tgt]) => transferEntropyStates(src, tgt, {k: 1, l: 3, delay: 1, base: 3}));
  const cells = states[0].rows * states[0].cols;
  const per = Math.round(o.subBlockMs / o.binMs);
  const blocks = Math.ceil(n / per);
  const L = Math.round(o.blockMs / o.subBlockMs);
  const rows = Array.from({length: blocks}, () => new Int32Array(4 * cells));
  states.forEach((st, q) => {
    for (let i = 0; i < st.row.length; ++i) {
      const t = st.start + i;
      const time = parts[q][2] ? n - 1 - t : t;
      ++rows[Math.min(blocks - 1, Math.floor(time / per))][q * cells + st.row[i] * st.cols + st.col[i]];
    }
  });
  const d = (sum: Int32Array) => {
    const te = [0, 1, 2, 3].map((q) => transferEntropyFromCounts(sum.subarray(q * cells, (q + 1) * cells), states[0]));
    return te[0] - te[1] - (te[2] - te[3]);
  };
  const random = mulberry32(deriveSeed(o.seed, "te-reversal a b"));
  const ds: number[] = [];
  const len = Math.min(L, blocks);
  for (let r = 0; r < o.resamples; ++r) {
    const sum = new Int32Array(4 * cells);
    for (let done = 0; done < blocks; ) {
      const s = Math.min(blocks - len, Math.floor(random() * (blocks - len + 1)));
      const take = Math.min(len, blocks - done);
      for (let b = s; b < s + take; ++b) for (let k = 0; k < sum.length; ++k) sum[k] += rows[b][k];
      done += take;
    }
    ds.push(d(sum));
  }
  const B = o.resamples;
  return {pAB: (1 + ds.filter((v) => !(v > 0)).length) / (1 + B), pBA: (1 + ds.filter((v) => !(v < 0)).length) / (1 + B), interval: percentileInterval(ds, 1 - o.alpha)};
}

test("transferReversal's bootstrap (packed count sums) equals summing every count cell alone, at any count size", () => {
  const random = mulberry32(21);
  // Few sub-blocks of many bins: counts up to the series length, which sets how many cells share a Float64.
  for (const [n, subBlockMs] of [
    [3000, 1000],
    [40_000, 20_000],
    [400_000, 400_000]
  ] as const) {
    const pa = new Float64Array(n);
    const pb = new Float64Array(n);
    let x = 100;
    for (let i = 0; i < n; ++i) {
      if (random() < 0.4) x += random() - 0.5;
      pa[i] = x;
      pb[i] = i >= 2 ? pa[i - 2] + (random() < 0.2 ? random() - 0.5 : 0) : x;
    }
    const o = {resamples: 19, seed: 3, binMs: 100, subBlockMs, blockMs: 3 * subBlockMs, alpha: 0.05, maxSubBlocks: 1_000_000};
    const got = transferReversal("a", "b", pa, pb, o);
    const ref = transferReversalReference(pa, pb, o);
    assert.deepEqual({pAB: got.pAB, pBA: got.pBA, interval: got.interval}, ref, `n = ${n}`);
  }
});

test("interpolatedPrices interpolates trade prices linearly in time to the bin ends", () => {
  const trades = {time: [950, 1020, 1100, 1100, 1350, 1500], price: [9, 10, 12, 14, 19, 30]};
  // Bins of [1000, 1400) at 100 ms end at 1100, 1200, 1300, 1400; the period's trades are 1020…1350.
  const p = interpolatedPrices(trades, 1000, 1400, 100);
  assert.deepEqual(Array.from(p), [14, 14 + (5 * 100) / 250, 14 + (5 * 200) / 250, 19]);
  assert.ok(interpolatedPrices({time: [], price: []}, 0, 300, 100).every((x) => Number.isNaN(x)));
});

/** A small simulated market (1 h at `rateScale` of the realistic trade rates, default a tenth). */
function smallMarket(seed: number, calm: Delays, crash: Delays, informedShare: number, arbitrageShare: number, rateScale = 0.1) {
  const config = validateConfig({...DEFAULTS, hours: 1, seed, simulation: {...DEFAULTS.simulation, rateScale, leadsCalmMs: calm, leadsCrashMs: crash, informedShare, arbitrageShare}});
  return simulateMarket(config, {binWidths: [100], flow: false});
}

function leadersOf(market: ReturnType<typeof smallMarket>, seed: number) {
  const truth = market.truth!;
  const trades = Object.fromEntries(market.venues.map((v) => [v, market.trades[v]!])) as Record<Venue, NonNullable<(typeof market.trades)[Venue]>>;
  return schedulePeriods(truth, market.span, {trimMs: truth.leadLag.transitionMs}).map((p) => ({
    planted: p.planted!.leader,
    result: leadership(market.venues, trades, p.start, p.end, {resamples: 199, seed: deriveSeed(seed, p.id)})
  }));
}

test("null markets: leaders named in at most 4 of 36 (market, period) pairs (binomial bound)", () => {
  // 12 markets × 3 periods without lead–lag (equal delays, informed flow in half). Bound: at most 4
  // of 36. Were the rule's per-period false-positive rate at its target 5 %, ≥ 5 of 36 would
  // happen with probability 0.032 (binomial, periods taken as independent): the false-failure
  // probability of this test at the target; at the measured rate (under 1 %, npm run calibrate) it
  // is below 1e-4. A rule that names leaders in 20 % of null periods fails it with probability 0.87.
  const random = mulberry32(deriveSeed(4242, "null markets"));
  let named = 0;
  let total = 0;
  for (let i = 0; i < 12; ++i) {
    const d = Math.floor(random() * 300);
    const same = Object.fromEntries(VENUES.map((v) => [v, d])) as Delays;
    const seed = 3_000_000 + Math.floor(random() * 1e9);
    for (const {result} of leadersOf(smallMarket(seed, same, same, i % 2 ? 0.6 : 0, 0.2), seed)) {
      ++total;
      if (result.leader !== null) ++named;
      else assert.match(result.reason!, /does not lead|too few trades/);
    }
  }
  assert.equal(total, 36);
  assert.ok(binomialTest(5, 36, {p: 0.05, alternative: "greater"}) < 0.05);
  assert.ok(named <= 4, `${named} of ${total} null periods named a leader`);
});

test("planted markets: the planted leader is named in every period, with and without arbitrage flow", () => {
  // A quarter of the realistic rates, as in the calibration: at a tenth, Coinbase and OKX print
  // about one taker order a second, too few for a 150 ms lead over 30 minutes.
  const plants: [number, Delays, Delays, number][] = [
    [5_550_001, {binance: 250, bybit: 400, okx: 30, coinbase: 180}, {binance: 250, bybit: 400, okx: 30, coinbase: 180}, 0.3],
    [5_550_002, {binance: 320, bybit: 60, okx: 210, coinbase: 470}, {binance: 0, bybit: 350, okx: 120, coinbase: 290}, 0]
  ];
  for (const [seed, calm, crash, arbitrage] of plants) {
    for (const {planted, result} of leadersOf(smallMarket(seed, calm, crash, 0.3, arbitrage, 0.25), seed)) {
      assert.equal(result.leader, planted, `seed ${seed}: ${result.reason}`);
      assert.ok(result.p <= 0.05);
    }
  }
});
