/**
 * The option ticket's model: legs picked from the chain (or sent by the strategy builder), what
 * each leg does to the position (its intent), the form's fields, the dollar figure every
 * per-share option price stands for (× 100), and how the form becomes a `POST /api/orders`
 * body, single-leg on an OCC symbol or multi-leg (`orderClass: "mleg"`) with a net limit.
 * The server checks everything again; this catches what a person can fix before a round trip.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { OrderSide, PositionIntent, TimeInForce } from "../../broker/types.ts";
import { parseAmount } from "../../shared/ticket.ts";
import { contractDollars, type ContractTerms, intentSide, strikeText } from "./labels.ts";

/** An order has 1 leg, or 2 to 4 as one multi-leg order. */
export const MAX_LEGS = 4;

export interface TicketLeg extends ContractTerms {
  /** OCC symbol. */
  symbol: string;
  side: OrderSide;
  /** Contracts of this leg per unit of a multi-leg order (1 on a single-leg ticket). */
  ratioQty: number;
  positionIntent: PositionIntent;
  /** True while the intent follows what is held; false once the person picked one. */
  autoIntent: boolean;
  /** USD per share. */
  bid: number | null;
  ask: number | null;
  /** The mid, or the strategy builder's premium when no quote came with the leg. */
  mark: number | null;
}

/** Signed contracts held, per OCC symbol. */
export type Held = Readonly<Record<string, number>>;

/** What a chain contract gives a leg. */
export interface QuotedContract extends ContractTerms {
  symbol: string;
  bid: number | null;
  ask: number | null;
  last: number | null;
}

/**
 * The intent a side has given what is held: buying against a short closes it, selling against a
 * long closes it, anything else opens. (A close larger than the holding is the server's to refuse.)
 */
export function intentFor(side: OrderSide, held: number): PositionIntent {
  if (side === "buy") return held < 0 ? "buy_to_close" : "buy_to_open";
  return held > 0 ? "sell_to_close" : "sell_to_open";
}

function mid(bid: number | null, ask: number | null): number | null {
  return bid !== null && ask !== null && ask >= bid ? Math.round((bid + ask) * 50) / 100 : null;
}

/**
 * The leg a click on a quote makes: the ask buys, the bid sells, opening unless the account holds
 * the contract the other way.
 */
export function legFromQuote(c: QuotedContract, which: "bid" | "ask", held: Held): TicketLeg {
  const side: OrderSide = which === "ask" ? "buy" : "sell";
  return {
    symbol: c.symbol,
    underlying: c.underlying,
    expiration: c.expiration,
    type: c.type,
    strike: c.strike,
    side,
    ratioQty: 1,
    positionIntent: intentFor(side, held[c.symbol] ?? 0),
    autoIntent: true,
    bid: c.bid,
    ask: c.ask,
    mark: mid(c.bid, c.ask) ?? c.last,
  };
}

/** Legs whose intent still follows the holdings, re-derived from `held` (which arrived later). */
export function withHoldings(legs: readonly TicketLeg[], held: Held): TicketLeg[] {
  return legs.map((l) =>
    l.autoIntent ? { ...l, positionIntent: intentFor(l.side, held[l.symbol] ?? 0) } : l
  );
}

/** The person picked an intent: its side comes with it, and holdings no longer change it. */
export function setIntent(leg: TicketLeg, intent: PositionIntent): TicketLeg {
  return { ...leg, positionIntent: intent, side: intentSide(intent), autoIntent: false };
}

/**
 * "+ leg" mode: a quote clicked again takes its leg away, the other side of a picked contract
 * replaces it, and a fifth contract is refused with the reason.
 */
export function pickLeg(
  legs: readonly TicketLeg[],
  leg: TicketLeg,
): { legs: TicketLeg[]; message: string | null } {
  const at = legs.findIndex((l) => l.symbol === leg.symbol);
  if (at >= 0) {
    const same = legs[at].side === leg.side;
    const rest = legs.filter((_, i) => i !== at);
    return { legs: same ? rest : [...rest.slice(0, at), leg, ...rest.slice(at)], message: null };
  }
  if (legs.length >= MAX_LEGS) {
    return {
      legs: [...legs],
      message: `A multi-leg order has at most ${MAX_LEGS} legs; remove one first.`,
    };
  }
  return { legs: [...legs, leg], message: null };
}

