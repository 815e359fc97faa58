/**
 * Chapter 02 at build time: reads what the microstructure analysis needs from a derived folder
 * (the 100 ms flow matrix, the same Float32 last prices the page loads, and each venue's trades
 * one (venue, day) partition at a time) and calls `analyseMicrostructure` (lib/analysis/ch02.ts),
 * where the computation and its references live. Per venue, the partitions are read in day order
 * three times: first the sizes go into a `SizeStream` (moments and an exact histogram), the signs
 * into the first pass of the sign autocorrelation's `OrderSignStream`, and the times and prices
 * into the venue's two columns (the arrival row and the Hayashi–Yoshida tick blocks still take
 * them whole); then the times and signs again for the stream's second and third passes. Only one
 * partition's size and sign columns are held at a time; the results equal `microstructureVenue`
 * on the whole columns value for value. The planted rates of a simulated market come from the
 * simulator's own intensity (`expectedTrades`).
 */
import type {AnalysisConfig} from "../config.ts";
import {readMarket} from "../market.ts";
import {partitionFiles, readTradeColumns, tradePartition} from "../parquet.ts";
import {expectedTrades, type SimPlan} from "../simulate/plan.ts";
import {partitionDays} from "./leaders.ts";
import {analyseMicrostructure, microstructureVenueFrom, MICROSTRUCTURE_DEFAULTS, signStream, type ExpectedTrades, type MicrostructureParams, type MicrostructureResult, type MicrostructureVenue} from "../../lib/analysis/ch02.js";
import {SizeStream} from "../../lib/analysis/size-stream.js";
import type {Market} from "../../lib/analysis/market.js";
import type {Venue} from "../../lib/analysis/venues.js";
import type {SimTruth} from "../../lib/analysis/truth.js";
import {chapterBuild} from "./build.ts";

/** Chapter 02's JSON (`data/ch02.json`). */
export type Chapter02 = MicrostructureResult;

/** The expected trades of a venue in [a, b) under the intensity the simulator planted in `truth`. */
export function plantedTrades(truth: SimTruth): ExpectedTrades {
  const plan: SimPlan = {truth, span: [truth.span.start, truth.span.end], venues: truth.venues, seed: truth.truthKey.seed};
  return (venue, a, b) => expectedTrades(plan, venue, a, b);
}

/** The chapter's parameters for `config`: the defaults with the configured seed, and the planted intensity of a simulated market. */
export function paramsFrom(config: AnalysisConfig, truth: SimTruth | null): MicrostructureParams {
  return {...MICROSTRUCTURE_DEFAULTS, seed: config.seed, expectedTrades: truth ? plantedTrades(truth) : null};
}

/**
 * One venue's part of chapter 02 (`microstructureVenueFrom`) from its (venue, day) partitions of
 * `dir`, read one at a time; `rows` is the venue's trade count (the manifest's), the length of
 * the time and price columns. Returns the part and the seconds spent reading.
 */
export async function streamedVenue(dir: string, venue: Venue, rows: number, market: Pick<Market, "span" | "truth">, params: MicrostructureParams): Promise<{part: MicrostructureVenue; readS: number}> {
  const days = partitionDays(dir, [venue]);
  // One partition: its own time and price columns serve; several: copied into the venue's columns.
  let time: Float64Array = days.length === 1 ? new Float64Array(0) : new Float64Array(rows);
  let price: Float64Array = days.length === 1 ? new Float64Array(0) : new Float64Array(rows);
  const sizes = new SizeStream();
  const signs = signStream(market.span, params);
  let read = 0;
  const partition = async (day: string, names: ("time" | "price" | "qty" | "side")[]) => {
    const clock = performance.now();
    const r = await readTradeColumns(partitionFiles(tradePartition(dir, venue, day)), names);
    read += performance.now() - clock;
    return r;
  };
  let at = 0;
  for (const day of days) {
    const {length, columns} = await partition(day, ["time", "price", "qty", "side"]);
    if (at + length > rows) throw new RangeError(`invalid trades of ${venue}: more rows in ${tradePartition(dir, venue, day)} and before (${at + length}) than the manifest's ${rows}`);
    if (days.length === 1) (time = (columns.time as Float64Array).subarray(0, length)), (price = (columns.price as Float64Array).subarray(0, length));
    else time.set((columns.time as Float64Array).subarray(0, length), at), price.set((columns.price as Float64Array).subarray(0, length), at);
    at += length;
    sizes.push(columns.qty as Float64Array, length);
    signs.push(columns.time as Float64Array, columns.side as Int8Array, length);
  }
  if (at !== rows) throw new RangeError(`invalid trades of ${venue}: ${at} rows in the partitions, the manifest says ${rows}`);
  signs.next();
  for (let pass = 2; pass <= 3; ++pass) {
    for (const day of days) {
      const {length, columns} = await partition(day, ["time", "side"]);
      signs.push(columns.time as Float64Array, columns.side as Int8Array, length);
    }
    signs.next();
  }
  return {part: microstructureVenueFrom(venue, time, price, sizes, signs.result(), market, params), readS: read / 1000};
}

/**
 * Everything chapter 02 computes at build time, from the derived folder `dir` of `config`.
 * JSON-serialisable (NaN becomes null in JSON); deterministic given `config.seed`. The time spent
 * reading and analysing goes to stderr.
 */
export async function computeChapter02(dir: string, config: AnalysisConfig): Promise<Chapter02> {
  const {truth, manifest} = chapterBuild(dir, config);
  const start = performance.now();
  const clock = performance.now();
  const market = await readMarket(dir, {venues: manifest.venues, flow: true});
  const params = paramsFrom(config, truth);
  const venueParts: Partial<Record<Venue, MicrostructureVenue>> = {};
  let read = (performance.now() - clock) / 1000;
  for (const v of manifest.venues) {
    const rows = manifest.perVenue[v]?.trades;
    if (rows === undefined) throw new RangeError(`invalid manifest of ${dir}: no trade count of ${v}`);
    const {part, readS} = await streamedVenue(dir, v, rows, market, params);
    venueParts[v] = part;
    read += readS;
  }
  const result = analyseMicrostructure(market, params, {venueParts});
  process.stderr.write(`ch02: read ${read.toFixed(1)} s, analysis ${((performance.now() - start) / 1000 - read).toFixed(1)} s\n`);
  return result;
}
