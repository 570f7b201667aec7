/**
 * The order that closes (part of) a position, for both brokers: the shares come from the one
 * close-quantity rule (lib/shared/close_quantity.ts) the close dialog also uses, and a quantity
 * the rule refuses answers 422 naming what is held.
 *
 * @module
 */
import { closeQuantity } from "../shared/close_quantity.ts";
import { type ClosePositionRequest, OrderRefusedError, type OrderRequest } from "./types.ts";

/** A market day order against the position's side; `held` is signed (negative = short). */
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
  return {
    symbol,
    side: held > 0 ? "sell" : "buy",
    type: "market",
    timeInForce: "day",
    qty: r.qty,
    clientOrderId: req.clientOrderId,
  };
}
