/**
 * Editing a working order from Today's orders: which orders may be edited, the editor's fields
 * for one, and how they become the `PATCH /api/orders/:id` body (`replaceBodySchema` in
 * lib/broker/api.ts). Only what changed is sent, so an untouched price the broker stored with
 * more decimals than a person may type never blocks saving another field.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { Order, OrderStatus, OrderType, TimeInForce } from "../broker/types.ts";
import { formatShares } from "../shared/money.ts";
import { orderPriceTerms, orderSize } from "../shared/order_labels.ts";
import {
  type FieldErrors,
  needsLimit,
  needsStop,
  orderTypeLabel,
  parseAmount,
} from "../shared/ticket.ts";
import { readOrders } from "./trading_api.ts";

/** Order types with a price to change; a market order has nothing to edit but its size. */
export const EDITABLE_TYPES: readonly OrderType[] = [
  "limit",
  "stop",
  "stop_limit",
  "trailing_stop",
];

/**
 * Working statuses a replace can act on. `pending_new` is left out: its broker has not yet said
 * it exists, and `pending_cancel` / `pending_replace` are already on their way out.
 */
const EDITABLE_STATUSES: readonly OrderStatus[] = ["accepted", "new", "partially_filled"];

/** True when the row gets an Edit button. Dollar-amount orders have no quantity to replace. */
export function editable(order: Pick<Order, "status" | "type" | "qty">): boolean {
  return EDITABLE_STATUSES.includes(order.status) && EDITABLE_TYPES.includes(order.type) &&
    order.qty !== null;
}

/** The editor's fields as typed. */
export interface EditForm {
  qty: string;
  limitPrice: string;
  stopPrice: string;
  trail: string;
  timeInForce: TimeInForce;
}

export type EditField = keyof EditForm;
export type EditErrors = Partial<Record<EditField | "form", string>>;

/** `PATCH /api/orders/:id` without the key. */
export interface ReplaceBody {
  qty?: number;
  limitPrice?: number;
  stopPrice?: number;
  trail?: number;
  timeInForce?: TimeInForce;
}

/** The trail's unit: trailing stops keep theirs on replace (the API's `trail` is in it). */
export function trailUnit(order: Pick<Order, "type" | "trailPercent">): "usd" | "percent" | null {
  if (order.type !== "trailing_stop") return null;
  return order.trailPercent !== null ? "percent" : "usd";
}

/** Which price fields the editor shows for this order's type. */
export function editFields(order: Pick<Order, "type" | "trailPercent">): {
  limit: boolean;
  stop: boolean;
  trail: "usd" | "percent" | null;
} {
  return { limit: needsLimit(order.type), stop: needsStop(order.type), trail: trailUnit(order) };
}

/** What is still to fill: the quantity a replace starts from. */
export function remainingQty(order: Pick<Order, "qty" | "filledQty">): number {
  // Rounded to the API's 8 places so 0.3 − 0.1 does not show as 0.19999999999999998.
  return Math.round(((order.qty ?? 0) - order.filledQty) * 1e8) / 1e8;
}

/** Prices as a person types them: cents when the stored price has no finer part. */
function priceText(n: number | null): string {
  if (n === null) return "";
  return Number.isInteger(n * 100) ? n.toFixed(2) : String(n);
}

