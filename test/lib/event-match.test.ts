import test from "node:test";
import assert from "node:assert/strict";
import {matchEvents} from "../../lib/event-match.js";

test("matchEvents(known, detected, tolerance) pairs each event with its nearest detection, signed detected − known", () => {
  const m = matchEvents([100, 200, 300], [97, 212, 500], 5);
  assert.deepEqual(Array.from(m.nearest), [0, 1, 1]);
  assert.deepEqual(Array.from(m.error), [-3, 12, -88]);
  assert.deepEqual(Array.from(m.found), [1, 0, 0]);
  assert.deepEqual(Array.from(m.nearestEvent), [0, 1, 2]);
  assert.deepEqual(Array.from(m.detectedError), [-3, 12, 200]);
  assert.deepEqual(Array.from(m.explained), [1, 0, 0]);
  assert.equal(m.recall, 1 / 3);
  assert.equal(m.precision, 1 / 3);
});

test("matchEvents(known, detected, tolerance) counts a detection exactly at the tolerance as a match, and handles empty sides", () => {
  assert.deepEqual(Array.from(matchEvents([10], [15], 5).found), [1]);
  const none = matchEvents([10, 20], [], 5);
  assert.deepEqual(Array.from(none.nearest), [-1, -1]);
  assert.ok(none.error.every(Number.isNaN));
  assert.equal(none.recall, 0);
  assert.ok(Number.isNaN(none.precision));
  assert.ok(Number.isNaN(matchEvents([], [1], 5).recall));
});

test("matchEvents(known, detected, tolerance) rejects a negative tolerance and non-finite times", () => {
  assert.throws(() => matchEvents([1], [1], -1), /invalid tolerance: -1/);
  assert.throws(() => matchEvents([NaN], [1], 1), /invalid known\[0\]: NaN/);
  assert.throws(() => matchEvents([1], [Infinity], 1), /invalid detected\[0\]: Infinity/);
});
