/**
 * Tradier market streaming (a streaming session, then an HTTP or WebSocket stream) for one client:
 * every `open(symbols)` shares ONE streaming session and ONE upstream connection, because Tradier
 * allows only one streaming session per user at a time — a second session would end the first.
 *
 * - The connection subscribes to the union of all open streams' symbols. Opening or closing a
 *   stream re-sends the subscription payload on the open WebSocket (Tradier WebSocket streaming);
 *   the HTTP stream (Tradier HTTP streaming) can't change its symbols, so it is replaced by a new
 *   session and connection instead.
 * - Payloads are routed to each QuoteStream for its own symbols; the connection closes when the
 *   last stream closes and is opened again by the next `open`.
 * - Every (re)connection takes a fresh session: a session id is only valid for 5 minutes before
 *   it is used, so an old one can't be trusted after a drop.
 * - A dropped connection, a session error frame or an idle watchdog (Tradier closes streams
 *   after ~15 quiet minutes and documents no market heartbeat) all lead to a reconnect
 *   with exponential backoff and jitter; after `maxConsecutiveFailures` attempts without a
 *   single payload every stream ends with an UpstreamError, as does a 401. An invalid-symbol
 *   frame ends only the streams that asked for that symbol; the others are re-subscribed.
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
import { backoffDelay } from "../../shared/backoff.ts";
import type { TradierHttp } from "./http.ts";
import { sizeMultiplier } from "./map.ts";
import { sessionResponse, type StreamPayload, streamPayload } from "./schemas.ts";

export interface TradierStreamOptions {
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
  /** Per stream. Default 10 000. */
  maxQueue?: number;
}

const SOURCE: MarketSource = "tradier";
const FILTER = ["quote", "trade", "summary"];

/** One consumer's view of the shared connection: its symbols' events, queued. */
export class TradierQuoteStream implements QuoteStream {
  readonly symbols: ReadonlySet<string>;
  readonly #maxQueue: number;
  readonly #signal: AbortSignal | undefined;
  readonly #onClose: (s: TradierQuoteStream) => void;
  #queue: StreamEvent[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #error: Error | undefined;
  readonly #onAbort = () => this.close();

  constructor(
    symbols: string[],
    signal: AbortSignal | undefined,
    maxQueue: number,
    onClose: (s: TradierQuoteStream) => void,
  ) {
    this.symbols = new Set(symbols);
    this.#maxQueue = maxQueue;
    this.#signal = signal;
    this.#onClose = onClose;
    if (signal?.aborted) this.#closed = true;
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#end(undefined);
  }

  /** Ends the stream with `err`, thrown to the consumer once queued events are read. */
  fail(err: Error): void {
    this.#end(err);
  }

