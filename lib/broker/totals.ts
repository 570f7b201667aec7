/**
 * The portfolio's totals from its positions: what `GET /api/portfolio` reports and what the
 * positions screen recomputes as the stream re-marks them. Pure, so it serves both sides.
 *
 * @module
 */
import type { Position } from "./types.ts";

export interface PortfolioTotals {
  marketValue: number;
  costBasis: number;
  unrealizedPl: number;
  /** Fraction of |cost basis|; null with nothing held. */
  unrealizedPlPercent: number | null;
  dayPl: number;
  positions: number;
}

/** A position without a price counts at cost: better than pretending it is worth nothing. */
export function portfolioTotals(positions: readonly Position[]): PortfolioTotals {
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
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    marketValue: r2(marketValue),
    costBasis: r2(costBasis),
    unrealizedPl: r2(unrealizedPl),
    unrealizedPlPercent: costBasis !== 0
      ? Math.round(unrealizedPl / Math.abs(costBasis) * 1e6) / 1e6
      : null,
    dayPl: r2(dayPl),
    positions: positions.length,
  };
}
