/**
 * Money put into or taken out of a paper account, booked so analytics can tell it from a gain
 * or a loss (table `cash_flows`, migration 0009). Whatever moves a paper account's cash without
 * a fill (cash added, a reset to new starting cash) books it here, in the same transaction,
 * with the equity just before it and an equity snapshot just after it.
 *
 * @module
 */
import type { Database } from "../../db/database.ts";
import { lockAccount } from "./account.ts";

export type CashFlowKind = "deposit" | "withdrawal" | "reset";

/**
 * Adds `amount` (USD, negative to take out) to the cash of a user's existing paper account.
 * `equityBefore` is the account's equity now (Broker.account), the value the flow lands on.
 */
export async function moveCash(
  db: Database,
  userId: number,
  amount: number,
  equityBefore: number,
): Promise<void> {
  if (!Number.isFinite(amount) || amount === 0) throw new RangeError("amount must be non-zero");
  const kind: CashFlowKind = amount > 0 ? "deposit" : "withdrawal";
  await db.transaction(async (tx) => {
    await lockAccount(tx, userId);
    const [acct] = await tx.query<{ cash: string }>(
      `update paper_accounts set cash = cash + $2::numeric, updated_at = now()
       where user_id = $1 returning cash`,
      [userId, amount.toFixed(2)],
    );
    if (!acct) throw new RangeError(`user ${userId} has no paper account`);
    await bookCashFlow(tx, userId, kind, amount, equityBefore);
    await tx.query(
      `insert into equity_snapshots (user_id, at, equity, cash) values ($1, now(), $2, $3)
       on conflict (user_id, at) do update set equity = excluded.equity, cash = excluded.cash`,
      [userId, (equityBefore + amount).toFixed(2), acct.cash],
    );
  });
}

/** The `cash_flows` row alone, for callers that move the money themselves (a reset). */
export async function bookCashFlow(
  tx: Pick<Database, "query">,
  userId: number,
  kind: CashFlowKind,
  amount: number,
  equityBefore: number | null,
): Promise<void> {
  await tx.query(
    `insert into cash_flows (user_id, at, kind, amount, equity_before)
     values ($1, now(), $2, $3, $4)`,
    [userId, kind, amount.toFixed(2), equityBefore === null ? null : equityBefore.toFixed(2)],
  );
}
