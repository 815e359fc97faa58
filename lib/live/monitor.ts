/**
 * The live monitor: websocket connections to the configured markets (each exchange's public
 * protocol, lib/live/markets.ts), the shared message parsers, online 100 ms and 1 s bins, and
 * the rolling entropy and transfer-entropy tables (lib/live/window.ts), with the health of every
 * connection. Browser-safe; the WebSocket constructor, clock and random source can be injected.
 * Nothing connects until {@link LiveMonitor.start}.
 *
 * Every message with a connection sequence number (Coinbase `sequence_num`) is checked for a jump
 * (messages lost: counted, and listed with the numbers skipped). The trades of one message enter
 * in id order on markets with consecutive ids. Every trade passes: de-duplication by id (the
 * newest 4096 ids of each market), gap and order accounting on sequential ids (a jump counts the
 * ids skipped as missing; an id below the newest that was not seen is out of order and fills one
 * missing id, closing a gap of that one id), the clock offset sample (arrival
 * − exchange trade time), then the online bins (refused as late when its bin has closed). Bins
 * close when the watermark — the newest trade time of any market less `latenessMs` — passes them.
 *
 * The display's snapshot reads the incremental tables only (O(m² · table)); the circular-shift
 * surrogate tests of the pairs run one pair per macrotask after it, on a copy of the window, and
 * the snapshot shows the newest complete set with the window it was computed on.
 *
 * Reconnection: after a close, a market reconnects after min(cap, base · 2^attempt) ms, jittered
 * to between half and all of it ("equal jitter"); the attempt count resets once the new
 * connection delivers a message. A market whose connection is silent for `staleMs` is closed
 * and reconnected.
 */
import {flowSymbol, OnlineBins, type ClosedBin} from "./bins.js";
import {leaderJob, leaderOutcomes, leaderStep, type LeaderJob, type LiveLeaderOutcome} from "./leader.js";
import {emptyPairMatrix, pairList, testPairInto, type PairMatrix} from "./net-flow.js";
import {TradeWindow} from "./trades.js";
import {marketUrl, type LiveMarket} from "./markets.js";
import {MarketWindow} from "./window.js";
import type {Trade} from "../messages/types.js";

export const WINDOW_CHOICES_MIN = [1, 5, 15] as const;
export const BIN_CHOICES_MS = [100, 1000] as const;
const MAX_WINDOW_MS = 15 * 60_000;
const SEEN_IDS = 4096;
const OFFSETS = 512;
const RATE_SECONDS = 10;

export type ConnectionState = "idle" | "connecting" | "open" | "disconnected" | "stopped";


export interface MonitorOptions {
  markets: readonly LiveMarket[];
  /** Replay server address (ws://host:port); production endpoints when absent. */
  replay?: string | null;
  windowMs?: number;
  teBinMs?: number;
  latenessMs?: number;
  surrogates?: number;
  seed?: number;
  alpha?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  staleMs?: number;
  /** Wall-clock period of the leader rule, ms (default 10 000): it runs on the window at most this often. */
  leaderEveryMs?: number;
  /** Bootstrap resamples of the leader rule (default 499, as the chapters). */
  leaderResamples?: number;
  /** Run the surrogate tests one pair per macrotask after each snapshot (default true); else call `runTests()`. */
  sliceTests?: boolean;
  WebSocket?: new (url: string) => WebSocket;
  now?: () => number;
  random?: () => number;
}

export interface GapEvent {
  market: string;
  /** What is missing: trade ids, or message sequence numbers of the connection (Coinbase). */
  kind: "ids" | "messages";
  /** First and last missing id (or sequence number). */
  from: number;
  to: number;
  /** Exchange time of the trade after a gap in the ids; arrival time of the message after a gap in the sequence, ms. */
  time: number;
}

interface Health {
  state: ConnectionState;
  url: string;
  opens: number;
  reconnects: number;
  attempt: number;
  messages: number;
  trades: number;
  malformed: number;
  rejected: number;
  reasons: Record<string, number>;
  duplicates: number;
  outOfOrder: number;
  late: number;
  missing: number;
  gaps: number;
  lastId: number;
  /** Newest message sequence number of the current connection (NaN before one). */
  lastSequence: number;
  sequenced: boolean;
  sequenceGaps: number;
  messagesLost: number;
  lastPrice: number;
  lastTradeTime: number;
  lastMessageAt: number;
  downSince: number;
  nextRetryAt: number;
  seen: Set<number>;
  seenRing: Float64Array;
  seenCount: number;
  offsets: Float64Array;
  offsetCount: number;
  /** Messages and trades at the previous snapshot (for per-second rates). */
  prevMessages: number;
  prevTrades: number;
}

