/**
 * `npm run replay`: a loopback websocket server that speaks the public trade protocols of the
 * live page's markets (lib/live/markets.ts) and plays recorded or simulated trades at 1× or
 * faster, for the live page (`/live?replay=ws://127.0.0.1:PORT`) and its tests.
 *
 *   npm run replay -- [--port 8765] [--speed 10] [--source binance|simulate|inputs] [--origin <epoch ms>]
 *                     [--faults <n>] [--drop <n>] [--minutes <m>]
 *
 * Each market is served at `/<market id>` (`/binance-usdm`, `/binance-spot`, `/bybit-linear`,
 * `/okx-swap`, `/coinbase-spot`). A connection is answered as the exchange answers: Binance
 * `{"method":"SUBSCRIBE",…}` → `{"result":null,"id":…}` and websocket ping frames; Bybit
 * `{"op":"subscribe"}` / `{"op":"ping"}` → success / pong; OKX subscribe → `{"event":"subscribe",…}`
 * and `ping` → `pong`; Coinbase subscribe → a `subscriptions` message, a `snapshot` of the (up to
 * 50) trades before the current position, newest first, and, with the `heartbeats` channel, one
 * heartbeat a second; every Coinbase message carries the connection's `sequence_num`, 0, 1, 2, …
 * Trades flow only after the subscription.
 *
 * Sources:
 * - `binance` (default): the 2023-04-05 Binance USD-M and spot recordings of ../shared/real-trades
 *   (or CVE_SHARED_DIR/real-trades): every trade message, byte for byte, at its recorded receive
 *   time; a clear message and exit status 2 when they are absent.
 * - `simulate`: five markets of simulated trades in each venue's format, Binance USD-M leading
 *   (the others' order flow follows its price moves one 100 ms bin later).
 * - `inputs`: the trade files named in `CVE_INPUTS` (any format the build reads: exchange
 *   archives, Tardis CSV, Binance websocket and cryptofeed recordings; placed by
 *   loaders/inputs.ts and read by the build's format readers) over the span the build would
 *   analyse (the markets' overlap, narrowed by `CVE_FROM` / `CVE_TO`), each trade sent at its
 *   trade time as one message in its live market's format ({@link formatTrade}, exact prices and
 *   quantities). A market without a live stream (Binance COIN-M) is an error naming its file.
 *
 * Clock: the recording plays from its first message at `origin` (epoch ms, wall clock), by
 * default one second after the first subscription; position = (now − origin) · speed. A client
 * that subscribes later, or after a restart with the same `--origin`, joins the stream at the
 * current position, as on a live exchange (the trades it missed are a gap in the ids).
 * `--faults n` alters every n-th trade message of each market: a truncated copy before it
 * (malformed), a second copy after it (duplicated), or its order swapped with the next trade
 * (out of order), in turn. `--drop n` leaves out every n-th trade message of each market, as a
 * lossy connection would (its trade ids and, on Coinbase, its sequence number are skipped).
 *
 * Prints one JSON line per event on stdout: `listening` (port), `clock` (origin), `done` (a
 * market's stream fully sent on a connection, with the faults sent and the messages dropped).
 */
import {existsSync, readFileSync} from "node:fs";
import {createServer, type IncomingMessage} from "node:http";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {gunzipSync} from "node:zlib";
import {WebSocketServer} from "ws";
import {LIVE_MARKETS} from "../lib/live/markets.ts";
import {deriveSeed, mulberry32} from "../lib/random.ts";
import {ConfigError, loadConfig, type InputSpec} from "../loaders/config.ts";
import {inputsSpan, readInput, resolveInputs} from "../loaders/inputs.ts";
import {InputError, newQuarantine} from "../loaders/trades.ts";
import {readFlags} from "./flags.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SHARED = process.env.CVE_SHARED_DIR ?? join(ROOT, "../shared");

export const RECORDINGS: Record<string, string> = {
  "binance-usdm": "real-trades/binance-usdm-futures/btcusdt_20230405.dat.gz",
  "binance-spot": "real-trades/binance-spot/btcusdt_20230405.dat.gz"
};

