/**
 * Exchange days as the trading screens need them: where "today" starts in New York (Today's
 * orders lists orders created since then) and which day a replayed quote belongs to.
 */
import { marketDate } from "./format_time.ts";
import { startOfNyDay } from "./ny_time.ts";

/** Midnight in New York of the exchange day `now` falls on, as an ISO instant (UTC). */
export function startOfMarketDay(now: Date = new Date()): string {
  return startOfNyDay(now).toISOString();
}

/** The REPLAY badge's date for replayed prices: the quote's replay day, else its NY date. */
export function replayDay(quote: { timestamp: string; replayDate?: string } | null): string | null {
  if (!quote) return null;
  return quote.replayDate ?? marketDate(quote.timestamp);
}
