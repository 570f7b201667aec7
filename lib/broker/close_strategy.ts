/**
 * The one order that closes an option strategy: 2–4 option positions on one underlying, closed
 * together as a market multi-leg order, for either broker. Each leg closes its whole position
 * (sell to close a long, buy to close a short); the units are the largest common count of the
 * positions' contracts, so a butterfly of 1/2/1 closes as one unit with its ratios. The order's
 * side says which way the money goes: closing what cost money (a debit position) sells it,
 * closing what brought a credit buys it back.
 *
 * @module
 */
import { parseOcc } from "../options/occ.ts";
import { underlyingOf } from "../options/underlying.ts";
import { type OrderLeg, OrderRefusedError, type OrderRequest } from "./types.ts";

export interface HeldLeg {
  symbol: string;
  /** Signed contracts. */
  qty: number;
  /** Signed USD: what opening it cost (+) or raised (−). */
  costBasis: number;
}

/** Ratio quantities a multi-leg order may carry per leg (the order_legs table's bound). */
const MAX_RATIO = 100;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function strategyCloseOrder(held: HeldLeg[], clientOrderId: string): OrderRequest {
  const refuse = (message: string) =>
    new OrderRefusedError(message, "invalid_option_structure", [], {
      symbols: held.map((h) => h.symbol),
    });
  const contracts = held.map((h) => parseOcc(h.symbol));
  if (contracts.some((c) => c === null)) throw refuse("Only option positions close as a strategy.");
  const underlyings = new Set(contracts.map((c) => underlyingOf(c!.underlying)));
  if (underlyings.size !== 1) {
    throw refuse(
      `The legs are on ${[...underlyings].join(" and ")}: a strategy closes on one underlying.`,
    );
  }
  const sizes = held.map((h) => Math.abs(h.qty));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw refuse("Option positions close in whole contracts.");
  }
  const units = sizes.reduce(gcd);
  if (sizes.some((n) => n / units > MAX_RATIO)) {
    throw refuse(
      `The positions' sizes (${
        sizes.join(", ")
      }) make a ratio over ${MAX_RATIO}: close them one by one.`,
    );
  }
  const legs: OrderLeg[] = held.map((h) => ({
    symbol: h.symbol,
    side: h.qty > 0 ? "sell" : "buy",
    ratioQty: Math.abs(h.qty) / units,
    positionIntent: h.qty > 0 ? "sell_to_close" : "buy_to_close",
  }));
  const paid = held.reduce((s, h) => s + h.costBasis, 0);
  return {
    symbol: [...underlyings][0],
    side: paid >= 0 ? "sell" : "buy",
    type: "market",
    timeInForce: "day",
    qty: units,
    orderClass: "mleg",
    legs,
    clientOrderId,
  };
}
