// Chapter 03 on real trades: the direction of information flow between Binance's BTCUSDT
// perpetual and spot books, from the websocket recordings in ../shared/real-trades (2023-04-05,
// 00:00:05–00:06:54 UTC, the overlap of the two recordings). Nothing is planted in real data, so
// the figures are reported (as test diagnostics) and the assertions check what can be checked:
// the trades read against the recordings' own trade list, the TE values against a direct count,
// and the coupling of the two books.
import test from "node:test";
import assert from "node:assert/strict";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {binTrades} from "../../loaders/aggregate/bins.ts";
import {pairInformationFlow, type PairFlow} from "../../lib/analysis/ch03.js";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {newQuarantine, type TradeBatch} from "../../loaders/trades.ts";
import {laggedMutualInformation} from "../../lib/mutual-information.js";
import {priceChangeSymbols} from "../../lib/price-symbols.js";
import {flowSymbols} from "../../lib/symbolize.js";

const SHARED = fileURLToPath(new URL("../../../shared/real-trades/", import.meta.url));
const skip = existsSync(SHARED) ? false : `../shared/real-trades is absent (${SHARED}): the real-data check of chapter 03 needs the shared recordings`;
const PERP = `${SHARED}binance-usdm-futures/btcusdt_20230405.dat.gz`;
const SPOT = `${SHARED}binance-spot/btcusdt_20230405.dat.gz`;
const span: [number, number] = [Date.parse("2023-04-05T00:00:05Z"), Date.parse("2023-04-05T00:06:54Z")];

async function read(path: string) {
  const q = newQuarantine();
  const batches: TradeBatch[] = [];
  for await (const b of readBinanceWs(path, q, {span, outside: "skip", symbol: "BTCUSDT"})) batches.push(b);
  return {batches, q, trades: batches.reduce((s, b) => s + b.length, 0)};
}

/** Trades of a derived CSV extract (local_ts,event_time_ms,trade_time_ms,symbol,trade_id,price,qty,is_buyer_maker,type) inside the span, market trades only. */
function csvTrades(name: string): {count: number; buys: number} {
  const lines = readFileSync(`${SHARED}derived/${name}`, "utf8").trim().split(/\r?\n/).slice(1);
  let count = 0;
  let buys = 0;
  for (const line of lines) {
    const f = line.split(",");
    const t = Number(f[2]);
    if (t < span[0] || t >= span[1] || (f[8] !== "" && f[8] !== "MARKET")) continue;
    ++count;
    if (f[7] === "false") ++buys;
  }
  return {count, buys};
}

/** Plug-in TE(x → y), k = 1, by a direct count of (y_t, y_{t−1}, x_{t−1}) in a Map. */
function referenceTE(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const c = new Map<string, number>();
  const inc = (key: string) => c.set(key, (c.get(key) ?? 0) + 1);
  for (let t = 1; t < y.length; ++t) {
    inc(`j ${y[t]} ${y[t - 1]} ${x[t - 1]}`);
    inc(`p ${y[t - 1]}`);
    inc(`ps ${y[t - 1]} ${x[t - 1]}`);
    inc(`pn ${y[t]} ${y[t - 1]}`);
  }
  const n = y.length - 1;
  let te = 0;
  for (const [key, v] of c) {
    if (!key.startsWith("j ")) continue;
    const [, next, past, source] = key.split(" ");
    te += (v / n) * Math.log2((v * c.get(`p ${past}`)!) / (c.get(`ps ${past} ${source}`)! * c.get(`pn ${next} ${past}`)!));
  }
  return te;
}

const loaded = skip ? undefined : Promise.all([read(PERP), read(SPOT)]);
const results = new Map<number, PairFlow>();
async function flowAt(widthMs: number) {
  const [perp, spot] = await loaded!;
  const a = binTrades(perp.batches, {t0: span[0], t1: span[1], widthMs});
  const b = binTrades(spot.batches, {t0: span[0], t1: span[1], widthMs});
  if (!results.has(widthMs)) results.set(widthMs, pairInformationFlow(a, b, {widthMs, surrogates: 999, blockSurrogates: 199, seed: 20230405}));
  return {a, b, flow: results.get(widthMs)!};
}

