import assert from "node:assert/strict";
import {readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {mulberry32} from "../../lib/random.js";
import {listZip, openGzipSink, openZipSink, verifyArchive, zipEntryChunks} from "../../loaders/formats/archive.ts";
import {epochUnit, FIELD_DECIMAL, FIELD_TEXT, FIELD_UINT, hash53, isoMicros, LineSplitter, parseDecimal, parseIsoMs, parseUint, plainNumber, RowScanner, scaledLast, scanDecimal, scanned, scanUint, shiftDecimal, skipField, splitFields} from "../../loaders/formats/bytes.ts";
import {InputError} from "../../loaders/trades.ts";
import {gunzipText, tempDir, unzipTexts, zipOf} from "./support/fixtures.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Seeded digits of a decimal: an integer part of up to `intDigits` digits, a fraction of up to `fracDigits` (may be "" or keep leading zeros). */
function decimalParts(r: () => number, intDigits: number, fracDigits: number): {int: string; frac: string} {
  const int = String(Math.floor(r() * 10 ** Math.floor(r() * intDigits)));
  const frac = Math.floor(r() * 10 ** Math.floor(r() * fracDigits))
    .toString()
    .padStart(Math.floor(r() * fracDigits), "0");
  return {int, frac};
}

test("parseDecimal(bytes) equals Number(text) on 20,000 seeded decimal strings", () => {
  const r = mulberry32(42);
  for (let k = 0; k < 20000; ++k) {
    const {int, frac} = decimalParts(r, 12, 9);
    const s = `${r() < 0.1 ? "-" : ""}${int}${frac ? `.${frac}` : r() < 0.05 ? "." : ""}`;
    const b = bytes(s);
    assert.equal(parseDecimal(b, 0, b.length), Number(s), s);
  }
  for (const s of ["1e-7", "2.5E3", "12345678901234567890.5", "0.000000000000000000000001"]) {
    const b = bytes(s);
    assert.equal(parseDecimal(b, 0, b.length), Number(s), s);
  }
  for (const s of ["", "-", ".", "abc", "1.2.3", "NaN", "Infinity", "1,5", " 1", "0x10"]) {
    const b = bytes(s);
    assert.ok(Number.isNaN(parseDecimal(b, 0, b.length)), s);
  }
});

test("scaledLast(shift) is the correctly rounded decimal times 10^shift (seconds → ms, contracts → BTC)", () => {
  const cases: [string, number, number][] = [
    ["1735689600.0974", 3, 1735689600097.4],
    ["1722816000.1", 3, 1722816000100],
    ["30.14", -2, 0.3014],
    ["8", -2, 0.08],
    ["0.01", -2, 0.0001],
    ["1582329602116123", -3, 1582329602116.123]
  ];
  for (const [s, shift, expected] of cases) {
    const b = bytes(s);
    parseDecimal(b, 0, b.length);
    assert.equal(scaledLast(shift), expected, s);
  }
});

test("LineSplitter(chunks) yields the same lines with numbers however the stream is cut", () => {
  const text = "a,b\r\nline two\n\nlast without newline";
  const expected = [
    ["a,b", 1],
    ["line two", 2],
    ["", 3],
    ["last without newline", 4]
  ];
  const all = bytes(text);
  for (let cut1 = 0; cut1 <= all.length; ++cut1)
    for (let cut2 = cut1; cut2 <= all.length; cut2 += 3) {
      const s = new LineSplitter();
      const got: [string, number][] = [];
      const on = (buf: Uint8Array, a: number, b: number, line: number) => got.push([new TextDecoder().decode(buf.subarray(a, b)), line]);
      for (const c of [all.subarray(0, cut1), all.subarray(cut1, cut2), all.subarray(cut2)]) s.push(c, on);
      s.end(on);
      assert.deepEqual(got, expected, `cuts ${cut1} ${cut2}`);
    }
});

test("LineSplitter with a fast handler gives each line once, to one of the two paths, with the same numbers", () => {
  const text = "1,a\n22,b\r\nskip me\n\n333,c\nlast";
  const all = bytes(text);
  for (let cut = 0; cut <= all.length; ++cut) {
    const s = new LineSplitter();
    const got: string[] = [];
    const decode = (buf: Uint8Array, a: number, b: number) => new TextDecoder().decode(buf.subarray(a, b));
    const on = (buf: Uint8Array, a: number, b: number, line: number) => got.push(`slow ${line} ${decode(buf, a, b)}`);
    // Takes lines that start with a digit and end within the chunk.
    const fast = (buf: Uint8Array, a: number, limit: number, line: number) => {
      if (!(buf[a] >= 48 && buf[a] <= 57)) return -1;
      const nl = buf.indexOf(10, a);
      if (nl < 0 || nl >= limit) return -1;
      got.push(`fast ${line} ${decode(buf, a, nl).replace(/\r$/, "")}`);
      return nl + 1;
    };
    for (const c of [all.subarray(0, cut), all.subarray(cut)]) s.push(c, on, fast);
    s.end(on);
    const lines = got.map((g) => g.replace(/^\w+ /, ""));
    assert.deepEqual(lines, ["1 1,a", "2 22,b", "3 skip me", "4 ", "5 333,c", "6 last"], `cut ${cut}`);
    assert.ok(got.includes("slow 3 skip me") && got.includes("slow 6 last"), `cut ${cut}: ${got}`);
    assert.equal(s.fastLines, got.filter((g) => g.startsWith("fast")).length);
  }
});

test("scanUint / scanDecimal agree with parseUint / parseDecimal on plain fields and decline the rest", () => {
  const r = mulberry32(11);
  for (let k = 0; k < 20000; ++k) {
    const {int, frac} = decimalParts(r, 10, 7);
    const s = `${int}${frac ? `.${frac}` : ""}`;
    const b = bytes(`${s},`);
    const p = scanDecimal(b, 0, b.length, 44);
    if (s.replace(".", "").length <= 15) {
      assert.equal(p, s.length, s);
      assert.equal(scanned.value, parseDecimal(b, 0, s.length), s);
    } else assert.equal(p, -1, s);
    if (!frac && int.length <= 16) {
      assert.equal(scanUint(b, 0, b.length, 44), int.length, s);
      assert.equal(scanned.value, parseUint(b, 0, int.length), s);
    }
  }
  for (const s of ["", "-1", "+1", "1e3", "1.2.3", ".", "1 ", "0x1", "1234567890123456.7"]) {
    const b = bytes(`${s},`);
    assert.equal(scanDecimal(b, 0, b.length, 44), -1, s);
    assert.equal(scanUint(b, 0, b.length, 44), -1, s);
  }
  // A field not closed by its delimiter before the limit is declined; so is an integer above 2^53.
  assert.equal(scanDecimal(bytes("12.5"), 0, 4, 44), -1);
  assert.equal(scanUint(bytes("9007199254740993,"), 0, 17, 44), -1);
  assert.deepEqual(
    [skipField(bytes("ab-c,d"), 0, 6, 44), skipField(bytes("abc"), 0, 3, 44), skipField(bytes("ab\ncd,"), 0, 6, 44), skipField(bytes("ab,c\n"), 0, 5, 10), skipField(bytes("abc\n"), 0, 4, 10)],
    [4, -1, -1, -1, 3]
  );
});

test("RowScanner.scan(row) reads a row of the layout in one pass and declines any other row", () => {
  const row = new RowScanner(Uint8Array.of(FIELD_UINT, FIELD_TEXT, FIELD_DECIMAL));
  const scan = (s: string) => row.scan(bytes(s), 0, s.length);
  assert.equal(scan("42,Buy,1722816000.0331\nnext"), 23);
  assert.deepEqual([row.value[0], row.value[2], [...row.start], [...row.end], row.rowEnd], [42, 1722816000.0331, [0, 3, 7], [2, 6, 22], 22]);
  // Seconds with a 4-decimal fraction → ms, rounded as scaledLast rounds it.
  const b = bytes("1722816000.0331");
  parseDecimal(b, 0, b.length);
  assert.equal(row.scaled(2, 3), scaledLast(3));
  assert.equal(row.scaled(2, 3), 1722816000033.1);
  assert.ok(row.is(bytes("42,Buy,1\n"), 1, "Buy") && !row.is(bytes("42,buy,1\n"), 1, "Buy") && row.is(bytes("42,buy,1\n"), 1, "BUY", true));
  assert.equal(scan("42,,7\n"), 6, "an empty text field is a field");
  for (const s of ["42,Buy,1.5", "42,Buy,1.5\r\n", "42,Buy\n", "42,Buy,1.5,x\n", "x42,Buy,1.5\n", "42,Buy,-1.5\n", "\n"]) assert.equal(scan(s), -1, JSON.stringify(s));
  const last = new RowScanner(Uint8Array.of(FIELD_DECIMAL, FIELD_TEXT));
  assert.equal(last.scan(bytes("1.5,sell\r\n"), 0, 10), 10);
  assert.deepEqual([last.end[1], last.rowEnd], [8, 8], "a \\r before the \\n ends the last text field");
});

test("splitFields(row) counts fields beyond the capacity so extra columns are detected", () => {
  const b = bytes("1,2,,4,5,6,7");
  const starts = new Int32Array(4);
  const ends = new Int32Array(4);
  assert.equal(splitFields(b, 0, b.length, starts, ends), 7);
  assert.deepEqual([...starts], [0, 2, 4, 5]);
  assert.deepEqual([...ends], [1, 3, 4, 6]);
});

test("hash53(s) is a deterministic integer below 2^53 that separates 200,000 UUID-like strings", () => {
  assert.equal(hash53("a9188a0a-82bc-50de-be60-03eedbe3cdd7"), hash53("a9188a0a-82bc-50de-be60-03eedbe3cdd7"));
  assert.notEqual(hash53("x", 0), hash53("x", 1));
  const r = mulberry32(1);
  const seen = new Set<number>();
  let bad = 0;
  for (let i = 0; i < 200000; ++i) {
    const h = hash53(`${(r() * 2 ** 32).toString(16)}-${i}-${(r() * 2 ** 32).toString(16)}`);
    if (!(Number.isSafeInteger(h) && h >= 0)) ++bad;
    seen.add(h);
  }
  assert.equal(bad, 0);
  // Expected collisions ≈ n²/2^54 ≈ 2e-6.
  assert.equal(seen.size, 200000);
});

test("shiftDecimal(s, k) and plainNumber(x) move the decimal point on the digits without exponents", () => {
  assert.equal(shiftDecimal("0.08", 2), "8");
  assert.equal(shiftDecimal("30.14", -2), "0.3014");
  assert.equal(shiftDecimal("0.3014", 2), "30.14");
  assert.equal(shiftDecimal("5", -3), "0.005");
  assert.equal(shiftDecimal("-1.5", 1), "-15");
  assert.equal(shiftDecimal("0", 2), "0");
  assert.equal(plainNumber(1e-7), "0.0000001");
  assert.equal(plainNumber(1.5e21), "1500000000000000000000");
  assert.equal(plainNumber(56000.1), "56000.1");
});

test("parseIsoMs(text) agrees with Date.parse to the ms and keeps µs; isoMicros(t) inverts it", () => {
  const r = mulberry32(9);
  for (let k = 0; k < 2000; ++k) {
    const us = Math.floor(r() * 2e15) + 1.5e15;
    const t = us / 1000;
    const s = isoMicros(t);
    const b = bytes(s);
    assert.equal(parseIsoMs(b, 0, b.length), t, s);
    assert.equal(Math.floor(parseIsoMs(b, 0, b.length)), Date.parse(s.replace(/(\.\d{3})\d*Z$/, "$1Z")), s);
  }
  const p = (s: string) => parseIsoMs(bytes(s), 0, s.length);
  assert.equal(p("2024-08-05T00:00:00Z"), Date.parse("2024-08-05T00:00:00Z"));
  assert.equal(p("2024-08-05T00:00:00.5+00:00"), Date.parse("2024-08-05T00:00:00.500Z"));
  assert.equal(p("2026-08-09T21:05:48.228568804Z"), Date.parse("2026-08-09T21:05:48.228Z") + 0.568);
  for (const bad of ["2024-08-05", "2024-08-05T00:00:00", "2024-08-05T25:00:00Z", "2024-08-05T00:00:00.Z", "2024/08/05T00:00:00Z", "2024-08-05T00:00:00+01:00"]) assert.ok(Number.isNaN(p(bad)), bad);
});

test("epochUnit(x) tells seconds, ms, µs and ns apart by magnitude", () => {
  assert.equal(epochUnit(1722816000.1), "s");
  assert.equal(epochUnit(1722816000100), "ms");
  assert.equal(epochUnit(1722816000100000), "us");
  assert.equal(epochUnit(1721347200064916040), "ns");
  assert.equal(epochUnit(0), undefined);
  assert.equal(epochUnit(-1722816000100), undefined);
  assert.equal(epochUnit(NaN), undefined);
});

test("openZipSink(path) writes a standard zip that fflate opens, with fixed 1980 timestamps, atomically", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "x.zip");
    const sink = await openZipSink(path, "x.csv");
    assert.deepEqual(readdirSync(dir).filter((f) => f === "x.zip"), []);
    await sink.write("a,b\n");
    await sink.write("1,2\n".repeat(10000));
    await sink.close();
    assert.deepEqual(readdirSync(dir), ["x.zip"]);
    assert.deepEqual(unzipTexts(readFileSync(path)), {"x.csv": `a,b\n${"1,2\n".repeat(10000)}`});
    const [entry] = await listZip(path);
    assert.deepEqual({name: entry.name, method: entry.method, size: entry.size, offset: entry.offset}, {name: "x.csv", method: 8, size: 40004, offset: 0});
    const z = readFileSync(path);
    assert.equal(z.readUInt16LE(10), 0); // DOS time 00:00:00
    assert.equal(z.readUInt16LE(12), 0x21); // DOS date 1980-01-01
    await verifyArchive(path);
    const aborted = await openZipSink(join(dir, "y.zip"), "y.csv");
    await aborted.write("partial");
    await aborted.abort();
    assert.deepEqual(readdirSync(dir), ["x.zip"]);
  } finally {
    cleanup();
  }
});

