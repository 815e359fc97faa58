/**
 * Data integrity: nothing is lost or accepted silently, errors name the data, and inputs or
 * settings that would exhaust memory, disk or time are refused up front with the reason.
 */
import assert from "node:assert/strict";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {ConfigError, loadConfig, MAX_SURROGATES, MIN_BIN_MS} from "../../loaders/config.ts";
import {openZipSink} from "../../loaders/formats/archive.ts";
import {LineSplitter, LineTooLongError, MAX_LINE_BYTES} from "../../loaders/formats/bytes.ts";
import {readBinance} from "../../loaders/formats/binance.ts";
import {lineBlocks} from "../../loaders/formats/parallel.ts";
import {InputError, newQuarantine} from "../../loaders/trades.ts";
import {tempDir} from "./support/fixtures.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

test("a zip holding one line of 64 MiB fails at the line-length cap, naming the file and line", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const path = join(dir, "BTCUSDT-trades-2024-08-05.zip");
    const sink = await openZipSink(path, "BTCUSDT-trades-2024-08-05.csv");
    await sink.write("id,price,qty,quote_qty,time,is_buyer_maker\n");
    const block = "9".repeat(1 << 20);
    for (let i = 0; i < 64; ++i) await sink.write(block);
    await sink.close();
    let rows = 0;
    await assert.rejects(
      async () => {
        for await (const b of readBinance(path, newQuarantine())) rows += b.length;
      },
      (e: Error) => e instanceof InputError && e.line === 2 && e.file === path && /line longer than 1,048,576 bytes/.test(e.message)
    );
    assert.equal(rows, 0);
  } finally {
    cleanup();
  }
});

test("LineSplitter(maxLine) accepts a line of exactly maxLine bytes and refuses a longer one, in one chunk or across chunks", () => {
  const lines: number[] = [];
  const on = (_b: Uint8Array, s: number, e: number) => void lines.push(e - s);
  const ok = new LineSplitter(8);
  ok.push(bytes("12345678\r\n1234"), on);
  ok.push(bytes("5678\n"), on);
  assert.deepEqual(lines, [8, 8]);
  assert.throws(() => new LineSplitter(8).push(bytes("a\n123456789\n"), on), (e: Error) => e instanceof LineTooLongError && e.line === 2);
  const split = new LineSplitter(8);
  split.push(bytes("12345"), on);
  assert.throws(() => split.push(bytes("67890"), on), (e: Error) => e instanceof LineTooLongError && e.line === 1);
  assert.equal(MAX_LINE_BYTES, 1 << 20);
});

test("lineBlocks(chunks) refuses a line that runs maxLine bytes past the block size, naming the file", async () => {
  const chunks = [bytes("a,b\n"), bytes("x".repeat(600)), bytes("x".repeat(600))];
  await assert.rejects(
    async () => {
      for await (const _ of lineBlocks(chunks, 100, {maxLine: 1000, file: "f.zip"}));
    },
    (e: Error) => e instanceof InputError && e.file === "f.zip" && /block from byte 0 of the content is longer than 1,000 bytes/.test(e.message)
  );
});

test("CVE_SURROGATES has an upper bound and CVE_BINS_MS a lower bound, each with its reason", () => {
  assert.throws(() => loadConfig({CVE_SURROGATES: "1e7"}), (e: Error) => e instanceof ConfigError && /surrogates: at most 9,999 \(p-values resolve to 1\/\(S \+ 1\).*got 10000000/.test(e.message));
  assert.equal(loadConfig({CVE_SURROGATES: String(MAX_SURROGATES)}).surrogates, MAX_SURROGATES);
  assert.throws(
    () => loadConfig({CVE_BINS_MS: "1,100,1000"}),
    (e: Error) => e instanceof ConfigError && /bin width 1 ms is below the minimum of 50 ms \(a day of 1 ms bins is 86,400,000 rows per venue, about 27\.6 GB for 4 venue\(s\)\)/.test(e.message)
  );
  assert.deepEqual(loadConfig({CVE_BINS_MS: `${MIN_BIN_MS},100,1000`}).binWidthsMs, [MIN_BIN_MS, 100, 1000]);
});
