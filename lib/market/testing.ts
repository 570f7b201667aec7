/**
 * Test helpers around a real `MarketData`: a wrapper that counts every call (and every open
 * upstream stream) and can be told to fail, so tests can see what reached the source.
 *
 * @module
 */
import { CLOSE, OPEN } from "./replay/clock.ts";
import { createReplayMarketData, type ReplayMarketData, type ReplayOptions } from "./replay/mod.ts";
import { addDays, nyInstant } from "./exchange_time.ts";
import { dateSession } from "./session.ts";
import {
  type Greeks,
  type MarketClock,
  type MarketData,
  type MarketState,
  type OptionChain,
  type OptionContract,
  type Quote,
  type QuoteStream,
  UnknownSymbolError,
  UpstreamError,
} from "./types.ts";
import { parseOcc } from "../options/occ.ts";
import { underlyingOf } from "../options/underlying.ts";

type Method = Exclude<keyof MarketData, "source">;

/** A New York weekday mid-session (Wed 2026-11-04 10:30 EST): replay's market is open. */
export const OPEN_SESSION_MS = Date.parse("2026-11-04T15:30:00Z");

/** Replay whose real clock starts at `OPEN_SESSION_MS` and then runs with the wall clock. */
export function openReplayForTest(opts: ReplayOptions = {}): MarketData {
  const t0 = Date.now();
  return createReplayMarketData({
    now: () => OPEN_SESSION_MS + (Date.now() - t0),
    streamIntervalMs: 20,
    ...opts,
  });
}

/**
 * Replay at `speed` (default 30: prices move every tick), its real clock set to a moment when
 * the replayed session is open and stays open for at least `minutes` real minutes.
 */
export async function openLiveReplayForTest(
  speed = 30,
  minutes = 5,
  opts: ReplayOptions = {},
): Promise<ReplayMarketData> {
  const base = Date.parse("2026-11-02T05:00:00Z");
  const t0 = Date.now();
  let offset = 0;
  const md = createReplayMarketData({
    speed,
    now: () => base + offset + (Date.now() - t0),
    streamIntervalMs: 20,
    ...opts,
  });
  const need = minutes * 60 * speed;
  for (; offset < 7 * 86_400_000; offset += 15_000) {
    const p = await md.position();
    if (p.state === "open" && p.seconds >= OPEN + 60 && p.seconds + need < CLOSE) return md;
  }
  await md.close();
  throw new Error(`no open replay session of ${minutes} min at speed ${speed}`);
}

/** Wraps `inner`: `calls[method]` counts calls, `openStreams` the streams not yet closed. */
export class CountingMarketData implements MarketData {
  readonly source: MarketData["source"];
  readonly calls: Record<Method, number> = {
    quotes: 0,
    bars: 0,
    timeSales: 0,
    clock: 0,
    calendar: 0,
    search: 0,
    company: 0,
    expirations: 0,
    chain: 0,
    stream: 0,
    close: 0,
  };
  /** Symbols asked for per `stream` call, in order. */
  readonly streamed: string[][] = [];
  openStreams = 0;
  /** While set, every read rejects with an UpstreamError carrying this message. */
  failWith: string | null = null;
  /** Milliseconds each read waits before reaching `inner` (to widen race windows). */
  delayMs = 0;
  readonly #inner: MarketData;

  constructor(inner: MarketData) {
    this.#inner = inner;
    this.source = inner.source;
  }

