/**
 * The paper broker's option prices: what an option order fills at, whether a limit order fills
 * now, and the mark an option position is valued at. Pure: the caller brings the chain's quotes.
 *
 * Every leg trades at its own side of the market: a buy at the ask, a sell at the bid. A
 * multi-leg order fills all its legs at once or not at all, so one missing price means no fill.
 * A bid of 0 means nobody is buying: selling there would give the contract away, so a sell leg
 * against a zero bid has no price and the order waits (a mark may still use that bid). Prices
 * are USD per share; a unit of a multi-leg order is each leg's `ratioQty` contracts.
 *
 * @module
 */
import type { OrderLeg, OrderRequest, OrderSide } from "../broker/types.ts";

export interface LegQuote {
  symbol: string;
  bid: number | null;
  ask: number | null;
}

export interface LegFill {
  symbol: string;
  side: OrderSide;
  /** USD per share. */
  price: number;
  ratioQty: number;
}

type PricedLeg = Pick<OrderLeg, "symbol" | "side" | "ratioQty">;

/** Limits and nets are in cents; this keeps float dust from deciding a cross. */
const EPSILON = 1e-9;

/** Per share, one unit: Σ buys at ask × ratio − Σ sells at bid × ratio (positive = debit). */
export function netMarketPrice(legs: readonly PricedLeg[], quotes: LegQuote[]): number | null {
  const prices = legPrices(legs, quotes);
  return prices && net(legs, prices);
}

/**
 * Does a limit order fill now? Single leg: buy when ask ≤ limit (fills at the ask), sell when
 * bid ≥ limit (at the bid). mleg: a debit order (side buy) when net ≤ limit, a credit order
 * (side sell) when −net ≥ limit; fills at each leg's own bid/ask. Market orders fill at those
 * prices whenever every leg has one. null when a quote is missing (or a sell meets a zero bid).
 * Throws a RangeError for an order type options do not take (stops and trailing stops).
 */
export function optionFill(
  req: Pick<OrderRequest, "side" | "type" | "limitPrice" | "legs" | "symbol">,
  quotes: LegQuote[],
): { fills: LegFill[]; net: number } | null {
  if (req.type !== "market" && req.type !== "limit") {
    throw new RangeError(`Option orders are market or limit orders, not ${req.type}.`);
  }
  const legs: PricedLeg[] = req.legs?.length
    ? req.legs
    : [{ symbol: req.symbol, side: req.side, ratioQty: 1 }];
  const prices = legPrices(legs, quotes);
  if (!prices) return null;
  const amount = net(legs, prices);
  if (req.type === "limit") {
    const limit = req.limitPrice;
    if (limit === undefined || !Number.isFinite(limit)) {
      throw new RangeError("A limit order needs a limit price.");
    }
    // A single leg is the one-leg case of the same rule: net = ask for a buy, −bid for a sell.
    const crosses = req.side === "buy" ? amount <= limit + EPSILON : -amount >= limit - EPSILON;
    if (!crosses) return null;
  }
  return {
    fills: legs.map((leg, i) => ({
      symbol: leg.symbol,
      side: leg.side,
      price: prices[i],
      ratioQty: leg.ratioQty,
    })),
    net: amount,
  };
}

/** The mid of bid and ask, else the one there is (a zero bid counts); null with neither. */
export function optionMark(q: LegQuote): number | null {
  const bid = usable(q.bid) && q.bid >= 0 ? q.bid : null;
  const ask = usable(q.ask) && q.ask > 0 ? q.ask : null;
  if (bid !== null && ask !== null) return round6((bid + ask) / 2);
  return ask ?? bid;
}

function legPrices(legs: readonly PricedLeg[], quotes: LegQuote[]): number[] | null {
  const bySymbol = new Map(quotes.map((q) => [q.symbol.toUpperCase(), q]));
  const prices: number[] = [];
  for (const leg of legs) {
    const q = bySymbol.get(leg.symbol.toUpperCase());
    const price = leg.side === "buy" ? q?.ask : q?.bid;
    if (!usable(price) || !(price > 0)) return null;
    prices.push(price);
  }
  return prices;
}

function net(legs: readonly PricedLeg[], prices: number[]): number {
  let sum = 0;
  legs.forEach((leg, i) => (sum += (leg.side === "buy" ? 1 : -1) * leg.ratioQty * prices[i]));
  return round6(sum);
}

function usable(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}
