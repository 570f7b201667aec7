/**
 * Replay quotes: the last price, the day's open/high/low and volume so far, and a seeded book
 * (bid/ask and sizes) from the simulated session of the replay day. Before the open a quote
 * stands at the previous close. Every quote is labelled `intraday: "simulated"`: even then its
 * book is.
 *
 * @module
 */
import { nyInstant } from "../exchange_time.ts";
import type { Quote } from "../types.ts";
import { CLOSE, OPEN, type ReplayPosition, SESSION_SECONDS } from "./clock.ts";
import type { LoadedSymbol, ReplayContext } from "./context.ts";
import { barOf } from "./history.ts";
import { seedOf, spreadAt, stats } from "./intraday.ts";
import { iso, sessionSecond } from "./session.ts";

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The quote of a loaded symbol at replay position `pos`. */
export function quoteAt(
  ctx: ReplayContext,
  { info: i, series, row }: LoadedSymbol,
  pos: ReplayPosition,
): Quote {
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
    const day = ctx.simulated(i.symbol, series, row);
    // After the close the day's real bar is the truth; its volume is the simulated total.
    ohlcv = s === SESSION_SECONDS - 1 ? { ...bar, volume: day.cumMinute[390] } : stats(day, 0, s);
    last = day.prices[s];
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
    changePercent: prevClose === null || change === null ? null : round2(100 * change / prevClose),
    volume: i.hasVolume ? (ohlcv?.volume ?? 0) : null,
    open: ohlcv?.open ?? null,
    high: ohlcv?.high ?? null,
    low: ohlcv?.low ?? null,
    prevClose,
    timestamp: iso(at),
    source: "replay",
    intraday: "simulated",
    replayDate: pos.date,
  };
}

/** Quotes for `symbols` now; an unknown symbol fails the whole call before any work. */
export async function replayQuotes(ctx: ReplayContext, symbols: string[]): Promise<Quote[]> {
  const pos = await ctx.position();
  for (const s of symbols) ctx.info(s);
  return await Promise.all(
    symbols.map(async (symbol) => quoteAt(ctx, await ctx.load(symbol, pos), pos)),
  );
}