/** One message of a market's stream: when it plays (recording ms), its exchange trade time and text. */
export interface Entry {
  at: number;
  time: number;
  text: string;
  fault?: "malformed" | "duplicated" | "swapped";
  /** Left out by `--drop` (not sent; a Coinbase connection still spends its sequence number). */
  dropped?: boolean;
}

export interface Args {
  port: number;
  speed: number;
  source: string;
  origin: number | null;
  faults: number;
  /** Leave out every n-th trade message of each market (0: none). */
  drop?: number;
  minutes: number;
}

function parseArgs(argv: string[]): Args {
  const a = readFlags<Args>(
    argv,
    {port: 8765, speed: 1, source: "binance", origin: null, faults: 0, drop: 0, minutes: 60},
    {
      "--port": {key: "port", type: "number"},
      "--speed": {key: "speed", type: "number"},
      "--origin": {key: "origin", type: "number"},
      "--faults": {key: "faults", type: "number"},
      "--drop": {key: "drop", type: "number"},
      "--minutes": {key: "minutes", type: "number"},
      "--source": {key: "source", type: "string"},
      "--simulate": {key: "source", type: "switch", value: "simulate"}
    },
    "scripts/replay.ts"
  );
  if (!(a.speed > 0)) throw new Error(`invalid --speed ${a.speed}`);
  return a;
}

/** The trade messages of a hftbacktest Binance recording (`<receive µs> <JSON>` lines), at their receive time in ms. */
export function readRecording(path: string): Entry[] {
  const out: Entry[] = [];
  for (const line of gunzipSync(readFileSync(path)).toString("utf8").split("\n")) {
    if (!line.includes('"e":"trade"')) continue;
    const space = line.indexOf(" ");
    const text = line.slice(space + 1);
    const time = JSON.parse(text).data?.T ?? NaN;
    out.push({at: Number(line.slice(0, space)) / 1000, time, text});
  }
  return out;
}

/** Applies `--drop n` to one market's entries: every n-th is marked dropped (see the module comment); returns a new list. */
export function withDrops(entries: Entry[], n: number): Entry[] {
  if (!(n > 0)) return entries;
  return entries.map((e, k) => (k > 0 && k % n === 0 ? {...e, dropped: true} : e));
}

/** Applies `--faults n` to one market's entries (see the module comment); returns a new list. */
export function withFaults(entries: Entry[], n: number): Entry[] {
  if (!(n > 0)) return entries;
  const out: Entry[] = [];
  let turn = 0;
  for (let k = 0; k < entries.length; ++k) {
    const e = entries[k];
    if (k > 0 && k % n === 0) {
      const kind = turn++ % 3;
      if (kind === 0) {
        out.push({...e, text: e.text.slice(0, Math.floor(e.text.length / 2)), fault: "malformed"}, e);
        continue;
      }
      if (kind === 1) {
        out.push(e, {...e, fault: "duplicated"});
        continue;
      }
      const next = entries[k + 1];
      if (next && Math.abs(next.time - e.time) < 1000) {
        out.push({...next, at: e.at, fault: "swapped"}, {...e, at: next.at});
        ++k;
        continue;
      }
    }
    out.push(e);
  }
  return out;
}

// --- simulated markets --------------------------------------------------------------------

const SIM_RATES: Record<string, number> = {"binance-usdm": 20, "binance-spot": 8, "bybit-linear": 10, "okx-swap": 6, "coinbase-spot": 4};
const SIM_DELAY_MS: Record<string, number> = {"binance-usdm": 0, "binance-spot": 100, "bybit-linear": 100, "okx-swap": 100, "coinbase-spot": 100};

/** The shortest decimal text of a finite number, without an exponent. */
function decimalText(x: number): string {
  const s = String(x);
  if (!/e/i.test(s)) return s;
  const [mant, exp] = s.toLowerCase().split("e");
  return shiftDecimal(mant, Number(exp));
}

