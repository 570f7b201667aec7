/**
 * The built-in paper broker against a real database (PGlite and the server) and hand-set
 * prices: every order type fills, rests, cancels and expires as specified; every pre-trade
 * rule refuses with its reason; the ledger balances to the cent.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { ScriptedMarketData } from "../../market/testing.ts";
import { updateSettings } from "../../settings.ts";
import {
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  OrderRefusedError,
  type OrderRequest,
  OrderStateError,
} from "../types.ts";
import { lockAccount } from "./account.ts";
import { PaperBroker } from "./broker.ts";
import { applyFill } from "./ledger.ts";

interface Rig {
  db: Database;
  market: ScriptedMarketData;
  broker: PaperBroker;
  user: number;
}

async function rig(db: Database, settings: Record<string, unknown> = {}): Promise<Rig> {
  const userId = await createTestUser(db);
  await updateSettings(db, userId, { maxPositionPercent: 100, ...settings });
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 99.9, ask: 100.1, last: 100, prevClose: 98 });
  market.setQuote("MSFT", { bid: 199.8, ask: 200.2, last: 200, prevClose: 200 });
  return { db, market, broker: new PaperBroker({ db, market }), user: userId };
}

let n = 0;
function order(o: Partial<OrderRequest> & Pick<OrderRequest, "side">): OrderRequest {
  return {
    symbol: "AAPL",
    type: "market",
    timeInForce: "day",
    qty: 10,
    clientOrderId: `t-${++n}-${crypto.randomUUID()}`,
    ...o,
  };
}

/** cash + Σ cost basis = starting cash + Σ realized P&L, exactly, in SQL numerics. */
async function assertLedger(db: Database, user: number) {
  const [r] = await db.query<{ lhs: string; rhs: string; trades: string }>(
    `select a.cash + coalesce((select sum(cost_basis) from paper_positions where user_id = $1), 0)
              as lhs,
            a.starting_cash + a.realized_pl as rhs,
            (select coalesce(sum(realized_pl), 0) from trades where user_id = $1)::text as trades
     from paper_accounts a where a.user_id = $1`,
    [user],
  );
  equal(r.lhs, r.rhs, "cash + cost basis = starting cash + realized");
  const [a] = await db.query<{ realized_pl: string }>(
    "select realized_pl from paper_accounts where user_id = $1",
    [user],
  );
  equal(Number(a.realized_pl), Number(r.trades), "account realized = Σ trade realized");
}

withTestDatabases("paper: a market buy fills at the ask, a sell at the bid", async (db) => {
  const { broker, user } = await rig(db);
  const buy = await broker.submit(user, order({ side: "buy" }));
  equal(buy.duplicate, false);
  equal(buy.order.status, "filled");
  equal(buy.order.filledAvgPrice, 100.1);
  equal(buy.order.filledQty, 10);
  equal(buy.order.prices, "replay");
  let acct = await broker.account(user);
  equal(acct.cash, 100_000 - 1001);
  equal(acct.equity, 100_000 - 1001 + 1000); // marked at the last trade, 100
  equal(acct.startingCash, 100_000);
  const [pos] = await broker.positions(user);
  deepEqual(
    [pos.symbol, pos.qty, pos.side, pos.avgEntryPrice, pos.costBasis, pos.marketValue],
    ["AAPL", 10, "long", 100.1, 1001, 1000],
  );
  equal(pos.unrealizedPl, -1);
  equal(pos.dayPl, 20); // 10 × (100 − 98)
  const sell = await broker.submit(user, order({ side: "sell", qty: 4 }));
  equal(sell.order.filledAvgPrice, 99.9);
  const [after] = await broker.positions(user);
  equal(after.qty, 6);
  equal(after.costBasis, 600.6);
  acct = await broker.account(user);
  equal(acct.realizedPl, -0.8); // 4 × (99.9 − 100.1)
  const fills = await broker.fills(user);
  equal(fills.length, 2);
  equal(fills[0].side, "sell");
  await assertLedger(db, user);
});

