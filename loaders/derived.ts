/**
 * The derived-data pipeline: one run per configuration key, from venue archives to the Arrow
 * and JSON files of docs/data.md, and the Node-side readers of those files.
 *
 * `ensureDerived(config)` resolves the source (real archives or the simulated market, see
 * `source-resolve.ts`), computes the key — sha256 of the configuration (without `dataDir` and
 * `offline`, which do not change the data, and with the resolved source), of the simulated set's
 * key or the real archives' names, sizes and content hashes (`archive-hash.ts`), and of every file under `lib/` and `loaders/`,
 * sorted by path — and returns `<dataDir>/derived/<key>/` when it is complete (`DONE`).
 * Otherwise, holding a lock (a second caller waits), it reads every (venue, day) archive through
 * the venue's format, cleans it (`clean.ts`), writes the cleaned trades as one zstd Parquet
 * partition per (venue, day) (`parquet.ts`), then the fixed bins per venue,
 * and the browser files under `site/`, all into a temporary folder renamed into place at the end,
 * so no partial folder ever carries the final name. (Venue, day) pairs are independent: for
 * large builds they are cleaned in worker threads, one per core (`workers` overrides), venue by
 * venue, largest first; each task bins its day as it writes it and the days are put together in
 * order (`aggregate/day.ts`; a span off the bins' grid reads each venue's days back in order and
 * bins them in one pass instead, {@link aggregateVenue}). A build of a single
 * large (venue, day) has one task: its archive is then read in blocks on one thread per core
 * (`blockReaders`, `formats/parallel.ts`) while this thread cleans. The output does not depend
 * on the number of workers or block readers. Progress lines go to stderr.
 *
 * Files (per docs/data.md): `manifest.json`, `quality.json`, `truth.json` (null for real data),
 * `trades/venue=<venue>/day=<day>/part-<k>.parquet`, `bins-<venue>-<w>ms.arrow` (every configured width but the flow
 * matrix's 100 ms, {@link binFileWidths}); and for the site (streamed by the thin
 * loaders of `src/data/`): `site/manifest.json` (manifest with quality summary and truth),
 * `site/bins-1000ms.arrow`, `site/flow-100ms.arrow`, `site/overview.arrow`, `site/quality.json`,
 * `site/truth.json`, `site/trades-sample.arrow`.
 */
