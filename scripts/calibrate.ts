/**
 * Calibration of the leadership claims (lib/analysis/leadership.ts) on small simulated markets held
 * in memory: the false-positive rate of every claim on markets without lead–lag (null markets)
 * and its power on markets with a planted leader (planted markets), each with a 95 % Wilson
 * interval and the counts, plus every market's seed and plant so that a row can be rerun.
 *
 *   npm run calibrate [-- --null 40 --planted 40 --small 8 --hours 1 --rate-scale 0.25
 *                        --resamples 499 --seed 17017 --transfer interpolated|last
 *                        --out copy.json --only 3 --skip-metastability]
 *
 * Writes JSON to the calibration store, `<CVE_DATA_DIR>/calibration/<key>.json` (default
 * `data/calibration/`), where the key is the hash of this script's import graph and of the settings
 * (loaders/calibration.ts), so that the calibration page shows it only for the code that made it;
 * `--out` writes a copy elsewhere as well; a run with `--only` (one market) stores nothing unless
 * `--out` is given. A table goes to stdout; progress to stderr.
 *
 * `npm run calibrate -- --phase` runs the calibration of chapters 04 and 06 instead
 * (scripts/calibrate-phase.ts: change points, early warning, regime label, coincidences, on
 * seeds of today's plant and of markets without a crash).
 *
 * Markets: `--hours` hours (default 1) from 00:00 UTC at `--rate-scale` (default 0.25) of the
 * venues' realistic trade rates (about 30, 15, 10 and 2.5 trades/s at Binance, Bybit, OKX and
 * Coinbase in calm hours), the crash planted at the configuration's fixed fractions of the span
 * (so every market has a calm, a crash of about 4 minutes and an after-crash period). Null
 * markets: every venue's delay equal (a random common delay 0–300 ms, another one in the crash: a
 * transition but no lead), informed flow on in half of them (share 0.4–0.8) and off in the other
 * half, arbitrage share drawn 0–0.4 (it acts only where a venue leads). Planted markets: a random
 * leader with a random base delay 0–100 ms and every other venue 100–500 ms later; arbitrage flow
 * on (share 0.2–0.4) in half and off in the other half; a crash-time flip (another random leader
 * with new delays in the crash) in half, crossed with arbitrage; informed share 0–0.7. `--small`
 * planted markets (default 8) with the others only 20–90 ms later show the rule's resolution below
 * the targets' range; they enter no other row. Seeds and plants are drawn from `--seed` (default
 * 17017), never the defaults of loaders/config.ts.
 *
 * Claims (per period = before the crash, crash, after the crash, trimmed by the plant's
 * transition):
 * - leader per period (the rule: HY argmax lead, moving-block bootstrap, intersection–union):
 *   false positive = a leader named in a null period; power = the planted leader named in a
 *   planted period. Also the variant whose statistic is the HY lead asymmetry and the variant that
 *   also needs the TE channel to agree.
 * - HY lead per pair (two-sided, level α): false positive = a lead claimed for a pair with equal
 *   planted delays; power = the right direction for a pair whose delays differ by ≥ 100 ms.
 * - significant link (TE time-reversal difference on 100 ms prices interpolated from the trades,
 *   or with `--transfer last` the bins' last prices; one-sided, level α, per ordered link):
 *   false positive = a link between venues with equal delays; power = the link from the earlier
 *   to the later venue when their delays differ by ≥ 100 ms.
 * - leadership flip (per market): claimed when leaders are named before and in the crash and
 *   differ; false positive on markets without a planted flip; power = the planted pair of leaders.
 * - information-share leader (per period; chapter 02's VECM information shares of every venue on
 *   the period's 1 s log prices): as page 02 states it — the venue of largest IS midpoint, named
 *   only where the rule names the same venue — and, for comparison, the largest share alone
 *   (which names a venue in every period with a fit, so its false-positive rate is that share).
 * - chapter 02's HY lead per pair (blockLeadLagScan over 16 tick blocks of the period, centred on
 *   the cross-correlation peak, as chapter 02 computes it, in its periods before the crash and
 *   in the crash): a lead is stated when the bootstrap interval excludes 0; false positive on
 *   pairs with equal delays, power = the right direction for pairs ≥ 100 ms apart.
 * - MI lag per pair (chapter 03's lag of largest shuffle-corrected mutual information of 100 ms
 *   price-change symbols, full span, as the chapter computes it): a lag is claimed when it is
 *   not 0 and its shuffle p ≤ α; false positive on pairs with equal delays; power = the sign of
 *   the planted calm-period delay difference (and, apart, within one bin of it).
 *
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";
import {gridRange, hyPair, hyResolved, logPrices, microstructurePeriods, MICROSTRUCTURE_DEFAULTS, periodReturns, periodTicks, secondPrices, shareModel, xcorrPair} from "../lib/analysis/ch02.js";
import {binSymbols, INFORMATION_FLOW_DEFAULTS, laggedPriceInformation} from "../lib/analysis/ch03.js";
import {CLAIMS} from "../lib/analysis/claim-names.js";
import {corroborates, leadership, nameLeader, tradeCountsOf, type LeadershipResult} from "../lib/analysis/leadership.js";
import {schedulePeriods, type Period} from "../lib/analysis/periods.js";
import {wilsonInterval} from "../lib/binomial-test.js";
import {deriveSeed, mulberry32} from "../lib/random.js";
import {calibrationCodeKey, calibrationKey, CALIBRATION_DEFAULTS, settingsOf, writeCalibration, type CalibrationSettings} from "../loaders/calibration.ts";
import {ARCHIVE_VENUES as VENUES, DEFAULTS, loadConfig, validateConfig, type AnalysisConfig, type Venue} from "../loaders/config.ts";
import {delayDiff, type Delays} from "../lib/analysis/venues.js";
import {simulateMarket} from "../loaders/simulate/market.ts";
import {calibrateMetastability} from "./calibrate-metastability.ts";
import {PHASE_ARGS, runPhaseCalibration, type PhaseArgs} from "./calibrate-phase.ts";
import {readFlags} from "./flags.ts";

interface Args extends CalibrationSettings {
  out: string | null;
  only: number | null;
  /** Skip chapter 05's and chapter 02's sign/size rows (scripts/calibrate-metastability.ts). */
  skipMetastability: boolean;
}

