// The claim sentences of chapters 02, 03 and 05 and of the report's leader sentences, rendered for
// two seeds of today's plant (the default seed and another), each checked against the chapter
// result numbers it cites: every number printed is the result's, and every verdict word
// ("significant", "more than chance", "long-memory", "leads", "worth following", …) appears
// exactly when the result and its calibration say so. Chapters 04 and 06 have the same check in
// claims-phase.test.ts. `claimProblems` lists every disagreement; a test below shows that it
// catches a wrong sentence.
import test from "node:test";
import assert from "node:assert/strict";
import {analyseMicrostructure, MICROSTRUCTURE_DEFAULTS, type MicrostructureResult} from "../../../lib/analysis/ch02.ts";
import {analyseInformationFlow, binSymbols, entropyDropSentence, entropyDropStudy, INFORMATION_FLOW_DEFAULTS, rollingEntropyGrid, type InformationFlow} from "../../../lib/analysis/ch03.ts";
import {analyseMetastability, METASTABILITY_DEFAULTS, type Chapter05} from "../../../lib/analysis/ch05.ts";
import {abstractLeaderSentence, chapter02Findings, chapter03Findings, chapter05Findings, isFinding, leaderEntries, tradingLeaderSentence, type Finding, type Outcome} from "../../../lib/analysis/findings.ts";
import {formatNumber, formatP} from "../../../lib/analysis/format.ts";
import {decidingPair, strongestLink} from "../../../lib/analysis/leaders.ts";
import {marketBins} from "../../../lib/analysis/market.ts";
import {calibrationRow} from "../../../lib/analysis/phase-calibration.ts";
import {replicationText, tableReplication} from "../../../lib/analysis/replication.ts";
import {venueLabel} from "../../../lib/analysis/venues.ts";
import {plantedTrades} from "../../../loaders/chapters/ch02.ts";
import {DEFAULTS, validateConfig} from "../../../loaders/config.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";

interface Results {
  ch02: MicrostructureResult;
  ch03: InformationFlow;
  ch05: Chapter05;
  /** Page 03's entropy-drop sentence at its defaults, and the study it was written from. */
  drop: {study: ReturnType<typeof entropyDropStudy>; text: string};
}

function results(seed: number): Results {
  const config = validateConfig({...DEFAULTS, seed, hours: 1, simulation: {...DEFAULTS.simulation, rateScale: 0.25}});
  const market = simulateMarket(config, {binWidths: [100, 1000], flow: true});
  const ch02 = analyseMicrostructure(market, {...MICROSTRUCTURE_DEFAULTS, seed, expectedTrades: plantedTrades(market.truth!)});
  const ch03 = analyseInformationFlow(market, {...INFORMATION_FLOW_DEFAULTS, seed, surrogates: 49, rollingSurrogates: 19, teWindowSec: 600, teStepSec: 300, pageTests: false});
  const s1 = binSymbols(Object.fromEntries(market.venues.map((v) => [v, marketBins(market, v, 1000)])), market.venues, 1000);
  const h = rollingEntropyGrid(s1, market.venues[0], [5]).get(5)!;
  const study = entropyDropStudy(s1, market.venues[0], h, {windowMin: 5, percentile: 5, seed});
  const config05 = validateConfig({...DEFAULTS, seed, hours: 3, source: "simulated", simulation: {...DEFAULTS.simulation, rateScale: 0.1}});
  const market05 = simulateMarket(config05, {binWidths: [1000], flow: false});
  const ch05 = analyseMetastability(market05, {...METASTABILITY_DEFAULTS, windowSec: 1200, seed, surrogates: 19, bootstrap: 99, nullPaths: 9});
  return {ch02, ch03, ch05, drop: {study, text: entropyDropSentence(study)}};
}

const ALPHA = 0.05;