/** USD per share one leg trades at: the side's quote ("market"), or its mark ("mid"). */
export function legPrice(leg: TicketLeg, basis: "market" | "mid"): number | null {
  if (basis === "mid") return leg.mark ?? mid(leg.bid, leg.ask);
  return leg.side === "buy" ? leg.ask : leg.bid;
}

/**
 * Net USD per share of one unit: what the buys cost less what the sells bring, each × its
 * ratio. Positive is a debit, negative a credit; null when a leg has no price on that basis.
 */
export function netPerShare(legs: readonly TicketLeg[], basis: "market" | "mid"): number | null {
  let net = 0;
  for (const l of legs) {
    const p = legPrice(l, basis);
    if (p === null) return null;
    net += (l.side === "buy" ? 1 : -1) * l.ratioQty * p;
  }
  return Math.round(net * 100) / 100;
}

export type OrderKind = "market" | "limit";

/** The ticket's fields as typed. */
export interface OptionTicketForm {
  legs: TicketLeg[];
  /** Contracts (one leg) or units of the structure (each leg trades units × its ratio). */
  qty: string;
  type: OrderKind;
  timeInForce: TimeInForce;
  /** USD per share; for a multi-leg order the net of one unit, always positive. */
  limitPrice: string;
  /** Multi-leg: "buy" pays the net (a debit), "sell" receives it (a credit). */
  netSide: OrderSide;
}

/**
 * A fresh ticket for `legs`: `qty` contracts or units (1 by default), a day limit at the clicked
 * price (the mark when there is no quote) or, for several legs, at the mid net.
 */
export function newTicket(legs: TicketLeg[], qty = 1): OptionTicketForm {
  const net = legs.length > 1 ? netPerShare(legs, "mid") : null;
  const price = legs.length === 1 ? legPrice(legs[0], "market") ?? legs[0].mark : net;
  return {
    legs,
    qty: String(qty),
    type: "limit",
    timeInForce: "day",
    limitPrice: price === null ? "" : Math.max(0.01, Math.abs(price)).toFixed(2),
    netSide: net !== null && net < 0 ? "sell" : "buy",
  };
}

export type OptionField = "legs" | "qty" | "limitPrice";
export type OptionErrors = Partial<Record<OptionField, string>>;

export interface SingleLegBody {
  symbol: string;
  side: OrderSide;
  type: OrderKind;
  timeInForce: TimeInForce;
  qty: number;
  limitPrice?: number;
  positionIntent: PositionIntent;
}

export interface MultiLegBody {
  orderClass: "mleg";
  symbol: string;
  side: OrderSide;
  type: OrderKind;
  timeInForce: TimeInForce;
  qty: number;
  limitPrice?: number;
  legs: { symbol: string; side: OrderSide; ratioQty: number; positionIntent: PositionIntent }[];
}

