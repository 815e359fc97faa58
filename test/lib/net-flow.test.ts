import assert from "node:assert/strict";
import {test} from "node:test";
import {DEFAULT_FLOW, FLOW_DEFINITIONS, FLOW_LABELS, flowName, netFlow} from "../../lib/net-flow.ts";
import {binSymbols, flowCheck, type FlowBins} from "../../lib/analysis/ch03.ts";
import {mulberry32} from "../../lib/random.ts";

// Three bins: many small buys against one large sell; balanced counts with more volume sold; empty.
const bins = {length: 3, n_buy: Int32Array.of(5, 2, 0), n_sell: Int32Array.of(1, 2, 0), v_buy: Float64Array.of(0.05, 0.2, 0), v_sell: Float64Array.of(3, 0.5, 0)};

test("netFlow(bins): the net signed trade count by default, the net signed volume on request", () => {
  assert.equal(DEFAULT_FLOW, "count");
  assert.deepEqual(Array.from(netFlow(bins)), [4, 0, 0]);
  assert.deepEqual(Array.from(netFlow(bins, "count")), [4, 0, 0]);
  const v = netFlow(bins, "volume");
  assert.ok(Math.abs(v[0] + 2.95) < 1e-12 && Math.abs(v[1] + 0.3) < 1e-12 && v[2] === 0, Array.from(v).join());
  assert.deepEqual([...FLOW_DEFINITIONS], ["count", "volume"]);
  assert.match(FLOW_LABELS.count, /^net signed trade count/);
  assert.match(FLOW_LABELS.volume, /^net signed volume/);
  assert.equal(flowName("volume"), "net signed volume");
});

test("netFlow(bins, volume) without volumes, and an unknown definition, are RangeErrors naming them", () => {
  assert.throws(() => netFlow({length: 1, n_buy: [1], n_sell: [0]}, "volume"), (e: Error) => e instanceof RangeError && /v_buy\/v_sell/.test(e.message));
  assert.throws(() => netFlow(bins, "notional" as never), (e: Error) => e instanceof RangeError && /invalid flow definition: notional/.test(e.message));
});

test("binSymbols(…, definition): the flow symbols are signs of the chosen flow, and the set records it", () => {
  const b: FlowBins = {...bins, last: Float64Array.of(100, 101, 101)};
  const count = binSymbols({binance: b}, ["binance"], 1000);
  const volume = binSymbols({binance: b}, ["binance"], 1000, "volume");
  assert.equal(count.definition, "count");
  assert.equal(volume.definition, "volume");
  // buy / balanced / no trade by count; sell / sell / no trade by volume (an empty bin is "no trade" under either definition).
  assert.deepEqual(Array.from(count.flow.binance!), [2, 1, 3]);
  assert.deepEqual(Array.from(volume.flow.binance!), [0, 0, 3]);
});

test("flowCheck(bins, venues): every ordered pair and channel under both definitions; a link carried by volume only shows under volume only", () => {
  const n = 4000;
  const rnd = mulberry32(7);
  const bins = () => ({length: n, n_buy: new Int32Array(n), n_sell: new Int32Array(n), v_buy: new Float64Array(n), v_sell: new Float64Array(n), last: new Float64Array(n).fill(100)});
  // a: one trade a bin, its volume the side of its count. b: counts independent of a; b's large
  // trades (volume) follow a's flow of the previous bin, while many small trades set b's count.
  const a = bins();
  const b = bins();
  for (let t = 0; t < n; ++t) {
    const buy = rnd() < 0.5;
    a.n_buy[t] = buy ? 1 : 0;
    a.n_sell[t] = buy ? 0 : 1;
    a.v_buy[t] = buy ? 0.1 : 0;
    a.v_sell[t] = buy ? 0 : 0.1;
    // At least one trade of each side a bin: a bin with volume has trades.
    b.n_buy[t] = 1 + Math.floor(4 * rnd());
    b.n_sell[t] = 1 + Math.floor(4 * rnd());
    const follow = t > 0 && a.n_buy[t - 1] === 1;
    b.v_buy[t] = follow ? 2 : 0.01 * b.n_buy[t];
    b.v_sell[t] = follow ? 0.01 * b.n_sell[t] : 2;
  }
  const c = flowCheck({binance: a, bybit: b}, ["binance", "bybit"], {surrogates: 99, seed: 1});
  assert.deepEqual(c.rows.map((r) => `${r.channel} ${r.source} ${r.target}`), ["flow binance bybit", "flow bybit binance", "price-flow binance bybit", "price-flow bybit binance"]);
  const ab = c.rows[0];
  assert.ok(ab.count.pValue > 0.05, `by count, b's flow does not follow a's (p ${ab.count.pValue})`);
  assert.ok(ab.volume.pValue <= 0.01, `by volume, b's flow follows a's (p ${ab.volume.pValue})`);
  assert.ok(ab.volume.effective > 0.5, `nearly one bit by volume: ${ab.volume.effective}`);
});
