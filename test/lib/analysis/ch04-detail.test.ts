// Chapter 04's whole-span series on a time grid (lib/analysis/ch04-detail.ts): the observables of
// the windows inside a range and the sign sums of its blocks read back from the grid are exactly
// the chapter's values of those windows and blocks.
import assert from "node:assert/strict";
import {test} from "node:test";
import {packObservables, type ChangeSeries, type SignsJSON, type WindowObservables} from "../../../lib/analysis/ch04.ts";
import {changeHead, joinChanges, OBSERVABLE_FIELDS, observableRows, observablesGrid, observablesInRange, signsFromGrid, signsGrid, sliceChanges} from "../../../lib/analysis/ch04-detail.ts";
import {windowEnds} from "../../../lib/rolling.ts";

const bins = 3 * 3600 + 1250; // a span that is not a whole number of steps
const windowSec = 600;
const stepSec = 60;

/** Observables of every window, distinct per field and choice, some NaN. */
function observables(choice: number): WindowObservables {
  const end = windowEnds(bins, {window: windowSec, step: stepSec});
  const values = (k: number) => Float64Array.from(end, (_, j) => (j % 11 === 5 ? NaN : choice * 1000 + k * 100 + j / 7));
  return {end, ...(Object.fromEntries(OBSERVABLE_FIELDS.map((f, k) => [f, values(k)])) as Omit<WindowObservables, "end">)};
}

test("observables on the grid: each window on the row of its last second, the windows inside a range read back exactly", () => {
  const full = {all: observables(0), binance: observables(1)};
  const grid = observablesGrid({all: packObservables(full.all), binance: packObservables(full.binance)}, bins, windowSec, stepSec);
  assert.equal(grid["all.volatility"].length, observableRows(bins, stepSec));
  assert.equal(observableRows(bins, stepSec), Math.ceil(bins / stepSec));
  for (const [from, to] of [[0, bins], [3600, 7200], [3600, bins], [1800, 5400]] as [number, number][]) {
    const rowsFrom = from / stepSec;
    const got = observablesInRange((name) => grid[name].subarray(rowsFrom), "binance", [from, to], bins, windowSec, stepSec);
    const keep = [...full.binance.end.keys()].filter((j) => full.binance.end[j] - windowSec + 1 >= from && full.binance.end[j] < to);
    assert.ok(keep.length > 0);
    assert.deepEqual([...got.end], keep.map((j) => full.binance.end[j]), `windows of [${from}, ${to})`);
    for (const f of OBSERVABLE_FIELDS) for (let i = 0; i < keep.length; ++i) assert.ok(Object.is(got[f][i], full.binance[f][keep[i]]), `${f} of window ${keep[i]} in [${from}, ${to})`);
  }
  assert.throws(() => observablesInRange((name) => grid[name], "all", [30, bins], bins, windowSec, stepSec), /not a multiple of the step/);
});

test("sign sums on the grid: the blocks of a range read back as the chapter's sums of those blocks", () => {
  const blocks = 200;
  const maxLag = 3;
  const venue = (k: number) => ({
    count: Array.from({length: blocks}, (_, b) => k + b),
    sum: Array.from({length: blocks}, (_, b) => (b % 3) - 1),
    products: Array.from({length: blocks * (maxLag + 1)}, (_, i) => k * 10_000 + i),
    crossing: Array.from({length: blocks * (maxLag + 1)}, (_, i) => -i),
    head: Array.from({length: blocks * (maxLag + 1)}, (_, i) => i % 5),
    tail: Array.from({length: blocks * (maxLag + 1)}, (_, i) => (i % 7) - 3)
  });
  const signs: SignsJSON = {blockMs: 60_000, maxLag, venues: {binance: venue(1), okx: venue(2)}};
  const grid = signsGrid(signs);
  assert.deepEqual(signsFromGrid((name) => grid[name], ["binance", "okx"], blocks, signs), signs);
  const from = 60;
  const part = signsFromGrid((name) => grid[name].subarray(from), ["okx"], 60, signs);
  const lags = maxLag + 1;
  assert.deepEqual(part.venues.okx!.count, signs.venues.okx!.count.slice(from, from + 60));
  assert.deepEqual(part.venues.okx!.products, signs.venues.okx!.products.slice(from * lags, (from + 60) * lags));
  assert.deepEqual(part.venues.okx!.tail, signs.venues.okx!.tail.slice(from * lags, (from + 60) * lags));
});

/** A change series of `blockSec` blocks over `hours` hours from t0, with two candidates. */
function changeSeries(t0: number, hours: number, blockSec: number, k: number): ChangeSeries {
  const n = Math.ceil((hours * 3600) / blockSec);
  const t = Array.from({length: n}, (_, i) => t0 + i * blockSec * 1000);
  return {
    blockSec,
    minSize: 3,
    t,
    values: t.map((_, i) => (i % 13 === 7 ? null : k + i / 9)) as number[],
    candidates: [t[4], t[n - 5]],
    candidateIndex: [4, n - 5],
    gain: [1.5, 0.25],
    p: [0.001, 0.4],
    order: ["first", "none"],
    jump: [4.2, 0.8],
    nullAlarmRate: 0.05,
    noise: {sd: 0.3, phi: 0.2}
  };
}

test("change series by the hour: the heads keep the tests, the blocks of every chunk joined give the series, a range's chunks its blocks", () => {
  const t0 = Date.UTC(2024, 7, 5);
  const span: [number, number] = [t0, t0 + 5.5 * 3_600_000];
  const changes = {entropy: changeSeries(t0, 5.5, 300, 1), volatility: changeSeries(t0, 5.5, 60, 2)};
  const heads = {entropy: changeHead(changes.entropy), volatility: changeHead(changes.volatility)};
  assert.equal("t" in heads.volatility || "values" in heads.volatility, false);
  assert.equal(heads.volatility.blocks, 330);
  assert.deepEqual(heads.entropy.candidates, changes.entropy.candidates);
  const slices = sliceChanges(changes, span, 3_600_000);
  assert.equal(slices.length, 6);
  assert.deepEqual(slices.map((s) => s.volatility.t.length), [60, 60, 60, 60, 60, 30]);
  assert.deepEqual(slices.map((s) => s.entropy.t.length), [12, 12, 12, 12, 12, 6]);
  assert.deepEqual(JSON.parse(JSON.stringify(joinChanges(heads, JSON.parse(JSON.stringify(slices))))), JSON.parse(JSON.stringify(changes)));
  const part = joinChanges(heads, slices.slice(2, 4));
  assert.deepEqual(part.volatility.t, changes.volatility.t.slice(120, 240));
  assert.deepEqual(part.volatility.values, changes.volatility.values.slice(120, 240));
  assert.deepEqual(part.entropy.p, changes.entropy.p, "the tests are the whole span's");
  assert.deepEqual(joinChanges(heads, []).volatility.t, []);
});
