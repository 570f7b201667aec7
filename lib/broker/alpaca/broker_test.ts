/**
 * The Alpaca broker against the fake Alpaca server (tests/fakes/alpaca.ts), on PGlite and, when
 * TEST_DATABASE_URL is set, on the PostgreSQL server. The fault tests pin the one promise that
 * matters most: whatever the network does, one intent never becomes two Alpaca orders.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { createLogger } from "../../log.ts";
import {
  type FakeAlpaca,
  type FakeAlpacaOptions,
  startFakeAlpaca,
} from "../../../tests/fakes/alpaca.ts";
import {
  BrokerUnavailableError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  OrderRefusedError,
  type OrderRequest,
  OrderStateError,
} from "../types.ts";
import type { AlpacaBrokerOptions } from "./broker.ts";
import { type AlpacaBroker, createAlpacaBroker } from "./mod.ts";

interface Rig {
  fake: FakeAlpaca;
  broker: AlpacaBroker;
  userId: number;
  logs: string[];
}

/** Registers a test that gets its own fake, broker and user, all closed afterwards. */
function alpacaTest(
  name: string,
  fn: (r: Rig, db: Database) => Promise<void>,
  opts: { fake?: FakeAlpacaOptions; broker?: Partial<AlpacaBrokerOptions> } = {},
) {
  withTestDatabases(`alpaca ${name}`, async (db) => {
    const fake = await startFakeAlpaca(opts.fake);
    const logs: string[] = [];
    const broker = createAlpacaBroker({
      db,
      keyId: fake.keyId,
      secretKey: fake.secretKey,
      baseUrl: fake.url,
      backoffBaseMs: 5,
      log: createLogger("debug", (line) => logs.push(line)),
      ...opts.broker,
    });
    try {
      await fn({ fake, broker, userId: await createTestUser(db), logs }, db);
      // Whatever happened, no log line carries the secret.
      for (const line of logs) ok(!line.includes(fake.secretKey), line);
    } finally {
      await broker.close();
      await fake.close();
    }
  });
}

