/**
 * Headline findings: their JSON shape (data/findings.json) and the one formatter every page, the
 * report and the README use, so a number reads the same wherever it appears. Plain functions and
 * no DOM at import time: the build-time loaders import this module too.
 */

/** One headline finding of a chapter (see loaders/chapters/ch06.ts `computeFindings`). */
export interface Finding {
  /** Stable identifier, e.g. "ch06-triple"; pages mark the number with `data-finding="<id>"`. */
  id: string;
  /** Chapter number, "01" … "06". */
  chapter: string;
  /** What is measured, a short noun phrase. */
  title: string;
  value: number;
  /** Unit or counted noun after the value ("bits", "ms", "of 3 regime transitions"); "" for none. */
  unit: string;
  /** Decimals shown. */
  digits: number;
  /** 95 % interval in the value's units, or null. */
  interval: [number, number] | null;
  /** p-value of the headline test, or null. */
  pValue: number | null;
  /** What the p-value or interval comes from ("shuffle surrogates", "block bootstrap", …). */
  method: string;
  /** The planted value in the same units (simulated data), or null. */
  planted: number | null;
  /** One sentence with the numbers filled in by code. */
  text: string;
}

/** What data the findings come from. */
export interface FindingsSource {
  source: "simulated" | "real";
  seed: number;
  venues: string[];
  span: [number, number];
  /** Human-readable, e.g. "simulated market, seed 20240805, 2024-08-05 00:00 → 2024-08-06 00:00 UTC". */
  label: string;
  key: string;
}

export {formatNumber, formatP} from "../lib/analysis/format.js";
/** The displayed form of a finding (see lib/analysis/format.ts `formatValue`). */
export {formatValue as formatFinding} from "../lib/analysis/format.js";
import {formatValue as formatFinding} from "../lib/analysis/format.js";

/** A `<span data-finding="id">` holding the formatted finding (browser only). */
export function findingSpan(f: Pick<Finding, "id" | "value" | "unit" | "digits" | "interval" | "pValue">): HTMLSpanElement {
  const el = document.createElement("span");
  el.dataset.finding = f.id;
  el.className = "finding";
  el.textContent = formatFinding(f);
  return el;
}

/** The finding with this id, or a RangeError naming it. */
export function findingById(findings: {findings: Finding[]}, id: string): Finding {
  const f = findings.findings.find((x) => x.id === id);
  if (!f) throw new RangeError(`invalid finding: ${id}`);
  return f;
}

/** The coincidence findings of chapter 06: id → test, and the events the count is out of. */
export const COINCIDENCE_FINDINGS = [
  {id: "ch06-triple", test: "triple", noun: "regime transitions", title: "Regime transitions met by an entropy drop and a metastability breakdown"},
  {id: "ch06-regime-entropy", test: "regime+entropy", noun: "regime transitions", title: "Regime transitions met by an entropy drop"},
  {id: "ch06-regime-breakdown", test: "regime+breakdown", noun: "regime transitions", title: "Regime transitions met by a metastability breakdown"},
  {id: "ch06-entropy-breakdown", test: "entropy+breakdown", noun: "entropy drops", title: "Entropy drops met by a metastability breakdown"}
] as const;

/** The displayed part of a coincidence finding: "count of n <noun>" with its p-value. */
export function coincidenceValue(id: string, noun: string, row: {count: number; events: number; pValue: number}): Pick<Finding, "id" | "value" | "unit" | "digits" | "interval" | "pValue"> {
  return {id, value: row.count, unit: `of ${row.events} ${noun}`, digits: 0, interval: null, pValue: row.pValue};
}

/** The displayed part of the shuffled control: "count of n random times" with its p-value. */
export function controlValue(row: {count: number; events: number; pValue: number}): Pick<Finding, "id" | "value" | "unit" | "digits" | "interval" | "pValue"> {
  return {id: "ch06-control", value: row.count, unit: `of ${row.events} random times`, digits: 0, interval: null, pValue: row.pValue};
}
