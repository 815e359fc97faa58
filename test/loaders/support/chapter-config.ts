// The small simulated market the chapter loader tests build on.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import test from "node:test";
import {DEFAULTS, type AnalysisConfig} from "../../../loaders/config.ts";

/**
 * A simulated configuration of `hours` hours at `rateScale` times the default trade rates, with
 * `surrogates` surrogates (default 49), in a fresh data folder removed after the test file;
 * `overrides` replace any other field.
 */
export function chapterConfig(
  name: string,
  {hours, rateScale, surrogates = 49, ...overrides}: {hours: number; rateScale: number; surrogates?: number} & Partial<Omit<AnalysisConfig, "hours" | "surrogates">>
): AnalysisConfig {
  const dataDir = mkdtempSync(join(tmpdir(), `cve-${name}-`));
  test.after(() => rmSync(dataDir, {recursive: true, force: true}));
  return {
    ...structuredClone(DEFAULTS),
    hours,
    dataDir,
    source: "simulated",
    surrogates,
    simulation: {...DEFAULTS.simulation, rateScale},
    ...overrides
  };
}
