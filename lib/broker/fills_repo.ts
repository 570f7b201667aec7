/**
 * Reading a user's fills back from `trades`: both brokers book their fills there (the paper
 * broker as it fills, the Alpaca broker as it reconciles), so one query serves the seam's
 * `fills()` for each.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { chainOf } from "./orders_repo.ts";
import {
  type BrokerKind,
  type Fill,
  type FillReason,
  intradayLabel,
  type PriceSource,
} from "./types.ts";

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
  prices: PriceSource | null;
  multiplier: number;
  reason: FillReason;
  note: string | null;
}

/** Newest first; `limit` is held to 1–500 (default 100). */
export async function listFills(
  q: Queryable,
  userId: number,
  broker: BrokerKind,
  query: FillQuery = {},
): Promise<Fill[]> {
  const rows = await q.query<FillRow>(
    `select t.id, t.order_id, t.symbol, t.side, t.quantity, t.price, t.notional, t.realized_pl,
       t.executed_at, o.prices, t.multiplier, t.reason, t.note
     from trades t left join orders o on o.id = t.order_id
     where t.user_id = $1 and t.broker = $2
       and ($3::timestamptz is null or t.executed_at > $3)
       and ($4::timestamptz is null or t.executed_at < $4)
     order by t.executed_at desc, t.id desc limit $5`,
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
    notional: Number(r.notional ?? Number(r.quantity) * Number(r.price) * r.multiplier),
    realizedPl: r.realized_pl === null ? null : Number(r.realized_pl),
    at: r.executed_at.toISOString(),
    source: broker,
    prices: r.prices,
    ...intradayLabel(r.prices),
    ...(r.reason !== "trade" ? { reason: r.reason } : {}),
    ...(r.multiplier !== 1 ? { multiplier: r.multiplier, ...chainOf(r.prices) } : {}),
    ...(r.note !== null ? { note: r.note } : {}),
  }));
}