/** Every disagreement between the claim sentences `f` (findings of chapters 02, 03, 05 and the report's leader sentences) and the results `r` they cite. */
export function claimProblems(r: Results, f: {outcomes: Outcome[]; abstract: string; trading: string; drop: string}): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string, text: string) => {
    if (!ok) problems.push(`${what}: ${text}`);
  };
  const get = (id: string) => f.outcomes.find((o) => o.id === id);
  for (const o of f.outcomes.filter(isFinding)) check(!/NaN|undefined|[−-]0(?![.\d])/.test(o.text), `${o.id} prints NaN, undefined or −0`, o.text);

  // 02 · sign-ACF exponent: the estimate and interval printed; "long-memory" only when the interval lies below 1; "covers" as the interval does.
  const sign = r.ch02.signs.venues.find((s) => s.venue === "binance") ?? r.ch02.signs.venues[0];
  const se = get("ch02-sign-exponent");
  if (sign && se && isFinding(se)) {
    const [lo, hi] = sign.fit.interval;
    check(se.value === sign.fit.exponent && se.text.includes(formatNumber(sign.fit.exponent, 2)) && se.text.includes(`[${formatNumber(lo, 2)}, ${formatNumber(hi, 2)}]`), "ch02-sign-exponent: estimate or interval", se.text);
    check(/so the flow is long-memory/.test(se.text) === hi < 1, "ch02-sign-exponent: long memory claimed against its interval", se.text);
    if (sign.planted !== null) {
      check(/the interval covers the planted exponent/.test(se.text) === (lo <= sign.planted && sign.planted <= hi), "ch02-sign-exponent: coverage", se.text);
      check(se.text.includes(replicationText(tableReplication("ch02-sign-exponent"))), "ch02-sign-exponent: replication clause", se.text);
    }
  } else check(!sign, "ch02-sign-exponent missing", "");
  // 02 · Hill tail: "does not exist" only below 2, "finite" only above 2.
  const size = r.ch02.sizes.find((s) => s.venue === "binance") ?? r.ch02.sizes[0];
  const st = get("ch02-size-tail");
  if (size && st && isFinding(st)) {
    const [lo, hi] = size.hill.interval;
    check(st.value === size.hill.alpha && st.text.includes(formatNumber(size.hill.alpha, 2)), "ch02-size-tail: estimate", st.text);
    check(/does not exist/.test(st.text) === hi < 2 && /is finite/.test(st.text) === lo > 2, "ch02-size-tail: variance verdict against its interval", st.text);
  }
  // 02 · HY lead: a lead is "resolved" only when its interval excludes 0; without a current calibration it is descriptive, naming no direction.
  for (const id of ["ch02-hy-lead", "ch02-hy-lead-crash"]) {
    const o = get(id);
    if (!o || !isFinding(o)) continue;
    if (o.interval) check(o.text.includes(`${formatNumber(o.value, 0)} ms`), `${id}: lead printed`, o.text);
    if (/largest resolved lead|whose bootstrap interval excludes 0/.test(o.text)) check(o.interval !== null && o.interval[0] > 0, `${id}: a resolved lead whose interval includes 0`, o.text);
    check(!/largest resolved lead on trade times is/.test(o.text) || !/not calibrated/.test(o.text), `${id}: a direction stated by an uncalibrated claim`, o.text);
  }

  // 03 · leaders: named only with rule p ≤ α, and the p and the deciding lead printed are the rule's.
  for (const o of r.ch03.leaders.filter((x) => x.analysis === "A")) {
    const id = {full: "ch03-leader", "before-crash": "ch03-leader-calm", crash: "ch03-leader-crash", "after-crash": null}[o.period];
    if (!id) continue;
    const x = get(id);
    const w = decidingPair(o);
    if (!x || !isFinding(x) || !w) continue;
    check(x.pValue === o.p, `${id}: p`, x.text);
    if (o.leader) {
      check(o.p <= o.alpha, `${id}: a leader named with rule p above α`, x.text);
      check(x.text.includes(`${venueLabel(o.leader)} leads`) && x.text.includes(formatP(o.p)) && x.text.includes(`${w.leadMs} ms`), `${id}: leader, p or lead`, x.text);
    } else check(/no leader is found/.test(x.text) && !/ leads /.test(x.text), `${id}: a leader named where the rule named none`, x.text);
  }
  // 03 · significant links: the count is the links with q ≤ 0.05, each flagged significant exactly then; the strongest cites its own q.
  const links = get("ch03-links");
  const linkSet = r.ch03.leaders.some((o) => o.analysis === "B") ? r.ch03.leaders.filter((o) => o.analysis === "B") : r.ch03.leaders.filter((o) => o.analysis === "A");
  for (const o of linkSet) for (const l of o.links) check(l.significant === l.q <= 0.05, `ch03 link ${l.source} → ${l.target}: significant flag against q = ${l.q}`, "");
  if (links && isFinding(links)) {
    const nSig = linkSet.reduce((n, o) => n + o.links.filter((l) => l.significant).length, 0);
    check(links.value === nSig, "ch03-links: count of significant links", links.text);
    const top = strongestLink(linkSet);
    if (top) check(links.text.includes(`${nSig} of `) && links.text.includes(formatP(top.q, "BH q")) && links.text.includes(formatP(top.p)), "ch03-links: the strongest link's p and q", links.text);
    else check(/None of the \d+ directed price → price links .* is significant/.test(links.text), "ch03-links: a significant link claimed where none is", links.text);
  }
  // 03 · MI lag and sign storage: the numbers printed are the result's.
  const mi = r.ch03.lagMI.pairs.reduce<InformationFlow["lagMI"]["pairs"][number] | null>((b, p) => (!b || p.best > b.best ? p : b), null);
  const ml = get("ch03-mi-lag");
  if (mi && ml && isFinding(ml)) check(ml.value === mi.bestLagMs && ml.text.includes(`${formatNumber(mi.bestLagMs, 0)} ms`), "ch03-mi-lag: lag", ml.text);
  const er = r.ch03.entropyRate.find((x) => x.venue === "binance") ?? r.ch03.entropyRate[0];
  const ss = get("ch03-sign-storage");
  if (er && ss && isFinding(ss)) check(ss.text.includes(formatNumber(er.signStorage, 3)) && ss.pValue === er.signStorageP, "ch03-sign-storage: storage or p", ss.text);
  // 03 · entropy drop: a signal ("worth following", "contrarian") only with permutation p < 0.05 and a calibration that holds.
  const h = r.drop.study.hits;
  if (h.events > 0) {
    check(f.drop.includes(`permutation ${formatP(h.pPermutation)}`) && f.drop.includes(`of ${h.events} events`), "entropy drop: p or events", f.drop);
    const fp = calibrationRow("entropy drop adds directional accuracy", "false-positive rate");
    check(/worth following|a contrarian signal/.test(f.drop) === (h.pPermutation < 0.05 && fp?.holds === true), "entropy drop: a signal against its test and calibration", f.drop);
    check(/adds no directional accuracy/.test(f.drop) === h.pPermutation >= 0.05, "entropy drop: 'no accuracy' against its p", f.drop);
  }
  // Report: the abstract and the trading implication name only leaders the rule named, with their p.
  const A = r.ch03.leaders.filter((o) => o.analysis === "A");
  const named = new Set(A.filter((o) => o.leader).map((o) => venueLabel(o.leader!)));
  for (const [what, text] of [["abstract", f.abstract], ["trading implication", f.trading]] as const) {
    for (const v of ["Binance", "Bybit", "OKX", "Coinbase"]) if (!named.has(v)) check(!new RegExp(`(names|from|to) ${v}\\b`).test(text), `report ${what}: ${v} named as a leader without the rule`, text);
    if (/flips/.test(text)) check(new Set(A.filter((o) => o.leader && o.period !== "after-crash").map((o) => o.leader)).size > 1, `report ${what}: a flip without two leaders`, text);
  }
  for (const o of A.filter((x) => x.period === "before-crash" || x.period === "crash")) if (/rule p = /.test(f.abstract)) check(f.abstract.includes(`rule p = ${formatNumber(o.p, 3)}`), `report abstract: ${o.period} p`, f.abstract);

  // 05 · level match, escape-rate ratio, Kramers slope: each verdict by its own p-value, each number the result's.
  const c5 = r.ch05;
  const lv = get("ch05-levels");
  if (c5.planted && lv && isFinding(lv)) {
    check(lv.pValue === c5.planted.pTime && lv.text.includes(`${formatNumber(100 * c5.planted.recoveredShare, 0)} %`), "ch05-levels: share or p", lv.text);
    check(/more than chance/.test(lv.text) === c5.planted.pTime < ALPHA && /^Not significant/.test(lv.text) === c5.planted.pTime >= ALPHA, "ch05-levels: verdict against p", lv.text);
  }
  const ratio = get("ch05-escape-ratio");
  const nul = c5.kramers.null;
  if (ratio && isFinding(ratio) && nul?.ratioP !== null && nul?.ratioP !== undefined) {
    check(ratio.value === c5.kramers.classes.ratio && ratio.pValue === nul.ratioP && ratio.text.includes(`${formatNumber(c5.kramers.classes.ratio, 1)} ×`), "ch05-escape-ratio: ratio or p", ratio.text);
    check(/more than random walks/.test(ratio.text) === nul.ratioP < ALPHA && /^Not significant against pure diffusion/.test(ratio.text) === nul.ratioP >= ALPHA, "ch05-escape-ratio: verdict against p", ratio.text);
  }
  const slope = get("ch05-kramers-slope");
  const k = c5.kramers.fit;
  if (slope && isFinding(slope) && k.slope !== null && nul?.slopeP !== null && nul?.slopeP !== undefined) {
    check(slope.value === k.slope && slope.text.includes(formatNumber(k.slope, 2)) && slope.text.includes(`n = ${k.n} level-windows`), "ch05-kramers-slope: slope or n", slope.text);
    check(/steeper than on random walks/.test(slope.text) === nul.slopeP < ALPHA, "ch05-kramers-slope: verdict against p", slope.text);
    const planted = c5.kramers.plantedLaw?.slope ?? null;
    if (planted !== null && k.low !== null && k.high !== null) check(/its interval covers the planted slope/.test(slope.text) === (k.low <= planted && planted <= k.high), "ch05-kramers-slope: coverage", slope.text);
  }
  for (const id of ["ch05-levels", "ch05-escape-ratio", "ch05-kramers-slope"]) {
    const o = get(id);
    if (o && isFinding(o) && c5.planted) check(o.text.includes(replicationText(tableReplication(id))), `${id}: replication clause`, o.text);
  }
  // 05 · support/resistance fade: a fade only with a Holm-adjusted p < 0.05 and a positive edge after costs.
  for (const x of c5.supportResistance.reversion) check(x.fade === (x.pHolm !== null && x.pHolm < 0.05 && x.edgeBp !== null && x.edgeBp > 0), `ch05 fade of ${x.set}: against Holm p = ${x.pHolm} and edge ${x.edgeBp} bp`, "");
  return problems;
}

