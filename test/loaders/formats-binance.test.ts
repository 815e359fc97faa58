import assert from "node:assert/strict";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {zipSync, strToU8} from "fflate";
import {BINANCE_HEADER, binanceFileName, FORMATS, readBinance, readDay, writeBinance, newReadStats} from "../../loaders/formats/index.ts";
import {InputError, newQuarantine, type Trade} from "../../loaders/trades.ts";
import {mulberry32} from "../../lib/random.js";
import {batchesOf, batchOf, collect, randomTrades, tempDir, unzipTexts, zipOf} from "./support/fixtures.ts";

const SAMPLE_ROWS = "3535188229,28155.10,0.001,28.1551,1680652804962,true\n3535188230,28155.20,0.012,337.8624,1680652804964,false\n";
const SAMPLE_TRADES: Trade[] = [
  {time: 1680652804962, price: 28155.1, qty: 0.001, side: -1, id: 3535188229},
  {time: 1680652804964, price: 28155.2, qty: 0.012, side: 1, id: 3535188230}
];

function archive(dir: string, day: string, csv: string): string {
  const path = join(dir, binanceFileName(day, "BTCUSDT"));
  writeFileSync(path, zipOf({[`BTCUSDT-trades-${day}.csv`]: csv}));
  return path;
}

test("readBinance(path) of a hand-made archive with header gives the documented trades (is_buyer_maker=true is a sell)", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const {trades, venues} = await collect(readBinance(archive(dir, "2023-04-05", `${BINANCE_HEADER}\n${SAMPLE_ROWS}`), q));
    assert.deepEqual(trades, SAMPLE_TRADES);
    assert.deepEqual([...venues], ["binance"]);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readBinance(path) of a headerless archive (before 2022-08-11) reads the first row as data", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const {trades} = await collect(readBinance(archive(dir, "2022-08-10", SAMPLE_ROWS), q));
    assert.deepEqual(trades, SAMPLE_TRADES);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readBinance(path) accepts CRLF line ends and a missing final newline", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const csv = `${BINANCE_HEADER}\r\n${SAMPLE_ROWS.replaceAll("\n", "\r\n").replace(/\r\n$/, "")}`;
    const {trades} = await collect(readBinance(archive(dir, "2023-04-05", csv), q));
    assert.deepEqual(trades, SAMPLE_TRADES);
  } finally {
    cleanup();
  }
});

test("writeBinance(trades) writes the exact documented bytes, with the header only from 2022-08-11", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const t = Date.parse("2022-08-10T23:59:59.999Z");
    const rows: Trade[] = [
      {time: t, price: 23950.5, qty: 0.25, side: 1, id: 2500000000},
      {time: t + 1.7, price: 23950.6, qty: 1e-7, side: -1, id: 2500000001}
    ];
    const names = await writeBinance([batchOf("binance", rows)], dir, "BTCUSDT");
    assert.deepEqual(names, ["BTCUSDT-trades-2022-08-10.zip", "BTCUSDT-trades-2022-08-11.zip"]);
    assert.deepEqual(unzipTexts(readFileSync(join(dir, names[0]))), {"BTCUSDT-trades-2022-08-10.csv": "2500000000,23950.5,0.25,5987.625,1660175999999,false\n"});
    assert.deepEqual(unzipTexts(readFileSync(join(dir, names[1]))), {
      "BTCUSDT-trades-2022-08-11.csv": `${BINANCE_HEADER}\n2500000001,23950.6,0.0000001,0.00239506,1660176000000,true\n`
    });
    assert.deepEqual(readdirSync(dir).sort(), names);
  } finally {
    cleanup();
  }
});

test("writeBinance(trades) is deterministic: identical input gives byte-identical files", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(3000, Date.parse("2024-08-05T23:58:00Z"), {seed: 7});
    const a = await writeBinance(batchesOf("binance", rows, 500), join(dir, "a"), "BTCUSDT");
    const b = await writeBinance(batchesOf("binance", rows, 999), join(dir, "b"), "BTCUSDT");
    assert.deepEqual(a, b);
    assert.equal(a.length, 2);
    for (const name of a) assert.deepEqual(readFileSync(join(dir, "a", name)), readFileSync(join(dir, "b", name)));
  } finally {
    cleanup();
  }
});