/** Decimal text `s` (no exponent) times 10^k, written out exactly. */
export function shiftDecimal(s: string, k: number): string {
  const neg = s.startsWith("-");
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf(".");
  let digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  let point = (dot < 0 ? body.length : dot) + k;
  if (point <= 0) (digits = "0".repeat(1 - point) + digits), (point = 1);
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  let int = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  let frac = digits.slice(point).replace(/0+$/, "");
  if (int === "") int = "0";
  return (neg ? "-" : "") + int + (frac ? "." + frac : "");
}

/** ISO-8601 UTC with microseconds: a trade time in ms whose fraction holds the µs (Coinbase's `time`). */
function isoMicros(t: number): string {
  const ms = Math.floor(t);
  const us = Math.round((t - ms) * 1000);
  return new Date(ms).toISOString().replace(/Z$/, us ? String(us).padStart(3, "0") + "Z" : "Z");
}

/**
 * Formats one trade as `market`'s exchange sends it. Prices and quantities are written as the
 * shortest decimals that read back to the same numbers (OKX swap sizes in contracts of 0.01 BTC,
 * shifted exactly), so the live parsers recover the trade exactly.
 */
export function formatTrade(market: string, t: {time: number; price: number; qty: number; side: 1 | -1; id: number}): string {
  const p = decimalText(t.price);
  const q = decimalText(t.qty);
  const iso = isoMicros(t.time);
  switch (market) {
    case "binance-usdm":
      return JSON.stringify({stream: "btcusdt@trade", data: {e: "trade", E: t.time + 1, T: t.time, s: "BTCUSDT", t: t.id, p, q, X: "MARKET", m: t.side < 0}});
    case "binance-spot":
      return JSON.stringify({stream: "btcusdt@trade", data: {e: "trade", E: t.time + 1, s: "BTCUSDT", t: t.id, p, q, T: t.time, m: t.side < 0, M: true}});
    case "bybit-linear":
      return JSON.stringify({topic: "publicTrade.BTCUSDT", type: "snapshot", ts: t.time + 1, data: [{T: t.time, s: "BTCUSDT", S: t.side > 0 ? "Buy" : "Sell", v: q, p, L: "ZeroPlusTick", i: `replay-${t.id.toString(16)}-7c1e`, BT: false}]});
    case "okx-swap":
      return JSON.stringify({arg: {channel: "trades", instId: "BTC-USDT-SWAP"}, data: [{instId: "BTC-USDT-SWAP", tradeId: String(t.id), px: p, sz: shiftDecimal(q, 2), side: t.side > 0 ? "buy" : "sell", ts: String(t.time)}]});
    case "coinbase-spot":
      // Coinbase labels the maker side: the opposite of the aggressor.
      // sequence_num is the connection's: the server numbers each message as it sends it.
      return JSON.stringify({channel: "market_trades", client_id: "", timestamp: iso, sequence_num: 0, events: [{type: "update", trades: [coinbaseItem(t)]}]});
    default:
      throw new RangeError(`invalid market: ${market}`);
  }
}

/** One trade of a Coinbase `market_trades` event (`side` is the maker's: the opposite of the aggressor). */
function coinbaseItem(t: {time: number; price: number; qty: number; side: 1 | -1; id: number}) {
  return {trade_id: String(t.id), product_id: "BTC-USD", price: decimalText(t.price), size: decimalText(t.qty), side: t.side > 0 ? "SELL" : "BUY", time: isoMicros(t.time)};
}

/**
 * `minutes` of simulated trades of the five markets from `start` (epoch ms): a latent price
 * random walk in 100 ms steps; Binance USD-M's aggressors follow its moves at once, the other
 * markets' after their delay (probability 0.7, else a coin flip). Deterministic in `seed`.
 */
