import test from "node:test";
import assert from "node:assert/strict";
import {interpolatedPrices, leadership} from "../../../lib/analysis/leadership.js";
import {InterpolatedPriceStream, LeadershipStream, PriceChangeStream} from "../../../lib/analysis/leadership-stream.js";
import {priceChangeSymbols, UNCHANGED} from "../../../lib/price-symbols.js";
import {mulberry32, randomExponential, randomNormal} from "../../../lib/random.js";

/** Poisson trades on [t0, t0 + T) ms seeing a common random walk `delay` ms late, with repeats of a millisecond and quiet stretches. */
function market(random: () => number, t0: number, T: number, venues: {rate: number; delay: number; quiet?: [number, number]}[]) {
  const path = new Float64Array(T + 2000);
  for (let i = 1; i < path.length; ++i) path[i] = path[i - 1] + 3e-6 * randomNormal(random);
  return venues.map(({rate, delay, quiet}) => {
    const time: number[] = [];
    const price: number[] = [];
    for (let t = randomExponential(random, rate); t < T; t += randomExponential(random, rate)) {
      if (quiet && t >= quiet[0] && t < quiet[1]) continue;
      const ms = Math.floor(t);
      const n = random() < 0.1 ? 2 : 1;
      for (let r = 0; r < n; ++r) {
        time.push(t0 + ms);
        price.push(Math.round(Math.exp(10.5 + path[1000 + ms - delay]) * 10) / 10);
      }
    }
    return {time: Float64Array.from(time), price: Float64Array.from(price)};
  });
}

/** Feeds `data` to `stream` in "days" cut at `edges` (ms), every venue a day at a time, advancing after each. */
function feed<V extends string>(stream: LeadershipStream<V>, venues: V[], data: {time: Float64Array; price: Float64Array}[], edges: number[]): void {
  const at = venues.map(() => 0);
  for (let e = 1; e < edges.length; ++e) {
    venues.forEach((v, i) => {
      const {time, price} = data[i];
      let j = at[i];
      while (j < time.length && time[j] < edges[e]) ++j;
      // A batch as a loader reads it: its own arrays (with trades outside the period around it).
      stream.push(v, time.slice(at[i], j), price.slice(at[i], j));
      at[i] = j;
    });
    stream.advance();
  }
}

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

test("InterpolatedPriceStream and PriceChangeStream equal interpolatedPrices and its symbols on any cut into batches", () => {
  const random = mulberry32(3);
  let moves = 0;
  for (let trial = 0; trial < 20; ++trial) {
    const [d] = market(random, 1_000_000, 60_000, [{rate: 0.002 + random() * 0.05, delay: 0, quiet: trial % 2 ? [10_000, 30_000] : undefined}]);
    const start = 1_000_000 + Math.floor(random() * 5000);
    const end = 1_000_000 + 60_000 - Math.floor(random() * 5000);
    const expected = interpolatedPrices({time: d.time, price: d.price}, start, end, 100);
    const s = new InterpolatedPriceStream(start, end, 100);
    const c = new PriceChangeStream(start, end, 100);
    let i0 = 0;
    while (i0 < d.time.length && d.time[i0] < start) ++i0;
    let i1 = i0;
    while (i1 < d.time.length && d.time[i1] < end) ++i1;
    for (let a = i0; a < i1; ) {
      const b = Math.min(i1, a + 1 + Math.floor(random() * 200));
      s.push(d.time, d.price, a, b);
      c.push(d.time, d.price, a, b);
      a = b;
    }
    assert.equal(bytes(s.finish()), bytes(expected), `trial ${trial}`);
    const symbols = c.finish();
    assert.deepEqual(symbols, priceChangeSymbols(expected), `trial ${trial}: symbols`);
    moves += symbols.filter((x) => x !== UNCHANGED).length;
  }
  assert.ok(moves > 1000, `the symbols move (${moves} up or down)`);
  assert.ok(Number.isNaN(new InterpolatedPriceStream(0, 1000, 100).finish()[3]), "no trade: NaN");
  assert.deepEqual(new PriceChangeStream(0, 1000, 100).finish(), new Uint8Array(10).fill(UNCHANGED), "no trade: unchanged throughout");
});

test("LeadershipStream fed day by day gives leadership's result, HY and TE channels, value for value", () => {
  const random = mulberry32(5);
  const venues = ["a", "b", "c"];
  const t0 = 1_700_000_000_000;
  const T = 900_000;
  for (let trial = 0; trial < 3; ++trial) {
    const data = market(random, t0, T, [
      {rate: 0.02, delay: 0},
      {rate: 0.006, delay: 120, quiet: trial === 1 ? [200_000, 260_000] : undefined},
      {rate: 0.003, delay: 60}
    ]);
    const trades = Object.fromEntries(venues.map((v, i) => [v, data[i]]));
    const start = t0 + 30_000 * trial;
    const end = t0 + T - 20_000;
    // Trials 1 and 2 sweep the sparser venue of each pair (b of (a, b), c of (a, c) and (b, c)).
    const tradeCounts = trial ? Object.fromEntries(venues.map((v, i) => [v, data[i].time.length])) : undefined;
    const options = {resamples: 79, seed: 9 + trial, maxSubBlocks: 300, transfer: "interpolated" as const, tradeCounts};
    const expected = leadership(venues, trades, start, end, options);
    if (trial) {
      // The same rule up to rounding: the same leads, p-values and decision as sweeping the first venue.
      const first = leadership(venues, trades, start, end, {...options, tradeCounts: undefined});
      assert.deepEqual({leader: expected.leader, reason: expected.reason}, {leader: first.leader, reason: first.reason});
      expected.pairs.forEach((p, i) => {
        const q = first.pairs[i];
        assert.deepEqual([p.lead, p.pAB, p.pBA, p.interval], [q.lead, q.pAB, q.pBA, q.interval], `trial ${trial} pair ${i}`);
        assert.ok(Math.abs(p.peak - q.peak) <= 1e-12 * Math.abs(q.peak), `trial ${trial} pair ${i}: peak ${p.peak} vs ${q.peak}`);
      });
    }
    const stream = new LeadershipStream(venues, start, end, options);
    const edges = [t0, ...Array.from({length: 4}, () => t0 + Math.floor(random() * T)).sort((x, y) => x - y), t0 + T];
    feed(stream, venues, data, edges);
    const got = stream.result();
    assert.deepEqual(got, expected, `trial ${trial}`);
    assert.equal(JSON.stringify(got), JSON.stringify(expected));
  }
});

test("LeadershipStream without the TE channel, and with a venue that has no trade in the period", () => {
  const random = mulberry32(8);
  const data = market(random, 0, 300_000, [{rate: 0.01, delay: 0}, {rate: 0.01, delay: 80}]);
  data.push({time: Float64Array.of(5), price: Float64Array.of(100)});
  const venues = ["x", "y", "z"];
  const trades = Object.fromEntries(venues.map((v, i) => [v, data[i]]));
  const expected = leadership(venues, trades, 1000, 290_000, {resamples: 49, seed: 2});
  const stream = new LeadershipStream(venues, 1000, 290_000, {resamples: 49, seed: 2});
  feed(stream, venues, data, [0, 100_000, 200_000, 300_000]);
  assert.deepEqual(stream.result(), expected);
  assert.match(expected.reason ?? "", /too few trades in the period at z/);
});
