/**
 * The multi-day aggregation on an existing engine: 1 s bins and the 100 ms flow (net signed count
 * and last price) of every venue, computed from the build's Parquet trade partitions by DuckDB SQL
 * (`read_parquet` with hive partitioning, `GROUP BY venue, bin`) against the project's own
 * aggregation (`readTradeBatches` into `BinAccumulator`, as `aggregateVenue` does) — docs/scale.md.
 *
 * Data: BENCH_SCALE_DAYS whole simulated days (default 2, from 2024-08-05) at BENCH_SCALE_RATE
 * times the default rates (default 1), built once by `ensureDerived` under
 * `<tmpdir>/cve-bench-scale/` and reused while the build's key is unchanged (not timed).
 * BENCH_REPEATS rounds (default 3) after a warm-up round, methods in a rotating order: ours on one
 * thread, DuckDB on one thread and on one per core. Both produce their results in memory (ours as
 * typed arrays, DuckDB as a table). Every non-empty bin is checked to agree (counts exactly,
 * prices exactly, volumes and VWAP to 1e-9 relative: DuckDB sums in another order) before any time
 * is reported.
 */
import {availableParallelism, tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {BinAccumulator, type BinColumns} from "../loaders/aggregate/bins.ts";
import {loadConfig, type Venue} from "../loaders/config.ts";
import {ensureDerived, readManifest} from "../loaders/derived.ts";
import {readTradeBatches, sqlString, tradesRoot, venueTradeFiles} from "../loaders/parquet.ts";
import type {TradeBatch} from "../loaders/trades.ts";
import {envInt, median} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

/** Non-empty bins of one venue and width, keyed by bin index. */
interface Bins {
  index: Float64Array;
  n_buy: Float64Array;
  n_sell: Float64Array;
  v_buy: Float64Array;
  v_sell: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  vwap: Float64Array;
}
const FIELDS = ["index", "n_buy", "n_sell", "v_buy", "v_sell", "open", "high", "low", "close", "vwap"] as const;

/** Ours: a venue's partitions read once into 1 s and 100 ms accumulators; the non-empty bins of each. */
async function ours(dir: string, venue: Venue, t0: number, t1: number): Promise<Record<number, Bins>> {
  const out: Record<number, Bins> = {};
  const parts: Record<number, BinColumns[]> = {1000: [], 100: []};
  const accs = [1000, 100].map((w) => new BinAccumulator({t0, t1, widthMs: w}, (c) => parts[w].push(c)));
  for await (const b of readTradeBatches(venueTradeFiles(dir, venue), ["time", "price", "qty", "side"])) {
    const batch = {venue, length: b.length, ...b.columns} as unknown as TradeBatch;
    for (const a of accs) a.add(batch);
  }
  for (const a of accs) a.finish();
  for (const w of [1000, 100]) {
    let n = 0;
    for (const c of parts[w]) for (let i = 0; i < c.length; ++i) if (c.open[i] === c.open[i]) ++n;
    const r = Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(n)])) as unknown as Bins;
    let k = 0;
    for (const c of parts[w])
      for (let i = 0; i < c.length; ++i) {
        if (c.open[i] !== c.open[i]) continue;
        r.index[k] = (c.t[i] - t0) / w;
        for (const f of FIELDS) if (f !== "index") r[f][k] = c[f][i];
        ++k;
      }
    out[w] = r;
  }
  return out;
}

/** The SQL of the bins of width `w` over every partition (non-empty bins, ordered by venue and bin). */
function binsSql(glob: string, t0: number, t1: number, w: number): string {
  // First and last trade of a bin in file order: a bin never straddles two days (a day is a whole
  // number of bins from the span's midnight start), and `seq` numbers a day's trades in the order
  // the build wrote them — time order, ties as the archive had them.
  const order = "seq";
  return `SELECT venue, CAST(floor((time - ${t0}) / ${w}) AS BIGINT) AS bin,
      count(*) FILTER (WHERE side > 0) AS n_buy, count(*) FILTER (WHERE side < 0) AS n_sell,
      coalesce(sum(qty) FILTER (WHERE side > 0), 0) AS v_buy, coalesce(sum(qty) FILTER (WHERE side < 0), 0) AS v_sell,
      arg_min(price, ${order}) AS open, max(price) AS high, min(price) AS low, arg_max(price, ${order}) AS close,
      sum(price * qty) / sum(qty) AS vwap
    FROM read_parquet(${sqlString(glob)}, hive_partitioning = true)
    WHERE time >= ${t0} AND time < ${t1}
    GROUP BY venue, bin`;
}

async function duck(con: DuckDBConnection, glob: string, t0: number, t1: number): Promise<void> {
  await con.run(`CREATE OR REPLACE TEMP TABLE b1000 AS ${binsSql(glob, t0, t1, 1000)}`);
  await con.run(`CREATE OR REPLACE TEMP TABLE b100 AS ${binsSql(glob, t0, t1, 100)}`);
}

