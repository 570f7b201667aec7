/**
 * Shared by the order crash test and the order benchmarks: a signed-up trader over plain HTTP,
 * market-order bodies, and the paper ledger read straight from SQL. The app process itself comes
 * from tests/_app_process.ts.
 */
import type { Queryable } from "../lib/db/mod.ts";

export interface Trader {
  userId: number;
  headers: Record<string, string>;
}

/** Signs a new user up over HTTP and lifts the limits that would refuse many small orders. */
export async function signUpTrader(baseUrl: string, name: string): Promise<Trader> {
  const res = await fetch(`${baseUrl}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: name,
      email: `${name}@example.test`,
      password: "correct horse battery staple 42",
    }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`sign-up: ${res.status} ${JSON.stringify(body)}`);
  const headers = {
    Authorization: `Bearer ${body.accessToken}`,
    "Content-Type": "application/json",
  };
  const patch = await fetch(`${baseUrl}/api/settings`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ maxPositionPercent: 100, maxOrderValue: 1_000_000 }),
  });
  await patch.body?.cancel();
  if (patch.status !== 200) throw new Error(`PATCH /api/settings: ${patch.status}`);
  return { userId: body.user.id, headers };
}

/** A one-share market day order. */
export function marketOrder(symbol: string, clientOrderId: string, side: "buy" | "sell" = "buy") {
  return { symbol, side, type: "market", timeInForce: "day", qty: 1, clientOrderId };
}

export interface LedgerState {
  orders: number;
  distinctKeys: number;
  filled: number;
  trades: number;
  /** Orders without exactly one trade. */
  ordersWithoutOneTrade: number;
  /** cash + Σ cost basis, and starting cash + realized P&L, as Postgres prints the numerics. */
  cashPlusCost: string;
  startingPlusRealized: string;
  realizedPl: string;
  tradesRealizedPl: string;
  /** Positions whose qty differs from the signed sum of their trades. */
  positionsOffTrades: number;
}

/** The user's paper ledger, every figure computed in SQL numerics. */
export async function readLedger(db: Queryable, userId: number): Promise<LedgerState> {
  const [row] = await db.query<LedgerState>(
    `select
       (select count(*)::int from orders where user_id = $1) as "orders",
       (select count(distinct client_order_id)::int from orders where user_id = $1)
         as "distinctKeys",
       (select count(*)::int from orders where user_id = $1 and status = 'filled') as "filled",
       (select count(*)::int from trades where user_id = $1) as "trades",
       (select count(*)::int from orders o where o.user_id = $1
          and (select count(*) from trades t where t.order_id = o.id) <> 1)
         as "ordersWithoutOneTrade",
       (a.cash + coalesce((select sum(cost_basis) from paper_positions where user_id = $1), 0))
         ::text as "cashPlusCost",
       (a.starting_cash + a.realized_pl)::text as "startingPlusRealized",
       a.realized_pl::text as "realizedPl",
       coalesce((select sum(realized_pl) from trades where user_id = $1), 0)::numeric(20, 2)
         ::text as "tradesRealizedPl",
       (select count(*)::int from (
          select symbol, sum(case side when 'buy' then quantity else -quantity end) as q
          from trades where user_id = $1 group by symbol) t
        full join (select symbol, qty from paper_positions where user_id = $1) p using (symbol)
        where coalesce(t.q, 0) <> coalesce(p.qty, 0)) as "positionsOffTrades"
     from paper_accounts a where a.user_id = $1`,
    [userId],
  );
  if (!row) throw new Error(`user ${userId} has no paper account`);
  return row;
}