  async #call<T>(method: Method, run: () => Promise<T>): Promise<T> {
    this.calls[method]++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith !== null) throw new UpstreamError(this.failWith, 503);
    return await run();
  }

  quotes(...a: Parameters<MarketData["quotes"]>) {
    return this.#call("quotes", () => this.#inner.quotes(...a));
  }
  bars(...a: Parameters<MarketData["bars"]>) {
    return this.#call("bars", () => this.#inner.bars(...a));
  }
  timeSales(...a: Parameters<MarketData["timeSales"]>) {
    return this.#call("timeSales", () => this.#inner.timeSales(...a));
  }
  clock() {
    return this.#call("clock", () => this.#inner.clock());
  }
  calendar(...a: Parameters<MarketData["calendar"]>) {
    return this.#call("calendar", () => this.#inner.calendar(...a));
  }
  search(...a: Parameters<MarketData["search"]>) {
    return this.#call("search", () => this.#inner.search(...a));
  }
  company(...a: Parameters<MarketData["company"]>) {
    return this.#call("company", () => this.#inner.company(...a));
  }
  expirations(...a: Parameters<MarketData["expirations"]>) {
    return this.#call("expirations", () => this.#inner.expirations(...a));
  }
  chain(...a: Parameters<MarketData["chain"]>) {
    return this.#call("chain", () => this.#inner.chain(...a));
  }

  stream(symbols: string[], signal?: AbortSignal): QuoteStream {
    this.calls.stream++;
    this.streamed.push([...symbols]);
    const inner = this.#inner.stream(symbols, signal);
    this.openStreams++;
    let open = true;
    const done = () => {
      if (open) (open = false, this.openStreams--);
    };
    signal?.addEventListener("abort", done, { once: true });
    return {
      [Symbol.asyncIterator]: () => {
        const it = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const r = await it.next();
            if (r.done) done();
            return r;
          },
          return: async (value?: unknown) => {
            done();
            return await it.return?.(value) ?? { done: true as const, value: undefined };
          },
        };
      },
      close: () => {
        done();
        inner.close();
      },
    };
  }

  close(): Promise<void> {
    this.calls.close++;
    return this.#inner.close();
  }
}

/**
 * Prices a test sets by hand, for the broker's fill rules: `setQuote` changes a symbol's bid,
 * ask and last (and pushes it to open streams), `setState` opens or closes the session. Every
 * other read comes from an inner replay. Labelled `replay`: it is simulated, never live.
 */
export class ScriptedMarketData implements MarketData {
  readonly source = "replay" as const;
  readonly #inner: MarketData;
  readonly #quotes = new Map<string, Quote>();
  readonly #listeners = new Set<(q: Quote) => void>();
  state: MarketState = "open";
  /** The exchange date the clock reports, and whose close `nextClose` names. */
  date = "2026-11-04";

  constructor(inner: MarketData = openReplayForTest()) {
    this.#inner = inner;
  }

