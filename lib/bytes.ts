/**
 * Byte-level helpers shared by the archive readers (loaders/formats) and the message parsers
 * (lib/messages): no I/O, browser-safe. They are incremental line splitting over a stream
 * of decompressed chunks, comma splitting into field offsets, and allocation-free number
 * parsing straight from the bytes.
 *
 * A day of Binance trades is ~10 million CSV rows; decoding every row to a string and calling
 * `split(",")` costs several allocations per row. Here a row is a byte range of a reused
 * buffer, fields are `[start, end)` offsets into it, and numbers are parsed from the digits.
 *
 * Decimal parsing is exact: digits accumulate into an integer mantissa `m` (while it stays
 * below 2^53) and the result is `m / 10^f` (or `m · 10^k`) with `10^f ≤ 10^22`, both exactly
 * representable, so the one IEEE-754 division is correctly rounded and equals `Number(text)`
 * (Clinger's fast path: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990).
 * Anything outside that path (exponents, more than 15–16 significant digits) falls back to
 * `Number()` on the text.
 */

export const LF = 10;
const CR = 13;
const COMMA = 44;

/**
 * The longest line an archive reader accepts, bytes (1 MiB). Every venue's archive rows are under
 * 200 bytes; a longer line means a damaged or wrong file, and buffering it whole (a 1 GiB line in
 * a 1 MB zip) would exhaust memory before failing.
 */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * The longest line a websocket-recording reader accepts, bytes (64 MiB): a recording holds every
 * message of its connection, order-book snapshots among them (a genuine cryptofeed Coinbase
 * capture has lines of 1.3, 2.9 and 5.8 MB).
 */
export const MAX_RECORDING_LINE_BYTES = 64 << 20;

/** A line longer than a splitter's limit: `line` is its 1-based number, `limit` the limit in bytes. */
export class LineTooLongError extends RangeError {
  override name = "LineTooLongError";
  constructor(readonly line: number, readonly limit: number) {
    super(`line ${line} is longer than ${limit.toLocaleString("en-US")} bytes (the readers' maximum line length): a damaged or wrong file`);
  }
}

/** Exact powers of ten 10^0 … 10^22 (all exactly representable as doubles). */
const POW10 = Float64Array.from({length: 23}, (_, i) => Number(`1e${i}`));

/**
 * A reader's fast path for one row: parses the line starting at `buf[start]` (no further than
 * `limit`) in a single pass, consumes it, and returns the position just after its `\n`; or
 * returns −1 without side effects, leaving the line to the general path (malformed rows, rows
 * needing a quarantine, a line that runs past `limit`). `line` is the line's 1-based number.
 */
export type FastLine = (buf: Uint8Array, start: number, limit: number, line: number) => number;

/**
 * Splits a byte stream into lines. `push` calls `onLine(buf, start, end, lineNo)` for every
 * complete line (without its `\n` or `\r\n`), with 1-based line numbers; `end` flushes a last
 * line without a terminating newline. `buf` is only valid during the call. With a `fast`
 * handler, each line of a chunk is first offered to it, and only the lines it declines are
 * searched for their end and passed to `onLine` (a line split across two chunks always is).
 * A line longer than `maxLine` bytes throws {@link LineTooLongError} as soon as that many bytes
 * of it have arrived, so memory stays bounded by the limit.
 */
export class LineSplitter {
  private carry: Uint8Array = new Uint8Array(0);
  private carryLength = 0;
  /** Lines delivered so far. */
  line = 0;
  /** Of those, lines taken by the fast handler. */
  fastLines = 0;

  constructor(readonly maxLine: number = MAX_LINE_BYTES) {
    if (!(maxLine >= 1)) throw new RangeError(`invalid maxLine: ${maxLine}`);
  }

