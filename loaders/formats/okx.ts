/**
 * OKX perpetual-swap daily trade archives (BTC-USDT-SWAP).
 *
 * - URL: `https://static.okx.com/cdn/okex/traderecords/trades/daily/YYYYMMDD/BTC-USDT-SWAP-trades-YYYY-MM-DD.zip`
 *   (the same CDN also answers under `https://www.okx.com/cdn/okex/traderecords/…`); no checksum file.
 * - The zip holds one CSV `BTC-USDT-SWAP-trades-YYYY-MM-DD.csv` with header
 *   `instrument_name,trade_id,side,price,size,created_time` (recent files append `source`);
 *   older spot archives wrote bilingual names such as `trade_id/交易id` — a column is known by
 *   the part of its header name before `/`.
 * - `side` is the taker's (`buy` → +1, `sell` → −1); `created_time` is epoch ms; `size` is in
 *   contracts: one BTC-USDT-SWAP contract is 0.01 BTC, so qty = size · 0.01 (computed on the
 *   decimal digits, exactly); spot instruments (`BTC-USDT`) trade in BTC.
 * - Day cut: a file named D holds the trades of D in UTC+8 (Beijing/Hong Kong time), i.e.
 *   [D−1 16:00, D 16:00) UTC. A UTC day D therefore needs the files of D and D+1
 *   ({@link okx}.filesForDay returns both) and only the rows inside the UTC day are kept:
 *   read with `{span: utcDaySpan(D), outside: "skip"}` (as `readDay` in index.ts does).
 *
 * Sources (public code, found by code search; 2024–2025): terrylica/data-source-manager
 * `docs/api/okx_data_download_guide.md` (CDN path `cdn/okex/traderecords/trades/daily/YYYYMMDD/
 * <INST>-trades-YYYY-MM-DD.zip`, bilingual header of spot files); downloader scripts using
 * `https://static.okx.com/cdn/okex/traderecords/trades/daily/{YYYYMMDD}/{INST}-trades-{YYYY-MM-DD}.zip`;
 * readers documenting "the daily file is cut on the UTC+8 day, so the file named 2023-03-01 starts
 * at 2023-02-28 16:00 UTC", the columns `instrument_name,trade_id,side,price,size,created_time`
 * with ms times and size in contracts (sample row
 * `BTC-USDT-SWAP,1566502282,sell,104503.0,30.14,1748707200008`, whose time is 16:00:00.008 UTC,
 * the first trade of a UTC+8 day), and the 0.01 BTC contract value of BTC-USDT-SWAP.
 *
 * Quarantine reasons: `wrong column count`, `non-numeric trade_id|price|size|created_time`,
 * `non-positive price|size`, `invalid side`, `instrument mismatch`, `time out of range`,
 * `time unit mismatch`, `outside span`. Missing columns, an unknown contract value, an empty
 * file or a damaged zip throw `InputError`.
 */
import {basename, join} from "node:path";
import type {Quarantine, TradeBatch} from "../trades.ts";
import {InputError} from "../trades.ts";
import {openZipSink, zipEntryChunks} from "./archive.ts";
import {BatchBuilder, dayStart, nextDay, readLines, utcDay, type ReadOptions} from "./batch.ts";
import {epochUnit, equalsAscii, equalsAsciiIgnoreCase, FIELD_DECIMAL, FIELD_TEXT, FIELD_UINT, isUnit, parseDecimal, parseUint, RowScanner, scaledLast, SHIFT_TO_MS, splitFields, text, UnitGuard, type FastLine} from "./bytes.ts";
import {checkDayAndSymbol} from "./names.ts";
import type {VenueFormat} from "./types.ts";
import {COMMA, dayNumber, writeByDay} from "./writer.ts";

export const OKX_HEADER = "instrument_name,trade_id,side,price,size,created_time";
/** Offset of OKX's archive day from UTC: files are cut at UTC+8 midnight. */
export const OKX_DAY_OFFSET_MS = 8 * 3_600_000;

/**
 * Contract value of OKX swaps as a power of ten of the base currency per contract
 * (BTC-USDT-SWAP: 10^-2 = 0.01 BTC). Spot instruments trade in the base currency (10^0).
 */
export const OKX_CONTRACT_EXPONENT: Record<string, number> = {"BTC-USDT-SWAP": -2, "ETH-USDT-SWAP": -1};

