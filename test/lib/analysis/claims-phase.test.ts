// The claim sentences of chapters 04 and 06 rendered for two seeds of today's plant (the default
// seed and another) and for a market without a crash, each checked against the numbers it cites:
// the chapter result it was written from and the committed phase calibration
// (lib/analysis/phase-calibration-record.ts). Small markets in memory (four hours, a tenth of the
// realistic trade rates); chapter 06 reads chapter 04's own result and the planted wells as the
// metastable levels, as `npm run calibrate -- --phase` does.
import test from "node:test";
import assert from "node:assert/strict";
import {analysePhaseTransitions, PHASE_TRANSITION_DEFAULTS} from "../../../lib/analysis/ch04.ts";
import {analyseSynthesis, SYNTHESIS_DEFAULTS} from "../../../lib/analysis/ch06.ts";
import {chapter04Findings, chapter06Findings, COINCIDENCE_FINDINGS, isFinding, type Finding, type Outcome} from "../../../lib/analysis/findings.ts";
import {formatNumber} from "../../../lib/analysis/format.ts";
import {calibrationRow, phaseReplication, replicationText} from "../../../lib/analysis/phase-calibration.ts";
import {formatP} from "../../../lib/analysis/format.ts";
import {SECONDS_PER_YEAR} from "../../../lib/realised-volatility.ts";
import {DEFAULTS} from "../../../loaders/config.ts";
import type {SimTruth} from "../../../lib/analysis/truth.ts";
import {simulateMarket} from "../../../loaders/simulate/market.ts";
import {PHASE_ARGS, phaseConfig, synthesisInputs} from "../../../scripts/calibrate-phase.ts";

function chapters(seed: number, crash: "planted" | "none") {
  const config = phaseConfig(seed, crash, PHASE_ARGS);
  const market = simulateMarket(config, {binWidths: [1000], flow: false});
  const ch04 = analysePhaseTransitions(market, {...PHASE_TRANSITION_DEFAULTS, seed, surrogates: PHASE_ARGS.surrogates, windowSec: config.windowsSec.regime});
  const ch06 = analyseSynthesis(market, synthesisInputs(ch04, market.truth as SimTruth, ch04.referenceVenue), {...SYNTHESIS_DEFAULTS, seed, surrogates: 199, controlRuns: 10, controlSurrogates: 19});
  return {ch04, ch06, f04: chapter04Findings(ch04), f06: chapter06Findings(ch06)};
}

const get = (outcomes: Outcome[], id: string) => {
  const o = outcomes.find((x) => x.id === id);
  assert.ok(o, `no outcome ${id}`);
  return o;
};