  push(chunk: Uint8Array, onLine: (buf: Uint8Array, start: number, end: number, line: number) => void, fast?: FastLine): void {
    let buf = chunk;
    let pos = 0;
    if (this.carryLength > 0) {
      // Complete the carried partial line with the head of this chunk.
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl + 1);
      const c = this.carry;
      const n = this.carryLength;
      this.carryLength = 0;
      this.emit(c, 0, n - 1, onLine);
      pos = nl + 1;
    }
    const n = buf.length;
    for (;;) {
      if (fast !== undefined && pos < n) {
        const next = fast(buf, pos, n, this.line + 1);
        if (next > pos) {
          ++this.line;
          ++this.fastLines;
          pos = next;
          continue;
        }
      }
      const nl = buf.indexOf(LF, pos);
      if (nl < 0) break;
      this.emit(buf, pos, nl, onLine);
      pos = nl + 1;
    }
    if (pos < buf.length) this.append(buf, pos, buf.length);
  }

  end(onLine: (buf: Uint8Array, start: number, end: number, line: number) => void): void {
    if (this.carryLength > 0) {
      const n = this.carryLength;
      this.carryLength = 0;
      this.emit(this.carry, 0, n, onLine);
    }
  }

  private emit(buf: Uint8Array, start: number, end: number, onLine: (buf: Uint8Array, start: number, end: number, line: number) => void): void {
    if (end > start && buf[end - 1] === CR) --end;
    if (end - start > this.maxLine) throw new LineTooLongError(this.line + 1, this.maxLine);
    onLine(buf, start, end, ++this.line);
  }

  private append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    // A carried partial line may end with the `\r` of its `\r\n`; complete lines are checked in `emit`.
    if (this.carryLength + n > this.maxLine + 2) throw new LineTooLongError(this.line + 1, this.maxLine);
    if (src[end - 1] !== LF && this.carryLength + n > this.maxLine + 1) throw new LineTooLongError(this.line + 1, this.maxLine);
    if (this.carryLength + n > this.carry.length) {
      const grown = new Uint8Array(Math.max(2 * this.carry.length, this.carryLength + n, 1024));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(src.subarray(start, end), this.carryLength);
    this.carryLength += n;
  }
}

/**
 * Field offsets of one CSV row (no quoting: none of the venue layouts quote fields). Fills
 * `starts`/`ends` and returns the number of fields (which may exceed their capacity: only the
 * first `starts.length` are recorded, so a row with extra columns is still detected).
 */
export function splitFields(buf: Uint8Array, start: number, end: number, starts: Int32Array, ends: Int32Array): number {
  const cap = starts.length;
  let n = 0;
  let s = start;
  for (;;) {
    let c = buf.indexOf(COMMA, s);
    if (c < 0 || c >= end) c = end;
    if (n < cap) {
      starts[n] = s;
      ends[n] = c;
    }
    ++n;
    if (c === end) return n;
    s = c + 1;
  }
}

/** Position of the byte string `needle` in `buf[start, end)`, or −1. */
export function indexOfBytes(buf: Uint8Array, needle: Uint8Array, start: number, end: number): number {
  const view = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const i = view.indexOf(needle, start);
  return i >= 0 && i + needle.length <= end ? i : -1;
}

const utf8 = new TextDecoder();

/** UTF-8 text of `buf[start, end)` (for JSON payloads). */
export function utf8Text(buf: Uint8Array, start: number, end: number): string {
  return utf8.decode(buf.subarray(start, end));
}

/** Latin-1 text of `buf[start, end)` (the layouts are ASCII); for headers, rare values and messages. */
export function text(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 4096)));
  return s;
}

/** Whether `buf[start, end)` equals the ASCII string `s`. */
export function equalsAscii(buf: Uint8Array, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; ++i) if (buf[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Like {@link equalsAscii}, ignoring ASCII letter case. */
export function equalsAsciiIgnoreCase(buf: Uint8Array, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; ++i) if ((buf[start + i] | 0x20) !== (s.charCodeAt(i) | 0x20)) return false;
  return true;
}

/** Mantissa and decimal exponent of the last {@link parseDecimal} (scratch, not re-entrant). */
const last = {m: 0, frac: 0, fast: true, value: NaN};

/**
 * Parses a decimal number (`-12.50`, `7`, `.5`, `1e-7`) from `buf[start, end)`; NaN when the
 * bytes are not a number (empty, letters, two dots, `NaN`, `Infinity`). See the module comment
 * for exactness.
 */
export function parseDecimal(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) neg = buf[i++] === 45;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  let fast = true;
  for (; i < end; ++i) {
    const c = buf[i];
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      ++digits;
      if (dot) ++frac;
      const next = m * 10 + d;
      if (next > 9007199254740991) fast = false;
      else m = next;
    } else if (c === 46 && !dot) dot = true;
    else if (c === 101 || c === 69) {
      fast = false;
      break;
    } else return (last.value = NaN);
  }
  if (digits === 0) return (last.value = NaN);
  if (!fast || frac > 22) {
    const v = Number(text(buf, start, end));
    last.fast = false;
    last.value = v;
    return v;
  }
  last.fast = true;
  last.m = neg ? -m : m;
  last.frac = frac;
  return (last.value = frac === 0 ? last.m : last.m / POW10[frac]);
}

