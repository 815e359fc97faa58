/**
 * Generating simulated archives: the simulator's trades of every venue written as that venue's
 * archives (the work of `ensureSimulatedArchives`, here on one thread, venue after venue), by the
 * writers (rows formatted as bytes, deflate level 1) against the previous method
 * (`reference/string-archives.ts`: a template string per row, deflate level 6) in the same process.
 *
 * BENCH_ARCHIVE_HOURS hours (default 6) of the default day at the default rates; BENCH_REPEATS
 * rounds (default 3) after one warm-up round, the two methods in alternating order; wall and CPU
 * times (the process's, so zlib's threads count) are medians, and the target is judged on the
 * median of the per-round ratios. Before any time is reported, the decompressed text of every
 * file is checked identical between the two methods (only the compression differs).
 */
import {mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadConfig, type ArchiveVenue} from "../loaders/config.ts";
import {gunzipChunks, zipEntryChunks} from "../loaders/formats/archive.ts";
import {archiveFormat} from "../loaders/formats/index.ts";
import {planMarket, simulateVenue} from "../loaders/simulate/index.ts";
import {writeArchivesOld} from "./reference/string-archives.ts";
import {envInt, median} from "./support/env.ts";
import type {BenchRow} from "./types.ts";

const RATIO_TARGET = 3;

async function text(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of path.endsWith(".zip") ? zipEntryChunks(path) : gunzipChunks(path)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

export default async function (): Promise<BenchRow[]> {
  const hours = envInt("BENCH_ARCHIVE_HOURS", 6, 1, 24);
  const repeats = envInt("BENCH_REPEATS", 3, 1, 20);
  const scratch = mkdtempSync(join(tmpdir(), "cve-bench-archives-"));
  try {
    const config = loadConfig({CVE_HOURS: String(hours), CVE_SOURCE: "simulated", CVE_DATA_DIR: join(scratch, "data"), CVE_VENUES: "binance,bybit,okx,coinbase"});
    const plan = planMarket(config);
    const venues = config.venues as ArchiveVenue[];
    const methods = {
      old: (v: ArchiveVenue, dir: string) => writeArchivesOld(v, simulateVenue(plan, v), dir, config.symbol),
      new: (v: ArchiveVenue, dir: string) => archiveFormat(v).write(simulateVenue(plan, v), dir, config.symbol)
    };
    type M = keyof typeof methods;
    const times: Record<M, {wall: number[]; cpu: number[]}> = {old: {wall: [], cpu: []}, new: {wall: [], cpu: []}};
    let rows = 0;
    for (const v of venues) for (const b of simulateVenue(plan, v)) rows += b.length;
    for (let round = 0; round <= repeats; ++round) {
      const order: M[] = round % 2 === 0 ? ["old", "new"] : ["new", "old"];
      for (const m of order) {
        const dir = join(scratch, m);
        rmSync(dir, {recursive: true, force: true});
        const cpu = process.cpuUsage();
        const t = performance.now();
        for (const v of venues) await methods[m](v, join(dir, v));
        const wall = (performance.now() - t) / 1000;
        const u = process.cpuUsage(cpu);
        if (round > 0) (times[m].wall.push(wall), times[m].cpu.push((u.user + u.system) / 1e6));
      }
    }
    // Same text in every file; sizes of each method's files.
    const bytes = {old: 0, new: 0};
    for (const v of venues) {
      const names = readdirSync(join(scratch, "new", v)).sort();
      const oldNames = readdirSync(join(scratch, "old", v)).sort();
      if (names.join() !== oldNames.join()) throw new Error(`archives: ${v}: the methods wrote other files (${names} vs ${oldNames})`);
      for (const n of names) {
        const a = join(scratch, "old", v, n), b = join(scratch, "new", v, n);
        if (!(await text(a)).equals(await text(b))) throw new Error(`archives: ${v} ${n}: the text differs between the methods`);
        bytes.old += statSync(a).size;
        bytes.new += statSync(b).size;
      }
    }
    const ratio = median(times.old.wall.map((o, i) => o / times.new.wall[i]));
    const what = `${hours} h of the default day, 4 venues, ${(rows / 1e6).toFixed(2)}M trades (text checked identical)`;
    return [
      {
        name: `simulated archives generated (simulate + format + compress), ${what}: wall`,
        value: median(times.new.wall),
        unit: "s",
        reference: {name: "template strings + deflate level 6", value: median(times.old.wall)},
        target: `≥ ${RATIO_TARGET}× faster (median per-round ratio ${ratio.toFixed(2)}×)`,
        met: ratio >= RATIO_TARGET
      },
      {name: "simulated archives generated: CPU (process, zlib threads included)", value: median(times.new.cpu), unit: "s", reference: {name: "template strings + deflate level 6", value: median(times.old.cpu)}},
      {name: `simulated archives: bytes on disk, ${hours} h`, value: bytes.new / 1e6, unit: "MB", reference: {name: "deflate level 6", value: bytes.old / 1e6}}
    ];
  } finally {
    rmSync(scratch, {recursive: true, force: true});
  }
}