/** The editor prefilled with the order as it stands. */
export function editFormFor(order: Order): EditForm {
  const trail = order.trailPercent ?? order.trailPrice;
  return {
    qty: String(remainingQty(order)),
    limitPrice: priceText(order.limitPrice),
    stopPrice: order.type === "trailing_stop" ? "" : priceText(order.stopPrice),
    trail: trail === null
      ? ""
      : order.trailPercent !== null
      ? String(order.trailPercent)
      : priceText(order.trailPrice),
    timeInForce: order.timeInForce,
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A fractional original may stay fractional; anything else is edited in whole shares. */
function wasFractional(order: Pick<Order, "qty">): boolean {
  return order.qty !== null && !Number.isInteger(order.qty);
}

/**
 * The editor's fields as a replace body with only the changes in it, or the errors to show
 * beside the fields (`form` when nothing changed). The server checks everything again.
 */
export function buildReplace(
  order: Order,
  form: EditForm,
): { ok: true; body: ReplaceBody } | { ok: false; errors: EditErrors } {
  const initial = editFormFor(order);
  const errors: EditErrors = {};
  const body: ReplaceBody = {};
  const fields = editFields(order);
  const changed = (f: EditField) => form[f].trim() !== initial[f];

  if (changed("qty")) {
    const q = parseAmount(form.qty, "the quantity", wasFractional(order) ? 8 : 0);
    if (q.ok) body.qty = q.value;
    else errors.qty = capitalize(q.message);
  }
  const price = (f: "limitPrice" | "stopPrice", what: string) => {
    if (!changed(f)) return;
    const p = parseAmount(form[f], what, 2);
    if (p.ok) body[f] = p.value;
    else errors[f] = capitalize(p.message);
  };
  if (fields.limit) price("limitPrice", "the limit price");
  if (fields.stop) price("stopPrice", "the stop price");
  if (fields.trail && changed("trail")) {
    const t = parseAmount(
      form.trail,
      fields.trail === "percent" ? "the trail in percent" : "the trail in dollars",
      2,
    );
    if (!t.ok) errors.trail = capitalize(t.message);
    else if (fields.trail === "percent" && t.value > 50) errors.trail = "A trail of at most 50 %.";
    else body.trail = t.value;
  }
  if (form.timeInForce !== initial.timeInForce) body.timeInForce = form.timeInForce;

  if (Object.keys(errors).length) return { ok: false, errors };
  if (Object.keys(body).length === 0) {
    return { ok: false, errors: { form: "Nothing changed: edit a field, or press Cancel." } };
  }
  return { ok: true, body };
}

/**
 * A 400's field problems on the editor's fields. `readProblem` files them under the ticket's
 * fields (`qty` under `amount`), so they are taken back from there.
 */
export function editErrorsFromProblem(fieldErrors: FieldErrors): EditErrors {
  const out: EditErrors = {};
  if (fieldErrors.amount) out.qty = fieldErrors.amount;
  if (fieldErrors.limitPrice) out.limitPrice = fieldErrors.limitPrice;
  if (fieldErrors.stopPrice) out.stopPrice = fieldErrors.stopPrice;
  if (fieldErrors.trail) out.trail = fieldErrors.trail;
  if (fieldErrors.timeInForce) out.timeInForce = fieldErrors.timeInForce;
  return out;
}

/**
 * The list after a replace: the old order marked replaced (by `next`) and the new one in the
 * list, newest first. A repeat of the same answer (a retried save) changes nothing more.
 */
export function applyReplaced(orders: readonly Order[], oldId: string, next: Order): Order[] {
  const out = orders
    .filter((o) => o.id !== next.id)
    .map((o) => (o.id === oldId ? { ...o, status: "replaced" as const, replacedBy: next.id } : o));
  out.push(next);
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The toast after a replace: `Changed: limit order to buy 10 AAPL (limit $150.00), Day`. */
export function replacedMessage(next: Order): string {
  const terms = orderPriceTerms(next);
  return `Changed: ${orderTypeLabel(next.type).toLowerCase()} order to ${next.side} ${
    orderSize(next)
  }${terms ? ` (${terms})` : ""}, ${next.timeInForce === "day" ? "Day" : "GTC"}.`;
}

/** The editor's accessible name: `Edit limit order to buy 10 AAPL`. */
export function editLabel(order: Order): string {
  return `Edit ${orderTypeLabel(order.type).toLowerCase()} order to ${order.side} ${
    orderSize(order)
  }`;
}

/** The hint under the quantity for a partly filled order. */
export function filledNote(order: Pick<Order, "filledQty" | "qty">): string | null {
  if (!(order.filledQty > 0)) return null;
  return `${formatShares(order.filledQty)} of ${
    formatShares(order.qty)
  } already filled; the quantity is what is left to fill.`;
}

/** The new order in a `PATCH` answer (`{order}`), or null when it is not one. */
export function readReplaced(body: unknown): Order | null {
  const order = typeof body === "object" && body !== null
    ? (body as { order?: unknown }).order
    : undefined;
  return readOrders({ orders: [order] })?.[0] ?? null;
}
