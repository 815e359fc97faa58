/**
 * Calibration of chapter 05's claims (metastable-level match, Kramers slope, escape-rate ratio,
 * support/resistance fade) and of chapter 02's sign-ACF exponent and Hill tail, on simulated
 * markets held in memory:
 *
 * Run by `npm run calibrate` after the leadership rows (skip with `--skip-metastability`), or alone:
 *
 *   node --import tsx scripts/calibrate-metastability.ts [--seeds 10 --nulls 10 --hours 24
 *        --rate-scale 0.1 --paths 39 --seed 18018 --out output/calibration-metastability.json]
 *
 * Markets: `--hours` hours (default 24, the build's span) at `--rate-scale` (default 0.1) of the
 * venues' trade rates. Default plant: `--seeds` markets with every simulation setting at its
 * default but the seed (the replication rate of each claim). No-wells null: `--nulls` markets with
 * `wellBarrier` 0 (the simulator's force towards the well grid switched off, the grid still
 * recorded): the false-positive rate of every chapter 05 claim. Seeds are drawn from `--seed`
 * (default 18018), never the configuration's default seed.
 *
 * Rows, each with counts and a 95 % Wilson interval (lib/binomial-test.ts):
 * - ch05-levels: the binomial match of the catalogue levels with the wells at p < 0.05;
 * - ch05-kramers-slope: slope beats the pure-diffusion null (one-sided p < 0.05); the interval
 *   covers the planted 1; the slope's mean and its bias against 1;
 * - ch05-escape-ratio: ratio beats the pure-diffusion null; and the exact rate-ratio test alone
 *   (hot against cold at p < 0.05, the test the chapter used to print), to show what the null adds;
 * - ch05-fade: any level set with a Holm-adjusted p < 0.05 and a positive edge after costs;
 * - ch02-sign-exponent and ch02-hill (default plant only): each venue's estimate, its mean bias
 *   against the planted value and the coverage of its interval.
 *
 * `--from <file>` summarises the markets of an earlier output instead of simulating them.
 * Writes JSON and a table on stdout; progress on stderr; with `--write-replication` also
 * lib/analysis/replication.ts, the replication rate each simulated build's findings print.
 */
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";
import {pathToFileURL} from "node:url";
import {MICROSTRUCTURE_DEFAULTS, signRow, sizeRow} from "../lib/analysis/ch02.js";
import {analyseMetastability, METASTABILITY_DEFAULTS, type Chapter05} from "../lib/analysis/ch05.js";
import type {SimTruth} from "../lib/analysis/truth.js";
import {wilsonInterval} from "../lib/binomial-test.js";
import {deriveSeed, mulberry32} from "../lib/random.js";
import {DEFAULTS, validateConfig, type AnalysisConfig} from "../loaders/config.ts";
import {simulateMarket} from "../loaders/simulate/market.ts";
import {readFlags} from "./flags.ts";

interface Args {
  seeds: number;
  nulls: number;
  hours: number;
  rateScale: number;
  paths: number;
  seed: number;
  out: string;
  /** Write lib/analysis/replication.ts from the default-plant markets. */
  writeReplication: boolean;
  /** Summarise the markets of an earlier output file instead of simulating them again. */
  from: string | null;
  /** Only the sign-ACF variants (demeaned or not, informed and arbitrage flow on or off) on this many seeds. */
  signVariants: number;
}

function parseArgs(argv: string[]): Args {
  return readFlags<Args>(
    argv,
    {seeds: 10, nulls: 10, hours: 24, rateScale: 0.1, paths: 39, seed: 18018, out: "output/calibration-metastability.json", writeReplication: false, from: null, signVariants: 0},
    {
      "--seeds": {key: "seeds", type: "number"},
      "--nulls": {key: "nulls", type: "number"},
      "--hours": {key: "hours", type: "number"},
      "--rate-scale": {key: "rateScale", type: "number"},
      "--paths": {key: "paths", type: "number"},
      "--seed": {key: "seed", type: "number"},
      "--out": {key: "out", type: "string"},
      "--write-replication": {key: "writeReplication", type: "switch"},
      "--from": {key: "from", type: "string"},
      "--sign-variants": {key: "signVariants", type: "number"}
    },
    "scripts/calibrate-metastability.ts"
  );
}

