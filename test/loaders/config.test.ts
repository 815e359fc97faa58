import assert from "node:assert/strict";
import {test} from "node:test";
import {ARCHIVE_VENUES, ConfigError, configDays, configDaySpan, configSpan, DEFAULTS, loadConfig, validateConfig, VENUE_INFO, VENUES} from "../../loaders/config.ts";
import {perpetuals, spots} from "../../lib/analysis/venues.js";
import {canonicalJSON, inputsKey} from "../../loaders/fingerprint.ts";

test("loadConfig() with no environment gives the validated defaults", () => {
  assert.deepEqual(loadConfig({}), DEFAULTS);
});

test("loadConfig(env) reads overrides", () => {
  const c = loadConfig({CVE_VENUES: "okx, Binance", CVE_START: "2024-01-02", CVE_END: "2024-01-03", CVE_BINS_MS: "100,1000,5000", CVE_SEED: "7", CVE_HOURS: "6"});
  assert.deepEqual(c.venues, ["okx", "binance"]);
  assert.deepEqual(configDays(c), ["2024-01-02", "2024-01-03"]);
  assert.deepEqual(c.binWidthsMs, [100, 1000, 5000]);
  assert.equal(c.seed, 7);
  assert.deepEqual(configSpan(c), [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3, 6)]);
});

test("loadConfig(env) reads the planted wells' barrier, 0 switching the wells off", () => {
  assert.equal(loadConfig({}).simulation.wellBarrier, 3);
  assert.equal(loadConfig({CVE_SIM_WELL_BARRIER: "0"}).simulation.wellBarrier, 0);
  assert.equal(loadConfig({CVE_SIM_WELL_BARRIER: "4.5"}).simulation.wellBarrier, 4.5);
});

test("markets: the original ids keep their meaning, the new ones are additive, and a market without archives needs CVE_INPUTS", () => {
  assert.deepEqual([...VENUES.slice(0, 4)], ["binance", "bybit", "okx", "coinbase"]);
  assert.deepEqual(DEFAULTS.venues, [...ARCHIVE_VENUES]);
  assert.equal(VENUE_INFO.binance.kind, "perpetual");
  assert.equal(VENUE_INFO.coinbase.kind, "spot");
  assert.equal(VENUE_INFO["binance-spot"].kind, "spot");
  assert.equal(VENUE_INFO["binance-coinm"].kind, "perpetual");
  assert.equal(VENUE_INFO["binance-coinm"].contractUsd, 100);
  assert.deepEqual(perpetuals(VENUES), ["binance", "bybit", "okx", "binance-coinm"]);
  assert.deepEqual(spots(VENUES), ["coinbase", "binance-spot"]);
  assert.throws(() => loadConfig({CVE_VENUES: "binance,binance-spot"}), /binance-spot has no daily exchange archives.*CVE_INPUTS/);
});

test("CVE_FROM / CVE_TO narrow the span to the ms; alone they set the days; CVE_INPUTS takes paths and market-id=path", () => {
  const c = loadConfig({CVE_FROM: "2024-08-05T10:00:00.250Z", CVE_TO: "2024-08-05T10:30:00Z"});
  assert.deepEqual([c.start, c.end, c.hours], ["2024-08-05", "2024-08-05", 24]);
  assert.deepEqual(configSpan(c), [Date.UTC(2024, 7, 5, 10, 0, 0, 250), Date.UTC(2024, 7, 5, 10, 30)]);
  assert.deepEqual(configDaySpan(c), [Date.UTC(2024, 7, 5), Date.UTC(2024, 7, 6)]);
  const d = loadConfig({CVE_START: "2024-08-05", CVE_HOURS: "2", CVE_FROM: "2024-08-05T01:00Z"});
  assert.deepEqual(configSpan(d), [Date.UTC(2024, 7, 5, 1), Date.UTC(2024, 7, 5, 2)]);
  const i = loadConfig({CVE_INPUTS: "a/*.dat.gz, binance-spot=rec/btcusdt_20240808.gz"});
  assert.deepEqual(i.inputs, [{market: null, pattern: "a/*.dat.gz"}, {market: "binance-spot", pattern: "rec/btcusdt_20240808.gz"}]);
  const bad: [Record<string, string>, RegExp][] = [
    [{CVE_FROM: "2024-08-05 10:00"}, /CVE_FROM: expected an ISO-8601 UTC time/],
    [{CVE_FROM: "2024-08-05T10:00:00+02:00"}, /CVE_FROM: expected an ISO-8601 UTC time/],
    [{CVE_TO: "2024-02-30T00:00Z"}, /CVE_TO: expected an ISO-8601 UTC time/],
    [{CVE_FROM: "2024-08-05T10:00Z", CVE_TO: "2024-08-05T09:00Z"}, /to: .* is not after from/],
    [{CVE_START: "2024-08-05", CVE_HOURS: "2", CVE_FROM: "2024-08-05T03:00Z"}, /from: .* is outside the configured days/],
    [{CVE_INPUTS: "kraken=x.csv"}, /CVE_INPUTS: unknown market "kraken"/],
    [{CVE_INPUTS: "a.csv,,b.csv"}, /CVE_INPUTS: empty entry/],
    [{CVE_INPUTS: "a.csv", CVE_SOURCE: "simulated"}, /simulated cannot read CVE_INPUTS/]
  ];
  for (const [env, message] of bad) assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
});

