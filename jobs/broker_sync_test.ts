import { equal } from "node:assert/strict";
import { withTestDatabases } from "../lib/db/testing.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import { updateSettings } from "../lib/settings.ts";
import { brokerSync, equitySnapshots } from "./broker_sync.ts";

withTestDatabases(
  "jobs: broker sync fills what the price reached; snapshots sample equity",
  async (db) => {
    const [u] = await db.query<{ id: number }>(
      "insert into users (username, email, password_hash) values ('j', 'j@x.test', 'x') returning id",
    );
    await updateSettings(db, u.id, { maxPositionPercent: 100 });
    const market = new ScriptedMarketData();
    market.setQuote("KO", { bid: 49.9, ask: 50.1, last: 50 });
    const broker = new PaperBroker({ db, market });
    try {
      const r = await broker.submit(u.id, {
        symbol: "KO",
        side: "buy",
        type: "limit",
        limitPrice: 45,
        timeInForce: "day",
        qty: 10,
        clientOrderId: "j-1",
      });
      equal((await brokerSync(broker)).filled, 0);
      market.setQuote("KO", { bid: 44.8, ask: 44.9, last: 44.85 });
      const report = await brokerSync(broker);
      equal(report.filled, 1);
      equal((await broker.order(u.id, r.order.id)).status, "filled");
      const before = await db.query("select 1 from equity_snapshots where user_id = $1", [u.id]);
      equal(await equitySnapshots(broker), 1);
      const after = await db.query("select 1 from equity_snapshots where user_id = $1", [u.id]);
      equal(after.length, before.length + 1);
    } finally {
      await market.close();
    }
  },
);