withTestDatabases("paper: the same clientOrderId never makes a second order", async (db) => {
  const { broker, user } = await rig(db);
  const req = order({ side: "buy" });
  const [a, b, c] = await Promise.allSettled([
    broker.submit(user, req),
    broker.submit(user, req),
    broker.submit(user, { ...req, qty: 99 }),
  ]);
  // Whichever request took the key first made the one order; the other request is refused.
  const placed = [a, b, c].filter((r) => r.status === "fulfilled").map((r) => r.value);
  const refused = [a, b, c].filter((r) => r.status === "rejected").map((r) => r.reason);
  equal(new Set(placed.map((r) => r.order.id)).size, 1);
  equal(placed.filter((r) => !r.duplicate).length, 1);
  for (const e of refused) ok(e instanceof IdempotencyKeyReusedError, String(e));
  deepEqual(refused.length, placed[0].order.qty === 99 ? 2 : 1);
  const [{ count }] = await db.query<{ count: number }>(
    "select count(*)::int as count from trades where user_id = $1",
    [user],
  );
  equal(count, 1);
  await assertLedger(db, user);
});

withTestDatabases("paper: notional and fractional market orders", async (db) => {
  const { broker, user } = await rig(db);
  const r = await broker.submit(user, order({ side: "buy", qty: undefined, notional: 250 }));
  equal(r.order.status, "filled");
  equal(r.order.filledQty, 2.49750249); // 250 / 100.1, down to 8 places
  ok(r.order.filledQty * 100.1 <= 250);
  const f = await broker.submit(user, order({ side: "buy", qty: 1.5 }));
  equal(f.order.filledQty, 1.5);
  await assertLedger(db, user);
});

withTestDatabases("paper: a limit order rests, then fills when the price crosses", async (db) => {
  const { broker, market, user } = await rig(db);
  const buy = await broker.submit(user, order({ side: "buy", type: "limit", limitPrice: 95 }));
  equal(buy.order.status, "new");
  // Cash is held for it: buying power drops by 10 × 95.
  equal((await broker.account(user)).buyingPower, 100_000 - 950);
  equal((await broker.sync()).filled, 0);
  market.setQuote("AAPL", { bid: 94.5, ask: 94.8, last: 94.7 });
  const report = await broker.sync();
  equal(report.filled, 1);
  const filled = await broker.order(user, buy.order.id);
  equal(filled.status, "filled");
  equal(filled.filledAvgPrice, 94.8); // the ask, which is better than the limit
  // A marketable limit fills at once.
  const now = await broker.submit(
    user,
    order({ side: "sell", type: "limit", limitPrice: 90, qty: 5 }),
  );
  equal(now.order.status, "filled");
  equal(now.order.filledAvgPrice, 94.5);
  await assertLedger(db, user);
});

withTestDatabases("paper: stop orders fire when the last trade reaches the stop", async (db) => {
  const { broker, market, user } = await rig(db);
  await broker.submit(user, order({ side: "buy", qty: 10 }));
  const stop = await broker.submit(
    user,
    order({ side: "sell", type: "stop", stopPrice: 97, qty: 10 }),
  );
  equal(stop.order.status, "new");
  market.setQuote("AAPL", { bid: 97.4, ask: 97.6, last: 97.5 });
  equal((await broker.sync()).filled, 0);
  market.setQuote("AAPL", { bid: 96.8, ask: 97.0, last: 96.9 });
  equal((await broker.sync()).filled, 1);
  const o = await broker.order(user, stop.order.id);
  equal(o.status, "filled");
  equal(o.filledAvgPrice, 96.8);
  equal((await broker.positions(user)).length, 0);
  await assertLedger(db, user);
});

withTestDatabases("paper: a stop-limit triggers, then works as a limit", async (db) => {
  const { broker, market, user } = await rig(db);
  const sl = await broker.submit(
    user,
    order({ side: "buy", type: "stop_limit", stopPrice: 105, limitPrice: 105.5 }),
  );
  equal(sl.order.status, "new");
  // Gaps through the stop and the limit: triggered, not filled.
  market.setQuote("AAPL", { bid: 106.8, ask: 107, last: 106.9 });
  const r1 = await broker.sync();
  equal(r1.filled, 0);
  equal(r1.updated, 1);
  let o = await broker.order(user, sl.order.id);
  equal(o.status, "new");
  // Back under the limit (and under the stop): a triggered stop-limit now fills.
  market.setQuote("AAPL", { bid: 104.9, ask: 105.2, last: 105 });
  equal((await broker.sync()).filled, 1);
  o = await broker.order(user, sl.order.id);
  equal(o.filledAvgPrice, 105.2);
  await assertLedger(db, user);
});