test("loadConfig(env) rejects bad values with a message naming the field and value", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{CVE_VENUES: "binance,kraken"}, /venues: unknown venue "kraken"/],
    [{CVE_START: "2024-02-10", CVE_END: "2024-02-01"}, /end: 2024-02-01 is before start 2024-02-10/],
    [{CVE_BINS_MS: "100,0,1000"}, /bin width must be a positive integer of ms, got 0/],
    [{CVE_BINS_MS: "100,-5,1000"}, /got -5/],
    [{CVE_START: "2024-02-30"}, /start: invalid date "2024-02-30"/],
    [{CVE_START: "../../etc"}, /start: invalid date/],
    [{CVE_SYMBOL: "ETHUSDT"}, /symbol: unknown symbol "ETHUSDT"/],
    [{CVE_SOURCE: "internet"}, /source: unknown source "internet"/],
    [{CVE_SEED: "abc"}, /CVE_SEED: not a number/],
    [{CVE_HOURS: "0"}, /hours: must be an integer from 1 to 24/],
    [{CVE_SURROGATES: "5"}, /surrogates: at least 19/],
    [{CVE_OFFLINE: "yes"}, /CVE_OFFLINE: expected 0 or 1/],
    [{CVE_SIM_WELL_BARRIER: "-1"}, /simulation.wellBarrier: must be from 0 to 20 \(0 = no wells\), got -1/],
    [{CVE_SIM_WELL_BARRIER: "25"}, /simulation.wellBarrier: must be from 0 to 20/]
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
});

test("validateConfig(config) rejects non-positive windows and an empty venue list", () => {
  assert.throws(() => validateConfig({...structuredClone(DEFAULTS), venues: []}), /at least one venue/);
  const c = structuredClone(DEFAULTS);
  c.windowsSec.te = 0;
  assert.throws(() => validateConfig(c), /windowsSec.te: window must be positive, got 0/);
});

test("inputsKey(config, resolved) changes with any configuration field and with the resolved source, and is stable otherwise", () => {
  const sim = {source: "simulated" as const, simKey: "0123456789abcdef01234567"};
  const a = inputsKey(loadConfig({}), sim);
  assert.equal(inputsKey(loadConfig({}), sim), a);
  assert.notEqual(inputsKey(loadConfig({CVE_SEED: "1"}), sim), a);
  assert.notEqual(inputsKey(loadConfig({CVE_BINS_MS: "100,1000,2000"}), sim), a);
  const real = (sha256: string) => ({source: "real" as const, archives: [{venue: "binance" as const, file: "BTCUSDT-trades-2024-08-05.zip", bytes: 10, sha256}]});
  assert.notEqual(inputsKey(loadConfig({}), real("a")), a, "real archives instead of the simulated market");
  assert.notEqual(inputsKey(loadConfig({}), real("a")), inputsKey(loadConfig({}), real("b")), "same name and size, other content");
  assert.equal(canonicalJSON({b: 1, a: {d: 2, c: 3}}), '{"a":{"c":3,"d":2},"b":1}');
});

test("loadConfig(env) reads the planted lead–lag and flow shares", () => {
  const c = loadConfig({CVE_SIM_LEADS_CALM: "okx:0,bybit:200,binance:400,coinbase:600", CVE_SIM_LEADS_CRASH: "binance:0,bybit:0,okx:0,coinbase:0", CVE_SIM_INFORMED_SHARE: "0", CVE_SIM_ARBITRAGE_SHARE: "0.5"});
  assert.deepEqual(c.simulation.leadsCalmMs, {okx: 0, bybit: 200, binance: 400, coinbase: 600});
  assert.deepEqual(c.simulation.leadsCrashMs, {binance: 0, bybit: 0, okx: 0, coinbase: 0});
  assert.equal(c.simulation.informedShare, 0);
  assert.equal(c.simulation.arbitrageShare, 0.5);
  assert.throws(() => loadConfig({CVE_SIM_LEADS_CALM: "okx:0,bybit:200"}), /CVE_SIM_LEADS_CALM: no delay for binance, coinbase/);
  assert.throws(() => loadConfig({CVE_SIM_LEADS_CALM: "okx:0,kraken:1,bybit:0,binance:0,coinbase:0"}), /unknown venue "kraken"/);
  assert.throws(() => loadConfig({CVE_SIM_LEADS_CALM: "okx=0"}), /expected venue:delayMs/);
  assert.throws(() => loadConfig({CVE_SIM_LEADS_CRASH: "okx:0,bybit:0,binance:0,coinbase:5000"}), /leadsCrashMs: delay of coinbase must be an integer from 0 to 1500 ms, got 5000/);
  assert.throws(() => loadConfig({CVE_SIM_INFORMED_SHARE: "1.5"}), /informedShare: must be from 0 to 1, got 1.5/);
});

test("loadConfig(env) reads CVE_SIM_CRASH: planted by default, none on request, anything else rejected", () => {
  assert.equal(loadConfig({}).simulation.crashMode, "planted");
  assert.equal(loadConfig({CVE_SIM_CRASH: "none"}).simulation.crashMode, "none");
  assert.equal(loadConfig({CVE_SIM_CRASH: " None "}).simulation.crashMode, "none");
  assert.equal(loadConfig({CVE_SIM_CRASH: "planted"}).simulation.crashMode, "planted");
  assert.throws(() => loadConfig({CVE_SIM_CRASH: "off"}), /invalid configuration: simulation\.crashMode: expected planted or none, got "off"/);
});
