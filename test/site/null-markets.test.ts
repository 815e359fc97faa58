// Null markets end to end: a build on a market that lacks an effect prints no claim of it.
// (a) No lead–lag (every venue's delay 0, before and in the crash) and no informed flow: every
//     entry of findings.json's `leaders` is null, and no page, the report or the key findings
//     name a leader or a leadership flip.
// (b) No crash (CVE_SIM_CRASH=none): no page, the report or the key findings state a regime
//     transition, an early warning, a significant coincidence or a crash-time flip.
// Each edition is a cheap simulated market (3 hours from 00:00 UTC at 0.1 of the trade rates: the
// planted crash, at 0.5–0.5625 of the span, lies inside it for (a)), built into its own
// test-output folder and data folder, its pages rendered in Chromium (the rendered text after the
// page settles) and its key findings rendered as the README's section would be.
import assert from "node:assert/strict";
import {join} from "node:path";
import {describe, test} from "node:test";
import {renderKeyFindings, readBuiltFindings} from "../../scripts/key-findings.ts";
import {claimsIn, NAMES_LEADER, STATES_COINCIDENCE, STATES_EARLY_WARNING, STATES_FLIP, STATES_TRANSITION} from "../support/claims.ts";
import {ROOT, settle, watch} from "./browser.ts";
import {formatP, formatSigned} from "../../lib/analysis/format.ts";
import {earlyWarningVerdict} from "../../lib/analysis/phase-calibration.ts";
import {edition, pageTests} from "./editions.ts";

/** The pages whose rendered text is checked for claims (the calibration page is rendered by its own test below). */
const CHECKED = ["index", "02-microstructure", "03-information-flow", "04-phase-transitions", "06-synthesis", "report", "calibration"];
const SPAN = /2024-08-05 00:00 UTC → 2024-08-05 03:00 UTC/;
const MARKET = {CVE_SOURCE: "simulated", CVE_START: "2024-08-05", CVE_HOURS: "3", CVE_SIM_RATE_SCALE: "0.1"};
const ALL_ZERO = "binance:0,bybit:0,okx:0,coinbase:0";

