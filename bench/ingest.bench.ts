/**
 * Ingest at scale: a simulated week (BENCH_DAYS days, default 7; four venues at the default
 * rates, whole days) from raw venue archives to the Arrow aggregates of docs/data.md, and one
 * day of Binance trades parsed and binned by our reader against DuckDB on the same CSV bytes.
 *
 * 1. The archives are generated first in a child process (`ensureSimulatedArchives`; not part of
 *    the ingest target). They are kept under `<tmpdir>/cve-bench-ingest/` and reused by later
 *    runs while the simulator's inputs and sources are unchanged (its own key); the time of the
 *    run that generated them is reported with that run's date.
 * 2. `ensureDerived(config)` runs in a fresh child process after `derived/` is removed: wall
 *    time and CPU time of the call, each venue's time (from the per-day log lines), trades kept
 *    per second, and the child's peak resident set (VmHWM; the worker threads that clean the
 *    (venue, day) pairs share the process).
 * 3. The first Binance day is unpacked (not timed) into a plain CSV and into a stored zip
 *    holding the same bytes uncompressed. DuckDB (`@duckdb/node-api`) runs `read_csv` with the
 *    column types given (no sniffing) and a `GROUP BY` of 1 s bins: counts and volumes by side,
 *    OHLC by `arg_min`/`arg_max` over the trade id, VWAP. Ours: `readBinance` on the stored zip
 *    (the same bytes, CRC-32 checked, no inflation) into `BinAccumulator` of 1 s bins, on one
 *    thread, and in blocks on one worker per core (`readArchiveParallel`, the pool started before
 *    the timing as DuckDB's instance is). The results are checked to agree bin by bin before any
 *    time is reported. DuckDB runs with its default threads (one per core) and with one thread;
 *    the target compares like with like (ours on as many threads as DuckDB). Ours is also timed on the original
 *    (deflated) zip, with the parser alone, and with the reader's fast path off (every row by
 *    its general path; its bins are checked equal too). After a warm-up round (files in the page cache),
 *    BENCH_REPEATS rounds (default 5) run every method once, in a rotating order; times are
 *    medians, and the target is judged on the median of the per-round ratios ours / DuckDB.
 *
 * 4. The same Binance day as a build's one (venue, day) task — `cleanVenueDay`: read from the
 *    deflated zip, cleaned, written as its zstd Parquet partition — with its archive read on this thread and
 *    in blocks on one worker per core (as a build of a single (venue, day) does); the two partitions
 *    are checked byte-identical. Interleaved rounds as in 3.
 *
 * The machine is shared: wall times are noisy, ratios measured in the same run are what matter;
 * CPU times are given beside them.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {BinAccumulator, type BinColumns} from "../loaders/aggregate/bins.ts";
import {configDays, DEFAULTS, validateConfig, type AnalysisConfig} from "../loaders/config.ts";
import {cleanVenueDay} from "../loaders/derived.ts";
import {resolveSource} from "../loaders/source-resolve.ts";
import {binanceCsvName, binanceFileName, readBinance} from "../loaders/formats/binance.ts";
import {newReadStats} from "../loaders/formats/batch.ts";
import {blockReaderPool, readArchiveParallel} from "../loaders/formats/parallel.ts";
import type {TaskPool} from "../loaders/task-pool.ts";
import {newQuarantine} from "../loaders/trades.ts";
import {partitionFiles} from "../loaders/parquet.ts";
import {runChild, type ChildReport} from "./support/child.ts";
import {unpackZip} from "./support/stored-zip.ts";
import {envInt, median} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

const START = "2024-08-05";
const WEEK_TARGET_SEC = 120;
const RSS_TARGET_MIB = 1536;
const RATIO_TARGET = 1.5;
/** File beside a simulated set recording how long generating it took, and when. */
const GENERATED = "bench-generated.json";

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

type Method = "duck" | "duck1" | "ours" | "blocks" | "parse" | "zip" | "general";

/** Wall and CPU times (s) of one method, a value per round. */
type Times = {wall: number[]; cpu: number[]};

/** Median over the rounds of `a`'s wall time over `b`'s in the same round. */
function pairedRatio(a: Times, b: Times): number {
  return median(a.wall.map((x, i) => x / b.wall[i]));
}