/** What one market's chapter 05 claims came to. */
interface MarketRow {
  kind: "plant" | "no-wells";
  seed: number;
  wellBarrier: number;
  levelsP: number | null;
  slope: number | null;
  slopeLow: number | null;
  slopeHigh: number | null;
  slopeNullP: number | null;
  slopeNullMedian: number | null;
  points: number;
  censored: number;
  ratio: number | null;
  ratioExactP: number | null;
  ratioNullP: number | null;
  ratioNullMedian: number | null;
  fade: string[];
  signs: {venue: string; exponent: number; low: number; high: number; planted: number | null}[];
  hill: {venue: string; alpha: number; low: number; high: number; planted: number | null}[];
}

/** A rate with its counts and 95 % Wilson interval. */
interface Rate {
  claim: string;
  markets: string;
  measure: string;
  hits: number;
  n: number;
  rate: number;
  low: number;
  high: number;
}

function rate(claim: string, markets: string, measure: string, flags: boolean[]): Rate {
  const hits = flags.filter(Boolean).length;
  const [low, high] = wilsonInterval(hits, flags.length);
  return {claim, markets, measure, hits, n: flags.length, rate: flags.length ? hits / flags.length : NaN, low, high};
}

function configOf(args: Args, seed: number, wellBarrier: number): AnalysisConfig {
  return validateConfig({...DEFAULTS, seed, hours: args.hours, source: "simulated", simulation: {...DEFAULTS.simulation, rateScale: args.rateScale, wellBarrier}});
}

function runMarket(args: Args, kind: MarketRow["kind"], seed: number): MarketRow {
  const wellBarrier = kind === "plant" ? DEFAULTS.simulation.wellBarrier : 0;
  const config = configOf(args, seed, wellBarrier);
  const withTrades = kind === "plant";
  const market = simulateMarket(config, {binWidths: [1000], flow: false});
  const ch: Chapter05 = analyseMetastability(market, {...METASTABILITY_DEFAULTS, windowSec: config.windowsSec.landscape, seed, surrogates: 199, bootstrap: 19, nullPaths: args.paths});
  const k = ch.kramers;
  const truth = market.truth as SimTruth;
  const signs: MarketRow["signs"] = [];
  const hill: MarketRow["hill"] = [];
  if (withTrades)
    for (const v of market.venues) {
      const t = market.trades[v];
      if (!t) continue;
      const s = signRow(v, t.time, t.side, market.span, truth, MICROSTRUCTURE_DEFAULTS);
      signs.push({venue: v, exponent: s.fit.exponent, low: s.fit.interval[0], high: s.fit.interval[1], planted: s.planted});
      const z = sizeRow(v, t.qty, truth, MICROSTRUCTURE_DEFAULTS);
      hill.push({venue: v, alpha: z.hill.alpha, low: z.hill.interval[0], high: z.hill.interval[1], planted: truth.sizes.tailAlpha});
    }
  return {
    kind,
    seed,
    wellBarrier,
    levelsP: ch.planted?.pTime ?? null,
    slope: k.fit.slope,
    slopeLow: k.fit.low,
    slopeHigh: k.fit.high,
    slopeNullP: k.null.slopeP,
    slopeNullMedian: k.null.slopeMedian,
    points: k.fit.n,
    censored: k.fit.censored,
    ratio: k.classes.ratio,
    ratioExactP: k.classes.pValue,
    ratioNullP: k.null.ratioP,
    ratioNullMedian: k.null.ratioMedian,
    fade: ch.supportResistance.reversion.filter((r) => r.fade).map((r) => r.set),
    signs,
    hill
  };
}

const sig = (p: number | null) => p !== null && p < 0.05;
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
const sdOf = (xs: number[]) => {
  const m = mean(xs);
  return xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)) : NaN;
};

