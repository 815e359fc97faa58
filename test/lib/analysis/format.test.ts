// The shared number formatter never prints a negative zero: a value that rounds to zero at the
// shown decimals has no sign, in plain and in signed form.
import test from "node:test";
import assert from "node:assert/strict";
import {formatInterval, formatNumber, formatSigned, formatValue} from "../../../lib/analysis/format.ts";
import {regimeAdviceText} from "../../../lib/analysis/ch04.ts";

test("formatNumber prints a value that rounds to zero as 0, never -0, and keeps the sign of any other", () => {
  assert.equal(formatNumber(-0.3, 0), "0");
  assert.equal(formatNumber(-0, 2), "0.00");
  assert.equal(formatNumber(-0.0004, 3), "0.000");
  assert.equal(formatNumber(-0.0006, 3), "-0.001");
  assert.equal(formatNumber(-1234.5, 1), "-1,234.5");
  assert.equal(formatNumber(2.345, 1), "2.3");
  assert.equal(formatNumber(NaN), "n/a");
  assert.equal(formatInterval([-0.001, 0.4], 1), "[0.0, 0.4]");
  assert.equal(formatValue({value: -0.2, unit: "points", digits: 0, interval: null, pValue: null}), "0 points");
});

test("formatSigned prints +x and −x (typographic minus), and a value that rounds to zero unsigned", () => {
  assert.equal(formatSigned(-0.3, 0), "0");
  assert.equal(formatSigned(0.3, 0), "0");
  assert.equal(formatSigned(-0, 3), "0.000");
  assert.equal(formatSigned(0.6, 0), "+1");
  assert.equal(formatSigned(-0.6, 0), "−1");
  assert.equal(formatSigned(-1234.56, 1), "−1,234.6");
  assert.equal(formatSigned(Infinity), "n/a");
});

test("the regime advice prints a difference that rounds to zero as 0 points, not −0", () => {
  const annual = 1;
  const text = regimeAdviceText({hot: {mean: 0.5, se: 0.01, count: 40}, cold: {mean: 0.501, se: 0.01, count: 40}, diff: -0.001, p: 0.6, validated: false} as never, 0.05, annual, null);
  assert.match(text, /difference 0 points/, text);
  assert.doesNotMatch(text, /[−-]0 points/, text);
});
