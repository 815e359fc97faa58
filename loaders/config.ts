/**
 * The one typed analysis configuration.
 *
 * Every loader reads it through {@link loadConfig}; pages see a summary of it in
 * the build manifest. Defaults give a complete offline build on the simulated
 * market; environment variables (listed in {@link ENV}) override single fields and
 * are validated before any work starts, so a typo fails fast with a message that
 * names the variable and the offending value.
 */

import {ARCHIVE_VENUES, VENUE_INFO, VENUES, type ArchiveVenue, type Delays, type Venue} from "../lib/analysis/venues.js";

export {ARCHIVE_VENUES, VENUE_INFO, VENUES, type ArchiveVenue, type Delays, type Venue};

export const SYMBOLS = ["BTCUSDT"] as const;
export type Symbol = (typeof SYMBOLS)[number];

/**
 * Where trades come from.
 * - `auto`: real archives from the local cache where every requested (venue, day) is
 *   present, else the simulated market (the offline default);
 * - `real`: real archives only; missing days are downloaded, and a failure is an error;
 * - `simulated`: the seeded simulated market, always.
 */
export type DataSource = "auto" | "real" | "simulated";

export interface SimulationConfig {
  /**
   * Whether the simulator plants the crash: `planted` (default) puts a crash at `crash` and a
   * recovery up to `recoveryEnd`; `none` keeps the whole span calm, with the calm delays
   * throughout (no leadership flip), and records null crash times in `truth.json`.
   */
  crashMode: "planted" | "none";
  /**
   * Planted crash window, as fractions of the span: [start, end) (ignored when `crashMode` is
   * `none`). On a span longer than a day the crash starts at its fraction and lasts that fraction
   * of a day, and so does the recovery (`crashTimes`, loaders/simulate/plan.ts).
   */
  crash: [number, number];
  /** Planted recovery end, as a fraction of the span (recovery runs from crash end to here). */
  recoveryEnd: number;
  /** Rate multiplier applied to every venue's default mean rate (1 = realistic). */
  rateScale: number;
  /**
   * Planted observation delay of the latent price per venue, ms, outside the crash: the venue of
   * smallest delay leads by the others' differences; all equal = no lead–lag.
   */
  leadsCalmMs: Delays;
  /** Planted delays during the crash, ms (a different leader plants a leadership flip). */
  leadsCrashMs: Delays;
  /** Probability that a trade at the burst venue during an informed burst takes the burst's direction (0 = no informed flow). */
  informedShare: number;
  /** Probability that a trade at a lagging venue is an arbitrage against the leader's price (0 = pure delayed price discovery). */
  arbitrageShare: number;
  /** Calm barrier over noise ΔV/D of the planted price wells (0 = no wells: the same level grid is recorded, no force pulls the price to it). */
  wellBarrier: number;
}

/** One entry of `CVE_INPUTS`: a file or glob, with its market when given as `market-id=path`. */
export interface InputSpec {
  /** The market the files hold; null: detected from each file's name and content. */
  market: Venue | null;
  /** A path or glob (`*`, `?`, `**`), relative to the working directory or absolute. */
  pattern: string;
}

export interface AnalysisConfig {
  venues: Venue[];
  symbol: Symbol;
  /** First UTC day, `YYYY-MM-DD`. */
  start: string;
  /** Last UTC day, inclusive, `YYYY-MM-DD`. */
  end: string;
  /** Hours of the last day analysed from 00:00 UTC (24 = the whole day; earlier days are always whole). */
  hours: number;
  source: DataSource;
  /**
   * Trade files a user already has (`CVE_INPUTS`): exchange archives, Tardis CSV, Binance
   * websocket recordings, cryptofeed recordings. Non-empty: the build reads these (source real),
   * the markets are those of the files, and the span defaults to their overlap.
   */
  inputs: InputSpec[];
  /** Start of the analysed span, epoch ms (`CVE_FROM`); null: the start of `start` (or of the inputs' overlap). */
  from: number | null;
  /** End of the analysed span, epoch ms, exclusive (`CVE_TO`); null: the end of the last day's hours (or of the inputs' overlap). */
  to: number | null;
  /** Fixed time-bin widths for the aggregates, in milliseconds. */
  binWidthsMs: number[];
  /** Rolling-window lengths used by the chapters, in seconds. */
  windowsSec: {entropy: number[]; te: number; teStep: number; regime: number; landscape: number};
  /** Seed of every random draw: simulator, surrogates, shuffles. */
  seed: number;
  /** Surrogates per significance test. */
  surrogates: number;
  /** Root of the raw-archive cache and of derived intermediates. */
  dataDir: string;
  /** Whether the network may be used to fetch missing archives. */
  offline: boolean;
  /**
   * What data past the quality limits (`QUALITY_LIMITS` in quality.ts) does to a build: `fail`
   * stops it with a message naming the file and the reason; `warn` publishes, with the problem
   * on every page's banner. It does not change the derived data.
   */
  quality: "fail" | "warn";
  simulation: SimulationConfig;
}

