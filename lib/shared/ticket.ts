/**
 * The order ticket's form: its fields as typed, the order types it offers, and how the fields
 * become the `POST /api/orders` body with the same rules the API applies, so most mistakes are
 * shown beside their field before a request is made.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { OrderRequest, OrderSide, OrderType, TimeInForce } from "../broker/types.ts";
import { checkSymbol, isIndexSymbol } from "./ticker.ts";

export type AmountMode = "shares" | "dollars";
export type TrailMode = "price" | "percent";

/** The ticket's fields as the user typed them. */
export interface TicketForm {
  symbol: string;
  side: OrderSide;
  amountMode: AmountMode;
  amount: string;
  type: OrderType;
  timeInForce: TimeInForce;
  limitPrice: string;
  stopPrice: string;
  trailMode: TrailMode;
  trail: string;
}

/** The fields an error can point at. */
export type TicketField =
  | "symbol"
  | "amount"
  | "type"
  | "timeInForce"
  | "limitPrice"
  | "stopPrice"
  | "trail"
  | "side";

export type FieldErrors = Partial<Record<TicketField, string>>;

/** `POST /api/orders` without the preview flag and the key. */
export type OrderBody = Omit<OrderRequest, "clientOrderId">;

export const ORDER_TYPES: { value: OrderType; label: string }[] = [
  { value: "market", label: "Market" },
  { value: "limit", label: "Limit" },
  { value: "stop", label: "Stop" },
  { value: "stop_limit", label: "Stop limit" },
  { value: "trailing_stop", label: "Trailing stop" },
];

export function orderTypeLabel(type: OrderType): string {
  return ORDER_TYPES.find((t) => t.value === type)?.label ?? type;
}

export function needsLimit(type: OrderType): boolean {
  return type === "limit" || type === "stop_limit";
}

export function needsStop(type: OrderType): boolean {
  return type === "stop" || type === "stop_limit";
}

/** Dollar amounts and fractional shares exist only for market orders good for the day. */
export function fractionalAllowed(type: OrderType, tif: TimeInForce): boolean {
  return type === "market" && tif === "day";
}

export const FRACTIONAL_RULE =
  "Dollar amounts and fractional shares are only for market orders with time in force Day: " +
  "the broker fills fractions at the market during the session, never as resting orders.";

/** The ticket's symbol, canonical, or why it is not one (indexes are quotes, not securities). */
export function checkTicketSymbol(text: string): { ok: true; symbol: string } | {
  ok: false;
  message: string;
} {
  const s = text.trim().toUpperCase();
  if (!s) return { ok: false, message: "Enter a symbol, e.g. AAPL." };
  const r = checkSymbol(s);
  if (!r.ok) {
    return { ok: false, message: "A ticker is 1 to 5 letters, optionally .X or -X (BRK.B)." };
  }
  if (isIndexSymbol(r.symbol)) {
    return { ok: false, message: `${s} is an index: it cannot be traded.` };
  }
  return r;
}

/** A ticket's fields before anything is typed, with what the page prefilled. */
export function initialTicketForm(prefill: {
  symbol?: string;
  side?: OrderSide;
  qty?: string;
  type?: OrderType;
  timeInForce?: TimeInForce;
}): TicketForm {
  return {
    symbol: prefill.symbol ?? "",
    side: prefill.side ?? "buy",
    amountMode: "shares",
    amount: prefill.qty ?? "",
    type: prefill.type ?? "market",
    timeInForce: prefill.timeInForce ?? "day",
    limitPrice: "",
    stopPrice: "",
    trailMode: "percent",
    trail: "",
  };
}

function decimals(text: string): number {
  const m = /\.(\d+)$/.exec(text);
  return m ? m[1].length : 0;
}

/** A positive decimal typed by a person (`1,000.5` allowed), or why not. */
export function parseAmount(
  text: string,
  what: string,
  maxDecimals: number,
): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().replace(/,/g, "");
  if (!t) return { ok: false, message: `Enter ${what}.` };
  if (!/^\d*\.?\d+$|^\d+\.$/.test(t)) return { ok: false, message: `${what} must be a number.` };
  const value = Number(t);
  if (!(value > 0)) return { ok: false, message: `${what} must be more than 0.` };
  if (decimals(t) > maxDecimals) {
    return {
      ok: false,
      message: maxDecimals === 0
        ? `${what} must be whole.`
        : `${what}: at most ${maxDecimals} decimal places.`,
    };
  }
  return { ok: true, value };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The ticket's fields as an order body, or the errors to show beside the fields. The server
 * checks everything again; this only saves a round trip for the obvious mistakes.
 */
export function buildOrder(
  form: TicketForm,
): { ok: true; body: OrderBody } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: Partial<OrderBody> = {
    side: form.side,
    type: form.type,
    timeInForce: form.timeInForce,
  };
  const sym = checkTicketSymbol(form.symbol);
  if (sym.ok) body.symbol = sym.symbol;
  else errors.symbol = sym.message;

  const fractional = fractionalAllowed(form.type, form.timeInForce);
  if (form.amountMode === "dollars") {
    if (!fractional) errors.amount = FRACTIONAL_RULE;
    else {
      const a = parseAmount(form.amount, "the dollar amount", 2);
      if (a.ok) body.notional = a.value;
      else errors.amount = capitalize(a.message);
    }
  } else {
    const a = parseAmount(form.amount, "the number of shares", 8);
    if (!a.ok) errors.amount = capitalize(a.message);
    else if (!Number.isInteger(a.value) && !fractional) {
      errors.amount = "Whole shares only: " + FRACTIONAL_RULE.charAt(0).toLowerCase() +
        FRACTIONAL_RULE.slice(1);
    } else body.qty = a.value;
  }

  if (needsLimit(form.type)) {
    const p = parseAmount(form.limitPrice, "a limit price", 6);
    if (p.ok) body.limitPrice = p.value;
    else errors.limitPrice = capitalize(p.message);
  }
  if (needsStop(form.type)) {
    const p = parseAmount(form.stopPrice, "a stop price", 6);
    if (p.ok) body.stopPrice = p.value;
    else errors.stopPrice = capitalize(p.message);
  }
  if (form.type === "trailing_stop") {
    const p = parseAmount(
      form.trail,
      form.trailMode === "percent" ? "a trail in percent" : "a trail in dollars",
      form.trailMode === "percent" ? 4 : 6,
    );
    if (!p.ok) errors.trail = capitalize(p.message);
    else if (form.trailMode === "percent") {
      if (p.value > 50) errors.trail = "A trail of at most 50 %.";
      else body.trailPercent = p.value;
    } else body.trailPrice = p.value;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: body as OrderBody };
}

/** The ticket field an API validation path (`qty`, `trailPercent`, …) belongs to. */
export function fieldForPath(path: string): TicketField | null {
  const head = path.split(".")[0];
  switch (head) {
    case "qty":
    case "notional":
      return "amount";
    case "trailPrice":
    case "trailPercent":
      return "trail";
    case "symbol":
    case "type":
    case "timeInForce":
    case "limitPrice":
    case "stopPrice":
    case "side":
      return head;
    default:
      return null;
  }
}
