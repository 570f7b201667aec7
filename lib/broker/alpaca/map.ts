/**
 * Alpaca's shapes → the Broker seam's (lib/broker/types.ts), and our order request → Alpaca's
 * POST body. Alpaca's decimal strings become numbers only here.
 *
 * @module
 */
import { OPTION_MULTIPLIER, parseOcc } from "../../options/occ.ts";
import type { OrderRow } from "../orders_repo.ts";
import {
  type Account,
  type AssetClass,
  type HistoryPoint,
  type HistoryRange,
  type OrderClass,
  type OrderRequest,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type PortfolioHistory,
  type Position,
  type PositionIntent,
  type ReplaceRequest,
  type TimeInForce,
} from "../types.ts";
import type {
  AlpacaAccount,
  AlpacaOrder,
  AlpacaPortfolioHistory,
  AlpacaPosition,
} from "./schemas.ts";

const num = (v: string | null): number | null => v === null ? null : Number(v);

/** RFC 3339 with up to nine fractional digits (§3.2); null when absent or unreadable. */
export function alpacaTime(t: string | null): Date | null {
  if (!t) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Cents, away from float noise: 0.1 + 0.2 → 0.3. */
export function roundCents(n: number): number {
  return Math.round((n + Number.EPSILON * Math.sign(n)) * 100) / 100;
}

/** Alpaca's account has no unrealized total: the caller sums it from the positions. */
export function toAccount(a: AlpacaAccount, unrealizedPl: number, now: Date): Account {
  const equity = Number(a.equity);
  const lastEquity = Number(a.last_equity);
  return {
    source: "alpaca",
    prices: "alpaca",
    currency: "USD",
    cash: Number(a.cash),
    buyingPower: Number(a.buying_power),
    equity,
    longMarketValue: Number(a.long_market_value),
    shortMarketValue: Number(a.short_market_value),
    lastEquity,
    dayPl: roundCents(equity - lastEquity),
    dayPlPercent: lastEquity > 0 ? (equity - lastEquity) / lastEquity : null,
    startingCash: null,
    unrealizedPl: roundCents(unrealizedPl),
    realizedPl: null,
    timestamp: now.toISOString(),
  };
}

/**
 * Option positions (`asset_class: "us_option"`) come in contracts with prices per share and USD
 * figures already × 100, which is the seam's convention too: only the contract is added.
 */
export function toPosition(p: AlpacaPosition): Position {
  const qty = Number(p.qty);
  const costBasis = Number(p.cost_basis);
  const contract = p.asset_class === "us_option" || p.asset_class === undefined
    ? parseOcc(p.symbol)
    : null;
  const option = contract
    ? {
      assetClass: "us_option" as const,
      option: {
        underlying: contract.underlying,
        expiration: contract.expiration,
        type: contract.type,
        strike: contract.strike,
        multiplier: OPTION_MULTIPLIER,
      },
    }
    : p.asset_class === "us_option"
    ? { assetClass: "us_option" as const }
    : {};
  return {
    symbol: p.symbol,
    // Alpaca signs qty of shorts already; enforce it in case a response does not.
    qty: p.side === "short" ? -Math.abs(qty) : Math.abs(qty),
    side: p.side,
    avgEntryPrice: Number(p.avg_entry_price),
    costBasis: p.side === "short" ? -Math.abs(costBasis) : Math.abs(costBasis),
    marketValue: num(p.market_value),
    currentPrice: num(p.current_price),
    lastdayPrice: num(p.lastday_price),
    unrealizedPl: num(p.unrealized_pl),
    unrealizedPlPercent: num(p.unrealized_plpc),
    changeToday: num(p.change_today),
    dayPl: num(p.unrealized_intraday_pl),
    realizedPl: null,
    source: "alpaca",
    prices: "alpaca",
    ...option,
  };
}

/** Alpaca's wider status enum (§5.9) folded onto the seam's. */
export function toOrderStatus(o: Pick<AlpacaOrder, "status" | "filled_qty">): OrderStatus {
  switch (o.status) {
    case "pending_new":
    case "pending_review":
      return "pending_new";
    case "accepted":
    case "accepted_for_bidding":
    case "held":
    case "suspended":
      return "accepted";
    case "new":
    case "stopped":
    case "calculated":
    // A GTC order done for the day resumes tomorrow; a day order is expired by Alpaca later.
    case "done_for_day":
      return Number(o.filled_qty) > 0 ? "partially_filled" : "new";
    case "partially_filled":
    case "filled":
    case "canceled":
    case "expired":
    case "replaced":
    case "rejected":
    case "pending_cancel":
    case "pending_replace":
      return o.status;
    default:
      // An unknown status is treated as still working, so the sync job keeps watching it.
      return "accepted";
  }
}

const ORDER_TYPES: readonly OrderType[] = [
  "market",
  "limit",
  "stop",
  "stop_limit",
  "trailing_stop",
];

export function toOrderType(t: string): OrderType {
  return (ORDER_TYPES as readonly string[]).includes(t) ? t as OrderType : "market";
}

/** Alpaca's opg/cls/ioc/fok never come from PaiiD; anything but gtc ends with the day. */
export function toTimeInForce(t: string): TimeInForce {
  return t === "gtc" ? "gtc" : "day";
}

export function toSide(s: string): OrderSide {
  return s === "sell" ? "sell" : "buy";
}

/** The decimal text Alpaca wants: no exponent, no float tail (0.1 + 0.2 → "0.3"). */
export function decimalString(n: number, places = 9): string {
  const fixed = n.toFixed(places);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  return trimmed === "-0" ? "0" : trimmed;
}

/** An order on option contracts: one OCC symbol, or a multi-leg order. */
export function isOptionRequest(req: Pick<OrderRequest, "symbol" | "orderClass">): boolean {
  return req.orderClass === "mleg" || parseOcc(req.symbol) !== null;
}

/**
 * What Alpaca would refuse about an option order (§5.2), said before anything is sent: options
 * trade for the day only, as market or limit orders, in whole contracts; an mleg order has at most
 * four legs of option contracts with whole ratios. Null for any other order.
 */
export function optionOrderProblem(req: OrderRequest): string | null {
  if (!isOptionRequest(req)) return null;
  if (req.timeInForce !== "day") {
    return "Alpaca takes option orders for the day only: send it with time in force day " +
      `(${req.timeInForce} is for stock).`;
  }
  if (req.type !== "market" && req.type !== "limit") {
    return `Alpaca takes option orders as market or limit orders, not ${req.type}.`;
  }
  if (req.notional !== undefined || req.qty === undefined) {
    return "An option order needs a quantity in whole contracts, not a dollar amount.";
  }
  if (!Number.isInteger(req.qty) || req.qty < 1) {
    return `Options trade in whole contracts; ${req.qty} is not a whole number of them.`;
  }
  if (req.orderClass !== "mleg") {
    return req.positionIntent ? null : "An option order needs its position intent " +
      "(buy_to_open, buy_to_close, sell_to_open or sell_to_close).";
  }
  const legs = req.legs ?? [];
  if (legs.length < 2 || legs.length > 4) {
    return `A multi-leg order has 2 to 4 legs (Alpaca takes at most 4), not ${legs.length}.`;
  }
  for (const [i, leg] of legs.entries()) {
    if (!parseOcc(leg.symbol)) return `Leg ${i + 1}: ${leg.symbol} is not an option contract.`;
    if (!Number.isInteger(leg.ratioQty) || leg.ratioQty < 1) {
      return `Leg ${i + 1}: the ratio must be a whole number of contracts, not ${leg.ratioQty}.`;
    }
  }
  return null;
}

/** POST /v2/orders body (§5.2): decimals as strings, our key as `client_order_id`. */
export function toOrderBody(req: OrderRequest, clientOrderId: string): Record<string, unknown> {
  if (req.orderClass === "mleg") return toMlegBody(req, clientOrderId);
  const body: Record<string, unknown> = {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    time_in_force: req.timeInForce,
    client_order_id: clientOrderId,
  };
  if (req.qty !== undefined) body.qty = decimalString(req.qty);
  if (req.notional !== undefined) body.notional = decimalString(req.notional, 2);
  if (req.limitPrice !== undefined) body.limit_price = decimalString(req.limitPrice, 6);
  if (req.stopPrice !== undefined) body.stop_price = decimalString(req.stopPrice, 6);
  if (req.trailPrice !== undefined) body.trail_price = decimalString(req.trailPrice, 6);
  if (req.trailPercent !== undefined) body.trail_percent = decimalString(req.trailPercent, 4);
  if (req.positionIntent !== undefined) body.position_intent = req.positionIntent;
  return body;
}

/**
 * A multi-leg option order: the legs name the contracts, so the top-level `symbol` and `side`
 * are left out, as §5.2 allows for `mleg`. `qty` counts units of the legs' ratios.
 */
function toMlegBody(req: OrderRequest, clientOrderId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    order_class: "mleg",
    type: req.type,
    time_in_force: req.timeInForce,
    client_order_id: clientOrderId,
    qty: decimalString(req.qty ?? 0),
    legs: (req.legs ?? []).map((l) => ({
      symbol: l.symbol,
      ratio_qty: String(l.ratioQty),
      side: l.side,
      position_intent: l.positionIntent,
    })),
  };
  if (req.limitPrice !== undefined) body.limit_price = decimalString(mlegLimit(req), 6);
  return body;
}

