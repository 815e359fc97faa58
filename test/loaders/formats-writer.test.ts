// The byte formatter of the archive writers writes exactly the text of the string helpers it replaces.
import test from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {bybitMatchId, writeMatchId} from "../../loaders/formats/bybit.ts";
import {plainNumber, shiftDecimal} from "../../loaders/formats/bytes.ts";
import {LineBuffer} from "../../loaders/formats/writer.ts";

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

function written(f: (out: LineBuffer) => void): string {
  const out = new LineBuffer();
  f(out);
  return latin1(out.take());
}

/** Positive doubles of every kind a writer meets: on a tick or lot grid, arbitrary, tiny, huge, integral. */
const positive = fc.oneof(
  fc.tuple(fc.integer({min: 1, max: 10_000_000}), fc.constantFrom(1, 0.1, 0.01, 0.001, 1e-4, 1e-8)).map(([k, tick]) => Math.round(k / tick) * tick),
  fc.tuple(fc.integer({min: 1, max: 2_000_000_000}), fc.integer({min: 0, max: 10})).map(([k, d]) => k / 10 ** d),
  fc.double({min: 1e-12, max: 1e22, noNaN: true}).filter((x) => x > 0),
  fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}),
  fc.constantFrom(1e-7, 0.1 + 0.2, 58000.100000000006, 1e15, 1e15 + 1, 2 ** 53 - 1, 1e21, 123456789012345.6)
);

test("LineBuffer.num(x) writes plainNumber(x), and num(x, shift) shiftDecimal(plainNumber(x), shift)", () => {
  fc.assert(
    fc.property(positive, fc.integer({min: -4, max: 4}), (x, shift) => {
      assert.equal(written((o) => o.num(x)), plainNumber(x), `num(${x})`);
      assert.equal(written((o) => o.num(x, shift)), shiftDecimal(plainNumber(x), shift), `num(${x}, ${shift})`);
    }),
    {numRuns: 8_000}
  );
});

test("LineBuffer.int and intPad write String(n) and its zero-padded form", () => {
  fc.assert(
    fc.property(fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}), fc.integer({min: 0, max: 9999}), (n, k) => {
      assert.equal(written((o) => o.int(n)), String(n));
      assert.equal(written((o) => o.intPad(k, 4)), String(k).padStart(4, "0"));
    }),
    {numRuns: 5_000}
  );
  assert.equal(written((o) => (o.text("a,"), o.int(0), o.byte(0x2c), o.intPad(7, 4))), "a,0,0007");
});

test("writeMatchId writes bybitMatchId(id) byte for byte", () => {
  fc.assert(
    fc.property(fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}), (id) => assert.equal(written((o) => writeMatchId(id, o)), bybitMatchId(id))),
    {numRuns: 5_000}
  );
});

test("LineBuffer.take hands over the block and starts a fresh one", () => {
  const out = new LineBuffer();
  out.text("abc");
  const a = out.take();
  out.text("de");
  assert.equal(latin1(a), "abc");
  assert.equal(latin1(out.take()), "de");
  assert.equal(out.pos, 0);
});
