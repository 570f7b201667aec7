/** The matcher fills working orders on streamed quotes, without waiting for the cron job. */
import { equal } from "node:assert/strict";
import { withTestDatabases } from "../../db/testing.ts";
import { StreamHub } from "../../market/stream_hub.ts";
import { ScriptedMarketData } from "../../market/testing.ts";
import { updateSettings } from "../../settings.ts";
import { PaperBroker } from "./broker.ts";
import { PaperMatcher } from "./matcher.ts";

async function until(check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out");
}

withTestDatabases(
  "paper matcher: a resting limit fills when a streamed quote crosses",
  async (db) => {
    const [u] = await db.query<{ id: number }>(
      "insert into users (username, email, password_hash) values ('m', 'm@x.test', 'x') returning id",
    );
    await updateSettings(db, u.id, { maxPositionPercent: 100 });
    const market = new ScriptedMarketData();
    market.setQuote("AAPL", { bid: 99.9, ask: 100.1, last: 100 });
    const hub = new StreamHub(market);
    const broker = new PaperBroker({ db, market });
    const matcher = new PaperMatcher(broker, hub);
    await matcher.start();
    try {
      const r = await broker.submit(u.id, {
        symbol: "AAPL",
        side: "buy",
        type: "limit",
        limitPrice: 95,
        timeInForce: "gtc",
        qty: 3,
        clientOrderId: "m-1",
      });
      equal(r.order.status, "new");
      // Let the hub open the upstream subscription, then move the price.
      await new Promise((r) => setTimeout(r, 50));
      market.setQuote("AAPL", { bid: 96, ask: 96.2, last: 96.1 });
      await new Promise((r) => setTimeout(r, 50));
      await matcher.idle();
      equal((await broker.order(u.id, r.order.id)).status, "new");
      market.setQuote("AAPL", { bid: 94.7, ask: 94.9, last: 94.8 });
      await until(async () => (await broker.order(u.id, r.order.id)).status === "filled");
      const o = await broker.order(u.id, r.order.id);
      equal(o.filledAvgPrice, 94.9);
      equal(o.filledQty, 3);
    } finally {
      await matcher.close();
      await hub.close();
      await market.close();
    }
  },
);