// Claim sentences as the default build prints them (dist/ of `npm run build`: report, pages 02, 03,
// 04, 06 and the README's key findings), and the wordings the same code prints when the outcome is
// "none" (a build of the null markets below). The early warning is not significant on the default
// build, so its claim is the sentence findings.ts and page 04 print when it is (their templates,
// filled with the figures of the null-lead build's report).
const CLAIMED: [string, RegExp, string][] = [
  ["leader", NAMES_LEADER, `In the period "before the crash", Binance leads among the perpetuals: its trades lead every other venue's on trade times, the weakest by 150 ms over Bybit (bootstrap interval [150, 150] ms; rule p = 0.006 ≤ α = 0.05).`],
  ["leader", NAMES_LEADER, "The calibrated leader rule names Binance as the leader of price discovery among the perpetuals in calm hours (rule p = 0.006) and Bybit during the crash (rule p = 0.006): the leadership flips."],
  ["leader", NAMES_LEADER, "The trading implication is that a cross-venue desk should take its reference price from Binance in calm hours (its weakest lead 150 ms [150, 150]) and switch to Bybit when volatility breaks out (its weakest lead 200 ms [200, 200]), since the calibrated leader changes with the regime."],
  ["leader", NAMES_LEADER, "The trading implication is that before the crash Binance (perpetual) leads every venue, the weakest by 150 ms over Bybit (rule p = 0.008)."],
  ["leader", NAMES_LEADER, "The trading implication is that a desk quoting on the perpetuals should key its quotes to Binance's last price before the crash, whose trades lead every other perpetual's."],
  ["leader", NAMES_LEADER, `In the period "before the crash", the largest resolved lead on trade times is Binance's over Coinbase: 500 ms [500, 500] (Hayashi–Yoshida; 6 of 6 pairs have a bootstrap interval excluding 0); the simulator planted 500 ms.`],
  ["leader", NAMES_LEADER, "Binance against Coinbase, crash, 100 ms bins: Binance leads (calibrated leader rule, adjusted p = 0.004)."],
  ["leader", NAMES_LEADER, "The trading implication is that at 12:30 UTC the temperature of 174 % a year is above 95 % of the day's windows, with the calibrated lead–lag rule naming Bybit as the perpetuals' leader in this period (crash, rule p = 0.006)."],
  ["flip", STATES_FLIP, "The calibrated rule finds a leadership flip among the perpetuals: Binance leads before the crash and Bybit in the crash (rule p = 0.006 and p = 0.006)."],
  ["flip", STATES_FLIP, "Simulated data. This build runs on the seeded simulated market (seed 20240805), whose crash, leader switch and wells were planted to be found; real markets mix many more causes, and the real-data build has no truth to check against."],
  ["transition", STATES_TRANSITION, "The trading implication is that the volatility series locates regime changes 3 time(s) at α = 0.05 (12:00 UTC, p = 0.001; 13:30 UTC, p = 0.001; 16:30 UTC, p = 0.001), while the entropy of the order flow changes most clearly at 12:00 UTC."],
  ["transition", STATES_TRANSITION, "Figure 3. One-minute log realised volatility with its 3 significant change points (red) and the planted changes (dashed)."],
  ["transition", STATES_TRANSITION, "Few events. There are 3 regime transitions in the span, so the triple coincidence count can take only 4 values; its p-value has little resolution."],
  ["transition", STATES_TRANSITION, "regime transitions — chapter 04's significant change points (family-wise α = 0.05) of the log realised volatility in 1-minute blocks, 3 in all (the flow-entropy change points are left out)"],
  ["transition", STATES_TRANSITION, "Red: significant volatility change points, with the horizon before each shaded; dots: spike onsets. 3 event(s), 1431 windows."],
  ["transition", STATES_TRANSITION, "Change points of the one-minute log realised volatility find 3 of 3 planted changes (p = 0.001) within ±5 min (crash start 0 min, crash end 0 min, recovery end 0 min)."],
  ["transition", STATES_TRANSITION, "The trading implication is that none of the 3 regime transitions arrived together with an entropy drop and a metastability breakdown, so there is no joint signal here to act on."],
  ["early warning", STATES_EARLY_WARNING, "Before the planted crash start the rolling variance of the detrended price trends by 0.373 Kendall τ (p = 0.048): a significant early warning (the test flagged 0 of 10 planted crash without build-up that had no build-up)."],
  ["early warning", STATES_EARLY_WARNING, "The trading implication is that critical slowing down did rise before the transition: over the 4 h before it, the variance trend is τ = +0.373 (p = 0.048)."],
  ["early warning", STATES_EARLY_WARNING, "For this selection (okx, 2 h, 10-minute windows, 199 surrogates, recomputed in this page; the chapter's result at the default selection, which the findings and the report cite, is τ = +0.025 (p = 0.465): no early warning), the trading implication is that critical slowing down did rise before the transition: over the 2 h before it, the variance trend is τ = +0.401 (p = 0.031)."],
  ["coincidence", STATES_COINCIDENCE, "Within ±10 min, 2 of 3 regime transitions (p = 0.003) met an entropy drop and a metastability breakdown, against 0.07 expected by chance (Benjamini–Hochberg q = 0.008: significant); does not replicate: 0 of 10 seeds of today's plant."],
  ["coincidence", STATES_COINCIDENCE, "At 2 of 3 planted changes (p = 0.001) a regime transition, an entropy drop and a metastability breakdown all lie within ±10 min of the planted time: crash start, crash end."],
  ["coincidence", STATES_COINCIDENCE, "The trading implication is that when a regime transition arrives together with an entropy drop and a metastability breakdown — 2 of 3 transitions here (p = 0.003) — the price moved by 3.65 % on average over the next 30 minutes."],
  ["coincidence", STATES_COINCIDENCE, "The joint signal of chapter 06 — a regime transition confirmed by an entropy drop and a metastability breakdown (2 of 3 transitions, p = 0.003) — is significant here but not calibrated (it does not replicate over seeds of the plant)."],
  ["coincidence", STATES_COINCIDENCE, "Over the next 30 minutes, against 0.47 % from a typical minute of the day: the coincidence is significant here but not calibrated."],
];
const UNCLAIMED: [RegExp, string][] = [
  [NAMES_LEADER, `In the period "before the crash", no leader found among the perpetuals: OKX does not lead Binance beyond chance: lead 0 ms, interval [-10, 10] ms, p = 1.0 > α = 0.05.`],
  [NAMES_LEADER, "The trading implication is that no venue should be treated as the reference price on this evidence: the calibrated rule finds no leader among the perpetuals."],
  [NAMES_LEADER, "Binance against Coinbase, before the crash, 100 ms bins: no market leads beyond chance (adjusted p = 0.432)."],
  [STATES_FLIP, "No leader is found among the perpetuals either before the crash or in the crash, so no flip is claimed (OKX does not lead Binance beyond chance: lead 0 ms, interval [-10, 10] ms, p = 1.0 > α = 0.05)."],
  [STATES_TRANSITION, "The trading implication is that the volatility series locates regime changes nowhere at α = 0.05, while the entropy of the order flow shows no significant change at α = 0.05."],
  [STATES_TRANSITION, "Few events. There are 0 regime transitions in the span, so the triple coincidence count can take only 1 values."],
  [STATES_EARLY_WARNING, "The trading implication is that critical slowing down gave no warning: over the 4 h before it, the variance trend is τ = +0.025 (p = 0.465)."],
  [STATES_COINCIDENCE, "Within ±10 min, 2 of 3 regime transitions (p = 0.057) met an entropy drop, against 0.43 expected by chance (Benjamini–Hochberg q = 0.057: not significant)."]
];

