/**
 * The banner on every page: which data this build used (simulated or real), venues and span,
 * and the build's data-quality warnings (from the manifest's quality summary), so that a problem
 * found while cleaning is seen by every reader, not only in `manifest.json`.
 */
import {spanWords} from "../lib/analysis/format.js";

export interface ManifestSummary {
  source: "simulated" | "real";
  venues: string[];
  symbol: string;
  span: [number, number];
  seed?: number;
  key?: string;
  perVenue?: Record<string, {trades: number}>;
  /** The `CVE_INPUTS` files of a build from a user's own files (relative names), else null or absent. */
  inputs?: {file: string; market: string; format: string}[] | null;
  /** The quality summary: warnings, and failures (published only when the build was told `CVE_QUALITY=warn`). */
  quality?: {warnings?: string[]; failures?: string[]};
}

/** Quality lines shown at most on the banner; the rest are counted. */
export const BANNER_MAX_NOTES = 5;

/**
 * The banner's quality lines: failures first (marked as past the limit), then warnings, at most
 * {@link BANNER_MAX_NOTES}, and a last line counting the others; empty when the data are clean.
 */
export function bannerNotes(manifest: Pick<ManifestSummary, "quality">): string[] {
  const failures = (manifest.quality?.failures ?? []).map((f) => `Past the quality limit: ${f}`);
  const all = [...failures, ...(manifest.quality?.warnings ?? [])];
  if (all.length <= BANNER_MAX_NOTES) return all;
  return [...all.slice(0, BANNER_MAX_NOTES - 1), `… and ${all.length - BANNER_MAX_NOTES + 1} more (see the data page and quality.json)`];
}

const fmtTime = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC";
const fmtTimeMs = (t: number) => new Date(t).toISOString().slice(0, 23).replace("T", " ") + " UTC";
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]!);

export {spanWords};

export function dataBanner(manifest: ManifestSummary): HTMLElement {
  const el = document.createElement("div");
  el.className = `data-banner data-banner--${manifest.source}`;
  el.setAttribute("role", "note");
  el.dataset.source = manifest.source;
  const trades = manifest.perVenue ? Object.values(manifest.perVenue).reduce((s, v) => s + v.trades, 0) : undefined;
  const what =
    manifest.source === "simulated"
      ? `<strong>Simulated data.</strong> This build runs on the seeded simulated market (seed ${manifest.seed}) with planted ground truth, not on real exchange trades. Planted values are shown beside recovered ones.`
      : manifest.inputs?.length
        ? `<strong>Real data.</strong> Trades from the files given in CVE_INPUTS: ${manifest.inputs.map((f) => `<code>${escapeHtml(f.file)}</code> (${escapeHtml(f.market)}, ${escapeHtml(f.format)})`).join(", ")}; span ${spanWords(manifest.span[1] - manifest.span[0])}${manifest.inputs.length > 1 ? ", the overlap of the markets" : ""}.`
        : `<strong>Real data.</strong> Exchange trade archives from the local cache.`;
  // To the ms for files' spans and for spans (CVE_FROM/CVE_TO) that do not start and end on a whole minute.
  const fmt = manifest.inputs?.length || manifest.span.some((t) => t % 60_000 !== 0) ? fmtTimeMs : fmtTime;
  el.innerHTML = `${what} Markets: ${manifest.venues.join(", ")} · ${manifest.symbol} · ${fmt(manifest.span[0])} → ${fmt(manifest.span[1])}${manifest.inputs?.length ? "" : ` (span ${spanWords(manifest.span[1] - manifest.span[0])})`}${
    trades === undefined ? "" : ` · ${trades.toLocaleString("en-US")} trades`
  }.`;
  const notes = bannerNotes(manifest);
  if (notes.length) {
    el.dataset.warnings = String((manifest.quality?.warnings?.length ?? 0) + (manifest.quality?.failures?.length ?? 0));
    const box = document.createElement("div");
    box.className = "data-banner__warnings";
    box.style.cssText = "margin-top:0.4rem;";
    const title = document.createElement("strong");
    title.textContent = `Data-quality warning${notes.length > 1 ? "s" : ""}:`;
    const list = document.createElement("ul");
    list.style.cssText = "margin:0.2rem 0 0;padding-left:1.2rem;";
    for (const n of notes) {
      const li = document.createElement("li");
      li.textContent = n;
      list.append(li);
    }
    box.append(title, list);
    el.append(box);
  }
  el.style.cssText =
    "padding:0.6rem 0.9rem;margin:0 0 1.2rem;border-radius:6px;font-size:0.9rem;line-height:1.4;" +
    (manifest.source === "simulated"
      ? "background:color-mix(in srgb, orange 14%, transparent);border:1px solid color-mix(in srgb, orange 55%, transparent);"
      : "background:color-mix(in srgb, steelblue 12%, transparent);border:1px solid color-mix(in srgb, steelblue 50%, transparent);");
  return el;
}
