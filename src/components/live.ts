/** The live page's display: banner, market health table, TE matrix and leader line, redrawn from one monitor snapshot. */
import {plotWidth} from "./width.js";
import * as Plot from "@observablehq/plot";
import type {Snapshot} from "../lib/live/monitor.js";

const f = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits));
const int = (x: number) => x.toLocaleString("en-US");
const utc = (t: number | null) => (t === null ? "–" : new Date(t).toISOString().slice(11, 23) + " UTC");

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The banner of the live page: live exchange data or a replay, and where from. */
export function liveBanner(replay: string | null, connected: boolean): HTMLElement {
  const b = el("div", {class: "data-banner data-banner--live", role: "note", "data-source": replay ? "replay" : "live"});
  b.innerHTML = replay
    ? `<strong>Replay.</strong> Trades from the replay server at <code></code>, not from the exchanges.`
    : connected
      ? `<strong>Live data.</strong> Public trade streams of the exchanges, in this browser; nothing is stored.`
      : `<strong>Live data, not connected.</strong> Press <em>Connect</em> to open the exchanges' public trade streams (or open the page with <code>?live</code>, or <code>?replay=ws://127.0.0.1:PORT</code> for a replay).`;
  const code = b.querySelector("code");
  if (replay && code) code.textContent = replay;
  b.style.cssText =
    "padding:0.6rem 0.9rem;margin:0 0 1.2rem;border-radius:6px;font-size:0.9rem;line-height:1.4;background:color-mix(in srgb, seagreen 12%, transparent);border:1px solid color-mix(in srgb, seagreen 50%, transparent);";
  return b;
}

const STATE_LABEL: Record<string, string> = {idle: "not connected", connecting: "connecting…", open: "connected", disconnected: "disconnected", stopped: "stopped"};

/** The health table: one row per market. */
export function healthTable(s: Snapshot): HTMLElement {
  const table = el("table", {class: "live-health"});
  const head = el("tr");
  for (const h of ["market", "connection", "msgs/s", "trades/s", "rate (exchange, /s)", "last price", "entropy (norm.)", "clock offset", "reconnects", "gaps (ids missing)", "malformed", "rejected", "duplicates", "out of order", "late", "messages lost (sequence gaps)"])
    head.append(el("th", {}, h));
  table.append(head);
  for (const m of s.markets) {
    const tr = el("tr", {"data-market": m.id, "data-state": m.state});
    const down = m.downFor !== null && m.state !== "open" ? [`down ${m.downFor.toFixed(0)} s`] : [];
    if (m.retryIn !== null) down.push(`retry in ${m.retryIn.toFixed(1)} s`);
    const state = STATE_LABEL[m.state] + (down.length ? ` (${down.join(", ")})` : "");
    const cells = [
      m.label,
      state,
      f(m.messagesPerSec, 1),
      f(m.tradesPerSec, 1),
      f(m.tradeRate, 1),
      m.lastPrice === null ? "–" : m.lastPrice.toFixed(2),
      f(m.entropy, 3),
      m.clockOffsetMs === null ? "–" : `${m.clockOffsetMs.toFixed(0)} ms`,
      int(m.reconnects),
      `${int(m.gaps)} (${int(m.missing)})`,
      int(m.malformed),
      int(m.rejected),
      int(m.duplicates),
      int(m.outOfOrder),
      int(m.late),
      m.messagesLost === null || m.sequenceGaps === null ? "–" : `${int(m.messagesLost)} (${int(m.sequenceGaps)})`
    ];
    for (const [k, c] of cells.entries()) {
      const td = el("td", {}, c);
      if (k === 1) td.className = `live-state live-state--${m.state}`;
      tr.append(td);
    }
    table.append(tr);
  }
  table.style.cssText = "font-size:0.85rem;max-width:none;";
  return table;
}

/** Effective TE matrix (millibits) as a heatmap, with the plug-in TE and the net-flow p-value in the tooltip. */
export function teMatrixChart(s: Snapshot): HTMLElement | SVGSVGElement {
  const m = s.markets.length;
  const rows: {source: string; target: string; effective: number | null; te: number | null; p: number | null}[] = [];
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < m; ++j)
      if (i !== j) rows.push({source: s.markets[i].label, target: s.markets[j].label, effective: s.effective[i * m + j], te: s.te[i * m + j], p: s.pNet[i * m + j]});
  const labels = s.markets.map((x) => x.label);
  return Plot.plot({
    width: plotWidth(Math.max(360, 130 * m + 200)),
    height: 70 * m + 80,
    marginLeft: 170,
    marginBottom: 60,
    x: {domain: labels, label: "target →", tickRotate: -20},
    y: {domain: labels, label: "source"},
    color: {type: "diverging", scheme: "PuOr", pivot: 0, legend: true, label: "effective TE (millibits)"},
    marks: [
      Plot.cell(rows, {x: "target", y: "source", fill: (d) => (d.effective === null ? NaN : d.effective * 1000), inset: 1}),
      Plot.text(rows, {x: "target", y: "source", text: (d) => (d.effective === null ? "–" : (d.effective * 1000).toFixed(2)), fill: "currentColor"}),
      Plot.tip(rows, Plot.pointer({x: "target", y: "source", title: (d) => `${d.source} → ${d.target}\nTE ${f(d.te === null ? null : d.te * 1000, 3)} mbit · effective ${f(d.effective === null ? null : d.effective * 1000, 3)} mbit\nnet-flow p ${f(d.p, 3)}`}))
    ]
  });
}

