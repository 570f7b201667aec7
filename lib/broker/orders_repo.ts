/**
 * The `orders` table, shared by both brokers: one row per order with the caller's
 * `client_order_id` (unique per user), read back as the seam's `Order`.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import {
  type BrokerKind,
  intradayLabel,
  OPEN_STATUSES,
  type Order,
  OrderNotFoundError,
  type OrderQuery,
  type OrderRequest,
  type OrderStatus,
  type PriceSource,
} from "./types.ts";

export interface OrderRow {
  id: string;
  user_id: number;
  broker: BrokerKind;
  client_order_id: string;
  broker_order_id: string | null;
  symbol: string;
  side: Order["side"];
  type: Order["type"];
  time_in_force: Order["timeInForce"];
  qty: string | null;
  notional: string | null;
  limit_price: string | null;
  stop_price: string | null;
  trail_price: string | null;
  trail_percent: string | null;
  hwm: string | null;
  triggered_at: Date | null;
  status: OrderStatus;
  filled_qty: string;
  filled_avg_price: string | null;
  reason: string | null;
  expires_session: string | null;
  expires_session_no: number | null;
  request_fingerprint: string | null;
  prices: PriceSource | null;
  submitted_at: Date | null;
  filled_at: Date | null;
  canceled_at: Date | null;
  expired_at: Date | null;
  replaced_at: Date | null;
  replaces: string | null;
  replaced_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const num = (v: string | null): number | null => v === null ? null : Number(v);
const iso = (d: Date | null): string | null => d === null ? null : d.toISOString();

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: row.time_in_force,
    qty: num(row.qty),
    notional: num(row.notional),
    filledQty: Number(row.filled_qty),
    filledAvgPrice: num(row.filled_avg_price),
    limitPrice: num(row.limit_price),
    stopPrice: num(row.stop_price),
    trailPrice: num(row.trail_price),
    trailPercent: num(row.trail_percent),
    hwm: num(row.hwm),
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    submittedAt: iso(row.submitted_at),
    filledAt: iso(row.filled_at),
    canceledAt: iso(row.canceled_at),
    expiredAt: iso(row.expired_at),
    expiresSession: row.expires_session,
    replaces: row.replaces,
    replacedBy: row.replaced_by,
    source: row.broker,
    prices: row.prices,
    ...intradayLabel(row.prices),
  };
}

export interface NewOrder {
  userId: number;
  broker: BrokerKind;
  request: OrderRequest;
  status: OrderStatus;
  /** Day orders: the exchange date and the clock's session number whose close ends them. */
  expiresSession?: string | null;
  expiresSessionNo?: number | null;
  /** What the key was used for (lib/broker/idempotency.ts). */
  fingerprint?: string | null;
  replaces?: string | null;
  /** Trailing stops start their high-water mark at the price when they begin working. */
  hwm?: number | null;
}

/**
 * Inserts the order unless the user already has one with this `client_order_id`; returns the
 * new row, or `null` when the key was taken (the caller then reads the existing one). Run it in
 * the transaction that acts on the order: a concurrent insert of the same key waits for it.
 */
export async function insertOrder(q: Queryable, o: NewOrder): Promise<OrderRow | null> {
  const rows = await q.query<OrderRow>(`${INSERT_ORDER} returning *`, insertParams(o));
  return rows[0] ?? null;
}

/**
 * `insertOrder`'s statement without its `returning` clause, so a caller can make it part of a
 * larger statement; its parameters are `insertParams(o)`, $1 the user and $4 the symbol.
 */
export const INSERT_ORDER =
  `insert into orders (user_id, broker, client_order_id, symbol, side, type, time_in_force,
     qty, notional, limit_price, stop_price, trail_price, trail_percent, hwm, status,
     expires_session, replaces, expires_session_no, request_fingerprint, submitted_at)
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
     now())
   on conflict (user_id, client_order_id) do nothing`;

export function insertParams(o: NewOrder): unknown[] {
  const r = o.request;
  return [
    o.userId,
    o.broker,
    r.clientOrderId,
    r.symbol,
    r.side,
    r.type,
    r.timeInForce,
    r.qty ?? null,
    r.notional ?? null,
    r.limitPrice ?? null,
    r.stopPrice ?? null,
    r.trailPrice ?? null,
    r.trailPercent ?? null,
    o.hwm ?? null,
    o.status,
    o.expiresSession ?? null,
    o.replaces ?? null,
    o.expiresSessionNo ?? null,
    o.fingerprint ?? null,
  ];
}

export async function findByClientOrderId(
  q: Queryable,
  userId: number,
  clientOrderId: string,
): Promise<OrderRow | null> {
  const [row] = await q.query<OrderRow>(
    "select * from orders where user_id = $1 and client_order_id = $2",
    [userId, clientOrderId],
  );
  return row ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user's order `id`, optionally locked for update; another user's order is not found. */
export async function getOrderRow(
  q: Queryable,
  userId: number,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<OrderRow> {
  if (!UUID.test(id)) throw new OrderNotFoundError(`No order ${id}.`);
  const [row] = await q.query<OrderRow>(
    `select * from orders where id = $1 and user_id = $2${opts.lock ? " for update" : ""}`,
    [id, userId],
  );
  if (!row) throw new OrderNotFoundError(`No order ${id}.`);
  return row;
}

export async function listOrderRows(
  q: Queryable,
  userId: number,
  broker: BrokerKind,
  query: OrderQuery = {},
): Promise<OrderRow[]> {
  const where = ["user_id = $1", "broker = $2"];
  const params: unknown[] = [userId, broker];
  const status = query.status ?? "all";
  if (status !== "all") {
    params.push(OPEN_STATUSES);
    where.push(`status ${status === "open" ? "=" : "<>"} all($${params.length}::text[])`);
    if (status === "open") where[where.length - 1] = `status = any($${params.length}::text[])`;
  }
  if (query.after) {
    params.push(new Date(query.after));
    where.push(`created_at > $${params.length}`);
  }
  if (query.until) {
    params.push(new Date(query.until));
    where.push(`created_at < $${params.length}`);
  }
  if (query.symbols?.length) {
    params.push(query.symbols);
    where.push(`symbol = any($${params.length}::text[])`);
  }
  params.push(Math.min(Math.max(query.limit ?? 100, 1), 500));
  return await q.query<OrderRow>(
    `select * from orders where ${where.join(" and ")}
     order by created_at desc, id limit $${params.length}`,
    params,
  );
}
