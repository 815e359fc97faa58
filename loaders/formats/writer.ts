/**
 * The shared shape of every archive writer: walk time-sorted trade batches, cut them into the
 * venue's file days, format each row as text and stream it into one atomic archive sink per file.
 *
 * Rows are formatted as bytes into a {@link LineBuffer} (no string per row or per number), which
 * is handed to the sink in blocks of about 1 MiB: formatting a day of tens of millions of rows
 * then costs a few tens of nanoseconds a field instead of a string allocation each.
 */
import {plainNumber, shiftDecimal} from "./bytes.ts";
import type {Venue} from "../config.ts";
import type {TradeBatch} from "../trades.ts";
import type {TextSink} from "./archive.ts";
import {utcDay} from "./batch.ts";

/** 10^k for k = 0 … 16, exact. */
const POW10 = Float64Array.from({length: 17}, (_, k) => 10 ** k);

/** ASCII of the ones and of the tens digit of 0 … 99 (two digits per division). */
const ONES = Uint8Array.from({length: 100}, (_, r) => 48 + (r % 10));
const TENS = Uint8Array.from({length: 100}, (_, r) => 48 + Math.floor(r / 10));

/** The byte of a comma. */
export const COMMA = 0x2c;

/** Block size handed to a sink, bytes. */
const FLUSH = 1 << 20;
/** Room kept past {@link FLUSH} for the row being written (rows are far shorter). */
const SLACK = 1 << 16;

/**
 * A growing block of latin-1 text written field by field. {@link num} writes exactly the text of
 * `plainNumber` (shortest round-trip decimal, no exponent), {@link int} the decimal digits of a
 * non-negative safe integer (`String(n)`).
 */
export class LineBuffer {
  private buf = new Uint8Array(FLUSH + SLACK);
  /** Bytes written into the current block. */
  pos = 0;
  private readonly digits = new Uint8Array(32);

  /** Whether a block is full enough to hand to the sink. */
  get full(): boolean {
    return this.pos >= FLUSH;
  }

  /** The block written so far (a fresh block follows: a sink may keep the bytes it is given). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(FLUSH + SLACK);
    this.pos = 0;
    return out;
  }

  /** The last byte written into the current block. */
  get last(): number {
    return this.buf[this.pos - 1];
  }

  /** One byte (an ASCII code). */
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A string of latin-1 characters (field names, constants, text a helper formatted). */
  text(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; ++k) buf[p++] = s.charCodeAt(k);
    this.pos = p;
  }

  /** Raw bytes. */
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Digits of `m`, a non-negative integer below 2^53, with `dec` of them after a decimal point whose trailing zeros are dropped (a point with none after it is dropped too). */
  private fixed(m: number, dec: number): void {
    // Digits least significant first, two per division, in two int32 halves (floating-point % is slow).
    const d = this.digits;
    let len = 0;
    let hi = Math.floor(m / 1e8);
    let lo = m - hi * 1e8;
    if (hi > 0) {
      for (let k = 0; k < 4; ++k) {
        const q = (lo / 100) | 0;
        const r = lo - q * 100;
        d[len++] = ONES[r];
        d[len++] = TENS[r];
        lo = q;
      }
      lo = hi;
    }
    while (lo >= 100) {
      const q = (lo / 100) | 0;
      const r = lo - q * 100;
      d[len++] = ONES[r];
      d[len++] = TENS[r];
      lo = q;
    }
    if (lo >= 10) (d[len++] = ONES[lo]), (d[len++] = TENS[lo]);
    else d[len++] = 48 + lo;
    while (len < dec + 1) d[len++] = 48;
    let z = 0;
    while (z < dec && d[z] === 48) ++z;
    const buf = this.buf;
    let p = this.pos;
    for (let k = len - 1; k >= dec; --k) buf[p++] = d[k];
    if (z < dec) {
      buf[p++] = 46;
      for (let k = dec - 1; k >= z; --k) buf[p++] = d[k];
    }
    this.pos = p;
  }

  /** `String(n)` of a non-negative safe integer. */
  int(n: number): void {
    if (n >= 0 && Number.isSafeInteger(n)) this.fixed(n, 0);
    else this.text(String(n));
  }

  /** `n` left-padded with zeros to `width` digits (a non-negative integer of at most `width` digits). */
  intPad(n: number, width: number): void {
    const start = this.pos;
    this.fixed(n, 0);
    const len = this.pos - start;
    if (len < width) {
      this.buf.copyWithin(start + width - len, start, this.pos);
      this.buf.fill(48, start, start + width - len);
      this.pos = start + width;
    }
  }

  /**
   * The text of `shiftDecimal(plainNumber(x), shift)` (`plainNumber(x)` for shift 0): the decimal
   * point of x's shortest round-trip decimal moved `shift` places right. Fast path for 0 < x < 1e15
   * with at most 8 decimals: the fewest decimals d with `n = round(x·10^d)`, `n / 10^d === x` and
   * n < 1e15. The division is correctly rounded, so x is the double nearest n·10^−d, and a decimal
   * of at most 15 significant digits is the only one of so few digits that rounds to its double,
   * hence also the shortest round-trip decimal `String(x)` gives (d is the fewest, so n does not
   * end in 0). Other numbers take the string path.
   */
  num(x: number, shift = 0): void {
    if (x > 0 && x < 1e15)
      for (let d = 0; d <= 8; ++d) {
        const p = POW10[d];
        const n = Math.round(x * p);
        if (n / p !== x) continue;
        if (n >= 1e15) break;
        if (d >= shift) return this.fixed(n, d - shift);
        const m = n * POW10[shift - d];
        if (m < 2 ** 53) return this.fixed(m, 0);
        break;
      }
    this.text(shift === 0 ? plainNumber(x) : shiftDecimal(plainNumber(x), shift));
  }
}

