/**
 * The Broker conformance suite's option cases: what the seam promises for option orders,
 * whichever implementation is behind it. `paper/options_conformance_test.ts` runs it on the
 * built-in paper broker (PGlite and the server); the Alpaca broker runs the same cases against
 * its fake server with a rig that sets the fake's option quotes.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import { formatOcc } from "../options/occ.ts";
import {
  type Broker,
  type OrderLeg,
  OrderNotFoundError,
  OrderRefusedError,
  type OrderRequest,
} from "./types.ts";

export interface OptionRig {
  broker: Broker;
  userId: number;
  /** Sets the underlying's price (bid = ask = last = price). */
  setPrice(symbol: string, price: number): Promise<void> | void;
  /** Lists contract `symbol` (OCC) with this bid and ask, where the broker fills and marks. */
  setOption(symbol: string, bid: number | null, ask: number | null): Promise<void> | void;
  close(): Promise<void>;
}

export type OptionRigFactory = (db: Database, userId: number) => Promise<OptionRig>;

/** Contracts a month past the rigs' market date (2026-11-04). */
export const CONFORMANCE_EXPIRY = "2026-12-18";
const call = (k: number) => formatOcc("AAPL", CONFORMANCE_EXPIRY, "call", k);

const single = (
  symbol: string,
  side: "buy" | "sell",
  intent: OrderRequest["positionIntent"],
  qty = 1,
): OrderRequest => ({
  symbol,
  side,
  type: "market",
  timeInForce: "day",
  qty,
  positionIntent: intent,
  clientOrderId: crypto.randomUUID(),
});

const leg = (symbol: string, side: "buy" | "sell"): OrderLeg => ({
  symbol,
  side,
  ratioQty: 1,
  positionIntent: side === "buy" ? "buy_to_open" : "sell_to_open",
});

const vertical = (qty = 1): OrderRequest => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty,
  orderClass: "mleg",
  legs: [leg(call(150), "buy"), leg(call(155), "sell")],
  clientOrderId: crypto.randomUUID(),
});

async function prices(r: OptionRig) {
  await r.setPrice("AAPL", 150);
  await r.setOption(call(150), 2.4, 2.6);
  await r.setOption(call(155), 0.9, 1.1);
}

function conformance(
  kind: string,
  name: string,
  make: OptionRigFactory,
  fn: (r: OptionRig) => Promise<void>,
) {
  withTestDatabases(`broker[${kind}] options: ${name}`, async (db) => {
    const r = await make(db, await createTestUser(db));
    try {
      await prices(r);
      await fn(r);
    } finally {
      await r.close();
    }
  });
}

