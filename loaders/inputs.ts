/**
 * Trade files a user already has (`CVE_INPUTS`): which files an entry names, what format and
 * market each holds, the span they cover, and the reader of each.
 *
 * Formats, judged from the file's name and first decompressed bytes (gzip and zstd by magic):
 * - `binance-ws`: websocket recordings of common collectors (`<receive ts> <raw JSON>` per
 *   line); the market from the first trade message: a symbol ending `_PERP` (or a delivery
 *   date `_YYMMDD`) is Binance COIN-M (`binance-coinm`), a message with `X` (the order type of
 *   USD-M futures trades) is USD-M (`binance`), one without is spot (`binance-spot`);
 * - `tardis`: Tardis.dev trades CSV, the market from the `exchange` column ({@link TARDIS_MARKETS});
 * - `cryptofeed`: cryptofeed format-2 recordings, the market from the header's exchange;
 * - `archive`: a venue's daily archive, by its exact file name (`BTCUSDT-trades-D.zip` →
 *   `binance`, `BTCUSDTD.csv.gz` → `bybit`, `BTC-USDT-SWAP-trades-D.zip` → `okx`,
 *   `BTC-USD-D.csv.gz` → `coinbase`); a Binance spot archive has the same name as a USD-M one,
 *   so it is given as `binance-spot=path`.
 * A `market-id=path` entry sets the market; the format is still detected. A file that cannot be
 * placed is an {@link InputError} naming it and saying why.
 *
 * COIN-M quantities are contracts of 100 USD; they are converted to BTC (100·q/p) as the file is read.
 */
import {readdirSync, statSync} from "node:fs";
import {basename, join, relative, resolve, sep} from "node:path";
import {VENUE_INFO, VENUES, type InputSpec, type Venue} from "./config.ts";
import {sha256File} from "./archive-hash.ts";
import {head, maybeGzipChunks, zstdChunks} from "./formats/archive.ts";
import {CRYPTOFEED_EXCHANGES, readArchive, readBinanceWs, readCryptofeed, readTardis, TARDIS_HEADER, type ReadOptions} from "./formats/index.ts";
import {InputError, newQuarantine, type Quarantine, type TradeBatch} from "./trades.ts";

/** The formats {@link detectInput} knows. */
export type InputFormat = "binance-ws" | "tardis" | "cryptofeed" | "archive";

/** Tardis exchange ids → market ids. */
export const TARDIS_MARKETS: Record<string, Venue> = {
  "binance-futures": "binance",
  binance: "binance-spot",
  "binance-delivery": "binance-coinm",
  bybit: "bybit",
  "okex-swap": "okx",
  coinbase: "coinbase"
};

/** Daily archive names → market. */
const ARCHIVE_NAMES: [RegExp, Venue][] = [
  [/^[A-Z0-9]+-trades-\d{4}-\d{2}-\d{2}\.zip$/, "binance"],
  [/^[A-Z]+-[A-Z]+-SWAP-trades-\d{4}-\d{2}-\d{2}\.zip$/, "okx"],
  [/^[A-Z0-9]+\d{4}-\d{2}-\d{2}\.csv\.gz$/, "bybit"],
  [/^[A-Z]+-[A-Z]+-\d{4}-\d{2}-\d{2}\.csv\.gz$/, "coinbase"]
];

/** One input file, placed. */
export interface InputFile {
  /** Absolute path (never published). */
  path: string;
  /** The name shown on pages and in the manifest: relative to the working directory. */
  file: string;
  format: InputFormat;
  market: Venue;
  /** Symbol or instrument where the format names one (binance-ws), else null. */
  symbol: string | null;
}

/** An input file with what a full read found: trades and their first and last times (epoch ms), size and content hash. */
export interface ScannedInput extends InputFile {
  trades: number;
  first: number | null;
  last: number | null;
  bytes: number;
  sha256: string;
}

const WILD = /[*?[]/;

function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; ++i) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      ++i;
      if (pattern[i + 1] === "/") ++i;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, {withFileTypes: true});
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The files one `CVE_INPUTS` entry names, sorted: the path itself, or the files a glob (`*`,
 * `?`, `**`) matches below its first wildcard-free folder. InputError when nothing matches.
 */
