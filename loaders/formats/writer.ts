/**
 * The shared shape of every archive writer: walk time-sorted trade batches, cut them into the
 * venue's file days, format each row as text and stream it into one atomic archive sink per file.
 */
import type {Venue} from "../config.ts";
import type {TradeBatch} from "../trades.ts";
import type {TextSink} from "./archive.ts";
import {utcDay} from "./batch.ts";

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
  /** Formats row `i` of `b` as one line including its `\n`. */
  row(b: TradeBatch, i: number): string;
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

const FLUSH = 1 << 20;

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
  let buffer = "";
  try {
    for await (const b of trades as AsyncIterable<TradeBatch>) {
      if (b.venue !== layout.venue) throw new RangeError(`invalid batch venue: ${b.venue} (writing ${layout.venue} archives)`);
      for (let i = 0; i < b.length; ++i) {
        checkRow(layout.venue, b, i, layout.needsId);
        const d = layout.fileDay(b.time[i]);
        if (d !== day) {
          if (day !== undefined && d < day) throw new RangeError(`trades are not time-sorted: a trade of file day ${dayName(d)} follows trades of ${dayName(day)}`);
          if (file) {
            await file.sink.write(buffer);
            buffer = "";
            const f = file;
            file = undefined;
            await f.sink.close();
            names.push(f.name);
          }
          day = d;
          file = await layout.open(dayName(d));
        }
        buffer += file!.row(b, i);
        if (buffer.length >= FLUSH) {
          await file!.sink.write(buffer);
          buffer = "";
        }
      }
    }
    if (file) {
      await file.sink.write(buffer);
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
