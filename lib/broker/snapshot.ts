/**
 * The portfolio as the positions screen shows it: the account, its positions in symbol order,
 * where their prices came from and which broker holds them. One builder for the page's first
 * paint, `GET /api/portfolio/snapshot` (the island's refresh) and the portfolio APIs, so all of
 * them agree.
 *
 * @module
 */
import type { Account, Broker, BrokerKind, Position, PriceSource } from "./types.ts";

export interface PortfolioSnapshot {
  account: Account;
  /** Sorted by symbol. */
  positions: Position[];
  /** `replay`, `tradier` or `alpaca`: the positions' marks, or the broker's own source. */
  prices: PriceSource;
  source: BrokerKind;
}

export async function portfolioSnapshot(
  broker: Broker,
  userId: number,
): Promise<PortfolioSnapshot> {
  const [account, positions] = await Promise.all([
    broker.account(userId),
    broker.positions(userId),
  ]);
  return {
    account,
    positions: sortedPositions(positions),
    prices: positionsPrices(broker, positions),
    source: broker.kind,
  };
}

export function sortedPositions(positions: readonly Position[]): Position[] {
  return [...positions].sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** The positions' own label when there are any; with none, the broker's valuation source. */
export function positionsPrices(broker: Broker, positions: readonly Position[]): PriceSource {
  return positions[0]?.prices ?? broker.priceSource;
}