const req = (o: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 2,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

const posts = (fake: FakeAlpaca) =>
  fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/orders");
const lookups = (fake: FakeAlpaca) =>
  fake.requests.filter((r) => r.path === "/v2/orders:by_client_order_id");

async function orderRows(db: Database, userId: number) {
  return await db.query<{ id: string; status: string; broker_order_id: string | null }>(
    "select id, status, broker_order_id from orders where user_id = $1 order by created_at",
    [userId],
  );
}

alpacaTest(
  "a market buy fills and is stored with Alpaca's id",
  async ({ fake, broker, userId }, db) => {
    fake.setPrice("AAPL", 100);
    const key = crypto.randomUUID();
    const { order, duplicate } = await broker.submit(userId, req({ clientOrderId: key }));
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(order.filledQty, 2);
    equal(order.filledAvgPrice, 100);
    equal(order.source, "alpaca");
    equal(order.prices, "alpaca");
    equal(order.clientOrderId, key);
    const [alpaca] = fake.orders();
    equal(fake.orders().length, 1);
    // Alpaca's key is our row id: unique across all users of the shared account.
    equal(alpaca.client_order_id, order.id);
    equal(posts(fake)[0].body && (posts(fake)[0].body as Record<string, unknown>).qty, "2");
    const [row] = await orderRows(db, userId);
    equal(row.broker_order_id, alpaca.id);
    const positions = await broker.positions(userId);
    deepEqual(positions.map((p) => [p.symbol, p.qty, p.costBasis, p.prices]), [
      ["AAPL", 2, 200, "alpaca"],
    ]);
    const account = await broker.account(userId);
    equal(account.cash, 100_000 - 200);
    equal(account.source, "alpaca");
    equal(account.realizedPl, null);
    equal((await broker.order(userId, order.id)).status, "filled");
    equal((await broker.orders(userId)).length, 1);
  },
);

alpacaTest("the same clientOrderId returns the first order and sends nothing", async (r, db) => {
  const first = req();
  const a = await r.broker.submit(r.userId, first);
  const b = await r.broker.submit(r.userId, { ...first });
  equal(b.duplicate, true);
  equal(b.order.id, a.order.id);
  equal(b.order.qty, 2);
  // The key with another quantity is another request: refused, and nothing is sent.
  await rejects(r.broker.submit(r.userId, { ...first, qty: 5 }), IdempotencyKeyReusedError);
  equal(r.fake.orders().length, 1);
  equal(posts(r.fake).length, 1);
  equal((await orderRows(db, r.userId)).length, 1);
});

alpacaTest("two users with the same key get two orders, each their own", async (r, db) => {
  const other = await createTestUser(db);
  const key = "same-key";
  const a = await r.broker.submit(r.userId, req({ clientOrderId: key }));
  const b = await r.broker.submit(other, req({ clientOrderId: key, qty: 1 }));
  equal(a.duplicate, false);
  equal(b.duplicate, false);
  ok(a.order.id !== b.order.id);
  equal(r.fake.orders().length, 2);
  equal(b.order.qty, 1);
});

alpacaTest("a 500 before the order is stored: looked up, resent, exactly one order", async (r) => {
  r.fake.fail(1, 500, { method: "POST", path: "/v2/orders" });
  const { order, duplicate } = await r.broker.submit(r.userId, req());
  equal(duplicate, false);
  equal(order.status, "filled");
  equal(r.fake.orders().length, 1);
  equal(posts(r.fake).length, 2);
  equal(lookups(r.fake).length, 1);
});

alpacaTest(
  "a 500 after the order is stored: reconciled by client id, exactly one",
  async (r, db) => {
    r.fake.fail(1, "500-after-commit", { method: "POST", path: "/v2/orders" });
    const { order, duplicate } = await r.broker.submit(r.userId, req());
    equal(posts(r.fake)[0].fault, "500-after-commit");
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(order.filledQty, 2);
    equal(r.fake.orders().length, 1);
    equal(posts(r.fake).length, 1);
    equal((await orderRows(db, r.userId))[0].broker_order_id, r.fake.orders()[0].id);
  },
);

alpacaTest(
  "a POST that hangs after the order is stored times out and finds it: exactly one",
  async (r) => {
    r.fake.fail(1, "hang-after-commit", { method: "POST", path: "/v2/orders" });
    const started = Date.now();
    const { order, duplicate } = await r.broker.submit(r.userId, req());
    equal(posts(r.fake)[0].fault, "hang-after-commit");
    ok(Date.now() - started < 3_000);
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(r.fake.orders().length, 1);
    equal(posts(r.fake).length, 1);
  },
  { broker: { timeoutMs: 300 } },
);

alpacaTest(
  "a POST that hangs before anything is stored is resent once: exactly one",
  async (r) => {
    r.fake.fail(1, "hang", { method: "POST", path: "/v2/orders" });
    const { order } = await r.broker.submit(r.userId, req());
    equal(order.status, "filled");
    equal(r.fake.orders().length, 1);
    equal(posts(r.fake).length, 2);
  },
  { broker: { timeoutMs: 300 } },
);

alpacaTest(
  "a late answer after the timeout: exactly one order",
  async (r) => {
    r.fake.fail(1, "late", { method: "POST", path: "/v2/orders", delayMs: 1_000 });
    const { order, duplicate } = await r.broker.submit(r.userId, req());
    equal(posts(r.fake)[0].fault, "late");
    equal(posts(r.fake).length, 1);
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(r.fake.orders().length, 1);
  },
  { broker: { timeoutMs: 300 } },
);

alpacaTest("a body cut off mid-answer is reconciled, not resent blindly", async (r) => {
  r.fake.fail(1, "drop-after-commit", { method: "POST", path: "/v2/orders" });
  const { order } = await r.broker.submit(r.userId, req());
  equal(order.status, "filled");
  equal(r.fake.orders().length, 1);
  equal(posts(r.fake).length, 1);
});

alpacaTest(
  "when nothing can be learned the order stays pending_new; sync settles it",
  async (r, db) => {
    r.fake.fail(1, "503-after-commit", { method: "POST", path: "/v2/orders" });
    r.fake.fail(3, 503, { method: "GET", path: "/v2/orders:by_client_order_id" });
    const { order, duplicate } = await r.broker.submit(r.userId, req());
    equal(duplicate, false);
    equal(order.status, "pending_new");
    equal(r.fake.orders().length, 1);
    equal(posts(r.fake).length, 1);
    const report = await r.broker.sync();
    equal(report.checked, 1);
    equal(report.filled, 1);
    const [row] = await orderRows(db, r.userId);
    equal(row.status, "filled");
    equal(row.broker_order_id, r.fake.orders()[0].id);
    // The fill is booked by the same pass.
    equal((await r.broker.fills(r.userId)).length, 1);
  },
);

alpacaTest("beyond buying power: refused with Alpaca's figures, nothing stored", async (r, db) => {
  const err = await r.broker.submit(r.userId, req({ qty: 10_000 })).then(() => null, (e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "insufficient_buying_power");
  equal(err.message, "insufficient buying power");
  ok(err.details && "buying_power" in err.details && "cost_basis" in err.details, "details");
  equal((await orderRows(db, r.userId)).length, 0);
  equal(r.fake.orders().length, 0);
  // The key is free again: nothing was placed under it.
});

alpacaTest("selling shares not held: insufficient_qty", async (r, db) => {
  const err = await r.broker.submit(r.userId, req({ side: "sell" })).then(() => null, (e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "insufficient_qty");
  equal((await orderRows(db, r.userId)).length, 0);
});

alpacaTest("a 422 validation error: invalid_order, nothing stored", async (r, db) => {
  // A fractional limit order: the seam lets it through, Alpaca refuses it.
  const err = await r.broker.submit(
    r.userId,
    req({ type: "limit", limitPrice: 50, qty: 1.5, timeInForce: "gtc" }),
  ).then(() => null, (e) => e);
  ok(err instanceof OrderRefusedError, String(err));
  equal(err.code, "invalid_order");
  ok(/fractional/.test(err.message), err.message);
  equal((await orderRows(db, r.userId)).length, 0);
});

alpacaTest("a 429 on submit: unavailable with retry-after, nothing stored", async (r, db) => {
  r.fake.fail(1, 429, { method: "POST", path: "/v2/orders", resetMs: 2_000 });
  const err = await r.broker.submit(r.userId, req()).then(() => null, (e) => e);
  ok(err instanceof BrokerUnavailableError, String(err));
  ok((err.retryAfterSeconds ?? 0) >= 1);
  equal((await orderRows(db, r.userId)).length, 0);
  equal(r.fake.orders().length, 0);
});

alpacaTest("a resting limit order cancels; a filled one cannot be canceled", async (r) => {
  const { order } = await r.broker.submit(
    r.userId,
    req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
  );
  equal(order.status, "new");
  equal((await r.broker.orders(r.userId, { status: "open" })).length, 1);
  const canceled = await r.broker.cancel(r.userId, order.id);
  equal(canceled.status, "canceled");
  ok(canceled.canceledAt);
  equal(r.fake.orders()[0].status, "canceled");
  equal((await r.broker.orders(r.userId, { status: "open" })).length, 0);

  const filled = await r.broker.submit(r.userId, req());
  equal(filled.order.status, "filled");
  const err = await r.broker.cancel(r.userId, filled.order.id).then(() => null, (e) => e);
  ok(err instanceof OrderStateError, String(err));
  equal(err.status, "filled");
  await rejects(r.broker.cancel(r.userId, crypto.randomUUID()), OrderNotFoundError);
});

alpacaTest("another user's order is not found", async (r, db) => {
  const { order } = await r.broker.submit(r.userId, req());
  const other = await createTestUser(db);
  await rejects(r.broker.order(other, order.id), OrderNotFoundError);
  await rejects(r.broker.cancel(other, order.id), OrderNotFoundError);
});

alpacaTest("replace links the old order to the new one", async (r) => {
  const { order } = await r.broker.submit(
    r.userId,
    req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
  );
  const key = crypto.randomUUID();
  const next = await r.broker.replace(r.userId, order.id, { limitPrice: 60, clientOrderId: key });
  ok(next.id !== order.id);
  equal(next.clientOrderId, key);
  equal(next.replaces, order.id);
  equal(next.limitPrice, 60);
  equal(next.status, "new");
  const old = await r.broker.order(r.userId, order.id);
  equal(old.status, "replaced");
  equal(old.replacedBy, next.id);
  const alpaca = r.fake.orders();
  equal(alpaca.length, 2);
  equal(alpaca[1].replaces, alpaca[0].id);
  equal(alpaca[1].limit_price, "60");
  // A replace of what is now replaced is a state error.
  await rejects(r.broker.replace(r.userId, order.id, { limitPrice: 70 }), OrderStateError);
  // An invalid change is refused and leaves no row behind.
  const err = await r.broker.replace(r.userId, next.id, { stopPrice: 40 }).then(
    () => null,
    (e) => e,
  );
  ok(err instanceof OrderRefusedError, String(err));
  equal((await r.broker.orders(r.userId, { status: "all" })).length, 2);
});

alpacaTest("closing a position sells it, idempotently", async (r) => {
  await r.broker.submit(r.userId, req({ qty: 3 }));
  const key = crypto.randomUUID();
  const half = await r.broker.closePosition(r.userId, "AAPL", {
    percentage: 50,
    clientOrderId: key,
  });
  equal(half.order.side, "sell");
  // The shared close rule: half of 3 is 1.5 shares (a fractional market day order).
  equal(half.order.qty, 1.5);
  equal(half.order.status, "filled");
  const again = await r.broker.closePosition(r.userId, "AAPL", {
    percentage: 50,
    clientOrderId: key,
  });
  equal(again.duplicate, true);
  equal(again.order.id, half.order.id);
  const rest = await r.broker.closePosition(r.userId, "AAPL", {
    clientOrderId: crypto.randomUUID(),
  });
  equal(rest.order.qty, 1.5);
  equal((await r.broker.positions(r.userId)).length, 0);
  await rejects(
    r.broker.closePosition(r.userId, "AAPL", { clientOrderId: crypto.randomUUID() }),
    OrderNotFoundError,
  );
  equal(r.fake.orders().length, 3);
});

alpacaTest(
  "sync books fills exactly once and settles orders Alpaca filled later",
  async (r, db) => {
    const a = await r.broker.submit(r.userId, req({ qty: 2 }));
    const b = await r.broker.submit(r.userId, req({ symbol: "MSFT", qty: 1 }));
    equal(a.order.status, "accepted");
    equal(r.fake.fillAll(), 2);
    const first = await r.broker.sync();
    equal(first.checked, 2);
    equal(first.filled, 2);
    equal(first.errors, 0);
    const second = await r.broker.sync();
    equal(second.checked, 0);
    const fills = await r.broker.fills(r.userId);
    equal(fills.length, 2);
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from trades where broker = 'alpaca'",
    );
    equal(n, 2);
    const aapl = fills.find((f) => f.symbol === "AAPL")!;
    equal(aapl.orderId, a.order.id);
    equal(aapl.qty, 2);
    equal(aapl.price, 190);
    equal(aapl.notional, 380);
    equal(aapl.source, "alpaca");
    equal((await r.broker.order(r.userId, b.order.id)).status, "filled");
    // Fills of orders PaiiD did not place are not anyone's.
    equal(
      (await db.query("select 1 from trades where broker = 'alpaca' and order_id is null")).length,
      0,
    );
  },
  { fake: { fillMode: "accepted" } },
);

alpacaTest("order() refreshes an open order from Alpaca", async (r) => {
  const { order } = await r.broker.submit(r.userId, req());
  equal(order.status, "accepted");
  r.fake.fillAll();
  const now = await r.broker.order(r.userId, order.id);
  equal(now.status, "filled");
  equal(now.filledAvgPrice, 190);
}, { fake: { fillMode: "accepted" } });

withTestDatabases("alpaca sync rejects an intent Alpaca never received", async (db) => {
  const fake = await startFakeAlpaca();
  let now = new Date();
  const broker = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    baseUrl: fake.url,
    now: () => now,
  });
  try {
    const userId = await createTestUser(db);
    const [row] = await db.query<{ id: string }>(
      `insert into orders (user_id, broker, client_order_id, symbol, side, type, time_in_force,
         qty, status) values ($1, 'alpaca', 'lost', 'AAPL', 'buy', 'market', 'day', 1, 'pending_new')
       returning id`,
      [userId],
    );
    equal((await broker.sync()).updated, 0);
    equal((await broker.order(userId, row.id)).status, "pending_new");
    now = new Date(Date.now() + 11 * 60_000);
    equal((await broker.sync()).updated, 1);
    const settled = await broker.order(userId, row.id);
    equal(settled.status, "rejected");
    ok(/never received/.test(settled.reason ?? ""));
    equal(fake.orders().length, 0);
  } finally {
    await broker.close();
    await fake.close();
  }
});

