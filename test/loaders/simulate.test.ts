import test from "node:test";
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {DEFAULTS, validateConfig, ARCHIVE_VENUES as VENUES} from "../../loaders/config.ts";
import type {AnalysisConfig, Venue} from "../../loaders/config.ts";
import {BATCH_ROWS, delayAt, expectedTrades, latentDays, planMarket, simulateVenue, venueTruth} from "../../loaders/simulate/index.ts";
import type {SimPlan} from "../../loaders/simulate/index.ts";
import {crashEvents} from "../../lib/analysis/truth.ts";

function config(overrides: Partial<AnalysisConfig> = {}, rateScale = 1): AnalysisConfig {
  const c: AnalysisConfig = {...structuredClone(DEFAULTS), hours: 2, ...overrides};
  c.simulation = {...c.simulation, rateScale};
  return validateConfig(c);
}

interface Trades {
  n: number;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  side: Int8Array;
  id: Float64Array;
  batchLengths: number[];
}

function collect(plan: SimPlan, venue: Venue): Trades {
  const batches = [...simulateVenue(plan, venue)];
  const n = batches.reduce((s, b) => s + b.length, 0);
  const out: Trades = {n, time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), side: new Int8Array(n), id: new Float64Array(n), batchLengths: batches.map((b) => b.length)};
  let o = 0;
  for (const b of batches) {
    for (const k of ["time", "price", "qty", "side", "id"] as const) (out[k] as Float64Array).set((b[k] as Float64Array).subarray(0, b.length), o);
    o += b.length;
  }
  return out;
}