test("writeBinance then readBinance round-trips trades across a UTC midnight, batch sizes notwithstanding", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(5000, Date.parse("2024-08-05T23:57:00Z"), {seed: 3});
    const names = await FORMATS.binance.write(batchesOf("binance", rows, 701), dir, "BTCUSDT");
    const q = newQuarantine();
    const back: Trade[] = [];
    let batches = 0;
    for (const n of names) {
      const r = await collect(readBinance(join(dir, n), q, {batchRows: 1024}));
      back.push(...r.trades);
      batches += r.batches;
    }
    assert.deepEqual(back, rows);
    assert.equal(batches, Math.ceil(rows.filter((r) => r.time < Date.parse("2024-08-06")).length / 1024) + Math.ceil(rows.filter((r) => r.time >= Date.parse("2024-08-06")).length / 1024));
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("writeBinance(trades) leaves no file under the final name when the input fails mid-day", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const rows = randomTrades(200, Date.parse("2024-08-05T12:00:00Z"));
    async function* failing() {
      yield batchOf("binance", rows.slice(0, 100));
      throw new Error("simulator crashed");
    }
    await assert.rejects(writeBinance(failing(), dir, "BTCUSDT"), /simulator crashed/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});

test("writeBinance(trades) rejects input that goes back a day, a zero side and a missing id", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const t = Date.parse("2024-08-05T12:00:00Z");
    const ok = {price: 1, qty: 1, side: 1, id: 1};
    await assert.rejects(writeBinance([batchOf("binance", [{...ok, time: t + 86_400_000}, {...ok, time: t}])], dir, "BTCUSDT"), /not time-sorted/);
    await assert.rejects(writeBinance([batchOf("binance", [{...ok, time: t, side: 0}])], dir, "BTCUSDT"), /invalid side: 0/);
    await assert.rejects(writeBinance([batchOf("binance", [{...ok, time: t, id: NaN}])], dir, "BTCUSDT"), /invalid id: NaN/);
    // The file open when the error struck is discarded; nothing else was complete.
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});

test("readBinance(path) quarantines malformed rows by reason and keeps the good ones", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const csv = [
      BINANCE_HEADER,
      "1,28155.1,0.001,28.1551,1680652804962,true", // good
      "2,28155.1,0.001,28.1551,1680652804962,true,extra", // extra column
      "3,28155.1,0.001,1680652804962,true", // missing column
      "4,abc,0.001,28.1551,1680652804962,true", // non-numeric price
      "5,0,0.001,0,1680652804962,true", // zero price
      "6,28155.1,-0.5,28.1551,1680652804962,false", // negative qty
      "7,28155.1,0.001,28.1551,1680652804962123,false", // µs among ms
      "8,28155.1,0.001,28.1551,1680652804962,maybe", // bad flag
      "x9,28155.1,0.001,28.1551,1680652804962,true", // non-numeric id
      "10,28155.1,0.002,56.3102,1680652804970,FALSE", // good (case-insensitive flag)
      ""
    ].join("\n");
    const q = newQuarantine();
    const stats = newReadStats();
    const {trades} = await collect(readBinance(archive(dir, "2023-04-05", csv), q, {stats}));
    assert.deepEqual(
      trades.map((t) => t.id),
      [1, 10]
    );
    assert.deepEqual(q.counts, {
      "wrong column count": 2,
      "non-numeric price": 1,
      "non-positive price": 1,
      "non-positive qty": 1,
      "time unit mismatch": 1,
      "invalid is_buyer_maker": 1,
      "non-numeric id": 1
    });
    // Row 1 fixes the file's time unit (general path); the malformed rows are declined by the fast path.
    assert.deepEqual(stats, {rows: 10, kept: 2, skipped: 0, quarantined: 8, fast: 1});
    assert.equal(q.examples[0].line, 3);
    assert.equal(q.examples[0].file, "BTCUSDT-trades-2023-04-05.zip", "the file's name, not its folder");
  } finally {
    cleanup();
  }
});

/**
 * The reader's expected result for one row of a ms file, computed independently of it from the
 * row's text: the trade, or the quarantine reason.
 */
function oracle(row: string): Trade | string {
  const f = row.split(",");
  if (f.length !== 6) return "wrong column count";
  if (!/^\d+$/.test(f[0]) || Number(f[0]) > Number.MAX_SAFE_INTEGER) return "non-numeric id";
  const num = (s: string) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN);
  const [price, qty, quote, time] = [num(f[1]), num(f[2]), num(f[3]), num(f[4])];
  if (Number.isNaN(price)) return "non-numeric price";
  if (!(price > 0) || price === Infinity) return "non-positive price";
  if (Number.isNaN(qty)) return "non-numeric qty";
  if (!(qty > 0) || qty === Infinity) return "non-positive qty";
  if (Number.isNaN(quote)) return "non-numeric quote_qty";
  if (Number.isNaN(time)) return "non-numeric time";
  if (!(time >= 1e11 && time < 1e14)) return time >= 1e14 && time < 1e17 ? "time unit mismatch" : "time out of range";
  const flag = f[5].toLowerCase();
  if (flag !== "true" && flag !== "false") return "invalid is_buyer_maker";
  return {time, price, qty, side: flag === "false" ? 1 : -1, id: Number(f[0])};
}

