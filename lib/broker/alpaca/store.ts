/**
 * The Alpaca broker's SQL beyond the shared orders_repo.ts: settling an order row from Alpaca's
 * answer, the reconcile job's queries, and booking Alpaca fills into `trades` exactly once
 * (`broker_fill_id` = the activity id, unique per broker).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Queryable } from "../../db/database.ts";
import type { OrderRow } from "../orders_repo.ts";
import { OPEN_STATUSES, type OrderStatus } from "../types.ts";
import { alpacaTime, filledAvgPriceOf, toLegFills, toOrderStatus } from "./map.ts";
import { applyLegFills, bookOptionFill } from "./option_rows.ts";
import { parseOcc } from "../../options/occ.ts";
import type { AlpacaFillActivity, AlpacaOrder } from "./schemas.ts";

/** Writes Alpaca's view of the order onto our row (its id, status, fill and times, legs' fills). */
export async function applyAlpacaOrder(
  q: Queryable,
  rowId: string,
  o: AlpacaOrder,
  status: OrderStatus = toOrderStatus(o),
): Promise<OrderRow> {
  const [row] = await q.query<OrderRow>(
    `update orders set
       broker_order_id = $2, status = $3, filled_qty = $4, filled_avg_price = $5,
       submitted_at = coalesce($6, submitted_at), filled_at = $7, canceled_at = $8,
       expired_at = coalesce($9, expired_at), replaced_at = coalesce($10, replaced_at),
       hwm = coalesce($11, hwm), prices = 'alpaca', updated_at = now()
     where id = $1
     returning *`,
    [
      rowId,
      o.id,
      status,
      o.filled_qty,
      filledAvgPriceOf(o),
      alpacaTime(o.submitted_at),
      alpacaTime(o.filled_at),
      alpacaTime(o.canceled_at),
      alpacaTime(o.expired_at ?? (o.status === "rejected" ? o.failed_at : null)),
      alpacaTime(o.replaced_at),
      o.hwm,
    ],
  );
  // Only mleg answers carry legs, so a stock order's update stays one statement.
  const legs = toLegFills(o);
  if (legs && row) await applyLegFills(q, rowId, legs);
  return row;
}

/** Removes an intent row Alpaca definitely refused; never one Alpaca has an id for. */
export async function deleteIntent(q: Queryable, rowId: string): Promise<void> {
  await q.query(
    "delete from orders where id = $1 and broker = 'alpaca' and broker_order_id is null",
    [rowId],
  );
}

/** Every user's Alpaca orders that can still change, oldest first. */
export async function openAlpacaRows(q: Queryable): Promise<OrderRow[]> {
  return await q.query<OrderRow>(
    `select * from orders where broker = 'alpaca' and status = any($1::text[])
     order by created_at, id`,
    [OPEN_STATUSES],
  );
}

/** Rows sync() marked never received (reason = `reason`) since `since`, to look up again. */
export async function neverReceivedRows(
  q: Queryable,
  reason: string,
  since: Date,
): Promise<OrderRow[]> {
  return await q.query<OrderRow>(
    `select * from orders where broker = 'alpaca' and status = 'rejected'
       and broker_order_id is null and reason = $1 and created_at > $2
     order by created_at, id`,
    [reason, since],
  );
}

export async function markRejected(q: Queryable, rowId: string, reason: string): Promise<void> {
  await q.query(
    `update orders set status = 'rejected', reason = $2, updated_at = now()
     where id = $1 and broker_order_id is null and status = 'pending_new'`,
    [rowId, reason],
  );
}

/** Links a replaced order to its replacement and closes it (or marks the replace pending). */
export async function markReplaced(
  q: Queryable,
  oldId: string,
  newId: string,
  status: "replaced" | "pending_replace",
): Promise<OrderRow> {
  const [row] = await q.query<OrderRow>(
    `update orders set status = $3, replaced_by = $2,
       replaced_at = case when $3 = 'replaced' then coalesce(replaced_at, now()) end,
       updated_at = now()
     where id = $1 returning *`,
    [oldId, newId, status],
  );
  return row;
}

/**
 * Where to start reading fills, or null when every fill our orders report is booked: the
 * creation of the oldest order whose filled quantity is not all in `trades` (its missing fills
 * came after it was created), less `overlapMs` for clock skew between us and Alpaca.
 * Run it after the orders were refreshed, so their filled quantities are current.
 */
export async function fillCursor(q: Queryable, overlapMs: number): Promise<Date | null> {
  const [r] = await q.query<{ at: Date | null }>(
    `select min(o.created_at) as at from orders o
     where o.broker = 'alpaca' and o.filled_qty > 0
       -- An mleg order's fills are its legs': its filled units × each leg's ratio.
       and o.filled_qty * coalesce(
         (select sum(l.ratio_qty) from order_legs l where l.order_id = o.id), 1) > (
       -- Alpaca's quantities have 9 decimals and ours 8: each booked fill may round by 1e-8.
       select coalesce(sum(t.quantity), 0) + 0.00000001 * count(*) from trades t
       where t.order_id = o.id)`,
  );
  return r?.at ? new Date(r.at.getTime() - overlapMs) : null;
}

export async function rowsByBrokerOrderIds(
  q: Queryable,
  ids: string[],
): Promise<Map<string, OrderRow>> {
  if (!ids.length) return new Map();
  const rows = await q.query<OrderRow>(
    "select * from orders where broker = 'alpaca' and broker_order_id = any($1::text[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.broker_order_id!, r]));
}

/** Books one fill; false when it was booked before (by this pass or an earlier one). */
export async function bookFill(
  q: Queryable,
  f: AlpacaFillActivity,
  order: OrderRow,
): Promise<boolean> {
  if (parseOcc(f.symbol)) return await bookOptionFill(q, f, order);
  const rows = await q.query(
    `insert into trades (user_id, symbol, side, quantity, price, executed_at, order_id, broker,
       notional, broker_fill_id)
     values ($1, $2, $3, $4, $5, $6, $7, 'alpaca', $8, $9)
     on conflict (broker, broker_fill_id) do nothing
     returning id`,
    [
      order.user_id,
      f.symbol,
      f.side,
      f.qty,
      f.price,
      alpacaTime(f.transaction_time),
      order.id,
      new Decimal(f.qty).times(f.price).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      f.id,
    ],
  );
  return rows.length > 0;
}
