/**
 * One suite for every Broker: what the seam promises, whichever implementation is behind it.
 * `broker_conformance_test.ts` runs it on the built-in paper broker and on the Alpaca broker
 * (against the fake Alpaca server), each on PGlite and on the PostgreSQL server.
 *
 * @module
 */
import { equal, ok, rejects } from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import {
  type Broker,
  type CheckResult,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  OrderRefusedError,
  type OrderRequest,
  OrderStateError,
} from "./types.ts";

export interface ConformanceRig {
  broker: Broker;
  userId: number;
  /** Sets the price the broker fills at (bid = ask = last = price). */
  setPrice(symbol: string, price: number): Promise<void> | void;
  /** Sets the user's maximum order value (a pre-trade rule of PaiiD's, not the broker's). */
  setMaxOrderValue(usd: number): Promise<void>;
  close(): Promise<void>;
}

export type RigFactory = (db: Database, userId: number) => Promise<ConformanceRig>;

const req = (o: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 2,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

function conformance(
  kind: string,
  name: string,
  make: RigFactory,
  fn: (r: ConformanceRig) => Promise<void>,
) {
  withTestDatabases(`broker[${kind}] ${name}`, async (db) => {
    const r = await make(db, await createTestUser(db));
    try {
      await fn(r);
    } finally {
      await r.close();
    }
  });
}

export function brokerConformance(kind: string, make: RigFactory): void {
  conformance(kind, "a market buy fills and becomes a position", make, async (r) => {
    await r.setPrice("AAPL", 100);
    const before = await r.broker.account(r.userId);
    const { order, duplicate } = await r.broker.submit(r.userId, req());
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(order.filledQty, 2);
    equal(order.filledAvgPrice, 100);
    equal(order.source, r.broker.kind);
    const positions = await r.broker.positions(r.userId);
    equal(positions.length, 1);
    equal(positions[0].symbol, "AAPL");
    equal(positions[0].qty, 2);
    equal(positions[0].costBasis, 200);
    const after = await r.broker.account(r.userId);
    equal(Math.round((before.cash - after.cash) * 100), 20_000);
    equal(after.currency, "USD");
    ok(
      Math.abs(after.equity - (after.cash + after.longMarketValue + after.shortMarketValue)) < 0.01,
    );
    const got = await r.broker.order(r.userId, order.id);
    equal(got.clientOrderId, order.clientOrderId);
  });

  conformance(
    kind,
    "the same clientOrderId and request returns the first order",
    make,
    async (r) => {
      await r.setPrice("AAPL", 100);
      const first = req();
      const a = await r.broker.submit(r.userId, first);
      const b = await r.broker.submit(r.userId, { ...first });
      equal(b.duplicate, true);
      equal(b.order.id, a.order.id);
      equal((await r.broker.orders(r.userId, { status: "all" })).length, 1);
      equal((await r.broker.positions(r.userId))[0].qty, 2);
    },
  );

  conformance(
    kind,
    "a key reused for another request is refused, nothing placed",
    make,
    async (r) => {
      await r.setPrice("AAPL", 100);
      const first = req();
      const a = await r.broker.submit(r.userId, first);
      const other = await r.broker.submit(r.userId, { ...first, qty: 5 }).catch((e) => e);
      ok(other instanceof IdempotencyKeyReusedError, String(other));
      equal(other.orderId, a.order.id);
      // A position close reusing the order's key is another request too.
      const close = await r.broker.closePosition(r.userId, "AAPL", {
        clientOrderId: first.clientOrderId,
      }).catch((e) => e);
      ok(close instanceof IdempotencyKeyReusedError, String(close));
      equal((await r.broker.orders(r.userId, { status: "all" })).length, 1);
      equal((await r.broker.positions(r.userId))[0].qty, 2);
      // The close's own key, retried with the same ask, finds the close.
      const key = crypto.randomUUID();
      const part = await r.broker.closePosition(r.userId, "AAPL", { qty: 1, clientOrderId: key });
      const again = await r.broker.closePosition(r.userId, "AAPL", { qty: 1, clientOrderId: key });
      equal(again.duplicate, true);
      equal(again.order.id, part.order.id);
      await rejects(
        r.broker.closePosition(r.userId, "AAPL", { percentage: 50, clientOrderId: key }),
        IdempotencyKeyReusedError,
      );
    },
  );

  conformance(kind, "every order passes the pre-trade checks first", make, async (r) => {
    await r.setPrice("AAPL", 100);
    const placed = await r.broker.submit(r.userId, req());
    ok(placed.checks?.some((c) => c.rule === "buying_power" && c.ok), "checks reported");
    await r.setMaxOrderValue(150);
    const err = await r.broker.submit(r.userId, req()).then(() => null, (e) => e);
    ok(err instanceof OrderRefusedError, String(err));
    ok(err.checks.some((c: CheckResult) => c.rule === "max_order_value" && !c.ok), err.message);
    equal((await r.broker.orders(r.userId, { status: "all" })).length, 1);
  });

  conformance(kind, "one close-quantity rule: never more than held", make, async (r) => {
    await r.setPrice("AAPL", 100);
    await r.broker.submit(r.userId, req({ qty: 3 }));
    const over = await r.broker.closePosition(r.userId, "AAPL", {
      qty: 4,
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(over instanceof OrderRefusedError, String(over));
    equal(over.code, "insufficient_qty");
    equal(over.details?.held, 3);
    ok(over.message.includes("3 shares"), over.message);
    const part = await r.broker.closePosition(r.userId, "AAPL", {
      percentage: 33.33,
      clientOrderId: crypto.randomUUID(),
    });
    equal(part.order.qty, 0.9999);
    equal(part.order.status, "filled");
    equal((await r.broker.positions(r.userId))[0].qty, 2.0001);
  });

  conformance(kind, "a limit order rests, is listed open, and cancels", make, async (r) => {
    await r.setPrice("AAPL", 100);
    const { order } = await r.broker.submit(
      r.userId,
      req({ type: "limit", limitPrice: 50, timeInForce: "gtc" }),
    );
    ok(["new", "accepted"].includes(order.status), order.status);
    const open = await r.broker.orders(r.userId, { status: "open" });
    equal(open.map((o) => o.id).join(), order.id);
    const canceled = await r.broker.cancel(r.userId, order.id);
    equal(canceled.status, "canceled");
    equal((await r.broker.orders(r.userId, { status: "open" })).length, 0);
    equal((await r.broker.orders(r.userId, { status: "closed" })).length, 1);
  });

  conformance(
    kind,
    "filled orders cannot be canceled; unknown ones are not found",
    make,
    async (r) => {
      await r.setPrice("AAPL", 100);
      const { order } = await r.broker.submit(r.userId, req());
      await rejects(r.broker.cancel(r.userId, order.id), OrderStateError);
      await rejects(r.broker.order(r.userId, crypto.randomUUID()), OrderNotFoundError);
    },
  );

  conformance(kind, "closing a position sells it at market", make, async (r) => {
    await r.setPrice("AAPL", 100);
    await r.broker.submit(r.userId, req({ qty: 3 }));
    await r.setPrice("AAPL", 110);
    const closing = await r.broker.closePosition(r.userId, "AAPL", {
      clientOrderId: crypto.randomUUID(),
    });
    equal(closing.order.side, "sell");
    equal(closing.order.qty, 3);
    equal(closing.order.status, "filled");
    equal((await r.broker.positions(r.userId)).length, 0);
    await rejects(
      r.broker.closePosition(r.userId, "AAPL", { clientOrderId: crypto.randomUUID() }),
      OrderNotFoundError,
    );
  });

  conformance(
    kind,
    "an order beyond buying power is refused and leaves nothing",
    make,
    async (r) => {
      await r.setPrice("AAPL", 100);
      const err = await r.broker.submit(r.userId, req({ qty: 5_000 })).then(() => null, (e) => e);
      ok(err instanceof OrderRefusedError, String(err));
      equal(err.code, "insufficient_buying_power");
      equal((await r.broker.orders(r.userId, { status: "all" })).length, 0);
    },
  );
}
