/**
 * Starting a paper account over: its open orders cancelled (through the broker, so the matcher
 * and the order history see ordinary cancels), then in one transaction its positions closed out
 * of the books, cash and starting cash set to the new amount, realized P&L back to zero, the
 * reset booked as a cash flow (analytics then count it as neither gain nor loss) and an equity
 * point written. Fills and orders stay: they are history.
 */
import type { Database } from "../../db/database.ts";
import type { Broker } from "../types.ts";
import { lockAccount } from "./account.ts";
import { bookCashFlow } from "./cash_flows.ts";

export class ResetConflictError extends Error {}

export interface ResetResult {
  startingCash: number;
  equityBefore: number;
  canceledOrders: number;
  closedPositions: number;
}

const OPEN = `('pending_new', 'accepted', 'new', 'partially_filled', 'pending_cancel',
  'pending_replace')`;

export async function resetPaperAccount(
  db: Database,
  broker: Broker,
  userId: number,
  startingCash: number,
): Promise<ResetResult> {
  const open = await broker.orders(userId, { status: "open", limit: 500 });
  for (const order of open) await broker.cancel(userId, order.id);
  // Opens the account first if it never was, so there is always a row to set.
  const { equity: equityBefore } = await broker.account(userId);
  return await db.transaction(async (tx) => {
    await lockAccount(tx, userId);
    const [{ n }] = await tx.query<{ n: number }>(
      `select count(*)::int as n from orders
        where user_id = $1 and broker = 'paper' and status in ${OPEN}`,
      [userId],
    );
    // An order placed between the cancels and the lock: refuse rather than strand it.
    if (n > 0) throw new ResetConflictError("An order was placed during the reset; try again.");
    const closed = await tx.query(
      "delete from paper_positions where user_id = $1 returning symbol",
      [
        userId,
      ],
    );
    await tx.query(
      `update paper_accounts set starting_cash = $2, cash = $2, realized_pl = 0, updated_at = now()
        where user_id = $1`,
      [userId, startingCash.toFixed(2)],
    );
    await bookCashFlow(tx, userId, "reset", startingCash - equityBefore, equityBefore);
    await tx.query(
      `insert into equity_snapshots (user_id, at, equity, cash) values ($1, now(), $2, $2)
       on conflict (user_id, at) do update set equity = excluded.equity, cash = excluded.cash`,
      [userId, startingCash.toFixed(2)],
    );
    return {
      startingCash,
      equityBefore,
      canceledOrders: open.length,
      closedPositions: closed.length,
    };
  });
}
