/**
 * The `orders` table, shared by both brokers: one row per order with the caller's
 * `client_order_id` (unique per user), read back as the seam's `Order`.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import {
  type AssetClass,
  type BrokerKind,
  type ChainLabel,
  intradayLabel,
  OPEN_STATUSES,
  type Order,
  type OrderClass,
  type OrderLegState,
  OrderNotFoundError,
  type OrderQuery,
  type OrderRequest,
  type OrderStatus,
  type PositionIntent,
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
  /** Columns of migration 0017; absent only on rows typed by hand in older tests. */
  asset_class?: AssetClass;
  order_class?: OrderClass;
  position_intent?: PositionIntent | null;
  /** `mleg` orders: their legs, attached by the reads below (`attachLegs`). */
  legs?: LegRow[];
}

/** One row of `order_legs`. */
export interface LegRow {
  leg: number;
  symbol: string;
  side: Order["side"];
  ratio_qty: number;
  position_intent: PositionIntent;
  filled_qty: string;
  filled_avg_price: string | null;
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
    ...(row.asset_class === "us_option"
      ? {
        assetClass: row.asset_class,
        orderClass: row.order_class ?? "simple",
        positionIntent: row.position_intent ?? null,
        legs: row.order_class === "mleg" ? (row.legs ?? []).map(toLeg) : null,
        ...chainOf(row.prices),
      }
      : {}),
  };
}

/** Option fills against replay prices came from a chain modelled on the history: say so. */
export function chainOf(prices: PriceSource | null | undefined): { chain?: ChainLabel } {
  return prices === "replay"
    ? { chain: "replay-model" }
    : prices === "tradier"
    ? { chain: "tradier" }
    : {};
}

function toLeg(l: LegRow): OrderLegState {
  return {
    symbol: l.symbol,
    side: l.side,
    ratioQty: l.ratio_qty,
    positionIntent: l.position_intent,
    filledQty: Number(l.filled_qty),
    filledAvgPrice: num(l.filled_avg_price),
  };
}

/**
 * Reads the legs of the multi-leg orders among `rows` into them: one query, and none at all
 * when no row is a multi-leg order (every stock order).
 */
export async function attachLegs<R extends OrderRow>(q: Queryable, rows: R[]): Promise<R[]> {
  const ids = rows.filter((r) => r.order_class === "mleg").map((r) => r.id);
  if (ids.length === 0) return rows;
  const legs = await q.query<LegRow & { order_id: string }>(
    `select order_id, leg, symbol, side, ratio_qty, position_intent, filled_qty, filled_avg_price
     from order_legs where order_id = any($1::uuid[]) order by order_id, leg`,
    [ids],
  );
  const byOrder = new Map<string, LegRow[]>();
  for (const { order_id, ...l } of legs) {
    const list = byOrder.get(order_id) ?? [];
    list.push(l);
    byOrder.set(order_id, list);
  }
  for (const r of rows) if (r.order_class === "mleg") r.legs = byOrder.get(r.id) ?? [];
  return rows;
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

/**
 * `INSERT_ORDER` for an option order: the same nineteen parameters, then ($22) the asset class,
 * ($23) the order class, ($24) the position intent and ($25) the legs as JSON, inserted into
 * `order_legs` by the CTE `OPTION_LEGS` in the same statement. $20 and $21 are left to the
 * statement that embeds it (lib/broker/paper/placement_read.ts).
 */
export const INSERT_OPTION_ORDER =
  `insert into orders (user_id, broker, client_order_id, symbol, side, type, time_in_force,
     qty, notional, limit_price, stop_price, trail_price, trail_percent, hwm, status,
     expires_session, replaces, expires_session_no, request_fingerprint, submitted_at,
     asset_class, order_class, position_intent)
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
     now(), $22, $23, $24)
   on conflict (user_id, client_order_id) do nothing`;

/** Inserts the legs of the order inserted by the CTE `ins` (nothing when it was a twin). */
export const OPTION_LEGS = `insert into order_legs (order_id, leg, symbol, side, ratio_qty,
     position_intent)
   select ins.id, l.leg, l.symbol, l.side, l.ratio_qty, l.position_intent
   from ins cross join jsonb_to_recordset($25::jsonb)
     as l(leg smallint, symbol text, side text, ratio_qty int, position_intent text)`;

/** `INSERT_OPTION_ORDER`'s own parameters ($22–$25) for `o`. */
export function optionParams(o: NewOrder): unknown[] {
  const r = o.request;
  const legs = (r.legs ?? []).map((l, leg) => ({
    leg,
    symbol: l.symbol,
    side: l.side,
    ratio_qty: l.ratioQty,
    position_intent: l.positionIntent,
  }));
  return [
    "us_option",
    r.orderClass ?? "simple",
    r.orderClass === "mleg" ? null : r.positionIntent ?? null,
    legs,
  ];
}

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
  return row ? (await attachLegs(q, [row]))[0] : null;
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
  return (await attachLegs(q, [row]))[0];
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
  const rows = await q.query<OrderRow>(
    `select * from orders where ${where.join(" and ")}
     order by created_at desc, id limit $${params.length}`,
    params,
  );
  return await attachLegs(q, rows);
}
