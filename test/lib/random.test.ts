import assert from "node:assert/strict";
import {test} from "node:test";
import {deriveSeed, mulberry32, normalSource, randomExponential, randomNormal, randomPareto, shuffle} from "../../lib/random.ts";

test("mulberry32(seed) is deterministic, seed-dependent and uniform on [0, 1)", () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const c = mulberry32(43);
  const xs = Array.from({length: 100_000}, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({length: 5}, () => b()));
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
});

test("shuffle(array, random) returns a permutation", () => {
  const x = Int32Array.from({length: 1000}, (_, i) => i);
  shuffle(x, mulberry32(1));
  assert.notDeepEqual(Array.from(x), Array.from({length: 1000}, (_, i) => i));
  assert.deepEqual(Array.from(x).sort((p, q) => p - q), Array.from({length: 1000}, (_, i) => i));
});

test("normalSource(random) gives standard normal draws, two per accepted polar pair", () => {
  const normal = normalSource(mulberry32(7));
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < n; ++i) {
    const z = normal();
    s += z;
    s2 += z * z;
    s4 += z ** 4;
  }
  assert.ok(Math.abs(s / n) < 0.01, `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.015, `variance ${s2 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 0.1, `fourth moment ${s4 / n}`);
  // The first draw of a pair equals the polar method's own first value from the same uniforms.
  assert.equal(normalSource(mulberry32(9))(), randomNormal(mulberry32(9)));
});

test("randomExponential and randomPareto have their analytic means", () => {
  const r = mulberry32(3);
  const n = 200_000;
  let e = 0;
  let p = 0;
  for (let i = 0; i < n; ++i) (e += randomExponential(r, 2)), (p += randomPareto(r, 1, 3));
  assert.ok(Math.abs(e / n - 0.5) < 0.01, `exponential mean ${e / n}`);
  assert.ok(Math.abs(p / n - 1.5) < 0.02, `Pareto mean ${p / n}`);
});

test("deriveSeed(seed, label) separates streams", () => {
  assert.equal(deriveSeed(1, "a"), deriveSeed(1, "a"));
  assert.notEqual(deriveSeed(1, "a"), deriveSeed(1, "b"));
  assert.notEqual(deriveSeed(1, "a"), deriveSeed(2, "a"));
});
