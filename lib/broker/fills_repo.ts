/**
 * Reading a user's fills back from `trades`: both brokers book their fills there (the paper
 * broker as it fills, the Alpaca broker as it reconciles), so one query serves the seam's
 * `fills()` for each.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { BrokerKind, Fill } from "./types.ts";

export interface FillQuery {
  after?: string;
  until?: string;
  limit?: number;
}

interface FillRow {
  id: number;
  order_id: string | null;
  symbol: string;
  side: "buy" | "sell";
  quantity: string;
  price: string;
  notional: string | null;
  realized_pl: string | null;
  executed_at: Date;
}

/** Newest first; `limit` is held to 1–500 (default 100). */
export async function listFills(
  q: Queryable,
  userId: number,
  broker: BrokerKind,
  query: FillQuery = {},
): Promise<Fill[]> {
  const rows = await q.query<FillRow>(
    `select id, order_id, symbol, side, quantity, price, notional, realized_pl, executed_at
     from trades where user_id = $1 and broker = $2
       and ($3::timestamptz is null or executed_at > $3)
       and ($4::timestamptz is null or executed_at < $4)
     order by executed_at desc, id desc limit $5`,
    [
      userId,
      broker,
      query.after ? new Date(query.after) : null,
      query.until ? new Date(query.until) : null,
      Math.min(Math.max(query.limit ?? 100, 1), 500),
    ],
  );
  return rows.map((r) => ({
    id: String(r.id),
    orderId: r.order_id,
    symbol: r.symbol,
    side: r.side,
    qty: Number(r.quantity),
    price: Number(r.price),
    notional: Number(r.notional ?? Number(r.quantity) * Number(r.price)),
    realizedPl: r.realized_pl === null ? null : Number(r.realized_pl),
    at: r.executed_at.toISOString(),
    source: broker,
  }));
}
