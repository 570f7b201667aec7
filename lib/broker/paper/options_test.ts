/**
 * The paper broker's option orders against a real database (PGlite and the server) and hand-set
 * chains: single contracts fill at the chain's ask and bid with the multiplier in the ledger,
 * multi-leg orders fill all their legs or none, intents must fit what is held, and the option
 * level and buying power rules refuse with their reasons.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { ScriptedMarketData } from "../../market/testing.ts";
import { formatOcc } from "../../options/occ.ts";
import { updateSettings } from "../../settings.ts";
import { type OrderLeg, OrderRefusedError, type OrderRequest } from "../types.ts";
import { PaperBroker } from "./broker.ts";

const EXP = "2026-11-20";
const call = (k: number) => formatOcc("AAPL", EXP, "call", k);
const put = (k: number) => formatOcc("AAPL", EXP, "put", k);

interface Rig {
  db: Database;
  market: ScriptedMarketData;
  broker: PaperBroker;
  user: number;
}

async function rig(db: Database, settings: Record<string, unknown> = {}): Promise<Rig> {
  const user = await createTestUser(db);
  await updateSettings(db, user, {
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
    ...settings,
  });
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 149.9, ask: 150.1, last: 150, prevClose: 149 });
  market.setOption(call(150), { bid: 2.4, ask: 2.6 });
  market.setOption(call(155), { bid: 0.9, ask: 1.1 });
  market.setOption(put(145), { bid: 1.4, ask: 1.6 });
  market.setOption(put(140), { bid: 0.5, ask: 0.7 });
  return { db, market, broker: new PaperBroker({ db, market }), user };
}

function single(
  symbol: string,
  side: "buy" | "sell",
  intent: OrderRequest["positionIntent"],
  o: Partial<OrderRequest> = {},
): OrderRequest {
  return {
    symbol,
    side,
    type: "market",
    timeInForce: "day",
    qty: 1,
    positionIntent: intent,
    clientOrderId: crypto.randomUUID(),
    ...o,
  };
}

const leg = (symbol: string, side: "buy" | "sell", close = false, ratioQty = 1): OrderLeg => ({
  symbol,
  side,
  ratioQty,
  positionIntent: `${side}_to_${close ? "close" : "open"}`,
});

function mleg(side: "buy" | "sell", legs: OrderLeg[], o: Partial<OrderRequest> = {}): OrderRequest {
  return {
    symbol: "AAPL",
    side,
    type: "market",
    timeInForce: "day",
    qty: 1,
    orderClass: "mleg",
    legs,
    clientOrderId: crypto.randomUUID(),
    ...o,
  };
}

/** cash + Σ cost basis = starting cash + Σ realized P&L, exactly, in SQL numerics. */
async function assertLedger(db: Database, user: number) {
  const [r] = await db.query<{ lhs: string; rhs: string; trades: string; realized: string }>(
    `select (a.cash + coalesce((select sum(cost_basis) from paper_positions where user_id = $1), 0))
              ::text as lhs,
            (a.starting_cash + a.realized_pl)::text as rhs,
            (select coalesce(sum(realized_pl), 0) from trades where user_id = $1)::text as trades,
            a.realized_pl::text as realized
     from paper_accounts a where a.user_id = $1`,
    [user],
  );
  equal(r.lhs, r.rhs, "cash + cost basis = starting cash + realized");
  equal(Number(r.realized), Number(r.trades), "account realized = Σ trade realized");
}

async function counts(db: Database, user: number) {
  const [c] = await db.query<{ orders: number; trades: number; positions: number }>(
    `select (select count(*)::int from orders where user_id = $1) as orders,
            (select count(*)::int from trades where user_id = $1) as trades,
            (select count(*)::int from paper_positions where user_id = $1) as positions`,
    [user],
  );
  return c;
}