export function optionConformance(kind: string, make: OptionRigFactory): void {
  conformance(kind, "a buy to open fills at the ask, × 100", make, async (r) => {
    const before = await r.broker.account(r.userId);
    const { order, duplicate } = await r.broker.submit(
      r.userId,
      single(call(150), "buy", "buy_to_open", 2),
    );
    equal(duplicate, false);
    equal(order.status, "filled");
    equal(order.filledQty, 2);
    equal(order.filledAvgPrice, 2.6);
    equal(order.assetClass, "us_option");
    equal(order.positionIntent, "buy_to_open");
    const after = await r.broker.account(r.userId);
    equal(Math.round((before.cash - after.cash) * 100), 52_000);
  });

  conformance(kind, "positions carry the contract", make, async (r) => {
    await r.broker.submit(r.userId, single(call(150), "buy", "buy_to_open", 2));
    const [p] = await r.broker.positions(r.userId);
    equal(p.symbol, call(150));
    equal(p.qty, 2);
    equal(p.assetClass, "us_option");
    deepEqual(p.option, {
      underlying: "AAPL",
      expiration: CONFORMANCE_EXPIRY,
      type: "call",
      strike: 150,
      multiplier: 100,
    });
    equal(p.costBasis, 520);
    equal(p.avgEntryPrice, 2.6);
  });

  conformance(kind, "a sell to close fills at the bid and flattens", make, async (r) => {
    await r.broker.submit(r.userId, single(call(150), "buy", "buy_to_open", 2));
    await r.setOption(call(150), 3, 3.2);
    const { order } = await r.broker.submit(
      r.userId,
      single(call(150), "sell", "sell_to_close", 2),
    );
    equal(order.status, "filled");
    equal(order.filledAvgPrice, 3);
    equal(order.positionIntent, "sell_to_close");
    equal((await r.broker.positions(r.userId)).length, 0);
    // Closing what is not held is refused and places nothing.
    const err = await r.broker.submit(r.userId, single(call(150), "sell", "sell_to_close"))
      .catch((e) => e);
    ok(err instanceof OrderRefusedError, String(err));
    equal((await r.broker.orders(r.userId, { status: "all" })).length, 2);
  });

  conformance(kind, "a vertical fills both legs together", make, async (r) => {
    const { order } = await r.broker.submit(r.userId, vertical(2));
    equal(order.status, "filled");
    equal(order.orderClass, "mleg");
    equal(order.legs?.length, 2);
    deepEqual(order.legs!.map((l) => [l.symbol, l.filledQty]), [[call(150), 2], [call(155), 2]]);
    const positions = await r.broker.positions(r.userId);
    deepEqual(
      positions.map((p) => [p.symbol, p.qty]).sort(),
      [[call(150), 2], [call(155), -2]],
    );
  });

  conformance(kind, "a leg without a price: no leg fills", make, async (r) => {
    await r.setOption(call(155), null, 1.1);
    const result = await r.broker.submit(r.userId, vertical()).catch((e) => e);
    if (result instanceof OrderRefusedError) {
      equal((await r.broker.orders(r.userId, { status: "all" })).length, 0);
    } else {
      ok(!(result instanceof Error), String(result));
      ok(result.order.status !== "filled", result.order.status);
      ok(result.order.legs.every((l: { filledQty: number }) => l.filledQty === 0));
    }
    equal((await r.broker.positions(r.userId)).length, 0);
  });

  conformance(kind, "a retried multi-leg order is the first one", make, async (r) => {
    const req = vertical();
    const a = await r.broker.submit(r.userId, req);
    const b = await r.broker.submit(r.userId, { ...req });
    equal(b.duplicate, true);
    equal(b.order.id, a.order.id);
    equal((await r.broker.orders(r.userId, { status: "all" })).length, 1);
    const positions = await r.broker.positions(r.userId);
    deepEqual(positions.map((p) => Math.abs(p.qty)), [1, 1]);
  });

  conformance(kind, "closing a strategy is one multi-leg order", make, async (r) => {
    ok(r.broker.closeStrategy, "the broker closes strategies");
    await r.broker.submit(r.userId, vertical(3));
    const key = crypto.randomUUID();
    const closed = await r.broker.closeStrategy!(r.userId, {
      symbols: [call(150), call(155)],
      clientOrderId: key,
    });
    equal(closed.order.orderClass, "mleg");
    equal(closed.order.status, "filled");
    equal(closed.order.qty, 3);
    deepEqual(
      closed.order.legs!.map((l) => [l.symbol, l.side, l.positionIntent]),
      [[call(150), "sell", "sell_to_close"], [call(155), "buy", "buy_to_close"]],
    );
    equal((await r.broker.positions(r.userId)).length, 0);
    const again = await r.broker.closeStrategy!(r.userId, {
      symbols: [call(155), call(150)],
      clientOrderId: key,
    });
    equal(again.duplicate, true);
    equal(again.order.id, closed.order.id);
    const gone = await r.broker.closeStrategy!(r.userId, {
      symbols: [call(150), call(155)],
      clientOrderId: crypto.randomUUID(),
    }).catch((e) => e);
    ok(gone instanceof OrderNotFoundError, String(gone));
  });
}
