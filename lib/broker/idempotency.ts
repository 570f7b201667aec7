/**
 * An idempotency key names one request. The first use of a `clientOrderId` stores a fingerprint
 * of the normalised request with the order; a later use with the same fingerprint is a retry and
 * gets the first order back, a later use with another request (another quantity, or a position
 * close reusing an order's key) is refused with `IdempotencyKeyReusedError` (409).
 *
 * @module
 */
import type { OrderRow } from "./orders_repo.ts";
import {
  type ClosePositionRequest,
  IdempotencyKeyReusedError,
  type OrderRequest,
  type ReplaceRequest,
} from "./types.ts";

/** Canonical text: fixed key order, absent fields left out, numbers as JSON writes them. */
function canonical(kind: string, fields: Record<string, unknown>): string {
  const present = Object.entries(fields).filter(([, v]) => v !== undefined && v !== null);
  return JSON.stringify([kind, ...present.map(([k, v]) => [k, v])]);
}

/** A new order as placed through `submit`. */
export function orderFingerprint(r: OrderRequest): string {
  return canonical("order", {
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.timeInForce,
    qty: r.qty,
    notional: r.notional,
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    trailPrice: r.trailPrice,
    trailPercent: r.trailPercent,
    // Option orders only; absent on stock orders, so their fingerprints are as before.
    positionIntent: r.positionIntent,
    orderClass: r.orderClass,
    legs: r.legs?.map((l) => [l.symbol, l.side, l.ratioQty, l.positionIntent]),
  });
}

/** Closing option positions as one multi-leg order: the contracts asked for, in any order. */
export function closeStrategyFingerprint(symbols: string[]): string {
  return canonical("close-strategy", { symbols: [...symbols].sort() });
}

/** A position close as asked (not the shares it came to: the position may have moved since). */
export function closeFingerprint(symbol: string, r: ClosePositionRequest): string {
  return canonical("close", { symbol, qty: r.qty, percentage: r.percentage });
}

/** A replace of order `id` with `change`. */
export function replaceFingerprint(id: string, change: ReplaceRequest): string {
  return canonical("replace", {
    of: id,
    qty: change.qty,
    limitPrice: change.limitPrice,
    stopPrice: change.stopPrice,
    trail: change.trail,
    timeInForce: change.timeInForce,
  });
}

/** Throws unless `row` was made by the request `fingerprint` describes (or predates them). */
export function assertSameRequest(row: OrderRow, fingerprint: string): void {
  if (row.request_fingerprint === null || row.request_fingerprint === fingerprint) return;
  throw new IdempotencyKeyReusedError(row.client_order_id, row.id);
}
