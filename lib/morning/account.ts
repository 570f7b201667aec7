/**
 * The account half of the morning brief: the portfolio's overnight change, the open orders and
 * the risk alerts, from the broker (the one source of positions) and the user's risk settings
 * (lib/settings.ts, which the pre-trade checks in lib/broker/checks.ts enforce).
 *
 * Risk alerts (pure, `riskAlerts`):
 * - `near_stop`: a position with an open protective stop (a sell stop for a long position, a buy
 *   stop for a short one) whose price is within `NEAR_STOP_PERCENT` of it (warn), or through it
 *   (breach). A trailing stop's level is its best price less the trail.
 * - `concentration`: a position worth more than the user's `maxPositionPercent` of equity.
 * - `daily_loss`: today's loss at half the user's `dailyLossLimit` (warn) or at it (breach).
 *
 * @module
 */
import type { Account, Order, Position } from "../broker/types.ts";
import type { Settings } from "../settings.ts";
import type { Figure, OpenOrderLine, PortfolioOverview, RiskAlert } from "../shared/morning.ts";
import { figure } from "./market.ts";

export const NEAR_STOP_PERCENT = 3;
export const LOSS_WARN_SHARE = 0.5;

export function portfolioOverview(account: Account, positions: Position[]): PortfolioOverview {
  const src = account.source;
  const at = account.timestamp;
  const usd = (v: number) => figure(v, "USD", src, at);
  const change = account.equity - account.lastEquity;
  return {
    source: account.source,
    prices: account.prices,
    equity: usd(account.equity),
    lastEquity: usd(account.lastEquity),
    change: usd(change),
    changePercent: account.lastEquity > 0
      ? figure((change / account.lastEquity) * 100, "%", src, at)
      : null,
    cash: usd(account.cash),
    positions: figure(positions.length, "count", src, at),
  };
}

export function openOrderLines(orders: Order[]): OpenOrderLine[] {
  return orders.map((o) => {
    const f = (v: number | null, unit: Figure["unit"]) =>
      v === null ? null : figure(v, unit, o.source, o.createdAt, 4);
    return {
      id: o.id,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      qty: f(o.qty, "shares"),
      limitPrice: f(o.limitPrice, "USD"),
      stopPrice: f(o.stopPrice, "USD"),
      status: o.status,
    };
  });
}

/** The level a stop order triggers at, or null when it cannot be told. */
export function stopLevel(o: Order): number | null {
  if (o.type === "stop" || o.type === "stop_limit") return o.stopPrice;
  if (o.type !== "trailing_stop") return null;
  if (o.stopPrice !== null) return o.stopPrice;
  if (o.hwm === null) return null;
  const sign = o.side === "sell" ? -1 : 1;
  if (o.trailPrice !== null) return o.hwm + sign * o.trailPrice;
  if (o.trailPercent !== null) return o.hwm * (1 + sign * o.trailPercent / 100);
  return null;
}

export function riskAlerts(
  account: Account,
  positions: Position[],
  openOrders: Order[],
  settings: Pick<Settings, "maxPositionPercent" | "dailyLossLimit">,
): RiskAlert[] {
  const src = account.source;
  const at = account.timestamp;
  const limit = (v: number, unit: Figure["unit"]) => figure(v, unit, "settings", at);
  const alerts: RiskAlert[] = [];
  for (const p of positions) {
    const price = p.currentPrice;
    if (price === null || !(price > 0)) continue;
    const protective = openOrders.filter((o) =>
      o.symbol === p.symbol && o.side === (p.side === "long" ? "sell" : "buy")
    );
    for (const o of protective) {
      const stop = stopLevel(o);
      if (stop === null || !(stop > 0)) continue;
      // Distance left before the stop triggers, in percent of the price (negative: through it).
      const room = p.side === "long" ? (price - stop) / price * 100 : (stop - price) / price * 100;
      if (room > NEAR_STOP_PERCENT) continue;
      alerts.push({
        kind: "near_stop",
        severity: room <= 0 ? "breach" : "warn",
        symbol: p.symbol,
        message: room <= 0
          ? `${p.symbol} at ${price.toFixed(2)} USD is through its stop at ${stop.toFixed(2)} USD.`
          : `${p.symbol} at ${price.toFixed(2)} USD is ${room.toFixed(2)} % ${
            p.side === "long" ? "above" : "below"
          } its stop at ${stop.toFixed(2)} USD.`,
        value: figure(room, "%", p.prices, at),
        limit: figure(NEAR_STOP_PERCENT, "%", "morning rule", at),
      });
    }
    if (account.equity > 0 && p.marketValue !== null) {
      const share = Math.abs(p.marketValue) / account.equity * 100;
      if (share > settings.maxPositionPercent) {
        alerts.push({
          kind: "concentration",
          severity: "breach",
          symbol: p.symbol,
          message: `${p.symbol} is ${
            share.toFixed(2)
          } % of equity, over your limit of ${settings.maxPositionPercent} %.`,
          value: figure(share, "%", src, at),
          limit: limit(settings.maxPositionPercent, "%"),
        });
      }
    }
  }
  const loss = -account.dayPl;
  if (loss >= settings.dailyLossLimit * LOSS_WARN_SHARE) {
    const breach = loss >= settings.dailyLossLimit;
    alerts.push({
      kind: "daily_loss",
      severity: breach ? "breach" : "warn",
      symbol: null,
      message: breach
        ? `Today's loss of ${loss.toFixed(2)} USD has reached your daily limit of ${
          settings.dailyLossLimit.toFixed(2)
        } USD: only orders that reduce positions go through.`
        : `Today's loss of ${loss.toFixed(2)} USD is past half your daily limit of ${
          settings.dailyLossLimit.toFixed(2)
        } USD.`,
      value: figure(loss, "USD", src, at),
      limit: limit(settings.dailyLossLimit, "USD"),
    });
  }
  return alerts;
}
