/**
 * Orders in words: their size and price terms, the toast after placing one, and the status
 * badge's label and colour in Today's orders.
 */
import type { Order, OrderSide, OrderStatus } from "../broker/types.ts";
import { formatShares, formatUsd } from "./money.ts";
import { orderTypeLabel } from "./ticket.ts";

const PAST: Record<OrderSide, string> = { buy: "Bought", sell: "Sold" };

/** `10 AAPL` or `$500.00 of AAPL`. */
export function orderSize(order: Pick<Order, "qty" | "notional" | "symbol">): string {
  if (order.qty !== null) return `${formatShares(order.qty)} ${order.symbol}`;
  if (order.notional !== null) return `${formatUsd(order.notional)} of ${order.symbol}`;
  return order.symbol;
}

/** The order's price terms: `limit $180.00`, `stop $170.00`, `trail 2 %`; "" for market. */
export function orderPriceTerms(
  order: Pick<Order, "limitPrice" | "stopPrice" | "trailPrice" | "trailPercent">,
): string {
  const parts: string[] = [];
  if (order.stopPrice !== null) parts.push(`stop ${formatUsd(order.stopPrice)}`);
  if (order.limitPrice !== null) parts.push(`limit ${formatUsd(order.limitPrice)}`);
  if (order.trailPrice !== null) parts.push(`trail ${formatUsd(order.trailPrice)}`);
  if (order.trailPercent !== null) parts.push(`trail ${order.trailPercent} %`);
  return parts.join(" · ");
}

/** The toast after placing: what happened to the order, in words. */
export function placedMessage(
  order: Order,
  duplicate = false,
): { kind: "success" | "info" | "error"; text: string } {
  const prefix = duplicate ? "Already placed: " : "";
  const terms = orderPriceTerms(order);
  const what = `${orderTypeLabel(order.type).toLowerCase()} order to ${order.side} ${
    orderSize(order)
  }${terms ? ` (${terms})` : ""}`;
  switch (order.status) {
    case "filled":
      return {
        kind: "success",
        text: `${prefix}${PAST[order.side]} ${formatShares(order.filledQty)} ${order.symbol} at ${
          formatUsd(order.filledAvgPrice)
        }`,
      };
    case "partially_filled":
      return {
        kind: "success",
        text: `${prefix}${PAST[order.side]} ${formatShares(order.filledQty)} ${order.symbol} at ${
          formatUsd(order.filledAvgPrice)
        } so far; the rest is working`,
      };
    case "accepted":
      return { kind: "info", text: `${prefix}${capitalize(what)} is queued for the open` };
    case "pending_new":
      return { kind: "info", text: `${prefix}${capitalize(what)} was sent to the broker` };
    case "new":
      return { kind: "info", text: `${prefix}${capitalize(what)} is resting` };
    case "rejected":
    case "canceled":
    case "expired":
      return {
        kind: "error",
        text: `${prefix}${capitalize(what)} was ${order.status}${
          order.reason ? `: ${order.reason}` : ""
        }`,
      };
    default:
      return { kind: "info", text: `${prefix}${capitalize(what)}: ${statusLabel(order.status)}` };
  }
}

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_new: "Sending",
  accepted: "Queued",
  new: "Working",
  partially_filled: "Partly filled",
  filled: "Filled",
  canceled: "Canceled",
  expired: "Expired",
  replaced: "Replaced",
  rejected: "Rejected",
  pending_cancel: "Canceling",
  pending_replace: "Replacing",
};

export function statusLabel(status: OrderStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Badge colour of a status. */
export function statusTone(status: OrderStatus): "open" | "filled" | "done" | "bad" {
  if (status === "filled") return "filled";
  if (status === "rejected") return "bad";
  if (status === "canceled" || status === "expired" || status === "replaced") return "done";
  return "open";
}

/** Only these can still be canceled from the screen. */
export function cancelable(status: OrderStatus): boolean {
  return status === "accepted" || status === "new" || status === "partially_filled" ||
    status === "pending_new";
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
