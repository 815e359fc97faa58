import test from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {entropy} from "../../lib/entropy.js";
import {activeInformationStorage, entropyRate} from "../../lib/entropy-rate.js";
import {rollingEntropy} from "../../lib/rolling-entropy.js";
import {transferEntropy} from "../../lib/transfer-entropy.js";
import {rollingTransferEntropy} from "../../lib/rolling-transfer-entropy.js";
import {mutualInformation} from "../../lib/mutual-information.js";
import {benjaminiHochberg} from "../../lib/fdr.js";
import {randomTable} from "../../lib/surrogates.js";
import {mulberry32} from "../../lib/random.js";

// Fixed seeds keep runs reproducible; fast-check reports the counterexample and seed on failure.
const params = (seed: number) => ({numRuns: 200, seed});
const EPS = 1e-12;

/** An alphabet size b in [2, 5] and a symbol sequence over it. */
const symbols = (minLength = 0, maxLength = 80) =>
  fc.integer({min: 2, max: 5}).chain((b) =>
    fc.tuple(fc.constant(b), fc.array(fc.integer({min: 0, max: b - 1}), {minLength, maxLength}))
  );

/** An alphabet size b, two equal-length sequences over it, and two relabellings of [0, b). */
const pairOfSeries = (minLength = 1, maxLength = 80) =>
  fc.integer({min: 2, max: 4}).chain((b) => {
    const labels = Array.from({length: b}, (_, i) => i);
    return fc.integer({min: minLength, max: maxLength}).chain((n) =>
      fc.record({
        b: fc.constant(b),
        x: fc.array(fc.integer({min: 0, max: b - 1}), {minLength: n, maxLength: n}),
        y: fc.array(fc.integer({min: 0, max: b - 1}), {minLength: n, maxLength: n}),
        px: fc.shuffledSubarray(labels, {minLength: b, maxLength: b}),
        py: fc.shuffledSubarray(labels, {minLength: b, maxLength: b})
      })
    );
  });

const histories = fc.record({k: fc.integer({min: 0, max: 3}), l: fc.integer({min: 1, max: 3}), delay: fc.integer({min: 0, max: 3})});

test("entropy(x) lies in [0, log2 m] and the Miller–Madow value is never below the plug-in", () => {
  fc.assert(
    fc.property(symbols(1), ([b, x]) => {
      const h = entropy(x, {base: b});
      assert.ok(h >= 0 && h <= Math.log2(b) + EPS, `${h} outside [0, ${Math.log2(b)}]`);
      assert.ok(entropy(x, {base: b, estimator: "miller-madow"}) >= h);
    }),
    params(1)
  );
});

test("transferEntropy(x, y) plug-in is non-negative and at most H(Y_t | Y past) ≤ log2 b", () => {
  fc.assert(
    fc.property(pairOfSeries(1), histories, ({b, x, y}, o) => {
      const te = transferEntropy(x, y, {...o, base: b});
      if (Number.isNaN(te)) return assert.ok(y.length <= Math.max(o.k, o.delay + o.l - 1));
      assert.ok(te >= 0, `TE ${te} < 0`);
      // TE = I(Y_t; X past | Y past) ≤ H(Y_t | Y past) on the same samples.
      const start = Math.max(o.k, o.delay + o.l - 1);
      const hCond = o.k === 0 ? entropy(y.slice(start)) : entropyRate(y.slice(start - o.k), {k: o.k});
      assert.ok(te <= hCond + EPS, `TE ${te} > H(Y_t | past) ${hCond}`);
      assert.ok(te <= Math.log2(b) + EPS);
    }),
    params(2)
  );
});

test("entropy, entropyRate, activeInformationStorage, transferEntropy and mutualInformation are invariant under relabelling", () => {
  fc.assert(
    fc.property(pairOfSeries(1), histories, ({b, x, y, px, py}, o) => {
      const rx = x.map((v) => px[v]);
      const ry = y.map((v) => py[v]);
      const same = (a: number, c: number, what: string) =>
        assert.ok((Number.isNaN(a) && Number.isNaN(c)) || Math.abs(a - c) <= EPS, `${what}: ${a} vs ${c}`);
      same(entropy(rx), entropy(x), "entropy");
      same(entropyRate(rx, {k: o.k, base: b}), entropyRate(x, {k: o.k, base: b}), "entropyRate");
      same(activeInformationStorage(rx, {k: o.k, base: b}), activeInformationStorage(x, {k: o.k, base: b}), "AIS");
      same(transferEntropy(rx, ry, {...o, base: b}), transferEntropy(x, y, {...o, base: b}), "TE");
      same(mutualInformation(rx, ry, {lag: o.delay % x.length}), mutualInformation(x, y, {lag: o.delay % x.length}), "MI");
    }),
    params(3)
  );
});

