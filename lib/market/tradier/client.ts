/**
 * MarketData from Tradier's REST market-data endpoints. Everything it
 * returns is labelled `source: "tradier"`.
 *
 * Unknown symbols: Tradier answers 200 either way — quotes list them under `unmatched_symbols`
 * (Tradier unmatched symbols), other endpoints answer `null` (Tradier empty results), which could
 * also just mean "no data in that range". So an empty result is checked against the quotes endpoint
 * once, and only a symbol that Tradier doesn't know becomes an UnknownSymbolError; a known one gets
 * an empty list.
 *
 * @module
 */
import type {
  Bar,
  BarInterval,
  Bars,
  BarsQuery,
  CompanyInfo,
  MarketCalendar,
  MarketClock,
  MarketData,
  OptionChain,
  OptionContract,
  OptionExpirations,
  Quote,
  QuoteStream,
  SymbolMatch,
  SymbolSearch,
  TimeSales,
} from "../types.ts";
import { UnknownSymbolError } from "../types.ts";
import { TradierHttp, type TradierHttpOptions } from "./http.ts";
import { exchangeName, toMatchType, toOption, toQuote } from "./map.ts";
import {
  calendarResponse,
  chainResponse,
  clockResponse,
  expirationsResponse,
  historyResponse,
  quotesResponse,
  securitiesResponse,
  timesalesResponse,
} from "./schemas.ts";
import { TradierStreamMux, type TradierStreamOptions } from "./stream.ts";
import { easternToIso, toEastern } from "./time.ts";
import { nyTime } from "../exchange_time.ts";
import { dateSession } from "../session.ts";

export interface TradierClientOptions extends TradierHttpOptions {
  /** HTTP stream URL; default `https://stream.tradier.com/v1/markets/events`. */
  streamUrl?: string;
  /** WebSocket URL; default `wss://ws.tradier.com/v1/markets/events`. */
  wsUrl?: string;
  /** Which streaming transport to use; default the WebSocket. */
  streamTransport?: "ws" | "http";
  /** Quote lists longer than this go by POST (Tradier takes long lists by POST). Default 50. */
  quotesPostAbove?: number;
  /** Stream tuning (reconnect backoff, idle watchdog); mostly for tests. */
  stream?: Partial<
    Pick<
      TradierStreamOptions,
      "backoffBaseMs" | "backoffMaxMs" | "idleTimeoutMs" | "maxConsecutiveFailures"
    >
  >;
}

export const DEFAULT_STREAM_URL = "https://stream.tradier.com/v1/markets/events";
export const DEFAULT_WS_URL = "wss://ws.tradier.com/v1/markets/events";

const INTRADAY: Partial<Record<BarInterval, "1min" | "5min" | "15min">> = {
  "1min": "1min",
  "5min": "5min",
  "15min": "15min",
};

export class TradierMarketData implements MarketData {
  readonly source = "tradier" as const;
  readonly #http: TradierHttp;
  readonly #opts: TradierClientOptions;
  /** All of this client's streams share one session and connection (Tradier allows one per user). */
  readonly #mux: TradierStreamMux;