export const DEFAULTS: AnalysisConfig = {
  venues: [...ARCHIVE_VENUES],
  symbol: "BTCUSDT",
  start: "2024-08-05",
  end: "2024-08-05",
  hours: 24,
  source: "auto",
  inputs: [],
  from: null,
  to: null,
  binWidthsMs: [100, 1000],
  windowsSec: {entropy: [60, 300, 900], te: 1800, teStep: 300, regime: 600, landscape: 3600},
  seed: 20240805,
  surrogates: 999,
  dataDir: "data",
  offline: true,
  quality: "fail",
  simulation: {
    crashMode: "planted",
    crash: [0.5, 0.5625],
    recoveryEnd: 0.6875,
    rateScale: 1,
    leadsCalmMs: {binance: 0, bybit: 150, okx: 300, coinbase: 500},
    leadsCrashMs: {binance: 200, bybit: 0, okx: 300, coinbase: 500},
    informedShare: 0.7,
    arbitrageShare: 0.2,
    wellBarrier: 3
  }
};

/** Environment variables that override the defaults. */
export const ENV = {
  CVE_VENUES: "comma-separated venues, e.g. binance,okx",
  CVE_SYMBOL: "instrument symbol (BTCUSDT)",
  CVE_START: "first UTC day, YYYY-MM-DD",
  CVE_END: "last UTC day (inclusive), YYYY-MM-DD",
  CVE_HOURS: "hours of each day analysed from 00:00 UTC, 1–24",
  CVE_SOURCE: "auto | real | simulated",
  CVE_INPUTS: "comma-separated trade files or globs, each optionally market-id=path (e.g. binance-spot=rec/btcusdt_20240808.gz); format and market detected from name and content",
  CVE_FROM: "start of the analysed span, ISO-8601 UTC to the ms (e.g. 2023-04-05T00:01:00.000Z)",
  CVE_TO: "end of the analysed span (exclusive), ISO-8601 UTC to the ms",
  CVE_BINS_MS: "comma-separated bin widths in ms, e.g. 100,1000 (each at least 50)",
  CVE_SEED: "integer seed for the simulator and surrogates",
  CVE_SURROGATES: "surrogates per significance test (19 to 9,999)",
  CVE_DATA_DIR: "root of the raw cache and derived data",
  CVE_OFFLINE: "1 to forbid downloads (default), 0 to allow them",
  CVE_SIM_RATE_SCALE: "multiplier on simulated trade rates (default 1)",
  CVE_SIM_CRASH: "planted (default): a crash and a recovery mid-span; none: calm throughout, no crash, no leadership flip",
  CVE_SIM_LEADS_CALM: "planted delays outside the crash, venue:ms,… for every venue (all equal = no lead–lag)",
  CVE_SIM_LEADS_CRASH: "planted delays during the crash, venue:ms,… for every venue",
  CVE_SIM_INFORMED_SHARE: "share of informed trades at the burst venue during bursts, 0–1 (default 0.7)",
  CVE_SIM_ARBITRAGE_SHARE: "share of arbitrage trades at lagging venues, 0–1 (default 0.2)",
  CVE_SIM_WELL_BARRIER: "calm barrier over noise ΔV/D of the planted price wells, 0–20 (default 3; 0 = no wells)",
  CVE_QUALITY: "fail (default): data past the quality limits stops the build; warn: build anyway, with the problem on every page's banner"
} as const;

/**
 * Read by the downloader (`loaders/sources/http.ts`), not part of the analysis configuration:
 * base URLs of the venues' archive hosts, for mirrors and for tests against a loopback server.
 */