export interface MarketSnapshot {
  id: string;
  label: string;
  url: string;
  state: ConnectionState;
  /** Seconds since the connection was lost (null while open). */
  downFor: number | null;
  /** Seconds until the next connection attempt (null unless one is scheduled). */
  retryIn: number | null;
  reconnects: number;
  messages: number;
  trades: number;
  messagesPerSec: number;
  tradesPerSec: number;
  /** Trades per second of exchange time over the newest closed seconds. */
  tradeRate: number;
  lastPrice: number | null;
  malformed: number;
  rejected: number;
  reasons: Record<string, number>;
  duplicates: number;
  outOfOrder: number;
  late: number;
  missing: number;
  gaps: number;
  /** Jumps in the connection's message sequence numbers and the messages they skip (Coinbase); null for a venue without them. */
  sequenceGaps: number | null;
  messagesLost: number | null;
  /** Median arrival − exchange trade time of the newest trades, ms. */
  clockOffsetMs: number | null;
  /** Normalised entropy of the flow symbols over the window. */
  entropy: number | null;
}

export interface Snapshot {
  at: number;
  markets: MarketSnapshot[];
  window: {binMs: number; windowBins: number; bins: number; start: number; end: number; endTime: number | null};
  /** m × m row-major (null on the diagonal or when undefined): plug-in TE(i → j), effective TE, net TE, p of the net flow. */
  te: (number | null)[];
  /** The window (grid bins [start, end)) of the surrogate tests shown (effective, net, pNet); null before the first. */
  tested: {binMs: number; start: number; end: number} | null;
  effective: (number | null)[];
  net: (number | null)[];
  pNet: (number | null)[];
  surrogates: number;
  /** Level of the leader rule and of the net-flow tests. */
  alpha: number;
  /**
   * The calibrated leader rule (lib/live/leader.ts) on the window [start, end) of exchange time
   * (epoch ms) it last ran on, per analysis (A the perpetuals, B every market), with the time of
   * each analysis's last flip; null before its first run.
   */
  leaders: {window: {start: number; end: number}; outcomes: LeaderSnapshot[]} | null;
  /** How often the leader rule runs (wall clock, ms) and its bootstrap resamples. */
  leaderEveryMs: number;
  leaderResamples: number;
  gapEvents: GapEvent[];
}

/** One analysis's leader in a snapshot: market ids of the live page. */
export interface LeaderSnapshot {
  analysis: "A" | "B";
  markets: string[];
  /** The leading market, or null: no leader found. */
  leader: string | null;
  /** The rule's adjusted p-value (of the leader, or of the best candidate). */
  p: number;
  candidate: string | null;
  /** Why no leader was named, with market ids (null when one was). */
  reason: string | null;
  /** The last change of this analysis's verdict: the end of the window where it changed (epoch ms), from and to (null: no leader); null before any. */
  lastFlip: {time: number; from: string | null; to: string | null} | null;
}

const toJson = (x: number): number | null => (Number.isFinite(x) ? x : null);

interface TestJob {
  generation: number;
  binMs: number;
  end: number;
  bins: number;
  series: Uint8Array[];
  list: [number, number][];
  next: number;
  pairs: PairMatrix;
}

function newHealth(url: string): Health {
  return {
    state: "idle",
    url,
    opens: 0,
    reconnects: 0,
    attempt: 0,
    messages: 0,
    trades: 0,
    malformed: 0,
    rejected: 0,
    reasons: {},
    duplicates: 0,
    outOfOrder: 0,
    late: 0,
    missing: 0,
    gaps: 0,
    lastId: NaN,
    lastSequence: NaN,
    sequenced: false,
    sequenceGaps: 0,
    messagesLost: 0,
    lastPrice: NaN,
    lastTradeTime: -Infinity,
    lastMessageAt: NaN,
    downSince: NaN,
    nextRetryAt: NaN,
    seen: new Set(),
    seenRing: new Float64Array(SEEN_IDS),
    seenCount: 0,
    offsets: new Float64Array(OFFSETS),
    offsetCount: 0,
    prevMessages: 0,
    prevTrades: 0
  };
}