withTestDatabases(
  "paper: a trailing stop follows the high and fires on the pullback",
  async (db) => {
    const { broker, market, user } = await rig(db);
    await broker.submit(user, order({ side: "buy", qty: 10 }));
    const ts = await broker.submit(
      user,
      order({ side: "sell", type: "trailing_stop", trailPercent: 5, qty: 10 }),
    );
    equal(ts.order.hwm, 100);
    market.setQuote("AAPL", { bid: 109.9, ask: 110.1, last: 110 });
    await broker.sync();
    equal((await broker.order(user, ts.order.id)).hwm, 110);
    market.setQuote("AAPL", { bid: 104.6, ask: 104.8, last: 104.7 }); // stop at 104.5: not yet
    equal((await broker.sync()).filled, 0);
    market.setQuote("AAPL", { bid: 104.3, ask: 104.5, last: 104.4 });
    equal((await broker.sync()).filled, 1);
    equal((await broker.order(user, ts.order.id)).filledAvgPrice, 104.3);
    // A dollar trail on a buy follows the low.
    const tb = await broker.submit(
      user,
      order({ side: "buy", type: "trailing_stop", trailPrice: 2, qty: 1 }),
    );
    market.setQuote("AAPL", { bid: 99.9, ask: 100.1, last: 100 });
    await broker.sync();
    equal((await broker.order(user, tb.order.id)).hwm, 100);
    market.setQuote("AAPL", { bid: 102.1, ask: 102.2, last: 102.1 });
    equal((await broker.sync()).filled, 1);
    await assertLedger(db, user);
  },
);

withTestDatabases("paper: cancel and replace open orders; filled ones cannot", async (db) => {
  const { broker, user } = await rig(db);
  const lim = await broker.submit(user, order({ side: "buy", type: "limit", limitPrice: 90 }));
  const replaced = await broker.replace(user, lim.order.id, { limitPrice: 91, qty: 5 });
  equal(replaced.replaces, lim.order.id);
  equal(replaced.limitPrice, 91);
  equal(replaced.qty, 5);
  const old = await broker.order(user, lim.order.id);
  equal(old.status, "replaced");
  equal(old.replacedBy, replaced.id);
  const canceled = await broker.cancel(user, replaced.id);
  equal(canceled.status, "canceled");
  await rejects(broker.cancel(user, replaced.id), OrderStateError);
  const filled = await broker.submit(user, order({ side: "buy", qty: 1 }));
  await rejects(broker.cancel(user, filled.order.id), OrderStateError);
  await rejects(broker.replace(user, filled.order.id, { qty: 2 }), OrderStateError);
  await rejects(broker.cancel(user, crypto.randomUUID()), OrderNotFoundError);
  await rejects(broker.cancel(user, "not-a-uuid"), OrderNotFoundError);
  const open = await broker.orders(user, { status: "open" });
  equal(open.length, 0);
  equal((await broker.orders(user, { status: "all" })).length, 3);
  // Another user sees none of it.
  const other = await rig(db);
  await rejects(broker.order(other.user, filled.order.id), OrderNotFoundError);
});

withTestDatabases("paper: day orders expire at the close; gtc orders stay", async (db) => {
  const { broker, market, user } = await rig(db);
  const day = await broker.submit(user, order({ side: "buy", type: "limit", limitPrice: 80 }));
  const gtc = await broker.submit(
    user,
    order({ side: "buy", type: "limit", limitPrice: 80, timeInForce: "gtc" }),
  );
  equal(day.order.expiresSession, "2026-11-04");
  equal(gtc.order.expiresSession, null);
  market.setState("open");
  equal((await broker.sync()).expired, 0);
  market.setState("postmarket"); // the 2026-11-04 session has closed
  equal((await broker.sync()).expired, 1);
  const d = await broker.order(user, day.order.id);
  equal(d.status, "expired");
  ok(d.reason?.includes("2026-11-04"));
  equal((await broker.order(user, gtc.order.id)).status, "new");
  // A day order sent after the close is for the next session.
  const late = await broker.submit(user, order({ side: "buy", type: "limit", limitPrice: 80 }));
  equal(late.order.expiresSession, "2026-11-05");
  equal((await broker.sync()).expired, 0);
});

withTestDatabases("paper: a market order sent while closed waits for the open", async (db) => {
  const { broker, market, user } = await rig(db);
  market.setState("closed");
  market.closeAfterSession(false); // early morning, before the session
  const r = await broker.submit(user, order({ side: "buy" }));
  equal(r.order.status, "accepted");
  ok(r.checks?.some((c) => c.rule === "market_hours" && c.severity === "warn"));
  equal((await broker.sync()).filled, 0);
  market.setState("open");
  market.setQuote("AAPL", { bid: 101, ask: 101.2, last: 101.1 });
  equal((await broker.sync()).filled, 1);
  equal((await broker.order(user, r.order.id)).filledAvgPrice, 101.2);
  await assertLedger(db, user);
});