  push(event: StreamEvent): void {
    if (this.#closed) return;
    this.#queue.push(event);
    if (this.#queue.length > this.#maxQueue) {
      this.#queue.splice(0, this.#queue.length - this.#maxQueue);
    }
    this.#notify();
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

  #end(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = err;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#notify();
    this.#onClose(this);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** What one payload text led to. Invalid-symbol errors are handled in place ("ignored"). */
type Outcome = "payload" | "ignored" | "renew" | Error;

/** The single streaming session + connection shared by all of one client's streams. */
export class TradierStreamMux {
  readonly #o: TradierStreamOptions;
  readonly #streams = new Set<TradierQuoteStream>();
  readonly #state = new Map<string, Quote>();
  /** Ends the current loop: its connection and any backoff wait. */
  #ctl: AbortController | undefined;
  /** The latest background loop; a new one starts only after it has fully closed. */
  #loop: Promise<void> = Promise.resolve();
  /** Set by the live connection: brings its subscription in line with the current union. */
  #resubscribe: (() => void) | undefined;
  /** The HTTP connection was ended on purpose to change symbols: reconnect without backoff. */
  #restart = false;

  constructor(opts: TradierStreamOptions) {
    this.#o = opts;
  }

  /** A stream of `symbols`' events over the shared connection. */
  open(symbols: string[], signal?: AbortSignal): TradierQuoteStream {
    const s = new TradierQuoteStream(
      symbols,
      signal,
      this.#o.maxQueue ?? 10_000,
      (closed) => {
        if (this.#streams.delete(closed)) this.#changed();
      },
    );
    if (s.closed) return s;
    this.#streams.add(s);
    this.#changed();
    return s;
  }

  /** Closes every stream and waits until the upstream connection is fully closed. */
  async close(): Promise<void> {
    for (const s of [...this.#streams]) s.close();
    await this.#loop;
  }

  /** The union of the open streams' symbols, sorted so it can be compared. */
  #symbols(): string[] {
    const all = new Set<string>();
    for (const s of this.#streams) for (const sym of s.symbols) all.add(sym);
    return [...all].sort();
  }

  #changed(): void {
    const wanted = new Set(this.#symbols());
    for (const sym of [...this.#state.keys()]) if (!wanted.has(sym)) this.#state.delete(sym);
    if (wanted.size === 0) {
      this.#ctl?.abort();
      this.#ctl = undefined;
      return;
    }
    if (!this.#ctl) {
      const ctl = new AbortController();
      this.#ctl = ctl;
      this.#loop = this.#run(ctl.signal, this.#loop);
      return;
    }
    this.#resubscribe?.();
  }

  #failAll(err: Error): void {
    for (const s of [...this.#streams]) s.fail(err);
  }

  async #run(signal: AbortSignal, previous: Promise<void>): Promise<void> {
    // Never overlap two sessions (Tradier allows one per user): the old one must be gone first.
    await previous;
    let failures = 0;
    while (!signal.aborted) {
      let gotPayload = false;
      this.#restart = false;
      try {
        const { stream } = await this.#o.http.post(
          "/markets/events/session",
          {},
          sessionResponse,
        );
        if (signal.aborted) break;
        const connect = this.#o.transport === "ws" ? this.#connectWs : this.#connectHttp;
        gotPayload = await connect.call(this, stream.sessionid, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isFatal(err)) {
          this.#failAll(err as Error);
          break;
        }
      }
      if (signal.aborted) break;
      if (this.#restart) {
        if (gotPayload) failures = 0;
        continue;
      }
      failures = gotPayload ? 1 : failures + 1;
      if (failures > (this.#o.maxConsecutiveFailures ?? 10)) {
        this.#failAll(new UpstreamError(`Tradier stream failed ${failures - 1} times in a row`));
        break;
      }
      const wait = backoffDelay(failures, {
        baseMs: this.#o.backoffBaseMs ?? 500,
        maxMs: this.#o.backoffMaxMs ?? 30_000,
        jitter: "equal",
      });
      await sleep(wait, signal);
    }
  }

  /** One WebSocket connection; resolves (with "did any payload arrive") when it ends. */
  #connectWs(sessionid: string, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let got = false;
      let sent = "";
      const ws = new WebSocket(this.#o.wsUrl);
      const idle = this.#watchdog(() => ws.close());
      const onAbort = () => ws.close();
      signal.addEventListener("abort", onAbort, { once: true });
      // On a WebSocket, a new payload with the same session id replaces the subscription.
      const subscribe = () => {
        const symbols = this.#symbols();
        const key = symbols.join(",");
        if (key === sent || symbols.length === 0 || ws.readyState !== WebSocket.OPEN) return;
        sent = key;
        ws.send(JSON.stringify({
          symbols,
          sessionid,
          filter: FILTER,
          linebreak: true,
          validOnly: true,
          advancedDetails: false,
        }));
      };
      ws.onopen = () => {
        this.#resubscribe = subscribe;
        subscribe();
      };
      ws.onmessage = (e) => {
        idle.reset();
        const { objects } = splitObjects(typeof e.data === "string" ? e.data : "");
        for (const text of objects) {
          const outcome = this.#handle(text);
          if (outcome === "payload") got = true;
          else if (outcome === "renew" || outcome instanceof Error) ws.close();
        }
      };
      ws.onclose = () => {
        idle.stop();
        signal.removeEventListener("abort", onAbort);
        if (this.#resubscribe === subscribe) this.#resubscribe = undefined;
        resolve(got);
      };
    });
  }

  /** One HTTP streaming response (POST form); resolves when the body ends. */
  async #connectHttp(sessionid: string, signal: AbortSignal): Promise<boolean> {
    const local = new AbortController();
    const stop = () => local.abort();
    signal.addEventListener("abort", stop, { once: true });
    const idle = this.#watchdog(stop);
    const symbols = this.#symbols();
    const key = symbols.join(",");
    // An HTTP stream's symbols are fixed by its request: changing them takes a new connection.
    const resubscribe = () => {
      if (this.#symbols().join(",") === key) return;
      this.#restart = true;
      local.abort();
    };
    this.#resubscribe = resubscribe;
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
          symbols: key,
          filter: FILTER.join(","),
          linebreak: "true",
        }),
        signal: local.signal,
      });
      if (!res.ok) {
        // The body may name the problem (an expired session, an invalid symbol).
        const outcome = this.#handle(await res.text());
        if (outcome === "renew" || outcome === "ignored") return got;
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
          else if (outcome === "renew" || outcome instanceof Error) local.abort();
        }
        if (local.signal.aborted) break;
      }
    } catch (err) {
      if (isFatal(err)) throw err;
      // A dropped connection or our own abort: the loop decides whether to reconnect.
    } finally {
      idle.stop();
      signal.removeEventListener("abort", stop);
      if (this.#resubscribe === resubscribe) this.#resubscribe = undefined;
      local.abort();
    }
    return got;
  }

  /** Parses one payload and routes its events to the streams that asked for its symbol. */
  #handle(text: string): Outcome {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return "ignored";
    }
    if (json && typeof json === "object" && "error" in json) {
      const message = String((json as { error: unknown }).error);
      if (/session/i.test(message)) return "renew";
      const bad = /^(\S+) is not a valid symbol/i.exec(message);
      const asked = bad ? [...this.#streams].filter((s) => s.symbols.has(bad[1])) : [];
      if (asked.length === 0) return new UpstreamError(`Tradier stream: ${message}`);
      // Only the streams that asked for it end; closing them re-subscribes the rest.
      const err = new UnknownSymbolError(bad![1], `Tradier stream: ${message}`);
      for (const s of asked) s.fail(err);
      return "ignored";
    }
    const parsed = streamPayload.safeParse(json);
    if (!parsed.success) return "ignored"; // heartbeats and payload types PaiiD doesn't use
    const symbol = parsed.data.symbol;
    const targets = [...this.#streams].filter((s) => s.symbols.has(symbol));
    // A late payload for a symbol nobody wants any more is dropped, not merged.
    if (targets.length === 0) return "payload";
    for (const e of this.#events(parsed.data)) for (const s of targets) s.push(e);
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
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
 * (`linebreak=true`) or simply concatenated (Tradier HTTP streaming); an incomplete tail is
 * returned as `rest`.
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