test("the claim patterns match the default build's claim sentences and not the wordings of 'none'", () => {
  for (const [kind, re, s] of CLAIMED) assert.deepEqual(claimsIn(s, re).length > 0, true, `the ${kind} pattern misses: ${s}`);
  for (const [re, s] of UNCLAIMED) assert.deepEqual(claimsIn(s, re), [], `${re} matches a sentence of "none"`);
});

/** Registers, for edition `e`, the per-page rendering tests (recording each checked page's text), the calibration page's, and one claim test per checked page and for the key findings; returns the rendered texts by page. */
function nullEdition(name: string, dist: string, e: ReturnType<typeof edition>, patterns: [string, RegExp][]): Map<string, string> {
  const texts = new Map<string, string>();
  pageTests(
    e,
    SPAN,
    async (page, p) => {
      if (CHECKED.includes(page)) texts.set(page, await p.$eval("main", (el) => (el as HTMLElement).innerText));
    },
    "simulated"
  );
  test(`${name}: the calibration page renders with no error`, async () => {
    e.built();
    const page = await e.state.browser!.newPage({viewport: {width: 1280, height: 900}});
    const report = watch(page, e.state.origin);
    try {
      await page.goto(`${e.state.origin}/calibration`);
      await settle(page, report);
      assert.deepEqual(report.errorCells, [], "error cells");
      assert.deepEqual(report.pageErrors, [], "page errors");
      assert.deepEqual(report.consoleErrors, [], "console errors");
      const text = await page.$eval("main", (el) => (el as HTMLElement).innerText);
      assert.doesNotMatch(text, /\bNaN\b/, "no NaN printed");
      texts.set("calibration", text);
    } finally {
      await page.close();
    }
  });
  for (const page of CHECKED)
    test(`${name}: page ${page} states no ${patterns.map(([k]) => k).join(", ")}`, () => {
      e.built();
      const text = texts.get(page);
      assert.ok(text !== undefined, `page ${page} did not render (see its rendering test)`);
      assert.ok(text.length > 500, `page ${page} rendered ${text.length} characters`);
      for (const [kind, re] of patterns) assert.deepEqual(claimsIn(text, re), [], `page ${page} states a ${kind}`);
    });
  test(`${name}: the key findings state no ${patterns.map(([k]) => k).join(", ")}`, () => {
    e.built();
    const md = renderKeyFindings(readBuiltFindings(join(ROOT, dist)));
    assert.ok(md.split("\n").filter((l) => l.startsWith("- **")).length >= 8, "the key findings list their findings");
    for (const [kind, re] of patterns) assert.deepEqual(claimsIn(md, re), [], `the key findings state a ${kind}`);
  });
  return texts;
}

/** Page 04 at its default selection prints chapter 04's own early-warning result (ch04.json `earlyWarning.before`, AR(1) null): the same τ, p and verdict as the findings. */
function earlyWarningAgrees(name: string, e: ReturnType<typeof edition>, texts: Map<string, string>) {
  test(`${name}: page 04's default early-warning verdict and p are chapter 04's (ch04.json), as the findings print them`, () => {
    e.built();
    const ch = e.dataFile(/^ch04\.[0-9a-f]+\.json$/);
    const f = e.dataFile(/^findings\.[0-9a-f]+\.json$/);
    const text = texts.get("04-phase-transitions");
    assert.ok(text, "page 04 rendered");
    const before = ch.earlyWarning.before;
    if (!before) {
      assert.doesNotMatch(text, /the variance trend is τ =/, "no early-warning result on the page without the chapter's");
      return;
    }
    const {tau, p} = before.ar1.variance;
    const sentence = /The trading implication is that critical slowing down (did rise before the transition|gave no warning): over the [\d.]+ h before it(?: \(from the start of the span\))?, the variance trend is τ = ([^ ]+) \((p [=<] [\d.]+)\)/.exec(text);
    assert.ok(sentence, `the default early-warning sentence in page 04: ${text.slice(text.indexOf("Critical slowing down"), text.indexOf("Critical slowing down") + 3000)}`);
    assert.equal(sentence[2], formatSigned(tau, 3), "τ");
    assert.equal(sentence[3], formatP(p), "p");
    const verdict = earlyWarningVerdict(p, ch.settings.alpha);
    assert.equal(sentence[1] === "did rise before the transition", verdict.warning, "verdict");
    const finding = f.findings.find((x: {id: string}) => x.id === "ch04-early-warning");
    assert.ok(finding, "the early-warning finding");
    assert.equal(finding.pValue, p, "the finding's p is the chapter's");
    assert.equal(/: a significant early warning/.test(finding.text), verdict.warning, `the finding's verdict: ${finding.text}`);
  });
}

