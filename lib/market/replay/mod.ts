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
 * @module
 */
import {
  type Bar,
  type Bars,
  type BarsQuery,
  type CalendarDay,
  type CompanyInfo,
  type MarketCalendar,
  type MarketClock,
  type MarketData,
  type OptionChain,
  type OptionExpirations,
  type Quote,
  type QuoteStream,
  type SymbolMatch,
  type SymbolSearch,
  type TimeSale,
  type TimeSales,
  UnknownSymbolError,
} from "../types.ts";
import {
  CLOSE,
  OPEN,
  POSTMARKET_END,
  PREMARKET_START,
  ReplayClock,
  type ReplayPosition,
  SESSION_SECONDS,
} from "./clock.ts";
import { barOf, type DailySeries, History, normalizeSymbol, type SymbolInfo } from "./history.ts";
import {
  intradayBars,
  seedOf,
  simulateDay,
  type SimulatedDay,
  spreadAt,
  stats,
  volumeThrough,
} from "./intraday.ts";
import {
  dividendYield,
  historicalVolatility,
  isMonthly,
  listExpirations,
  priceChain,
  yearsBetween,
} from "./options.ts";
import { ReplayStream } from "./stream.ts";
import { addDays, hhmm, msDate, nyInstant, weekday } from "../exchange_time.ts";

export { ReplayClock } from "./clock.ts";
export { normalizeSymbol } from "./history.ts";

/** First replayed day unless `REPLAY_START` says otherwise. */
export const DEFAULT_REPLAY_START = "2020-01-02";
/**
 * Real date whose first weekday replays the start day, unless configured (`REPLAY_EPOCH`, or
 * `replayEpochFromKv` for "the day this installation first ran").
 */
export const DEFAULT_REPLAY_EPOCH = "2026-11-02";
/** Simulated days kept in memory (one per symbol and date, ~200 KB each). */
const DAY_CACHE = 256;
/** Intraday bars and time and sales reach at most this many trading days back. */
export const MAX_INTRADAY_DAYS = 5;

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

const iso = (ms: number) => new Date(ms).toISOString();
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Session second the replay has reached: -1 before the open, the last second after it. */
function sessionSecond(pos: ReplayPosition): number {
  if (pos.seconds < OPEN) return -1;
  return Math.min(SESSION_SECONDS - 1, Math.floor(pos.seconds - OPEN));
}

