/**
 * Replay: the default `MarketData`, built from the shipped real daily history (`data/market/`).
 *
 * ```ts
 * const md = createReplayMarketData();                 // REPLAY_START 2020-01-02, speed 1
 * const [q] = await md.quotes(["AAPL"]);               // q.source === "replay", q.replayDate
 * ```
 *
 * - The present maps onto a historical trading day through `ReplayClock` (see clock.ts).
 * - Daily bars are the real ones up to the replay day; the replay day's bar is built from the
 *   simulated session so far (nothing after the replayed moment is ever returned).
 * - Intraday bars, time and sales and quotes come from the seeded simulation of the day
 *   (intraday.ts), which stays inside the real open/high/low/close and volume.
 * - Option chains are priced with Black-Scholes-Merton (options.ts).
 * - Symbols without shipped history, or without history on the replay day (before an IPO),
 *   throw `UnknownSymbolError`: replay never invents a price.
 *
 * This file only composes the reads; each lives in its own module on a shared `ReplayContext`
 * (context.ts): quotes.ts, bars.ts, time_sales.ts, market_clock.ts, calendar.ts, search.ts
 * (search and company), option_chain.ts, and stream.ts for the quote stream.
 *
 * @module
 */
import type { MarketData, QuoteStream } from "../types.ts";
import { replayBars } from "./bars.ts";
import { replayCalendar } from "./calendar.ts";
import type { ReplayPosition } from "./clock.ts";
import { createReplayContext } from "./context.ts";
import { replayMarketClock } from "./market_clock.ts";
import { replayChain, replayExpirations } from "./option_chain.ts";
import { replayQuotes } from "./quotes.ts";
import { replayCompany, replaySearch } from "./search.ts";
import { replayTimeSales } from "./time_sales.ts";
import { ReplayStream } from "./stream.ts";

export { ReplayClock } from "./clock.ts";
export { normalizeSymbol } from "./history.ts";
export { MAX_INTRADAY_DAYS } from "./session.ts";

/** First replayed day unless `REPLAY_START` says otherwise. */
export const DEFAULT_REPLAY_START = "2020-01-02";
/** Real date whose first weekday replays the start day, unless `REPLAY_EPOCH` says otherwise. */
export const DEFAULT_REPLAY_EPOCH = "2026-11-02";

export interface ReplayOptions {
  /** Directory holding `universe.csv` and the gzipped price files. */
  dataDir?: URL;
  /** `YYYY-MM-DD`; default `DEFAULT_REPLAY_START`. */
  start?: string;
  /** Historical trading days per real weekday; default 1. */
  speed?: number;
  /** Real `YYYY-MM-DD` date of replay day 0; default `DEFAULT_REPLAY_EPOCH`. */
  epoch?: string;
  /** Advance on real weekends too (see ReplayClock); default false. */
  weekends?: boolean;
  /** The real clock (epoch ms); injectable for tests. */
  now?: () => number;
  /** Real milliseconds between stream updates; default max(250, 1000 / speed). */
  streamIntervalMs?: number;
}

/** Replay's `MarketData`, plus where the replay stands. */
export interface ReplayMarketData extends MarketData {
  readonly source: "replay";
  /** The replay position now. */
  position(): Promise<ReplayPosition>;
}

/** Creates the replay implementation of `MarketData`. Throws RangeError for a bad option. */
export function createReplayMarketData(opts: ReplayOptions = {}): ReplayMarketData {
  const speed = opts.speed ?? 1;
  const ctx = createReplayContext({
    dataDir: opts.dataDir,
    start: opts.start ?? DEFAULT_REPLAY_START,
    speed,
    epoch: opts.epoch ?? DEFAULT_REPLAY_EPOCH,
    weekends: opts.weekends ?? false,
    now: opts.now ?? Date.now,
  });
  const streams = new Set<ReplayStream>();
  const quotes = (symbols: string[]) => replayQuotes(ctx, symbols);

  return {
    source: "replay",
    position: ctx.position,
    quotes,
    bars: (symbol, q) => replayBars(ctx, symbol, q),
    timeSales: (symbol, q) => replayTimeSales(ctx, symbol, q),
    clock: () => replayMarketClock(ctx),
    calendar: (month, year) => replayCalendar(ctx, month, year),
    search: (query) => replaySearch(ctx, query),
    company: (symbol) => replayCompany(ctx, symbol),
    expirations: (symbol) => replayExpirations(ctx, symbol),
    chain: (symbol, expiration) => replayChain(ctx, symbol, expiration),
    stream(symbols: string[], signal?: AbortSignal): QuoteStream {
      const names = [...new Set(symbols.map((s) => ctx.info(s).symbol))];
      const stream = new ReplayStream({
        symbols: names,
        intervalMs: opts.streamIntervalMs ?? Math.max(250, 1000 / speed),
        isOpen: async () => (await ctx.position()).state === "open",
        quote: async (symbol) => (await quotes([symbol]))[0],
        onClose: (s) => streams.delete(s),
        signal,
      });
      streams.add(stream);
      return stream;
    },
    close(): Promise<void> {
      for (const s of [...streams]) s.close();
      ctx.clear();
      return Promise.resolve();
    },
  };
}