/** OKX instrument of a workbook symbol: `BTCUSDT` → `BTC-USDT-SWAP` (the perpetual); hyphenated OKX ids pass through. */
export function okxInstrument(symbol: string): string {
  if (symbol.includes("-")) return symbol;
  const m = /^([A-Z0-9]+?)(USDT|USDC|USD)$/.exec(symbol);
  if (!m) throw new RangeError(`invalid symbol: ${JSON.stringify(symbol)} (cannot map to an OKX instrument)`);
  return `${m[1]}-${m[2]}-SWAP`;
}

/** Archive name of OKX file day `day` (a UTC+8 day): `BTC-USDT-SWAP-trades-2024-08-05.zip`. */
export function okxFileName(day: string, symbol: string): string {
  checkDayAndSymbol(day, symbol);
  return `${okxInstrument(symbol)}-trades-${day}.zip`;
}

/** The OKX file day (UTC+8 calendar day) of a trade at epoch ms `t`. */
export function okxFileDay(t: number): string {
  return utcDay(t + OKX_DAY_OFFSET_MS);
}

/** The UTC span [t0, t1) covered by OKX file day `day`: [day−1 16:00Z, day 16:00Z). */
export function okxFileSpan(day: string): [number, number] {
  const t0 = dayStart(day) - OKX_DAY_OFFSET_MS;
  return [t0, t0 + 86_400_000];
}

export interface OkxReadOptions extends ReadOptions {
  /** Base currency per contract, overriding {@link OKX_CONTRACT_EXPONENT} (e.g. 0.01). */
  contractValue?: number;
}

function contractScale(path: string, instrument: string, override?: number): {shift: number; factor: number} {
  if (override !== undefined) {
    if (!(override > 0)) throw new RangeError(`invalid contractValue: ${override}`);
    const e = Math.log10(override);
    return Number.isInteger(Math.round(e * 1e9) / 1e9) ? {shift: Math.round(e), factor: 1} : {shift: 0, factor: override};
  }
  const e = OKX_CONTRACT_EXPONENT[instrument];
  if (e !== undefined) return {shift: e, factor: 1};
  if (/-(SWAP|\d{6})$/.test(instrument)) throw new InputError(path, undefined, `unknown contract value for ${instrument} (pass contractValue)`);
  return {shift: 0, factor: 1};
}