test("openGzipSink(path) writes deterministic gzip (mtime 0) and verifyArchive detects a damaged one", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const write = async (name: string) => {
      const s = await openGzipSink(join(dir, name));
      await s.write("hello\n".repeat(5000));
      await s.close();
      return readFileSync(join(dir, name));
    };
    const a = await write("a.gz");
    const b = await write("b.gz");
    assert.deepEqual(a, b);
    assert.equal(a.readUInt32LE(4), 0); // MTIME
    assert.equal(gunzipText(a), "hello\n".repeat(5000));
    const damaged = Buffer.from(a);
    damaged[damaged.length - 6] ^= 0xff; // inside the CRC-32 trailer
    writeFileSync(join(dir, "c.gz"), damaged);
    await assert.rejects(verifyArchive(join(dir, "c.gz")), (e: unknown) => e instanceof InputError && /corrupt gzip/.test(e.message));
  } finally {
    cleanup();
  }
});

test("zipEntryChunks(path) picks the single CSV among several entries and refuses ambiguity", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "multi.zip");
    writeFileSync(path, zipOf({"README.txt": "hi", "data.csv": "x\n"}));
    let text = "";
    for await (const c of zipEntryChunks(path)) text += new TextDecoder().decode(c);
    assert.equal(text, "x\n");
    writeFileSync(path, zipOf({"a.csv": "1", "b.csv": "2"}));
    await assert.rejects(async () => {
      for await (const _ of zipEntryChunks(path));
    }, /2 candidate entries/);
  } finally {
    cleanup();
  }
});
