/**
 * A loopback HTTP server that serves files the way the venues do — Binance zips with
 * `.CHECKSUM` files, Bybit csv.gz, OKX zips, Coinbase's REST trades endpoint with `CB-AFTER`
 * pagination and a 10 requests/s limit — with injectable faults: connection reset mid-body,
 * truncated body, status codes (429 with Retry-After, 500, 503, 404), slow responses, and a
 * server that ignores Range. It logs every request, refuses to answer more than `maxRequests`
 * (so a runaway client loop ends) and closes with `close()`.
 */
import {createHash} from "node:crypto";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo, Socket} from "node:net";

export interface Fault {
  /** Request paths (with query) the fault applies to (substring or pattern); all when absent. */
  path?: string | RegExp;
  /**
   * `reset`: send the headers and `bytes` of the body, then reset the connection (RST);
   * `truncate`: same, then close the connection cleanly (FIN) — the body is shorter than its Content-Length;
   * `status`: answer `status` (with `retryAfter` as Retry-After);
   * `slow`: wait `delayMs` before answering normally;
   * `ignore-range`: answer 200 with the whole file even to a Range request.
   */
  kind: "reset" | "truncate" | "status" | "slow" | "ignore-range";
  status?: number;
  retryAfter?: string;
  bytes?: number;
  delayMs?: number;
  /** Requests it affects (default 1). */
  times?: number;
}

export interface LoggedRequest {
  path: string;
  range?: string;
  status: number;
  fault?: string;
  time: number;
}

/** A trade as Coinbase's REST endpoint returns it. */
export interface RestTrade {
  time: string;
  trade_id: number;
  price: string;
  size: string;
  side: string;
}

export class VenueServer {
  readonly requests: LoggedRequest[] = [];
  readonly files = new Map<string, Uint8Array>();
  faults: Fault[] = [];
  /** Coinbase trades by product, ascending trade id. */
  readonly coinbase = new Map<string, RestTrade[]>();
  /** Send Coinbase trade ids as JSON strings (`"trade_id":"18502034"`), as the API has done. */
  coinbaseStringIds = false;
  /** Coinbase request budget per rolling second (429 beyond it). */
  coinbasePerSecond = 10;
  /** 429s sent by the Coinbase rate limiter (not by injected faults). */
  coinbaseLimited = 0;
  /** Whether the request cap was hit. */
  overflow = false;
  private coinbaseTimes: number[] = [];
  private sockets = new Set<Socket>();

  private constructor(private server: Server, readonly url: string, readonly maxRequests: number) {}

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(options: {maxRequests?: number} = {}): Promise<VenueServer> {
    let self: VenueServer | undefined;
    const server = createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    self = new VenueServer(server, `http://127.0.0.1:${port}`, options.maxRequests ?? 2000);
    server.on("connection", (s) => {
      self!.sockets.add(s);
      s.on("close", () => self!.sockets.delete(s));
    });
    return self;
  }

  /** Serves `bytes` at `path`. */
  serve(path: string, bytes: Uint8Array): void {
    this.files.set(path, bytes);
  }

  /** Serves a Binance daily zip and its `.CHECKSUM` (`sha256` overrides the true hash, to test a mismatch). */
  serveBinance(day: string, bytes: Uint8Array, options: {symbol?: string; sha256?: string; checksum?: boolean} = {}): string {
    const symbol = options.symbol ?? "BTCUSDT";
    const name = `${symbol}-trades-${day}.zip`;
    const path = `/data/futures/um/daily/trades/${symbol}/${name}`;
    this.serve(path, bytes);
    if (options.checksum !== false) {
      const hash = options.sha256 ?? createHash("sha256").update(bytes).digest("hex");
      this.serve(`${path}.CHECKSUM`, new TextEncoder().encode(`${hash}  ${name}\n`));
    }
    return path;
  }

  /** Serves a Bybit daily csv.gz. */
  serveBybit(day: string, bytes: Uint8Array, symbol = "BTCUSDT"): string {
    const path = `/trading/${symbol}/${symbol}${day}.csv.gz`;
    this.serve(path, bytes);
    return path;
  }

  /** Serves an OKX daily zip of file day `fileDay`. */
  serveOkx(fileDay: string, bytes: Uint8Array, instrument = "BTC-USDT-SWAP"): string {
    const path = `/cdn/okex/traderecords/trades/daily/${fileDay.replaceAll("-", "")}/${instrument}-trades-${fileDay}.zip`;
    this.serve(path, bytes);
    return path;
  }

  /** Adds a fault; returns it (its `times` counts down as requests hit it). */
  fault(f: Fault): Fault {
    this.faults.push({times: 1, ...f});
    return f;
  }