alpacaTest("reads retry through gateway errors", async (r) => {
  r.fake.fail(2, 503, { method: "GET", path: "/v2/account" });
  const account = await r.broker.account(r.userId);
  equal(account.equity, 100_000);
  equal(r.fake.requests.filter((q) => q.path === "/v2/account").length, 3);
});

alpacaTest("history maps Alpaca's portfolio history", async (r) => {
  await r.broker.submit(r.userId, req());
  const h = await r.broker.history(r.userId, "1M");
  equal(h.source, "alpaca");
  ok(h.points.length >= 1);
  ok(h.points.every((p) => !Number.isNaN(Date.parse(p.time)) && Number.isFinite(p.equity)));
  const q = r.fake.requests.find((x) => x.path === "/v2/account/portfolio/history")!;
  deepEqual([q.query.period, q.query.timeframe], ["1M", "1D"]);
});

withTestDatabases("alpaca secrets never appear in thrown errors", async (db) => {
  const fake = await startFakeAlpaca();
  const secret = fake.secretKey;
  const wrong = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: `${secret}x`,
    baseUrl: fake.url,
    backoffBaseMs: 5,
  });
  const down = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: secret,
    baseUrl: "http://127.0.0.1:9",
    backoffBaseMs: 5,
  });
  const ok_ = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: secret,
    baseUrl: fake.url,
    backoffBaseMs: 5,
  });
  try {
    const userId = await createTestUser(db);
    fake.fail(3, 500, { method: "GET", path: "/v2/positions" });
    const errors = [
      await wrong.account(userId).catch((e) => e),
      await wrong.submit(userId, req()).catch((e) => e),
      await down.positions(userId).catch((e) => e),
      await ok_.positions(userId).catch((e) => e),
    ];
    for (const e of errors) {
      ok(e instanceof Error, String(e));
      const text = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
      ok(!text.includes(secret), text);
      ok(!text.includes(`${secret}x`), text);
    }
    ok(errors.every((e) => e instanceof BrokerUnavailableError), String(errors));
  } finally {
    await wrong.close();
    await down.close();
    await ok_.close();
    await fake.close();
  }
});