  constructor(opts: TradierClientOptions) {
    this.#opts = opts;
    this.#http = new TradierHttp(opts);
    this.#mux = new TradierStreamMux({
      transport: opts.streamTransport ?? "ws",
      streamUrl: opts.streamUrl ?? DEFAULT_STREAM_URL,
      wsUrl: opts.wsUrl ?? DEFAULT_WS_URL,
      token: opts.token,
      http: this.#http,
      fetch: opts.fetch,
      ...opts.stream,
    });
  }

  /** Quotes in the order asked; any symbol Tradier doesn't know → UnknownSymbolError. */
  async quotes(symbols: string[]): Promise<Quote[]> {
    const wanted = [...new Set(symbols)];
    if (wanted.length === 0) return [];
    const params = { symbols: wanted.join(","), greeks: "false" };
    const body = wanted.length > (this.#opts.quotesPostAbove ?? 50)
      ? await this.#http.post("/markets/quotes", params, quotesResponse)
      : await this.#http.get("/markets/quotes", params, quotesResponse);
    const unmatched = body.quotes?.unmatched_symbols?.symbol ?? [];
    const rows = body.quotes?.quote ?? [];
    const missing = [
      ...unmatched,
      ...wanted.filter((s) => !unmatched.includes(s) && !rows.some((q) => q.symbol === s)),
    ];
    if (missing.length > 0) {
      throw new UnknownSymbolError(
        missing[0],
        `Tradier doesn't know ${missing.length === 1 ? "symbol" : "symbols"} ${
          missing.join(", ")
        }.`,
      );
    }
    const now = new Date().toISOString();
    const bySymbol = new Map(rows.map((q) => [q.symbol, toQuote(q, now)]));
    return wanted.map((s) => bySymbol.get(s)!);
  }

  async bars(symbol: string, query: BarsQuery): Promise<Bars> {
    const intraday = INTRADAY[query.interval];
    const bars = intraday
      ? await this.#intradayBars(symbol, intraday, query)
      : await this.#historyBars(symbol, query);
    if (bars.length === 0) await this.#assertKnown(symbol);
    return {
      symbol,
      interval: query.interval,
      bars,
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  async #historyBars(symbol: string, query: BarsQuery): Promise<Bar[]> {
    const body = await this.#http.get("/markets/history", {
      symbol,
      interval: query.interval,
      start: query.start,
      end: query.end,
    }, historyResponse);
    const bars: Bar[] = [];
    for (const d of body.history?.day ?? []) {
      if (d.open === null || d.high === null || d.low === null || d.close === null) continue;
      bars.push({
        time: d.date,
        open: d.open,
        high: d.high,
        low: d.low,
        close: d.close,
        volume: d.volume ?? 0,
      });
    }
    return bars;
  }

  async #intradayBars(
    symbol: string,
    interval: "1min" | "5min" | "15min",
    query: BarsQuery,
  ): Promise<Bar[]> {
    const rows = await this.#series(symbol, interval, query.start, query.end);
    const bars: Bar[] = [];
    for (const r of rows) {
      const time = rowTime(r);
      const open = r.open ?? r.price;
      const close = r.close ?? r.price;
      if (!time || open === null || close === null) continue;
      bars.push({
        time,
        open,
        high: r.high ?? Math.max(open, close),
        low: r.low ?? Math.min(open, close),
        close,
        volume: r.volume ?? 0,
      });
    }
    return bars;
  }

  /** `start`/`end` may be dates, `YYYY-MM-DD HH:MM` Eastern, or ISO instants. */
  async #series(symbol: string, interval: string, start?: string, end?: string) {
    const body = await this.#http.get("/markets/timesales", {
      symbol,
      interval,
      start: start === undefined ? undefined : easternParam(start, "00:00"),
      end: end === undefined ? undefined : easternParam(end, "23:59"),
      session_filter: "all",
    }, timesalesResponse);
    return body.series?.data ?? [];
  }

  async timeSales(
    symbol: string,
    opts: { interval?: "tick" | "1min" | "5min" | "15min"; start?: string; end?: string } = {},
  ): Promise<TimeSales> {
    const rows = await this.#series(symbol, opts.interval ?? "tick", opts.start, opts.end);
    const sales = [];
    for (const r of rows) {
      const time = rowTime(r);
      if (!time || r.price === null) continue;
      sales.push({ time, price: r.price, size: r.volume ?? 0 });
    }
    if (sales.length === 0) await this.#assertKnown(symbol);
    return { symbol, sales, source: "tradier", timestamp: new Date().toISOString() };
  }

  /**
   * Tradier's market clock gives only the next change as `HH:MM` Eastern, so `nextOpen` is known
   * while in premarket and `nextClose` while open; otherwise they are null rather than guessed.
   */
  async clock(): Promise<MarketClock> {
    const { clock: c } = await this.#http.get("/markets/clock", {}, clockResponse);
    const nextChange = c.next_change ? easternToIso(c.date, c.next_change) : null;
    const nextClose = c.state === "open" ? nextChange : null;
    return {
      state: c.state,
      date: c.date,
      session: dateSession(c.date),
      nextCloseSession: nextClose ? dateSession(nyTime(Date.parse(nextClose)).date) : null,
      nextOpen: c.next_state === "open" ? nextChange : null,
      nextClose,
      description: c.description,
      source: "tradier",
      timestamp: new Date(c.timestamp * 1000).toISOString(),
    };
  }

  async calendar(month?: number, year?: number): Promise<MarketCalendar> {
    const body = await this.#http.get("/markets/calendar", {
      month: month === undefined ? undefined : String(month).padStart(2, "0"),
      year,
    }, calendarResponse);
    const cal = body.calendar;
    return {
      month: cal.month,
      year: cal.year,
      days: (cal.days?.day ?? []).map((d) => ({
        date: d.date,
        status: d.status,
        open: d.status === "open" ? d.open?.start ?? null : null,
        close: d.status === "open" ? d.open?.end ?? null : null,
        premarket: d.premarket ?? null,
        postmarket: d.postmarket ?? null,
        description: d.description,
      })),
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  /**
   * Ticker matches (Tradier's symbol lookup) first, then company-name matches (its company
   * search).
   */
  async search(query: string): Promise<SymbolSearch> {
    const results = await Promise.allSettled([
      this.#http.get("/markets/lookup", { q: query }, securitiesResponse),
      this.#http.get("/markets/search", { q: query, indexes: "true" }, securitiesResponse),
    ]);
    const [byTicker, byName] = results.map((r) => {
      if (r.status === "rejected") throw r.reason;
      return r.value;
    });
    const matches = new Map<string, SymbolMatch>();
    for (
      const s of [...byTicker.securities?.security ?? [], ...byName.securities?.security ?? []]
    ) {
      if (matches.has(s.symbol)) continue;
      matches.set(s.symbol, {
        symbol: s.symbol,
        name: s.description ?? s.symbol,
        exchange: exchangeName(s.exchange),
        type: toMatchType(s.type),
      });
    }
    return {
      query,
      matches: [...matches.values()],
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  /**
   * Name and listing exchange from the lookup endpoint (the quote's `exch` is where the last
   * trade printed, not the listing). Tradier's market-data API has no sector or industry (only
   * its beta fundamentals API does, outside this contract), so both are null.
   */
  async company(symbol: string): Promise<CompanyInfo> {
    const found = await this.#http.get("/markets/lookup", { q: symbol }, securitiesResponse);
    const hit = found.securities?.security?.find((s) => s.symbol === symbol);
    let name = hit?.description ?? null;
    let exchange = exchangeName(hit?.exchange ?? null);
    if (!hit) {
      const [q] = await this.quotes([symbol]); // UnknownSymbolError when Tradier has no such symbol
      name = q.description;
      exchange = null;
    }
    return {
      symbol,
      name: name ?? symbol,
      exchange,
      sector: null,
      industry: null,
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  async expirations(symbol: string): Promise<OptionExpirations> {
    const body = await this.#http.get(
      "/markets/options/expirations",
      { symbol },
      expirationsResponse,
    );
    const e = body.expirations;
    const dates = !e ? [] : "date" in e ? e.date : e.expiration.map((x) => x.date);
    if (dates.length === 0) await this.#assertKnown(symbol);
    return {
      symbol,
      expirations: [...new Set(dates)].sort(),
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  /** The chain with Greeks; the underlying's quote supplies its price and existence. */
  async chain(symbol: string, expiration: string): Promise<OptionChain> {
    // allSettled, so a failing half never leaves the other request running unobserved.
    const [chainResult, quoteResult] = await Promise.allSettled([
      this.#http.get("/markets/options/chains", {
        symbol,
        expiration,
        greeks: "true",
      }, chainResponse),
      this.quotes([symbol]),
    ]);
    if (quoteResult.status === "rejected") throw quoteResult.reason;
    if (chainResult.status === "rejected") throw chainResult.reason;
    const body = chainResult.value;
    const [underlying] = quoteResult.value;
    const options = (body.options?.option ?? [])
      .map((q) => toOption(q, symbol))
      .filter((o): o is OptionContract => o !== null)
      .sort((a, b) => a.strike - b.strike || (a.type === b.type ? 0 : a.type === "call" ? -1 : 1));
    return {
      symbol,
      expiration,
      underlyingPrice: underlying.last,
      options,
      source: "tradier",
      timestamp: new Date().toISOString(),
    };
  }

  /**
   * Live events for `symbols`. Concurrent streams share one Tradier session and connection,
   * subscribed to the union of their symbols; each stream gets only its own symbols' events.
   */
  stream(symbols: string[], signal?: AbortSignal): QuoteStream {
    return this.#mux.open(symbols, signal);
  }

  /** Closes every open stream (waiting for the shared connection to finish) and pending waits. */
  async close(): Promise<void> {
    await this.#mux.close();
    this.#http.close();
  }

  /** Throws UnknownSymbolError when Tradier doesn't know `symbol`. */
  async #assertKnown(symbol: string): Promise<void> {
    await this.quotes([symbol]);
  }
}

/** Time of a time & sales row: the epoch-seconds `timestamp`, else the naive Eastern `time`. */
function rowTime(r: { time: string; timestamp: number | null }): string | null {
  return r.timestamp ? new Date(r.timestamp * 1000).toISOString() : easternToIso(r.time);
}

/** A date, an Eastern `YYYY-MM-DD HH:MM`, or an ISO instant → Tradier's `YYYY-MM-DD HH:MM` ET. */
function easternParam(value: string, timeForDate: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} ${timeForDate}`;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value)) return value;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return value;
  const et = toEastern(ms);
  return `${et.date} ${et.time}`;
}
