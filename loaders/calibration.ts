/**
 * The stored calibration of the leadership claims (`npm run calibrate`, scripts/calibrate.ts),
 * keyed like the derived data: a calibration is valid only for the code that made it and the
 * sweep's settings.
 *
 * - code key: sha256 over the path and bytes of every file in the import graph of
 *   `scripts/calibrate.ts` (the harness, lib/analysis/leadership.ts and every kernel it calls,
 *   the simulator and the configuration), {@link calibrationCodeKey};
 * - key: the same graph followed by the settings as canonical JSON, {@link calibrationKey};
 * - store: `<dataDir>/calibration/<key>.json` (`dataDir` = `CVE_DATA_DIR`, default `data/`, not
 *   committed), written to a temporary name and renamed into place, so a reader never sees a
 *   partial file.
 *
 * {@link readCalibration} finds the calibration for the current code: the one with the default
 * settings, else the newest one of the same code with other settings, else reports the newest
 * one made by other code as stale, or none as missing.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {canonicalJSON, hashModuleGraph, ROOT} from "./fingerprint.ts";
import {makeDir} from "./writable.ts";

/** The harness whose import graph keys a calibration. */
export const CALIBRATION_ENTRY = "scripts/calibrate.ts";

/** The command that writes the calibration for the current code. */
export const CALIBRATION_COMMAND = "npm run calibrate";

/** The sweep's settings (every argument of `npm run calibrate` that changes its result). */
export interface CalibrationSettings {
  /** Null markets (no lead–lag). */
  nulls: number;
  /** Planted markets (a leader 100–500 ms ahead). */
  planted: number;
  /** Planted markets with small delays (20–90 ms), reported apart. */
  small: number;
  /** Hours per market. */
  hours: number;
  /** Fraction of the realistic trade rates. */
  rateScale: number;
  /** Bootstrap resamples per period. */
  resamples: number;
  /** Master seed of the sweep. */
  seed: number;
  /** Level of every test. */
  alpha: number;
  /** Prices of the TE link test: interpolated to the bin ends, or the bins' last prices. */
  transfer: "interpolated" | "last";
}

/** The settings of a plain `npm run calibrate`. */
export const CALIBRATION_DEFAULTS: Readonly<CalibrationSettings> = Object.freeze({
  nulls: 40,
  planted: 40,
  small: 8,
  hours: 1,
  rateScale: 0.25,
  resamples: 499,
  seed: 17017,
  alpha: 0.05,
  transfer: "interpolated"
});

/** Only the fields of {@link CalibrationSettings}, in canonical order. */
export function settingsOf(s: CalibrationSettings): CalibrationSettings {
  const {nulls, planted, small, hours, rateScale, resamples, seed, alpha, transfer} = s;
  return {nulls, planted, small, hours, rateScale, resamples, seed, alpha, transfer};
}

/** sha256 (hex) of the import graph of {@link CALIBRATION_ENTRY} below `root`. */
export function calibrationCodeKey(root = ROOT): string {
  return hashModuleGraph([CALIBRATION_ENTRY], "", root);
}

/** sha256 (hex) of the import graph of {@link CALIBRATION_ENTRY} and `settings`. */
export function calibrationKey(settings: CalibrationSettings, root = ROOT): string {
  return hashModuleGraph([CALIBRATION_ENTRY], canonicalJSON(settingsOf(settings)), root);
}

/** `<dataDir>/calibration`. */
export function calibrationDir(dataDir: string): string {
  return join(resolve(dataDir), "calibration");
}

/** What a stored calibration carries besides its results. */
export interface StoredCalibration {
  key: string;
  codeKey: string;
  settings: CalibrationSettings;
  generated: string;
  [field: string]: unknown;
}

/**
 * Writes `value` as `<dataDir>/calibration/<key>.json` through a temporary file renamed into
 * place. Returns the path.
 */
export function writeCalibration(dataDir: string, value: StoredCalibration): string {
  if (!/^[0-9a-f]{64}$/.test(value.key)) throw new RangeError(`calibration key must be 64 hex digits, got ${JSON.stringify(value.key)}`);
  const dir = calibrationDir(dataDir);
  makeDir(dir);
  const file = join(dir, `${value.key}.json`);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1));
  renameSync(tmp, file);
  return file;
}

/** The stored calibrations below `dataDir`, newest first. */
function stored(dataDir: string): {file: string; mtimeMs: number}[] {
  const dir = calibrationDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^[0-9a-f]{64}\.json$/.test(n))
    .map((n) => ({file: join(dir, n), mtimeMs: statSync(join(dir, n)).mtimeMs}))
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? -1 : 1));
}

/** The state of the stored calibration for the current code. */
export type CalibrationStatus =
  | {state: "current"; defaults: boolean; file: string; expectedKey: string; calibration: StoredCalibration}
  | {state: "stale"; file: string; expectedKey: string; calibration: StoredCalibration}
  | {state: "missing"; dir: string; expectedKey: string};

/**
 * The calibration for the code below `root`: `current` (made by this code; `defaults` when with
 * the default settings, which are preferred), `stale` (only calibrations made by other code: the
 * newest is returned) or `missing`.
 */
export function readCalibration(dataDir: string, root = ROOT): CalibrationStatus {
  const codeKey = calibrationCodeKey(root);
  const expectedKey = calibrationKey(CALIBRATION_DEFAULTS, root);
  const files = stored(dataDir);
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as StoredCalibration;
  const exact = files.find((f) => f.file.endsWith(`${expectedKey}.json`));
  if (exact) return {state: "current", defaults: true, file: exact.file, expectedKey, calibration: read(exact.file)};
  let newest: {file: string; calibration: StoredCalibration} | undefined;
  for (const f of files) {
    const c = read(f.file);
    // A file of this code is current only when its name is the key of its own settings.
    if (c.codeKey === codeKey && f.file.endsWith(`${calibrationKey(c.settings, root)}.json`)) return {state: "current", defaults: false, file: f.file, expectedKey, calibration: c};
    newest ??= {file: f.file, calibration: c};
  }
  if (newest) return {state: "stale", file: newest.file, expectedKey, calibration: newest.calibration};
  return {state: "missing", dir: calibrationDir(dataDir), expectedKey};
}

/**
 * A fingerprint of what {@link readCalibration} would return: the expected key and the names,
 * sizes and modification times of the stored files. Part of the site's cache key, so that a new
 * `npm run calibrate` or a change to its code reruns the calibration page's loader.
 */
export function calibrationStamp(dataDir: string, root = ROOT): string {
  const parts = [calibrationKey(CALIBRATION_DEFAULTS, root), ...stored(dataDir).map((f) => `${f.file}:${statSync(f.file).size}:${f.mtimeMs}`).sort()];
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}
