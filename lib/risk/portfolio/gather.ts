/**
 * The server side of `/api/risk/portfolio`: reads the account, its positions, the settings and
 * the completed daily bars through the services, and runs the pure analysis (analyze.ts) on
 * them. Daily bars come from `completedDailyBars`, so no close of the priced day or later is
 * ever read (in replay that would be the future).
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { fromBroker } from "../../broker/api.ts";
import { fromMarket } from "../../market/api.ts";
import { completedDailyBars } from "../../market/completed_bars.ts";
import { UnknownSymbolError } from "../../market/types.ts";
import { getSettings } from "../../settings.ts";
import { type PortfolioRisk, portfolioRisk } from "./analyze.ts";
import { type PriceSeries, seriesFromBars } from "./series.ts";
import type { Holding } from "./exposure.ts";
import { EPISODES } from "./stress.ts";

export const INDEX_SYMBOL = "SPX";
const DAY_MS = 86_400_000;

export interface PortfolioRiskQuery {
  lookback: number;
  shock: number;
}

export type PortfolioRiskAnswer =
  & {
    prices: string;
    source: string;
    /** The day being priced; history runs through the trading day before it. */
    asOf: string;
    /** Positions without a price to value them at, left out of every figure. */
    unpriced: string[];
  }
  & (
    | { empty: true; message: string; equity: number }
    | ({ empty: false } & PortfolioRisk)
  );

export async function portfolioRiskFor(
  services: Pick<Services, "broker" | "market" | "db">,
  userId: number,
  q: PortfolioRiskQuery,
): Promise<PortfolioRiskAnswer> {
  const { broker, market, db } = services;
  const [account, positions, [quote]] = await Promise.all([
    fromBroker(() => broker.account(userId)),
    fromBroker(() => broker.positions(userId)),
    fromMarket(() => market.quotes([INDEX_SYMBOL])),
  ]);
  const asOf = quote.replayDate ?? quote.timestamp.slice(0, 10);
  const base = { prices: account.prices, source: market.source, asOf };
  const unpriced: string[] = [];
  const held = positions.filter((p) => p.qty !== 0);
  const holdings: Omit<Holding, "sector">[] = [];
  for (const p of held) {
    const price = p.currentPrice ?? p.lastdayPrice;
    if (price === null || !(price > 0)) unpriced.push(p.symbol);
    // An option contract's price is per share: its exposure is qty × multiplier × price.
    else holdings.push({ symbol: p.symbol, qty: p.qty * (p.option?.multiplier ?? 1), price });
  }
  if (holdings.length === 0) {
    return {
      ...base,
      unpriced,
      empty: true,
      equity: account.equity,
      message: held.length === 0
        ? "No open positions: there is no portfolio risk to measure yet."
        : "No open position has a price to value it at right now.",
    };
  }

  // One read per symbol covers both the look-back window and the oldest stress episode.
  const oldest = EPISODES.reduce((d, e) => (e.start < d ? e.start : d), asOf);
  const days = Math.max(
    Math.ceil(q.lookback * 365 / 252) + 15,
    Math.ceil((Date.parse(asOf) - Date.parse(oldest)) / DAY_MS) + 15,
  );
  const symbols = [...new Set(holdings.map((h) => h.symbol))];
  const readSeries = (symbol: string) =>
    fromMarket(async (): Promise<PriceSeries | undefined> => {
      try {
        const bars = await completedDailyBars(market, { ...quote, symbol }, days);
        return seriesFromBars(symbol, bars.bars);
      } catch (err) {
        // A holding the market data does not know has no history; the analysis says so.
        if (err instanceof UnknownSymbolError) return undefined;
        throw err;
      }
    });
  const sectorOf = async (symbol: string): Promise<string | null> => {
    try {
      return (await market.company(symbol)).sector;
    } catch {
      // The sector is a label; without it the holding is shown as unclassified.
      return null;
    }
  };
  const [index, seriesList, sectors, settings] = await Promise.all([
    readSeries(INDEX_SYMBOL),
    Promise.all(symbols.map(readSeries)),
    Promise.all(symbols.map(sectorOf)),
    getSettings(db, userId),
  ]);
  const history = new Map<string, PriceSeries>();
  symbols.forEach((s, i) => seriesList[i] && history.set(s, seriesList[i]!));
  const sectorBy = new Map(symbols.map((s, i) => [s, sectors[i]]));
  const risk = portfolioRisk({
    holdings: holdings.map((h) => ({ ...h, sector: sectorBy.get(h.symbol) ?? null })),
    equity: account.equity,
    dayPl: account.dayPl,
    history,
    index: index ?? { symbol: INDEX_SYMBOL, dates: [], closes: [] },
    lookback: q.lookback,
    shockPercent: q.shock,
    currentDay: asOf,
    settings,
  });
  return { ...base, unpriced, empty: false, ...risk };
}