export function expandPattern(pattern: string, cwd = process.cwd()): string[] {
  const abs = resolve(cwd, pattern);
  if (!WILD.test(pattern)) {
    let ok = false;
    try {
      ok = statSync(abs).isFile();
    } catch {}
    if (!ok) throw new InputError(pattern, undefined, "CVE_INPUTS: no such file");
    return [abs];
  }
  const parts = abs.split(sep);
  const fixed = parts.findIndex((p) => WILD.test(p));
  const root = parts.slice(0, fixed).join(sep) || sep;
  const re = globRegExp(abs.split(sep).join("/"));
  const found = walk(root).filter((p) => re.test(p.split(sep).join("/"))).sort();
  if (!found.length) throw new InputError(pattern, undefined, "CVE_INPUTS: the pattern matches no file");
  return found;
}

/** The first `n` decompressed bytes of a file (gzip, zstd or plain), as text. */
async function headText(path: string, n: number): Promise<string> {
  const magic = await head(path, 4);
  const zstd = magic.length === 4 && magic[0] === 0x28 && magic[1] === 0xb5 && magic[2] === 0x2f && magic[3] === 0xfd;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const source = zstd ? zstdChunks(path) : maybeGzipChunks(path);
  for await (const c of source) {
    chunks.push(c);
    total += c.length;
    if (total >= n) break;
  }
  return new TextDecoder("utf-8", {fatal: false}).decode(Buffer.concat(chunks).subarray(0, n));
}

/** The market of a Binance websocket trade message (see the module comment). */
export function binanceWsMarket(msg: {s?: unknown; X?: unknown}): Venue {
  if (typeof msg.s === "string" && /_(PERP|\d{6})$/.test(msg.s)) return "binance-coinm";
  return msg.X !== undefined ? "binance" : "binance-spot";
}

