/**
 * The archive writers as they were before rows were formatted as bytes: each row built as a
 * template string of `plainNumber`, `shiftDecimal`, `bybitTimestamp`, `bybitMatchId` and
 * `isoMicros` texts, and deflated with zlib's defaults (level 6, 32 KiB window). The benchmark reference of
 * `bench/archives.bench.ts`, which checks that both write the same text.
 */
import {join} from "node:path";
import type {ArchiveVenue} from "../../loaders/config.ts";
import {openGzipSink, openZipSink} from "../../loaders/formats/archive.ts";
import {BINANCE_HEADER, BINANCE_HEADER_SINCE, binanceCsvName, binanceFileName} from "../../loaders/formats/binance.ts";
import {BYBIT_HEADER, bybitFileName, bybitMatchId, bybitTimestamp} from "../../loaders/formats/bybit.ts";
import {plainNumber, shiftDecimal, isoMicros} from "../../loaders/formats/bytes.ts";
import {COINBASE_HEADER, coinbaseFileName, coinbaseLine} from "../../loaders/formats/coinbase.ts";
import {OKX_CONTRACT_EXPONENT, OKX_DAY_OFFSET_MS, OKX_HEADER, okxFileName, okxInstrument} from "../../loaders/formats/okx.ts";
import {dayNumber, writeByDay, type OpenFile} from "../../loaders/formats/writer.ts";
import type {TradeBatch} from "../../loaders/trades.ts";

/** zlib's defaults, level 6 and a 32 KiB window, the settings archives were written with before. */
export const OLD = {level: 6, windowBits: 15};

/** An open file whose rows are strings (the old writers' `row`), written through the byte buffer as text. */
function stringRows(file: Omit<OpenFile, "row">, row: (b: TradeBatch, i: number) => string): OpenFile {
  return {...file, row: (b, i, out) => out.text(row(b, i))};
}

/** Writes time-sorted trades of `venue` as its archives under `dir` the old way; returns the file names. */
export async function writeArchivesOld(venue: ArchiveVenue, trades: Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]> {
  switch (venue) {
    case "binance":
      return writeByDay(trades, {
        venue,
        needsId: true,
        fileDay: dayNumber,
        async open(day) {
          const name = binanceFileName(day, symbol);
          const sink = await openZipSink(join(dir, name), binanceCsvName(day, symbol), OLD);
          if (day >= BINANCE_HEADER_SINCE) await sink.write(`${BINANCE_HEADER}\n`);
          return stringRows({sink, name}, (b, i) => {
            const price = b.price[i];
            const qty = b.qty[i];
            const quote = Math.round(price * qty * 1e8) / 1e8;
            return `${b.id[i]},${plainNumber(price)},${plainNumber(qty)},${plainNumber(quote)},${Math.floor(b.time[i])},${b.side[i] > 0 ? "false" : "true"}\n`;
          });
        }
      });
    case "bybit":
      return writeByDay(trades, {
        venue,
        needsId: true,
        fileDay: (t) => dayNumber(Math.round(t * 10) / 10),
        async open(day) {
          const name = bybitFileName(day, symbol);
          const sink = await openGzipSink(join(dir, name), OLD);
          await sink.write(`${BYBIT_HEADER}\n`);
          let previous = NaN;
          let direction = "ZeroPlusTick";
          return stringRows({sink, name}, (b, i) => {
            const price = b.price[i];
            const qty = b.qty[i];
            if (price > previous) direction = "PlusTick";
            else if (price < previous) direction = "MinusTick";
            else direction = direction === "PlusTick" || direction === "ZeroPlusTick" ? "ZeroPlusTick" : "ZeroMinusTick";
            previous = price;
            const notional = Math.round(price * qty * 1e8) / 1e8;
            return `${bybitTimestamp(b.time[i])},${symbol},${b.side[i] > 0 ? "Buy" : "Sell"},${plainNumber(qty)},${plainNumber(price)},${direction},${bybitMatchId(b.id[i])},${plainNumber(Math.round(price * qty * 1e8))},${plainNumber(qty)},${plainNumber(notional)}\n`;
          });
        }
      });
    case "okx": {
      const instrument = okxInstrument(symbol);
      const exponent = OKX_CONTRACT_EXPONENT[instrument] ?? 0;
      return writeByDay(trades, {
        venue,
        needsId: true,
        fileDay: (t) => dayNumber(t + OKX_DAY_OFFSET_MS),
        async open(day) {
          const name = okxFileName(day, instrument);
          const sink = await openZipSink(join(dir, name), name.replace(/\.zip$/, ".csv"), OLD);
          await sink.write(`${OKX_HEADER}\n`);
          return stringRows(
            {sink, name},
            (b, i) => `${instrument},${b.id[i]},${b.side[i] > 0 ? "buy" : "sell"},${plainNumber(b.price[i])},${shiftDecimal(plainNumber(b.qty[i]), -exponent)},${Math.floor(b.time[i])}\n`
          );
        }
      });
    }
    case "coinbase":
      return writeByDay(trades, {
        venue,
        needsId: true,
        fileDay: (t) => dayNumber(Math.round(t * 1000) / 1000),
        async open(day) {
          const name = coinbaseFileName(day, symbol);
          const sink = await openGzipSink(join(dir, name), OLD);
          await sink.write(`${COINBASE_HEADER}\n`);
          return stringRows({sink, name}, (b, i) => coinbaseLine(b.id[i], isoMicros(b.time[i]), plainNumber(b.price[i]), plainNumber(b.qty[i]), b.side[i] > 0 ? "sell" : "buy"));
        }
      });
  }
}
