/**
 * Alpaca's shapes → the Broker seam's (lib/broker/types.ts), and our order request → Alpaca's
 * POST body. Alpaca's decimal strings become numbers only here.
 *
 * @module
 */
import type { OrderRow } from "../orders_repo.ts";
import {
  type Account,
  type HistoryPoint,
  type HistoryRange,
  type OrderRequest,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type PortfolioHistory,
  type Position,
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

export function toPosition(p: AlpacaPosition): Position {
  const qty = Number(p.qty);
  const costBasis = Number(p.cost_basis);
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

/** POST /v2/orders body (§5.2): decimals as strings, our key as `client_order_id`. */
export function toOrderBody(req: OrderRequest, clientOrderId: string): Record<string, unknown> {
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
  return body;
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
