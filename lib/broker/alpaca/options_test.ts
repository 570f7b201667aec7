/**
 * Option orders through the real Alpaca broker against the fake Alpaca server over HTTP
 * (tests/fakes/alpaca.ts), on PGlite and, when TEST_DATABASE_URL is set, on the PostgreSQL
 * server: single contracts opened and closed, an mleg vertical, Alpaca's refusals, an mleg whose
 * answer was lost, option positions, and expiry booked from Alpaca's option events.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { type FakeAlpaca, startFakeAlpaca } from "../../../tests/fakes/alpaca.ts";
import {
  IdempotencyKeyReusedError,
  OrderRefusedError,
  type OrderRequest,
  type PositionIntent,
} from "../types.ts";
import { formatOcc } from "../../options/occ.ts";
import { nyTime } from "../../shared/ny_time.ts";
import { type AlpacaBroker, createAlpacaBroker } from "./mod.ts";

interface Rig {
  fake: FakeAlpaca;
  broker: AlpacaBroker;
  userId: number;
}

const C190 = "AAPL300118C00190000";
const C200 = "AAPL300118C00200000";
const P180 = "AAPL300118P00180000";
const P170 = "AAPL300118P00170000";

function optionTest(name: string, fn: (r: Rig, db: Database) => Promise<void>) {
  withTestDatabases(`alpaca options ${name}`, async (db) => {
    const fake = await startFakeAlpaca({
      prices: { AAPL: 190 },
      optionQuotes: {
        [C190]: { bid: 5, ask: 5.2 },
        [C200]: { bid: 2, ask: 2.1 },
        [P180]: { bid: 3, ask: 3.1 },
        [P170]: { bid: 1.4, ask: 1.5 },
      },
    });
    const broker = createAlpacaBroker({
      db,
      keyId: fake.keyId,
      secretKey: fake.secretKey,
      baseUrl: fake.url,
      backoffBaseMs: 5,
    });
    try {
      await fn({ fake, broker, userId: await createTestUser(db) }, db);
    } finally {
      await broker.close();
      await fake.close();
    }
  });
}

const single = (
  symbol: string,
  side: "buy" | "sell",
  positionIntent: PositionIntent,
  o: Partial<OrderRequest> = {},
): OrderRequest => ({
  symbol,
  side,
  type: "market",
  timeInForce: "day",
  qty: 2,
  positionIntent,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

/** A bull call spread: buy the 190 call, sell the 200 call, for a net debit. */
const vertical = (o: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: "AAPL",
  side: "buy",
  type: "limit",
  timeInForce: "day",
  qty: 2,
  limitPrice: 3.2,
  orderClass: "mleg",
  legs: [
    { symbol: C190, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
    { symbol: C200, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
  ],
  clientOrderId: crypto.randomUUID(),
  ...o,
});

const posts = (fake: FakeAlpaca) =>
  fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/orders");

async function trades(db: Database, userId: number) {
  return (await db.query<{
    symbol: string;
    side: string;
    quantity: string;
    price: string;
    notional: string;
    multiplier: string;
    reason: string;
    note: string | null;
    order_id: string | null;
  }>(
    `select symbol, side, quantity, price, notional, multiplier, reason, note, order_id
     from trades where user_id = $1 order by executed_at, id`,
    [userId],
  )).map((t) => ({
    ...t,
    quantity: Number(t.quantity),
    price: Number(t.price),
    notional: Number(t.notional),
    multiplier: Number(t.multiplier),
  }));
}

optionTest("buy to open from the ask, then sell to close at the bid", async (r, db) => {
  const { order } = await r.broker.submit(r.userId, single(C190, "buy", "buy_to_open"));
  equal(order.status, "filled");
  equal(order.assetClass, "us_option");
  equal(order.orderClass, "simple");
  equal(order.positionIntent, "buy_to_open");
  equal(order.filledAvgPrice, 5.2);
  equal(order.legs, null);
  const body = posts(r.fake)[0].body as Record<string, unknown>;
  deepEqual([body.symbol, body.qty, body.position_intent, body.time_in_force], [
    C190,
    "2",
    "buy_to_open",
    "day",
  ]);

  const [position] = await r.broker.positions(r.userId);
  equal(position.symbol, C190);
  equal(position.assetClass, "us_option");
  deepEqual(position.option, {
    underlying: "AAPL",
    expiration: "2030-01-18",
    type: "call",
    strike: 190,
    multiplier: 100,
  });
  equal(position.qty, 2);
  equal(position.avgEntryPrice, 5.2);
  equal(position.costBasis, 1040);
  equal(position.marketValue, 1020);
  equal((await r.broker.account(r.userId)).cash, 100_000 - 1040);

  r.fake.setOptionQuote(C190, { bid: 6, ask: 6.2 });
  const closed = await r.broker.closePosition(r.userId, C190, {
    clientOrderId: crypto.randomUUID(),
  });
  equal(closed.order.side, "sell");
  equal(closed.order.positionIntent, "sell_to_close");
  equal(closed.order.filledAvgPrice, 6);
  deepEqual(await r.broker.positions(r.userId), []);

  await r.broker.sync();
  deepEqual(
    (await trades(db, r.userId)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.notional]),
    [[C190, "buy", 2, 5.2, 1040], [C190, "sell", 2, 6, 1200]],
  );
  ok((await trades(db, r.userId)).every((t) => t.multiplier === 100));
  const listed = await r.broker.orders(r.userId);
  deepEqual(listed.map((o) => [o.positionIntent, o.assetClass]), [
    ["sell_to_close", "us_option"],
    ["buy_to_open", "us_option"],
  ]);
});

