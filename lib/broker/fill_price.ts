/**
 * The paper broker's fill price and the trading costs, in one place so a backtest and the paper
 * account fill alike. The paper broker fills a buy at the ask and a sale at the bid of the
 * replay's seeded book around the traded price (`spreadAt`, second 0 for the open), through
 * `executionPrice`; a backtest asks this module for the same number and then adds the costs its
 * rules set (the paper account itself charges none).
 *
 * @module
 */
import { executionPrice, type QuoteView } from "./checks.ts";
import type { OrderSide } from "./types.ts";
import { type DailyBar, seedOf, spreadAt } from "../market/replay/intraday.ts";

/** The paper broker's book when `price` trades at second `second` of `bar`'s session. */
export function paperBook(symbol: string, bar: DailyBar, price: number, second = 0): QuoteView {
  const b = spreadAt(bar, seedOf(symbol, bar.date), second, price);
  return { bid: b.bid, ask: b.ask, last: price };
}

/** What a market order fills at when `price` trades: the ask for a buy, the bid for a sale. */
export function paperFillPrice(
  side: OrderSide,
  symbol: string,
  bar: DailyBar,
  price: number,
  second = 0,
): number {
  return executionPrice(side, paperBook(symbol, bar, price, second)) ?? price;
}

export type Commission =
  | { type: "none" }
  | { type: "per_share"; perShare: number; minimum: number }
  | { type: "percent"; percent: number };

/** Commission in USD on a fill of `qty` shares at `price`: per share with a minimum, or %. */
export function commissionFor(c: Commission, qty: number, price: number): number {
  if (qty <= 0) return 0;
  switch (c.type) {
    case "none":
      return 0;
    case "per_share":
      return Math.max(c.minimum, c.perShare * qty);
    case "percent":
      return (c.percent / 100) * qty * price;
  }
}

/** `price` moved `bps` basis points against the trader (up for a buy, down for a sale). */
export function slipped(side: OrderSide, price: number, bps: number): number {
  return side === "buy" ? price * (1 + bps / 1e4) : price * (1 - bps / 1e4);
}
