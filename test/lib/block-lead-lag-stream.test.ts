import test from "node:test";
import assert from "node:assert/strict";
import {blockLeadLagScan, tickBlocks} from "../../lib/hayashi-yoshida.js";
import {BlockLeadLagStream} from "../../lib/block-lead-lag-stream.js";
import {mulberry32, randomExponential, randomNormal} from "../../lib/random.js";

const T0 = 1_722_816_000_000;

/** A latent log price on a 1 ms grid over [0, T) ms: a random walk with jumps every few ms. */
function latent(random: () => number, T: number): Float64Array {
  const x = new Float64Array(T);
  let v = Math.log(60_000);
  for (let t = 0; t < T; ++t) {
    if (random() < 0.2) v += 2e-4 * randomNormal(random);
    x[t] = v;
  }
  return x;
}

/** Trades of a venue seeing the latent price `delay` ms late, at `rate` per ms, over [from, to) ms after T0, with same-millisecond repeats and a few NaN prices. */
function venue(random: () => number, x: Float64Array, delay: number, rate: number, from: number, to: number): {time: Float64Array; price: Float64Array} {
  const time: number[] = [];
  const price: number[] = [];
  for (let t = from + randomExponential(random, rate); t < to; t += randomExponential(random, rate)) {
    const n = random() < 0.15 ? 3 : 1;
    for (let r = 0; r < n; ++r) {
      const i = Math.max(0, Math.floor(t) - delay);
      time.push(T0 + Math.floor(t));
      price.push(random() < 0.005 ? NaN : Math.exp(x[i]) * (1 + 1e-5 * (random() - 0.5)));
    }
  }
  return {time: Float64Array.from(time), price: Float64Array.from(price)};
}

/** Cut points of [0, n) at random (some pieces empty). */
function cuts(random: () => number, n: number): number[] {
  const out = [0];
  while (out[out.length - 1] < n) out.push(Math.min(n, out[out.length - 1] + Math.floor(random() * (n / 4 + 2))));
  return out;
}

const bytes = (a: number[]) => Buffer.from(Float64Array.from(a).buffer).toString("hex");

test("BlockLeadLagStream on arbitrary cuts equals blockLeadLagScan of tickBlocks value for value, for every pair, sweeping either venue", () => {
  const random = mulberry32(11);
  const T = 400_000;
  const x = latent(random, T);
  // Trades start before the period and run past it; one venue is silent for a stretch covering whole blocks.
  const venues = {a: venue(random, x, 0, 0.05, 0, T), b: venue(random, x, 40, 0.03, 0, T), c: venue(random, x, 90, 0.01, 0, 150_000)};
  const start = T0 + 20_000.5;
  const end = T0 + 380_000;
  const blocks = 16;
  const base = {halfWidth: 200, step: 20, fineStep: 5, resamples: 199};
  const pairs = [
    {a: "a", b: "b", options: {...base, centre: 33, seed: 1}},
    {a: "a", b: "c", options: {...base, centre: 170, seed: 2, by: "y"}},
    {a: "b", b: "c", options: {...base, centre: -1234, seed: 3, by: "y"}}
  ] as const;
  const expected = pairs.map((p) => {
    const A = venues[p.a];
    const B = venues[p.b];
    return blockLeadLagScan(tickBlocks(A.time, A.price, start, end, blocks), tickBlocks(B.time, B.price, start, end, blocks), p.options);
  });
  assert.ok(Math.abs(expected[0].lead - 40) <= 10 && Math.abs(expected[1].lead - 90) <= 10, `the planted leads are found: ${expected.map((e) => e.lead)}`);
  for (const trial of [0, 1]) {
    const stream = new BlockLeadLagStream(["a", "b", "c"], pairs, start, end, blocks);
    for (let pass = 1; pass <= 2; ++pass) {
      // Each venue cut at its own random points; pushed round-robin, a sweep after each round.
      const cut = Object.fromEntries(Object.entries(venues).map(([v, d]) => [v, cuts(random, d.time.length)]));
      const rounds = Math.max(...Object.values(cut).map((c) => c.length));
      for (let r = 1; r < rounds; ++r) {
        for (const [v, d] of Object.entries(venues)) {
          const c = cut[v];
          if (r >= c.length) continue;
          const [i, j] = [c[r - 1], c[r]];
          stream.push(v as "a" | "b" | "c", d.time.subarray(i, j), d.price.subarray(i, j));
        }
        if (trial === 0 || r % 2) stream.advance();
      }
      stream.next();
    }
    const got = stream.result();
    got.forEach((g, i) => {
      const e = expected[i];
      assert.deepEqual(g.shift, e.shift);
      assert.equal(bytes(g.correlation), bytes(e.correlation));
      assert.deepEqual(g, e);
    });
  }
});

test("BlockLeadLagStream: pushes after the second pass, results before it and pairs of unknown series throw", () => {
  const s = new BlockLeadLagStream(["a", "b"], [{a: "a", b: "b", options: {resamples: 9}}], 0, 1000, 4);
  assert.throws(() => s.result(), /before the end of the second pass/);
  s.next();
  s.next();
  assert.throws(() => s.push("a", [1], [1]), /after the second pass/);
  assert.equal(s.result()[0].shift.length > 0, true);
  assert.throws(() => new BlockLeadLagStream(["a"], [{a: "a", b: "z", options: {}}], 0, 1000, 4), RangeError);
  assert.throws(() => new BlockLeadLagStream(["a", "b"], [], 0, 1000, 0), RangeError);
});