optionTest("an mleg vertical: all legs at once, listed with their fills", async (r, db) => {
  const { order } = await r.broker.submit(r.userId, vertical());
  equal(order.status, "filled");
  equal(order.orderClass, "mleg");
  equal(order.assetClass, "us_option");
  equal(order.symbol, "AAPL");
  equal(order.side, "buy");
  equal(order.limitPrice, 3.2);
  equal(order.filledQty, 2);
  equal(order.filledAvgPrice, 3.2);
  deepEqual(order.legs, [
    {
      symbol: C190,
      side: "buy",
      ratioQty: 1,
      positionIntent: "buy_to_open",
      filledQty: 2,
      filledAvgPrice: 5.2,
    },
    {
      symbol: C200,
      side: "sell",
      ratioQty: 1,
      positionIntent: "sell_to_open",
      filledQty: 2,
      filledAvgPrice: 2,
    },
  ]);
  const body = posts(r.fake)[0].body as Record<string, unknown>;
  equal(body.order_class, "mleg");
  equal(body.limit_price, "3.2");
  equal("symbol" in body, false);
  equal("side" in body, false);

  const positions = await r.broker.positions(r.userId);
  deepEqual(positions.map((p) => [p.symbol, p.qty, p.option?.type, p.option?.strike]), [
    [C190, 2, "call", 190],
    [C200, -2, "call", 200],
  ]);
  const [listed] = await r.broker.orders(r.userId);
  deepEqual(listed.legs, order.legs);
  deepEqual(await r.broker.order(r.userId, order.id), listed);

  // Each leg's FILL names the leg's own Alpaca order; it is booked to this order.
  await r.broker.sync();
  deepEqual(
    (await trades(db, r.userId)).map((t) => [t.symbol, t.side, t.quantity, t.notional, t.order_id]),
    [[C190, "buy", 2, 1040, order.id], [C200, "sell", 2, 400, order.id]],
  );
  await r.broker.sync();
  equal((await trades(db, r.userId)).length, 2, "booked once");
});

