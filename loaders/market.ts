/**
 * The data contract between the build and the chapters: what a derived folder holds (its
 * manifest, quality table, planted truth, cleaned trades, bins and 100 ms flow matrix), the
 * readers of each file, and {@link readMarket}, which reads the parts a chapter needs into the
 * in-memory {@link Market} that every chapter analysis (lib/analysis/) is a function of.
 * Chapters import this module, not the pipeline (`derived.ts`) nor the simulator.
 */
import {existsSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import type {FlowColumns, Market, TradeColumns} from "../lib/analysis/market.js";
import type {SimTruth} from "../lib/analysis/truth.js";
import {binCount, type BinColumns} from "./aggregate/bins.ts";
import {readArrowColumns} from "./arrow.ts";
import {readTradeColumns, TRADE_PARQUET_COLUMNS, venueTradeFiles} from "./parquet.ts";
import type {AnalysisConfig, Venue} from "./config.ts";
import type {QualityRecord, QualitySummary} from "./quality.ts";

/** Per-venue totals in the manifest (counts over all days; times in epoch ms). */
export interface PerVenueSummary {
  trades: number;
  first: number | null;
  last: number | null;
  rowsRead: number;
  buyShare: number | null;
  tickClassifiedShare: number | null;
}

/** One `CVE_INPUTS` file as the manifest lists it. */
export interface InputSummary {
  file: string;
  market: Venue;
  format: string;
  symbol: string | null;
  trades: number;
  first: number | null;
  last: number | null;
  bytes: number;
  sha256: string;
}

/** `manifest.json`: what this build is, for pages (the banner) and for readers. */
export interface Manifest {
  source: "simulated" | "real";
  /** Why this source was used. */
  reason: string;
  venues: Venue[];
  symbol: string;
  /** Analysed span, epoch ms [t0, t1). */
  span: [number, number];
  days: string[];
  hours: number;
  seed: number;
  /** The derived key (folder name). */
  key: string;
  /** Key of the simulated archive set, null for real data. */
  simKey: string | null;
  binWidthsMs: number[];
  /** The configuration (without `dataDir` and `quality`, which do not change the data). */
  config: Omit<AnalysisConfig, "dataDir" | "quality">;
  /**
   * The `CVE_INPUTS` files the build read (null for archive and simulated builds): the name
   * relative to the working directory, market, detected format, trades read and their first and
   * last times (epoch ms), size and sha256.
   */
  inputs: InputSummary[] | null;
  perVenue: Partial<Record<Venue, PerVenueSummary>>;
  /** Share of kept trades (all venues) whose side came from the tick rule. */
  tickClassifiedShare: number | null;
  /** Files of the derived folder. */
  files: string[];
  /** The window of `trades-sample.arrow`. */
  sample: {start: number; end: number; reason: string; rows: Partial<Record<Venue, number>>; maxRows: number};
  flow: {widthMs: number; bins: number; clipped: Partial<Record<Venue, number>>};
  overview: {stepMs: number};
  quality: QualitySummary;
}

/** `site/manifest.json`: the manifest plus the planted truth (null for real data). */
export interface SiteManifest extends Manifest {
  truth: unknown | null;
}

/** The build's manifest. */
export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
}

/** The trades of `venue` that the manifest of the derived folder `dir` counts; RangeError naming the folder when it counts none. */
export function manifestTrades(dir: string, manifest: Pick<Manifest, "perVenue">, venue: Venue): number {
  const n = manifest.perVenue[venue]?.trades;
  if (n === undefined) throw new RangeError(`invalid manifest of ${dir}: no trade count of ${venue}`);
  return n;
}

/** Each venue's trade count in `manifest` (the rows of its partitions, as the whole-span columns count them); venues without a count are left out. */
export function manifestCounts(manifest: Pick<Manifest, "perVenue">): Record<string, number> {
  return Object.fromEntries(Object.entries(manifest.perVenue).flatMap(([v, s]) => (s?.trades === undefined ? [] : [[v, s.trades]])));
}

/** The quality table: one record per (venue, day). */
export function readQuality(dir: string): QualityRecord[] {
  return JSON.parse(readFileSync(join(dir, "quality.json"), "utf8"));
}

/** The simulator's planted truth, or null for real data. */
export function readTruth(dir: string): unknown | null {
  return JSON.parse(readFileSync(join(dir, "truth.json"), "utf8"));
}

/** Reads a venue's Parquet partitions `trades/venue=<venue>/day=*`: cleaned, de-duplicated, time-sorted trades. */
export async function readTrades(dir: string, venue: Venue): Promise<TradeColumns> {
  const rows = readManifest(dir).perVenue[venue]?.trades;
  if (rows === undefined) throw new RangeError(`invalid venue: ${venue} (not in ${dir})`);
  const {length, columns} = await readTradeColumns(venueTradeFiles(dir, venue), TRADE_PARQUET_COLUMNS.map((c) => c.name), {rows});
  return {
    length,
    time: columns.time as Float64Array,
    price: columns.price as Float64Array,
    qty: columns.qty as Float64Array,
    side: columns.side as Int8Array,
    id: columns.id as Float64Array
  };
}

