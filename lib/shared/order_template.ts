/**
 * Order templates between the ticket and the API: a template is an order's shape (side, type,
 * time in force, optionally a symbol and a size in shares or dollars, and a trailing stop's
 * trail) without limit or stop prices, which belong to one market moment. Saving turns the
 * ticket's fields into a template body; applying lays a template over the ticket's fields.
 *
 * Browser code: no zod, no DOM; type-only imports from the broker seam.
 */
import type { OrderSide, OrderType, TimeInForce } from "../broker/types.ts";
import {
  checkTicketSymbol,
  fractionalAllowed,
  orderTypeLabel,
  parseAmount,
  type TicketForm,
} from "./ticket.ts";

/** Templates one user may keep. */
export const MAX_TEMPLATES = 50;

export interface OrderTemplateBody {
  name: string;
  symbol?: string | null;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty?: number | null;
  notional?: number | null;
  trailPrice?: number | null;
  trailPercent?: number | null;
}

/** A stored template as the API answers it. */
export interface OrderTemplate {
  id: number;
  name: string;
  symbol: string | null;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: number | null;
  notional: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The ticket's fields as a template body, or why they cannot be one. A blank amount saves no
 * size; the symbol is kept only when asked. The API checks everything again.
 */
export function templateFromTicket(
  form: TicketForm,
  opts: { name: string; includeSymbol: boolean },
): { ok: true; body: OrderTemplateBody } | { ok: false; message: string } {
  const name = opts.name.trim();
  if (!name) return { ok: false, message: "Give the template a name." };
  if (name.length > 64) return { ok: false, message: "A name of at most 64 characters." };
  const body: OrderTemplateBody = {
    name,
    side: form.side,
    type: form.type,
    timeInForce: form.timeInForce,
  };
  if (opts.includeSymbol) {
    const sym = checkTicketSymbol(form.symbol);
    if (!sym.ok) return { ok: false, message: sym.message };
    body.symbol = sym.symbol;
  }
  const fractional = fractionalAllowed(form.type, form.timeInForce);
  if (form.amount.trim()) {
    const dollars = fractional && form.amountMode === "dollars";
    const a = parseAmount(
      form.amount,
      dollars ? "the dollar amount" : "the shares",
      dollars ? 2 : 8,
    );
    if (!a.ok) return { ok: false, message: a.message };
    if (dollars) body.notional = a.value;
    else if (!Number.isInteger(a.value) && !fractional) {
      return { ok: false, message: "Whole shares only for this order type." };
    } else body.qty = a.value;
  }
  if (form.type === "trailing_stop" && form.trail.trim()) {
    const percent = form.trailMode === "percent";
    const t = parseAmount(form.trail, "the trail", percent ? 4 : 6);
    if (!t.ok) return { ok: false, message: t.message };
    if (percent && t.value > 50) return { ok: false, message: "A trail of at most 50 %." };
    if (percent) body.trailPercent = t.value;
    else body.trailPrice = t.value;
  }
  return { ok: true, body };
}

/**
 * The ticket's fields with `template` laid over them: side, type and time in force always; the
 * symbol, size and trail when the template has them (otherwise what was typed stays). Limit and
 * stop prices are cleared: a template carries none, and a level typed for an earlier order (of
 * another type or symbol, perhaps hidden by the type) must not ride along unseen.
 */
export function applyTemplate(form: TicketForm, template: OrderTemplate): TicketForm {
  const next: TicketForm = {
    ...form,
    symbol: template.symbol ?? form.symbol,
    side: template.side,
    type: template.type,
    timeInForce: template.timeInForce,
    limitPrice: "",
    stopPrice: "",
  };
  if (template.notional !== null) {
    next.amountMode = "dollars";
    next.amount = String(template.notional);
  } else if (template.qty !== null) {
    next.amountMode = "shares";
    next.amount = String(template.qty);
  }
  if (template.trailPercent !== null) {
    next.trailMode = "percent";
    next.trail = String(template.trailPercent);
  } else if (template.trailPrice !== null) {
    next.trailMode = "price";
    next.trail = String(template.trailPrice);
  }
  return next;
}

/** One line saying what a template does, e.g. "Buy 10 sh · Limit · GTC". */
export function describeTemplate(t: OrderTemplate): string {
  const size = t.notional !== null ? `$${t.notional}` : t.qty !== null ? `${t.qty} sh` : "";
  const trail = t.trailPercent !== null
    ? `trail ${t.trailPercent} %`
    : t.trailPrice !== null
    ? `trail $${t.trailPrice}`
    : "";
  return [
    [t.side === "buy" ? "Buy" : "Sell", size, t.symbol ?? ""].filter(Boolean).join(" "),
    orderTypeLabel(t.type),
    trail,
    t.timeInForce === "day" ? "Day" : "GTC",
  ].filter(Boolean).join(" · ");
}
