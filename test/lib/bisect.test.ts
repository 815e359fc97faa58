import test from "node:test";
import assert from "node:assert/strict";
import {bisectLeft} from "../../lib/bisect.js";

test("bisectLeft(a, x) returns the first index with a[i] ≥ x, before equal values", () => {
  const a = Float64Array.from([1, 2, 2, 2, 5]);
  assert.equal(bisectLeft(a, 0), 0);
  assert.equal(bisectLeft(a, 1), 0);
  assert.equal(bisectLeft(a, 2), 1);
  assert.equal(bisectLeft(a, 3), 4);
  assert.equal(bisectLeft(a, 6), 5);
  assert.equal(bisectLeft([], 1), 0);
});

test("bisectLeft(a, x, lo, hi) searches only [lo, hi)", () => {
  const a = [1, 2, 3, 4, 5, 6];
  assert.equal(bisectLeft(a, 1, 2), 2);
  assert.equal(bisectLeft(a, 6, 0, 3), 3);
  assert.equal(bisectLeft(a, 4, 1, 5), 3);
});