export function simulate(start: number, minutes: number, seed = 1): Record<string, Entry[]> {
  const steps = Math.round((minutes * 60_000) / 100);
  const random = mulberry32(deriveSeed(seed, "replay simulate"));
  const moves = new Int8Array(steps);
  const price = new Float64Array(steps);
  let p = 30_000;
  for (let s = 0; s < steps; ++s) {
    const u = random();
    moves[s] = u < 0.3 ? -1 : u > 0.7 ? 1 : 0;
    p += moves[s] * 0.5;
    price[s] = p;
  }
  const out: Record<string, Entry[]> = {};
  for (const [market, rate] of Object.entries(SIM_RATES)) {
    const r = mulberry32(deriveSeed(seed, `replay simulate ${market}`));
    const lag = SIM_DELAY_MS[market] / 100;
    const list: Entry[] = [];
    let id = 1_000_000;
    let t = start;
    const end = start + steps * 100;
    while (true) {
      t += -Math.log(1 - r()) * (1000 / rate);
      if (t >= end) break;
      const time = Math.floor(t);
      const s = Math.floor((time - start) / 100);
      const seen = Math.max(0, s - lag);
      const move = moves[seen];
      const side = (move !== 0 && r() < 0.7 ? move : r() < 0.5 ? -1 : 1) as 1 | -1;
      const text = formatTrade(market, {time, price: price[seen] + (market.startsWith("binance") ? 0 : 5), qty: (1 + Math.floor(r() * 50)) / 1000, side, id: ++id});
      list.push({at: time - start, time, text});
    }
    out[market] = list;
  }
  return out;
}

// --- protocols ----------------------------------------------------------------------------

interface Client {
  market: string;
  subscribed: boolean;
  heartbeats: boolean;
  next: number;
  faults: Record<string, number>;
  dropped: number;
  /** Next sequence number of the connection (Coinbase numbers every message it sends). */
  sequence: number;
  send: (text: string) => void;
}

/** `text` with the connection's next sequence number, for a Coinbase connection; else unchanged. */
function stamp(c: Pick<Client, "market" | "sequence">, text: string): string {
  if (!c.market.startsWith("coinbase")) return text;
  return text.replace(/"sequence_num":\d+/, `"sequence_num":${c.sequence++}`);
}

/** Coinbase's answer to a `market_trades` subscription: the newest (up to 50) trades of `entries` before `k`, newest first, as one snapshot event. */
export function coinbaseSnapshot(entries: Entry[], k: number): string {
  const trades: unknown[] = [];
  for (let j = k - 1; j >= 0 && trades.length < 50; --j) {
    if (entries[j].fault === "malformed") continue;
    for (const ev of JSON.parse(entries[j].text).events ?? []) for (const t of ev.trades ?? []) trades.push(t);
  }
  return JSON.stringify({channel: "market_trades", client_id: "", timestamp: new Date().toISOString(), sequence_num: 0, events: [{type: "snapshot", trades: trades.slice(0, 50)}]});
}

/** The answer of `market`'s exchange to a client message, and whether it subscribes to trades / heartbeats. */
export function answer(market: string, text: string): {reply?: string; trades?: boolean; heartbeats?: boolean} {
  if (market.startsWith("okx") && text === "ping") return {reply: "pong"};
  let msg: any;
  try {
    msg = JSON.parse(text);
  } catch {
    return {};
  }
  if (market.startsWith("binance")) {
    if (msg?.method === "SUBSCRIBE") return {reply: JSON.stringify({result: null, id: msg.id ?? null}), trades: Array.isArray(msg.params) && msg.params.includes("btcusdt@trade")};
    return {reply: JSON.stringify({error: {code: 2, msg: "Invalid request"}, id: msg?.id ?? null})};
  }
  if (market.startsWith("bybit")) {
    if (msg?.op === "ping") return {reply: JSON.stringify({success: true, ret_msg: "pong", conn_id: "replay", op: "ping"})};
    if (msg?.op === "subscribe") return {reply: JSON.stringify({success: true, ret_msg: "", conn_id: "replay", req_id: msg.req_id ?? "", op: "subscribe"}), trades: (msg.args ?? []).includes("publicTrade.BTCUSDT")};
    return {};
  }
  if (market.startsWith("okx")) {
    if (msg?.op === "subscribe") {
      const arg = msg.args?.[0];
      return {reply: JSON.stringify({event: "subscribe", arg, connId: "replay"}), trades: arg?.channel === "trades" && arg?.instId === "BTC-USDT-SWAP"};
    }
    return {};
  }
  if (msg?.type === "subscribe") {
    const channel = String(msg.channel);
    return {
      reply: JSON.stringify({channel: "subscriptions", client_id: "", timestamp: new Date().toISOString(), sequence_num: 0, events: [{subscriptions: {[channel]: msg.product_ids ?? []}}]}),
      trades: channel === "market_trades" && (msg.product_ids ?? []).includes("BTC-USD"),
      heartbeats: channel === "heartbeats"
    };
  }
  return {};
}

