/**
 * Option contracts, intents and orders in words, for the chain, the option ticket, Today's
 * orders and Active Positions: `AAPL 150 call · 21 Jun 2024`, "Buy to open", `2 contracts`.
 * Contracts are read from their OCC symbols with the broker's own rule (lib/shared/occ.ts).
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { Order, OrderLeg, PositionIntent } from "../../broker/types.ts";
import { formatShares, formatUsd } from "../../shared/money.ts";
import { OPTION_MULTIPLIER, parseOcc } from "../../shared/occ.ts";

/** What a label needs of a contract (a chain contract, a position's `option`, a parsed symbol). */
export interface ContractTerms {
  underlying: string;
  expiration: string;
  type: "call" | "put";
  strike: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2024-06-21` → `21 Jun 2024`, read as a calendar date. */
export function shortDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A strike without needless zeros: `150`, `172.5`, `7.25`. */
export function strikeText(strike: number): string {
  return Number.isInteger(strike) ? String(strike) : String(Math.round(strike * 1000) / 1000);
}

/** `AAPL 150 call · 21 Jun 2024`. */
export function contractLabel(c: ContractTerms): string {
  return `${c.underlying} ${strikeText(c.strike)} ${c.type} · ${shortDate(c.expiration)}`;
}

/** The label of an OCC symbol; the symbol itself when it is not one. */
export function symbolLabel(symbol: string): string {
  const c = parseOcc(symbol);
  return c ? contractLabel(c) : symbol;
}

export const INTENT_LABELS: Record<PositionIntent, string> = {
  buy_to_open: "Buy to open",
  buy_to_close: "Buy to close",
  sell_to_open: "Sell to open",
  sell_to_close: "Sell to close",
};

export const INTENTS = Object.keys(INTENT_LABELS) as PositionIntent[];

/** The side an intent trades on. */
export function intentSide(intent: PositionIntent): "buy" | "sell" {
  return intent.startsWith("buy") ? "buy" : "sell";
}

/** `1 contract`, `3 contracts`. */
export function contractsWithUnit(n: number): string {
  return `${formatShares(n)} ${Math.abs(n) === 1 ? "contract" : "contracts"}`;
}

/** An option order (single leg on an OCC symbol, or multi-leg); stock orders are not. */
export function isOptionOrder(
  o: Pick<Order, "assetClass" | "orderClass" | "symbol">,
): boolean {
  return o.assetClass === "us_option" || o.orderClass === "mleg" || parseOcc(o.symbol) !== null;
}

/** `Buy to open 2 × AAPL 150 call · 21 Jun 2024` for one leg of a multi-leg order. */
export function legLabel(leg: OrderLeg): string {
  const ratio = leg.ratioQty === 1 ? "" : `${leg.ratioQty} × `;
  return `${INTENT_LABELS[leg.positionIntent] ?? leg.side} ${ratio}${symbolLabel(leg.symbol)}`;
}

/**
 * The size of an option order in words: `2 contracts AAPL 150 call · 21 Jun 2024`, or for a
 * multi-leg order `1 × 3-leg AAPL order` (its legs are listed beside it).
 */
export function optionOrderSize(o: Pick<Order, "qty" | "symbol" | "orderClass" | "legs">): string {
  const qty = o.qty ?? 0;
  if (o.orderClass === "mleg") {
    const n = o.legs?.length ?? 0;
    return `${formatShares(qty)} × ${n ? `${n}-leg ` : ""}${o.symbol} order`;
  }
  return `${contractsWithUnit(qty)} ${symbolLabel(o.symbol)}`;
}

/** USD of `qty` contracts (or units) at `perShare`: the × 100 every option price carries. */
export function contractDollars(qty: number, perShare: number): number {
  return Math.round(qty * perShare * OPTION_MULTIPLIER * 100) / 100;
}

/** `× 100 = $250.00` beside a per-share option price. */
export function timesMultiplier(qty: number, perShare: number): string {
  return `${formatShares(qty)} × ${formatUsd(perShare)} × ${OPTION_MULTIPLIER} = ${
    formatUsd(contractDollars(qty, perShare))
  }`;
}

/** The toast after placing an option order: what happened to it, in words. */
export function optionPlacedMessage(
  order: Order,
  duplicate = false,
): { kind: "success" | "info" | "error"; text: string } {
  const prefix = duplicate ? "Already placed: " : "";
  const size = optionOrderSize(order);
  const per = order.orderClass === "mleg" ? "net per share" : "per share";
  switch (order.status) {
    case "filled":
      return {
        kind: "success",
        text: `${prefix}${order.side === "buy" ? "Bought" : "Sold"} ${size} at ${
          formatUsd(order.filledAvgPrice)
        } ${per}`,
      };
    case "rejected":
    case "canceled":
    case "expired":
      return {
        kind: "error",
        text: `${prefix}The order to ${order.side} ${size} was ${order.status}${
          order.reason ? `: ${order.reason}` : ""
        }`,
      };
    case "accepted":
      return {
        kind: "info",
        text: `${prefix}The order to ${order.side} ${size} waits for the open`,
      };
    default:
      return { kind: "info", text: `${prefix}The order to ${order.side} ${size} is working` };
  }
}
