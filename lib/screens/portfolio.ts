/**
 * The positions screen's arithmetic: a position re-marked at a live price, the portfolio's
 * totals, the account moved by what re-marking moved, and the close dialog's question.
 */
import type { Account, Position } from "../broker/types.ts";
import { finite, formatShares } from "./money.ts";

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

export interface PortfolioTotals {
  marketValue: number;
  costBasis: number;
  unrealizedPl: number;
  /** Fraction of |cost basis|; null with nothing held. */
  unrealizedPlPercent: number | null;
  dayPl: number;
  positions: number;
}

/** Sums of the positions' figures, as `GET /api/portfolio` reports them. */
export function totalsOf(positions: readonly Position[]): PortfolioTotals {
  let marketValue = 0;
  let costBasis = 0;
  let unrealizedPl = 0;
  let dayPl = 0;
  for (const p of positions) {
    marketValue += p.marketValue ?? p.costBasis;
    costBasis += p.costBasis;
    unrealizedPl += p.unrealizedPl ?? 0;
    dayPl += p.dayPl ?? 0;
  }
  return {
    marketValue: round2(marketValue),
    costBasis: round2(costBasis),
    unrealizedPl: round2(unrealizedPl),
    unrealizedPlPercent: costBasis !== 0 ? unrealizedPl / Math.abs(costBasis) : null,
    dayPl: round2(dayPl),
    positions: positions.length,
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
  const before = totalsOf(served);
  const after = totalsOf(live);
  return {
    ...account,
    equity: round2(account.equity + after.marketValue - before.marketValue),
    dayPl: round2(account.dayPl + after.dayPl - before.dayPl),
    unrealizedPl: round2(account.unrealizedPl + after.unrealizedPl - before.unrealizedPl),
  };
}

/** The close dialog's question: `Sell 10 AAPL at market?` (a short is bought back). */
export function closeQuestion(position: Pick<Position, "qty" | "symbol" | "side">): string {
  return position.side === "short" || position.qty < 0
    ? `Buy ${formatShares(Math.abs(position.qty))} ${position.symbol} at market to cover the short?`
    : `Sell ${formatShares(position.qty)} ${position.symbol} at market?`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