/** Net flow TE(i → j) − TE(j → i) with its p-value, one row per unordered pair. */
export function netTable(s: Snapshot): HTMLElement {
  const m = s.markets.length;
  const table = el("table", {class: "live-net"});
  const head = el("tr");
  for (const h of ["pair", "net TE (millibits)", "p (net flow, circular shifts)", "direction"]) head.append(el("th", {}, h));
  table.append(head);
  for (let i = 0; i < m; ++i)
    for (let j = i + 1; j < m; ++j) {
      const net = s.net[i * m + j];
      const p = net === null ? null : net >= 0 ? s.pNet[i * m + j] : s.pNet[j * m + i];
      const dir = net === null ? "–" : net >= 0 ? `${s.markets[i].label} → ${s.markets[j].label}` : `${s.markets[j].label} → ${s.markets[i].label}`;
      const tr = el("tr");
      for (const c of [`${s.markets[i].label} · ${s.markets[j].label}`, f(net === null ? null : net * 1000, 3), f(p, 3), dir]) tr.append(el("td", {}, c));
      table.append(tr);
    }
  return table;
}

/**
 * The leader lines: per analysis (A the perpetuals, B every market) the calibrated rule's leader or
 * "no leader found" with its p-value and reason, the window it ran on, the time of the last flip,
 * and how often it runs.
 */
export function leaderLine(s: Snapshot): HTMLElement {
  const d = el("div", {class: "live-leader"});
  const name = (id: string | null) => (id === null ? "no leader" : (s.markets.find((x) => x.id === id)?.label ?? id));
  const words = (text: string) => text.replace(/\b[a-z][a-z-]*\b/g, (w) => s.markets.find((x) => x.id === w)?.label ?? w);
  const l = s.leaders;
  const rule =
    `The leader is decided by the calibrated rule of chapter 03: a market leads when its Hayashi–Yoshida lead on trade times over every other market ` +
    `passes a moving-block bootstrap (${s.leaderResamples} resamples) at α/m, α = ${s.alpha}; otherwise no leader is found. ` +
    `It costs far more than the TE matrix, so it runs on the window every ${(s.leaderEveryMs / 1000).toFixed(0)} s, not every second.`;
  if (!l) {
    const p = el("p", {"data-leader": "pending"});
    p.innerHTML = "<strong>Leader: not decided yet.</strong> ";
    p.append(s.markets.length < 2 ? "It needs at least two markets. " : "It needs two perpetuals, or a perpetual and a spot market, and a window of closed bins. ", rule);
    d.append(p);
    return d;
  }
  const span = `${((l.window.end - l.window.start) / 60000).toFixed(1)} min of trades ending ${utc(l.window.end)}`;
  for (const o of l.outcomes) {
    const group = o.analysis === "A" ? "among the perpetuals" : "among all markets";
    const p = el("p", {class: "live-leader__verdict", "data-analysis": o.analysis, "data-leader": o.leader ?? "none"});
    const head = o.leader ? `Leader ${group}: ${name(o.leader)}` : `No leader found ${group}`;
    p.innerHTML = `<strong></strong> `;
    p.querySelector("strong")!.textContent = `${head} (rule p = ${o.p.toPrecision(2)}${o.leader ? ` ≤ α = ${s.alpha}` : ""}).`;
    const flip = o.lastFlip ? ` Last flip: ${name(o.lastFlip.from)} → ${name(o.lastFlip.to)} at ${utc(o.lastFlip.time)}.` : " No flip seen yet.";
    p.append(`${o.reason ? `${words(o.reason)}. ` : ""}Window: ${span}.${flip}`);
    d.append(p);
  }
  d.append(el("p", {class: "live-leader__rule"}, rule));
  return d;
}

/** Gap events of sequential-id markets (ids skipped) and of sequenced connections (messages lost), newest last. */
export function gapList(s: Snapshot): HTMLElement {
  const d = el("div", {class: "live-gaps"});
  if (s.gapEvents.length === 0) {
    d.textContent = "No gap in the trade ids.";
    return d;
  }
  d.textContent =
    "Gaps: " +
    s.gapEvents
      .map((g) => (g.kind === "ids" ? `${g.market} ids ${g.from}–${g.to} (${g.to - g.from + 1}) before ${utc(g.time)}` : `${g.market} messages ${g.from}–${g.to} of the connection lost (${g.to - g.from + 1}), seen at ${utc(g.time)}`))
      .join("; ") +
    ".";
  return d;
}

/** Everything, plus the snapshot as JSON in `data-snapshot` (for tests and for copying). */
export function liveView(s: Snapshot): HTMLElement {
  const root = el("div", {class: "live-view"});
  root.dataset.snapshot = JSON.stringify(s);
  root.append(healthTable(s), leaderLine(s), teMatrixChart(s), netTable(s), gapList(s));
  return root;
}