describe("(a) a market with no lead–lag and no informed flow", () => {
  const dist = "test-output/dist-null-leaders";
  const e = edition([], dist, {env: {...MARKET, CVE_SIM_LEADS_CALM: ALL_ZERO, CVE_SIM_LEADS_CRASH: ALL_ZERO, CVE_SIM_INFORMED_SHARE: "0"}});

  test("the plant is as asked: a crash inside the span, no leader in any period, no informed flow", () => {
    e.built();
    const truth = e.dataFile(/^truth\.[0-9a-f]+\.json$/);
    assert.equal(truth.events.crash, "planted");
    assert.ok(truth.events.crashStart > truth.span.start && truth.events.crashEnd < truth.span.end, "the crash lies inside the span");
    assert.deepEqual(truth.leadLag.schedule.map((s: {leader: string | null}) => s.leader), truth.leadLag.schedule.map(() => null));
    assert.equal(truth.orderFlow.informedShare, 0);
  });

  test("findings.json: every leaders entry has leader null, over the periods before, in and after the crash", () => {
    e.built();
    const f = e.dataFile(/^findings\.[0-9a-f]+\.json$/);
    assert.ok(Array.isArray(f.leaders) && f.leaders.length > 0, "a leaders array");
    assert.deepEqual(f.leaders.filter((l: {leader: string | null}) => l.leader !== null), [], "entries naming a leader");
    assert.deepEqual([...new Set(f.leaders.map((l: {period: string}) => l.period))].sort(), ["after-crash", "before-crash", "crash"]);
    assert.deepEqual([...new Set(f.leaders.map((l: {analysis: string}) => l.analysis))].sort(), ["A", "B"]);
  });

  const texts = nullEdition("no lead–lag", dist, e, [
    ["leader", NAMES_LEADER],
    ["flip", STATES_FLIP]
  ]);
  earlyWarningAgrees("no lead–lag", e, texts);
});

describe("(b) a market with no crash", () => {
  const dist = "test-output/dist-null-crash";
  const e = edition([], dist, {env: {...MARKET, CVE_SIM_CRASH: "none"}});

  test("the plant is as asked: no crash, no leadership flip", () => {
    e.built();
    const truth = e.dataFile(/^truth\.[0-9a-f]+\.json$/);
    assert.equal(truth.events.crash, "none");
    assert.equal(new Set(truth.leadLag.schedule.map((s: {leader: string | null}) => s.leader)).size, 1, "one leader throughout");
  });

  test("findings.json: no planted change to find, no early warning, no coincidence counted", () => {
    e.built();
    const f = e.dataFile(/^findings\.[0-9a-f]+\.json$/);
    const notComputed = new Set((f.notComputed ?? []).map((n: {id: string}) => n.id));
    assert.ok(notComputed.has("ch04-changes"), "ch04-changes is not computed");
    assert.ok(notComputed.has("ch04-early-warning"), "ch04-early-warning is not computed");
    for (const x of f.findings.filter((x: {id: string}) => /^ch06-/.test(x.id) && x.id !== "ch06-control")) assert.equal(x.value, 0, `${x.id}: ${x.text}`);
    assert.deepEqual(f.leaders.filter((l: {period: string}) => l.period !== "full"), [], "one period only: no crash-time leader to flip to");
  });

  const texts = nullEdition("no crash", dist, e, [
    ["regime transition", STATES_TRANSITION],
    ["early warning", STATES_EARLY_WARNING],
    ["significant coincidence", STATES_COINCIDENCE],
    ["flip", STATES_FLIP]
  ]);
  test("no crash: page 04 names no crash in its early-warning heading", () => {
    e.built();
    assert.doesNotMatch(texts.get("04-phase-transitions") ?? "", /Critical slowing down before the (planted )?crash/);
    assert.match(texts.get("04-phase-transitions") ?? "", /Critical slowing down — no crash planted, no stretch to test/);
  });
});