/** DuckDB's table `b<w>` of one venue as non-empty bins in bin order. */
async function duckBins(con: DuckDBConnection, venue: Venue, w: number): Promise<Bins> {
  const r = await con.runAndReadAll(`SELECT bin, n_buy, n_sell, v_buy, v_sell, open, high, low, close, vwap FROM b${w} WHERE venue = ${sqlString(venue)} ORDER BY bin`);
  const cols = r.getColumnsJS() as unknown[][];
  return Object.fromEntries(FIELDS.map((f, k) => [f, Float64Array.from(cols[k], Number)])) as unknown as Bins;
}

function check(venue: Venue, w: number, a: Bins, b: Bins): void {
  const what = `scale: ${venue} ${w} ms bins`;
  if (a.index.length !== b.index.length) throw new Error(`${what}: ${a.index.length} non-empty bins (ours) against ${b.index.length} (DuckDB)`);
  for (const f of FIELDS)
    for (let i = 0; i < a.index.length; ++i) {
      const x = a[f][i], y = b[f][i];
      const exact = f !== "v_buy" && f !== "v_sell" && f !== "vwap";
      if (exact ? x !== y : Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) throw new Error(`${what}: ${f} of bin ${a.index[i]}: ours ${x}, DuckDB ${y}`);
    }
}

export default async function (): Promise<BenchRow[]> {
  const days = envInt("BENCH_SCALE_DAYS", 2, 1, 31);
  const repeats = envInt("BENCH_REPEATS", 3, 1, 20);
  const rate = Number(process.env.BENCH_SCALE_RATE ?? "1");
  const end = new Date(Date.parse("2024-08-05T00:00:00Z") + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const config = loadConfig({
    CVE_START: "2024-08-05",
    CVE_END: end,
    CVE_SOURCE: "simulated",
    CVE_SIM_RATE_SCALE: String(rate),
    CVE_DATA_DIR: join(tmpdir(), "cve-bench-scale")
  });
  const dir = await ensureDerived(config);
  const m = readManifest(dir);
  const [t0, t1] = m.span;
  const venues = m.venues;
  const trades = venues.reduce((s, v) => s + (m.perVenue[v]?.trades ?? 0), 0);
  const glob = join(tradesRoot(dir), "*", "*", "*.parquet");
  const cores = availableParallelism();
  const dbs = {duck1: await DuckDBInstance.create(":memory:", {threads: "1"}), duckN: await DuckDBInstance.create(":memory:", {threads: String(cores)})};
  const cons = {duck1: await dbs.duck1.connect(), duckN: await dbs.duckN.connect()};
  const results: Record<string, Record<number, Bins>> = {};
  const methods = {
    ours: async () => {
      for (const v of venues) results[v] = await ours(dir, v, t0, t1);
    },
    duck1: () => duck(cons.duck1, glob, t0, t1),
    duckN: () => duck(cons.duckN, glob, t0, t1)
  };
  type M = keyof typeof methods;
  const names = Object.keys(methods) as M[];
  const times: Record<M, {wall: number[]; cpu: number[]}> = {ours: {wall: [], cpu: []}, duck1: {wall: [], cpu: []}, duckN: {wall: [], cpu: []}};
  try {
    for (let round = 0; round <= repeats; ++round) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const cpu = process.cpuUsage();
        const t = performance.now();
        await methods[name]();
        const wall = (performance.now() - t) / 1000;
        const u = process.cpuUsage(cpu);
        if (round > 0) (times[name].wall.push(wall), times[name].cpu.push((u.user + u.system) / 1e6));
      }
    }
    let bins = 0;
    for (const v of venues)
      for (const w of [1000, 100]) {
        for (const c of ["duck1", "duckN"] as const) check(v, w, results[v][w], await duckBins(cons[c], v, w));
        bins += results[v][w].index.length;
      }
    const ratio = (a: M, b: M) => median(times[a].wall.map((x, i) => x / times[b].wall[i]));
    const what = `${days} d × ${venues.length} venues, ${(trades / 1e6).toFixed(1)}M trades, ${(bins / 1e6).toFixed(2)}M non-empty bins checked equal`;
    return [
      {name: `1 s bins + 100 ms flow from the Parquet partitions, ours (readTradeBatches + BinAccumulator, 1 thread), ${what}`, value: median(times.ours.wall), unit: "s", reference: {name: "DuckDB SQL, 1 thread", value: median(times.duck1.wall)}},
      {name: `the same, DuckDB SQL on ${cores} threads`, value: median(times.duckN.wall), unit: "s", reference: {name: "ours, 1 thread", value: median(times.ours.wall)}},
      {name: "ours / DuckDB (1 thread), median per-round ratio of wall times", value: ratio("ours", "duck1"), unit: "×"},
      {name: `ours / DuckDB (${cores} threads), median per-round ratio of wall times`, value: ratio("ours", "duckN"), unit: "×"},
      {name: "ours: throughput (trades aggregated per second, 1 thread)", value: trades / median(times.ours.wall), unit: "trades/s", reference: {name: "DuckDB, 1 thread", value: trades / median(times.duck1.wall)}},
      {name: "CPU time: ours", value: median(times.ours.cpu), unit: "s CPU", reference: {name: `DuckDB, ${cores} threads`, value: median(times.duckN.cpu)}}
    ];
  } finally {
    for (const c of Object.values(cons)) c.closeSync();
    for (const d of Object.values(dbs)) d.closeSync();
  }
}
