/**
 * The paper broker's one read under the account lock (`insertAndRead`): it inserts the order
 * and reads, in the same statement, the user's settings and everything the checks value the
 * account with. The reads run on the statement's snapshot, taken after the lock was granted (the
 * lock is the statement before), so they see every order and fill committed ahead of this one,
 * and not the order being inserted.
 *
 * Nested rows come back as JSON text with every number as a string, so no digit is lost.
 *
 * @module
 */
import type { Queryable } from "../../db/database.ts";
import { type Settings, settingsFrom } from "../../settings.ts";
import {
  INSERT_OPTION_ORDER,
  INSERT_ORDER,
  insertParams,
  type NewOrder,
  OPTION_LEGS,
  optionParams,
  type OrderRow,
} from "../orders_repo.ts";
import { OPEN_BUYS, type OpenBuyRow, type PositionRow } from "./account.ts";

/** The positions of the user in `$1`, as JSON text (`parsePositions` reads it back). */
export const POSITIONS_JSON = `(select coalesce(json_agg(json_build_object('symbol', p.symbol,
    'qty', p.qty::text, 'cost_basis', p.cost_basis::text, 'realized_pl', p.realized_pl::text,
    'opened_at', p.opened_at, 'multiplier', p.multiplier) order by p.symbol), '[]')::text
  from paper_positions p where p.user_id = $1)`;

/** The open orders holding buying power of the user in `$1` that pass `filter`, as JSON text. */
export function openBuysJson(filter: string): string {
  return `(select coalesce(json_agg(json_build_object('symbol', b.symbol, 'qty', b.qty::text,
      'notional', b.notional::text, 'filled_qty', b.filled_qty::text,
      'limit_price', b.limit_price::text, 'stop_price', b.stop_price::text,
      'asset_class', b.asset_class, 'order_class', b.order_class, 'side', b.side,
      'legs', b.legs)), '[]')::text
    from (${OPEN_BUYS} and ${filter}) b)`;
}

export function parsePositions(json: string): PositionRow[] {
  return (JSON.parse(json) as (PositionRow & { opened_at: string })[])
    .map((p) => ({ ...p, opened_at: new Date(p.opened_at) }));
}

export interface Placed {
  /** The new order, or null when its key was taken meanwhile (a concurrent twin). */
  row: OrderRow | null;
  settings: Settings;
  positions: PositionRow[];
  openBuys: OpenBuyRow[];
  /** Equity of the last snapshot before `dayStart`, if any. */
  lastEquity: number | null;
  /** Shares of the order's symbol already promised to open sells. */
  promised: number;
}

/**
 * Inserts `order` and reads the account's positions, its open buys, its last equity before
 * `dayStart` and the shares its open sells promise, leaving out the orders in `except` (the one
 * being replaced). Call it under the account lock. `option`: an option order, inserted with its
 * asset class, intent and legs (the same one statement).
 */
export async function insertAndRead(
  tx: Queryable,
  order: NewOrder,
  dayStart: Date,
  except: string[],
  opts: { option?: boolean } = {},
): Promise<Placed> {
  const insert = opts.option
    ? `ins as (${INSERT_OPTION_ORDER} returning *), legs as (${OPTION_LEGS})`
    : `ins as (${INSERT_ORDER} returning *)`;
  const [r] = await tx.query<
    OrderRow & {
      x_positions: string;
      x_open_buys: string;
      x_last_equity: string | null;
      x_promised: string | null;
      x_settings: Record<string, unknown> | null;
    }
  >(
    `with ${insert}
     select ins.*,
       ${POSITIONS_JSON} as x_positions,
       ${openBuysJson("not (id = any($21::uuid[]))")} as x_open_buys,
       (select e.equity::text from equity_snapshots e where e.user_id = $1 and e.at < $20
         order by e.at desc limit 1) as x_last_equity,
       (select sum(s.qty - s.filled_qty)::text from orders s
         where s.user_id = $1 and s.broker = 'paper' and s.side = 'sell' and s.symbol = $4
           and s.asset_class = 'us_equity' and s.qty is not null and s.status in ('accepted', 'new', 'partially_filled')
           and not (s.id = any($21::uuid[]))) as x_promised,
       (select settings from user_settings where user_id = $1) as x_settings
     from (select 1) as one left join ins on true`,
    [...insertParams(order), dayStart, except, ...(opts.option ? optionParams(order) : [])],
  );
  const { x_positions, x_open_buys, x_last_equity, x_promised, x_settings, ...row } = r;
  return {
    row: row.id === null ? null : row,
    settings: settingsFrom(x_settings ?? {}),
    positions: parsePositions(x_positions),
    openBuys: JSON.parse(x_open_buys),
    lastEquity: x_last_equity === null ? null : Number(x_last_equity),
    promised: Number(x_promised ?? 0),
  };
}