alpacaTest(
  "partial fills are booked as they come; fills of orders PaiiD did not place are skipped",
  async (r, db) => {
    const { order } = await r.broker.submit(r.userId, req({ qty: 4 }));
    // An order placed on the shared account outside PaiiD.
    const foreign = await fetch(`${r.fake.url}/v2/orders`, {
      method: "POST",
      headers: { ...r.fake.headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        symbol: "MSFT",
        side: "buy",
        type: "market",
        time_in_force: "day",
        qty: "1",
      }),
    });
    const foreignId = (await foreign.json()).id;
    r.fake.fillOrder(foreignId);
    const alpacaId = r.fake.orders()[0].id as string;
    r.fake.fillOrder(alpacaId, { qty: 1, price: 101 });
    await r.broker.sync();
    await r.broker.sync();
    let fills = await r.broker.fills(r.userId);
    equal(fills.length, 1);
    equal(fills[0].price, 101);
    equal((await r.broker.order(r.userId, order.id)).status, "partially_filled");
    r.fake.fillOrder(alpacaId, { price: 102 });
    const report = await r.broker.sync();
    equal(report.filled, 1);
    fills = await r.broker.fills(r.userId);
    deepEqual(fills.map((f) => [f.qty, f.price, f.notional]), [[3, 102, 306], [1, 101, 101]]);
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from trades where broker = 'alpaca'",
    );
    equal(n, 2);
    // All booked: the next pass does not even ask for activities.
    const before = r.fake.requests.length;
    await r.broker.sync();
    equal(r.fake.requests.length, before);
  },
  { fake: { fillMode: "accepted" } },
);