/**
 * The trades of the `CVE_INPUTS` files (`specs`) over the span the build would analyse (their
 * markets' overlap, narrowed to `from` / `to`), per live market id, each trade one message in its
 * market's format, played at its trade time (see the module comment). InputError naming a file
 * whose market has no live stream.
 */
export async function inputStreams(specs: readonly InputSpec[], from: number | null = null, to: number | null = null, cwd = process.cwd()): Promise<{streams: Record<string, Entry[]>; span: [number, number]}> {
  const inputs = await resolveInputs(specs, cwd);
  for (const f of inputs)
    if (!LIVE_MARKETS.some((m) => m.venue === f.market))
      throw new InputError(f.file, undefined, `market ${f.market} has no live stream to replay (live markets: ${LIVE_MARKETS.map((m) => `${m.id} (${m.venue})`).join(", ")})`);
  const span = inputsSpan(inputs, from, to);
  const trades = new Map<string, {time: number; price: number; qty: number; side: 1 | -1; id: number}[]>();
  for (const f of inputs) {
    const id = LIVE_MARKETS.find((m) => m.venue === f.market)!.id;
    const list = trades.get(id) ?? [];
    trades.set(id, list);
    for await (const b of readInput(f, newQuarantine()))
      for (let i = 0; i < b.length; ++i) {
        const time = b.time[i];
        if (time >= span[0] && time < span[1]) list.push({time, price: b.price[i], qty: b.qty[i], side: b.side[i] > 0 ? 1 : -1, id: b.id[i]});
      }
  }
  const streams: Record<string, Entry[]> = {};
  for (const m of LIVE_MARKETS) {
    const list = trades.get(m.id);
    if (!list) continue;
    list.sort((a, b) => a.time - b.time || a.id - b.id);
    streams[m.id] = list.map((t) => ({at: t.time, time: t.time, text: formatTrade(m.id, t)}));
  }
  return {streams, span};
}

async function loadSource(args: Args): Promise<Record<string, Entry[]>> {
  if (args.source === "simulate") return simulate(Date.now(), args.minutes);
  if (args.source === "inputs") {
    const config = loadConfig();
    if (!config.inputs.length) throw new Error("--source inputs needs CVE_INPUTS (comma-separated trade files, see README Configuration)");
    const {streams, span} = await inputStreams(config.inputs, config.from ?? null, config.to ?? null);
    console.error(`replay: CVE_INPUTS, ${Object.entries(streams).map(([m, e]) => `${m} ${e.length} trades`).join(", ")}, ${new Date(span[0]).toISOString()} – ${new Date(span[1]).toISOString()}`);
    return streams;
  }
  if (args.source !== "binance") throw new Error(`unknown --source ${args.source} (binance, simulate or inputs)`);
  const out: Record<string, Entry[]> = {};
  for (const [market, rel] of Object.entries(RECORDINGS)) {
    const path = join(SHARED, rel);
    if (!existsSync(path)) {
      console.error(`replay: the Binance recordings are not there (${path}): they come with ../shared/real-trades (or set CVE_SHARED_DIR). Use --source simulate for a simulated market.`);
      process.exit(2);
    }
    out[market] = readRecording(path);
  }
  return out;
}