/**
 * Wall and CPU times (s) of each method over `repeats` rounds after one warm-up round; within a
 * round the methods run one after the other, in an order rotated every round, so that the load
 * of a shared machine falls on all of them alike and per-round ratios compare like with like.
 */
async function interleaved<M extends string>(methods: Record<M, () => Promise<unknown>>, repeats: number): Promise<Record<M, Times>> {
  const names = Object.keys(methods) as M[];
  const out = Object.fromEntries(names.map((m) => [m, {wall: [] as number[], cpu: [] as number[]}])) as Record<M, Times>;
  for (const m of names) await methods[m]();
  for (let round = 0; round < repeats; ++round)
    for (let k = 0; k < names.length; ++k) {
      const m = names[(k + round) % names.length];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await methods[m]();
      const dt = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      out[m].wall.push(dt);
      out[m].cpu.push((c.user + c.system) / 1e6);
    }
  return out;
}

/**
 * Our parse and 1 s bins of one Binance day; returns the non-empty bins by index, the rows read
 * and the rows the reader's fast path took. `fastPath: false` reads every row by the general
 * path; with a `pool`, the file is read in blocks on its workers (`readArchiveParallel`).
 */
async function oursBins(zipPath: string, t0: number, fastPath = true, pool?: TaskPool): Promise<{rows: number; fast: number; bins: BinColumns[]}> {
  const q = newQuarantine();
  const bins: BinColumns[] = [];
  const acc = new BinAccumulator({t0, t1: t0 + 86_400_000, widthMs: 1000}, (c) => bins.push(c));
  const stats = newReadStats();
  let rows = 0;
  const options = {fastPath, stats, reuseBatches: true};
  for await (const b of pool ? readArchiveParallel("binance", zipPath, q, {...options, pool}) : readBinance(zipPath, q, options)) {
    acc.add(b);
    rows += b.length;
  }
  acc.finish();
  const bad = Object.values(q.counts).reduce((a, b) => a + b, 0);
  if (bad > 0) throw new Error(`reader quarantined ${bad} rows of ${zipPath}: ${JSON.stringify(q.counts)}`);
  return {rows, fast: stats.fast, bins};
}

/** Our parser alone: rows read. */
async function oursParse(zipPath: string): Promise<number> {
  let rows = 0;
  for await (const b of readBinance(zipPath, newQuarantine())) rows += b.length;
  return rows;
}

const duckSql = (csv: string) => `
SELECT CAST(time // 1000 * 1000 AS DOUBLE) AS t,
  CAST(count(*) FILTER (WHERE NOT is_buyer_maker) AS INTEGER) AS n_buy,
  CAST(count(*) FILTER (WHERE is_buyer_maker) AS INTEGER) AS n_sell,
  coalesce(sum(qty) FILTER (WHERE NOT is_buyer_maker), 0) AS v_buy,
  coalesce(sum(qty) FILTER (WHERE is_buyer_maker), 0) AS v_sell,
  arg_min(price, id) AS open, max(price) AS high, min(price) AS low, arg_max(price, id) AS close,
  sum(price * qty) / sum(qty) AS vwap
FROM read_csv('${csv.replaceAll("'", "''")}', header = true, delim = ',', quote = '', escape = '',
  columns = {'id': 'BIGINT', 'price': 'DOUBLE', 'qty': 'DOUBLE', 'quote_qty': 'DOUBLE', 'time': 'BIGINT', 'is_buyer_maker': 'BOOLEAN'})
GROUP BY ALL ORDER BY t`;

type DuckBins = Record<"t" | "n_buy" | "n_sell" | "v_buy" | "v_sell" | "open" | "high" | "low" | "close" | "vwap", number[]>;

/** Checks that our bins and DuckDB's agree: the same non-empty bins, counts exactly, prices and sums to 1e-9 relative. */
function checkAgreement(ours: BinColumns[], duck: DuckBins): number {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  let k = 0;
  for (const c of ours)
    for (let i = 0; i < c.length; ++i) {
      if (c.n_buy[i] + c.n_sell[i] === 0) continue;
      if (k >= duck.t.length || duck.t[k] !== c.t[i]) throw new Error(`ours and DuckDB disagree: bin at ${c.t[i]} vs ${duck.t[k]}`);
      for (const f of ["n_buy", "n_sell"] as const) if (c[f][i] !== duck[f][k]) throw new Error(`ours and DuckDB disagree on ${f} at ${c.t[i]}: ${c[f][i]} vs ${duck[f][k]}`);
      for (const f of ["v_buy", "v_sell", "open", "high", "low", "close", "vwap"] as const)
        if (!close(c[f][i], duck[f][k])) throw new Error(`ours and DuckDB disagree on ${f} at ${c.t[i]}: ${c[f][i]} vs ${duck[f][k]}`);
      ++k;
    }
  if (k !== duck.t.length) throw new Error(`ours and DuckDB disagree: ${k} non-empty bins vs ${duck.t.length}`);
  return k;
}