/** `YYYY-MM-DD` of day number `n` (days since 1970-01-01). */
export function dayName(n: number): string {
  return utcDay(n * 86_400_000);
}

/** Day number (days since 1970-01-01 UTC) of epoch ms `t`. */
export function dayNumber(t: number): number {
  return Math.floor(t / 86_400_000);
}

/** One open output file: its sink and a row formatter (which may keep state, e.g. the previous price). */
export interface OpenFile {
  sink: TextSink;
  /** The file name reported back (relative to the output folder). */
  name: string;
  /** Writes row `i` of `b` into `out` as one line including its `\n`. */
  row(b: TradeBatch, i: number, out: LineBuffer): void;
}

export interface WriteLayout {
  venue: Venue;
  /**
   * The file day of a trade at epoch ms `t`, as a day number (days since 1970-01-01 of the
   * venue's calendar: UTC, or UTC+8 for OKX); its `YYYY-MM-DD` name is `utcDay(n · 86400000)`.
   */
  fileDay(t: number): number;
  /** Opens the file of a file day (header already written). */
  open(day: string): Promise<OpenFile>;
  /** Whether rows need an integer id (`true`) and a non-zero side (`true`). */
  needsId: boolean;
}

/** Throws RangeError naming the first unusable value of row `i` (non-finite time, non-positive price or qty, zero side, missing id). */
export function checkRow(venue: Venue, b: TradeBatch, i: number, needsId: boolean): void {
  const what = `${venue} archives`;
  if (!Number.isFinite(b.time[i]) || b.time[i] < 0) throw new RangeError(`invalid time: ${b.time[i]} (row ${i} of a ${venue} batch)`);
  if (!(b.price[i] > 0) || !Number.isFinite(b.price[i])) throw new RangeError(`invalid price: ${b.price[i]} (row ${i} of a ${venue} batch)`);
  if (!(b.qty[i] > 0) || !Number.isFinite(b.qty[i])) throw new RangeError(`invalid qty: ${b.qty[i]} (row ${i} of a ${venue} batch)`);
  if (b.side[i] !== 1 && b.side[i] !== -1) throw new RangeError(`invalid side: ${b.side[i]} (${what} record the aggressor side)`);
  if (needsId && !(Number.isSafeInteger(b.id[i]) && b.id[i] >= 0)) throw new RangeError(`invalid id: ${b.id[i]} (${what} need non-negative integer trade ids)`);
}

/**
 * Writes time-sorted trades into one file per file day, atomically; returns the file names in
 * order. Throws RangeError when the input goes back to an earlier file day (not time-sorted)
 * or a row is unusable; files completed before the error stay, the file being written is discarded.
 */
export async function writeByDay(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, layout: WriteLayout): Promise<string[]> {
  const names: string[] = [];
  let day: number | undefined;
  let file: OpenFile | undefined;
  const line = new LineBuffer();
  try {
    for await (const b of trades as AsyncIterable<TradeBatch>) {
      if (b.venue !== layout.venue) throw new RangeError(`invalid batch venue: ${b.venue} (writing ${layout.venue} archives)`);
      for (let i = 0; i < b.length; ++i) {
        checkRow(layout.venue, b, i, layout.needsId);
        const d = layout.fileDay(b.time[i]);
        if (d !== day) {
          if (day !== undefined && d < day) throw new RangeError(`trades are not time-sorted: a trade of file day ${dayName(d)} follows trades of ${dayName(day)}`);
          if (file) {
            await file.sink.write(line.take());
            const f = file;
            file = undefined;
            await f.sink.close();
            names.push(f.name);
          }
          day = d;
          file = await layout.open(dayName(d));
        }
        file!.row(b, i, line);
        if (line.full) await file!.sink.write(line.take());
      }
    }
    if (file) {
      await file.sink.write(line.take());
      const f = file;
      file = undefined;
      await f.sink.close();
      names.push(f.name);
    }
  } catch (error) {
    if (file) await file.sink.abort();
    throw error;
  }
  return names;
}