test("readBinance(path) agrees row by row with an independent parse of 30,000 seeded rows, plain and odd", async () => {
  const r = mulberry32(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const digits = (n: number) => Array.from({length: n}, () => Math.floor(r() * 10)).join("");
  const decimal = () => pick([`${1 + Math.floor(r() * 99999)}.${digits(1 + Math.floor(r() * 3))}`, `0.${digits(1 + Math.floor(r() * 4))}1`, String(1 + Math.floor(r() * 9)), `${digits(8)}.${digits(9)}`]);
  // Variants the single-pass fast path declines or must reject, each one field at a time.
  const odd: ((f: string[]) => void)[] = [
    (f) => (f[1] = `+${f[1]}`),
    (f) => (f[2] = "1e-3"),
    (f) => (f[1] = "0"),
    (f) => (f[2] = `-${f[2]}`),
    (f) => (f[3] = ""),
    (f) => (f[3] = "12.5.1"),
    (f) => (f[1] = `${digits(12)}.${digits(6)}`),
    (f) => (f[4] = `${f[4]}.5`),
    (f) => (f[4] = `${f[4]}123`),
    (f) => (f[4] = "12"),
    (f) => (f[5] = pick(["TRUE", "False", "yes", "", "true "])),
    (f) => (f[0] = pick(["", "-1", "1.0", digits(17)])),
    (f) => f.push("extra"),
    (f) => f.pop(),
    (f) => (f[2] = ".5")
  ];
  const rows: string[] = [];
  let t = 1680652800000;
  for (let k = 0; k < 30000; ++k) {
    t += Math.floor(r() * 50);
    const f = [String(1e9 + k), decimal(), decimal(), decimal(), String(t), r() < 0.5 ? "true" : "false"];
    if (r() < 0.05) pick(odd)(f);
    rows.push(f.join(","));
  }
  const ends = rows.map(() => (r() < 0.1 ? "\r\n" : "\n"));
  const csv = `${BINANCE_HEADER}\n${rows.map((row, i) => row + ends[i]).join("")}`;
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const {trades} = await collect(readBinance(archive(dir, "2023-04-05", csv), q));
    const expected = rows.map(oracle);
    assert.deepEqual(trades, expected.filter((e): e is Trade => typeof e !== "string"));
    const counts: Record<string, number> = {};
    for (const e of expected) if (typeof e === "string") counts[e] = (counts[e] ?? 0) + 1;
    assert.deepEqual(q.counts, counts);
    assert.ok(Object.keys(counts).length >= 8, `odd rows cover the quarantine reasons: ${JSON.stringify(counts)}`);
  } finally {
    cleanup();
  }
});

test("readBinance(path) reads spot archives: no header, a seventh is_best_match column, True/False, ms (2024) or µs (2025) times", async () => {
  const {dir, cleanup} = tempDir();
  try {
    // Rows in the layout of data.binance.vision/data/spot/daily/trades/BTCUSDT/…
    const spot2024 = "3695937428,57020.00000000,0.00017000,9.69340000,1722816000005,True,True\n3695937429,57020.01000000,0.01271000,724.72547100,1722816000006,False,True\n";
    const spot2025 = "4120379837,97455.99000000,0.00024000,23.38943760,1735689600072542,True,True\n4120379838,97456.00000000,0.00131000,127.66736000,1735689600101003,False,True\n";
    for (const [day, csv, times] of [
      ["2024-08-05", spot2024, [1722816000005, 1722816000006]],
      ["2025-01-01", spot2025, [1735689600072.542, 1735689600101.003]]
    ] as const) {
      for (const fastPath of [true, false]) {
        const q = newQuarantine();
        const {trades} = await collect(readBinance(archive(dir, day, csv), q, {fastPath}));
        assert.deepEqual(trades.map((t) => t.time), times, `${day} fastPath ${fastPath}`);
        assert.deepEqual(trades.map((t) => t.side), [-1, 1]);
        assert.deepEqual(q.counts, {});
      }
    }
    // Every row is held to the first row's column count, and is_best_match must be a boolean.
    const q = newQuarantine();
    const mixed = `${spot2024.split("\n")[0]}\n3695937430,57020.02,0.001,57.02,1722816000007,true\n3695937431,57020.02,0.001,57.02,1722816000008,False,maybe\n`;
    const {trades} = await collect(readBinance(archive(dir, "2024-08-05", mixed), q));
    assert.equal(trades.length, 1);
    assert.deepEqual(q.counts, {"wrong column count": 1, "invalid is_best_match": 1});
  } finally {
    cleanup();
  }
});