/** The rows of the calibration table from the markets' outcomes. */
export function summarise(rows: MarketRow[]): {rates: Rate[]; bias: {claim: string; estimates: number; mean: number; planted: number; bias: number; se: number; coverage: number}[]} {
  const plant = rows.filter((r) => r.kind === "plant");
  const nul = rows.filter((r) => r.kind === "no-wells");
  const rates: Rate[] = [
    rate("ch05-levels (binomial p < 0.05)", "default plant", "replication", plant.map((r) => sig(r.levelsP))),
    rate("ch05-levels (binomial p < 0.05)", "no wells", "false positive", nul.map((r) => sig(r.levelsP))),
    rate("ch05-kramers-slope beats diffusion null", "default plant", "replication", plant.map((r) => sig(r.slopeNullP))),
    rate("ch05-kramers-slope beats diffusion null", "no wells", "false positive", nul.map((r) => sig(r.slopeNullP))),
    rate("ch05-kramers-slope interval covers 1", "default plant", "coverage", plant.map((r) => r.slopeLow !== null && r.slopeHigh !== null && r.slopeLow <= 1 && 1 <= r.slopeHigh)),
    rate("ch05-escape-ratio beats diffusion null", "default plant", "replication", plant.map((r) => sig(r.ratioNullP))),
    rate("ch05-escape-ratio beats diffusion null", "no wells", "false positive", nul.map((r) => sig(r.ratioNullP))),
    rate("ch05-escape-ratio exact test alone (old claim)", "no wells", "false positive", nul.map((r) => sig(r.ratioExactP))),
    rate("ch05-fade (Holm, cost-positive edge)", "default plant", "replication", plant.map((r) => r.fade.length > 0)),
    rate("ch05-fade (Holm, cost-positive edge)", "no wells", "false positive", nul.map((r) => r.fade.length > 0))
  ];
  const bias = [];
  const slopes = plant.map((r) => r.slope).filter((x): x is number => x !== null && Number.isFinite(x));
  bias.push({claim: "ch05-kramers-slope", estimates: slopes.length, mean: mean(slopes), planted: 1, bias: mean(slopes) - 1, se: sdOf(slopes) / Math.sqrt(slopes.length), coverage: rates[4].rate});
  const venues = [...new Set(plant.flatMap((r) => r.signs.map((s) => s.venue)))];
  for (const v of venues) {
    const s = plant.flatMap((r) => r.signs.filter((x) => x.venue === v && Number.isFinite(x.exponent)));
    const planted = s.find((x) => x.planted !== null)?.planted ?? NaN;
    const xs = s.map((x) => x.exponent);
    bias.push({claim: `ch02-sign-exponent ${v}`, estimates: xs.length, mean: mean(xs), planted, bias: mean(xs) - planted, se: sdOf(xs) / Math.sqrt(xs.length), coverage: s.filter((x) => x.low <= planted && planted <= x.high).length / s.length});
    const h = plant.flatMap((r) => r.hill.filter((x) => x.venue === v && Number.isFinite(x.alpha)));
    const hp = h.find((x) => x.planted !== null)?.planted ?? NaN;
    const hs = h.map((x) => x.alpha);
    bias.push({claim: `ch02-hill ${v}`, estimates: hs.length, mean: mean(hs), planted: hp, bias: mean(hs) - hp, se: sdOf(hs) / Math.sqrt(hs.length), coverage: h.filter((x) => x.low <= hp && hp <= x.high).length / h.length});
  }
  return {rates, bias};
}

/** The replication of each finding over the default-plant markets, as lib/analysis/replication.ts holds it. */
export function replicationTable(rows: MarketRow[], args: Pick<Args, "hours" | "rateScale">): Record<string, {replicated: number; seeds: number; criterion: string; markets: string}> {
  const plant = rows.filter((r) => r.kind === "plant");
  const markets = `${args.hours} h at ${args.rateScale} of the trade rates`;
  const count = (f: (r: MarketRow) => boolean) => plant.filter(f).length;
  const binance = <T extends {venue: string}>(xs: T[]) => xs.find((x) => x.venue === "binance");
  const covers = (x: {low: number; high: number; planted: number | null} | undefined) => !!x && x.planted !== null && x.low <= x.planted && x.planted <= x.high;
  return {
    "ch05-levels": {replicated: count((r) => sig(r.levelsP)), seeds: plant.length, criterion: "the level match significant at p < 0.05", markets},
    "ch05-escape-ratio": {replicated: count((r) => sig(r.ratioNullP)), seeds: plant.length, criterion: "the ratio above the pure-diffusion walks at p < 0.05", markets},
    "ch05-kramers-slope": {replicated: count((r) => sig(r.slopeNullP)), seeds: plant.length, criterion: "the slope above the pure-diffusion walks at p < 0.05", markets},
    "ch02-sign-exponent": {replicated: count((r) => covers(binance(r.signs))), seeds: plant.length, criterion: "Binance's interval covering the planted exponent", markets},
    "ch02-size-tail": {replicated: count((r) => covers(binance(r.hill))), seeds: plant.length, criterion: "Binance's interval covering the planted tail exponent", markets}
  };
}

function writeReplicationModule(table: ReturnType<typeof replicationTable>, path = "lib/analysis/replication.ts"): void {
  const text = readFileSync(path, "utf8");
  const start = text.indexOf("export const REPLICATION:");
  const end = text.indexOf(";\n", start);
  if (start < 0 || end < 0) throw new Error(`${path}: no REPLICATION constant to replace`);
  const body = `export const REPLICATION: Readonly<Record<string, Replication>> = ${JSON.stringify(table, null, 2)}`;
  writeFileSync(path, text.slice(0, start) + body + text.slice(end));
}

