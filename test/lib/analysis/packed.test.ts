import test from "node:test";
import assert from "node:assert/strict";
import {packFloat64, unpackFloat64} from "../../../lib/analysis/packed.js";

test("packFloat64 / unpackFloat64 give back every double exactly, NaN, infinities and −0 included", () => {
  const values = [0, -0, 1, -1.5, Math.PI, 1e-300, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2];
  const long = Array.from({length: 100_000}, (_, i) => Math.sin(i) * 1e6 + i / 7);
  for (const a of [values, long, []]) {
    const text = packFloat64(a);
    assert.match(text, /^[A-Za-z0-9+/]*={0,2}$/);
    assert.equal(text.length, (4 * Math.ceil((8 * a.length) / 3)));
    const b = unpackFloat64(text);
    assert.equal(b.length, a.length);
    for (let i = 0; i < a.length; ++i) assert.ok(Object.is(b[i], a[i]), `${i}: ${b[i]} vs ${a[i]}`);
  }
  assert.throws(() => unpackFloat64(btoa("abc")), /invalid packed doubles: 3 bytes/);
});