/** Streams the trades of an OKX daily trade zip (see the module comment). */
export async function* readOkx(path: string, q: Quarantine, options: OkxReadOptions = {}): AsyncGenerator<TradeBatch> {
  const builder = new BatchBuilder("okx", path, q, options);
  let starts = new Int32Array(16);
  let ends = new Int32Array(16);
  const unit = new UnitGuard(["ms", "us"]);
  const fromName = /^(.+)-trades-\d{4}-\d{2}-\d{2}\.zip$/.exec(basename(path))?.[1];
  let instrument = fromName;
  let scale = instrument ? contractScale(path, instrument, options.contractValue) : undefined;
  let columns = -1;
  let iInst = -1, iId = -1, iSide = -1, iPrice = -1, iSize = -1, iTime = -1;
  // Fast path: the columns found from the header, scanned in one pass; any row that is not plain
  // goes to the general path below.
  let row: RowScanner | undefined;
  const fast: FastLine = (buf, p, limit, line) => {
    const u = unit.unit;
    if (row === undefined || u === undefined || scale === undefined || (iInst >= 0 && instrument === undefined)) return -1;
    const next = row.scan(buf, p, limit);
    if (next < 0) return -1;
    const price = row.value[iPrice], size = row.value[iSize], t = row.value[iTime];
    if (!(price > 0 && size > 0) || epochUnit(t) !== u) return -1;
    const side = row.is(buf, iSide, "buy", true) ? 1 : row.is(buf, iSide, "sell", true) ? -1 : 0;
    if (side === 0 || (iInst >= 0 && !row.is(buf, iInst, instrument!))) return -1;
    const qty = scale.factor === 1 ? row.scaled(iSize, scale.shift) : size * scale.factor;
    builder.row();
    builder.push(row.scaled(iTime, SHIFT_TO_MS[u]), price, qty, side, row.value[iId], line, buf, p, row.rowEnd);
    return next;
  };
  yield* readLines(options.chunks ?? okx.content(path), builder, (buf, s, e, line) => {
    if (columns < 0) {
      const names = text(buf, s, e).split(",").map((c) => c.split("/")[0].trim());
      const required = ["trade_id", "side", "price", "size", "created_time"];
      const missing = required.filter((c) => !names.includes(c));
      if (missing.length)
        throw new InputError(path, line, `wrong header: missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} in "${text(buf, s, Math.min(e, s + 200))}" (expected "${OKX_HEADER}")`);
      columns = names.length;
      if (columns > starts.length) {
        starts = new Int32Array(columns + 1);
        ends = new Int32Array(columns + 1);
      }
      [iInst, iId, iSide, iPrice, iSize, iTime] = ["instrument_name", ...required].map((c) => names.indexOf(c));
      const kinds = new Uint8Array(columns).fill(FIELD_TEXT);
      for (const i of [iPrice, iSize, iTime]) kinds[i] = FIELD_DECIMAL;
      kinds[iId] = FIELD_UINT;
      row = new RowScanner(kinds);
      return;
    }
    builder.row();
    const n = splitFields(buf, s, e, starts, ends);
    if (n !== columns) return builder.reject(line, "wrong column count", text(buf, s, e));
    if (iInst >= 0) {
      if (instrument === undefined) instrument = text(buf, starts[iInst], ends[iInst]);
      if (!equalsAscii(buf, starts[iInst], ends[iInst], instrument)) return builder.reject(line, "instrument mismatch", text(buf, s, e));
    }
    scale ??= contractScale(path, instrument ?? "", options.contractValue);
    const id = parseUint(buf, starts[iId], ends[iId]);
    if (Number.isNaN(id)) return builder.reject(line, "non-numeric trade_id", text(buf, s, e));
    const price = parseDecimal(buf, starts[iPrice], ends[iPrice]);
    if (Number.isNaN(price)) return builder.reject(line, "non-numeric price", text(buf, s, e));
    if (!(price > 0) || price === Infinity) return builder.reject(line, "non-positive price", text(buf, s, e));
    const size = parseDecimal(buf, starts[iSize], ends[iSize]);
    if (Number.isNaN(size)) return builder.reject(line, "non-numeric size", text(buf, s, e));
    if (!(size > 0) || size === Infinity) return builder.reject(line, "non-positive size", text(buf, s, e));
    const qty = scale.factor === 1 ? scaledLast(scale.shift) : size * scale.factor;
    let side: number;
    if (equalsAsciiIgnoreCase(buf, starts[iSide], ends[iSide], "buy")) side = 1;
    else if (equalsAsciiIgnoreCase(buf, starts[iSide], ends[iSide], "sell")) side = -1;
    else return builder.reject(line, "invalid side", text(buf, s, e));
    const t = parseDecimal(buf, starts[iTime], ends[iTime]);
    if (Number.isNaN(t)) return builder.reject(line, "non-numeric created_time", text(buf, s, e));
    const u = unit.check(t);
    if (!isUnit(u)) return builder.reject(line, u, text(buf, s, e));
    builder.push(scaledLast(SHIFT_TO_MS[u]), price, qty, side, id, line, buf, s, e);
  }, fast);
  if (columns < 0) throw new InputError(path, undefined, "empty file (no header)");
}

/**
 * Writes time-sorted trades as OKX daily trade zips under `dir`, cut at UTC+8 midnight (so one
 * UTC day of trades gives two files); `size` in contracts. Returns the file names.
 */
export async function writeOkx(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]> {
  const instrument = okxInstrument(symbol);
  const exponent = OKX_CONTRACT_EXPONENT[instrument] ?? (/-SWAP$/.test(instrument) ? undefined : 0);
  if (exponent === undefined) throw new RangeError(`invalid symbol: ${symbol} (unknown contract value of ${instrument})`);
  const prefix = `${instrument},`;
  return writeByDay(trades, {
    venue: "okx",
    needsId: true,
    fileDay: (t) => dayNumber(t + OKX_DAY_OFFSET_MS),
    async open(day) {
      const name = okxFileName(day, instrument);
      const sink = await openZipSink(join(dir, name), name.replace(/\.zip$/, ".csv"));
      await sink.write(`${OKX_HEADER}\n`);
      return {
        sink,
        name,
        // instrument_name,trade_id,side,price,size (contracts),created_time
        row(b, i, out) {
          out.text(prefix);
          out.int(b.id[i]);
          out.text(b.side[i] > 0 ? ",buy," : ",sell,");
          out.num(b.price[i]);
          out.byte(COMMA);
          out.num(b.qty[i], -exponent);
          out.byte(COMMA);
          out.int(Math.floor(b.time[i]));
          out.byte(0x0a);
        }
      };
    }
  });
}

export const okx: VenueFormat = {
  venue: "okx",
  filesForDay: (day, symbol) => [okxFileName(day, symbol), okxFileName(nextDay(day), symbol)],
  read: (path, q) => readOkx(path, q),
  content: (path) => zipEntryChunks(path),
  write: writeOkx
};
