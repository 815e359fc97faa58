import test from "node:test";
import assert from "node:assert/strict";
import {acf} from "../../lib/acf.js";
import {phaseObservables, returnLagSums} from "../../lib/phase-observables.js";
import {mulberry32, randomNormal} from "../../lib/random.js";
import {SECONDS_PER_YEAR} from "../../lib/realised-volatility.js";

/** A bin series: Poisson-ish trade counts with buy probability `pb`, random-walk price with per-bin SD `sd`. */
function market(seed: number, n: number, parts: {pb: number; sd: number; rate: number}[]): {buy: Float64Array; sell: Float64Array; price: Float64Array} {
  const random = mulberry32(seed);
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  const price = new Float64Array(n);
  let logp = Math.log(60000);
  for (let i = 0; i < n; ++i) {
    const {pb, sd, rate} = parts[Math.floor((i * parts.length) / n)];
    const k = Math.max(0, Math.round(rate + Math.sqrt(rate) * randomNormal(random)));
    for (let j = 0; j < k; ++j) (random() < pb ? buy : sell)[i]++;
    logp += sd * randomNormal(random);
    price[i] = Math.exp(logp);
  }
  return {buy, sell, price};
}

/** Miller–Madow entropy (bits) of a list of symbols, directly. */
function entropyMM(symbols: number[]): number {
  const counts = new Map<number, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  const n = symbols.length;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log2(c / n);
  return h + (counts.size - 1) / (2 * n * Math.LN2);
}

test("phaseObservables(bins, options) equals direct computations on each window", () => {
  const bins = market(1, 3000, [{pb: 0.5, sd: 1e-4, rate: 5}]);
  const window = 300;
  const step = 100;
  const o = phaseObservables(bins, {window, step, maxLag: 10});
  assert.equal(o.end.length, Math.floor((3000 - window) / step) + 1);
  for (const j of [0, 5, o.end.length - 1]) {
    const lo = o.end[j] - window + 1;
    const hi = o.end[j] + 1;
    let b = 0, s = 0, r2 = 0, c = 0;
    const r: number[] = [];
    const symbols: number[] = [];
    let chiA = 0, chiW = 0, chiQ = 0, K = 0;
    for (let i = lo; i < hi; ++i) {
      b += bins.buy[i];
      s += bins.sell[i];
      const ret = i > 0 ? Math.log(bins.price[i] / bins.price[i - 1]) : 0;
      r.push(ret);
      if (i > 0) (r2 += ret * ret), ++c;
      const net = bins.buy[i] - bins.sell[i];
      const N = bins.buy[i] + bins.sell[i];
      // The flow symbol of a bin with trades (lib/symbolize.ts); bins without trades are left out.
      if (N > 0) symbols.push(net < 0 ? 0 : net === 0 ? 1 : 2);
      if (N > 0) {
        const m = (bins.buy[i] - bins.sell[i]) / N;
        (chiA += N * m), (chiW += N), (chiQ += N * m * m), ++K;
      }
    }
    assert.ok(Math.abs(o.imbalance[j] - (b - s) / (b + s)) < 1e-12);
    assert.equal(o.trades[j], b + s);
    assert.ok(Math.abs(o.volatility[j] - Math.sqrt(((r2 * window) / c) * (SECONDS_PER_YEAR / window))) < 1e-9 * o.volatility[j], "annualised RV");
    assert.ok(Math.abs(o.susceptibility[j] - (chiQ - (chiA * chiA) / chiW) / (K - 1)) < 1e-9);
    assert.ok(Math.abs(o.entropy[j] - entropyMM(symbols)) < 1e-9, `entropy ${o.entropy[j]} vs ${entropyMM(symbols)}`);
    assert.equal(o.active[j], symbols.length / window);
    // ξ: first lag with ρ < 1/e, linear interpolation (the default).
    const rho = acf(r, 10);
    let k = 1;
    while (rho[k] >= 1 / Math.E) ++k;
    const xi = k - 1 + (rho[k - 1] - 1 / Math.E) / (rho[k - 1] - rho[k]);
    assert.ok(Math.abs(o.correlationLength[j] - xi) < 1e-9, `ξ ${o.correlationLength[j]} vs ${xi}`);
  }
});

