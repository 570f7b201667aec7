/** The matcher fills working orders on streamed quotes, without waiting for the cron job. */
import { equal } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { StreamHub } from "../../market/stream_hub.ts";
import { ScriptedMarketData } from "../../market/testing.ts";
import type { Quote } from "../../market/types.ts";
import { updateSettings } from "../../settings.ts";
import { getOrderRow } from "../orders_repo.ts";
import { PaperBroker } from "./broker.ts";
import { PaperMatcher } from "./matcher.ts";
import { formatOcc } from "../../options/occ.ts";

/** Resolves when the matcher has finished a pass over a quote of `symbol` at `last`. */
function passAt(matcher: PaperMatcher, symbol: string, last: number): Promise<Quote> {
  return new Promise((resolve) => {
    const previous = matcher.onPass;
    matcher.onPass = (q) => {
      previous?.(q);
      if (q.symbol === symbol && q.last === last) {
        matcher.onPass = previous;
        resolve(q);
      }
    };
  });
}

async function withMatcher(
  db: Database,
  fn: (m: {
    userId: number;
    market: ScriptedMarketData;
    hub: StreamHub;
    broker: PaperBroker;
    matcher: PaperMatcher;
  }) => Promise<void>,
) {
  const userId = await createTestUser(db);
  await updateSettings(db, userId, { maxPositionPercent: 100 });
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 99.9, ask: 100.1, last: 100 });
  const hub = new StreamHub(market);
  const broker = new PaperBroker({ db, market });
  const matcher = new PaperMatcher(broker, hub);
  await matcher.start();
  try {
    await fn({ userId, market, hub, broker, matcher });
  } finally {
    await matcher.close();
    await hub.close();
    await market.close();
  }
}

const restingBuy = (clientOrderId: string) => ({
  symbol: "AAPL",
  side: "buy" as const,
  type: "limit" as const,
  limitPrice: 95,
  timeInForce: "gtc" as const,
  qty: 3,
  clientOrderId,
});

withTestDatabases(
  "paper matcher: a resting limit fills when a streamed quote crosses",
  async (db) => {
    await withMatcher(db, async ({ userId, market, hub, broker, matcher }) => {
      const r = await broker.submit(userId, restingBuy("m-1"));
      equal(r.order.status, "new");
      // The new working order made the matcher follow its symbol upstream at once.
      equal(hub.stats().AAPL, 1);
      const above = passAt(matcher, "AAPL", 96.1);
      market.setQuote("AAPL", { bid: 96, ask: 96.2, last: 96.1 });
      await above;
      equal((await broker.order(userId, r.order.id)).status, "new");
      const crossed = passAt(matcher, "AAPL", 94.8);
      market.setQuote("AAPL", { bid: 94.7, ask: 94.9, last: 94.8 });
      await crossed;
      const o = await broker.order(userId, r.order.id);
      equal(o.status, "filled");
      equal(o.filledAvgPrice, 94.9);
      equal(o.filledQty, 3);
    });
  },
);

withTestDatabases(
  "paper matcher and sync on one order at once: exactly one fill",
  async (db) => {
    await withMatcher(db, async ({ userId, market, broker, matcher }) => {
      const r = await broker.submit(userId, restingBuy("m-2"));
      const before = await broker.account(userId);
      const row = await getOrderRow(db, userId, r.order.id);
      // The streamed quote starts the matcher's pass; the cron job's sync and two more
      // matcher-style attempts race it on the same order.
      const streamed = passAt(matcher, "AAPL", 94.8);
      const quote = market.setQuote("AAPL", { bid: 94.7, ask: 94.9, last: 94.8 });
      const [syncA, syncB] = await Promise.all([
        broker.sync(),
        broker.sync(),
        broker.matchOne(row, quote, true),
        broker.matchOne(row, quote, true),
      ]);
      await streamed;
      await matcher.idle();
      const o = await broker.order(userId, r.order.id);
      equal(o.status, "filled");
      equal(o.filledQty, 3);
      const trades = await db.query<{ quantity: string }>(
        "select quantity from trades where order_id = $1",
        [r.order.id],
      );
      equal(trades.length, 1, "one trade for the order");
      equal(Number(trades[0].quantity), 3);
      // Each sync saw the order filled by at most one of them.
      equal(syncA.filled + syncB.filled <= 1, true);
      const [pos] = await broker.positions(userId);
      equal(pos.qty, 3);
      const after = await broker.account(userId);
      equal(Math.round((before.cash - after.cash) * 100), Math.round(3 * 94.9 * 100));
    });
  },
);

