/**
 * The market check of an archive: the symbol or instrument a file holds must be the configured
 * one, whatever the file is called. An ETHUSDT archive saved under the BTCUSDT name parses
 * cleanly and would be analysed as BTC; this reads what the file itself says — Binance's CSV
 * entry name inside the zip, the `symbol` column of Bybit's first row, the `instrument_name` of
 * OKX's first row — and refuses a mismatch with `InputError` naming the file. Coinbase files
 * (this project's cache of the REST API) carry no product field; there the price-level check
 * (`loaders/price-level.ts`) is the safeguard.
 */
import {basename} from "node:path";
import type {Venue} from "../config.ts";
import {InputError} from "../trades.ts";
import {listZip} from "./archive.ts";
import {bybit} from "./bybit.ts";
import {okx, okxInstrument} from "./okx.ts";

/** The first `n` lines of a content stream (or fewer), decoded; stops reading as soon as they are in. */
async function firstLines(chunks: AsyncGenerator<Uint8Array>, n: number, maxBytes = 1 << 16): Promise<string[]> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of chunks) {
      parts.push(Buffer.from(c.buffer, c.byteOffset, c.length));
      size += c.length;
      const text = Buffer.concat(parts).toString("latin1");
      if (text.split("\n").length > n || size >= maxBytes) return text.split("\n").slice(0, n);
    }
  } finally {
    await chunks.return(undefined);
  }
  return Buffer.concat(parts).toString("latin1").split("\n").slice(0, n);
}

/** The value of column `name` in the first data row of a CSV with a header, with its line number; undefined without one. */
function firstValue(lines: string[], name: string): {value: string; line: number} | undefined {
  const header = (lines[0] ?? "").replace(/\r$/, "").split(",").map((c) => c.split("/")[0].trim());
  const i = header.indexOf(name);
  if (i < 0) return undefined;
  for (let k = 1; k < lines.length; ++k) {
    const row = lines[k].replace(/\r$/, "");
    if (row) return {value: row.split(",")[i] ?? "", line: k + 1};
  }
  return undefined;
}

/**
 * Throws `InputError` naming `path` when the archive of `venue` holds another market than the
 * workbook `symbol` (e.g. `BTCUSDT`); returns what the file holds, or undefined when it does
 * not say (Coinbase, or a file without rows).
 */
export async function checkArchiveMarket(venue: Venue, path: string, symbol: string): Promise<string | undefined> {
  const refuse = (found: string, expected: string, line?: number) => {
    throw new InputError(path, line, `holds ${JSON.stringify(found)}, not the configured ${expected} (${basename(path)} is named for ${expected}): another market under this name`);
  };
  switch (venue) {
    case "binance": {
      const entries = (await listZip(path)).filter((e) => e.name.toLowerCase().endsWith(".csv"));
      const found = entries.length === 1 ? /^(?:.*\/)?([A-Za-z0-9]+)-trades-/.exec(entries[0].name)?.[1] : undefined;
      if (found !== undefined && found !== symbol) refuse(entries[0].name, symbol);
      return found;
    }
    case "bybit": {
      const v = firstValue(await firstLines(bybit.content(path), 2), "symbol");
      if (v !== undefined && v.value !== symbol) refuse(v.value, symbol, v.line);
      return v?.value;
    }
    case "okx": {
      const expected = okxInstrument(symbol);
      const v = firstValue(await firstLines(okx.content(path), 2), "instrument_name");
      if (v !== undefined && v.value !== expected) refuse(v.value, expected, v.line);
      return v?.value;
    }
    default:
      return undefined;
  }
}
