// The stored calibration is keyed by the code of scripts/calibrate.ts and its settings: a file made
// by other code is reported stale, none missing, and the calibration page's data say so.
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, readdirSync, rmSync, utimesSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, test} from "node:test";
import {calibrationCodeKey, calibrationDir, calibrationKey, calibrationStamp, CALIBRATION_DEFAULTS, readCalibration, writeCalibration} from "../../loaders/calibration.ts";
import {calibrationPage, settingsArgs} from "../../loaders/chapters/calibration.ts";

const scratch = mkdtempSync(join(tmpdir(), "cve-calibration-"));
after(() => rmSync(scratch, {recursive: true, force: true}));

const rate = {claim: "leader per period (rule: HY argmax lead, IUT)", measure: "false positive", population: "null (market, period)", count: 0, total: 120, rate: 0, interval: [0, 0.031], target: "≤ 5 %"};
const market = {index: 0, kind: "null", seed: 1234567, leadsCalmMs: {binance: 5}, leadsCrashMs: {binance: 7}, informedShare: 0, arbitrageShare: 0.1, flip: false, periods: [{period: "crash", planted: null, leader: null}]};

function stored(key: string, codeKey: string, settings = {...CALIBRATION_DEFAULTS}) {
  return {key, codeKey, settings, generated: "2026-01-01T00:00:00.000Z", command: "npm run calibrate", seconds: 1, rates: [rate], markets: [market]};
}

test("no stored calibration: missing, with the command to run", () => {
  const dir = join(scratch, "none");
  const s = readCalibration(dir);
  assert.equal(s.state, "missing");
  const page = calibrationPage(dir);
  assert.equal(page.state, "missing");
  assert.equal(page.command, "npm run calibrate");
  assert.deepEqual(page.rates, []);
});

test("a calibration made by other code is reported stale; one of this code with the default settings is current", () => {
  const dir = join(scratch, "stale");
  const otherKey = "0".repeat(64);
  writeCalibration(dir, stored(otherKey, "f".repeat(64)));
  assert.equal(readCalibration(dir).state, "stale");
  const page = calibrationPage(dir);
  assert.equal(page.state, "stale");
  assert.equal(page.key, otherKey);
  assert.equal(page.rates.length, 1, "a stale calibration still shows its rates, marked stale");
  const stampStale = calibrationStamp(dir);

  const key = calibrationKey(CALIBRATION_DEFAULTS);
  writeCalibration(dir, stored(key, calibrationCodeKey()));
  const s = readCalibration(dir);
  assert.equal(s.state, "current");
  assert.equal(s.state === "current" && s.defaults, true);
  const current = calibrationPage(dir);
  assert.equal(current.key, key);
  assert.equal(current.markets[0].rerun, `npm run calibrate -- ${settingsArgs(CALIBRATION_DEFAULTS)} --only 0`);
  assert.notEqual(calibrationStamp(dir), stampStale, "a new calibration changes the site's cache key");
  assert.deepEqual(readdirSync(calibrationDir(dir)).filter((n) => n.includes(".tmp")), [], "no temporary file is left");
});

test("a file of this code with other settings is current (not the defaults); a file whose name is not its settings' key is not", () => {
  const dir = join(scratch, "settings");
  const settings = {...CALIBRATION_DEFAULTS, nulls: 4, planted: 4, small: 0};
  writeCalibration(dir, stored(calibrationKey(settings), calibrationCodeKey(), settings));
  const s = readCalibration(dir);
  assert.equal(s.state, "current");
  assert.equal(s.state === "current" && s.defaults, false);
  assert.equal(calibrationPage(dir).defaults, false);

  const forged = join(scratch, "forged");
  writeCalibration(forged, stored("a".repeat(64), calibrationCodeKey(), settings));
  assert.equal(readCalibration(forged).state, "stale", "the file's name must be the key of the code and settings it claims");
});

test("the newest stale file is the one shown", () => {
  const dir = join(scratch, "two");
  const a = writeCalibration(dir, stored("1".repeat(64), "e".repeat(64)));
  const b = writeCalibration(dir, stored("2".repeat(64), "e".repeat(64)));
  utimesSync(a, new Date(2026, 0, 2), new Date(2026, 0, 2));
  utimesSync(b, new Date(2026, 0, 1), new Date(2026, 0, 1));
  assert.equal(calibrationPage(dir).key, "1".repeat(64));
  assert.ok(existsSync(b));
});

test("writeCalibration: RangeError for a key that is not 64 hex digits", () => {
  assert.throws(() => writeCalibration(join(scratch, "bad"), stored("../x", "e".repeat(64))), RangeError);
});
