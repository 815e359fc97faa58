/**
 * How a headline finding is shown on a page: its formatted value in a marked span. The findings'
 * shape and sentences come from lib/analysis/findings.ts, the formatting from
 * lib/analysis/format.ts, so a number reads the same on every page, in the report and the README.
 */
import {formatValue, type ShownValue} from "../lib/analysis/format.js";

/** A `<span data-finding="id">` holding the formatted finding (browser only). */
export function findingSpan(f: ShownValue & {id: string}): HTMLSpanElement {
  const el = document.createElement("span");
  el.dataset.finding = f.id;
  el.className = "finding";
  el.textContent = formatValue(f);
  return el;
}