/** Parses a time-and-sales bound: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (New York) or an instant. */
function parseBound(value: string | undefined, isEnd: boolean): number | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (m) {
    if (m[2] === undefined) return nyInstant(m[1], isEnd ? 86_399 : 0);
    return nyInstant(m[1], +m[2] * 3600 + +m[3] * 60 + +(m[4] ?? 0));
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a date or time: ${value}`);
  return ms;
}

/** Creates the replay implementation of `MarketData`. Throws RangeError for a bad option. */
export function createReplayMarketData(opts: ReplayOptions = {}): ReplayMarketData {
  const history = new History(opts.dataDir);
  const now = opts.now ?? Date.now;
  const speed = opts.speed ?? 1;
  const start = opts.start ?? DEFAULT_REPLAY_START;
  const epoch = opts.epoch ?? DEFAULT_REPLAY_EPOCH;
  const weekends = opts.weekends ?? false;
  // Validate what can be checked without the data now, the rest on first use.
  new ReplayClock({ days: ["9999-12-31"], start, speed, epoch, weekends });
  let clockP: Promise<ReplayClock> | undefined;
  const replayClock = () =>
    clockP ??= history.tradingDays().then((days) =>
      new ReplayClock({ days, start, speed, epoch, weekends })
    );
  const days = new Map<string, SimulatedDay>();
  const streams = new Set<ReplayStream>();

  function info(symbol: string): SymbolInfo {
    const i = history.resolve(symbol);
    if (!i) {
      throw new UnknownSymbolError(
        normalizeSymbol(symbol),
        `No replay history for ${normalizeSymbol(symbol)}.`,
      );
    }
    return i;
  }

  function simulated(symbol: string, s: DailySeries, row: number): SimulatedDay {
    const key = `${symbol}|${s.dates[row]}`;
    let day = days.get(key);
    if (day) {
      days.delete(key); // re-insert: Map order is the LRU order
    } else {
      day = simulateDay(symbol, barOf(s, row));
      if (days.size >= DAY_CACHE) days.delete(days.keys().next().value!);
    }
    days.set(key, day);
    return day;
  }

  async function position(): Promise<ReplayPosition> {
    return (await replayClock()).at(now());
  }

  /** The symbol's series and its row on the replay day (throws before its first day). */
  async function load(symbol: string, pos: ReplayPosition) {
    const i = info(symbol);
    const series = await history.series(i.symbol);
    const row = series.row.get(pos.date);
    if (row === undefined) {
      throw new UnknownSymbolError(
        i.symbol,
        `No replay history for ${i.symbol} on the replay day ${pos.date}.`,
      );
    }
    return { info: i, series, row };
  }

  function quoteAt(i: SymbolInfo, series: DailySeries, row: number, pos: ReplayPosition): Quote {
    const prevClose = row > 0 ? series.close[row - 1] : null;
    const s = sessionSecond(pos);
    const bar = barOf(series, row);
    const seed = seedOf(i.symbol, bar.date);
    let last: number;
    let ohlcv: { open: number; high: number; low: number; volume: number } | null = null;
    let at: number;
    if (s < 0) {
      last = prevClose ?? bar.open;
      at = row > 0 ? nyInstant(series.dates[row - 1], CLOSE - 1) : nyInstant(bar.date, OPEN);
    } else {
      const day = simulated(i.symbol, series, row);
      const st = s === SESSION_SECONDS - 1 ? { ...bar, volume: day.cumMinute[390] } : stats(
        day,
        0,
        s,
      );
      last = day.prices[s];
      ohlcv = st;
      at = nyInstant(bar.date, OPEN + s);
    }
    const change = prevClose === null ? null : round4(last - prevClose);
    const book = i.type === "stock" ? spreadAt(bar, seed, Math.max(0, s), last) : null;
    return {
      symbol: i.symbol,
      description: i.name,
      last,
      bid: book?.bid ?? null,
      ask: book?.ask ?? null,
      bidSize: book?.bidSize ?? null,
      askSize: book?.askSize ?? null,
      change,
      changePercent: prevClose === null || change === null
        ? null
        : round2(100 * change / prevClose),
      volume: i.hasVolume ? (ohlcv?.volume ?? 0) : null,
      open: ohlcv?.open ?? null,
      high: ohlcv?.high ?? null,
      low: ohlcv?.low ?? null,
      prevClose,
      timestamp: iso(at),
      source: "replay",
      replayDate: pos.date,
    };
  }

  async function quotes(symbols: string[]): Promise<Quote[]> {
    const pos = await position();
    for (const s of symbols) info(s); // unknown symbols fail before any work
    return await Promise.all(symbols.map(async (symbol) => {
      const { info: i, series, row } = await load(symbol, pos);
      return quoteAt(i, series, row, pos);
    }));
  }

  /** Real daily bars through the replay day (its bar partial while the session runs). */
  function dailyThrough(i: SymbolInfo, series: DailySeries, pos: ReplayPosition): Bar[] {
    const out: Bar[] = [];
    for (let r = 0; r < series.dates.length && series.dates[r] < pos.date; r++) {
      out.push({
        time: series.dates[r],
        open: series.open[r],
        high: series.high[r],
        low: series.low[r],
        close: series.close[r],
        volume: i.hasVolume ? series.volume[r] : 0,
      });
    }
    const row = series.row.get(pos.date);
    const s = sessionSecond(pos);
    if (row !== undefined && s >= 0) {
      const day = simulated(i.symbol, series, row);
      const st = stats(day, 0, s);
      out.push({ time: pos.date, ...st, volume: i.hasVolume ? st.volume : 0 });
    }
    return out;
  }

  function aggregate(daily: Bar[], key: (date: string) => string): Bar[] {
    const out: Bar[] = [];
    let k = "";
    for (const b of daily) {
      const kb = key(b.time);
      const cur = out.at(-1);
      if (cur && kb === k) {
        cur.high = Math.max(cur.high, b.high);
        cur.low = Math.min(cur.low, b.low);
        cur.close = b.close;
        cur.volume += b.volume;
      } else {
        out.push({ ...b });
        k = kb;
      }
    }
    return out;
  }

  /** Trading days of `series` in [from, to] (clipped to the replay day), the last `max`. */
  function intradayDays(series: DailySeries, pos: ReplayPosition, from: string, to: string) {
    const end = to < pos.date ? to : pos.date;
    return series.dates.filter((d) => d >= from && d <= end).slice(-MAX_INTRADAY_DAYS);
  }

  /** Session seconds of `date` visible at `pos`: all of a past day, up to now on the replay day. */
  function visibleThrough(date: string, pos: ReplayPosition): number {
    return date < pos.date ? SESSION_SECONDS - 1 : sessionSecond(pos);
  }

  async function bars(symbol: string, q: BarsQuery): Promise<Bars> {
    const pos = await position();
    const i = info(symbol);
    const series = await history.series(i.symbol);
    if (!(series.dates[0] <= pos.date)) {
      throw new UnknownSymbolError(
        i.symbol,
        `No replay history for ${i.symbol} before ${pos.date}.`,
      );
    }
    const stamp = iso(nyInstant(pos.date, Math.min(pos.seconds, 86_399)));
    const result = (bars: Bar[]): Bars => ({
      symbol: i.symbol,
      interval: q.interval,
      bars,
      source: "replay",
      timestamp: stamp,
    });
    if (q.interval === "1min" || q.interval === "5min" || q.interval === "15min") {
      const minutes = q.interval === "1min" ? 1 : q.interval === "5min" ? 5 : 15;
      const out: Bar[] = [];
      for (const date of intradayDays(series, pos, q.start ?? pos.date, q.end ?? pos.date)) {
        const through = visibleThrough(date, pos);
        if (through < 0) continue;
        const day = simulated(i.symbol, series, series.row.get(date)!);
        for (const b of intradayBars(day, minutes, through)) {
          const { second, ...ohlcv } = b;
          out.push({ time: iso(nyInstant(date, OPEN + second)), ...ohlcv });
        }
      }
      return result(out);
    }
    const lookback = q.interval === "daily" ? 365 : q.interval === "weekly" ? 5 * 365 : 20 * 365;
    const from = q.start ?? addDays(pos.date, -lookback);
    const to = q.end ?? pos.date;
    const daily = dailyThrough(i, series, pos).filter((b) => b.time >= from && b.time <= to);
    if (q.interval === "daily") return result(daily);
    if (q.interval === "weekly") {
      // Monday of the bar's week: weeks never straddle a year boundary wrongly this way.
      return result(aggregate(daily, (d) => addDays(d, -((weekday(d) + 6) % 7))));
    }
    return result(aggregate(daily, (d) => d.slice(0, 7)));
  }

  async function timeSales(
    symbol: string,
    o: { interval?: "tick" | "1min" | "5min" | "15min"; start?: string; end?: string } = {},
  ): Promise<TimeSales> {
    const pos = await position();
    const i = info(symbol);
    const series = await history.series(i.symbol);
    const from = parseBound(o.start, false) ?? nyInstant(pos.date, 0);
    const to = parseBound(o.end, true) ?? nyInstant(pos.date, 86_399);
    const sales: TimeSale[] = [];
    const interval = o.interval ?? "tick";
    for (
      const date of intradayDays(series, pos, msDate(from - 86_400_000), msDate(to + 86_400_000))
    ) {
      const through = visibleThrough(date, pos);
      if (through < 0) continue;
      const day = simulated(i.symbol, series, series.row.get(date)!);
      if (interval === "tick") {
        for (let s = 0; s <= through; s++) {
          const t = nyInstant(date, OPEN + s);
          if (t < from || t > to) continue;
          const size = volumeThrough(day, s) - volumeThrough(day, s - 1);
          if (size > 0 || !day.hasVolume) sales.push({ time: iso(t), price: day.prices[s], size });
        }
      } else {
        const minutes = interval === "1min" ? 1 : interval === "5min" ? 5 : 15;
        for (const b of intradayBars(day, minutes, through)) {
          const t = nyInstant(date, OPEN + b.second);
          if (t >= from && t <= to) sales.push({ time: iso(t), price: b.close, size: b.volume });
        }
      }
    }
    return {
      symbol: i.symbol,
      sales,
      source: "replay",
      timestamp: iso(nyInstant(pos.date, Math.min(pos.seconds, 86_399))),
    };
  }

  async function clock(): Promise<MarketClock> {
    const rc = await replayClock();
    const pos = rc.at(now());
    const next = rc.days[pos.index + 1] ?? rc.days[rc.startIndex];
    const nextOpen = pos.seconds < OPEN ? nyInstant(pos.date, OPEN) : nyInstant(next, OPEN);
    const nextClose = pos.seconds < CLOSE ? nyInstant(pos.date, CLOSE) : nyInstant(next, CLOSE);
    // Counted across wraps, so it keeps increasing when the replayed date jumps back.
    const session = pos.cycle * rc.cycleLength + pos.index - rc.startIndex;
    const words = {
      open: "the market is open",
      premarket: "pre-market trading",
      postmarket: "after-hours trading",
      closed: "the market is closed",
    } as const;
    return {
      state: pos.state,
      date: pos.date,
      session,
      nextCloseSession: pos.seconds < CLOSE ? session : session + 1,
      nextOpen: iso(nextOpen),
      nextClose: iso(nextClose),
      description: `Replay of ${pos.date} at ${hhmm(pos.seconds)} New York: ${words[pos.state]}` +
        " (simulated session inside the real day)",
      source: "replay",
      timestamp: iso(nyInstant(pos.date, pos.seconds)),
      replayDate: pos.date,
    };
  }

  async function calendar(month?: number, year?: number): Promise<MarketCalendar> {
    const rc = await replayClock();
    const pos = rc.at(now());
    const y = year ?? +pos.date.slice(0, 4);
    const m = month ?? +pos.date.slice(5, 7);
    const traded = new Set(rc.days);
    const first = rc.days[0];
    const lastDay = rc.days.at(-1)!;
    const out: CalendarDay[] = [];
    const startMs = Date.UTC(y, m - 1, 1);
    for (let d = startMs; new Date(d).getUTCMonth() === m - 1; d += 86_400_000) {
      const date = msDate(d);
      const known = date >= first && date <= lastDay;
      const open = traded.has(date);
      out.push({
        date,
        status: open ? "open" : "closed",
        open: open ? hhmm(OPEN) : null,
        close: open ? hhmm(CLOSE) : null,
        premarket: open ? { start: hhmm(PREMARKET_START), end: hhmm(OPEN) } : null,
        postmarket: open ? { start: hhmm(CLOSE), end: hhmm(POSTMARKET_END) } : null,
        description: known
          ? (open ? null : weekday(date) % 6 === 0 ? "weekend" : "market holiday")
          : "outside the shipped history",
      });
    }
    return {
      month: m,
      year: y,
      days: out,
      source: "replay",
      timestamp: iso(nyInstant(pos.date, pos.seconds)),
    };
  }

  async function search(query: string): Promise<SymbolSearch> {
    const pos = await position();
    const q = query.trim().toUpperCase();
    const n = normalizeSymbol(q);
    const scored: { score: number; m: SymbolMatch }[] = [];
    if (q) {
      for (const i of history.list()) {
        const name = i.name.toUpperCase();
        const score = i.symbol === n
          ? 0
          : i.symbol.startsWith(q)
          ? 1
          : name.startsWith(q)
          ? 2
          : name.split(/[^A-Z0-9]+/).some((w) => w.startsWith(q))
          ? 3
          : name.includes(q)
          ? 4
          : -1;
        if (score >= 0) {
          scored.push({
            score,
            m: { symbol: i.symbol, name: i.name, exchange: null, type: i.type },
          });
        }
      }
    }
    scored.sort((a, b) => a.score - b.score || a.m.symbol.localeCompare(b.m.symbol));
    return {
      query,
      matches: scored.slice(0, 25).map((s) => s.m),
      source: "replay",
      timestamp: iso(nyInstant(pos.date, pos.seconds)),
    };
  }

  async function company(symbol: string): Promise<CompanyInfo> {
    const pos = await position();
    const i = info(symbol);
    return {
      symbol: i.symbol,
      name: i.name,
      exchange: null,
      sector: i.sector,
      industry: i.industry,
      source: "replay",
      timestamp: iso(nyInstant(pos.date, pos.seconds)),
    };
  }

  /** Expirations listed on the replay day (none for VIX: its options settle on futures). */
  async function listed(i: SymbolInfo, pos: ReplayPosition): Promise<string[]> {
    if (i.symbol === "VIX") return [];
    const rc = await replayClock();
    const traded = new Set(rc.days);
    const first = rc.days[0];
    const lastDay = rc.days.at(-1)!;
    return listExpirations(
      pos.date,
      pos.seconds < CLOSE,
      (d) => d >= first && d <= lastDay ? traded.has(d) : undefined,
    );
  }

  async function expirations(symbol: string): Promise<OptionExpirations> {
    const pos = await position();
    const { info: i } = await load(symbol, pos);
    return {
      symbol: i.symbol,
      expirations: await listed(i, pos),
      source: "replay",
      timestamp: iso(nyInstant(pos.date, pos.seconds)),
    };
  }

  async function chain(symbol: string, expiration: string): Promise<OptionChain> {
    const pos = await position();
    const { info: i, series, row } = await load(symbol, pos);
    if (!(await listed(i, pos)).includes(expiration)) {
      throw new UnknownSymbolError(
        i.symbol,
        `No ${i.symbol} options expire on ${expiration} in the replay of ${pos.date}.`,
      );
    }
    const quote = quoteAt(i, series, row, pos);
    const spot = quote.last!;
    // Volatility and yield from completed days only: the replay day's own close is the future.
    const done = Math.max(0, row - 1);
    const nowMs = nyInstant(pos.date, pos.seconds);
    const root = i.symbol.replace(".", "");
    const options = priceChain({
      underlying: i.symbol,
      root: i.symbol === "SPX" && !isMonthly(expiration) ? "SPXW" : root,
      expiration,
      spot,
      years: yearsBetween(nowMs, nyInstant(expiration, CLOSE)),
      volatility: historicalVolatility(series, done),
      dividendYield: dividendYield(series, done),
    });
    return {
      symbol: i.symbol,
      expiration,
      underlyingPrice: spot,
      options,
      source: "replay",
      timestamp: iso(nowMs),
    };
  }

  const md: ReplayMarketData = {
    source: "replay",
    position,
    quotes,
    bars,
    timeSales,
    clock,
    calendar,
    search,
    company,
    expirations,
    chain,
    stream(symbols: string[], signal?: AbortSignal): QuoteStream {
      const names = [...new Set(symbols.map((s) => info(s).symbol))];
      const stream = new ReplayStream({
        symbols: names,
        intervalMs: opts.streamIntervalMs ?? Math.max(250, 1000 / speed),
        isOpen: async () => (await position()).state === "open",
        quote: async (symbol) => (await quotes([symbol]))[0],
        onClose: (s) => streams.delete(s),
        signal,
      });
      streams.add(stream);
      return stream;
    },
    close(): Promise<void> {
      for (const s of [...streams]) s.close();
      days.clear();
      return Promise.resolve();
    },
  };
  return md;
}
