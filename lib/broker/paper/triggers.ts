/**
 * When a working paper order fills, given a quote: pure, so every order type's rule is tested
 * on its own. Buys fill at the ask and sells at the bid (the last trade when a side is
 * missing), during the regular session only.
 *
 * - market (queued while closed): fills at the first quote of the session.
 * - limit: a buy when the ask is at or below the limit, a sell when the bid is at or above it.
 * - stop: becomes a market order once the last trade reaches the stop (buy: at or above, sell:
 *   at or below).
 * - stop_limit: once the stop is reached it is `triggered` and then works as a limit order.
 * - trailing_stop: the stop follows the best price since the order started (`hwm`: the high for
 *   a sell, the low for a buy) at `trailPrice` dollars or `trailPercent` percent, and fires as
 *   a stop.
 *
 * @module
 */
import { executionPrice, type QuoteView } from "../checks.ts";
import type { OrderSide, OrderType } from "../types.ts";

export interface WorkingOrder {
  side: OrderSide;
  type: OrderType;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  hwm: number | null;
  triggered: boolean;
}

export interface Decision {
  /** Fill now at this price. */
  fill?: number;
  /** A stop-limit's stop was reached: from now on it is a limit order. */
  triggered?: boolean;
  /** A trailing stop's new high- (sell) or low- (buy) water mark. */
  hwm?: number;
  /** A trailing stop's current stop price. */
  stop?: number;
}

export function evaluate(o: WorkingOrder, q: QuoteView, sessionOpen: boolean): Decision {
  if (!sessionOpen) return {};
  const px = executionPrice(o.side, q);
  if (px === null) return {};
  const last = q.last ?? px;
  const buy = o.side === "buy";
  const limitOk = (limit: number) => buy ? px <= limit : px >= limit;
  const stopHit = (stop: number) => buy ? last >= stop : last <= stop;

  switch (o.type) {
    case "market":
      return { fill: px };
    case "limit":
      return o.limitPrice !== null && limitOk(o.limitPrice) ? { fill: px } : {};
    case "stop":
      return o.stopPrice !== null && stopHit(o.stopPrice) ? { fill: px } : {};
    case "stop_limit": {
      if (o.stopPrice === null || o.limitPrice === null) return {};
      const triggered = o.triggered || stopHit(o.stopPrice);
      if (!triggered) return {};
      const out: Decision = o.triggered ? {} : { triggered: true };
      if (limitOk(o.limitPrice)) out.fill = px;
      return out;
    }
    case "trailing_stop": {
      const mark = o.hwm === null ? last : buy ? Math.min(o.hwm, last) : Math.max(o.hwm, last);
      const stop = trailingStop(o.side, mark, o.trailPrice, o.trailPercent);
      const out: Decision = stop === null ? {} : { stop };
      if (mark !== o.hwm) out.hwm = mark;
      if (stop !== null && stopHit(stop)) out.fill = px;
      return out;
    }
  }
}

/** A trailing stop's stop price for its water mark. */
export function trailingStop(
  side: OrderSide,
  mark: number,
  trailPrice: number | null,
  trailPercent: number | null,
): number | null {
  if (trailPrice !== null) return side === "sell" ? mark - trailPrice : mark + trailPrice;
  if (trailPercent !== null) {
    return side === "sell" ? mark * (1 - trailPercent / 100) : mark * (1 + trailPercent / 100);
  }
  return null;
}