test("transferEntropy(x, y) is the same for plain, byte and 32-bit arrays, with the base given or inferred", () => {
  // Exercises every counting path: unchecked unrolled loops (checked bytes), loops that check as
  // they count (Int32Array with a base), and the general loop (plain arrays).
  fc.assert(
    fc.property(pairOfSeries(1, 120), histories, ({b, x, y}, o) => {
      const expected = transferEntropy(x, y, o);
      for (const T of [Uint8Array, Int8Array, Int32Array]) {
        for (const base of [undefined, b, b + 1]) {
          const te = transferEntropy(T.from(x), T.from(y), {...o, base});
          assert.ok(Object.is(te, expected) || Math.abs(te - expected) <= EPS, `${T.name} base ${base}: ${te} vs ${expected}`);
        }
      }
    }),
    params(9)
  );
});

test("mutualInformation(x, y) is symmetric and at most min(H(x), H(y))", () => {
  fc.assert(
    fc.property(pairOfSeries(1), ({x, y}) => {
      const mi = mutualInformation(x, y);
      assert.ok(mi >= 0);
      assert.ok(Math.abs(mi - mutualInformation(y, x)) <= EPS);
      assert.ok(mi <= Math.min(entropy(x), entropy(y)) + EPS);
    }),
    params(4)
  );
});

test("rollingEntropy(x, {window, step}) equals entropy(x) on each evaluated window", () => {
  fc.assert(
    fc.property(symbols(0, 120), fc.integer({min: 1, max: 30}), fc.integer({min: 1, max: 7}), fc.boolean(), ([b, x], window, step, mm) => {
      const estimator = mm ? "miller-madow" : "plug-in";
      const h = rollingEntropy(x, {window, step, base: b, estimator});
      assert.equal(h.length, x.length);
      for (let i = 0; i < x.length; ++i) {
        if (i >= window - 1 && (i - window + 1) % step === 0) {
          const batch = entropy(x.slice(i - window + 1, i + 1), {estimator});
          assert.ok(Math.abs(h[i] - batch) <= EPS, `end ${i}: ${h[i]} vs ${batch}`);
        } else {
          assert.ok(Number.isNaN(h[i]));
        }
      }
    }),
    params(5)
  );
});

test("rollingTransferEntropy(x, y, {window, step}) equals transferEntropy on each window", () => {
  fc.assert(
    fc.property(pairOfSeries(1, 150), histories, fc.integer({min: 1, max: 60}), fc.integer({min: 1, max: 9}), ({b, x, y}, o, extra, step) => {
      const start = Math.max(o.k, o.delay + o.l - 1);
      const window = start + extra;
      const r = rollingTransferEntropy(x, y, {...o, base: b, window, step});
      assert.equal(r.end.length, x.length >= window ? Math.floor((x.length - window) / step) + 1 : 0);
      for (let j = 0; j < r.end.length; ++j) {
        const e = r.end[j];
        const batch = transferEntropy(x.slice(e - window + 1, e + 1), y.slice(e - window + 1, e + 1), {...o, base: b});
        assert.ok(Math.abs(r.te[j] - batch) <= EPS, `end ${e}: ${r.te[j]} vs ${batch}`);
      }
    }),
    params(6)
  );
});

test("benjaminiHochberg(p) adjusted values are monotone in p and never below p", () => {
  fc.assert(
    fc.property(fc.array(fc.double({min: 0, max: 1, noNaN: true}), {maxLength: 50}), (p) => {
      const q = benjaminiHochberg(p).adjusted;
      for (let i = 0; i < p.length; ++i) {
        assert.ok(q[i] >= p[i] && q[i] <= 1);
        for (let j = 0; j < p.length; ++j) if (p[i] <= p[j]) assert.ok(q[i] <= q[j]);
      }
    }),
    params(7)
  );
});

test("randomTable(rows, cols) always keeps the margins", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({min: 0, max: 400}), {minLength: 1, maxLength: 6}), fc.integer({min: 1, max: 6}), fc.integer(), (rows, c, seed) => {
      // Split the grand total into c column totals.
      const total = rows.reduce((s, v) => s + v, 0);
      const random = mulberry32(seed);
      const cols = new Array(c).fill(0);
      for (let i = 0; i < total; ++i) ++cols[Math.floor(random() * c)];
      const t = randomTable(rows, cols, random);
      for (let i = 0; i < rows.length; ++i) assert.equal(t.subarray(i * c, (i + 1) * c).reduce((s, v) => s + v, 0), rows[i]);
      for (let j = 0; j < c; ++j) assert.equal(rows.reduce((s, _, i) => s + t[i * c + j], 0), cols[j]);
      assert.ok(t.every((v) => v >= 0));
    }),
    params(8)
  );
});
