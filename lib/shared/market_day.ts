/**
 * Exchange days as the trading screens need them: where "today" starts in New York (Today's
 * orders lists orders created since then) and which day a replayed quote belongs to.
 */
import { marketDate } from "./format.ts";

/** Minutes New York's wall clock is ahead of UTC at `instant` (−300 in winter, −240 in summer). */
function nyOffsetMinutes(instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** Midnight in New York of the exchange day `now` falls on, as an ISO instant (UTC). */
export function startOfMarketDay(now: Date = new Date()): string {
  const day = marketDate(now.toISOString());
  if (!day) throw new Error("startOfMarketDay: invalid date");
  const [y, m, d] = day.split("-").map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Clocks change at 02:00, so the offset five hours after UTC midnight is midnight's offset.
  const offset = nyOffsetMinutes(utcMidnight + 5 * 3_600_000);
  return new Date(utcMidnight - offset * 60_000).toISOString();
}

/** The REPLAY badge's date for replayed prices: the quote's replay day, else its NY date. */
export function replayDay(quote: { timestamp: string; replayDate?: string } | null): string | null {
  if (!quote) return null;
  return quote.replayDate ?? marketDate(quote.timestamp);
}