for (const seed of [DEFAULTS.seed, 11])
  test(`chapter 04 and 06 claim sentences agree with the numbers they cite (today's plant, seed ${seed})`, {timeout: 600_000}, () => {
    const {ch04, ch06, f04, f06} = chapters(seed, "planted");
    for (const o of [...f04, ...f06]) assert.doesNotMatch(JSON.stringify(o), /NaN|undefined/, `${o.id}`);

    // ch04-changes: the count and each planted event's error.
    const changes = get(f04, "ch04-changes") as Finding;
    const planted = ch04.recovery.filter((r) => r.kind === "planted");
    const found = planted.filter((r) => r.volatility.found).length;
    assert.equal(changes.value, found);
    assert.ok(changes.text.includes(`${found} of ${planted.length} planted changes`), changes.text);
    for (const r of planted) assert.ok(changes.text.includes(`${r.name} ${r.volatility.errorMin === null ? "missed" : `${formatNumber(r.volatility.errorMin, 0)} min`}`), `${r.name} in ${changes.text}`);
    const rep = phaseReplication("crash start found by volatility");
    assert.ok(rep && changes.text.includes(replicationText(rep)), changes.text);
    assert.deepEqual(changes.replication, {count: rep!.count, total: rep!.total});

    // ch04-regime: the out-of-sample validation as computed, failed or passed by its own p-value;
    // sizing advice only for a label that passes and replicates.
    const rc = ch04.regimeContrast;
    const regime = get(f04, "ch04-regime");
    if (Number.isFinite(rc.p)) {
      const f = regime as Finding;
      assert.equal(f.pValue, rc.p);
      assert.ok(f.text.includes(formatP(rc.p)), f.text);
      const annual = Math.sqrt(SECONDS_PER_YEAR / ch04.settings.windowSec);
      assert.ok(f.text.includes(`${formatNumber(100 * rc.hot.mean * annual, 0)} % against ${formatNumber(100 * rc.cold.mean * annual, 0)} %`), f.text);
      assert.doesNotMatch(f.text, /[−-]0 points/, f.text);
      assert.equal(/fails its out-of-sample validation/.test(f.text), !rc.validated, f.text);
      const rr = calibrationRow("regime label validated", "replication", "planted");
      const advises = /a desk can size positions down/.test(f.text);
      assert.equal(advises, rc.validated && rr !== null && rr.total > 0 && rr.count / rr.total >= 0.8, f.text);
      if (!advises) assert.match(f.text, /no basis for sizing positions/);
    } else assert.ok(!isFinding(regime), "no regime finding without hot and cold windows");

    // ch04-early-warning: τ shown, and "significant" only when p < α and the calibration holds.
    const ew = ch04.earlyWarning.before!;
    const ewF = get(f04, "ch04-early-warning") as Finding;
    assert.ok(ewF.text.includes(formatNumber(ew.ar1.variance.tau, 3)), ewF.text);
    const fp = calibrationRow("early warning", "false-positive rate");
    const p = ew.ar1.variance.p;
    assert.equal(/: a significant early warning/.test(ewF.text), p <= ch04.settings.alpha && fp?.holds === true, ewF.text);
    assert.equal(/not significant/.test(ewF.text), p > ch04.settings.alpha, ewF.text);
    assert.ok(ewF.text.includes(formatP(p)), ewF.text);

    // ch04-calm-alarms: the counts of the calm check.
    const calm = get(f04, "ch04-calm-alarms") as Finding;
    assert.ok(calm.text.includes(`reports ${ch04.calmCheck!.volatilityChanges} significant changes (entropy detector: ${ch04.calmCheck!.entropyChanges})`), calm.text);

    // ch06 coincidences: count of events, and the verdict by q and the calibration.
    for (const c of COINCIDENCE_FINDINGS) {
      const row = ch06.tests.find((t) => t.id === c.test)!;
      const o = get(f06, c.id);
      if (row.events === 0) {
        assert.ok(!isFinding(o), `${c.id} is not computed without events`);
        continue;
      }
      const f = o as Finding;
      assert.ok(f.text.includes(`${row.count} of ${row.events} ${c.noun}`), f.text);
      assert.ok(f.text.includes(`q = ${formatNumber(row.qValue, 3)}`), f.text);
      assert.equal(/: not significant\)/.test(f.text), row.qValue > 0.05, f.text);
      // Conditioned on the common cause: a coincidence that random times of the same volatility
      // regime meet as often is not significant, and says so with that p-value.
      assert.equal(/not significant once conditioned on the common cause/.test(f.text), row.qValue <= 0.05 && row.pConditioned > 0.05, f.text);
      if (/: significant, also within the same volatility regime/.test(f.text)) assert.ok(row.qValue <= 0.05 && row.pConditioned <= 0.05, f.text);
      if (row.qValue <= 0.05) assert.ok(f.text.includes(`p = ${formatNumber(row.pConditioned, 3)}`) || /not a calibrated result/.test(f.text), f.text);
    }
    // The triple coincidence replicates in fewer than 8 of 10 seeds: its finding says so.
    const triple = get(f06, "ch06-triple");
    const tripleRep = phaseReplication("coincidence: triple")!;
    if (isFinding(triple)) {
      assert.deepEqual(triple.replication, {count: tripleRep.count, total: tripleRep.total});
      assert.ok(triple.text.includes(replicationText(tripleRep)), triple.text);
    }
    // ch06-planted: the named planted changes are those where all three kinds coincide.
    const pl = get(f06, "ch06-planted") as Finding;
    const names = ch06.planted!.events.filter((e) => e.coincident).map((e) => e.name).join(", ") || "none";
    assert.ok(pl.text.endsWith(`: ${names}.`), pl.text);
  });

