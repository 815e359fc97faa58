/** The banner on every page: which data this build used (simulated or real), venues and span. */

export interface ManifestSummary {
  source: "simulated" | "real";
  venues: string[];
  symbol: string;
  span: [number, number];
  seed?: number;
  key?: string;
  perVenue?: Record<string, {trades: number}>;
}

const fmtTime = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function dataBanner(manifest: ManifestSummary): HTMLElement {
  const el = document.createElement("div");
  el.className = `data-banner data-banner--${manifest.source}`;
  el.setAttribute("role", "note");
  el.dataset.source = manifest.source;
  const trades = manifest.perVenue ? Object.values(manifest.perVenue).reduce((s, v) => s + v.trades, 0) : undefined;
  const what =
    manifest.source === "simulated"
      ? `<strong>Simulated data.</strong> This build runs on the seeded simulated market (seed ${manifest.seed}) with planted ground truth, not on real exchange trades. Planted values are shown beside recovered ones.`
      : `<strong>Real data.</strong> Exchange trade archives from the local cache.`;
  el.innerHTML = `${what} Venues: ${manifest.venues.join(", ")} · ${manifest.symbol} · ${fmtTime(manifest.span[0])} → ${fmtTime(manifest.span[1])}${
    trades === undefined ? "" : ` · ${trades.toLocaleString("en-US")} trades`
  }.`;
  el.style.cssText =
    "padding:0.6rem 0.9rem;margin:0 0 1.2rem;border-radius:6px;font-size:0.9rem;line-height:1.4;" +
    (manifest.source === "simulated"
      ? "background:color-mix(in srgb, orange 14%, transparent);border:1px solid color-mix(in srgb, orange 55%, transparent);"
      : "background:color-mix(in srgb, steelblue 12%, transparent);border:1px solid color-mix(in srgb, steelblue 50%, transparent);");
  return el;
}
