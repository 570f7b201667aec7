/**
 * One live Tradier market stream (contract §4.12, §5): create a session on the REST host, open
 * the WebSocket (or the HTTP stream) with the session id and symbols, and turn the payloads into
 * PaiiD's StreamEvents.
 *
 * - Every (re)connection takes a fresh session: a session id is only valid for 5 minutes before
 *   it is used, so an old one can't be trusted after a drop.
 * - A dropped connection, a session error frame or an idle watchdog (Tradier closes streams
 *   after ~15 quiet minutes and documents no market heartbeat, §5.3) all lead to a reconnect
 *   with exponential backoff and jitter; after `maxConsecutiveFailures` attempts without a
 *   single payload the iterator ends with an UpstreamError. A 401 or an invalid-symbol frame
 *   end it at once.
 * - Payloads are merged per symbol, so each `quote` event carries the whole known quote
 *   (summary + last trade + bid/ask), not just the fields of the payload that moved it.
 * - A consumer that falls behind keeps the newest `maxQueue` events; older ones are dropped.
 *
 * @module
 */
import {
  type MarketSource,
  type Quote,
  type QuoteStream,
  type StreamEvent,
  UnknownSymbolError,
  UpstreamError,
} from "../types.ts";
import type { TradierHttp } from "./http.ts";
import { sizeMultiplier } from "./map.ts";
import { sessionResponse, type StreamPayload, streamPayload } from "./schemas.ts";

export interface TradierStreamOptions {
  symbols: string[];
  signal?: AbortSignal;
  transport: "ws" | "http";
  streamUrl: string;
  wsUrl: string;
  token: string;
  http: TradierHttp;
  fetch?: typeof fetch;
  /** Default 500 ms, doubling per consecutive failure up to `backoffMaxMs` (30 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Reconnect when nothing arrived for this long. Default 16 minutes. */
  idleTimeoutMs?: number;
  /** Default 10. */
  maxConsecutiveFailures?: number;
  maxQueue?: number;
  onClose?: () => void;
}

const SOURCE: MarketSource = "tradier";
const FILTER = ["quote", "trade", "summary"];

export class TradierQuoteStream implements QuoteStream {
  readonly #o: TradierStreamOptions;
  readonly #symbols: string[];
  readonly #state = new Map<string, Quote>();
  #queue: StreamEvent[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #error: Error | undefined;
  /** Ends the current connection (socket or HTTP body) and any backoff wait. */
  #abort = new AbortController();
  /** Resolves when the background loop has stopped and its connection is fully closed. */
  readonly finished: Promise<void>;
  readonly #onAbort = () => this.close();

