/**
 * Replay time and sales: every simulated trade second (`tick`) or minute bars as prints, from
 * the sessions of the last few trading days, never past the replayed moment.
 *
 * @module
 */
import { addDays, msDate, nyInstant } from "../exchange_time.ts";
import { nyMidnight } from "../../shared/ny_time.ts";
import type { TimeSale, TimeSales } from "../types.ts";
import { OPEN } from "./clock.ts";
import type { ReplayContext } from "./context.ts";
import { intradayBars, volumeThrough } from "./intraday.ts";
import { intradayDays, iso, stampOf, visibleThrough } from "./session.ts";

export interface TimeSalesQuery {
  interval?: "tick" | "1min" | "5min" | "15min";
  start?: string;
  end?: string;
}

/** The last whole second of `date` in New York (a 23- or 25-hour day included). */
const endOfNyDay = (date: string) => nyMidnight(addDays(date, 1)) - 1000;

/** Parses a time-and-sales bound: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (New York) or an instant. */
export function parseBound(value: string | undefined, isEnd: boolean): number | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (m) {
    if (m[2] === undefined) return isEnd ? endOfNyDay(m[1]) : nyMidnight(m[1]);
    return nyInstant(m[1], +m[2] * 3600 + +m[3] * 60 + +(m[4] ?? 0));
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a date or time: ${value}`);
  return ms;
}

/** Time and sales of `symbol` between the query's bounds (default: the replay day). */
export async function replayTimeSales(
  ctx: ReplayContext,
  symbol: string,
  o: TimeSalesQuery = {},
): Promise<TimeSales> {
  const pos = await ctx.position();
  const i = ctx.info(symbol);
  const series = await ctx.history.series(i.symbol);
  const from = parseBound(o.start, false) ?? nyMidnight(pos.date);
  const to = parseBound(o.end, true) ?? endOfNyDay(pos.date);
  const sales: TimeSale[] = [];
  const interval = o.interval ?? "tick";
  // A day either side of the bounds: New York dates and UTC instants can differ by one.
  const days = intradayDays(series, pos, msDate(from - 86_400_000), msDate(to + 86_400_000));
  for (const date of days) {
    const through = visibleThrough(date, pos);
    if (through < 0) continue;
    const day = ctx.simulated(i.symbol, series, series.row.get(date)!);
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
    intraday: "simulated",
    timestamp: stampOf(pos),
  };
}