optionTest("a credit spread rests until the credit is there; sync sees it fill", async (r) => {
  const spread: OrderRequest = {
    symbol: "AAPL",
    side: "sell",
    type: "limit",
    timeInForce: "day",
    qty: 1,
    limitPrice: 1.7,
    orderClass: "mleg",
    legs: [
      { symbol: P180, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
      { symbol: P170, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
    ],
    clientOrderId: crypto.randomUUID(),
  };
  const { order } = await r.broker.submit(r.userId, spread);
  equal(order.status, "new");
  // Our limit is the credit, positive; Alpaca's is signed (negative for a credit).
  equal(order.limitPrice, 1.7);
  equal((posts(r.fake)[0].body as Record<string, unknown>).limit_price, "-1.7");
  deepEqual(order.legs?.map((l) => l.filledQty), [0, 0]);
  r.fake.setOptionQuote(P180, { bid: 3.25, ask: 3.3 });
  await r.broker.sync();
  const filled = await r.broker.order(r.userId, order.id);
  equal(filled.status, "filled");
  equal(filled.filledAvgPrice, 1.75);
  deepEqual(filled.legs?.map((l) => [l.filledQty, l.filledAvgPrice]), [[1, 3.25], [1, 1.5]]);
});

optionTest("refused before sending: gtc, fractions, a replace of an mleg", async (r, db) => {
  const gtc = await r.broker.submit(
    r.userId,
    single(C190, "buy", "buy_to_open", { timeInForce: "gtc", type: "limit", limitPrice: 5 }),
  ).catch((e) => e);
  ok(gtc instanceof OrderRefusedError, String(gtc));
  equal(gtc.code, "invalid_order");
  ok(/day only/.test(gtc.message), gtc.message);
  const half = await r.broker.submit(r.userId, single(C190, "buy", "buy_to_open", { qty: 0.5 }))
    .catch((e) => e);
  ok(half instanceof OrderRefusedError && /whole contracts/.test(half.message), String(half));
  await rejects(r.broker.submit(r.userId, vertical({ timeInForce: "gtc" })), OrderRefusedError);
  equal(posts(r.fake).length, 0);
  equal((await db.query("select 1 from orders")).length, 0);

  const { order } = await r.broker.submit(r.userId, vertical({ limitPrice: 2 }));
  equal(order.status, "new");
  const change = await r.broker.replace(r.userId, order.id, { limitPrice: 2.5 }).catch((e) => e);
  ok(change instanceof OrderRefusedError && /multi-leg/.test(change.message), String(change));
  const canceled = await r.broker.cancel(r.userId, order.id);
  equal(canceled.status, "canceled");
  equal(canceled.orderClass, "mleg");
});

optionTest("Alpaca's options level refusal stores nothing", async (r, db) => {
  r.fake.setOptionsLevel(2);
  const err = await r.broker.submit(r.userId, vertical()).catch((e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "order_not_allowed");
  ok(/does not permit multi-leg/.test(err.message), err.message);
  equal((await db.query("select 1 from orders")).length, 0);
  equal((await db.query("select 1 from order_legs")).length, 0);
});

optionTest(
  "a lost answer to an mleg POST is found by client_order_id, never sent twice",
  async (r) => {
    r.fake.fail(1, "drop-after-commit", { method: "POST", path: "/v2/orders" });
    const req = vertical();
    const { order, duplicate } = await r.broker.submit(r.userId, req);
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(order.legs?.length, 2);
    equal(r.fake.orders().length, 1);
    equal(posts(r.fake).length, 1);
    ok(r.fake.requests.some((q) => q.path === "/v2/orders:by_client_order_id"));
    // The same key and legs again is the same order; other legs under that key are refused.
    const again = await r.broker.submit(r.userId, { ...req });
    equal(again.duplicate, true);
    equal(again.order.id, order.id);
    const legs = req.legs!;
    await rejects(
      r.broker.submit(r.userId, { ...req, legs: [legs[0], { ...legs[1], symbol: P180 }] }),
      IdempotencyKeyReusedError,
    );
    equal(r.fake.orders().length, 1);
  },
);

optionTest("closing an option position goes in whole contracts with its intent", async (r) => {
  await r.broker.submit(r.userId, single(C190, "buy", "buy_to_open", { qty: 3 }));
  const refused = async (ask: { qty?: number; percentage?: number }) => {
    const err = await r.broker.closePosition(r.userId, C190, {
      ...ask,
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(err instanceof OrderRefusedError && /whole contracts/.test(err.message), String(err));
  };
  await refused({ qty: 1.5 });
  await refused({ percentage: 10 });
  // A percentage rounds down to whole contracts: half of 3 is 1.
  const half = await r.broker.closePosition(r.userId, C190, {
    percentage: 50,
    clientOrderId: crypto.randomUUID(),
  });
  equal(half.order.positionIntent, "sell_to_close");
  equal(half.order.qty, 1);
  equal(half.order.status, "filled");
  equal((await r.broker.positions(r.userId))[0].qty, 2);
  equal(
    (r.fake.requests.filter((q) => q.method === "POST").at(-1)?.body as Record<string, unknown>)
      .position_intent,
    "sell_to_close",
  );
});

optionTest(
  "expiry: an exercised call and an expired one booked with their reasons",
  async (r, db) => {
    // Contracts expiring today (New York), as Alpaca's events are written today.
    const today = nyTime(Date.now()).date;
    const itm = formatOcc("AAPL", today, "call", 190);
    const otm = formatOcc("AAPL", today, "call", 200);
    r.fake.setOptionQuote(itm, { bid: 5, ask: 5.2 });
    r.fake.setOptionQuote(otm, { bid: 0.05, ask: 0.1 });
    await r.broker.submit(r.userId, single(itm, "buy", "buy_to_open"));
    await r.broker.submit(r.userId, single(otm, "buy", "buy_to_open", { qty: 1 }));
    r.fake.expireOption(itm, { underlyingClose: 195 });
    r.fake.expireOption(otm, { underlyingClose: 195 });
    const asked = () => r.fake.requests.filter((q) => q.path === "/v2/account/activities").length;
    // The day before, nothing is asked of Alpaca: no contract held has reached its expiration.
    const yesterday = createAlpacaBroker({
      db,
      keyId: r.fake.keyId,
      secretKey: r.fake.secretKey,
      baseUrl: r.fake.url,
      now: () => new Date(Date.now() - 86_400_000),
    });
    try {
      await yesterday.sync();
    } finally {
      await yesterday.close();
    }
    equal(asked(), 0);
    equal((await trades(db, r.userId)).length, 2, "the fills were booked");
    await r.broker.sync();
    ok(asked() > 0);
    await r.broker.sync();
    const settled = (await trades(db, r.userId)).filter((t) => t.reason !== "trade");
    deepEqual(
      settled.map((t) => [t.symbol, t.side, t.quantity, t.price, t.multiplier, t.reason]),
      [
        [itm, "sell", 2, 0, 100, "exercise"],
        ["AAPL", "buy", 200, 190, 1, "exercise"],
        [otm, "sell", 1, 0, 100, "expired"],
      ],
    );
    equal(settled[1].note, `AAPL ${today} 190 call exercised at 190: bought 200 AAPL`);
    equal(settled[1].notional, 38_000);
    equal(settled[2].note, `AAPL ${today} 200 call expired worthless: 1 long contract`);
    deepEqual((await r.broker.positions(r.userId)).map((p) => [p.symbol, p.qty]), [["AAPL", 200]]);
  },
);
