/**
 * Daily bars for indicators that must not look ahead: the days completed before the quote's
 * day (the replayed day in replay), about `days` calendar days back. Today's daily bar would
 * hold a close that has not happened yet.
 */
import type { Bars, MarketData, Quote } from "./types.ts";

const DAY_MS = 86_400_000;

export function completedDailyBars(
  market: MarketData,
  quote: Pick<Quote, "symbol" | "replayDate" | "timestamp">,
  days: number,
): Promise<Bars> {
  const day = Date.parse(quote.replayDate ?? quote.timestamp.slice(0, 10));
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return market.bars(quote.symbol, {
    interval: "daily",
    start: date(day - days * DAY_MS),
    end: date(day - DAY_MS),
  });
}