test("readBinance(path) reads a file whose times are all in µs as µs (judged by magnitude)", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const csv = `${BINANCE_HEADER}\n1,28155.1,0.001,28.1551,1680652804962123,true\n2,28155.1,0.001,28.1551,1680652804963000,false\n`;
    const {trades} = await collect(readBinance(archive(dir, "2023-04-05", csv), q));
    assert.deepEqual(
      trades.map((t) => t.time),
      [1680652804962.123, 1680652804963]
    );
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readBinance(path) throws InputError for a wrong header, an empty file, a corrupt or truncated zip and a CRC mismatch", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const q = newQuarantine();
    const wrong = archive(dir, "2023-04-05", "id,price,qty,quote_qty,time,isBuyerMaker\n1,1,1,1,1680652804962,true\n");
    await assert.rejects(collect(readBinance(wrong, q)), (e: unknown) => e instanceof InputError && e.line === 1 && /wrong header/.test(e.message));
    const garbage = archive(dir, "2023-04-06", "price,qty\n1,2\n");
    await assert.rejects(collect(readBinance(garbage, q)), /wrong header/);

    const empty = join(dir, "empty.zip");
    writeFileSync(empty, new Uint8Array(0));
    await assert.rejects(collect(readBinance(empty, q)), (e: unknown) => e instanceof InputError && /empty file/.test(e.message) && e.file === empty);

    const emptyCsv = archive(dir, "2023-04-07", "");
    await assert.rejects(collect(readBinance(emptyCsv, q)), /empty file/);

    const notZip = join(dir, "not.zip");
    writeFileSync(notZip, "this is not a zip archive at all");
    await assert.rejects(collect(readBinance(notZip, q)), (e: unknown) => e instanceof InputError && /corrupt zip/.test(e.message));

    const full = zipOf({"BTCUSDT-trades-2023-04-05.csv": `${BINANCE_HEADER}\n${SAMPLE_ROWS.repeat(50)}`});
    const truncated = join(dir, "truncated.zip");
    writeFileSync(truncated, full.subarray(0, Math.floor(full.length * 0.6)));
    await assert.rejects(collect(readBinance(truncated, q)), /corrupt zip: end of central directory not found/);

    const stored = zipSync({"BTCUSDT-trades-2023-04-05.csv": strToU8(`${BINANCE_HEADER}\n${SAMPLE_ROWS}`)}, {level: 0});
    stored[stored.indexOf(0x33, 60)] = 0x34; // change one digit inside the stored CSV
    const damaged = join(dir, "damaged.zip");
    writeFileSync(damaged, stored);
    await assert.rejects(collect(readBinance(damaged, q)), /CRC or size mismatch/);
    assert.deepEqual(q.counts, {});
  } finally {
    cleanup();
  }
});

test("readDay('binance', …) keeps the UTC day and quarantines rows dated outside it", async () => {
  const {dir, cleanup} = tempDir();
  try {
    const day = Date.parse("2024-08-05T00:00:00Z");
    archive(dir, "2024-08-05", `${BINANCE_HEADER}\n1,1,1,1,${day - 1},true\n2,1,1,1,${day},true\n3,1,1,1,${day + 86_399_999},false\n4,1,1,1,${day + 86_400_000},false\n`);
    const q = newQuarantine();
    const {trades} = await collect(readDay("binance", dir, "2024-08-05", "BTCUSDT", q));
    assert.deepEqual(
      trades.map((t) => t.id),
      [2, 3]
    );
    assert.deepEqual(q.counts, {"outside span": 2});
  } finally {
    cleanup();
  }
});

test("FORMATS.binance.filesForDay(day, symbol) names one archive and rejects path-like input", () => {
  assert.deepEqual(FORMATS.binance.filesForDay("2024-08-05", "BTCUSDT"), ["BTCUSDT-trades-2024-08-05.zip"]);
  assert.throws(() => FORMATS.binance.filesForDay("2024-08-05/../../x", "BTCUSDT"), /invalid day/);
  assert.throws(() => FORMATS.binance.filesForDay("2024-02-30", "BTCUSDT"), /invalid day/);
  assert.throws(() => FORMATS.binance.filesForDay("2024-08-05", "../BTC"), /invalid symbol/);
});