  constructor(opts: TradierStreamOptions) {
    this.#o = opts;
    this.#symbols = [...new Set(opts.symbols)];
    if (opts.signal?.aborted) this.#closed = true;
    opts.signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.finished = this.#closed ? Promise.resolve() : this.#run();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#notify();
    this.#o.onClose?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return {
      next: async (): Promise<IteratorResult<StreamEvent>> => {
        while (true) {
          const event = this.#queue.shift();
          if (event) return { value: event, done: false };
          if (this.#error) throw this.#error;
          if (this.#closed) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      },
      return: (): Promise<IteratorResult<StreamEvent>> => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      let gotPayload = false;
      try {
        const { stream } = await this.#o.http.post(
          "/markets/events/session",
          {},
          sessionResponse,
        );
        if (this.#closed) break;
        const connect = this.#o.transport === "ws" ? this.#connectWs : this.#connectHttp;
        gotPayload = await connect.call(this, stream.sessionid);
      } catch (err) {
        if (this.#closed) break;
        if (isFatal(err)) {
          this.#fail(err as Error);
          break;
        }
      }
      if (this.#closed) break;
      failures = gotPayload ? 1 : failures + 1;
      if (failures > (this.#o.maxConsecutiveFailures ?? 10)) {
        this.#fail(new UpstreamError(`Tradier stream failed ${failures - 1} times in a row`));
        break;
      }
      const base = this.#o.backoffBaseMs ?? 500;
      const cap = this.#o.backoffMaxMs ?? 30_000;
      await this.#sleep(Math.min(cap, base * 2 ** (failures - 1)) * (0.5 + Math.random() / 2));
    }
    this.#o.signal?.removeEventListener("abort", this.#onAbort);
  }

  /** One WebSocket connection; resolves (with "did any payload arrive") when it ends. */
  #connectWs(sessionid: string): Promise<boolean> {
    const abort = this.#abort.signal;
    return new Promise<boolean>((resolve, reject) => {
      let got = false;
      let fatal: Error | undefined;
      const ws = new WebSocket(this.#o.wsUrl);
      const idle = this.#watchdog(() => ws.close());
      const onAbort = () => ws.close();
      abort.addEventListener("abort", onAbort, { once: true });
      ws.onopen = () => {
        ws.send(JSON.stringify({
          symbols: this.#symbols,
          sessionid,
          filter: FILTER,
          linebreak: true,
          validOnly: true,
          advancedDetails: false,
        }));
      };
      ws.onmessage = (e) => {
        idle.reset();
        const { objects } = splitObjects(typeof e.data === "string" ? e.data : "");
        for (const text of objects) {
          const outcome = this.#handle(text);
          if (outcome === "payload") got = true;
          else if (outcome === "renew") ws.close();
          else if (outcome instanceof Error) {
            fatal = outcome;
            ws.close();
          }
        }
      };
      ws.onclose = () => {
        idle.stop();
        abort.removeEventListener("abort", onAbort);
        if (fatal) reject(fatal);
        else resolve(got);
      };
    });
  }

  /** One HTTP streaming response (§5.1, POST form); resolves when the body ends. */
  async #connectHttp(sessionid: string): Promise<boolean> {
    const local = new AbortController();
    const stop = () => local.abort();
    this.#abort.signal.addEventListener("abort", stop, { once: true });
    const idle = this.#watchdog(stop);
    let got = false;
    try {
      const res = await (this.#o.fetch ?? fetch)(this.#o.streamUrl, {
        method: "POST",
        headers: {
          "Authorization": `Bearer ${this.#o.token}`,
          "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          sessionid,
          symbols: this.#symbols.join(","),
          filter: FILTER.join(","),
          linebreak: "true",
        }),
        signal: local.signal,
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new UpstreamError(`Tradier stream answered HTTP ${res.status}`, res.status);
      }
      let buffer = "";
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        idle.reset();
        const split = splitObjects(buffer + chunk);
        buffer = split.rest;
        for (const text of split.objects) {
          const outcome = this.#handle(text);
          if (outcome === "payload") got = true;
          else if (outcome === "renew") local.abort();
          else if (outcome instanceof Error) throw outcome;
        }
        if (local.signal.aborted) break;
      }
    } catch (err) {
      if (isFatal(err)) throw err;
      // A dropped connection or our own abort: the loop decides whether to reconnect.
    } finally {
      idle.stop();
      this.#abort.signal.removeEventListener("abort", stop);
      local.abort();
    }
    return got;
  }

  /** Parses one payload: "payload" (events queued), "noise", "renew", or a fatal error. */
  #handle(text: string): "payload" | "noise" | "renew" | Error {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return "noise";
    }
    if (json && typeof json === "object" && "error" in json) {
      const message = String((json as { error: unknown }).error);
      if (/session/i.test(message)) return "renew";
      const bad = /^(\S+) is not a valid symbol/i.exec(message);
      if (bad) return new UnknownSymbolError(bad[1], `Tradier stream: ${message}`);
      return new UpstreamError(`Tradier stream: ${message}`);
    }
    const parsed = streamPayload.safeParse(json);
    if (!parsed.success) return "noise"; // heartbeats and payload types PaiiD doesn't use
    for (const e of this.#events(parsed.data)) this.#push(e);
    return "payload";
  }

  #events(p: StreamPayload): StreamEvent[] {
    const q = this.#quote(p.symbol);
    const lot = sizeMultiplier(p.symbol);
    switch (p.type) {
      case "quote": {
        if (p.bid !== null) q.bid = p.bid || null;
        if (p.ask !== null) q.ask = p.ask || null;
        if (p.bidsz !== null) q.bidSize = p.bidsz * lot;
        if (p.asksz !== null) q.askSize = p.asksz * lot;
        const at = Math.max(p.biddate ?? 0, p.askdate ?? 0);
        if (at > 0) q.timestamp = new Date(at).toISOString();
        return [{ type: "quote", quote: { ...q } }];
      }
      case "summary": {
        q.open = p.open ?? q.open;
        q.high = p.high ?? q.high;
        q.low = p.low ?? q.low;
        q.prevClose = p.prevClose ?? q.prevClose;
        this.#derive(q);
        return [{ type: "quote", quote: { ...q } }];
      }
      case "trade":
      case "tradex":
        return this.#trade(q, p.price, p.size, p.date, p.cvol);
      case "timesale":
        if (p.cancel || p.correction) return [];
        if (p.bid !== null) q.bid = p.bid || null;
        if (p.ask !== null) q.ask = p.ask || null;
        return this.#trade(q, p.last, p.size, p.date, null);
    }
  }

  #trade(
    q: Quote,
    price: number,
    size: number,
    date: number | null,
    cumulativeVolume: number | null,
  ): StreamEvent[] {
    const timestamp = date ? new Date(date).toISOString() : new Date().toISOString();
    q.last = price;
    q.timestamp = timestamp;
    if (cumulativeVolume !== null) q.volume = cumulativeVolume;
    if (q.high !== null && price > q.high) q.high = price;
    if (q.low !== null && price < q.low) q.low = price;
    this.#derive(q);
    return [
      { type: "trade", symbol: q.symbol, price, size, timestamp, source: SOURCE },
      { type: "quote", quote: { ...q } },
    ];
  }