import {availableParallelism} from "node:os";
import {createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {once} from "node:events";
import {basename, join, relative} from "node:path";
import {BinAccumulator, BIN_FIELDS, binCount, type BinColumns} from "./aggregate/bins.ts";
import {dayAggregateBuffers, dayAligned, DayAggregator, VenueAssembler, type DayAggregate, type DayAggregateOptions, type VenueAggregates} from "./aggregate/day.ts";
import {FlowMatrix} from "./aggregate/flow.ts";
import {planMarket} from "./simulate/index.ts";
import {OverviewAccumulator} from "./aggregate/overview.ts";
import {ArrowStreamWriter, readArrowBatches, type ColumnSpec, type TypedColumn} from "./arrow.ts";
import {TradeCleaner, type CleanOptions} from "./clean.ts";
import {configDays, configSpan, loadConfig, type AnalysisConfig, type Venue} from "./config.ts";
import {canonicalJSON, hashModuleGraph} from "./fingerprint.ts";
import {archiveFileSpan, readArchive, type ReadOptions} from "./formats/index.ts";
import {readInput} from "./inputs.ts";
import {blockReaderPool, readArchiveParallel} from "./formats/parallel.ts";
import {checkArchiveMarket} from "./formats/symbol.ts";
import {priceLevelIssues, priceLevelMessage} from "./price-level.ts";
import {QUALITY_LIMITS, qualityGate, summarizeQuality, type QualityRecord, type QualitySummary} from "./quality.ts";
import {
  archivePathsForDay,
  ensureSimulatedArchives,
  PARALLEL_MIN_WORK,
  resolveSource,
  simulatedRoot,
  SourceError,
  venueConcurrency,
  withLock,
  type ResolvedSource,
  type ResolveOptions
} from "./source-resolve.ts";
import {serveTask, TaskPool} from "./task-pool.ts";
import {allocBatch, newQuarantine, pushTrade, tradeAt, type TradeBatch, type TradeColumns} from "./trades.ts";
import {makeDir} from "./writable.ts";
import {ParquetTradeWriter, readTradeBatches, tradePartition, tradesRoot, venueTradeFiles, type TradeColumnName} from "./parquet.ts";
import {readManifest, type Manifest, type PerVenueSummary, type SiteManifest} from "./market.ts";

export {readBins, readManifest, readQuality, readTrades, readTruth, type Manifest, type PerVenueSummary, type SiteManifest} from "./market.ts";

/** Columns of `bins-<venue>-<w>ms.arrow`. */
export const BIN_COLUMNS: readonly ColumnSpec[] = BIN_FIELDS.map((name) => ({
  name,
  type: name === "n_buy" || name === "n_sell" ? "Int32" : "Float64"
}));

/** The browser files written under `site/`, each streamed by one loader in `src/data/`. */
export const SITE_FILES = [
  "manifest.json",
  "bins-1000ms.arrow",
  "flow-100ms.arrow",
  "overview.arrow",
  "quality.json",
  "truth.json",
  "trades-sample.arrow"
] as const;
export type SiteFile = (typeof SITE_FILES)[number];

/** Step of the overview series, ms. */
export const OVERVIEW_STEP_MS = 10_000;
/** Row budget of `trades-sample.arrow` (all venues; 22 bytes a row, so under 10 MB). */
export const SAMPLE_MAX_ROWS = 450_000;
/**
 * Width of the 100 ms flow matrix, ms. Its bins are kept as the flow matrix only
 * (`site/flow-100ms.arrow`: net count and last price of every venue), not as per-venue bin files:
 * at 864,000 bins a day and 80 bytes a bin those were 276.5 MB a day for four venues, whatever
 * the trade rates, and no chapter read them (a reader that wants the 100 ms OHLC bins aggregates
 * the Parquet partitions, docs/scale.md).
 */
export const FLOW_WIDTH_MS = 100;

/** The bin widths of `config` written as `bins-<venue>-<w>ms.arrow`: all but {@link FLOW_WIDTH_MS}. */
export function binFileWidths(config: Pick<AnalysisConfig, "binWidthsMs">): number[] {
  return config.binWidthsMs.filter((w) => w !== FLOW_WIDTH_MS);
}

/** Bins per record batch of the bins files (and the alignment of their batches across venues). */
const CHUNK_BINS = 65_536;

export interface DerivedOptions extends ResolveOptions {
  /** Cleaner options other than the span (reorder horizon, outlier threshold, gap threshold). */
  clean?: Omit<CleanOptions, "span">;
  /** Row budget of the trades sample. */
  sampleMaxRows?: number;
  /** Tasks — (venue, day) cleanings and venue aggregations — run at once (worker threads when above 1); default: one per core for large builds, else 1. */
  workers?: number;
  /**
   * Threads that read a day's archives in blocks (`formats/parallel.ts`) when the build is a
   * single (venue, day), cleaned on this thread; default: one per core when that day is large
   * (and `workers` is not given), else none. Other builds keep the cores busy with their tasks.
   */
  blockReaders?: number;
  /** Block size of the block readers, bytes of decompressed text (default 4 MiB). */
  blockBytes?: number;
}

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

/** The default downloader of missing real archives: `fetchData` of `npm run fetch-data`, loaded only when needed. */
export async function downloadMissing(config: AnalysisConfig): Promise<void> {
  const {fetchData, formatSummary} = await import("./fetch-data.ts");
  const summary = await fetchData(config);
  if (summary.exitCode !== 0) throw new SourceError(`source "real": downloading the missing archives failed:\n${formatSummary(summary, config)}`);
}

/**
 * The configuration as it enters the key and the manifest: only what the pipeline reads, so
 * that changing an analysis setting (windows, surrogates) or the cache location reuses the data.
 */
function keyedConfig(config: AnalysisConfig): Omit<AnalysisConfig, "dataDir" | "offline" | "windowsSec" | "surrogates" | "quality"> {
  const {dataDir: _d, offline: _o, windowsSec: _w, surrogates: _s, quality: _q, ...rest} = config;
  return rest;
}

/** The derived key of `config` with its resolved source (64 hex digits). */
export function derivedKey(config: AnalysisConfig, resolved: ResolvedSource): string {
  const inputs = {
    config: {...keyedConfig(config), source: resolved.source},
    simKey: resolved.simKey ?? null,
    archives: resolved.archives ?? null
  };
  // Only the files the pipeline imports: editing a chapter module or an unrelated kernel keeps the data.
  return hashModuleGraph(["loaders/derived.ts"], canonicalJSON(inputs));
}

/** `<dataDir>/derived`. */
export function derivedRoot(dataDir: string): string {
  return join(dataDir, "derived");
}

/**
 * Returns the folder of the derived data of `config`, building it first when absent (see the
 * module comment). Safe to call from several processes at once: one builds, the others wait.
 * Then applies the quality gate: data past the limits of `QUALITY_LIMITS` throws `DataError`
 * naming the file and the reason, unless `config.quality` is `"warn"`.
 */
export async function ensureDerived(config: AnalysisConfig = loadConfig(), options: DerivedOptions = {}): Promise<string> {
  const dir = await ensureDerivedFolder(config, options);
  qualityGate(readManifest(dir).quality, config.quality ?? "fail");
  return dir;
}

/** Derived folders built by this process (their quality lines are already on stderr). */
const builtHere = new Set<string>();

/** Logs a build's quality warnings and failures on stderr, one line each. */
function logQuality(quality: QualitySummary, log: (line: string) => void): void {
  for (const w of quality.warnings) log(`quality warning: ${w}`);
  for (const f of quality.failures) log(`quality failure: ${f}`);
}

async function ensureDerivedFolder(given: AnalysisConfig, options: DerivedOptions): Promise<string> {
  const log = options.log ?? stderrLog;
  const resolved = await resolveSource(given, {download: downloadMissing, ...options, log});
  // A build from CVE_INPUTS runs on the inputs' markets and span.
  const config = resolved.config ?? given;
  const key = derivedKey(config, resolved);
  const root = derivedRoot(config.dataDir);
  const dir = join(root, key);
  if (existsSync(join(dir, "DONE"))) return dir;
  makeDir(root);
  return withLock(join(root, `.${key}.lock`), async (beat) => {
    if (existsSync(join(dir, "DONE"))) return dir;
    for (const name of readdirSync(root)) if (name.startsWith(`.tmp-${key.slice(0, 16)}-`)) rmSync(join(root, name), {recursive: true, force: true});
    const started = performance.now();
    log(`derived: building ${key.slice(0, 12)} (${resolved.source}; ${resolved.reason})`);
    if (resolved.source === "simulated") await ensureSimulatedArchives(config, resolved.simKey, log, options.workers);
    const tmp = join(root, `.tmp-${key.slice(0, 16)}-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(join(tmp, "site"), {recursive: true});
    try {
      logQuality(await buildDerived(config, resolved, key, tmp, {...options, log}, beat), log);
      writeFileSync(join(tmp, "DONE"), `${key}\n`);
      rmSync(dir, {recursive: true, force: true});
      renameSync(tmp, dir);
      builtHere.add(dir);
    } catch (error) {
      rmSync(tmp, {recursive: true, force: true});
      throw error;
    }
    log(`derived: ${key.slice(0, 12)} complete in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return dir;
  }, {log});
}

/** The sample window: the `maxMinutes` (at most) ending at `end`, or the busiest such window, within the row budget. */
export function chooseSampleWindow(
  minuteCounts: ArrayLike<number>,
  {end, maxRows, maxMinutes = 60}: {end?: number; maxRows: number; maxMinutes?: number}
): {startMinute: number; endMinute: number; rows: number} {
  const n = minuteCounts.length;
  if (n === 0) throw new RangeError("invalid minuteCounts: empty");
  if (!(maxRows > 0)) throw new RangeError(`invalid maxRows: ${maxRows}`);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + minuteCounts[i];
  const sum = (a: number, b: number) => prefix[b] - prefix[a];
  if (end !== undefined) {
    const e = Math.max(1, Math.min(n, end));
    for (let len = Math.min(maxMinutes, e); len >= 1; --len) if (sum(e - len, e) <= maxRows || len === 1) return {startMinute: e - len, endMinute: e, rows: sum(e - len, e)};
  }
  for (let len = Math.min(maxMinutes, n); len >= 1; --len) {
    let best = 0;
    for (let a = 1; a + len <= n; ++a) if (sum(a, a + len) > sum(best, best + len)) best = a;
    if (sum(best, best + len) <= maxRows || len === 1) return {startMinute: best, endMinute: best + len, rows: sum(best, best + len)};
  }
  throw new Error("unreachable");
}

/**
 * Start of the planted crash: `truth.events.crashStart`, else the configured fraction of the span;
 * undefined when no crash was planted (`CVE_SIM_CRASH=none`).
 */
function crashStart(config: AnalysisConfig, truth: unknown): number | undefined {
  const [t0, t1] = configSpan(config);
  const e = (truth as {events?: {crash?: unknown; crashStart?: unknown}} | null)?.events;
  if (e?.crash === "none" || (!e && config.simulation.crashMode === "none")) return undefined;
  const t = e?.crashStart;
  return typeof t === "number" ? t : t0 + Math.round(config.simulation.crash[0] * (t1 - t0));
}

const fmtInt = (x: number) => Math.round(x).toLocaleString("en-US");

/** Expected trades of the simulated market over the span, all venues (from the plan). */
function expectedTrades(config: AnalysisConfig): number {
  const plan = planMarket(config);
  return config.venues.reduce((s, v) => s + (plan.truth.venueParams[v]?.expectedTrades ?? 0), 0);
}

/** What processing one venue leaves for the build-wide files: its aggregates (overview every {@link OVERVIEW_STEP_MS}) and its quality rows, one per day. */
export interface VenueResult extends VenueAggregates {
  records: QualityRecord[];
}

/** The part of a UTC day inside the configured span, or undefined when they do not meet. */
function daySpan(config: AnalysisConfig, day: string): [number, number] | undefined {
  const [t0, t1] = configSpan(config);
  const d0 = Date.parse(`${day}T00:00:00Z`);
  const span: [number, number] = [Math.max(d0, t0), Math.min(d0 + 86_400_000, t1)];
  return span[0] < span[1] ? span : undefined;
}

/**
 * Reads and cleans one (venue, day): every archive of the day, checked to hold the configured
 * market (`formats/symbol.ts`), through the venue's format, then the cleaner (which quarantines
 * rows outside the file's own day); writes the cleaned, time-sorted trades to the partition folder
 * `path` (zstd Parquet parts, `parquet.ts`) and returns the day's quality row. Days are independent: the cleaner
 * starts afresh each day. With `binned`, the day's cleaned trades are also binned there as they are
 * written (aggregate/day.ts), so that the build need not read the partition back to bin it.
 *
 * The cleaner streams, sorting disorder up to its reorder horizon. An archive in another order
 * (a Bybit file written newest first, say) would lose every row that arrives later than that
 * horizon; rows are never dropped for their order alone, so when the streaming pass finds any,
 * each of the day's files is read again whole and sorted by time (stably, so equal times keep
 * their file order) before the cleaner, and the log says so.
 */
export async function cleanVenueDay(
  config: AnalysisConfig,
  resolved: ResolvedSource,
  venue: Venue,
  day: string,
  path: string,
  clean: DerivedOptions["clean"] = {},
  log: (line: string) => void = stderrLog,
  beat: () => void = () => {},
  blockReaders?: {pool: TaskPool; blockBytes?: number},
  binned?: DayAggregator
): Promise<QualityRecord> {
  const span = daySpan(config, day);
  if (!span) throw new RangeError(`invalid day: ${day} is outside the configured span`);
  const started = performance.now();
  const paths = archivePathsForDay(resolved, venue, day, config.symbol);
  const input = (p: string) => resolved.inputs?.find((f) => f.path === p);
  const read = (p: string, q: ReturnType<typeof newQuarantine>, o: ReadOptions) => {
    const f = input(p);
    return f ? readInput(f, q, o) : readArchive(venue, p, q, o);
  };
  const pass = async (sorted: boolean): Promise<QualityRecord> => {
    const trades = await ParquetTradeWriter.open(path);
    const q = newQuarantine();
    const cleaner = new TradeCleaner(venue, {...clean, span}, q);
    binned?.reset();
    // Each batch is copied (cleaner) or written out (trades) before the next is requested, so the
    // reader's and the cleaner's batches are reused.
    const emit = async (batches: TradeBatch[]) => {
      for (const b of batches) {
        binned?.add(b);
        await trades.write(b as unknown as Record<TradeColumnName, TypedColumn>, b.length);
        cleaner.recycle(b);
      }
    };
    try {
      for (const p of paths) {
        // Inputs are placed by their content (inputs.ts); archives must hold the configured market.
        if (!input(p)) await checkArchiveMarket(venue, p, config.symbol);
        cleaner.beginFile(sorted ? `${basename(p)} (sorted by time)` : basename(p), input(p) ? undefined : archiveFileSpan(venue, basename(p)));
        if (sorted) for (const batch of await sortedFile(venue, p, q, beat, read)) await emit(cleaner.push(batch));
        else {
          const batches = blockReaders && !input(p) ? readArchiveParallel(venue, p, q, {reuseBatches: true, ...blockReaders}) : read(p, q, {reuseBatches: true});
          for await (const batch of batches) {
            await emit(cleaner.push(batch));
            beat();
          }
        }
      }
      await emit(cleaner.finish());
      await trades.close();
    } finally {
      trades.abort();
    }
    return cleaner.record(day);
  };
  let r = await pass(false);
  if (r.outOfOrder > 0) {
    log(`derived: ${venue} ${day}: ${fmtInt(r.outOfOrder)} rows arrived later than the cleaner's reorder horizon; reading the day again, sorted by time`);
    r = await pass(true);
  }
  const sec = (performance.now() - started) / 1000;
  log(
    `derived: ${venue} ${day}: ${fmtInt(r.kept)} trades kept of ${fmtInt(r.rowsRead)} rows read from ${paths.length} file(s) in ${sec.toFixed(1)} s (${fmtInt(r.rowsRead / Math.max(sec, 1e-3))} rows/s)` +
      (r.duplicates + r.outOfOrder + r.priceOutliers + r.invalid + r.parseErrors + r.wrongDay > 0
        ? `; dropped ${fmtInt(r.duplicates)} duplicates, quarantined ${fmtInt(r.outOfOrder)} out of order, ${fmtInt(r.priceOutliers)} outliers, ${fmtInt(r.invalid + r.parseErrors)} invalid, ${fmtInt(r.wrongDay)} outside the file's day`
        : "") +
      (r.outsideSpan > 0 ? `; ${fmtInt(r.outsideSpan)} outside the analysed span (expected)` : "")
  );
  return r;
}

/**
 * Every row of one archive, stably sorted by time (equal times keep their file order), in batches
 * of 65,536: the cleaner's input when the file is not in time order. Memory grows with the file
 * (about 80 bytes a row while sorting). The files of a day cover consecutive spans (OKX's two
 * UTC+8 days), so sorting each file puts the day in order.
 */
async function sortedFile(
  venue: Venue,
  path: string,
  q: ReturnType<typeof newQuarantine>,
  beat: () => void,
  read: (p: string, q: ReturnType<typeof newQuarantine>, o: ReadOptions) => AsyncGenerator<TradeBatch> = (p, q, o) => readArchive(venue, p, q, o)
): Promise<TradeBatch[]> {
  const parts: TradeBatch[] = [];
  for await (const b of read(path, q, {})) {
    parts.push(b);
    beat();
  }
  const n = parts.reduce((s, b) => s + b.length, 0);
  const all = allocBatch(venue, n);
  for (const b of parts) for (let i = 0; i < b.length; ++i) pushTrade(all, tradeAt(b, i));
  const order = new Int32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  const time = all.time;
  order.sort((a, b) => time[a] - time[b] || a - b);
  const out: TradeBatch[] = [];
  for (let j = 0; j < n; j += SORTED_BATCH) {
    const b = allocBatch(venue, Math.min(SORTED_BATCH, n - j));
    for (let k = j; k < j + b.time.length; ++k) pushTrade(b, tradeAt(all, order[k]));
    out.push(b);
  }
  return out;
}
const SORTED_BATCH = 65_536;

/**
 * Aggregates a venue's cleaned days (its Parquet partitions, in day order, each from
 * {@link cleanVenueDay}) into `bins-<venue>-<w>ms.arrow`, the 100 ms flow columns, the overview
 * and the trades per minute. The bins see the trades in the same order as if the venue had been
 * processed in one pass, so the files do not depend on how the days were scheduled.
 */
export async function aggregateVenue(
  config: AnalysisConfig,
  venue: Venue,
  dir: string,
  log: (line: string) => void = stderrLog
): Promise<Omit<VenueResult, "records">> {
  const started = performance.now();
  const [t0, t1] = configSpan(config);
  const widths = [...config.binWidthsMs];
  const flow = new FlowMatrix([venue], binCount(t0, t1, 100));
  const minutes = new Float64Array(Math.ceil((t1 - t0) / 60_000));
  const ov = new OverviewAccumulator({t0, t1, stepMs: OVERVIEW_STEP_MS, widthMs: 1000});
  const binFiles = widths.map((w) => (w === FLOW_WIDTH_MS ? null : new ArrowStreamWriter(join(dir, `bins-${venue}-${w}ms.arrow`), BIN_COLUMNS)));
  const accs = widths.map((w, k) => {
    let offset = 0;
    return new BinAccumulator({t0, t1, widthMs: w, chunkBins: CHUNK_BINS}, (c: BinColumns) => {
      binFiles[k]?.write(c as unknown as Record<string, TypedColumn>, c.length);
      if (w === FLOW_WIDTH_MS) flow.add(venue, offset, c);
      if (w === 1000) ov.add(c);
      offset += c.length;
    });
  });
  let rows = 0;
  const files = venueTradeFiles(dir, venue);
  // The columns the bins and counts use (not the ids).
  for await (const {length, columns} of readTradeBatches(files, ["time", "price", "qty", "side"])) {
    const b = {venue, length, ...columns} as unknown as TradeBatch;
    for (const a of accs) a.add(b);
    const time = b.time;
    for (let i = 0; i < length; ++i) ++minutes[Math.floor((time[i] - t0) / 60_000)];
    rows += length;
  }
  for (const a of accs) a.finish();
  for (const f of binFiles) f?.close();
  log(`derived: ${venue}: ${fmtInt(rows)} trades of ${files.length} Parquet part(s) binned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {venue, rows, flowNet: flow.net[venue]!, flowCount: flow.count[venue]!, flowLast: flow.last[venue]!, flowClipped: flow.clipped[venue]!, overview: ov.price, minutes};
}

const CLEAN_TASK = "cve:clean-venue-day";
const AGGREGATE_TASK = "cve:aggregate-venue";

/** A (venue, day) task's result: its quality row and, when the build bins days as they are cleaned, the day's aggregates. */
interface CleanedDay {
  record: QualityRecord;
  aggregate: DayAggregate | null;
}

/** {@link cleanVenueDay}, binning the day with `bin` (null: not binned). */
async function cleanDay(
  d: {config: AnalysisConfig; resolved: ResolvedSource; venue: Venue; day: string; path: string; clean: DerivedOptions["clean"]; bin: DayAggregateOptions | null},
  log: (line: string) => void,
  beat?: () => void,
  blocks?: {pool: TaskPool; blockBytes?: number}
): Promise<CleanedDay> {
  const binned = d.bin ? new DayAggregator(d.bin) : undefined;
  const record = await cleanVenueDay(d.config, d.resolved, d.venue, d.day, d.path, d.clean, log, beat, blocks, binned);
  return {record, aggregate: binned?.finish() ?? null};
}

serveTask(CLEAN_TASK, (d: Parameters<typeof cleanDay>[0], log) => cleanDay(d, log), (r) => (r.aggregate ? dayAggregateBuffers(r.aggregate) : []));
serveTask(
  AGGREGATE_TASK,
  (d: {config: AnalysisConfig; venue: Venue; dir: string}, log) => aggregateVenue(d.config, d.venue, d.dir, log),
  (r) => [r.flowNet.buffer as ArrayBuffer, r.flowCount.buffer as ArrayBuffer, r.flowLast.buffer as ArrayBuffer, r.overview.buffer as ArrayBuffer, r.minutes.buffer as ArrayBuffer]
);

/**
 * Cleans every (venue, day) and aggregates every venue, on a pool of workers: the days are
 * queued venue by venue, largest archives first (so that both cores stay busy to the end). When every day starts
 * on the grid of every bin width (whole days from the span's start, as configured by dates), each
 * task also bins its day and this thread puts a venue's days together in day order
 * (aggregate/day.ts); otherwise a venue's aggregation reads its partitions back
 * ({@link aggregateVenue}) as soon as its last day is clean, ahead of the days still waiting.
 * Returns the venues' results in venue order.
 */
async function processVenues(config: AnalysisConfig, resolved: ResolvedSource, dir: string, options: DerivedOptions, beat: () => void): Promise<VenueResult[]> {
  const log = options.log ?? stderrLog;
  const venues = config.venues;
  const days = configDays(config).filter((d) => daySpan(config, d));
  const work = resolved.source === "simulated" ? expectedTrades(config) : (resolved.archives ?? []).reduce((s, a) => s + a.bytes / 10, 0);
  const concurrency = venueConcurrency(venues.length * days.length, work, options.workers);
  if (concurrency > 1) log(`derived: ${concurrency} workers for ${venues.length * days.length} (venue, day) tasks`);
  mkdirSync(tradesRoot(dir), {recursive: true});
  const bytes = (venue: Venue, day: string) => archivePathsForDay(resolved, venue, day, config.symbol).reduce((s, p) => s + statSync(p).size, 0);
  // Venue by venue, the venue with the largest archives first, each venue's days in order: the
  // smallest venue's days end the stage, and a venue's days are done (and put together) in about
  // the order they are needed.
  const jobs = venues.flatMap((venue, vi) => days.map((day, di) => ({venue, day, order: vi * days.length + di, bytes: bytes(venue, day)})));
  const venueBytes = new Map(venues.map((v) => [v, jobs.filter((j) => j.venue === v).reduce((s, j) => s + j.bytes, 0)]));
  jobs.sort((a, b) => venueBytes.get(b.venue)! - venueBytes.get(a.venue)! || a.order - b.order);
  const pool = new TaskPool(concurrency, import.meta.url, log, beat);
  const readers = jobs.length === 1 ? (options.blockReaders ?? (options.workers === undefined && work >= PARALLEL_MIN_WORK ? availableParallelism() : 1)) : 1;
  if (!(Number.isInteger(readers) && readers >= 1)) throw new RangeError(`invalid blockReaders: ${options.blockReaders}`);
  const blocks = readers > 1 ? {pool: blockReaderPool(readers, log), blockBytes: options.blockBytes} : undefined;
  if (blocks) log(`derived: ${readers} threads read the archive of ${jobs[0].venue} ${jobs[0].day} in blocks`);
  try {
    const span = configSpan(config);
    const widths = [...config.binWidthsMs];
    const dayParts = days.map((day) => daySpan(config, day)!);
    const binDays = dayAligned(span, dayParts.map((d) => d[0]), widths);
    const cleaned = new Map<string, Promise<CleanedDay>>();
    for (const {venue, day} of jobs) {
      const path = tradePartition(dir, venue, day);
      const bin = binDays ? {span, day: dayParts[days.indexOf(day)], widthsMs: widths, flowWidthMs: FLOW_WIDTH_MS} : null;
      const data = {config, resolved, venue, day, path, clean: options.clean ?? {}, bin};
      const task = pool.run(`${venue} ${day}`, {task: CLEAN_TASK, ...data}, () => cleanDay(data, log, beat, blocks));
      // Awaited in day order below; a failure surfaces there (or as the pool's first failure), never unhandled.
      task.catch(() => {});
      cleaned.set(`${venue} ${day}`, task);
    }
    return await Promise.all(
      venues.map(async (venue) => {
        if (binDays) {
          const started = performance.now();
          const files = binFileWidths(config);
          const writers = files.map((w) => new ArrowStreamWriter(join(dir, `bins-${venue}-${w}ms.arrow`), BIN_COLUMNS));
          const assembler = new VenueAssembler(venue, span, widths, FLOW_WIDTH_MS, writers, {stepMs: OVERVIEW_STEP_MS, widthMs: 1000}, CHUNK_BINS);
          const records: QualityRecord[] = [];
          let waited = 0;
          for (const day of days) {
            const t = performance.now();
            const r = await cleaned.get(`${venue} ${day}`)!;
            waited += performance.now() - t;
            cleaned.delete(`${venue} ${day}`);
            records.push(r.record);
            assembler.add(r.aggregate!);
          }
          for (const w of writers) w.close();
          const r = assembler.finish();
          log(`derived: ${venue}: ${fmtInt(r.rows)} trades binned day by day as cleaned; days put together in ${((performance.now() - started - waited) / 1000).toFixed(1)} s`);
          return {...r, records};
        }
        const records = await Promise.all(days.map(async (day) => (await cleaned.get(`${venue} ${day}`)!).record));
        // Ahead of the (venue, day) tasks still waiting, so that the smallest days end the stage rather than a venue's aggregation.
        const r = await pool.run(`${venue} aggregate`, {task: AGGREGATE_TASK, config, venue, dir}, () => aggregateVenue(config, venue, dir, log), [], 1);
        return {...r, records};
      })
    );
  } catch (error) {
    // The task that failed first, not a task it cancelled: the error names the failing (venue, day).
    throw pool.failure ?? error;
  } finally {
    await pool.close();
    await blocks?.pool.close();
  }
}

/** Builds the derived files of `config` into `dir`; returns the quality summary written to the manifest. */
async function buildDerived(config: AnalysisConfig, resolved: ResolvedSource, key: string, dir: string, options: DerivedOptions, beat: () => void): Promise<QualitySummary> {
  const log = options.log ?? stderrLog;
  const [t0, t1] = configSpan(config);
  const days = configDays(config);
  const venues = config.venues;
  const widths = [...config.binWidthsMs];
  const flowBins = binCount(t0, t1, 100);
  const nMinutes = Math.ceil((t1 - t0) / 60_000);

  const results = await processVenues(config, resolved, dir, options, beat);
  const records = results.flatMap((r) => r.records);
  const minuteCounts = new Float64Array(nMinutes);
  for (const r of results) for (let i = 0; i < nMinutes; ++i) minuteCounts[i] += r.minutes[i];

  // 1 s bins of every venue, long format, venue by venue.
  const site1s = new ArrowStreamWriter(join(dir, "site", "bins-1000ms.arrow"), [{name: "venue", type: "dict", dictionary: venues}, ...BIN_COLUMNS]);
  for (const [vi, v] of venues.entries())
    for await (const b of readArrowBatches(join(dir, `bins-${v}-1000ms.arrow`))) site1s.write({...b.columns, venue: new Int8Array(b.length).fill(vi)}, b.length);
  site1s.close();

  // Flow matrix, wide: one Int16 net-flow, one Uint16 trade-count and one Float32 last-price column per venue.
  const flowSpecs: ColumnSpec[] = [
    ...venues.map((v) => ({name: v, type: "Int16" as const})),
    ...venues.map((v) => ({name: `${v}_n`, type: "Int16" as const})),
    ...venues.map((v) => ({name: `${v}_last`, type: "Float32" as const}))
  ];
  const flowCols: Record<string, TypedColumn> = {};
  for (const r of results) (flowCols[r.venue] = r.flowNet), (flowCols[`${r.venue}_n`] = r.flowCount), (flowCols[`${r.venue}_last`] = r.flowLast);
  writeColumns(join(dir, "site", "flow-100ms.arrow"), flowSpecs, flowCols, flowBins, {t0: String(t0), width_ms: "100"});

  // Overview, long: venue, t, price.
  const ovw = new ArrowStreamWriter(join(dir, "site", "overview.arrow"), [
    {name: "venue", type: "dict", dictionary: venues},
    {name: "t", type: "Float64"},
    {name: "price", type: "Float64"}
  ]);
  const ovT = Float64Array.from({length: Math.ceil((t1 - t0) / OVERVIEW_STEP_MS)}, (_, i) => t0 + i * OVERVIEW_STEP_MS);
  for (const [vi, r] of results.entries()) ovw.write({venue: new Int8Array(ovT.length).fill(vi), t: ovT, price: r.overview}, ovT.length);
  ovw.close();
  const venueRows = new Map(results.map((r) => [r.venue, r.rows]));
  const flowClipped = Object.fromEntries(results.map((r) => [r.venue, r.flowClipped]));

  // Truth.
  const truth: unknown =
    resolved.source === "simulated" ? JSON.parse(readFileSync(join(simulatedRoot(config.dataDir, resolved.simKey!), "truth.json"), "utf8")) : null;

  // Trades sample: the hour before the planted crash (simulated) or the busiest hour (real), within the row budget.
  const maxRows = options.sampleMaxRows ?? SAMPLE_MAX_ROWS;
  const crash = resolved.source === "simulated" ? crashStart(config, truth) : undefined;
  const win = chooseSampleWindow(minuteCounts, {maxRows, end: crash === undefined ? undefined : Math.floor((crash - t0) / 60_000)});
  const sample = {
    start: t0 + win.startMinute * 60_000,
    end: Math.min(t1, t0 + win.endMinute * 60_000),
    reason: crash === undefined ? "busiest hour (all venues)" : "the hour before the planted crash",
    rows: {} as Partial<Record<Venue, number>>,
    maxRows
  };
  const minutes = win.endMinute - win.startMinute;
  if (minutes < 60 && win.rows > 0 && (crash === undefined ? minutes < nMinutes : minutes < Math.floor((crash - t0) / 60_000)))
    sample.reason += `, shortened to ${minutes} min to stay within ${fmtInt(maxRows)} rows`;
  else if (minutes < 60) sample.reason += ` (${minutes} min: the span is shorter)`;
  const sw = new ArrowStreamWriter(
    join(dir, "site", "trades-sample.arrow"),
    [
      {name: "venue", type: "dict", dictionary: venues},
      {name: "time", type: "Float64"},
      {name: "price", type: "Float64"},
      {name: "qty", type: "Float32"},
      {name: "side", type: "Int8"}
    ],
    {start: String(sample.start), end: String(sample.end), reason: sample.reason}
  );
  for (const [vi, v] of venues.entries()) {
    let rows = 0;
    for await (const b of readTradeBatches(venueTradeFiles(dir, v), ["time", "price", "qty", "side"], {from: sample.start, to: sample.end})) {
      sw.write(
        {
          venue: new Int8Array(b.length).fill(vi),
          time: b.columns.time as Float64Array,
          price: b.columns.price as Float64Array,
          qty: Float32Array.from(b.columns.qty as Float64Array),
          side: b.columns.side as Int8Array
        },
        b.length
      );
      rows += b.length;
    }
    sample.rows[v] = rows;
  }
  sw.close();

  // Quality (with the price-level check across venues), manifest, truth.
  const quality = summarizeQuality(records);
  const levels = priceLevelIssues(venues, results.map((r) => r.overview), t0, OVERVIEW_STEP_MS, {warn: QUALITY_LIMITS.warnPriceLevel, fail: QUALITY_LIMITS.failPriceLevel});
  for (const issue of levels) {
    const files = records.find((r) => r.venue === issue.venue && r.day === issue.day)?.files ?? [];
    (issue.failed ? quality.failures : quality.warnings).push(priceLevelMessage(issue, files, OVERVIEW_STEP_MS));
  }
  const perVenue: Partial<Record<Venue, PerVenueSummary>> = {};
  let kept = 0, tick = 0;
  for (const v of venues) {
    const rs = records.filter((r) => r.venue === v);
    const k = rs.reduce((s, r) => s + r.kept, 0);
    const firsts = rs.map((r) => r.first).filter((x): x is number => x !== null);
    const lasts = rs.map((r) => r.last).filter((x): x is number => x !== null);
    perVenue[v] = {
      trades: venueRows.get(v) ?? 0,
      first: firsts.length ? Math.min(...firsts) : null,
      last: lasts.length ? Math.max(...lasts) : null,
      rowsRead: rs.reduce((s, r) => s + r.rowsRead, 0),
      buyShare: quality.perVenue[v]?.buyShare ?? null,
      tickClassifiedShare: quality.perVenue[v]?.tickClassifiedShare ?? null
    };
    kept += k;
    tick += rs.reduce((s, r) => s + r.tickClassified, 0);
  }
  const {dataDir: _dataDir, quality: _quality, ...rest} = config;
  // Input files by the names the pages show (relative), never a folder of the building machine.
  const shownConfig = resolved.inputs ? {...rest, inputs: resolved.inputs.map((f) => ({market: f.market, pattern: f.file}))} : rest;
  const files = [
    "manifest.json", "quality.json", "truth.json",
    ...venues.flatMap((v) => [...venueTradeFiles(dir, v).map((f) => relative(dir, f)), ...binFileWidths(config).map((w) => `bins-${v}-${w}ms.arrow`)]),
    ...SITE_FILES.map((f) => `site/${f}`)
  ];
  const manifest: Manifest = {
    source: resolved.source,
    reason: resolved.reason,
    venues: [...venues],
    symbol: config.symbol,
    span: [t0, t1],
    days,
    hours: config.hours,
    seed: config.seed,
    key,
    simKey: resolved.simKey ?? null,
    binWidthsMs: widths,
    config: shownConfig,
    inputs: resolved.inputs
      ? resolved.inputs.map((f) => ({file: f.file, market: f.market, format: f.format, symbol: f.symbol, trades: f.trades, first: f.first, last: f.last, bytes: f.bytes, sha256: f.sha256}))
      : null,
    perVenue,
    tickClassifiedShare: kept > 0 ? tick / kept : null,
    files,
    sample,
    flow: {widthMs: 100, bins: flowBins, clipped: flowClipped},
    overview: {stepMs: OVERVIEW_STEP_MS},
    quality
  };
  const json = (x: unknown) => JSON.stringify(x, null, 1) + "\n";
  writeFileSync(join(dir, "manifest.json"), json(manifest));
  writeFileSync(join(dir, "quality.json"), json(records));
  writeFileSync(join(dir, "truth.json"), json(truth));
  writeFileSync(join(dir, "site", "manifest.json"), json({...manifest, truth} satisfies SiteManifest));
  writeFileSync(join(dir, "site", "quality.json"), json(records));
  writeFileSync(join(dir, "site", "truth.json"), json(truth));
  return quality;
}

function writeColumns(path: string, specs: ColumnSpec[], columns: Record<string, TypedColumn>, length: number, metadata: Record<string, string>) {
  const w = new ArrowStreamWriter(path, specs, metadata);
  for (let o = 0; o < length; o += CHUNK_BINS) {
    const n = Math.min(CHUNK_BINS, length - o);
    const slice: Record<string, TypedColumn> = {};
    for (const s of specs) slice[s.name] = columns[s.name].subarray(o, o + n);
    w.write(slice, n);
  }
  w.close();
}

/**
 * Streams one browser file to `out` (stdout by default) from the derived folder `from`, or from
 * the build of the configuration `from` (`ensureDerived`): the body of every thin loader in
 * `src/data/` (which pass the folder `siteDerived()` checked, see `site-cache.ts`). The manifest's
 * loader (run once per site build) also repeats the quality warnings on stderr when the derived
 * data were built earlier, by another process.
 */
export async function writeSiteFile(name: SiteFile, from: AnalysisConfig | string = loadConfig(), out: NodeJS.WritableStream = process.stdout, log: (line: string) => void = stderrLog): Promise<void> {
  if (!SITE_FILES.includes(name)) throw new RangeError(`invalid site file: ${name}`);
  const dir = typeof from === "string" ? from : await ensureDerived(from, {log});
  if (name === "manifest.json" && !builtHere.has(dir)) logQuality(readManifest(dir).quality, log);
  for await (const chunk of createReadStream(join(dir, "site", name), {highWaterMark: 1 << 20}))
    if (!out.write(chunk)) await once(out, "drain");
}