/**
 * The contract is silent on the sign of an mleg `limit_price`. Alpaca's documentation uses a
 * positive limit for a net debit and a negative one for a net credit, so that is what we send;
 * our own limit is always positive, with the side saying which it is.
 */
function mlegLimit(req: OrderRequest): number {
  const price = Math.abs(req.limitPrice ?? 0);
  return req.side === "sell" ? -price : price;
}

const INTENTS: readonly PositionIntent[] = [
  "buy_to_open",
  "buy_to_close",
  "sell_to_open",
  "sell_to_close",
];

export function toPositionIntent(v: string | null | undefined): PositionIntent | null {
  return (INTENTS as readonly (string | null | undefined)[]).includes(v)
    ? v as PositionIntent
    : null;
}

/** What an Alpaca order says about options, in the seam's terms. */
export interface OptionFields {
  assetClass: AssetClass;
  orderClass: OrderClass;
  positionIntent: PositionIntent | null;
}

export function toOptionFields(o: AlpacaOrder): OptionFields {
  const orderClass: OrderClass = o.order_class === "mleg" ? "mleg" : "simple";
  const option = orderClass === "mleg" || o.asset_class === "us_option" ||
    (o.asset_class === undefined && parseOcc(o.symbol) !== null);
  return {
    assetClass: option ? "us_option" : "us_equity",
    orderClass,
    positionIntent: toPositionIntent(o.position_intent),
  };
}