  #derive(q: Quote): void {
    if (q.last === null || q.prevClose === null || q.prevClose === 0) return;
    q.change = round(q.last - q.prevClose, 4);
    q.changePercent = round((q.last - q.prevClose) / q.prevClose * 100, 2);
  }

  #quote(symbol: string): Quote {
    let q = this.#state.get(symbol);
    if (!q) {
      q = {
        symbol,
        description: null,
        last: null,
        bid: null,
        ask: null,
        bidSize: null,
        askSize: null,
        change: null,
        changePercent: null,
        volume: null,
        open: null,
        high: null,
        low: null,
        prevClose: null,
        timestamp: new Date().toISOString(),
        source: SOURCE,
      };
      this.#state.set(symbol, q);
    }
    return q;
  }

  #push(event: StreamEvent): void {
    if (this.#closed) return;
    this.#queue.push(event);
    const max = this.#o.maxQueue ?? 10_000;
    if (this.#queue.length > max) this.#queue.splice(0, this.#queue.length - max);
    this.#notify();
  }

  #fail(err: Error): void {
    this.#error = err;
    this.#closed = true;
    this.#abort.abort();
    this.#notify();
    this.#o.onClose?.();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #watchdog(onIdle: () => void) {
    const ms = this.#o.idleTimeoutMs ?? 16 * 60_000;
    let timer = setTimeout(onIdle, ms);
    return {
      reset: () => {
        clearTimeout(timer);
        timer = setTimeout(onIdle, ms);
      },
      stop: () => clearTimeout(timer),
    };
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", done);
        resolve();
      }, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

function isFatal(err: unknown): boolean {
  return err instanceof UnknownSymbolError ||
    (err instanceof UpstreamError && (err.status === 401 || err.status === 400));
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * Splits text into complete top-level JSON objects, whether separated by newlines
 * (`linebreak=true`) or simply concatenated (§5.1); an incomplete tail is returned as `rest`.
 */
export function splitObjects(text: string): { objects: string[]; rest: string } {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  let consumed = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        objects.push(text.slice(start, i + 1));
        consumed = i + 1;
      }
    }
  }
  return { objects, rest: depth > 0 ? text.slice(start) : text.slice(consumed).trim() };
}
