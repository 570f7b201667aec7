/** Test fixtures shared by the trading screens' tests. */
import type { Order } from "../broker/types.ts";

/** A paper market buy of 10 AAPL, accepted and waiting for the open, with `over` applied. */
export function order(over: Partial<Order> = {}): Order {
  return {
    id: "0b6e1c1e-8a4c-4b8e-9d5e-2f1a3c4d5e6f",
    clientOrderId: "k",
    symbol: "AAPL",
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty: 10,
    notional: null,
    filledQty: 0,
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    hwm: null,
    status: "accepted",
    reason: null,
    createdAt: "2024-01-15T15:00:00.000Z",
    submittedAt: null,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    expiresSession: null,
    replaces: null,
    replacedBy: null,
    source: "paper",
    prices: null,
    ...over,
  };
}
