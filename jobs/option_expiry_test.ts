import { deepEqual, equal } from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../lib/db/testing.ts";
import { createLogger } from "../lib/log.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { formatOcc } from "../lib/options/occ.ts";
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import { haltingBroker } from "../lib/broker/halting_broker.ts";
import { TradingHalts } from "../lib/broker/halt.ts";
import { updateSettings } from "../lib/settings.ts";
import { optionExpiry } from "./option_expiry.ts";

withTestDatabases(
  "jobs: option expiry settles through the paper broker, which writes the equity point",
  async (db) => {
    const user = await createTestUser(db);
    await updateSettings(db, user, { maxPositionPercent: 100 });
    const market = new ScriptedMarketData();
    const put = formatOcc("AAPL", "2026-11-20", "put", 145);
    market.setQuote("AAPL", { bid: 149.9, ask: 150.1, last: 150 });
    market.setOption(put, { bid: 1.4, ask: 1.6 });
    const broker = new PaperBroker({ db, market });
    const log = createLogger("silent");
    // The job is handed the services' broker: the kill switch's proxy of the paper broker.
    const kv = await Deno.openKv(":memory:");
    const halted = haltingBroker(broker, new TradingHalts(db, kv));
    try {
      await broker.submit(user, {
        symbol: put,
        side: "buy",
        type: "market",
        timeInForce: "day",
        qty: 1,
        positionIntent: "buy_to_open",
        clientOrderId: crypto.randomUUID(),
      });
      const points = () => db.query("select 1 from equity_snapshots where user_id = $1", [user]);
      const before = (await points()).length;
      market.setState("postmarket", "2026-11-20");
      market.setClose("AAPL", "2026-11-20", 160);
      // Out of the money: the put expires worthless, and the history steps down by its mark.
      deepEqual(await optionExpiry({ db, market, log, broker: halted }), {
        settled: 1,
        canceled: 0,
        pending: 0,
      });
      equal((await points()).length, before + 1);
    } finally {
      kv.close();
      await market.close();
    }
  },
);