/**
 * The last {@link parseDecimal} result times 10^shift, correctly rounded where the fast path
 * applies (`m · 10^(shift−f)` or `m / 10^(f−shift)` in one operation): e.g. shift 3 turns
 * `1735689600.0974` seconds into exactly the double nearest 1735689600097.4 ms.
 */
export function scaledLast(shift: number): number {
  if (!last.fast) return last.value * Math.pow(10, shift);
  const k = shift - last.frac;
  if (k === 0) return last.m;
  if (k > 0) return k <= 22 ? last.m * POW10[k] : last.m * Math.pow(10, k);
  return -k <= 22 ? last.m / POW10[-k] : last.m / Math.pow(10, -k);
}

/** Parses a non-negative integer of digits only (no sign, dot or exponent), below 2^53; NaN otherwise. */
export function parseUint(buf: Uint8Array, start: number, end: number): number {
  if (end <= start) return NaN;
  let m = 0;
  for (let i = start; i < end; ++i) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return NaN;
    m = m * 10 + d;
  }
  return m <= 9007199254740991 ? m : NaN;
}

/**
 * Single-pass field scanners for the readers' fast paths ({@link FastLine}). Each scans one
 * field from `buf[p]` up to the delimiter byte `stop` (`,`, or `\n` for a row's last field),
 * never reaching `limit`, and returns the delimiter's position with the value in
 * {@link scanned}; or −1 when the field is not in its plain form or not closed before `limit`
 * (the general path then parses the row and decides). They accept a subset of what
 * {@link parseDecimal} and {@link parseUint} accept and give the same values: at most 15 digits
 * keep the mantissa `m` below 2^53, and `m / 10^f` is one correctly rounded division, as in
 * {@link parseDecimal}. One pass over the bytes both finds the field's end and parses it.
 */
export const scanned = {value: 0, m: 0, frac: 0};

/** Scans 1–16 digits (an unsigned integer below 2^53, e.g. an epoch time in µs) up to `stop`; see {@link scanned}. */
export function scanUint(buf: Uint8Array, p: number, limit: number, stop: number): number {
  const s = p;
  let m = 0;
  for (; p < limit; ++p) {
    const c = buf[p];
    if (c === stop) break;
    const d = c - 48;
    if (d < 0 || d > 9) return -1;
    m = m * 10 + d;
  }
  if (p === s || p - s > 16 || m > 9007199254740991 || p >= limit) return -1;
  scanned.value = scanned.m = m;
  scanned.frac = 0;
  return p;
}

/** Scans an unsigned decimal of 1–15 digits with at most one `.` up to `stop`; see {@link scanned}. */
export function scanDecimal(buf: Uint8Array, p: number, limit: number, stop: number): number {
  let m = 0;
  let digits = 0;
  let dot = -1;
  for (; p < limit; ++p) {
    const c = buf[p];
    if (c === stop) break;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      ++digits;
    } else if (c === 46 && dot < 0) dot = digits;
    else return -1;
  }
  if (digits === 0 || digits > 15 || p >= limit) return -1;
  const frac = dot < 0 ? 0 : digits - dot;
  scanned.m = m;
  scanned.frac = frac;
  scanned.value = frac === 0 ? m : m / POW10[frac];
  return p;
}

/** Position of `stop` at or after `p` and before `limit`, or −1 when a `,` or `\n` other than `stop` comes first; a field of any other content. */
export function skipField(buf: Uint8Array, p: number, limit: number, stop: number): number {
  for (; p < limit; ++p) {
    const c = buf[p];
    if (c === stop) return p;
    if (c === COMMA || c === LF) return -1;
  }
  return -1;
}

/** Field kinds of a {@link RowScanner}: any text, a plain decimal, a plain unsigned integer. */
export const FIELD_TEXT = 0, FIELD_DECIMAL = 1, FIELD_UINT = 2;

/**
 * Scans whole CSV rows of a known layout in one pass for a reader's fast path ({@link FastLine}):
 * `scan(buf, p, limit)` reads one field per entry of `kinds` — comma-separated, the last one
 * ending the line — and records each field's byte range and, for number fields, its value
 * (as {@link scanDecimal} and {@link scanUint} give it), returning the position after the row's
 * `\n`; or −1 when the row does not have exactly that many fields, a number field is not plain,
 * or the line does not end before `limit`. Text fields may hold anything but `,` and `\n`; a
 * `\r` before the `\n` ends the row's text (`rowEnd`) and declines a last number field.
 */