export const SOURCE_ENV = {
  CVE_BASE_URL_BINANCE: "base URL of the Binance archive host",
  CVE_BASE_URL_BYBIT: "base URL of the Bybit archive host",
  CVE_BASE_URL_OKX: "base URL of the OKX archive host",
  CVE_BASE_URL_COINBASE: "base URL of the Coinbase REST API"
} as const;

/**
 * Most surrogates per test: p-values resolve to 1/(S + 1), so 9,999 already reach 1e-4, far below
 * any threshold the chapters use, while the build time grows in proportion to S.
 */
export const MAX_SURROGATES = 9_999;

/**
 * Narrowest bin width, ms. Every bin is a row of 80 bytes per venue: a day of 1 ms bins is 86.4
 * million rows per venue (about 28 GB for four venues); 50 ms keeps a day under 140 MB per venue.
 */
export const MIN_BIN_MS = 50;

/** Bytes of one row of a bins file (nine Float64 and two Int32 columns). */
const BIN_ROW_BYTES = 80;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Largest planted delay, ms: the simulator's latent path keeps a margin of 2 s before each day. */
const MAX_DELAY_MS = 1500;

function parseDay(value: string, field: string): number {
  if (!DAY.test(value)) throw new ConfigError(`${field}: invalid date ${JSON.stringify(value)} (expected YYYY-MM-DD)`);
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value)
    throw new ConfigError(`${field}: invalid date ${JSON.stringify(value)}`);
  return t;
}

/**
 * Parses planted delays `venue:ms,venue:ms,…` (e.g. `okx:0,bybit:200,binance:400,coinbase:600`):
 * every known venue named once with a delay in ms; ConfigError naming the variable and the part.
 */
export function parseLeads(value: string, field: string): Delays {
  const out: Partial<Record<ArchiveVenue, number>> = {};
  for (const part of value.split(",")) {
    const m = /^\s*([a-z]+)\s*:\s*([^\s]+)\s*$/i.exec(part);
    if (!m) throw new ConfigError(`${field}: expected venue:delayMs, got ${JSON.stringify(part)}`);
    const venue = m[1].toLowerCase() as ArchiveVenue;
    if (!(ARCHIVE_VENUES as readonly string[]).includes(venue)) throw new ConfigError(`${field}: unknown venue ${JSON.stringify(m[1])} (known: ${ARCHIVE_VENUES.join(", ")})`);
    if (venue in out) throw new ConfigError(`${field}: venue ${venue} given twice`);
    out[venue] = parseNumber(m[2], field);
  }
  const missing = ARCHIVE_VENUES.filter((v) => !(v in out));
  if (missing.length) throw new ConfigError(`${field}: no delay for ${missing.join(", ")} (give every venue, e.g. ${ARCHIVE_VENUES.map((v) => `${v}:0`).join(",")})`);
  return out as Delays;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/;

/**
 * Parses an ISO-8601 UTC time to epoch ms: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS` or `…:SS.mmm`,
 * with an optional trailing `Z` (no other offset: the workbook's times are UTC). ConfigError
 * naming the variable and the value otherwise.
 */
export function parseUtcTime(value: string, field: string): number {
  const m = ISO_UTC.exec(value.trim());
  const bad = () => new ConfigError(`${field}: expected an ISO-8601 UTC time such as 2023-04-05T00:01:00.000Z, got ${JSON.stringify(value)}`);
  if (!m) throw bad();
  const [y, mo, d, h = "0", mi = "0", s = "0", ms = "0"] = m.slice(1).map((x) => x ?? undefined) as string[];
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, "0"));
  const back = new Date(t);
  if (!Number.isFinite(t) || back.getUTCDate() !== +d || back.getUTCMonth() !== +mo - 1 || back.getUTCHours() !== +h || back.getUTCMinutes() !== +mi || back.getUTCSeconds() !== +s) throw bad();
  return t;
}

/** Parses `CVE_INPUTS`: comma-separated `path` or `market-id=path` entries; ConfigError naming an unknown market or an empty entry. */
export function parseInputs(value: string, field = "CVE_INPUTS"): InputSpec[] {
  return value.split(",").map((part) => {
    const p = part.trim();
    if (p === "") throw new ConfigError(`${field}: empty entry in ${JSON.stringify(value)}`);
    const m = /^([a-z][a-z0-9-]*)=(.+)$/.exec(p);
    if (!m) return {market: null, pattern: p};
    if (!(VENUES as readonly string[]).includes(m[1])) throw new ConfigError(`${field}: unknown market ${JSON.stringify(m[1])} in ${JSON.stringify(p)} (known: ${VENUES.join(", ")})`);
    return {market: m[1] as Venue, pattern: m[2].trim()};
  });
}