export default async function (): Promise<BenchRow[]> {
  const days = envInt("BENCH_DAYS", 7, 1, 31);
  const repeats = envInt("BENCH_REPEATS", 5, 1, 20);
  const dataDir = join(tmpdir(), "cve-bench-ingest");
  const config: AnalysisConfig = validateConfig({
    ...structuredClone(DEFAULTS),
    start: START,
    end: addDays(START, days - 1),
    hours: 24,
    source: "simulated",
    dataDir,
    offline: true
  });
  const json = JSON.stringify(config);
  const step = "bench/support/ingest-step.ts";
  const rows: BenchRow[] = [];
  const label = `${days} d${days === 7 ? "" : " (BENCH_DAYS; the target is for 7 d)"}`;

  // 1. Archives (not part of the target): generated once per simulator key, then reused.
  console.error(`ingest: simulated archives for ${configDays(config).length} day(s) in ${dataDir}`);
  const sim = await runChild<ChildReport & {dir: string; generated: boolean}>(step, ["simulate", json]);
  let simDir = sim.report.dir;
  const simParent = join(simDir, "..");
  for (const name of readdirSync(simParent)) if (join(simParent, name) !== simDir) rmSync(join(simParent, name), {recursive: true, force: true});
  if (sim.report.generated) writeFileSync(join(simDir, GENERATED), JSON.stringify({seconds: sim.report.seconds, date: new Date().toISOString()}));

  // 2. Archives → Arrow aggregates in a child process.
  console.error("ingest: ensureDerived in a child process");
  const run = await runChild<
    ChildReport & {rowsRead: number; trades: number; perVenue: Record<string, {rowsRead: number; trades: number}>; venueSeconds: Record<string, number>; simDir: string; simGenerated: boolean; simSeconds: number}
  >(
    step,
    ["derive", json]
  );
  const r = run.report;
  if (r.simGenerated) {
    // The simulator's sources changed between the two steps: the set the build read is new.
    console.error(`ingest: archives regenerated before the timed step (${r.simSeconds.toFixed(0)} s): the simulator's sources changed meanwhile`);
    simDir = r.simDir;
    writeFileSync(join(simDir, GENERATED), JSON.stringify({seconds: r.simSeconds, date: new Date().toISOString()}));
    for (const name of readdirSync(simParent)) if (join(simParent, name) !== simDir) rmSync(join(simParent, name), {recursive: true, force: true});
  }
  const fresh = sim.report.generated || r.simGenerated;
  const gen = existsSync(join(simDir, GENERATED)) ? (JSON.parse(readFileSync(join(simDir, GENERATED), "utf8")) as {seconds: number; date: string}) : undefined;
  if (gen)
    rows.push({
      name: `generate the simulated archives, ${label} × 4 venues (not in the target; ${fresh ? "this run" : `reused, measured ${gen.date.slice(0, 16)}Z`})`,
      value: gen.seconds,
      unit: "s"
    });
  const target = (WEEK_TARGET_SEC * days) / 7;
  const mtrades = (x: number) => `${(x / 1e6).toFixed(1)}M`;
  const perVenue = Object.entries(r.perVenue).map(([v, s]) => `${v} ${mtrades(s.trades)}`).join(", ");
  const venueTimes = Object.entries(r.venueSeconds).map(([v, s]) => `${v} ${s.toFixed(0)} s`).join(", ");
  rows.push(
    {
      name: `ingest ${label}: archives → Arrow (ensureDerived; ${mtrades(r.trades)} trades: ${perVenue})`,
      value: r.seconds,
      unit: "s",
      reference: {name: `target for ${days} d`, value: target},
      target: `≤ ${target.toFixed(0)} s`,
      met: r.seconds <= target
    },
    {
      name: `ingest ${label}: time per venue (worker-thread wall time summed over days: ${venueTimes})`,
      value: Math.max(...Object.values(r.venueSeconds)),
      unit: "s (largest venue)",
      reference: {name: "ingest wall time", value: r.seconds}
    },
    {name: `ingest ${label}: CPU time (all threads)`, value: r.cpuSeconds, unit: "s CPU", reference: {name: "wall time", value: r.seconds}},
    {
      name: `ingest ${label}: throughput (trades kept; ${mtrades(r.rowsRead)} rows read, OKX's files overlapping two UTC days each)`,
      value: r.trades / r.seconds,
      unit: "trades/s",
      reference: {name: `these trades in ${target.toFixed(0)} s`, value: r.trades / target},
      target: `≥ ${Math.round(r.trades / target / 1000)}k trades/s`,
      met: r.seconds <= target
    },
    {
      name: `ingest ${label}: peak RSS of the child (VmHWM)`,
      value: r.peakRssMiB,
      unit: "MiB",
      reference: {name: "sampled by the parent", value: run.sampledPeakRssMiB},
      target: `≤ ${RSS_TARGET_MIB} MiB`,
      met: r.peakRssMiB <= RSS_TARGET_MIB
    }
  );
  rmSync(join(dataDir, "derived"), {recursive: true, force: true});

  // 3. One Binance day: DuckDB read_csv + GROUP BY against our reader + bins, on the same CSV bytes.
  const day = config.start;
  const t0 = Date.parse(`${day}T00:00:00Z`);
  const zip = join(simDir, "binance", binanceFileName(day, config.symbol));
  const scratch = join(dataDir, "csv");
  mkdirSync(scratch, {recursive: true});
  const csv = join(scratch, binanceCsvName(day, config.symbol));
  const stored = join(scratch, `stored-${binanceFileName(day, config.symbol)}`);
  const cores = availableParallelism();
  // Started here, like DuckDB's instances below: its workers' start-up is not part of a file's read.
  const pool = blockReaderPool(cores);
  try {
    console.error(`ingest: unpacking ${zip}`);
    const csvBytes = await unpackZip(zip, csv, stored, binanceCsvName(day, config.symbol));
    const ours = await oursBins(stored, t0);
    const db2 = await DuckDBInstance.create(":memory:");
    const db1 = await DuckDBInstance.create(":memory:", {threads: "1"});
    const [c2, c1] = [await db2.connect(), await db1.connect()];
    let bins = 0;
    let times: Record<Method, Times>;
    try {
      const duck = (await c2.runAndReadAll(duckSql(csv))).getColumnsObjectJS() as unknown as DuckBins;
      bins = checkAgreement(ours.bins, duck);
      if (checkAgreement((await oursBins(stored, t0, false)).bins, duck) !== bins) throw new Error("the reader's general path and its fast path disagree");
      if (checkAgreement((await oursBins(stored, t0, true, pool)).bins, duck) !== bins) throw new Error("the reader in blocks and on one thread disagree");
      times = await interleaved(
        {
          duck: () => c2.runAndReadAll(duckSql(csv)),
          duck1: () => c1.runAndReadAll(duckSql(csv)),
          ours: () => oursBins(stored, t0),
          blocks: () => oursBins(stored, t0, true, pool),
          parse: () => oursParse(stored),
          zip: () => oursBins(zip, t0),
          general: () => oursBins(stored, t0, false)
        },
        repeats
      );
    } finally {
      for (const c of [c2, c1]) c.closeSync();
      for (const d of [db2, db1]) d.closeSync();
    }
    const wall = (m: Method) => median(times[m].wall);
    const cpu = (m: Method) => median(times[m].cpu);
    const ratio = (a: Method, b: Method) => pairedRatio(times[a], times[b]);
    const what = `Binance ${day} (${(ours.rows / 1e6).toFixed(1)}M rows, CSV ${(csvBytes / 2 ** 20).toFixed(0)} MiB, ${bins.toLocaleString("en-US")} non-empty 1 s bins, results checked equal)`;
    const duckName = `DuckDB, ${cores} threads`;
    const paired = `median of ${repeats} per-round ratios`;
    rows.push(
      {name: `DuckDB read_csv + GROUP BY 1 s, ${cores} threads: ${what}`, value: wall("duck"), unit: "s"},
      {name: "DuckDB read_csv + GROUP BY 1 s, 1 thread: same CSV", value: wall("duck1"), unit: "s", reference: {name: duckName, value: wall("duck")}},
      {name: `ours, ${cores} threads: readArchiveParallel (blocks of 4 MiB on ${cores} workers) + BinAccumulator 1 s, same CSV bytes (stored zip)`, value: wall("blocks"), unit: "s", reference: {name: duckName, value: wall("duck")}},
      {
        name: `ours (${cores} threads) / DuckDB (${cores} threads), wall time, parse + 1 s bins on the same CSV bytes (${paired})`,
        value: ratio("blocks", "duck"),
        unit: "×",
        target: `≤ ${RATIO_TARGET}×`,
        met: ratio("blocks", "duck") <= RATIO_TARGET
      },
      {name: "ours, 1 thread: readBinance + BinAccumulator 1 s, same CSV bytes (stored zip)", value: wall("ours"), unit: "s", reference: {name: "DuckDB, 1 thread", value: wall("duck1")}},
      {name: `ours (1 thread) / DuckDB (1 thread), wall time, same (${paired})`, value: ratio("ours", "duck1"), unit: "×", target: `≤ ${RATIO_TARGET}×`, met: ratio("ours", "duck1") <= RATIO_TARGET},
      {name: `ours (1 thread) / DuckDB (${cores} threads), wall time, same (${paired})`, value: ratio("ours", "duck"), unit: "×"},
      {name: `ours, ${cores} threads: parse + 1 s bins, CPU time`, value: cpu("blocks"), unit: "s CPU", reference: {name: `DuckDB CPU time, ${cores} threads`, value: cpu("duck")}},
      {name: "ours, 1 thread: parse + 1 s bins, CPU time", value: cpu("ours"), unit: "s CPU", reference: {name: "DuckDB CPU time, 1 thread", value: cpu("duck1")}},
      {name: "ours: throughput, parse + 1 s bins (same CSV bytes)", value: ours.rows / wall("ours"), unit: "rows/s", reference: {name: duckName, value: ours.rows / wall("duck")}},
      {name: "ours: readBinance alone (parse, no bins), same CSV bytes", value: wall("parse"), unit: "s", reference: {name: "ours, parse + bins", value: wall("ours")}},
      {name: "ours: readBinance + bins from the deflated zip (inflate included)", value: wall("zip"), unit: "s", reference: {name: "ours, same from the stored zip", value: wall("ours")}},
      {
        name: `ours: rows read by the reader's single-pass fast path (the others by its general path)`,
        value: (100 * ours.fast) / ours.rows,
        unit: "%"
      },
      {
        name: "ours: the same with the fast path off (every row by the general path: split, then parse each field)",
        value: wall("general"),
        unit: "s",
        reference: {name: "ours, with the fast path", value: wall("ours")}
      }
    );

    // 4. The same day as a build's one (venue, day) task: read, cleaned and written as its Parquet
    //    partition, its archive (deflated, as cached) read on this thread or in blocks on the workers.
    const resolved = await resolveSource(config);
    const piece = (name: string) => join(scratch, name);
    const task = await interleaved(
      {
        one: () => cleanVenueDay(config, resolved, "binance", day, piece("one"), {}, () => {}),
        blocks: () => cleanVenueDay(config, resolved, "binance", day, piece("blocks"), {}, () => {}, () => {}, {pool})
      },
      repeats
    );
    const partsOne = partitionFiles(piece("one")), partsBlocks = partitionFiles(piece("blocks"));
    if (partsOne.length !== partsBlocks.length || partsOne.some((f, i) => !readFileSync(f).equals(readFileSync(partsBlocks[i]))))
      throw new Error("cleanVenueDay: the partitions written on one thread and in blocks differ");
    const taskRatio = pairedRatio(task.blocks, task.one);
    rows.push(
      {name: `one (venue, day) task, cleanVenueDay(binance, ${day}) from the deflated zip, archive read on 1 thread (partitions checked equal)`, value: median(task.one.wall), unit: "s", reference: {name: "CPU time", value: median(task.one.cpu)}},
      {
        name: `the same, archive read in blocks on ${cores} workers while this thread inflates and cleans (${paired}: ${taskRatio.toFixed(2)}×)`,
        value: median(task.blocks.wall),
        unit: "s",
        reference: {name: "CPU time", value: median(task.blocks.cpu)}
      }
    );
  } finally {
    await pool.close();
    rmSync(scratch, {recursive: true, force: true});
  }
  return rows;
}
