/**
 * A Binance COIN-M perpetual recording for the tests, in the genuine hftbacktest layout
 * (`<receive µs> {"stream":"btcusd_perp@trade","data":{…"s":"BTCUSD_PERP"…}}`, gzip), quantities
 * in contracts of 100 USD. There is no real COIN-M recording at hand, so it is made from a USD-M
 * recording: every third trade, `delayMs` later, at a price `premium` times higher (USD against
 * USDT). It checks the pipeline (format, market detection, contract conversion, Analysis A), not
 * how a real COIN-M market trades.
 */
import {writeFileSync} from "node:fs";
import {gzipSync} from "node:zlib";
import {readBinanceWs} from "../../loaders/formats/index.ts";
import {newQuarantine} from "../../loaders/trades.ts";

/** Writes the COIN-M recording made from the USD-M recording `perp` to `path`; returns its trades' contracts and prices. */
export async function writeCoinmRecording(perp: string, path: string, {delayMs = 250, premium = 1.0003} = {}): Promise<{path: string; contracts: number[]; prices: number[]}> {
  const lines: string[] = [];
  const contracts: number[] = [];
  const prices: number[] = [];
  let n = 0;
  for await (const b of readBinanceWs(perp, newQuarantine(), {symbol: "BTCUSDT"}))
    for (let i = 0; i < b.length; ++i) {
      if (n++ % 3) continue;
      const t = b.time[i] + delayMs;
      const p = Math.round(b.price[i] * premium * 10) / 10;
      const q = Math.max(1, Math.round((b.qty[i] * b.price[i]) / 100));
      contracts.push(q);
      prices.push(p);
      const data = {e: "trade", E: t + 3, T: t, s: "BTCUSD_PERP", t: 2_000_000 + contracts.length, p: p.toFixed(1), q: String(q), X: "MARKET", m: b.side[i] < 0};
      lines.push(`${(t + 5) * 1000} ${JSON.stringify({stream: "btcusd_perp@trade", data})}`);
    }
  writeFileSync(path, gzipSync(lines.join("\n") + "\n"));
  return {path, contracts, prices};
}