// ---- When Alpaca's lookup lags its order book -------------------------------------------------

alpacaTest(
  "a lookup that has not seen the order yet: the resend meets the key and finds it, one order",
  async (r) => {
    r.fake.fail(1, "500-after-commit", { method: "POST", path: "/v2/orders" });
    r.fake.fail(1, 404, { method: "GET", path: "/v2/orders:by_client_order_id" });
    const { order } = await r.broker.submit(r.userId, req());
    equal(order.status, "filled");
    equal(r.fake.orders().length, 1);
    // The second POST carried the same key and was refused as a duplicate.
    equal(posts(r.fake).length, 2);
    equal(posts(r.fake)[1].status, 422);
  },
);

alpacaTest(
  "a replace whose answer is lost is never dropped: sync links the new order",
  async (r, db) => {
    const { order } = await r.broker.submit(
      r.userId,
      req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
    );
    r.fake.fail(1, "500-after-commit", { method: "PATCH" });
    r.fake.fail(1, 404, { method: "GET", path: "/v2/orders:by_client_order_id" });
    await rejects(r.broker.replace(r.userId, order.id, { limitPrice: 60 }), BrokerUnavailableError);
    // Alpaca applied it; our row for the replacement is still there, waiting.
    equal(r.fake.orders().length, 2);
    const pending = (await orderRows(db, r.userId)).filter((o) => o.id !== order.id);
    equal(pending.length, 1);
    equal(pending[0].status, "pending_new");

    await r.broker.sync();
    const rows = await orderRows(db, r.userId);
    equal(rows.find((o) => o.id === order.id)!.status, "replaced");
    const next = rows.find((o) => o.id !== order.id)!;
    equal(next.status, "new");
    equal(next.broker_order_id, r.fake.orders()[1].id);
    equal((await r.broker.order(r.userId, next.id)).limitPrice, 60);
  },
);