function parseArgs(argv: string[]): Args {
  return readFlags<Args>(
    argv,
    {...CALIBRATION_DEFAULTS, out: null, only: null, skipMetastability: false},
    {
      "--null": {key: "nulls", type: "number"},
      "--planted": {key: "planted", type: "number"},
      "--small": {key: "small", type: "number"},
      "--hours": {key: "hours", type: "number"},
      "--rate-scale": {key: "rateScale", type: "number"},
      "--resamples": {key: "resamples", type: "number"},
      "--seed": {key: "seed", type: "number"},
      "--alpha": {key: "alpha", type: "number"},
      "--only": {key: "only", type: "number"},
      "--skip-metastability": {key: "skipMetastability", type: "switch"},
      "--out": {key: "out", type: "string"},
      "--transfer": {key: "transfer", type: "choice", choices: ["interpolated", "last"]}
    },
    "scripts/calibrate.ts"
  );
}

/** One market of the sweep: what was planted and how to rebuild it. */
interface MarketSpec {
  index: number;
  kind: "null" | "planted" | "small";
  seed: number;
  hours: number;
  rateScale: number;
  leadsCalmMs: Record<Venue, number>;
  leadsCrashMs: Record<Venue, number>;
  informedShare: number;
  arbitrageShare: number;
  flip: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The sweep's markets, drawn from the master seed. */
export function sweep(args: Args): MarketSpec[] {
  const r = mulberry32(deriveSeed(args.seed, "calibration sweep"));
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const seedOf = () => 1_000_000 + Math.floor(r() * 2_000_000_000);
  const same = (d: number) => Object.fromEntries(VENUES.map((v) => [v, d])) as Record<Venue, number>;
  const planted = (leader: Venue, lo = 100, hi = 500) => {
    const base = int(0, 100);
    return Object.fromEntries(VENUES.map((v) => [v, v === leader ? base : base + int(lo, hi)])) as Record<Venue, number>;
  };
  const out: MarketSpec[] = [];
  for (let i = 0; i < args.nulls; ++i) {
    const informed = i % 2 === 1;
    out.push({
      index: out.length,
      kind: "null",
      seed: seedOf(),
      hours: args.hours,
      rateScale: args.rateScale,
      leadsCalmMs: same(int(0, 300)),
      leadsCrashMs: same(int(0, 300)),
      informedShare: informed ? round2(0.4 + 0.4 * r()) : 0,
      arbitrageShare: round2(0.4 * r()),
      flip: false
    });
  }
  for (let i = 0; i < args.planted; ++i) {
    const arbitrage = i % 2 === 1;
    const flip = i % 4 >= 2;
    const leader = pick(VENUES);
    const calm = planted(leader);
    const crashLeader = flip ? pick(VENUES.filter((v) => v !== leader)) : leader;
    out.push({
      index: out.length,
      kind: "planted",
      seed: seedOf(),
      hours: args.hours,
      rateScale: args.rateScale,
      leadsCalmMs: calm,
      leadsCrashMs: flip ? planted(crashLeader) : {...calm},
      informedShare: round2(0.7 * r()),
      arbitrageShare: arbitrage ? round2(0.2 + 0.2 * r()) : 0,
      flip
    });
  }
  for (let i = 0; i < args.small; ++i) {
    const calm = planted(pick(VENUES), 20, 90);
    out.push({
      index: out.length,
      kind: "small",
      seed: seedOf(),
      hours: args.hours,
      rateScale: args.rateScale,
      leadsCalmMs: calm,
      leadsCrashMs: {...calm},
      informedShare: round2(0.7 * r()),
      arbitrageShare: i % 2 === 1 ? round2(0.2 + 0.2 * r()) : 0,
      flip: false
    });
  }
  return out;
}

function configOf(spec: MarketSpec): AnalysisConfig {
  return validateConfig({
    ...DEFAULTS,
    hours: spec.hours,
    seed: spec.seed,
    simulation: {
      ...DEFAULTS.simulation,
      rateScale: spec.rateScale,
      leadsCalmMs: spec.leadsCalmMs,
      leadsCrashMs: spec.leadsCrashMs,
      informedShare: spec.informedShare,
      arbitrageShare: spec.arbitrageShare
    }
  });
}

/** What one period gave. */
interface PeriodOutcome {
  period: string;
  start: number;
  end: number;
  planted: Venue | null;
  delaysMs: Delays;
  /** Named leaders: the rule (HY argmax lead), the asymmetry variant, the rule with TE agreement. */
  leader: Venue | null;
  leaderByAsymmetry: Venue | null;
  leaderWithTe: Venue | null;
  /**
   * Chapter 02's information shares (VECM on 1 s log prices of every venue, the period's seconds):
   * the venue of largest IS midpoint (null without a fit), and the leader page 02 states from them
   * (that venue only when the rule names the same one, lib/analysis/ch02.ts shareSentence).
   */
  shareTop: Venue | null;
  shareLeader: Venue | null;
  p: number;
  reason: string | null;
  pairs: {a: Venue; b: Venue; delayDiffMs: number; lead: number; interval: [number, number]; pAB: number; pBA: number; pAsymmetry: [number, number]; teD: number; tePAB: number; tePBA: number}[];
}

/** Chapter 02's Hayashi–Yoshida lead of one pair in one of its scanned periods: positive = b later. */
interface Ch02Hy {
  period: string;
  a: Venue;
  b: Venue;
  leadMs: number;
  interval: [number, number];
  resolved: boolean;
  delayDiffMs: number;
}

/** Chapter 03's lag of largest shared information of one pair (full span, as the chapter): positive = y later. */
interface LagOutcome {
  x: Venue;
  y: Venue;
  bestLagMs: number;
  bestP: number;
  /** Planted calm-period delay of y behind x, ms (what page 03 draws beside the lag). */
  plantedLagMs: number;
}

export function analyseMarket(spec: MarketSpec, args: Args): {periods: PeriodOutcome[]; lags: LagOutcome[]; hy02: Ch02Hy[]; trades: Record<string, number>; ms: number} {
  const started = performance.now();
  const config = configOf(spec);
  const market = simulateMarket(config, {binWidths: [100], flow: false});
  const truth = market.truth!;
  const periods: Period[] = schedulePeriods(truth, market.span, {trimMs: truth.leadLag.transitionMs});
  const venues = market.venues;
  const trades = Object.fromEntries(venues.map((v) => [v, market.trades[v]!])) as Record<Venue, NonNullable<(typeof market.trades)[Venue]>>;
  const bins = Object.fromEntries(venues.map((v) => [v, market.bins[100]![v]!])) as Record<Venue, NonNullable<NonNullable<(typeof market.bins)[number]>[Venue]>>;
  // Chapter 03's lagged MI of 100 ms price-change symbols (full span, its surrogates and seed label),
  // and chapter 02's 1 s log prices for the information shares.
  const symbols = binSymbols(bins, venues, 100);
  const lagMI = laggedPriceInformation(symbols, venues, truth, {seed: deriveSeed(spec.seed, "ch03"), surrogates: INFORMATION_FLOW_DEFAULTS.surrogates});
  const lags: LagOutcome[] = lagMI.pairs.map((q) => ({x: q.x, y: q.y, bestLagMs: q.bestLagMs, bestP: q.bestP, plantedLagMs: q.plantedLagMs!}));
  const t0 = bins[venues[0]].t[0];
  const logs = venues.map((v) => logPrices(secondPrices(symbols.last[v]!)));
  // Chapter 02's HY lead per pair in its scanned periods (16 tick blocks, centred on the
  // cross-correlation peak of 100 ms returns; its seed labels, the market's seed).
  const hy02: Ch02Hy[] = [];
  // Each pair's HY sums sweep the venue with fewer trades in the market, as the build's do.
  const counts = tradeCountsOf(trades);
  const params = {...MICROSTRUCTURE_DEFAULTS, seed: spec.seed};
  for (const p of microstructurePeriods(truth, market.span, params).filter((q) => q.hy && q.planted)) {
    const ticks = new Map(venues.map((v) => [v, periodTicks(trades[v].time.subarray(0, trades[v].length), trades[v].price.subarray(0, trades[v].length), p, params)]));
    const returns = new Map(venues.map((v) => [v, periodReturns(symbols.last[v] as Float64Array, t0, p, params.xcorrWidthMs)]));
    for (let i = 0; i < venues.length; ++i)
      for (let j = i + 1; j < venues.length; ++j) {
        const [a, b] = [venues[i], venues[j]];
        const xc = xcorrPair(a, b, returns.get(a)!, returns.get(b)!, p, params);
        const h = hyPair(a, b, ticks.get(a)!, ticks.get(b)!, Number.isFinite(xc.refinedLagMs) ? xc.refinedLagMs : 0, p, params, counts);
        hy02.push({period: p.id, a, b, leadMs: h.leadMs, interval: h.interval, resolved: hyResolved(h), delayDiffMs: delayDiff(p.planted!.delaysMs, a, b)!});
      }
  }
  const out: PeriodOutcome[] = [];
  for (const period of periods) {
    const res: LeadershipResult<Venue> = leadership(venues, trades, period.start, period.end, {
      alpha: args.alpha,
      resamples: args.resamples,
      seed: deriveSeed(spec.seed, `leadership ${period.id}`),
      bins,
      transfer: args.transfer,
      tradeCounts: counts
    });
    const byAsymmetry = nameLeader(venues, res.pairs, {alpha: args.alpha, statistic: "asymmetry"}).leader;
    const delays = period.planted!.delaysMs;
    const [a, b] = gridRange(t0, MICROSTRUCTURE_DEFAULTS.vecmIntervalMs, logs[0].length, period.start, period.end);
    const shares = shareModel(venues, logs, a, b, period, MICROSTRUCTURE_DEFAULTS);
    let top: Venue | null = null;
    if (shares) shares.isMid.forEach((x, i) => (top === null || x > shares.isMid[venues.indexOf(top)] ? (top = venues[i]) : 0));
    out.push({
      period: period.id,
      start: period.start,
      end: period.end,
      planted: period.planted!.leader,
      delaysMs: delays,
      leader: res.leader,
      leaderByAsymmetry: byAsymmetry,
      leaderWithTe: res.leader && corroborates(res.leader, venues, res.transfer) ? res.leader : null,
      shareTop: top,
      shareLeader: top !== null && top === res.leader ? top : null,
      p: res.p,
      reason: res.reason,
      pairs: res.pairs.map((q, i) => {
        const t = res.transfer[i];
        return {
          a: q.a,
          b: q.b,
          delayDiffMs: delayDiff(delays, q.a, q.b)!,
          lead: q.lead,
          interval: q.interval,
          pAB: q.pAB,
          pBA: q.pBA,
          pAsymmetry: q.pAsymmetry,
          teD: t?.d ?? NaN,
          tePAB: t?.pAB ?? NaN,
          tePBA: t?.pBA ?? NaN
        };
      })
    });
  }
  return {periods: out, lags, hy02, trades: Object.fromEntries(venues.map((v) => [v, trades[v].length])), ms: performance.now() - started};
}

interface Rate {
  claim: string;
  measure: "false positive" | "power";
  population: string;
  count: number;
  total: number;
  rate: number;
  interval: [number, number];
  target: string;
}

function rate(claim: string, measure: Rate["measure"], population: string, count: number, total: number, target: string): Rate {
  return {claim, measure, population, count, total, rate: total ? count / total : NaN, interval: wilsonInterval(count, total), target};
}

function summarise(rows: {spec: MarketSpec; periods: PeriodOutcome[]; lags: LagOutcome[]; hy02: Ch02Hy[]}[], alpha: number): Rate[] {
  const rates: Rate[] = [];
  const main = rows.filter((r) => r.spec.kind !== "small");
  const nullPeriods = (informed: boolean | null) =>
    rows.filter((r) => r.spec.kind === "null" && (informed === null || (r.spec.informedShare > 0) === informed)).flatMap((r) => r.periods);
  const plantPeriods = (kind: MarketSpec["kind"], arb: boolean | null) =>
    rows.filter((r) => r.spec.kind === kind && (arb === null || (r.spec.arbitrageShare > 0) === arb)).flatMap((r) => r.periods.filter((p) => p.planted !== null));
  const leaderClaims: [string, "leader" | "leaderByAsymmetry" | "leaderWithTe" | "shareTop" | "shareLeader"][] = [
    ["leader per period (rule: HY argmax lead, IUT)", "leader"],
    ["leader per period (variant: HY asymmetry)", "leaderByAsymmetry"],
    ["leader per period (variant: rule + TE agrees)", "leaderWithTe"],
    [CLAIMS.shareLeader, "shareLeader"],
    ["information-share leader alone (largest IS midpoint, not a claim of the workbook)", "shareTop"]
  ];
  for (const [claim, key] of leaderClaims) {
    const nulls = nullPeriods(null);
    rates.push(rate(claim, "false positive", "null (market, period)", nulls.filter((p) => p[key] !== null).length, nulls.length, "≤ 5 %"));
    if (key === "leader")
      for (const [informed, label] of [
        [true, "null with informed flow (market, period)"],
        [false, "null without informed flow (market, period)"]
      ] as const) {
        const ps = nullPeriods(informed);
        rates.push(rate(claim, "false positive", label, ps.filter((p) => p[key] !== null).length, ps.length, "≤ 5 %"));
      }
    // The issue's power targets are the leader rule's (and its variants'); the shares have none.
    const shares = key === "shareLeader" || key === "shareTop";
    for (const [arb, label, target] of [
      [true, "planted, arbitrage flow (market, period)", shares ? "" : "≥ 95 %"],
      [false, "planted, no arbitrage flow (market, period)", shares ? "" : "≥ 80 %"]
    ] as const) {
      const ps = plantPeriods("planted", arb);
      rates.push(rate(claim, "power", label, ps.filter((p) => p[key] === p.planted).length, ps.length, target));
    }
    const ps = plantPeriods("planted", null);
    const wrong = ps.filter((p) => p[key] !== null && p[key] !== p.planted).length;
    rates.push(rate(claim, "false positive", "planted (market, period): a wrong leader named", wrong, ps.length, "≤ 5 %"));
    const small = plantPeriods("small", null);
    if (small.length) rates.push(rate(claim, "power", "planted 20–90 ms, below the targets' range (market, period)", small.filter((p) => p[key] === p.planted).length, small.length, "(none)"));
  }
  // HY lead per pair, two-sided at α.
  const allPairs = main.flatMap((r) => r.periods.flatMap((p) => p.pairs));
  const hyNull = allPairs.filter((q) => q.delayDiffMs === 0);
  const hyPlant = allPairs.filter((q) => Math.abs(q.delayDiffMs) >= 100);
  const sig = (p: [number, number]) => (Math.min(p[0], p[1]) <= alpha / 2 ? (p[0] <= p[1] ? 1 : -1) : 0);
  for (const [claim, pOf] of [
    ["HY lead per pair (rule: argmax interval, two-sided α)", (q: (typeof allPairs)[number]) => [q.pAB, q.pBA] as [number, number]],
    ["HY lead per pair (variant: asymmetry, two-sided α)", (q: (typeof allPairs)[number]) => q.pAsymmetry]
  ] as const) {
    rates.push(rate(claim, "false positive", "pairs with equal delays", hyNull.filter((q) => sig(pOf(q)) !== 0).length, hyNull.length, "≤ 5 % + 2 SE"));
    rates.push(rate(claim, "power", "pairs with delays ≥ 100 ms apart (right direction)", hyPlant.filter((q) => sig(pOf(q)) === Math.sign(q.delayDiffMs)).length, hyPlant.length, ""));
  }
  // Chapter 02's HY lead per pair: a lead stated when its bootstrap interval excludes 0.
  const hy02 = main.flatMap((r) => r.hy02);
  const hy02Null = hy02.filter((q) => q.delayDiffMs === 0);
  const hy02Plant = hy02.filter((q) => Math.abs(q.delayDiffMs) >= 100);
  const hyClaim = CLAIMS.hy02;
  rates.push(rate(hyClaim, "false positive", "pairs with equal delays (before the crash, crash)", hy02Null.filter((q) => q.resolved).length, hy02Null.length, "≤ 5 % + 2 SE"));
  rates.push(rate(hyClaim, "false positive", "pairs ≥ 100 ms apart: the wrong direction", hy02Plant.filter((q) => q.resolved && Math.sign(q.leadMs) !== Math.sign(q.delayDiffMs)).length, hy02Plant.length, "≤ 5 %"));
  rates.push(rate(hyClaim, "power", "pairs ≥ 100 ms apart: the right direction", hy02Plant.filter((q) => q.resolved && Math.sign(q.leadMs) === Math.sign(q.delayDiffMs)).length, hy02Plant.length, ""));
  // Chapter 03's lag of largest shared information (MI of 100 ms price changes, full span), per
  // pair: a lag claimed = a non-zero lag with shuffle p ≤ α at it; its sign is the direction.
  const lagPairs = main.flatMap((r) => r.lags);
  const claimed = (q: LagOutcome) => q.bestLagMs !== 0 && q.bestP <= alpha;
  const lagNull = lagPairs.filter((q) => q.plantedLagMs === 0);
  const lagPlant = lagPairs.filter((q) => Math.abs(q.plantedLagMs) >= 100);
  const claim = CLAIMS.miLag;
  rates.push(rate(claim, "false positive", "pairs with equal delays (full span)", lagNull.filter(claimed).length, lagNull.length, "≤ 5 % + 2 SE"));
  rates.push(rate(claim, "false positive", "pairs ≥ 100 ms apart: the wrong direction", lagPlant.filter((q) => claimed(q) && Math.sign(q.bestLagMs) !== Math.sign(q.plantedLagMs)).length, lagPlant.length, "≤ 5 %"));
  rates.push(rate(claim, "power", "pairs ≥ 100 ms apart (calm delays): the right direction", lagPlant.filter((q) => claimed(q) && Math.sign(q.bestLagMs) === Math.sign(q.plantedLagMs)).length, lagPlant.length, ""));
  rates.push(rate(claim, "power", "pairs ≥ 100 ms apart: within one 100 ms bin of the planted lag", lagPlant.filter((q) => claimed(q) && Math.abs(q.bestLagMs - q.plantedLagMs) <= 100).length, lagPlant.length, ""));
  // Significant link: TE time-reversal difference, per ordered link, one-sided at α.
  const links = allPairs.flatMap((q) => [
    {diff: q.delayDiffMs, p: q.tePAB},
    {diff: -q.delayDiffMs, p: q.tePBA}
  ]);
  const linkNull = links.filter((l) => l.diff === 0 && l.p === l.p);
  const linkPlant = links.filter((l) => l.diff >= 100 && l.p === l.p);
  rates.push(rate("significant link (TE time-reversal, one-sided α)", "false positive", "ordered links with equal delays", linkNull.filter((l) => l.p <= alpha).length, linkNull.length, "≤ 5 % + 2 SE"));
  const reversed = links.filter((l) => l.diff <= -100 && l.p === l.p);
  rates.push(rate("significant link (TE time-reversal, one-sided α)", "false positive", "ordered links against a planted lead ≥ 100 ms", reversed.filter((l) => l.p <= alpha).length, reversed.length, "≤ 5 %"));
  rates.push(rate("significant link (TE time-reversal, one-sided α)", "power", "ordered links along a planted lead ≥ 100 ms", linkPlant.filter((l) => l.p <= alpha).length, linkPlant.length, ""));
  // Leadership flip, per market.
  const flipOf = (r: {periods: PeriodOutcome[]}) => {
    const before = r.periods.find((p) => p.period === "before-crash");
    const crash = r.periods.find((p) => p.period === "crash");
    return {before, crash, claimed: !!before?.leader && !!crash?.leader && before.leader !== crash.leader};
  };
  const noFlip = main.filter((r) => !r.spec.flip);
  const flips = main.filter((r) => r.spec.flip);
  rates.push(rate("leadership flip", "false positive", "markets without a planted flip (null and planted)", noFlip.filter((r) => flipOf(r).claimed).length, noFlip.length, "≤ 5 %"));
  rates.push(
    rate(
      "leadership flip",
      "power",
      "markets with a planted flip (both leaders right)",
      flips.filter((r) => {
        const f = flipOf(r);
        return f.claimed && f.before!.leader === f.before!.planted && f.crash!.leader === f.crash!.planted;
      }).length,
      flips.length,
      "≥ 90 %"
    )
  );
  return rates;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : "n/a");

function table(rates: Rate[]): string {
  const head = ["claim", "measure", "population", "k / n", "rate", "95 % Wilson", "target"];
  const body = rates.map((r) => [r.claim, r.measure, r.population, `${r.count} / ${r.total}`, pct(r.rate), `[${pct(r.interval[0])}, ${pct(r.interval[1])}]`, r.target]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(w[i])).join("  ");
  return [line(head), line(w.map((n) => "-".repeat(n))), ...body.map(line)].join("\n");
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  // The key of the code as it is when the sweep starts.
  const settings = settingsOf(args);
  const key = calibrationKey(settings);
  const codeKey = calibrationCodeKey();
  let specs = sweep(args);
  if (args.only !== null) specs = specs.filter((s) => s.index === args.only);
  const rows: {spec: MarketSpec; periods: PeriodOutcome[]; lags: LagOutcome[]; hy02: Ch02Hy[]; trades: Record<string, number>; ms: number}[] = [];
  for (const spec of specs) {
    const res = analyseMarket(spec, args);
    rows.push({spec, ...res});
    const named = res.periods.map((p) => `${p.period}: ${p.leader ?? "none"}${p.planted ? ` (planted ${p.planted})` : ""}`).join(", ");
    process.stderr.write(`[${rows.length}/${specs.length}] ${spec.kind} #${spec.index} seed ${spec.seed}: ${named} — ${(res.ms / 1000).toFixed(1)} s\n`);
  }
  const rates = summarise(rows, args.alpha);
  const seconds = (performance.now() - started) / 1000;
  const out = {
    key,
    codeKey,
    generated: new Date().toISOString(),
    command: `npm run calibrate -- ${process.argv.slice(2).join(" ")}`.trim(),
    settings,
    method: {
      rule: "HY argmax lead, moving-block bootstrap (30 s blocks of 1 s sub-blocks), intersection–union over followers at α/m, Bonferroni over candidates",
      periods: "schedulePeriods(truth, span, {trimMs: transitionMs})",
      shares: "chapter 02 shareModel: VECM on 1 s log prices of every venue per period (MICROSTRUCTURE_DEFAULTS)",
      hy02: "chapter 02 hyPair per pair in its HY periods: blockLeadLagScan over 16 tick blocks centred on the cross-correlation peak (MICROSTRUCTURE_DEFAULTS, seed = the market's)",
      lags: "chapter 03 laggedPriceInformation: MI of 100 ms price-change symbols over the full span, ±2 s, shuffle-corrected (INFORMATION_FLOW_DEFAULTS.surrogates)"
    },
    seconds,
    rates,
    markets: rows.map((r) => ({...r.spec, trades: r.trades, seconds: r.ms / 1000, periods: r.periods, lags: r.lags, hy02: r.hy02}))
  };
  const written: string[] = [];
  if (args.only === null) written.push(writeCalibration(loadConfig().dataDir, out));
  if (args.out) {
    mkdirSync(dirname(args.out), {recursive: true});
    writeFileSync(args.out, JSON.stringify(out, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1));
    written.push(args.out);
  }
  process.stdout.write(
    `${table(rates)}\n\n${rows.length} markets in ${seconds.toFixed(0)} s; rerun one market with the same arguments and --only <index>; ` +
      (written.length ? `seeds and plants in ${written.join(" and ")}\n` : "nothing stored (a run with --only stores only with --out)\n")
  );
  // Chapter 05's claims and chapter 02's sign-ACF exponent and Hill tail, on their own markets.
  if (!args.skipMetastability && args.only === null) calibrateMetastability([]);
}

/** `--phase`: the calibration of chapters 04 and 06 (scripts/calibrate-phase.ts) instead of the leadership sweep. */
function mainPhase(argv: string[]): void {
  const a = readFlags<PhaseArgs>(
    argv.filter((k) => k !== "--phase"),
    PHASE_ARGS,
    {
      "--seeds": {key: "seeds", type: "number"},
      "--hours": {key: "hours", type: "number"},
      "--rate-scale": {key: "rateScale", type: "number"},
      "--surrogates": {key: "surrogates", type: "number"},
      "--seed": {key: "seed", type: "number"},
      "--alpha": {key: "alpha", type: "number"},
      "--out": {key: "out", type: "string"},
      "--record": {key: "record", type: "parse", parse: (v) => (v === "-" ? null : v)}
    },
    "scripts/calibrate.ts --phase"
  );
  const {table} = runPhaseCalibration(a);
  process.stdout.write(`${table}\n\n${2 * a.seeds} markets; seeds and outcomes in ${a.out}\n`);
}

if (process.argv.includes("--phase")) mainPhase(process.argv.slice(2));
else main();