  setQuote(
    symbol: string,
    p: { bid?: number | null; ask?: number | null; last?: number | null; prevClose?: number },
  ): Quote {
    const old = this.#quotes.get(symbol);
    const last = p.last !== undefined ? p.last : old?.last ?? null;
    const q: Quote = {
      symbol,
      description: symbol,
      last,
      bid: p.bid !== undefined ? p.bid : old?.bid ?? last,
      ask: p.ask !== undefined ? p.ask : old?.ask ?? last,
      bidSize: 100,
      askSize: 100,
      change: null,
      changePercent: null,
      volume: 1000,
      open: null,
      high: null,
      low: null,
      prevClose: p.prevClose ?? old?.prevClose ?? last,
      timestamp: new Date().toISOString(),
      source: "replay",
      replayDate: this.date,
    };
    this.#quotes.set(symbol, q);
    for (const l of this.#listeners) l(q);
    return q;
  }

  /**
   * Lists option contract `symbol` (OCC) with this bid and ask: a chain of its underlying and
   * expiration then lists exactly the contracts set here (others are not listed), instead of
   * the inner replay's modelled chain. `null` removes the contract.
   */
  setOption(
    symbol: string,
    p: { bid: number | null; ask: number | null; last?: number | null; greeks?: Greeks } | null,
  ): void {
    const c = parseOcc(symbol);
    if (!c) throw new Error(`not an OCC symbol: ${symbol}`);
    if (p === null) {
      this.#options.delete(c.symbol);
      return;
    }
    this.#options.set(c.symbol, {
      symbol: c.symbol,
      underlying: underlyingOf(c.underlying),
      type: c.type,
      strike: c.strike,
      expiration: c.expiration,
      bid: p.bid,
      ask: p.ask,
      last: p.last ?? null,
      volume: null,
      openInterest: null,
      greeks: p.greeks ?? null,
    });
  }

  readonly #options = new Map<string, OptionContract>();

  /** Daily closes a test sets (`setClose`), served by `bars` ahead of the inner replay. */
  readonly #closes = new Map<string, number>();

  /** The daily bar of `symbol` on `date` closes at `close` (bars for that one day). */
  setClose(symbol: string, date: string, close: number): void {
    this.#closes.set(`${symbol} ${date}`, close);
  }

  setState(state: MarketState, date = this.date): void {
    this.state = state;
    this.date = date;
  }

  quotes(symbols: string[]): Promise<Quote[]> {
    const out: Quote[] = [];
    for (const s of symbols) {
      const q = this.#quotes.get(s);
      if (!q) return Promise.reject(new UnknownSymbolError(s));
      out.push({ ...q });
    }
    return Promise.resolve(out);
  }

  clock(): Promise<MarketClock> {
    const close = new Date(nyInstant(this.date, CLOSE)).toISOString();
    const afterClose = this.state === "postmarket" ||
      (this.state === "closed" && this.#closedAfterClose);
    const nextDay = addDays(this.date, 1);
    return Promise.resolve({
      state: this.state,
      date: this.date,
      session: dateSession(this.date),
      nextCloseSession: dateSession(afterClose ? nextDay : this.date),
      nextOpen: new Date(nyInstant(nextDay, OPEN)).toISOString(),
      nextClose: afterClose ? new Date(nyInstant(nextDay, CLOSE)).toISOString() : close,
      description: `scripted ${this.state}`,
      source: "replay",
      timestamp: new Date().toISOString(),
      replayDate: this.date,
    });
  }

  /** With state "closed": whether it is the night after the session (true) or before it. */
  #closedAfterClose = true;
  closeAfterSession(after: boolean): void {
    this.#closedAfterClose = after;
  }

  bars(...a: Parameters<MarketData["bars"]>) {
    const [symbol, q] = a;
    const close = q.interval === "daily" && q.start && q.start === q.end
      ? this.#closes.get(`${symbol} ${q.start}`)
      : undefined;
    if (close !== undefined) {
      return Promise.resolve({
        symbol,
        interval: q.interval,
        bars: [{ time: q.start!, open: close, high: close, low: close, close, volume: 0 }],
        source: "replay" as const,
        timestamp: new Date().toISOString(),
      });
    }
    return this.#inner.bars(...a);
  }
  timeSales(...a: Parameters<MarketData["timeSales"]>) {
    return this.#inner.timeSales(...a);
  }
  calendar(...a: Parameters<MarketData["calendar"]>) {
    return this.#inner.calendar(...a);
  }
  search(...a: Parameters<MarketData["search"]>) {
    return this.#inner.search(...a);
  }
  company(...a: Parameters<MarketData["company"]>) {
    return this.#inner.company(...a);
  }
  expirations(...a: Parameters<MarketData["expirations"]>) {
    return this.#inner.expirations(...a);
  }
  chain(...a: Parameters<MarketData["chain"]>): Promise<OptionChain> {
    const [symbol, expiration] = a;
    const options = [...this.#options.values()].filter((o) =>
      o.underlying === symbol && o.expiration === expiration
    );
    if (options.length === 0) return this.#inner.chain(...a);
    return Promise.resolve({
      symbol,
      expiration,
      underlyingPrice: this.#quotes.get(symbol)?.last ?? null,
      options: options.map((o) => ({ ...o })).sort((x, y) => x.strike - y.strike),
      source: "replay",
      timestamp: new Date().toISOString(),
    });
  }

  stream(symbols: string[], signal?: AbortSignal): QuoteStream {
    const wanted = new Set(symbols);
    const queue: Quote[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    const listener = (q: Quote) => {
      if (!wanted.has(q.symbol)) return;
      queue.push(q);
      wake?.();
    };
    this.#listeners.add(listener);
    const close = () => {
      closed = true;
      this.#listeners.delete(listener);
      wake?.();
    };
    signal?.addEventListener("abort", close, { once: true });
    return {
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          const q = queue.shift();
          if (q) {
            yield { type: "quote" as const, quote: q };
            continue;
          }
          await new Promise<void>((r) => (wake = r));
          wake = null;
        }
      },
      close,
    };
  }

  close(): Promise<void> {
    for (const l of [...this.#listeners]) this.#listeners.delete(l);
    return this.#inner.close();
  }
}