/** Detects the format and market of `path` (see the module comment); `market` given, it is the file's market. */
export async function detectInput(path: string, market: Venue | null = null, cwd = process.cwd()): Promise<InputFile> {
  const file = relative(cwd, path) || basename(path);
  const name = basename(path);
  const fail = (why: string): never => {
    throw new InputError(file, undefined, `cannot tell the format or market of this CVE_INPUTS file: ${why} (give it as market-id=path, market ids: ${VENUES.join(", ")})`);
  };
  for (const [re, venue] of ARCHIVE_NAMES)
    if (re.test(name)) {
      const m = market ?? venue;
      if (m === "binance-coinm") fail("a COIN-M daily archive is not read here");
      return {path, file, format: "archive", market: m === "binance-spot" || m === "binance" ? m : venue, symbol: null};
    }
  const text = await headText(path, 4 << 20);
  const first = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n")).replace(/\r$/, "");
  if (first === TARDIS_HEADER) {
    const row = text.split("\n")[1]?.split(",") ?? [];
    const m = market ?? TARDIS_MARKETS[row[0]];
    if (!m) fail(`Tardis exchange ${JSON.stringify(row[0] ?? "")} is not one of ${Object.keys(TARDIS_MARKETS).join(", ")}`);
    return {path, file, format: "tardis", market: m!, symbol: row[1] ?? null};
  }
  if (/^\{"t":\s*"header"/.test(first)) {
    let env: any;
    try {
      env = JSON.parse(first);
    } catch {
      fail("a cryptofeed header line that is not JSON");
    }
    const m = market ?? CRYPTOFEED_EXCHANGES[env?.exchange];
    if (!m) fail(`cryptofeed exchange ${JSON.stringify(env?.exchange)} is not one of ${Object.keys(CRYPTOFEED_EXCHANGES).join(", ")}`);
    return {path, file, format: "cryptofeed", market: m!, symbol: null};
  }
  if (/^\d{10,20} [{[]/.test(first)) {
    for (const line of text.split("\n")) {
      if (!line.includes('"e":"trade"')) continue;
      let msg: any;
      try {
        msg = JSON.parse(line.slice(line.indexOf(" ") + 1));
      } catch {
        continue; // a line cut by the head's end
      }
      const d = msg && typeof msg === "object" && msg.data && typeof msg.data === "object" ? msg.data : msg;
      if (d?.e !== "trade") continue;
      return {path, file, format: "binance-ws", market: market ?? binanceWsMarket(d), symbol: typeof d.s === "string" ? d.s : null};
    }
    fail("a websocket recording with no Binance trade message in its first 4 MiB");
  }
  return fail(`its first line is neither a Tardis header, a cryptofeed header, a \`<timestamp> <JSON>\` recording line nor is its name a daily archive's (${JSON.stringify(first.slice(0, 80))})`);
}

/** BTC per contract of 100 USD at `price`: the COIN-M conversion. */
export function coinmQty(contracts: number, price: number, contractUsd = VENUE_INFO["binance-coinm"].contractUsd ?? 100): number {
  return (contracts * contractUsd) / price;
}

/** Streams the trades of one placed input, tagged with its market (COIN-M quantities in BTC). */
export async function* readInput(input: InputFile, q: Quarantine, options: ReadOptions = {}): AsyncGenerator<TradeBatch> {
  const venue = input.market;
  let source: AsyncGenerator<TradeBatch>;
  switch (input.format) {
    case "binance-ws":
      source = readBinanceWs(input.path, q, {...options, venue, symbol: input.symbol ?? undefined});
      break;
    case "tardis":
      source = readTardis(input.path, q, {...options, venue, ...(venue === "binance-coinm" ? {contractValue: 1} : {})});
      break;
    case "cryptofeed":
      source = readCryptofeed(input.path, q, options);
      break;
    case "archive":
      source = readArchive(venue === "binance-spot" ? "binance" : venue, input.path, q, options);
      break;
  }
  for await (const b of source) {
    (b as {venue: Venue}).venue = venue;
    if (venue === "binance-coinm") for (let i = 0; i < b.length; ++i) b.qty[i] = coinmQty(b.qty[i], b.price[i]);
    yield b;
  }
}

/** Reads an input whole for its trade count, first and last trade times, and hashes its bytes. */
export async function scanInput(input: InputFile): Promise<ScannedInput> {
  let trades = 0;
  let first = Infinity;
  let last = -Infinity;
  for await (const b of readInput(input, newQuarantine(), {reuseBatches: true}))
    for (let i = 0; i < b.length; ++i) {
      const t = b.time[i];
      if (t < first) first = t;
      if (t > last) last = t;
      ++trades;
    }
  return {...input, trades, first: trades ? first : null, last: trades ? last : null, bytes: statSync(input.path).size, sha256: sha256File(input.path)};
}

/** Every file of `specs`, placed and scanned, in entry order (a file named twice is an error naming it). */
export async function resolveInputs(specs: readonly InputSpec[], cwd = process.cwd()): Promise<ScannedInput[]> {
  const out: ScannedInput[] = [];
  const seen = new Set<string>();
  for (const s of specs)
    for (const path of expandPattern(s.pattern, cwd)) {
      if (seen.has(path)) throw new InputError(relative(cwd, path), undefined, "CVE_INPUTS names this file twice");
      seen.add(path);
      out.push(await scanInput(await detectInput(path, s.market, cwd)));
    }
  return out;
}

/**
 * The span of the inputs [t0, t1) in epoch ms: each market's files joined (first trade to last
 * trade + 1 ms), then the overlap of the markets, narrowed to `from` / `to` where given.
 * InputError when a file holds no trade or the spans do not overlap, naming them.
 */
export function inputsSpan(inputs: readonly ScannedInput[], from: number | null = null, to: number | null = null): [number, number] {
  const byMarket = new Map<Venue, [number, number]>();
  for (const f of inputs) {
    if (f.first === null || f.last === null) throw new InputError(f.file, undefined, `no trade read from this CVE_INPUTS file (${f.format}, ${f.market})`);
    const s = byMarket.get(f.market);
    byMarket.set(f.market, s ? [Math.min(s[0], f.first), Math.max(s[1], f.last + 1)] : [f.first, f.last + 1]);
  }
  const spans = [...byMarket.values()];
  let t0 = Math.max(...spans.map((s) => s[0]));
  let t1 = Math.min(...spans.map((s) => s[1]));
  const iso = (t: number) => new Date(t).toISOString();
  const list = [...byMarket].map(([m, s]) => `${m} ${iso(s[0])} – ${iso(s[1])}`).join("; ");
  if (!(t0 < t1)) throw new InputError(inputs.map((f) => f.file).join(", "), undefined, `the CVE_INPUTS markets do not overlap in time: ${list}`);
  if (from !== null) t0 = Math.max(t0, from);
  if (to !== null) t1 = Math.min(t1, to);
  if (!(t0 < t1)) throw new InputError(inputs.map((f) => f.file).join(", "), undefined, `CVE_FROM/CVE_TO leave nothing of the inputs' overlap (${list})`);
  // Whole ms: bins and the 100 ms grid start at t0.
  return [Math.floor(t0), Math.ceil(t1)];
}

/** The markets of the inputs, in the order of `VENUES`. */
export function inputMarkets(inputs: readonly Pick<InputFile, "market">[]): Venue[] {
  const set = new Set(inputs.map((f) => f.market));
  return VENUES.filter((v) => set.has(v));
}
