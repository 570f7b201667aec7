/** The Broker conformance suite (conformance.ts) on each implementation. */
import type { Database } from "../db/database.ts";
import { ScriptedMarketData } from "../market/testing.ts";
import { updateSettings } from "../settings.ts";
import { startFakeAlpaca } from "../../tests/fakes/alpaca.ts";
import { createAlpacaBroker } from "./alpaca/mod.ts";
import { brokerConformance } from "./conformance.ts";
import { PaperBroker } from "./paper/broker.ts";

/** The user's own limits stay out of the way: this suite is about the seam. */
async function roomyLimits(db: Database, userId: number) {
  await updateSettings(db, userId, { maxPositionPercent: 100, maxOrderValue: 10_000_000 });
}

brokerConformance("paper", async (db, userId) => {
  await roomyLimits(db, userId);
  const market = new ScriptedMarketData();
  return {
    broker: new PaperBroker({ db, market }),
    userId,
    setPrice: (symbol, price) => {
      market.setQuote(symbol, { bid: price, ask: price, last: price });
    },
    setMaxOrderValue: (usd) => updateSettings(db, userId, { maxOrderValue: usd }).then(() => {}),
    close: () => market.close(),
  };
});

// Alpaca against the fake server that enforces its contract (tests/fakes/alpaca.ts); the
// pre-trade checks price orders from market data that quotes what the fake fills at.
brokerConformance("alpaca", async (db, userId) => {
  await roomyLimits(db, userId);
  const fake = await startFakeAlpaca();
  const market = new ScriptedMarketData();
  const broker = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    baseUrl: fake.url,
    market,
    backoffBaseMs: 5,
  });
  return {
    broker,
    userId,
    setPrice: (symbol, price) => {
      fake.setPrice(symbol, price);
      market.setQuote(symbol, { bid: price, ask: price, last: price });
    },
    setMaxOrderValue: (usd) => updateSettings(db, userId, { maxOrderValue: usd }).then(() => {}),
    close: async () => {
      await broker.close();
      await fake.close();
      await market.close();
    },
  };
});
