/**
 * The replay's market calendar: a month of days, open where the shipped history traded, with
 * regular hours. Days outside the shipped history say so instead of guessing.
 *
 * @module
 */
import { hhmm, msDate, weekday } from "../exchange_time.ts";
import type { CalendarDay, MarketCalendar } from "../types.ts";
import { CLOSE, OPEN, POSTMARKET_END, PREMARKET_START } from "./clock.ts";
import type { ReplayContext } from "./context.ts";
import { stampOf } from "./session.ts";

/** Trading days as a test: true/false inside the shipped history, undefined outside it. */
export async function tradedDays(
  ctx: ReplayContext,
): Promise<(date: string) => boolean | undefined> {
  const rc = await ctx.replayClock();
  const traded = new Set(rc.days);
  const first = rc.days[0];
  const last = rc.days.at(-1)!;
  return (d) => d >= first && d <= last ? traded.has(d) : undefined;
}

/** The calendar of `month`/`year` (default: the replayed day's month). */
export async function replayCalendar(
  ctx: ReplayContext,
  month?: number,
  year?: number,
): Promise<MarketCalendar> {
  const pos = await ctx.position();
  const isTraded = await tradedDays(ctx);
  const y = year ?? +pos.date.slice(0, 4);
  const m = month ?? +pos.date.slice(5, 7);
  const days: CalendarDay[] = [];
  for (let d = Date.UTC(y, m - 1, 1); new Date(d).getUTCMonth() === m - 1; d += 86_400_000) {
    const date = msDate(d);
    const traded = isTraded(date);
    const open = traded === true;
    days.push({
      date,
      status: open ? "open" : "closed",
      open: open ? hhmm(OPEN) : null,
      close: open ? hhmm(CLOSE) : null,
      premarket: open ? { start: hhmm(PREMARKET_START), end: hhmm(OPEN) } : null,
      postmarket: open ? { start: hhmm(CLOSE), end: hhmm(POSTMARKET_END) } : null,
      description: traded === undefined
        ? "outside the shipped history"
        : open
        ? null
        : weekday(date) % 6 === 0
        ? "weekend"
        : "market holiday",
    });
  }
  return { month: m, year: y, days, source: "replay", timestamp: stampOf(pos) };
}