alpacaTest("a cancel whose first answer is lost is still a cancel", async (r) => {
  const { order } = await r.broker.submit(
    r.userId,
    req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
  );
  r.fake.fail(1, "502-after-commit", { method: "DELETE" });
  const canceled = await r.broker.cancel(r.userId, order.id);
  equal(canceled.status, "canceled");
  equal(r.fake.requests.filter((q) => q.method === "DELETE").length, 2);
});

let clockMs = Date.now();
alpacaTest(
  "an order marked never received is adopted when Alpaca shows it later, and its fill booked",
  async (r, db) => {
    // From now, not from when the file was loaded: the earlier tests may take minutes on a
    // loaded machine, and the order's row is stamped with the real time.
    clockMs = Date.now();
    r.fake.fail(1, "503-after-commit", { method: "POST", path: "/v2/orders" });
    r.fake.fail(3, 503, { method: "GET", path: "/v2/orders:by_client_order_id" });
    const { order } = await r.broker.submit(r.userId, req());
    equal(order.status, "pending_new");

    // From the row's own creation time: setting up the database may take a while.
    const [{ created_at }] = await db.query<{ created_at: Date }>(
      "select created_at from orders where id = $1",
      [order.id],
    );
    clockMs = created_at.getTime() + 11 * 60_000;
    r.fake.fail(1, 404, { method: "GET", path: "/v2/orders:by_client_order_id" });
    await r.broker.sync();
    equal((await orderRows(db, r.userId))[0].status, "rejected");

    await r.broker.sync();
    const [row] = await orderRows(db, r.userId);
    equal(row.status, "filled");
    equal(row.broker_order_id, r.fake.orders()[0].id);
    equal((await r.broker.fills(r.userId)).length, 1);
    equal(r.fake.orders().length, 1);
  },
  { broker: { now: () => new Date(clockMs) } },
);

