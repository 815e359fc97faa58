/**
 * The calibration page's data: the stored calibration for the current code (loaders/calibration.ts
 * `readCalibration`), reduced to what the page shows — its state (current, stale or missing) with
 * the command to run, the settings, every claim's rate with its 95 % Wilson interval and counts,
 * and every market's seed, plant and the command that reruns it. I/O only: the rates were computed
 * by `npm run calibrate` (scripts/calibrate.ts).
 *
 * The build does not run the sweep: the default sweep (88 one-hour markets) takes about 4 minutes
 * on 2 idle cores, and a sweep that fits in well under a minute (about 10 markets) gives periods
 * too few to bound a 5 % rate (0 false positives in 30 null periods: Wilson interval up to 11 %).
 */
import {relative} from "node:path";
import {CALIBRATION_COMMAND, readCalibration, type CalibrationSettings} from "../calibration.ts";
import {ROOT} from "../fingerprint.ts";
import type {ClaimRate} from "../../lib/analysis/claim-calibration.js";

/** One claim's rate as the page shows it: the record lib/analysis/claim-calibration.ts words claims by. */
export type CalibrationRate = ClaimRate;

/** One market of the sweep: its plant, seed and the command that reruns it. */
export interface CalibrationMarket {
  index: number;
  kind: "null" | "planted" | "small";
  seed: number;
  leadsCalmMs: Record<string, number>;
  leadsCrashMs: Record<string, number>;
  informedShare: number;
  arbitrageShare: number;
  flip: boolean;
  /** Per period: the planted leader and the leader the rule named (null: none). */
  periods: {period: string; planted: string | null; leader: string | null}[];
  rerun: string;
}

/** What the calibration page reads (`data/calibration.json`). */
export interface CalibrationPage {
  state: "current" | "stale" | "missing";
  /** Whether the stored calibration has the default settings (current only). */
  defaults: boolean;
  /** The command that writes the calibration for this code. */
  command: string;
  /** The key a calibration of this code with the default settings has. */
  expectedKey: string;
  /** The stored file (relative to the checkout when inside it), or the folder searched. */
  where: string;
  key: string | null;
  generated: string | null;
  seconds: number | null;
  storedCommand: string | null;
  settings: CalibrationSettings | null;
  rates: CalibrationRate[];
  markets: CalibrationMarket[];
}

/** The arguments of `npm run calibrate` that reproduce `s`. */
export function settingsArgs(s: CalibrationSettings): string {
  return `--null ${s.nulls} --planted ${s.planted} --small ${s.small} --hours ${s.hours} --rate-scale ${s.rateScale} --resamples ${s.resamples} --seed ${s.seed} --alpha ${s.alpha} --transfer ${s.transfer}`;
}

const shown = (path: string) => {
  const r = relative(ROOT, path);
  return r.startsWith("..") ? path : r;
};

/** The calibration page's data for `dataDir` and the code below `root`. */
export function calibrationPage(dataDir: string, root = ROOT): CalibrationPage {
  const status = readCalibration(dataDir, root);
  const base = {command: CALIBRATION_COMMAND, expectedKey: status.expectedKey};
  if (status.state === "missing")
    return {...base, state: "missing", defaults: false, where: shown(status.dir), key: null, generated: null, seconds: null, storedCommand: null, settings: null, rates: [], markets: []};
  const c = status.calibration as any;
  const settings = c.settings as CalibrationSettings;
  const markets: CalibrationMarket[] = (c.markets ?? []).map((m: any) => ({
    index: m.index,
    kind: m.kind,
    seed: m.seed,
    leadsCalmMs: m.leadsCalmMs,
    leadsCrashMs: m.leadsCrashMs,
    informedShare: m.informedShare,
    arbitrageShare: m.arbitrageShare,
    flip: m.flip,
    periods: (m.periods ?? []).map((p: any) => ({period: p.period, planted: p.planted ?? null, leader: p.leader ?? null})),
    rerun: `${CALIBRATION_COMMAND} -- ${settingsArgs(settings)} --only ${m.index}`
  }));
  return {
    ...base,
    state: status.state,
    defaults: status.state === "current" && status.defaults,
    where: shown(status.file),
    key: c.key ?? null,
    generated: c.generated ?? null,
    seconds: c.seconds ?? null,
    storedCommand: c.command ?? null,
    settings,
    rates: c.rates ?? [],
    markets
  };
}