const fmt = (t: PairFlow["tests"][number]) =>
  `${t.channel} k=${t.k}: perp→spot ${(t.forward.effective * 1000).toFixed(2)} mbit (TE ${(t.forward.te * 1000).toFixed(2)}, p shuffle ${t.forward.pShuffle.toFixed(3)}, block ${t.forward.pBlock.toFixed(3)}); ` +
  `spot→perp ${(t.backward.effective * 1000).toFixed(2)} mbit (TE ${(t.backward.te * 1000).toFixed(2)}, p shuffle ${t.backward.pShuffle.toFixed(3)}, block ${t.backward.pBlock.toFixed(3)})`;

test("readBinanceWs(path) reads the perpetual and spot trades of the overlap that the recordings list", {skip}, async () => {
  const [perp, spot] = await loaded!;
  const p = csvTrades("binance-usdm-futures__btcusdt_20230405.trades.csv");
  const s = csvTrades("binance-spot__btcusdt_20230405.trades.csv");
  assert.equal(perp.trades, p.count);
  assert.equal(spot.trades, s.count);
  const buys = (batches: TradeBatch[]) => batches.reduce((n, b) => n + b.side.subarray(0, b.length).filter((x) => x === 1).length, 0);
  assert.equal(buys(perp.batches), p.buys);
  assert.equal(buys(spot.batches), s.buys);
  assert.ok(perp.trades > 10_000 && spot.trades > 3_000, `${perp.trades} perpetual and ${spot.trades} spot trades`);
});

test("pairInformationFlow(perp, spot) at 100 ms gives the TE a direct count gives, with valid p-values", {skip}, async (t) => {
  const {a, b, flow} = await flowAt(100);
  assert.equal(flow.bins, Math.ceil((span[1] - span[0]) / 100));
  const sym = (c: typeof a) => flowSymbols(Float64Array.from(c.n_buy, (x, i) => x - c.n_sell[i]), Float64Array.from(c.n_buy, (x, i) => x + c.n_sell[i]));
  const flowTest = flow.tests.find((x) => x.channel === "flow" && x.k === 1)!;
  const priceTest = flow.tests.find((x) => x.channel === "price-flow" && x.k === 1)!;
  assert.ok(Math.abs(flowTest.forward.te - referenceTE(sym(a), sym(b))) < 1e-12);
  assert.ok(Math.abs(flowTest.backward.te - referenceTE(sym(b), sym(a))) < 1e-12);
  assert.ok(Math.abs(priceTest.forward.te - referenceTE(priceChangeSymbols(a.last), sym(b))) < 1e-12);
  for (const x of flow.tests)
    for (const d of [x.forward, x.backward]) {
      assert.ok(d.pShuffle >= 1 / 1000 && d.pShuffle <= 1, `p ${d.pShuffle}`);
      assert.ok(d.pBlock >= 1 / 200 && d.pBlock <= 1, `p ${d.pBlock}`);
      assert.ok(Number.isFinite(d.effective));
    }
  for (const x of flow.tests) t.diagnostic(`100 ms ${fmt(x)}`);
});

test("pairInformationFlow(perp, spot) finds the perpetual and spot books coupled through prices at 100 ms", {skip}, async (t) => {
  const {a, b, flow} = await flowAt(100);
  const price = flow.tests.find((x) => x.channel === "price-flow" && x.k === 1)!;
  // Each book's last price move says something about the other book's next order flow.
  const coupled = [price.forward, price.backward].filter((d) => d.pShuffle < 0.05 && d.pBlock < 0.05);
  assert.ok(coupled.length >= 1, fmt(price));
  // The price moves of the two books share information at some lag within ±2 s.
  const mi = laggedMutualInformation(priceChangeSymbols(a.last), priceChangeSymbols(b.last), {maxLag: 20, base: 3, correction: "shuffle", surrogates: 199, seed: 1});
  const p = mi.pValue![mi.lag.indexOf(mi.bestLag)];
  assert.ok(p < 0.05, `best lag ${mi.bestLag * 100} ms, p ${p}`);
  const net = price.forward.effective - price.backward.effective;
  t.diagnostic(`net price → flow TE perp − spot: ${(net * 1000).toFixed(2)} mbit; MI of price moves peaks at ${mi.bestLag * 100} ms (${(mi.best * 1000).toFixed(2)} mbit, p ${p.toFixed(3)})`);
});

test("pairInformationFlow(perp, spot) at 50 ms and 1 s: the figures at other bin widths", {skip}, async (t) => {
  for (const w of [50, 1000]) {
    const {flow} = await flowAt(w);
    assert.equal(flow.bins, Math.ceil((span[1] - span[0]) / w));
    for (const x of flow.tests) t.diagnostic(`${w} ms ${fmt(x)}`);
  }
});
