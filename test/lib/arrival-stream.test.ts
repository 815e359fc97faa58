import test from "node:test";
import assert from "node:assert/strict";
import {arrivalRate, fanoFactor, hourlyArrivalRate} from "../../lib/arrival-rate.js";
import {ArrivalStream} from "../../lib/arrival-stream.js";
import {mulberry32} from "../../lib/random.js";

const HOUR = 3_600_000;

/** Clustered trade times over [from, to): bursts of equal and near times, with empty stretches, ascending. */
function clusteredTimes(from: number, to: number, n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const out: number[] = [];
  let t = from;
  while (out.length < n && t < to) {
    t += random() < 0.02 ? random() * 600_000 : Math.floor(-Math.log(1 - random()) * 400); // a gap of up to 10 minutes now and then
    const burst = 1 + Math.floor(random() * 4);
    for (let k = 0; k < burst && out.length < n; ++k) out.push((t += random() < 0.5 ? 0 : 1));
  }
  return Float64Array.from(out);
}

/** Feeds `time` to a stream in random pieces (some empty). */
function streamed(time: Float64Array, start: number, end: number, windows: number[], seed: number, blockMs?: number): ArrivalStream {
  const s = new ArrivalStream(start, end, windows, blockMs);
  const random = mulberry32(seed);
  for (let a = 0; a < time.length; ) {
    const b = Math.min(time.length, a + Math.floor(random() * 20_000));
    s.push(time.subarray(a, b));
    a = b;
  }
  return s;
}

for (const [label, start, end, blockMs] of [
  ["a whole-hour span", Date.UTC(2024, 7, 5), Date.UTC(2024, 7, 5, 9), undefined],
  ["a span starting mid-hour, trades before and after it", Date.UTC(2024, 7, 5, 0, 17, 3, 250), Date.UTC(2024, 7, 5, 6, 40), undefined],
  ["uneven 25-minute blocks", Date.UTC(2024, 7, 5, 1), Date.UTC(2024, 7, 5, 4, 3), 25 * 60_000]
] as const) {
  test(`ArrivalStream on arbitrary cuts equals arrivalRate, hourlyArrivalRate and fanoFactor value for value (${label})`, () => {
    const time = clusteredTimes(start - 30 * 60_000, end + 30 * 60_000, 200_000, 3);
    const windows = [1000, 10_000, 7000];
    for (const seed of [1, 2]) {
      const r = streamed(time, start, end, windows, seed, blockMs).result();
      assert.deepEqual(r.overall, arrivalRate(time, {start, end}));
      assert.deepEqual(r.hourly, hourlyArrivalRate(time, {start, end}));
      const fano = windows.map((windowMs) => fanoFactor(time, {start, end, windowMs, ...(blockMs ? {blockMs} : {})}));
      assert.deepEqual(r.fano, fano);
      assert.ok(fano.every((f) => Number.isFinite(f) && f > 1), `clustered times have F > 1: ${fano}`);
    }
  });
}

test("ArrivalStream: no trade gives 0 trades and NaN Fano factors, as the batch functions do", () => {
  const start = Date.UTC(2024, 7, 5);
  const end = start + 2 * HOUR;
  const r = new ArrivalStream(start, end, [1000]).result();
  const none = new Float64Array(0);
  assert.deepEqual(r.overall, arrivalRate(none, {start, end}));
  assert.deepEqual(r.hourly, hourlyArrivalRate(none, {start, end}));
  assert.ok(Number.isNaN(r.fano[0]) && Number.isNaN(fanoFactor(none, {start, end, windowMs: 1000})));
});

test("ArrivalStream: a time before the previous piece's last, a non-finite time and an empty window throw a RangeError naming the row", () => {
  const s = new ArrivalStream(0, HOUR, [1000]);
  s.push(Float64Array.of(5, 6));
  assert.throws(() => s.push(Float64Array.of(7, 4)), /time\[3\]: 4/);
  assert.throws(() => new ArrivalStream(0, HOUR, [1000]).push(Float64Array.of(1, NaN)), /time\[1\]/);
  assert.throws(() => new ArrivalStream(HOUR, HOUR, [1000]), RangeError);
});
