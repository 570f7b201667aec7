/**
 * Replay bars. Daily bars are the real ones up to the replay day, whose bar is built from the
 * simulated session so far; weekly and monthly bars aggregate them. Intraday bars (1/5/15 min)
 * come from the simulated sessions of the last few trading days.
 *
 * @module
 */
import { addDays, nyInstant, weekday } from "../exchange_time.ts";
import { type Bar, type Bars, type BarsQuery, UnknownSymbolError } from "../types.ts";
import { OPEN, type ReplayPosition } from "./clock.ts";
import type { ReplayContext } from "./context.ts";
import type { DailySeries, SymbolInfo } from "./history.ts";
import { intradayBars, stats } from "./intraday.ts";
import { intradayDays, iso, sessionSecond, stampOf, visibleThrough } from "./session.ts";

/** Calendar days of daily history returned when the query names no start. */
const LOOKBACK_DAYS = { daily: 365, weekly: 5 * 365, monthly: 20 * 365 } as const;

/** Real daily bars through the replay day (its bar partial while the session runs). */
function dailyThrough(
  ctx: ReplayContext,
  i: SymbolInfo,
  series: DailySeries,
  pos: ReplayPosition,
): Bar[] {
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
    const st = stats(ctx.simulated(i.symbol, series, row), 0, s);
    out.push({ time: pos.date, ...st, volume: i.hasVolume ? st.volume : 0 });
  }
  return out;
}

/** Merges consecutive daily bars that share `key(date)` into one bar. */
export function aggregate(daily: Bar[], key: (date: string) => string): Bar[] {
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

/** Bars of `symbol` for query `q`, never past the replayed moment. */
export async function replayBars(ctx: ReplayContext, symbol: string, q: BarsQuery): Promise<Bars> {
  const pos = await ctx.position();
  const i = ctx.info(symbol);
  const series = await ctx.history.series(i.symbol);
  if (!(series.dates[0] <= pos.date)) {
    throw new UnknownSymbolError(i.symbol, `No replay history for ${i.symbol} before ${pos.date}.`);
  }
  const result = (bars: Bar[], simulated: boolean): Bars => ({
    symbol: i.symbol,
    interval: q.interval,
    bars,
    source: "replay",
    ...(simulated ? { intraday: "simulated" as const } : {}),
    timestamp: stampOf(pos),
  });
  if (q.interval === "1min" || q.interval === "5min" || q.interval === "15min") {
    const minutes = q.interval === "1min" ? 1 : q.interval === "5min" ? 5 : 15;
    const out: Bar[] = [];
    for (const date of intradayDays(series, pos, q.start ?? pos.date, q.end ?? pos.date)) {
      const through = visibleThrough(date, pos);
      if (through < 0) continue;
      const day = ctx.simulated(i.symbol, series, series.row.get(date)!);
      for (const b of intradayBars(day, minutes, through)) {
        const { second, ...ohlcv } = b;
        out.push({ time: iso(nyInstant(date, OPEN + second)), ...ohlcv });
      }
    }
    return result(out, true);
  }
  const from = q.start ?? addDays(pos.date, -LOOKBACK_DAYS[q.interval]);
  const to = q.end ?? pos.date;
  const daily = dailyThrough(ctx, i, series, pos).filter((b) => b.time >= from && b.time <= to);
  // Only the replay day's own bar, while its session runs, comes from the simulation.
  const simulated = daily.at(-1)?.time === pos.date;
  if (q.interval === "daily") return result(daily, simulated);
  if (q.interval === "weekly") {
    // Monday of the bar's week: weeks never straddle a year boundary wrongly this way.
    return result(aggregate(daily, (d) => addDays(d, -((weekday(d) + 6) % 7))), simulated);
  }
  return result(aggregate(daily, (d) => d.slice(0, 7)), simulated);
}
