/**
 * The offline News feed: market events (events.ts) for a set of symbols over the last trading
 * days completed before the replayed day, read through the `MarketData` seam, so nothing after
 * the replayed day can be seen (its own bar is not complete yet).
 */
import type { Bar, MarketData } from "../market/types.ts";
import { UnknownSymbolError } from "../market/types.ts";
import { eventsBetween, type MarketEvent, type SeriesKind } from "./events.ts";

export const SP500 = "SPX";
export const VIX = "VIX";

/** Calendar days of history fetched per symbol: 252 trading days plus room for the window. */
const HISTORY_DAYS = 420;
const DAY_MS = 86_400_000;
/** Longest window of trading days a feed covers. */
export const MAX_WINDOW_DAYS = 60;

/** What the prices around an event say, for its templated summary. */
export interface EventContext {
  /** The S&P 500's close-to-close return that day, in %. */
  sp500Percent: number | null;
  /** The symbol's own close-to-close return that day, in %. */
  returnPercent: number | null;
  /** From the event day's close to the last completed close, in % (null on the last day). */
  sincePercent: number | null;
  /** The last completed close `sincePercent` runs to. */
  sinceDate: string | null;
}

export type ContextualEvent = MarketEvent & { context: EventContext; summary: string };

export interface EventsFeed {
  /** The replayed day the feed is for. */
  asOf: string;
  /** First and last trading day whose events are listed (the last is the day before `asOf`). */
  from: string | null;
  through: string | null;
  events: ContextualEvent[];
  /** Symbols with no history to judge (e.g. not listed yet on that day). */
  skipped: string[];
  source: "derived from prices";
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Memo of daily bars per (symbol, last day): the history of a past day never changes. */
export class BarsMemo {
  readonly #cache = new Map<string, Promise<Bar[]>>();
  constructor(readonly market: MarketData, readonly limit = 400) {}

  /** Bars through `end`, enough for every rule over the longest window the API allows. */
  get(symbol: string, end: string): Promise<Bar[]> {
    const key = `${symbol}|${end}`;
    let p = this.#cache.get(key);
    if (!p) {
      const start = isoDay(Date.parse(end) - (HISTORY_DAYS + MAX_WINDOW_DAYS * 2) * DAY_MS);
      p = this.market.bars(symbol, { interval: "daily", start, end }).then((b) => b.bars);
      p.catch(() => this.#cache.delete(key));
      if (this.#cache.size >= this.limit) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(key, p);
    }
    return p;
  }
}

/**
 * Events of `symbols` (plus the S&P 500 and the VIX when `market` is set) during the last `days`
 * trading days before `asOf`, newest first.
 */
export async function eventsFeed(
  memo: BarsMemo,
  input: { asOf: string; days: number; symbols: string[]; market: boolean },
): Promise<EventsFeed> {
  const end = isoDay(Date.parse(input.asOf) - DAY_MS);
  const index = await memo.get(SP500, end);
  const window = index.filter((b) => b.time < input.asOf).slice(-input.days);
  const from = window[0]?.time ?? null;
  const through = window.at(-1)?.time ?? null;
  const feed: EventsFeed = {
    asOf: input.asOf,
    from,
    through,
    events: [],
    skipped: [],
    source: "derived from prices",
  };
  if (!from || !through) return feed;
  const series: [string, SeriesKind][] = [
    ...(input.market ? [[SP500, "sp500"], [VIX, "vix"]] as [string, SeriesKind][] : []),
    ...input.symbols.filter((s) => s !== SP500 && s !== VIX).map((s) =>
      [s, "stock"] as [string, SeriesKind]
    ),
  ];
  const results = await Promise.all(series.map(async ([symbol, kind]) => {
    try {
      // Belt and braces: a source that returned a later bar must not leak it.
      const bars = (await memo.get(symbol, end)).filter((b) => b.time < input.asOf);
      const spx = index.filter((b) => b.time < input.asOf);
      return eventsBetween(symbol, kind, bars, from, through).map((e) => withContext(e, bars, spx));
    } catch (err) {
      if (err instanceof UnknownSymbolError) {
        feed.skipped.push(symbol);
        return [];
      }
      throw err;
    }
  }));
  feed.events = results.flat().sort((a, b) =>
    b.date.localeCompare(a.date) || a.symbol.localeCompare(b.symbol) || a.kind.localeCompare(b.kind)
  );
  return feed;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function dayReturn(bars: Bar[], date: string): number | null {
  const t = bars.findIndex((b) => b.time === date);
  return t > 0 ? round2((bars[t].close / bars[t - 1].close - 1) * 100) : null;
}

const signed = (v: number) => `${v > 0 ? "+" : ""}${v.toFixed(2)} %`;

/**
 * The event's price context and a summary templated from it (no model, no invented facts):
 * the day's move beside the S&P 500's, and what the price did from then to the last close.
 */
export function withContext(e: MarketEvent, bars: Bar[], spx: Bar[]): ContextualEvent {
  const returnPercent = dayReturn(bars, e.date);
  const sp500Percent = dayReturn(spx, e.date);
  const t = bars.findIndex((b) => b.time === e.date);
  const last = bars.at(-1);
  const sincePercent = t >= 0 && last && last.time > e.date
    ? round2((last.close / bars[t].close - 1) * 100)
    : null;
  const context = {
    sp500Percent,
    returnPercent,
    sincePercent,
    sinceDate: sincePercent === null ? null : last!.time,
  };
  const parts: string[] = [];
  if (e.symbol === SP500 || e.symbol === VIX) {
    if (returnPercent !== null) {
      parts.push(
        `The ${e.symbol === VIX ? "VIX" : "index"} closed ${signed(returnPercent)} on the day.`,
      );
    }
  } else if (returnPercent !== null && sp500Percent !== null) {
    const excess = round2(returnPercent - sp500Percent);
    parts.push(
      `${e.symbol} closed ${signed(returnPercent)} on the day against ${
        signed(sp500Percent)
      } for the S&P 500 ` +
        `(${signed(excess)} relative): ${
          Math.abs(excess) < 1
            ? "mostly the market's move"
            : excess > 0
            ? "stronger than the market"
            : "weaker than the market"
        }.`,
    );
  }
  if (sincePercent !== null) {
    parts.push(
      `From that close to the last one (${context.sinceDate}) it moved ${signed(sincePercent)}.`,
    );
  }
  return { ...e, context, summary: parts.join(" ") };
}