test("phaseObservables(bins, options) gives the same correlation length by blocks, with cached returnSums, and by the direct rolling ACF", () => {
  const bins = market(2, 6000, [{pb: 0.5, sd: 2e-4, rate: 3}]);
  const direct = phaseObservables(bins, {window: 600, step: 7, maxLag: 20, interpolation: "log"}).correlationLength; // gcd 7 < maxLag: rolling ACF
  const blocks = phaseObservables(bins, {window: 600, step: 60, maxLag: 20, interpolation: "log"}).correlationLength; // gcd 60: blocks
  const cached = phaseObservables(bins, {window: 600, step: 60, maxLag: 20, interpolation: "log", returnSums: {block: 60, sums: returnLagSums(bins.price, {block: 60, maxLag: 20})}}).correlationLength;
  assert.deepEqual(Array.from(cached), Array.from(blocks));
  for (let j = 0; j < blocks.length; ++j) {
    // window j of step 60 ends where window 60j/7 of step 7 would, when 60j is a multiple of 7.
    if ((60 * j) % 7 === 0) assert.ok(Math.abs(blocks[j] - direct[(60 * j) / 7]) < 1e-9, `window ${j}`);
  }
});

test("phaseObservables(bins, options) sees a planted one-sided, hot regime: lower entropy, imbalance near 2p − 1, higher temperature", () => {
  const bins = market(3, 8000, [
    {pb: 0.5, sd: 1e-4, rate: 8},
    {pb: 0.8, sd: 4e-4, rate: 8}
  ]);
  const o = phaseObservables(bins, {window: 1000, step: 1000});
  assert.equal(o.end.length, 8);
  const calm = [0, 1, 2, 3];
  const hot = [4, 5, 6, 7];
  const mean = (a: Float64Array, idx: number[]) => idx.reduce((s, i) => s + a[i], 0) / idx.length;
  assert.ok(Math.abs(mean(o.imbalance, calm)) < 0.03, String(mean(o.imbalance, calm)));
  assert.ok(Math.abs(mean(o.imbalance, hot) - 0.6) < 0.03, String(mean(o.imbalance, hot)));
  assert.ok(mean(o.entropy, hot) < mean(o.entropy, calm) - 0.2, `entropy ${mean(o.entropy, hot)} vs ${mean(o.entropy, calm)}`);
  assert.ok(mean(o.entropy, calm) > 1.2 && mean(o.entropy, calm) <= Math.log2(3) + 0.01, `calm entropy ${mean(o.entropy, calm)}: buys, sells and some balanced bins`);
  const ratio = mean(o.volatility, hot) / mean(o.volatility, calm);
  assert.ok(Math.abs(ratio - 4) < 0.3, `temperature ratio ${ratio}`);
  // Independent signs: χ = N·Var(m) ≈ 1 − μ², here 1 and 1 − 0.36.
  assert.ok(Math.abs(mean(o.susceptibility, calm) - 1) < 0.1, `χ calm ${mean(o.susceptibility, calm)}`);
  assert.ok(Math.abs(mean(o.susceptibility, hot) - 0.64) < 0.1, `χ hot ${mean(o.susceptibility, hot)}`);
});

test("phaseObservables(bins) entropy is not lowered by bins without trades", () => {
  const bins = market(5, 8000, [{pb: 0.5, sd: 1e-4, rate: 8}]);
  const o = phaseObservables(bins, {window: 1000, step: 1000});
  // The same bins with the trades of every other bin of the second half removed: a quieter
  // market, as balanced when it trades.
  const quiet = {buy: bins.buy.slice(), sell: bins.sell.slice(), price: bins.price};
  for (let i = 4000; i < 8000; i += 2) quiet.buy[i] = quiet.sell[i] = 0;
  const q = phaseObservables(quiet, {window: 1000, step: 1000});
  for (let j = 4; j < 8; ++j) {
    assert.ok(Math.abs(q.active[j] - 0.5 * o.active[j]) < 0.01, `active ${q.active[j]} vs ${o.active[j]}`);
    assert.ok(Math.abs(q.entropy[j] - o.entropy[j]) < 0.06, `window ${j}: entropy ${q.entropy[j]} with half the bins empty vs ${o.entropy[j]}`);
  }
});

test("phaseObservables(bins, options) rejects mismatched columns and invalid options", () => {
  const bins = market(4, 100, [{pb: 0.5, sd: 1e-4, rate: 2}]);
  assert.throws(() => phaseObservables({...bins, price: bins.price.subarray(1)}, {window: 10}), /invalid price length: 99/);
  assert.throws(() => phaseObservables({...bins, sell: bins.sell.subarray(1)}, {window: 10}), /invalid sell length: 99/);
  assert.throws(() => phaseObservables(bins, {window: 1}), /invalid window: 1/);
  assert.throws(() => phaseObservables(bins, {window: 10, interval: 0}), /invalid interval: 0/);
  assert.throws(() => phaseObservables(bins, {window: 10, maxLag: 0}), /invalid maxLag: 0/);
  assert.throws(() => returnLagSums(bins.price, {block: 0, maxLag: 2}), /invalid block: 0/);
});