withTestDatabases("paper: each pre-trade rule refuses with its reason", async (db) => {
  const { broker, market, user } = await rig(db, {
    maxOrderValue: 5_000,
    maxPositionPercent: 10,
    dailyLossLimit: 1_000,
  });
  const refused = async (req: OrderRequest, rule: string, code = "order_refused") => {
    const err = await broker.submit(user, req).then(
      () => null,
      (e) => e,
    );
    ok(err instanceof OrderRefusedError, `expected a refusal by ${rule}`);
    equal(err.code, code);
    const c = err.checks.find((x: { rule: string; ok: boolean }) => x.rule === rule && !x.ok);
    ok(c, `${rule} refused: ${err.message}`);
    ok(typeof c.excess === "number" && c.excess > 0, "says by how much");
    return err as OrderRefusedError;
  };
  const q = await refused(order({ side: "buy", qty: 20_000 }), "quantity");
  ok(q.message.includes("10,000 shares over"), q.message);
  await refused(order({ side: "buy", qty: 0.5, type: "market" }), "quantity");
  const v = await refused(order({ side: "buy", qty: 60 }), "max_order_value");
  ok(v.message.includes("$1,006.00 over"), v.message); // 60 × 100.1 = 6,006
  await updateSettings(db, user, { maxPositionPercent: 4 });
  const p = await refused(order({ side: "buy", qty: 45 }), "max_position_percent");
  ok(p.message.includes("4.5% of equity, 0.5% over"), p.message); // 4,504.50 of 100,000
  await updateSettings(db, user, { allowShortSelling: false });
  await refused(order({ side: "sell", qty: 5 }), "short_sale", "short_sale_not_allowed");
  // Nothing refused left a trace.
  const [{ count }] = await db.query<{ count: number }>(
    "select count(*)::int as count from orders where user_id = $1",
    [user],
  );
  equal(count, 0);
  // Daily loss: buy, the price falls 15 % → a 1,500 loss on the day.
  await updateSettings(db, user, { maxPositionPercent: 100, maxOrderValue: 50_000 });
  await broker.submit(user, order({ side: "buy", qty: 100 }));
  market.setQuote("AAPL", { bid: 84.9, ask: 85.1, last: 85 });
  await refused(order({ side: "buy", qty: 1 }), "daily_loss_limit");
  // Reducing a position is still allowed past the loss limit.
  const exit = await broker.submit(user, order({ side: "sell", qty: 50 }));
  equal(exit.order.status, "filled");
  await assertLedger(db, user);
});

withTestDatabases("paper: buying power is checked, short sales only when allowed", async (db) => {
  const { broker, user } = await rig(db, {
    startingCash: 1_000,
    maxOrderValue: 1e6,
    maxPositionPercent: 100,
  });
  // A resting limit buy holds 9 × 95 = 855 of the 1,000: 145 buying power left.
  const rest = await broker.submit(
    user,
    order({ side: "buy", type: "limit", limitPrice: 95, qty: 9 }),
  );
  equal((await broker.account(user)).buyingPower, 145);
  const err = await broker.submit(user, order({ side: "buy", qty: 2 })).catch((e) => e);
  ok(err instanceof OrderRefusedError);
  equal(err.code, "insufficient_buying_power");
  ok(err.message.includes("$55.20 short"), err.message); // needs 200.20, has 145
  await broker.cancel(user, rest.order.id);
  await updateSettings(db, user, { allowShortSelling: true });
  const short = await broker.submit(user, order({ side: "sell", qty: 5 }));
  equal(short.order.status, "filled");
  const [pos] = await broker.positions(user);
  equal(pos.side, "short");
  equal(pos.qty, -5);
  equal(pos.costBasis, -499.5);
  const acct = await broker.account(user);
  equal(acct.cash, 1_499.5);
  equal(acct.buyingPower, 999.5); // 1,499.50 cash less the 500.00 owed back at the last price
  // Buy back 8: covers 5 and goes long 3.
  const flip = await broker.submit(user, order({ side: "buy", qty: 8 }));
  equal(flip.order.status, "filled");
  const [long] = await broker.positions(user);
  equal(long.qty, 3);
  equal(long.costBasis, 300.3);
  await assertLedger(db, user);
});