export class RowScanner {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly value: Float64Array;
  readonly mantissa: Float64Array;
  readonly frac: Int32Array;
  /** End of the last scanned row's text (before its `\r\n` or `\n`). */
  rowEnd = 0;

  constructor(readonly kinds: Uint8Array) {
    const n = kinds.length;
    if (n === 0) throw new RangeError("a row has at least one field");
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.value = new Float64Array(n);
    this.mantissa = new Float64Array(n);
    this.frac = new Int32Array(n);
  }

  scan(buf: Uint8Array, p: number, limit: number): number {
    const kinds = this.kinds;
    const last = kinds.length - 1;
    for (let k = 0; k <= last; ++k) {
      const stop = k === last ? LF : COMMA;
      const a = p;
      const kind = kinds[k];
      if (kind === FIELD_TEXT) p = skipField(buf, a, limit, stop);
      else {
        p = kind === FIELD_DECIMAL ? scanDecimal(buf, a, limit, stop) : scanUint(buf, a, limit, stop);
        this.value[k] = scanned.value;
        this.mantissa[k] = scanned.m;
        this.frac[k] = scanned.frac;
      }
      if (p < 0) return -1;
      this.start[k] = a;
      this.end[k] = p;
      ++p;
    }
    const e = p - 1;
    this.rowEnd = e > 0 && buf[e - 1] === CR ? e - 1 : e;
    if (this.rowEnd < this.end[last]) this.end[last] = this.rowEnd;
    return p;
  }

  /** Field `k`'s number times 10^shift, rounded as {@link scaledLast} rounds it. */
  scaled(k: number, shift: number): number {
    const d = shift - this.frac[k];
    const m = this.mantissa[k];
    if (d === 0) return m;
    return d > 0 ? m * POW10[d] : m / POW10[-d];
  }

  /** Whether field `k` equals the ASCII string `s` (optionally ignoring letter case). */
  is(buf: Uint8Array, k: number, s: string, ignoreCase = false): boolean {
    return ignoreCase ? equalsAsciiIgnoreCase(buf, this.start[k], this.end[k], s) : equalsAscii(buf, this.start[k], this.end[k], s);
  }
}

/** Time units recognised by magnitude. */
export type EpochUnit = "s" | "ms" | "us" | "ns";

/** ms per unit. */
export const MS_PER: Record<EpochUnit, number> = {s: 1000, ms: 1, us: 1e-3, ns: 1e-6};
/** Decimal shift that converts a value in the unit to ms. */
export const SHIFT_TO_MS: Record<EpochUnit, number> = {s: 3, ms: 0, us: -3, ns: -6};

/**
 * The unit of an epoch timestamp judged by magnitude, for dates between 1973 and 5138:
 * seconds in [1e8, 1e11), ms in [1e11, 1e14), µs in [1e14, 1e17), ns in [1e17, 1e20);
 * undefined outside (zero, negative, absurd).
 */
export function epochUnit(x: number): EpochUnit | undefined {
  if (!(x >= 1e8) || !(x < 1e20)) return undefined;
  return x < 1e11 ? "s" : x < 1e14 ? "ms" : x < 1e17 ? "us" : "ns";
}

/** Whether a {@link UnitGuard.check} result is a unit (else it is a quarantine reason). */
export function isUnit(u: string): u is EpochUnit {
  return u === "s" || u === "ms" || u === "us" || u === "ns";
}

/**
 * Decides a file's time unit from its first data row and checks every later row against it.
 * `check(x)` returns the unit to use, or a quarantine reason: `time out of range` (no unit),
 * `time unit <u> not accepted` (first row in an unexpected unit), or `time unit mismatch`
 * (a row whose magnitude disagrees with the file's unit, e.g. µs among ms).
 */
export class UnitGuard {
  unit: EpochUnit | undefined;
  constructor(readonly accepted: readonly EpochUnit[]) {}
  check(x: number): EpochUnit | string {
    const u = epochUnit(x);
    if (u === undefined) return "time out of range";
    if (this.unit === undefined) {
      if (!this.accepted.includes(u)) return `time unit ${u} not accepted`;
      this.unit = u;
      return u;
    }
    return u === this.unit ? u : "time unit mismatch";
  }
}