withTestDatabases("options: buy to open fills at the ask, × 100 in cash and cost", async (db) => {
  const { broker, user } = await rig(db);
  const { order, duplicate } = await broker.submit(
    user,
    single(call(150), "buy", "buy_to_open", { qty: 2 }),
  );
  equal(duplicate, false);
  equal(order.status, "filled");
  equal(order.filledAvgPrice, 2.6);
  equal(order.filledQty, 2);
  equal(order.assetClass, "us_option");
  equal(order.positionIntent, "buy_to_open");
  equal(order.prices, "replay");
  equal(order.chain, "replay-model");
  const acct = await broker.account(user);
  equal(acct.cash, 100_000 - 520);
  const [pos] = await broker.positions(user);
  equal(pos.symbol, call(150));
  equal(pos.qty, 2);
  equal(pos.costBasis, 520);
  equal(pos.avgEntryPrice, 2.6);
  equal(pos.assetClass, "us_option");
  deepEqual(pos.option, {
    underlying: "AAPL",
    expiration: EXP,
    type: "call",
    strike: 150,
    multiplier: 100,
  });
  // Marked at the chain's mid, 2.50: 2 × 2.50 × 100.
  equal(pos.currentPrice, 2.5);
  equal(pos.marketValue, 500);
  equal(pos.unrealizedPl, -20);
  equal(acct.equity, 100_000 - 20);
  const [fill] = await broker.fills(user);
  equal(fill.multiplier, 100);
  equal(fill.notional, 520);
  equal(fill.chain, "replay-model");
  await assertLedger(db, user);
});

withTestDatabases("options: sell to close at the bid realizes the P&L", async (db) => {
  const { broker, market, user } = await rig(db);
  await broker.submit(user, single(call(150), "buy", "buy_to_open", { qty: 3 }));
  market.setOption(call(150), { bid: 3.2, ask: 3.4 });
  const { order } = await broker.submit(
    user,
    single(call(150), "sell", "sell_to_close", { qty: 2 }),
  );
  equal(order.status, "filled");
  equal(order.filledAvgPrice, 3.2);
  const [pos] = await broker.positions(user);
  equal(pos.qty, 1);
  equal(pos.costBasis, 260);
  // Sold 2 for 640 what cost 520.
  equal(pos.realizedPl, 120);
  equal((await broker.account(user)).realizedPl, 120);
  await assertLedger(db, user);
});