test("a market without a crash (crashMode none): no regime transition, no early warning, no coincidence, no planted change in the chapter 04 and 06 findings", {timeout: 600_000}, () => {
  const {ch04, ch06, f04, f06} = chapters(23, "none");
  assert.deepEqual(ch06.events.regime.times, []);
  assert.equal(ch04.earlyWarning.before, null);
  assert.equal(ch06.planted!.events.length, 0);
  for (const id of ["ch04-changes", "ch04-early-warning", "ch06-triple", "ch06-regime-entropy", "ch06-regime-breakdown", "ch06-control", "ch06-planted"]) assert.ok(!isFinding(get([...f04, ...f06], id)), `${id} is not computed`);
  for (const o of [...f04, ...f06]) assert.doesNotMatch(JSON.stringify(o), /NaN|: significant|significant early warning|crash start|crash end/, `${o.id}`);
});

test("renderKeyFindings keeps a finding that replicates in 8 of 10 seeds and moves one that replicates in fewer out of the key findings, marked", async () => {
  const {renderKeyFindings} = await import("../../../scripts/key-findings.ts");
  const base = {unit: "", digits: 0, interval: null, pValue: null, method: "m", planted: null};
  const md = renderKeyFindings({
    data: {source: "simulated", seed: 7, venues: ["binance"], span: [0, 1], label: "simulated market, seed 7", key: "k"},
    findings: [
      {...base, id: "a", chapter: "04", title: "Kept", value: 1, text: "Replicates.", replication: {count: 8, total: 10}},
      {...base, id: "b", chapter: "06", title: "Dropped", value: 2, text: "Does not.", replication: {count: 7, total: 10}},
      {...base, id: "c", chapter: "03", title: "Unmeasured", value: 3, text: "No row."}
    ]
  });
  const [key, rest] = md.split("Not key findings");
  assert.match(key, /^- \*\*04 · Kept\.\*\* Replicates\.$/m);
  assert.match(key, /^- \*\*03 · Unmeasured\.\*\* No row\.$/m);
  assert.doesNotMatch(key, /Dropped/);
  assert.match(rest, /^- \*\*06 · Dropped\*\* \(does not replicate: 7 of 10 seeds\)\. Does not\.$/m);
});

test("the analysis periods of a market planted without a crash: one full-span period with its planted leader (schedulePeriods), scanned by chapter 02 once", async () => {
  const {planMarket} = await import("../../../loaders/simulate/plan.ts");
  const {schedulePeriods} = await import("../../../lib/analysis/periods.ts");
  const {microstructurePeriods} = await import("../../../lib/analysis/ch02.ts");
  const plan = planMarket(phaseConfig(5, "none", PHASE_ARGS));
  const periods = schedulePeriods(plan.truth, plan.span);
  assert.deepEqual(periods.map((p) => [p.id, p.start, p.end, p.planted?.leader]), [["full", plan.span[0], plan.span[1], "binance"]]);
  const micro = microstructurePeriods(plan.truth, plan.span);
  assert.deepEqual(micro.map((p) => [p.id, p.hy]), [["full", true]]);
  const planted = planMarket(phaseConfig(5, "planted", PHASE_ARGS));
  assert.deepEqual(schedulePeriods(planted.truth, planted.span).map((p) => p.id), ["before-crash", "crash", "after-crash"]);
});
