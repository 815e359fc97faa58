import test from "node:test";
import assert from "node:assert/strict";
import {sizeRow, sizeRowFrom, MICROSTRUCTURE_DEFAULTS} from "../../../lib/analysis/ch02.js";
import {roundNumber} from "../../../lib/analysis/round.js";
import {SizeStream} from "../../../lib/analysis/size-stream.js";
import {ccdf} from "../../../lib/ccdf.js";
import {hill, hillPlot} from "../../../lib/hill.js";
import {moments, quantiles} from "../../../lib/moments.js";
import {mulberry32} from "../../../lib/random.js";

/** Trade sizes on a lot grid (`lot` BTC) with a Pareto tail of exponent 1.6 above 0.05 BTC. */
function sizes(n: number, lot: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({length: n}, () => {
    const body = Math.exp(Math.log(0.002) + 1.2 * (random() + random() + random() - 1.5));
    const x = random() < 0.1 ? 0.05 / Math.pow(1 - random(), 1 / 1.6) : body;
    return Math.max(lot, Math.round(x / lot) * lot);
  });
}

for (const lot of [0.001, 1e-8]) {
  test(`SizeStream on arbitrary cuts: the size row equals the batch kernels' values (lot ${lot} BTC)`, () => {
    const qty = sizes(40_000, lot, lot === 0.001 ? 1 : 2);
    const random = mulberry32(5);
    const stream = new SizeStream();
    for (let a = 0; a < qty.length; ) {
      const b = Math.min(qty.length, a + Math.floor(random() * 9000));
      stream.push(qty.subarray(a, b));
      a = b;
    }
    const row = sizeRowFrom("binance", stream, null);
    assert.deepEqual(row, sizeRow("binance", qty, null));
    // Against the batch kernels directly.
    const mo = moments(qty);
    const q = quantiles(qty, MICROSTRUCTURE_DEFAULTS.sizeQuantiles);
    const h = hill(qty);
    const plot = hillPlot(qty, {kMax: Math.floor(qty.length / 10)});
    const c = ccdf(qty, {logPoints: 120});
    assert.equal(row.n, mo.n);
    assert.deepEqual(stream.moments.result(), mo);
    assert.deepEqual(Array.from(stream.counts.quantiles(MICROSTRUCTURE_DEFAULTS.sizeQuantiles)), Array.from(q));
    assert.equal(row.hill.k, h.k);
    assert.deepEqual(row.hill.plateau, h.plateau);
    assert.ok(Number.isFinite(h.alpha) && h.alpha > 1 && h.alpha < 2.5, `the planted tail is found (α = ${h.alpha})`);
    assert.deepEqual(row.hillPlot.k.map((k) => roundNumber(plot.alpha[k - 1], 4)), row.hillPlot.alpha);
    assert.equal(row.ccdf.x.length, c.x.length);
    if (lot === 0.001) assert.ok(stream.counts.distinct < 5000, `a lot grid repeats sizes (${stream.counts.distinct} distinct)`);
  });
}

test("SizeStream: no sizes, and sizes that are all non-positive", () => {
  const empty = new SizeStream();
  assert.deepEqual(sizeRowFrom("okx", empty, null), sizeRow("okx", new Float64Array(0), null));
  const zeros = new SizeStream();
  zeros.push([0, 0, -1]);
  assert.deepEqual(sizeRowFrom("okx", zeros, null), sizeRow("okx", Float64Array.from([0, 0, -1]), null));
  assert.deepEqual(sizeRowFrom("okx", zeros, null).ccdf, {x: [], p: []});
});