withTestDatabases(
  "paper matcher: a resting option order fills when its underlying's quote comes",
  async (db) => {
    await withMatcher(db, async ({ userId, market, hub, broker, matcher }) => {
      const call = formatOcc("AAPL", "2026-12-18", "call", 100);
      const upper = formatOcc("AAPL", "2026-12-18", "call", 105);
      market.setOption(call, { bid: 2.4, ask: 2.6 });
      market.setOption(upper, { bid: 0.9, ask: 1 });
      const single = await broker.submit(userId, {
        symbol: call,
        side: "buy",
        type: "limit",
        limitPrice: 2,
        timeInForce: "day",
        qty: 1,
        positionIntent: "buy_to_open",
        clientOrderId: "m-opt-1",
      });
      equal(single.order.status, "new");
      // The matcher follows the contract's underlying, not the contract.
      equal(hub.stats().AAPL, 1);
      equal(hub.stats()[call], undefined);
      // The ask comes down to the limit; the next AAPL quote is when the matcher looks.
      market.setOption(call, { bid: 1.8, ask: 1.95 });
      const moved = passAt(matcher, "AAPL", 101);
      market.setQuote("AAPL", { bid: 100.9, ask: 101.1, last: 101 });
      await moved;
      const o = await broker.order(userId, single.order.id);
      equal(o.status, "filled");
      equal(o.filledAvgPrice, 1.95);
      // A multi-leg order (its symbol is the underlying) the same way: a call spread for a net
      // debit of at most 0.90 (1.95 − 0.90 = 1.05 now).
      const combo = await broker.submit(userId, {
        symbol: "AAPL",
        side: "buy",
        type: "limit",
        limitPrice: 0.9,
        timeInForce: "day",
        qty: 1,
        orderClass: "mleg",
        legs: [
          { symbol: call, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
          { symbol: upper, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
        ],
        clientOrderId: "m-opt-2",
      });
      equal(combo.order.status, "new", combo.order.reason ?? "");
      market.setOption(upper, { bid: 1.1, ask: 1.2 });
      const again = passAt(matcher, "AAPL", 101.5);
      market.setQuote("AAPL", { bid: 101.4, ask: 101.6, last: 101.5 });
      await again;
      equal((await broker.order(userId, combo.order.id)).status, "filled");
    });
  },
);

withTestDatabases(
  "paper matcher: an option whose root is not its underlying's symbol (BRKB for BRK.B)",
  async (db) => {
    await withMatcher(db, async ({ userId, market, hub, broker, matcher }) => {
      market.setQuote("BRK.B", { bid: 499.9, ask: 500.1, last: 500 });
      const call = formatOcc("BRKB", "2026-12-18", "call", 500);
      market.setOption(call, { bid: 9.8, ask: 10.2 });
      const single = await broker.submit(userId, {
        symbol: call,
        side: "buy",
        type: "limit",
        limitPrice: 9,
        timeInForce: "day",
        qty: 1,
        positionIntent: "buy_to_open",
        clientOrderId: "m-brkb-1",
      });
      equal(single.order.status, "new", single.order.reason ?? "");
      equal(hub.stats()["BRK.B"], 1);
      market.setOption(call, { bid: 8.8, ask: 8.95 });
      const moved = passAt(matcher, "BRK.B", 501);
      market.setQuote("BRK.B", { bid: 500.9, ask: 501.1, last: 501 });
      await moved;
      equal((await broker.order(userId, single.order.id)).status, "filled");
    });
  },
);