function parseNumber(value: string, field: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) throw new ConfigError(`${field}: not a number: ${JSON.stringify(value)}`);
  return x;
}

/**
 * Checks a configuration and returns it; throws {@link ConfigError} naming the
 * field and value on the first problem (unknown venue, reversed dates,
 * non-positive bin width or window, …).
 */
export function validateConfig(config: AnalysisConfig): AnalysisConfig {
  if (config.venues.length === 0) throw new ConfigError("venues: at least one venue is required");
  for (const v of config.venues)
    if (!(VENUES as readonly string[]).includes(v))
      throw new ConfigError(`venues: unknown venue ${JSON.stringify(v)} (known: ${VENUES.join(", ")})`);
  if (!config.inputs?.length)
    for (const v of config.venues)
      if (!(ARCHIVE_VENUES as readonly string[]).includes(v))
        throw new ConfigError(`venues: ${v} has no daily exchange archives and no simulated counterpart; give its files in CVE_INPUTS (archive and simulated venues: ${ARCHIVE_VENUES.join(", ")})`);
  if (new Set(config.venues).size !== config.venues.length) throw new ConfigError(`venues: duplicate venue in ${config.venues.join(",")}`);
  if (!(SYMBOLS as readonly string[]).includes(config.symbol))
    throw new ConfigError(`symbol: unknown symbol ${JSON.stringify(config.symbol)} (known: ${SYMBOLS.join(", ")})`);
  const t0 = parseDay(config.start, "start");
  const t1 = parseDay(config.end, "end");
  if (t1 < t0) throw new ConfigError(`end: ${config.end} is before start ${config.start}`);
  if ((t1 - t0) / 86_400_000 + 1 > 31) throw new ConfigError(`end: span ${config.start}..${config.end} is longer than 31 days`);
  if (!Number.isInteger(config.hours) || config.hours < 1 || config.hours > 24)
    throw new ConfigError(`hours: must be an integer from 1 to 24, got ${config.hours}`);
  if (config.quality !== "fail" && config.quality !== "warn")
    throw new ConfigError(`quality: expected fail or warn, got ${JSON.stringify(config.quality)}`);
  if (!["auto", "real", "simulated"].includes(config.source))
    throw new ConfigError(`source: unknown source ${JSON.stringify(config.source)} (auto | real | simulated)`);
  for (const name of ["from", "to"] as const) {
    const t = config[name];
    if (t !== null && !Number.isSafeInteger(t)) throw new ConfigError(`${name}: must be whole epoch milliseconds, got ${t}`);
  }
  if (config.from !== null && config.to !== null && !(config.from < config.to))
    throw new ConfigError(`to: ${new Date(config.to).toISOString()} is not after from ${new Date(config.from).toISOString()}`);
  if (!config.inputs?.length) {
    const [d0, d1] = configDaySpan(config);
    for (const name of ["from", "to"] as const) {
      const t = config[name];
      if (t !== null && !(t >= d0 && t <= d1))
        throw new ConfigError(`${name}: ${new Date(t).toISOString()} is outside the configured days ${new Date(d0).toISOString()} – ${new Date(d1).toISOString()} (set CVE_START/CVE_END/CVE_HOURS, or leave them unset to cover CVE_FROM–CVE_TO)`);
    }
  } else {
    for (const s of config.inputs)
      if (!s || typeof s.pattern !== "string" || s.pattern === "" || (s.market !== null && !(VENUES as readonly string[]).includes(s.market)))
        throw new ConfigError(`inputs: invalid entry ${JSON.stringify(s)}`);
    if (config.source === "simulated") throw new ConfigError("source: simulated cannot read CVE_INPUTS (inputs are real trades; unset one of them)");
  }
  if (config.binWidthsMs.length === 0) throw new ConfigError("binWidthsMs: at least one bin width is required");
  for (const w of config.binWidthsMs) {
    if (!Number.isInteger(w) || w <= 0) throw new ConfigError(`binWidthsMs: bin width must be a positive integer of ms, got ${w}`);
    if (w < MIN_BIN_MS) {
      const gb = (config.venues.length * (86_400_000 / w) * BIN_ROW_BYTES) / 1e9;
      throw new ConfigError(
        `binWidthsMs: bin width ${w} ms is below the minimum of ${MIN_BIN_MS} ms (a day of ${w} ms bins is ${(86_400_000 / w).toLocaleString("en-US")} rows per venue, about ${gb.toFixed(1)} GB for ${config.venues.length} venue(s))`
      );
    }
  }
  if (!config.binWidthsMs.includes(100) || !config.binWidthsMs.includes(1000))
    throw new ConfigError(`binWidthsMs: must include 100 and 1000 (the chapters read both), got ${config.binWidthsMs.join(",")}`);
  const w = config.windowsSec;
  for (const [name, value] of [["entropy", w.entropy], ["te", [w.te]], ["teStep", [w.teStep]], ["regime", [w.regime]], ["landscape", [w.landscape]]] as const)
    for (const x of value)
      if (!Number.isFinite(x) || x <= 0) throw new ConfigError(`windowsSec.${name}: window must be positive, got ${x}`);
  if (!Number.isSafeInteger(config.seed)) throw new ConfigError(`seed: must be an integer, got ${config.seed}`);
  if (!Number.isInteger(config.surrogates) || config.surrogates < 19)
    throw new ConfigError(`surrogates: at least 19 are needed for p < 0.05, got ${config.surrogates}`);
  if (config.surrogates > MAX_SURROGATES)
    throw new ConfigError(
      `surrogates: at most ${MAX_SURROGATES.toLocaleString("en-US")} (p-values resolve to 1/(S + 1), already 1e-4 there, and the build time grows in proportion to S), got ${config.surrogates}`
    );
  const s = config.simulation;
  if (!(s.rateScale > 0)) throw new ConfigError(`simulation.rateScale: must be positive, got ${s.rateScale}`);
  if (s.crashMode !== "planted" && s.crashMode !== "none")
    throw new ConfigError(`simulation.crashMode: expected planted or none, got ${JSON.stringify(s.crashMode)}`);
  if (!(0 < s.crash[0] && s.crash[0] < s.crash[1] && s.crash[1] < s.recoveryEnd && s.recoveryEnd < 1))
    throw new ConfigError(`simulation: need 0 < crash start < crash end < recovery end < 1, got ${s.crash.join("..")}..${s.recoveryEnd}`);
  for (const [name, leads] of [["leadsCalmMs", s.leadsCalmMs], ["leadsCrashMs", s.leadsCrashMs]] as const)
    for (const v of ARCHIVE_VENUES)
      if (!(Number.isInteger(leads[v]) && leads[v] >= 0 && leads[v] <= MAX_DELAY_MS))
        throw new ConfigError(`simulation.${name}: delay of ${v} must be an integer from 0 to ${MAX_DELAY_MS} ms, got ${leads[v]}`);
  for (const name of ["informedShare", "arbitrageShare"] as const)
    if (!(s[name] >= 0 && s[name] <= 1)) throw new ConfigError(`simulation.${name}: must be from 0 to 1, got ${s[name]}`);
  if (!(s.wellBarrier >= 0 && s.wellBarrier <= 20)) throw new ConfigError(`simulation.wellBarrier: must be from 0 to 20 (0 = no wells), got ${s.wellBarrier}`);
  return config;
}

