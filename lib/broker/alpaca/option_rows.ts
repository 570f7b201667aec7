/**
 * The option side of the Alpaca broker's rows, on the schema of migration 0017 (issue 19):
 * `orders.asset_class`, `order_class` and `position_intent`, the `order_legs` of a multi-leg
 * order, and `trades.multiplier`, `reason` and `note`. Only option orders and option fills come
 * here, so a stock order still costs the statements it did before.
 *
 * The shared `insertOrder` writes a stock row; `saveOptionIntent` completes it in the same
 * transaction. It is idempotent (an update, legs inserted only when none exist).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Queryable } from "../../db/database.ts";
import { OPTION_MULTIPLIER } from "../../options/occ.ts";
import type { OrderRow } from "../orders_repo.ts";
import type {
  AssetClass,
  FillReason,
  OrderClass,
  OrderRequest,
  OrderSide,
  PositionIntent,
} from "../types.ts";
import { alpacaTime, type LegFill } from "./map.ts";
import type { AlpacaFillActivity } from "./schemas.ts";

/** The 0017 columns of an order row (absent before that migration: read as a stock order). */
export interface OptionColumns {
  asset_class?: AssetClass | null;
  order_class?: OrderClass | null;
  position_intent?: PositionIntent | null;
}

export type OptionOrderRow = OrderRow & OptionColumns;

/** Marks the new row `rowId` as an option order and stores its legs, in one statement. */
export async function saveOptionIntent(
  q: Queryable,
  rowId: string,
  req: OrderRequest,
): Promise<void> {
  const legs = req.orderClass === "mleg" ? req.legs ?? [] : [];
  await q.query(
    `with marked as (
       update orders set asset_class = 'us_option', order_class = $2, position_intent = $3
       where id = $1 returning id)
     insert into order_legs (order_id, leg, symbol, side, ratio_qty, position_intent,
       filled_qty, filled_avg_price)
     select marked.id, l.i - 1, l.symbol, l.side, l.ratio, l.intent, 0, null
     from marked, unnest($4::text[], $5::text[], $6::int[], $7::text[])
       with ordinality as l(symbol, side, ratio, intent, i)
     where not exists (select 1 from order_legs where order_id = $1)`,
    [
      rowId,
      req.orderClass ?? "simple",
      // An mleg order's intents are its legs'.
      req.orderClass === "mleg" ? null : req.positionIntent ?? null,
      legs.map((l) => l.symbol),
      legs.map((l) => l.side),
      legs.map((l) => l.ratioQty),
      legs.map((l) => l.positionIntent),
    ],
  );
}

/** Writes what Alpaca reports of each leg's fill onto the order's legs, matched by contract. */
export async function applyLegFills(q: Queryable, rowId: string, legs: LegFill[]): Promise<void> {
  await q.query(
    `update order_legs l set filled_qty = f.filled, filled_avg_price = f.avg
     from unnest($2::text[], $3::numeric[], $4::numeric[]) as f(symbol, filled, avg)
     where l.order_id = $1 and l.symbol = f.symbol`,
    [
      rowId,
      legs.map((l) => l.symbol),
      legs.map((l) => String(l.filledQty)),
      legs.map((l) => l.filledAvgPrice === null ? null : String(l.filledAvgPrice)),
    ],
  );
}

/**
 * Alpaca mleg orders of these underlyings with fills not all booked yet (the legs' FILLs carry
 * the legs' own order ids, which only the parent's answer tells), oldest first.
 */
export async function mlegRowsAwaitingFills(
  q: Queryable,
  underlyings: string[],
): Promise<OptionOrderRow[]> {
  return await q.query<OptionOrderRow>(
    `select * from orders o
     where o.broker = 'alpaca' and o.order_class = 'mleg' and o.broker_order_id is not null
       and o.filled_qty > 0 and o.symbol = any($1::text[])
       and (select coalesce(sum(t.quantity), 0) from trades t where t.order_id = o.id)
         < o.filled_qty * (select coalesce(sum(l.ratio_qty), 1) from order_legs l
                           where l.order_id = o.id)
     order by o.created_at, o.id`,
    [underlyings],
  );
}

/** Books one option FILL: USD moved = contracts × price × 100. False when booked before. */
export async function bookOptionFill(
  q: Queryable,
  f: AlpacaFillActivity,
  order: OrderRow,
): Promise<boolean> {
  const rows = await q.query(
    `insert into trades (user_id, symbol, side, quantity, price, executed_at, order_id, broker,
       notional, broker_fill_id, multiplier)
     values ($1, $2, $3, $4, $5, $6, $7, 'alpaca', $8, $9, $10)
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
      new Decimal(f.qty).times(f.price).times(OPTION_MULTIPLIER)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      f.id,
      OPTION_MULTIPLIER,
    ],
  );
  return rows.length > 0;
}

/** A settlement at expiry (lib/broker/alpaca/settlement.ts) to book as a user's fill. */
export interface SettlementTrade {
  userId: number;
  symbol: string;
  side: OrderSide;
  qty: number;
  /** USD per share. */
  price: number;
  multiplier: number;
  reason: Exclude<FillReason, "trade">;
  note: string;
  at: Date;
  /** The Alpaca activity id, with the user's id when one event is split between users. */
  brokerFillId: string;
}

/** Books one settlement; false when it was booked before. */
export async function bookSettlement(q: Queryable, s: SettlementTrade): Promise<boolean> {
  const rows = await q.query(
    `insert into trades (user_id, symbol, side, quantity, price, executed_at, order_id, broker,
       notional, broker_fill_id, multiplier, reason, note)
     values ($1, $2, $3, $4, $5, $6, null, 'alpaca', $7, $8, $9, $10, $11)
     on conflict (broker, broker_fill_id) do nothing
     returning id`,
    [
      s.userId,
      s.symbol,
      s.side,
      s.qty,
      s.price,
      s.at,
      new Decimal(s.qty).times(s.price).times(s.multiplier)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      s.brokerFillId,
      s.multiplier,
      s.reason,
      s.note,
    ],
  );
  return rows.length > 0;
}

/** OCC symbols as Postgres matches them: a root, YYMMDD, C or P, the strike in eight digits. */
const OCC_SQL = "^[A-Z][A-Z0-9.]{0,5}[0-9]{6}[CP][0-9]{8}$";

/** Each user's signed Alpaca option contracts, from their booked fills (stock is not read). */
export async function optionHoldings(
  q: Queryable,
): Promise<{ userId: number; symbol: string; qty: number }[]> {
  const rows = await q.query<{ user_id: number | string; symbol: string; qty: string }>(
    `select user_id, symbol,
       sum(case when side = 'buy' then quantity else -quantity end) as qty
     from trades where broker = 'alpaca' and symbol ~ $1
     group by user_id, symbol
     having sum(case when side = 'buy' then quantity else -quantity end) <> 0
     order by user_id, symbol`,
    [OCC_SQL],
  );
  return rows.map((r) => ({ userId: Number(r.user_id), symbol: r.symbol, qty: Number(r.qty) }));
}