function median(x: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const s = x.slice(0, Math.min(n, x.length)).sort();
  const k = s.length;
  return k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

export class LiveMonitor {
  readonly markets: readonly LiveMarket[];
  readonly health: Health[];
  readonly windows: Record<number, MarketWindow>;
  readonly bins: Record<number, OnlineBins>;
  private readonly sockets: (WebSocket | null)[];
  private readonly pingTimers: (ReturnType<typeof setInterval> | null)[];
  private readonly reconnectTimers: (ReturnType<typeof setTimeout> | null)[];
  private readonly rates: Int32Array[];
  private ratePos = 0;
  private rateFilled = 0;
  private readonly symbols: Uint8Array;
  private readonly o: Required<Omit<MonitorOptions, "replay" | "WebSocket">> & {replay: string | null};
  private readonly WS: new (url: string) => WebSocket;
  private watermark = -Infinity;
  private running = false;
  private prevAt = NaN;
  private tested: {binMs: number; end: number; bins: number; pairs: PairMatrix} | null = null;
  private testing: TestJob | null = null;
  private generation = 0;
  /** Trades of each market over the largest window (for the leader rule). */
  readonly trades: TradeWindow[];
  private leading: {job: LeaderJob; generation: number} | null = null;
  private leaderAt = NaN;
  private leaders: Snapshot["leaders"] = null;
  private readonly flips = new Map<string, {leader: string | null; lastFlip: LeaderSnapshot["lastFlip"]}>();
  private readonly gapEvents: GapEvent[] = [];
  private staleTimer: ReturnType<typeof setInterval> | null = null;

  constructor(options: MonitorOptions) {
    this.markets = options.markets;
    const m = this.markets.length;
    if (m < 1) throw new RangeError("invalid markets: none");
    this.o = {
      markets: options.markets,
      replay: options.replay || null,
      windowMs: options.windowMs ?? 5 * 60_000,
      teBinMs: options.teBinMs ?? 100,
      latenessMs: options.latenessMs ?? 3000,
      surrogates: options.surrogates ?? 99,
      seed: options.seed ?? 0,
      alpha: options.alpha ?? 0.05,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffCapMs: options.backoffCapMs ?? 30_000,
      staleMs: options.staleMs ?? 60_000,
      leaderEveryMs: options.leaderEveryMs ?? 10_000,
      leaderResamples: options.leaderResamples ?? 499,
      sliceTests: options.sliceTests ?? true,
      now: options.now ?? (() => Date.now()),
      random: options.random ?? Math.random
    };
    this.WS = options.WebSocket ?? (globalThis as any).WebSocket;
    this.health = this.markets.map((mk) => newHealth(marketUrl(mk, this.o.replay)));
    this.sockets = this.markets.map(() => null);
    this.pingTimers = this.markets.map(() => null);
    this.reconnectTimers = this.markets.map(() => null);
    this.rates = this.markets.map(() => new Int32Array(RATE_SECONDS));
    this.symbols = new Uint8Array(m);
    // Trades as far back as the largest window's start can lie behind a market's newest trade.
    this.trades = this.markets.map(() => new TradeWindow(MAX_WINDOW_MS + this.o.latenessMs + 1000));
    this.windows = {};
    this.bins = {};
    for (const binMs of BIN_CHOICES_MS) {
      this.windows[binMs] = new MarketWindow(m, MAX_WINDOW_MS / binMs + 1, this.windowBins(binMs));
      this.bins[binMs] = new OnlineBins(m, binMs, (b) => this.onBin(binMs, b));
    }
    if (!this.windows[this.o.teBinMs]) throw new RangeError(`invalid teBinMs: ${this.o.teBinMs}`);
  }

  private windowBins(binMs: number): number {
    const w = Math.round(this.o.windowMs / binMs);
    if (!(this.o.latenessMs >= 0)) throw new RangeError(`invalid latenessMs: ${this.o.latenessMs}`);
    if (!(this.o.windowMs > 0 && this.o.windowMs <= MAX_WINDOW_MS && w > 1)) throw new RangeError(`invalid windowMs: ${this.o.windowMs}`);
    return w;
  }

  /** Sets the rolling window (ms) and the bin width of the TE matrix; the tables refill from the bins kept. */
  configure({windowMs, teBinMs}: {windowMs?: number; teBinMs?: number}): void {
    if (teBinMs !== undefined) {
      if (!this.windows[teBinMs]) throw new RangeError(`invalid teBinMs: ${teBinMs}`);
      this.o.teBinMs = teBinMs;
    }
    if (windowMs !== undefined && windowMs !== this.o.windowMs) {
      this.o.windowMs = windowMs;
      for (const binMs of BIN_CHOICES_MS) this.windows[binMs].setWindow(this.windowBins(binMs));
    }
    this.tested = null;
    ++this.generation;
    this.testing = null;
    this.leading = null;
    this.leaders = null;
    this.leaderAt = NaN;
    this.flips.clear();
  }

  /** Opens every market's connection. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.markets.length; ++i) this.connect(i);
    this.staleTimer = setInterval(() => this.checkStale(), 5000);
  }

  /** Closes every connection and cancels every timer; nothing reconnects. */
  stop(): void {
    const was = this.running;
    this.running = false;
    ++this.generation;
    this.testing = null;
    this.leading = null;
    if (this.staleTimer) clearInterval(this.staleTimer);
    for (let i = 0; i < this.markets.length; ++i) {
      this.clearTimers(i);
      const ws = this.sockets[i];
      this.sockets[i] = null;
      if (was) this.health[i].state = "stopped";
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        try {
          ws.close();
        } catch {
          // already closed
        }
      }
    }
  }

  private clearTimers(i: number): void {
    if (this.pingTimers[i]) clearInterval(this.pingTimers[i]!);
    if (this.reconnectTimers[i]) clearTimeout(this.reconnectTimers[i]!);
    this.pingTimers[i] = this.reconnectTimers[i] = null;
  }

  private connect(i: number): void {
    const h = this.health[i];
    const market = this.markets[i];
    h.state = "connecting";
    let ws: WebSocket;
    try {
      ws = new this.WS(h.url);
    } catch {
      this.scheduleReconnect(i);
      return;
    }
    this.sockets[i] = ws;
    ws.onopen = () => {
      h.state = "open";
      if (h.opens++ > 0) ++h.reconnects;
      h.downSince = NaN;
      h.lastSequence = NaN; // each connection numbers its messages from 0
      h.lastMessageAt = this.o.now();
      for (const msg of market.subscribe) ws.send(msg);
      if (market.ping) {
        const {message, everyMs} = market.ping;
        this.pingTimers[i] = setInterval(() => {
          if (ws.readyState === 1) ws.send(message);
        }, everyMs);
      }
    };
    ws.onmessage = (ev: MessageEvent) => {
      h.attempt = 0;
      if (typeof ev.data === "string") this.receive(i, ev.data, this.o.now());
      else {
        ++h.messages;
        ++h.malformed;
      }
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.sockets[i] !== ws) return;
      this.sockets[i] = null;
      if (this.pingTimers[i]) clearInterval(this.pingTimers[i]!);
      this.pingTimers[i] = null;
      if (!this.running) return;
      this.scheduleReconnect(i);
    };
  }

  private scheduleReconnect(i: number): void {
    const h = this.health[i];
    h.state = "disconnected";
    if (Number.isNaN(h.downSince)) h.downSince = this.o.now();
    const delay = Math.min(this.o.backoffCapMs, this.o.backoffBaseMs * 2 ** h.attempt);
    ++h.attempt;
    const wait = delay / 2 + (this.o.random() * delay) / 2;
    h.nextRetryAt = this.o.now() + wait;
    this.reconnectTimers[i] = setTimeout(() => {
      this.reconnectTimers[i] = null;
      if (this.running) this.connect(i);
    }, wait);
  }

  private checkStale(): void {
    const now = this.o.now();
    for (let i = 0; i < this.markets.length; ++i) {
      const h = this.health[i];
      const ws = this.sockets[i];
      if (ws && h.state === "open" && now - h.lastMessageAt > this.o.staleMs) {
        ws.onclose = null;
        this.sockets[i] = null;
        try {
          ws.close();
        } catch {
          // already closed
        }
        this.clearTimers(i);
        this.scheduleReconnect(i);
      }
    }
  }

  /** Handles one received text message of market `i` (arrival time `at`, ms). Public for tests and replays in memory. */
  receive(i: number, text: string, at: number): void {
    const h = this.health[i];
    ++h.messages;
    h.lastMessageAt = at;
    let r;
    try {
      r = this.markets[i].parse(text);
    } catch {
      ++h.malformed;
      return;
    }
    if (r.kind === "malformed") {
      ++h.malformed;
      return;
    }
    for (const reason of r.rejected) {
      ++h.rejected;
      h.reasons[reason] = (h.reasons[reason] ?? 0) + 1;
    }
    if (r.sequence !== undefined) this.messageSequence(i, r.sequence, at);
    if (r.skippedIds) for (const id of r.skippedIds) this.sequence(i, id, NaN);
    // One message is one unit: its trades enter in id order where ids are consecutive (a Coinbase snapshot lists the newest first).
    const trades = this.markets[i].sequentialIds && r.trades.length > 1 ? [...r.trades].sort((a, b) => a.id - b.id) : r.trades;
    for (const t of trades) this.trade(i, t, at);
    const until = this.watermark - this.o.latenessMs;
    for (const binMs of BIN_CHOICES_MS) this.bins[binMs].closeUntil(until);
  }

  /** Sequence accounting of one message of the current connection: a jump counts the messages skipped. */
  private messageSequence(i: number, seq: number, at: number): void {
    const h = this.health[i];
    h.sequenced = true;
    if (!Number.isNaN(h.lastSequence) && seq > h.lastSequence + 1) {
      ++h.sequenceGaps;
      h.messagesLost += seq - h.lastSequence - 1;
      this.pushGap({market: this.markets[i].id, kind: "messages", from: h.lastSequence + 1, to: seq - 1, time: at});
    }
    if (Number.isNaN(h.lastSequence) || seq > h.lastSequence) h.lastSequence = seq;
  }

  private pushGap(g: GapEvent): void {
    this.gapEvents.push(g);
    if (this.gapEvents.length > 20) this.gapEvents.shift();
  }

  /** Id accounting of one trade: false for a duplicate (seen already), else gaps and order are counted. */
  private sequence(i: number, id: number, time: number): boolean {
    const h = this.health[i];
    if (h.seen.has(id)) {
      ++h.duplicates;
      return false;
    }
    if (h.seenCount >= SEEN_IDS) h.seen.delete(h.seenRing[h.seenCount % SEEN_IDS]);
    h.seen.add(id);
    h.seenRing[h.seenCount++ % SEEN_IDS] = id;
    if (this.markets[i].sequentialIds) {
      if (Number.isNaN(h.lastId) || id === h.lastId + 1) h.lastId = id;
      else if (id > h.lastId + 1) {
        const from = h.lastId + 1;
        const to = id - 1;
        h.missing += to - from + 1;
        ++h.gaps;
        this.pushGap({market: this.markets[i].id, kind: "ids", from, to, time});
        h.lastId = id;
      } else {
        ++h.outOfOrder;
        if (h.missing > 0) --h.missing;
        // A late id that fills a one-id gap closes it.
        const k = this.gapEvents.findIndex((g) => g.market === this.markets[i].id && g.kind === "ids" && g.from === id && g.to === id);
        if (k >= 0) {
          this.gapEvents.splice(k, 1);
          --h.gaps;
        }
      }
    }
    return true;
  }

  private trade(i: number, t: Trade, at: number): void {
    const h = this.health[i];
    if (!this.sequence(i, t.id, t.time)) return;
    h.offsets[h.offsetCount++ % OFFSETS] = at - t.time;
    // The 100 ms grid closes first: a trade it refuses is refused by both.
    if (!this.bins[100].add(i, t.time, t.price, t.qty, t.side, t.id)) {
      ++h.late;
      return;
    }
    this.bins[1000].add(i, t.time, t.price, t.qty, t.side, t.id);
    this.trades[i].add(t.time, t.price, t.id);
    ++h.trades;
    if (t.time >= h.lastTradeTime) {
      h.lastTradeTime = t.time;
      h.lastPrice = t.price;
    }
    if (t.time > this.watermark) this.watermark = t.time;
  }

  private onBin(binMs: number, b: ClosedBin): void {
    const m = this.markets.length;
    for (let i = 0; i < m; ++i) this.symbols[i] = flowSymbol(b.buys[i], b.sells[i]);
    this.windows[binMs].push(b.index, this.symbols);
    if (binMs === 1000) {
      for (let i = 0; i < m; ++i) this.rates[i][this.ratePos] = b.buys[i] + b.sells[i];
      this.ratePos = (this.ratePos + 1) % RATE_SECONDS;
      this.rateFilled = Math.min(RATE_SECONDS, this.rateFilled + 1);
    }
  }

  /** The state of the display: health, rates, entropies, the TE matrices over the window and the leader. */
  snapshot(): Snapshot {
    const now = this.o.now();
    const m = this.markets.length;
    const elapsed = Number.isNaN(this.prevAt) ? NaN : (now - this.prevAt) / 1000;
    this.prevAt = now;
    const w = this.windows[this.o.teBinMs];
    const size = w.size;
    const entropy = w.normalizedEntropy();
    const markets: MarketSnapshot[] = this.markets.map((mk, i) => {
      const h = this.health[i];
      const perSec = (x: number, prev: number) => (elapsed > 0 ? (x - prev) / elapsed : 0);
      const out: MarketSnapshot = {
        id: mk.id,
        label: mk.label,
        url: h.url,
        state: h.state,
        downFor: Number.isNaN(h.downSince) ? null : (now - h.downSince) / 1000,
        retryIn: h.state === "disconnected" && h.nextRetryAt >= now ? (h.nextRetryAt - now) / 1000 : null,
        reconnects: h.reconnects,
        messages: h.messages,
        trades: h.trades,
        messagesPerSec: perSec(h.messages, h.prevMessages),
        tradesPerSec: perSec(h.trades, h.prevTrades),
        tradeRate: this.rateFilled ? this.rates[i].reduce((s, x) => s + x, 0) / this.rateFilled : 0,
        lastPrice: toJson(h.lastPrice),
        malformed: h.malformed,
        rejected: h.rejected,
        reasons: {...h.reasons},
        duplicates: h.duplicates,
        outOfOrder: h.outOfOrder,
        late: h.late,
        missing: h.missing,
        gaps: h.gaps,
        sequenceGaps: h.sequenced ? h.sequenceGaps : null,
        messagesLost: h.sequenced ? h.messagesLost : null,
        clockOffsetMs: toJson(median(h.offsets, h.offsetCount)),
        entropy: size > 0 ? toJson(entropy[i]) : null
      };
      h.prevMessages = h.messages;
      h.prevTrades = h.trades;
      return out;
    });
    const te = w.teMatrix();
    const end = w.end;
    const endTime = Number.isNaN(end) ? null : end * this.o.teBinMs;
    const t = this.tested;
    const pairs = t?.pairs ?? emptyPairMatrix(m);
    const out: Snapshot = {
      at: now,
      markets,
      window: {binMs: this.o.teBinMs, windowBins: w.window, bins: size, start: Number.isNaN(end) ? 0 : end - size, end: Number.isNaN(end) ? 0 : end, endTime},
      te: Array.from(te, toJson),
      tested: t ? {binMs: t.binMs, start: t.end - t.bins, end: t.end} : null,
      effective: Array.from(pairs.effective, toJson),
      net: Array.from(pairs.net, toJson),
      pNet: Array.from(pairs.pNet, toJson),
      surrogates: this.o.surrogates,
      alpha: this.o.alpha,
      leaders: this.leaders,
      leaderEveryMs: this.o.leaderEveryMs,
      leaderResamples: this.o.leaderResamples,
      gapEvents: [...this.gapEvents]
    };
    if (this.o.sliceTests) {
      this.scheduleTests();
      this.scheduleLeader();
    }
    return out;
  }

  /**
   * The surrogate tests of the current window (every pair, {@link testPairInto}). With `sliceTests` (the page) they run one pair per macrotask after a snapshot,
   * off the display's path, on a copy of the window's symbols; the snapshot shows the newest
   * complete set with the window it was computed on (`tested`). `runTests()` runs them at once.
   */
  runTests(): void {
    const job = this.newTestJob();
    if (!job) return;
    while (job.next < job.list.length) this.testStep(job);
  }

  private newTestJob(): TestJob | null {
    const w = this.windows[this.o.teBinMs];
    const m = this.markets.length;
    if (w.size < 41 || m < 2) return null;
    const t = this.tested;
    if (t && t.end === w.end && t.bins === w.size && t.binMs === this.o.teBinMs) return null;
    return {generation: this.generation, binMs: this.o.teBinMs, end: w.end, bins: w.size, series: w.symbols(), list: pairList(m), next: 0, pairs: emptyPairMatrix(m)};
  }

  private testStep(job: TestJob): void {
    const [i, j] = job.list[job.next++];
    testPairInto(job.pairs, job.series, i, j, {surrogates: this.o.surrogates, seed: this.o.seed});
    if (job.next < job.list.length) return;
    this.tested = {binMs: job.binMs, end: job.end, bins: job.bins, pairs: job.pairs};
  }

  private scheduleTests(): void {
    if (this.testing) return;
    const job = this.newTestJob();
    if (!job) return;
    this.testing = job;
    const step = () => {
      if (job.generation !== this.generation) {
        if (this.testing === job) this.testing = null;
        return;
      }
      const t0 = performance.now();
      this.testStep(job);
      // One User Timing entry at a time (npm run bench observes them as they are made).
      performance.clearMeasures("live test slice");
      performance.measure("live test slice", {start: t0});
      if (job.next < job.list.length) setTimeout(step, 0);
      else this.testing = null;
    };
    setTimeout(step, 0);
  }

  /**
   * The calibrated leader rule (lib/live/leader.ts) on the trades of the current window, at once
   * (tests, replays in memory). The page runs it from {@link snapshot} instead, at most every
   * `leaderEveryMs` of wall time and one pair per macrotask, off the display's path.
   */
  runLeader(): void {
    const job = this.newLeaderJob();
    if (!job) return;
    while (leaderStep(job)) {
      // one pair per step
    }
    this.finishLeader(job);
  }

  /** The window of the TE matrix in exchange time: [start, end) epoch ms, or null when empty. */
  private windowSpan(): {start: number; end: number} | null {
    const w = this.windows[this.o.teBinMs];
    if (w.size < 2) return null;
    return {start: (w.end - w.size) * this.o.teBinMs, end: w.end * this.o.teBinMs};
  }

  private newLeaderJob(): LeaderJob | null {
    const span = this.windowSpan();
    if (!span || this.markets.length < 2) return null;
    const l = this.leaders;
    if (l && l.window.start === span.start && l.window.end === span.end) return null;
    const job = leaderJob(
      this.markets.map((mk) => mk.venue),
      this.trades.map((t) => t.slice(span.start, span.end)),
      span.start,
      span.end,
      {seed: this.o.seed, alpha: this.o.alpha, resamples: this.o.leaderResamples}
    );
    return job.analyses.length ? job : null;
  }

  private finishLeader(job: LeaderJob): void {
    const id = (v: string | null) => (v === null ? null : this.markets.find((mk) => mk.venue === v)!.id);
    const ids = (text: string | null) => (text === null ? null : text.replace(/\b[a-z][a-z-]*\b/g, (w) => this.markets.find((mk) => mk.venue === w)?.id ?? w));
    const outcomes = leaderOutcomes(job).map((o: LiveLeaderOutcome): LeaderSnapshot => {
      const leader = id(o.leader);
      const before = this.flips.get(o.analysis);
      const lastFlip = before && before.leader !== leader ? {time: job.end, from: before.leader, to: leader} : (before?.lastFlip ?? null);
      this.flips.set(o.analysis, {leader, lastFlip});
      return {analysis: o.analysis, markets: o.venues.map((v) => id(v)!), leader, p: o.p, candidate: id(o.candidate), reason: ids(o.reason), lastFlip};
    });
    this.leaders = {window: {start: job.start, end: job.end}, outcomes};
  }

  private scheduleLeader(): void {
    if (this.leading) return;
    const now = this.o.now();
    if (now - this.leaderAt < this.o.leaderEveryMs) return;
    const job = this.newLeaderJob();
    if (!job) return;
    this.leaderAt = now;
    const run = {job, generation: this.generation};
    this.leading = run;
    const step = () => {
      if (run.generation !== this.generation || this.leading !== run) {
        if (this.leading === run) this.leading = null;
        return;
      }
      const t0 = performance.now();
      const more = leaderStep(job);
      if (!more) this.finishLeader(job);
      performance.clearMeasures("live leader slice");
      performance.measure("live leader slice", {start: t0});
      if (more) setTimeout(step, 0);
      else this.leading = null;
    };
    setTimeout(step, 0);
  }
}
