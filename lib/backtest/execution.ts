/**
 * What a backtest's fill costs and how much of it the cash pays for: the paper broker's price
 * for the bar, slippage and commission. Shared by the general loop (engine.ts) and the
 * one-symbol path (one_path.ts), so both fill at the same price to the last bit.
 *
 * @module
 */
import { commissionFor, paperFillPrice, slipped } from "../broker/fill_price.ts";
import type { Rules } from "../strategy/schema.ts";
import type { Panel } from "./data.ts";

/**
 * The part of an order for `delta` shares (signed) at `price` that `free` cash pays for, the
 * commission included (it comes out of the same cash: step down until both fit).
 */
export function affordable(
  delta: number,
  free: number,
  price: number,
  commission: Rules["costs"]["commission"],
): number {
  let afford = Math.floor(Math.max(0, free) / price + 1e-9);
  if (Math.abs(delta) > afford) delta = Math.sign(delta) * afford;
  while (
    afford > 0 &&
    Math.abs(delta) * price + commissionFor(commission, Math.abs(delta), price) > free + 1e-9
  ) {
    afford = Math.abs(delta) - 1;
    delta = Math.sign(delta) * afford;
  }
  return delta;
}

/** What a buy (`buy`) or a sale of symbol s at bar t fills at when `px` trades: spread, slippage. */
export function execPriceOf(
  costs: Rules["costs"],
  panel: Panel,
  buy: boolean,
  s: number,
  t: number,
  px: number,
): number {
  const side = buy ? "buy" : "sell";
  const price = costs.spread === "paper_broker"
    ? paperFillPrice(side, panel.symbols[s], {
      date: panel.dates[t],
      open: panel.open[s][t],
      high: panel.high[s][t],
      low: panel.low[s][t],
      close: panel.close[s][t],
      volume: panel.volume[s][t],
    }, px)
    : px;
  return slipped(side, price, costs.slippageBps);
}
