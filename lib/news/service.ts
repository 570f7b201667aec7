/**
 * What the News endpoints answer, composed from the seams: the user's symbols (positions,
 * watchlist or the whole shipped universe), the events derived from prices as of the replayed
 * day, Alpaca news scored by the sentiment model when Alpaca keys are set, and what an event's
 * move would mean for the user's own position.
 */
import type { Services } from "../services.ts";
import type { Position } from "../broker/types.ts";
import type { MarketData } from "../market/types.ts";
import { History } from "../market/replay/history.ts";
import { replayDay } from "../shared/market_day.ts";
import { getDefaultWatchlist } from "../watchlists/repo.ts";
import { loadModel } from "../ml/sentiment/model.ts";
import type { SentimentLabel } from "../ml/sentiment/dataset.ts";
import { BarsMemo, eventsFeed, SP500 } from "./feed.ts";
import type { EventKind, MarketEvent } from "./events.ts";
import { AlpacaNews, type NewsItem, type NewsSource } from "./source.ts";

export type Scope = "all" | "positions" | "watchlist";

export interface FeedQuery {
  scope: Scope;
  symbol?: string;
  kind?: EventKind;
  sentiment?: SentimentLabel;
  days: number;
}

/** What an event's move would mean for the position the user holds now. */
export interface PositionImpact {
  qty: number;
  side: "long" | "short";
  marketValue: number | null;
  /** The event's move (in %) applied to today's market value, in USD; null for no-move events. */
  sameMoveUsd: number | null;
  movePercent: number | null;
}

const memos = new WeakMap<MarketData, BarsMemo>();
let universe: string[] | undefined;

function memoFor(market: MarketData): BarsMemo {
  let m = memos.get(market);
  if (!m) memos.set(market, m = new BarsMemo(market));
  return m;
}

/** Every shipped stock, for the "everything" scope. */
export function shippedStocks(): string[] {
  universe ??= new History().list().filter((s) => s.type === "stock").map((s) => s.symbol).sort();
  return universe;
}

/** The symbols a scope covers for this user. */
export async function scopeSymbols(
  services: Pick<Services, "db" | "broker">,
  userId: number,
  scope: Scope,
  positions: Position[],
): Promise<string[]> {
  if (scope === "positions") return [...new Set(positions.map((p) => p.symbol))].sort();
  if (scope === "watchlist") {
    return (await getDefaultWatchlist(services.db, userId))?.symbols ?? [];
  }
  return shippedStocks();
}

/** The move in % an event stands for, when it is a price move. */
function eventMove(e: MarketEvent): number | null {
  if (e.kind === "gap") return e.numbers.gapPercent;
  if (e.kind === "big_move") return e.numbers.returnPercent;
  return null;
}

export function positionImpact(e: MarketEvent, p: Position | undefined): PositionImpact | null {
  if (!p) return null;
  const move = eventMove(e);
  return {
    qty: p.qty,
    side: p.side,
    marketValue: p.marketValue,
    movePercent: move,
    // A signed market value makes a short gain when the price falls.
    sameMoveUsd: move === null || p.marketValue === null
      ? null
      : Math.round(p.marketValue * move) / 100,
  };
}

/** The replayed day (or the market's own date when prices are live). */
export async function asOfDay(market: MarketData): Promise<string> {
  const [quote] = await market.quotes([SP500]);
  return replayDay(quote)!;
}

export async function eventsForUser(services: Services, userId: number, q: FeedQuery) {
  const positions = await services.broker.positions(userId);
  const symbols = q.symbol ? [q.symbol] : await scopeSymbols(services, userId, q.scope, positions);
  const asOf = await asOfDay(services.market);
  const feed = await eventsFeed(memoFor(services.market), {
    asOf,
    days: q.days,
    symbols,
    market: !q.symbol,
  });
  const bySymbol = new Map(positions.map((p) => [p.symbol, p]));
  const events = feed.events
    .filter((e) => !q.kind || e.kind === q.kind)
    .map((e) => ({ ...e, position: positionImpact(e, bySymbol.get(e.symbol)) }));
  return { ...feed, scope: q.scope, symbols, events };
}

/** A news item with the model's reading of its headline (and summary, when there is one). */
export interface ScoredNewsItem extends NewsItem {
  sentiment: { label: SentimentLabel; confidence: number; scores: Record<SentimentLabel, number> };
}

export interface SymbolSentimentDay {
  date: string;
  bullish: number;
  bearish: number;
  neutral: number;
  /** (bullish - bearish) / items, in [-1, 1]. */
  net: number;
}

/** Per symbol, per day (UTC date of publication): the model's labels counted. */
export function sentimentOverTime(items: ScoredNewsItem[]): Record<string, SymbolSentimentDay[]> {
  const out = new Map<string, Map<string, SymbolSentimentDay>>();
  for (const item of items) {
    const date = item.createdAt.slice(0, 10);
    for (const symbol of item.symbols) {
      let days = out.get(symbol);
      if (!days) out.set(symbol, days = new Map());
      let d = days.get(date);
      if (!d) days.set(date, d = { date, bullish: 0, bearish: 0, neutral: 0, net: 0 });
      d[item.sentiment.label]++;
    }
  }
  const result: Record<string, SymbolSentimentDay[]> = {};
  for (const [symbol, days] of [...out].sort(([a], [b]) => a.localeCompare(b))) {
    result[symbol] = [...days.values()].sort((a, b) => a.date.localeCompare(b.date)).map((d) => ({
      ...d,
      net: Math.round(((d.bullish - d.bearish) / (d.bullish + d.bearish + d.neutral)) * 1000) /
        1000,
    }));
  }
  return result;
}

/** Alpaca news for `symbols` over the last `days` calendar days, each scored by the model. */
export async function scoredNews(
  source: NewsSource,
  input: { symbols: string[]; days: number; now: Date; sentiment?: SentimentLabel; limit?: number },
) {
  const model = await loadModel();
  const start = new Date(input.now.getTime() - input.days * 86_400_000).toISOString();
  const page = await source.news({
    symbols: input.symbols.length ? input.symbols : undefined,
    start,
    limit: input.limit ?? 100,
  });
  const items: ScoredNewsItem[] = page.items.map((item) => ({
    ...item,
    sentiment: model.predict(item.summary ? `${item.headline}. ${item.summary}` : item.headline),
  }));
  return {
    items: items.filter((i) => !input.sentiment || i.sentiment.label === input.sentiment),
    truncated: page.truncated,
    sentimentOverTime: sentimentOverTime(items),
    model: model.meta.name,
  };
}

const sources = new WeakMap<Services, AlpacaNews>();

/** The Alpaca news source when Alpaca keys are configured, else null (offline). */
export function newsSourceFor(services: Services): NewsSource | null {
  const { config, cache, log } = services;
  if (!config.ALPACA_KEY_ID || !config.ALPACA_SECRET_KEY) return null;
  let s = sources.get(services);
  if (!s) {
    s = new AlpacaNews(
      {
        keyId: config.ALPACA_KEY_ID,
        secretKey: config.ALPACA_SECRET_KEY,
        baseUrl: config.ALPACA_DATA_URL,
        log,
      },
      cache,
    );
    sources.set(services, s);
  }
  return s;
}