/** Reads `bins-<venue>-<w>ms.arrow` as typed-array columns (those of `names`, default all). */
export async function readBins(dir: string, venue: Venue, widthMs: number, names?: readonly (keyof Omit<BinColumns, "length">)[]): Promise<BinColumns> {
  const path = join(dir, `bins-${venue}-${widthMs}ms.arrow`);
  if (!existsSync(path))
    throw new RangeError(`invalid widthMs: ${widthMs} (no ${basename(path)} in ${dir}${widthMs === 100 ? "; the 100 ms bins are kept as the flow matrix, readFlow" : ""})`);
  const m = readManifest(dir);
  const {length, columns} = await readArrowColumns(path, names, {rows: binCount(m.span[0], m.span[1], widthMs)});
  return {length, ...(columns as unknown as Omit<BinColumns, "length">)};
}

/** What a chapter reads of a build (everything else stays on disk). */
export interface MarketNeeds {
  /** The venues to read (default: the manifest's), e.g. those a chapter found enough trades for. */
  venues?: readonly Venue[];
  /** Trade columns to read for every venue (none by default). */
  trades?: readonly (keyof Omit<TradeColumns, "length">)[];
  /** Bin widths to read for every venue, ms (none by default). */
  binWidths?: readonly number[];
  /** Read the 100 ms flow matrix `site/flow-100ms.arrow` (default false); "last": only its last prices (net flow and counts left empty), each column allocated once. */
  flow?: boolean | "last";
}

/**
 * The market of the derived folder `dir`: its source, venues, span and planted truth, with the
 * trade columns, bins and flow matrix that `needs` names. Columns not asked for are left empty
 * (zero-length arrays), so a chapter that reads one it did not ask for sees no data rather than
 * stale data.
 */
export async function readMarket(dir: string, needs: MarketNeeds = {}): Promise<Market> {
  const manifest = readManifest(dir);
  const venues = [...(needs.venues ?? manifest.venues)];
  const span = manifest.span as [number, number];
  const market: Market = {source: manifest.source, venues, span, truth: readTruth(dir) as SimTruth | null, trades: {}, bins: {}, flow: null};
  if (needs.trades?.length) {
    const names = needs.trades;
    for (const v of venues) {
      const rows = manifest.perVenue[v]?.trades;
      const {length, columns} = await readTradeColumns(venueTradeFiles(dir, v), names, {rows});
      const empty = new Float64Array(0);
      market.trades[v] = {
        length,
        time: (columns.time as Float64Array) ?? empty,
        price: (columns.price as Float64Array) ?? empty,
        qty: (columns.qty as Float64Array) ?? empty,
        side: (columns.side as Int8Array) ?? new Int8Array(0),
        id: (columns.id as Float64Array) ?? empty
      };
    }
  }
  for (const w of needs.binWidths ?? []) {
    const byVenue: Partial<Record<Venue, BinColumns>> = {};
    for (const v of venues) byVenue[v] = await readBins(dir, v, w);
    market.bins[w] = byVenue;
  }
  if (needs.flow) market.flow = await readFlow(dir, venues, needs.flow === "last" ? {lastOnly: true, rows: manifest.flow.bins} : {});
  return market;
}

/**
 * Reads the columns of `venues` of the 100 ms flow matrix `site/flow-100ms.arrow` (`<venue>` net
 * flow, `<venue>_n` trade count and `<venue>_last`) into columns of `rows` bins (default: the
 * span's bin count; a file of another count throws). With `lastOnly` only the last prices are
 * read (net flow and counts are zero-length).
 */
export async function readFlow(dir: string, venues: readonly Venue[], {lastOnly = false, rows}: {lastOnly?: boolean; rows?: number} = {}): Promise<FlowColumns> {
  if (rows === undefined) {
    const m = readManifest(dir);
    rows = binCount(m.span[0], m.span[1], 100);
  }
  const names = venues.flatMap((v) => (lastOnly ? [`${v}_last`] : [v, `${v}_n`, `${v}_last`]));
  const {length, columns} = await readArrowColumns(join(dir, "site", "flow-100ms.arrow"), names, {rows});
  const flow: FlowColumns = {length, net: {}, count: {}, last: {}};
  for (const v of venues) {
    if (lastOnly) {
      if (!columns[`${v}_last`]) throw new RangeError(`invalid venue: ${v} (no column ${v}_last in flow-100ms.arrow)`);
      flow.net[v] = new Int16Array(0);
      flow.count[v] = new Int16Array(0);
    } else {
      const net = columns[v];
      if (!net) throw new RangeError(`invalid venue: ${v} (no column in flow-100ms.arrow)`);
      const count = columns[`${v}_n`];
      if (!count) throw new RangeError(`invalid venue: ${v} (no column ${v}_n in flow-100ms.arrow)`);
      flow.net[v] = net as Int16Array;
      flow.count[v] = count as Int16Array;
    }
    flow.last[v] = columns[`${v}_last`] as Float32Array;
  }
  return flow;
}