/**
 * Where the sign-ACF exponent's bias comes from: Binance's and Bybit's exponent on `seeds`
 * markets, with informed and arbitrage flow at their defaults or off, signs demeaned per hour (the
 * chapter's estimator) or not. Prints one line per market.
 */
function signVariants(args: Args): void {
  const r = mulberry32(deriveSeed(args.seed, "sign variants"));
  for (let i = 0; i < args.signVariants; ++i) {
    const seed = 1_000_000 + Math.floor(r() * 2_000_000_000);
    for (const [label, informedShare, arbitrageShare] of [["default flow", DEFAULTS.simulation.informedShare, DEFAULTS.simulation.arbitrageShare], ["no informed, no arbitrage", 0, 0]] as const) {
      const config = validateConfig({...DEFAULTS, seed, hours: args.hours, venues: ["binance", "bybit"], source: "simulated", simulation: {...DEFAULTS.simulation, rateScale: args.rateScale, informedShare, arbitrageShare}});
      const market = simulateMarket(config, {binWidths: [1000], flow: false});
      const parts = market.venues.map((v) => {
        const t = market.trades[v]!;
        const hourly = signRow(v, t.time, t.side, market.span, null, MICROSTRUCTURE_DEFAULTS).fit.exponent;
        const raw = signRow(v, t.time, t.side, market.span, null, {...MICROSTRUCTURE_DEFAULTS, signDemeanMs: Number.MAX_SAFE_INTEGER}).fit.exponent;
        return `${v} ${hourly.toFixed(3)} demeaned per hour, ${raw.toFixed(3)} not demeaned`;
      });
      console.log(`seed ${seed}, ${label}: ${parts.join("; ")}`);
    }
  }
}

/** Runs the calibration with command-line arguments `argv` (see the file's header); `npm run calibrate` calls it after the leadership rows. */
export function calibrateMetastability(argv: string[]): void {
  const args = parseArgs(argv);
  if (args.signVariants > 0) return signVariants(args);
  const r = mulberry32(deriveSeed(args.seed, "metastability calibration"));
  const seedOf = () => 1_000_000 + Math.floor(r() * 2_000_000_000);
  const specs: {kind: MarketRow["kind"]; seed: number}[] = [
    ...Array.from({length: args.seeds}, () => ({kind: "plant" as const, seed: seedOf()})),
    ...Array.from({length: args.nulls}, () => ({kind: "no-wells" as const, seed: seedOf()}))
  ];
  const rows: MarketRow[] = args.from ? (JSON.parse(readFileSync(args.from, "utf8")) as {markets: MarketRow[]}).markets : [];
  for (const [i, s] of (args.from ? [] : specs).entries()) {
    const t = Date.now();
    rows.push(runMarket(args, s.kind, s.seed));
    const x = rows[rows.length - 1];
    process.stderr.write(`${i + 1}/${specs.length} ${s.kind} seed ${s.seed}: levels p ${x.levelsP}, slope ${x.slope} (null p ${x.slopeNullP}), ratio ${x.ratio} (exact p ${x.ratioExactP}, null p ${x.ratioNullP}), fade ${x.fade.join(",") || "none"} — ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  }
  const {rates, bias} = summarise(rows);
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  console.log("| claim | markets | measure | rate [95 % Wilson] | count |\n| --- | --- | --- | --- | --- |");
  for (const x of rates) console.log(`| ${x.claim} | ${x.markets} | ${x.measure} | ${pct(x.rate)} [${pct(x.low)}, ${pct(x.high)}] | ${x.hits} of ${x.n} |`);
  console.log("\n| estimate | n | mean | planted | bias ± SE | interval coverage |\n| --- | --- | --- | --- | --- | --- |");
  for (const b of bias) console.log(`| ${b.claim} | ${b.estimates} | ${b.mean.toFixed(3)} | ${b.planted} | ${b.bias.toFixed(3)} ± ${b.se.toFixed(3)} | ${pct(b.coverage)} |`);
  mkdirSync(dirname(args.out), {recursive: true});
  writeFileSync(args.out, JSON.stringify({args, rates, bias, replication: replicationTable(rows, args), markets: rows}, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1));
  process.stderr.write(`wrote ${args.out}\n`);
  if (args.writeReplication) {
    writeReplicationModule(replicationTable(rows, args));
    process.stderr.write("wrote lib/analysis/replication.ts\n");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) calibrateMetastability(process.argv.slice(2));