withTestDatabases("options: an intent that does not fit what is held is refused", async (db) => {
  const { broker, user } = await rig(db);
  const err = await broker.submit(user, single(call(150), "sell", "sell_to_close"))
    .catch((e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "invalid_option_structure");
  ok(err.message.includes("you have 0 to close"), err.message);
  await broker.submit(user, single(call(150), "buy", "buy_to_open"));
  const short = await broker.submit(user, single(call(150), "sell", "sell_to_open"))
    .catch((e) => e);
  ok(short instanceof OrderRefusedError);
  ok(short.message.includes("sell to close it instead"), short.message);
  const over = await broker.submit(user, single(call(150), "sell", "sell_to_close", { qty: 2 }))
    .catch((e) => e);
  ok(over instanceof OrderRefusedError);
  equal((await counts(db, user)).orders, 1);
});

withTestDatabases("options: a contract the chain does not list cannot be traded", async (db) => {
  const { broker, user } = await rig(db);
  const err = await broker.submit(user, single(call(160), "buy", "buy_to_open")).catch((e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "no_price");
  const limit = await broker.submit(
    user,
    single(call(160), "buy", "buy_to_open", { type: "limit", limitPrice: 1 }),
  ).catch((e) => e);
  ok(limit instanceof OrderRefusedError, String(limit));
  equal(limit.code, "invalid_option_structure");
  ok(limit.message.includes("not listed"), limit.message);
  deepEqual(await counts(db, user), { orders: 0, trades: 0, positions: 0 });
});

withTestDatabases(
  "options: limit orders rest until the market crosses, then fill at the ask",
  async (db) => {
    const { broker, market, user } = await rig(db);
    const { order } = await broker.submit(
      user,
      single(call(150), "buy", "buy_to_open", {
        type: "limit",
        limitPrice: 2.5,
        timeInForce: "gtc",
      }),
    );
    equal(order.status, "new");
    // A resting option buy holds its limit × 100 from buying power.
    equal((await broker.account(user)).buyingPower, 100_000 - 250);
    await broker.sync();
    equal((await broker.order(user, order.id)).status, "new");
    market.setOption(call(150), { bid: 2.2, ask: 2.45 });
    const report = await broker.sync();
    equal(report.filled, 1);
    const filled = await broker.order(user, order.id);
    equal(filled.status, "filled");
    equal(filled.filledAvgPrice, 2.45);
    equal((await broker.account(user)).cash, 100_000 - 245);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: a market order sent while closed waits and fills at the open",
  async (db) => {
    const { broker, market, user } = await rig(db);
    market.setState("closed");
    market.closeAfterSession(false);
    const { order } = await broker.submit(user, single(call(150), "buy", "buy_to_open"));
    equal(order.status, "accepted");
    equal((await broker.positions(user)).length, 0);
    market.setState("open");
    market.setOption(call(150), { bid: 2.7, ask: 2.9 });
    await broker.sync();
    const filled = await broker.order(user, order.id);
    equal(filled.status, "filled");
    equal(filled.filledAvgPrice, 2.9);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: the same key returns the first order; another request is refused",
  async (db) => {
    const { broker, user } = await rig(db);
    const req = single(call(150), "buy", "buy_to_open");
    const a = await broker.submit(user, req);
    const b = await broker.submit(user, { ...req });
    equal(b.duplicate, true);
    equal(b.order.id, a.order.id);
    await rejects(broker.submit(user, { ...req, qty: 2 }), /already used/);
    await rejects(broker.submit(user, { ...req, positionIntent: "buy_to_close" }), /already used/);
    equal((await counts(db, user)).trades, 1);
  },
);

withTestDatabases(
  "options: a debit vertical fills every leg at its own side, in one go",
  async (db) => {
    const { broker, user } = await rig(db);
    const { order } = await broker.submit(
      user,
      mleg("buy", [leg(call(150), "buy"), leg(call(155), "sell")], { qty: 2 }),
    );
    equal(order.status, "filled");
    equal(order.orderClass, "mleg");
    equal(order.assetClass, "us_option");
    // 2.60 paid for the 150 call, 0.90 received for the 155: a 1.70 debit per share.
    equal(order.filledAvgPrice, 1.7);
    equal(order.filledQty, 2);
    deepEqual(order.legs?.map((l) => [l.symbol, l.side, l.filledQty, l.filledAvgPrice]), [
      [call(150), "buy", 2, 2.6],
      [call(155), "sell", 2, 0.9],
    ]);
    const positions = await broker.positions(user);
    deepEqual(positions.map((p) => [p.symbol, p.qty, p.costBasis]), [
      [call(150), 2, 520],
      [call(155), -2, -180],
    ]);
    equal((await broker.account(user)).cash, 100_000 - 340);
    const listed = await broker.orders(user, { status: "all" });
    equal(listed[0].legs?.length, 2);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: a credit order whose limit the market meets fills; otherwise it rests",
  async (db) => {
    const { broker, market, user } = await rig(db);
    // Bull put spread: sell the 145 put (bid 1.40), buy the 140 (ask 0.70): 0.70 credit.
    const legs = [leg(put(145), "sell"), leg(put(140), "buy")];
    const rest = await broker.submit(
      user,
      mleg("sell", legs, { type: "limit", limitPrice: 0.8, timeInForce: "gtc" }),
    );
    equal(rest.order.status, "new");
    await broker.sync();
    equal((await broker.order(user, rest.order.id)).status, "new");
    market.setOption(put(145), { bid: 1.55, ask: 1.7 });
    await broker.sync();
    const filled = await broker.order(user, rest.order.id);
    equal(filled.status, "filled");
    equal(filled.filledAvgPrice, 0.85);
    equal((await broker.account(user)).cash, 100_000 + 85);
    // The spread holds its width less the credit: 5 × 100 − 85 = 415.
    equal((await broker.account(user)).buyingPower, 100_000 + 85 - 500);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: a leg without a price means no leg fills and nothing is booked",
  async (db) => {
    const { broker, market, user } = await rig(db);
    market.setOption(call(155), { bid: null, ask: 1.1 });
    const legs = [leg(call(150), "buy"), leg(call(155), "sell")];
    const market_ = await broker.submit(user, mleg("buy", legs)).catch((e) => e);
    ok(market_ instanceof OrderRefusedError, String(market_));
    equal(market_.code, "no_price");
    ok(market_.message.includes(`${call(155)} (no bid)`), market_.message);
    deepEqual(await counts(db, user), { orders: 0, trades: 0, positions: 0 });

    const { order } = await broker.submit(
      user,
      mleg("buy", legs, { type: "limit", limitPrice: 3, timeInForce: "gtc" }),
    );
    equal(order.status, "new");
    await broker.sync();
    const still = await broker.order(user, order.id);
    equal(still.status, "new");
    deepEqual(still.legs?.map((l) => l.filledQty), [0, 0]);
    deepEqual(await counts(db, user), { orders: 1, trades: 0, positions: 0 });
    equal((await broker.account(user)).cash, 100_000);
  },
);

withTestDatabases(
  "options: a failure while booking the second leg rolls the first back",
  async (db) => {
    const { market, user } = await rig(db);
    // The database refuses the second leg's trade: the transaction must leave nothing behind.
    let trades = 0;
    const failing = new Proxy(db, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== "transaction") return typeof v === "function" ? v.bind(target) : v;
        return (fn: (tx: Database) => Promise<unknown>) =>
          target.transaction((tx) =>
            fn(
              new Proxy(tx, {
                get(t, p, r) {
                  const w = Reflect.get(t, p, r);
                  if (p !== "query") return typeof w === "function" ? w.bind(t) : w;
                  return (sql: string, params?: unknown[]) => {
                    if (sql.includes("insert into trades") && ++trades === 2) {
                      return Promise.reject(new Error("the disk is full"));
                    }
                    return (w as Database["query"]).call(t, sql, params);
                  };
                },
              }) as Database,
            )
          );
      },
    }) as Database;
    const broker = new PaperBroker({ db: failing, market });
    const err = await broker.submit(
      user,
      mleg("buy", [leg(call(150), "buy"), leg(call(155), "sell")]),
    ).catch((e) => e);
    equal(String(err), "Error: the disk is full");
    deepEqual(await counts(db, user), { orders: 0, trades: 0, positions: 0 });
    const [a] = await db.query<{ cash: string }>(
      "select cash::text from paper_accounts where user_id = $1",
      [user],
    );
    ok(!a || a.cash === "100000.00", a?.cash);
  },
);

withTestDatabases(
  "options: a multi-leg retry with the same key answers with the first order",
  async (db) => {
    const { broker, user } = await rig(db);
    const req = mleg("buy", [leg(call(150), "buy"), leg(call(155), "sell")]);
    const [a, b] = await Promise.all([broker.submit(user, req), broker.submit(user, { ...req })]);
    equal(a.order.id, b.order.id);
    equal([a.duplicate, b.duplicate].filter(Boolean).length, 1);
    const c = await broker.submit(user, { ...req });
    equal(c.duplicate, true);
    equal(c.order.legs?.length, 2);
    await rejects(
      broker.submit(user, { ...req, legs: [req.legs![0], leg(call(155), "sell", false, 2)] }),
      /already used/,
    );
    deepEqual(await counts(db, user), { orders: 1, trades: 2, positions: 2 });
  },
);

withTestDatabases(
  "options: a resting order cancels, cannot be replaced, and is dropped when its position goes",
  async (db) => {
    const { broker, market, user } = await rig(db);
    const resting = await broker.submit(
      user,
      single(call(150), "buy", "buy_to_open", { type: "limit", limitPrice: 1, timeInForce: "gtc" }),
    );
    await rejects(broker.replace(user, resting.order.id, { limitPrice: 1.5 }), OrderRefusedError);
    equal((await broker.cancel(user, resting.order.id)).status, "canceled");

    await broker.submit(user, single(call(150), "buy", "buy_to_open", { qty: 2 }));
    const close = await broker.submit(
      user,
      single(call(150), "sell", "sell_to_close", { qty: 2, type: "limit", limitPrice: 5 }),
    );
    equal(close.order.status, "new");
    // The contracts are promised to that order: a second close finds none left to close.
    const twice = await broker.closePosition(user, call(150), {
      clientOrderId: crypto.randomUUID(),
    })
      .catch((e) => e);
    ok(twice instanceof OrderRefusedError, String(twice));
    ok(twice.message.includes("you have 0 to close"), twice.message);
    // Should the position leave by another way, the order cannot sell what is not held.
    await db.query("delete from paper_positions where user_id = $1", [user]);
    market.setOption(call(150), { bid: 5.1, ask: 5.3 });
    await broker.sync();
    const after = await broker.order(user, close.order.id);
    equal(after.status, "canceled");
    ok(after.reason?.startsWith("Canceled at fill time:"), after.reason ?? "");
    equal((await counts(db, user)).trades, 1);
  },
);

withTestDatabases(
  "options: an OCC order without an intent, or of a stock-only type, is refused",
  async (db) => {
    const { broker, user } = await rig(db);
    const bare = await broker.submit(user, { ...single(call(150), "buy", undefined) })
      .catch((e) => e);
    ok(bare instanceof OrderRefusedError, String(bare));
    ok(bare.message.includes("positionIntent is required"), bare.message);
    const stop = await broker.submit(
      user,
      single(call(150), "buy", "buy_to_open", { type: "stop", stopPrice: 3 }),
    ).catch((e) => e);
    ok(stop instanceof OrderRefusedError, String(stop));
    equal((await counts(db, user)).orders, 0);
  },
);

withTestDatabases(
  "options: closing the long leg of a call spread alone would leave a naked call and is refused",
  async (db) => {
    const { broker, user } = await rig(db);
    await broker.submit(user, mleg("sell", [leg(call(150), "sell"), leg(call(155), "buy")]));
    const refused = await broker.closePosition(user, call(155), {
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(refused instanceof OrderRefusedError, String(refused));
    equal(refused.code, "option_not_permitted");
    ok(refused.message.includes("naked"), refused.message);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [
      [call(150), -1],
      [call(155), 1],
    ]);
    // Closing both together, or the short leg first, stays allowed.
    await broker.closePosition(user, call(150), { clientOrderId: crypto.randomUUID() });
    await broker.closePosition(user, call(155), { clientOrderId: crypto.randomUUID() });
    equal((await broker.positions(user)).length, 0);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: selling the shares under a covered call would leave it naked and is refused",
  async (db) => {
    const { broker, user } = await rig(db);
    const shares = (qty: number): OrderRequest => ({
      symbol: "AAPL",
      side: "sell",
      type: "market",
      timeInForce: "day",
      qty,
      clientOrderId: crypto.randomUUID(),
    });
    await broker.submit(user, { ...shares(150), side: "buy" });
    await broker.submit(user, single(call(150), "sell", "sell_to_open"));
    const all = await broker.closePosition(user, "AAPL", { clientOrderId: crypto.randomUUID() })
      .catch((e) => e);
    ok(all instanceof OrderRefusedError, String(all));
    equal(all.code, "option_not_permitted");
    const some = await broker.submit(user, shares(51)).catch((e) => e);
    ok(some instanceof OrderRefusedError, String(some));
    // The 50 shares beyond the call's 100 are free to sell.
    equal((await broker.submit(user, shares(50))).order.status, "filled");
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [
      ["AAPL", 100],
      [call(150), -1],
    ]);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: a multi-leg order naming one contract twice is refused, not a database error",
  async (db) => {
    const { broker, user } = await rig(db);
    for (const o of [{}, { type: "limit" as const, limitPrice: 1 }]) {
      const err = await broker.submit(
        user,
        mleg("buy", [leg(call(150), "buy"), leg(call(150), "sell")], o),
      ).catch((e) => e);
      ok(err instanceof OrderRefusedError, String(err));
      equal(err.code, "invalid_option_structure");
      ok(err.message.includes("each contract once"), err.message);
    }
    deepEqual(await counts(db, user), { orders: 0, trades: 0, positions: 0 });
  },
);

withTestDatabases(
  "options: a multi-leg fill that goes the other way than its side flips the side, never a negative price",
  async (db) => {
    const { market, broker, user } = await rig(db);
    // A bull call spread opened for a debit of 2.6 − 0.9 = 1.70 …
    const open = await broker.submit(
      user,
      mleg("buy", [leg(call(150), "buy"), leg(call(155), "sell")]),
    );
    equal(open.order.filledAvgPrice, 1.7);
    equal(open.order.side, "buy");
    // … whose legs are now priced so that closing it costs money: the long leg bids less than
    // the short leg asks. Close-strategy guesses "sell" (a debit position is sold) …
    market.setOption(call(150), { bid: 0.5, ask: 0.7 });
    market.setOption(call(155), { bid: 1.4, ask: 1.6 });
    const closed = await broker.closeStrategy(user, {
      symbols: [call(150), call(155)],
      clientOrderId: crypto.randomUUID(),
    });
    // … and pays 1.60 − 0.50 = 1.10: the order says it paid (buy) 1.10, not "sold at −1.10".
    equal(closed.order.status, "filled");
    equal(closed.order.side, "buy");
    equal(closed.order.filledAvgPrice, 1.1);
    equal((await counts(db, user)).positions, 0);
    await assertLedger(db, user);
  },
);

const stock = (side: "buy" | "sell", qty: number, o: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: "AAPL",
  side,
  type: "market",
  timeInForce: "day",
  qty,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

withTestDatabases(
  "options: shares promised to a resting stock sell do not cover a new call",
  async (db) => {
    const { broker, market, user } = await rig(db);
    await broker.submit(user, stock("buy", 100));
    const sell = await broker.submit(
      user,
      stock("sell", 100, { type: "limit", limitPrice: 160, timeInForce: "gtc" }),
    );
    equal(sell.order.status, "new");
    const covered = await broker.submit(user, single(call(150), "sell", "sell_to_open"))
      .catch((e) => e);
    ok(covered instanceof OrderRefusedError, String(covered));
    equal(covered.code, "option_not_permitted");
    ok(covered.message.includes("promised to open sell orders"), covered.message);
    // Were the call taken, this fill would leave it naked.
    market.setQuote("AAPL", { bid: 160.5, ask: 160.7, last: 160.6, prevClose: 149 });
    await broker.sync();
    equal((await broker.order(user, sell.order.id)).status, "filled");
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), []);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "options: a pending buy to close of the short call does not free its long leg to close",
  async (db) => {
    const { broker, user } = await rig(db);
    await broker.submit(user, mleg("sell", [leg(call(150), "sell"), leg(call(155), "buy")]));
    // A buy to close far below the market: it rests, and may never fill.
    const pending = await broker.submit(
      user,
      single(call(150), "buy", "buy_to_close", { type: "limit", limitPrice: 0.05 }),
    );
    equal(pending.order.status, "new");
    const refused = await broker.closePosition(user, call(155), {
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(refused instanceof OrderRefusedError, String(refused));
    equal(refused.code, "option_not_permitted");
    ok(refused.message.includes("naked"), refused.message);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [
      [call(150), -1],
      [call(155), 1],
    ]);
  },
);

withTestDatabases(
  "options: a pending buy to close of a covered call does not free its shares for another call",
  async (db) => {
    const { broker, user } = await rig(db);
    await broker.submit(user, stock("buy", 100));
    await broker.submit(user, single(call(150), "sell", "sell_to_open"));
    await broker.submit(
      user,
      single(call(150), "buy", "buy_to_close", { type: "limit", limitPrice: 0.05 }),
    );
    const second = await broker.submit(user, single(call(155), "sell", "sell_to_open"))
      .catch((e) => e);
    ok(second instanceof OrderRefusedError, String(second));
    equal(second.code, "option_not_permitted");
  },
);

withTestDatabases(
  "options: closing the long put of a put spread alone needs the cash to secure the short put",
  async (db) => {
    // 10,000 of cash: the 145/140 spread holds 500 less its credit; the 145 put alone, 14,500.
    const { broker, user } = await rig(db, { startingCash: 10_000 });
    await broker.submit(user, mleg("sell", [leg(put(145), "sell"), leg(put(140), "buy")]));
    const refused = await broker.closePosition(user, put(140), {
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(refused instanceof OrderRefusedError, String(refused));
    equal(refused.code, "option_not_permitted");
    ok(refused.message.includes("14,500"), refused.message);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [
      [put(140), 1],
      [put(145), -1],
    ]);
    // With the cash to secure it, the short put may stay alone: it is a cash-secured put.
    const { broker: rich, user: richUser } = await rig(db);
    await rich.submit(richUser, mleg("sell", [leg(put(145), "sell"), leg(put(140), "buy")]));
    const closed = await rich.closePosition(richUser, put(140), {
      clientOrderId: crypto.randomUUID(),
    });
    equal(closed.order.status, "filled");
    await assertLedger(db, richUser);
  },
);

withTestDatabases(
  "options: a resting sell to open holds its requirement in buying power",
  async (db) => {
    const { broker, user } = await rig(db);
    const before = (await broker.account(user)).buyingPower;
    // A cash-secured 145 put asking 3.00 (the bid is 1.40): it rests, and needs
    // 145 × 100 − 3.00 × 100 = 14,200 when it fills.
    const csp = await broker.submit(
      user,
      single(put(145), "sell", "sell_to_open", {
        type: "limit",
        limitPrice: 3,
        timeInForce: "gtc",
      }),
    );
    equal(csp.order.status, "new");
    equal((await broker.account(user)).buyingPower, before - 14_200);
    // What is held cannot be spent twice: a stock buy for the rest plus a share is refused.
    const left = (await broker.account(user)).buyingPower;
    const over = await broker.submit(user, stock("buy", Math.floor(left / 150.1) + 1))
      .catch((e) => e);
    ok(over instanceof OrderRefusedError, String(over));
    equal(over.code, "insufficient_buying_power");
    // A call credit spread resting at 3.00 (the market gives 1.30): width 500 less 300 of credit.
    const spread = await broker.submit(
      user,
      mleg("sell", [leg(call(150), "sell"), leg(call(155), "buy")], {
        type: "limit",
        limitPrice: 3,
        timeInForce: "gtc",
      }),
    );
    equal(spread.order.status, "new");
    equal((await broker.account(user)).buyingPower, before - 14_200 - 200);
    await broker.cancel(user, csp.order.id);
    await broker.cancel(user, spread.order.id);
    equal((await broker.account(user)).buyingPower, before);
  },
);

withTestDatabases(
  "options: a resting credit spread on AAPL promises no AAPL shares, so they can all be sold",
  async (db) => {
    const { broker, user } = await rig(db);
    const stock = (side: "buy" | "sell"): OrderRequest => ({
      symbol: "AAPL",
      side,
      type: "market",
      timeInForce: "day",
      qty: 100,
      clientOrderId: crypto.randomUUID(),
    });
    equal((await broker.submit(user, stock("buy"))).order.status, "filled");
    // A bear call spread asking a credit of 5.00, far above the market's 1.30: it rests. Its
    // order row names the underlying (AAPL) and side sell, but it sells contracts, not shares.
    const spread = await broker.submit(
      user,
      mleg("sell", [leg(call(150), "sell"), leg(call(155), "buy")], {
        type: "limit",
        limitPrice: 5,
      }),
    );
    equal(spread.order.status, "new");
    const sold = await broker.submit(user, stock("sell"));
    equal(sold.order.status, "filled");
    equal(sold.order.filledQty, 100);
    await assertLedger(db, user);
  },
);
