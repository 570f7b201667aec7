/**
 * The positions screen's arithmetic: a position re-marked at a live price, and the account
 * moved by what re-marking moved (the totals themselves are lib/broker/totals.ts).
 */
import { portfolioTotals } from "../broker/totals.ts";
import type { Account, Position } from "../broker/types.ts";
import { finite } from "../shared/money.ts";

/** A position re-marked at `last` (the stream's price); unchanged without one. */
export function remark(position: Position, last: number | null | undefined): Position {
  if (!finite(last) || last <= 0) return position;
  const marketValue = round2(position.qty * last);
  const unrealizedPl = round2(marketValue - position.costBasis);
  const prev = position.lastdayPrice;
  return {
    ...position,
    currentPrice: last,
    marketValue,
    unrealizedPl,
    unrealizedPlPercent: position.costBasis !== 0
      ? unrealizedPl / Math.abs(position.costBasis)
      : null,
    changeToday: finite(prev) && prev > 0 ? last / prev - 1 : position.changeToday,
    dayPl: finite(prev) && prev > 0 ? round2(position.qty * (last - prev)) : position.dayPl,
  };
}

/**
 * The account with live prices: equity and day P&L move by what the positions' re-marking
 * moved them; cash and buying power stay as the broker reported them.
 */
export function liveAccount(
  account: Account,
  served: readonly Position[],
  live: readonly Position[],
): Account {
  const before = portfolioTotals(served);
  const after = portfolioTotals(live);
  return {
    ...account,
    equity: round2(account.equity + after.marketValue - before.marketValue),
    dayPl: round2(account.dayPl + after.dayPl - before.dayPl),
    unrealizedPl: round2(account.unrealizedPl + after.unrealizedPl - before.unrealizedPl),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
