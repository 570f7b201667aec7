/**
 * Replay options: the expirations listed on the replay day and their chains, priced with
 * Black-Scholes-Merton (options.ts) from the simulated spot and completed days' volatility.
 *
 * @module
 */
import { nyInstant } from "../exchange_time.ts";
import { type OptionChain, type OptionExpirations, UnknownSymbolError } from "../types.ts";
import { CLOSE, type ReplayPosition } from "./clock.ts";
import { tradedDays } from "./calendar.ts";
import type { ReplayContext } from "./context.ts";
import type { SymbolInfo } from "./history.ts";
import {
  dividendYield,
  historicalVolatility,
  isMonthly,
  listExpirations,
  priceChain,
  yearsBetween,
} from "./options.ts";
import { quoteAt } from "./quotes.ts";
import { iso, stampOf } from "./session.ts";

/** Expirations listed on the replay day (none for VIX: its options settle on futures). */
async function listed(ctx: ReplayContext, i: SymbolInfo, pos: ReplayPosition): Promise<string[]> {
  if (i.symbol === "VIX") return [];
  return listExpirations(pos.date, pos.seconds < CLOSE, await tradedDays(ctx));
}

export async function replayExpirations(
  ctx: ReplayContext,
  symbol: string,
): Promise<OptionExpirations> {
  const pos = await ctx.position();
  const { info: i } = await ctx.load(symbol, pos);
  return {
    symbol: i.symbol,
    expirations: await listed(ctx, i, pos),
    source: "replay",
    timestamp: stampOf(pos),
  };
}

/** The chain of `symbol` expiring on `expiration`; unlisted expirations are unknown symbols. */
export async function replayChain(
  ctx: ReplayContext,
  symbol: string,
  expiration: string,
): Promise<OptionChain> {
  const pos = await ctx.position();
  const loaded = await ctx.load(symbol, pos);
  const { info: i, series, row } = loaded;
  if (!(await listed(ctx, i, pos)).includes(expiration)) {
    throw new UnknownSymbolError(
      i.symbol,
      `No ${i.symbol} options expire on ${expiration} in the replay of ${pos.date}.`,
    );
  }
  const spot = quoteAt(ctx, loaded, pos).last!;
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