/** `POST /api/orders` without the key and the preview flag. */
export type OptionOrderBody = SingleLegBody | MultiLegBody;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function legsProblem(legs: readonly TicketLeg[]): string | null {
  if (legs.length === 0) return "Pick a contract from the chain.";
  if (legs.length > MAX_LEGS) return `At most ${MAX_LEGS} legs in one order.`;
  if (legs.length === 1) return null;
  if (new Set(legs.map((l) => l.symbol)).size !== legs.length) {
    return "Each contract may appear in one leg only.";
  }
  if (new Set(legs.map((l) => l.underlying)).size !== 1) {
    return "All legs must be on the same underlying.";
  }
  const bad = legs.findIndex((l) => !Number.isInteger(l.ratioQty) || l.ratioQty < 1);
  if (bad >= 0) return `Leg ${bad + 1}: the ratio is a whole number of contracts, at least 1.`;
  const common = legs.reduce((g, l) => gcd(g, l.ratioQty), 0);
  if (common > 1) {
    return `The ratios ${legs.map((l) => l.ratioQty).join(":")} share a factor of ${common}: ` +
      `use ${
        legs.map((l) => l.ratioQty / common).join(":")
      } and a quantity ${common} times larger.`;
  }
  return null;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The form as an order body, or the errors to show beside its fields. */
export function buildOptionOrder(
  form: OptionTicketForm,
): { ok: true; body: OptionOrderBody } | { ok: false; errors: OptionErrors } {
  const errors: OptionErrors = {};
  const multi = form.legs.length > 1;
  const legs = legsProblem(form.legs);
  if (legs) errors.legs = legs;
  const qty = parseAmount(form.qty, multi ? "the number of units" : "the number of contracts", 0);
  if (!qty.ok) errors.qty = capitalize(qty.message);
  let limitPrice: number | undefined;
  if (form.type === "limit") {
    const p = parseAmount(form.limitPrice, multi ? "a net limit price" : "a limit price", 2);
    if (p.ok) limitPrice = p.value;
    else errors.limitPrice = capitalize(p.message);
  }
  if (Object.keys(errors).length || !qty.ok) return { ok: false, errors };
  const priced = limitPrice === undefined ? {} : { limitPrice };
  const common = { type: form.type, timeInForce: form.timeInForce, qty: qty.value, ...priced };
  if (!multi) {
    const [leg] = form.legs;
    return {
      ok: true,
      body: { symbol: leg.symbol, side: leg.side, ...common, positionIntent: leg.positionIntent },
    };
  }
  return {
    ok: true,
    body: {
      orderClass: "mleg",
      symbol: form.legs[0].underlying,
      side: form.netSide,
      ...common,
      legs: form.legs.map((l) => ({
        symbol: l.symbol,
        side: l.side,
        ratioQty: l.ratioQty,
        positionIntent: l.positionIntent,
      })),
    },
  };
}

/** What the ticket shows under its price: per share, the dollars it stands for, debit or credit. */
export interface TicketEstimate {
  /** USD per share (net of one unit for a multi-leg order); null when unknown. */
  perShare: number | null;
  /** perShare × quantity × 100; null when either is unknown. */
  dollars: number | null;
  /** Paid or received. */
  kind: "debit" | "credit";
  /** The limit typed, or the market's price now. */
  basis: "limit" | "market";
}

export function ticketEstimate(form: OptionTicketForm): TicketEstimate {
  const multi = form.legs.length > 1;
  const kind = (multi ? form.netSide : form.legs[0]?.side) === "sell" ? "credit" : "debit";
  const limit = parseAmount(form.limitPrice, "", 2);
  let perShare: number | null;
  let basis: TicketEstimate["basis"] = "limit";
  if (form.type === "limit" && limit.ok) perShare = limit.value;
  else {
    basis = "market";
    const net = multi
      ? netPerShare(form.legs, "market")
      : form.legs[0]
      ? legPrice(form.legs[0], "market")
      : null;
    perShare = net === null ? null : Math.abs(net);
  }
  const qty = parseAmount(form.qty, "", 0);
  return {
    perShare,
    dollars: perShare !== null && qty.ok ? contractDollars(qty.value, perShare) : null,
    kind,
    basis,
  };
}

/**
 * The idempotency key of an order: kept while the body stays the same and is not placed, so a
 * Confirm whose answer was lost is retried under the key the server may already hold; a changed
 * order gets a new one.
 */
export function keyFor(
  prev: { json: string; key: string } | null,
  body: OptionOrderBody,
  makeKey: () => string,
): { json: string; key: string } {
  const json = JSON.stringify(body);
  return prev?.json === json ? prev : { json, key: makeKey() };
}

/** `150/155 call` style name of the legs' strikes, for the ticket's title. */
export function legsTitle(legs: readonly TicketLeg[]): string {
  if (legs.length === 0) return "";
  const types = new Set(legs.map((l) => l.type));
  const strikes = [...new Set(legs.map((l) => l.strike))].sort((a, b) => a - b);
  const kind = types.size === 1 ? ` ${legs[0].type}${legs.length > 1 ? "s" : ""}` : "";
  return `${legs[0].underlying} ${strikes.map(strikeText).join("/")}${kind}`;
}

/** The ticket field an API validation path (`qty`, `legs.1.ratioQty`, …) belongs to. */
export function optionFieldForPath(path: string): OptionField | null {
  const head = path.split(".")[0];
  if (head === "qty" || head === "limitPrice") return head;
  if (head === "legs" || head === "symbol" || head === "positionIntent" || head === "side") {
    return "legs";
  }
  return null;
}

/** A 400's issues as the ticket's field errors; the first issue per field wins. */
export function errorsFromIssues(
  issues: readonly { path: string; message: string }[],
): OptionErrors {
  const errors: OptionErrors = {};
  for (const i of issues) {
    const field = optionFieldForPath(i.path);
    if (!field || errors[field]) continue;
    const where = /^legs\.(\d+)/.exec(i.path);
    errors[field] = where ? `Leg ${Number(where[1]) + 1}: ${i.message}` : i.message;
  }
  return errors;
}