/** One mleg leg's fill as Alpaca reports it: contracts filled and USD per share. */
export interface LegFill {
  /** Alpaca's id of the leg's own order; its FILL activities carry it. */
  brokerOrderId: string;
  symbol: string;
  side: OrderSide;
  ratioQty: number;
  filledQty: number;
  filledAvgPrice: number | null;
}

/** The legs of an mleg order with their fills; null when the answer carries none. */
export function toLegFills(o: AlpacaOrder): LegFill[] | null {
  if (o.order_class !== "mleg" || !o.legs?.length) return null;
  return o.legs.map((l) => ({
    brokerOrderId: l.id,
    symbol: l.symbol,
    side: toSide(l.side),
    ratioQty: Number(l.ratio_qty ?? 1),
    filledQty: Number(l.filled_qty),
    filledAvgPrice: num(l.filled_avg_price),
  }));
}

/**
 * The order's average fill price as our row keeps it: for mleg orders the net price of one unit
 * per share without its sign (our side says debit or credit; Alpaca may sign it like the limit).
 */
export function filledAvgPriceOf(o: AlpacaOrder): string | null {
  const p = o.filled_avg_price;
  return o.order_class === "mleg" && p !== null ? p.replace(/^-/, "") : p;
}

/** PATCH /v2/orders/{id} body (§5.6). */
export function toReplaceBody(
  change: ReplaceRequest,
  clientOrderId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { client_order_id: clientOrderId };
  if (change.qty !== undefined) body.qty = decimalString(change.qty);
  if (change.limitPrice !== undefined) body.limit_price = decimalString(change.limitPrice, 6);
  if (change.stopPrice !== undefined) body.stop_price = decimalString(change.stopPrice, 6);
  if (change.trail !== undefined) body.trail = decimalString(change.trail, 6);
  if (change.timeInForce !== undefined) body.time_in_force = change.timeInForce;
  return body;
}

/** `period`/`timeframe` of GET /v2/account/portfolio/history for each range (§8). */
export const HISTORY_QUERY: Record<HistoryRange, { period: string; timeframe: string }> = {
  "1D": { period: "1D", timeframe: "5Min" },
  "1W": { period: "1W", timeframe: "1H" },
  "1M": { period: "1M", timeframe: "1D" },
  "3M": { period: "3M", timeframe: "1D" },
  "1Y": { period: "1A", timeframe: "1D" },
  "ALL": { period: "5A", timeframe: "1D" },
};

export function toPortfolioHistory(
  range: HistoryRange,
  h: AlpacaPortfolioHistory,
): PortfolioHistory {
  const points: HistoryPoint[] = [];
  const firstEquity = h.equity.find((e) => e !== null) ?? 0;
  const baseValue = h.base_value ?? firstEquity;
  h.timestamp.forEach((t, i) => {
    const equity = h.equity[i];
    if (equity === null || equity === undefined) return;
    const pl = h.profit_loss[i] ?? equity - baseValue;
    points.push({
      time: new Date(t * 1000).toISOString(),
      equity,
      profitLoss: roundCents(pl),
      profitLossPercent: h.profit_loss_pct[i] ??
        (baseValue > 0 ? equity / baseValue - 1 : null),
    });
  });
  return { range, baseValue, points, source: "alpaca", prices: "alpaca" };
}

/** What replacing `row` with `change` asks for, as our row's request. */
export function requestOf(row: OrderRow, change: ReplaceRequest, key: string): OrderRequest {
  const n = (v: string | null) => v === null ? undefined : Number(v);
  const trail = change.trail;
  return {
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: change.timeInForce ?? row.time_in_force,
    qty: change.qty ?? n(row.qty),
    notional: row.qty === null ? n(row.notional) : undefined,
    limitPrice: change.limitPrice ?? n(row.limit_price),
    stopPrice: change.stopPrice ?? n(row.stop_price),
    trailPrice: row.trail_price !== null ? trail ?? n(row.trail_price) : undefined,
    trailPercent: row.trail_percent !== null ? trail ?? n(row.trail_percent) : undefined,
    clientOrderId: key,
  };
}