  /** Forgets the Coinbase requests counted in the current rate window. */
  resetRateWindow(): void {
    this.coinbaseTimes = [];
  }

  /** Requests whose path contains `s`. */
  hits(s: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path.includes(s));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private log(req: IncomingMessage, status: number, fault?: string): void {
    this.requests.push({path: req.url ?? "", range: req.headers.range, status, fault, time: Date.now()});
  }

  private takeFault(path: string): Fault | undefined {
    const f = this.faults.find((f) => (f.times ?? 1) > 0 && (f.path === undefined || (typeof f.path === "string" ? path.includes(f.path) : f.path.test(path))));
    if (f) f.times = (f.times ?? 1) - 1;
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (this.requests.length >= this.maxRequests) {
      this.overflow = true;
      this.log(req, 503, "overflow");
      res.writeHead(503, {"content-type": "text/plain"}).end("request cap reached");
      return;
    }
    let fault = this.takeFault(req.url ?? "/");
    if (fault?.kind === "slow") {
      await new Promise((r) => setTimeout(r, fault!.delayMs ?? 1000));
      if (res.destroyed || req.socket.destroyed) {
        this.log(req, 0, "slow (client gone)");
        return;
      }
      fault = undefined;
    }
    if (fault?.kind === "status") {
      const status = fault.status ?? 500;
      this.log(req, status, `status ${status}`);
      const headers: Record<string, string> = {"content-type": "text/plain"};
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      res.writeHead(status, headers).end(`injected ${status}`);
      return;
    }
    const m = /^\/products\/([A-Z0-9-]+)\/trades$/.exec(url.pathname);
    if (m && this.coinbase.has(m[1])) return this.handleCoinbase(req, res, url, m[1], fault);
    const body = this.files.get(url.pathname);
    if (!body) {
      this.log(req, 404);
      res.writeHead(404, {"content-type": "text/plain"}).end("not found");
      return;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range && fault?.kind !== "ignore-range") {
      start = Number(range[1]);
      if (start >= body.length) {
        this.log(req, 416);
        res.writeHead(416, {"content-range": `bytes */${body.length}`}).end();
        return;
      }
    }
    const status = start > 0 ? 206 : 200;
    const headers: Record<string, string | number> = {"content-type": "application/octet-stream", "content-length": body.length - start, "accept-ranges": "bytes"};
    if (status === 206) headers["content-range"] = `bytes ${start}-${body.length - 1}/${body.length}`;
    this.send(req, res, status, headers, body.subarray(start), fault);
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | number>, body: Uint8Array, fault: Fault | undefined): void {
    if (fault?.kind === "reset" || fault?.kind === "truncate") {
      const n = Math.min(body.length - 1, fault.bytes ?? Math.floor(body.length / 2));
      this.log(req, status, fault.kind);
      res.writeHead(status, headers);
      // Give the client time to read what was sent: a reset discards unread received data.
      res.write(body.subarray(0, n), () =>
        setTimeout(() => {
          const socket = req.socket;
          if (fault.kind === "reset") socket.resetAndDestroy();
          else socket.end();
        }, 50)
      );
      return;
    }
    this.log(req, status, fault?.kind);
    res.writeHead(status, headers);
    res.end(body);
  }

  private handleCoinbase(req: IncomingMessage, res: ServerResponse, url: URL, product: string, fault: Fault | undefined): void {
    const now = Date.now();
    while (this.coinbaseTimes.length && this.coinbaseTimes[0] <= now - 1000) this.coinbaseTimes.shift();
    if (this.coinbaseTimes.length >= this.coinbasePerSecond) {
      ++this.coinbaseLimited;
      this.log(req, 429, "rate limit");
      res.writeHead(429, {"content-type": "application/json"}).end(JSON.stringify({message: "Public rate limit exceeded"}));
      return;
    }
    this.coinbaseTimes.push(now);
    const trades = this.coinbase.get(product)!;
    const after = url.searchParams.has("after") ? Number(url.searchParams.get("after")) : Infinity;
    const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get("limit") ?? 100)));
    // Trades with id < after, newest first.
    let hi = trades.length;
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (trades[mid].trade_id < after) lo = mid + 1;
      else hi = mid;
    }
    const page: RestTrade[] = [];
    for (let i = lo - 1; i >= 0 && page.length < limit; --i) page.push(trades[i]);
    const body = new TextEncoder().encode(JSON.stringify(this.coinbaseStringIds ? page.map((t) => ({...t, trade_id: String(t.trade_id)})) : page));
    const headers: Record<string, string | number> = {"content-type": "application/json", "content-length": body.length};
    if (page.length) {
      headers["cb-before"] = page[0].trade_id;
      headers["cb-after"] = page[page.length - 1].trade_id;
    }
    this.send(req, res, 200, headers, body, fault);
  }
}
