import test from "node:test";
import assert from "node:assert/strict";
import {logGamma, studentTCdf, studentTQuantile} from "../../lib/student-t.js";

/** A&S 26.7.3: closed-form CDF for even ν. */
function cdfEven(t: number, nu: number): number {
  const th = Math.atan(t / Math.sqrt(nu));
  const c2 = Math.cos(th) ** 2;
  let term = 1;
  let s = 1;
  for (let j = 2; j <= nu - 2; j += 2) (term *= ((j - 1) / j) * c2), (s += term);
  return 0.5 + 0.5 * Math.sin(th) * s;
}

test("logGamma(x) matches factorials and Γ(½) = √π", () => {
  let f = 1;
  for (let k = 1; k <= 20; ++k) {
    f *= k;
    assert.ok(Math.abs(logGamma(k + 1) - Math.log(f)) < 1e-13 * Math.max(1, Math.log(f)));
  }
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Number.isNaN(logGamma(0)));
});

test("studentTQuantile(p, df) matches the closed forms for ν = 1 and ν = 2", () => {
  for (const p of [1e-9, 0.001, 0.025, 0.3, 0.6, 0.975, 0.999999]) {
    // tan(π(p − ½)) = −cot(πp), written on the smaller tail to avoid cancellation near the poles.
    const c1 = p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
    const c2 = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
    assert.ok(Math.abs(studentTQuantile(p, 1) - c1) < 1e-11 * Math.max(1, Math.abs(c1)), `ν=1 p=${p}`);
    assert.ok(Math.abs(studentTQuantile(p, 2) - c2) < 1e-11 * Math.max(1, Math.abs(c2)), `ν=2 p=${p}`);
  }
});

test("studentTCdf(t, df) matches the even-ν closed form and inverts the quantile", () => {
  for (const nu of [4, 10, 30]) {
    for (const t of [-6, -2.1, -0.3, 0, 0.7, 1.96, 4]) {
      assert.ok(Math.abs(studentTCdf(t, nu) - cdfEven(t, nu)) < 1e-14, `ν=${nu} t=${t}`);
    }
    for (const p of [0.005, 0.05, 0.5, 0.9, 0.975]) {
      assert.ok(Math.abs(studentTCdf(studentTQuantile(p, nu), nu) - p) < 1e-14);
    }
  }
});

test("studentTQuantile(p, Infinity) is the normal quantile", () => {
  assert.ok(Math.abs(studentTQuantile(0.975, Infinity) - 1.959963984540054) < 1e-12);
  assert.ok(Math.abs(studentTQuantile(0.995, Infinity) - 2.5758293035489004) < 1e-12);
  assert.ok(Math.abs(studentTCdf(-1, Infinity) - 0.15865525393145707) < 1e-14);
  // Large ν approaches the normal quantile.
  assert.ok(Math.abs(studentTQuantile(0.975, 1e5) - 1.959963984540054) < 1e-4);
});

test("studentTQuantile(p, df) rejects invalid arguments and handles the ends", () => {
  assert.throws(() => studentTQuantile(1.5, 3), /invalid p: 1.5/);
  assert.throws(() => studentTQuantile(0.5, 0), /invalid df: 0/);
  assert.equal(studentTQuantile(0, 3), -Infinity);
  assert.equal(studentTQuantile(1, 3), Infinity);
  assert.equal(studentTQuantile(0.5, 3), 0);
});