/**
 * A 53-bit hash of a byte range (two interleaved 32-bit multiply–xorshift lanes, the "cyrb53"
 * construction by bryc, public domain), used to turn string trade ids (Bybit's `trdMatchID`
 * UUIDs) into numeric ids below 2^53 for de-duplication. Deterministic across platforms.
 * For n distinct ids the expected number of colliding pairs is n(n−1)/2^54: about 5·10^-4 for
 * the ~3 million trades of a busy Bybit day, so a collision is rare but possible; consumers
 * should de-duplicate on (id, time, price, qty), never on the id alone.
 */
export function hash53Bytes(buf: Uint8Array, start: number, end: number, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = start; i < end; ++i) {
    const c = buf[i];
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const encoder = new TextEncoder();

/** {@link hash53Bytes} of a string's UTF-8 bytes. */
export function hash53(s: string, seed = 0): number {
  const b = encoder.encode(s);
  return hash53Bytes(b, 0, b.length, seed);
}

/**
 * Shortest round-trip decimal text of a finite number without exponent notation
 * (`1e-7` → `0.0000001`, `1.5e21` → `1500000000000000000000`), as CSV archives write numbers.
 */
export function plainNumber(x: number): string {
  const s = String(x);
  const e = s.indexOf("e");
  if (e < 0) return s;
  return shiftDecimal(s.slice(0, e), Number(s.slice(e + 1)));
}

/**
 * Moves the decimal point of a plain decimal string by `k` places (k > 0 multiplies by 10^k),
 * exactly, on the digits: `shiftDecimal("0.08", 2)` → `"8"`, `shiftDecimal("30.14", -2)` → `"0.3014"`.
 */
export function shiftDecimal(s: string, k: number): string {
  let neg = false;
  if (s.startsWith("-")) {
    neg = true;
    s = s.slice(1);
  }
  const dot = s.indexOf(".");
  let digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  let point = (dot < 0 ? s.length : dot) + k;
  if (point <= 0) {
    digits = "0".repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) digits += "0".repeat(point - digits.length);
  let int = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  let frac = digits.slice(point).replace(/0+$/, "");
  if (int === "") int = "0";
  const out = frac ? `${int}.${frac}` : int;
  return neg && out !== "0" ? `-${out}` : out;
}

function daysFromCivil(y: number, m: number, d: number): number {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil).
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; ++k) {
    const d = buf[i + k] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Epoch ms of an ISO-8601 UTC time `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)` in
 * `buf[start, end)`, NaN when malformed. The fraction keeps µs (digits beyond the sixth are
 * dropped): the time is computed as an exact integer of µs, then divided by 1000 once, so it
 * equals the value from a µs integer (as in Tardis files).
 */
export function parseIsoMs(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return NaN;
  const b = start;
  if (buf[b + 4] !== 45 || buf[b + 7] !== 45 || (buf[b + 10] !== 84 && buf[b + 10] !== 32) || buf[b + 13] !== 58 || buf[b + 16] !== 58) return NaN;
  const y = digits(buf, b, 4), mo = digits(buf, b + 5, 2), d = digits(buf, b + 8, 2);
  const h = digits(buf, b + 11, 2), mi = digits(buf, b + 14, 2), s = digits(buf, b + 17, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60)) return NaN;
  let i = b + 19;
  let us = 0;
  if (buf[i] === 46) {
    ++i;
    let k = 0;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) {
      if (k < 6) us = us * 10 + (buf[i] - 48);
      ++k;
      ++i;
    }
    if (k === 0) return NaN;
    for (let j = Math.min(k, 6); j < 6; ++j) us *= 10;
  }
  const rest = end - i;
  if (!((rest === 1 && buf[i] === 90) || (rest === 6 && equalsAscii(buf, i, end, "+00:00")))) return NaN;
  const sec = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
  return (sec * 1e6 + us) / 1000;
}

/** ISO-8601 UTC text with µs (trailing zeros of the fraction trimmed, none when whole seconds) of epoch ms `t`. */
export function isoMicros(t: number): string {
  const us = Math.round(t * 1000);
  const sec = Math.floor(us / 1e6);
  const frac = us - sec * 1e6;
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  return frac === 0 ? `${base}Z` : `${base}.${String(frac).padStart(6, "0").replace(/0+$/, "")}Z`;
}