/** Builds the configuration from the defaults and the environment, validated. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AnalysisConfig {
  const c: AnalysisConfig = structuredClone(DEFAULTS);
  const get = (k: keyof typeof ENV) => {
    const v = env[k];
    return v === undefined || v === "" ? undefined : v;
  };
  let v: string | undefined;
  if ((v = get("CVE_VENUES"))) c.venues = v.split(",").map((s) => s.trim().toLowerCase()) as Venue[];
  if ((v = get("CVE_SYMBOL"))) c.symbol = v.trim().toUpperCase() as Symbol;
  if ((v = get("CVE_START"))) c.start = v.trim();
  if ((v = get("CVE_END"))) c.end = v.trim();
  else if (get("CVE_START")) c.end = c.start;
  if ((v = get("CVE_HOURS"))) c.hours = parseNumber(v, "CVE_HOURS");
  if ((v = get("CVE_INPUTS"))) c.inputs = parseInputs(v);
  if ((v = get("CVE_FROM"))) c.from = parseUtcTime(v, "CVE_FROM");
  if ((v = get("CVE_TO"))) c.to = parseUtcTime(v, "CVE_TO");
  // A span given only by CVE_FROM/CVE_TO: the days (whole) are the ones it covers.
  if (!get("CVE_START") && !c.inputs.length && (c.from !== null || c.to !== null)) {
    const a = c.from ?? c.to! - 1;
    const b = (c.to ?? c.from! + 1) - 1;
    c.start = new Date(a).toISOString().slice(0, 10);
    c.end = new Date(Math.max(a, b)).toISOString().slice(0, 10);
    if (!get("CVE_HOURS")) c.hours = 24;
  }
  if ((v = get("CVE_SOURCE"))) c.source = v.trim() as DataSource;
  if ((v = get("CVE_BINS_MS"))) c.binWidthsMs = v.split(",").map((s) => parseNumber(s, "CVE_BINS_MS"));
  if ((v = get("CVE_SEED"))) c.seed = parseNumber(v, "CVE_SEED");
  if ((v = get("CVE_SURROGATES"))) c.surrogates = parseNumber(v, "CVE_SURROGATES");
  if ((v = get("CVE_DATA_DIR"))) c.dataDir = v;
  if ((v = get("CVE_OFFLINE"))) {
    if (v !== "0" && v !== "1") throw new ConfigError(`CVE_OFFLINE: expected 0 or 1, got ${JSON.stringify(v)}`);
    c.offline = v === "1";
  }
  if ((v = get("CVE_QUALITY"))) c.quality = v.trim().toLowerCase() as AnalysisConfig["quality"];
  if ((v = get("CVE_SIM_RATE_SCALE"))) c.simulation.rateScale = parseNumber(v, "CVE_SIM_RATE_SCALE");
  if ((v = get("CVE_SIM_CRASH"))) c.simulation.crashMode = v.trim().toLowerCase() as SimulationConfig["crashMode"];
  if ((v = get("CVE_SIM_LEADS_CALM"))) c.simulation.leadsCalmMs = parseLeads(v, "CVE_SIM_LEADS_CALM");
  if ((v = get("CVE_SIM_LEADS_CRASH"))) c.simulation.leadsCrashMs = parseLeads(v, "CVE_SIM_LEADS_CRASH");
  if ((v = get("CVE_SIM_INFORMED_SHARE"))) c.simulation.informedShare = parseNumber(v, "CVE_SIM_INFORMED_SHARE");
  if ((v = get("CVE_SIM_ARBITRAGE_SHARE"))) c.simulation.arbitrageShare = parseNumber(v, "CVE_SIM_ARBITRAGE_SHARE");
  if ((v = get("CVE_SIM_WELL_BARRIER"))) c.simulation.wellBarrier = parseNumber(v, "CVE_SIM_WELL_BARRIER");
  try {
    return validateConfig(c);
  } catch (error) {
    if (error instanceof ConfigError) error.message = `invalid configuration: ${error.message}`;
    throw error;
  }
}

/** The UTC days covered, as `YYYY-MM-DD` strings. */
export function configDays(config: Pick<AnalysisConfig, "start" | "end">): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${config.start}T00:00:00Z`), t1 = Date.parse(`${config.end}T00:00:00Z`); t <= t1; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The span of the configured days in epoch ms, [t0, t1): whole days, the last one cut to `hours` (what archives and the simulator cover). */
export function configDaySpan(config: Pick<AnalysisConfig, "start" | "end" | "hours">): [number, number] {
  const t0 = Date.parse(`${config.start}T00:00:00Z`);
  const days = configDays(config).length;
  return [t0, t0 + (days - 1) * 86_400_000 + config.hours * 3_600_000];
}

/** The analysed time span in epoch ms, [t0, t1): the configured days, narrowed to `from`/`to` where given. */
export function configSpan(config: Pick<AnalysisConfig, "start" | "end" | "hours"> & Partial<Pick<AnalysisConfig, "from" | "to">>): [number, number] {
  const [d0, d1] = configDaySpan(config);
  const t0 = config.from ?? null;
  const t1 = config.to ?? null;
  return [t0 === null ? d0 : Math.max(d0, t0), t1 === null ? d1 : Math.min(d1, t1)];
}