alpacaTest(
  "replace refuses what the order cannot take, before anything is written",
  async (r, db) => {
    const { order } = await r.broker.submit(
      r.userId,
      req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
    );
    const err = await r.broker.replace(r.userId, order.id, { trail: 5 }).then(() => null, (e) => e);
    ok(err instanceof OrderRefusedError, String(err));
    equal(err.code, "invalid_order");
    equal((await orderRows(db, r.userId)).length, 1);
    equal(r.fake.requests.filter((q) => q.method === "PATCH").length, 0);
  },
);

alpacaTest("sync reads open orders in one list and only closed ones by id", async (r, db) => {
  r.fake.setPrice("AAPL", 100);
  for (const limitPrice of [50, 60, 90]) {
    await r.broker.submit(r.userId, req({ type: "limit", limitPrice, timeInForce: "gtc" }));
  }
  r.fake.setPrice("AAPL", 89); // crosses the 90 limit only
  const before = r.fake.requests.length;
  const report = await r.broker.sync();
  equal(report.checked, 3);
  equal(report.filled, 1);
  const gets = r.fake.requests.slice(before).filter((q) =>
    q.method === "GET" && q.path.startsWith("/v2/orders")
  );
  deepEqual(gets.map((q) => q.path === "/v2/orders" ? "list" : "by id"), ["list", "by id"]);
  const statuses = (await orderRows(db, r.userId)).map((o) => o.status).sort();
  deepEqual(statuses, ["filled", "new", "new"]);
});

alpacaTest("reads at the same moment share one request; later reads ask again", async (r) => {
  const count = (path: string) => r.fake.requests.filter((q) => q.path === path).length;
  await Promise.all([r.broker.account(r.userId), r.broker.positions(r.userId)]);
  equal(count("/v2/account"), 1);
  equal(count("/v2/positions"), 1);
  await r.broker.submit(r.userId, req());
  // Nothing is kept once answered: the next read sees the fill.
  const positions = await r.broker.positions(r.userId);
  equal(count("/v2/positions"), 2);
  equal(positions[0].qty, 2);
});

alpacaTest(
  "cancel and replace of a partially filled order keep its fill",
  async (r) => {
    const limit = (qty: number) =>
      r.broker.submit(
        r.userId,
        req({ type: "limit", limitPrice: 90, timeInForce: "gtc", qty }),
      );
    const a = await limit(5);
    const alpacaA = r.fake.orders()[0].id as string;
    r.fake.fillOrder(alpacaA, { qty: 2, price: 90 });
    await r.broker.sync();
    equal((await r.broker.order(r.userId, a.order.id)).status, "partially_filled");
    const replaced = await r.broker.replace(r.userId, a.order.id, { limitPrice: 91 });
    equal(replaced.replaces, a.order.id);
    equal(replaced.limitPrice, 91);
    const old = await r.broker.order(r.userId, a.order.id);
    ok(["replaced", "pending_replace"].includes(old.status), old.status);
    equal(old.filledQty, 2);
    equal((await r.broker.cancel(r.userId, replaced.id)).status, "canceled");

    const b = await limit(4);
    const alpacaB = r.fake.orders().find((o) => o.client_order_id === b.order.id)!.id as string;
    r.fake.fillOrder(alpacaB, { qty: 1, price: 90 });
    await r.broker.sync();
    const canceled = await r.broker.cancel(r.userId, b.order.id);
    equal(canceled.status, "canceled");
    equal(canceled.filledQty, 1);
    await r.broker.sync();
    const fills = await r.broker.fills(r.userId);
    deepEqual(fills.map((f) => [f.qty, f.price]).sort(), [[1, 90], [2, 90]]);
    equal((await r.broker.positions(r.userId))[0].qty, 3);
  },
  { fake: { fillMode: "accepted" } },
);
