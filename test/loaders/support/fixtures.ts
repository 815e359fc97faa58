/**
 * Fixture builders for the format and source tests. Containers are built and opened with
 * fflate and node:zlib — implementations independent of the project's own zip writer and
 * reader — so a test compares the project's bytes against a second opinion.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";
import {strFromU8, strToU8, unzipSync, zipSync} from "fflate";
import {mulberry32} from "../../../lib/random.js";
import type {Venue} from "../../../loaders/config.ts";
import type {Trade, TradeBatch} from "../../../loaders/trades.ts";

/** A fresh temporary folder and its removal. */
export function tempDir(prefix = "cve-test-"): {dir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})};
}

/** A zip holding `entries` (name → text), made by fflate. */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(entries)) files[name] = strToU8(text);
  return zipSync(files, {level: 6, mtime: new Date("2020-01-01T00:00:00Z")});
}

/** The entries of a zip (name → text), opened by fflate. */
export function unzipTexts(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) out[name] = strFromU8(data);
  return out;
}

/** Gzip of a text (node:zlib). */
export function gzipOf(text: string): Uint8Array {
  return gzipSync(Buffer.from(text, "utf8"));
}

/** Text of a gzip file's bytes (node:zlib). */
export function gunzipText(bytes: Uint8Array): string {
  return gunzipSync(bytes).toString("utf8");
}

/** A batch of the given rows. */
export function batchOf(venue: Venue, rows: Trade[]): TradeBatch {
  const n = rows.length;
  const b: TradeBatch = {venue, length: n, time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), side: new Int8Array(n), id: new Float64Array(n)};
  rows.forEach((r, i) => {
    b.time[i] = r.time;
    b.price[i] = r.price;
    b.qty[i] = r.qty;
    b.side[i] = r.side;
    b.id[i] = r.id;
  });
  return b;
}

/** Every row of a stream of batches, as trades, plus the venues and batch count seen. */
export async function collect(batches: AsyncIterable<TradeBatch>): Promise<{trades: Trade[]; venues: Set<Venue>; batches: number}> {
  const trades: Trade[] = [];
  const venues = new Set<Venue>();
  let count = 0;
  for await (const b of batches) {
    ++count;
    venues.add(b.venue);
    for (let i = 0; i < b.length; ++i) trades.push({time: b.time[i], price: b.price[i], qty: b.qty[i], side: b.side[i], id: b.id[i]});
  }
  return {trades, venues, batches: count};
}

/**
 * `n` seeded, time-sorted trades starting at `start` (epoch ms): integer-ms times `step` ms
 * apart on average, prices on a 0.1 tick, quantities on a 0.001 BTC lot, sides ±1, ids from `firstId`.
 */
export function randomTrades(n: number, start: number, options: {seed?: number; step?: number; firstId?: number; fractionalMs?: boolean} = {}): Trade[] {
  const r = mulberry32(options.seed ?? 1);
  const step = options.step ?? 50;
  let t = start;
  let p = 56000;
  const rows: Trade[] = [];
  for (let i = 0; i < n; ++i) {
    t += Math.floor(r() * 2 * step);
    p = Math.max(100, p + Math.round((r() - 0.5) * 6) / 10);
    const time = options.fractionalMs ? t + Math.floor(r() * 1000) / 1000 : t;
    rows.push({time, price: Math.round(p * 10) / 10, qty: Math.ceil(r() * 2000) / 1000, side: r() < 0.5 ? 1 : -1, id: (options.firstId ?? 1000) + i});
  }
  return rows;
}

/** Splits rows into batches of `size`. */
export function batchesOf(venue: Venue, rows: Trade[], size: number): TradeBatch[] {
  const out: TradeBatch[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(batchOf(venue, rows.slice(i, i + size)));
  return out;
}
