// Chapter 03's rolling TE cut into hour slices (lib/analysis/ch03-detail.ts): every window lands in
// the chunk its drawn step starts in, the slices of a range join to exactly the build's values of
// those windows, and the head keeps the crash leadership of every window.
import assert from "node:assert/strict";
import {test} from "node:test";
import {CHANNELS, crashLeadership, type Rolling} from "../../../lib/analysis/ch03.ts";
import type {Venue} from "../../../lib/analysis/venues.ts";
import {joinRolling, rollingHead, sliceRolling} from "../../../lib/analysis/ch03-detail.ts";

const HOUR = 3_600_000;
const t0 = 1_722_816_000_000;
const t1 = t0 + 3 * HOUR + 20 * 60_000; // a span that is not a whole number of hours
const venues: Venue[] = ["binance", "bybit", "okx"];

/** A rolling result of 30-minute windows every 5 minutes over the span, values distinct per window, pair and channel, some NaN. */
function rolling(): Rolling {
  const stepMs = 300_000;
  const end: number[] = [];
  for (let e = t0 + 1_800_000; e <= t1; e += stepMs) end.push(e);
  const channels = {} as Rolling["channels"];
  CHANNELS.forEach((c, ci) => {
    const pairs = venues.flatMap((source, i) =>
      venues.filter((t) => t !== source).map((target, j) => ({source, target, te: end.map((_, w) => ci + i / 10 + j / 100 + w / 1e4), effective: end.map((_, w) => (w % 7 === 3 ? NaN : ci - i / 10 + w / 1e5)), pValue: end.map((_, w) => (w % 5) / 50)}))
    );
    channels[c] = {pairs, leader: end.map((_, w) => (w % 4 === 0 ? null : venues[(w + ci) % 3])), score: Object.fromEntries(venues.map((v, i) => [v, end.map((_, w) => i - w / 3)]))};
  });
  return {windowSec: 1800, stepSec: 300, surrogates: 49, k: 1, end, channels};
}

test("rolling TE slices: one per hour, each window in the hour its drawn step starts in; any run of slices joins to the build's windows", () => {
  const r = rolling();
  const slices = sliceRolling(r, [t0, t1], HOUR);
  assert.equal(slices.length, 4);
  assert.equal(slices.reduce((n, s) => n + s.end.length, 0), r.end.length);
  slices.forEach((s, k) => {
    for (const e of s.end) assert.equal(Math.floor((e - 300_000 - t0) / HOUR), k, `window ending ${e} in chunk ${k}`);
  });
  const head = rollingHead(r, null);
  assert.deepEqual(joinRolling(head, slices), r);
  for (const [a, b] of [[0, 1], [1, 3], [2, 4], [3, 4]]) {
    const got = joinRolling(head, JSON.parse(JSON.stringify(slices.slice(a, b))));
    const keep = r.end.flatMap((e, w) => (Math.floor((e - 300_000 - t0) / HOUR) >= a && Math.floor((e - 300_000 - t0) / HOUR) < b ? [w] : []));
    assert.ok(keep.length > 0);
    assert.deepEqual(got.end, keep.map((w) => r.end[w]));
    for (const c of CHANNELS) {
      got.channels[c].pairs.forEach((p, i) => {
        const want = r.channels[c].pairs[i];
        assert.deepEqual([p.source, p.target], [want.source, want.target]);
        assert.deepEqual(p.te, keep.map((w) => want.te[w]));
        // NaN travels as null in JSON, as in the page's JSON before.
        assert.deepEqual(p.effective, keep.map((w) => (Number.isNaN(want.effective[w]) ? null : want.effective[w])));
        assert.deepEqual(p.pValue, keep.map((w) => want.pValue[w]));
      });
      assert.deepEqual(got.channels[c].leader, keep.map((w) => r.channels[c].leader[w]));
      for (const v of venues) assert.deepEqual(got.channels[c].score[v], keep.map((w) => r.channels[c].score[v][w]));
    }
  }
  assert.throws(() => joinRolling(head, [slices[2], slices[1]]), /not increasing/);
});

test("rolling TE head: the settings, the window count and each channel's crash leadership over every window", () => {
  const r = rolling();
  const crash = {name: "planted crash", start: t0 + 1.5 * HOUR, end: t0 + 2 * HOUR};
  const head = rollingHead(r, crash);
  assert.deepEqual([head.windowSec, head.stepSec, head.surrogates, head.k, head.windows], [1800, 300, 49, 1, r.end.length]);
  assert.ok(!("end" in head) && !("channels" in head));
  for (const c of CHANNELS) {
    assert.deepEqual(head.crash[c], crashLeadership({rolling: r}, c, crash));
    assert.ok(head.crash[c].touching > 0 && head.crash[c].calm > 0);
  }
  assert.equal(rollingHead(r, null).crash.flow.touching, 0);
});