withTestDatabases("paper: close a position, whole or in part", async (db) => {
  const { broker, user } = await rig(db);
  await broker.submit(user, order({ side: "buy", qty: 10 }));
  await broker.submit(user, order({ side: "buy", qty: 2, symbol: "MSFT" }));
  const key = crypto.randomUUID();
  const half = await broker.closePosition(user, "AAPL", { percentage: 50, clientOrderId: key });
  equal(half.order.qty, 5);
  equal(half.order.side, "sell");
  const again = await broker.closePosition(user, "AAPL", { percentage: 50, clientOrderId: key });
  equal(again.duplicate, true);
  equal(again.order.id, half.order.id);
  const all = await broker.closePosition(user, "AAPL", { clientOrderId: crypto.randomUUID() });
  equal(all.order.qty, 5);
  deepEqual((await broker.positions(user)).map((p) => p.symbol), ["MSFT"]);
  await rejects(
    broker.closePosition(user, "AAPL", { clientOrderId: crypto.randomUUID() }),
    OrderNotFoundError,
  );
  await assertLedger(db, user);
});

withTestDatabases("paper: portfolio history runs from the snapshots to now", async (db) => {
  const { broker, user } = await rig(db);
  await broker.submit(user, order({ side: "buy", qty: 10 }));
  const h = await broker.history(user, "1D");
  ok(h.points.length >= 2);
  equal(h.baseValue, 100_000);
  const last = h.points.at(-1)!;
  equal(last.equity, (await broker.account(user)).equity);
  equal(last.profitLoss, Math.round((last.equity - 100_000) * 100) / 100);
  equal(h.prices, "replay");
});

withTestDatabases(
  "paper: cancel and replace of a partially filled order keep its fill",
  async (db) => {
    const { broker, user } = await rig(db);
    const resting = (qty: number) =>
      broker.submit(
        user,
        order({ side: "buy", type: "limit", limitPrice: 90, timeInForce: "gtc", qty }),
      );
    // The paper broker fills whole orders; a partial fill is booked as the ledger books any fill.
    const partly = async (id: string, qty: number) => {
      await db.transaction(async (tx) => {
        await lockAccount(tx, user);
        await applyFill(tx, {
          userId: user,
          orderId: id,
          symbol: "AAPL",
          side: "buy",
          qty,
          price: 90,
          prices: "replay",
        });
        await tx.query("update orders set status = 'partially_filled' where id = $1", [id]);
      });
    };

    const a = await resting(5);
    await partly(a.order.id, 2);
    const replaced = await broker.replace(user, a.order.id, { limitPrice: 91 });
    // The new order is for what was still to fill; the old one keeps its fill.
    equal(replaced.qty, 3);
    equal(replaced.limitPrice, 91);
    equal(replaced.replaces, a.order.id);
    const old = await broker.order(user, a.order.id);
    equal(old.status, "replaced");
    equal(old.filledQty, 2);
    equal((await broker.cancel(user, replaced.id)).status, "canceled");

    const b = await resting(4);
    await partly(b.order.id, 1);
    const canceled = await broker.cancel(user, b.order.id);
    equal(canceled.status, "canceled");
    equal(canceled.filledQty, 1);
    equal(canceled.filledAvgPrice, 90);
    await rejects(broker.replace(user, b.order.id, { limitPrice: 92 }), OrderStateError);

    const [pos] = await broker.positions(user);
    equal(pos.qty, 3);
    equal(pos.costBasis, 270);
    equal((await broker.fills(user)).length, 2);
    deepEqual((await broker.orders(user, { status: "open" })).map((o) => o.id), []);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "paper: a holding opened elsewhere since the last order is valued at its price",
  async (db) => {
    const r = await rig(db);
    const other = new PaperBroker({ db, market: r.market });
    await r.broker.submit(r.user, order({ side: "buy" })); // r.broker now expects AAPL alone
    await other.submit(r.user, order({ side: "buy", symbol: "MSFT" }));
    await r.broker.submit(r.user, order({ side: "buy" }));
    const [point] = await db.query<{ equity: string }>(
      "select equity::text from equity_snapshots where user_id = $1 order by at desc limit 1",
      [r.user],
    );
    // MSFT at its last trade (200), not at what it cost (200.2 a share).
    equal(Number(point.equity), (await r.broker.account(r.user)).equity);
    await assertLedger(db, r.user);
  },
);