function hashStream(plan: SimPlan, venue: Venue): string {
  const h = createHash("sha256");
  for (const b of simulateVenue(plan, venue))
    for (const k of ["time", "price", "qty", "side", "id"] as const) {
      const a = b[k].subarray(0, b.length);
      h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
  return h.digest("hex");
}

/** Last trade price at the end of each bin of width `w` over [a, b), carried forward (NaN before the first trade). */
function lastPrices(tr: Trades, a: number, b: number, w: number): Float64Array {
  const m = Math.floor((b - a) / w);
  const out = new Float64Array(m).fill(NaN);
  let i = 0;
  let last = NaN;
  for (let j = 0; j < m; ++j) {
    const end = a + (j + 1) * w;
    while (i < tr.n && tr.time[i] < end) last = tr.price[i++];
    out[j] = last;
  }
  return out;
}

function logReturns(p: Float64Array): Float64Array {
  const r = new Float64Array(p.length - 1);
  for (let i = 1; i < p.length; ++i) r[i - 1] = p[i] > 0 && p[i - 1] > 0 ? Math.log(p[i] / p[i - 1]) : 0;
  return r;
}

/** corr(x[i], y[i + lag]) over the overlap. */
function crossCorrelation(x: Float64Array, y: Float64Array, lag: number): number {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (let i = Math.max(0, -lag); i < x.length && i + lag < y.length; ++i) {
    const a = x[i], b = y[i + lag];
    sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b; ++n;
  }
  return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
}

/** Σ_{ℓ=1..L} corr(a_i, b_{i+ℓ}) − corr(b_i, a_{i+ℓ}): positive when a leads b. */
function leadScore(a: Float64Array, b: Float64Array, L = 10): {score: number; peak: number} {
  let score = 0;
  let peak = 0;
  let best = -Infinity;
  for (let l = -L; l <= L; ++l) {
    const c = crossCorrelation(a, b, l);
    if (l !== 0) score += Math.sign(l) * c;
    if (c > best) (best = c), (peak = l);
  }
  return {score, peak};
}

// One shared simulation: two hours of the default market at full rates (≈ 1.6 million trades).
const plan = planMarket(config());
const truth = plan.truth;
const {crashStart, crashEnd, recoveryEnd} = crashEvents(truth)!;
const [t0, t1] = plan.span;
const trades = Object.fromEntries(VENUES.map((v) => [v, collect(plan, v)])) as Record<Venue, Trades>;

test("planMarket(config) is pure, JSON-serialisable and plants the configured regimes and leaders", () => {
  assert.deepEqual(planMarket(config()).truth, truth);
  assert.deepEqual(JSON.parse(JSON.stringify(truth)), truth);
  assert.deepEqual(truth.truthKey, {seed: DEFAULTS.seed, version: "sim-2"});
  assert.deepEqual([truth.span.start, truth.span.end], [Date.UTC(2024, 7, 5), Date.UTC(2024, 7, 5, 2)]);
  assert.equal(crashStart, Date.UTC(2024, 7, 5, 1));
  assert.equal(crashEnd, Date.UTC(2024, 7, 5, 1, 7, 30));
  assert.equal(recoveryEnd, Date.UTC(2024, 7, 5, 1, 22, 30));
  assert.deepEqual(truth.regimes.map((r) => r.name), ["calm", "crash", "recovery", "calm"]);
  assert.equal(truth.regimes[1].startISO, "2024-08-05T01:00:00.000Z");
  assert.ok(truth.regimes[1].volMultiplier >= 3 && truth.regimes[1].volMultiplier <= 5);
  assert.ok(truth.regimes[1].driftPerSec < 0);
  assert.deepEqual(truth.leadLag.schedule.map((s) => s.leader), ["binance", "bybit", "binance"]);
  assert.deepEqual(truth.leadLag.schedule[0].delaysMs, {binance: 0, bybit: 150, okx: 300, coinbase: 500});
  assert.equal(truth.leadLag.schedule[1].delaysMs.binance, 200);
  assert.equal(delayAt(truth, "binance", crashStart + truth.leadLag.transitionMs / 2), 100);
  assert.ok(truth.orderFlow.signAcfExponent >= 0.5 && truth.orderFlow.signAcfExponent <= 0.7);
  assert.ok(truth.sizes.tailAlpha >= 1.5 && truth.sizes.tailAlpha <= 2.5);
  for (const b of truth.bursts) {
    assert.ok(t0 <= b.start && b.start < b.end && b.end <= t1);
    assert.equal(b.venue, b.start >= crashStart && b.start < crashEnd ? "bybit" : "binance");
    assert.equal(Math.sign(b.logMove), b.direction);
  }
  for (let i = 1; i < truth.bursts.length; ++i) assert.ok(truth.bursts[i].start >= truth.bursts[i - 1].end);
  const {levels, spacingUsd} = truth.wells;
  assert.ok(levels[0] < truth.latent.startPrice && truth.latent.startPrice < levels[levels.length - 1]);
  for (const l of levels) assert.equal(l % spacingUsd, 0);
  assert.deepEqual(Object.keys(truth.venueParams), [...VENUES]);
  // Expected counts: rate × hour-of-day profile × regime multiplier, doubled at the burst venue during its bursts.
  const h0 = Date.UTC(2024, 7, 5, 0);
  const burstMs = truth.bursts.filter((b) => b.venue === "binance" && b.start < h0 + 3_600_000).reduce((a, b) => a + Math.min(b.end, h0 + 3_600_000) - b.start, 0);
  const profile = truth.arrivals.intradayProfile[0];
  assert.ok(Math.abs(expectedTrades(plan, "binance", h0, h0 + 3_600_000) - 115 * profile * (3600 + burstMs / 1000)) < 1e-6);
  assert.ok(Math.abs(expectedTrades(plan, "okx", crashStart, crashEnd) - 40 * truth.arrivals.intradayProfile[1] * truth.regimes[1].intensityMultiplier * 450) < 1e-6);
  assert.throws(() => expectedTrades(plan, "okx", t1, t0), /invalid interval/);
  assert.throws(() => simulateVenue(planMarket(config({venues: ["okx"]})), "binance"), /invalid venue: binance/);
});

test("planMarket(config): over more than a day the crash and the recovery last a day's fractions, from the crash start's fraction of the span", () => {
  const day = crashEvents(planMarket(config({hours: 24})).truth)!;
  const d0 = Date.UTC(2024, 7, 5);
  assert.deepEqual([day.crashStart, day.crashEnd, day.recoveryEnd], [d0 + 12 * 3_600_000, d0 + 13.5 * 3_600_000, d0 + 16.5 * 3_600_000]);
  const weeks = planMarket(config({hours: 24, start: "2024-08-05", end: "2024-08-18"})).truth;
  const w = crashEvents(weeks)!;
  assert.equal(w.crashStart, d0 + 7 * 86_400_000);
  assert.equal(w.crashEnd - w.crashStart, day.crashEnd - day.crashStart);
  assert.equal(w.recoveryEnd - w.crashEnd, day.recoveryEnd - day.crashEnd);
  assert.deepEqual(weeks.regimes.map((r) => [r.name, r.start, r.end]), [
    ["calm", d0, w.crashStart],
    ["crash", w.crashStart, w.crashEnd],
    ["recovery", w.crashEnd, w.recoveryEnd],
    ["calm", w.recoveryEnd, d0 + 14 * 86_400_000]
  ]);
  assert.deepEqual(weeks.leadLag.schedule.map((s) => [s.start, s.end]), [
    [d0, w.crashStart],
    [w.crashStart, w.crashEnd],
    [w.crashEnd, d0 + 14 * 86_400_000]
  ]);
});

test("simulateVenue(plan, venue) is reproducible from the seed and independent of the other venues simulated", () => {
  const small = (seed: number, venues: Venue[] = [...VENUES]) => planMarket(config({hours: 1, seed, venues}, 0.05));
  const a = small(7);
  const hashes = VENUES.map((v) => hashStream(a, v));
  assert.deepEqual(VENUES.map((v) => hashStream(small(7), v)), hashes);
  assert.deepEqual(small(7).truth, a.truth);
  const b = small(8);
  assert.notDeepEqual(b.truth, a.truth);
  for (const [i, v] of VENUES.entries()) assert.notEqual(hashStream(b, v), hashes[i]);
  assert.equal(hashStream(small(7, ["okx"]), "okx"), hashes[2]);
  assert.equal(new Set(hashes).size, 4);
});

test("simulateVenue(plan, venue) emits sorted batches in the venue's ticks, lots, ids and time resolution", () => {
  for (const v of VENUES) {
    const tr = trades[v];
    const vt = venueTruth(plan, v);
    const tickInv = Math.round(1 / vt.tick);
    const lotInv = Math.round(1 / vt.lot);
    assert.ok(tr.batchLengths.every((n, i) => n === BATCH_ROWS || (i === tr.batchLengths.length - 1 && n > 0)), v);
    let fractional = 0;
    for (let i = 0; i < tr.n; ++i) {
      const t = tr.time[i];
      if (!(t >= t0 && t < t1) || (i > 0 && t < tr.time[i - 1])) assert.fail(`${v}: time ${t} at row ${i}`);
      if (tr.id[i] !== vt.firstId + i) assert.fail(`${v}: id ${tr.id[i]} at row ${i}`);
      if (tr.side[i] !== 1 && tr.side[i] !== -1) assert.fail(`${v}: side ${tr.side[i]}`);
      const pt = tr.price[i] * tickInv;
      if (Math.abs(pt - Math.round(pt)) > 1e-6 || tr.price[i] !== Math.round(pt) / tickInv) assert.fail(`${v}: price ${tr.price[i]} off tick`);
      const ql = tr.qty[i] * lotInv;
      if (Math.abs(ql - Math.round(ql)) > 1e-6 || ql < 0.5) assert.fail(`${v}: qty ${tr.qty[i]} off lot`);
      const tt = t * 10;
      if (Math.abs(tt - Math.round(tt)) > 1e-3) assert.fail(`${v}: time ${t} finer than 0.1 ms`);
      if (t !== Math.floor(t)) ++fractional;
    }
    if (v === "bybit") assert.ok(fractional > tr.n * 0.8, `bybit fractional ms ${fractional}/${tr.n}`);
    else assert.equal(fractional, 0, v);
  }
});

test("simulateVenue(plan, venue) trade counts match the planted Hawkes mean rates in every regime", (t) => {
  for (const v of VENUES) {
    const tr = trades[v];
    const count = (a: number, b: number) => {
      let n = 0;
      for (let i = 0; i < tr.n; ++i) if (tr.time[i] >= a && tr.time[i] < b) ++n;
      return n;
    };
    for (const [a, b, tol] of [[t0, crashStart, 0.04], [crashStart, crashEnd, 0.1], [crashEnd, recoveryEnd, 0.08], [t0, t1, 0.04]] as const) {
      const e = expectedTrades(plan, v, a, b);
      t.diagnostic(`${v} [${new Date(a).toISOString().slice(11, 19)}, ${new Date(b).toISOString().slice(11, 19)}): ${count(a, b)} / ${e.toFixed(0)} = ${(count(a, b) / e).toFixed(4)}`);
      assert.ok(Math.abs(count(a, b) / e - 1) < tol, `${v} [${new Date(a).toISOString()}, ${new Date(b).toISOString()}): ${count(a, b)} trades, expected ${e.toFixed(0)}`);
    }
    const calmRate = count(t0, crashStart) / ((crashStart - t0) / 1000);
    const crashRate = count(crashStart, crashEnd) / ((crashEnd - crashStart) / 1000);
    assert.ok(crashRate > 2 * calmRate, `${v}: crash ${crashRate}/s vs calm ${calmRate}/s`);
  }
});

test("simulateVenue(plan, venue) order flow is sell-dominated in the crash and buy-leaning in the recovery", (t) => {
  // Pooled over the venues: one venue's buy share wanders with its long metaorders.
  const share = (a: number, b: number) => {
    let buys = 0, n = 0;
    for (const v of VENUES) {
      const tr = trades[v];
      for (let i = 0; i < tr.n; ++i) if (tr.time[i] >= a && tr.time[i] < b) (buys += tr.side[i] > 0 ? 1 : 0), ++n;
    }
    return buys / n;
  };
  const [calm, crash, recovery] = [share(t0, crashStart), share(crashStart, crashEnd), share(crashEnd, recoveryEnd)];
  t.diagnostic(`buy share calm ${calm.toFixed(3)}, crash ${crash.toFixed(3)} (metaorders planted at ${truth.regimes[1].metaorderBuyProb}), recovery ${recovery.toFixed(3)} (${truth.regimes[2].metaorderBuyProb})`);
  assert.ok(crash < 0.42 && crash < calm - 0.08, `crash buy share ${crash} vs calm ${calm}`);
  assert.ok(recovery > 0.5 && recovery > crash + 0.1, `recovery buy share ${recovery}`);
});

test("simulateVenue(plan, venue) taker-order signs have a power-law autocorrelation with the planted exponent", (t) => {
  // Four calm hours of the leading venue at eight times the default rate (≈ 10 million trades,
  // ≈ 2.7 million taker orders: the sign process runs in order time, so the rate only sets the
  // sample size). Each order's fills (prints of one side at one timestamp) count once. Outside bursts the signs
  // are metaorder signs with planted mean 0, so the ACF is estimated without subtracting the sample
  // mean (which biases long-memory ACFs at long lags); the fit starts at lag 64, beyond the
  // pre-asymptotic range set by the shortest metaorders interleaved `concurrent` at a time.
  const p8 = planMarket(config({hours: 8, venues: ["binance"]}, 8));
  const end = crashEvents(p8.truth)!.crashStart;
  const bursts = p8.truth.bursts;
  const chunks: Int8Array[] = [];
  let bi = 0;
  let lastTime = NaN;
  let lastSide = 0;
  for (const b of simulateVenue(p8, "binance")) {
    const chunk = new Int8Array(b.length);
    let o = 0;
    let m = 0;
    for (; m < b.length && b.time[m] < end; ++m) {
      if (b.time[m] === lastTime && b.side[m] === lastSide) continue;
      lastTime = b.time[m];
      lastSide = b.side[m];
      // Informed bursts add their own short-lived sign correlation: blank them out.
      while (bi < bursts.length && bursts[bi].end <= b.time[m]) ++bi;
      chunk[o++] = bi < bursts.length && bursts[bi].start <= b.time[m] ? 0 : b.side[m];
    }
    chunks.push(chunk.subarray(0, o));
    if (m < b.length) break;
  }
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const s = new Int8Array(n);
  chunks.reduce((o, c) => (s.set(c, o), o + c.length), 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let lag = 64; lag <= 1024; lag = Math.round(lag * 1.25)) {
    let c = 0;
    for (let i = 0; i + lag < n; ++i) c += s[i] * s[i + lag];
    const acf = c / (n - lag);
    assert.ok(acf > 0, `acf(${lag}) = ${acf}`);
    xs.push(Math.log(lag));
    ys.push(Math.log(acf));
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; ++i) (sxy += (xs[i] - mx) * (ys[i] - my)), (sxx += (xs[i] - mx) ** 2);
  const gamma = -sxy / sxx;
  t.diagnostic(`fitted sign-ACF exponent ${gamma.toFixed(3)} over lags 64–1024 (${n} signs), planted ${p8.truth.orderFlow.signAcfExponent}`);
  assert.ok(Math.abs(gamma - p8.truth.orderFlow.signAcfExponent) < 0.1, `fitted ACF exponent ${gamma.toFixed(3)}, planted ${p8.truth.orderFlow.signAcfExponent}`);
});

test("simulateVenue(plan, venue) prices lead and lag as planted, and the leadership flips in the crash", (t) => {
  const w = 100;
  const R = truth.leadLag.transitionMs;
  for (const [a, b, interval] of [[t0 + 60_000, crashStart, 0], [crashStart + R, crashEnd, 1]] as const) {
    const returns = Object.fromEntries(VENUES.map((v) => [v, logReturns(lastPrices(trades[v], a, b, w))])) as Record<Venue, Float64Array>;
    const delays = truth.leadLag.schedule[interval].delaysMs;
    for (let i = 0; i < VENUES.length; ++i)
      for (let j = i + 1; j < VENUES.length; ++j) {
        const [u, v] = [VENUES[i], VENUES[j]];
        const {score, peak} = leadScore(returns[u], returns[v]);
        const planted = delays[v] - delays[u];
        const label = `${u}→${v} in schedule interval ${interval}: score ${score.toFixed(3)}, peak lag ${peak * w} ms, planted ${planted} ms`;
        t.diagnostic(label);
        assert.equal(Math.sign(score), Math.sign(planted), label);
        assert.ok(Math.abs(peak * w - planted) <= w, label);
      }
  }
});

test("simulateVenue(plan, venue) realised volatility rises in the crash by the planted multiplier", (t) => {
  const w = 1000;
  const r = logReturns(lastPrices(trades.binance, t0, t1, w));
  const sd = (a: number, b: number) => {
    let s = 0, n = 0;
    for (let i = Math.ceil((a - t0) / w); i < Math.floor((b - t0) / w) - 1; ++i) (s += r[i] * r[i]), ++n;
    return Math.sqrt(s / n);
  };
  const ratio = sd(crashStart + 5000, crashEnd) / sd(t0, crashStart);
  const [calm, crash] = truth.regimes;
  const planted = Math.sqrt(crash.varianceRatePerSec / calm.varianceRatePerSec);
  t.diagnostic(`realised 1-s volatility ratio crash/calm ${ratio.toFixed(3)}, planted ${planted.toFixed(3)}; calm ${sd(t0, crashStart).toExponential(3)} vs ${Math.sqrt(calm.varianceRatePerSec).toExponential(3)}`);
  assert.ok(Math.abs(ratio / planted - 1) < 0.15, `realised ratio ${ratio.toFixed(2)}, planted ${planted.toFixed(2)} (diffusion ×${crash.volMultiplier})`);
  assert.ok(Math.abs(sd(t0, crashStart) / Math.sqrt(calm.varianceRatePerSec) - 1) < 0.1, `calm 1-s volatility ${sd(t0, crashStart)}`);
});

test("simulateVenue(plan, venue) prices dwell near the planted well levels", (t) => {
  // Phase of the price on the well lattice, θ = 2π(p − offset)/s, sampled every second in the calm
  // regimes: concentrated near 0 when the wells trap the price, uniform for random levels.
  const {spacingUsd: s, offsetUsd} = truth.wells;
  const p = lastPrices(trades.binance, t0, t1, 1000);
  let c = 0, si = 0, n = 0, near = 0;
  for (let i = 0; i < p.length; ++i) {
    const time = t0 + (i + 1) * 1000;
    if (time > crashStart && time <= recoveryEnd) continue;
    const th = (2 * Math.PI * (p[i] - offsetUsd)) / s;
    c += Math.cos(th);
    si += Math.sin(th);
    const d = (((p[i] - offsetUsd) % s) + s) % s;
    if (Math.min(d, s - d) < s / 10) ++near;
    ++n;
  }
  const R = Math.hypot(c, si) / n;
  const centre = (Math.atan2(si, c) * s) / (2 * Math.PI);
  t.diagnostic(`calm prices: mean resultant length ${R.toFixed(3)}, centre ${centre.toFixed(1)} USD from the wells (±${s / 2} possible), share within ±${s / 10} USD ${(near / n).toFixed(3)} (uniform: 0.2)`);
  assert.ok(R > 0.3, `mean resultant length ${R}`);
  assert.ok(Math.abs(centre) < s / 8, `centre ${centre} USD`);
  assert.ok(near / n > 0.3, `share near wells ${near / n}`);
});

test("simulateVenue(plan, venue) informed bursts show in the burst venue's order flow and move the price", (t) => {
  let agree = 0;
  let moves = 0;
  for (const b of truth.bursts) {
    const tr = trades[b.venue];
    let net = 0;
    let first = NaN;
    let last = NaN;
    for (let i = 0; i < tr.n; ++i) {
      if (tr.time[i] < b.start || tr.time[i] >= b.end) continue;
      net += tr.side[i];
      if (first !== first) first = tr.price[i];
      last = tr.price[i];
    }
    if (Math.sign(net) === b.direction) ++agree;
    if (Math.sign(last - first) === b.direction) ++moves;
  }
  const n = truth.bursts.length;
  t.diagnostic(`${n} bursts: flow agrees with ${agree}, price moves with ${moves}`);
  assert.ok(n >= 8, `${n} bursts`);
  assert.equal(agree, n, `flow agrees with ${agree}/${n} bursts`);
  assert.ok(moves >= 0.75 * n, `price moves with ${moves}/${n} bursts`);
});

test("simulateVenue(plan, venue) sizes have the planted Pareto tail exponent (Hill estimator)", (t) => {
  for (const v of ["binance", "okx"] as const) {
    const tr = trades[v];
    const u = 2 * venueTruth(plan, v).size.tailThresholdBtc * 1.5;
    let k = 0;
    let s = 0;
    for (let i = 0; i < tr.n; ++i) if (tr.qty[i] > u) (s += Math.log(tr.qty[i] / u)), ++k;
    const alpha = k / s;
    const se = alpha / Math.sqrt(k);
    t.diagnostic(`${v}: Hill α ${alpha.toFixed(3)} ± ${se.toFixed(3)} over ${k} sizes above ${u.toFixed(4)} BTC, planted ${truth.sizes.tailAlpha}`);
    assert.ok(k > 1000 && Math.abs(alpha - truth.sizes.tailAlpha) < 4 * se + 0.05, `${v}: Hill α ${alpha.toFixed(3)} ± ${se.toFixed(3)} over ${k} sizes`);
  }
});

test("latentDays(plan) is the path the venues observe: the leader's taker orders trade around it within the spread, their later fills walk into the book", (t) => {
  let maxGap = 0;
  const tr = trades.binance;
  let i = 0;
  // First fills (a new timestamp or side) are at the quote; a later fill is at most one tick per fill deeper, in the order's direction.
  const first = (k: number) => k === 0 || tr.time[k] !== tr.time[k - 1] || tr.side[k] !== tr.side[k - 1];
  const tick = venueTruth(plan, "binance").tick;
  let walks = 0;
  for (let k = 1, start = 0; k < tr.n; ++k) {
    if (first(k)) {
      start = k;
      continue;
    }
    const deeper = (tr.price[k] - tr.price[start]) * tr.side[k];
    assert.ok(deeper >= -1e-9 && deeper <= (k - start) * tick + 1e-9, `fill ${k}: ${deeper} deeper than the order's first fill after ${k - start} fills`);
    if (deeper > 1e-9) ++walks;
  }
  assert.ok(walks > 0, "no fill walked into the book");
  for (const day of latentDays(plan)) {
    for (; i < tr.n && tr.time[i] < day.end; i += 97) {
      let j = i;
      while (!first(j)) --j;
      const time = tr.time[j];
      if (time >= crashStart - 1000 && time < crashEnd + truth.leadLag.transitionMs + 1000) continue;
      const mid = Math.exp(day.ref + day.offsets[Math.floor((time - day.gridStart) / day.gridMs)]);
      maxGap = Math.max(maxGap, Math.abs(tr.price[j] - mid));
    }
  }
  t.diagnostic(`largest |price − latent| of the leader's first fills ${maxGap.toFixed(3)} USD`);
  assert.ok(maxGap <= 0.25, `largest |price − latent| of the leader ${maxGap}`);
});

test("planMarket(config) plants the configured leaders, none where the delays tie, and the flow shares", () => {
  const base = validateConfig({...DEFAULTS, hours: 1});
  const okx = planMarket({...base, simulation: {...base.simulation, leadsCalmMs: {okx: 0, bybit: 200, binance: 400, coinbase: 600}}});
  assert.deepEqual(okx.truth.leadLag.schedule.map((s) => s.leader), ["okx", "bybit", "okx"]);
  assert.equal(okx.truth.leadLag.schedule[0].delaysMs.binance, 400);
  const zero = {binance: 0, bybit: 0, okx: 0, coinbase: 0};
  const none = planMarket({...base, simulation: {...base.simulation, leadsCalmMs: zero, leadsCrashMs: zero, informedShare: 0, arbitrageShare: 0}});
  assert.deepEqual(none.truth.leadLag.schedule.map((s) => s.leader), [null, null, null]);
  assert.equal(none.truth.orderFlow.informedShare, 0);
  assert.equal(none.truth.orderFlow.arbitrageShare, 0);
  assert.ok(none.truth.bursts.length > 0 && none.truth.bursts.every((b) => (VENUES as readonly string[]).includes(b.venue)));
  // No crash: one calm regime and one leader interval over the span, null crash times in the truth.
  const calm = planMarket({...base, simulation: {...base.simulation, crashMode: "none"}});
  assert.deepEqual(calm.truth.regimes.map((r) => [r.name, r.start, r.end]), [["calm", calm.span[0], calm.span[1]]]);
  assert.deepEqual(calm.truth.leadLag.schedule.map((s) => [s.leader, s.start, s.end]), [["binance", calm.span[0], calm.span[1]]]);
  assert.deepEqual(calm.truth.events, {crash: "none", crashStart: null, crashEnd: null, recoveryEnd: null, crashStartISO: null, crashEndISO: null, recoveryEndISO: null});
  assert.equal(crashEvents(calm.truth), null);
  assert.ok(calm.truth.bursts.every((b) => b.regime === "calm" && b.venue === "binance"));
  assert.equal(crashEvents(planMarket(base).truth)?.crash, "planted");
  // The default plant is today's: Binance leads outside the crash, Bybit in it.
  assert.deepEqual(planMarket(base).truth.leadLag.schedule.map((s) => s.leader), ["binance", "bybit", "binance"]);
});