function sentences(r: Results) {
  const outcomes = [...chapter02Findings(r.ch02), ...chapter03Findings(r.ch03), ...chapter05Findings(r.ch05)];
  const leaders = {leaders: leaderEntries(r.ch03.leaders), findings: outcomes.filter(isFinding)};
  return {outcomes, abstract: abstractLeaderSentence(leaders), trading: tradingLeaderSentence(leaders), drop: r.drop.text};
}

const memo = new Map<number, Results>();
const resultsOf = (seed: number) => memo.get(seed) ?? (memo.set(seed, results(seed)), memo.get(seed)!);

for (const seed of [DEFAULTS.seed, 11])
  test(`chapter 02, 03 and 05 claim sentences and the report's leader sentences agree with the numbers they cite (today's plant, seed ${seed})`, {timeout: 900_000}, () => {
    const r = resultsOf(seed);
    const f = sentences(r);
    assert.ok(f.outcomes.filter(isFinding).length >= 8, `findings: ${f.outcomes.map((o) => o.id).join(", ")}`);
    assert.deepEqual(claimProblems(r, f), []);
  });

test("claimProblems catches a wrong sentence: a flipped verdict, a changed number, a leader the rule did not name", {timeout: 900_000}, () => {
  const r = resultsOf(DEFAULTS.seed);
  const f = sentences(r);
  const swap = (id: string, edit: (t: string) => string) => ({...f, outcomes: f.outcomes.map((o) => (o.id === id && isFinding(o) ? {...o, text: edit(o.text)} : o))});
  const lv = f.outcomes.find((o) => o.id === "ch05-levels") as Finding;
  const flipped = /more than chance/.test(lv.text) ? lv.text.replace("more than chance", "no more than chance") : `${lv.text.replace(/^Not significant: /, "")} more than chance`;
  assert.ok(claimProblems(r, swap("ch05-levels", () => flipped)).some((p) => p.startsWith("ch05-levels: verdict")), "a flipped level verdict");
  const se = f.outcomes.find((o) => o.id === "ch02-sign-exponent") as Finding;
  assert.ok(claimProblems(r, swap("ch02-sign-exponent", (t) => t.replace(formatNumber(se.value, 2), formatNumber(se.value + 0.13, 2)))).some((p) => p.startsWith("ch02-sign-exponent: estimate")), "a changed exponent");
  assert.ok(claimProblems(r, swap("ch05-kramers-slope", (t) => t.replace(/n = \d+/, "n = 99999"))).some((p) => p.startsWith("ch05-kramers-slope: slope or n")), "a changed count");
  const unnamed = ["Binance", "Bybit", "OKX", "Coinbase"].find((v) => !r.ch03.leaders.some((o) => o.analysis === "A" && o.leader && venueLabel(o.leader) === v))!;
  assert.ok(claimProblems(r, {...f, trading: `The trading implication is that a cross-venue desk can take its reference price from ${unnamed}.`}).some((p) => p.startsWith("report trading implication")), "an unnamed leader");
  assert.ok(claimProblems(r, swap("ch02-size-tail", (t) => `${t} −0 points`)).some((p) => /−0/.test(p)), "a negative zero");
});
