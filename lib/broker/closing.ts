/**
 * The order that closes (part of) a position, for both brokers: the shares come from the one
 * close-quantity rule (lib/shared/close_quantity.ts) the close dialog also uses, and a quantity
 * the rule refuses answers 422 naming what is held.
 *
 * @module
 */
import { closeQuantity } from "../shared/close_quantity.ts";
import { isOccSymbol } from "../options/occ.ts";
import { type ClosePositionRequest, OrderRefusedError, type OrderRequest } from "./types.ts";

/**
 * A market day order against the position's side; `held` is signed (negative = short). An
 * option position (an OCC symbol) closes whole contracts, a percentage rounded down, with the
 * closing intent (sell to close a long, buy to close a short).
 */
export function closingOrder(
  symbol: string,
  held: number,
  req: ClosePositionRequest,
): OrderRequest {
  const r = closeQuantity(held, req);
  if (!r.ok) {
    throw new OrderRefusedError(
      r.message,
      r.reason === "more_than_held" ? "insufficient_qty" : "invalid_order",
      [],
      { held: r.held },
    );
  }
  const option = isOccSymbol(symbol);
  const qty = option ? Math.floor(r.qty + 1e-9) : r.qty;
  if (option && (qty < 1 || (req.qty !== undefined && !Number.isInteger(req.qty)))) {
    throw new OrderRefusedError(
      `Options close in whole contracts: ${req.qty ?? `${req.percentage} %`} of ${
        Math.abs(held)
      } is not a whole number of contracts.`,
      "invalid_order",
      [],
      { held: Math.abs(held) },
    );
  }
  return {
    symbol,
    side: held > 0 ? "sell" : "buy",
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId: req.clientOrderId,
    ...(option
      ? { positionIntent: held > 0 ? "sell_to_close" as const : "buy_to_close" as const }
      : {}),
  };
}