export function startReplay(args: Args, streams: Record<string, Entry[]>, log: (event: object) => void = (e) => console.log(JSON.stringify(e))) {
  const t0 = Math.min(...Object.values(streams).map((s) => (s.length ? s[0].at : Infinity)));
  let origin = args.origin;
  const faulted: Record<string, Entry[]> = Object.fromEntries(Object.entries(streams).map(([m, s]) => [m, withFaults(withDrops(s, args.drop ?? 0), args.faults)]));
  const clients = new Set<Client>();
  const position = () => (origin === null ? -Infinity : t0 + (Date.now() - origin) * args.speed);
  const server = createServer((_, res) => {
    res.writeHead(426, {"content-type": "text/plain"});
    res.end("websocket replay server: connect to /<market>\n");
  });
  const wss = new WebSocketServer({noServer: true});
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const market = (req.url ?? "").replace(/^\/+/, "").split(/[/?]/)[0];
    if (!faulted[market]) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: any) => {
      const client: Client = {market, subscribed: false, heartbeats: false, next: 0, faults: {}, dropped: 0, sequence: 0, send: (t) => ws.readyState === 1 && ws.send(stamp(client, t))};
      clients.add(client);
      const ping = setInterval(() => ws.readyState === 1 && ws.ping(), 20_000);
      ws.on("message", (data: Buffer) => {
        const a = answer(market, data.toString("utf8"));
        if (a.reply) client.send(a.reply);
        if (a.heartbeats) client.heartbeats = true;
        if (a.trades && !client.subscribed) {
          client.subscribed = true;
          if (origin === null) {
            origin = Date.now() + 1000;
            log({event: "clock", origin});
          }
          const now = position();
          const list = faulted[market];
          let k = 0;
          while (k < list.length && list[k].at < now) ++k;
          client.next = k;
          if (market.startsWith("coinbase")) client.send(coinbaseSnapshot(list, k));
        }
      });
      ws.on("close", () => {
        clearInterval(ping);
        clients.delete(client);
      });
    });
  });
  let beats = 0;
  const tick = setInterval(() => {
    const now = position();
    for (const c of clients) {
      if (!c.subscribed) continue;
      const list = faulted[c.market];
      if (c.next >= list.length) continue;
      while (c.next < list.length && list[c.next].at <= now) {
        const e = list[c.next++];
        if (e.dropped) {
          ++c.dropped;
          if (c.market.startsWith("coinbase")) ++c.sequence;
          continue;
        }
        if (e.fault) c.faults[e.fault] = (c.faults[e.fault] ?? 0) + 1;
        c.send(e.text);
      }
      if (c.next >= list.length) log({event: "done", market: c.market, sent: list.length - c.dropped, dropped: c.dropped, faults: c.faults});
    }
  }, 5);
  const heartbeat = setInterval(() => {
    ++beats;
    for (const c of clients)
      if (c.heartbeats) c.send(JSON.stringify({channel: "heartbeats", client_id: "", timestamp: new Date().toISOString(), sequence_num: beats, events: [{current_time: new Date().toISOString(), heartbeat_counter: beats}]}));
  }, 1000);
  server.listen(args.port, "127.0.0.1", () => {
    log({event: "listening", port: (server.address() as {port: number}).port, markets: Object.keys(faulted), speed: args.speed});
    if (origin !== null) log({event: "clock", origin});
  });
  return {
    server,
    close: () => {
      clearInterval(tick);
      clearInterval(heartbeat);
      for (const c of wss.clients) c.terminate();
      server.close();
    }
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`replay: ${(e as Error).message}`);
    process.exit(2);
  }
  let streams: Record<string, Entry[]>;
  try {
    streams = await loadSource(args);
  } catch (e) {
    if (!(e instanceof InputError || e instanceof ConfigError || (e as Error).message?.startsWith("--source"))) throw e;
    console.error(`replay: ${(e as Error).message}`);
    process.exit(2);
  }
  const r = startReplay(args, streams);
  const stop = () => {
    r.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
